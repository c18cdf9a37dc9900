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

const SEG_MAGIC: &[u8; 6] = b"LSBUF\x01";
const REC_MAGIC: &[u8; 4] = b"LSRC";
const REC_HEAD: usize = 4 + 8 + 4 + 4;
/// A segment is closed (sealed) past this size.
const SEGMENT_BYTES: u64 = 8 << 20;
/// Records of one event are at most this long (events are bounded by the
/// engine's `max_event_bytes` well before this).
const MAX_RECORD: u32 = 64 << 20;

/// A segment's header.
#[derive(Debug, Clone)]
pub struct Header {
    /// Segment id (increasing).
    pub id: u64,
    /// Keyring name.
    pub ring: String,
    /// Key version.
    pub version: u64,
    salt: [u8; 32],
}

impl Header {
    fn encode(&self) -> Vec<u8> {
        let mut h = Vec::with_capacity(64);
        h.extend_from_slice(SEG_MAGIC);
        h.extend_from_slice(&self.id.to_le_bytes());
        h.extend_from_slice(&self.version.to_le_bytes());
        h.extend_from_slice(&(self.ring.len() as u16).to_le_bytes());
        h.extend_from_slice(self.ring.as_bytes());
        h.extend_from_slice(&self.salt);
        let crc = crc32fast::hash(&h);
        h.extend_from_slice(&crc.to_le_bytes());
        h
    }

    /// Parses a header; returns it and its length.
    fn decode(b: &[u8]) -> Option<(Header, usize)> {
        if b.len() < 6 + 8 + 8 + 2 || &b[..6] != SEG_MAGIC {
            return None;
        }
        let id = u64::from_le_bytes(b[6..14].try_into().ok()?);
        let version = u64::from_le_bytes(b[14..22].try_into().ok()?);
        let rl = u16::from_le_bytes(b[22..24].try_into().ok()?) as usize;
        let end = 24 + rl + 32;
        if b.len() < end + 4 {
            return None;
        }
        let crc = u32::from_le_bytes(b[end..end + 4].try_into().ok()?);
        if crc32fast::hash(&b[..end]) != crc {
            return None;
        }
        let ring = String::from_utf8(b[24..24 + rl].to_vec()).ok()?;
        let salt: [u8; 32] = b[24 + rl..end].try_into().ok()?;
        Some((
            Header {
                id,
                ring,
                version,
                salt,
            },
            end + 4,
        ))
    }

    fn cipher(&self, key: &crate::keys::Key) -> Aes256Gcm {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(key.bytes()).expect("HMAC takes any key");
        mac.update(b"logscrub-buffer-v1");
        mac.update(&self.id.to_le_bytes());
        mac.update(&self.salt);
        let k = mac.finalize().into_bytes();
        Aes256Gcm::new_from_slice(&k).expect("32-byte key")
    }
}

fn nonce(index: u64) -> [u8; 12] {
    let mut n = [0u8; 12];
    n[..8].copy_from_slice(&index.to_le_bytes());
    n
}

fn aad(id: u64, index: u64) -> [u8; 16] {
    let mut a = [0u8; 16];
    a[..8].copy_from_slice(&id.to_le_bytes());
    a[8..].copy_from_slice(&index.to_le_bytes());
    a
}

/// Most plaintext bytes in one record: a chunk larger than this (huge
/// events) is split over several records.
const BLOCK_BYTES: usize = 4 << 20;

/// Appends one event to a block: `ns u64 | json u8 | len u32 | message`.
fn encode_event(ev: &Event, out: &mut Vec<u8>) {
    let ns = ev
        .timestamp
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    out.extend_from_slice(&ns.to_le_bytes());
    out.push(u8::from(ev.json));
    out.extend_from_slice(&(ev.message.len() as u32).to_le_bytes());
    out.extend_from_slice(ev.message.as_bytes());
}

