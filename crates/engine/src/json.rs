//! Field-aware redaction of JSON events.
//!
//! A hand-written, non-recursive walker rather than a `serde_json` round
//! trip, because the output must be the input byte for byte except where
//! something is redacted: same key order, same spacing, same number
//! spelling, and no allocation at all for a clean event. Nesting is tracked
//! on an explicit stack with a depth limit, so a deeply nested document
//! cannot overflow the call stack; anything that is not one valid JSON value
//! makes the walker give up and the caller scans the line as text instead
//! (which still applies every rule, field rules included).
//!
//! For every string (keys too) the walker decodes JSON escapes, scans the
//! decoded text (a string that itself holds a JSON document is walked in
//! turn) and re-escapes the result. A member whose key a field rule names is
//! replaced whole, whatever its type; `drop` removes the member.

use std::borrow::Cow;

use crate::scanner::{Hit, Inner, Op, CLEAN_VALUE_LEN, MAX_JSON_DEPTH};
use crate::Tally;

/// How many JSON documents may nest inside JSON strings.
const MAX_EMBEDDED: usize = 4;

struct Out<'a> {
    src: &'a [u8],
    buf: Vec<u8>,
    at: usize,
    changed: bool,
}

#[derive(Clone, Copy)]
struct Mark {
    len: usize,
    at: usize,
    changed: bool,
}

impl<'a> Out<'a> {
    fn replace(&mut self, s: usize, e: usize, with: &[u8]) {
        debug_assert!(s >= self.at);
        self.buf.extend_from_slice(&self.src[self.at..s]);
        self.buf.extend_from_slice(with);
        self.at = e;
        self.changed = true;
    }
    fn mark(&self) -> Mark {
        Mark {
            len: self.buf.len(),
            at: self.at,
            changed: self.changed,
        }
    }
    fn rewind(&mut self, m: Mark) {
        self.buf.truncate(m.len);
        self.at = m.at;
        self.changed = m.changed;
    }
    fn finish(mut self) -> Cow<'a, [u8]> {
        if !self.changed {
            return Cow::Borrowed(self.src);
        }
        self.buf.extend_from_slice(&self.src[self.at..]);
        Cow::Owned(self.buf)
    }
}

#[derive(Clone, Copy)]
struct Member {
    /// Where removing this member starts: its preceding comma, or its key.
    from: usize,
    /// Whether a comma precedes it (else a following comma goes with it).
    after_comma: bool,
    mark: Mark,
    rule: Option<usize>,
    /// The key's span (quotes included), for keyword context.
    key: (usize, usize),
}

struct Frame {
    is_obj: bool,
    member: Option<Member>,
    /// This member is dropped whole when it closes (its key names a `drop` rule).
    whole: Option<usize>,
    /// Every scalar inside is redacted by this field rule (its key, or an
    /// enclosing key, is sensitive); keys and structure stay.
    inherit: Option<usize>,
    /// A `name`/`key` member of this object named a sensitive key: its
    /// `value` member is sensitive (`{"name":"DB_PASSWORD","value":"..."}`,
    /// HAR headers, AWS tags).
    pair: Option<usize>,
}

/// Keys that name another member's key, and the keys that hold its value.
const PAIR_NAME_KEYS: &[&[u8]] = &[
    b"name",
    b"key",
    b"header",
    b"field",
    b"param",
    b"parameter",
    b"variable",
    b"var",
];
const PAIR_VALUE_KEYS: &[&[u8]] = &[b"value", b"val", b"values"];

fn key_is(key: &[u8], set: &[&[u8]]) -> bool {
    set.iter().any(|k| key.eq_ignore_ascii_case(k))
}

enum Want {
    Value,
    ValueOrEnd,
    Key,
    KeyOrEnd,
    CommaOrEnd,
}

fn skip_ws(s: &[u8], mut i: usize) -> usize {
    while i < s.len() && matches!(s[i], b' ' | b'\t' | b'\r' | b'\n') {
        i += 1;
    }
    i
}

/// Index just past the closing quote of the string starting at `i`.
fn string_end(s: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    while j < s.len() {
        match s[j] {
            b'"' => return Some(j + 1),
            b'\\' => j += 2,
            b'\n' => return None,
            _ => j += 1,
        }
    }
    None
}

