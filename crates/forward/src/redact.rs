//! The redact step: a plain synchronous function from raw lines to
//! redacted [`Event`]s, run by each source before it sends anything on.
//!
//! Nothing else in the forwarder sees raw input: a source reads bytes,
//! hands each line to its [`Stream`] and sends only what comes back. A
//! line over the source's limit never reaches the engine whole; it
//! becomes the engine's `oversize-event` placeholder (fail closed), and
//! invalid UTF-8 is replaced after redaction so sinks always get text.

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
    metrics: Arc<Metrics>,
}

impl Redactor {
    /// Wraps a compiled scanner.
    pub fn new(scanner: Scanner, metrics: Arc<Metrics>) -> Redactor {
        Redactor {
            scanner: RwLock::new(scanner),
            metrics,
        }
    }

    /// The scanner in force now.
    pub fn scanner(&self) -> Scanner {
        self.scanner.read().expect("scanner lock").clone()
    }

    /// A redactor for one ordered stream of lines (a file, a connection):
    /// it carries multi-line state such as an open PEM block.
    pub fn stream(self: &Arc<Self>, format: EventFormat) -> Stream {
        let format = match format {
            EventFormat::Auto => Format::Auto,
            EventFormat::Text => Format::Text,
            EventFormat::Json => Format::Json,
        };
        Stream {
            lines: self.scanner().lines(format),
            format,
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
    owner: Arc<Redactor>,
}

impl Stream {
    /// Redacts one line (no terminator).
    pub fn event(&mut self, line: &[u8], now: SystemTime) -> Event {
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

    /// Publishes the per-rule counts gathered since the last call.
    pub fn flush_counts(&mut self) {
        let counts = self.lines.take_counts();
        if counts.total() > 0 {
            self.owner.metrics.add_redactions(&counts);
        }
    }
}
