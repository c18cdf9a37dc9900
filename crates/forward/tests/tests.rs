//! Integration tests of the forwarder: one test binary (see STYLE.md).

mod fake;
mod support;

mod buffer;
mod pipeline;
mod reload;
mod sinks;
mod storage;
mod tls;