/// Starts a block: `source len u16 | source`.
fn start_block(source: &str, out: &mut Vec<u8>) {
    let src = &source.as_bytes()[..source.len().min(u16::MAX as usize)];
    out.extend_from_slice(&(src.len() as u16).to_le_bytes());
    out.extend_from_slice(src);
}

/// A decrypted block: its source and events.
fn decode_block(b: &[u8]) -> Option<(String, Vec<Event>)> {
    let sl = u16::from_le_bytes(b.get(..2)?.try_into().ok()?) as usize;
    let source = String::from_utf8(b.get(2..2 + sl)?.to_vec()).ok()?;
    let mut i = 2 + sl;
    let mut events = Vec::new();
    while i < b.len() {
        let ns = u64::from_le_bytes(b.get(i..i + 8)?.try_into().ok()?);
        let json = *b.get(i + 8)? == 1;
        let len = u32::from_le_bytes(b.get(i + 9..i + 13)?.try_into().ok()?) as usize;
        let message = String::from_utf8(b.get(i + 13..i + 13 + len)?.to_vec()).ok()?;
        i += 13 + len;
        events.push(Event {
            message,
            json,
            timestamp: SystemTime::UNIX_EPOCH + Duration::from_nanos(ns),
        });
    }
    Some((source, events))
}

/// What the reader does with a segment's bytes, minus decryption: the
/// header, the frames, and the block decoder on every payload (see
/// [`crate::fuzzing`]). Returns the number of frames.
pub(crate) fn fuzz_segment(data: &[u8]) -> usize {
    let body = match Header::decode(data) {
        Some((_, len)) => &data[len..],
        None => data,
    };
    let (found, used) = frames(body, true);
    assert!(used <= body.len());
    for f in &found {
        if let Frame::Record { payload, .. } = f {
            let _ = decode_block(payload);
        }
    }
    found.len()
}

/// One record frame as found in a segment.
#[derive(Debug)]
pub enum Frame {
    /// A record whose CRC matches.
    Record {
        /// Its index in the segment.
        index: u64,
        /// The (encrypted) payload.
        payload: Vec<u8>,
    },
    /// Bytes that are not a valid record (flipped or torn), skipped.
    Corrupt,
}

/// Reads the frames of `data` (a segment's bytes after its header),
/// resynchronizing on the record magic after damage. Returns the frames
/// and how many bytes were consumed (a record cut off at the end is not
/// consumed: it may still be being written).
pub fn frames(data: &[u8], at_end_is_final: bool) -> (Vec<Frame>, usize) {
    let mut out = Vec::new();
    let mut i = 0;
    let mut damaged = false;
    while i < data.len() {
        if data.len() - i < REC_HEAD {
            if at_end_is_final {
                out.push(Frame::Corrupt);
                i = data.len();
            }
            break;
        }
        if &data[i..i + 4] != REC_MAGIC {
            if !damaged {
                out.push(Frame::Corrupt);
                damaged = true;
            }
            match memchr::memmem::find(&data[i + 1..], REC_MAGIC) {
                Some(p) => i += 1 + p,
                None => {
                    i = data.len();
                    break;
                }
            }
            continue;
        }
        let index = u64::from_le_bytes(data[i + 4..i + 12].try_into().expect("8 bytes"));
        let len = u32::from_le_bytes(data[i + 12..i + 16].try_into().expect("4 bytes"));
        let crc = u32::from_le_bytes(data[i + 16..i + 20].try_into().expect("4 bytes"));
        let end = i + REC_HEAD + len as usize;
        if len > MAX_RECORD || (end > data.len() && at_end_is_final) {
            // A length that cannot be right, or a record cut off for good.
            if !damaged {
                out.push(Frame::Corrupt);
                damaged = true;
            }
            i += 1;
            continue;
        }
        if end > data.len() {
            break; // still being written
        }
        let mut h = crc32fast::Hasher::new();
        h.update(&data[i + 4..i + 16]);
        h.update(&data[i + REC_HEAD..end]);
        if h.finalize() != crc {
            if !damaged {
                out.push(Frame::Corrupt);
                damaged = true;
            }
            i += 1;
            continue;
        }
        damaged = false;
        out.push(Frame::Record {
            index,
            payload: data[i + REC_HEAD..end].to_vec(),
        });
        i = end;
    }
    (out, i)
}

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

