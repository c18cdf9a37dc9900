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
}

impl NameSet {
    pub(crate) fn new(names: &[String], except: &[String]) -> Self {
        NameSet {
            names: names.iter().map(|n| normalize(n.as_bytes())).collect(),
            except: except.iter().map(|n| normalize(n.as_bytes())).collect(),
        }
    }

    /// Whether `key` (raw, as written) names a value of this rule.
    pub(crate) fn matches(&self, key: &[u8]) -> bool {
        NormalizedKey::new(key).is_some_and(|k| self.matches_key(&k))
    }

    /// Whether an already normalized key names a value of this rule.
    pub(crate) fn matches_key(&self, k: &NormalizedKey) -> bool {
        self.matches_normalized(k.joined(), |i| k.is_boundary(i))
    }

    pub(crate) fn matches_normalized(
        &self,
        joined: &[u8],
        is_boundary: impl Fn(usize) -> bool,
    ) -> bool {
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

/// Given a key token ending at `ke`, finds the span of its value, if the key
/// is followed by an assignment. Returns `None` when the name is not used as
/// a key there (prose such as "password reset email sent").
pub(crate) fn value_after_key(
    text: &[u8],
    ks: usize,
    ke: usize,
    extent: ValueExtent,
) -> Option<(usize, usize)> {
    let (vs, ve) = value_span(text, ks, ke, extent)?;
    (!is_placeholder(&text[vs..ve])).then_some((vs, ve))
}

/// Values that stand for a secret without being one: templates, nulls,
/// masks. Leaving them alone keeps config dumps readable and clean lines
/// unchanged.
fn is_placeholder(v: &[u8]) -> bool {
    let lower = v.to_ascii_lowercase();
    let t = lower.as_slice();
    (t.starts_with(b"${") && t.ends_with(b"}"))
        || (t.starts_with(b"{{") && t.ends_with(b"}}"))
        || (t.starts_with(b"<") && t.ends_with(b">"))
        || (t.starts_with(b"%(") && t.ends_with(b")s"))
        // Terraform's `(sensitive value)`, `(known after apply)`.
        || (t.starts_with(b"(") && t.ends_with(b")"))
        // Source code quoted in a stack trace or a config dump: a call or a
        // reference to where the secret lives, not the secret.
        || t.ends_with(b"(")
        || [&b"self."[..], b"this.", b"settings.", b"config.", b"os.environ", b"os.getenv", b"process.env", b"env["]
            .iter()
            .any(|p| t.starts_with(p))
        || t.iter().all(|&b| b == b'*' || b == b'x' || b == b'#') && t.len() >= 3
        || matches!(
            t,
            b"null"
                | b"nil"
                | b"none"
                | b"undefined"
                | b"true"
                | b"false"
                | b"yes"
                | b"no"
                | b"%s"
                | b"\"\""
                | b"''"
                | b"[redacted]"
                | b"[filtered]"
        )
}

/// Keys longer than this are data (a base64 digest whose tail happens to
/// spell `...Pw`), not names a person gave a field.
const MAX_KEY_LEN: usize = 64;

fn value_span(text: &[u8], ks: usize, ke: usize, extent: ValueExtent) -> Option<(usize, usize)> {
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
    // Separator.
    if i < n && text[i] == b'=' {
        i += 1;
        if i < n && text[i] == b'>' {
            i += 1;
        }
    } else if i < n && text[i] == b':' {
        i += 1;
        if i < n && text[i] == b'=' {
            i += 1;
        }
        // "key::" is a path, "key://" a URL scheme, not an assignment.
        if i < n && (text[i] == b':' || text[i] == b'/') {
            return None;
        }
    } else {
        return None;
    }
    while i < n && (text[i] == b' ' || text[i] == b'\t') {
        i += 1;
    }
    // `...Pw==`: base64 padding, not an assignment.
    if i >= n || text[i] == b'=' {
        return None;
    }
    // Quoted value (possibly with JSON-escaped quotes).
    let (quote, escaped) = if text[i] == b'\\' && i + 1 < n && matches!(text[i + 1], b'"' | b'\'') {
        (Some(text[i + 1]), true)
    } else if matches!(text[i], b'"' | b'\'') {
        (Some(text[i]), false)
    } else {
        (None, false)
    };
    if let Some(q) = quote {
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
        return (ve > vs).then_some((vs, ve));
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
            while j < n && !is_value_end(text[j]) {
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
    if k < limit && !is_value_end(text[k]) {
        k
    } else {
        vs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let v = |t: &str, k: &str| {
            let t = t.as_bytes();
            let s = memchr::memmem::find(t, k.as_bytes()).unwrap();
            value_after_key(t, s, s + k.len(), ValueExtent::Token)
                .map(|(a, b)| String::from_utf8_lossy(&t[a..b]).into_owned())
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
