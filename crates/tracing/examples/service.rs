//! A small "service" whose logs carry secrets and PII, written through the
//! redacting layer. Run it and look at stdout:
//!
//! ```sh
//! cargo run -p logscrub-tracing --example service
//! RUST_LOG=debug cargo run -p logscrub-tracing --example service -- --text
//! ```

use tracing_subscriber::prelude::*;
use tracing_subscriber::EnvFilter;

#[derive(Debug)]
#[allow(dead_code)] // printed through Debug
struct LoginRequest {
    user: String,
    password: String,
}

#[derive(Debug)]
struct UpstreamError(String);

impl std::fmt::Display for UpstreamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "upstream refused: {}", self.0)
    }
}

impl std::error::Error for UpstreamError {}

fn main() {
    let text = std::env::args().any(|a| a == "--text");
    let builder = logscrub_tracing::layer()
        .with_file(true)
        .with_line_number(true);
    let builder = if text { builder.text() } else { builder.json() };
    let layer = builder.finish();
    let counts = layer.counts();
    tracing_subscriber::registry()
        .with(layer)
        .with(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    // The `log` crate goes through the same layer.
    let _ = tracing_log::LogTracer::init();

    let span = tracing::info_span!("request", path = "/login", client = "203.0.113.7");
    let _g = span.enter();
    let req = LoginRequest {
        user: "alice.example@example.com".into(),
        password: "correct-horse-battery-staple".into(),
    };
    tracing::info!(?req, "login attempt");
    tracing::info!(
        authorization = "Bearer FAKEtokenFAKEtokenFAKEtoken0123",
        "forwarding"
    );
    tracing::warn!(card = 4111111111111111u64, "payment declined");
    let err = UpstreamError("db=postgres://app:Zx9fakePassw0rd@db.internal/app".into());
    tracing::error!(
        error = &err as &(dyn std::error::Error + 'static),
        "login failed"
    );
    log::info!("via the log crate: token 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 revoked");
    tracing::info!(
        status = 200,
        latency_ms = 12.5,
        "clean events are untouched"
    );

    eprintln!("redactions: {:?}", counts.snapshot());
}
