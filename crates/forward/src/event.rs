//! Events, the chunks sources send them in, and end-to-end
//! acknowledgement.
//!
//! A source sends a [`Chunk`]: a few hundred redacted events and one
//! [`Ack`]. The chunk is shared (`Arc`) by every sink the source feeds.
//! Each sink encodes the events into its batch and keeps a clone of the
//! ack until the batch is delivered (or deliberately dropped and counted);
//! when the last clone is dropped, the ack fires: a file source's
//! checkpoint advances, an HTTP request waiting for delivery is answered.
//! One `Arc` per chunk rather than per event keeps acknowledgement off the
//! per-event cost.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// One redacted event.
#[derive(Debug, Clone)]
pub struct Event {
    /// The redacted line (a JSON document when `json`), never raw input.
    pub message: String,
    /// Whether `message` is a JSON object the engine redacted field-aware.
    pub json: bool,
    /// When the forwarder received it.
    pub timestamp: SystemTime,
}

/// Events from one source, redacted, with the acknowledgement they carry.
#[derive(Debug)]
pub struct Chunk {
    /// The source's name.
    pub source: Arc<str>,
    /// The redacted events.
    pub events: Vec<Event>,
    /// Fires when every sink is done with these events.
    pub ack: Ack,
}

/// Shared by every sink holding part of a chunk; fires on last drop.
#[derive(Debug, Clone, Default)]
pub struct Ack {
    /// Held for its `Drop`: the last clone dropped fires the ack.
    _inner: Option<Arc<AckInner>>,
}

impl Ack {
    /// An ack that does nothing (sources with no way to acknowledge).
    pub fn none() -> Ack {
        Ack { _inner: None }
    }

    /// An ack that marks position `seq` of `progress` done.
    pub fn progress(progress: Arc<Mutex<Progress>>, seq: u64) -> Ack {
        Ack {
            _inner: Some(Arc::new(AckInner::Progress(progress, seq))),
        }
    }

    /// An ack that answers `tx` when it fires.
    pub fn notify(tx: tokio::sync::oneshot::Sender<()>) -> Ack {
        Ack {
            _inner: Some(Arc::new(AckInner::Notify(Mutex::new(Some(tx))))),
        }
    }
}

#[derive(Debug)]
enum AckInner {
    Progress(Arc<Mutex<Progress>>, u64),
    Notify(Mutex<Option<tokio::sync::oneshot::Sender<()>>>),
}

impl Drop for AckInner {
    fn drop(&mut self) {
        match self {
            AckInner::Progress(p, seq) => {
                if let Ok(mut p) = p.lock() {
                    p.done(*seq);
                }
            }
            AckInner::Notify(tx) => {
                if let Some(tx) = tx.get_mut().ok().and_then(Option::take) {
                    let _ = tx.send(());
                }
            }
        }
    }
}

/// Ordered progress through one input (a file): positions are handed out
/// in order, acknowledged in any order, and the committed position is the
/// end of the longest acknowledged prefix.
#[derive(Debug, Default)]
pub struct Progress {
    /// Woken when the committed position moves (the checkpoint saver).
    moved: Option<Arc<tokio::sync::Notify>>,
    next_seq: u64,
    /// (seq, end position, done), oldest first.
    pending: VecDeque<(u64, u64, bool)>,
    committed: u64,
}

impl Progress {
    /// Starts at `position` (a checkpoint).
    pub fn at(position: u64) -> Progress {
        Progress {
            moved: None,
            next_seq: 0,
            pending: VecDeque::new(),
            committed: position,
        }
    }

    /// Wakes `notify` whenever the committed position moves.
    pub fn notify_on_commit(mut self, notify: Arc<tokio::sync::Notify>) -> Progress {
        self.moved = Some(notify);
        self
    }

    /// Registers data up to `end`; returns its sequence number.
    pub fn push(&mut self, end: u64) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.pending.push_back((seq, end, false));
        seq
    }

    fn done(&mut self, seq: u64) {
        if let Some(front) = self.pending.front().map(|p| p.0) {
            if let Some(slot) = seq.checked_sub(front).and_then(|i| {
                let i = usize::try_from(i).ok()?;
                self.pending.get_mut(i)
            }) {
                slot.2 = true;
            }
        }
        let before = self.committed;
        while let Some(&(_, end, true)) = self.pending.front() {
            self.committed = end;
            self.pending.pop_front();
        }
        if self.committed != before {
            if let Some(n) = &self.moved {
                n.notify_one();
            }
        }
    }

    /// The position everything before which has been delivered.
    pub fn committed(&self) -> u64 {
        self.committed
    }

    /// Positions handed out and not yet acknowledged.
    pub fn in_flight(&self) -> usize {
        self.pending.len()
    }

    /// Forgets pending positions and restarts at `position` (the file was
    /// truncated: old positions mean nothing any more).
    pub fn reset(&mut self, position: u64) {
        self.pending.clear();
        self.committed = position;
    }
}

