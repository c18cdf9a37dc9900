//! `stdin` source: reads standard input to its end. When every source
//! has ended (stdin closed), the forwarder drains its sinks and exits.

use std::time::SystemTime;

use serde::Deserialize;

use tokio::io::AsyncReadExt;

use super::{to_event, Lines, SourceCtx, CHUNK_EVENTS};
use crate::config::{byte_size, EventFormat};
use crate::event::Ack;

/// `type = "stdin"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StdinSourceConfig {
    /// How lines are read.
    #[serde(default)]
    pub format: EventFormat,
    /// Lines longer than this become a placeholder event.
    #[serde(
        default = "crate::config::default_max_line",
        deserialize_with = "byte_size"
    )]
    pub max_line_bytes: u64,
}

/// Runs the source until end of input or shutdown.
pub async fn run(ctx: SourceCtx, config: StdinSourceConfig) {
    read_stream(
        ctx,
        tokio::io::stdin(),
        config.format,
        config.max_line_bytes as usize,
    )
    .await;
}

/// Reads newline-delimited events from any byte stream until its end or
/// shutdown (shared by the stdin and socket sources).
pub async fn read_stream(
    ctx: SourceCtx,
    mut input: impl tokio::io::AsyncRead + Unpin,
    format: crate::config::EventFormat,
    max_line: usize,
) {
    let mut stream = ctx.redactor.stream(format);
    let mut lines = Lines::new(max_line);
    let mut buf = vec![0u8; 64 << 10];
    let shutdown = ctx.shutdown.clone();
    loop {
        let n = tokio::select! {
            r = input.read(&mut buf) => match r {
                Ok(n) => n,
                Err(e) => {
                    ctx.counters.errors.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    tracing::error!(source = %ctx.name, error = %e, "read failed");
                    0
                }
            },
            // Stopping: what was read is still sent (the partial line too).
            () = shutdown.stopped() => 0,
        };
        let now = SystemTime::now();
        let mut events = Vec::new();
        if n == 0 {
            lines.finish(|item, _| events.push(to_event(&mut stream, item, &ctx.counters, now)));
        } else {
            lines.feed(&buf[..n], |item, _| {
                events.push(to_event(&mut stream, item, &ctx.counters, now))
            });
        }
        stream.flush_counts();
        while !events.is_empty() {
            let rest = events.split_off(events.len().min(CHUNK_EVENTS));
            ctx.send(events, Ack::none()).await;
            events = rest;
        }
        if n == 0 {
            break;
        }
    }
}
