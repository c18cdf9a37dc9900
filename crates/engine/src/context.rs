//! Where a number stands: digits that a personal-data rule found, checked
//! against what surrounds them before they count as a finding.
//!
//! A phone number, a card or a national id is personal data because of what
//! it is (a checksum, a range, a label next to it), never because of its
//! digit count. Real logs are full of digit runs of every length, and most
//! of them are parts of something else: `081109 203615` is HDFS's
//! `yyMMdd HHmmss` timestamp, `16:13:48.019  2227` is a time's fraction and
//! a thread id, `blk_-4980916519894289629` is a block id, `rv:1.9.4.20` a
//! version, and `0961 2345 6760` after `BE71` is the tail of an account
//! number. Each rule's own regex cannot see that (no look-around in a
//! finite automaton), so the scanner asks this module once per candidate
//! of a `pii` rule whose value is a number (digits and separators only):
//! [`number_veto`] names the class of thing the digits belong to, or
//! `None` when they stand on their own. `rules explain` prints that name
//! when it sets a candidate aside.
//!
//! The checks look at a few bytes around the value, so they cost nothing
//! on lines without candidates and a handful of comparisons on lines with
//! them. They only ever remove candidates; the rule's own examples
//! (`must_redact`) prove that the contexts people write numbers in
//! (`tel: 030 12345678`, `card 4111 1111 1111 1111`) are left to the rule.

use crate::validate;

/// Why a numeric candidate is not a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Veto {
    /// Glued to an identifier: `blk_-4980916519894289629`, `id_12345678`.
    Identifier,
    /// The fraction or continuation of a longer number: `48.019 2227`,
    /// `1.2.3.4.5`.
    LongerNumber,
    /// A date, a time or an epoch timestamp in a common layout.
    Timestamp,
    /// A version string: `rv:1.9.4.20`, `~~6.1.1.0`, `v10.4.3.1`.
    Version,
    /// A group of a longer grouped number: `BE71 0961 2345 6760`.
    GroupedNumber,
}

impl Veto {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Veto::Identifier => "part of an identifier",
            Veto::LongerNumber => "part of a longer number",
            Veto::Timestamp => "a timestamp",
            Veto::Version => "a version string",
            Veto::GroupedNumber => "a group of a longer grouped number",
        }
    }
}

/// Whether `value` is a number as far as these checks go: digits with
/// separators, at least four digits.
pub(crate) fn is_numeric(value: &[u8]) -> bool {
    let mut digits = 0;
    for &b in value {
        match b {
            b'0'..=b'9' => digits += 1,
            b' ' | b'-' | b'.' | b'/' | b'(' | b')' | b'+' | b':' | b'\t' => {}
            _ => return false,
        }
    }
    digits >= 4
}

/// Why the numeric candidate `text[s..e]` is part of something else, if it
/// is. `labelled`: the rule only runs next to a keyword that names what it
/// finds (`CPR=`, `medicareNo:`), so a number that also reads as a date or
/// an epoch is taken as the label says; the other checks still hold.
pub(crate) fn number_veto(text: &[u8], s: usize, e: usize, labelled: bool) -> Option<Veto> {
    let value = &text[s..e];
    let before = |k: usize| s.checked_sub(k).map(|i| text[i]);
    let after = |k: usize| text.get(e + k).copied();
    let digit = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_digit());
    let alpha = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphabetic());

    // Identifiers: `blk_-498...`, `id_123...`, `...123_tmp`.
    if value.first().is_some_and(u8::is_ascii_digit) {
        match (before(2), before(1)) {
            (_, Some(b'_')) => return Some(Veto::Identifier),
            (Some(b'_'), Some(b'-' | b'+')) => return Some(Veto::Identifier),
            _ => {}
        }
    }
    if value.last().is_some_and(u8::is_ascii_digit) && (after(0) == Some(b'_') || alpha(after(0))) {
        // `...1234x56` extensions are part of phone numbers, and
        // `1990-01-31T00:00` is a date followed by its time: a single x or
        // T followed by digits is not an identifier.
        if !(matches!(after(0), Some(b'x' | b'X' | b'T')) && digit(after(1))) {
            return Some(Veto::Identifier);
        }
    }
    // Continuations: `16:13:48.019  2227` (the value starts in a fraction),
    // `1.2.3.4.5` (a longer dotted number).
    if value.first().is_some_and(u8::is_ascii_digit)
        && matches!(before(1), Some(b'.' | b':' | b','))
        && digit(before(2))
    {
        return Some(Veto::LongerNumber);
    }
    if value.last().is_some_and(u8::is_ascii_digit) && after(0) == Some(b'.') && digit(after(1)) {
        return Some(Veto::LongerNumber);
    }
    if !labelled && is_timestamp(value) {
        return Some(Veto::Timestamp);
    }
    // Versions are dotted and unspaced (`v 3673 381314 5822` is a card).
    if value.contains(&b'.') && !value.contains(&b' ') && after_version_word(&text[..s]) {
        return Some(Veto::Version);
    }
    if in_grouped_number(text, s, e) {
        return Some(Veto::GroupedNumber);
    }
    None
}