fn hex4(t: &[u8]) -> Option<u32> {
    let mut v = 0;
    for &b in t.get(..4)? {
        v = v * 16 + (b as char).to_digit(16)?;
    }
    Some(v)
}

/// Decodes the escapes of a JSON string's content.
pub(crate) fn unescape(content: &[u8]) -> Option<Cow<'_, [u8]>> {
    if memchr::memchr(b'\\', content).is_none() {
        return Some(Cow::Borrowed(content));
    }
    let mut out = Vec::with_capacity(content.len());
    let mut i = 0;
    while i < content.len() {
        let b = content[i];
        if b != b'\\' {
            out.push(b);
            i += 1;
            continue;
        }
        let c = *content.get(i + 1)?;
        i += 2;
        let simple = match c {
            b'"' => b'"',
            b'\\' => b'\\',
            b'/' => b'/',
            b'b' => 8,
            b'f' => 12,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => {
                let mut cp = hex4(&content[i..])?;
                i += 4;
                if (0xD800..0xDC00).contains(&cp) && content.get(i..i + 2) == Some(b"\\u") {
                    if let Some(lo) =
                        hex4(&content[i + 2..]).filter(|lo| (0xDC00..0xE000).contains(lo))
                    {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                        i += 6;
                    }
                }
                let ch = char::from_u32(cp).unwrap_or('\u{FFFD}');
                out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
                continue;
            }
            _ => return None,
        };
        out.push(simple);
    }
    Some(Cow::Owned(out))
}

/// Appends `s` as a JSON string literal (quotes included); bytes that are
/// not ASCII are copied as they are.
pub fn escape_into(s: &[u8], out: &mut Vec<u8>) {
    out.push(b'"');
    for &b in s {
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0..=0x1f => out.extend_from_slice(format!("\\u{b:04x}").as_bytes()),
            _ => out.push(b),
        }
    }
    out.push(b'"');
}

