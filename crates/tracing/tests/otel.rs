//! Redacted OpenTelemetry logs: events go through the OpenTelemetry project's
//! own tracing bridge (`opentelemetry-appender-tracing`) and the SDK's
//! in-memory exporter; `RedactingLogProcessor` wraps the exporting processor.
//! No planted value reaches an exported `LogRecord`; trace context,
//! severity, target and clean values are exported unchanged.

use logscrub_engine::Scanner;
use logscrub_tracing::otel::RedactingLogProcessor;
use opentelemetry::logs::{AnyValue, LogRecord as _, Logger as _, LoggerProvider as _};
use opentelemetry::trace::{TraceContextExt as _, Tracer as _, TracerProvider as _};
use opentelemetry::Key;
use opentelemetry_appender_tracing::layer::OpenTelemetryTracingBridge;
use opentelemetry_sdk::logs::{
    InMemoryLogExporter, SdkLogRecord, SdkLoggerProvider, SimpleLogProcessor,
};
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_subscriber::prelude::*;

use crate::fakes::{Rng, FAMILIES};

fn scanner() -> Scanner {
    static S: std::sync::OnceLock<Scanner> = std::sync::OnceLock::new();
    S.get_or_init(Scanner::embedded).clone()
}

/// A provider whose only processor is the redacting one around the
/// in-memory exporter, and the exporter to read back.
fn provider() -> (SdkLoggerProvider, InMemoryLogExporter) {
    let exporter = InMemoryLogExporter::default();
    let provider = SdkLoggerProvider::builder()
        .with_log_processor(RedactingLogProcessor::with_rules(
            SimpleLogProcessor::new(exporter.clone()),
            scanner(),
        ))
        .build();
    (provider, exporter)
}

fn exported(exporter: &InMemoryLogExporter) -> Vec<SdkLogRecord> {
    exporter
        .get_emitted_logs()
        .unwrap()
        .into_iter()
        .map(|l| l.record)
        .collect()
}

/// Everything a record could carry a value in, as text.
fn record_text(r: &SdkLogRecord) -> String {
    format!(
        "{:?} {:?}",
        r.body(),
        r.attributes_iter().collect::<Vec<_>>()
    )
}

fn attr<'a>(r: &'a SdkLogRecord, key: &str) -> Option<&'a AnyValue> {
    r.attributes_iter()
        .find(|(k, _)| k.as_str() == key)
        .map(|(_, v)| v)
}

#[derive(Debug)]
struct Err2(String);

impl std::fmt::Display for Err2 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Err2 {}

