//! A `tracing` layer that writes events with every field, message and span
//! field redacted by logscrub's engine, so no PII or secret reaches stdout,
//! a file or a log shipper.
//!
//! # Why this layer is the writer
//! A [`tracing_subscriber::Layer`] only *observes* events: it cannot change
//! what the layers beside it see. A redacting layer placed next to
//! `tracing_subscriber::fmt::layer()` would leave the fmt layer printing the
//! raw password. So this layer formats and writes events itself (JSON in the
//! shape of tracing-subscriber's JSON formatter, or compact text), and every
//! value passes through the [`Scanner`] before it is written:
//!
//! - event fields and the message, recorded as `str`, `Debug`, `Display`,
//!   errors (with their source chain) or numbers;
//! - span fields, when the span is created and on every later `record`;
//! - fields whose *name* a field rule names (`password = %p`, `api_key`,
//!   `authorization`...) are masked whole whatever their value.
//!
//! Use it *instead of* the fmt layer. A service that keeps its own fmt
//! layer (or another formatter) can wrap that layer's writer in
//! [`RedactingMakeWriter`], which redacts each formatted line.
//!
//! # Cost
//! An event's fields are redacted together: one literal pass and one gate
//! pass over all its values ([`Scanner::redact_fields`]), then a scan of
//! its own only for a value the passes flag; short values found clean are
//! remembered per thread, so repeated methods, routes and messages are not
//! scanned again. Measured against `tracing_subscriber::fmt::layer().json()`
//! on the same events (ids and e-mails new in every event), both writing to
//! `io::sink`: clean five-field events 0.87-1.01x its cost, one secret
//! 1.18-1.35x, ten fields 0.81-0.91x, and 0.55x to 0.86x inside a span,
//! where the layer's stored, pre-redacted span fields save work
//! (`cargo run --release -p logscrub-tracing --example layer_cost`).
//!
//! # Fail closed
//! An event whose formatted line is larger than the limit, or whose
//! formatting panics (a `Debug` impl that panics), is written as a
//! placeholder that keeps only its timestamp, level, target and the reason;
//! never raw. Per-rule redaction counts are readable through
//! [`RedactingLayer::counts`] (counts, never values).
//!
//! # Example
//! ```
//! use tracing_subscriber::prelude::*;
//!
//! let layer = logscrub_tracing::layer().json().with_writer(std::io::sink);
//! let counts = layer.counts();
//! let subscriber = tracing_subscriber::registry()
//!     .with(layer)
//!     .with(tracing_subscriber::EnvFilter::new("info"));
//! tracing::subscriber::with_default(subscriber, || {
//!     tracing::info!(password = "hunter2", contact = "alice@example.com", "login");
//! });
//! // Written: {"timestamp":"...","level":"INFO","fields":{"message":"login",
//! //   "password":"[REDACTED:field-password]","contact":"[REDACTED:email]"},...}
//! assert_eq!(counts.get("field-password"), 1);
//! assert_eq!(counts.get("email"), 1);
//! ```
//!
//! Works with `Registry`, `EnvFilter` and per-layer filters, `tracing-log`
//! for the `log` crate (records are normalized like tracing-subscriber's
//! formatters do), and `tracing-appender`'s non-blocking writer.
//!
//! # OpenTelemetry
//! With the `opentelemetry` feature, `otel::RedactingLogProcessor` wraps
//! an OpenTelemetry SDK log processor so that records made by
//! `opentelemetry-appender-tracing` (or any appender) are redacted the same
//! way before they are exported.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod format;
#[cfg(feature = "opentelemetry")]
pub mod otel;
mod writer;

use std::io::Write;
use std::sync::{Arc, Mutex};

use logscrub_engine::{Counts, Scanner};
use tracing_core::span::{Attributes, Id, Record};
use tracing_core::{Event, Subscriber};
use tracing_log::NormalizeEvent;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::registry::LookupSpan;

pub use writer::{RedactingMakeWriter, RedactingWriter};

use format::{Collector, SpanFields};

/// Output format of the layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Output {
    Json,
    Text,
}

/// Default largest event written; a larger one becomes a placeholder.
pub const DEFAULT_MAX_EVENT_BYTES: usize = 1 << 20;

#[derive(Debug, Clone)]
struct Config {
    output: Output,
    timestamp: bool,
    target: bool,
    file: bool,
    line: bool,
    thread_ids: bool,
    thread_names: bool,
    current_span: bool,
    span_list: bool,
    max_event: usize,
}