impl Inner {
    /// Redacts decoded text (a string's content), counting hits. Returns the
    /// text and whether a `drop` rule fired.
    pub(crate) fn redact_plain<'t>(
        &self,
        text: &'t [u8],
        counts: &mut Tally,
        depth: usize,
    ) -> (Cow<'t, [u8]>, bool) {
        self.redact_plain_ctx(text, b"", counts, depth)
    }

    /// Redacts a member's value. Rules whose keywords are in the member's
    /// key see the value as `"key":"value"`, the way a text log would show
    /// it: a rule for `"SecretAccessKey": "<40 chars>"` fires in JSON too.
    pub(crate) fn redact_plain_ctx<'t>(
        &self,
        text: &'t [u8],
        key: &[u8],
        counts: &mut Tally,
        depth: usize,
    ) -> (Cow<'t, [u8]>, bool) {
        let trimmed = text.trim_ascii();
        if depth < MAX_EMBEDDED && (trimmed.starts_with(b"{") || trimmed.starts_with(b"[")) {
            if let Some(r) = self.redact_json_doc(text, counts, depth + 1) {
                return (r, false);
            }
        }
        let mut hits: Vec<Hit> = Vec::new();
        let mut open = None;
        // Most keys are no context: the per-thread key cache says so
        // without a literal pass over the key each time.
        let ctx = if key.is_empty() || !self.key_has_context(key) {
            Vec::new()
        } else {
            self.context_rules(key)
        };
        // With no context the verdict depends on the text alone, so a short
        // text this thread found clean before is clean again (log events
        // repeat their levels, loggers, event names and enum values).
        let remember = ctx.is_empty() && text.len() <= CLEAN_VALUE_LEN;
        if remember && self.with_clean_values(|c| c.contains(text)) {
            return (Cow::Borrowed(text), false);
        }
        if ctx.is_empty() {
            // Most strings of an event that holds a secret are clean; the
            // gate clears each in one short pass.
            match self.gate_check(text) {
                None if self.json_prefilter_ok() => {
                    if remember {
                        self.with_clean_values(|c| c.insert(text));
                    }
                    return (Cow::Borrowed(text), false);
                }
                None => self.scan(text, &mut hits, &mut open),
                Some(lits) => self.scan_with(text, lits, &mut hits, &mut open),
            }
        } else {
            let mut synth = Vec::with_capacity(key.len() + text.len() + 5);
            synth.push(b'"');
            synth.extend_from_slice(key);
            synth.extend_from_slice(b"\":\"");
            let off = synth.len();
            synth.extend_from_slice(text);
            synth.push(b'"');
            let mut all = Vec::new();
            self.scan_in_context(&synth, &ctx, &mut all, &mut open);
            for h in all {
                let (s, e) = (h.start.max(off), h.end.min(off + text.len()));
                if e > s {
                    hits.push(Hit {
                        start: s - off,
                        end: e - off,
                        rule: h.rule,
                    });
                }
            }
        }
        if hits.is_empty() {
            if remember {
                self.with_clean_values(|c| c.insert(text));
            }
            return (Cow::Borrowed(text), false);
        }
        for h in &hits {
            counts.add(h.rule);
        }
        let merged = Inner::merge(&hits);
        let drop = merged.iter().any(|h| self.op(h.rule) == Op::Drop);
        (self.apply(text, &merged), drop)
    }

    /// Walks one JSON document; `None` if `src` is not exactly one JSON value.
    pub(crate) fn redact_json_doc<'a>(
        &self,
        src: &'a [u8],
        counts: &mut Tally,
        depth: usize,
    ) -> Option<Cow<'a, [u8]>> {
        if depth == 0 && self.json_prefilter_ok() && !self.may_match(src) {
            // Nothing in the line could match, so nothing in any of its
            // strings can: the clean majority of events stops here.
            return Some(Cow::Borrowed(src));
        }
        // Counts are only committed if the document parses, so a fallback to
        // text scanning does not count twice.
        let mark = counts.len();
        let out = self.walk(src, counts, depth);
        if out.is_none() {
            counts.truncate(mark);
        }
        out
    }

    fn walk<'a>(&self, src: &'a [u8], counts: &mut Tally, depth: usize) -> Option<Cow<'a, [u8]>> {
        let n = src.len();
        let mut out = Out {
            src,
            buf: Vec::new(),
            at: 0,
            changed: false,
        };
        let mut stack: Vec<Frame> = Vec::new();
        let mut want = Want::Value;
        let mut member: Option<Member> = None;
        // Stack depth at and above which nothing is scanned (inside a
        // container that is replaced whole).
        let mut suppress: Option<usize> = None;
        let mut eat_comma = false;
        let mut i = skip_ws(src, 0);
        let mut scratch: Vec<u8> = Vec::new();
        loop {
            i = skip_ws(src, i);
            // A container closes after a value, or at once when empty.
            let closer = match want {
                Want::ValueOrEnd => Some(b']'),
                Want::KeyOrEnd => Some(b'}'),
                Want::CommaOrEnd => stack.last().map(|f| if f.is_obj { b'}' } else { b']' }),
                _ => None,
            };
            if closer.is_some() && src.get(i).copied() == closer {
                i = self.close(
                    i,
                    &mut stack,
                    &mut out,
                    &mut suppress,
                    counts,
                    &mut eat_comma,
                )?;
                if stack.is_empty() {
                    break;
                }
                want = Want::CommaOrEnd;
                continue;
            }
            match want {
                Want::Value | Want::ValueOrEnd => {
                    let b = *src.get(i)?;
                    let m = member.take();
                    match b {
                        b'{' | b'[' => {
                            if stack.len() >= MAX_JSON_DEPTH {
                                return None;
                            }
                            let own = if suppress.is_none() {
                                m.and_then(|m| m.rule)
                                    .filter(|&r| self.field_takes_nested(r))
                            } else {
                                None
                            };
                            let whole = own.filter(|&r| self.op(r) == Op::Drop);
                            let inherit = if whole.is_some() {
                                None
                            } else {
                                own.or(stack.last().and_then(|f| f.inherit))
                            };
                            stack.push(Frame {
                                is_obj: b == b'{',
                                member: m,
                                whole,
                                inherit,
                                pair: None,
                            });
                            if whole.is_some() {
                                suppress = Some(stack.len());
                            }
                            i += 1;
                            want = if b == b'{' {
                                Want::KeyOrEnd
                            } else {
                                Want::ValueOrEnd
                            };
                            continue;
                        }
                        _ => {
                            let e = match b {
                                b'"' => string_end(src, i)?,
                                b'-' | b'0'..=b'9' => {
                                    let mut e = i + 1;
                                    while e < n
                                        && matches!(
                                            src[e],
                                            b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-'
                                        )
                                    {
                                        e += 1;
                                    }
                                    e
                                }
                                b't' | b'f' | b'n' => {
                                    let lit: &[u8] = match b {
                                        b't' => b"true",
                                        b'f' => b"false",
                                        _ => b"null",
                                    };
                                    if !src[i..].starts_with(lit) {
                                        return None;
                                    }
                                    i + lit.len()
                                }
                                _ => return None,
                            };
                            if suppress.is_none() && b == b'"' {
                                // `{"name":"DB_PASSWORD", ...}` makes the
                                // object's `value` member sensitive.
                                if let Some(mm) = m.filter(|mm| mm.key.1 >= mm.key.0 + 2) {
                                    let k = &src[mm.key.0 + 1..mm.key.1 - 1];
                                    if key_is(k, PAIR_NAME_KEYS) {
                                        if let Some(named) = unescape(&src[i + 1..e - 1])
                                            .and_then(|n| self.field_for_key(&n))
                                        {
                                            if let Some(top) = stack.last_mut() {
                                                top.pair = Some(named);
                                            }
                                        }
                                    }
                                }
                            }
                            if suppress.is_none() {
                                let inherit = stack.last().and_then(|f| f.inherit);
                                self.scalar(
                                    src,
                                    i,
                                    e,
                                    m,
                                    inherit,
                                    &mut out,
                                    counts,
                                    depth,
                                    &mut eat_comma,
                                    &mut scratch,
                                )?;
                            }
                            i = e;
                        }
                    }
                    if stack.is_empty() {
                        break;
                    }
                    want = Want::CommaOrEnd;
                }
                Want::Key | Want::KeyOrEnd => {
                    let b = *src.get(i)?;
                    if b != b'"' {
                        return None;
                    }
                    let e = string_end(src, i)?;
                    let mut m = member.take().unwrap_or(Member {
                        from: i,
                        after_comma: false,
                        mark: out.mark(),
                        rule: None,
                        key: (0, 0),
                    });
                    m.key = (i, e);
                    if suppress.is_none() {
                        let key = unescape(&src[i + 1..e - 1])?;
                        m.rule = self.field_for_key(&key);
                        if m.rule.is_none() && key_is(&key, PAIR_VALUE_KEYS) {
                            m.rule = stack.last().and_then(|f| f.pair);
                        }
                        if m.rule.is_none() {
                            let (red, _) = self.redact_plain(&key, counts, MAX_EMBEDDED);
                            if let Cow::Owned(k) = red {
                                scratch.clear();
                                escape_into(&k, &mut scratch);
                                out.replace(i, e, &scratch);
                            }
                        }
                    }
                    i = skip_ws(src, e);
                    if src.get(i) != Some(&b':') {
                        return None;
                    }
                    i += 1;
                    member = Some(m);
                    want = Want::Value;
                }
                Want::CommaOrEnd => {
                    let b = *src.get(i)?;
                    let top = stack.last()?;
                    match (b, top.is_obj) {
                        (b',', is_obj) => {
                            if eat_comma {
                                eat_comma = false;
                                let e = skip_ws(src, i + 1);
                                out.replace(i, e, b"");
                                member = is_obj.then(|| Member {
                                    from: e,
                                    after_comma: false,
                                    mark: out.mark(),
                                    rule: None,
                                    key: (0, 0),
                                });
                                i = e;
                            } else {
                                let mark = out.mark();
                                member = is_obj.then_some(Member {
                                    from: i,
                                    after_comma: true,
                                    mark,
                                    rule: None,
                                    key: (0, 0),
                                });
                                i += 1;
                            }
                            want = if is_obj { Want::Key } else { Want::Value };
                        }
                        _ => return None,
                    }
                }
            }
        }
        if skip_ws(src, i) != n {
            return None;
        }
        Some(out.finish())
    }

    fn close(
        &self,
        i: usize,
        stack: &mut Vec<Frame>,
        out: &mut Out<'_>,
        suppress: &mut Option<usize>,
        counts: &mut Tally,
        eat_comma: &mut bool,
    ) -> Option<usize> {
        let depth_before = stack.len();
        let frame = stack.pop()?;
        let e = i + 1;
        if *suppress == Some(depth_before) {
            *suppress = None;
            if let (Some(rule), Some(m)) = (frame.whole, frame.member) {
                counts.add(rule);
                self.drop_member(m, e, out, eat_comma);
            }
        }
        Some(e)
    }

    /// Replaces a member's whole value `[s, e)` for a field rule.
    #[allow(clippy::too_many_arguments)]
    fn replace_whole(
        &self,
        src: &[u8],
        s: usize,
        e: usize,
        rule: usize,
        m: Option<Member>,
        out: &mut Out<'_>,
        counts: &mut Tally,
        eat_comma: &mut bool,
        scratch: &mut Vec<u8>,
    ) {
        counts.add(rule);
        if self.op(rule) == Op::Drop {
            match m {
                Some(m) => self.drop_member(m, e, out, eat_comma),
                None => out.replace(s, e, b"null"),
            }
            return;
        }
        let raw = &src[s..e];
        let value: Cow<'_, [u8]> = if raw.first() == Some(&b'"') && raw.len() >= 2 {
            unescape(&raw[1..raw.len() - 1]).unwrap_or(Cow::Borrowed(raw))
        } else {
            Cow::Borrowed(raw)
        };
        // `"authorization": "Bearer abc"` keeps its scheme word readable,
        // as the same header does in text (only under such a key: a
        // passphrase that starts with "basic " keeps nothing).
        let auth_key = m.is_some_and(|m| {
            m.key.1 > m.key.0 && {
                let k = src[m.key.0..m.key.1].to_ascii_lowercase();
                memchr::memmem::find(&k, b"authorization").is_some()
            }
        });
        let keep = if auth_key {
            crate::fields::skip_scheme(&value, 0, value.len())
        } else {
            0
        };
        let mut rep = value[..keep].to_vec();
        self.replacement(rule, &value[keep..], &mut rep);
        scratch.clear();
        escape_into(&rep, scratch);
        out.replace(s, e, scratch);
    }

    fn drop_member(&self, m: Member, value_end: usize, out: &mut Out<'_>, eat_comma: &mut bool) {
        out.rewind(m.mark);
        out.replace(m.from, value_end, b"");
        if !m.after_comma {
            *eat_comma = true;
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn scalar(
        &self,
        src: &[u8],
        s: usize,
        e: usize,
        m: Option<Member>,
        inherit: Option<usize>,
        out: &mut Out<'_>,
        counts: &mut Tally,
        depth: usize,
        eat_comma: &mut bool,
        scratch: &mut Vec<u8>,
    ) -> Option<()> {
        let is_str = src[s] == b'"';
        if !is_str && !src[s].is_ascii_digit() && src[s] != b'-' {
            return Some(()); // true, false, null carry nothing
        }
        if let Some(rule) = m.and_then(|m| m.rule).or(inherit) {
            let raw = if is_str {
                &src[s + 1..e - 1]
            } else {
                &src[s..e]
            };
            if self.field_takes(rule, raw) {
                self.replace_whole(src, s, e, rule, m, out, counts, eat_comma, scratch);
                return Some(());
            }
        }
        let content: Cow<'_, [u8]> = if is_str {
            unescape(&src[s + 1..e - 1])?
        } else {
            Cow::Borrowed(&src[s..e])
        };
        let key: Cow<'_, [u8]> = match m {
            Some(m) if m.key.1 >= m.key.0 + 2 => {
                unescape(&src[m.key.0 + 1..m.key.1 - 1]).unwrap_or(Cow::Borrowed(b""))
            }
            _ => Cow::Borrowed(b""),
        };
        let (red, drop) = self.redact_plain_ctx(&content, &key, counts, depth);
        if let Cow::Owned(r) = red {
            match (drop, m) {
                (true, Some(m)) => self.drop_member(m, e, out, eat_comma),
                (true, None) => out.replace(s, e, b"null"),
                _ => {
                    scratch.clear();
                    escape_into(&r, scratch);
                    out.replace(s, e, scratch);
                }
            }
        }
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescape_roundtrip() {
        let u = unescape(br#"a\"b\\c\n\u0040\ud83d\ude00"#).unwrap();
        assert_eq!(&*u, "a\"b\\c\n@\u{1F600}".as_bytes());
        let mut out = Vec::new();
        escape_into(&u, &mut out);
        assert_eq!(out, "\"a\\\"b\\\\c\\n@\u{1F600}\"".as_bytes());
        assert!(unescape(br"\q").is_none());
    }
}
