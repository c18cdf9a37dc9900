//! Lines as text (and `auto`: JSON when they parse): the gate, every
//! rule, the key=value extractor and the decoders. One input is also cut
//! into lines and fed to a line redactor, so multi-line blocks (PEM keys)
//! open and close at arbitrary places. Nothing may panic; a line too long
//! for the limit becomes the placeholder.
#![no_main]

use libfuzzer_sys::fuzz_target;
use logscrub_engine::{Format, Scanner};

fuzz_target!(|data: &[u8]| {
    let scanner = Scanner::embedded().with_max_event_bytes(4096);
    for format in [Format::Text, Format::Auto] {
        let out = scanner.redact(data, format);
        if data.len() > 4096 {
            assert_eq!(&*out, b"[REDACTED:oversize-event]");
        }
    }
    let mut lines = scanner.lines(Format::Auto);
    for line in data.split(|&b| b == b'\n') {
        let _ = lines.redact(line);
    }
});
