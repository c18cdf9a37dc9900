//! Redacted OpenTelemetry logs: a [`LogProcessor`] that redacts every
//! record before the processor it wraps (and so its exporter) sees it.
//!
//! # Why a processor, not another appender
//! Services that export logs with OTLP usually install
//! `opentelemetry-appender-tracing`'s bridge layer (or the `log` appender),
//! which turns raw events into `LogRecord`s. A second, redacting appender
//! would leave that bridge in place and the raw record exported; a layer
//! cannot change what the layers beside it see. The SDK hands every record to
//! its processors by `&mut` before any exporter has it, so wrapping the
//! exporting processor is the one place that sees *every* record, from any
//! appender, and can change it first:
//!
//! ```
//! use logscrub_tracing::otel::RedactingLogProcessor;
//! use opentelemetry_sdk::logs::{InMemoryLogExporter, SdkLoggerProvider, SimpleLogProcessor};
//!
//! let exporter = InMemoryLogExporter::default(); // an OTLP exporter in a service
//! let provider = SdkLoggerProvider::builder()
//!     .with_log_processor(RedactingLogProcessor::new(SimpleLogProcessor::new(exporter)))
//!     .build();
//! // then, as usual:
//! // tracing_subscriber::registry()
//! //     .with(opentelemetry_appender_tracing::layer::OpenTelemetryTracingBridge::new(&provider))
//! //     .init();
//! # drop(provider);
//! ```
//!
//! Every exporting processor of the provider must be wrapped: a processor
//! added beside it, unwrapped, sees the record as the appender made it.
//!
//! # What is redacted
//! - the body: a string is scanned as text (as the layer scans a `message`);
//!   a map or list is walked, each string scanned with its map key as the
//!   field name;
//! - every attribute, by its key as a field rule (`password`, `api_key`...
//!   masked whole) and by its content, exactly as the layer treats an event
//!   field: keyword rules see the key as context (`ssn_raw = 428356723`),
//!   integers and doubles of seven digits or more are scanned too (a card
//!   number logged as a `u64`), bytes are scanned as text;
//! - nothing else: trace and span ids, flags, timestamps, severity, target and
//!   event name are copied unchanged.
//!
//! A value that is redacted becomes a string (`[REDACTED:<rule>]`, or the
//! rule's mask/hash), whatever its type was.
//!
//! # Fail closed
//! A record whose scan panics is replaced by one that keeps only its
//! timestamps, severity, target, event name and trace context, with the body
//! `[REDACTED:event-redaction-panicked]` and no attributes. Resource
//! attributes (`service.name`...) are set by the service's own code and are
//! not scanned.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use logscrub_engine::Scanner;
use opentelemetry::logs::{AnyValue, LogRecord as _, Logger as _, LoggerProvider as _};
use opentelemetry::{InstrumentationScope, Key};
use opentelemetry_sdk::error::OTelSdkResult;
use opentelemetry_sdk::logs::{LogProcessor, SdkLogRecord, SdkLogger, SdkLoggerProvider};
use opentelemetry_sdk::Resource;

use crate::format::MIN_SCANNED_DIGITS;
use crate::{default_scanner, RedactionCounts, Shared};

/// The name a string body is scanned under (as a field name it names no
/// field rule and is context for none).
const BODY_KEY: &str = "body";

/// Wraps a [`LogProcessor`] so that every record it receives has its body
/// and attributes redacted. See the [module docs](self).
#[derive(Debug)]
pub struct RedactingLogProcessor<P> {
    inner: P,
    shared: Arc<Shared>,
    /// Makes the empty records a redacted one is rebuilt into (the SDK
    /// offers no way to change or remove an attribute in place). It has no
    /// processors: nothing emitted through it goes anywhere.
    blank: SdkLogger,
    _blank_provider: SdkLoggerProvider,
}

impl<P: LogProcessor> RedactingLogProcessor<P> {
    /// Redacts with the layer's default rules ([`default_scanner`]: the
    /// embedded pack, `hash` keyed by `LOGSCRUB_HASH_KEY` when it is set).
    pub fn new(inner: P) -> Self {
        Self::with_rules(inner, default_scanner())
    }

    /// Redacts with these compiled rules (e.g. from
    /// [`logscrub_engine::Policy::scanner`], to share the CLI's and the
    /// forwarder's rules and hash key).
    pub fn with_rules(inner: P, scanner: Scanner) -> Self {
        let counts = Mutex::new(scanner.new_counts());
        let provider = SdkLoggerProvider::builder().build();
        RedactingLogProcessor {
            inner,
            shared: Arc::new(Shared { scanner, counts }),
            blank: provider.logger("logscrub-tracing"),
            _blank_provider: provider,
        }
    }

    /// A handle on the per-rule redaction counts (for metrics).
    pub fn counts(&self) -> RedactionCounts {
        RedactionCounts(Arc::clone(&self.shared))
    }

