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
        ValidatorKind::Crc32Base62 => crc32_base62(value),
        ValidatorKind::BitcoinAddress => bitcoin_address(value),
        ValidatorKind::Iban => iban(value),
        ValidatorKind::UsSsn => us_ssn(value),
        ValidatorKind::UkNino => uk_nino(value),
        ValidatorKind::Ipv4Public => ipv4_public(value),
        ValidatorKind::Ipv6Public => ipv6_public(value),
        ValidatorKind::Jwt => jwt(value),
        ValidatorKind::JwtBase64 => base64_decode(value).is_some_and(|v| jwt_shaped(&v)),
        ValidatorKind::Vin => vin(value),
        ValidatorKind::AbaRouting => aba_routing(value),
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
        ValidatorKind::ItCodiceFiscale => it_codice_fiscale(value),
        ValidatorKind::SePersonnummer => se_personnummer(value),
        ValidatorKind::FiHetu => fi_hetu(value),
        ValidatorKind::DkCpr => dk_cpr(value),
        ValidatorKind::BeNrn => be_nrn(value),
        ValidatorKind::NoFnr => no_fnr(value),
        ValidatorKind::PtNif => pt_nif(value),
        ValidatorKind::IePpsn => ie_ppsn(value),
        ValidatorKind::ChAhv => ch_ahv(value),
        ValidatorKind::UkNhs => uk_nhs(value),
        ValidatorKind::KrRrn => kr_rrn(value),
        ValidatorKind::SgNric => sg_nric(value),
        ValidatorKind::ZaId => za_id(value),
        ValidatorKind::CaSin => ca_sin(value),
        ValidatorKind::AuTfn => au_tfn(value),
        ValidatorKind::AuAbn => au_abn(value),
        ValidatorKind::AuMedicare => au_medicare(value),
        ValidatorKind::UsItin => us_itin(value),
        ValidatorKind::InPan => in_pan(value),
        ValidatorKind::MxCurp => mx_curp(value),
        ValidatorKind::ClRut => cl_rut(value),
        ValidatorKind::JpMyNumber => jp_my_number(value),
        ValidatorKind::HkId => hk_id(value),
        ValidatorKind::IlTeudatZehut => il_teudat_zehut(value),
    }
}

fn digits(value: &[u8]) -> impl Iterator<Item = u32> + '_ {
    value
        .iter()
        .filter(|b| b.is_ascii_digit())
        .map(|b| u32::from(b - b'0'))
}

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

/// Luhn (mod 10) over the digits; separators are ignored.
/// A Bitcoin address whose checksum holds: base58check with a main- or
/// test-net version byte, or bech32 / bech32m with a `bc` / `tb` prefix.
pub(crate) fn bitcoin_address(value: &[u8]) -> bool {
    let lower = value.to_ascii_lowercase();
    if lower.starts_with(b"bc1") || lower.starts_with(b"tb1") {
        return bech32_valid(&lower);
    }
    base58check_valid(value)
}

fn base58check_valid(value: &[u8]) -> bool {
    use sha2::{Digest, Sha256};
    const ALPHABET: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    // Big-endian base-256 accumulator; an address decodes to 25 bytes.
    let mut bytes = [0u8; 25];
    for &c in value {
        let Some(mut carry) = ALPHABET.iter().position(|&a| a == c).map(|d| d as u32) else {
            return false;
        };
        for b in bytes.iter_mut().rev() {
            carry += u32::from(*b) * 58;
            *b = (carry & 0xff) as u8;
            carry >>= 8;
        }
        if carry != 0 {
            return false;
        }
    }
    let leading_ones = value.iter().take_while(|&&c| c == b'1').count();
    let leading_zeros = bytes.iter().take_while(|&&b| b == 0).count();
    if leading_ones != leading_zeros.min(25) && !(leading_ones == 1 && leading_zeros >= 1) {
        return false;
    }
    if !matches!(bytes[0], 0x00 | 0x05 | 0x6f | 0xc4) {
        return false;
    }
    let first = Sha256::digest(&bytes[..21]);
    let second = Sha256::digest(first);
    second[..4] == bytes[21..]
}

fn bech32_valid(lower: &[u8]) -> bool {
    const CHARSET: &[u8] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    let Some(sep) = lower.iter().rposition(|&b| b == b'1') else {
        return false;
    };
    let (hrp, data) = (&lower[..sep], &lower[sep + 1..]);
    if data.len() < 7 || !(hrp == b"bc" || hrp == b"tb") {
        return false;
    }
    let mut values = Vec::with_capacity(hrp.len() * 2 + 1 + data.len());
    values.extend(hrp.iter().map(|&c| c >> 5));
    values.push(0);
    values.extend(hrp.iter().map(|&c| c & 31));
    for &c in data {
        match CHARSET.iter().position(|&x| x == c) {
            Some(v) => values.push(v as u8),
            None => return false,
        }
    }
    let mut chk: u32 = 1;
    const GEN: [u32; 5] = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
    for v in values {
        let top = chk >> 25;
        chk = ((chk & 0x1ffffff) << 5) ^ u32::from(v);
        for (i, g) in GEN.iter().enumerate() {
            if (top >> i) & 1 == 1 {
                chk ^= g;
            }
        }
    }
    chk == 1 || chk == 0x2bc8_30a3
}

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

/// The digits of `value` (anything else skipped) when there are exactly `N`
/// of them and they are not all the same digit; no allocation.
fn digits_exact<const N: usize>(value: &[u8]) -> Option<[u32; N]> {
    let mut out = [0u32; N];
    let mut n = 0;
    for &b in value {
        if b.is_ascii_digit() {
            if n == N {
                return None;
            }
            out[n] = u32::from(b - b'0');
            n += 1;
        }
    }
    (n == N && out.iter().any(|&d| d != out[0])).then_some(out)
}

/// Days in `month` (1-12) of `year`; with no year (a two-digit year whose
/// century is unknown) February has 29.
fn days_in_month(year: Option<u32>, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => match year {
            Some(y) if !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) => 28,
            _ => 29,
        },
        _ => 0,
    }
}

/// A day of a month that exists (February 29 only in leap years when the
/// year is known).
pub(crate) fn valid_date(year: Option<u32>, month: u32, day: u32) -> bool {
    day >= 1 && day <= days_in_month(year, month)
}

