//! Generators of format-valid, obviously fake sensitive values, one per
//! family, for tests. Nothing here is a real credential: tokens are random
//! filler with the right prefix, length and checksum.

#![allow(dead_code)]

/// A small deterministic PRNG (xorshift64*), so failures reproduce.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
    pub fn chars(&mut self, alphabet: &str, n: usize) -> String {
        let a: Vec<char> = alphabet.chars().collect();
        (0..n).map(|_| *self.pick(&a)).collect()
    }
    pub fn digits(&mut self, n: usize) -> String {
        self.chars("0123456789", n)
    }
}

pub const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const B64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64URL: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn luhn_complete(prefix: &str, len: usize, rng: &mut Rng) -> String {
    let mut s = prefix.to_string();
    while s.len() < len - 1 {
        s.push_str(&rng.digits(1));
    }
    for check in 0..10 {
        let cand = format!("{s}{check}");
        let sum: u32 = cand
            .bytes()
            .rev()
            .enumerate()
            .map(|(i, b)| {
                let d = u32::from(b - b'0');
                if i % 2 == 1 {
                    let x = d * 2;
                    if x > 9 {
                        x - 9
                    } else {
                        x
                    }
                } else {
                    d
                }
            })
            .sum();
        if sum % 10 == 0 {
            return cand;
        }
    }
    unreachable!()
}

fn group(s: &str, sizes: &[usize], sep: &str) -> String {
    let mut out = Vec::new();
    let mut at = 0;
    for &n in sizes {
        out.push(&s[at..at + n]);
        at += n;
    }
    out.join(sep)
}

pub fn card(rng: &mut Rng) -> String {
    let (prefix, len): (&str, usize) = *rng.pick(&[
        ("4", 16),
        ("51", 16),
        ("55", 16),
        ("2221", 16),
        ("2720", 16),
        ("34", 15),
        ("37", 15),
        ("6011", 16),
        ("65", 16),
        ("3528", 16),
        ("3589", 16),
        ("36", 14),
        ("300", 14),
    ]);
    let n = luhn_complete(prefix, len, rng);
    let sep = *rng.pick(&["", " ", "-"]);
    if sep.is_empty() {
        return n;
    }
    match len {
        16 => group(&n, &[4, 4, 4, 4], sep),
        15 => group(&n, &[4, 6, 5], sep),
        _ => group(&n, &[4, 6, 4], sep),
    }
}