    /// The record as it may be exported: `None` when nothing in it needs
    /// redacting (the common case: no copy is made).
    fn redacted(&self, record: &SdkLogRecord) -> Option<SdkLogRecord> {
        let body = record.body().and_then(|b| self.value(BODY_KEY, b));
        let mut attrs: Vec<(usize, AnyValue)> = Vec::new();
        for (i, (k, v)) in record.attributes_iter().enumerate() {
            if let Some(red) = self.value(k.as_str(), v) {
                attrs.push((i, red));
            }
        }
        if body.is_none() && attrs.is_empty() {
            return None;
        }
        let mut out = self.copy_header(record);
        if let Some(b) = body.or_else(|| record.body().cloned()) {
            out.set_body(b);
        }
        let mut changed = attrs.into_iter().peekable();
        for (i, (k, v)) in record.attributes_iter().enumerate() {
            match changed.next_if(|(j, _)| *j == i) {
                Some((_, red)) => out.add_attribute(k.clone(), red),
                None => out.add_attribute(k.clone(), v.clone()),
            }
        }
        Some(out)
    }

    /// A new record with everything of `record` but its body and attributes.
    fn copy_header(&self, record: &SdkLogRecord) -> SdkLogRecord {
        let mut out = self.blank.create_log_record();
        if let Some(n) = record.event_name() {
            out.set_event_name(n);
        }
        if let Some(t) = record.target() {
            out.set_target(t.clone());
        }
        if let Some(t) = record.timestamp() {
            out.set_timestamp(t);
        }
        if let Some(t) = record.observed_timestamp() {
            out.set_observed_timestamp(t);
        }
        if let Some(t) = record.severity_text() {
            out.set_severity_text(t);
        }
        if let Some(s) = record.severity_number() {
            out.set_severity_number(s);
        }
        if let Some(tc) = record.trace_context() {
            out.set_trace_context(tc.trace_id, tc.span_id, tc.trace_flags);
        }
        out
    }

    /// The redacted form of one value under field name `key`, or `None`
    /// when it is unchanged.
    fn value(&self, key: &str, v: &AnyValue) -> Option<AnyValue> {
        match v {
            AnyValue::String(s) => self.text(key, s.as_str()),
            AnyValue::Int(n) => self.number(key, n.to_string()),
            AnyValue::Double(d) if d.is_finite() => self.number(key, d.to_string()),
            AnyValue::Bytes(b) => {
                let s = String::from_utf8_lossy(b);
                // Bytes that are not UTF-8 are scanned as their lossy text;
                // if that text needs redacting, the redacted text replaces
                // them (the raw bytes are not kept beside it).
                self.text(key, &s)
            }
            AnyValue::ListAny(items) => {
                let red: Vec<Option<AnyValue>> =
                    items.iter().map(|item| self.value(key, item)).collect();
                red.iter().any(Option::is_some).then(|| {
                    AnyValue::ListAny(Box::new(
                        red.into_iter()
                            .zip(items.iter())
                            .map(|(r, item)| r.unwrap_or_else(|| item.clone()))
                            .collect(),
                    ))
                })
            }
            AnyValue::Map(map) => {
                let red: Vec<(&Key, &AnyValue, Option<AnyValue>)> = map
                    .iter()
                    .map(|(k, item)| (k, item, self.value(k.as_str(), item)))
                    .collect();
                red.iter().any(|(_, _, r)| r.is_some()).then(|| {
                    AnyValue::Map(Box::new(
                        red.into_iter()
                            .map(|(k, item, r)| (k.clone(), r.unwrap_or_else(|| item.clone())))
                            .collect::<HashMap<_, _>>(),
                    ))
                })
            }
            // Booleans, NaN and infinities hold nothing; any variant a later
            // opentelemetry adds is scanned through its Debug text.
            AnyValue::Boolean(_) | AnyValue::Double(_) => None,
            #[allow(unreachable_patterns)]
            other => self.text(key, &format!("{other:?}")),
        }
    }

    fn text(&self, key: &str, s: &str) -> Option<AnyValue> {
        match self.shared.redact_fields(&[(key, s)]).pop() {
            Some(Cow::Owned(red)) => Some(AnyValue::from(red)),
            _ => None,
        }
    }

    fn number(&self, key: &str, text: String) -> Option<AnyValue> {
        let digits = text.bytes().filter(u8::is_ascii_digit).count();
        if digits < MIN_SCANNED_DIGITS && !self.shared.scanner.is_sensitive_key(key) {
            return None;
        }
        self.text(key, &text)
    }
}

impl<P: LogProcessor> LogProcessor for RedactingLogProcessor<P> {
    fn emit(&self, data: &mut SdkLogRecord, instrumentation: &InstrumentationScope) {
        let red = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.redacted(data)));
        match red {
            Ok(None) => {}
            Ok(Some(r)) => *data = r,
            Err(_) => {
                let mut r = self.copy_header(data);
                r.set_body(AnyValue::from("[REDACTED:event-redaction-panicked]"));
                *data = r;
            }
        }
        self.inner.emit(data, instrumentation);
    }

    fn force_flush(&self) -> OTelSdkResult {
        self.inner.force_flush()
    }

    fn shutdown_with_timeout(&self, timeout: Duration) -> OTelSdkResult {
        self.inner.shutdown_with_timeout(timeout)
    }

    fn shutdown(&self) -> OTelSdkResult {
        self.inner.shutdown()
    }

    fn event_enabled(
        &self,
        level: opentelemetry::logs::Severity,
        target: &str,
        name: Option<&str>,
    ) -> bool {
        self.inner.event_enabled(level, target, name)
    }

    fn set_resource(&mut self, resource: &Resource) {
        self.inner.set_resource(resource);
    }
}
