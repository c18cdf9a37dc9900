//! logscrub's redaction engine: rule files in, one compiled [`Scanner`] out,
//! redacted bytes from it.
//!
//! The engine does no I/O and needs no async runtime: the tracing layer and
//! the forwarder build on it, and a service that only wants redaction pulls
//! in nothing else.
//!
//! # Example
//! ```
//! use logscrub_engine::{Format, Scanner};
//!
//! let scanner = Scanner::embedded();
//! let line = br#"{"to":"alice@example.com","password":"hunter2","ms":12}"#;
//! let out = scanner.redact(line, Format::Auto);
//! assert_eq!(
//!     &*out,
//!     br#"{"to":"[REDACTED:email]","password":"[REDACTED:field-password]","ms":12}"#.as_slice()
//! );
//! // Clean input comes back borrowed: no allocation, no copy.
//! assert!(matches!(scanner.redact(b"GET /health 200", Format::Auto), std::borrow::Cow::Borrowed(_)));
//! ```
//!
//! # Main types
//! - [`Rules`]: parsed rule files (the embedded default pack, files,
//!   folders), not yet compiled. The format is documented in `rules/README.md`.
//! - [`Scanner`]: the compiled rules; cheap to clone (an `Arc` inside),
//!   `Send + Sync`, so a new one can be swapped in at run time.
//! - [`LineRedactor`]: redacts a stream of lines, carrying what crosses line
//!   boundaries (a PEM key block with real newlines) and per-rule counts.
//! - [`Finding`]: which rule matched where; never the value.
//! - [`test_examples`]: runs every rule's `must_redact` / `must_keep`
//!   examples through a scanner and returns the failures.
//!
//! # When not to use it
//! The engine redacts what its rules describe. It does not parse log
//! formats beyond JSON and `key=value` text, and it is no substitute for not
//! logging a secret in the first place.
//!
//! See [`scanner`] for how a line is scanned and why clean lines are cheap.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod context;
mod decode;
mod error;
pub mod examples;
mod fields;
mod json;
mod placeholder;
pub mod policy;
pub mod rules;
pub mod scanner;
mod validate;

use std::borrow::Cow;
use std::sync::Arc;

pub use error::{Error, ErrorKind};
pub use examples::{test_examples, ExampleFailure};
pub use json::escape_into as json_escape_into;
pub use policy::{HashKeySource, Policy};
pub use rules::{Category, Origin, RuleEntry, Rules, Severity};
pub use scanner::ScannerBuilder;
pub use validate::iban_length;

use scanner::{Hit, Inner, OpenBlock};

/// How a line is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// A line that is a JSON object or array is redacted field-aware; any
    /// other line as text.
    #[default]
    Auto,
    /// Always text.
    Text,
    /// JSON; a line that does not parse is still redacted, as text.
    Json,
}

/// The compiled rules. See the [crate docs](crate).
#[derive(Debug, Clone)]
pub struct Scanner {
    inner: Arc<Inner>,
    /// Events larger than this become the `oversize-event` placeholder.
    /// Outside the compiled rules, so that scanners differing only in it
    /// share them ([`Scanner::with_max_event_bytes`]).
    max_event: usize,
}

/// One rule match: the rule and the byte span in the scanned text. It never
/// holds the matched value, so it is safe to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule's id.
    pub rule: Arc<str>,
    /// Start of the span (bytes).
    pub start: usize,
    /// End of the span (bytes, exclusive).
    pub end: usize,
}

/// One candidate [`Scanner::explain`] looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Explanation {
    /// The rule's id.
    pub rule: Arc<str>,
    /// Start of the candidate (bytes).
    pub start: usize,
    /// End of the candidate (bytes, exclusive).
    pub end: usize,
    /// Whether it was redacted.
    pub redacted: bool,
    /// Why (never the value).
    pub reason: String,
}

impl Scanner {
    /// A builder for explicit settings (hash key, event size limit).
    pub fn builder() -> ScannerBuilder {
        ScannerBuilder::default()
    }

    /// Compiles `rules` with default settings.
    pub fn new(rules: &Rules) -> Result<Scanner, Error> {
        ScannerBuilder::default().build(rules)
    }

