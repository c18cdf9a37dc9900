//! The layer's cost per event against tracing-subscriber's JSON layer, both
//! writing to `io::sink`: the events of `benches/events.rs`, with no span
//! and inside one, the two layers alternated five times and the best run of
//! each kept, so that a shared machine's noise hits both alike. Prints one
//! line per case with the ratio; the issue-13 targets are <= 1.2x for clean
//! events and <= 1.8x with one secret.
//!
//! `cargo run --release -p logscrub-tracing --example layer_cost [EVENTS]`
//! (default 100,000 events per run).

use std::time::Instant;

use tracing_subscriber::prelude::*;

#[path = "../benches/events.rs"]
mod events;

/// Nanoseconds per event of `event` through one layer.
fn run(ours: bool, in_span: bool, event: fn(), n: u32) -> f64 {
    let go = || {
        let span = tracing::info_span!("handler", route = "/api/v1/users");
        let _e = in_span.then(|| span.enter());
        let t = Instant::now();
        for _ in 0..n {
            event();
        }
        t.elapsed().as_nanos() as f64 / f64::from(n)
    };
    if ours {
        let sub = tracing_subscriber::registry()
            .with(logscrub_tracing::layer().json().with_writer(std::io::sink));
        tracing::subscriber::with_default(sub, go)
    } else {
        let sub = tracing_subscriber::registry().with(
            tracing_subscriber::fmt::layer()
                .json()
                .with_writer(std::io::sink),
        );
        tracing::subscriber::with_default(sub, go)
    }
}

fn main() {
    let n: u32 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    println!("case                        tracing-subscriber   logscrub   ratio");
    for in_span in [false, true] {
        for (case, event) in events::CASES {
            let (mut theirs, mut ours) = (f64::MAX, f64::MAX);
            for _ in 0..5 {
                theirs = theirs.min(run(false, in_span, event, n));
                ours = ours.min(run(true, in_span, event, n));
            }
            let name = format!("{case}{}", if in_span { "_in_span" } else { "" });
            println!(
                "{name:<28} {theirs:>10.0} ns {ours:>10.0} ns {:>6.2}x",
                ours / theirs
            );
        }
    }
}