struct Writer {
    id: u64,
    file: File,
    header: Header,
    cipher: Aes256Gcm,
    index: u64,
    bytes: u64,
    opened: Instant,
}

fn new_segment(shared: &Shared, ring: &Keyring, id: u64) -> std::io::Result<Writer> {
    use aes_gcm::aead::rand_core::RngCore;
    let (version, key) = ring
        .current()
        .ok_or_else(|| std::io::Error::other("keyring has no key version"))?;
    let mut salt = [0u8; 32];
    aes_gcm::aead::OsRng.fill_bytes(&mut salt);
    let header = Header {
        id,
        ring: ring.name().to_owned(),
        version,
        salt,
    };
    let path = seg_path(&shared.dir, id);
    let mut file = std::fs::OpenOptions::new()
        .create_new(true)
        .append(true)
        .open(&path)?;
    let h = header.encode();
    file.write_all(&h)?;
    let cipher = header.cipher(&key);
    let mut st = shared.lock();
    st.segs.insert(
        id,
        SegInfo {
            bytes: h.len() as u64,
            sealed: false,
            created: SystemTime::now(),
        },
    );
    st.total += h.len() as u64;
    drop(st);
    Ok(Writer {
        id,
        file,
        header,
        cipher,
        index: 0,
        bytes: h.len() as u64,
        opened: Instant::now(),
    })
}

fn seal(shared: &Shared, w: &mut Writer) {
    let _ = w.file.sync_all();
    if let Some(s) = shared.lock().segs.get_mut(&w.id) {
        s.sealed = true;
    }
    shared.data.notify_all();
}

