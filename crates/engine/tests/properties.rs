//! Property tests: arbitrary input never panics, keeps its line count,
//! redaction is idempotent, and planted values never survive.

use logscrub_engine::{Format, Rules, Scanner};
use proptest::prelude::*;

use crate::fakes::{Rng, FAMILIES};

fn scanner() -> &'static Scanner {
    static S: std::sync::OnceLock<Scanner> = std::sync::OnceLock::new();
    S.get_or_init(Scanner::embedded)
}

fn filler() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a-z ]{0,12}( |=|: |\"|\\(|\\[|,)?").unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic_and_keep_line_count(data in proptest::collection::vec(any::<u8>(), 0..600)) {
        let s = scanner();
        for format in [Format::Auto, Format::Text, Format::Json] {
            let mut r = s.lines(format);
            let lines: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
            let out: Vec<Vec<u8>> = lines.iter().map(|l| r.redact(l).into_owned()).collect();
            prop_assert_eq!(out.len(), lines.len());
            for o in &out {
                prop_assert!(!o.contains(&b'\n'));
            }
        }
    }

    #[test]
    fn json_shaped_garbage_never_panics(data in "[\\{\\}\\[\\]\",:0-9a-z\\\\ ]{0,200}") {
        let _ = scanner().redact(data.as_bytes(), Format::Json);
    }

    #[test]
    fn redacting_twice_equals_redacting_once(pre in filler(), post in filler(), fam in 0..FAMILIES.len(), seed in any::<u64>()) {
        let v = (FAMILIES[fam].1)(&mut Rng::new(seed));
        let line = format!("{pre}{v} {post}");
        let s = scanner();
        let once = s.redact(line.as_bytes(), Format::Auto).into_owned();
        let twice = s.redact(&once, Format::Auto).into_owned();
        prop_assert_eq!(String::from_utf8_lossy(&once), String::from_utf8_lossy(&twice));
    }

    /// One pass over an event's values joined decides as a pass over each
    /// would: whatever the values, and wherever a line is cut into fields
    /// (a value split across two fields, keys that are field rules or
    /// context, empty values), the batch gives each field's own result.
    #[test]
    fn an_event_redacted_at_once_equals_each_field_alone(
        parts in proptest::collection::vec((0..8usize, filler(), 0..FAMILIES.len(), any::<u64>(), 0..4usize), 1..7),
        cut in any::<prop::sample::Index>(),
    ) {
        const KEYS: [&str; 8] = ["method", "path", "msg", "x", "password", "ssn_raw", "to_number", "request_id"];
        let mut values: Vec<String> = parts
            .iter()
            .map(|(_, pre, fam, seed, how)| {
                let v = (FAMILIES[*fam].1)(&mut Rng::new(*seed));
                match how {
                    0 => pre.clone(),
                    1 => v,
                    2 => format!("{pre}{v}"),
                    _ => String::new(),
                }
            })
            .collect();
        // Split one value in two at a char boundary: its halves become
        // neighbouring fields.
        let i = cut.index(values.len());
        let v = values[i].clone();
        let at = (0..=v.len()).filter(|&b| v.is_char_boundary(b)).nth(v.len() / 2).unwrap_or(0);
        values[i] = v[..at].to_string();
        values.insert(i + 1, v[at..].to_string());
        let keys: Vec<&str> = (0..values.len()).map(|j| KEYS[parts.get(j).map_or(0, |p| p.0)]).collect();
        let fields: Vec<(&str, &str)> = keys.iter().copied().zip(values.iter().map(String::as_str)).collect();
        let s = scanner();
        let batch = s.redact_fields(&fields);
        for ((k, v), b) in fields.iter().zip(&batch) {
            prop_assert_eq!(s.redact_field(k, v), b.clone(), "field {}={:?} in {:?}", k, v, fields);
        }
        // Again: the values found clean are now remembered.
        prop_assert_eq!(s.redact_fields(&fields), batch);
    }

    #[test]
    fn planted_values_never_survive(pre in filler(), post in filler(), fam in 0..FAMILIES.len(), seed in any::<u64>()) {
        let (name, gen) = FAMILIES[fam];
        let v = gen(&mut Rng::new(seed));
        let line = format!("{pre} {v} {post}");
        let out = scanner().redact(line.as_bytes(), Format::Auto);
        let out = String::from_utf8_lossy(&out);
        prop_assert!(!out.contains(&v), "{} survived: {} -> {}", name, line, out);
    }
}

/// A field whose key is context for keyword rules (`to_number`: phones; not
/// a field rule, which would mask it whole) and whose value is a JSON
/// document: the scan of the value walks the document, which consults the
/// thread's memory of clean values while the batch is under way (it once
/// found that memory still borrowed, and panicked).
#[test]
fn a_json_value_under_a_context_key_is_walked_in_a_batch() {
    let s = scanner();
    let fields = [
        ("to_number", r#"{"note":"ok","ssn":"428356723"}"#),
        ("method", "GET"),
        ("path", "/api/v1/orders/17"),
    ];
    for _ in 0..2 {
        let out = s.redact_fields(&fields);
        assert!(!out[0].contains("428356723"), "{out:?}");
        assert_eq!(out[1], "GET");
    }
}

/// A value remembered as clean by one scanner is not clean for another:
/// what a thread remembers belongs to the scanner that scanned it (a
/// reload makes a new one).
#[test]
fn values_remembered_clean_are_per_scanner() {
    let none = Scanner::new(&Rules::empty()).unwrap();
    let fields = [("to", "alice@example.com"), ("method", "GET")];
    for _ in 0..2 {
        assert_eq!(none.redact_fields(&fields)[0], "alice@example.com");
    }
    let out = scanner().redact_fields(&fields);
    assert_eq!(out[0], "[REDACTED:email]");
    assert_eq!(none.redact_fields(&fields)[0], "alice@example.com");
}
