//! Sources, checkpoints, rotation, bad input and the api endpoint, end to
//! end in one process: file or network in, file sink out.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use crate::support::{append, card, eventually, read_ndjson, Running};

fn line(i: u64) -> String {
    format!(
        "id={i:06} payment card={} user=user{i}@example.com ok",
        card(i)
    )
}

/// `id=NNNNNN` of each delivered message, with how often it came.
fn ids(out: &Path) -> HashMap<u64, usize> {
    let mut m = HashMap::new();
    for v in read_ndjson(out) {
        let msg = v["message"].as_str().unwrap_or_default().to_owned();
        let whole = v.to_string();
        assert!(
            !whole.contains("@example.com"),
            "raw email delivered: {whole}"
        );
        let digits = whole
            .as_bytes()
            .windows(16)
            .any(|w| w.iter().all(u8::is_ascii_digit));
        assert!(!digits, "raw card delivered: {whole}");
        if let Some(p) = msg.find("id=") {
            let id: u64 = msg[p + 3..p + 9].parse().unwrap();
            *m.entry(id).or_default() += 1;
        }
    }
    m
}

const FILE_TO_FILE: &str = r#"
data_dir = "{dir}/data"
[api]
enabled = false
[sources.app]
type = "file"
include = ["{dir}/logs/app*.log"]
poll_interval_ms = 50
rotate_wait_ms = 300
[sinks.out]
type = "file"
inputs = ["app"]
path = "{dir}/out.ndjson"
batch = { max_events = 300, timeout_ms = 50 }
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn file_source_delivers_every_line_once_and_a_restart_resumes_at_the_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("logs")).unwrap();
    let log = dir.path().join("logs/app.log");
    let out = dir.path().join("out.ndjson");
    append(&log, (0..3000).map(line));
    let fwd = Running::start(FILE_TO_FILE, dir.path()).await;
    eventually(30, "3000 lines delivered", || ids(&out).len() == 3000).await;
    fwd.stop().await;
    assert!(ids(&out).values().all(|&n| n == 1));

    // Lines written while it was down are read from the checkpoint on.
    append(&log, (3000..4000).map(line));
    let fwd = Running::start(FILE_TO_FILE, dir.path()).await;
    eventually(30, "4000 lines delivered", || ids(&out).len() == 4000).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    fwd.stop().await;
    let seen = ids(&out);
    assert_eq!(seen.len(), 4000);
    assert!(
        seen.values().all(|&n| n == 1),
        "a graceful restart repeats nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rename_rotation_while_running_loses_and_repeats_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("logs")).unwrap();
    let log = dir.path().join("logs/app.log");
    let out = dir.path().join("out.ndjson");
    let fwd = Running::start(&FILE_TO_FILE.replace("app*.log", "app.log"), dir.path()).await;
    for round in 0..5u64 {
        append(&log, (round * 1000..round * 1000 + 600).map(line));
        // A file is found by polling: it must exist for a poll interval
        // (50 ms here) before it is renamed away to be seen at all.
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        // Rotate: rename away, a writer still appends to the old file
        // (it has not reopened yet), then a new file starts.
        let rotated = dir.path().join(format!("logs/app.log.{round}"));
        std::fs::rename(&log, &rotated).unwrap();
        append(&rotated, (round * 1000 + 600..round * 1000 + 700).map(line));
        append(&log, (round * 1000 + 700..round * 1000 + 1000).map(line));
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let res = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        while ids(&out).len() < 5000 {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    })
    .await;
    if res.is_err() {
        let seen = ids(&out);
        let missing: Vec<u64> = (0..5000).filter(|i| !seen.contains_key(i)).collect();
        panic!(
            "{} missing, e.g. {:?}",
            missing.len(),
            &missing[..missing.len().min(20)]
        );
    }
    // Rotated files are closed after `rotate_wait_ms` and leave the
    // checkpoint (it would otherwise grow with every rotation).
    let cp = dir.path().join("data/checkpoints/app.json");
    eventually(10, "one checkpoint entry", || {
        std::fs::read(&cp)
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .is_some_and(|v| v["files"].as_array().map(Vec::len) == Some(1))
    })
    .await;
    fwd.stop().await;
    let seen = ids(&out);
    assert!(seen.values().all(|&n| n == 1), "duplicates after rotation");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn copy_truncate_rotation_restarts_at_the_new_content() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("logs")).unwrap();
    let log = dir.path().join("logs/app.log");
    let out = dir.path().join("out.ndjson");
    append(&log, (0..500).map(line));
    let fwd = Running::start(FILE_TO_FILE, dir.path()).await;
    eventually(30, "first 500", || ids(&out).len() == 500).await;
    // copytruncate: copy (elsewhere), truncate in place, keep writing.
    std::fs::copy(&log, dir.path().join("copy.log")).unwrap();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&log)
        .unwrap()
        .set_len(0)
        .unwrap();
    append(&log, (500..520).map(line));
    eventually(30, "after truncation (shorter)", || ids(&out).len() == 520).await;
    // Truncate again and write past the old length before the next poll:
    // the changed head gives it away.
    std::fs::OpenOptions::new()
        .write(true)
        .open(&log)
        .unwrap()
        .set_len(0)
        .unwrap();
    append(&log, (600..1200).map(|i| format!("rewritten {}", line(i))));
    eventually(30, "after truncation (longer)", || ids(&out).len() == 1120).await;
    fwd.stop().await;
    assert!(ids(&out).values().all(|&n| n == 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn multiline_joins_stack_traces_and_huge_lines_become_placeholders() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("logs")).unwrap();
    let log = dir.path().join("logs/app.log");
    let out = dir.path().join("out.ndjson");
    let mut text = String::new();
    text.push_str("2026-11-29 ERROR failed for user7@example.com\n");
    text.push_str("java.lang.IllegalStateException: boom\n");
    text.push_str("    at com.example.Billing.charge(Billing.java:42)\n");
    text.push_str("    at com.example.Api.handle(Api.java:7)\n");
    text.push_str("2026-11-29 INFO next event\n");
    // A 10 MB line with a secret in it, then a normal line.
    text.push_str("2026-11-29 WARN ");
    text.push_str(&"x".repeat(5 << 20));
    text.push_str(&format!(" card={} ", card(9)));
    text.push_str(&"y".repeat(5 << 20));
    text.push('\n');
    text.push_str("2026-11-29 INFO after the huge line\n");
    std::fs::write(&log, text).unwrap();
    let config = FILE_TO_FILE.replace(
        "rotate_wait_ms = 300",
        "rotate_wait_ms = 300\nmultiline = { start_pattern = '^\\d{4}-', timeout_ms = 200 }",
    );
    let fwd = Running::start(&config, dir.path()).await;
    eventually(30, "4 events", || read_ndjson(&out).len() == 4).await;
    fwd.stop().await;
    let events = read_ndjson(&out);
    let msgs: Vec<&str> = events
        .iter()
        .map(|v| v["message"].as_str().unwrap())
        .collect();
    assert!(
        msgs[0].starts_with("2026-11-29 ERROR failed for [REDACTED:email]\njava.lang"),
        "{}",
        msgs[0]
    );
    assert!(msgs[0].ends_with("(Api.java:7)"));
    assert_eq!(msgs[1], "2026-11-29 INFO next event");
    assert_eq!(msgs[2], "[REDACTED:oversize-event]");
    assert_eq!(msgs[3], "2026-11-29 INFO after the huge line");
    assert!(std::fs::metadata(&out).unwrap().len() < 10_000);
}