    /// The embedded default pack, compiled with default settings: once per
    /// process, then shared (a clone is an `Arc`), so the CLI's own log
    /// layer and the scanner it redacts with cost one compile, and `hash`
    /// tokens of the default scanner agree within the process.
    pub fn embedded() -> Scanner {
        static EMBEDDED: std::sync::OnceLock<Scanner> = std::sync::OnceLock::new();
        EMBEDDED
            .get_or_init(|| {
                // `tests::embedded_pack_compiles` guarantees this.
                Scanner::new(&Rules::embedded()).expect("embedded rule pack compiles")
            })
            .clone()
    }

    /// The same compiled rules with another event size limit (see
    /// [`ScannerBuilder::max_event_bytes`]): a cheap copy, not a compile.
    pub fn with_max_event_bytes(&self, n: usize) -> Scanner {
        Scanner {
            inner: self.inner.clone(),
            max_event: n.max(1),
        }
    }

    /// Ids of every rule, pattern rules first, then field rules, then the
    /// engine's own `oversize-event`.
    pub fn rule_ids(&self) -> impl Iterator<Item = &str> {
        self.inner.ids.iter().map(|s| &**s)
    }

    /// Redacts one line or event.
    pub fn redact<'a>(&self, line: &'a [u8], format: Format) -> Cow<'a, [u8]> {
        if line.len() <= self.max_event
            && self.inner.json_prefilter_ok()
            && !self.inner.may_match(line)
        {
            return Cow::Borrowed(line);
        }
        let mut open = None;
        self.redact_counted(line, format, &mut Tally::default(), &mut open)
    }

    /// Redacts text (no JSON awareness).
    pub fn redact_text<'a>(&self, text: &'a [u8]) -> Cow<'a, [u8]> {
        self.redact(text, Format::Text)
    }

    /// Redacts a JSON event field by field; one that does not parse is
    /// redacted as text.
    pub fn redact_json<'a>(&self, event: &'a [u8]) -> Cow<'a, [u8]> {
        self.redact(event, Format::Json)
    }

    /// Redacts a `str`; the result is UTF-8 (invalid sequences a redaction
    /// boundary might cut are replaced).
    pub fn redact_str<'a>(&self, text: &'a str, format: Format) -> Cow<'a, str> {
        match self.redact(text.as_bytes(), format) {
            Cow::Borrowed(_) => Cow::Borrowed(text),
            Cow::Owned(v) => Cow::Owned(
                String::from_utf8(v)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            ),
        }
    }

    /// Redacts one `(key, value)` field: the whole value if a field rule
    /// names the key, else the value scanned as text.
    pub fn redact_field<'a>(&self, key: &str, value: &'a str) -> Cow<'a, str> {
        self.field_inner(key, value, None)
    }

    /// [`Scanner::redact_field`], adding what it finds to `counts` (made by
    /// [`Scanner::new_counts`]).
    pub fn redact_field_counted<'a>(
        &self,
        key: &str,
        value: &'a str,
        counts: &mut Counts,
    ) -> Cow<'a, str> {
        self.field_inner(key, value, Some(counts))
    }

    /// Redacts the fields of one event, each exactly as
    /// [`Scanner::redact_field`] would, in order. Values that neither a
    /// field rule nor a context keyword reaches through their key are
    /// cleared together, by one pass of the literal automaton and one of
    /// the gate over all of them, and only those the passes flag are
    /// scanned one by one: an event of many short clean values pays for
    /// the start of each pass once, not once per value. Short values found
    /// clean are remembered per thread (only clean ones, compared byte for
    /// byte): the next event that repeats one does not scan it again.
    pub fn redact_fields<'a>(&self, fields: &[(&str, &'a str)]) -> Vec<Cow<'a, str>> {
        /// What a field needs.
        #[derive(Clone, Copy, PartialEq, Eq)]
        enum Need {
            /// Nothing: remembered clean, or cleared by the joined passes.
            Clean,
            /// The joined passes.
            Check,
            /// A scan of its own: its key decides (its field rule and
            /// whether it is context), or it is too large.
            Alone((Option<usize>, bool)),
            /// A scan of its own: the joined passes flagged it.
            Flagged,
        }
        let inner = &*self.inner;
        // The thread's memory is borrowed only around the look-ups and the
        // joined passes: the scans below may walk a JSON value, which uses
        // it too.
        let need = inner.with_clean_values(|clean| {
            let mut need: Vec<Need> = fields
                .iter()
                .map(|(k, v)| {
                    let info = inner.key_info(k.as_bytes());
                    if info != (None, false) || v.len() > self.max_event {
                        Need::Alone(info)
                    } else if clean.contains(v.as_bytes()) {
                        Need::Clean
                    } else {
                        Need::Check
                    }
                })
                .collect();
            let checked = need.iter().filter(|&&n| n == Need::Check).count();
            let texts = fields
                .iter()
                .zip(&need)
                .filter(|(_, &n)| n == Need::Check)
                .map(|((_, v), _)| v.as_bytes());
            let flags = if checked > 1 {
                inner.flag_texts(texts, &mut clean.scratch)
            } else {
                None
            };
            let mut flags = flags.map(|f| f.iter());
            for n in need.iter_mut().filter(|n| **n == Need::Check) {
                *n = match flags.as_mut().and_then(Iterator::next) {
                    Some(false) => Need::Clean,
                    _ => Need::Flagged,
                };
            }
            need
        });
        let out: Vec<Cow<'a, str>> = fields
            .iter()
            .zip(&need)
            .map(|(&(k, v), &n)| match n {
                Need::Alone(info) => self.field_with(k, info, v, None),
                // No field rule and no context: `key_info` said so.
                Need::Flagged | Need::Check => self.field_with(k, (None, false), v, None),
                Need::Clean => Cow::Borrowed(v),
            })
            .collect();
        // Only values no key decided: the same value under a field rule's
        // name is not clean.
        inner.with_clean_values(|clean| {
            for (((_, v), o), n) in fields.iter().zip(&out).zip(&need) {
                if !matches!(n, Need::Alone(_)) && matches!(o, Cow::Borrowed(_)) {
                    clean.insert(v.as_bytes());
                }
            }
        });
        out
    }

    /// Whether a field rule names `key` (its value is sensitive whatever it
    /// is).
    pub fn is_sensitive_key(&self, key: &str) -> bool {
        self.inner.field_for_key(key.as_bytes()).is_some()
    }

    /// Zeroed per-rule counts for this scanner.
    pub fn new_counts(&self) -> Counts {
        Counts {
            ids: self.inner.ids.clone(),
            counts: vec![0; self.inner.ids.len()],
        }
    }

    /// [`Scanner::redact`], adding what it finds to `counts` (made by
    /// [`Scanner::new_counts`]).
    pub fn redact_counted_into<'a>(
        &self,
        line: &'a [u8],
        format: Format,
        counts: &mut Counts,
    ) -> Cow<'a, [u8]> {
        if counts.counts.len() != self.inner.ids.len() {
            *counts = self.new_counts();
        }
        let mut open = None;
        let mut tally = Tally::default();
        let out = self.redact_counted(line, format, &mut tally, &mut open);
        tally.fold_into(&mut counts.counts);
        out
    }

    fn field_inner<'a>(
        &self,
        key: &str,
        value: &'a str,
        counts: Option<&mut Counts>,
    ) -> Cow<'a, str> {
        self.field_with(key, self.inner.key_info(key.as_bytes()), value, counts)
    }

    /// [`Scanner::field_inner`] with the key's field rule and context
    /// already looked up ([`scanner::Inner::key_info`]).
    fn field_with<'a>(
        &self,
        key: &str,
        (rule, context): (Option<usize>, bool),
        value: &'a str,
        counts: Option<&mut Counts>,
    ) -> Cow<'a, str> {
        if let Some(rule) = rule.filter(|&r| self.inner.field_takes(r, value.as_bytes())) {
            if let Some(c) = counts {
                if c.counts.len() == self.inner.ids.len() {
                    c.counts[rule] += 1;
                }
            }
            let mut out = Vec::new();
            self.inner.replacement(rule, value.as_bytes(), &mut out);
            return Cow::Owned(String::from_utf8_lossy(&out).into_owned());
        }
        // Rules qualified by a keyword in the field's name see the value as
        // they see a JSON member's (`"ssn_raw":"428356723"`): the name is
        // context, exactly as a JSON key is.
        if value.len() <= self.max_event && context {
            let mut tally = Tally::default();
            let (red, _) =
                self.inner
                    .redact_plain_ctx(value.as_bytes(), key.as_bytes(), &mut tally, 0);
            if let Some(c) = counts {
                if c.counts.len() != self.inner.ids.len() {
                    *c = self.new_counts();
                }
                tally.fold_into(&mut c.counts);
            }
            return match red {
                Cow::Borrowed(_) => Cow::Borrowed(value),
                Cow::Owned(v) => Cow::Owned(String::from_utf8_lossy(&v).into_owned()),
            };
        }
        let red = match counts {
            Some(c) => self.redact_counted_into(value.as_bytes(), Format::Text, c),
            None => self.redact(value.as_bytes(), Format::Text),
        };
        match red {
            Cow::Borrowed(_) => Cow::Borrowed(value),
            Cow::Owned(v) => Cow::Owned(
                String::from_utf8(v)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            ),
        }
    }

    /// Why `text` cannot skip the detailed scan: the source of the first
    /// gate pattern (a rule's regex, a literal, an escape) that matches it,
    /// or `None` when the line is clean after one pass. For `rules bench`
    /// style diagnostics: a pattern that lets many clean lines through is
    /// what makes a rule pack slow.
    pub fn gate_reason(&self, text: &[u8]) -> Option<&str> {
        self.inner.gate_reason(text)
    }

    /// Every finding in `text`, sorted by position; overlapping findings of
    /// different rules are all listed (redaction merges them).
    pub fn findings(&self, text: &[u8]) -> Vec<Finding> {
        let mut hits = Vec::new();
        let mut open = None;
        self.inner.scan(text, &mut hits, &mut open);
        hits.into_iter()
            .map(|h| Finding {
                rule: self.inner.ids[h.rule].clone(),
                start: h.start,
                end: h.end,
            })
            .collect()
    }

    /// Why each candidate in `text` was redacted or set aside: the rule,
    /// the span and a sentence (the keyword that qualified it, the
    /// validator that passed, or the context, placeholder or checksum that
    /// ruled it out). Never the value. What `logscrub rules explain`
    /// prints; `text` is scanned as plain text (with its escapes decoded),
    /// as [`Scanner::findings`] does.
    pub fn explain(&self, text: &[u8]) -> Vec<Explanation> {
        let mut hits = Vec::new();
        let mut open = None;
        let mut trace = Vec::new();
        self.inner
            .scan_traced(text, &[], None, &mut hits, &mut open, Some(&mut trace));
        trace.sort_by_key(|t| (t.start, t.end, t.rule));
        trace.dedup();
        trace
            .into_iter()
            .map(|t| Explanation {
                rule: self.inner.ids[t.rule].clone(),
                start: t.start,
                end: t.end,
                redacted: t.found,
                reason: t.why,
            })
            .collect()
    }

    /// A redactor for a stream of lines.
    pub fn lines(&self, format: Format) -> LineRedactor {
        LineRedactor {
            scanner: self.clone(),
            format,
            block: None,
            block_lines: 0,
            counts: vec![0; self.inner.ids.len()],
        }
    }

    fn redact_counted<'a>(
        &self,
        line: &'a [u8],
        format: Format,
        counts: &mut Tally,
        open: &mut Option<OpenBlock>,
    ) -> Cow<'a, [u8]> {
        let inner = &*self.inner;
        if line.len() > self.max_event {
            counts.add(inner.oversize);
            let mut out = Vec::new();
            inner.replacement(inner.oversize, b"", &mut out);
            return Cow::Owned(out);
        }
        let json = match format {
            Format::Text => false,
            Format::Json => true,
            Format::Auto => {
                let t = line.trim_ascii_start();
                t.starts_with(b"{") || t.starts_with(b"[")
            }
        };
        if json {
            let mark = counts.len();
            if let Some(out) = inner.redact_json_doc(line, counts, 0) {
                // A block rule (a PEM key) that fired in a JSON line without
                // its end marker opens a block: log shippers wrap each line
                // of a multi-line key in its own JSON record.
                for (r, end) in &inner.multiline {
                    if counts.fired_since(mark, *r) && memchr::memmem::find(line, end).is_none() {
                        *open = Some(OpenBlock {
                            rule: *r,
                            end: end.clone(),
                        });
                    }
                }
                return out;
            }
        }
        // One pass of the literal automaton decides whether the line is
        // worth a look and, if it is, tells the scan where the literals are.
        let Some(lits) = inner.gate_check(line) else {
            return Cow::Borrowed(line);
        };
        let mut hits: Vec<Hit> = Vec::new();
        inner.scan_with(line, lits, &mut hits, open);
        if hits.is_empty() {
            return Cow::Borrowed(line);
        }
        for h in &hits {
            counts.add(h.rule);
        }
        inner.apply(line, &Inner::merge(&hits))
    }
}

