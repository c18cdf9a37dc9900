//! `logscrub forward` and `logscrub validate` as a user runs them.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{append_lines, bin, terminate};

fn append(path: &Path, from: u64, to: u64) {
    append_lines(path, from, to, |i| {
        format!("id={i:07} checkout user=user{i}@example.com amount=12.50 region=eu-west-1")
    });
}

fn delivered(out: &Path) -> HashMap<u64, usize> {
    let mut m = HashMap::new();
    let text = std::fs::read_to_string(out).unwrap_or_default();
    for l in text.lines() {
        // A kill can leave a torn last line; a complete one parses.
        let Ok(v) = serde_json::from_str::<serde_json::Value>(l) else {
            continue;
        };
        let msg = v["message"].as_str().unwrap();
        assert!(!msg.contains("@example.com"), "unredacted: {msg}");
        let id: u64 = msg
            .get(3..10)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("unexpected line: {l}"));
        *m.entry(id).or_default() += 1;
    }
    m
}

fn start(config: &Path) -> Child {
    bin()
        .args(["forward", "--config"])
        .arg(config)
        .env("LOGSCRUB_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .unwrap()
}

/// The default run has one crash test: `scripts/crash_test.py` (in
/// `scripts/test.sh`), which SIGKILLs the forwarder twenty times while file
/// and http sources feed a disk-buffered sink. This one covers the other
/// shape, a file source into a file sink with a memory buffer, where the
/// checkpoint moves only on delivery: `cargo test --test tests --
/// --ignored sigkill` (about 16 s).
#[test]
#[ignore = "the second crash test; scripts/test.sh runs scripts/crash_test.py"]
fn sigkill_mid_stream_loses_nothing_and_repeats_at_most_the_in_flight_batches() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("app.log");
    let out = dir.path().join("out.ndjson");
    let config = dir.path().join("forward.toml");
    std::fs::write(
        &config,
        format!(
            r#"
data_dir = "{d}/data"
[api]
enabled = false
[sources.app]
type = "file"
include = ["{d}/app.log"]
poll_interval_ms = 50
[sinks.out]
type = "file"
inputs = ["app"]
path = "{d}/out.ndjson"
batch = {{ max_events = 500, timeout_ms = 50 }}
buffer = {{ max_events = 2000 }}
request = {{ concurrency = 1 }}
"#,
            d = dir.path().display()
        ),
    )
    .unwrap();
    let total = 200_000u64;
    let kills = 8u64;
    let step = total / kills;
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    for k in 0..kills {
        append(&log, k * step, (k + 1) * step);
        let before = std::fs::metadata(&out).map_or(0, |m| m.len());
        let mut child = start(&config);
        // Kill mid-stream: once it is writing, at a random moment after.
        let t = Instant::now();
        while std::fs::metadata(&out).map_or(0, |m| m.len()) == before {
            assert!(t.elapsed() < Duration::from_secs(60), "no output");
            std::thread::sleep(Duration::from_millis(5));
        }
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        std::thread::sleep(Duration::from_millis(rng % 1500));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
    }
    // A last run to the end, then a graceful stop.
    let mut child = start(&config);
    let t = Instant::now();
    while delivered(&out).len() < total as usize {
        assert!(
            t.elapsed() < Duration::from_secs(120),
            "only {} of {total} delivered",
            delivered(&out).len()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    terminate(&child);
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let seen = delivered(&out);
    let dups: usize = seen.values().map(|n| n - 1).sum();
    eprintln!("{kills} SIGKILLs, {total} lines: every line delivered, {dups} duplicates");
    assert!((0..total).all(|i| seen.contains_key(&i)));
    // At most what was in flight at each kill: the queue, one batch being
    // written and one chunk being read.
    assert!(
        dups as u64 <= kills * (2000 + 500 + 512),
        "{dups} duplicates"
    );
}

#[test]
fn validate_checks_config_and_rules_without_starting_anything() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("ok.toml");
    std::fs::write(
        &config,
        "[api]\naddress = \"127.0.0.1:1\"\n[sources.a]\ntype = \"http\"\naddress = \"127.0.0.1:1\"\n[sinks.b]\ntype = \"clickhouse\"\ninputs = [\"a\"]\nendpoint = \"http://127.0.0.1:1\"\ntable = \"logs\"\n",
    )
    .unwrap();
    let o = bin()
        .args(["validate", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("ok:") && stdout.contains("b (clickhouse)"),
        "{stdout}"
    );

    std::fs::write(
        &config,
        "[sources.a]\ntype = \"stdin\"\n[sinks.b]\ntype = \"console\"\ninputs = [\"a\"]\nencodnig = \"text\"\n",
    )
    .unwrap();
    let o = bin()
        .args(["validate", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("encodnig") && stderr.contains("line"),
        "{stderr}"
    );

    std::fs::write(
        &config,
        "[rules]\npaths = [\"/nonexistent/rules\"]\n[sources.a]\ntype = \"stdin\"\n[sinks.b]\ntype = \"console\"\ninputs = [\"a\"]\n",
    )
    .unwrap();
    let o = bin()
        .args(["validate", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("/nonexistent/rules"));
}

#[test]
fn the_readme_forward_example_redacts_the_sample_log() {
    let root = env!("CARGO_MANIFEST_DIR");
    let dir = tempfile::tempdir().unwrap();
    // The shipped config with its paths moved into a temporary folder.
    let config = std::fs::read_to_string(Path::new(root).join("examples/forward/local.toml"))
        .unwrap()
        .replace("target/logscrub-demo", &dir.path().display().to_string())
        .replace(
            "examples/sample.log",
            &format!("{root}/examples/sample.log"),
        );
    let path = dir.path().join("local.toml");
    std::fs::write(&path, config).unwrap();
    let mut child = start(&path);
    let t = Instant::now();
    let sample = std::fs::read_to_string(Path::new(root).join("examples/sample.log")).unwrap();
    let want = sample.lines().count();
    let out_dir = dir.path().join("out");
    let read_out = || -> String {
        std::fs::read_dir(&out_dir)
            .map(|d| {
                d.flatten()
                    .map(|e| std::fs::read_to_string(e.path()).unwrap())
                    .collect()
            })
            .unwrap_or_default()
    };
    while read_out().lines().count() < want {
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "sample not delivered"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    terminate(&child);
    assert!(child.wait().unwrap().success());
    let out = read_out();
    assert_eq!(out.lines().count(), want);
    assert!(out.contains("[REDACTED:email]"));
    assert!(!out.contains("hunter2"));
}

#[test]
fn the_shipped_example_configs_validate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    // The examples read credentials from /run/secrets; point them here.
    for name in ["local", "sidecar-clickhouse", "sidecar-azure-blob"] {
        let text = std::fs::read_to_string(root.join(format!("examples/forward/{name}.toml")))
            .unwrap()
            .replace("/run/secrets", &dir.path().display().to_string());
        for secret in [
            "clickhouse-password",
            "azure-sas-token",
            "logscrub-hash-key",
        ] {
            std::fs::write(dir.path().join(secret), "fake-secret-for-tests\n").unwrap();
        }
        let path = dir.path().join(format!("{name}.toml"));
        std::fs::write(&path, text).unwrap();
        let o = bin()
            .current_dir(root)
            .args(["validate", "--config"])
            .arg(&path)
            .env("CLICKHOUSE_URL", "https://clickhouse.example.invalid:8443")
            .env("AZURE_STORAGE_ACCOUNT", "exampleaccount")
            .env(
                "LOGSCRUB_HASH_KEY_FILE",
                dir.path().join("logscrub-hash-key"),
            )
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

#[test]
fn stdin_to_console_redacts_and_exits_at_the_end_of_input() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("stdin.toml");
    std::fs::write(
        &config,
        format!(
            "data_dir = \"{}/data\"\n[api]\nenabled = false\n[sources.in]\ntype = \"stdin\"\n[sinks.out]\ntype = \"console\"\ninputs = [\"in\"]\nencoding = \"text\"\n",
            dir.path().display()
        ),
    )
    .unwrap();
    let mut child = bin()
        .args(["forward", "--config"])
        .arg(&config)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = String::new();
    for i in 0..1000 {
        input.push_str(&format!("n={i} contact user{i}@example.com\n"));
    }
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8(o.stdout).unwrap();
    assert_eq!(out.lines().count(), 1000);
    assert!(
        out.lines().all(|l| l.ends_with("contact [REDACTED:email]")),
        "{out}"
    );
}

#[test]
fn the_forwarders_own_log_lines_are_redacted() {
    // A destination that answers 400 and echoes a credential in its error
    // body: the forwarder logs the reason, and that log line must not
    // carry the credential.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        use std::io::Read;
        for mut s in listener.incoming().flatten() {
            let mut buf = [0u8; 65536];
            let _ = s.read(&mut buf);
            let body =
                "bad request for api_key=sk_live_FAKE0123456789abcdefABCD from ops@example.com";
            let _ = write!(
                s,
                "HTTP/1.1 400 Bad Request\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("c.toml");
    std::fs::write(
        &config,
        format!(
            "data_dir = \"{d}/data\"\n[api]\nenabled = false\n[sources.in]\ntype = \"stdin\"\n[sinks.out]\ntype = \"http\"\ninputs = [\"in\"]\nuri = \"http://127.0.0.1:{port}/\"\n",
            d = dir.path().display()
        ),
    )
    .unwrap();
    let mut child = bin()
        .args(["forward", "--config"])
        .arg(&config)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"hello\n").unwrap();
    let o = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("rejected the batch"), "{stderr}");
    assert!(stderr.contains("[REDACTED:"), "{stderr}");
    assert!(
        !stderr.contains("sk_live_FAKE") && !stderr.contains("ops@example.com"),
        "{stderr}"
    );
}

#[test]
fn sighup_reloads_the_rules_for_lines_read_afterwards() {
    const RULE: &str = r#"
[[rule]]
id = "acme-order-id"
description = "ACME order ids (test rule)"
category = "pii"
regex = '''\bACME-\d{8}\b'''
keywords = ["acme-"]
must_redact = ["order ACME-12345678 shipped", "id=ACME-00000001", '{"order":"ACME-87654321"}']
must_keep = ["ACME-1234", "order ACME-123456789", "acme rocks"]
"#;
    let dir = tempfile::tempdir().unwrap();
    let (log, out) = (dir.path().join("app.log"), dir.path().join("out.ndjson"));
    let rules = dir.path().join("acme.toml");
    let config = dir.path().join("forward.toml");
    std::fs::write(&rules, RULE).unwrap();
    // watch = false: only the signal can make it read the rules again.
    std::fs::write(
        &config,
        format!(
            r#"
data_dir = "{d}/data"
[api]
enabled = false
[rules]
paths = ["{d}/acme.toml"]
watch = false
[sources.app]
type = "file"
include = ["{d}/app.log"]
poll_interval_ms = 50
[sinks.out]
type = "file"
inputs = ["app"]
path = "{d}/out.ndjson"
batch = {{ max_events = 100, timeout_ms = 50 }}
"#,
            d = dir.path().display()
        ),
    )
    .unwrap();
    let stderr = std::fs::File::create(dir.path().join("stderr.log")).unwrap();
    let mut child = bin()
        .args(["forward", "--config"])
        .arg(&config)
        .env("LOGSCRUB_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let write = |from: u64, to: u64| {
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .unwrap();
        for i in from..to {
            writeln!(
                f,
                "n={i:04} order ACME-{:08} ticket TKT-{i:06}",
                10_000_000 + i
            )
            .unwrap();
        }
    };
    let messages = |from: u64, to: u64| -> Vec<String> {
        let t = Instant::now();
        loop {
            let text = std::fs::read_to_string(&out).unwrap_or_default();
            let got: Vec<String> = text
                .lines()
                .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
                .filter_map(|v| v["message"].as_str().map(str::to_owned))
                .filter(|m| {
                    m.get(2..6)
                        .and_then(|n| n.parse::<u64>().ok())
                        .is_some_and(|n| (from..to).contains(&n))
                })
                .collect();
            if got.len() as u64 == to - from {
                return got;
            }
            assert!(
                t.elapsed() < Duration::from_secs(30),
                "{} of {from}..{to}",
                got.len()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    let stderr = || std::fs::read_to_string(dir.path().join("stderr.log")).unwrap();

    write(0, 50);
    for m in messages(0, 50) {
        assert!(m.contains("[REDACTED:acme-order-id] ticket TKT-"), "{m}");
    }

    // A new rule in the file: not in force until the signal.
    let ticket = r#"
[[rule]]
id = "acme-ticket"
description = "ACME ticket numbers (test rule)"
category = "pii"
regex = '''\bTKT-\d{6}\b'''
keywords = ["tkt-"]
must_redact = ["ticket TKT-123456", "t=TKT-000001", '{"ticket":"TKT-654321"}']
must_keep = ["TKT-1234", "ticket TKT-1234567", "tickets rock"]
"#;
    std::fs::write(&rules, format!("{RULE}{ticket}")).unwrap();
    std::thread::sleep(Duration::from_millis(500));
    write(50, 100);
    for m in messages(50, 100) {
        assert!(
            m.contains("ticket TKT-"),
            "no reload without the signal: {m}"
        );
    }

    let hup = Command::new("kill")
        .args(["-HUP", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(hup.success());
    let t = Instant::now();
    while !stderr().contains("rules reloaded") {
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "no reload after SIGHUP:\n{}",
            stderr()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    write(100, 150);
    for m in messages(100, 150) {
        assert!(
            m.contains("[REDACTED:acme-order-id] ticket [REDACTED:acme-ticket]"),
            "{m}"
        );
    }

    terminate(&child);
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}\n{}", stderr());
    let log = stderr();
    assert!(
        log.contains("trigger=SIGHUP") || log.contains("SIGHUP"),
        "{log}"
    );
    assert!(!log.contains("ACME-1"), "{log}");
}
