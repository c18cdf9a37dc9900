//! Formatting: field collection (with redaction), span field storage, and
//! the JSON and text lines.
//!
//! Values are redacted when they are *recorded* (event fields as the event
//! is formatted, span fields when the span is created or `record`ed), so a
//! span's stored fields never hold a raw value, and an event that refers to
//! a span many times pays for its redaction once.

use std::fmt::{self, Write as _};

use tracing_core::field::{Field, Visit};
use tracing_core::{Event, Metadata, Subscriber};
use tracing_subscriber::layer::Context;
use tracing_subscriber::registry::LookupSpan;

use crate::{Config, Output, Shared};

/// A recorded value: a JSON string, or raw JSON (numbers, booleans).
#[derive(Debug, Clone)]
pub(crate) enum Val {
    Str(String),
    Raw(String),
}

/// Collects a value set's fields, each redacted as it is recorded: into a
/// list (span fields, text lines), or straight into a JSON line (events).
pub(crate) struct Collector<'a> {
    shared: &'a Shared,
    sink: Sink<'a>,
    skip_log_fields: bool,
}

enum Sink<'a> {
    Fields(Vec<(&'static str, Val)>),
    Json { out: &'a mut String, n: usize },
}

/// Numbers with fewer digits than this are not scanned unless a field rule
/// names their key (`pin`, `cvv`, `otp`): a bare number that short matches
/// no pattern in the default pack (short codes need a keyword beside them,
/// which a lone numeric value does not have).
pub(crate) const MIN_SCANNED_DIGITS: usize = 7;

impl<'a> Collector<'a> {
    pub(crate) fn new(shared: &'a Shared, skip_log_fields: bool) -> Self {
        Collector {
            shared,
            sink: Sink::Fields(Vec::new()),
            skip_log_fields,
        }
    }

    /// Writes members (`"k":v,...`) straight into `out`.
    pub(crate) fn json(shared: &'a Shared, skip_log_fields: bool, out: &'a mut String) -> Self {
        Collector {
            shared,
            sink: Sink::Json { out, n: 0 },
            skip_log_fields,
        }
    }

    pub(crate) fn finish(self) -> Vec<(&'static str, Val)> {
        match self.sink {
            Sink::Fields(v) => v,
            Sink::Json { .. } => Vec::new(),
        }
    }

    fn skip(&self, name: &str) -> bool {
        self.skip_log_fields && name.starts_with("log.")
    }

    fn put(&mut self, name: &'static str, value: std::borrow::Cow<'_, str>, is_str: bool) {
        if self.skip(name) {
            return;
        }
        match &mut self.sink {
            Sink::Fields(v) => {
                let value = value.into_owned();
                v.push((
                    name,
                    if is_str {
                        Val::Str(value)
                    } else {
                        Val::Raw(value)
                    },
                ));
            }
            Sink::Json { out, n } => {
                if *n > 0 {
                    out.push(',');
                }
                *n += 1;
                json_str(out, name);
                out.push(':');
                if is_str {
                    json_str(out, &value);
                } else {
                    out.push_str(&value);
                }
            }
        }
    }

    fn string(&mut self, name: &'static str, value: &str) {
        if self.skip(name) {
            return;
        }
        let red = self.shared.redact(name, value);
        self.put(name, red, true);
    }

    fn number(&mut self, name: &'static str, text: String) {
        // Numbers are scanned too: a card number logged as a u64 is still a
        // card number.
        if text.len() < MIN_SCANNED_DIGITS && !self.shared.scanner.is_sensitive_key(name) {
            self.put(name, std::borrow::Cow::Owned(text), false);
            return;
        }
        match self.shared.redact(name, &text) {
            std::borrow::Cow::Borrowed(_) => self.put(name, std::borrow::Cow::Owned(text), false),
            red => self.put(name, red, true),
        }
    }
}

impl Visit for Collector<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.string(field.name(), value);
    }
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if self.skip(field.name()) {
            return;
        }
        let s = format!("{value:?}");
        self.string(field.name(), &s);
    }
    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        // The whole chain: a secret in a cause is still a secret.
        let mut s = value.to_string();
        let mut source = value.source();
        while let Some(e) = source {
            let _ = write!(s, ": {e}");
            source = e.source();
        }
        self.string(field.name(), &s);
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.number(field.name(), value.to_string());
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.number(field.name(), value.to_string());
    }
    fn record_i128(&mut self, field: &Field, value: i128) {
        self.number(field.name(), value.to_string());
    }
    fn record_u128(&mut self, field: &Field, value: u128) {
        self.number(field.name(), value.to_string());
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        if value.is_finite() {
            self.number(field.name(), value.to_string());
        } else {
            self.put(field.name(), "null".into(), false);
        }
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.put(
            field.name(),
            if value { "true" } else { "false" }.into(),
            false,
        );
    }
}

