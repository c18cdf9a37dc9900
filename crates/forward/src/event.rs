//! Events, the chunks sources send them in, and end-to-end
//! acknowledgement.
//!
//! A source sends a [`Chunk`]: a few hundred redacted events and one
//! [`Ack`]. The chunk is shared (`Arc`) by every sink the source feeds.
//! Whoever takes the events on (a sink's queue, then the batch holding
//! them; the disk buffer's writer) holds a [`Claim`] and settles it with
//! an explicit [`Status`]: delivered, rejected for good, or errored. When
//! every claim is settled the ack fires with the worst of them: a file
//! source's checkpoint advances (not past an errored chunk), an HTTP
//! request waiting for delivery is answered 200, 400 or 503. A claim
//! dropped without a status (a task aborted at the shutdown deadline)
//! counts as errored, so no failure path can acknowledge events by
//! dropping them. One `Arc` per chunk rather than per event keeps
//! acknowledgement off the per-event cost. (Vector's `EventStatus` and
//! `BatchStatus` are the model.)

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU8, Ordering};
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

/// How events ended, as a sink (or the disk buffer) reports it. When
/// several sinks hold the same events, the worst status wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum Status {
    /// The destination has them (or the disk buffer, synced, for the
    /// source's part).
    Delivered = 0,
    /// Dropped for good and counted: the destination refused them, or
    /// `retry_attempts` ran out, or a `drop_newest` queue was full.
    /// Sending them again would end the same way, so a file source moves
    /// past them.
    Rejected = 1,
    /// Not delivered and not refused: the forwarder stopped at its
    /// deadline, the disk buffer could not write them, a sink went away.
    /// A file source's checkpoint never moves past them (they are read
    /// again on the next start); an HTTP client waiting for delivery is
    /// told to send them again.
    Errored = 2,
}

impl Status {
    fn from_u8(v: u8) -> Status {
        match v {
            0 => Status::Delivered,
            1 => Status::Rejected,
            _ => Status::Errored,
        }
    }
}

/// The acknowledgement of one chunk, shared by every sink that holds part
/// of it. It fires once, when the last handle and the last [`Claim`] are
/// gone, with the worst status any claim settled on.
///
/// An `Ack` itself says nothing about delivery: dropping it only lets go.
/// Whoever takes the events on (a sink's queue, a batch, the disk buffer's
/// writer) takes a [`Claim`] with [`Ack::claim`] and must settle it; a
/// claim dropped unsettled (a task aborted at the shutdown deadline, a
/// panic, an error path nobody thought of) settles as
/// [`Status::Errored`], so nothing is ever acknowledged by accident.
#[derive(Debug, Clone, Default)]
pub struct Ack {
    inner: Option<Arc<AckInner>>,
}

impl Ack {
    /// An ack that does nothing (sources with no way to acknowledge).
    pub fn none() -> Ack {
        Ack { inner: None }
    }

    /// An ack that marks position `seq` of `progress` done (or, unless
    /// delivered or rejected, stuck there).
    pub fn progress(progress: Arc<Mutex<Progress>>, seq: u64) -> Ack {
        Ack::with(Target::Progress(progress, seq))
    }

    /// An ack that answers `tx` with the final status.
    pub fn notify(tx: tokio::sync::oneshot::Sender<Status>) -> Ack {
        Ack::with(Target::Notify(Mutex::new(Some(tx))))
    }

    fn with(target: Target) -> Ack {
        Ack {
            inner: Some(Arc::new(AckInner {
                status: AtomicU8::new(Status::Delivered as u8),
                target,
            })),
        }
    }

    /// Takes on the events: the returned claim must be settled.
    pub fn claim(&self) -> Claim {
        Claim {
            ack: self.clone(),
            settled: false,
        }
    }

    fn mark(&self, status: Status) {
        if let Some(inner) = &self.inner {
            inner.status.fetch_max(status as u8, Ordering::AcqRel);
        }
    }
}

/// A holder's duty to say how the events of an [`Ack`] ended. Dropped
/// unsettled, it counts as [`Status::Errored`].
#[derive(Debug)]
pub struct Claim {
    ack: Ack,
    settled: bool,
}

impl Claim {
    /// Reports how the events ended.
    pub fn settle(mut self, status: Status) {
        self.ack.mark(status);
        self.settled = true;
    }

    /// Another claim on the same ack (a chunk split over two batches).
    pub fn split(&self) -> Claim {
        self.ack.claim()
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        if !self.settled {
            self.ack.mark(Status::Errored);
        }
    }
}

#[derive(Debug)]
struct AckInner {
    status: AtomicU8,
    target: Target,
}