/// Writes `ev` as one JSON object: a JSON event as it is, with
/// `timestamp` and `source` added when it has no such top-level keys; a
/// text event as `{"timestamp":..,"source":..,"message":..}`.
pub fn write_record(ev: &Event, source: &str, out: &mut Vec<u8>) {
    let ts = humantime::format_rfc3339_millis(ev.timestamp);
    if ev.json {
        if let Some(body) = ev.message.trim_start().strip_prefix('{') {
            #[derive(serde::Deserialize)]
            struct Probe {
                timestamp: Option<serde::de::IgnoredAny>,
                source: Option<serde::de::IgnoredAny>,
            }
            if let Ok(p) = serde_json::from_str::<Probe>(&ev.message) {
                out.push(b'{');
                if p.timestamp.is_none() {
                    out.extend_from_slice(b"\"timestamp\":\"");
                    push_display(&ts, out);
                    out.extend_from_slice(b"\",");
                }
                if p.source.is_none() {
                    out.extend_from_slice(b"\"source\":");
                    push_json_str(source, out);
                    out.push(b',');
                }
                let body = body.trim_start();
                if body.starts_with('}') {
                    // `{}`: drop the comma just written, if any.
                    if out.last() == Some(&b',') {
                        out.pop();
                    }
                }
                out.extend_from_slice(body.as_bytes());
                return;
            }
        }
    }
    out.extend_from_slice(b"{\"timestamp\":\"");
    push_display(&ts, out);
    out.extend_from_slice(b"\",\"source\":");
    push_json_str(source, out);
    out.extend_from_slice(b",\"message\":");
    push_json_str(&ev.message, out);
    out.push(b'}');
}

/// Appends `v`'s `Display` text without an intermediate `String` (this
/// runs once per event).
fn push_display(v: &impl std::fmt::Display, out: &mut Vec<u8>) {
    use std::io::Write as _;
    let _ = write!(out, "{v}");
}

/// Appends `s` as a JSON string literal.
pub fn push_json_str(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => {
                out.extend_from_slice(&bytes[start..i]);
                out.extend_from_slice(format!("\\u{b:04x}").as_bytes());
                start = i + 1;
                continue;
            }
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(esc);
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_commits_only_the_acknowledged_prefix() {
        let p = Arc::new(Mutex::new(Progress::at(10)));
        let a = Ack::progress(p.clone(), p.lock().unwrap().push(20));
        let b = Ack::progress(p.clone(), p.lock().unwrap().push(30));
        let b2 = b.clone();
        drop(b);
        drop(b2);
        assert_eq!(p.lock().unwrap().committed(), 10, "b is done but a is not");
        drop(a);
        assert_eq!(p.lock().unwrap().committed(), 30);
        assert_eq!(p.lock().unwrap().in_flight(), 0);
    }

    #[test]
    fn records_are_json_objects_with_metadata() {
        let t = SystemTime::UNIX_EPOCH;
        let text = Event {
            message: "a \"q\"\n\u{1}".into(),
            json: false,
            timestamp: t,
        };
        let mut out = Vec::new();
        write_record(&text, "app", &mut out);
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["message"], "a \"q\"\n\u{1}");
        assert_eq!(v["source"], "app");
        assert_eq!(v["timestamp"], "1970-01-01T00:00:00.000Z");

        for (msg, keys) in [
            (r#"{"level":"info","n":1}"#, 4),
            (r#"{"timestamp":"x","n":1}"#, 3),
            (r#" { } "#, 2),
        ] {
            let ev = Event {
                message: msg.into(),
                json: true,
                timestamp: t,
            };
            let mut out = Vec::new();
            write_record(&ev, "app", &mut out);
            let v: serde_json::Value = serde_json::from_slice(&out)
                .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out)));
            assert_eq!(v.as_object().unwrap().len(), keys, "{v}");
        }
    }
}
