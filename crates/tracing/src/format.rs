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

/// A redacted value as [`Collector::for_each`] hands it out.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ValRef<'s> {
    Str(&'s str),
    Raw(&'s str),
}

/// What a recorded value is, for scanning and writing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Text: always scanned, written as a JSON string.
    Str,
    /// A number's digits: scanned when long or under a sensitive name,
    /// written raw unless redacted.
    Num,
    /// `true`, `false`, `null`: never scanned.
    Lit,
}

/// Collects a value set's fields raw, then redacts them together (one
/// literal pass and one gate pass over all values, see
/// [`logscrub_engine::Scanner::redact_fields`]) and hands them out. Values
/// are written into one buffer as they are recorded: `Debug` and `Display`
/// values are formatted straight into it, without a `String` each.
pub(crate) struct Collector<'a> {
    shared: &'a Shared,
    skip_log_fields: bool,
    buf: String,
    /// Name, kind and the value's bytes in `buf`.
    entries: Vec<(&'static str, Kind, usize, usize)>,
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
            skip_log_fields,
            buf: String::with_capacity(256),
            entries: Vec::with_capacity(12),
        }
    }

    /// The redacted fields, owned (span fields, text lines).
    pub(crate) fn finish(self) -> Vec<(&'static str, Val)> {
        let mut out = Vec::with_capacity(self.entries.len());
        self.for_each(|name, v| {
            out.push((
                name,
                match v {
                    ValRef::Str(s) => Val::Str(s.to_string()),
                    ValRef::Raw(s) => Val::Raw(s.to_string()),
                },
            ))
        });
        out
    }

    /// Writes the redacted fields as JSON members (`"k":v,...`) into `out`.
    pub(crate) fn write_json(self, out: &mut String) {
        let mut first = true;
        self.for_each(|name, v| {
            if !first {
                out.push(',');
            }
            first = false;
            json_str(out, name);
            out.push(':');
            match v {
                ValRef::Str(s) => json_str(out, s),
                ValRef::Raw(s) => out.push_str(s),
            }
        });
    }

    /// Redacts every field, then calls `f` with each in recorded order.
    fn for_each(self, mut f: impl FnMut(&'static str, ValRef<'_>)) {
        let scanner = &self.shared.scanner;
        let value = |&(_, _, s, e): &(&'static str, Kind, usize, usize)| &self.buf[s..e];
        // Numbers are scanned too (a card number logged as a u64 is still a
        // card number), but a short one only under a sensitive name.
        let scanned: Vec<bool> = self
            .entries
            .iter()
            .map(|entry| match entry.1 {
                Kind::Str => true,
                Kind::Num => {
                    entry.3 - entry.2 >= MIN_SCANNED_DIGITS || scanner.is_sensitive_key(entry.0)
                }
                Kind::Lit => false,
            })
            .collect();
        let fields: Vec<(&str, &str)> = self
            .entries
            .iter()
            .zip(&scanned)
            .filter(|(_, &s)| s)
            .map(|(entry, _)| (entry.0, value(entry)))
            .collect();
        let mut red = self.shared.redact_fields(&fields).into_iter();
        for (entry, scanned) in self.entries.iter().zip(scanned) {
            let raw = value(entry);
            let red = if scanned { red.next() } else { None };
            match (entry.1, red) {
                (Kind::Str, Some(r)) => f(entry.0, ValRef::Str(&r)),
                (Kind::Str, None) => f(entry.0, ValRef::Str(raw)),
                (_, Some(std::borrow::Cow::Owned(r))) => f(entry.0, ValRef::Str(&r)),
                _ => f(entry.0, ValRef::Raw(raw)),
            }
        }
    }

    fn skip(&self, name: &str) -> bool {
        self.skip_log_fields && name.starts_with("log.")
    }

    /// Records a value that `write` appends to the buffer.
    fn push(&mut self, name: &'static str, kind: Kind, write: impl FnOnce(&mut String)) {
        if self.skip(name) {
            return;
        }
        let start = self.buf.len();
        write(&mut self.buf);
        self.entries.push((name, kind, start, self.buf.len()));
    }
}

