//! `file` source: tails files matched by globs, follows rotation, and
//! checkpoints what every sink has acknowledged.
//!
//! **Identity.** A file is known by (device, inode) plus a hash of its
//! first bytes (up to 256). Rename rotation keeps the inode, so a renamed
//! file is read to its end from the same handle (for `rotate_wait_ms`
//! after its last byte) while the new file at the path is read from its
//! start. Copy-truncate rotation keeps the inode but shrinks the file or
//! changes its head: either is seen on the next poll and reading restarts
//! at byte 0 of the new content. Files are found by polling the globs
//! (`poll_interval_ms`): a file created and renamed to a name the globs do
//! not match within one interval is never seen (include the rotated names,
//! e.g. `app.log*`, to be safe).
//!
//! **Checkpoints.** Each chunk sent carries an ack for the file position
//! after its last line; the position committed is the end of the longest
//! run of chunks every sink has acknowledged (`event::Progress`). The
//! committed positions are written to `<data_dir>/checkpoints/<source>.json`
//! (temporary file, rename) as soon as they move, at most every 10 ms and
//! synced to disk at most once a second, and at the end of a graceful stop. A restart resumes each file at its checkpoint if the
//! file still has the same identity and is at least that long; so a crash
//! repeats at most the chunks in flight and loses nothing.
//!
//! **Threads.** The tailer is blocking I/O and CPU work (redaction) on a
//! thread of its own; a big read is redacted on every core
//! ([`Stream::events`]). It hands chunks to the async pipeline with
//! `Handle::block_on`, which also carries backpressure back to the reads.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use regex_automata::meta::Regex;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Item, Lines, SourceCtx, CHUNK_BYTES, CHUNK_EVENTS};
use crate::config::{byte_size, EventFormat};
use crate::event::{Ack, Event, Progress};
use crate::metrics::Component;
use crate::redact::{RawLines, Stream};

/// Where a file source starts reading a file it has no checkpoint for.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ReadFrom {
    /// From the first byte (nothing is lost).
    #[default]
    Beginning,
    /// From the current end.
    End,
}

/// `type = "file"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSourceConfig {
    /// Glob patterns of files to tail.
    pub include: Vec<String>,
    /// Glob patterns to leave out.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Where to start in a file with no checkpoint.
    #[serde(default)]
    pub read_from: ReadFrom,
    /// How lines are read.
    #[serde(default)]
    pub format: EventFormat,
    /// How often files are checked for new data and new files.
    #[serde(default = "default_poll_ms")]
    pub poll_interval_ms: u64,
    /// How long a file that was renamed away (rotated) keeps being read
    /// after its last new byte.
    #[serde(default = "default_rotate_wait_ms")]
    pub rotate_wait_ms: u64,
    /// Lines longer than this become a placeholder event.
    #[serde(
        default = "crate::config::default_max_line",
        deserialize_with = "byte_size"
    )]
    pub max_line_bytes: u64,
    /// Join continuation lines (stack traces) into one event.
    pub multiline: Option<MultilineConfig>,
}

fn default_poll_ms() -> u64 {
    250
}

fn default_rotate_wait_ms() -> u64 {
    5_000
}

/// `multiline = { start_pattern = '^\S' }`: a line matching the pattern
/// starts an event; the lines after it that do not are appended to it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MultilineConfig {
    /// A regular expression (finite-automaton syntax: no look-around or
    /// backreferences) matching the first line of an event.
    pub start_pattern: String,
    /// An event with no new line for this long is complete.
    #[serde(default = "default_multiline_timeout")]
    pub timeout_ms: u64,
    /// At most this many lines are joined.
    #[serde(default = "default_multiline_lines")]
    pub max_lines: usize,
}

fn default_multiline_timeout() -> u64 {
    1_000
}

fn default_multiline_lines() -> usize {
    500
}

const HEAD: u64 = 256;

type FileId = (u64, u64);

/// One file's saved position.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Saved {
    path: PathBuf,
    dev: u64,
    ino: u64,
    offset: u64,
    head_len: u64,
    head_hash: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct SavedFile {
    version: u32,
    files: Vec<Saved>,
}

#[derive(Debug)]
struct Tracked {
    path: PathBuf,
    progress: Arc<Mutex<Progress>>,
    head_len: u64,
    head_hash: String,
}

