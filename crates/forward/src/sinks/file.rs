//! `file` and `console` sinks.
//!
//! The file sink appends each batch with one `write` and, with
//! `fsync = true`, syncs before acknowledging (so an acknowledged event
//! survives a power cut, not just a process crash). The path is a template
//! (`%Y %m %d %H` in UTC), so a new file starts each day or hour; with
//! `max_file_bytes`, a file that would grow past the limit is renamed to
//! `<path>.<unix-millis>` (`-N` added if that exists) and a new one
//! started.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use serde::Deserialize;

use super::{Batch, BoxFuture, Outcome, Service};
use crate::config::{byte_size, Common, Compression};
use crate::event::{write_record, Event};

/// How events are written.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// One JSON object per line (see the crate docs for its fields).
    #[default]
    Ndjson,
    /// The redacted message alone, one per line.
    Text,
}

/// `type = "file"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSinkConfig {
    /// Output path; `%Y`, `%m`, `%d`, `%H` are replaced (UTC).
    pub path: PathBuf,
    /// Line encoding.
    #[serde(default)]
    pub encoding: Encoding,
    /// Rotate a file before it would exceed this size.
    #[serde(default, deserialize_with = "opt_size")]
    pub max_file_bytes: Option<u64>,
    /// `fsync` each batch before acknowledging it.
    #[serde(default)]
    pub fsync: bool,
    /// Encrypt the output with this keyring (`[keys.NAME]`): each batch is
    /// written as one sealed block; `logscrub decrypt` reads the file.
    pub encrypt_key: Option<String>,
}

fn opt_size<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    byte_size(d).map(Some)
}

/// `type = "console"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsoleSinkConfig {
    /// Line encoding.
    #[serde(default)]
    pub encoding: Encoding,
}

fn encode(enc: Encoding, ev: &Event, source: &str, out: &mut Vec<u8>) {
    match enc {
        Encoding::Ndjson => write_record(ev, source, out),
        Encoding::Text => {
            // One event, one line: embedded newlines (joined multi-line
            // events) are escaped so a reader can split on `\n`.
            for (i, part) in ev.message.split('\n').enumerate() {
                if i > 0 {
                    out.extend_from_slice(b"\\n");
                }
                out.extend_from_slice(part.as_bytes());
            }
        }
    }
}

/// Appends to local files.
///
/// The write (gzip, sealing, the write itself, `fsync`, a keyring refresh
/// that may run a key command) is blocking work: it runs on tokio's
/// blocking pool, never on a worker thread that other tasks share.
#[derive(Debug)]
pub struct FileSink {
    inner: Arc<Writer>,
}

#[derive(Debug)]
struct Writer {
    config: FileSinkConfig,
    encrypt: Option<Arc<crate::keys::Keyring>>,
    gzip: bool,
    state: Mutex<Option<Open>>,
}

#[derive(Debug)]
struct Open {
    path: PathBuf,
    file: File,
    size: u64,
}

impl FileSink {
    /// Checks the settings; opens nothing yet.
    pub fn new(
        config: &FileSinkConfig,
        common: &Common,
        keyrings: &std::collections::BTreeMap<String, Arc<crate::keys::Keyring>>,
    ) -> anyhow::Result<FileSink> {
        if config.path.as_os_str().is_empty() {
            anyhow::bail!("path is empty");
        }
        let encrypt = match &config.encrypt_key {
            Some(k) => Some(keyrings.get(k).cloned().ok_or_else(|| {
                anyhow::anyhow!("encrypt_key names `{k}`, which is not a [keys.*] table")
            })?),
            None => None,
        };
        Ok(FileSink {
            inner: Arc::new(Writer {
                config: config.clone(),
                encrypt,
                gzip: common.compression == Compression::Gzip,
                state: Mutex::new(None),
            }),
        })
    }
}

impl Writer {
    fn write(&self, mut body: Vec<u8>) -> std::io::Result<()> {
        let path = render_path(&self.config.path, SystemTime::now());
        if self.gzip {
            // Each batch is a complete gzip member; concatenated members
            // are one valid gzip file.
            body = super::util::http::compress(body, Compression::Gzip);
        }
        if let Some(ring) = &self.encrypt {
            ring.refresh_if_due();
            body = crate::buffer::sealed::seal(ring, body).map_err(std::io::Error::other)?;
        }
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let reopen = state.as_ref().is_none_or(|o| o.path != path);
        if reopen {
            *state = Some(open(&path)?);
        }
        let open_file = state.as_mut().expect("opened above");
        if let Some(max) = self.config.max_file_bytes {
            if open_file.size > 0 && open_file.size + body.len() as u64 > max {
                let millis = SystemTime::now()
                    .duration_since(SystemTime::UNIX_EPOCH)
                    .map_or(0, |d| d.as_millis());
                // Never rename onto an existing file: two rotations in one
                // millisecond would replace (lose) the first.
                let mut n = 0u32;
                let rotated = loop {
                    let mut r = path.clone().into_os_string();
                    r.push(format!(".{millis}"));
                    if n > 0 {
                        r.push(format!("-{n}"));
                    }
                    let r = PathBuf::from(r);
                    if !r.exists() {
                        break r;
                    }
                    n += 1;
                };
                std::fs::rename(&path, &rotated)?;
                *open_file = open(&path)?;
            }
        }
        open_file.file.write_all(&body)?;
        if self.config.fsync {
            open_file.file.sync_data()?;
        }
        open_file.size += body.len() as u64;
        Ok(())
    }
}