/// Italy codice fiscale: 6 letters, YY, month letter (ABCDEHLMPRST), DD
/// (+40 for women), municipality (A-M, or Z abroad, + 3 digits), check
/// letter from the odd/even position tables mod 26. Any of the 7 digits may
/// be replaced by L-V (omocodia: 0-9 as LMNPQRSTUV), from the right, the
/// first year digit never.
pub(crate) fn it_codice_fiscale(value: &[u8]) -> bool {
    const ODD: [u32; 26] = [
        1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24,
        23,
    ];
    const MONTHS: &[u8; 12] = b"ABCDEHLMPRST";
    const OMOCODIA: &[u8; 10] = b"LMNPQRSTUV";
    if value.len() != 16 {
        return false;
    }
    let mut c = [0u8; 16];
    for (o, &b) in c.iter_mut().zip(value) {
        *o = b.to_ascii_uppercase();
    }
    // A digit position: the digit itself or its omocodia letter.
    let digit = |b: u8| -> Option<u32> {
        if b.is_ascii_digit() {
            Some(u32::from(b - b'0'))
        } else {
            OMOCODIA.iter().position(|&l| l == b).map(|p| p as u32)
        }
    };
    if !c[..6].iter().all(u8::is_ascii_uppercase) || !c[15].is_ascii_uppercase() {
        return false;
    }
    let (Some(_), Some(_)) = (digit(c[6]), digit(c[7])) else {
        return false;
    };
    let Some(month) = MONTHS.iter().position(|&m| m == c[8]) else {
        return false;
    };
    let (Some(d1), Some(d2)) = (digit(c[9]), digit(c[10])) else {
        return false;
    };
    let day = d1 * 10 + d2;
    let day = if day > 40 { day - 40 } else { day };
    if !valid_date(None, month as u32 + 1, day) {
        return false;
    }
    if !matches!(c[11], b'A'..=b'M' | b'Z') || !c[12..15].iter().all(|&b| digit(b).is_some()) {
        return false;
    }
    // Omocodia replaces digits from the right (1-based positions 15, 14,
    // 13, 11, 10, 8, 7), one level at a time; the seventh level (every
    // digit a letter) is not issued in practice.
    let mut digit_seen = false;
    for i in [14, 13, 12, 10, 9, 7, 6] {
        if c[i].is_ascii_digit() {
            digit_seen = true;
        } else if digit_seen {
            return false;
        }
    }
    if !c[6].is_ascii_digit() {
        return false;
    }
    let sum: u32 = c[..15]
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            let v = if b.is_ascii_digit() {
                u32::from(b - b'0')
            } else {
                u32::from(b - b'A')
            };
            // 1-based odd positions use the odd table (digits as A-J).
            if i % 2 == 0 {
                ODD[v as usize]
            } else {
                v
            }
        })
        .sum();
    c[15] == b'A' + (sum % 26) as u8
}

/// Sweden personnummer / samordningsnummer: YYMMDD (day + 60 for a
/// samordningsnummer), 3 digits, a Luhn check digit over those 10; 12
/// digits with the century (18, 19, 20) first, then the full date is
/// checked; `+` (aged 100 or more) only in the 10-digit form.
pub(crate) fn se_personnummer(value: &[u8]) -> bool {
    let mut ds = [0u32; 12];
    let mut n = 0;
    for &b in value {
        match b {
            b'0'..=b'9' if n < 12 => {
                ds[n] = u32::from(b - b'0');
                n += 1;
            }
            b'-' => {}
            b'+' if n == 6 => {}
            _ => return false,
        }
    }
    let (year, d) = match n {
        10 => (None, &ds[..10]),
        12 if value.contains(&b'+') => return false,
        12 => {
            let century = ds[0] * 10 + ds[1];
            if !(18..=20).contains(&century) {
                return false;
            }
            (Some(century * 100 + ds[2] * 10 + ds[3]), &ds[2..12])
        }
        _ => return false,
    };
    if d.iter().all(|&x| x == d[0]) {
        return false;
    }
    let month = d[2] * 10 + d[3];
    let day = d[4] * 10 + d[5];
    let day = if day > 60 { day - 60 } else { day };
    if !valid_date(year, month, day) {
        return false;
    }
    let sum: u32 = d
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            let p = if i % 2 == 0 { x * 2 } else { x };
            if p > 9 {
                p - 9
            } else {
                p
            }
        })
        .sum();
    sum % 10 == 0
}

/// Finland henkilötunnus (HETU): DDMMYY, century sign (`+` 1800s; `-` and
/// Y X W V U 1900s; A-F 2000s), individual number 002-999, check character
/// `0123456789ABCDEFHJKLMNPRSTUVWXY`[DDMMYYNNN mod 31].
pub(crate) fn fi_hetu(value: &[u8]) -> bool {
    const CHECK: &[u8; 31] = b"0123456789ABCDEFHJKLMNPRSTUVWXY";
    let &[d0, d1, m0, m1, y0, y1, sign, n0, n1, n2, q] = value else {
        return false;
    };
    let num = [d0, d1, m0, m1, y0, y1, n0, n1, n2];
    if !num.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let v = |b: u8| u32::from(b - b'0');
    let century = match sign.to_ascii_uppercase() {
        b'+' => 1800,
        b'-' | b'Y' | b'X' | b'W' | b'V' | b'U' => 1900,
        b'A'..=b'F' => 2000,
        _ => return false,
    };
    let year = century + v(y0) * 10 + v(y1);
    if !valid_date(Some(year), v(m0) * 10 + v(m1), v(d0) * 10 + v(d1)) {
        return false;
    }
    if v(n0) * 100 + v(n1) * 10 + v(n2) < 2 {
        return false;
    }
    let n = num.iter().fold(0u32, |n, &b| n * 10 + v(b));
    CHECK[(n % 31) as usize] == q.to_ascii_uppercase()
}

/// Denmark CPR-nummer: DDMMYY-SSSS with a date that exists, the century
/// read from the 7th digit and the year (0-3: 1900s; 4 and 9: 2000-2036,
/// else 1900s; 5-8: 2000-2057, else 1800s). The mod-11 check is not
/// applied: numbers issued since 2007 need not satisfy it.
pub(crate) fn dk_cpr(value: &[u8]) -> bool {
    let Some(d) = digits_exact::<10>(value) else {
        return false;
    };
    let yy = d[4] * 10 + d[5];
    let century = match d[6] {
        0..=3 => 1900,
        4 | 9 if yy <= 36 => 2000,
        4 | 9 => 1900,
        _ if yy <= 57 => 2000,
        _ => 1800,
    };
    valid_date(Some(century + yy), d[2] * 10 + d[3], d[0] * 10 + d[1])
}