fn write_loop(
    rx: Receiver<Pending>,
    shared: Arc<Shared>,
    ring: Arc<Keyring>,
    config: BufferConfig,
    mut next_id: u64,
) {
    let roll_age = config
        .retention_secs
        .map_or(Duration::from_secs(3600), |r| {
            Duration::from_secs((r / 2).max(1))
        });
    let mut writer: Option<Writer> = None;
    let mut buf = Vec::new();
    let mut plain = Vec::new();
    loop {
        let first = match rx.recv_timeout(Duration::from_secs(1)) {
            Ok(c) => c,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                // Idle: a segment past its age is sealed anyway, so
                // retention can delete it.
                if writer
                    .as_ref()
                    .is_some_and(|w| w.opened.elapsed() >= roll_age)
                {
                    if let Some(mut w) = writer.take() {
                        seal(&shared, &mut w);
                    }
                }
                continue;
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
        };
        let mut chunks = vec![first];
        // Group commit: everything queued goes in one write and one sync.
        while chunks.len() < 64 {
            match rx.try_recv() {
                Ok(c) => chunks.push(c),
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => break,
            }
        }
        let rotated = ring.refresh_if_due();
        buf.clear();
        let mut kept = Vec::new();
        let mut claims = Vec::new();
        let mut dones = Vec::new();
        for Pending { chunk, claim, done } in chunks {
            dones.extend(done);
            // Room: estimate by the plaintext size (ciphertext adds 16 per record).
            let est: u64 = chunk
                .events
                .iter()
                .map(|e| (e.message.len() + chunk.source.len() + 11 + REC_HEAD + 16) as u64)
                .sum();
            if !wait_for_room(&shared, &config, est) {
                shared
                    .counters
                    .events_dropped
                    .fetch_add(chunk.events.len() as u64, Relaxed);
                claim.settle(Status::Rejected);
                continue;
            }
            kept.push(chunk);
            claims.push(claim);
        }
        if kept.is_empty() {
            // Dropped for want of room (`drop_newest`): counted, and the
            // sender is not kept waiting.
            for d in dones {
                let _ = d.send(true);
            }
            continue;
        }
        let need_new = match &writer {
            None => true,
            Some(w) => {
                w.bytes >= SEGMENT_BYTES
                    || w.opened.elapsed() >= roll_age
                    || (rotated && ring.current().is_some_and(|(v, _)| v != w.header.version))
            }
        };
        if need_new {
            if let Some(mut w) = writer.take() {
                seal(&shared, &mut w);
            }
            match new_segment(&shared, &ring, next_id) {
                Ok(w) => {
                    next_id += 1;
                    writer = Some(w);
                }
                Err(e) => {
                    // Not on disk: errored, so a file source re-reads them
                    // after a restart (its checkpoint stays behind them)
                    // and an HTTP client is told to send them again.
                    tracing::error!(error = %e, "cannot create a buffer segment; events are not acknowledged");
                    shared.counters.errors.fetch_add(1, Relaxed);
                    settle(claims, Status::Errored);
                    for d in dones {
                        let _ = d.send(false);
                    }
                    std::thread::sleep(Duration::from_secs(1));
                    continue;
                }
            }
        }
        let w = writer.as_mut().expect("opened above");
        // One record per chunk (a block of events): one AES-GCM pass and
        // one frame per few hundred events, not per event.
        for chunk in &kept {
            let mut events = chunk.events.iter().peekable();
            while events.peek().is_some() {
                plain.clear();
                start_block(&chunk.source, &mut plain);
                let empty = plain.len();
                while let Some(ev) = events.peek() {
                    if plain.len() > empty && plain.len() + ev.message.len() > BLOCK_BYTES {
                        break;
                    }
                    encode_event(ev, &mut plain);
                    events.next();
                }
                w.cipher
                    .encrypt_in_place(&nonce(w.index).into(), &aad(w.id, w.index), &mut plain)
                    .expect("AES-GCM encryption of a bounded payload");
                let mut h = crc32fast::Hasher::new();
                h.update(&w.index.to_le_bytes());
                h.update(&(plain.len() as u32).to_le_bytes());
                h.update(&plain);
                buf.extend_from_slice(REC_MAGIC);
                buf.extend_from_slice(&w.index.to_le_bytes());
                buf.extend_from_slice(&(plain.len() as u32).to_le_bytes());
                buf.extend_from_slice(&h.finalize().to_le_bytes());
                buf.extend_from_slice(&plain);
                w.index += 1;
            }
        }
        let res = w.file.write_all(&buf).and_then(|()| {
            if shared.sync {
                w.file.sync_data()
            } else {
                Ok(())
            }
        });
        if let Err(e) = res {
            // Not on disk: errored (see above).
            tracing::error!(error = %e, "cannot write the disk buffer; events are not acknowledged");
            shared.counters.errors.fetch_add(1, Relaxed);
            settle(claims, Status::Errored);
            for d in dones {
                let _ = d.send(false);
            }
            continue;
        }
        w.bytes += buf.len() as u64;
        {
            let mut st = shared.lock();
            if let Some(s) = st.segs.get_mut(&w.id) {
                s.bytes = w.bytes;
            }
            st.total += buf.len() as u64;
        }
        shared.data.notify_all();
        // Written (and synced): delivered as far as the sources are
        // concerned, and senders waiting for durability hear so.
        settle(claims, Status::Delivered);
        for d in dones {
            let _ = d.send(true);
        }
    }
    if let Some(mut w) = writer.take() {
        seal(&shared, &mut w);
    }
    shared.lock().writer_closed = true;
    shared.data.notify_all();
}

fn settle(claims: Vec<Claim>, status: Status) {
    for c in claims {
        c.settle(status);
    }
}

/// Waits for room for `est` bytes (`block`), or says there is none
/// (`drop_newest`).
fn wait_for_room(shared: &Shared, config: &BufferConfig, est: u64) -> bool {
    let mut st = shared.lock();
    loop {
        // Always let one chunk in when the buffer is empty, whatever its size.
        if st.total + est <= config.max_size || st.total == 0 {
            return true;
        }
        if config.when_full == WhenFull::DropNewest {
            return false;
        }
        st = shared
            .space
            .wait_timeout(st, Duration::from_millis(200))
            .unwrap_or_else(|p| p.into_inner())
            .0;
    }
}

