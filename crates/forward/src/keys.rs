//! Keyrings: versioned AES-256 keys for encryption at rest.
//!
//! A keyring is a set of numbered versions; the highest one encrypts new
//! data, every version present can decrypt. Versions come from one of:
//!
//! - a folder with one file per version, `<version>.key`, holding 32
//!   random bytes in base64 (`logscrub keys generate --dir DIR` writes the
//!   next one, mode 0600);
//! - an environment variable holding `version:base64key` entries;
//! - a command (a vault client) printing `version base64key` lines.
//!
//! **Rotation**: the keyring is read again when its folder changes
//! (checked at most once a second) and every `refresh_secs`; a new highest
//! version is used for data written from then on. Old versions stay
//! usable for reading for as long as they exist.
//!
//! **Crypto-shredding**: deleting a version (`logscrub keys shred`, which
//! overwrites the file before unlinking it) makes everything encrypted
//! under it unreadable; readers count such data as unreadable and skip
//! it.
//!
//! A key is never logged, printed or put in an error: [`Key`]'s `Debug`
//! prints `**REDACTED**`, and errors name files and version numbers only.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime};

use base64::Engine as _;

use crate::config::KeyringConfig;

/// An AES-256 key.
#[derive(Clone)]
pub struct Key(Arc<[u8; 32]>);

impl Key {
    /// The key bytes, for the one place that uses them.
    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("**REDACTED**")
    }
}

/// A named keyring.
#[derive(Debug)]
pub struct Keyring {
    name: String,
    config: KeyringConfig,
    versions: RwLock<BTreeMap<u64, Key>>,
    checked: Mutex<Checked>,
}

#[derive(Debug)]
struct Checked {
    at: Instant,
    full_at: Instant,
    dir_mtime: Option<SystemTime>,
}

fn parse_key(text: &str, what: &str) -> anyhow::Result<Key> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .map_err(|_| anyhow::anyhow!("{what} is not base64"))?;
    let arr: [u8; 32] = bytes
        .try_into()
        .map_err(|_| anyhow::anyhow!("{what} is not 32 bytes (AES-256)"))?;
    Ok(Key(Arc::new(arr)))
}

/// `version:key` or `version key` entries, separated by commas, spaces or
/// newlines.
fn parse_entries(text: &str, origin: &str) -> anyhow::Result<BTreeMap<u64, Key>> {
    let mut out = BTreeMap::new();
    let normalized = text.replace(':', " ").replace(',', "\n");
    for (n, line) in normalized.lines().enumerate() {
        let mut parts = line.split_whitespace();
        let (Some(v), Some(k)) = (parts.next(), parts.next()) else {
            if line.trim().is_empty() {
                continue;
            }
            anyhow::bail!("{origin}: entry {} is not `version key`", n + 1);
        };
        let version: u64 = v
            .parse()
            .map_err(|_| anyhow::anyhow!("{origin}: `{v}` is not a version number"))?;
        out.insert(
            version,
            parse_key(k, &format!("{origin}: version {version}"))?,
        );
    }
    Ok(out)
}

fn key_file(dir: &Path, version: u64) -> PathBuf {
    dir.join(format!("{version}.key"))
}

fn read_dir_versions(dir: &Path) -> anyhow::Result<BTreeMap<u64, Key>> {
    let mut out = BTreeMap::new();
    let entries = std::fs::read_dir(dir)
        .map_err(|e| anyhow::anyhow!("cannot read key folder {}: {e}", dir.display()))?;
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(v) = name
            .strip_suffix(".key")
            .and_then(|v| v.parse::<u64>().ok())
        else {
            continue;
        };
        let text = std::fs::read_to_string(e.path())
            .map_err(|err| anyhow::anyhow!("cannot read {}: {err}", e.path().display()))?;
        out.insert(v, parse_key(&text, &e.path().display().to_string())?);
    }
    Ok(out)
}

/// How long a keyring's `command` may run before it is killed and the read
/// fails (the versions known so far stay in force).
pub(crate) const KEY_COMMAND_TIMEOUT: Duration = Duration::from_secs(10);

