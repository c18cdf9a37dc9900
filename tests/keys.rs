//! Key rotation and crypto-shredding through the real CLI.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::{append_lines, bin, terminate};

fn run(args: &[&str]) -> (bool, String) {
    let o = bin().args(args).output().unwrap();
    (
        o.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
    )
}

fn append(path: &Path, from: u64, to: u64) {
    append_lines(path, from, to, |i| format!("order id={i:06} state=shipped"));
}

fn checkpoint(dir: &Path) -> u64 {
    std::fs::read(dir.join("data/checkpoints/app.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|v| v["files"][0]["offset"].as_u64())
        .unwrap_or(0)
}

fn wait(what: &str, secs: u64, mut f: impl FnMut() -> bool) {
    let t = Instant::now();
    while !f() {
        assert!(t.elapsed() < Duration::from_secs(secs), "timed out: {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn stop(mut child: Child) {
    terminate(&child);
    assert!(child.wait().unwrap().success());
}

/// A minimal HTTP endpoint answering 200 and keeping request bodies.
fn sink_server() -> (u16, Arc<Mutex<String>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let bodies = Arc::new(Mutex::new(String::new()));
    let b = bodies.clone();
    std::thread::spawn(move || {
        for mut s in listener.incoming().flatten() {
            let b = b.clone();
            std::thread::spawn(move || loop {
                // One request per read loop: headers, then content-length bytes.
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if s.read(&mut byte).unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let head = String::from_utf8_lossy(&head).to_lowercase();
                let len: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .map_or(0, |v| v.trim().parse().unwrap());
                let mut body = vec![0u8; len];
                s.read_exact(&mut body).unwrap();
                b.lock().unwrap().push_str(&String::from_utf8_lossy(&body));
                let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n");
            });
        }
    });
    (port, bodies)
}

fn write_config(dir: &Path, port: u16) -> std::path::PathBuf {
    let path = dir.join("forward.toml");
    std::fs::write(
        &path,
        format!(
            r#"
data_dir = "{d}/data"
shutdown_timeout_secs = 1
[api]
enabled = false
[keys.main]
dir = "{d}/keys"
[sources.app]
type = "file"
include = ["{d}/app.log"]
poll_interval_ms = 20
[sinks.out]
type = "http"
inputs = ["app"]
uri = "http://127.0.0.1:{port}/in"
batch = {{ max_events = 100, timeout_ms = 20 }}
buffer = {{ type = "disk", key = "main" }}
request = {{ retry_initial_backoff_ms = 50, retry_max_backoff_secs = 1 }}
"#,
            d = dir.display()
        ),
    )
    .unwrap();
    path
}

#[test]
fn a_new_key_version_is_used_for_new_data_and_shredding_the_old_one_makes_only_its_data_unreadable()
{
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let keys = d.join("keys");
    let (ok, out) = run(&["keys", "generate", "--dir", keys.to_str().unwrap()]);
    assert!(ok && out.contains("version 1"), "{out}");
    // Nothing listens on the sink's port: everything waits in the buffer.
    let dead = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = write_config(d, dead);
    let cfg = config.to_str().unwrap();
    let log = d.join("app.log");
    append(&log, 0, 1000);
    let child = bin()
        .args(["forward", "--config", cfg])
        .env("LOGSCRUB_LOG", "error")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let size = std::fs::metadata(&log).unwrap().len();
    wait("first half buffered", 30, || checkpoint(d) == size);

    // Rotation: a new version appears while it runs.
    let (ok, out) = run(&["keys", "generate", "--dir", keys.to_str().unwrap()]);
    assert!(ok && out.contains("version 2"), "{out}");
    std::thread::sleep(Duration::from_millis(1500));
    append(&log, 1000, 2000);
    let size = std::fs::metadata(&log).unwrap().len();
    wait("second half buffered", 30, || checkpoint(d) == size);
    stop(child);

    let (ok, out) = run(&["keys", "list", "--config", cfg]);
    assert!(ok, "{out}");
    assert!(out.contains("main/1  segments: 1"), "{out}");
    assert!(out.contains("main/2  (current)  segments: 1"), "{out}");
    let (ok, out) = run(&["buffer", "verify", "--config", cfg]);
    assert!(ok, "{out}");
    assert!(out.contains("2000 readable events"), "{out}");

    // Shred version 1: its segment becomes unreadable, and verify says so.
    let (ok, out) = run(&["keys", "shred", "--config", cfg, "--key", "main/1"]);
    assert!(ok, "{out}");
    assert!(
        out.contains("1000 buffered events can no longer be read"),
        "{out}"
    );
    assert!(!keys.join("1.key").exists());
    let (ok, out) = run(&["buffer", "verify", "--config", cfg]);
    assert!(!ok, "verify must fail on unreadable data: {out}");
    assert!(
        out.contains("UNREADABLE") && out.contains("key main/1: 0 events readable"),
        "{out}"
    );

    // The forwarder starts, counts and skips the unreadable data, and
    // delivers the rest.
    let (port, bodies) = sink_server();
    let config = write_config(d, port);
    let child = bin()
        .args(["forward", "--config", config.to_str().unwrap()])
        .env("LOGSCRUB_LOG", "error")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    wait("second half delivered", 30, || {
        bodies.lock().unwrap().matches("state=shipped").count() >= 1000
    });
    std::thread::sleep(Duration::from_millis(300));
    stop(child);
    let got = bodies.lock().unwrap().clone();
    assert_eq!(got.matches("state=shipped").count(), 1000);
    assert!(got.contains("id=001000") && got.contains("id=001999"));
    assert!(
        !got.contains("id=000999"),
        "shredded data must not come back"
    );
    let (ok, out) = run(&["buffer", "verify", "--config", cfg]);
    assert!(ok, "the buffer is clean again: {out}");
}

#[test]
fn an_encrypting_file_sink_writes_nothing_readable_and_decrypt_reads_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let keys = d.join("keys");
    assert!(run(&["keys", "generate", "--dir", keys.to_str().unwrap()]).0);
    let config = d.join("forward.toml");
    std::fs::write(
        &config,
        format!(
            r#"
data_dir = "{d}/data"
[api]
enabled = false
[keys.archive]
dir = "{d}/keys"
[sources.app]
type = "file"
include = ["{d}/app.log"]
poll_interval_ms = 20
[sinks.out]
type = "file"
inputs = ["app"]
path = "{d}/out.enc"
encoding = "text"
encrypt_key = "archive"
compression = "gzip"
batch = {{ max_events = 100, timeout_ms = 20 }}
"#,
            d = d.display()
        ),
    )
    .unwrap();
    let cfg = config.to_str().unwrap();
    append(&d.join("app.log"), 0, 500);
    let child = bin()
        .args(["forward", "--config", cfg])
        .env("LOGSCRUB_LOG", "error")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let size = std::fs::metadata(d.join("app.log")).unwrap().len();
    wait("delivered", 30, || checkpoint(d) == size);
    stop(child);
    let raw = std::fs::read(d.join("out.enc")).unwrap();
    assert!(memchr_find(&raw, b"shipped").is_none() && memchr_find(&raw, b"id=0").is_none());
    let o = bin()
        .args(["decrypt", "--config", cfg])
        .arg(d.join("out.enc"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).unwrap();
    assert_eq!(text.lines().count(), 500);
    assert!(
        text.starts_with("order id=000000 state=shipped\n"),
        "{text}"
    );
    // Shredded: the file cannot be read any more.
    assert!(run(&["keys", "shred", "--config", cfg, "--key", "archive"]).0);
    // (A keyring needs a version to load: the next one, as after rotation.)
    assert!(run(&["keys", "generate", "--dir", keys.to_str().unwrap()]).0);
    let o = bin()
        .args(["decrypt", "--config", cfg])
        .arg(d.join("out.enc"))
        .output()
        .unwrap();
    assert!(!o.status.success());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("key archive/1 is not available"),
        "{stderr}"
    );
}

fn memchr_find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}
