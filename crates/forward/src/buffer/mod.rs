//! The disk buffer: an encrypted, append-only segment log per sink.
//!
//! Events are acknowledged to their sources once written to it (and
//! synced, with `fsync = "always"`), and deleted from it once the sink has
//! delivered them, so delivery is at least once across crashes and
//! restarts, and a file source can move on without waiting for a slow
//! destination.
//!
//! **Layout.** `<data_dir>/buffers/<sink>/seg-<id>.log`, plus `acked.json`
//! (the position everything before which is delivered: a segment id and a
//! record index, no content). A segment starts with a header (magic,
//! segment id, keyring name, key version, a random 32-byte salt, CRC-32)
//! and holds records: `magic "LSRC" | index u64 | len u32 | crc32 | payload`,
//! one record per chunk a source sent (a block of up to a few hundred
//! events, at most 4 MiB): one AES-GCM pass and one frame per block keeps
//! the buffer's cost per event small.
//! The CRC (over index, length and payload) finds torn and flipped records
//! without a key; the magic lets a reader resynchronize after one.
//!
//! **Encryption.** Every payload is AES-256-GCM ciphertext. Each segment
//! has its own key, HMAC-SHA256(keyring version key, "logscrub-buffer-v1" |
//! segment id | salt), and the nonce is the record index, so a nonce is
//! never reused under a key without any per-record randomness; the segment
//! id and record index are the associated data, so a record moved to
//! another place fails to decrypt. A payload holds the event's time, kind,
//! source name and redacted message: nothing in a segment is readable
//! without the key. A new key version (rotation) starts a new segment.
//!
//! **Recovery.** Start-up never refuses a damaged buffer: a corrupt or torn
//! record is skipped and counted (the reader resynchronizes on the next
//! record magic; the events of that one block are lost), a segment whose header is damaged or whose key version
//! is gone (shredded) is counted as unreadable and removed, and every
//! intact record is delivered.
//!
//! **Limits.** `max_size` bounds the bytes on disk (`when_full = "block"`
//! makes sources wait; `drop_newest` drops and counts); `retention_secs`
//! deletes (and counts) undelivered segments older than that.
//!
//! **Files.** `segment` (the format), `writer`, `reader`, `retention`
//! (bookkeeping), `verify` (`logscrub buffer verify`), `sealed` (the
//! file sink's sealed output, same construction).

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering::Relaxed;
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant, SystemTime};

use aes_gcm::aead::{AeadInPlace, KeyInit};
use aes_gcm::Aes256Gcm;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::config::{BufferConfig, Fsync, WhenFull};
use crate::event::{Ack, Chunk, Claim, Event, Progress, Status};
use crate::keys::Keyring;
use crate::metrics::Component;

mod reader;
mod retention;
pub mod sealed;
mod segment;
mod verify;
mod writer;

use reader::*;
use retention::*;
use writer::*;

pub(crate) use segment::fuzz_segment;
use segment::*;
pub use segment::{frames, Frame, Header};
pub use verify::{verify, SegmentReport};

fn seg_path(dir: &Path, id: u64) -> PathBuf {
    dir.join(format!("seg-{id:016}.log"))
}

fn seg_id(path: &Path) -> Option<u64> {
    path.file_name()?
        .to_str()?
        .strip_prefix("seg-")?
        .strip_suffix(".log")?
        .parse()
        .ok()
}

/// The segment files in a buffer folder, oldest first.
pub fn segments(dir: &Path) -> Vec<(u64, PathBuf)> {
    let mut out: Vec<(u64, PathBuf)> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .filter_map(|e| seg_id(&e.path()).map(|id| (id, e.path())))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[derive(Debug)]
struct SegInfo {
    bytes: u64,
    sealed: bool,
    created: SystemTime,
}

#[derive(Debug)]
struct State {
    segs: BTreeMap<u64, SegInfo>,
    total: u64,
    writer_closed: bool,
}

#[derive(Debug)]
struct Shared {
    dir: PathBuf,
    state: Mutex<State>,
    space: Condvar,
    data: Condvar,
    progress: Arc<Mutex<Progress>>,
    moved: Arc<tokio::sync::Notify>,
    counters: Arc<Component>,
    sync: bool,
    /// The sink is stopping: the reader hands out nothing more.
    stopping: std::sync::atomic::AtomicBool,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Deletes a segment file and its accounting.
    fn delete(&self, id: u64) {
        let mut st = self.lock();
        if let Some(info) = st.segs.remove(&id) {
            st.total = st.total.saturating_sub(info.bytes);
        }
        drop(st);
        let _ = std::fs::remove_file(seg_path(&self.dir, id));
        self.space.notify_all();
    }
}

/// `acked.json`: everything before `(segment, index)` is delivered.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Acked {
    segment: u64,
    index: u64,
}