/// The rules that fired while redacting one event, in order: empty (and
/// free) for the clean majority, so an event costs nothing per rule in the
/// pack; folded into [`Counts`] by the callers that keep them.
#[derive(Debug, Default)]
pub(crate) struct Tally(Vec<u32>);

impl Tally {
    pub(crate) fn add(&mut self, rule: usize) {
        self.0.push(rule as u32);
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// Forgets what was added after `mark` (a JSON walk that fell back to
    /// text must not count twice).
    pub(crate) fn truncate(&mut self, mark: usize) {
        self.0.truncate(mark);
    }

    fn fired_since(&self, mark: usize, rule: usize) -> bool {
        self.0[mark..].contains(&(rule as u32))
    }

    fn fold_into(&self, counts: &mut [u64]) {
        for &r in &self.0 {
            if let Some(c) = counts.get_mut(r as usize) {
                *c += 1;
            }
        }
    }
}

/// Per-rule finding counts. Counts, never values.
#[derive(Debug, Clone, Default)]
pub struct Counts {
    ids: Vec<Arc<str>>,
    counts: Vec<u64>,
}

impl Counts {
    /// `(rule id, count)` for every rule with a non-zero count.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u64)> {
        self.ids
            .iter()
            .zip(&self.counts)
            .filter(|(_, &c)| c > 0)
            .map(|(id, &c)| (&**id, c))
    }
    /// The count for one rule.
    pub fn get(&self, rule: &str) -> u64 {
        self.ids
            .iter()
            .position(|i| &**i == rule)
            .map_or(0, |p| self.counts[p])
    }
    /// Total findings.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }
    /// Adds `other` (from the same scanner) into `self`.
    pub fn merge(&mut self, other: &Counts) {
        if self.ids.is_empty() {
            *self = other.clone();
            return;
        }
        for (c, o) in self.counts.iter_mut().zip(&other.counts) {
            *c += o;
        }
    }
}

