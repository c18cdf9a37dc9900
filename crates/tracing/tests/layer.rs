//! No planted value reaches the writer, whatever path it takes through
//! tracing; clean events are byte-identical to the unredacted format.

use logscrub_engine::{Rules, Scanner};
use logscrub_tracing::RedactingMakeWriter;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::prelude::*;

use crate::capture::Capture;
use crate::fakes::{Rng, FAMILIES};

fn scanner() -> Scanner {
    static S: std::sync::OnceLock<Scanner> = std::sync::OnceLock::new();
    S.get_or_init(Scanner::embedded).clone()
}

#[derive(Debug)]
#[allow(dead_code)] // read through Debug
struct Inner {
    token: String,
}

#[derive(Debug)]
#[allow(dead_code)] // read through Debug
struct Outer {
    id: u32,
    inner: Inner,
}

#[derive(Debug)]
struct WrapErr(String, Option<Box<WrapErr>>);

impl std::fmt::Display for WrapErr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WrapErr {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.1.as_deref().map(|e| e as _)
    }
}

fn emit_everywhere(v: &str) {
    let span = tracing::info_span!("request", user = %v, later = tracing::field::Empty);
    let _g = span.enter();
    span.record("later", tracing::field::display(v));
    let inner = tracing::debug_span!("db", query = ?format!("select * where x = '{v}'"));
    let _g2 = inner.enter();
    tracing::info!("message with {v} inside");
    tracing::warn!(note = %v, debug = ?v, "fields");
    tracing::error!(outer = ?Outer { id: 7, inner: Inner { token: v.to_string() } }, "nested struct");
    let err = WrapErr(
        "top".into(),
        Some(Box::new(WrapErr(format!("cause {v}"), None))),
    );
    tracing::error!(
        error = &err as &(dyn std::error::Error + 'static),
        "error chain"
    );
    tracing::info!(
        password = "not-a-pattern-but-a-password-7",
        "field rule by name"
    );
}

fn assert_no_leak(out: &str, v: &str, family: &str) {
    assert!(!out.contains(v), "{family} value leaked:\n{out}");
    assert!(
        !out.contains("not-a-pattern-but-a-password-7"),
        "password field leaked:\n{out}"
    );
}

#[test]
fn planted_values_of_every_family_never_reach_the_writer() {
    let mut rng = Rng::new(5);
    for json in [true, false] {
        for (family, gen) in FAMILIES {
            let v = gen(&mut rng);
            let cap = Capture::default();
            let b = logscrub_tracing::layer().with_rules(scanner());
            let b = if json { b.json() } else { b.text() };
            let sub = tracing_subscriber::registry().with(b.with_writer(cap.clone()));
            tracing::subscriber::with_default(sub, || emit_everywhere(&v));
            let out = cap.text();
            assert_eq!(out.lines().count(), 5, "{out}");
            if json {
                for line in out.lines() {
                    serde_json::from_str::<serde_json::Value>(line)
                        .unwrap_or_else(|e| panic!("{e}: {line}"));
                }
            }
            assert_no_leak(&out, &v, family);
        }
    }
}

#[test]
fn log_crate_records_are_redacted() {
    let cap = Capture::default();
    let sub = tracing_subscriber::registry()
        .with(logscrub_tracing::layer().json().with_writer(cap.clone()));
    // LogTracer is global; route `log` records through tracing for this test.
    let _ = tracing_log::LogTracer::init();
    tracing::subscriber::with_default(sub, || {
        log::warn!("login for alice.example@example.com with card 4111 1111 1111 1111");
    });
    let out = cap.text();
    assert!(
        out.contains("[REDACTED:email]") && !out.contains("alice.example"),
        "{out}"
    );
    assert!(!out.contains("4111 1111 1111 1111"), "{out}");
    assert!(
        !out.contains("log.target"),
        "log.* fields are normalized away: {out}"
    );
}

#[test]
fn clean_events_are_byte_identical_to_the_unredacted_format() {
    let none = Scanner::new(&Rules::empty()).unwrap();
    for json in [true, false] {
        let run = |scanner: Option<Scanner>| {
            let cap = Capture::default();
            let mut b = logscrub_tracing::layer()
                .without_time()
                .with_file(true)
                .with_line_number(true);
            b = if json { b.json() } else { b.text() };
            if let Some(s) = scanner {
                b = b.with_rules(s);
            }
            let sub = tracing_subscriber::registry().with(b.with_writer(cap.clone()));
            tracing::subscriber::with_default(sub, || {
                let span = tracing::info_span!("handler", route = "/api/v1/users", attempt = 2);
                let _g = span.enter();
                tracing::info!(
                    status = 200,
                    latency_ms = 12.5,
                    ok = true,
                    request_id = "3f2a9c1e-8b7d-4e2f-9a1b-0c5d6e7f8a9b",
                    "request \"done\"\tok"
                );
                tracing::debug!(
                    commit = "9fceb02d0ae598e95dc970b74767f19372d61af8",
                    "deployed"
                );
                tracing::warn!(path = %"/var/log/app.log", "password reset email sent");
            });
            cap.text()
        };
        let redacted = run(None);
        assert_eq!(redacted, run(Some(none.clone())));
        assert_eq!(redacted.lines().count(), 3);
    }
}

#[test]
fn json_has_the_shape_of_tracing_subscribers_json_formatter() {
    let ours = Capture::default();
    let theirs = Capture::default();
    let sub = tracing_subscriber::registry()
        .with(logscrub_tracing::layer().json().with_writer(ours.clone()))
        .with(
            tracing_subscriber::fmt::layer()
                .json()
                .with_writer(theirs.clone()),
        );
    tracing::subscriber::with_default(sub, || {
        let outer = tracing::info_span!("outer", b = 2, a = "x");
        let _g = outer.enter();
        let inner = tracing::info_span!("inner", n = 1u64);
        let _g2 = inner.enter();
        tracing::info!(
            answer = 42,
            pi = 3.5,
            flag = false,
            name = "bob",
            "hello {}",
            "world"
        );
    });
    let parse = |s: &str| {
        let mut v: serde_json::Value = serde_json::from_str(s.lines().next().unwrap()).unwrap();
        v.as_object_mut().unwrap().remove("timestamp");
        v
    };
    assert_eq!(
        parse(&ours.text()),
        parse(&theirs.text()),
        "ours: {}\ntheirs: {}",
        ours.text(),
        theirs.text()
    );
}

#[test]
fn a_field_name_is_context_as_a_json_key_is() {
    // Values only a keyword makes sensitive: a US number is a phone when the
    // field says `number`, nine digits a routing number when it says
    // `routing`, in a JSON member and a text line alike.
    let (text, json) = (Capture::default(), Capture::default());
    let emit = || {
        tracing::info!(to_number = "508 501 6685", "x");
        tracing::info!(routing = "021000021", "y");
        tracing::info!(order_id = "021000021", "z");
        let span = tracing::info_span!("req", to_number = "508 501 6685");
        let _g = span.enter();
        tracing::info!("w");
    };
    let sub =
        tracing_subscriber::registry().with(logscrub_tracing::layer().with_writer(text.clone()));
    tracing::subscriber::with_default(sub, emit);
    let sub = tracing_subscriber::registry()
        .with(logscrub_tracing::layer().json().with_writer(json.clone()));
    tracing::subscriber::with_default(sub, emit);
    // What the engine's JSON mode does with the same members.
    for (k, v) in [("to_number", "508 501 6685"), ("routing", "021000021")] {
        let doc = format!("{{\"{k}\":\"{v}\"}}");
        let out = scanner().redact(doc.as_bytes(), logscrub_engine::Format::Json);
        assert!(!String::from_utf8_lossy(&out).contains(v), "engine: {doc}");
    }
    for out in [text.text(), json.text()] {
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 4, "{out}");
        assert!(!lines[0].contains("508 501 6685"), "{out}");
        assert!(lines[0].contains("[REDACTED:phone"), "{out}");
        assert!(!lines[1].contains("021000021"), "{out}");
        // No keyword, no finding: the same digits as an order id stay.
        assert!(lines[2].contains("021000021"), "{out}");
        // Span fields too.
        assert!(!lines[3].contains("508 501 6685"), "{out}");
    }
}

