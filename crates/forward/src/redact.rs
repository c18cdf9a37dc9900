//! The redact step: a plain synchronous function from raw lines to
//! redacted [`Event`]s, run by each source before it sends anything on.
//!
//! Nothing else in the forwarder sees raw input: a source reads bytes,
//! hands each line to its [`Stream`] and sends only what comes back. A
//! line over the source's limit never reaches the engine whole; it
//! becomes the engine's `oversize-event` placeholder (fail closed), and
//! invalid UTF-8 is replaced after redaction so sinks always get text.
//!
//! **Swapping rules at run time.** [`Redactor::swap`] replaces the scanner
//! under a write lock and bumps a generation number. Each [`Stream`] keeps
//! the complete scanner it was built from and compares generations with
//! one atomic load per line: when they differ it rebuilds its
//! [`LineRedactor`] from the new scanner before the line is scanned. So
//! every line is scanned by exactly one complete scanner, old or new, and
//! none goes unscanned while a swap happens.
//!
//! The trade-off is made at a multi-line block (a PEM key whose body lines
//! follow on lines of their own): the block's state names a rule of the old
//! scanner, which the new one may number differently or not have at all,
//! so it is not carried over. Starting the new scanner with no block open
//! would pass the rest of the key through as plain text; instead a stream
//! with a block open keeps the old scanner until the block closes (its
//! end marker, a line that cannot be key material, or the engine's
//! 500-line cap), then takes the new one.
//!
//! **Every core for one busy source.** A source that reads a lot at once
//! (a file catching up: up to 256 KiB per read) gathers the raw lines of
//! one read in a [`RawLines`] and redacts them with [`Stream::events`]:
//! the lines are cut into parts (four per core, so that rayon's pool
//! balances parts of uneven cost), each part is redacted on a pool thread
//! by a stream that starts with no block open, and the parts are put back
//! in order. When a part ends inside a multi-line block, the
//! next part is redacted again, in order, by the stream holding that block
//! (as `logscrub redact` does), so the result is exactly what redacting the
//! lines one by one gives. The raw lines stay in that one function call;
//! nothing raw is queued.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

use logscrub_engine::{Format, LineRedactor, Scanner};

use crate::config::EventFormat;
use crate::event::Event;
use crate::metrics::{Component, Metrics};

/// The placeholder for a line longer than the source's limit.
pub const OVERSIZE_PLACEHOLDER: &str = "[REDACTED:oversize-event]";

/// The scanner every source uses, swappable at run time.
#[derive(Debug)]
pub struct Redactor {
    scanner: RwLock<Scanner>,
    /// Bumped (under the write lock) by every swap.
    generation: AtomicU64,
    metrics: Arc<Metrics>,
}

impl Redactor {
    /// Wraps a compiled scanner.
    pub fn new(scanner: Scanner, metrics: Arc<Metrics>) -> Redactor {
        Redactor {
            scanner: RwLock::new(scanner),
            generation: AtomicU64::new(0),
            metrics,
        }
    }

    /// The scanner in force now.
    pub fn scanner(&self) -> Scanner {
        self.current().0
    }

    /// The scanner in force and its generation, read together.
    fn current(&self) -> (Scanner, u64) {
        let s = self.scanner.read().unwrap_or_else(|p| p.into_inner());
        (s.clone(), self.generation.load(Ordering::Acquire))
    }

    /// Puts `scanner` in force: every stream scans its next line with it
    /// (a stream inside a multi-line block once the block closes; see the
    /// module docs). Returns the new generation.
    pub fn swap(&self, scanner: Scanner) -> u64 {
        let mut s = self.scanner.write().unwrap_or_else(|p| p.into_inner());
        *s = scanner;
        // Bumped while the lock is held, so `current` never pairs a
        // generation with the other scanner.
        self.generation.fetch_add(1, Ordering::AcqRel) + 1
    }

    /// How many swaps have happened.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// A redactor for one ordered stream of lines (a file, a connection):
    /// it carries multi-line state such as an open PEM block.
    pub fn stream(self: &Arc<Self>, format: EventFormat) -> Stream {
        let format = match format {
            EventFormat::Auto => Format::Auto,
            EventFormat::Text => Format::Text,
            EventFormat::Json => Format::Json,
        };
        self.stream_in(format)
    }

    /// [`Redactor::stream`] for an engine format.
    fn stream_in(self: &Arc<Self>, format: Format) -> Stream {
        let (scanner, generation) = self.current();
        Stream {
            lines: scanner.lines(format),
            format,
            generation,
            owner: self.clone(),
        }
    }

    /// The metrics registry.
    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.metrics
    }
}

