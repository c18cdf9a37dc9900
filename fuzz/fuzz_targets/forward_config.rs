//! The forwarder's configuration file: TOML, units, interpolation,
//! secrets, every source and sink table. Refused with an error or
//! accepted, never a panic. (Only parsing: `validate` would open files.)
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = logscrub_forward::Config::from_toml(text);
    }
});
