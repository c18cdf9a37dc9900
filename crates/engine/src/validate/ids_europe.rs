//! National identifiers of Europe (and Turkey): each checks its check
//! digit or letter and, where the number holds one, a real birth date.

use super::*;

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

/// Poland PESEL: YYMMDD (month + 20/40/60/80 by century) ZZZX C, weights
/// 1-3-7-9 mod 10, a real month code and a day 1-31.
pub(crate) fn pesel(value: &[u8]) -> bool {
    let Some(ds) = digits_exact::<11>(value) else {
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

/// Germany Steuerliche Identifikationsnummer: 11 digits, first not 0; in
/// the first ten exactly one digit repeats, twice or three times (not three
/// in a row); ISO 7064 MOD 11,10 check digit.
pub(crate) fn de_steuer_id(value: &[u8]) -> bool {
    let Some(ds) = digits_exact::<11>(value) else {
        return false;
    };
    if !de_steuer_id_digit(&ds) {
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
        2 => true,
        3 => !ds[..10].windows(3).any(|w| w.iter().all(|&d| d == r)),
        _ => false,
    }
}

/// The Steuer-ID's shape when its name labels it (`Steuer-ID: ...`): 11
/// digits, no leading 0, the ISO 7064 check digit; the digit-repetition
/// rule (which sample numbers in forms and tests often break) is not asked.
pub(crate) fn de_steuer_id_labelled(value: &[u8]) -> bool {
    digits_exact::<11>(value).is_some_and(|ds| de_steuer_id_digit(&ds))
}

/// No leading 0 and the ISO 7064 MOD 11,10 check digit.
fn de_steuer_id_digit(ds: &[u32; 11]) -> bool {
    if ds[0] == 0 {
        return false;
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
    let Some(d) = digits_exact::<11>(value) else {
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