/// A span's redacted fields, kept sorted by name (as tracing-subscriber's
/// JSON formatter prints them), pre-rendered for both outputs.
#[derive(Debug, Default)]
pub(crate) struct SpanFields {
    fields: Vec<(&'static str, Val)>,
    json: String,
    text: String,
}

impl SpanFields {
    pub(crate) fn from_collected(fields: Vec<(&'static str, Val)>) -> Self {
        let mut s = SpanFields::default();
        s.update(fields);
        s
    }

    /// Adds or replaces fields (a later `record` wins) and re-renders.
    pub(crate) fn update(&mut self, new: Vec<(&'static str, Val)>) {
        for (k, v) in new {
            match self.fields.binary_search_by(|(n, _)| n.cmp(&k)) {
                Ok(i) => self.fields[i].1 = v,
                Err(i) => self.fields.insert(i, (k, v)),
            }
        }
        self.json.clear();
        self.text.clear();
        for (i, (k, v)) in self.fields.iter().enumerate() {
            if i > 0 {
                self.json.push(',');
                self.text.push(' ');
            }
            json_member(&mut self.json, k, v);
            text_field(&mut self.text, k, v);
        }
    }
}

/// Appends `s` as a JSON string literal (escapes as serde_json does).
pub(crate) fn json_str(out: &mut String, s: &str) {
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if esc.is_empty() {
            let _ = write!(out, "\\u{b:04x}");
        } else {
            out.push_str(esc);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

fn json_member(out: &mut String, k: &str, v: &Val) {
    json_str(out, k);
    out.push(':');
    match v {
        Val::Str(s) => json_str(out, s),
        Val::Raw(r) => out.push_str(r),
    }
}

fn text_field(out: &mut String, k: &str, v: &Val) {
    out.push_str(k);
    out.push('=');
    text_value(out, v);
}

fn text_value(out: &mut String, v: &Val) {
    match v {
        Val::Str(s) if s.is_empty() || s.bytes().any(|b| b == b' ' || b == b'"' || b < 0x20) => {
            json_str(out, s)
        }
        Val::Str(s) | Val::Raw(s) => out.push_str(s),
    }
}

/// An RFC 3339 UTC timestamp with microseconds, as tracing-subscriber's
/// default timer prints it.
pub(crate) struct Timestamp(String);

impl Timestamp {
    pub(crate) fn now() -> Self {
        let d = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let secs = d.as_secs();
        let days = (secs / 86_400) as i64;
        let rem = secs % 86_400;
        // Civil date from days since the epoch (H. Hinnant's algorithm).
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Timestamp(format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}Z",
            rem / 3600,
            rem / 60 % 60,
            rem % 60,
            d.subsec_micros()
        ))
    }
}

fn thread_name() -> Option<String> {
    std::thread::current().name().map(str::to_string)
}

/// `{"timestamp":...,"level":...,"fields":{` (the fields are the caller's).
fn json_head(out: &mut String, cfg: &Config, ts: &Timestamp, meta: &Metadata<'_>) {
    out.push('{');
    if cfg.timestamp {
        out.push_str("\"timestamp\":");
        json_str(out, &ts.0);
        out.push(',');
    }
    out.push_str("\"level\":");
    json_str(out, meta.level().as_str());
    out.push_str(",\"fields\":{");
}

/// Formats one event as a full line (with its newline).
pub(crate) fn event_line<S>(
    shared: &Shared,
    cfg: &Config,
    ts: &Timestamp,
    event: &Event<'_>,
    meta: &Metadata<'_>,
    ctx: &Context<'_, S>,
    from_log: bool,
) -> String
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    let current = event
        .parent()
        .and_then(|id| ctx.span(id))
        .or_else(|| ctx.lookup_current());
    let mut out = String::with_capacity(256);
    match cfg.output {
        Output::Json => {
            json_head(&mut out, cfg, ts, meta);
            event.record(&mut Collector::json(shared, from_log, &mut out));
            out.push('}');
            if cfg.target {
                out.push_str(",\"target\":");
                json_str(&mut out, meta.target());
            }
            if cfg.file {
                if let Some(f) = meta.file() {
                    out.push_str(",\"filename\":");
                    json_str(&mut out, f);
                }
            }
            if cfg.line {
                if let Some(l) = meta.line() {
                    let _ = write!(out, ",\"line_number\":{l}");
                }
            }
            if let Some(span) = &current {
                let render =
                    |out: &mut String, span: &tracing_subscriber::registry::SpanRef<'_, S>| {
                        out.push('{');
                        if let Some(f) = span.extensions().get::<SpanFields>() {
                            if !f.json.is_empty() {
                                out.push_str(&f.json);
                                out.push(',');
                            }
                        }
                        out.push_str("\"name\":");
                        json_str(out, span.metadata().name());
                        out.push('}');
                    };
                if cfg.current_span {
                    out.push_str(",\"span\":");
                    render(&mut out, span);
                }
                if cfg.span_list {
                    out.push_str(",\"spans\":[");
                    for (i, s) in span.scope().from_root().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        render(&mut out, &s);
                    }
                    out.push(']');
                }
            }
            if cfg.thread_names {
                if let Some(name) = thread_name() {
                    out.push_str(",\"threadName\":");
                    json_str(&mut out, &name);
                } else if !cfg.thread_ids {
                    out.push_str(",\"threadName\":");
                    json_str(&mut out, &format!("{:?}", std::thread::current().id()));
                }
            }
            if cfg.thread_ids {
                out.push_str(",\"threadId\":");
                json_str(&mut out, &format!("{:?}", std::thread::current().id()));
            }
            out.push_str("}\n");
        }
        Output::Text => {
            let mut c = Collector::new(shared, from_log);
            event.record(&mut c);
            let fields = c.finish();
            if cfg.timestamp {
                out.push_str(&ts.0);
                out.push(' ');
            }
            let _ = write!(out, "{:>5} ", meta.level().as_str());
            if cfg.thread_names {
                if let Some(name) = thread_name() {
                    let _ = write!(out, "{name} ");
                }
            }
            if cfg.thread_ids {
                let _ = write!(out, "{:?} ", std::thread::current().id());
            }
            if let Some(span) = &current {
                for s in span.scope().from_root() {
                    out.push_str(s.metadata().name());
                    if let Some(f) = s.extensions().get::<SpanFields>() {
                        if !f.text.is_empty() {
                            out.push('{');
                            out.push_str(&f.text);
                            out.push('}');
                        }
                    }
                    out.push(':');
                }
                out.push(' ');
            }
            if cfg.target {
                out.push_str(meta.target());
                out.push_str(": ");
            }
            if cfg.file || cfg.line {
                if let Some(f) = meta.file().filter(|_| cfg.file) {
                    out.push_str(f);
                    out.push(':');
                }
                if let Some(l) = meta.line().filter(|_| cfg.line) {
                    let _ = write!(out, "{l}:");
                }
                out.push(' ');
            }
            let mut first = true;
            if let Some((_, v)) = fields.iter().find(|(k, _)| *k == "message") {
                match v {
                    Val::Str(s) | Val::Raw(s) => out.push_str(s),
                }
                first = false;
            }
            for (k, v) in fields.iter().filter(|(k, _)| *k != "message") {
                if !first {
                    out.push(' ');
                }
                first = false;
                text_field(&mut out, k, v);
            }
            out.push('\n');
        }
    }
    out
}

