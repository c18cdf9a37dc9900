//! Property tests: arbitrary input never panics, keeps its line count,
//! redaction is idempotent, and planted values never survive.

use logscrub_engine::{Format, Scanner};
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
