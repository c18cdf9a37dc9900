//! Operators, overlaps, allowlists, keywords and idempotence.

use std::borrow::Cow;

use logscrub_engine::{Format, Rules, Scanner};

fn scanner_with(text: &str) -> Scanner {
    let mut rules = Rules::empty();
    rules.add_toml("t.toml", text).unwrap();
    Scanner::builder()
        .hash_key(b"test-key".to_vec())
        .build(&rules)
        .unwrap()
}

fn red(s: &Scanner, line: &str) -> String {
    String::from_utf8(s.redact(line.as_bytes(), Format::Auto).into_owned()).unwrap()
}

const RULES: &str = r#"
[[rule]]
id = "tok"
description = "a token"
category = "secret"
regex = '''\btok_[a-z0-9]{8}\b'''
keywords = ["tok_"]
allow = ["tok_00000000"]

[[rule]]
id = "acct"
description = "account number, partial"
category = "pii"
regex = '''\bACCT-([0-9]{8})\b'''
group = 1
keywords = ["acct-"]
operator = "partial"
keep_last = 4

[[rule]]
id = "cust"
description = "customer id, hashed"
category = "pii"
regex = '''\bcust-[0-9]{6}\b'''
keywords = ["cust-"]
operator = "hash"

[[rule]]
id = "long"
description = "overlaps tok"
category = "secret"
regex = '''\bzz[a-z_0-9]{10,}\b'''
keywords = ["zz"]

[[rule]]
id = "near"
description = "nine digits near ssn"
category = "pii"
regex = '''\b[0-9]{9}\b'''
keywords = ["ssn"]
keyword_distance = 10

[[field]]
id = "field-pw"
description = "passwords"
category = "secret"
names = ["password"]

[[field]]
id = "field-debug"
description = "dropped"
category = "secret"
names = ["debug_blob"]
operator = "drop"
"#;

#[test]
fn mask_partial_hash_and_drop() {
    let s = scanner_with(RULES);
    assert_eq!(red(&s, "t=tok_abcdef12 ok"), "t=[REDACTED:tok] ok");
    assert_eq!(
        red(&s, "acct ACCT-12345678 x"),
        "acct ACCT-[REDACTED:acct:…5678] x"
    );
    let a = red(&s, "c=cust-123456 d=cust-123456 e=cust-654321");
    let toks: Vec<&str> = a.split(' ').collect();
    assert_eq!(
        toks[0][2..],
        toks[1][2..],
        "same value, same key, same token"
    );
    assert_ne!(toks[0][2..], toks[2][2..]);
    assert!(
        toks[0].starts_with("c=[HASH:cust:") && toks[0].len() == "c=[HASH:cust:]".len() + 16,
        "{a}"
    );
    let other = Scanner::builder()
        .hash_key(b"another".to_vec())
        .build(&{
            let mut r = Rules::empty();
            r.add_toml("t.toml", RULES).unwrap();
            r
        })
        .unwrap();
    assert_ne!(red(&other, "c=cust-123456"), toks[0]);
    assert_eq!(
        red(&s, r#"{"a":1,"debug_blob":{"x":1},"b":2}"#),
        r#"{"a":1,"b":2}"#
    );
    assert_eq!(red(&s, r#"{"debug_blob":"x", "b":2}"#), r#"{"b":2}"#);
    assert_eq!(red(&s, r#"{"b":2,"debug_blob":[1]}"#), r#"{"b":2}"#);
    assert_eq!(red(&s, r#"{"debug_blob":1}"#), r#"{}"#);
}

#[test]
fn allowlist_and_keyword_distance() {
    let s = scanner_with(RULES);
    assert_eq!(red(&s, "t=tok_00000000"), "t=tok_00000000");
    assert_eq!(red(&s, "ssn 123456789"), "ssn [REDACTED:near]");
    assert_eq!(
        red(&s, "ssn is in the record far away: 123456789"),
        "ssn is in the record far away: 123456789"
    );
}

#[test]
fn overlapping_matches_merge_without_leaving_fragments() {
    let s = scanner_with(RULES);
    // `long` covers `tok` and more; the union is redacted, named by the
    // earliest-starting rule.
    let out = red(&s, "x zztok_abcdef12_more y");
    assert_eq!(out, "x [REDACTED:long] y");
    // Same span found by a pattern rule and a field rule: pattern rules are
    // listed first, so the pattern rule names it, every time.
    let out = red(&s, "x tok_abcdef12 password=tok_abcdef12 password=other");
    assert_eq!(
        out,
        "x [REDACTED:tok] password=[REDACTED:tok] password=[REDACTED:field-pw]"
    );
}

#[test]
fn redacting_twice_equals_redacting_once() {
    let s = scanner_with(RULES);
    for line in [
        "c=cust-123456 t=tok_abcdef12 password=hunter2 ACCT-12345678",
        r#"{"password":"x","n":"cust-123456"}"#,
    ] {
        let once = red(&s, line);
        assert_eq!(red(&s, &once), once);
    }
}

#[test]
fn oversize_events_become_a_placeholder() {
    let mut rules = Rules::empty();
    rules.add_toml("t.toml", RULES).unwrap();
    let s = Scanner::builder()
        .max_event_bytes(64)
        .build(&rules)
        .unwrap();
    let line = "x".repeat(65);
    assert_eq!(
        &*s.redact(line.as_bytes(), Format::Auto),
        b"[REDACTED:oversize-event]"
    );
    assert!(matches!(s.redact(b"short", Format::Auto), Cow::Borrowed(_)));
    // Another limit on the same compiled rules changes only the limit.
    let wide = s.with_max_event_bytes(128);
    assert!(matches!(
        wide.redact(line.as_bytes(), Format::Auto),
        Cow::Borrowed(_)
    ));
    let mut lines = wide.with_max_event_bytes(8).lines(Format::Text);
    assert_eq!(&*lines.redact(b"123456789"), b"[REDACTED:oversize-event]");
    assert_eq!(
        &*s.redact(line.as_bytes(), Format::Auto),
        b"[REDACTED:oversize-event]"
    );
}

#[test]
fn field_keys_in_every_spelling() {
    let s = scanner_with(RULES);
    for line in [
        "dbPassword=abc",
        "DB_PASSWORD: abc",
        "db-password => abc",
        "\"userPassword\":\"abc\"",
        "?password=abc&x=1",
        "db.password := abc",
    ] {
        let out = red(&s, line);
        assert!(!out.contains("abc"), "{line} -> {out}");
    }
    for line in [
        "password reset email sent",
        "passwords are hashed",
        "the password is stored",
    ] {
        assert_eq!(red(&s, line), line);
    }
}

#[test]
fn deep_json_and_binary_garbage_are_scanned_without_panicking() {
    let s = Scanner::embedded();
    // Far deeper than the walker's limit: falls back to text, still scanned.
    let deep = format!(
        "{}\"alice@example.com\"{}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let out = s.redact(deep.as_bytes(), Format::Auto);
    assert!(!String::from_utf8_lossy(&out).contains("alice@example.com"));
    let mut bin: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
    bin.extend_from_slice(b" password=hunter2 \0\xff");
    let out = s.redact(&bin, Format::Auto);
    assert!(!out.windows(7).any(|w| w == b"hunter2"));
    // Bytes before the first digit (where no rule can start) pass through.
    assert_eq!(
        &out[..0x30],
        &bin[..0x30],
        "bytes outside redactions pass through unharmed"
    );
}
