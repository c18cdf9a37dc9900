//! Sinks end to end: a forwarder in this process reads a file of fake
//! records (Luhn-valid `4111...` test card numbers, `@example.com`
//! addresses), redacts them and delivers them to a `fake::Fake` recording
//! server, which also injects faults (5xx, 429 with `Retry-After`, 4xx,
//! nothing listening).
//!
//! Loki, Elasticsearch, Splunk HEC and Datadog have no server available
//! here: their sinks are tested against the request shapes and responses
//! each product documents (Loki push API, Elasticsearch bulk API and its
//! per-item statuses, HEC event endpoint, Datadog logs intake v2), not
//! against the real thing.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::fake::{Answer, Fake, Request};
use crate::support::{card, eventually, Running};

/// The forwarder configuration: one `file` source (`app`) reading
/// `{dir}/in/*.log`, the sinks given, no API listener.
fn config(sinks: &str) -> String {
    format!(
        r#"
data_dir = "{{dir}}/data"
shutdown_timeout_secs = 10

[api]
enabled = false

[sources.app]
type = "file"
include = ["{{dir}}/in/*.log"]
poll_interval_ms = 20

{sinks}
"#
    )
}

/// Writes `lines` as `{dir}/in/app.log` in one step (written aside, then
/// renamed, so the tailer never sees half of it).
fn write_input(dir: &Path, lines: impl IntoIterator<Item = String>) {
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    let mut text = String::new();
    for l in lines {
        text.push_str(&l);
        text.push('\n');
    }
    let tmp = input.join("app.tmp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, input.join("app.log")).unwrap();
}

/// The fake address of record `i`.
fn email(i: usize) -> String {
    format!("user{i:05}@example.com")
}

/// The marker that identifies record `i` in whatever a sink sends.
fn id(i: usize) -> String {
    format!("evt-{i:05}")
}

/// A text line holding a card number and an email address.
fn text_line(i: usize) -> String {
    format!(
        "{} charge ok card={} email={} amount=12.00",
        id(i),
        card(i as u64),
        email(i)
    )
}

fn text_lines(n: usize) -> Vec<String> {
    (0..n).map(text_line).collect()
}

/// Record markers found in `text`, in order.
fn ids_in(text: &str) -> Vec<usize> {
    text.match_indices("evt-")
        .filter_map(|(at, _)| {
            let digits = text.get(at + 4..at + 9)?;
            digits
                .bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| digits.parse().ok())
                .flatten()
        })
        .collect()
}

/// Sorted markers of every request in `reqs`.
fn all_ids<'a>(reqs: impl IntoIterator<Item = &'a Request>) -> Vec<usize> {
    let mut ids: Vec<usize> = reqs.into_iter().flat_map(|r| ids_in(&r.text())).collect();
    ids.sort_unstable();
    ids
}

/// Requests with this method and path.
fn to(fake: &Fake, method: &str, path: &str) -> Vec<Request> {
    fake.requests()
        .into_iter()
        .filter(|r| r.method == method && r.path_and_query == path)
        .collect()
}

