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

    #[test]
    fn entropy_orders_randomness() {
        assert!(entropy(b"aaaaaaaa") < 0.1);
        assert!(entropy(b"wJalrXUtnFEMI/K7MDENG/bPxRfiCYzz") > 4.0);
    }
}