/// Runs a key command with no input and its errors discarded; its exit
/// status and standard output, or an error if it cannot start or outlives
/// `timeout` (then it is killed).
fn run_key_command(
    cmd: &[String],
    timeout: Duration,
) -> anyhow::Result<(std::process::ExitStatus, Vec<u8>)> {
    use std::io::Read;
    let mut child = std::process::Command::new(&cmd[0])
        .args(&cmd[1..])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| anyhow::anyhow!("cannot run {}: {e}", cmd[0]))?;
    let mut pipe = child.stdout.take().expect("stdout is piped");
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = pipe.read_to_end(&mut out);
        out
    });
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait()? {
            let out = reader.join().unwrap_or_default();
            return Ok((status, out));
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            anyhow::bail!(
                "{} did not finish within {} s and was stopped",
                cmd[0],
                timeout.as_secs()
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

impl Keyring {
    /// Reads a keyring. It must hold at least one version.
    pub fn load(name: &str, config: &KeyringConfig) -> anyhow::Result<Keyring> {
        let ring = Keyring {
            name: name.to_owned(),
            config: config.clone(),
            versions: RwLock::new(BTreeMap::new()),
            checked: Mutex::new(Checked {
                at: Instant::now(),
                full_at: Instant::now(),
                dir_mtime: None,
            }),
        };
        let versions = ring.read()?;
        if versions.is_empty() {
            anyhow::bail!(
                "keys.{name}: no key versions found{}",
                match &config.dir {
                    Some(d) => format!(
                        " in {} (create one with `logscrub keys generate --dir {}`)",
                        d.display(),
                        d.display()
                    ),
                    None => String::new(),
                }
            );
        }
        *ring.versions.write().expect("keyring lock") = versions;
        ring.checked.lock().expect("keyring lock").dir_mtime = ring.dir_mtime();
        Ok(ring)
    }

    /// The keyring's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The folder, for folder keyrings.
    pub fn dir(&self) -> Option<&Path> {
        self.config.dir.as_deref()
    }

    fn dir_mtime(&self) -> Option<SystemTime> {
        let dir = self.config.dir.as_ref()?;
        std::fs::metadata(dir).and_then(|m| m.modified()).ok()
    }

    fn read(&self) -> anyhow::Result<BTreeMap<u64, Key>> {
        let name = &self.name;
        if let Some(dir) = &self.config.dir {
            return read_dir_versions(dir);
        }
        if let Some(var) = &self.config.env {
            let text = std::env::var(var).map_err(|_| {
                anyhow::anyhow!("keys.{name}: environment variable {var} is not set")
            })?;
            return parse_entries(&text, &format!("keys.{name} (${var})"));
        }
        if let Some(cmd) = self.config.command.as_ref().filter(|c| !c.is_empty()) {
            let (status, stdout) = run_key_command(cmd, KEY_COMMAND_TIMEOUT)
                .map_err(|e| anyhow::anyhow!("keys.{name}: {e}"))?;
            if !status.success() {
                anyhow::bail!("keys.{name}: {} exited with {status}", cmd[0]);
            }
            return parse_entries(
                &String::from_utf8_lossy(&stdout),
                &format!("keys.{name} (output of {})", cmd[0]),
            );
        }
        anyhow::bail!("keys.{name}: give one of dir, env, command")
    }

    /// Reads the keyring again if its folder changed (checked at most once
    /// a second) or `refresh_secs` passed. Returns whether the versions
    /// changed. A failed read keeps the versions known so far.
    pub fn refresh_if_due(&self) -> bool {
        let mut checked = self.checked.lock().expect("keyring lock");
        if checked.at.elapsed() < Duration::from_secs(1) {
            return false;
        }
        checked.at = Instant::now();
        let mtime = self.dir_mtime();
        let full =
            checked.full_at.elapsed() >= Duration::from_secs(self.config.refresh_secs.max(1));
        if !full && mtime == checked.dir_mtime {
            return false;
        }
        checked.full_at = Instant::now();
        checked.dir_mtime = mtime;
        drop(checked);
        self.reload()
    }

    /// Reads the keyring now; returns whether the versions changed.
    pub fn reload(&self) -> bool {
        match self.read() {
            Ok(new) => {
                let mut cur = self.versions.write().expect("keyring lock");
                let changed = new.keys().ne(cur.keys());
                if changed {
                    tracing::info!(
                        keyring = %self.name,
                        versions = ?new.keys().collect::<Vec<_>>(),
                        "keyring changed"
                    );
                }
                // Versions deleted (shredded) are gone for reading too.
                *cur = new;
                changed
            }
            Err(e) => {
                tracing::error!(keyring = %self.name, error = %e, "cannot read keyring; keeping the versions known so far");
                false
            }
        }
    }

    /// The version new data is encrypted with.
    pub fn current(&self) -> Option<(u64, Key)> {
        let v = self.versions.read().expect("keyring lock");
        v.iter().next_back().map(|(n, k)| (*n, k.clone()))
    }

    /// A version, if it exists.
    pub fn get(&self, version: u64) -> Option<Key> {
        self.versions
            .read()
            .expect("keyring lock")
            .get(&version)
            .cloned()
    }

    /// The versions present.
    pub fn versions(&self) -> Vec<u64> {
        self.versions
            .read()
            .expect("keyring lock")
            .keys()
            .copied()
            .collect()
    }
}

/// Writes the next version (highest + 1) of a folder keyring: 32 bytes
/// from the OS's random source, base64, mode 0600. Returns the version.
pub fn generate(dir: &Path) -> anyhow::Result<(u64, PathBuf)> {
    use aes_gcm::aead::{KeyInit, OsRng};
    std::fs::create_dir_all(dir)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
    let existing = read_dir_versions(dir)?;
    // Shredded versions leave a tombstone: a number is never reused, so
    // "version 3" always means the same key.
    let shredded = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .filter_map(|e| {
                    e.file_name()
                        .to_str()?
                        .strip_suffix(".shredded")?
                        .parse::<u64>()
                        .ok()
                })
                .max()
        })
        .ok()
        .flatten();
    let version = existing
        .keys()
        .next_back()
        .copied()
        .max(shredded)
        .map_or(1, |v| v + 1);
    let key = aes_gcm::Aes256Gcm::generate_key(OsRng);
    let path = key_file(dir, version);
    let tmp = dir.join(format!(".{version}.key.tmp"));
    {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let mut f = std::fs::OpenOptions::new()
            .create_new(true)
            .write(true)
            .mode(0o600)
            .open(&tmp)
            .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", tmp.display()))?;
        f.write_all(
            base64::engine::general_purpose::STANDARD
                .encode(key)
                .as_bytes(),
        )?;
        f.write_all(b"\n")?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, &path)?;
    sync_dir(dir);
    Ok((version, path))
}

