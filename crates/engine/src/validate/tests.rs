//! Validator tests: every family, on valid and near-miss values.

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
