//! JSON events, field-aware: the walker (deep nesting, escapes, numbers,
//! duplicate keys), field rules by key, content rules in values. Nothing
//! may panic, and a document that parses must still parse once redacted
//! (a JSON pipeline must never get broken JSON back).
#![no_main]

use libfuzzer_sys::fuzz_target;
use logscrub_engine::{Format, Scanner};

fuzz_target!(|data: &[u8]| {
    let scanner = Scanner::embedded().with_max_event_bytes(1 << 16);
    let out = scanner.redact(data, Format::Json);
    if data.len() <= 1 << 16 && serde_json::from_slice::<serde_json::Value>(data).is_ok() {
        if let Err(e) = serde_json::from_slice::<serde_json::Value>(&out) {
            panic!(
                "valid JSON in, invalid JSON out ({e}):\n{}\n->\n{}",
                String::from_utf8_lossy(data),
                String::from_utf8_lossy(&out)
            );
        }
    }
});
