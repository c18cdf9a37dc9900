//! Nanoseconds per event: logscrub's redacting JSON layer against
//! tracing-subscriber's own JSON layer, both writing to `io::sink`, for
//! clean events, events carrying one secret, numbers-only events and
//! ten-field events, each with no enclosing span and inside one (a span
//! hides part of the layer's own per-event cost behind its formatting).
//! Targets (issue 13): clean at most 1.2x tracing-subscriber's cost, one
//! secret at most 1.8x, with and without a span. Run: `cargo bench -p
//! logscrub-tracing --bench layer`; results in BENCHMARKS.md.
//!
//! The events are in `events.rs`. Criterion runs each case for seconds
//! before the next; on a shared, noisy machine `examples/layer_cost.rs`
//! (the same events, the two layers alternated, best of five) gives
//! steadier ratios.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use tracing_subscriber::prelude::*;

mod events;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("layer");
    let cases = events::CASES;
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