#[test]
fn no_planted_value_reaches_an_exported_log_record() {
    let mut rng = Rng::new(11);
    for (family, gen) in FAMILIES {
        let v = gen(&mut rng);
        let (provider, exporter) = provider();
        let sub = tracing_subscriber::registry().with(OpenTelemetryTracingBridge::new(&provider));
        tracing::subscriber::with_default(sub, || {
            tracing::info!("message with {v} inside");
            tracing::warn!(note = %v, debug = ?v, "fields");
            let err = Err2(format!("failed for {v}"));
            tracing::error!(error = &err as &(dyn std::error::Error + 'static), "error");
            tracing::info!(
                password = "not-a-pattern-but-a-password-7",
                "field rule by name"
            );
        });
        let records = exported(&exporter);
        assert_eq!(records.len(), 4, "{family}");
        for r in &records {
            let text = record_text(r);
            assert!(!text.contains(&v), "{family} value exported: {text}");
            assert!(!text.contains("not-a-pattern-but-a-password-7"), "{text}");
        }
    }
}

#[test]
fn field_names_numbers_bytes_and_structured_bodies_are_redacted() {
    let (provider, exporter) = provider();
    let sub = tracing_subscriber::registry().with(OpenTelemetryTracingBridge::new(&provider));
    tracing::subscriber::with_default(sub, || {
        // The field name is context, as a JSON key is; a card number logged
        // as a number is still a card number.
        tracing::info!(
            ssn_raw = "428356723",
            card = 4_111_111_111_111_111u64,
            "numbers"
        );
    });
    // Records made by any appender (here straight through the logs API):
    // a map body walked with its keys as field names, lists and bytes.
    let logger = provider.logger("direct");
    let mut rec = logger.create_log_record();
    rec.set_body(AnyValue::Map(Box::new(
        [
            (
                Key::new("api_key"),
                AnyValue::from("plain-words-but-a-key-name"),
            ),
            (
                Key::new("contacts"),
                AnyValue::ListAny(Box::new(vec![
                    AnyValue::from("ok"),
                    AnyValue::from("mail bob.jones@example.org now"),
                ])),
            ),
            (Key::new("count"), AnyValue::Int(3)),
        ]
        .into_iter()
        .collect(),
    )));
    rec.add_attribute(
        "raw",
        AnyValue::Bytes(Box::new(b"token AKIAIOSFODNN7EXAMPLE".to_vec())),
    );
    logger.emit(rec);

    let records = exported(&exporter);
    assert_eq!(records.len(), 2);
    let text: String = records.iter().map(record_text).collect();
    for planted in [
        "428356723",
        "4111111111111111",
        "plain-words-but-a-key-name",
        "bob.jones@example.org",
        "AKIAIOSFODNN7EXAMPLE",
    ] {
        assert!(!text.contains(planted), "{planted} exported: {text}");
    }
    // A redacted number becomes a placeholder string; clean members keep
    // their type.
    let r = &records[0];
    assert!(
        matches!(attr(r, "card"), Some(AnyValue::String(s)) if s.as_str().starts_with("[REDACTED:")),
        "{:?}",
        attr(r, "card")
    );
    let Some(AnyValue::Map(body)) = records[1].body() else {
        panic!("{:?}", records[1].body())
    };
    assert_eq!(body.get(&Key::new("count")), Some(&AnyValue::Int(3)));
    assert!(matches!(
        body.get(&Key::new("contacts")),
        Some(AnyValue::ListAny(l)) if l[0] == AnyValue::from("ok")
    ));
}

#[test]
fn trace_context_and_clean_records_pass_unchanged() {
    let tracer_provider = SdkTracerProvider::builder().build();
    let tracer = tracer_provider.tracer("test");
    let (provider, exporter) = provider();
    let sub = tracing_subscriber::registry().with(OpenTelemetryTracingBridge::new(&provider));
    let (trace_id, span_id) = tracing::subscriber::with_default(sub, || {
        tracer.in_span("handler", |cx| {
            tracing::warn!(
                status = 503,
                path = "/health",
                retry = true,
                "upstream down"
            );
            tracing::warn!(contact = "carol.white@example.net", status = 403, "denied");
            let sc = cx.span().span_context().clone();
            (sc.trace_id(), sc.span_id())
        })
    });
    let records = exported(&exporter);
    assert_eq!(records.len(), 2);
    for r in &records {
        let tc = r.trace_context().expect("trace context exported");
        assert_eq!((tc.trace_id, tc.span_id), (trace_id, span_id));
        assert_eq!(r.severity_text(), Some("WARN"));
        assert!(r.event_name().is_some());
        assert!(
            r.target().is_some_and(|t| t.contains("tests")),
            "{:?}",
            r.target()
        );
        assert!(r.observed_timestamp().is_some());
    }
    let clean = &records[0];
    assert_eq!(clean.body(), Some(&AnyValue::from("upstream down")));
    assert_eq!(attr(clean, "status"), Some(&AnyValue::Int(503)));
    assert_eq!(attr(clean, "path"), Some(&AnyValue::from("/health")));
    assert_eq!(attr(clean, "retry"), Some(&AnyValue::Boolean(true)));
    // The redacted record keeps its attributes in order, only the value
    // changed.
    let red = &records[1];
    let keys: Vec<&str> = red.attributes_iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["contact", "status"]);
    assert_eq!(
        attr(red, "contact"),
        Some(&AnyValue::from("[REDACTED:email]"))
    );
    assert_eq!(attr(red, "status"), Some(&AnyValue::Int(403)));
}

#[test]
fn counts_are_kept_per_rule() {
    let exporter = InMemoryLogExporter::default();
    let processor =
        RedactingLogProcessor::with_rules(SimpleLogProcessor::new(exporter.clone()), scanner());
    let counts = processor.counts();
    let provider = SdkLoggerProvider::builder()
        .with_log_processor(processor)
        .build();
    let sub = tracing_subscriber::registry().with(OpenTelemetryTracingBridge::new(&provider));
    tracing::subscriber::with_default(sub, || {
        tracing::info!(a = "x@example.com", b = "y@example.com", "two e-mails");
    });
    assert_eq!(counts.get("email"), 2);
}