fn open(path: &PathBuf) -> std::io::Result<Open> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let file = OpenOptions::new().create(true).append(true).open(path)?;
    let size = file.metadata()?.len();
    Ok(Open {
        path: path.clone(),
        file,
        size,
    })
}

/// Replaces `%Y %m %d %H` (UTC) in `template`.
pub fn render_path(template: &std::path::Path, now: SystemTime) -> PathBuf {
    let s = template.to_string_lossy();
    if !s.contains('%') {
        return template.to_path_buf();
    }
    // `YYYY-MM-DDTHH:MM:SSZ`, UTC.
    let t = humantime::format_rfc3339_seconds(now).to_string();
    PathBuf::from(
        s.replace("%Y", &t[0..4])
            .replace("%m", &t[5..7])
            .replace("%d", &t[8..10])
            .replace("%H", &t[11..13]),
    )
}

impl Service for FileSink {
    fn encode(&self, ev: &Event, source: &str, out: &mut Vec<u8>) {
        encode(self.inner.config.encoding, ev, source, out);
    }

    fn send<'a>(&'a self, batch: &'a Batch) -> BoxFuture<'a, Outcome> {
        Box::pin(async move {
            let body = batch.ndjson();
            let writer = Arc::clone(&self.inner);
            let written = tokio::task::spawn_blocking(move || writer.write(body))
                .await
                .unwrap_or_else(|e| Err(std::io::Error::other(e)));
            match written {
                Ok(()) => Outcome::Done,
                Err(e) => Outcome::Retry {
                    after: None,
                    reason: format!("cannot write {}: {e}", self.inner.config.path.display()),
                },
            }
        })
    }

    fn ordered(&self) -> bool {
        true
    }

    fn healthcheck(&self) -> BoxFuture<'_, anyhow::Result<()>> {
        Box::pin(async move {
            let path = render_path(&self.inner.config.path, SystemTime::now());
            open(&path).map_err(|e| anyhow::anyhow!("cannot open {}: {e}", path.display()))?;
            Ok(())
        })
    }
}

/// Writes to standard output.
#[derive(Debug)]
pub struct ConsoleSink {
    encoding: Encoding,
}

impl ConsoleSink {
    /// A console sink.
    pub fn new(config: &ConsoleSinkConfig) -> ConsoleSink {
        ConsoleSink {
            encoding: config.encoding,
        }
    }
}

impl Service for ConsoleSink {
    fn encode(&self, ev: &Event, source: &str, out: &mut Vec<u8>) {
        encode(self.encoding, ev, source, out);
    }

    fn send<'a>(&'a self, batch: &'a Batch) -> BoxFuture<'a, Outcome> {
        Box::pin(async move {
            let body = batch.ndjson();
            let res = {
                let mut out = std::io::stdout().lock();
                out.write_all(&body).and_then(|()| out.flush())
            };
            match res {
                Ok(()) => Outcome::Done,
                Err(e) => Outcome::Retry {
                    after: None,
                    reason: format!("cannot write to stdout: {e}"),
                },
            }
        })
    }

    fn ordered(&self) -> bool {
        true
    }

    fn healthcheck(&self) -> BoxFuture<'_, anyhow::Result<()>> {
        Box::pin(async { Ok(()) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_templates_use_utc_dates() {
        // 2026-11-29T06:15:12Z
        let t = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_795_932_912);
        let p = render_path(std::path::Path::new("/x/app-%Y-%m-%d-%H.log"), t);
        assert_eq!(p, PathBuf::from("/x/app-2026-11-29-06.log"));
        let leap = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(951_782_400);
        let p = render_path(std::path::Path::new("%Y%m%d"), leap);
        assert_eq!(p, PathBuf::from("20000229"));
    }

    /// A write that blocks (here: opening a FIFO nobody reads yet; in life a
    /// slow disk, `fsync`, a key command) must not stall the runtime's
    /// other tasks: on a single-threaded runtime a ticker keeps ticking.
    #[cfg(unix)]
    #[tokio::test(flavor = "current_thread")]
    async fn a_blocking_write_does_not_stall_the_runtime() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::time::Duration;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("out.fifo");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let cfg: FileSinkConfig = toml::from_str(&format!("path = {:?}", fifo)).unwrap();
        let common: Common = toml::from_str("inputs = [\"app\"]").unwrap();
        let sink = FileSink::new(&cfg, &common, &Default::default()).unwrap();
        let path = fifo.clone();
        let reader = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            std::fs::read(path).unwrap()
        });
        let ticks = Arc::new(AtomicUsize::new(0));
        let t = Arc::clone(&ticks);
        let ticker = tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(10)).await;
                t.fetch_add(1, Ordering::Relaxed);
            }
        });
        let outcome = sink.send(&Batch::default()).await;
        assert!(matches!(outcome, Outcome::Done));
        let during = ticks.load(Ordering::Relaxed);
        ticker.abort();
        drop(sink); // closes the FIFO: the reader sees its end
        reader.join().unwrap();
        assert!(
            during >= 5,
            "the runtime stalled during the write ({during} ticks)"
        );
    }
}