/// Digit groups of `value` and the separator before each (0 for the first).
fn groups(value: &[u8]) -> Vec<(u8, &[u8])> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut sep = 0u8;
    while i < value.len() {
        if value[i].is_ascii_digit() {
            let st = i;
            while i < value.len() && value[i].is_ascii_digit() {
                i += 1;
            }
            out.push((sep, &value[st..i]));
            sep = 0;
        } else {
            if sep == 0 {
                sep = value[i];
            }
            i += 1;
        }
    }
    out
}

fn num(d: &[u8]) -> u64 {
    d.iter().fold(0u64, |n, b| {
        n.saturating_mul(10).saturating_add(u64::from(b - b'0'))
    })
}

/// A date that exists, with a two-digit year or a four-digit one from 1970
/// to 2099 (the validators' calendar, `validate::valid_date`).
fn is_date(yy_or_yyyy: &[u8], mm: &[u8], dd: &[u8]) -> bool {
    let year = match yy_or_yyyy.len() {
        2 => None,
        4 if (1970..=2099).contains(&num(yy_or_yyyy)) => Some(num(yy_or_yyyy) as u32),
        _ => return false,
    };
    let (m, d) = (num(mm), num(dd));
    m <= 12 && d <= 31 && validate::valid_date(year, m as u32, d as u32)
}

fn is_time(hh: &[u8], mm: &[u8], ss: Option<&[u8]>) -> bool {
    num(hh) < 24 && num(mm) < 60 && ss.is_none_or(|s| num(s) < 60)
}

/// Common compact layouts of a date and time: `yyMMdd HHmmss` (HDFS),
/// `MMdd/HHmmss` (Chromium), `yyyyMMdd HHmmss`, `yyyyMMddHHmmss`, and epoch
/// seconds or milliseconds from 2001 to 2036.
fn is_timestamp(value: &[u8]) -> bool {
    let g = groups(value);
    let d = |i: usize| g[i].1;
    match g.len() {
        1 => {
            let v = d(0);
            match v.len() {
                10 => (1_000_000_000..2_100_000_000).contains(&num(v)),
                13 => {
                    let secs = num(&v[..10]);
                    (1_000_000_000..2_100_000_000).contains(&secs)
                }
                14 => {
                    is_date(&v[..4], &v[4..6], &v[6..8])
                        && is_time(&v[8..10], &v[10..12], Some(&v[12..14]))
                }
                _ => false,
            }
        }
        2 => {
            let (a, b) = (d(0), d(1));
            let time_b = b.len() == 6 && is_time(&b[..2], &b[2..4], Some(&b[4..6]));
            let time4_b = b.len() == 4 && is_time(&b[..2], &b[2..4], None);
            match a.len() {
                6 => time_b && is_date(&a[..2], &a[2..4], &a[4..6]),
                // Only with the slash of Chromium's `[MMdd/HHmmss:`: with a
                // space, `0521 123456` is far more often a phone number.
                4 => g[1].0 == b'/' && time_b && is_date(b"00", &a[..2], &a[2..4]),
                8 => (time_b || time4_b) && is_date(&a[..4], &a[4..6], &a[6..8]),
                _ => false,
            }
        }
        _ => false,
    }
}

