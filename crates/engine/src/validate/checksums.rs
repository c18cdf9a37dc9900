//! Check digits and registries: Luhn (cards), GitHub's CRC32 token
//! checksum, IBAN (mod 97 and the per-country lengths), Verhoeff, VIN and
//! ABA routing numbers.

use super::*;

/// GitHub's token checksum (also npm's): after the `xxx_` prefix, a body of
/// 30 random base62 characters and 6 more that are their CRC32 in base62
/// (`0-9A-Za-z`, zero-padded). Only 36-character bodies are checked: longer
/// bodies, which the formats allow for the future, have no documented
/// checksum position and pass.
pub(crate) fn crc32_base62(value: &[u8]) -> bool {
    let body = match value.iter().rposition(|&b| b == b'_') {
        Some(p) => &value[p + 1..],
        None => value,
    };
    if body.len() != 36 {
        return true;
    }
    let (random, sum) = body.split_at(30);
    let mut n: u64 = 0;
    for &b in sum {
        let d = match b {
            b'0'..=b'9' => b - b'0',
            b'A'..=b'Z' => b - b'A' + 10,
            b'a'..=b'z' => b - b'a' + 36,
            _ => return false,
        };
        n = n * 62 + u64::from(d);
    }
    n == u64::from(crc32fast::hash(random))
}

pub(crate) fn luhn(value: &[u8]) -> bool {
    let ds: Vec<u32> = digits(value).collect();
    ds.len() >= 12 && !all_same(&ds) && luhn_ok(&ds)
}

/// IBAN lengths by country (SWIFT IBAN registry).
pub(super) const IBAN_LENGTHS: &[(&[u8; 2], usize)] = &[
    (b"AD", 24),
    (b"AE", 23),
    (b"AL", 28),
    (b"AT", 20),
    (b"AZ", 28),
    (b"BA", 20),
    (b"BE", 16),
    (b"BG", 22),
    (b"BH", 22),
    (b"BI", 27),
    (b"BR", 29),
    (b"BY", 28),
    (b"CH", 21),
    (b"CR", 22),
    (b"CY", 28),
    (b"CZ", 24),
    (b"DE", 22),
    (b"DJ", 27),
    (b"DK", 18),
    (b"DO", 28),
    (b"EE", 20),
    (b"EG", 29),
    (b"ES", 24),
    (b"FI", 18),
    (b"FK", 18),
    (b"FO", 18),
    (b"FR", 27),
    (b"GB", 22),
    (b"GE", 22),
    (b"GI", 23),
    (b"GL", 18),
    (b"GR", 27),
    (b"GT", 28),
    (b"HN", 28),
    (b"HR", 21),
    (b"HU", 28),
    (b"IE", 22),
    (b"IL", 23),
    (b"IQ", 23),
    (b"IS", 26),
    (b"IT", 27),
    (b"JO", 30),
    (b"KW", 30),
    (b"KZ", 20),
    (b"LB", 28),
    (b"LC", 32),
    (b"LI", 21),
    (b"LT", 20),
    (b"LU", 20),
    (b"LV", 21),
    (b"LY", 25),
    (b"MC", 27),
    (b"MD", 24),
    (b"ME", 22),
    (b"MK", 19),
    (b"MN", 20),
    (b"MR", 27),
    (b"MT", 31),
    (b"MU", 30),
    (b"NI", 28),
    (b"NL", 18),
    (b"NO", 15),
    (b"OM", 23),
    (b"PK", 24),
    (b"PL", 28),
    (b"PS", 29),
    (b"PT", 25),
    (b"QA", 29),
    (b"RO", 24),
    (b"RS", 22),
    (b"RU", 33),
    (b"SA", 24),
    (b"SC", 31),
    (b"SD", 18),
    (b"SE", 24),
    (b"SI", 19),
    (b"SK", 24),
    (b"SM", 27),
    (b"SO", 23),
    (b"ST", 25),
    (b"SV", 28),
    (b"TL", 23),
    (b"TN", 24),
    (b"TR", 26),
    (b"UA", 29),
    (b"VA", 22),
    (b"VG", 24),
    (b"XK", 20),
    (b"YE", 30),
];