fn read_loop(
    shared: Arc<Shared>,
    ring: Arc<Keyring>,
    start: Acked,
    outstanding: usize,
    deliver: impl Fn(Arc<Chunk>) -> bool,
) {
    let mut seg = start.segment;
    let mut skip_below;
    'segments: loop {
        // The next segment at or after `seg`.
        let next = {
            let mut st = shared.lock();
            loop {
                if let Some((&id, _)) = st.segs.range(seg..).next() {
                    break Some(id);
                }
                if st.writer_closed || shared.stopping.load(Relaxed) {
                    break None;
                }
                st = shared
                    .data
                    .wait_timeout(st, Duration::from_millis(200))
                    .unwrap_or_else(|p| p.into_inner())
                    .0;
            }
        };
        let Some(id) = next else { return };
        // Only the segment the delivered position points into has records
        // to skip.
        skip_below = if id == start.segment { start.index } else { 0 };
        let path = seg_path(&shared.dir, id);
        let Ok(mut file) = File::open(&path) else {
            // Deleted meanwhile (retention): go on.
            seg = id + 1;
            continue;
        };
        let mut data = Vec::new();
        let mut header: Option<(Header, Option<Aes256Gcm>)> = None;
        let mut consumed = 0usize;
        let mut unreadable = 0u64;
        loop {
            if shared.stopping.load(Relaxed) {
                return;
            }
            let (sealed, size) = {
                let st = shared.lock();
                match st.segs.get(&id) {
                    Some(s) => (s.sealed, s.bytes),
                    None => (true, 0),
                }
            };
            // Read what has been written (the writer updates `bytes` after
            // each complete write).
            let have = data.len() as u64;
            if size > have {
                let mut more = vec![0u8; (size - have) as usize];
                if file.seek(SeekFrom::Start(have)).is_err() || file.read_exact(&mut more).is_err()
                {
                    more.clear();
                    let _ = file.seek(SeekFrom::Start(have));
                    let _ = file.read_to_end(&mut more);
                }
                data.extend_from_slice(&more);
            } else if sealed && size == 0 {
                // Gone from the accounting (deleted).
                seg = id + 1;
                continue 'segments;
            }
            if header.is_none() {
                match Header::decode(&data) {
                    Some((h, len)) => {
                        let cipher = ring.get(h.version).map(|k| h.cipher(&k));
                        if cipher.is_none() || h.ring != ring.name() || h.id != id {
                            tracing::warn!(segment = id, version = h.version, "buffer segment's key version is not available (shredded?): its records are unreadable and skipped");
                        }
                        consumed = len;
                        header = Some((h, cipher));
                    }
                    None if sealed => {
                        tracing::warn!(segment = id, "buffer segment header is damaged: the segment is unreadable and skipped");
                        shared.counters.errors.fetch_add(1, Relaxed);
                        finish_segment(&shared, id);
                        seg = id + 1;
                        continue 'segments;
                    }
                    None => {
                        wait_data(&shared);
                        continue;
                    }
                }
            }
            let (h, cipher) = header.as_ref().expect("decoded above");
            let (found, used) = frames(&data[consumed..], sealed);
            consumed += used;
            let mut blocks: Vec<(String, Vec<Event>, u64)> = Vec::new();
            let mut last_index = None;
            let mut corrupt = 0u64;
            for f in found {
                match f {
                    Frame::Corrupt => corrupt += 1,
                    Frame::Record { index, mut payload } => {
                        last_index = Some(index);
                        if index < skip_below {
                            continue;
                        }
                        let plain = cipher.as_ref().and_then(|c| {
                            c.decrypt_in_place(
                                &nonce(index).into(),
                                &aad(h.id, index),
                                &mut payload,
                            )
                            .ok()
                            .map(|()| payload)
                        });
                        match plain.as_deref().and_then(decode_block) {
                            Some((src, evs)) => blocks.push((src, evs, index)),
                            None => unreadable += 1,
                        }
                    }
                }
            }
            if corrupt > 0 {
                tracing::warn!(
                    segment = id,
                    damaged_spans = corrupt,
                    "skipped corrupt or torn buffer records"
                );
                // A damaged block's event count is inside it: only the
                // damage itself can be counted.
                shared.counters.errors.fetch_add(corrupt, Relaxed);
            }
            if let Some(i) = last_index {
                skip_below = skip_below.max(i + 1);
            }
            // Each block goes to the sink as one chunk, its ack marking the
            // records up to it delivered.
            for (src, events, index) in blocks {
                while shared.progress.lock().map_or(0, |p| p.in_flight()) >= outstanding {
                    if shared.stopping.load(Relaxed) {
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(5));
                }
                let seq = shared
                    .progress
                    .lock()
                    .expect("progress")
                    .push(pos(id, index + 1));
                let chunk = Arc::new(Chunk {
                    source: Arc::from(src.as_str()),
                    events,
                    ack: Ack::progress(shared.progress.clone(), seq),
                });
                if !deliver(chunk) {
                    return;
                }
            }
            if sealed && consumed >= data.len() && (size as usize) <= data.len() {
                if unreadable > 0 {
                    tracing::warn!(segment = id, records = unreadable, "buffer records could not be decrypted (key version missing or data altered): skipped");
                    shared.counters.errors.fetch_add(unreadable, Relaxed);
                }
                finish_segment(&shared, id);
                seg = id + 1;
                continue 'segments;
            }
            wait_data(&shared);
        }
    }
}