/// Redacts one stream's lines in order.
#[derive(Debug)]
pub struct Stream {
    lines: LineRedactor,
    format: Format,
    /// The generation `lines` was built from.
    generation: u64,
    owner: Arc<Redactor>,
}

impl Stream {
    /// Redacts one line (no terminator).
    pub fn event(&mut self, line: &[u8], now: SystemTime) -> Event {
        if self.owner.generation.load(Ordering::Acquire) != self.generation {
            self.take_new_scanner();
        }
        let out = self.lines.redact(line);
        let message = match String::from_utf8_lossy(&out) {
            std::borrow::Cow::Borrowed(s) => s.to_owned(),
            std::borrow::Cow::Owned(s) => s,
        };
        let json = self.format != Format::Text && message.trim_start().starts_with('{');
        Event {
            message,
            json,
            timestamp: now,
        }
    }

    /// The placeholder event for a line that was too long.
    pub fn oversize(&mut self, now: SystemTime, counters: &Component) -> Event {
        counters
            .oversize
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        // Whatever block was open cannot be trusted to continue.
        self.lines.set_block_state(Default::default());
        Event {
            message: OVERSIZE_PLACEHOLDER.to_owned(),
            json: false,
            timestamp: now,
        }
    }

    /// Rebuilds the line redactor from the scanner in force, unless a
    /// multi-line block is open (see the module docs).
    #[cold]
    fn take_new_scanner(&mut self) {
        if self.lines.block_state().is_open() {
            return;
        }
        // Counts are keyed by the old scanner's rules: publish them first.
        self.flush_counts();
        let (scanner, generation) = self.owner.current();
        self.lines = scanner.lines(self.format);
        self.generation = generation;
    }

    /// Redacts `raw` in order, on every core when it is big
    /// enough to be worth it (see the module docs): the same events as
    /// calling [`Stream::event`] (or [`Stream::oversize`]) for each item.
    pub fn events(&mut self, raw: &RawLines, now: SystemTime, counters: &Component) -> Vec<Event> {
        // Four parts per core: the pool balances parts of uneven cost.
        self.events_on(parallelism() * 4, raw, now, counters)
    }

    fn events_on(
        &mut self,
        threads: usize,
        raw: &RawLines,
        now: SystemTime,
        counters: &Component,
    ) -> Vec<Event> {
        let parts = raw.parts(threads);
        if parts.len() <= 1 {
            return raw.redact(0..raw.items.len(), self, now, counters);
        }
        // Part 0 with this stream, the others with fresh ones, all on the
        // pool's threads: long-lived, so their per-thread automaton caches
        // stay warm from one read to the next (threads made per read
        // started cold every time and ran slower than one thread).
        let fresh: Vec<Stream> = parts[1..]
            .iter()
            .map(|_| self.owner.stream_in(self.format))
            .collect();
        let mut rest: Vec<(Stream, Vec<Event>)> =
            fresh.into_iter().map(|s| (s, Vec::new())).collect();
        let mut events = Vec::new();
        rayon::scope(|s| {
            for ((stream, evs), part) in rest.iter_mut().zip(&parts[1..]) {
                s.spawn(move |_| *evs = raw.redact(part.clone(), stream, now, counters));
            }
            events = raw.redact(parts[0].clone(), self, now, counters);
        });
        // `cur` (or this stream, until a part changes hands) holds the
        // state at the end of the parts taken so far.
        let mut cur: Option<Stream> = None;
        for (part, (mut fresh, evs)) in parts[1..].iter().zip(rest) {
            let holder = cur.as_mut().unwrap_or(self);
            if holder.lines.block_state().is_open() {
                // The previous part ended inside a block: this part again,
                // continuing it. What the fresh stream counted is void.
                fresh.lines.take_counts();
                events.extend(raw.redact(part.clone(), holder, now, counters));
            } else {
                holder.flush_counts();
                events.extend(evs);
                cur = Some(fresh);
            }
        }
        if let Some(last) = cur {
            *self = last;
        }
        events
    }

    /// Publishes the per-rule counts gathered since the last call.
    pub fn flush_counts(&mut self) {
        let counts = self.lines.take_counts();
        if counts.total() > 0 {
            self.owner.metrics.add_redactions(&counts);
        }
    }
}

/// Threads one source may use to redact one read: the machine's cores.
fn parallelism() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Raw lines of one read, in order, each with the input position after it
/// (one buffer for all, so gathering them costs no allocation per line).
#[derive(Debug, Default)]
pub struct RawLines {
    buf: Vec<u8>,
    /// (start, end) in `buf`, or `None` for a line over the limit; and the
    /// input position after the line.
    items: Vec<(Option<(usize, usize)>, u64)>,
}

