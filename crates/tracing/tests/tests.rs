//! logscrub-tracing integration tests (one test binary).

#[path = "../../engine/tests/fakes.rs"]
mod fakes;

mod capture;
mod layer;
#[cfg(feature = "opentelemetry")]
mod otel;