const HTTP_TO_FILE: &str = r#"
data_dir = "{dir}/data"
[api]
address = "127.0.0.1:0"
[sources.ingest]
type = "http"
address = "127.0.0.1:{port}"
path = "/logs"
max_body_bytes = "64KiB"
[sinks.out]
type = "file"
inputs = ["ingest"]
path = "{dir}/out.ndjson"
batch = { max_events = 100, timeout_ms = 50 }
"#;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_source_accepts_ndjson_and_arrays_and_rejects_bad_bodies_whole() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.ndjson");
    let port = free_port();
    let fwd = Running::start(
        &HTTP_TO_FILE.replace("{port}", &port.to_string()),
        dir.path(),
    )
    .await;
    let url = format!("http://127.0.0.1:{port}/logs");
    let client = reqwest::Client::new();
    let post = |body: Vec<u8>, gzip: bool| {
        let mut rb = client.post(&url).body(body);
        if gzip {
            rb = rb.header("content-encoding", "gzip");
        }
        rb.send()
    };

    // NDJSON: objects field-aware, strings as text.
    let body = format!(
        "{{\"msg\":\"login\",\"password\":\"hunter2-fake\",\"email\":\"user1@example.com\"}}\n\"card {}\"\n",
        card(1)
    );
    let r = post(body.into_bytes(), false).await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.unwrap(), "{\"accepted\":2}");

    // A JSON array, gzip-encoded.
    let arr = format!(
        "[{{\"n\":1,\"token\":\"ghp_{}\"}},{{\"n\":2}}]",
        "a1B2".repeat(9)
    );
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(arr.as_bytes()).unwrap();
    let r = post(gz.finish().unwrap(), true).await.unwrap();
    assert_eq!(r.status(), 200);

    // One bad line rejects the whole request: nothing of it is delivered.
    let r = post(b"{\"n\":3}\n{not json\n".to_vec(), false)
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("line 2"));
    // Binary garbage.
    let r = post(vec![0xff, 0xfe, 0x00, 0x9c, b'\n'], false)
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    // Over the body limit (also after decompression: a gzip bomb).
    let r = post(vec![b' '; 70_000], false).await.unwrap();
    assert_eq!(r.status(), 413);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&vec![b' '; 1 << 20]).unwrap();
    let r = post(gz.finish().unwrap(), true).await.unwrap();
    assert_eq!(r.status(), 413);
    // Deep JSON is refused, not a crash.
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let r = post(deep.into_bytes(), false).await.unwrap();
    assert_eq!(r.status(), 400);

    eventually(10, "4 events", || read_ndjson(&out).len() == 4).await;
    let metrics = reqwest::get(format!(
        "http://{}/metrics",
        fwd.handle.api_address.unwrap()
    ))
    .await
    .unwrap()
    .text()
    .await
    .unwrap();
    let health = reqwest::get(format!("http://{}/health", fwd.handle.api_address.unwrap()))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    fwd.stop().await;
    let all = std::fs::read_to_string(&out).unwrap();
    for raw in ["hunter2-fake", "user1@example.com", &card(1), "a1B2a1B2"] {
        assert!(!all.contains(raw), "raw value delivered: {raw}\n{all}");
    }
    let events = read_ndjson(&out);
    assert_eq!(events[0]["msg"], "login", "JSON events keep their fields");
    assert_eq!(events[0]["source"], "ingest");
    assert!(events[1]["message"]
        .as_str()
        .unwrap()
        .starts_with("card [REDACTED:"));
    assert_eq!(events.len(), 4, "rejected requests deliver nothing");

    assert!(
        metrics.contains(
            "logscrub_events_in_total{component=\"ingest\",role=\"source\",type=\"http\"} 4"
        ),
        "{metrics}"
    );
    assert!(
        metrics.contains(
            "logscrub_errors_total{component=\"ingest\",role=\"source\",type=\"http\"} 5"
        ),
        "{metrics}"
    );
    assert!(
        metrics.contains("logscrub_redactions_total{rule=\"email\"}"),
        "{metrics}"
    );
    assert!(!metrics.contains("example.com"));
    assert_eq!(
        health,
        "{\"status\":\"ok\",\"sinks\":{\"out\":\"healthy\"}}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn socket_sources_read_tcp_and_unix_streams() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.ndjson");
    let port = free_port();
    let sock = dir.path().join("in.sock");
    let config = format!(
        r#"
data_dir = "{{dir}}/data"
[api]
enabled = false
[sources.tcp]
type = "socket"
mode = "tcp"
address = "127.0.0.1:{port}"
[sources.unix]
type = "socket"
mode = "unix"
address = "{}"
[sinks.out]
type = "file"
inputs = ["tcp", "unix"]
path = "{{dir}}/out.ndjson"
batch = {{ max_events = 100, timeout_ms = 50 }}
"#,
        sock.display()
    );
    let fwd = Running::start(&config, dir.path()).await;
    let mut tcp = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    let mut unix = tokio::net::UnixStream::connect(&sock).await.unwrap();
    use tokio::io::AsyncWriteExt;
    for i in 0..200 {
        tcp.write_all(format!("{}\n", line(i)).as_bytes())
            .await
            .unwrap();
        unix.write_all(format!("{}\n", line(1000 + i)).as_bytes())
            .await
            .unwrap();
    }
    // A last line without a newline is delivered when the client closes.
    tcp.write_all(line(5000).as_bytes()).await.unwrap();
    drop(tcp);
    drop(unix);
    eventually(10, "401 lines", || ids(&out).len() == 401).await;
    fwd.stop().await;
}