/// Marks a segment read to its end: once everything before is delivered,
/// the committed position moves to the next segment and this one goes.
fn finish_segment(shared: &Shared, id: u64) {
    let seq = shared
        .progress
        .lock()
        .expect("progress")
        .push(pos(id + 1, 0));
    drop(Ack::progress(shared.progress.clone(), seq));
}

fn wait_data(shared: &Shared) {
    let st = shared.lock();
    let _ = shared
        .data
        .wait_timeout(st, Duration::from_millis(100))
        .unwrap_or_else(|p| p.into_inner());
}

/// Persists the delivered position as it moves, deletes delivered
/// segments, and applies retention.
async fn bookkeeping(shared: Arc<Shared>, ring: Arc<Keyring>, retention: Option<u64>) {
    loop {
        let _ = tokio::time::timeout(Duration::from_secs(1), shared.moved.notified()).await;
        let (sh, ring) = (shared.clone(), ring.clone());
        let _ = tokio::task::spawn_blocking(move || save_and_prune(&sh, &ring, retention)).await;
    }
}

/// One bookkeeping pass: saves `acked.json`, deletes the segments before
/// it, deletes (and counts) undelivered segments past retention.
fn save_and_prune(sh: &Shared, ring: &Keyring, retention: Option<u64>) {
    let committed = sh.progress.lock().map_or(0, |p| p.committed());
    let (segment, index) = (committed >> 32, committed & u32::MAX as u64);
    let acked = Acked { segment, index };
    let path = sh.dir.join("acked.json");
    let tmp = sh.dir.join("acked.json.tmp");
    let ok = std::fs::write(&tmp, serde_json::to_vec(&acked).expect("plain data")).and_then(|()| {
        if sh.sync {
            File::open(&tmp)?.sync_all()?;
        }
        std::fs::rename(&tmp, &path)
    });
    if let Err(e) = ok {
        tracing::error!(error = %e, "cannot save the buffer's delivered position");
        return;
    }
    let done: Vec<u64> = sh.lock().segs.range(..segment).map(|(&id, _)| id).collect();
    for id in done {
        sh.delete(id);
    }
    if let Some(secs) = retention {
        let limit = SystemTime::now() - Duration::from_secs(secs);
        let old: Vec<u64> = sh
            .lock()
            .segs
            .iter()
            .filter(|(_, s)| s.sealed && s.created < limit)
            .map(|(&id, _)| id)
            .collect();
        for id in old {
            let n = count_events(&seg_path(&sh.dir, id), ring);
            tracing::warn!(
                segment = id,
                records = n,
                "buffer segment past retention: deleted undelivered"
            );
            sh.counters.events_dropped.fetch_add(n, Relaxed);
            sh.delete(id);
        }
    }
}