/// Fails if any raw card number or address of records `0..n` is in `body`.
fn assert_no_raw_pii(body: &str, n: usize) {
    for i in 0..n {
        assert!(
            !body.contains(&card(i as u64)),
            "raw card number of record {i} was sent"
        );
        assert!(
            !body.contains(&email(i)),
            "raw address of record {i} was sent"
        );
    }
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

fn healthy(run: &Running, sink: &str) -> bool {
    run.counter(sink, |c| u64::from(c.healthy.load(Relaxed))) == 1
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_sink_delivers_every_event_once_redacted_as_ndjson_gzip_and_json_array() {
    const N: usize = 300;
    let dir = tempfile::tempdir().unwrap();
    let nd = Fake::start(|_| Answer::status(200)).await;
    let arr = Fake::start(|_| Answer::status(204)).await;
    write_input(dir.path(), text_lines(N));
    let sinks = format!(
        r#"
[sinks.nd]
type = "http"
inputs = ["app"]
uri = "{nd}/ingest"
encoding = "ndjson"
compression = "gzip"
headers = {{ "X-Logscrub-Test" = "fixture-a" }}
auth = {{ strategy = "bearer", token = "test-token-not-real" }}
batch = {{ max_events = 64, timeout_ms = 100 }}

[sinks.arr]
type = "http"
inputs = ["app"]
uri = "{arr}/bulk"
method = "put"
encoding = "json_array"
headers = {{ "X-Logscrub-Test" = "fixture-b" }}
auth = {{ strategy = "basic", user = "fwd", password = "not-a-real-password" }}
batch = {{ max_events = 64, timeout_ms = 100 }}
"#,
        nd = nd.url(),
        arr = arr.url(),
    );
    let run = Running::start(&config(&sinks), dir.path()).await;
    eventually(20, "every event at both endpoints", || {
        all_ids(&nd.requests()).len() >= N && all_ids(&arr.requests()).len() >= N
    })
    .await;
    run.stop().await;

    let want: Vec<usize> = (0..N).collect();
    // NDJSON, gzip, bearer token, custom header.
    let reqs = nd.requests();
    assert!(
        reqs.len() >= N / 64,
        "batches of 64: {} requests",
        reqs.len()
    );
    for r in &reqs {
        assert_eq!(
            (r.method.as_str(), r.path_and_query.as_str()),
            ("POST", "/ingest")
        );
        assert_eq!(r.header("content-type"), Some("application/x-ndjson"));
        assert_eq!(r.header("content-encoding"), Some("gzip"));
        assert_eq!(
            r.header("authorization"),
            Some("Bearer test-token-not-real")
        );
        assert_eq!(r.header("x-logscrub-test"), Some("fixture-a"));
        let text = r.text();
        assert!(text.ends_with('\n'), "every NDJSON line is ended");
        for line in text.lines() {
            let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
            let msg = v["message"].as_str().expect("message");
            assert_eq!(v["source"], "app");
            assert!(v["timestamp"].is_string());
            assert!(msg.contains("card=[REDACTED:"), "{msg}");
            assert!(msg.contains("email=[REDACTED:"), "{msg}");
        }
        assert_no_raw_pii(&text, N);
    }
    assert_eq!(all_ids(&reqs), want, "each event exactly once (ndjson)");

    // JSON array, PUT, basic auth, custom header, no compression.
    let reqs = arr.requests();
    for r in &reqs {
        assert_eq!(
            (r.method.as_str(), r.path_and_query.as_str()),
            ("PUT", "/bulk")
        );
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_eq!(r.header("content-encoding"), None);
        assert_eq!(
            r.header("authorization"),
            Some("Basic ZndkOm5vdC1hLXJlYWwtcGFzc3dvcmQ=")
        );
        assert_eq!(r.header("x-logscrub-test"), Some("fixture-b"));
        let v: Value = serde_json::from_slice(&r.body).expect("one JSON array");
        let records = v.as_array().expect("array");
        assert!(!records.is_empty() && records.len() <= 64);
        for rec in records {
            let msg = rec["message"].as_str().expect("message");
            assert!(msg.contains("[REDACTED:"), "{msg}");
        }
        assert_no_raw_pii(&r.text(), N);
    }
    assert_eq!(all_ids(&reqs), want, "each event exactly once (json_array)");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_sink_retries_5xx_and_429_honouring_retry_after_and_loses_nothing() {
    const N: usize = 2_000;
    const FAIL_500: usize = 4;
    const FAIL_429: usize = 2;

    #[derive(Default)]
    struct Seen {
        n: usize,
        accepted: Vec<String>,
        /// Body answered 429 -> when.
        throttled: HashMap<String, Instant>,
        /// Time from a 429 to the same batch's next attempt.
        gaps: Vec<Duration>,
    }
    let seen = Arc::new(Mutex::new(Seen::default()));
    let s = seen.clone();
    let fake = Fake::start(move |r| {
        let mut s = s.lock().unwrap();
        let body = r.text();
        if let Some(at) = s.throttled.remove(&body) {
            s.gaps.push(at.elapsed());
        }
        s.n += 1;
        if s.n <= FAIL_500 {
            Answer::status(500).body("internal error (injected)")
        } else if s.n <= FAIL_500 + FAIL_429 {
            s.throttled.insert(body, Instant::now());
            Answer::status(429).header("Retry-After", "1")
        } else {
            s.accepted.push(body);
            Answer::status(200)
        }
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    write_input(dir.path(), text_lines(N));
    let sinks = format!(
        r#"
[sinks.out]
type = "http"
inputs = ["app"]
uri = "{}/ingest"
batch = {{ max_events = 200, timeout_ms = 100 }}
request = {{ retry_initial_backoff_ms = 20, retry_max_backoff_secs = 1 }}
"#,
        fake.url()
    );
    let run = Running::start(&config(&sinks), dir.path()).await;
    let accepted_ids = || {
        let s = seen.lock().unwrap();
        let mut ids: Vec<usize> = s.accepted.iter().flat_map(|b| ids_in(b)).collect();
        ids.sort_unstable();
        ids
    };
    eventually(30, "every event accepted", || {
        accepted_ids().into_iter().collect::<BTreeSet<_>>().len() == N
    })
    .await;
    // The sink counts a batch once its 200 is read, a moment after the
    // server has it: wait for that too.
    eventually(10, "every accepted event counted", || {
        run.counter("out", |c| c.events_out.load(Relaxed)) >= N as u64
    })
    .await;
    let errors = run.counter("out", |c| c.errors.load(Relaxed));
    let delivered = run.counter("out", |c| c.events_out.load(Relaxed));
    run.stop().await;

    let ids = accepted_ids();
    assert!(ids.len() >= N, "at least once");
    let unique: Vec<usize> = ids
        .iter()
        .copied()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(
        unique,
        (0..N).collect::<Vec<_>>(),
        "exactly once deduplicated"
    );
    let s = seen.lock().unwrap();
    assert!(
        fake.requests().len() >= s.accepted.len() + FAIL_500 + FAIL_429,
        "failed requests were retried: {} requests, {} accepted",
        fake.requests().len(),
        s.accepted.len()
    );
    assert!(
        errors >= (FAIL_500 + FAIL_429) as u64,
        "each failed attempt counted: {errors}"
    );
    assert_eq!(delivered, N as u64, "events_out counts each event once");
    assert_eq!(
        s.gaps.len(),
        FAIL_429,
        "every throttled batch was sent again"
    );
    for g in &s.gaps {
        assert!(
            *g >= Duration::from_millis(950),
            "Retry-After: 1 honoured, but the batch came back after {g:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_sink_down_at_start_is_unhealthy_then_delivers_everything_once_it_is_up() {
    const N: usize = 200;
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("in")).unwrap();
    let sinks = format!(
        r#"
[sinks.out]
type = "http"
inputs = ["app"]
uri = "http://127.0.0.1:{port}/ingest"
healthcheck_uri = "http://127.0.0.1:{port}/health"
batch = {{ max_events = 50, timeout_ms = 100 }}
request = {{ retry_initial_backoff_ms = 20, retry_max_backoff_secs = 1 }}
"#
    );
    let run = Running::start(&config(&sinks), dir.path()).await;
    // No input yet: only the health check can have found the sink down.
    eventually(10, "sink reported unhealthy", || !healthy(&run, "out")).await;
    assert_eq!(run.counter("out", |c| c.errors.load(Relaxed)), 0);

    write_input(dir.path(), text_lines(N));
    eventually(10, "delivery attempts failing", || {
        run.counter("out", |c| c.errors.load(Relaxed)) > 0
    })
    .await;
    assert_eq!(run.counter("out", |c| c.events_out.load(Relaxed)), 0);

    let fake = Fake::start_on(&format!("127.0.0.1:{port}"), |_| Answer::status(200)).await;
    eventually(20, "every event delivered", || {
        all_ids(&to(&fake, "POST", "/ingest")).len() >= N
    })
    .await;
    eventually(5, "sink healthy again", || healthy(&run, "out")).await;
    run.stop().await;
    assert_eq!(
        all_ids(&to(&fake, "POST", "/ingest")),
        (0..N).collect::<Vec<_>>()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_sink_drops_and_counts_a_batch_answered_400_and_delivers_later_batches() {
    const N: usize = 300;
    let dir = tempfile::tempdir().unwrap();
    let fake = Fake::start(|_| Answer::status(200)).await;
    fake.script([Answer::status(400).body(r#"{"error":"bad request (injected)"}"#)]);
    write_input(dir.path(), text_lines(N));
    let sinks = format!(
        r#"
[sinks.out]
type = "http"
inputs = ["app"]
uri = "{}/ingest"
batch = {{ max_events = 100, timeout_ms = 100 }}
request = {{ concurrency = 1, retry_initial_backoff_ms = 20, retry_max_backoff_secs = 1 }}
"#,
        fake.url()
    );
    let run = Running::start(&config(&sinks), dir.path()).await;
    eventually(20, "every event delivered or dropped", || {
        run.counter("out", |c| {
            c.events_out.load(Relaxed) + c.events_dropped.load(Relaxed)
        }) >= N as u64
    })
    .await;
    // Time for retries of the refused batch, were there any.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let dropped = run.counter("out", |c| c.events_dropped.load(Relaxed));
    let delivered = run.counter("out", |c| c.events_out.load(Relaxed));
    let errors = run.counter("out", |c| c.errors.load(Relaxed));
    run.stop().await;

    let reqs = fake.requests();
    assert_eq!(
        reqs.len(),
        3,
        "three batches, the refused one never sent again"
    );
    let refused = all_ids(&reqs[..1]);
    let accepted = all_ids(&reqs[1..]);
    assert_eq!(refused.len(), 100);
    assert_eq!((dropped, delivered, errors), (100, 200, 1));
    let mut every: Vec<usize> = refused.iter().chain(&accepted).copied().collect();
    every.sort_unstable();
    assert_eq!(every, (0..N).collect::<Vec<_>>(), "later batches delivered");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn loki_sink_pushes_streams_by_label_and_never_labels_a_redacted_value() {
    const N: usize = 120;
    let dir = tempfile::tempdir().unwrap();
    let fake = Fake::start(|r| match r.path_and_query.as_str() {
        "/ready" => Answer::status(200).body("ready"),
        _ => Answer::status(204),
    })
    .await;
    let level = |i: usize| if i % 3 == 0 { "error" } else { "info" };
    write_input(
        dir.path(),
        (0..N).map(|i| {
            // Even records: the owner is an address (redacted by the
            // engine); odd: a service account name, fine as a label (under
            // `owner`: a `user` field is a user name, personal data).
            let user = if i % 2 == 0 {
                email(i)
            } else {
                "svc-batch".into()
            };
            serde_json::json!({"level": level(i), "owner": user, "msg": format!("login ok {}", id(i))})
                .to_string()
        }),
    );
    let sinks = format!(
        r#"
[sinks.loki]
type = "loki"
inputs = ["app"]
endpoint = "{}"
tenant_id = "tenant-test"
labels = {{ env = "test" }}
label_fields = ["level", "owner"]
batch = {{ max_events = 40, timeout_ms = 100 }}
"#,
        fake.url()
    );
    let run = Running::start(&config(&sinks), dir.path()).await;
    eventually(20, "every event pushed", || {
        all_ids(&to(&fake, "POST", "/loki/api/v1/push")).len() >= N
    })
    .await;
    run.stop().await;

    let pushes = to(&fake, "POST", "/loki/api/v1/push");
    assert_eq!(all_ids(&pushes), (0..N).collect::<Vec<_>>());
    let now_ns = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let mut user_labels = BTreeSet::new();
    for r in &pushes {
        assert_eq!(r.header("x-scope-orgid"), Some("tenant-test"));
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_no_raw_pii(&r.text(), N);
        let body: Value = serde_json::from_slice(&r.body).expect("JSON body");
        let streams = body["streams"].as_array().expect("streams");
        assert!(!streams.is_empty());
        for s in streams {
            let labels: BTreeMap<String, String> =
                serde_json::from_value(s["stream"].clone()).expect("labels are strings");
            assert_eq!(labels.get("env").map(String::as_str), Some("test"));
            assert_eq!(labels.get("source").map(String::as_str), Some("app"));
            let lv = labels.get("level").expect("level is a label");
            if let Some(u) = labels.get("owner") {
                assert!(
                    !u.contains('@') && !u.contains("REDACTED"),
                    "user label made of a redacted value: {u}"
                );
                user_labels.insert(u.clone());
            }
            let values = s["values"].as_array().expect("values");
            assert!(!values.is_empty());
            let mut last = 0u128;
            for v in values {
                let pair = v.as_array().expect("[ts, line]");
                assert_eq!(pair.len(), 2);
                let ns: u128 = pair[0].as_str().expect("ts string").parse().unwrap();
                assert!(ns <= now_ns && now_ns - ns < 600_000_000_000, "ns: {ns}");
                assert!(ns >= last, "values of a stream in time order");
                last = ns;
                let line: Value =
                    serde_json::from_str(pair[1].as_str().expect("line string")).unwrap();
                let i = ids_in(line["msg"].as_str().unwrap())[0];
                assert_eq!(lv, level(i), "record {i} in the stream of its level");
                if i % 2 == 0 {
                    assert_eq!(line["owner"], "[REDACTED:email]");
                    assert!(!labels.contains_key("owner"), "record {i}: {labels:?}");
                } else {
                    assert_eq!(labels.get("owner").map(String::as_str), Some("svc-batch"));
                }
            }
        }
    }
    assert_eq!(
        user_labels.into_iter().collect::<Vec<_>>(),
        ["svc-batch"],
        "a plain value still becomes a label"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn elasticsearch_sink_resends_only_429_items_and_drops_400_items() {
    const N: usize = 10;
    let bulks = Arc::new(AtomicUsize::new(0));
    let b = bulks.clone();
    let fake = Fake::start(move |r| {
        if r.path_and_query != "/_bulk" {
            return Answer::status(200).body(r#"{"version":{"number":"8.13.0"}}"#);
        }
        let n = r.text().lines().count() / 2;
        let items: Vec<Value> = (0..n)
            .map(|i| {
                let status = match (b.load(Ordering::SeqCst), i) {
                    (0, 2 | 5) => 429,
                    (0, 3 | 7) => 400,
                    _ => 201,
                };
                let mut item = serde_json::json!({"_index": "logs-test", "status": status});
                if status == 429 {
                    item["error"] = serde_json::json!({"type": "es_rejected_execution_exception"});
                } else if status == 400 {
                    item["error"] = serde_json::json!({"type": "mapper_parsing_exception"});
                }
                serde_json::json!({ "index": item })
            })
            .collect();
        let errors = b.fetch_add(1, Ordering::SeqCst) == 0;
        Answer::status(200)
            .header("content-type", "application/json")
            .body(serde_json::json!({"took": 3, "errors": errors, "items": items}).to_string())
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    write_input(dir.path(), text_lines(N));
    let sinks = format!(
        r#"
[sinks.es]
type = "elasticsearch"
inputs = ["app"]
endpoint = "{}"
index = "logs-test"
api_key = "dGVzdC1pZDpub3QtYS1yZWFsLWtleQ=="
batch = {{ max_events = {N}, timeout_ms = 500 }}
request = {{ concurrency = 1, retry_initial_backoff_ms = 20, retry_max_backoff_secs = 1 }}
"#,
        fake.url()
    );
    let run = Running::start(&config(&sinks), dir.path()).await;
    eventually(20, "delivered or dropped", || {
        run.counter("es", |c| {
            c.events_out.load(Relaxed) + c.events_dropped.load(Relaxed)
        }) >= N as u64
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let dropped = run.counter("es", |c| c.events_dropped.load(Relaxed));
    let delivered = run.counter("es", |c| c.events_out.load(Relaxed));
    run.stop().await;

    let reqs = to(&fake, "POST", "/_bulk");
    assert_eq!(reqs.len(), 2, "one bulk, then one with the 429 items");
    let docs = |r: &Request| -> Vec<Value> {
        let text = r.text();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len() % 2, 0, "action and document lines");
        lines
            .chunks(2)
            .map(|pair| {
                let action: Value = serde_json::from_str(pair[0]).unwrap();
                assert_eq!(
                    action,
                    serde_json::json!({"index": {"_index": "logs-test"}})
                );
                serde_json::from_str(pair[1]).unwrap()
            })
            .collect()
    };
    for r in &reqs {
        assert_eq!(
            r.header("authorization"),
            Some("ApiKey dGVzdC1pZDpub3QtYS1yZWFsLWtleQ==")
        );
        assert_eq!(r.header("content-type"), Some("application/x-ndjson"));
        assert!(r.body.ends_with(b"\n"), "bulk body ends with a newline");
        assert_no_raw_pii(&r.text(), N);
    }
    let first = docs(&reqs[0]);
    assert_eq!(first.len(), N, "the whole batch in one bulk request");
    let first_ids: Vec<usize> = first
        .iter()
        .map(|d| ids_in(d["message"].as_str().unwrap())[0])
        .collect();
    let second_ids: Vec<usize> = docs(&reqs[1])
        .iter()
        .map(|d| ids_in(d["message"].as_str().unwrap())[0])
        .collect();
    assert_eq!(
        second_ids,
        vec![first_ids[2], first_ids[5]],
        "exactly the 429 items again"
    );
    assert_eq!(dropped, 2, "the 400 items are dropped and counted");
    assert_eq!(delivered, (N - 2) as u64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn splunk_hec_sink_sends_event_objects_with_the_file_token_and_retries_503() {
    const N: usize = 50;
    let events = Arc::new(AtomicUsize::new(0));
    let e = events.clone();
    let fake = Fake::start(move |r| match r.path_and_query.as_str() {
        "/services/collector/event" if e.fetch_add(1, Ordering::SeqCst) == 0 => {
            Answer::status(503).body(r#"{"text":"Server is busy","code":9}"#)
        }
        "/services/collector/event" => Answer::status(200).body(r#"{"text":"Success","code":0}"#),
        _ => Answer::status(200).body(r#"{"text":"HEC is healthy","code":17}"#),
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("hec-token");
    std::fs::write(&token_file, "00000000-0000-4000-8000-000000000000\n").unwrap();
    write_input(dir.path(), text_lines(N));
    let sinks = format!(
        r#"
[sinks.hec]
type = "splunk_hec"
inputs = ["app"]
endpoint = "{}"
token_file = "{{dir}}/hec-token"
sourcetype = "logscrub:test"
index = "test_idx"
batch = {{ max_events = 100, timeout_ms = 100 }}
request = {{ retry_initial_backoff_ms = 20, retry_max_backoff_secs = 1 }}
"#,
        fake.url()
    );
    let run = Running::start(&config(&sinks), dir.path()).await;
    eventually(20, "delivered", || {
        run.counter("hec", |c| c.events_out.load(Relaxed)) >= N as u64
    })
    .await;
    let errors = run.counter("hec", |c| c.errors.load(Relaxed));
    run.stop().await;

    let reqs = to(&fake, "POST", "/services/collector/event");
    assert!(reqs.len() >= 2, "503, then the same events again");
    assert!(errors >= 1);
    let first = all_ids(&reqs[..1]);
    assert!(!first.is_empty());
    let delivered = all_ids(&reqs[1..]);
    assert_eq!(
        delivered,
        (0..N).collect::<Vec<_>>(),
        "each event once after the retry"
    );
    for r in &reqs {
        assert_eq!(
            r.header("authorization"),
            Some("Splunk 00000000-0000-4000-8000-000000000000"),
            "token from token_file, newline removed"
        );
        assert_no_raw_pii(&r.text(), N);
        // Event objects one after another.
        for v in serde_json::Deserializer::from_slice(&r.body).into_iter::<Value>() {
            let v = v.expect("a JSON object");
            let t = v["time"].as_f64().expect("time in epoch seconds");
            assert!(t > 1.6e9, "time: {t}");
            assert_eq!(v["source"], "app");
            assert_eq!(v["sourcetype"], "logscrub:test");
            assert_eq!(v["index"], "test_idx");
            let msg = v["event"]["message"].as_str().expect("event.message");
            assert!(msg.contains("[REDACTED:"), "{msg}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn datadog_logs_sink_posts_json_arrays_with_the_api_key() {
    const N: usize = 30;
    let fake = Fake::start(|r| match r.path_and_query.as_str() {
        "/api/v2/logs" => Answer::status(202).body("{}"),
        _ => Answer::status(200).body(r#"{"valid":true}"#),
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    write_input(dir.path(), text_lines(N));
    let sinks = format!(
        r#"
[sinks.dd]
type = "datadog_logs"
inputs = ["app"]
endpoint = "{}"
api_key = "0000000000000000000000000000test"
service = "checkout"
ddtags = "env:test"
batch = {{ max_events = 1000, timeout_ms = 100 }}
"#,
        fake.url()
    );
    let run = Running::start(&config(&sinks), dir.path()).await;
    eventually(20, "delivered", || {
        all_ids(&to(&fake, "POST", "/api/v2/logs")).len() >= N
    })
    .await;
    run.stop().await;

    let reqs = to(&fake, "POST", "/api/v2/logs");
    assert_eq!(all_ids(&reqs), (0..N).collect::<Vec<_>>());
    for r in &reqs {
        assert_eq!(
            r.header("dd-api-key"),
            Some("0000000000000000000000000000test")
        );
        assert_eq!(r.header("content-type"), Some("application/json"));
        assert_no_raw_pii(&r.text(), N);
        let v: Value = serde_json::from_slice(&r.body).expect("JSON body");
        for entry in v.as_array().expect("an array") {
            assert_eq!(entry["ddsource"], "logscrub");
            assert_eq!(entry["service"], "checkout");
            assert_eq!(entry["ddtags"], "env:test");
            let msg = entry["message"].as_str().expect("message string");
            let record: Value = serde_json::from_str(msg).expect("record as JSON text");
            assert!(
                record["message"].as_str().unwrap().contains("[REDACTED:"),
                "{msg}"
            );
        }
    }
}

#[test]
fn datadog_logs_batch_above_the_intake_limit_is_refused_by_validate() {
    let ok = config(
        r#"
[sinks.dd]
type = "datadog_logs"
inputs = ["app"]
endpoint = "http://127.0.0.1:9"
api_key = "0000000000000000000000000000test"
batch = { max_events = 1000 }
"#,
    )
    .replace("{dir}", "/nonexistent");
    let config_ok = logscrub_forward::Config::from_toml(&ok).unwrap();
    logscrub_forward::validate(&config_ok).expect("1000 is the intake's limit");

    let too_many = ok.replace("max_events = 1000", "max_events = 5000");
    let config = logscrub_forward::Config::from_toml(&too_many).unwrap();
    let e = logscrub_forward::validate(&config).expect_err("5000 events per request");
    let message = format!("{e:#}");
    assert!(message.contains("sinks.dd"), "{message}");
    assert!(message.contains("1000"), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn loki_sink_never_labels_a_hashed_value() {
    const N: usize = 20;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("rules")).unwrap();
    // A deployment's own field rule that pseudonymises instead of masking.
    std::fs::write(
        dir.path().join("rules/customer.toml"),
        r#"
[[field]]
id = "field-customer"
description = "Customer identifiers (test rule)"
category = "pii"
names = ["customer"]
operator = "hash"
must_redact = ['{"customer":"cust-1"}', "customer=cust-2", '{"a":{"customer":"cust-3"}}']
must_keep = ["customers=3", "no customer here", '{"kind":"customer"}']
"#,
    )
    .unwrap();
    std::fs::write(dir.path().join("hash.key"), "test-hash-key-not-secret\n").unwrap();
    let fake = Fake::start(|_| Answer::status(204)).await;
    write_input(
        dir.path(),
        (0..N).map(|i| {
            serde_json::json!({"level": "info", "customer": format!("cust-{:04}-acme", i % 4), "msg": id(i)})
                .to_string()
        }),
    );
    let sinks = format!(
        r#"
[rules]
paths = ["{{dir}}/rules"]
hash_key_file = "{{dir}}/hash.key"

[sinks.loki]
type = "loki"
inputs = ["app"]
endpoint = "{}"
label_fields = ["level", "customer"]
batch = {{ max_events = 100, timeout_ms = 100 }}
"#,
        fake.url()
    );
    let run = Running::start(&config(&sinks), dir.path()).await;
    eventually(20, "every event pushed", || {
        all_ids(&to(&fake, "POST", "/loki/api/v1/push")).len() >= N
    })
    .await;
    run.stop().await;

    let pushes = to(&fake, "POST", "/loki/api/v1/push");
    assert_eq!(all_ids(&pushes), (0..N).collect::<Vec<_>>());
    for r in &pushes {
        let text = r.text();
        assert!(!text.contains("-acme"), "raw customer id sent: {text}");
        assert!(
            text.contains("[HASH:field-customer:"),
            "values hashed: {text}"
        );
        let body: Value = serde_json::from_slice(&r.body).unwrap();
        for s in body["streams"].as_array().unwrap() {
            assert_eq!(s["stream"]["level"], "info");
            assert!(
                s["stream"].get("customer").is_none(),
                "a hashed value became a label: {}",
                s["stream"]
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sinks_keep_the_path_prefix_of_their_endpoint() {
    // A gateway in front of the destinations: `https://gw/prefix` with no
    // trailing slash must still get `/prefix/...`, not `/...`.
    const N: usize = 10;
    let fake = Fake::start(|r| {
        if r.path_and_query.ends_with("/_bulk") {
            Answer::status(200).body(r#"{"errors":false,"items":[]}"#)
        } else {
            Answer::status(200).body("{}")
        }
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    write_input(dir.path(), text_lines(N));
    let endpoint = format!("{}/gateway", fake.url());
    let sinks = format!(
        r#"
[sinks.loki]
type = "loki"
inputs = ["app"]
endpoint = "{endpoint}"
batch = {{ timeout_ms = 100 }}

[sinks.es]
type = "elasticsearch"
inputs = ["app"]
endpoint = "{endpoint}"
batch = {{ timeout_ms = 100 }}

[sinks.hec]
type = "splunk_hec"
inputs = ["app"]
endpoint = "{endpoint}"
token = "00000000-0000-4000-8000-000000000000"
batch = {{ timeout_ms = 100 }}

[sinks.dd]
type = "datadog_logs"
inputs = ["app"]
endpoint = "{endpoint}"
api_key = "0000000000000000000000000000test"
batch = {{ timeout_ms = 100 }}
"#
    );
    let run = Running::start(&config(&sinks), dir.path()).await;
    eventually(20, "every sink delivered everything", || {
        ["loki", "es", "hec", "dd"]
            .iter()
            .all(|s| run.counter(s, |c| c.events_out.load(Relaxed)) >= N as u64)
    })
    .await;
    run.stop().await;

    let paths: BTreeSet<(String, String)> = fake
        .requests()
        .into_iter()
        .map(|r| (r.method, r.path_and_query))
        .collect();
    let want: BTreeSet<(String, String)> = [
        ("POST", "/gateway/loki/api/v1/push"),
        ("GET", "/gateway/ready"),
        ("POST", "/gateway/_bulk"),
        ("GET", "/gateway/"),
        ("POST", "/gateway/services/collector/event"),
        ("GET", "/gateway/services/collector/health"),
        ("POST", "/gateway/api/v2/logs"),
        ("GET", "/gateway/api/v1/validate"),
    ]
    .into_iter()
    .map(|(m, p)| (m.to_owned(), p.to_owned()))
    .collect();
    assert_eq!(paths, want);
}

#[test]
fn azure_blob_account_that_cannot_be_a_host_name_is_refused_by_validate() {
    // Without an endpoint the account becomes the host name: a space in it
    // made every health check and delivery task panic on the URL.
    let sink = |account: &str| {
        config(&format!(
            r#"
[sinks.blob]
type = "azure_blob"
inputs = ["app"]
account = "{account}"
container = "logs"
sas_token = "sv=2023-11-03&sig=test"
"#
        ))
        .replace("{dir}", "/nonexistent")
    };
    let ok = logscrub_forward::Config::from_toml(&sink("logscrubtest1")).unwrap();
    logscrub_forward::validate(&ok).expect("a valid account name");
    for bad in ["my acct", "UPPER", "ab", "a.b.c", "x/y"] {
        let config = logscrub_forward::Config::from_toml(&sink(bad)).unwrap();
        let e = logscrub_forward::validate(&config).expect_err(bad);
        let message = format!("{e:#}");
        assert!(message.contains("sinks.blob"), "{message}");
        assert!(
            message.contains("not a valid storage account name"),
            "{message}"
        );
    }
}
