//! Validators: cheap checks run only on the candidates a pattern found.
//!
//! A pattern finds the shape ("16 digits"); a validator decides whether the
//! shape is the thing ("a card number, because its Luhn sum is right"). They
//! run after the automaton, on a few bytes each, so their cost is invisible
//! next to the scan; what they buy is precision: a Luhn-invalid order id or
//! a private IP address is left alone.

use crate::rules::ValidatorKind;

/// Runs `kind` on a candidate's sensitive bytes.
pub(crate) fn check(kind: ValidatorKind, value: &[u8]) -> bool {
    match kind {
        ValidatorKind::Luhn => luhn(value),
        ValidatorKind::Iban => iban(value),
        ValidatorKind::UsSsn => us_ssn(value),
        ValidatorKind::UkNino => uk_nino(value),
        ValidatorKind::Ipv4Public => ipv4_public(value),
        ValidatorKind::Ipv6Public => ipv6_public(value),
        ValidatorKind::Jwt => jwt(value),
        ValidatorKind::Aadhaar => aadhaar(value),
        ValidatorKind::Pesel => pesel(value),
        ValidatorKind::NlBsn => nl_bsn(value),
        ValidatorKind::EsDni => es_dni(value),
        ValidatorKind::BrCpf => br_cpf(value),
        ValidatorKind::BrCnpj => br_cnpj(value),
        ValidatorKind::CnRic => cn_ric(value),
        ValidatorKind::DeSteuerId => de_steuer_id(value),
        ValidatorKind::FrNir => fr_nir(value),
        ValidatorKind::TrTckn => tr_tckn(value),
    }
}

fn digits(value: &[u8]) -> impl Iterator<Item = u32> + '_ {
    value
        .iter()
        .filter(|b| b.is_ascii_digit())
        .map(|b| u32::from(b - b'0'))
}