/// The IBAN length for a country code, if the country issues IBANs.
pub fn iban_length(country: &[u8]) -> Option<usize> {
    IBAN_LENGTHS
        .iter()
        .find(|(c, _)| c.as_slice() == country)
        .map(|&(_, n)| n)
}

/// IBAN: country known, length right for it, mod-97 == 1.
pub(crate) fn iban(value: &[u8]) -> bool {
    let compact: Vec<u8> = value
        .iter()
        .filter(|b| b.is_ascii_alphanumeric())
        .map(|b| b.to_ascii_uppercase())
        .collect();
    if compact.len() < 5 || !compact[2..4].iter().all(u8::is_ascii_digit) {
        return false;
    }
    if iban_length(&compact[..2]) != Some(compact.len()) {
        return false;
    }
    let mut rem: u32 = 0;
    for &b in compact[4..].iter().chain(&compact[..4]) {
        let v = match b {
            b'0'..=b'9' => u32::from(b - b'0'),
            b'A'..=b'Z' => u32::from(b - b'A') + 10,
            _ => return false,
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

/// The length of the valid IBAN that `value` starts with, if any. Lets an
/// IBAN pattern stay generic (two letters, two digits, groups of four):
/// when it runs on into a following word, the candidate is cut back to its
/// country's length, at a group boundary, before mod-97 is checked.
pub(crate) fn iban_fit(value: &[u8]) -> Option<usize> {
    let expected = iban_length(&value.get(..2)?.to_ascii_uppercase())?;
    let mut count = 0;
    for (i, b) in value.iter().enumerate() {
        if b.is_ascii_alphanumeric() {
            count += 1;
            if count == expected {
                let end = i + 1;
                let boundary = value.get(end).is_none_or(|c| !c.is_ascii_alphanumeric());
                return (boundary && iban(&value[..end])).then_some(end);
            }
        }
    }
    None
}

pub(super) const VERHOEFF_D: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];

pub(super) const VERHOEFF_P: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/// Verhoeff checksum over digits whose last one is the check digit.
pub(super) fn verhoeff(ds: &[u32]) -> bool {
    let mut c = 0u8;
    for (i, &d) in ds.iter().rev().enumerate() {
        c = VERHOEFF_D[usize::from(c)][usize::from(VERHOEFF_P[i % 8][d as usize])];
    }
    c == 0
}

/// Vehicle identification number (ISO 3779, 49 CFR 565.15): 17 characters
/// of 0-9 and A-Z without I, O and Q (either case), at least one letter;
/// position 9 is the check digit: letters transliterate A-H 1-8, J-N 1-5,
/// P 7, R 9, S-Z 2-9, weights 8 7 6 5 4 3 2 10 0 9 8 7 6 5 4 3 2, the sum
/// mod 11, 10 written X.
pub(crate) fn vin(value: &[u8]) -> bool {
    const WEIGHTS: [u32; 17] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
    if value.len() != 17 || !value.iter().any(u8::is_ascii_alphabetic) {
        return false;
    }
    let mut sum = 0u32;
    for (i, &b) in value.iter().enumerate() {
        let v = match b.to_ascii_uppercase() {
            c @ b'0'..=b'9' => c - b'0',
            c @ b'A'..=b'H' => c - b'A' + 1,
            c @ b'J'..=b'N' => c - b'J' + 1,
            b'P' => 7,
            b'R' => 9,
            c @ b'S'..=b'Z' => c - b'S' + 2,
            _ => return false,
        };
        sum += u32::from(v) * WEIGHTS[i];
    }
    let check = match sum % 11 {
        10 => b'X',
        n => b'0' + n as u8,
    };
    value[8].to_ascii_uppercase() == check
}

/// US ABA routing transit number: 9 digits (separators ignored), not all
/// the same, first two 00-12, 21-32, 61-72 or 80; weights 3-7-1 repeated,
/// sum mod 10 == 0.
pub(crate) fn aba_routing(value: &[u8]) -> bool {
    let Some(d) = digits_exact::<9>(value) else {
        return false;
    };
    if !matches!(d[0] * 10 + d[1], 0..=12 | 21..=32 | 61..=72 | 80) {
        return false;
    }
    let sum: u32 = d
        .iter()
        .zip([3, 7, 1].iter().cycle())
        .map(|(x, w)| x * w)
        .sum();
    sum % 10 == 0
}
