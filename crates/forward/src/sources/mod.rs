//! Sources: read bytes, cut them into lines, redact each line (the only
//! place raw input exists), and send chunks of redacted events to the
//! sinks they feed.

use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;

use crate::event::{Ack, Chunk, Event};
use crate::metrics::Component;
use crate::redact::Redactor;
use crate::sinks::SinkInput;

pub mod file;
pub mod http;
pub mod socket;
pub mod stdin;

/// Most events in one chunk.
pub const CHUNK_EVENTS: usize = 512;
/// Most input bytes behind one chunk.
pub const CHUNK_BYTES: usize = 256 << 10;

/// What a running source needs.
#[derive(Debug, Clone)]
pub struct SourceCtx {
    /// The source's name.
    pub name: Arc<str>,
    /// The queues of the sinks it feeds.
    pub outputs: Vec<SinkInput>,
    /// The redact step.
    pub redactor: Arc<Redactor>,
    /// Its counters.
    pub counters: Arc<Component>,
    /// Fires when the forwarder is stopping.
    pub shutdown: crate::shutdown::Signal,
}

impl SourceCtx {
    /// Sends redacted events to every sink this source feeds (waiting for
    /// room in `block` queues).
    pub async fn send(&self, events: Vec<Event>, ack: Ack) {
        self.send_inner(events, ack, false).await;
    }

    /// [`SourceCtx::send`], returning once every sink has the events
    /// durably (a disk buffer: written and synced) — what a source that
    /// answers its client must wait for. `false` if a buffer refused them.
    pub async fn send_durable(&self, events: Vec<Event>, ack: Ack) -> bool {
        self.send_inner(events, ack, true).await
    }

    async fn send_inner(&self, events: Vec<Event>, ack: Ack, durable: bool) -> bool {
        if events.is_empty() {
            return true;
        }
        let n = events.len() as u64;
        self.counters.events_in.fetch_add(n, Relaxed);
        let chunk = Arc::new(Chunk {
            source: self.name.clone(),
            events,
            ack,
        });
        let mut ok = true;
        for out in &self.outputs {
            if durable {
                ok &= out.send_durable(&chunk).await;
            } else {
                out.send(&chunk).await;
            }
        }
        self.counters.events_out.fetch_add(n, Relaxed);
        ok
    }

    /// Whether the forwarder is stopping.
    pub fn stopping(&self) -> bool {
        self.shutdown.is_stopped()
    }
}

/// One item cut from a byte stream.
#[derive(Debug, PartialEq, Eq)]
pub enum Item<'a> {
    /// A whole line, without `\n` (or `\r\n`).
    Line(&'a [u8]),
    /// A line longer than the limit: its bytes were discarded up to its
    /// newline; the event becomes a placeholder.
    Oversize,
}

/// Cuts a byte stream into lines with bounded memory: at most `max`
/// bytes of one line are kept.
#[derive(Debug)]
pub struct Lines {
    buf: Vec<u8>,
    max: usize,
    /// Inside an oversize line, dropping bytes to its newline.
    skipping: bool,
    /// Bytes consumed by complete items so far.
    consumed: u64,
}

impl Lines {
    /// A splitter keeping lines up to `max` bytes.
    pub fn new(max: usize) -> Lines {
        Lines {
            buf: Vec::new(),
            max: max.max(1),
            skipping: false,
            consumed: 0,
        }
    }

    /// Restarts at position `at` with nothing buffered.
    pub fn reset(&mut self, at: u64) {
        self.buf.clear();
        self.skipping = false;
        self.consumed = at;
    }

    /// Feeds bytes; `f` gets each complete item and the position after it.
    pub fn feed(&mut self, mut data: &[u8], mut f: impl FnMut(Item<'_>, u64)) {
        while !data.is_empty() {
            match memchr::memchr(b'\n', data) {
                Some(i) => {
                    let (part, rest) = (&data[..i], &data[i + 1..]);
                    data = rest;
                    // The line's bytes held from earlier reads count too.
                    let taken = (self.buf.len() + i + 1) as u64;
                    if self.skipping {
                        self.skipping = false;
                        self.consumed += taken;
                        f(Item::Oversize, self.consumed);
                        continue;
                    }
                    if self.buf.len() + part.len() > self.max {
                        self.buf.clear();
                        self.consumed += taken;
                        f(Item::Oversize, self.consumed);
                        continue;
                    }
                    let line: &[u8] = if self.buf.is_empty() {
                        part
                    } else {
                        self.buf.extend_from_slice(part);
                        &self.buf
                    };
                    let line = line.strip_suffix(b"\r").unwrap_or(line);
                    self.consumed += taken;
                    let pos = self.consumed;
                    // `buf` may be borrowed by `line`: clear after.
                    f(Item::Line(line), pos);
                    self.buf.clear();
                }
                None => {
                    if self.skipping {
                        self.consumed += data.len() as u64;
                    } else if self.buf.len() + data.len() > self.max {
                        // Counted when its newline comes (or at finish).
                        self.consumed += (self.buf.len() + data.len()) as u64;
                        self.buf.clear();
                        self.skipping = true;
                    } else {
                        self.buf.extend_from_slice(data);
                    }
                    return;
                }
            }
        }
    }

    /// Ends the stream: an unfinished last line is handed out whole.
    pub fn finish(&mut self, mut f: impl FnMut(Item<'_>, u64)) {
        if self.skipping {
            self.skipping = false;
            f(Item::Oversize, self.consumed);
        } else if !self.buf.is_empty() {
            self.consumed += self.buf.len() as u64;
            let line = std::mem::take(&mut self.buf);
            let line = line.strip_suffix(b"\r").unwrap_or(&line);
            f(Item::Line(line), self.consumed);
        }
    }
}

/// Redacts items cut from one stream into events.
pub fn to_event(
    stream: &mut crate::redact::Stream,
    item: Item<'_>,
    counters: &Component,
    now: std::time::SystemTime,
) -> Event {
    match item {
        Item::Line(l) => stream.event(l, now),
        Item::Oversize => stream.oversize(now, counters),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(max: usize, parts: &[&[u8]]) -> Vec<(String, u64)> {
        let mut lines = Lines::new(max);
        let mut out = Vec::new();
        let mut push = |i: Item<'_>, p: u64| {
            out.push((
                match i {
                    Item::Line(l) => String::from_utf8_lossy(l).into_owned(),
                    Item::Oversize => "<oversize>".into(),
                },
                p,
            ))
        };
        for p in parts {
            lines.feed(p, &mut push);
        }
        lines.finish(&mut push);
        out
    }

    #[test]
    fn lines_split_across_reads_with_positions() {
        assert_eq!(
            run(100, &[b"ab", b"c\r\nde\n", b"f"]),
            vec![("abc".into(), 5), ("de".into(), 8), ("f".into(), 9)]
        );
    }

    #[test]
    fn oversize_lines_become_one_placeholder_and_memory_stays_bounded() {
        let big = vec![b'x'; 50];
        let out = run(10, &[b"ok\n", &big, &big, b"\nnext\n"]);
        assert_eq!(
            out,
            vec![
                ("ok".into(), 3),
                ("<oversize>".into(), 104),
                ("next".into(), 109)
            ]
        );
        assert_eq!(run(10, &[&big]), vec![("<oversize>".into(), 50)]);
        assert_eq!(
            run(4, &[b"12345\n"]),
            vec![("<oversize>".into(), 6)],
            "a line over the limit within one read"
        );
    }
}
