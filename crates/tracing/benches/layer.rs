//! Nanoseconds per event: logscrub's redacting JSON layer against
//! tracing-subscriber's own JSON layer, both writing to `io::sink`.
//! Targets (issue 4): clean events with 5 fields at most 1.3x its cost;
//! events carrying one secret at most 2x. Run: `cargo bench -p
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

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("layer");
    for (case, event) in [
        ("clean_5_fields", clean_event as fn()),
        ("one_secret", secret_event as fn()),
    ] {
        {
            let sub = tracing_subscriber::registry().with(
                tracing_subscriber::fmt::layer()
                    .json()
                    .with_writer(std::io::sink),
            );
            let _d = tracing::subscriber::set_default(sub);
            let span = tracing::info_span!("handler", route = "/api/v1/users");
            let _e = span.enter();
            g.bench_function(BenchmarkId::new("tracing_subscriber_json", case), |b| {
                b.iter(event)
            });
        }
        {
            let sub = tracing_subscriber::registry()
                .with(logscrub_tracing::layer().json().with_writer(std::io::sink));
            let _d = tracing::subscriber::set_default(sub);
            let span = tracing::info_span!("handler", route = "/api/v1/users");
            let _e = span.enter();
            g.bench_function(BenchmarkId::new("logscrub_json", case), |b| b.iter(event));
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
