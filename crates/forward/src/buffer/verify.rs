//! `logscrub buffer verify`: what is readable in a buffer directory,
//! segment by segment, without starting a sink.

use super::*;

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