#[test]
fn config_errors_name_the_key_and_line() {
    use logscrub_forward::Config;
    let e = Config::from_toml(
        "[sources.a]\ntype = \"file\"\ninclude = [\"x\"]\n\n[sinks.b]\ntype = \"file\"\ninptus = [\"a\"]\npath = \"o\"\n",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("inptus") && e.contains("line"), "{e}");
    let e = Config::from_toml("[sources.a]\ntype = \"file\"\ninclude = [\"x\"]\nfollow = true\n[sinks.b]\ntype = \"console\"\ninputs = [\"a\"]\n")
        .unwrap_err()
        .to_string();
    assert!(e.contains("follow") && e.contains("line 1"), "{e}");
    let e = Config::from_toml(
        "[sources.a]\ntype = \"stdin\"\n[sinks.b]\ntype = \"console\"\ninputs = [\"nope\"]\n",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("`nope`, which is not a source"), "{e}");
    let e = Config::from_toml("[sources.a]\ntype = \"stdin\"\n[sinks.b]\ntype = \"file\"\ninputs = [\"a\"]\npath = \"o\"\ntls = { ca_file = \"ca.pem\" }\n")
        .unwrap_err()
        .to_string();
    assert!(e.contains("apply to network sinks"), "{e}");
    let e = Config::from_toml("[sources.a]\ntype = \"stdin\"\n[sinks.b]\ntype = \"http\"\ninputs = [\"a\"]\nuri = \"${LOGSCRUB_TEST_UNSET_VAR}\"\n")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("line 6") && e.contains("LOGSCRUB_TEST_UNSET_VAR"),
        "{e}"
    );
}