/// A source's checkpoints: the positions acknowledged per file, shared by
/// the tailer (which registers files) and the saver.
#[derive(Debug)]
pub struct Checkpoints {
    path: PathBuf,
    /// Woken when any file's committed position moves.
    moved: Arc<tokio::sync::Notify>,
    files: Mutex<HashMap<FileId, Tracked>>,
    /// Entries of the previous run; after the first scan, only those of
    /// files the globs still match (the others can never be used again).
    loaded: Mutex<HashMap<FileId, Saved>>,
}

impl Checkpoints {
    /// Loads `<data_dir>/checkpoints/<source>.json` (missing: empty). A
    /// checkpoint file that cannot be read is an error: starting from
    /// scratch would silently resend everything.
    pub fn load(data_dir: &Path, source: &str) -> anyhow::Result<Checkpoints> {
        let dir = data_dir.join("checkpoints");
        std::fs::create_dir_all(&dir)
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
        let path = dir.join(format!("{source}.json"));
        let loaded = match std::fs::read(&path) {
            Ok(bytes) => {
                let saved: SavedFile = serde_json::from_slice(&bytes).map_err(|e| {
                    anyhow::anyhow!(
                        "checkpoint file {} is damaged ({e}); move it away to start over",
                        path.display()
                    )
                })?;
                saved
                    .files
                    .into_iter()
                    .map(|s| ((s.dev, s.ino), s))
                    .collect()
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => HashMap::new(),
            Err(e) => anyhow::bail!("cannot read {}: {e}", path.display()),
        };
        Ok(Checkpoints {
            path,
            moved: Arc::new(tokio::sync::Notify::new()),
            files: Mutex::new(HashMap::new()),
            loaded: Mutex::new(loaded),
        })
    }

    /// Writes the committed positions (atomically: temporary file, then
    /// rename), with `fsync` when `sync` (a rename survives a killed
    /// process without it; only a power cut needs the sync).
    pub fn save(&self, sync: bool) -> std::io::Result<()> {
        let files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        let mut out = SavedFile {
            version: 1,
            files: Vec::new(),
        };
        for (&(dev, ino), t) in files.iter() {
            let offset = t.progress.lock().map_or(0, |p| p.committed());
            out.files.push(Saved {
                path: t.path.clone(),
                dev,
                ino,
                offset,
                head_len: t.head_len,
                head_hash: t.head_hash.clone(),
            });
        }
        // Files not seen again this run keep their old entries.
        let loaded = self.loaded.lock().unwrap_or_else(|p| p.into_inner());
        for (id, s) in loaded.iter() {
            if !files.contains_key(id) {
                out.files.push(s.clone());
            }
        }
        out.files.sort_by(|a, b| a.path.cmp(&b.path));
        drop(files);
        drop(loaded);
        let tmp = self.path.with_extension("json.tmp");
        {
            let mut f = File::create(&tmp)?;
            std::io::Write::write_all(
                &mut f,
                &serde_json::to_vec_pretty(&out).expect("plain data serializes"),
            )?;
            if sync {
                f.sync_all()?;
            }
        }
        std::fs::rename(&tmp, &self.path)?;
        if sync {
            if let Some(dir) = self.path.parent() {
                if let Ok(d) = File::open(dir) {
                    let _ = d.sync_all();
                }
            }
        }
        Ok(())
    }
}

fn head_of(file: &mut File, len: u64) -> std::io::Result<(u64, String)> {
    let n = len.min(HEAD);
    let mut buf = vec![0u8; n as usize];
    file.seek(SeekFrom::Start(0))?;
    file.read_exact(&mut buf)?;
    let digest = Sha256::digest(&buf);
    Ok((
        n,
        digest.iter().take(16).map(|b| format!("{b:02x}")).collect(),
    ))
}

struct Multiline {
    start: Regex,
    max_bytes: usize,
    timeout: Duration,
    max_lines: usize,
}

/// An event being joined: its text, line count, end position, last line
/// time.
struct Joining {
    text: Vec<u8>,
    lines: usize,
    end: u64,
    at: Instant,
}

struct Open {
    id: FileId,
    path: PathBuf,
    file: File,
    /// Read position (bytes handed to `lines`).
    read: u64,
    lines: Lines,
    stream: Stream,
    progress: Arc<Mutex<Progress>>,
    head_len: u64,
    head_hash: String,
    last_data: Instant,
    /// The path now names another file (or none): read to the end, then close.
    rotated: bool,
    joining: Option<Joining>,
}

/// Compiles a multi-line start pattern: bytes, not UTF-8 (log files are
/// not always valid), ASCII classes, and an explicit size limit.
pub fn start_pattern(pattern: &str) -> anyhow::Result<Regex> {
    Regex::builder()
        .syntax(
            regex_automata::util::syntax::Config::new()
                .utf8(false)
                .unicode(false),
        )
        .configure(Regex::config().nfa_size_limit(Some(1 << 20)))
        .build(pattern)
        .map_err(|e| {
            let cause = std::error::Error::source(&e).map_or(String::new(), |c| format!(": {c}"));
            anyhow::anyhow!("multiline.start_pattern: {e}{cause}")
        })
}

/// Runs the tailer on a blocking thread until shutdown.
pub fn spawn(
    ctx: SourceCtx,
    config: FileSourceConfig,
    checkpoints: Arc<Checkpoints>,
) -> anyhow::Result<tokio::task::JoinHandle<()>> {
    let multiline = match &config.multiline {
        Some(m) => Some(Multiline {
            start: start_pattern(&m.start_pattern)?,
            timeout: Duration::from_millis(m.timeout_ms),
            max_lines: m.max_lines.max(1),
            max_bytes: config.max_line_bytes as usize,
        }),
        None => None,
    };
    let exclude: Vec<glob::Pattern> = config
        .exclude
        .iter()
        .map(|p| glob::Pattern::new(p))
        .collect::<Result<_, _>>()?;
    let handle = tokio::runtime::Handle::current();
    Ok(tokio::task::spawn_blocking(move || {
        let mut tailer = Tailer {
            ctx,
            config,
            exclude,
            multiline,
            checkpoints,
            open: Vec::new(),
            first_scan: true,
            handle,
        };
        tailer.run();
    }))
}

struct Tailer {
    ctx: SourceCtx,
    config: FileSourceConfig,
    exclude: Vec<glob::Pattern>,
    multiline: Option<Multiline>,
    checkpoints: Arc<Checkpoints>,
    open: Vec<Open>,
    first_scan: bool,
    handle: tokio::runtime::Handle,
}

impl Tailer {
    fn run(&mut self) {
        let poll = Duration::from_millis(self.config.poll_interval_ms.max(10));
        let mut last_scan = Instant::now() - poll;
        let mut buf = vec![0u8; CHUNK_BYTES];
        while !self.ctx.stopping() {
            if last_scan.elapsed() >= poll {
                self.scan();
                last_scan = Instant::now();
            }
            let mut any = false;
            for i in 0..self.open.len() {
                if self.ctx.stopping() {
                    break;
                }
                any |= self.read_some(i, &mut buf);
            }
            self.flush_stale_joins();
            self.close_finished();
            if !any {
                std::thread::sleep(poll.min(Duration::from_millis(50)));
            }
        }
    }

