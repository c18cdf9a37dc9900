//! Hot reload of the rules: file changes, refused rule sets, the reload
//! handle `POST /reload` calls, swaps under load, and a stream inside a
//! multi-line block across a swap.

use std::path::Path;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;
use std::time::SystemTime;

use logscrub_forward::config::{EventFormat, RulesConfig};
use logscrub_forward::metrics::Metrics;
use logscrub_forward::redact::Redactor;

use crate::support::{append, eventually, read_ndjson, Running};

/// A deployment's own rule: ACME order ids (test data, not a real format).
const ORDER_RULE: &str = r#"
[[rule]]
id = "acme-order-id"
description = "ACME order ids (test rule)"
category = "pii"
regex = '''\bACME-\d{8}\b'''
keywords = ["acme-"]
must_redact = ["order ACME-12345678 shipped", "id=ACME-00000001", '{"order":"ACME-87654321"}']
must_keep = ["ACME-1234", "order ACME-123456789", "acme rocks"]
"#;

/// Added by an edit: ACME customer ids.
const CUSTOMER_RULE: &str = r#"
[[rule]]
id = "acme-customer-id"
description = "ACME customer ids (test rule)"
category = "pii"
regex = '''\bCUST-[A-Z]{4}[0-9]{4}\b'''
keywords = ["cust-"]
must_redact = ["customer CUST-ABCD1234", "c=CUST-WXYZ0000", '{"customer":"CUST-QQQQ9999"}']
must_keep = ["CUST-ABC1234", "customers: 12", "CUST-abcd1234"]
"#;

/// The same secret kind as [`ORDER_RULE`] under another id and pattern.
const ORDER_RULE_B: &str = r#"
[[rule]]
id = "acme-order-number"
description = "ACME order ids, second spelling (test rule)"
category = "pii"
regex = '''ACME-[0-9]{8}'''
keywords = ["acme-"]
must_redact = ["order ACME-12345678 shipped", "id=ACME-00000001", '{"order":"ACME-87654321"}']
must_keep = ["ACME-1234", "acme rocks", "ACME-abcdefgh"]
"#;

/// A rule whose own example does not match: a reload must refuse it.
const FAILING_EXAMPLE: &str = r#"
[[rule]]
id = "acme-order-id"
description = "ACME order ids (test rule), with a pattern too narrow"
category = "pii"
regex = '''\bACME-\d{9}\b'''
keywords = ["acme-"]
must_redact = ["order ACME-12345678 shipped"]
must_keep = ["acme rocks"]
"#;

fn config(watch: bool) -> String {
    format!(
        r#"
data_dir = "{{dir}}/data"
[api]
enabled = false
[rules]
paths = ["{{dir}}/rules"]
watch = {watch}
watch_interval_secs = 1
[sources.app]
type = "file"
include = ["{{dir}}/logs/*.log"]
poll_interval_ms = 50
[sinks.out]
type = "file"
inputs = ["app"]
path = "{{dir}}/out.ndjson"
batch = {{ max_events = 300, timeout_ms = 50 }}
"#
    )
}

/// Replaces a file the way a careful deployment does: write, then rename.
fn put(path: &Path, text: &str) {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

fn setup(rules: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("logs")).unwrap();
    std::fs::create_dir_all(dir.path().join("rules")).unwrap();
    put(&dir.path().join("rules/acme.toml"), rules);
    dir
}

fn line(n: u64) -> String {
    format!(
        "n={n:06} order ACME-{:08} customer CUST-ABCD{:04}",
        n * 7 % 100_000_000,
        n % 10_000
    )
}

/// Delivered messages by `n=` number.
fn delivered(out: &Path) -> std::collections::BTreeMap<u64, String> {
    read_ndjson(out)
        .into_iter()
        .filter_map(|v| {
            let m = v["message"].as_str()?.to_owned();
            let n = m.get(2..8)?.parse().ok()?;
            Some((n, m))
        })
        .collect()
}

/// Whether `text` holds `ACME-` and eight digits: an unredacted order id.
fn has_raw_order_id(text: &str) -> bool {
    text.match_indices("ACME-").any(|(i, _)| {
        let rest = &text.as_bytes()[i + 5..];
        rest.len() >= 8 && rest[..8].iter().all(u8::is_ascii_digit)
    })
}

