//! The encrypted disk buffer: nothing readable at rest, nothing lost
//! across restarts, damage counted and skipped.

use std::path::Path;
use std::sync::atomic::Ordering::Relaxed;

use crate::fake::{Answer, Fake};
use crate::support::{eventually, Running};

/// A file source into an `http` sink at `url` through a disk buffer
/// encrypted with the keyring in `{dir}/keys`.
fn config(url: &str, extra: &str) -> String {
    format!(
        r#"
data_dir = "{{dir}}/data"
shutdown_timeout_secs = 1
[api]
enabled = false
[keys.main]
dir = "{{dir}}/keys"
[sources.app]
type = "file"
include = ["{{dir}}/logs/*.log"]
poll_interval_ms = 20
[sinks.out]
type = "http"
inputs = ["app"]
uri = "{url}/in"
batch = {{ max_events = 200, timeout_ms = 20 }}
buffer = {{ type = "disk", key = "main", max_size = "64MiB" {extra} }}
request = {{ concurrency = 1, retry_initial_backoff_ms = 20, retry_max_backoff_secs = 1 }}
"#
    )
}

fn marker(i: u64) -> String {
    format!("CANARY{i:06}ZQXJ")
}

fn write_log(dir: &Path, from: u64, to: u64) {
    use std::io::Write;
    std::fs::create_dir_all(dir.join("logs")).unwrap();
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("logs/app.log"))
        .unwrap();
    let mut s = String::new();
    for i in from..to {
        s.push_str(&format!("event {} status=ok region=eu-west-1\n", marker(i)));
    }
    f.write_all(s.as_bytes()).unwrap();
}