#[test]
fn oversize_and_panicking_events_become_placeholders() {
    struct Boom;
    impl std::fmt::Debug for Boom {
        fn fmt(&self, _: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            panic!("boom")
        }
    }
    let cap = Capture::default();
    let sub = tracing_subscriber::registry().with(
        logscrub_tracing::layer()
            .json()
            .max_event_bytes(200)
            .with_writer(cap.clone()),
    );
    tracing::subscriber::with_default(sub, || {
        tracing::info!(blob = %"x".repeat(500), "secret-ish ghp_");
        tracing::info!(b = ?Boom, "never printed");
    });
    let out = cap.text();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines[0].contains("[REDACTED:oversize-event]") && !lines[0].contains("xxxx"),
        "{out}"
    );
    assert!(
        lines[1].contains("[REDACTED:event-formatting-panicked]")
            && !lines[1].contains("never printed"),
        "{out}"
    );
    assert!(lines.iter().all(|l| l.contains("\"level\":\"INFO\"")));
}

#[test]
fn counts_are_readable_and_hold_no_values() {
    let cap = Capture::default();
    let layer = logscrub_tracing::layer().json().with_writer(cap.clone());
    let counts = layer.counts();
    let sub = tracing_subscriber::registry().with(layer);
    tracing::subscriber::with_default(sub, || {
        tracing::info!(
            contact = "alice.example@example.com",
            password = "pw-123456",
            "x"
        );
        tracing::info!("mail bob.example@example.org");
    });
    assert_eq!(counts.get("email"), 2);
    assert_eq!(counts.get("field-password"), 1);
    let dbg = format!("{:?}", counts.snapshot());
    assert!(!dbg.contains("alice") && !dbg.contains("pw-123456"));
}