/// What the layer shares with its count handles.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) scanner: Scanner,
    pub(crate) counts: Mutex<Counts>,
}

impl Shared {
    /// Redacts the fields of one event together
    /// ([`Scanner::redact_fields`]); counts what it finds.
    pub(crate) fn redact_fields<'v>(
        &self,
        fields: &[(&str, &'v str)],
    ) -> Vec<std::borrow::Cow<'v, str>> {
        let mut out = self.scanner.redact_fields(fields);
        if out.iter().any(|c| matches!(c, std::borrow::Cow::Owned(_))) {
            // Something was redacted: those fields again, counting (rare,
            // so the clean path never takes the lock).
            if let Ok(mut c) = self.counts.lock() {
                for (o, (k, v)) in out.iter_mut().zip(fields) {
                    if matches!(o, std::borrow::Cow::Owned(_)) {
                        *o = std::borrow::Cow::Owned(
                            self.scanner.redact_field_counted(k, v, &mut c).into_owned(),
                        );
                    }
                }
            }
        }
        out
    }
}

/// The scanner a layer or writer uses when given none: the embedded pack
/// under the engine's [`logscrub_engine::Policy`], so `hash` tokens are
/// keyed by `LOGSCRUB_HASH_KEY` when it is set, as the CLI's and the
/// forwarder's are, and the same value gives the same token in all three.
/// Built once per process.
pub fn default_scanner() -> Scanner {
    static DEFAULT: std::sync::OnceLock<Scanner> = std::sync::OnceLock::new();
    DEFAULT
        .get_or_init(|| match logscrub_engine::Policy::default().scanner() {
            Ok((s, _)) => s,
            // Only an unreadable OS random source or key can fail here; the
            // pack itself always compiles. Redacting with a per-process key
            // is still redacting.
            Err(_) => Scanner::embedded(),
        })
        .clone()
}

/// Starts building a [`RedactingLayer`] with the embedded default rules
/// (see [`default_scanner`]), JSON output and stdout.
pub fn layer() -> Builder {
    Builder {
        scanner: None,
        config: Config {
            output: Output::Json,
            timestamp: true,
            target: true,
            file: false,
            line: false,
            thread_ids: false,
            thread_names: false,
            current_span: true,
            span_list: true,
            max_event: DEFAULT_MAX_EVENT_BYTES,
        },
    }
}

/// Builds a [`RedactingLayer`]; see [`layer`].
#[derive(Debug, Clone)]
pub struct Builder {
    scanner: Option<Scanner>,
    config: Config,
}