    fn matched_paths(&self) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for pat in &self.config.include {
            let Ok(paths) = glob::glob(pat) else { continue };
            for p in paths.flatten() {
                if self.exclude.iter().any(|e| e.matches_path(&p)) {
                    continue;
                }
                if p.is_file() && !out.contains(&p) {
                    out.push(p);
                }
            }
        }
        out
    }

    /// Finds new files, rotated files and truncated files.
    fn scan(&mut self) {
        let paths = self.matched_paths();
        let mut seen: Vec<FileId> = Vec::new();
        for path in paths {
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            let id = (meta.dev(), meta.ino());
            seen.push(id);
            if let Some(o) = self.open.iter_mut().find(|o| o.id == id) {
                o.path = path.clone();
                o.rotated = false;
                check_truncation(o, meta.len(), &self.ctx, self.config.format);
                continue;
            }
            if let Err(e) = self.open_file(&path, id, meta.len()) {
                self.ctx
                    .counters
                    .errors
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                tracing::warn!(source = %self.ctx.name, path = %path.display(), error = %e, "cannot open file");
            }
        }
        for o in &mut self.open {
            if !seen.contains(&o.id) && !o.rotated {
                o.rotated = true;
                o.last_data = Instant::now();
                tracing::info!(source = %self.ctx.name, path = %o.path.display(), "file rotated away; reading it to its end");
            }
            if o.rotated {
                // The old file may have been truncated too (copy-truncate
                // of a renamed file is rare, but cheap to check).
                if let Ok(meta) = o.file.metadata() {
                    check_truncation(o, meta.len(), &self.ctx, self.config.format);
                }
            }
        }
        if self.first_scan {
            self.checkpoints
                .loaded
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .retain(|id, _| seen.contains(id));
        }
        self.first_scan = false;
    }