fn pos(seg: u64, index: u64) -> u64 {
    (seg << 32) | index.min(u32::MAX as u64)
}

/// A sink's disk buffer, opened.
#[derive(Debug)]
pub struct DiskBuffer {
    shared: Arc<Shared>,
    ring: Arc<Keyring>,
    config: BufferConfig,
    start: Acked,
    next_id: u64,
}

/// The writing side: sources send chunks here.
#[derive(Debug, Clone)]
pub struct DiskInput {
    tx: SyncSender<Pending>,
}

/// A chunk on its way to the writer, and who to tell once it is on disk.
#[derive(Debug)]
struct Pending {
    chunk: Arc<Chunk>,
    /// Settled once the chunk is on disk (delivered, for its source).
    claim: Claim,
    done: Option<tokio::sync::oneshot::Sender<bool>>,
}

impl DiskInput {
    /// Queues a chunk for writing (waits while the writer's queue is
    /// full). Its ack fires once the chunk is written and synced; `done`,
    /// if given, then gets `true` (`false`: the write failed and the chunk
    /// is not in the buffer).
    pub fn send(
        &self,
        chunk: Arc<Chunk>,
        done: Option<tokio::sync::oneshot::Sender<bool>>,
    ) -> Result<(), Arc<Chunk>> {
        let claim = chunk.ack.claim();
        self.tx
            .send(Pending { chunk, claim, done })
            .map_err(|e| e.0.chunk.clone())
    }
}