/// Whether `head` (the text before a value) ends with a word that
/// introduces a version: `rv:`, `~~`, `v`, `version `, `ver=`, `build `.
/// The one- and two-letter abbreviations count only glued or with `:`, `=`
/// or `/` (`v10.4.3.1`, `rv:1.9`): after a space, `v` is as likely a
/// stray letter before an address (`v 203.0.113.52`).
fn after_version_word(head: &[u8]) -> bool {
    let mut h = head;
    let mut spaced = false;
    // One separator between word and number.
    if let Some((&last, rest)) = h.split_last() {
        if matches!(last, b':' | b'=' | b' ' | b'/') {
            spaced = last == b' ';
            h = rest;
        }
    }
    if h.ends_with(b"~") {
        return true;
    }
    let word_start = h
        .iter()
        .rposition(|b| !b.is_ascii_alphabetic())
        .map_or(0, |p| p + 1);
    let word = &h[word_start..];
    if word.len() > 12 {
        return false;
    }
    let w = word.to_ascii_lowercase();
    if spaced && matches!(w.as_slice(), b"v" | b"rv" | b"fw") {
        return false;
    }
    matches!(
        w.as_slice(),
        b"v" | b"rv"
            | b"ver"
            | b"version"
            | b"build"
            | b"release"
            | b"firmware"
            | b"fw"
            | b"kernel"
    )
}