fn received(fake: &Fake) -> std::collections::HashMap<u64, usize> {
    let mut m = std::collections::HashMap::new();
    for r in fake.requests() {
        let t = r.text();
        let mut rest = t.as_str();
        while let Some(p) = rest.find("CANARY") {
            if let Ok(i) = rest[p + 6..p + 12].parse::<u64>() {
                *m.entry(i).or_default() += 1;
            }
            rest = &rest[p + 6..];
        }
    }
    m
}

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn keygen(dir: &Path) {
    logscrub_forward::keys::generate(&dir.join("keys")).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_file_under_the_data_dir_holds_a_canary_while_events_wait_on_disk() {
    let fake = Fake::start(|_| Answer::status(503)).await;
    let dir = tempfile::tempdir().unwrap();
    keygen(dir.path());
    write_log(dir.path(), 0, 3000);
    let fwd = Running::start(&config(&fake.url(), ""), dir.path()).await;
    // The source moves on once the buffer has the events: its checkpoint
    // reaches the end of the file while the sink delivers nothing.
    let size = std::fs::metadata(dir.path().join("logs/app.log"))
        .unwrap()
        .len();
    eventually(20, "checkpoint at the end", || {
        std::fs::read(dir.path().join("data/checkpoints/app.json"))
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .is_some_and(|v| v["files"][0]["offset"] == size)
    })
    .await;
    // The destination answers only 503: nothing was delivered, so every
    // event is still on disk when the files are searched.
    assert_eq!(fwd.counter("out", |c| c.events_out.load(Relaxed)), 0);
    // Nothing under the data directory contains a marker, a fragment of
    // one, or its base64 / hex forms.
    let mut needles: Vec<Vec<u8>> = Vec::new();
    for i in [0u64, 1, 1500, 2999] {
        let m = marker(i);
        needles.push(m.as_bytes().to_vec());
        needles.push(m.as_bytes()[4..].to_vec());
        needles.push(b"ZQXJ".to_vec());
        use base64::Engine as _;
        needles.push(
            base64::engine::general_purpose::STANDARD
                .encode(&m)
                .into_bytes()[..12]
                .to_vec(),
        );
        needles.push(
            m.bytes()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
                .into_bytes(),
        );
    }
    needles.push(b"status=ok".to_vec());
    needles.push(b"eu-west-1".to_vec());
    let all = files(&dir.path().join("data"));
    assert!(
        all.iter().any(|p| p.to_string_lossy().contains("seg-")),
        "{all:?}"
    );
    for p in &all {
        let bytes = std::fs::read(p).unwrap();
        for n in &needles {
            assert!(
                memchr::memmem::find(&bytes, n).is_none(),
                "{} contains {:?}",
                p.display(),
                String::from_utf8_lossy(n)
            );
        }
    }
    fwd.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn buffered_events_survive_a_restart_and_are_delivered_once_the_sink_recovers() {
    let down = Fake::start(|_| Answer::status(503)).await;
    let dir = tempfile::tempdir().unwrap();
    keygen(dir.path());
    write_log(dir.path(), 0, 5000);
    let cfg = config(&down.url(), "");
    let fwd = Running::start(&cfg, dir.path()).await;
    eventually(20, "all buffered", || {
        fwd.counter("app", |c| c.events_out.load(Relaxed)) == 5000
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    fwd.stop().await;
    // A new destination, the same data directory.
    let up = Fake::start(|_| Answer::status(200)).await;
    let fwd = Running::start(&config(&up.url(), ""), dir.path()).await;
    eventually(20, "all delivered", || received(&up).len() == 5000).await;
    // Delivered segments are deleted.
    eventually(10, "buffer emptied", || {
        !files(&dir.path().join("data/buffers/out")).iter().any(|p| {
            p.to_string_lossy().contains("seg-")
                && std::fs::metadata(p).map_or(0, |m| m.len()) > 200
        })
    })
    .await;
    fwd.stop().await;
    let dups: usize = received(&up).values().map(|n| n - 1).sum();
    assert_eq!(dups, 0, "graceful restarts repeat nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flipped_bytes_and_a_truncated_segment_are_counted_and_everything_intact_is_delivered() {
    let down = Fake::start(|_| Answer::status(503)).await;
    let dir = tempfile::tempdir().unwrap();
    keygen(dir.path());
    // Two runs: two segments.
    write_log(dir.path(), 0, 2000);
    let fwd = Running::start(&config(&down.url(), ""), dir.path()).await;
    eventually(20, "first half buffered", || {
        fwd.counter("app", |c| c.events_out.load(Relaxed)) == 2000
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    fwd.stop().await;
    write_log(dir.path(), 2000, 4000);
    let fwd = Running::start(&config(&down.url(), ""), dir.path()).await;
    eventually(20, "second half buffered", || {
        fwd.counter("app", |c| c.events_out.load(Relaxed)) == 2000
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    fwd.stop().await;
    let segs = logscrub_forward::buffer::segments(&dir.path().join("data/buffers/out"));
    assert_eq!(segs.len(), 2, "{segs:?}");
    // Flip a byte in the middle of the first, cut the end of the second.
    let mut a = std::fs::read(&segs[0].1).unwrap();
    let mid = a.len() / 2;
    a[mid] ^= 0x55;
    std::fs::write(&segs[0].1, &a).unwrap();
    let b = std::fs::read(&segs[1].1).unwrap();
    std::fs::write(&segs[1].1, &b[..b.len() - 37]).unwrap();

    // What is still readable, as `logscrub buffer verify` sees it.
    let cfg = logscrub_forward::Config::from_toml(
        &config("http://127.0.0.1:1", "").replace("{dir}", &dir.path().display().to_string()),
    )
    .unwrap();
    let rings = logscrub_forward::load_keyrings(&cfg).unwrap();
    let report = logscrub_forward::buffer::verify(&dir.path().join("data/buffers/out"), &rings);
    let readable: u64 = report.iter().map(|r| r.events).sum();
    let damaged: u64 = report.iter().map(|r| r.corrupt).sum();
    assert_eq!(damaged, 2, "{report:?}");
    assert!((4000 - 2 * 512..4000).contains(&readable), "{report:?}");

    let up = Fake::start(|_| Answer::status(200)).await;
    let fwd = Running::start(&config(&up.url(), ""), dir.path()).await;
    eventually(20, "every readable event delivered", || {
        received(&up).len() as u64 == readable
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let errors = fwd.counter("out", |c| c.errors.load(Relaxed));
    fwd.stop().await;
    // Start-up went on; the damage (two spans, each losing its block)
    // was counted; every intact block was delivered exactly once.
    assert_eq!(received(&up).len() as u64, readable);
    assert!(received(&up).values().all(|&n| n == 1));
    assert!(errors >= 2, "damage counted: {errors}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undelivered_data_past_retention_is_deleted_and_counted() {
    let down = Fake::start(|_| Answer::status(503)).await;
    let dir = tempfile::tempdir().unwrap();
    keygen(dir.path());
    write_log(dir.path(), 0, 1000);
    let fwd = Running::start(&config(&down.url(), ", retention_secs = 2"), dir.path()).await;
    eventually(20, "buffered", || {
        fwd.counter("app", |c| c.events_out.load(Relaxed)) == 1000
    })
    .await;
    // Sealed after half the retention, deleted once past it.
    eventually(15, "segment deleted", || {
        logscrub_forward::buffer::segments(&dir.path().join("data/buffers/out")).is_empty()
    })
    .await;
    // Counted: what was in the segment and not delivered (the sink is
    // down; the reader may hold up to one queue of it in memory).
    let dropped = fwd.counter("out", |c| c.events_dropped.load(Relaxed));
    fwd.stop().await;
    assert_eq!(dropped, 1000, "every undelivered event counted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stop_does_not_wait_for_a_destination_that_is_down_and_the_buffer_keeps_everything() {
    let down = Fake::start(|_| Answer::status(503)).await;
    let dir = tempfile::tempdir().unwrap();
    keygen(dir.path());
    write_log(dir.path(), 0, 3000);
    let cfg =
        config(&down.url(), "").replace("shutdown_timeout_secs = 1", "shutdown_timeout_secs = 60");
    let fwd = Running::start(&cfg, dir.path()).await;
    eventually(20, "all buffered", || {
        fwd.counter("app", |c| c.events_out.load(Relaxed)) == 3000
    })
    .await;
    eventually(10, "attempts", || down.requests().len() >= 2).await;
    let t = std::time::Instant::now();
    fwd.stop().await;
    // The buffer covers the destination: no waiting for the deadline.
    assert!(
        t.elapsed() < std::time::Duration::from_secs(10),
        "{:?}",
        t.elapsed()
    );
    let up = Fake::start(|_| Answer::status(200)).await;
    let fwd = Running::start(&config(&up.url(), ""), dir.path()).await;
    eventually(20, "all delivered", || received(&up).len() == 3000).await;
    fwd.stop().await;
    assert!(received(&up).values().all(|&n| n == 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batches_in_flight_at_the_stop_deadline_stay_in_the_buffer() {
    // A destination that takes connections and never answers: no attempt
    // fails before the deadline, so the sink is aborted with its batch
    // in flight and the rest of the buffer queued in memory.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = accepted.clone();
    let hang = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = listener.accept().await {
            seen.fetch_add(1, Relaxed);
            held.push(s);
        }
    });
    let dir = tempfile::tempdir().unwrap();
    keygen(dir.path());
    write_log(dir.path(), 0, 3000);
    let cfg = config(&format!("http://{addr}"), "").replace(
        "retry_max_backoff_secs = 1 }",
        "retry_max_backoff_secs = 1, timeout_secs = 120 }",
    );
    let fwd = Running::start(&cfg, dir.path()).await;
    eventually(20, "all buffered", || {
        fwd.counter("app", |c| c.events_out.load(Relaxed)) == 3000
    })
    .await;
    eventually(10, "a request in flight", || accepted.load(Relaxed) >= 1).await;
    fwd.stop().await;
    hang.abort();
    // Aborted batches were not delivered: none of them may count as such.
    let up = Fake::start(|_| Answer::status(200)).await;
    let fwd = Running::start(&config(&up.url(), ""), dir.path()).await;
    eventually(20, "all delivered", || received(&up).len() == 3000).await;
    fwd.stop().await;
}
