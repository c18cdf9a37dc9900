//! Integration tests of the forwarder: one test binary (see STYLE.md).

mod fake;
mod support;

mod pipeline;
mod sinks;
mod storage;
