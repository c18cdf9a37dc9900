//! Decoded views: finding values that an encoding hides.
//!
//! `alice%40example.com` and `alice\u0040example.com` are the same email to
//! anyone who reads the log. When a line holds percent-escapes (`%XX`),
//! backslash escapes (`\n`, `\"`, `\uXXXX`) or syslog's `#012` newlines, the
//! scanner also scans a decoded copy and maps what it finds back to the
//! original bytes, so the redaction covers the encoded form whole.
//!
//! The copy is only made for lines that contain such an escape; clean lines
//! pay one `memchr` pass.

/// A decoded copy of a line and, for each decoded byte, the offset in the
/// original where its encoding starts (plus one final entry for the end).
#[derive(Debug)]
pub(crate) struct View {
    pub(crate) bytes: Vec<u8>,
    pub(crate) map: Vec<usize>,
}

impl View {
    /// Maps a decoded span back to the original line.
    pub(crate) fn original(&self, s: usize, e: usize) -> (usize, usize) {
        (self.map[s], self.map[e])
    }
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn hex4(t: &[u8]) -> Option<u32> {
    if t.len() < 4 {
        return None;
    }
    let mut v = 0u32;
    for &b in &t[..4] {
        v = v * 16 + u32::from(hex(b)?);
    }
    Some(v)
}

/// Patterns of every escape [`decode`] undoes, for the scanner's gate.
pub(crate) const TRIGGERS: &[&str] = &[
    r"%[0-9A-Fa-f]{2}",
    r"#012",
    r#"\\[nrt"'\\/]"#,
    r"\\x[0-9A-Fa-f]{2}",
    r"\\u[0-9A-Fa-f]{4}",
    r"[0-9]\+[0-9]",
    r"(?i:bearer|basic)\+[A-Za-z0-9]",
];

/// Which decoded views of a line are worth scanning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Views {
    /// Escapes other than `+`: percent, backslash, `#012`.
    pub(crate) escapes: bool,
    /// `+` written for a space (form bodies). A separate view, because
    /// base64 keeps its `+` literally and must also be scanned as written.
    pub(crate) plus: bool,
}

/// Which views [`decode`] would change.
pub(crate) fn views(line: &[u8]) -> Views {
    Views {
        escapes: memchr::memchr3_iter(b'%', b'\\', b'#', line)
            .any(|i| decodes_at(line, i).is_some()),
        plus: memchr::memchr_iter(b'+', line).any(|i| decodes_at(line, i).is_some()),
    }
}

/// Whether `line` contains anything [`decode`] would change.
#[cfg(test)]
pub(crate) fn needs_decoding(line: &[u8]) -> bool {
    let v = views(line);
    v.escapes || v.plus
}

/// What the escape at `i` decodes to (UTF-8 bytes) and its encoded length.
fn decodes_at(t: &[u8], i: usize) -> Option<(Vec<u8>, usize)> {
    match t[i] {
        b'%' => {
            let h = hex(*t.get(i + 1)?)?;
            let l = hex(*t.get(i + 2)?)?;
            Some((vec![h * 16 + l], 3))
        }
        b'#' => (t.get(i + 1..i + 4)? == b"012").then(|| (vec![b'\n'], 4)),
        // A form body or query string writes spaces as `+`: between digits
        // (`%2B44+20+7946+0958`) and after an auth scheme (`Bearer+...`).
        b'+' => {
            let next = *t.get(i + 1)?;
            // Not inside a version (`1.2.3+4`): the digits before the `+`
            // must not follow a dot.
            let run_start = t[..i]
                .iter()
                .rposition(|b| !b.is_ascii_digit())
                .map_or(0, |p| p + 1);
            let digits = i > run_start
                && next.is_ascii_digit()
                && (run_start == 0 || t[run_start - 1] != b'.');
            let scheme = next.is_ascii_alphanumeric()
                && [&b"bearer"[..], b"basic"]
                    .iter()
                    .any(|w| i >= w.len() && t[i - w.len()..i].eq_ignore_ascii_case(w));
            (digits || scheme).then(|| (vec![b' '], 1))
        }
        b'\\' => {
            let c = *t.get(i + 1)?;
            let simple = match c {
                b'n' => Some(b'\n'),
                b'r' => Some(b'\r'),
                b't' => Some(b'\t'),
                b'"' => Some(b'"'),
                b'\'' => Some(b'\''),
                b'\\' => Some(b'\\'),
                b'/' => Some(b'/'),
                _ => None,
            };
            if let Some(s) = simple {
                return Some((vec![s], 2));
            }
            if c == b'x' {
                let h = hex(*t.get(i + 2)?)?;
                let l = hex(*t.get(i + 3)?)?;
                return Some((vec![h * 16 + l], 4));
            }
            if c != b'u' {
                return None;
            }
            let cp = hex4(t.get(i + 2..)?)?;
            let (cp, len) = if (0xD800..0xDC00).contains(&cp) {
                // A surrogate pair: \uD83D\uDE00.
                let rest = t.get(i + 6..)?;
                if rest.len() >= 6 && rest[0] == b'\\' && rest[1] == b'u' {
                    let lo = hex4(&rest[2..])?;
                    if (0xDC00..0xE000).contains(&lo) {
                        (0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00), 12)
                    } else {
                        (0xFFFD, 6)
                    }
                } else {
                    (0xFFFD, 6)
                }
            } else {
                (cp, 6)
            };
            let ch = char::from_u32(cp).unwrap_or('\u{FFFD}');
            let mut buf = [0u8; 4];
            Some((ch.encode_utf8(&mut buf).as_bytes().to_vec(), len))
        }
        _ => None,
    }
}

/// Decodes every escape in `line` (one level deep); `+` as a space only
/// when `plus` is set.
pub(crate) fn decode(line: &[u8], plus: bool) -> View {
    let mut bytes = Vec::with_capacity(line.len());
    let mut map = Vec::with_capacity(line.len() + 1);
    let mut i = 0;
    while i < line.len() {
        if matches!(line[i], b'%' | b'\\' | b'#') || (plus && line[i] == b'+') {
            if let Some((out, len)) = decodes_at(line, i) {
                for b in out {
                    bytes.push(b);
                    map.push(i);
                }
                i += len;
                continue;
            }
        }
        bytes.push(line[i]);
        map.push(i);
        i += 1;
    }
    map.push(line.len());
    View { bytes, map }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_maps_back() {
        let line = b"u=alice%40example.com x";
        assert!(needs_decoding(line));
        let v = decode(line, false);
        assert_eq!(v.bytes, b"u=alice@example.com x");
        let s = 2;
        let e = s + "alice@example.com".len();
        assert_eq!(v.original(s, e), (2, 2 + "alice%40example.com".len()));
    }

    #[test]
    fn json_escapes_and_surrogates() {
        let v = decode(br#"a\u0040b\n\"\uD83D\uDE00"#, false);
        assert_eq!(v.bytes, "a@b\n\"\u{1F600}".as_bytes());
        assert!(!needs_decoding(b"100% sure #1 \\q a+b"));
        let v = decode(b"tel=%2B44+20+7946+0958&auth=Bearer+abc", true);
        assert_eq!(v.bytes, b"tel=+44 20 7946 0958&auth=Bearer abc");
    }
}