/// Whether the value continues a longer number written in groups: the run
/// of space-separated groups of up to four letters or digits before it
/// starts with an IBAN's head, two capital letters and two check digits
/// (`BE71 0961 2345 6760`, `BA39 1290 0794 0102 8495`), or holds a group of
/// exactly four digits (`9400 3757 7318 0253 8964 45`, a parcel tracking
/// number). A number read from inside it is a slice of something longer,
/// which its own rule judges whole (an IBAN with a wrong check digit is not
/// made personal data by a phone rule reading its tail). A run that follows
/// `-` or `.` is a different number (`4012-8888-8888-1881 4012 8888 ...`:
/// one card after another).
fn in_grouped_number(text: &[u8], s: usize, _e: usize) -> bool {
    let mut st = s;
    let mut groups: Vec<usize> = Vec::new();
    while st >= 2 && text[st - 1] == b' ' {
        let end = st - 1;
        let mut g = end;
        while g > 0 && end - g < 5 && text[g - 1].is_ascii_alphanumeric() {
            g -= 1;
        }
        if g == end || end - g > 4 || (g > 0 && text[g - 1].is_ascii_alphanumeric()) {
            break;
        }
        // Words end the run (`card 4111 ...`, `... and 4111 ...`); an
        // IBAN's bank code in capitals (`GB82 WEST 1234`) does not.
        let grp = &text[g..end];
        if !grp.iter().any(u8::is_ascii_digit) && !grp.iter().all(u8::is_ascii_uppercase) {
            break;
        }
        groups.push(g);
        st = g;
    }
    let Some(&first) = groups.last() else {
        return false;
    };
    if first > 0 && matches!(text[first - 1], b'-' | b'.' | b'+' | b'/') {
        return false;
    }
    let group = |g: usize| {
        let mut e = g;
        while e < text.len() && text[e].is_ascii_alphanumeric() {
            e += 1;
        }
        &text[g..e]
    };
    let h = group(first);
    let iban_head = h.len() == 4
        && h[..2].iter().all(u8::is_ascii_uppercase)
        && h[2..].iter().all(u8::is_ascii_digit);
    iban_head
        || groups.iter().any(|&g| {
            let x = group(g);
            x.len() == 4 && x.iter().all(u8::is_ascii_digit)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn veto(text: &str, value: &str) -> Option<Veto> {
        let s = text.find(value).unwrap();
        number_veto(text.as_bytes(), s, s + value.len(), false)
    }

    #[test]
    fn log_layouts_are_not_personal_numbers() {
        assert_eq!(
            veto("081109 203615 148 INFO dfs", "081109 203615"),
            Some(Veto::Timestamp)
        );
        assert_eq!(
            veto("[0701/114930:WARNING:x]", "0701/114930"),
            Some(Veto::Timestamp)
        );
        assert_eq!(
            veto("at 20261129 034950 done", "20261129 034950"),
            Some(Veto::Timestamp)
        );
        assert_eq!(
            veto("ts=1764388190123 ok", "1764388190123"),
            Some(Veto::Timestamp)
        );
        assert_eq!(
            veto("03-17 16:13:48.019  2227  2227 V", "019  2227  2227"),
            Some(Veto::LongerNumber)
        );
        assert_eq!(
            veto("blk_-4980916519894289629 ok", "4980916519894289629"),
            Some(Veto::Identifier)
        );
        assert_eq!(
            veto("id_4111111111111111", "4111111111111111"),
            Some(Veto::Identifier)
        );
        assert_eq!(
            veto("tmp_4111111111111111_x", "4111111111111111"),
            Some(Veto::Identifier)
        );
        assert_eq!(veto("rv:1.9.4.20) Gecko", "1.9.4.20"), Some(Veto::Version));
        assert_eq!(
            veto("Package_for_KB~~6.1.1.0", "6.1.1.0"),
            Some(Veto::Version)
        );
        assert_eq!(veto("version 10.4.3.1 up", "10.4.3.1"), Some(Veto::Version));
        assert_eq!(veto("v10.4.3.1 up", "10.4.3.1"), Some(Veto::Version));
        // A lone letter and a space before an address: no version.
        assert_eq!(veto("v 203.29.87.52 up", "203.29.87.52"), None);
        assert_eq!(veto("a 1.2.3.4.5 b", "1.2.3.4"), Some(Veto::LongerNumber));
        assert_eq!(
            veto("BE71 0961 2345 6760", "0961 2345 6760"),
            Some(Veto::GroupedNumber)
        );
        assert_eq!(
            veto("CY17 0020 0128 0000 0012", "0020 0128 0000"),
            Some(Veto::GroupedNumber)
        );
        assert_eq!(
            veto(
                "4012-8888-8888-1881 4012 8888 8888 1881",
                "4012 8888 8888 1881"
            ),
            None
        );
        assert_eq!(
            veto("BA39 1290 0794 0102 8495", "0794 0102 8495"),
            Some(Veto::GroupedNumber)
        );
        assert_eq!(
            veto("HR12 001 0051 8630 0016 A", "001 0051 8630"),
            Some(Veto::GroupedNumber)
        );
        assert_eq!(
            veto("tracking 9400 3757 7318 0253 8964 45", "0253 8964 45"),
            Some(Veto::GroupedNumber)
        );
    }

    #[test]
    fn a_label_outweighs_a_date_reading() {
        let t = b"CPR=1407249794 region=eu";
        assert_eq!(number_veto(t, 4, 14, false), Some(Veto::Timestamp));
        assert_eq!(number_veto(t, 4, 14, true), None);
    }

    #[test]
    fn numbers_people_write_stand_on_their_own() {
        for (text, value) in [
            ("Rückruf an 030 12345678 angefordert", "030 12345678"),
            ("call 0961 2345 6760 now", "0961 2345 6760"),
            ("card 4111 1111 1111 1111 declined", "4111 1111 1111 1111"),
            (
                "cards 4111 1111 1111 1111 and 4111 1111 1111 1112",
                "4111 1111 1111 1112",
            ),
            ("phone 030 1234 5678 ok", "030 1234 5678"),
            ("from 203.0.113.9 port 22", "203.0.113.9"),
            ("client 203.0.113.9:443", "203.0.113.9"),
            ("tel: 415-555-0132x12 ok", "415-555-0132"),
            ("ssn=078-05-1120", "078-05-1120"),
            ("phone 0612345678", "0612345678"),
            ("Tel. 0316 123456 (Graz)", "0316 123456"),
            ("nif=PT234567899", "234567899"),
            ("born 1990-01-31T00:00:00Z", "1990-01-31"),
        ] {
            assert_eq!(veto(text, value), None, "{text}");
        }
    }

    #[test]
    fn only_digit_values_are_numbers() {
        assert!(is_numeric(b"+44 20 7946 0958"));
        assert!(is_numeric(b"1.2.3.4"));
        assert!(!is_numeric(b"AB123456C"));
        assert!(!is_numeric(b"123"));
    }
}