/// Deletes a version of a folder keyring: the file is overwritten with
/// zeros and synced before it is unlinked, and an empty `<version>.shredded`
/// tombstone keeps the number from being reused (on file systems that write in
/// place this removes the key bytes; on copy-on-write or journaled data
/// the operator's storage policy decides what else holds a copy).
pub fn shred(dir: &Path, version: u64) -> anyhow::Result<PathBuf> {
    let path = key_file(dir, version);
    let len = std::fs::metadata(&path)
        .map_err(|e| anyhow::anyhow!("no key version {version} in {}: {e}", dir.display()))?
        .len();
    {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new().write(true).open(&path)?;
        f.write_all(&vec![0u8; len as usize])?;
        f.sync_all()?;
    }
    std::fs::remove_file(&path)?;
    std::fs::write(dir.join(format!("{version}.shredded")), b"")?;
    sync_dir(dir);
    Ok(path)
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_keyrings_rotate_and_shred() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = KeyringConfig {
            dir: Some(dir.path().to_path_buf()),
            env: None,
            command: None,
            refresh_secs: 60,
        };
        assert!(Keyring::load("k", &cfg)
            .unwrap_err()
            .to_string()
            .contains("keys generate"));
        assert_eq!(generate(dir.path()).unwrap().0, 1);
        let ring = Keyring::load("k", &cfg).unwrap();
        assert_eq!(ring.current().unwrap().0, 1);
        assert_eq!(generate(dir.path()).unwrap().0, 2);
        assert!(ring.reload());
        assert_eq!(ring.current().unwrap().0, 2);
        assert!(ring.get(1).is_some());
        shred(dir.path(), 1).unwrap();
        assert!(ring.reload());
        assert!(ring.get(1).is_none());
        shred(dir.path(), 2).unwrap();
        assert_eq!(
            generate(dir.path()).unwrap().0,
            3,
            "numbers are never reused"
        );
        assert!(ring.reload());
        assert_eq!(format!("{:?}", ring.get(3).unwrap()), "**REDACTED**");
    }

    #[test]
    fn command_keyrings_read_the_programs_output() {
        let k = base64::engine::general_purpose::STANDARD.encode([3u8; 32]);
        let cfg = KeyringConfig {
            dir: None,
            env: None,
            command: Some(vec![
                "sh".into(),
                "-c".into(),
                format!("echo 4 {k}; echo 5 {k}"),
            ]),
            refresh_secs: 60,
        };
        let ring = Keyring::load("vault", &cfg).unwrap();
        assert_eq!(ring.versions(), vec![4, 5]);
        assert_eq!(ring.current().unwrap().0, 5);
        let bad = KeyringConfig {
            command: Some(vec!["sh".into(), "-c".into(), "exit 3".into()]),
            ..cfg
        };
        assert!(Keyring::load("vault", &bad)
            .unwrap_err()
            .to_string()
            .contains("exited"));
    }

    #[test]
    fn a_key_command_that_hangs_is_stopped_at_its_timeout() {
        let started = Instant::now();
        let cmd: Vec<String> = vec!["sh".into(), "-c".into(), "sleep 30".into()];
        let e = run_key_command(&cmd, Duration::from_millis(300)).unwrap_err();
        assert!(e.to_string().contains("did not finish within"), "{e}");
        assert!(started.elapsed() < Duration::from_secs(10));
        let echo: Vec<String> = vec!["sh".into(), "-c".into(), "echo hi".into()];
        let (status, out) = run_key_command(&echo, Duration::from_secs(10)).unwrap();
        assert!(status.success());
        assert_eq!(out, b"hi\n");
    }

    #[test]
    fn env_entries_parse_and_bad_ones_name_the_entry_not_the_key() {
        let k = base64::engine::general_purpose::STANDARD.encode([7u8; 32]);
        let m = parse_entries(&format!("1:{k}, 2:{k}"), "env").unwrap();
        assert_eq!(m.keys().copied().collect::<Vec<_>>(), vec![1, 2]);
        let e = parse_entries("3:c2VjcmV0LWJ1dC1zaG9ydA==", "env")
            .unwrap_err()
            .to_string();
        assert!(e.contains("version 3") && !e.contains("c2VjcmV0"), "{e}");
    }
}
