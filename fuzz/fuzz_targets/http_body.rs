//! The `http` source's body: NDJSON lines or one JSON array, all or
//! nothing. Never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = logscrub_forward::fuzzing::http_body(data);
});