/// Luhn (mod 10) over the digits; separators are ignored.
pub(crate) fn luhn(value: &[u8]) -> bool {
    let ds: Vec<u32> = digits(value).collect();
    if ds.len() < 12 || ds.iter().all(|&d| d == ds[0]) {
        return false;
    }
    let sum: u32 = ds
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

/// IBAN lengths by country (SWIFT IBAN registry).
const IBAN_LENGTHS: &[(&[u8; 2], usize)] = &[
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

/// US SSN: area not 000/666/9xx, group not 00, serial not 0000.
pub(crate) fn us_ssn(value: &[u8]) -> bool {
    let ds: Vec<u32> = digits(value).collect();
    if ds.len() != 9 {
        return false;
    }
    let area = ds[0] * 100 + ds[1] * 10 + ds[2];
    let group = ds[3] * 10 + ds[4];
    let serial = ds[5] * 1000 + ds[6] * 100 + ds[7] * 10 + ds[8];
    area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
}

/// UK National Insurance number: prefix letters and suffix rules.
pub(crate) fn uk_nino(value: &[u8]) -> bool {
    let c: Vec<u8> = value
        .iter()
        .filter(|b| b.is_ascii_alphanumeric())
        .map(|b| b.to_ascii_uppercase())
        .collect();
    if c.len() != 9 || !c[2..8].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let (a, b, s) = (c[0], c[1], c[8]);
    let bad_first = b"DFIQUV";
    let bad_second = b"DFIQUVO";
    if !a.is_ascii_uppercase() || !b.is_ascii_uppercase() {
        return false;
    }
    if bad_first.contains(&a) || bad_second.contains(&b) {
        return false;
    }
    if [b"BG", b"GB", b"KN", b"NK", b"NT", b"TN", b"ZZ"].contains(&&[a, b]) {
        return false;
    }
    matches!(s, b'A'..=b'D')
}

/// The digits of `value` (separators ignored), if there are exactly `n`
/// and not all the same (`000000000`, `111111111` are fillers, not ids).
fn n_digits(value: &[u8], n: usize) -> Option<Vec<u32>> {
    let ds: Vec<u32> = digits(value).collect();
    (ds.len() == n && ds.iter().any(|&d| d != ds[0])).then_some(ds)
}

const VERHOEFF_D: [[u8; 10]; 10] = [
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
const VERHOEFF_P: [[u8; 10]; 8] = [
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
fn verhoeff(ds: &[u32]) -> bool {
    let mut c = 0u8;
    for (i, &d) in ds.iter().rev().enumerate() {
        c = VERHOEFF_D[usize::from(c)][usize::from(VERHOEFF_P[i % 8][d as usize])];
    }
    c == 0
}

/// India Aadhaar (UIDAI): 12 digits, first 2-9, Verhoeff check digit.
pub(crate) fn aadhaar(value: &[u8]) -> bool {
    n_digits(value, 12).is_some_and(|ds| ds[0] >= 2 && verhoeff(&ds))
}

/// Poland PESEL: YYMMDD (month + 20/40/60/80 by century) ZZZX C, weights
/// 1-3-7-9 mod 10, a real month code and a day 1-31.
pub(crate) fn pesel(value: &[u8]) -> bool {
    let Some(ds) = n_digits(value, 11) else {
        return false;
    };
    let month = (ds[2] * 10 + ds[3]) % 20;
    let day = ds[4] * 10 + ds[5];
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return false;
    }
    const W: [u32; 10] = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
    let sum: u32 = ds.iter().zip(W).map(|(d, w)| d * w).sum();
    (10 - sum % 10) % 10 == ds[10]
}

/// Netherlands BSN (burgerservicenummer): 9 digits (8 with a leading zero
/// dropped), 9*d1 + 8*d2 + ... + 2*d8 - d9 divisible by 11.
pub(crate) fn nl_bsn(value: &[u8]) -> bool {
    let mut ds: Vec<u32> = digits(value).collect();
    if ds.len() == 8 {
        ds.insert(0, 0);
    }
    if ds.len() != 9 || ds.iter().all(|&d| d == ds[0]) {
        return false;
    }
    let sum: i64 = ds[..8]
        .iter()
        .zip((2..=9).rev())
        .map(|(&d, w)| i64::from(d) * w)
        .sum::<i64>()
        - i64::from(ds[8]);
    sum > 0 && sum % 11 == 0
}

/// Spain DNI (8 digits + letter) or NIE (X/Y/Z + 7 digits + letter): the
/// letter is TRWAGMYFPDXBNJZSQVHLCKE[number mod 23], X/Y/Z counting 0/1/2.
pub(crate) fn es_dni(value: &[u8]) -> bool {
    const LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";
    let c: Vec<u8> = value
        .iter()
        .filter(|b| b.is_ascii_alphanumeric())
        .map(|b| b.to_ascii_uppercase())
        .collect();
    if c.len() != 9 {
        return false;
    }
    let lead = match c[0] {
        b'X' => 0,
        b'Y' => 1,
        b'Z' => 2,
        b'0'..=b'9' => u32::from(c[0] - b'0'),
        _ => return false,
    };
    if !c[1..8].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let n = c[1..8]
        .iter()
        .fold(lead, |n, &b| n * 10 + u32::from(b - b'0'));
    if n == 0 {
        return false;
    }
    LETTERS[(n % 23) as usize] == c[8]
}

/// Mod-11 check digit as Brazil computes it: 11 - (sum mod 11), 0 when
/// that is 10 or 11.
fn br_mod11(ds: &[u32], weights: &[u32]) -> u32 {
    let sum: u32 = ds.iter().zip(weights).map(|(d, w)| d * w).sum();
    let r = sum % 11;
    if r < 2 {
        0
    } else {
        11 - r
    }
}

/// Brazil CPF: 11 digits, two mod-11 check digits (weights 10..2, 11..2).
pub(crate) fn br_cpf(value: &[u8]) -> bool {
    let Some(ds) = n_digits(value, 11) else {
        return false;
    };
    br_mod11(&ds[..9], &[10, 9, 8, 7, 6, 5, 4, 3, 2]) == ds[9]
        && br_mod11(&ds[..10], &[11, 10, 9, 8, 7, 6, 5, 4, 3, 2]) == ds[10]
}

/// Brazil CNPJ: 14 digits, two mod-11 check digits (weights 5..2,9..2 and
/// 6..2,9..2).
pub(crate) fn br_cnpj(value: &[u8]) -> bool {
    let Some(ds) = n_digits(value, 14) else {
        return false;
    };
    br_mod11(&ds[..12], &[5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]) == ds[12]
        && br_mod11(&ds[..13], &[6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]) == ds[13]
}

/// China resident identity number (GB 11643-1999): 6-digit region,
/// YYYYMMDD birth date, 3-digit sequence, ISO 7064 MOD 11-2 check (0-9, X).
pub(crate) fn cn_ric(value: &[u8]) -> bool {
    let c: Vec<u8> = value
        .iter()
        .filter(|b| b.is_ascii_alphanumeric())
        .map(|b| b.to_ascii_uppercase())
        .collect();
    if c.len() != 18 || !c[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let d = |i: usize| u32::from(c[i] - b'0');
    let year = d(6) * 1000 + d(7) * 100 + d(8) * 10 + d(9);
    let month = d(10) * 10 + d(11);
    let day = d(12) * 10 + d(13);
    if !(1880..=2099).contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return false;
    }
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = (0..17).map(|i| d(i) * W[i]).sum();
    b"10X98765432"[(sum % 11) as usize] == c[17]
}

/// Germany Steuerliche Identifikationsnummer: 11 digits, first not 0; in
/// the first ten exactly one digit repeats, twice or three times (not three
/// in a row); ISO 7064 MOD 11,10 check digit.
pub(crate) fn de_steuer_id(value: &[u8]) -> bool {
    let Some(ds) = n_digits(value, 11) else {
        return false;
    };
    if ds[0] == 0 {
        return false;
    }
    let mut counts = [0u32; 10];
    for &d in &ds[..10] {
        counts[d as usize] += 1;
    }
    let repeated: Vec<u32> = (0..10).filter(|&d| counts[d as usize] > 1).collect();
    let [r] = repeated[..] else {
        return false;
    };
    match counts[r as usize] {
        2 => {}
        3 => {
            if ds[..10].windows(3).any(|w| w.iter().all(|&d| d == r)) {
                return false;
            }
        }
        _ => return false,
    }
    let mut product = 10;
    for &d in &ds[..10] {
        let mut sum = (d + product) % 10;
        if sum == 0 {
            sum = 10;
        }
        product = (2 * sum) % 11;
    }
    let check = 11 - product;
    (if check == 10 { 0 } else { check }) == ds[10]
}

/// France NIR (numero de securite sociale): sex 1/2 (3, 4, 7, 8
/// provisional), YY, MM, department (2 digits or 2A/2B), commune, order,
/// and a key 97 - (13-digit number mod 97), with 2A read as 19 and 2B as 18.
pub(crate) fn fr_nir(value: &[u8]) -> bool {
    let c: Vec<u8> = value
        .iter()
        .filter(|b| b.is_ascii_alphanumeric())
        .map(|b| b.to_ascii_uppercase())
        .collect();
    if c.len() != 15 || !matches!(c[0], b'1' | b'2' | b'3' | b'4' | b'7' | b'8') {
        return false;
    }
    let mut body = c[..13].to_vec();
    match (body[5], body[6]) {
        (b'2', b'A') => body[5..7].copy_from_slice(b"19"),
        (b'2', b'B') => body[5..7].copy_from_slice(b"18"),
        _ => {}
    }
    if !body.iter().chain(&c[13..]).all(u8::is_ascii_digit) {
        return false;
    }
    let month = u32::from(c[3] - b'0') * 10 + u32::from(c[4] - b'0');
    if month == 0 || month == 13 || month == 19 {
        return false;
    }
    let n = body.iter().fold(0u64, |n, &b| n * 10 + u64::from(b - b'0'));
    let key = u64::from(c[13] - b'0') * 10 + u64::from(c[14] - b'0');
    97 - n % 97 == key
}

/// Turkey TC Kimlik No: 11 digits, first not 0; digit 10 is
/// (7 * (d1+d3+d5+d7+d9) - (d2+d4+d6+d8)) mod 10, digit 11 the sum of the
/// first ten mod 10.
pub(crate) fn tr_tckn(value: &[u8]) -> bool {
    let Some(d) = n_digits(value, 11) else {
        return false;
    };
    if d[0] == 0 {
        return false;
    }
    let odd = d[0] + d[2] + d[4] + d[6] + d[8];
    let even = d[1] + d[3] + d[5] + d[7];
    let d10 = (odd * 7 + 100 - even) % 10;
    d10 == d[9] && d[..10].iter().sum::<u32>() % 10 == d[10]
}

fn ipv4_parse(value: &[u8]) -> Option<std::net::Ipv4Addr> {
    std::str::from_utf8(value).ok()?.parse().ok()
}

/// A public IPv4 address: not private, loopback, link-local, CGNAT,
/// multicast, reserved, broadcast or unspecified.
pub(crate) fn ipv4_public(value: &[u8]) -> bool {
    let Some(ip) = ipv4_parse(value) else {
        return false;
    };
    let o = ip.octets();
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_unspecified()
        || o[0] == 0
        || o[0] >= 240
        || (o[0] == 100 && (64..128).contains(&o[1])))
}

/// A global IPv6 address: not loopback, unspecified, link-local,
/// unique-local, multicast; an IPv4-mapped address follows the IPv4 rules.
pub(crate) fn ipv6_public(value: &[u8]) -> bool {
    let Some(ip) = std::str::from_utf8(value)
        .ok()
        .and_then(|s| s.parse::<std::net::Ipv6Addr>().ok())
    else {
        return false;
    };
    if let Some(v4) = ip.to_ipv4_mapped() {
        return ipv4_public(v4.to_string().as_bytes());
    }
    let s = ip.segments();
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (s[0] & 0xffc0) == 0xfe80
        || (s[0] & 0xfe00) == 0xfc00
        || s[0] == 0)
}

/// Decodes base64url (or standard base64) without padding checks.
pub(crate) fn base64_decode(input: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(input.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for &b in input {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            b'=' => break,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// A JWT: the header decodes to a JSON object naming its `alg`.
pub(crate) fn jwt(value: &[u8]) -> bool {
    let header = value.split(|&b| b == b'.').next().unwrap_or(b"");
    match base64_decode(header) {
        Some(h) => {
            let h = h.trim_ascii();
            h.starts_with(b"{") && memchr::memmem::find(h, b"\"alg\"").is_some()
        }
        None => false,
    }
}

/// Shannon entropy in bits per byte.
pub(crate) fn entropy(value: &[u8]) -> f64 {
    if value.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in value {
        counts[usize::from(b)] += 1;
    }
    let n = value.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_accepts_test_cards_and_refuses_near_misses() {
        assert!(luhn(b"4111 1111 1111 1111"));
        assert!(luhn(b"5555-5555-5555-4444"));
        assert!(luhn(b"378282246310005"));
        assert!(!luhn(b"4111111111111112"));
        assert!(!luhn(b"0000000000000000"));
    }

    #[test]
    fn iban_checks_country_length_and_mod97() {
        assert!(iban(b"GB82 WEST 1234 5698 7654 32"));
        assert!(iban(b"DE89370400440532013000"));
        assert!(!iban(b"DE89370400440532013001"));
        assert!(!iban(b"DE8937040044053201300"));
        assert!(!iban(b"XX89370400440532013000"));
    }

    #[test]
    fn iban_fit_cuts_a_candidate_back_to_its_country_length() {
        assert_eq!(iban_fit(b"ES9121000418450200051332 ABCD"), Some(24));
        assert_eq!(iban_fit(b"GB82 WEST 1234 5698 7654 32"), Some(27));
        assert_eq!(iban_fit(b"DE89370400440532013000"), Some(22));
        assert_eq!(iban_fit(b"DE8937040044053201300"), None);
        assert_eq!(iban_fit(b"DE893704004405320130001"), None);
    }

    #[test]
    fn ssn_ranges() {
        assert!(us_ssn(b"123-45-6789"));
        assert!(!us_ssn(b"000-45-6789"));
        assert!(!us_ssn(b"666-45-6789"));
        assert!(!us_ssn(b"912-45-6789"));
        assert!(!us_ssn(b"123-00-6789"));
        assert!(!us_ssn(b"123-45-0000"));
    }

    #[test]
    fn nino_prefixes() {
        assert!(uk_nino(b"AB 12 34 56 C"));
        assert!(!uk_nino(b"BG123456C"));
        assert!(!uk_nino(b"DA123456C"));
        assert!(!uk_nino(b"AB123456E"));
    }

    #[test]
    fn ip_public_ranges() {
        assert!(ipv4_public(b"8.8.8.8"));
        assert!(ipv4_public(b"203.0.113.7"));
        for ip in [
            "10.1.2.3",
            "192.168.0.1",
            "172.16.5.4",
            "127.0.0.1",
            "169.254.1.1",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "999.1.1.1",
        ] {
            assert!(!ipv4_public(ip.as_bytes()), "{ip}");
        }
        assert!(ipv6_public(b"2a00:1450:4001:81b::200e"));
        assert!(ipv6_public(b"2001:db8::1"));
        for ip in [
            "::1",
            "fe80::1",
            "fd12:3456::1",
            "ff02::1",
            "::",
            "::ffff:10.0.0.1",
            "12:34:56",
        ] {
            assert!(!ipv6_public(ip.as_bytes()), "{ip}");
        }
    }

    #[test]
    fn jwt_header_must_decode() {
        assert!(jwt(b"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc"));
        assert!(!jwt(b"eyJmb28iOiJiYXIifQ.eyJzdWIiOiIxIn0.abc"));
    }

    /// Valid values below were generated by computing the check digit over
    /// made-up numbers (no real person's); each has a near miss.
    #[test]
    fn aadhaar_verhoeff() {
        for v in [
            "234567890124",
            "9876 5432 1012",
            "4930-1827-3652",
            "555123456781",
        ] {
            assert!(aadhaar(v.as_bytes()), "{v}");
        }
        for v in [
            "234567890125",
            "987654321013",
            "134567890124",
            "123456789012",
            "222222222222",
            "23456789012",
        ] {
            assert!(!aadhaar(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn pesel_weights_and_date() {
        for v in ["90010112349", "02211534565", "85123178906", "75070411229"] {
            assert!(pesel(v.as_bytes()), "{v}");
        }
        // Wrong check digit; month 13; day 00; all zeros; too short.
        for v in [
            "90010112340",
            "02211534566",
            "90130112349",
            "90010012345",
            "00000000000",
            "9001011234",
        ] {
            assert!(!pesel(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn bsn_eleven_proof() {
        for v in [
            "123456782",
            "2345.67.892",
            "314159265",
            "555123406",
            "271828183",
        ] {
            assert!(nl_bsn(v.as_bytes()), "{v}");
        }
        for v in [
            "123456783",
            "234567891",
            "314159266",
            "000000000",
            "111111111",
            "1234567",
        ] {
            assert!(!nl_bsn(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn dni_nie_letter() {
        for v in [
            "12345678Z",
            "87654321-X",
            "x1234567l",
            "Y7654321G",
            "Z2468013A",
            "23456789D",
        ] {
            assert!(es_dni(v.as_bytes()), "{v}");
        }
        for v in [
            "12345678A",
            "87654321Y",
            "X1234567K",
            "W1234567L",
            "1234567Z",
            "00000000T",
        ] {
            assert!(!es_dni(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn cpf_two_check_digits() {
        for v in [
            "123.456.789-09",
            "98765432100",
            "31415926590",
            "271.828.182-05",
        ] {
            assert!(br_cpf(v.as_bytes()), "{v}");
        }
        for v in [
            "123.456.789-08",
            "98765432101",
            "31415926580",
            "111.111.111-11",
            "1234567890",
        ] {
            assert!(!br_cpf(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn cnpj_two_check_digits() {
        for v in [
            "11.222.333/0001-81",
            "12345678000195",
            "31415926000171",
            "27.182.818/0002-00",
        ] {
            assert!(br_cnpj(v.as_bytes()), "{v}");
        }
        for v in [
            "11.222.333/0001-82",
            "12345678000194",
            "31415926000181",
            "00000000000000",
            "1234567800019",
        ] {
            assert!(!br_cnpj(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn cn_ric_mod11_2_and_date() {
        for v in [
            "11010519491231002X",
            "11010519491231002x",
            "440304200002291236",
            "310115198507070016",
            "510107199901018883",
        ] {
            assert!(cn_ric(v.as_bytes()), "{v}");
        }
        // Wrong check; month 13; year 1700; 17 chars.
        for v in [
            "110105194912310021",
            "440304200002291237",
            "310115198513070016",
            "110105170012310020",
            "31011519850707001",
        ] {
            assert!(!cn_ric(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn steuer_id_mod11_10_and_repetition() {
        for v in [
            "86095742719",
            "86721509363",
            "47 321 905 846",
            "12345678911",
            "57139804239",
            "12134567803",
        ] {
            assert!(de_steuer_id(v.as_bytes()), "{v}");
        }
        // Wrong check digit; no repeated digit; two repeated digits; leading 0;
        // three in a row.
        for v in [
            "86095742718",
            "86721509364",
            "86721509340",
            "11223456789",
            "06721509363",
            "11134567890",
        ] {
            assert!(!de_steuer_id(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn nir_key_and_corsica() {
        for v in [
            "269054958815780",
            "1 85 07 75 123 456 08",
            "292029901234597",
            "179012A12345669",
            "281102b00402123",
            "134099912398702",
        ] {
            assert!(fr_nir(v.as_bytes()), "{v}");
        }
        for v in [
            "269054958815781",
            "185077512345609",
            "179012A12345668",
            "179012C12345669",
            "585077512345608",
            "18507751234560",
        ] {
            assert!(!fr_nir(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn tckn_two_check_digits() {
        for v in ["12345678950", "98765432150", "31415926562", "27182818254"] {
            assert!(tr_tckn(v.as_bytes()), "{v}");
        }
        for v in [
            "12345678951",
            "98765432140",
            "31415926563",
            "02345678950",
            "11111111111",
            "1234567895",
        ] {
            assert!(!tr_tckn(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn entropy_orders_randomness() {
        assert!(entropy(b"aaaaaaaa") < 0.1);
        assert!(entropy(b"wJalrXUtnFEMI/K7MDENG/bPxRfiCYzz") > 4.0);
    }
}