#[test]
fn credentials_never_show_in_debug_output_of_the_config() {
    let c = logscrub_forward::Config::from_toml(
        "[sources.a]\ntype = \"stdin\"\n[sinks.b]\ntype = \"http\"\ninputs = [\"a\"]\nuri = \"https://x.example\"\nheaders = { x-api-key = \"fake-key-value-123\" }\nauth = { strategy = \"bearer\", token = \"fake-token-value-456\" }\n",
    )
    .unwrap();
    let dbg = format!("{c:?}");
    assert!(!dbg.contains("fake-key-value-123") && !dbg.contains("fake-token-value-456"));
    assert!(dbg.contains("**REDACTED**"));
}

/// A file source feeding one `http` sink at `url`, with `extra` settings.
fn file_to_http(url: &str, extra: &str) -> String {
    format!(
        r#"
data_dir = "{{dir}}/data"
shutdown_timeout_secs = 1
[api]
enabled = false
[sources.app]
type = "file"
include = ["{{dir}}/logs/*.log"]
poll_interval_ms = 20
[sinks.out]
type = "http"
inputs = ["app"]
uri = "{url}/in"
request = {{ concurrency = 1, retry_initial_backoff_ms = 20, retry_max_backoff_secs = 1 }}
{extra}
"#
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drop_newest_keeps_sources_moving_and_counts_every_dropped_event() {
    let fake = crate::fake::Fake::start(|_| crate::fake::Answer::status(503)).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("logs")).unwrap();
    append(&dir.path().join("logs/app.log"), (0..5000).map(line));
    let fwd = Running::start(
        &file_to_http(
            &fake.url(),
            "batch = { max_events = 50, timeout_ms = 20 }\nbuffer = { max_events = 100, when_full = \"drop_newest\" }",
        ),
        dir.path(),
    )
    .await;
    // The sink never delivers, yet the source reads everything.
    eventually(20, "source read all", || {
        fwd.counter("app", |c| {
            c.events_out.load(std::sync::atomic::Ordering::Relaxed)
        }) == 5000
    })
    .await;
    let get = |f: fn(&logscrub_forward::metrics::Component) -> u64| fwd.counter("out", f);
    use std::sync::atomic::Ordering::Relaxed;
    let dropped = get(|c| c.events_dropped.load(Relaxed));
    let taken = get(|c| c.events_in.load(Relaxed));
    let queued = get(|c| c.queue_events.load(Relaxed) as u64);
    assert!(dropped > 4000, "dropped {dropped}");
    assert_eq!(dropped + taken + queued, 5000, "every event accounted for");
    assert_eq!(get(|c| c.events_out.load(Relaxed)), 0);
    fwd.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stop_with_an_undeliverable_sink_ends_at_the_deadline_and_keeps_the_checkpoint() {
    let fake = crate::fake::Fake::start(|_| crate::fake::Answer::status(503)).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("logs")).unwrap();
    append(&dir.path().join("logs/app.log"), (0..300).map(line));
    let fwd = Running::start(
        &file_to_http(&fake.url(), "batch = { max_events = 50, timeout_ms = 20 }"),
        dir.path(),
    )
    .await;
    eventually(10, "attempts", || fake.requests().len() >= 2).await;
    let t = std::time::Instant::now();
    fwd.stop().await;
    assert!(
        t.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        t.elapsed()
    );
    // Nothing was acknowledged: the checkpoint stays at 0, so the next
    // start sends everything again.
    let cp: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.path().join("data/checkpoints/app.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(cp["files"][0]["offset"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backpressure_holds_the_checkpoint_until_the_sink_recovers() {
    let fake = crate::fake::Fake::start(|_| crate::fake::Answer::status(200)).await;
    fake.script((0..6).map(|_| crate::fake::Answer::status(503)));
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("logs")).unwrap();
    let log = dir.path().join("logs/app.log");
    append(&log, (0..2000).map(line));
    let fwd = Running::start(
        &file_to_http(
            &fake.url(),
            "batch = { max_events = 100, timeout_ms = 20 }\nbuffer = { max_events = 200 }",
        ),
        dir.path(),
    )
    .await;
    eventually(20, "all delivered", || {
        let got: std::collections::HashSet<String> = fake
            .requests()
            .iter()
            .filter(|r| r.path_and_query == "/in")
            .flat_map(|r| {
                r.text()
                    .lines()
                    .filter_map(|l| l.find("id=").map(|p| l[p + 3..p + 9].to_owned()))
                    .collect::<Vec<_>>()
            })
            .collect();
        got.len() == 2000
    })
    .await;
    let size = std::fs::metadata(&log).unwrap().len();
    eventually(5, "checkpoint at the end", || {
        std::fs::read(dir.path().join("data/checkpoints/app.json"))
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .is_some_and(|v| v["files"][0]["offset"] == size)
    })
    .await;
    fwd.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn file_sink_rotates_by_size_without_losing_a_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("logs")).unwrap();
    append(&dir.path().join("logs/app.log"), (0..2000).map(line));
    let config = FILE_TO_FILE.replace(
        "path = \"{dir}/out.ndjson\"",
        "path = \"{dir}/out/app.ndjson\"\nmax_file_bytes = \"40KiB\"\nencoding = \"text\"",
    );
    let fwd = Running::start(&config, dir.path()).await;
    let out = dir.path().join("out");
    let read_all = || -> Vec<String> {
        std::fs::read_dir(&out)
            .map(|d| {
                d.flatten()
                    .flat_map(|e| {
                        std::fs::read_to_string(e.path())
                            .unwrap()
                            .lines()
                            .map(str::to_owned)
                            .collect::<Vec<_>>()
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    eventually(20, "2000 lines", || read_all().len() == 2000).await;
    fwd.stop().await;
    let files: Vec<_> = std::fs::read_dir(&out).unwrap().flatten().collect();
    assert!(files.len() > 3, "rotated into {} files", files.len());
    for f in &files {
        assert!(f.metadata().unwrap().len() <= 40 * 1024);
    }
    let mut ids: Vec<String> = read_all().iter().map(|l| l[3..9].to_owned()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(
        ids.len(),
        2000,
        "text encoding: one message per line, each once"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_source_waits_for_delivery_when_asked() {
    let fake = crate::fake::Fake::start(|_| crate::fake::Answer::status(200)).await;
    fake.script([
        crate::fake::Answer::status(503),
        crate::fake::Answer::status(503),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let config = http_ingest_waiting_for(&fake.url(), port, "");
    let fwd = Running::start(&config, dir.path()).await;
    let r = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/"))
        .body("{\"msg\":\"a\"}\n{\"msg\":\"b\"}\n")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // Answered only after the third attempt succeeded.
    assert_eq!(fake.requests().len(), 3);
    fwd.stop().await;
}

/// POSTs one NDJSON event to the http source on `port` (gives up after
/// 30 s, so a forwarder that never answers fails the test, not hangs it).
fn post_one(port: u16) -> impl std::future::Future<Output = reqwest::Result<reqwest::Response>> {
    reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/"))
        .timeout(std::time::Duration::from_secs(30))
        .body("{\"msg\":\"a\"}\n")
        .send()
}

fn http_ingest_waiting_for(url: &str, port: u16, extra: &str) -> String {
    format!(
        r#"
data_dir = "{{dir}}/data"
shutdown_timeout_secs = 1
[api]
enabled = false
[sources.ingest]
type = "http"
address = "127.0.0.1:{port}"
wait_for_delivery = true
[sinks.out]
type = "http"
inputs = ["ingest"]
uri = "{url}/in"
batch = {{ max_events = 10, timeout_ms = 20 }}
request = {{ retry_initial_backoff_ms = 50, retry_max_backoff_secs = 1 {extra} }}
"#
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_waiting_for_delivery_hears_503_when_the_stop_deadline_cuts_it_short() {
    let fake = crate::fake::Fake::start(|_| crate::fake::Answer::status(503)).await;
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let fwd = Running::start(&http_ingest_waiting_for(&fake.url(), port, ""), dir.path()).await;
    let post = tokio::spawn(post_one(port));
    eventually(10, "attempts", || fake.requests().len() >= 2).await;
    fwd.stop().await;
    let r = post.await.unwrap().unwrap();
    assert_eq!(r.status(), 503, "{:?}", r.text().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_waiting_for_delivery_hears_422_when_the_destination_refuses_for_good() {
    let fake = crate::fake::Fake::start(|_| crate::fake::Answer::status(400)).await;
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let fwd = Running::start(&http_ingest_waiting_for(&fake.url(), port, ""), dir.path()).await;
    let r = post_one(port).await.unwrap();
    assert_eq!(r.status(), 422);
    // Out of attempts is as final as a refusal.
    let fake = crate::fake::Fake::start(|_| crate::fake::Answer::status(503)).await;
    fwd.stop().await;
    let port = free_port();
    let fwd = Running::start(
        &http_ingest_waiting_for(&fake.url(), port, ", retry_attempts = 2"),
        dir.path(),
    )
    .await;
    let r = post_one(port).await.unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(fake.requests().len(), 2);
    fwd.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binary_garbage_in_a_file_is_delivered_as_text_and_still_scanned() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("logs")).unwrap();
    let mut bytes: Vec<u8> = Vec::new();
    for i in 0..256u32 {
        // Every byte value, NULs and invalid UTF-8 included, around a secret.
        bytes.extend_from_slice(&[i as u8, 0xff, 0x00, 0xc3]);
        bytes.extend_from_slice(format!(" user{i}@example.com \x01\x7f").as_bytes());
        bytes.push(b'\n');
    }
    std::fs::write(dir.path().join("logs/app.log"), &bytes).unwrap();
    let out = dir.path().join("out.ndjson");
    let fwd = Running::start(FILE_TO_FILE, dir.path()).await;
    // 256 lines, one of which (byte 0x0a) splits into two.
    eventually(10, "257 events", || read_ndjson(&out).len() == 257).await;
    fwd.stop().await;
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(!text.contains("@example.com"));
    assert_eq!(text.matches("[REDACTED:email]").count(), 256);
}