impl DiskBuffer {
    /// Opens (or creates) the buffer of sink `name`: deletes what
    /// `acked.json` says was delivered and notes the rest for the reader.
    pub fn open(
        data_dir: &Path,
        name: &str,
        ring: Arc<Keyring>,
        config: &BufferConfig,
        counters: Arc<Component>,
    ) -> anyhow::Result<DiskBuffer> {
        let dir = data_dir.join("buffers").join(name);
        std::fs::create_dir_all(&dir)
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
        let start: Acked = std::fs::read(dir.join("acked.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        let mut segs = BTreeMap::new();
        let mut total = 0;
        let mut next_id = start.segment.max(1);
        for (id, path) in segments(&dir) {
            if id < start.segment {
                let _ = std::fs::remove_file(&path);
                continue;
            }
            let meta = std::fs::metadata(&path)?;
            total += meta.len();
            segs.insert(
                id,
                SegInfo {
                    bytes: meta.len(),
                    sealed: true,
                    created: meta.modified().unwrap_or(SystemTime::now()),
                },
            );
            next_id = next_id.max(id + 1);
        }
        let moved = Arc::new(tokio::sync::Notify::new());
        let progress = Arc::new(Mutex::new(
            Progress::at(pos(start.segment, start.index)).notify_on_commit(moved.clone()),
        ));
        Ok(DiskBuffer {
            shared: Arc::new(Shared {
                dir,
                state: Mutex::new(State {
                    segs,
                    total,
                    writer_closed: false,
                }),
                space: Condvar::new(),
                data: Condvar::new(),
                progress,
                moved,
                counters,
                sync: config.fsync == Fsync::Always,
                stopping: false.into(),
            }),
            ring,
            config: config.clone(),
            start,
            next_id,
        })
    }

    /// Starts the writer and reader threads and the bookkeeping task.
    /// Chunks read back go to `deliver` (the sink's queue), each carrying
    /// an ack that marks its records delivered; `deliver` returning
    /// `false` stops the reader.
    pub fn start(
        self,
        deliver: impl Fn(Arc<Chunk>) -> bool + Send + 'static,
    ) -> (DiskInput, BufferTasks) {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Pending>(64);
        let shared = self.shared.clone();
        let ring = self.ring.clone();
        let config = self.config.clone();
        let next_id = self.next_id;
        let writer = std::thread::Builder::new()
            .name("logscrub-buffer-writer".into())
            .spawn(move || write_loop(rx, shared, ring, config, next_id))
            .expect("spawn buffer writer");
        let shared = self.shared.clone();
        let ring = self.ring.clone();
        let start = self.start;
        // Blocks handed to the sink and not yet acknowledged in order: a
        // crash repeats at most these, so they are bounded even when one
        // batch is stuck retrying while later ones get through.
        let outstanding = (self.config.max_events / 512).max(4);
        let reader = std::thread::Builder::new()
            .name("logscrub-buffer-reader".into())
            .spawn(move || read_loop(shared, ring, start, outstanding, deliver))
            .expect("spawn buffer reader");
        let bookkeeping = tokio::spawn(bookkeeping(
            self.shared.clone(),
            self.ring.clone(),
            self.config.retention_secs,
        ));
        let tasks = BufferTasks {
            shared: self.shared.clone(),
            ring: self.ring.clone(),
            retention: self.config.retention_secs,
            threads: Some((writer, reader)),
            bookkeeping,
        };
        (DiskInput { tx }, tasks)
    }
}

/// The threads and task a started buffer runs, owned by its sink.
#[derive(Debug)]
pub struct BufferTasks {
    shared: Arc<Shared>,
    ring: Arc<Keyring>,
    retention: Option<u64>,
    /// The writer and reader threads (taken by `close`).
    threads: Option<(std::thread::JoinHandle<()>, std::thread::JoinHandle<()>)>,
    bookkeeping: tokio::task::JoinHandle<()>,
}

impl Drop for BufferTasks {
    /// A sink aborted at the deadline: the reader stops too.
    fn drop(&mut self) {
        self.stop_reading();
        self.bookkeeping.abort();
        if self.threads.is_some() {
            // Not closed (the sink was aborted): save what is known now.
            save_and_prune(&self.shared, &self.ring, self.retention);
        }
    }
}

impl BufferTasks {
    /// Stops handing records to the sink: what was not delivered stays in
    /// the buffer for the next start.
    pub fn stop_reading(&self) {
        self.shared.stopping.store(true, Relaxed);
        self.shared.data.notify_all();
    }

    /// Stops the reader, waits until the writer has written everything
    /// the sources sent (it ends once every source has let go of its
    /// input), and saves the delivered position one last time.
    pub async fn close(mut self) {
        self.stop_reading();
        if let Some((writer, reader)) = self.threads.take() {
            let _ = tokio::task::spawn_blocking(move || {
                let _ = writer.join();
                let _ = reader.join();
            })
            .await;
        }
        self.bookkeeping.abort();
        let (shared, ring, retention) = (self.shared.clone(), self.ring.clone(), self.retention);
        let _ =
            tokio::task::spawn_blocking(move || save_and_prune(&shared, &ring, retention)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(index: u64, payload: &[u8]) -> Vec<u8> {
        let mut b = Vec::new();
        let mut h = crc32fast::Hasher::new();
        h.update(&index.to_le_bytes());
        h.update(&(payload.len() as u32).to_le_bytes());
        h.update(payload);
        b.extend_from_slice(REC_MAGIC);
        b.extend_from_slice(&index.to_le_bytes());
        b.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        b.extend_from_slice(&h.finalize().to_le_bytes());
        b.extend_from_slice(payload);
        b
    }

    #[test]
    fn frames_skip_flipped_and_torn_records_and_keep_the_rest() {
        let mut data = Vec::new();
        for i in 0..5u64 {
            data.extend(record(i, format!("payload {i}").as_bytes()));
        }
        let one = record(0, b"payload 0").len();
        data[one + REC_HEAD + 2] ^= 0x40; // flip a byte of record 1
        data.truncate(data.len() - 3); // tear record 4
        let (f, _) = frames(&data, true);
        let idx: Vec<u64> = f
            .iter()
            .filter_map(|f| match f {
                Frame::Record { index, .. } => Some(*index),
                Frame::Corrupt => None,
            })
            .collect();
        assert_eq!(idx, vec![0, 2, 3]);
        assert_eq!(f.iter().filter(|f| matches!(f, Frame::Corrupt)).count(), 2);
        // Not final: the torn record may still be being written.
        let (f, used) = frames(&data, false);
        assert_eq!(f.iter().filter(|f| matches!(f, Frame::Corrupt)).count(), 1);
        assert!(used < data.len());
    }

    #[test]
    fn headers_round_trip_and_reject_damage() {
        let h = Header {
            id: 7,
            ring: "tenant-a".into(),
            version: 3,
            salt: [9; 32],
        };
        let mut b = h.encode();
        let (d, len) = Header::decode(&b).unwrap();
        assert_eq!(
            (d.id, d.ring.as_str(), d.version, len),
            (7, "tenant-a", 3, b.len())
        );
        b[10] ^= 1;
        assert!(Header::decode(&b).is_none());
    }
}
