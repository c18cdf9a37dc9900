//! A disk buffer segment as it might lie on disk after a crash, a flipped
//! bit or a hostile edit: header, record frames (resynchronising on the
//! record magic) and the block decoder. Never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = logscrub_forward::fuzzing::buffer_segment(data);
});