impl Builder {
    /// Redact with these compiled rules instead of the embedded pack.
    pub fn with_rules(mut self, scanner: Scanner) -> Self {
        self.scanner = Some(scanner);
        self
    }
    /// Redact with the rules and settings of `policy` (extra rule files,
    /// enable/disable, the `hash` key from its file or `LOGSCRUB_HASH_KEY`):
    /// the same policy the CLI and the forwarder build theirs from, so a
    /// value hashed here gives the token they give. Refused as they refuse
    /// it (a bad rule file, an unreadable key file).
    pub fn with_policy(
        mut self,
        policy: &logscrub_engine::Policy,
    ) -> Result<Self, logscrub_engine::Error> {
        let (scanner, _) = policy.scanner()?;
        self.config.max_event = policy.max_event_bytes.max(64);
        self.scanner = Some(scanner);
        Ok(self)
    }
    /// JSON lines in the shape of tracing-subscriber's JSON formatter
    /// (timestamp, level, fields, target, optional filename / line_number,
    /// span, spans, optional threadName / threadId). The default.
    pub fn json(mut self) -> Self {
        self.config.output = Output::Json;
        self
    }
    /// Compact human-readable lines:
    /// `timestamp LEVEL span{k=v}:span: target: message k=v`.
    pub fn text(mut self) -> Self {
        self.config.output = Output::Text;
        self
    }
    /// Leave out the timestamp (tests, or a collector that stamps lines).
    pub fn without_time(mut self) -> Self {
        self.config.timestamp = false;
        self
    }
    /// Include the event's target (default on).
    pub fn with_target(mut self, yes: bool) -> Self {
        self.config.target = yes;
        self
    }
    /// Include the source file (default off).
    pub fn with_file(mut self, yes: bool) -> Self {
        self.config.file = yes;
        self
    }
    /// Include the source line (default off).
    pub fn with_line_number(mut self, yes: bool) -> Self {
        self.config.line = yes;
        self
    }
    /// Include the thread id (default off).
    pub fn with_thread_ids(mut self, yes: bool) -> Self {
        self.config.thread_ids = yes;
        self
    }
    /// Include the thread name (default off).
    pub fn with_thread_names(mut self, yes: bool) -> Self {
        self.config.thread_names = yes;
        self
    }
    /// Include the current span (JSON `span`, default on).
    pub fn with_current_span(mut self, yes: bool) -> Self {
        self.config.current_span = yes;
        self
    }
    /// Include the list of spans from the root (JSON `spans`, default on).
    pub fn with_span_list(mut self, yes: bool) -> Self {
        self.config.span_list = yes;
        self
    }
    /// Events whose formatted line is larger become a placeholder.
    pub fn max_event_bytes(mut self, n: usize) -> Self {
        self.config.max_event = n.max(64);
        self
    }
    /// Finishes the layer, writing to `writer`.
    pub fn with_writer<W>(self, writer: W) -> RedactingLayer<W>
    where
        W: for<'w> MakeWriter<'w> + 'static,
    {
        let scanner = self.scanner.unwrap_or_else(default_scanner);
        let counts = Mutex::new(scanner.new_counts());
        RedactingLayer {
            shared: Arc::new(Shared { scanner, counts }),
            config: self.config,
            writer,
        }
    }
    /// Finishes the layer, writing to stdout.
    pub fn finish(self) -> RedactingLayer<fn() -> std::io::Stdout> {
        self.with_writer(std::io::stdout as fn() -> std::io::Stdout)
    }
}

/// The redacting layer. See the [crate docs](crate).
#[derive(Debug)]
pub struct RedactingLayer<W> {
    shared: Arc<Shared>,
    config: Config,
    writer: W,
}

/// A handle on a layer's per-rule redaction counts (for metrics).
#[derive(Debug, Clone)]
pub struct RedactionCounts(Arc<Shared>);

impl RedactionCounts {
    /// `(rule id, count)` for every rule that redacted something.
    pub fn snapshot(&self) -> Vec<(String, u64)> {
        match self.0.counts.lock() {
            Ok(c) => c.iter().map(|(id, n)| (id.to_string(), n)).collect(),
            Err(_) => Vec::new(),
        }
    }
    /// The count for one rule.
    pub fn get(&self, rule: &str) -> u64 {
        self.0.counts.lock().map(|c| c.get(rule)).unwrap_or(0)
    }
    /// All redactions so far.
    pub fn total(&self) -> u64 {
        self.0.counts.lock().map(|c| c.total()).unwrap_or(0)
    }
}

impl<W> RedactingLayer<W> {
    /// A handle on the per-rule redaction counts.
    pub fn counts(&self) -> RedactionCounts {
        RedactionCounts(Arc::clone(&self.shared))
    }
}

impl<S, W> Layer<S> for RedactingLayer<W>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    W: for<'w> MakeWriter<'w> + 'static,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        let mut c = Collector::new(&self.shared, false);
        attrs.record(&mut c);
        let fields = SpanFields::from_collected(c.finish());
        span.extensions_mut().insert(fields);
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        let mut c = Collector::new(&self.shared, false);
        values.record(&mut c);
        let new = c.finish();
        let mut ext = span.extensions_mut();
        match ext.get_mut::<SpanFields>() {
            Some(f) => f.update(new),
            None => ext.insert(SpanFields::from_collected(new)),
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let normalized = event.normalized_metadata();
        let meta = normalized.as_ref().unwrap_or_else(|| event.metadata());
        let ts = format::Timestamp::now();
        let formatted = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            format::event_line(
                &self.shared,
                &self.config,
                &ts,
                event,
                meta,
                &ctx,
                normalized.is_some(),
            )
        }));
        let line = match formatted {
            Ok(line) if line.len() <= self.config.max_event => line,
            Ok(_) => format::placeholder(&self.config, &ts, meta, "oversize-event"),
            Err(_) => format::placeholder(&self.config, &ts, meta, "event-formatting-panicked"),
        };
        let mut w = self.writer.make_writer_for(meta);
        let _ = w.write_all(line.as_bytes());
    }
}
