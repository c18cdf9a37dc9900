//! `logscrub keys ...` and `logscrub buffer verify`: key versions, crypto-
//! shredding, and what the disk buffers still hold and can still read.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use logscrub_forward::config::BufferKind;
use logscrub_forward::keys::Keyring;
use logscrub_forward::{buffer, keys, Config};

use crate::Failure;

pub(crate) fn generate(dir: &Path) -> Result<(), Failure> {
    let (version, path) = keys::generate(dir).map_err(Failure::runtime)?;
    println!("created {} (version {version})", path.display());
    Ok(())
}

fn load(config: &Path) -> Result<(Config, BTreeMap<String, Arc<Keyring>>), Failure> {
    let config = Config::load(config).map_err(Failure::config)?;
    let rings = logscrub_forward::load_keyrings(&config).map_err(Failure::config)?;
    Ok((config, rings))
}

/// Disk-buffered sinks: (name, buffer folder).
fn buffers(config: &Config) -> Vec<(String, std::path::PathBuf)> {
    config
        .sinks
        .iter()
        .filter(|(_, s)| s.common.buffer.kind == BufferKind::Disk)
        .map(|(n, _)| (n.clone(), config.data_dir.join("buffers").join(n)))
        .collect()
}

pub(crate) fn list(config: &Path) -> Result<(), Failure> {
    let (config, rings) = load(config)?;
    let mut needed: BTreeMap<(String, u64), usize> = BTreeMap::new();
    for (_, dir) in buffers(&config) {
        for r in buffer::verify(&dir, &rings) {
            if let Some(k) = r.key {
                *needed.entry(k).or_default() += 1;
            }
        }
    }
    for (name, ring) in &rings {
        let versions = ring.versions();
        let current = versions.last().copied();
        for v in &versions {
            let segs = needed.get(&(name.clone(), *v)).copied().unwrap_or(0);
            println!(
                "{name}/{v}{}  segments: {segs}",
                if Some(*v) == current {
                    "  (current)"
                } else {
                    ""
                }
            );
        }
        for ((n, v), segs) in &needed {
            if n == name && !versions.contains(v) {
                println!("{name}/{v}  MISSING  segments: {segs} (unreadable)");
            }
        }
    }
    Ok(())
}

pub(crate) fn shred(config: &Path, key: &str) -> Result<(), Failure> {
    let (config, rings) = load(config)?;
    let (name, version) = match key.split_once('/') {
        Some((n, v)) => (
            n,
            Some(v.parse::<u64>().map_err(|_| {
                Failure::config(anyhow::anyhow!(
                    "`{v}` is not a version number (use RING/VERSION or RING)"
                ))
            })?),
        ),
        None => (key, None),
    };
    let ring = rings
        .get(name)
        .ok_or_else(|| Failure::config(anyhow::anyhow!("no keyring `{name}` in [keys.*]")))?;
    let Some(dir) = ring.dir() else {
        return Err(Failure::config(anyhow::anyhow!(
            "keys.{name} is not a folder keyring: shred its versions where they are kept (env or vault), then restart"
        )));
    };
    let versions = match version {
        Some(v) => vec![v],
        None => ring.versions(),
    };
    // Count what becomes unreadable while it still can be read.
    let mut lost = 0;
    for (sink, dir) in buffers(&config) {
        for r in buffer::verify(&dir, &rings) {
            if r.key
                .as_ref()
                .is_some_and(|(n, v)| n == name && versions.contains(v))
            {
                lost += r.events;
                println!(
                    "  {sink}: {} becomes unreadable ({} events)",
                    r.path.display(),
                    r.events
                );
            }
        }
    }
    for v in versions {
        let path = keys::shred(dir, v).map_err(Failure::runtime)?;
        println!("shredded {name}/{v} ({})", path.display());
    }
    println!("{lost} buffered events can no longer be read");
    Ok(())
}

pub(crate) fn verify(config: &Path) -> Result<(), Failure> {
    let (config, rings) = load(config)?;
    let mut damaged = false;
    for (sink, dir) in buffers(&config) {
        let reports = buffer::verify(&dir, &rings);
        let ok: u64 = reports.iter().map(|r| r.events).sum();
        println!("{sink}: {} segments, {ok} readable events", reports.len());
        for r in reports {
            let key = r
                .key
                .as_ref()
                .map_or("?".to_string(), |(n, v)| format!("{n}/{v}"));
            if r.bad_header || r.unreadable > 0 || r.corrupt > 0 {
                damaged = true;
                println!(
                    "  {}  key {key}: {} events readable; {} blocks UNREADABLE, {} damaged spans{}",
                    r.path.display(),
                    r.events,
                    r.unreadable,
                    r.corrupt,
                    if r.bad_header { ", header damaged" } else { "" }
                );
            } else {
                println!(
                    "  {}  key {key}: {} events readable",
                    r.path.display(),
                    r.events
                );
            }
        }
    }
    if damaged {
        return Err(Failure::runtime(anyhow::anyhow!(
            "some buffered data is unreadable or damaged (see above); the forwarder counts and skips it"
        )));
    }
    Ok(())
}

/// Prints the plaintext of files an encrypting `file` sink wrote.
pub(crate) fn decrypt(config: &Path, files: &[std::path::PathBuf]) -> Result<(), Failure> {
    use std::io::{Read, Write};
    let (_, rings) = load(config)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut failed = 0;
    for f in files {
        let data = std::fs::read(f)
            .map_err(|e| Failure::runtime(anyhow::anyhow!("cannot read {}: {e}", f.display())))?;
        for block in buffer::sealed::open_all(&data, &rings) {
            match block {
                Ok(plain) if plain.starts_with(&[0x1f, 0x8b]) => {
                    let mut text = Vec::new();
                    flate2::read::MultiGzDecoder::new(&plain[..])
                        .read_to_end(&mut text)
                        .map_err(Failure::runtime)?;
                    out.write_all(&text).map_err(Failure::runtime)?;
                }
                Ok(plain) => out.write_all(&plain).map_err(Failure::runtime)?,
                Err(why) => {
                    failed += 1;
                    eprintln!("logscrub: {}: {why}", f.display());
                }
            }
        }
    }
    if failed > 0 {
        return Err(Failure::runtime(anyhow::anyhow!(
            "{failed} blocks could not be read"
        )));
    }
    Ok(())
}