    fn open_file(&mut self, path: &Path, id: FileId, len: u64) -> std::io::Result<()> {
        let mut file = File::open(path)?;
        let (head_len, head_hash) = head_of(&mut file, len)?;
        let saved = self
            .checkpoints
            .loaded
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&id)
            .cloned();
        let start = match saved {
            Some(s)
                if s.offset <= len && s.head_len <= len && {
                    let (_, h) = head_of(&mut file, s.head_len)?;
                    h == s.head_hash || s.head_len == 0
                } =>
            {
                s.offset
            }
            Some(_) => {
                tracing::info!(source = %self.ctx.name, path = %path.display(), "file changed since its checkpoint; reading from the start");
                0
            }
            None if self.first_scan && self.config.read_from == ReadFrom::End => len,
            None => 0,
        };
        file.seek(SeekFrom::Start(start))?;
        let progress = Arc::new(Mutex::new(
            Progress::at(start).notify_on_commit(self.checkpoints.moved.clone()),
        ));
        self.checkpoints
            .files
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(
                id,
                Tracked {
                    path: path.to_path_buf(),
                    progress: progress.clone(),
                    head_len,
                    head_hash: head_hash.clone(),
                },
            );
        let mut lines = Lines::new(self.config.max_line_bytes as usize);
        lines.reset(start);
        tracing::info!(source = %self.ctx.name, path = %path.display(), offset = start, "tailing file");
        self.open.push(Open {
            id,
            path: path.to_path_buf(),
            file,
            read: start,
            lines,
            stream: self.ctx.redactor.stream(self.config.format),
            progress,
            head_len,
            head_hash,
            last_data: Instant::now(),
            rotated: false,
            joining: None,
        });
        Ok(())
    }

    /// Reads what one file has (up to one buffer) and sends it; returns
    /// whether anything was read.
    fn read_some(&mut self, i: usize, buf: &mut [u8]) -> bool {
        let o = &mut self.open[i];
        let n = match o.file.read(buf) {
            Ok(n) => n,
            Err(e) => {
                self.ctx
                    .counters
                    .errors
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                tracing::warn!(source = %self.ctx.name, path = %o.path.display(), error = %e, "read failed");
                return false;
            }
        };
        if n == 0 {
            return false;
        }
        o.read += n as u64;
        o.last_data = Instant::now();
        if o.head_len < HEAD {
            // The head grows with the file until it is complete.
            if let Ok((l, h)) = head_of(&mut o.file, o.read) {
                o.head_len = l;
                o.head_hash = h.clone();
                if let Ok(mut files) = self.checkpoints.files.lock() {
                    if let Some(t) = files.get_mut(&o.id) {
                        t.head_len = l;
                        t.head_hash = h;
                    }
                }
            }
            let _ = o.file.seek(SeekFrom::Start(o.read));
        }
        let mut raw = RawLines::default();
        let ml = self.multiline.as_ref();
        let Open { lines, joining, .. } = o;
        lines.feed(&buf[..n], |item, end| {
            push_item(ml, joining, item, end, &mut raw)
        });
        let out = redact(&mut o.stream, &raw, &self.ctx.counters);
        self.send(i, out);
        true
    }

    /// Sends events (each with the file position after it) in chunks,
    /// each with an ack for its last position.
    fn send(&mut self, i: usize, mut out: Vec<(Event, u64)>) {
        let o = &self.open[i];
        while !out.is_empty() {
            let rest = out.split_off(out.len().min(CHUNK_EVENTS));
            let end = out.last().map_or(0, |e| e.1);
            let seq = o.progress.lock().expect("progress lock").push(end);
            let ack = Ack::progress(o.progress.clone(), seq);
            let events = out.into_iter().map(|(e, _)| e).collect();
            self.handle.block_on(self.ctx.send(events, ack));
            out = rest;
        }
    }

    fn flush_stale_joins(&mut self) {
        let Some(ml) = &self.multiline else { return };
        let timeout = ml.timeout;
        for i in 0..self.open.len() {
            let o = &mut self.open[i];
            if o.joining
                .as_ref()
                .is_some_and(|j| j.at.elapsed() >= timeout)
            {
                let j = o.joining.take().expect("checked");
                let ev = o.stream.event(&j.text, SystemTime::now());
                o.stream.flush_counts();
                self.send(i, vec![(ev, j.end)]);
            }
        }
    }

    /// Closes rotated files that have been read to their end and quiet for
    /// `rotate_wait_ms`; their unfinished last line is sent whole.
    fn close_finished(&mut self) {
        let wait = Duration::from_millis(self.config.rotate_wait_ms);
        let mut i = 0;
        while i < self.open.len() {
            let o = &self.open[i];
            if o.rotated && o.last_data.elapsed() >= wait {
                let mut raw = RawLines::default();
                let ml = self.multiline.as_ref();
                let o = &mut self.open[i];
                let Open { lines, joining, .. } = o;
                lines.finish(|item, end| push_item(ml, joining, item, end, &mut raw));
                if let Some(j) = o.joining.take() {
                    raw.push(&j.text, j.end);
                }
                let out = redact(&mut o.stream, &raw, &self.ctx.counters);
                self.send(i, out);
                let o = self.open.remove(i);
                // Not matched by the globs any more: it is never read
                // again, so its checkpoint entry goes (or the file would
                // grow with every rotation).
                self.checkpoints
                    .files
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .remove(&o.id);
                tracing::info!(source = %self.ctx.name, path = %o.path.display(), "finished rotated file");
                continue;
            }
            i += 1;
        }
    }
}