fn reloads(run: &Running) -> (u64, u64, bool) {
    let r = &run.handle.metrics.rule_set;
    (
        r.reloads_ok.load(Relaxed),
        r.reloads_failed.load(Relaxed),
        r.last_reload_failed.load(Relaxed),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edited_rule_file_is_in_force_within_seconds() {
    let dir = setup(ORDER_RULE);
    let (log, out) = (
        dir.path().join("logs/app.log"),
        dir.path().join("out.ndjson"),
    );
    let run = Running::start(&config(true), dir.path()).await;
    let loaded = run.handle.metrics.rule_set.loaded.load(Relaxed);
    assert!(loaded > 1, "{loaded}");

    append(&log, (0..100).map(line));
    eventually(20, "100 lines delivered", || delivered(&out).len() == 100).await;
    for m in delivered(&out).values() {
        assert!(m.contains("[REDACTED:acme-order-id]"), "{m}");
        assert!(m.contains("CUST-ABCD"), "no customer rule yet: {m}");
    }

    // The security team adds a rule to the file.
    put(
        &dir.path().join("rules/acme.toml"),
        &format!("{ORDER_RULE}{CUSTOMER_RULE}"),
    );
    eventually(10, "the file change reloaded", || reloads(&run).0 == 1).await;
    assert_eq!(reloads(&run), (1, 0, false));
    assert_eq!(run.handle.metrics.rule_set.loaded.load(Relaxed), loaded + 1);

    append(&log, (100..200).map(line));
    eventually(20, "200 lines delivered", || delivered(&out).len() == 200).await;
    for (n, m) in delivered(&out).range(100..) {
        assert!(m.contains("[REDACTED:acme-order-id]"), "{n}: {m}");
        assert!(m.contains("[REDACTED:acme-customer-id]"), "{n}: {m}");
    }

    // A new file in the folder is a change too.
    put(&dir.path().join("rules/acme.toml"), ORDER_RULE);
    put(&dir.path().join("rules/customers.toml"), CUSTOMER_RULE);
    eventually(10, "the new file reloaded", || reloads(&run).0 >= 2).await;
    assert_eq!(reloads(&run).1, 0);
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_rule_file_is_refused_and_the_old_rules_stay_in_force() {
    let dir = setup(ORDER_RULE);
    let (log, out) = (
        dir.path().join("logs/app.log"),
        dir.path().join("out.ndjson"),
    );
    let rules_file = dir.path().join("rules/acme.toml");
    let run = Running::start(&config(true), dir.path()).await;
    let loaded = run.handle.metrics.rule_set.loaded.load(Relaxed);

    // A syntax error: the file stops parsing.
    put(
        &rules_file,
        &ORDER_RULE.replace("category = \"pii\"", "category = "),
    );
    eventually(10, "the broken file refused", || reloads(&run).1 == 1).await;
    assert_eq!(reloads(&run), (0, 1, true));
    append(&log, (0..100).map(line));
    eventually(20, "100 lines delivered", || delivered(&out).len() == 100).await;

    // A rule whose own example fails: it compiles, the check refuses it.
    put(&rules_file, FAILING_EXAMPLE);
    eventually(10, "the failing example refused", || reloads(&run).1 == 2).await;
    assert_eq!(reloads(&run), (0, 2, true));
    assert_eq!(run.handle.metrics.rule_set.loaded.load(Relaxed), loaded);
    append(&log, (100..200).map(line));
    eventually(20, "200 lines delivered", || delivered(&out).len() == 200).await;

    for (n, m) in &delivered(&out) {
        assert!(m.contains("[REDACTED:acme-order-id]"), "{n}: {m}");
        assert!(!has_raw_order_id(m), "{n}: {m}");
    }
    let text = run.handle.metrics.render();
    for series in [
        "logscrub_rules_reloads_total{result=\"ok\"} 0",
        "logscrub_rules_reloads_total{result=\"failed\"} 2",
        "logscrub_rules_last_reload_failed 1",
        &format!("logscrub_rules_loaded {loaded}"),
    ] {
        assert!(text.contains(series), "{series} in\n{text}");
    }

    // Fixed: the next change is loaded and the failure flag clears.
    put(&rules_file, &format!("{ORDER_RULE}{CUSTOMER_RULE}"));
    eventually(10, "the fixed file loaded", || reloads(&run).0 == 1).await;
    assert_eq!(reloads(&run), (1, 2, false));
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reload_handle_swaps_rules_or_says_why_not() {
    let dir = setup(ORDER_RULE);
    let (log, out) = (
        dir.path().join("logs/app.log"),
        dir.path().join("out.ndjson"),
    );
    let rules_file = dir.path().join("rules/acme.toml");
    // watch = false: only the handle (SIGHUP, POST /reload) reloads.
    let run = Running::start(&config(false), dir.path()).await;
    let reloader = run.handle.reloader.clone();

    put(&rules_file, &format!("{ORDER_RULE}{CUSTOMER_RULE}"));
    tokio::time::sleep(std::time::Duration::from_millis(2000)).await;
    assert_eq!(reloads(&run), (0, 0, false), "no watching");
    let ok = reloader.reload().await.expect("valid rules reload");
    assert!(ok.contains("rules in force"), "{ok}");
    assert_eq!(reloads(&run), (1, 0, false));
    append(&log, (0..50).map(line));
    eventually(20, "50 lines delivered", || delivered(&out).len() == 50).await;
    for m in delivered(&out).values() {
        assert!(m.contains("[REDACTED:acme-customer-id]"), "{m}");
    }

    // Refused: the error names the file, line and rule, never the example.
    put(&rules_file, FAILING_EXAMPLE);
    let err = reloader.reload().await.expect_err("failing example");
    assert!(err.contains("previous rules stay in force"), "{err}");
    assert!(err.contains("acme.toml:2:1"), "{err}");
    assert!(err.contains("rule `acme-order-id`"), "{err}");
    assert!(err.contains("must_redact[0] not found"), "{err}");
    assert!(!err.contains("ACME-12345678"), "{err}");
    put(&rules_file, "[[rule]]\nid = \"x\"\nregex = ");
    let err = reloader.reload().await.expect_err("syntax error");
    assert!(err.contains("acme.toml:3:"), "{err}");
    assert_eq!(reloads(&run), (1, 2, true));

    append(&log, (50..100).map(line));
    eventually(20, "100 lines delivered", || delivered(&out).len() == 100).await;
    for m in delivered(&out).values() {
        assert!(m.contains("[REDACTED:acme-customer-id]"), "{m}");
        assert!(!has_raw_order_id(m), "{m}");
    }
    run.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn swapping_rules_while_lines_stream_never_lets_a_secret_through() {
    const RELOADS: usize = 60;
    let dir = setup(ORDER_RULE);
    let out = dir.path().join("out.ndjson");
    let rules_file = dir.path().join("rules/acme.toml");
    // Only the deployment's rule: a reload takes milliseconds, so many
    // swaps land between lines of the same chunk.
    let toml = config(false).replace("[rules]\n", "[rules]\ndefault_rules = false\n");
    let run = Running::start(&toml, dir.path()).await;

    // Two writers (two files: two streams) append until told to stop.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let written = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let mut writers = Vec::new();
    for w in 0..2u64 {
        let (stop, written) = (stop.clone(), written.clone());
        let log = dir.path().join(format!("logs/app{w}.log"));
        writers.push(std::thread::spawn(move || {
            let mut n = w;
            while !stop.load(Relaxed) {
                append(&log, (0..20).map(|k| line(n + 2 * k)));
                n += 40;
                written.fetch_add(20, Relaxed);
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
        }));
    }
    let reloader = run.handle.reloader.clone();
    for i in 0..RELOADS {
        put(
            &rules_file,
            if i % 2 == 0 { ORDER_RULE_B } else { ORDER_RULE },
        );
        reloader.reload().await.expect("both rule sets are valid");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    stop.store(true, Relaxed);
    for w in writers {
        w.join().unwrap();
    }
    let total = written.load(Relaxed) as usize;
    eventually(30, "every line delivered", || {
        delivered(&out).len() == total
    })
    .await;
    assert_eq!(reloads(&run), (RELOADS as u64, 0, false));
    run.stop().await;

    let seen = delivered(&out);
    let (mut a, mut b) = (0, 0);
    for (n, m) in &seen {
        assert!(!has_raw_order_id(m), "line {n} delivered unredacted: {m}");
        a += usize::from(m.contains("[REDACTED:acme-order-id]"));
        b += usize::from(m.contains("[REDACTED:acme-order-number]"));
    }
    assert_eq!(a + b, total, "every line redacted by exactly one rule set");
    eprintln!("{total} lines, {RELOADS} reloads: {a} by one rule set, {b} by the other");
    assert!(a > 0 && b > 0, "lines were scanned by both rule sets");
}

#[test]
fn a_stream_inside_a_key_block_keeps_the_old_rules_until_the_block_closes() {
    let old = logscrub_forward::compile_rules(&RulesConfig::default()).unwrap();
    let dir = setup(ORDER_RULE);
    let new = logscrub_forward::compile_rules(&RulesConfig {
        default_rules: false,
        paths: vec![dir.path().join("rules")],
        ..RulesConfig::default()
    })
    .unwrap();
    let redactor = Arc::new(Redactor::new(old, Arc::new(Metrics::default())));
    let mut stream = redactor.stream(EventFormat::Text);
    let now = SystemTime::now();
    let mut event = |l: &str| stream.event(l.as_bytes(), now).message;

    assert_eq!(
        event("loading key -----BEGIN RSA PRIVATE KEY-----"),
        "loading key -----BEGIN RSA PRIVATE KEY-----"
    );
    // The new rules have no private-key rule: starting them inside the
    // block would pass the key's body through.
    assert_eq!(redactor.swap(new), 1);
    let body = "MIIEowIBAAKCAQEAFAKEKEYFAKEKEYFAKEKEYFAKEKEYFAKEKEYFAKEKEYFAKEKEY";
    let out = event(body);
    assert!(!out.contains("FAKEKEY"), "{out}");
    assert_eq!(
        event("-----END RSA PRIVATE KEY-----"),
        "-----END RSA PRIVATE KEY-----"
    );
    // Block closed: the next line is scanned by the new rules only.
    assert_eq!(
        event("order ACME-12345678 by user@example.com"),
        "order [REDACTED:acme-order-id] by user@example.com"
    );
    // A new stream starts with the new rules.
    let mut fresh = redactor.stream(EventFormat::Text);
    assert_eq!(
        fresh.event(b"ACME-00000001", now).message,
        "[REDACTED:acme-order-id]"
    );
}
