//! Sealed blocks: self-contained encrypted records for files others read
//! (the `file` sink's `encrypt_key`). Each block carries its keyring name,
//! key version and a random 32-byte salt; its key is derived from the
//! version key and the salt (so nonce 0 is never reused under a key), and
//! a file is any number of blocks back to back. `logscrub decrypt` reads
//! them.
//!
//! `magic "LSFB\x01" | version u64 | ring len u16 | ring | salt[32] | len u32
//! | crc32 (of everything before and the ciphertext) | ciphertext`.

use super::*;

const MAGIC: &[u8; 5] = b"LSFB\x01";
const AAD: &[u8] = b"logscrub-file-v1";

fn cipher(key: &crate::keys::Key, salt: &[u8; 32]) -> Aes256Gcm {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key.bytes()).expect("HMAC takes any key");
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
