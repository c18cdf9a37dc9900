//! Crypto-shaped values: Bitcoin addresses (base58check, bech32), JWTs
//! (and base64 that decodes to one), and the Shannon entropy generic
//! secrets are judged by.

/// Luhn (mod 10) over the digits; separators are ignored.
/// A Bitcoin address whose checksum holds: base58check with a main- or
/// test-net version byte, or bech32 / bech32m with a `bc` / `tb` prefix.
pub(crate) fn bitcoin_address(value: &[u8]) -> bool {
    let lower = value.to_ascii_lowercase();
    if lower.starts_with(b"bc1") || lower.starts_with(b"tb1") {
        return bech32_valid(&lower);
    }
    base58check_valid(value)
}

pub(super) fn base58check_valid(value: &[u8]) -> bool {
    use sha2::{Digest, Sha256};
    const ALPHABET: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    // Big-endian base-256 accumulator; an address decodes to 25 bytes.
    let mut bytes = [0u8; 25];
    for &c in value {
        let Some(mut carry) = ALPHABET.iter().position(|&a| a == c).map(|d| d as u32) else {
            return false;
        };
        for b in bytes.iter_mut().rev() {
            carry += u32::from(*b) * 58;
            *b = (carry & 0xff) as u8;
            carry >>= 8;
        }
        if carry != 0 {
            return false;
        }
    }
    let leading_ones = value.iter().take_while(|&&c| c == b'1').count();
    let leading_zeros = bytes.iter().take_while(|&&b| b == 0).count();
    if leading_ones != leading_zeros.min(25) && !(leading_ones == 1 && leading_zeros >= 1) {
        return false;
    }
    if !matches!(bytes[0], 0x00 | 0x05 | 0x6f | 0xc4) {
        return false;
    }
    let first = Sha256::digest(&bytes[..21]);
    let second = Sha256::digest(first);
    second[..4] == bytes[21..]
}

pub(super) fn bech32_valid(lower: &[u8]) -> bool {
    const CHARSET: &[u8] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    let Some(sep) = lower.iter().rposition(|&b| b == b'1') else {
        return false;
    };
    let (hrp, data) = (&lower[..sep], &lower[sep + 1..]);
    if data.len() < 7 || !(hrp == b"bc" || hrp == b"tb") {
        return false;
    }
    let mut values = Vec::with_capacity(hrp.len() * 2 + 1 + data.len());
    values.extend(hrp.iter().map(|&c| c >> 5));
    values.push(0);
    values.extend(hrp.iter().map(|&c| c & 31));
    for &c in data {
        match CHARSET.iter().position(|&x| x == c) {
            Some(v) => values.push(v as u8),
            None => return false,
        }
    }
    let mut chk: u32 = 1;
    const GEN: [u32; 5] = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
    for v in values {
        let top = chk >> 25;
        chk = ((chk & 0x1ffffff) << 5) ^ u32::from(v);
        for (i, g) in GEN.iter().enumerate() {
            if (top >> i) & 1 == 1 {
                chk ^= g;
            }
        }
    }
    chk == 1 || chk == 0x2bc8_30a3
}

/// Decodes base64url (or standard base64) without padding checks.
pub(crate) fn base64_decode(input: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(input.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for &b in input {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            b'=' => break,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// A JWT: the header decodes to a JSON object naming its `alg`.
/// A JWT (or JWE) by its shape: a header that decodes to a JSON object,
/// then a dot and a second part (the header need not name `alg`: a JWE
/// header can carry `enc` and key parameters first).
pub(super) fn jwt_shaped(value: &[u8]) -> bool {
    let mut parts = value.split(|&b| b == b'.');
    let header = parts.next().unwrap_or(b"");
    let Some(second) = parts.next() else {
        return false;
    };
    header.starts_with(b"eyJ")
        && second.len() >= 2
        && base64_decode(header).is_some_and(|h| h.trim_ascii().starts_with(b"{\""))
}

pub(crate) fn jwt(value: &[u8]) -> bool {
    let header = value.split(|&b| b == b'.').next().unwrap_or(b"");
    match base64_decode(header) {
        Some(h) => {
            let h = h.trim_ascii();
            h.starts_with(b"{") && memchr::memmem::find(h, b"\"alg\"").is_some()
        }
        None => false,
    }
}

/// Shannon entropy in bits per byte.
pub(crate) fn entropy(value: &[u8]) -> f64 {
    if value.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in value {
        counts[usize::from(b)] += 1;
    }
    let n = value.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod crypto_tests {
    use super::*;

    #[test]
    fn bitcoin_addresses_need_their_checksum() {
        // The genesis block's address, BIP-13 and BIP-173 examples.
        for a in [
            "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
            "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy",
            "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
            "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4",
        ] {
            assert!(bitcoin_address(a.as_bytes()), "{a}");
        }
        for a in [
            "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb",
            "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLz",
            "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdx",
            "1111111111111111111111111111111111",
        ] {
            assert!(!bitcoin_address(a.as_bytes()), "{a}");
        }
    }
}