/// State carried from one line to the next: a multi-line block (PEM key)
/// that has opened and not yet closed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BlockState(Option<OpenBlock>);

impl BlockState {
    /// Whether a block is open.
    pub fn is_open(&self) -> bool {
        self.0.is_some()
    }
}

/// Redacts a stream of lines in order. See [`Scanner::lines`].
#[derive(Debug)]
pub struct LineRedactor {
    scanner: Scanner,
    format: Format,
    block: Option<OpenBlock>,
    block_lines: usize,
    counts: Vec<u64>,
}

/// Lines of a multi-line block redacted at most before it is closed anyway.
const MAX_BLOCK_LINES: usize = 500;

fn is_base64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')
}

/// Runs of key material in a wrapped body line: base64 runs of 40 or more
/// (PEM lines are 64), or of 4 or more that end the line's content (the
/// short last line of a body, before `\n"` or the end).
fn body_runs(line: &[u8], rule: usize) -> Vec<Hit> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < line.len() {
        if !is_base64(line[i]) {
            i += 1;
            continue;
        }
        let s = i;
        while i < line.len() && is_base64(line[i]) {
            i += 1;
        }
        let len = i - s;
        let rest = &line[i..];
        let ends_content =
            rest.trim_ascii().is_empty() || rest.starts_with(b"\\n") || rest.starts_with(b"\\r\\n");
        let boundary = s == 0
            || !line[s - 1].is_ascii_alphanumeric()
            || line[s - 1] == b'n' && s >= 2 && line[s - 2] == b'\\';
        if boundary && (len >= 40 || (len >= 4 && ends_content)) {
            out.push(Hit {
                start: s,
                end: i,
                rule,
            });
        }
    }
    out
}

