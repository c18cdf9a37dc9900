//! Sizes written as numbers or with units (`"64KiB"`, `"10MB"`).

use super::*;

/// A size: a number of bytes or a string such as `"64KiB"`, `"10MB"`,
/// `"1GiB"`.
pub fn byte_size<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        N(u64),
        S(String),
    }
    match Raw::deserialize(d)? {
        Raw::N(n) => Ok(n),
        Raw::S(s) => parse_size(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{s}` is not a size (examples: 1048576, \"64KiB\", \"10MB\", \"1GiB\")"
            ))
        }),
    }
}

pub(super) fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let split = s
        .find(|c: char| !c.is_ascii_digit() && c != '_')
        .unwrap_or(s.len());
    let n: u64 = s[..split].replace('_', "").parse().ok()?;
    let mult: u64 = match s[split..].trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "kib" => 1 << 10,
        "m" | "mb" => 1_000_000,
        "mib" => 1 << 20,
        "g" | "gb" => 1_000_000_000,
        "gib" => 1 << 30,
        _ => return None,
    };
    n.checked_mul(mult)
}