/// Belgium national register number (rijksregisternummer / numéro de
/// registre national, also the bis number): YYMMDD (month + 20 or + 40
/// for bis numbers, 00 when unknown), sequence 001-997, and a key
/// 97 - (YYMMDDSSS mod 97), with a 2 put in front for births from 2000.
pub(crate) fn be_nrn(value: &[u8]) -> bool {
    let Some(d) = digits_exact::<11>(value) else {
        return false;
    };
    let month = d[2] * 10 + d[3];
    let day = d[4] * 10 + d[5];
    let seq = d[6] * 100 + d[7] * 10 + d[8];
    if month % 20 > 12 || month > 52 || day > 31 || !(1..=997).contains(&seq) {
        return false;
    }
    let base = d[..9].iter().fold(0u64, |n, &x| n * 10 + u64::from(x));
    let key = u64::from(d[9] * 10 + d[10]);
    key == 97 - base % 97 || key == 97 - (2_000_000_000 + base) % 97
}

/// Norway fødselsnummer (and D-number: day + 40; H-number: month + 40):
/// DDMMYY, 3-digit individual number, two mod-11 check digits (weights
/// 3 7 6 1 8 9 4 5 2 and 5 4 3 2 7 6 5 4 3 2; a remainder giving 10 is
/// never issued).
pub(crate) fn no_fnr(value: &[u8]) -> bool {
    let Some(d) = digits_exact::<11>(value) else {
        return false;
    };
    let day = d[0] * 10 + d[1];
    let day = if day > 40 { day - 40 } else { day };
    let month = d[2] * 10 + d[3];
    let month = if month > 40 { month - 40 } else { month };
    if !valid_date(None, month, day) {
        return false;
    }
    let check = |ds: &[u32], w: &[u32]| -> Option<u32> {
        let s: u32 = ds.iter().zip(w).map(|(d, w)| d * w).sum();
        match 11 - s % 11 {
            11 => Some(0),
            10 => None,
            k => Some(k),
        }
    };
    check(&d[..9], &[3, 7, 6, 1, 8, 9, 4, 5, 2]) == Some(d[9])
        && check(&d[..10], &[5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) == Some(d[10])
}

/// Portugal NIF / NIPC (número de identificação fiscal): 9 digits with an
/// issued prefix (1, 2, 3 people; 45 non-residents; 5 companies; 6 public
/// bodies; 70-79 estates, funds...; 8; 90, 91, 98, 99), check digit
/// 11 - (sum of d1..d8 weighted 9..2 mod 11), 0 when that is 10 or 11.
pub(crate) fn pt_nif(value: &[u8]) -> bool {
    let Some(d) = digits_exact::<9>(value) else {
        return false;
    };
    let prefix_ok = match d[0] {
        1 | 2 | 3 | 5 | 6 | 8 => true,
        4 => d[1] == 5,
        7 => matches!(d[1], 0 | 1 | 2 | 4 | 5 | 7 | 9),
        9 => matches!(d[1], 0 | 1 | 8 | 9),
        _ => false,
    };
    let sum: u32 = d[..8].iter().zip((2..=9).rev()).map(|(d, w)| d * w).sum();
    let r = sum % 11;
    prefix_ok && (if r < 2 { 0 } else { 11 - r }) == d[8]
}

/// Ireland PPS number: 7 digits, a check letter, and an optional second
/// letter (W, T or X before 2013, A-I since); the check letter is
/// `WABCDEFGHIJKLMNOPQRSTUV`[(digits weighted 8..2 + 9 * second letter's
/// value (A=1 .. I=9; W, T, X = 0)) mod 23].
pub(crate) fn ie_ppsn(value: &[u8]) -> bool {
    const CHECK: &[u8; 23] = b"WABCDEFGHIJKLMNOPQRSTUV";
    if !(8..=9).contains(&value.len()) || !value[..7].iter().all(u8::is_ascii_digit) {
        return false;
    }
    if value[..7].iter().all(|&b| b == value[0]) {
        return false;
    }
    let second = match value.get(8).map(u8::to_ascii_uppercase) {
        None | Some(b'W' | b'T' | b'X') => 0,
        Some(b @ b'A'..=b'I') => u32::from(b - b'A' + 1),
        Some(_) => return false,
    };
    let sum: u32 = value[..7]
        .iter()
        .zip((2..=8).rev())
        .map(|(&b, w)| u32::from(b - b'0') * w)
        .sum::<u32>()
        + 9 * second;
    CHECK[(sum % 23) as usize] == value[7].to_ascii_uppercase()
}

/// Switzerland AHV / AVS number (AHVN13): 13 digits starting 756, EAN-13
/// check digit (weights 1 and 3 alternating from the left, mod 10).
pub(crate) fn ch_ahv(value: &[u8]) -> bool {
    let Some(d) = digits_exact::<13>(value) else {
        return false;
    };
    if d[..3] != [7, 5, 6] {
        return false;
    }
    let sum: u32 = d[..12]
        .iter()
        .enumerate()
        .map(|(i, &x)| if i % 2 == 0 { x } else { 3 * x })
        .sum();
    (10 - sum % 10) % 10 == d[12]
}

/// UK NHS number: 10 digits (often 3 3 4), check digit
/// 11 - (d1..d9 weighted 10..2 mod 11), 11 read as 0; 10 is never issued.
pub(crate) fn uk_nhs(value: &[u8]) -> bool {
    let Some(d) = digits_exact::<10>(value) else {
        return false;
    };
    let sum: u32 = d[..9].iter().zip((2..=10).rev()).map(|(d, w)| d * w).sum();
    match 11 - sum % 11 {
        11 => d[9] == 0,
        10 => false,
        k => d[9] == k,
    }
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
    let embedded_v4 = || {
        let o = ip.octets();
        ipv4_public(
            std::net::Ipv4Addr::new(o[12], o[13], o[14], o[15])
                .to_string()
                .as_bytes(),
        )
    };
    // NAT64 (64:ff9b::/96) and the deprecated IPv4-compatible form
    // (::a.b.c.d) carry an IPv4 address: it decides.
    if (s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0; 4])
        || (s[..6] == [0; 6] && (s[6] != 0 || s[7] > 1))
    {
        return embedded_v4();
    }
    // A link-local address whose interface id is EUI-64 (`ff:fe` in its
    // middle) carries the device's MAC address: personal data like the MAC.
    if (s[0] & 0xffc0) == 0xfe80 {
        return (s[5] & 0x00ff) == 0x00ff && (s[6] & 0xff00) == 0xfe00;
    }
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
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
/// A JWT (or JWE) by its shape: a header that decodes to a JSON object,
/// then a dot and a second part (the header need not name `alg`: a JWE
/// header can carry `enc` and key parameters first).
fn jwt_shaped(value: &[u8]) -> bool {
    let mut parts = value.split(|&b| b == b'.');
    let header = parts.next().unwrap_or(b"");
    let Some(second) = parts.next() else {
        return false;
    };
    header.starts_with(b"eyJ")
        && second.len() >= 2
        && base64_decode(header).is_some_and(|h| h.trim_ascii().starts_with(b"{\""))
}

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
    let Some(d) = n_digits(value, 9) else {
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

    proptest::proptest! {
        /// Validators see whatever a rule's pattern let through; on any
        /// bytes they answer, never panic (every validator the pack uses).
        #[test]
        fn validators_never_panic(value in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::num::u8::ANY,
                proptest::sample::select(b"0123456789 -./ABCKXZabckxz".to_vec()),
            ],
            0..40,
        )) {
            for &kind in pack_validators() {
                let _ = check(kind, &value);
            }
        }
    }

    fn pack_validators() -> &'static [ValidatorKind] {
        static KINDS: std::sync::OnceLock<Vec<ValidatorKind>> = std::sync::OnceLock::new();
        KINDS.get_or_init(|| {
            let mut out: Vec<ValidatorKind> = Vec::new();
            for e in crate::Rules::embedded().entries() {
                if let crate::RuleEntry::Pattern(d, _) = e {
                    if let Some(v) = d.validator {
                        if !out.contains(&v) {
                            out.push(v);
                        }
                    }
                }
            }
            assert!(out.len() >= 40, "{out:?}");
            out
        })
    }

    #[test]
    fn crc32_base62_checks_githubs_token_checksum() {
        // Bodies generated as GitHub does: 30 random base62, then their
        // CRC32 in base62 (scripts/corpus.py has an independent encoder).
        assert!(crc32_base62(b"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"));
        assert!(crc32_base62(b"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"));
        // One character of the checksum, or of the random part, changed.
        assert!(!crc32_base62(b"ghp_FAKEKy9Pf34qY6Nb3wWD25RQ4F5ZR33a3RS4"));
        assert!(!crc32_base62(b"ghp_FAKEKz9Pf34qY6Nb3wWD25RQ4F5ZR33a3RS3"));
        assert!(!crc32_base62(b"ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
        // A longer body has no documented checksum position: it passes.
        assert!(crc32_base62(b"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abc"));
    }

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

    /// Made-up VINs (FAKE/TEST filler) with their check digit computed;
    /// each near miss breaks one thing.
    #[test]
    fn vin_check_digit() {
        for v in [
            "1FAKETES90B123456",
            "2T1TEST06EX000001",
            "1G1FAKE08EX555555",
            "1FAKE00XXXA000007",
            "wvwfake06ex123456",
        ] {
            assert!(vin(v.as_bytes()), "{v}");
        }
        for v in [
            "1FAKETES80B123456",  // wrong check digit
            "1FAKETES90B12345",   // 16 characters
            "1FAKETES90B1234567", // 18 characters
            "1FAKEIES90B123456",  // I is not allowed
            "1FAKE00X0XA000007",  // check digit 0 where X is due
            "11111111111111111",  // no letter
        ] {
            assert!(!vin(v.as_bytes()), "{v}");
        }
    }

    /// Routing numbers with a made-up body and a computed check digit.
    #[test]
    fn aba_routing_prefix_and_checksum() {
        for v in [
            "123456780",
            "212121214",
            "616161618",
            "800000006",
            "011000015",
        ] {
            assert!(aba_routing(v.as_bytes()), "{v}");
        }
        for v in [
            "123456781", // wrong check digit
            "133456783", // prefix 13 not assigned
            "505050505", // prefix 50 not assigned
            "000000000", // all the same
            "12345678",  // 8 digits
        ] {
            assert!(!aba_routing(v.as_bytes()), "{v}");
        }
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
    fn codice_fiscale_check_letter_and_omocodia() {
        for v in [
            "RSSMRA85T10A562S",
            "WULWEU11C04H645V",
            "HCVSBZ63E69H670A",
            "RSSMRA85T10ARSNO",
            "RSSMRA8RTMLARSNO",
            "TSTFKE80A01H50ML",
            "rssmra85t10a562s",
        ] {
            assert!(it_codice_fiscale(v.as_bytes()), "{v}");
        }
        for v in [
            "RSSMRA85T10A562T",
            "RSSMRA85F10A562S",
            "RSSMRA85T32A562S",
            "RSSMRA85T10N562S",
            "RSSMRA85T1OA562S",
            "RSSMRA85T10A562",
            "RSSMRA85T10A5625",
            "RSSMRA85T10A5S2E",
            "RSSMRAUTT10A562D",
            "RSSMRATRTMLARSNJ",
        ] {
            assert!(!it_codice_fiscale(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn personnummer_luhn_and_date() {
        for v in [
            "811218-9876",
            "8112189876",
            "121212+1212",
            "170110-2954",
            "9611641102",
            "199405090680",
            "19811218-9876",
            "010229-1234",
        ] {
            assert!(se_personnummer(v.as_bytes()), "{v}");
        }
        for v in [
            "811218-9877",
            "811318-9876",
            "218112189876",
            "19811218+9876",
            "190102291234",
            "0000000000",
            "81121898761",
            "811218-987",
        ] {
            assert!(!se_personnummer(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn hetu_century_sign_and_mod31() {
        for v in [
            "131052-308T",
            "230509W386M",
            "080801F205F",
            "050221C346D",
            "131052-308t",
        ] {
            assert!(fi_hetu(v.as_bytes()), "{v}");
        }
        for v in [
            "131052-308U",
            "131052G308T",
            "310452-308K",
            "290201A123J",
            "131052-001W",
            "131052-308",
            "1310523308T",
        ] {
            assert!(!fi_hetu(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn cpr_date_and_century() {
        for v in [
            "070761-4285",
            "2108522015",
            "300710-4252",
            "290200-4123",
            "0805244458",
        ] {
            assert!(dk_cpr(v.as_bytes()), "{v}");
        }
        for v in [
            "290200-1234",
            "320161-4285",
            "071361-4285",
            "000161-4285",
            "0000000000",
            "070761-428",
        ] {
            assert!(!dk_cpr(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn belgian_national_number_mod97() {
        for v in [
            "85.07.30-033.28",
            "85073003328",
            "21042219630",
            "05.03.22-660.96",
            "68.03.12-001.21",
        ] {
            assert!(be_nrn(v.as_bytes()), "{v}");
        }
        for v in [
            "85.07.30-033.29",
            "21042219631",
            "85.07.30-000.61",
            "85.07.30-998.33",
            "85.13.30-033.28",
            "8507300332",
        ] {
            assert!(!be_nrn(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn fodselsnummer_two_mod11_digits() {
        for v in ["28078490634", "10073321544", "11086340366", "42014804387"] {
            assert!(no_fnr(v.as_bytes()), "{v}");
        }
        for v in [
            "28078490635",
            "28078490644",
            "32078490634",
            "11111111111",
            "2807849063",
        ] {
            assert!(!no_fnr(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn nif_prefix_and_mod11() {
        for v in ["123456789", "622732005", "700361588", "991986415"] {
            assert!(pt_nif(v.as_bytes()), "{v}");
        }
        for v in [
            "123456780",
            "412345676",
            "000000000",
            "12345678",
            "1234567890",
        ] {
            assert!(!pt_nif(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn ppsn_check_letter() {
        for v in [
            "1234567T",
            "1234567TW",
            "1234567TX",
            "6433435FT",
            "0927285NW",
            "5991466A",
            "2590143OH",
            "0647390TB",
            "1234567t",
        ] {
            assert!(ie_ppsn(v.as_bytes()), "{v}");
        }
        for v in [
            "1234567A",
            "1234567TZ",
            "1234567TJ",
            "1234567AX",
            "2590143OA",
            "1111111A",
            "123456T",
        ] {
            assert!(!ie_ppsn(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn ahv_ean13() {
        for v in [
            "756.9217.0769.85",
            "7563097193046",
            "7568478563562",
            "756.5530.0917.66",
        ] {
            assert!(ch_ahv(v.as_bytes()), "{v}");
        }
        for v in [
            "756.9217.0769.84",
            "757.9217.0769.85",
            "756309719304",
            "75630971930466",
        ] {
            assert!(!ch_ahv(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn nhs_mod11() {
        for v in [
            "943 476 5919",
            "2036219640",
            "361 489 8350",
            "213-800-9815",
            "4000000012",
        ] {
            assert!(uk_nhs(v.as_bytes()), "{v}");
        }
        for v in [
            "943 476 5918",
            "1234567890",
            "0000000000",
            "1111111111",
            "943 476 591",
        ] {
            assert!(!uk_nhs(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn entropy_orders_randomness() {
        assert!(entropy(b"aaaaaaaa") < 0.1);
        assert!(entropy(b"wJalrXUtnFEMI/K7MDENG/bPxRfiCYzz") > 4.0);
    }
}

// ---- National identifiers outside Europe (KR, SG, ZA, CA, AU, US ITIN, IN
// PAN, MX, CL, JP, HK, IL). Allocation-free: each collects the candidate's
// digits or characters into a fixed array first.

/// The ASCII digits of `value` (separators skipped) into `out`: their
/// count, or `None` when there are more than `N`.
fn digits_into<const N: usize>(value: &[u8], out: &mut [u32; N]) -> Option<usize> {
    let mut n = 0;
    for &b in value {
        if b.is_ascii_digit() {
            *out.get_mut(n)? = u32::from(b - b'0');
            n += 1;
        }
    }
    Some(n)
}

/// The ASCII letters and digits of `value`, upper-cased, into `out` (other
/// bytes skipped): their count, or `None` when there are more than `N`.
fn alnum_into<const N: usize>(value: &[u8], out: &mut [u8; N]) -> Option<usize> {
    let mut n = 0;
    for &b in value {
        if b.is_ascii_alphanumeric() {
            *out.get_mut(n)? = b.to_ascii_uppercase();
            n += 1;
        }
    }
    Some(n)
}

fn all_same(ds: &[u32]) -> bool {
    ds.iter().all(|&d| d == ds[0])
}

fn weighted(ds: &[u32], weights: &[u32]) -> u32 {
    ds.iter().zip(weights).map(|(d, w)| d * w).sum()
}

/// Whether year-month-day exists in the Gregorian calendar.
fn date_exists(year: u32, month: u32, day: u32) -> bool {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// Luhn over digits whose last one is the check digit.
fn luhn_ok(ds: &[u32]) -> bool {
    let sum: u32 = ds
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| match (i % 2, d * 2) {
            (0, _) => d,
            (_, x) if x > 9 => x - 9,
            (_, x) => x,
        })
        .sum();
    sum % 10 == 0
}

/// Korea resident registration number (and the foreigner registration
/// number, same shape): YYMMDD-GNNNNNC. G is 1-4 (citizens) or 5-8
/// (foreigners), odd male, 1/2/5/6 born 19YY, 3/4/7/8 born 20YY (9 and 0,
/// born in the 1800s, are refused); YYMMDD must be a real date in that
/// century. Numbers issued before October 2020 end with a check digit over
/// weights 2-9,2-5: (11 - sum mod 11) mod 10, for foreigners also
/// (13 - sum mod 11) mod 10. Since October 2020 the six digits after G are
/// random, so for a birth date on or after 2020-10-01 the check digit is
/// not tested (a number re-issued since then to someone born earlier is
/// only found when its last digit happens to check).
pub(crate) fn kr_rrn(value: &[u8]) -> bool {
    let mut d = [0u32; 13];
    if digits_into(value, &mut d) != Some(13) {
        return false;
    }
    let century = match d[6] {
        1 | 2 | 5 | 6 => 1900,
        3 | 4 | 7 | 8 => 2000,
        _ => return false,
    };
    let (year, month, day) = (
        century + d[0] * 10 + d[1],
        d[2] * 10 + d[3],
        d[4] * 10 + d[5],
    );
    if !date_exists(year, month, day) {
        return false;
    }
    if (year, month) >= (2020, 10) {
        return true;
    }
    let r = weighted(&d[..12], &[2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]) % 11;
    d[12] == (11 - r) % 10 || (d[6] >= 5 && d[12] == (13 - r) % 10)
}

/// Singapore NRIC / FIN: S, T (citizens and PRs, born before / from 2000),
/// F, G (foreigners, issued before / from 2000) or M (foreigners, from
/// 2022), 7 digits, check letter. Sum of the digits times 2,7,6,5,4,3,2,
/// plus 4 for T and G, plus 3 for M; r = sum mod 11; the letter is
/// JZIHGFEDCBA[r] for S/T, XWUTRQPNMLK[r] for F/G, KLJNPQRTUWX[10 - r] for M.
pub(crate) fn sg_nric(value: &[u8]) -> bool {
    let mut c = [0u8; 9];
    if alnum_into(value, &mut c) != Some(9) || !c[1..8].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let mut d = [0u32; 7];
    for (x, &b) in d.iter_mut().zip(&c[1..8]) {
        *x = u32::from(b - b'0');
    }
    if all_same(&d) {
        return false;
    }
    let sum = weighted(&d, &[2, 7, 6, 5, 4, 3, 2]);
    let r = |offset: u32| ((sum + offset) % 11) as usize;
    let want = match c[0] {
        b'S' => b"JZIHGFEDCBA"[r(0)],
        b'T' => b"JZIHGFEDCBA"[r(4)],
        b'F' => b"XWUTRQPNMLK"[r(0)],
        b'G' => b"XWUTRQPNMLK"[r(4)],
        b'M' => b"KLJNPQRTUWX"[10 - r(3)],
        _ => return false,
    };
    c[8] == want
}

/// South Africa identity number: YYMMDD SSSS C A Z, 13 digits. YYMMDD a
/// real date in 19YY or 20YY (the number does not say which), C (digit 11)
/// 0 citizen, 1 permanent resident, 2 refugee; Z a Luhn check digit over
/// all 13. A (digit 12, formerly race, now usually 8) is not tested.
pub(crate) fn za_id(value: &[u8]) -> bool {
    let mut d = [0u32; 13];
    if digits_into(value, &mut d) != Some(13) {
        return false;
    }
    let (yy, month, day) = (d[0] * 10 + d[1], d[2] * 10 + d[3], d[4] * 10 + d[5]);
    (date_exists(1900 + yy, month, day) || date_exists(2000 + yy, month, day))
        && d[10] <= 2
        && luhn_ok(&d)
}

/// Canada social insurance number: 9 digits, first not 0 or 8 (9 is a
/// temporary resident's), Luhn.
pub(crate) fn ca_sin(value: &[u8]) -> bool {
    let mut d = [0u32; 9];
    digits_into(value, &mut d) == Some(9) && d[0] != 0 && d[0] != 8 && !all_same(&d) && luhn_ok(&d)
}

/// Australia tax file number: 9 digits, weights 1,4,3,7,5,8,6,9,10, sum
/// divisible by 11; the older 8-digit numbers use weights 10,7,8,4,6,3,5,1.
pub(crate) fn au_tfn(value: &[u8]) -> bool {
    let mut d = [0u32; 9];
    let weights: &[u32] = match digits_into(value, &mut d) {
        Some(9) => &[1, 4, 3, 7, 5, 8, 6, 9, 10],
        Some(8) => &[10, 7, 8, 4, 6, 3, 5, 1],
        _ => return false,
    };
    let d = &d[..weights.len()];
    !all_same(d) && weighted(d, weights) % 11 == 0
}

/// Australian business number: 11 digits; with 1 subtracted from the first,
/// the sum of the digits times 10,1,3,5,...,19 is divisible by 89.
pub(crate) fn au_abn(value: &[u8]) -> bool {
    let mut d = [0u32; 11];
    if digits_into(value, &mut d) != Some(11) || d[0] == 0 || all_same(&d) {
        return false;
    }
    d[0] -= 1;
    weighted(&d, &[10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19]) % 89 == 0
}

/// Australia Medicare card number: 10 digits (11 with the individual
/// reference number): first 2-6, the 9th is the sum of the first eight
/// times 1,3,7,9,1,3,7,9 mod 10, then the issue number (and the IRN, 1-9).
pub(crate) fn au_medicare(value: &[u8]) -> bool {
    let mut d = [0u32; 11];
    let n = match digits_into(value, &mut d) {
        Some(n @ (10 | 11)) => n,
        _ => return false,
    };
    (2..=6).contains(&d[0])
        && (n == 10 || d[10] != 0)
        && !all_same(&d[..8])
        && weighted(&d[..8], &[1, 3, 7, 9, 1, 3, 7, 9]) % 10 == d[8]
}

/// US individual taxpayer identification number: 9XX-GG-SSSS with the
/// group GG in 50-65, 70-88, 90-92 or 94-99 (IRS ranges); the serial not
/// 0000. There is no check digit.
pub(crate) fn us_itin(value: &[u8]) -> bool {
    let mut d = [0u32; 9];
    if digits_into(value, &mut d) != Some(9) || d[0] != 9 {
        return false;
    }
    let group = d[3] * 10 + d[4];
    matches!(group, 50..=65 | 70..=88 | 90..=92 | 94..=99) && d[5..].iter().any(|&x| x != 0)
}

/// India permanent account number: AAAPA1234A, three letters, the holder
/// type (P person, C company, H HUF, F firm, A AOP, T trust, B BOI, L local
/// authority, J juridical person, G government), a letter, four digits
/// (not 0000), a letter. There is no published check algorithm.
pub(crate) fn in_pan(value: &[u8]) -> bool {
    let mut c = [0u8; 10];
    alnum_into(value, &mut c) == Some(10)
        && c[..5].iter().all(u8::is_ascii_uppercase)
        && b"ABCFGHLJPT".contains(&c[3])
        && c[5..9].iter().all(u8::is_ascii_digit)
        && c[5..9] != *b"0000"
        && c[9].is_ascii_uppercase()
}

/// Mexico CURP: 4 letters (the second a vowel or X), YYMMDD, sex H / M / X,
/// a state code (or NE, born abroad), 3 consonants (or X), a character that
/// is a digit for births before 2000 and a letter from 2000 (which fixes
/// the century for the date check), and a check digit: with values from
/// 0-9A-NÑO-Z (0..36, Ñ = 24), (10 - sum(value * (18 - position)) mod 10) mod 10.
pub(crate) fn mx_curp(value: &[u8]) -> bool {
    const STATES: [&[u8; 2]; 33] = [
        b"AS", b"BC", b"BS", b"CC", b"CL", b"CM", b"CS", b"CH", b"DF", b"DG", b"GT", b"GR", b"HG",
        b"JC", b"MC", b"MN", b"MS", b"NT", b"NL", b"OC", b"PL", b"QT", b"QR", b"SP", b"SL", b"SR",
        b"TC", b"TS", b"TL", b"VZ", b"YN", b"ZS", b"NE",
    ];
    let mut c = [0u8; 18];
    if alnum_into(value, &mut c) != Some(18) {
        return false;
    }
    let consonant = |b: u8| b.is_ascii_uppercase() && !b"AEIOU".contains(&b);
    if !c[..4].iter().all(u8::is_ascii_uppercase)
        || !b"AEIOUX".contains(&c[1])
        || !c[4..10].iter().all(u8::is_ascii_digit)
        || !b"HMX".contains(&c[10])
        || !STATES.iter().any(|s| **s == [c[11], c[12]])
        || !c[13..16].iter().all(|&b| consonant(b))
        || !c[16].is_ascii_alphanumeric()
        || !c[17].is_ascii_digit()
    {
        return false;
    }
    let n = |i: usize| u32::from(c[i] - b'0');
    let century = if c[16].is_ascii_digit() { 1900 } else { 2000 };
    if !date_exists(
        century + n(4) * 10 + n(5),
        n(6) * 10 + n(7),
        n(8) * 10 + n(9),
    ) {
        return false;
    }
    let val = |b: u8| match b {
        b'0'..=b'9' => u32::from(b - b'0'),
        b'A'..=b'N' => u32::from(b - b'A') + 10,
        _ => u32::from(b - b'A') + 11,
    };
    let sum: u32 = (0..17).map(|i| val(c[i]) * (18 - i as u32)).sum();
    (10 - sum % 10) % 10 == n(17)
}

/// Chile RUT / RUN: a 7-8 digit body (12.345.678) and a check character:
/// the body's digits from the right times 2,3,4,5,6,7,2,...; 11 - sum mod 11,
/// 11 written 0 and 10 written K.
pub(crate) fn cl_rut(value: &[u8]) -> bool {
    let mut c = [0u8; 9];
    let n = match alnum_into(value, &mut c) {
        Some(n @ (8 | 9)) => n,
        _ => return false,
    };
    let (body, check) = (&c[..n - 1], c[n - 1]);
    if body[0] == b'0' || !body.iter().all(u8::is_ascii_digit) || body.iter().all(|&b| b == body[0])
    {
        return false;
    }
    let sum: u32 = body
        .iter()
        .rev()
        .zip([2, 3, 4, 5, 6, 7].iter().cycle())
        .map(|(&b, w)| u32::from(b - b'0') * w)
        .sum();
    let want = match 11 - sum % 11 {
        11 => b'0',
        10 => b'K',
        x => b'0' + x as u8,
    };
    check == want
}

/// Japan individual number (My Number): 12 digits; the first eleven times
/// 6,5,4,3,2,7,6,5,4,3,2, r = sum mod 11; the check digit is 0 when r <= 1,
/// else 11 - r.
pub(crate) fn jp_my_number(value: &[u8]) -> bool {
    let mut d = [0u32; 12];
    if digits_into(value, &mut d) != Some(12) || all_same(&d) {
        return false;
    }
    let r = weighted(&d[..11], &[6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11;
    d[11] == if r <= 1 { 0 } else { 11 - r }
}

/// Hong Kong identity card number: 1 or 2 letters, 6 digits, a check
/// character (written in brackets: A123456(3)). Letters count A=10..Z=35, a
/// missing first letter 36; weights 9..2 over the 8 positions; the check is
/// 11 - sum mod 11, 10 written A and 11 written 0.
pub(crate) fn hk_id(value: &[u8]) -> bool {
    let mut c = [0u8; 9];
    let n = match alnum_into(value, &mut c) {
        Some(n @ (8 | 9)) => n,
        _ => return false,
    };
    let letters = n - 7;
    if !c[..letters].iter().all(u8::is_ascii_uppercase)
        || !c[letters..n - 1].iter().all(u8::is_ascii_digit)
    {
        return false;
    }
    let mut v = [36u32; 8];
    for (i, &b) in c[..n - 1].iter().enumerate() {
        v[i + 2 - letters] = if b.is_ascii_digit() {
            u32::from(b - b'0')
        } else {
            u32::from(b - b'A') + 10
        };
    }
    if all_same(&v[2..]) {
        return false;
    }
    let want = match 11 - weighted(&v, &[9, 8, 7, 6, 5, 4, 3, 2]) % 11 {
        11 => b'0',
        10 => b'A',
        x => b'0' + x as u8,
    };
    c[n - 1] == want
}

/// Israel identity number (Teudat Zehut): 9 digits (8 when a leading 0 is
/// dropped); digits times 1,2,1,2,... with two-digit products summed
/// (Luhn), total divisible by 10.
pub(crate) fn il_teudat_zehut(value: &[u8]) -> bool {
    let mut d = [0u32; 9];
    match digits_into(value, &mut d) {
        Some(9) => {}
        Some(8) => {
            d.copy_within(0..8, 1);
            d[0] = 0;
        }
        _ => return false,
    }
    !all_same(&d[1..]) && luhn_ok(&d)
}

#[cfg(test)]
mod ids_world_tests {
    use super::*;

    /// Valid values below were made by computing the check over made-up
    /// numbers (no real person's); each validator has near misses.
    #[test]
    fn kr_rrn_date_gender_and_check() {
        for v in [
            "900101-1234568",
            "8506152012347",
            "021231-3111117",
            "920304-5432106",
            "201001-4987654",
            "240229-3000001",
        ] {
            assert!(kr_rrn(v.as_bytes()), "{v}");
        }
        // Wrong check digit; month 13; Feb 30; gender 9; 29 Feb 2023 (after
        // Oct 2020, so no check, but the date does not exist); 12 digits.
        for v in [
            "900101-1234567",
            "8506152012348",
            "901301-1234568",
            "900230-1234568",
            "900101-9234568",
            "230229-3000001",
            "900101-123456",
        ] {
            assert!(!kr_rrn(v.as_bytes()), "{v}");
        }
    }
    #[test]
    fn sg_nric_check_letters_per_prefix() {
        for v in [
            "S1234567D",
            "T0123456G",
            "F1234567N",
            "G7654321L",
            "M1234567K",
            "s1234567d",
        ] {
            assert!(sg_nric(v.as_bytes()), "{v}");
        }
        // Wrong letter; T with S's letter; F with S's table; M with the
        // F/G table's letter; unknown prefix; 6 digits; all-same digits.
        for v in [
            "S1234567A",
            "T0123456D",
            "F1234567D",
            "M1234567X",
            "X1234567D",
            "S123456D",
            "S0000000J",
        ] {
            assert!(!sg_nric(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn za_id_date_citizenship_luhn() {
        for v in [
            "8001015009087",
            "800101 5009 087",
            "0402290012085",
            "7506145123013",
        ] {
            assert!(za_id(v.as_bytes()), "{v}");
        }
        // Wrong check digit; month 13; citizenship 3; 29 Feb in neither
        // century (2001 / 1901 would be needed: 01 is not leap); 12 digits.
        for v in [
            "8001015009088",
            "8013015009082",
            "8001015009384",
            "0102290012081",
            "800101500908",
        ] {
            assert!(!za_id(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn ca_sin_luhn_and_first_digit() {
        for v in ["130 692 544", "729-318-154", "912345675"] {
            assert!(ca_sin(v.as_bytes()), "{v}");
        }
        // Luhn-valid but first digit 0 (fictitious) or 8; wrong check; 8 digits.
        for v in ["046 454 286", "812345676", "130692545", "13069254"] {
            assert!(!ca_sin(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn au_tfn_weights() {
        for v in [
            "123 456 782",
            "876543210",
            "314159262",
            "12345677",
            "87654322",
        ] {
            assert!(au_tfn(v.as_bytes()), "{v}");
        }
        for v in ["123456783", "876543211", "12345678", "111111111", "1234567"] {
            assert!(!au_tfn(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn au_abn_mod89() {
        for v in ["51 824 753 556", "18123456789", "94 314 159 265"] {
            assert!(au_abn(v.as_bytes()), "{v}");
        }
        for v in ["51824753557", "18123456788", "01234567890", "1812345678"] {
            assert!(!au_abn(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn au_medicare_check_digit() {
        for v in [
            "2123 45670 1",
            "5987654372",
            "3141 59263 3",
            "2123456701/1",
            "21234567012",
        ] {
            assert!(au_medicare(v.as_bytes()), "{v}");
        }
        // Wrong check digit; first digit 7 (check right); IRN 0; 9 digits.
        for v in ["2123456711", "7123456751", "21234567010", "212345670"] {
            assert!(!au_medicare(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn us_itin_ranges() {
        for v in [
            "912-70-1234",
            "900-50-0001",
            "999-88-9999",
            "912 94 1234",
            "912651234",
        ] {
            assert!(us_itin(v.as_bytes()), "{v}");
        }
        // Group 93, 66, 89, 49; area not 9xx; serial 0000; 8 digits.
        for v in [
            "912-93-1234",
            "912-66-1234",
            "912-89-1234",
            "912-49-1234",
            "812-70-1234",
            "912-70-0000",
            "912-70-123",
        ] {
            assert!(!us_itin(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn in_pan_shape() {
        for v in ["ABCPE1234F", "XYZCT4321Q", "FAKPT0001A"] {
            assert!(in_pan(v.as_bytes()), "{v}");
        }
        // Holder type D; digits 0000; 9 characters; a digit for a letter.
        for v in [
            "ABCDE1234F",
            "ABCPE0000F",
            "ABCP1234F",
            "AB1PE1234F",
            "ABCPE1234",
        ] {
            assert!(!in_pan(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn mx_curp_fields_and_check() {
        for v in [
            "FAKE900101HDFXXX09",
            "TEXX010203MJCRNSA6",
            "PEPX850615XNLTST05",
            "BOXW310820HNERXN09",
        ] {
            assert!(mx_curp(v.as_bytes()), "{v}");
        }
        // Wrong check; sex Q; state ZZ; second letter not a vowel; month 13;
        // a vowel among the consonants; 17 characters.
        for v in [
            "FAKE900101HDFXXX08",
            "FAKE900101QDFXXX09",
            "FAKE900101HZZXXX09",
            "FBKE900101HDFXXX09",
            "FAKE901301HDFXXX09",
            "FAKE900101HDFAXX09",
            "FAKE900101HDFXXX0",
        ] {
            assert!(!mx_curp(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn cl_rut_mod11() {
        for v in [
            "12.345.678-5",
            "7.654.321-6",
            "11111112-K",
            "11.111.112-k",
            "159357465",
            "9876543-3",
        ] {
            assert!(cl_rut(v.as_bytes()), "{v}");
        }
        for v in [
            "12.345.678-4",
            "7.654.321-K",
            "11111112-0",
            "11.111.111-1",
            "123456-0",
        ] {
            assert!(!cl_rut(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn jp_my_number_check_digit() {
        for v in [
            "123456789018",
            "9876 5432 1093",
            "314159265352",
            "271828182840",
        ] {
            assert!(jp_my_number(v.as_bytes()), "{v}");
        }
        for v in [
            "123456789019",
            "987654321094",
            "000000000000",
            "12345678901",
        ] {
            assert!(!jp_my_number(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn hk_id_mod11() {
        for v in [
            "A123456(3)",
            "AB987654(3)",
            "Z3141595",
            "XA271828(3)",
            "g555012(1)",
        ] {
            assert!(hk_id(v.as_bytes()), "{v}");
        }
        // Wrong check; a digit where a letter goes; 5 digits; three letters.
        for v in [
            "A123456(4)",
            "AB987654(2)",
            "1123456(3)",
            "A12345(3)",
            "ABC123456(3)",
        ] {
            assert!(!hk_id(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn il_teudat_zehut_luhn() {
        for v in [
            "123456782",
            "314159260",
            "039337423",
            "39337423",
            "555123405",
        ] {
            assert!(il_teudat_zehut(v.as_bytes()), "{v}");
        }
        for v in [
            "123456783",
            "314159261",
            "000000000",
            "1234567",
            "1234567890",
        ] {
            assert!(!il_teudat_zehut(v.as_bytes()), "{v}");
        }
    }
}

#[cfg(test)]
mod crypto_tests {
    use super::*;

    #[test]
    fn bitcoin_addresses_need_their_checksum() {
        // The genesis block's address, BIP-13 and BIP-173 examples.
        for a in [
            "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
            "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
            "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
            "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
        ] {
            assert!(bitcoin_address(a.as_bytes()), "{a}");
        }
        for a in [
            "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb",
            "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLz",
            "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdx",
            "1111111111111111111111111111111111",
        ] {
            assert!(!bitcoin_address(a.as_bytes()), "{a}");
        }
    }
}
