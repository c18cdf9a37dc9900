//! A security team's rule file: TOML, then every rule's pattern, keywords,
//! validators, operators and examples. A bad file must be refused with an
//! error, never a panic; one that loads must compile (or be refused) and
//! redact a line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use logscrub_engine::{Format, Rules, Scanner};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut rules = Rules::empty();
    if rules.add_toml("fuzz.toml", text).is_err() {
        return;
    }
    if let Ok(scanner) = Scanner::new(&rules) {
        let _ = scanner.redact(text.as_bytes(), Format::Auto);
    }
});