#[test]
fn filters_and_non_blocking_writer_work() {
    let cap = Capture::default();
    let (nb, guard) = tracing_appender::non_blocking(cap.clone());
    let layer = logscrub_tracing::layer()
        .json()
        .with_writer(nb)
        .with_filter(tracing_subscriber::filter::LevelFilter::WARN);
    let sub = tracing_subscriber::registry()
        .with(tracing_subscriber::EnvFilter::new("debug"))
        .with(layer);
    tracing::subscriber::with_default(sub, || {
        tracing::info!("filtered out alice.example@example.com");
        tracing::warn!("kept, mail bob.example@example.org");
    });
    drop(guard);
    let out = cap.text();
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        out.contains("kept") && !out.contains("bob.example"),
        "{out}"
    );
}

#[test]
fn redacting_make_writer_redacts_another_formatters_lines() {
    let cap = Capture::default();
    let sub = tracing_subscriber::registry().with(
        tracing_subscriber::fmt::layer()
            .json()
            .with_writer(RedactingMakeWriter::new(cap.clone())),
    );
    tracing::subscriber::with_default(sub, || {
        tracing::info!(
            token = "tok-abcdef-123456",
            user = "carol.example@example.net",
            "login"
        );
    });
    let out = cap.text();
    assert!(
        !out.contains("carol.example") && !out.contains("tok-abcdef-123456"),
        "{out}"
    );
    serde_json::from_str::<serde_json::Value>(out.trim()).unwrap();
}

#[test]
fn redacting_make_writer_keeps_oversize_json_lines_json_and_holds_one_limit() {
    use std::io::Write;
    // Through another formatter: a JSON event with a 2 MiB field, whole.
    let cap = Capture::default();
    let sub = tracing_subscriber::registry().with(
        tracing_subscriber::fmt::layer()
            .json()
            .with_writer(RedactingMakeWriter::new(cap.clone())),
    );
    let big = format!("jo@example.com {}", "x".repeat(2 << 20));
    tracing::subscriber::with_default(sub, || {
        tracing::warn!(blob = %big, "huge");
        tracing::info!("after");
    });
    let out = cap.text();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{}", &out[..out.len().min(300)]);
    assert!(
        out.len() < 4096,
        "the 2 MiB line was written: {} bytes",
        out.len()
    );
    assert!(!out.contains("jo@example.com"));
    let v: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(v["message"], "[REDACTED:oversize-event]");
    assert_eq!(v["level"], "WARN");
    assert!(v["timestamp"].is_string(), "{v}");
    // `target` comes after `fields` there: not read from the event's body.
    assert!(v.get("target").is_none(), "{v}");
    serde_json::from_str::<serde_json::Value>(lines[1]).unwrap();

    // Written in pieces with no newline for a while: one placeholder, the
    // rest of that line dropped, the next line intact.
    let cap = Capture::default();
    let mw = RedactingMakeWriter::new(cap.clone()).max_line_bytes(1000);
    {
        let mut w = mw.make_writer();
        w.write_all(br#"{"level":"ERROR","target":"app::db","fields":{"q":""#)
            .unwrap();
        for _ in 0..10 {
            w.write_all(&[b'a'; 300]).unwrap();
        }
        w.write_all(b"jo@example.com\"}}\n{\"level\":\"INFO\",\"msg\":\"ok\"}\n")
            .unwrap();
        // Text stays text.
        w.write_all(&[b'b'; 1500]).unwrap();
        w.write_all(b"\nshort user=jo@example.com\n").unwrap();
    }
    let out = cap.text();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    let v: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(v["message"], "[REDACTED:oversize-event]");
    assert_eq!(v["level"], "ERROR");
    assert_eq!(v["target"], "app::db");
    assert_eq!(lines[1], r#"{"level":"INFO","msg":"ok"}"#);
    assert_eq!(lines[2], "[REDACTED:oversize-event]");
    assert!(lines[3].starts_with("short user=[REDACTED:email]"), "{out}");
    assert!(
        !out.contains("aaaa") && !out.contains("jo@example.com"),
        "{out}"
    );

    // What the placeholder copies from the line is scanned as well: a token
    // shaped like a module path does not slip out as the target.
    let cap = Capture::default();
    let mw = RedactingMakeWriter::new(cap.clone()).max_line_bytes(1000);
    let token = "xoxb-2345678901-2345678901234-AbCdEfGhIjKlMnOpQrStUvWx";
    {
        let mut w = mw.make_writer();
        let line = format!(
            r#"{{"level":"INFO","target":"{token}","q":"{}"}}"#,
            "a".repeat(2000)
        );
        w.write_all(line.as_bytes()).unwrap();
        w.write_all(b"\n").unwrap();
    }
    let out = cap.text();
    assert!(!out.contains(token), "{out}");
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["message"], "[REDACTED:oversize-event]");
}
