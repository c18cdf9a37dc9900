//! The on-disk format: a segment's header, record frames (magic, index,
//! length, CRC-32, payload), the nonce and associated data of each
//! record, and the block of events a payload holds once decrypted.

use super::*;

pub(super) const SEG_MAGIC: &[u8; 6] = b"LSBUF\x01";

pub(super) const REC_MAGIC: &[u8; 4] = b"LSRC";

pub(super) const REC_HEAD: usize = 4 + 8 + 4 + 4;

/// Records of one event are at most this long (events are bounded by the
/// engine's `max_event_bytes` well before this).
pub(super) const MAX_RECORD: u32 = 64 << 20;

/// A segment's header.
#[derive(Debug, Clone)]
pub struct Header {
    /// Segment id (increasing).
    pub id: u64,
    /// Keyring name.
    pub ring: String,
    /// Key version.
    pub version: u64,
    pub(super) salt: [u8; 32],
}

impl Header {
    pub(super) fn encode(&self) -> Vec<u8> {
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
    pub(super) fn decode(b: &[u8]) -> Option<(Header, usize)> {
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

    pub(super) fn cipher(&self, key: &crate::keys::Key) -> Aes256Gcm {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(key.bytes()).expect("HMAC takes any key");
        mac.update(b"logscrub-buffer-v1");
        mac.update(&self.id.to_le_bytes());
        mac.update(&self.salt);
        let k = mac.finalize().into_bytes();
        Aes256Gcm::new_from_slice(&k).expect("32-byte key")
    }
}

pub(super) fn nonce(index: u64) -> [u8; 12] {
    let mut n = [0u8; 12];
    n[..8].copy_from_slice(&index.to_le_bytes());
    n
}

pub(super) fn aad(id: u64, index: u64) -> [u8; 16] {
    let mut a = [0u8; 16];
    a[..8].copy_from_slice(&id.to_le_bytes());
    a[8..].copy_from_slice(&index.to_le_bytes());
    a
}

/// Most plaintext bytes in one record: a chunk larger than this (huge
/// events) is split over several records.
pub(super) const BLOCK_BYTES: usize = 4 << 20;

/// Appends one event to a block: `ns u64 | json u8 | len u32 | message`.
pub(super) fn encode_event(ev: &Event, out: &mut Vec<u8>) {
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
pub(super) fn start_block(source: &str, out: &mut Vec<u8>) {
    let src = &source.as_bytes()[..source.len().min(u16::MAX as usize)];
    out.extend_from_slice(&(src.len() as u16).to_le_bytes());
    out.extend_from_slice(src);
}

/// A decrypted block: its source and events.
pub(super) fn decode_block(b: &[u8]) -> Option<(String, Vec<Event>)> {
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
