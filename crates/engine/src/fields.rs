//! Key-name (field) rules: a value is sensitive because of what it is called.
//!
//! Keys compare case-insensitively, ignoring `-`, `_`, `.` and camelCase
//! humps, so `api_key`, `apiKey`, `API-KEY` and `api.key` are one key. A key
//! matches a name when the key *ends* with it on a word boundary
//! (`db_password`, `userPassword`), or, for names of five letters or more,
//! anywhere at the end (`mytoken`): short names (`pin`, `otp`) need the
//! boundary or `shipping` would be a PIN.
//!
//! In text, the scanner's literal automaton finds where a name occurs; this
//! module then checks that it is really a key (followed by `=`, `:`, `=>`,
//! `:=`, possibly quoted) and finds where its value runs.

use crate::rules::ValueExtent;

/// Words of a key: split on `-_. ` and camelCase, lowercased.
pub(crate) fn words(key: &[u8]) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    let mut cur: Vec<u8> = Vec::new();
    for (i, &b) in key.iter().enumerate() {
        if matches!(b, b'-' | b'_' | b'.' | b' ' | b'/' | b':') {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if b.is_ascii_uppercase() && !cur.is_empty() {
            let prev = key[i - 1];
            let next_lower = key.get(i + 1).is_some_and(u8::is_ascii_lowercase);
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.push(b.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The compared form of a key: its words joined.
pub(crate) fn normalize(key: &[u8]) -> Vec<u8> {
    words(key).concat()
}

/// Literal spellings of a name that a text key containing it must contain
/// (case-insensitively): the words joined by nothing, `_`, `-` or `.`.
pub(crate) fn spellings(name: &str) -> Vec<String> {
    let ws: Vec<String> = words(name.as_bytes())
        .into_iter()
        .map(|w| String::from_utf8_lossy(&w).into_owned())
        .collect();
    let mut out = vec![String::new()];
    for (i, w) in ws.iter().enumerate() {
        let mut next = Vec::new();
        for prefix in &out {
            if i == 0 {
                next.push(w.clone());
            } else {
                for sep in ["", "_", "-", "."] {
                    next.push(format!("{prefix}{sep}{w}"));
                }
            }
        }
        out = next;
    }
    out.sort();
    out.dedup();
    out
}

/// The literals that find where a key naming `name` could end in text:
/// the spellings of its last word when that word has five letters or more
/// (`access_token` is found through `token`), else of its last two words
/// (`api_key`, `x-api-key`). Any key that ends with the name contains one
/// of them, so this is only a trigger; [`NameSet::matches`] decides. Fewer,
/// shorter literals keep the literal automaton and the scanner's gate small
/// (every separator spelling of every word multiplies them).
pub(crate) fn trigger_spellings(name: &str) -> Vec<String> {
    let ws = words(name.as_bytes());
    let tail: Vec<&Vec<u8>> = match ws.as_slice() {
        [] => return Vec::new(),
        [.., last] if last.len() >= 5 => vec![last],
        [.., prev, last] => vec![prev, last],
        [only] => vec![only],
    };
    let joined: Vec<String> = tail
        .iter()
        .map(|w| String::from_utf8_lossy(w).into_owned())
        .collect();
    spellings(&joined.join("_"))
}

/// A compiled set of names and exceptions for one field rule.
#[derive(Debug)]
pub(crate) struct NameSet {
    names: Vec<Vec<u8>>,
    except: Vec<Vec<u8>>,
    /// Names matched as whole words anywhere in a key, each as its words.
    anywhere: Vec<Vec<Vec<u8>>>,
    /// The same names joined, as prepared substring searches (a key holds
    /// one of them or none can match).
    anywhere_joined: Vec<memchr::memmem::Finder<'static>>,
    /// Words after an `anywhere` name that make the key metadata.
    metadata: Vec<Vec<u8>>,
}

impl NameSet {
    #[cfg(test)]
    pub(crate) fn new(names: &[String], except: &[String]) -> Self {
        Self::with_anywhere(names, except, &[], &[])
    }

    pub(crate) fn with_anywhere(
        names: &[String],
        except: &[String],
        anywhere: &[String],
        metadata: &[String],
    ) -> Self {
        NameSet {
            names: names.iter().map(|n| normalize(n.as_bytes())).collect(),
            except: except.iter().map(|n| normalize(n.as_bytes())).collect(),
            anywhere: anywhere.iter().map(|n| words(n.as_bytes())).collect(),
            anywhere_joined: anywhere
                .iter()
                .map(|n| memchr::memmem::Finder::new(&normalize(n.as_bytes())).into_owned())
                .collect(),
            metadata: metadata.iter().map(|n| normalize(n.as_bytes())).collect(),
        }
    }

    /// Whether `key` (raw, as written) names a value of this rule.
    pub(crate) fn matches(&self, key: &[u8]) -> bool {
        NormalizedKey::new(key).is_some_and(|k| self.matches_key(&k))
    }

    /// Whether an already normalized key names a value of this rule.
    pub(crate) fn matches_key(&self, k: &NormalizedKey) -> bool {
        if self.matches_normalized(k.joined(), |i| k.is_boundary(i)) {
            return true;
        }
        if self.anywhere.is_empty() {
            return false;
        }
        let joined = k.joined();
        // Most keys hold none of the names: one substring search each.
        if !self
            .anywhere_joined
            .iter()
            .any(|name| name.find(joined).is_some())
        {
            return false;
        }
        if self.except.iter().any(|e| e.as_slice() == joined) {
            return false;
        }
        // The key's words, from its word boundaries, without allocating
        // for keys of up to 64 words (every key a person writes).
        let mut starts = [0usize; 65];
        let mut n = 1;
        for i in 1..joined.len() {
            if k.is_boundary(i) {
                if n == starts.len() {
                    return false;
                }
                starts[n] = i;
                n += 1;
            }
        }
        let word = |w: usize| {
            &joined[starts[w]..if w + 1 < n {
                starts[w + 1]
            } else {
                joined.len()
            }]
        };
        self.anywhere.iter().any(|name| {
            name.len() <= n
                && (0..=n - name.len()).any(|at| {
                    name.iter()
                        .enumerate()
                        .all(|(j, w)| word(at + j) == w.as_slice())
                        && !(at + name.len()..n)
                            .any(|w| self.metadata.iter().any(|m| m.as_slice() == word(w)))
                })
        })
    }

    fn matches_normalized(&self, joined: &[u8], is_boundary: impl Fn(usize) -> bool) -> bool {
        if joined.is_empty() {
            return false;
        }
        let last = joined[joined.len() - 1];
        self.names.iter().any(|name| {
            name.last() == Some(&last)
                && joined.ends_with(name)
                && (joined.len() == name.len()
                    || name.len() >= 5
                    || is_boundary(joined.len() - name.len()))
        }) && !self.except.iter().any(|e| e.as_slice() == joined)
    }
}

/// A key normalized once and compared against every field rule.
#[derive(Debug)]
pub(crate) enum NormalizedKey {
    /// The common case: fits a stack buffer, word starts as bits.
    Short([u8; 128], usize, u128),
    /// Longer keys.
    Long(Vec<u8>, Vec<usize>),
}

impl NormalizedKey {
    pub(crate) fn new(key: &[u8]) -> Option<NormalizedKey> {
        let mut buf = [0u8; 128];
        let k = match normalize_into(key, &mut buf) {
            Some((n, bounds)) => NormalizedKey::Short(buf, n, bounds),
            None => {
                let ws = words(key);
                let mut bounds = Vec::new();
                let mut at = 0;
                for w in &ws {
                    bounds.push(at);
                    at += w.len();
                }
                NormalizedKey::Long(ws.concat(), bounds)
            }
        };
        (!k.joined().is_empty()).then_some(k)
    }

    fn joined(&self) -> &[u8] {
        match self {
            NormalizedKey::Short(b, n, _) => &b[..*n],
            NormalizedKey::Long(v, _) => v,
        }
    }

    fn is_boundary(&self, i: usize) -> bool {
        match self {
            NormalizedKey::Short(_, _, bits) => i < 128 && bits & (1u128 << i) != 0,
            NormalizedKey::Long(_, b) => b.contains(&i),
        }
    }
}

/// [`normalize`] into a buffer, with a bit set at each word's start; `None`
/// if the key does not fit.
fn normalize_into(key: &[u8], buf: &mut [u8; 128]) -> Option<(usize, u128)> {
    let mut n = 0;
    let mut bounds = 0u128;
    let mut in_word = false;
    for (i, &b) in key.iter().enumerate() {
        if matches!(b, b'-' | b'_' | b'.' | b' ' | b'/' | b':') {
            in_word = false;
            continue;
        }
        let hump = b.is_ascii_uppercase() && in_word && {
            let prev = key[i - 1];
            let next_lower = key.get(i + 1).is_some_and(u8::is_ascii_lowercase);
            prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
        };
        if !in_word || hump {
            if n >= 128 {
                return None;
            }
            bounds |= 1u128 << n;
        }
        in_word = true;
        if n >= 128 {
            return None;
        }
        buf[n] = b.to_ascii_lowercase();
        n += 1;
    }
    Some((n, bounds))
}

pub(crate) fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

/// The key token around `[s, e)`, an occurrence of a name.
pub(crate) fn key_around(text: &[u8], s: usize, e: usize) -> (usize, usize) {
    let mut ks = s;
    while ks > 0 && is_key_byte(text[ks - 1]) {
        ks -= 1;
    }
    let mut ke = e;
    while ke < text.len() && is_key_byte(text[ke]) {
        ke += 1;
    }
    // Trailing dots and dashes belong to prose ("token." ending a sentence).
    while ke > ks && matches!(text[ke - 1], b'.' | b'-') {
        ke -= 1;
    }
    (ks, ke)
}

const AUTH_SCHEMES: &[&[u8]] = &[
    b"bearer",
    b"basic",
    b"digest",
    b"token",
    b"negotiate",
    b"ntlm",
    b"bot",
    b"apikey",
    b"key",
    b"ssws",
    b"aws4-hmac-sha256",
    b"hmac",
    b"oauth",
    b"sharedkey",
    b"splunk",
    b"dsn",
];

/// Extensions of source files: `Name.java:42` is a place in code.
const SOURCE_EXTENSIONS: &[&[u8]] = &[
    b"java", b"kt", b"scala", b"py", b"go", b"rs", b"js", b"ts", b"rb", b"cs", b"c", b"cc", b"cpp",
    b"h", b"php", b"swift", b"m", b"groovy", b"clj", b"ex", b"exs", b"erl", b"jsx", b"tsx", b"mjs",
];

/// Keys longer than this are data (a base64 digest whose tail happens to
/// spell `...Pw`), not names a person gave a field.
const MAX_KEY_LEN: usize = 64;

/// Given a key token ending at `ke`, finds the span of its value, if the key
/// is followed by an assignment. Returns `None` when the name is not used as
/// a key there (prose such as "password reset email sent"). Whether the
/// value is a placeholder is the caller's question (`placeholder.rs`).
pub(crate) fn value_after_key(
    text: &[u8],
    ks: usize,
    ke: usize,
    extent: ValueExtent,
) -> Option<(usize, usize)> {
    let n = text.len();
    if ke - ks > MAX_KEY_LEN {
        return None;
    }
    // `arn:aws:secretsmanager:...:secret:name` is a path, not an assignment.
    if ks > 0 && text[ks - 1] == b':' && text.get(ke) == Some(&b':') {
        return None;
    }
    let mut i = ke;
    // Closing quote of a quoted key, possibly JSON-escaped.
    let quoted = if i < n && text[i] == b'\\' && i + 1 < n && matches!(text[i + 1], b'"' | b'\'') {
        i += 2;
        true
    } else if i < n && matches!(text[i], b'"' | b'\'') {
        i += 1;
        true
    } else {
        false
    };
    let before_sep = i;
    while i < n && text[i] == b' ' {
        i += 1;
    }
    // `volume "aws-iam-token" : secret ...` is prose quoting a name, not a
    // key: a quoted key spaced from its colon must open a member (after `{`,
    // `,`, `[` or at the start of the line), as pretty-printed JSON does.
    if quoted && i > before_sep {
        let mut q = ks;
        while q > 0 && matches!(text[q - 1], b'"' | b'\'' | b'\\') {
            q -= 1;
        }
        let prev = text[..q].iter().rev().find(|b| !b.is_ascii_whitespace());
        if !matches!(prev, None | Some(b'{' | b',' | b'[')) {
            return None;
        }
    }
    // `setProperty("NAME", "value")`, `define('NAME', 'value')`: a quoted
    // name opening a call's arguments, then the value.
    if quoted && i == before_sep && text.get(i) == Some(&b',') && opens_call(text, ks) {
        let mut j = i + 1;
        while j < n && text[j] == b' ' {
            j += 1;
        }
        if j < n && matches!(text[j], b'"' | b'\'') {
            i = j;
            return quoted_value(text, i);
        }
        return None;
    }
    // `ENV["NAME"] = ...`, `headers['X-Api-Key'] = ...`.
    if quoted && i == before_sep && text.get(i) == Some(&b']') {
        i += 1;
        while i < n && text[i] == b' ' {
            i += 1;
        }
    }
    // `var name string = "..."`, `val name: String = "..."`: a type between
    // the name and its assignment.
    if !quoted {
        i = skip_declared_type(text, i);
    }
    let sep_at = i;
    // `PasswordEncoderConfig.java:123`: a source file and line, not a key.
    if !quoted && text.get(i) == Some(&b':') && text.get(i + 1).is_some_and(u8::is_ascii_digit) {
        let key = &text[ks..ke];
        if let Some(dot) = key.iter().rposition(|&b| b == b'.') {
            let ext = key[dot + 1..].to_ascii_lowercase();
            if SOURCE_EXTENSIONS.contains(&ext.as_slice()) {
                return None;
            }
        }
    }
    i = assignment_end(text, i)?;
    // `session:meta:6266196d`, `urn:token:x:y`: a namespaced name (a cache
    // key, a URN), not `key: value`.
    if !quoted
        && text[sep_at] == b':'
        && i == sep_at + 1
        && text.get(i).is_some_and(|b| !b.is_ascii_whitespace())
    {
        let mut k = i;
        while k < n && !is_value_end(text[k]) {
            if text[k] == b':' {
                return None;
            }
            k += 1;
        }
    }
    if !quoted {
        // `name: String = "..."` (Kotlin, Scala, TypeScript).
        let j = skip_declared_type(text, {
            let mut k = i;
            while k < n && text[k] == b' ' {
                k += 1;
            }
            k
        });
        if j > i {
            if let Some(after) = assignment_end(text, j) {
                i = after;
            }
        }
    }
    let value_at = i;
    let equals = text.get(i.wrapping_sub(1)) == Some(&b'=');
    while i < n && (text[i] == b' ' || text[i] == b'\t') {
        i += 1;
    }
    // `ruser= rhost=host`: an empty value, then the next key.
    if equals && i > value_at && !quoted_at(text, i) {
        let mut k = i;
        while k < n && !text[k].is_ascii_whitespace() {
            if text[k] == b'=' {
                return None;
            }
            k += 1;
        }
    }
    // `...Pw==`: base64 padding, not an assignment.
    if i >= n || text[i] == b'=' {
        return None;
    }
    // Quoted value (possibly with JSON-escaped quotes).
    if let Some(v) = quoted_value(text, i) {
        return Some(v);
    }
    let vs = i;
    let ve = match extent {
        ValueExtent::Line => {
            let mut j = vs;
            while j < n && !matches!(text[j], b'\n' | b'\r' | b'"') {
                j += 1;
            }
            while j > vs && text[j - 1] == b' ' {
                j -= 1;
            }
            j
        }
        ValueExtent::Token => {
            let vs2 = skip_scheme(text, vs, n);
            // A template runs to its closing brace (`${DB_PASSWORD}`), a
            // parenthesised note to its parenthesis (`(sensitive value)`).
            if text[vs2..].starts_with(b"${") || text[vs2..].starts_with(b"{{") {
                if let Some(p) = memchr::memchr(b'}', &text[vs2..]) {
                    let mut j = vs2 + p + 1;
                    if text.get(j) == Some(&b'}') {
                        j += 1;
                    }
                    return Some((vs2, j));
                }
            }
            if text[vs2] == b'(' {
                if let Some(p) = memchr::memchr(b')', &text[vs2..]) {
                    return Some((vs2, vs2 + p + 1));
                }
            }
            let mut j = vs2;
            loop {
                while j < n && !is_value_end(text[j]) {
                    j += 1;
                }
                if !continues_value(text, j) {
                    break;
                }
                j += 1;
            }
            // A scheme followed by parameters (`Digest username="bob",
            // response="..."`, `AWS4-HMAC-SHA256 Credential=...,
            // Signature=...`): the credential is all of them, to the end of
            // the line.
            if vs2 > vs && text[vs2..j].contains(&b'=') {
                let mut e = vs2;
                while e < n && !matches!(text[e], b'\n' | b'\r') {
                    e += 1;
                }
                while e > vs2 && text[e - 1] == b' ' {
                    e -= 1;
                }
                return Some((vs2, e));
            }
            return (j > vs2).then_some((vs2, j));
        }
    };
    (ve > vs).then_some((vs, ve))
}

fn quoted_at(text: &[u8], i: usize) -> bool {
    matches!(text.get(i), Some(b'"' | b'\'' | b'\\'))
}

/// The span of a quoted value whose opening quote (possibly JSON-escaped)
/// is at `i`; `None` if there is no quote there.
fn quoted_value(text: &[u8], i: usize) -> Option<(usize, usize)> {
    let n = text.len();
    let (q, escaped) = if text[i] == b'\\' && i + 1 < n && matches!(text[i + 1], b'"' | b'\'') {
        (text[i + 1], true)
    } else if matches!(text[i], b'"' | b'\'') {
        (text[i], false)
    } else {
        return None;
    };
    let vs = i + if escaped { 2 } else { 1 };
    let mut j = vs;
    while j < n {
        if escaped {
            if text[j] == b'\\' && j + 1 < n && text[j + 1] == q {
                break;
            }
        } else if text[j] == b'\\' {
            j += 2;
            continue;
        } else if text[j] == q {
            break;
        }
        j += 1;
    }
    let ve = j.min(n);
    let vs = skip_scheme(text, vs, ve);
    (ve > vs).then_some((vs, ve))
}

/// The end of an assignment operator at `i` (`=`, `=>`, `:`, `:=`, `::=`,
/// `?=`, `.=`, `+=`, `|=`, `<-`), or `None`. `key::` (a path) and
/// `key://` (a URL scheme) are not assignments.
fn assignment_end(text: &[u8], i: usize) -> Option<usize> {
    let at = |k: usize| text.get(i + k).copied();
    if text[i.min(text.len())..].starts_with(b":::=") {
        return Some(i + 4);
    }
    match (at(0), at(1), at(2)) {
        (Some(b'='), Some(b'>'), _) => Some(i + 2),
        (Some(b'='), Some(b'='), _) => None,
        (Some(b'='), _, _) => Some(i + 1),
        (Some(b':'), Some(b':'), Some(b'=')) => Some(i + 3),
        (Some(b':'), Some(b'='), _) => Some(i + 2),
        (Some(b':'), Some(b':' | b'/'), _) => None,
        (Some(b':'), _, _) => Some(i + 1),
        (Some(b'?' | b'.' | b'+' | b'|'), Some(b'='), Some(b'=')) => None,
        (Some(b'?' | b'.' | b'+' | b'|'), Some(b'='), _) => Some(i + 2),
        (Some(b'<'), Some(b'-'), _) => Some(i + 2),
        _ => None,
    }
}

/// Type names that sit between a declared name and its value.
const DECLARED_TYPES: &[&[u8]] = &[
    b"string",
    b"str",
    b"&str",
    b"&'static str",
    b"securestring",
    b"text",
    b"[]byte",
    b"char*",
    b"bytes",
];

/// Skips ` string ` in `var name string = ...` (one type word then an
/// assignment); returns `i` unchanged when there is none.
fn skip_declared_type(text: &[u8], i: usize) -> usize {
    let n = text.len();
    let mut j = i;
    while j < n && text[j] == b' ' {
        j += 1;
    }
    let rest = &text[j..];
    for t in DECLARED_TYPES {
        if rest.len() > t.len() && rest[..t.len()].eq_ignore_ascii_case(t) {
            let mut k = j + t.len();
            if text
                .get(k)
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
            {
                continue;
            }
            while k < n && text[k] == b' ' {
                k += 1;
            }
            if assignment_end(text, k).is_some() {
                return k;
            }
        }
    }
    i
}

/// Whether the quoted key starting at `ks` is a call's first argument:
/// `(` right before its opening quote.
fn opens_call(text: &[u8], ks: usize) -> bool {
    let mut q = ks;
    while q > 0 && matches!(text[q - 1], b'"' | b'\'' | b'\\') {
        q -= 1;
    }
    q < ks && q > 0 && text[q - 1] == b'('
}

/// Whether an unquoted value that stopped at `j` on `&`, `;` or `,` goes
/// on: `password=2UmJ&Ukh6` outside a URL is one value, while
/// `password=x&user=y` and `password=x; user` are two things. The value
/// continues when a non-space follows and the next segment holds no `=`.
fn continues_value(text: &[u8], j: usize) -> bool {
    if !matches!(text.get(j), Some(b'&' | b';' | b',')) {
        return false;
    }
    match text.get(j + 1) {
        Some(b) if !b.is_ascii_whitespace() && !is_value_end(*b) => {}
        _ => return false,
    }
    let mut k = j + 1;
    while k < text.len() && !is_value_end(text[k]) {
        if text[k] == b'=' || text[k] == b':' {
            return false;
        }
        k += 1;
    }
    true
}

fn is_value_end(b: u8) -> bool {
    b.is_ascii_whitespace()
        || matches!(
            b,
            b'&' | b';' | b',' | b'"' | b'\'' | b')' | b']' | b'}' | b'>' | b'<' | b'\\'
        )
}

/// Skips an auth scheme word ("Bearer ") at the start of a value, so the
/// scheme stays readable and the credential after it is what is redacted.
pub(crate) fn skip_scheme(text: &[u8], vs: usize, limit: usize) -> usize {
    let mut j = vs;
    while j < limit && (text[j].is_ascii_alphanumeric() || text[j] == b'-') {
        j += 1;
    }
    if j == vs || j >= limit || text[j] != b' ' {
        return vs;
    }
    let word = text[vs..j].to_ascii_lowercase();
    if !AUTH_SCHEMES.contains(&word.as_slice()) {
        return vs;
    }
    let mut k = j;
    while k < limit && text[k] == b' ' {
        k += 1;
    }
    // The credential after the scheme, or a placeholder for it
    // (`Bearer <token>`, `Basic {base64}`, `Bearer $TOKEN`).
    if k < limit && (!is_value_end(text[k]) || matches!(text[k], b'<' | b'{')) {
        k
    } else {
        vs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value after the first occurrence of `key` in `text`, as text.
    fn value_of(text: &str, key: &str) -> Option<String> {
        let t = text.as_bytes();
        let s = memchr::memmem::find(t, key.as_bytes()).unwrap();
        value_after_key(t, s, s + key.len(), ValueExtent::Token)
            .map(|(a, b)| String::from_utf8_lossy(&t[a..b]).into_owned())
    }

    #[test]
    fn keys_normalize_across_styles() {
        for k in [
            "api_key", "apiKey", "API-KEY", "api.key", "ApiKey", "APIKey", "apikey",
        ] {
            assert_eq!(normalize(k.as_bytes()), b"apikey", "{k}");
        }
    }

    #[test]
    fn suffix_matching_respects_short_names() {
        let set = NameSet::new(
            &["pin".into(), "password".into(), "api_key".into()],
            &["password_reset_sent".into()],
        );
        assert!(set.matches(b"pin"));
        assert!(set.matches(b"userPin"));
        assert!(set.matches(b"card_pin"));
        assert!(!set.matches(b"shipping"));
        assert!(!set.matches(b"mapping"));
        assert!(set.matches(b"db_password"));
        assert!(set.matches(b"userpassword"));
        assert!(set.matches(b"X-Api-Key"));
        assert!(!set.matches(b"password_reset_sent"));
        assert!(!set.matches(b"passwordResetSent"));
    }

    #[test]
    fn values_after_keys() {
        // As the scanner takes a credential's value: placeholders left alone.
        let v = |t: &str, k: &str| {
            value_of(t, k).filter(|x| !crate::placeholder::is_placeholder(x.as_bytes()))
        };
        assert_eq!(
            v("password=hunter2 user=bob", "password").as_deref(),
            Some("hunter2")
        );
        assert_eq!(
            v("\"password\": \"a b c\"", "password").as_deref(),
            Some("a b c")
        );
        assert_eq!(
            v("Authorization: Bearer abc.def", "Authorization").as_deref(),
            Some("abc.def")
        );
        assert_eq!(v("?token=abc&x=1", "token").as_deref(), Some("abc"));
        assert_eq!(v("password reset email sent", "password"), None);
        assert_eq!(v("password=${DB_PASSWORD} x", "password"), None);
        assert_eq!(v("token=null", "token"), None);
        assert_eq!(v("(using password: YES)", "password"), None);
        assert_eq!(
            v("integrity sha512-a2WiObDh9Jj2K7u82NVOsCPw== ok", "Pw"),
            None
        );
        assert_eq!(v("+ password = (sensitive value)", "password"), None);
        assert_eq!(v("    token = self._session.get(\"token\")", "token"), None);
        assert_eq!(
            v("volume \"aws-iam-token\" : secret \"x\" not found", "token"),
            None
        );
        assert_eq!(v("{\"token\" : \"abc\"}", "token").as_deref(), Some("abc"));
        assert_eq!(
            v("{\n  \"token\" : \"abc\"", "token").as_deref(),
            Some("abc")
        );
        assert_eq!(
            v(
                "Authorization: Digest username=\"bob\", response=\"6629fae4\"",
                "Authorization"
            )
            .as_deref(),
            Some("username=\"bob\", response=\"6629fae4\"")
        );
        assert_eq!(v("arn:aws:sm:eu-west-1:0:secret:name", "secret"), None);
        assert_eq!(
            v("{\\\"password\\\":\\\"x y\\\"}", "password").as_deref(),
            Some("x y")
        );
    }

    #[test]
    fn assignment_shapes_of_code_and_config() {
        let v = value_of;
        for (text, key) in [
            ("X_TOKEN ::= \"v4lue-1\"", "X_TOKEN"),
            ("X_TOKEN ?= v4lue-1", "X_TOKEN"),
            ("X_TOKEN :::= \"v4lue-1\"", "X_TOKEN"),
            ("$asanaToken .= \"v4lue-1\";", "asanaToken"),
            ("token += v4lue-1", "token"),
            ("token <- \"v4lue-1\"", "token"),
            ("var airtableToken string = \"v4lue-1\"", "airtableToken"),
            ("val apiToken: String = \"v4lue-1\"", "apiToken"),
            ("let token: &str = \"v4lue-1\";", "token"),
            (
                "System.setProperty(\"HEROKU_TOKEN\", \"v4lue-1\")",
                "HEROKU_TOKEN",
            ),
            ("define('API_TOKEN', 'v4lue-1');", "API_TOKEN"),
            ("ENV[\"API_TOKEN\"] = \"v4lue-1\"", "API_TOKEN"),
            ("token => v4lue-1", "token"),
        ] {
            assert_eq!(v(text, key).as_deref(), Some("v4lue-1"), "{text}");
        }
        assert_eq!(v("if token == other {", "token"), None);
        assert_eq!(v("mod auth::session", "auth"), None);
        assert_eq!(
            v(
                "at a.PasswordConfig.run(PasswordConfig.java:42)",
                "PasswordConfig.java"
            ),
            None
        );
        assert_eq!(v("log(\"token\", \"x\")", "token").as_deref(), Some("x"));
        assert_eq!(v("say(\"token\" + x)", "token"), None);
    }

    #[test]
    fn a_value_runs_past_ampersands_that_start_no_parameter() {
        let v = value_of;
        assert_eq!(
            v("login password=2UmJPF&UkhY6qQD ok", "password").as_deref(),
            Some("2UmJPF&UkhY6qQD")
        );
        assert_eq!(
            v("?password=abc&user=bob", "password").as_deref(),
            Some("abc")
        );
        assert_eq!(
            v("Password=ab;Database=x", "Password").as_deref(),
            Some("ab")
        );
        assert_eq!(v("password=a;b,c d", "password").as_deref(), Some("a;b,c"));
        assert_eq!(v("password=abc, then", "password").as_deref(), Some("abc"));
    }

    #[test]
    fn anywhere_names_match_inside_keys_unless_metadata_follows() {
        let set = NameSet::with_anywhere(
            &["ssn".into()],
            &["ssn_last4".into()],
            &["ssn".into()],
            &["verified".into(), "count".into()],
        );
        for k in ["ssn", "ssn_raw", "taxpayerSsnV2", "customer.ssn.value"] {
            assert!(set.matches(k.as_bytes()), "{k}");
        }
        for k in [
            "ssn_verified",
            "ssn_count",
            "ssn_last4",
            "classname",
            "lessons",
        ] {
            assert!(!set.matches(k.as_bytes()), "{k}");
        }
    }

    #[test]
    fn triggers_are_suffixes_of_every_spelling() {
        assert_eq!(trigger_spellings("access_token"), vec!["token".to_string()]);
        assert_eq!(trigger_spellings("ocp-apim-subscription-key").len(), 4);
        for name in [
            "x-api-key",
            "card_security_code",
            "password",
            "pin",
            "2fa_code",
        ] {
            let triggers = trigger_spellings(name);
            for sp in spellings(name) {
                assert!(
                    triggers.iter().any(|t| sp.ends_with(t.as_str())),
                    "{name}: {sp} has no trigger"
                );
            }
        }
    }

    #[test]
    fn spellings_cover_separators() {
        let s = spellings("api_key");
        for want in ["apikey", "api_key", "api-key", "api.key"] {
            assert!(s.contains(&want.to_string()), "{want}");
        }
    }
}