/// Below this many bytes a read is redacted on the calling thread: a
/// thread costs tens of microseconds, about what 20 KiB of lines take.
const PARALLEL_BYTES: usize = 64 << 10;

impl RawLines {
    /// Adds a line (no terminator) ending at input position `end`.
    pub fn push(&mut self, line: &[u8], end: u64) {
        let start = self.buf.len();
        self.buf.extend_from_slice(line);
        self.items.push((Some((start, self.buf.len())), end));
    }

    /// Adds a line that was over the limit (its placeholder).
    pub fn push_oversize(&mut self, end: u64) {
        self.items.push((None, end));
    }

    /// The input positions after each line, in order.
    pub fn ends(&self) -> impl Iterator<Item = u64> + '_ {
        self.items.iter().map(|i| i.1)
    }

    /// Whether it holds no line.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Cuts the items into at most `n` parts of about equal bytes (one
    /// part when there is too little to share).
    fn parts(&self, n: usize) -> Vec<std::ops::Range<usize>> {
        let len = self.items.len();
        if n <= 1 || self.buf.len() < PARALLEL_BYTES || len < 2 * n {
            let whole = 0..len;
            return vec![whole];
        }
        let share = self.buf.len() / n;
        let mut parts = Vec::with_capacity(n);
        let mut start = 0;
        for (i, (range, _)) in self.items.iter().enumerate() {
            let end_byte = range.map_or(0, |r| r.1);
            if parts.len() + 1 < n && end_byte >= share * (parts.len() + 1) {
                parts.push(start..i + 1);
                start = i + 1;
            }
        }
        if start < len {
            parts.push(start..len);
        }
        parts
    }

    fn redact(
        &self,
        part: std::ops::Range<usize>,
        stream: &mut Stream,
        now: SystemTime,
        counters: &Component,
    ) -> Vec<Event> {
        self.items[part]
            .iter()
            .map(|(range, _)| match range {
                Some((a, b)) => stream.event(&self.buf[*a..*b], now),
                None => stream.oversize(now, counters),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines with PEM keys whose bodies run over many lines (some across
    /// part boundaries), oversize lines inside and outside them, secrets.
    fn mixed(n: usize) -> RawLines {
        let mut raw = RawLines::default();
        let mut end = 0;
        let mut i = 0;
        while i < n {
            end += 100;
            match i % 97 {
                0 => raw.push(b"-----BEGIN RSA PRIVATE KEY-----", end),
                1..=40 if (i / 97) % 2 == 0 => raw.push(
                    b"MIIEpAIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
                    end,
                ),
                41 if (i / 97) % 2 == 0 => raw.push(b"-----END RSA PRIVATE KEY-----", end),
                50 => raw.push_oversize(end),
                _ => raw.push(
                    format!("{i} GET /x user=jo{i}@example.com key=AKIAIOSFODNN7EXAMPLE ok")
                        .as_bytes(),
                    end,
                ),
            }
            i += 1;
        }
        raw
    }

    #[test]
    fn redacting_in_parts_gives_what_redacting_line_by_line_gives() {
        let metrics = Arc::new(Metrics::default());
        let redactor = Arc::new(Redactor::new(Scanner::embedded(), metrics.clone()));
        let counters = metrics.component("source", "t", "file");
        let now = SystemTime::UNIX_EPOCH;
        for n in [3, 500, 2000, 5000] {
            let raw = mixed(n);
            let before = metrics.redactions("email");
            let mut one = redactor.stream(EventFormat::Text);
            let want: Vec<String> = raw
                .items
                .iter()
                .map(|(r, _)| match r {
                    Some((a, b)) => one.event(&raw.buf[*a..*b], now).message,
                    None => one.oversize(now, &counters).message,
                })
                .collect();
            one.flush_counts();
            let per_run = metrics.redactions("email") - before;
            assert!(n < 100 || per_run > 0);
            for threads in [2, 3, 5, 8] {
                let before = metrics.redactions("email");
                let mut stream = redactor.stream(EventFormat::Text);
                let got: Vec<String> = stream
                    .events_on(threads, &raw, now, &counters)
                    .into_iter()
                    .map(|e| e.message)
                    .collect();
                stream.flush_counts();
                assert_eq!(got.len(), want.len());
                for (i, (g, w)) in got.iter().zip(&want).enumerate() {
                    assert_eq!(g, w, "line {i} of {n}, {threads} threads");
                }
                assert!(
                    !got.iter().any(|l| l.contains("MIIEpAIBAAKC")),
                    "key material left"
                );
                // Counted once each, whatever was redone.
                assert_eq!(metrics.redactions("email") - before, per_run);
            }
        }
    }
}
