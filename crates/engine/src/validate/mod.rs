//! Validators: cheap checks run only on the candidates a pattern found.
//!
//! A pattern finds the shape ("16 digits"); a validator decides whether the
//! shape is the thing ("a card number, because its Luhn sum is right"). They
//! run after the automaton, on a few bytes each, so their cost is invisible
//! next to the scan; what they buy is precision: a Luhn-invalid order id or
//! a private IP address is left alone.
//!
//! One file per family: `checksums` (cards, IBAN, Verhoeff, VIN, ABA),
//! `crypto` (Bitcoin, JWT, entropy), `network` (IP addresses),
//! `ids_europe` and `ids_world` (national identifiers). [`check`] is the
//! one table from a rule's `validator` to its function (a `match`, so the
//! compiler refuses a validator without one); the names rule files use come
//! from the same enum (`ValidatorKind::name`). The digit, date and Luhn
//! helpers every family shares live here, once.

mod checksums;
mod crypto;
mod ids_europe;
mod ids_world;
mod network;
#[cfg(test)]
mod tests;

use checksums::*;
use crypto::*;
use ids_europe::*;
use ids_world::*;
use network::*;

pub(crate) use checksums::iban_fit;
pub use checksums::iban_length;
pub(crate) use crypto::entropy;

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

/// Runs `kind` on a candidate its name labels (`RRN 960121-1234567`,
/// `Steuer-ID: 12345678903`): the label says what the number is, so only
/// its shape (length, date, ranges) is asked, not the check digit or rule
/// a mistyped or sample number breaks. Validators with nothing to relax
/// answer as [`check`] does.
pub(crate) fn check_labelled(kind: ValidatorKind, value: &[u8]) -> bool {
    match kind {
        ValidatorKind::KrRrn => kr_rrn_labelled(value),
        ValidatorKind::DeSteuerId => de_steuer_id_labelled(value),
        _ => check(kind, value),
    }
}

fn digits(value: &[u8]) -> impl Iterator<Item = u32> + '_ {
    value
        .iter()
        .filter(|b| b.is_ascii_digit())
        .map(|b| u32::from(b - b'0'))
}

/// The digits of `value` (anything else skipped) when there are exactly `N`
/// of them and they are not all the same digit; no allocation.
fn digits_exact<const N: usize>(value: &[u8]) -> Option<[u32; N]> {
    let mut out = [0u32; N];
    (digits_into(value, &mut out) == Some(N) && !all_same(&out)).then_some(out)
}

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
