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

    /// Publishes the per-rule counts gathered since the last call.
    pub fn flush_counts(&mut self) {
        let counts = self.lines.take_counts();
        if counts.total() > 0 {
            self.owner.metrics.add_redactions(&counts);
        }
    }
}
