//! [`RedactingMakeWriter`]: redacts lines that another formatter wrote.
//!
//! For services that keep their own fmt layer (or any formatter): wrap its
//! writer, and each complete line is redacted before it reaches the real
//! writer. Lines that are JSON objects are redacted field by field, so JSON
//! output stays valid JSON. A writer that never ends its line is bounded:
//! past the event size limit the pending bytes become a placeholder.

use std::io::{self, Write};

use logscrub_engine::{Format, Scanner};
use tracing_core::Metadata;
use tracing_subscriber::fmt::MakeWriter;

/// Wraps a [`MakeWriter`] so everything written through it is redacted
/// line by line.
#[derive(Debug, Clone)]
pub struct RedactingMakeWriter<M> {
    scanner: Scanner,
    inner: M,
    max_line: usize,
}

impl<M> RedactingMakeWriter<M> {
    /// Redacts with the embedded default rules (see
    /// [`crate::default_scanner`]).
    pub fn new(inner: M) -> Self {
        Self::with_scanner(crate::default_scanner(), inner)
    }
    /// Redacts with these rules.
    pub fn with_scanner(scanner: Scanner, inner: M) -> Self {
        RedactingMakeWriter {
            scanner,
            inner,
            max_line: crate::DEFAULT_MAX_EVENT_BYTES,
        }
    }
}

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for RedactingMakeWriter<M> {
    type Writer = RedactingWriter<'a, M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        RedactingWriter::new(&self.scanner, self.inner.make_writer(), self.max_line)
    }

    fn make_writer_for(&'a self, meta: &Metadata<'_>) -> Self::Writer {
        RedactingWriter::new(
            &self.scanner,
            self.inner.make_writer_for(meta),
            self.max_line,
        )
    }
}

/// The writer [`RedactingMakeWriter`] hands out: buffers up to a newline,
/// writes each line redacted. A final line without a newline is redacted
/// and written when the writer is dropped.
#[derive(Debug)]
pub struct RedactingWriter<'a, W: Write> {
    scanner: &'a Scanner,
    inner: W,
    pending: Vec<u8>,
    max_line: usize,
}

impl<'a, W: Write> RedactingWriter<'a, W> {
    fn new(scanner: &'a Scanner, inner: W, max_line: usize) -> Self {
        RedactingWriter {
            scanner,
            inner,
            pending: Vec::new(),
            max_line,
        }
    }

    fn emit(&mut self, line: &[u8], newline: bool) -> io::Result<()> {
        let red = self.scanner.redact(line, Format::Auto);
        self.inner.write_all(&red)?;
        if newline {
            self.inner.write_all(b"\n")?;
        }
        Ok(())
    }
}

impl<W: Write> Write for RedactingWriter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut rest = buf;
        while let Some(p) = memchr(b'\n', rest) {
            if self.pending.is_empty() {
                self.emit(&rest[..p], true)?;
            } else {
                let mut line = std::mem::take(&mut self.pending);
                line.extend_from_slice(&rest[..p]);
                self.emit(&line, true)?;
            }
            rest = &rest[p + 1..];
        }
        self.pending.extend_from_slice(rest);
        if self.pending.len() > self.max_line {
            // Never buffer without bound, never write it raw.
            self.pending.clear();
            self.inner.write_all(b"[REDACTED:oversize-event]\n")?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: Write> Drop for RedactingWriter<'_, W> {
    fn drop(&mut self) {
        if !self.pending.is_empty() {
            let line = std::mem::take(&mut self.pending);
            let _ = self.emit(&line, false);
        }
        let _ = self.inner.flush();
    }
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}