/// Events in a segment (decrypting its blocks; a block that cannot be
/// read counts as one).
fn count_events(path: &Path, ring: &Keyring) -> u64 {
    let Ok(data) = std::fs::read(path) else {
        return 0;
    };
    let Some((h, len)) = Header::decode(&data) else {
        return 0;
    };
    let cipher = ring.get(h.version).map(|k| h.cipher(&k));
    frames(&data[len..], true)
        .0
        .into_iter()
        .map(|f| match f {
            Frame::Record { index, mut payload } => cipher
                .as_ref()
                .and_then(|c| {
                    c.decrypt_in_place(&nonce(index).into(), &aad(h.id, index), &mut payload)
                        .ok()?;
                    decode_block(&payload).map(|(_, e)| e.len() as u64)
                })
                .unwrap_or(1),
            Frame::Corrupt => 0,
        })
        .sum()
}

/// What `logscrub buffer verify` finds in one segment.
#[derive(Debug, Default)]
pub struct SegmentReport {
    /// The file.
    pub path: PathBuf,
    /// Keyring and version, when the header is readable.
    pub key: Option<(String, u64)>,
    /// Records (blocks of events) that decrypt.
    pub ok: u64,
    /// Events in those records.
    pub events: u64,
    /// Records (blocks) that do not decrypt (key version missing, or altered).
    pub unreadable: u64,
    /// Damaged or torn spans (each loses the block it held).
    pub corrupt: u64,
    /// The header itself is damaged.
    pub bad_header: bool,
}