/// Whether a line can be inside a PEM-like block (base64 body or headers).
fn looks_like_block_body(line: &[u8]) -> bool {
    let t = line.trim_ascii();
    t.len() <= 200
        && t.iter().all(|&b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'+' | b'/' | b'=' | b':' | b'-' | b',' | b' ' | b'.' | b'_'
                )
        })
}

impl LineRedactor {
    /// Redacts one line (without its line terminator).
    pub fn redact<'a>(&mut self, line: &'a [u8]) -> Cow<'a, [u8]> {
        if let Some(block) = self.block.clone() {
            // Only lines inside a block pay for this clone (an Arc).
            let scanner = self.scanner.clone();
            let inner = &*scanner.inner;
            if let Some(p) = memchr::memmem::find(line, &block.end) {
                self.block = None;
                self.block_lines = 0;
                let mut e = p + block.end.len();
                if let Some(q) = memchr::memmem::find(&line[e..], b"-----") {
                    e += q + 5;
                }
                // A body run just before the end marker on the same line is
                // redacted; the marker itself (armour, not key material) and
                // what precedes the run (a syslog prefix, `{"log":"`) stay.
                let mut t = p;
                while t > 0 && line[t - 1] == b' ' {
                    t -= 1;
                }
                let mut u = t;
                while u > 0 && is_base64(line[u - 1]) {
                    u -= 1;
                }
                // What precedes is scanned too: it can hold a whole key of
                // its own (`-----BEGIN ...-----\nBODY\n` before this end).
                let mut out = self.redact_one(&line[..u]).into_owned();
                self.block = None;
                self.block_lines = 0;
                if u < t {
                    self.counts[block.rule] += 1;
                    inner.replacement(block.rule, &line[u..t], &mut out);
                }
                out.extend_from_slice(&line[t..e]);
                let rest = self.redact_one(&line[e..]);
                out.extend_from_slice(&rest);
                return Cow::Owned(out);
            }
            if self.block_lines < MAX_BLOCK_LINES {
                if looks_like_block_body(line) {
                    self.block_lines += 1;
                    if line.trim_ascii().is_empty() {
                        return Cow::Borrowed(line);
                    }
                    self.counts[block.rule] += 1;
                    let mut out = Vec::new();
                    inner.replacement(block.rule, line, &mut out);
                    return Cow::Owned(out);
                }
                let runs = body_runs(line, block.rule);
                if !runs.is_empty() {
                    // A body line inside a wrapper (a JSON record, a syslog
                    // prefix): redact the key material, keep the wrapper.
                    self.block_lines += 1;
                    self.counts[block.rule] += runs.len() as u64;
                    let cut = inner.apply(line, &runs).into_owned();
                    let out = self.redact_one(&cut).into_owned();
                    return Cow::Owned(out);
                }
            }
            self.block = None;
            self.block_lines = 0;
        }
        self.redact_one(line)
    }

    fn redact_one<'a>(&mut self, line: &'a [u8]) -> Cow<'a, [u8]> {
        let mut open = None;
        let mut tally = Tally::default();
        let out = self
            .scanner
            .redact_counted(line, self.format, &mut tally, &mut open);
        tally.fold_into(&mut self.counts);
        if open.is_some() {
            self.block = open;
            self.block_lines = 0;
        }
        out
    }

    /// Per-rule counts so far.
    pub fn counts(&self) -> Counts {
        Counts {
            ids: self.scanner.inner.ids.clone(),
            counts: self.counts.clone(),
        }
    }

    /// Per-rule counts since the last call (or the start), then zeroed:
    /// for callers that publish counts as they go.
    pub fn take_counts(&mut self) -> Counts {
        let counts = Counts {
            ids: self.scanner.inner.ids.clone(),
            counts: self.counts.clone(),
        };
        self.counts.iter_mut().for_each(|c| *c = 0);
        counts
    }

    /// The state to hand to the redactor of the lines that follow.
    pub fn block_state(&self) -> BlockState {
        BlockState(self.block.clone())
    }

    /// Continues from the state another redactor ended in.
    pub fn set_block_state(&mut self, state: BlockState) {
        self.block = state.0;
        self.block_lines = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync + Clone>() {}

    #[test]
    fn scanner_is_send_sync_and_clone() {
        assert_send_sync::<Scanner>();
    }

    #[test]
    fn debug_output_never_shows_the_hash_key() {
        let s = Scanner::builder()
            .hash_key(b"super-secret-hash-key".to_vec())
            .build(&Rules::embedded())
            .unwrap();
        let b = Scanner::builder().hash_key(b"super-secret-hash-key".to_vec());
        for dbg in [
            format!("{s:?}"),
            format!("{b:?}"),
            format!("{:?}", s.lines(Format::Auto)),
        ] {
            assert!(
                !dbg.contains("super-secret") && !dbg.contains("115, 117, 112"),
                "{dbg}"
            );
            assert!(dbg.contains("**REDACTED**"));
        }
    }

    #[test]
    fn embedded_pack_compiles() {
        let s = Scanner::new(&Rules::embedded()).unwrap();
        assert!(s.rule_ids().count() > 1);
    }
}