/// Restarts a file at 0 when it shrank below what was read, or its head
/// changed (copy-truncate, then rewritten past the old position).
fn check_truncation(o: &mut Open, len: u64, ctx: &SourceCtx, format: crate::config::EventFormat) {
    let shrunk = len < o.read;
    let rewritten = !shrunk
        && o.head_len > 0
        && head_of(&mut o.file, o.head_len).is_ok_and(|(_, h)| h != o.head_hash);
    let _ = o.file.seek(SeekFrom::Start(o.read));
    if !(shrunk || rewritten) {
        return;
    }
    tracing::info!(source = %ctx.name, path = %o.path.display(), "file truncated; reading from the start");
    o.read = 0;
    o.lines.reset(0);
    o.joining = None;
    o.stream = ctx.redactor.stream(format);
    o.progress.lock().expect("progress lock").reset(0);
    o.head_len = 0;
    o.head_hash.clear();
    let _ = o.file.seek(SeekFrom::Start(0));
}

/// Redacts one read's raw lines (on every core when there are many; see
/// [`crate::redact`]) and pairs each event with its file position.
fn redact(stream: &mut Stream, raw: &RawLines, counters: &Component) -> Vec<(Event, u64)> {
    if raw.is_empty() {
        return Vec::new();
    }
    let events = stream.events(raw, SystemTime::now(), counters);
    stream.flush_counts();
    events.into_iter().zip(raw.ends()).collect()
}

/// Adds a line to `raw`, joining it to the block being joined when it
/// does not start a new one (multi-line).
fn push_item(
    ml: Option<&Multiline>,
    joining: &mut Option<Joining>,
    item: Item<'_>,
    end: u64,
    raw: &mut RawLines,
) {
    let Some(ml) = ml else {
        match item {
            Item::Line(l) => raw.push(l, end),
            Item::Oversize => raw.push_oversize(end),
        }
        return;
    };
    let line = match item {
        Item::Line(l) => l,
        Item::Oversize => {
            if let Some(j) = joining.take() {
                raw.push(&j.text, j.end);
            }
            raw.push_oversize(end);
            return;
        }
    };
    let starts = ml.start.is_match(line);
    match joining {
        Some(j)
            if !starts && j.lines < ml.max_lines && j.text.len() + line.len() < ml.max_bytes =>
        {
            j.text.push(b'\n');
            j.text.extend_from_slice(line);
            j.lines += 1;
            j.end = end;
            j.at = Instant::now();
        }
        _ => {
            if let Some(j) = joining.take() {
                raw.push(&j.text, j.end);
            }
            *joining = Some(Joining {
                text: line.to_vec(),
                lines: 1,
                end,
                at: Instant::now(),
            });
        }
    }
}

/// Saves a source's checkpoints as soon as a committed position moves (at
/// most every 10 ms; synced to disk at most once a second) until
/// shutdown. Saving on every move is what bounds the lines a killed
/// forwarder sends again to the batches that were in flight.
pub async fn save_periodically(checkpoints: Arc<Checkpoints>, shutdown: crate::shutdown::Signal) {
    let mut last_sync = Instant::now();
    loop {
        tokio::select! {
            () = checkpoints.moved.notified() => {}
            () = tokio::time::sleep(Duration::from_secs(1)) => {}
            () = shutdown.stopped() => return,
        }
        let sync = last_sync.elapsed() >= Duration::from_secs(1);
        if sync {
            last_sync = Instant::now();
        }
        let cp = checkpoints.clone();
        if let Ok(Err(e)) = tokio::task::spawn_blocking(move || cp.save(sync)).await {
            tracing::error!(error = %e, "cannot save checkpoints");
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
