//! [`RedactingMakeWriter`]: redacts lines that another formatter wrote.
//!
//! For services that keep their own fmt layer (or any formatter): wrap its
//! writer, and each complete line is redacted before it reaches the real
//! writer. Lines that are JSON objects are redacted field by field, so JSON
//! output stays valid JSON. One size limit holds for every line, whole or
//! written in pieces: a longer line becomes one placeholder line, a JSON
//! object when the line was one (`{"level":..,"target":..,"message":
//! "[REDACTED:oversize-event]"}`), and the rest of it is dropped.

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
    /// Lines longer than this (1 MiB by default) become a placeholder:
    /// one limit, whether a line arrives whole or in pieces.
    pub fn max_line_bytes(mut self, n: usize) -> Self {
        self.max_line = n.max(64);
        self
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
/// and written when the writer is dropped. A line longer than the limit,
/// whether it arrives whole or in pieces, becomes one placeholder line
/// (the rest of it, up to its newline, is discarded).
#[derive(Debug)]
pub struct RedactingWriter<'a, W: Write> {
    scanner: &'a Scanner,
    inner: W,
    pending: Vec<u8>,
    max_line: usize,
    /// Inside a line already replaced by a placeholder: drop to its end.
    skipping: bool,
}

impl<'a, W: Write> RedactingWriter<'a, W> {
    fn new(scanner: &'a Scanner, inner: W, max_line: usize) -> Self {
        RedactingWriter {
            scanner,
            inner,
            pending: Vec::new(),
            max_line,
            skipping: false,
        }
    }

    fn emit(&mut self, line: &[u8], newline: bool) -> io::Result<()> {
        if line.len() > self.max_line {
            return self.oversize(line);
        }
        let red = self.scanner.redact(line, Format::Auto);
        self.inner.write_all(&red)?;
        if newline {
            self.inner.write_all(b"\n")?;
        }
        Ok(())
    }

    /// The placeholder for a line over the limit, of which `head` is the
    /// beginning: a JSON line stays a JSON object (so a JSON pipeline
    /// neither drops nor misparses it), with its timestamp, level and
    /// target when the line's top level holds them before its first nested
    /// value, in a shape that cannot carry data. (tracing-subscriber's JSON
    /// puts `target` after `fields`: such a placeholder has no target.)
    fn oversize(&mut self, head: &[u8]) -> io::Result<()> {
        let head = head.trim_ascii_start();
        if !head.starts_with(b"{") {
            return self.inner.write_all(b"[REDACTED:oversize-event]\n");
        }
        // Only the top level before the first nested value: a member of the
        // event's own fields could be called `target` and hold anything.
        let top = head[1..]
            .iter()
            .position(|&b| b == b'{' || b == b'[')
            .map_or(head.len().min(4096), |p| p + 1);
        let head = &head[..top.min(4096)];
        let mut out = b"{".to_vec();
        type Safe = fn(u8) -> bool;
        let fields: [(&str, Safe); 3] = [
            ("timestamp", |b| {
                b.is_ascii_digit() || b"-:.TZ+".contains(&b)
            }),
            ("level", |b| b.is_ascii_uppercase()),
            ("target", |b| {
                b.is_ascii_alphanumeric() || b"_:.-".contains(&b)
            }),
        ];
        for (key, safe) in fields {
            if let Some(v) =
                string_member(head, key).filter(|v| v.len() <= 128 && v.iter().all(|&b| safe(b)))
            {
                out.extend_from_slice(format!("\"{key}\":\"").as_bytes());
                out.extend_from_slice(v);
                out.extend_from_slice(b"\",");
            }
        }
        out.extend_from_slice(b"\"message\":\"[REDACTED:oversize-event]\"}");
        // The copied members are shaped like a time, a level and a module
        // path, but they came from the line: they pass the scanner too.
        let red = self.scanner.redact(&out, Format::Json);
        self.inner.write_all(&red)?;
        self.inner.write_all(b"\n")
    }
}

/// The value of the first `"key":"value"` member in `json` (no escapes in
/// the value), if any: for the placeholder's level and target only.
fn string_member<'j>(json: &'j [u8], key: &str) -> Option<&'j [u8]> {
    let pat = format!("\"{key}\":\"");
    let start = json.windows(pat.len()).position(|w| w == pat.as_bytes())? + pat.len();
    let len = memchr(b'"', &json[start..])?;
    let v = &json[start..start + len];
    (!v.contains(&b'\\')).then_some(v)
}

impl<W: Write> Write for RedactingWriter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut rest = buf;
        if self.skipping {
            match memchr(b'\n', rest) {
                Some(p) => {
                    self.skipping = false;
                    rest = &rest[p + 1..];
                }
                None => return Ok(buf.len()),
            }
        }
        while let Some(p) = memchr(b'\n', rest) {
            if self.pending.is_empty() {
                self.emit(&rest[..p], true)?;
            } else if self.pending.len() + p > self.max_line {
                let head = std::mem::take(&mut self.pending);
                self.oversize(&head)?;
            } else {
                let mut line = std::mem::take(&mut self.pending);
                line.extend_from_slice(&rest[..p]);
                self.emit(&line, true)?;
            }
            rest = &rest[p + 1..];
        }
        if self.pending.len() + rest.len() > self.max_line {
            // Never buffer without bound, never write it raw: one
            // placeholder for the line, and the rest of it is dropped.
            let mut head = std::mem::take(&mut self.pending);
            head.extend_from_slice(&rest[..rest.len().min(4096)]);
            self.oversize(&head)?;
            self.skipping = true;
        } else {
            self.pending.extend_from_slice(rest);
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