/// The line written instead of an event that cannot be written safely: only
/// the timestamp, level, target (static, from the code) and the reason.
pub(crate) fn placeholder(
    cfg: &Config,
    ts: &Timestamp,
    meta: &Metadata<'_>,
    reason: &str,
) -> String {
    let mut out = String::with_capacity(160);
    match cfg.output {
        Output::Json => {
            json_head(&mut out, cfg, ts, meta);
            out.push_str("\"message\":");
            json_str(&mut out, &format!("[REDACTED:{reason}]"));
            out.push_str("},\"target\":");
            json_str(&mut out, meta.target());
            out.push_str("}\n");
        }
        Output::Text => {
            if cfg.timestamp {
                out.push_str(&ts.0);
                out.push(' ');
            }
            let _ = writeln!(
                out,
                "{:>5} {}: [REDACTED:{reason}]",
                meta.level().as_str(),
                meta.target()
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_escape_like_serde_json() {
        let mut out = String::new();
        json_str(&mut out, "a\"b\\c\nd\u{1}é/");
        assert_eq!(out, serde_json::to_string("a\"b\\c\nd\u{1}é/").unwrap());
    }

    #[test]
    fn timestamps_are_rfc3339_micros() {
        let t = Timestamp::now().0;
        assert_eq!(t.len(), "2026-11-29T03:49:50.123456Z".len(), "{t}");
        assert!(t.ends_with('Z') && t.as_bytes()[10] == b'T');
    }
}