impl Visit for Collector<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.push(field.name(), Kind::Str, |b| b.push_str(value));
    }
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.push(field.name(), Kind::Str, |b| {
            let _ = write!(b, "{value:?}");
        });
    }
    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        // The whole chain: a secret in a cause is still a secret.
        self.push(field.name(), Kind::Str, |b| {
            let _ = write!(b, "{value}");
            let mut source = value.source();
            while let Some(e) = source {
                let _ = write!(b, ": {e}");
                source = e.source();
            }
        });
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.push(field.name(), Kind::Num, |b| {
            let _ = write!(b, "{value}");
        });
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.push(field.name(), Kind::Num, |b| {
            let _ = write!(b, "{value}");
        });
    }
    fn record_i128(&mut self, field: &Field, value: i128) {
        self.push(field.name(), Kind::Num, |b| {
            let _ = write!(b, "{value}");
        });
    }
    fn record_u128(&mut self, field: &Field, value: u128) {
        self.push(field.name(), Kind::Num, |b| {
            let _ = write!(b, "{value}");
        });
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        if value.is_finite() {
            self.push(field.name(), Kind::Num, |b| {
                let _ = write!(b, "{value}");
            });
        } else {
            self.push(field.name(), Kind::Lit, |b| b.push_str("null"));
        }
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.push(field.name(), Kind::Lit, |b| {
            b.push_str(if value { "true" } else { "false" })
        });
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
    // Most values need no escape: one test over the bytes (which the
    // compiler vectorizes) and one copy.
    let plain = s
        .bytes()
        .fold(true, |ok, b| ok & (b >= 0x20) & (b != b'"') & (b != b'\\'));
    if plain {
        out.push_str(s);
        out.push('"');
        return;
    }
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
/// default timer prints it. Written digit by digit: through `format!` it
/// was a tenth of the layer's cost per event.
pub(crate) struct Timestamp([u8; 27]);

impl Timestamp {
    pub(crate) fn now() -> Self {
        let d = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        Self::at(d.as_secs(), d.subsec_micros())
    }

    fn at(secs: u64, micros: u32) -> Self {
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
        let year = (yoe + era * 400 + i64::from(month <= 2)).clamp(0, 9999);
        let mut b = *b"0000-00-00T00:00:00.000000Z";
        let mut put = |at: usize, width: usize, mut v: u64| {
            for i in (at..at + width).rev() {
                b[i] = b'0' + (v % 10) as u8;
                v /= 10;
            }
        };
        put(0, 4, year as u64);
        put(5, 2, month as u64);
        put(8, 2, day as u64);
        put(11, 2, rem / 3600);
        put(14, 2, rem / 60 % 60);
        put(17, 2, rem % 60);
        put(20, 6, u64::from(micros));
        Timestamp(b)
    }

    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII digits and punctuation are ever written.
        std::str::from_utf8(&self.0).unwrap_or("0000-00-00T00:00:00.000000Z")
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
        json_str(out, ts.as_str());
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
            let mut c = Collector::new(shared, from_log);
            event.record(&mut c);
            c.write_json(&mut out);
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
                out.push_str(ts.as_str());
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
                out.push_str(ts.as_str());
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
        let t = Timestamp::now();
        let t = t.as_str();
        assert_eq!(t.len(), "2026-11-29T03:49:50.123456Z".len(), "{t}");
        assert!(t.ends_with('Z') && t.as_bytes()[10] == b'T');
        // 2026-11-29T03:49:50.000042Z and the first instant of a leap day.
        assert_eq!(
            Timestamp::at(1_795_924_190, 42).as_str(),
            "2026-11-29T03:49:50.000042Z"
        );
        assert_eq!(
            Timestamp::at(1_709_164_800, 0).as_str(),
            "2024-02-29T00:00:00.000000Z"
        );
        assert_eq!(
            Timestamp::at(0, 999_999).as_str(),
            "1970-01-01T00:00:00.999999Z"
        );
    }
}