#[derive(Debug)]
enum Target {
    Progress(Arc<Mutex<Progress>>, u64),
    Notify(Mutex<Option<tokio::sync::oneshot::Sender<Status>>>),
}

impl Drop for AckInner {
    fn drop(&mut self) {
        let status = Status::from_u8(*self.status.get_mut());
        match &mut self.target {
            Target::Progress(p, seq) => {
                if let Ok(mut p) = p.lock() {
                    p.done(*seq, status);
                }
            }
            Target::Notify(tx) => {
                if let Some(tx) = tx.get_mut().ok().and_then(Option::take) {
                    let _ = tx.send(status);
                }
            }
        }
    }
}

/// Ordered progress through one input (a file, a disk buffer): positions
/// are handed out in order, acknowledged in any order, and the committed
/// position is the end of the longest prefix that was delivered (or
/// rejected for good). Once a position ends [`Status::Errored`], the
/// committed position stays before it for the rest of the run: what
/// follows is read again after a restart (at least once, never lost).
#[derive(Debug, Default)]
pub struct Progress {
    /// Woken when the committed position moves (the checkpoint saver).
    moved: Option<Arc<tokio::sync::Notify>>,
    next_seq: u64,
    /// (seq, end position, how it ended), oldest first.
    pending: VecDeque<(u64, u64, Option<Status>)>,
    committed: u64,
    /// A position ended `Errored`: `committed` no longer moves.
    stuck: bool,
}

impl Progress {
    /// Starts at `position` (a checkpoint).
    pub fn at(position: u64) -> Progress {
        Progress {
            committed: position,
            ..Progress::default()
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
        self.pending.push_back((seq, end, None));
        seq
    }

    fn done(&mut self, seq: u64, status: Status) {
        if let Some(front) = self.pending.front().map(|p| p.0) {
            if let Some(slot) = seq.checked_sub(front).and_then(|i| {
                let i = usize::try_from(i).ok()?;
                self.pending.get_mut(i)
            }) {
                slot.2 = Some(status);
            }
        }
        let before = self.committed;
        while let Some(&(_, end, Some(status))) = self.pending.front() {
            self.stuck |= status == Status::Errored;
            if !self.stuck {
                self.committed = end;
            }
            self.pending.pop_front();
        }
        if self.committed != before {
            if let Some(n) = &self.moved {
                n.notify_one();
            }
        }
    }

    /// Whether a position ended [`Status::Errored`], so the committed
    /// position stays where it is until the next start.
    pub fn stuck(&self) -> bool {
        self.stuck
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
        self.stuck = false;
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
        let claim = b.claim();
        drop(b);
        drop(b2);
        assert_eq!(p.lock().unwrap().committed(), 10, "b is still claimed");
        claim.settle(Status::Delivered);
        assert_eq!(p.lock().unwrap().committed(), 10, "b is done but a is not");
        a.claim().settle(Status::Rejected);
        drop(a);
        assert_eq!(p.lock().unwrap().committed(), 30, "a rejection is final");
        assert_eq!(p.lock().unwrap().in_flight(), 0);
    }

    #[test]
    fn a_claim_dropped_unsettled_never_commits_and_nothing_after_it_does() {
        let p = Arc::new(Mutex::new(Progress::at(0)));
        let a = Ack::progress(p.clone(), p.lock().unwrap().push(10));
        let b = Ack::progress(p.clone(), p.lock().unwrap().push(20));
        let (ca, cb) = (a.claim(), b.claim());
        drop((a, b));
        // A delivery task aborted at the shutdown deadline drops its batch.
        drop(ca);
        cb.settle(Status::Delivered);
        let p = p.lock().unwrap();
        assert_eq!(p.committed(), 0);
        assert!(p.stuck());
        assert_eq!(p.in_flight(), 0, "settled positions are not kept");
    }

    #[test]
    fn the_worst_status_of_every_claim_is_what_the_source_hears() {
        for (sinks, want) in [
            (
                vec![Status::Delivered, Status::Delivered],
                Status::Delivered,
            ),
            (vec![Status::Delivered, Status::Rejected], Status::Rejected),
            (vec![Status::Errored, Status::Rejected], Status::Errored),
        ] {
            let (tx, mut rx) = tokio::sync::oneshot::channel();
            let ack = Ack::notify(tx);
            let claims: Vec<Claim> = sinks.iter().map(|_| ack.claim()).collect();
            drop(ack);
            for (c, s) in claims.into_iter().zip(&sinks) {
                assert!(rx.try_recv().is_err(), "fired before every claim settled");
                c.settle(*s);
            }
            assert_eq!(rx.try_recv().unwrap(), want);
        }
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