pub fn iban(rng: &mut Rng) -> String {
    let (cc, bban_len): (&str, usize) = *rng.pick(&[
        ("DE", 18),
        ("GB", 18),
        ("FR", 23),
        ("NL", 14),
        ("ES", 20),
        ("IT", 23),
        ("BE", 12),
        ("CH", 17),
        ("NO", 11),
        ("PL", 24),
    ]);
    let bban: String = match cc {
        "GB" => format!(
            "{}{}",
            rng.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 4),
            rng.digits(14)
        ),
        "NL" => format!(
            "{}{}",
            rng.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 4),
            rng.digits(10)
        ),
        "IT" => format!(
            "{}{}",
            rng.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 1),
            rng.digits(22)
        ),
        _ => rng.digits(bban_len),
    };
    let numeric: String = format!("{bban}{cc}00")
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                c.to_string()
            } else {
                (c as u32 - 'A' as u32 + 10).to_string()
            }
        })
        .collect();
    let rem = numeric
        .bytes()
        .fold(0u32, |r, b| (r * 10 + u32::from(b - b'0')) % 97);
    let check = 98 - rem;
    let iban = format!("{cc}{check:02}{bban}");
    if rng.below(2) == 0 {
        iban
    } else {
        iban.as_bytes()
            .chunks(4)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

pub fn ssn(rng: &mut Rng) -> String {
    let area = 1 + rng.below(665);
    let grp = 1 + rng.below(99);
    let serial = 1 + rng.below(9999);
    format!("{area:03}-{grp:02}-{serial:04}")
}

pub fn nino(rng: &mut Rng) -> String {
    let first = rng.chars("ABCEGHJKLMNPRSTWXYZ", 1);
    let second = rng.chars("ABCEGHJKLMNPRSTWXYZ", 1);
    let prefix = format!("{first}{second}");
    let prefix = if ["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"].contains(&prefix.as_str()) {
        "AB".to_string()
    } else {
        prefix
    };
    let d = rng.digits(6);
    let suffix = rng.chars("ABCD", 1);
    if rng.below(2) == 0 {
        format!("{prefix}{d}{suffix}")
    } else {
        format!("{prefix} {} {} {} {suffix}", &d[0..2], &d[2..4], &d[4..6])
    }
}

pub fn phone(rng: &mut Rng) -> String {
    let area = 201 + rng.below(700);
    let ex = 200 + rng.below(700);
    let line = rng.digits(4);
    match rng.below(9) {
        0 => format!("+1{area}{ex}{line}"),
        1 => format!("({area}) {ex}-{line}"),
        2 => format!("{area}-{ex}-{line}"),
        3 => format!("+44 20 7946 {}", rng.digits(4)),
        4 => format!("07700 900{}", rng.digits(3)),
        5 => format!("+49 30 {}", rng.digits(8)),
        6 => format!("030 {}", rng.digits(8)),
        7 => format!(
            "+33 1 {} {} {} {}",
            rng.digits(2),
            rng.digits(2),
            rng.digits(2),
            rng.digits(2)
        ),
        _ => format!(
            "01 {} {} {} {}",
            rng.digits(2),
            rng.digits(2),
            rng.digits(2),
            rng.digits(2)
        ),
    }
}

pub fn ipv4(rng: &mut Rng) -> String {
    let first = *rng.pick(&[8u64, 23, 31, 45, 52, 64, 81, 93, 104, 151, 185, 203, 212]);
    format!(
        "{first}.{}.{}.{}",
        rng.below(256),
        rng.below(256),
        1 + rng.below(254)
    )
}

pub fn ipv6(rng: &mut Rng) -> String {
    let hex = |rng: &mut Rng| format!("{:x}", rng.below(0x10000));
    if rng.below(2) == 0 {
        format!("2a00:{}:{}:{}::{}", hex(rng), hex(rng), hex(rng), hex(rng))
    } else {
        format!(
            "2001:{:x}:{}:{}:{}:{}:{}:{}",
            0x4000 + rng.below(0x1000),
            hex(rng),
            hex(rng),
            hex(rng),
            hex(rng),
            hex(rng),
            hex(rng)
        )
    }
}

pub fn email(rng: &mut Rng) -> String {
    let user = rng.chars("abcdefghijklmnopqrstuvwxyz", 6);
    let dom = rng.pick(&[
        "example.com",
        "example.org",
        "mail.example.net",
        "corp.example.co.uk",
    ]);
    format!("{user}.{}@{dom}", rng.digits(2))
}

pub fn aws_key_id(rng: &mut Rng) -> String {
    format!(
        "{}{}",
        rng.pick(&["AKIA", "ASIA"]),
        rng.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
    )
}

pub fn aws_secret(rng: &mut Rng) -> String {
    rng.chars(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+",
        40,
    )
}

pub fn github(rng: &mut Rng) -> String {
    if rng.below(3) == 0 {
        format!(
            "github_pat_{}_{}",
            rng.chars(ALNUM, 22),
            rng.chars(ALNUM, 59)
        )
    } else {
        // 30 random base62, then their CRC32 in base62: GitHub's checksum,
        // which the rules check.
        let prefix = rng.pick(&["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]);
        let random = rng.chars(ALNUM, 30);
        const B62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        let mut crc = crc32fast::hash(random.as_bytes());
        let mut sum = [b'0'; 6];
        for d in sum.iter_mut().rev() {
            *d = B62[(crc % 62) as usize];
            crc /= 62;
        }
        format!("{prefix}{random}{}", String::from_utf8_lossy(&sum))
    }
}

pub fn gitlab(rng: &mut Rng) -> String {
    format!(
        "glpat-{}",
        rng.chars(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
            20
        )
    )
}

pub fn slack(rng: &mut Rng) -> String {
    if rng.below(2) == 0 {
        format!(
            "{}{}-{}-{}",
            rng.pick(&["xoxb-", "xoxp-"]),
            rng.digits(12),
            rng.digits(12),
            rng.chars(ALNUM, 24)
        )
    } else {
        format!(
            "https://hooks.slack.com/services/T{}/B{}/{}",
            rng.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 8),
            rng.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 10),
            rng.chars(ALNUM, 24)
        )
    }
}

pub fn stripe(rng: &mut Rng) -> String {
    format!(
        "{}{}",
        rng.pick(&["sk_live_", "rk_live_", "sk_test_"]),
        rng.chars(ALNUM, 32)
    )
}

pub fn google_api_key(rng: &mut Rng) -> String {
    format!("AIza{}", rng.chars(B64URL, 35))
}

pub fn azure_conn(rng: &mut Rng) -> String {
    format!("DefaultEndpointsProtocol=https;AccountName=fakeacct{};AccountKey={}==;EndpointSuffix=core.windows.net", rng.digits(3), rng.chars(B64, 86))
}

pub fn jwt(rng: &mut Rng) -> String {
    // {"alg":"HS256","typ":"JWT"} and a fake payload.
    format!(
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ{}In0.{}",
        rng.chars(ALNUM, 16),
        rng.chars(B64URL, 43)
    )
}

pub fn pem_body(rng: &mut Rng) -> Vec<String> {
    (0..6).map(|_| rng.chars(B64, 64)).collect()
}

pub fn pem(rng: &mut Rng, sep: &str) -> String {
    let mut lines = vec!["-----BEGIN RSA PRIVATE KEY-----".to_string()];
    lines.extend(pem_body(rng));
    lines.push("-----END RSA PRIVATE KEY-----".to_string());
    lines.join(sep)
}

pub fn url_password(rng: &mut Rng) -> String {
    format!("Zx{}9", rng.chars(ALNUM, 14))
}

pub fn bearer(rng: &mut Rng) -> String {
    rng.chars(ALNUM, 40)
}

/// Every family: a name and a generator of its value.
pub type Gen = fn(&mut Rng) -> String;
pub const FAMILIES: &[(&str, Gen)] = &[
    ("email", email),
    ("card", card),
    ("iban", iban),
    ("us-ssn", ssn),
    ("uk-nino", nino),
    ("phone", phone),
    ("ipv4", ipv4),
    ("ipv6", ipv6),
    ("aws-key-id", aws_key_id),
    ("github", github),
    ("gitlab", gitlab),
    ("slack", slack),
    ("stripe", stripe),
    ("google-api-key", google_api_key),
    ("jwt", jwt),
];
