//! Nanoseconds per event: logscrub's redacting JSON layer against
//! tracing-subscriber's own JSON layer, both writing to `io::sink`, for
//! clean events, events carrying one secret, numbers-only events and
//! ten-field events, each with no enclosing span and inside one (a span
//! hides part of the layer's own per-event cost behind its formatting).
//! Targets (issue 13): clean at most 1.2x tracing-subscriber's cost, one
//! secret at most 1.8x, with and without a span. Run: `cargo bench -p
//! logscrub-tracing --bench layer`; results in BENCHMARKS.md.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use tracing_subscriber::prelude::*;

fn clean_event() {
    tracing::info!(
        status = 200,
        method = "GET",
        path = "/api/v1/users/12345",
        latency_ms = 12.5,
        request_id = "3f2a9c1e-8b7d-4e2f-9a1b-0c5d6e7f8a9b",
        "request completed"
    );
}

fn secret_event() {
    tracing::info!(
        status = 200,
        method = "GET",
        path = "/api/v1/users/12345",
        latency_ms = 12.5,
        user = "alice.example@example.com",
        "request completed"
    );
}

fn numbers_event() {
    tracing::info!(
        status = 200,
        bytes = 5120u64,
        latency_ms = 12.5,
        retries = 0,
        cache_hit = true,
        "request completed"
    );
}

fn ten_fields_event() {
    tracing::info!(
        status = 200,
        method = "GET",
        path = "/api/v1/users/12345",
        latency_ms = 12.5,
        request_id = "3f2a9c1e-8b7d-4e2f-9a1b-0c5d6e7f8a9b",
        region = "eu-west-1",
        service = "accounts",
        version = "1.42.0",
        bytes = 5120u64,
        cache_hit = true,
        "request completed"
    );
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("layer");
    let cases = [
        ("clean_5_fields", clean_event as fn()),
        ("one_secret", secret_event as fn()),
        ("numbers_only", numbers_event as fn()),
        ("clean_10_fields", ten_fields_event as fn()),
    ];
    for in_span in [false, true] {
        for (case, event) in cases {
            let case = format!("{case}{}", if in_span { "_in_span" } else { "" });
            {
                let sub = tracing_subscriber::registry().with(
                    tracing_subscriber::fmt::layer()
                        .json()
                        .with_writer(std::io::sink),
                );
                let _d = tracing::subscriber::set_default(sub);
                let span = tracing::info_span!("handler", route = "/api/v1/users");
                let _e = in_span.then(|| span.enter());
                g.bench_function(BenchmarkId::new("tracing_subscriber_json", &case), |b| {
                    b.iter(event)
                });
            }
            {
                let sub = tracing_subscriber::registry()
                    .with(logscrub_tracing::layer().json().with_writer(std::io::sink));
                let _d = tracing::subscriber::set_default(sub);
                let span = tracing::info_span!("handler", route = "/api/v1/users");
                let _e = in_span.then(|| span.enter());
                g.bench_function(BenchmarkId::new("logscrub_json", &case), |b| b.iter(event));
            }
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