/// Checks every record of every segment in `dir` against `rings`.
pub fn verify(dir: &Path, rings: &BTreeMap<String, Arc<Keyring>>) -> Vec<SegmentReport> {
    let mut out = Vec::new();
    for (_, path) in segments(dir) {
        let mut r = SegmentReport {
            path: path.clone(),
            ..Default::default()
        };
        let data = std::fs::read(&path).unwrap_or_default();
        let Some((h, len)) = Header::decode(&data) else {
            r.bad_header = true;
            out.push(r);
            continue;
        };
        let cipher = rings
            .get(&h.ring)
            .and_then(|ring| ring.get(h.version))
            .map(|k| h.cipher(&k));
        r.key = Some((h.ring.clone(), h.version));
        for f in frames(&data[len..], true).0 {
            match f {
                Frame::Corrupt => r.corrupt += 1,
                Frame::Record { index, mut payload } => {
                    let events = cipher.as_ref().and_then(|c| {
                        c.decrypt_in_place(&nonce(index).into(), &aad(h.id, index), &mut payload)
                            .ok()?;
                        decode_block(&payload).map(|(_, e)| e.len() as u64)
                    });
                    match events {
                        Some(n) => {
                            r.ok += 1;
                            r.events += n;
                        }
                        None => r.unreadable += 1,
                    }
                }
            }
        }
        out.push(r);
    }
    out
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

/// Sealed blocks: self-contained encrypted records for files others read
/// (the `file` sink's `encrypt_key`). Each block carries its keyring name,
/// key version and a random 32-byte salt; its key is derived from the
/// version key and the salt (so nonce 0 is never reused under a key), and
/// a file is any number of blocks back to back. `logscrub decrypt` reads
/// them.
///
/// `magic "LSFB\x01" | version u64 | ring len u16 | ring | salt[32] | len u32
/// | crc32 (of everything before and the ciphertext) | ciphertext`.
pub mod sealed {
    use super::*;

    const MAGIC: &[u8; 5] = b"LSFB\x01";
    const AAD: &[u8] = b"logscrub-file-v1";

    fn cipher(key: &crate::keys::Key, salt: &[u8; 32]) -> Aes256Gcm {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(key.bytes()).expect("HMAC takes any key");
        mac.update(b"logscrub-file-v1");
        mac.update(salt);
        Aes256Gcm::new_from_slice(&mac.finalize().into_bytes()).expect("32-byte key")
    }

    /// Encrypts `plain` under the keyring's current version as one block.
    pub fn seal(ring: &Keyring, mut plain: Vec<u8>) -> anyhow::Result<Vec<u8>> {
        use aes_gcm::aead::rand_core::RngCore;
        let (version, key) = ring
            .current()
            .ok_or_else(|| anyhow::anyhow!("keys.{} has no key version", ring.name()))?;
        let mut salt = [0u8; 32];
        aes_gcm::aead::OsRng.fill_bytes(&mut salt);
        cipher(&key, &salt)
            .encrypt_in_place(&nonce(0).into(), AAD, &mut plain)
            .map_err(|_| anyhow::anyhow!("encryption failed"))?;
        let mut out = Vec::with_capacity(plain.len() + 64);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&version.to_le_bytes());
        out.extend_from_slice(&(ring.name().len() as u16).to_le_bytes());
        out.extend_from_slice(ring.name().as_bytes());
        out.extend_from_slice(&salt);
        out.extend_from_slice(&(plain.len() as u32).to_le_bytes());
        let mut h = crc32fast::Hasher::new();
        h.update(&out);
        h.update(&plain);
        out.extend_from_slice(&h.finalize().to_le_bytes());
        out.extend_from_slice(&plain);
        Ok(out)
    }

    /// Decrypts every block of `data`: the plaintexts, or for each block
    /// that cannot be read, why (no key material in the message).
    pub fn open_all(
        data: &[u8],
        rings: &BTreeMap<String, Arc<Keyring>>,
    ) -> Vec<Result<Vec<u8>, String>> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < data.len() {
            let Some(rest) = data.get(i..) else { break };
            let parsed = (|| {
                if !rest.starts_with(MAGIC) {
                    return None;
                }
                let version = u64::from_le_bytes(rest.get(5..13)?.try_into().ok()?);
                let rl = u16::from_le_bytes(rest.get(13..15)?.try_into().ok()?) as usize;
                let ring = std::str::from_utf8(rest.get(15..15 + rl)?).ok()?.to_owned();
                let salt: [u8; 32] = rest.get(15 + rl..47 + rl)?.try_into().ok()?;
                let len = u32::from_le_bytes(rest.get(47 + rl..51 + rl)?.try_into().ok()?) as usize;
                let crc = u32::from_le_bytes(rest.get(51 + rl..55 + rl)?.try_into().ok()?);
                let ct = rest.get(55 + rl..55 + rl + len)?;
                let mut h = crc32fast::Hasher::new();
                h.update(&rest[..51 + rl]);
                h.update(ct);
                (h.finalize() == crc).then(|| (version, ring, salt, ct.to_vec(), 55 + rl + len))
            })();
            let Some((version, ring, salt, mut ct, used)) = parsed else {
                out.push(Err(format!(
                    "damaged block at byte {i}; the rest of the file is skipped"
                )));
                break;
            };
            i += used;
            let Some(key) = rings.get(&ring).and_then(|r| r.get(version)) else {
                out.push(Err(format!(
                    "key {ring}/{version} is not available (shredded?)"
                )));
                continue;
            };
            match cipher(&key, &salt).decrypt_in_place(&nonce(0).into(), AAD, &mut ct) {
                Ok(()) => out.push(Ok(ct)),
                Err(_) => out.push(Err(format!(
                    "block at byte {} does not decrypt with {ring}/{version}",
                    i - used
                ))),
            }
        }
        out
    }
}
