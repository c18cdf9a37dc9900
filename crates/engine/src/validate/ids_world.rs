//! National identifiers outside Europe (US, IN, BR, CN, KR, SG, ZA, CA, AU,
//! MX, CL, JP, HK, IL). Allocation-free where it matters: each collects
//! the candidate's digits or characters into a fixed array first.

use super::*;

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

/// India Aadhaar (UIDAI): 12 digits, first 2-9, Verhoeff check digit.
pub(crate) fn aadhaar(value: &[u8]) -> bool {
    digits_exact::<12>(value).is_some_and(|ds| ds[0] >= 2 && verhoeff(&ds))
}

/// Mod-11 check digit as Brazil computes it: 11 - (sum mod 11), 0 when
/// that is 10 or 11.
pub(super) fn br_mod11(ds: &[u32], weights: &[u32]) -> u32 {
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
    let Some(ds) = digits_exact::<11>(value) else {
        return false;
    };
    br_mod11(&ds[..9], &[10, 9, 8, 7, 6, 5, 4, 3, 2]) == ds[9]
        && br_mod11(&ds[..10], &[11, 10, 9, 8, 7, 6, 5, 4, 3, 2]) == ds[10]
}

/// Brazil CNPJ: 14 digits, two mod-11 check digits (weights 5..2,9..2 and
/// 6..2,9..2).
pub(crate) fn br_cnpj(value: &[u8]) -> bool {
    let Some(ds) = digits_exact::<14>(value) else {
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
    let Some((d, year, month)) = kr_rrn_shape(value) else {
        return false;
    };
    if (year, month) >= (2020, 10) {
        return true;
    }
    let r = weighted(&d[..12], &[2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]) % 11;
    d[12] == (11 - r) % 10 || (d[6] >= 5 && d[12] == (13 - r) % 10)
}

/// The RRN's shape when its name labels it (`RRN 960121-1234567`): a date
/// that exists and a sex/century digit; the check digit is not asked (a
/// labelled number with a wrong one is still somebody's number, mistyped).
pub(crate) fn kr_rrn_labelled(value: &[u8]) -> bool {
    kr_rrn_shape(value).is_some()
}

/// 13 digits, a sex/century digit and a date that exists: the digits, the
/// year and the month.
fn kr_rrn_shape(value: &[u8]) -> Option<([u32; 13], u32, u32)> {
    let mut d = [0u32; 13];
    if digits_into(value, &mut d) != Some(13) {
        return None;
    }
    let century = match d[6] {
        1 | 2 | 5 | 6 => 1900,
        3 | 4 | 7 | 8 => 2000,
        _ => return None,
    };
    let (year, month, day) = (
        century + d[0] * 10 + d[1],
        d[2] * 10 + d[3],
        d[4] * 10 + d[5],
    );
    valid_date(Some(year), month, day).then_some((d, year, month))
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
    (valid_date(Some(1900 + yy), month, day) || valid_date(Some(2000 + yy), month, day))
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
    if !valid_date(
        Some(century + n(4) * 10 + n(5)),
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
