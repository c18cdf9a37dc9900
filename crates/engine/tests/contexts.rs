//! Planted values of every family in every context a log puts them in are
//! gone from the output; clean lines come out byte-identical.

use std::borrow::Cow;

use logscrub_engine::{Format, Scanner};

use crate::fakes::{self, Rng, FAMILIES};

fn scanner() -> Scanner {
    Scanner::embedded()
}

fn pct(v: &str) -> String {
    v.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn json_str(v: &str) -> String {
    serde_json::to_string(v).unwrap()
}

fn unicode_escaped(v: &str) -> String {
    v.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_string()
            } else {
                format!("\\u{:04x}", c as u32)
            }
        })
        .collect()
}

/// Every context, with the form the value takes there.
fn contexts(v: &str) -> Vec<(&'static str, String, String)> {
    let inner_doc = serde_json::json!({"user": {"note": v}, "n": 1}).to_string();
    vec![
        ("plain", format!("2026-11-29T03:49:50Z INFO profile updated with {v} for user 42"), v.to_string()),
        ("logfmt", format!("level=info msg=\"profile updated\" note=\"{v}\" user_id=42 dur=12ms"), v.to_string()),
        ("json-nested", format!("{{\"ts\":\"2026-11-29T03:49:50Z\",\"ctx\":{{\"user\":{{\"note\":{}}},\"tags\":[1,2]}}}}", json_str(v)), v.to_string()),
        ("json-escaped", format!("{{\"msg\":{}}}", json_str(&format!("payload {{\"note\":{}}}", json_str(v)))), v.to_string()),
        ("json-unicode-escaped", format!("{{\"msg\":\"value \\\"{}\\\"\"}}", unicode_escaped(v)), unicode_escaped(v)),
        ("json-in-json", format!("{{\"level\":\"info\",\"event\":{}}}", json_str(&inner_doc)), v.to_string()),
        ("url-encoded", format!("GET /api/v1/search?note={}&page=2 HTTP/1.1", pct(v)), pct(v)),
        ("header-dump", format!("> X-Note: {v}\n"), v.to_string()),
        ("access-log", format!("10.0.0.7 - - [29/Nov/2026:03:49:50 +0000] \"GET /p?q={} HTTP/1.1\" 200 512 \"-\" \"curl/8.5.0\"", pct(v)), pct(v)),
    ]
}

fn assert_gone(scanner: &Scanner, family: &str, ctx: &str, line: &str, forms: &[&str]) {
    let out = scanner.redact(line.as_bytes(), Format::Auto);
    let out = String::from_utf8_lossy(&out);
    for f in forms {
        assert!(
            !out.contains(f),
            "{family} in {ctx} survived:\n in:  {line}\n out: {out}"
        );
    }
    if line.trim_start().starts_with('{') {
        let a: serde_json::Value = serde_json::from_str(line).unwrap();
        let b: serde_json::Value = serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("{family} in {ctx}: output is not JSON ({e}): {out}"));
        assert_eq!(keys(&a), keys(&b), "{family} in {ctx}: keys changed");
    }
}

fn keys(v: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    fn walk(v: &serde_json::Value, path: String, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, x) in m {
                    let p = format!("{path}.{k}");
                    out.push(p.clone());
                    walk(x, p, out);
                }
            }
            serde_json::Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    walk(x, format!("{path}[{i}]"), out);
                }
            }
            _ => {}
        }
    }
    walk(v, String::new(), &mut out);
    out
}

#[test]
fn every_family_is_redacted_in_every_context() {
    let s = scanner();
    let mut rng = Rng::new(7);
    for (family, gen) in FAMILIES {
        for _ in 0..12 {
            let v = gen(&mut rng);
            for (ctx, line, form) in contexts(&v) {
                assert_gone(&s, family, ctx, &line, &[&v, &form]);
            }
        }
    }
}

#[test]
fn keyed_secrets_are_redacted_in_their_contexts() {
    let s = scanner();
    let mut rng = Rng::new(11);
    for _ in 0..10 {
        let secret = fakes::aws_secret(&mut rng);
        let conn = fakes::azure_conn(&mut rng);
        let key = conn
            .split("AccountKey=")
            .nth(1)
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let pw = fakes::url_password(&mut rng);
        let bearer = fakes::bearer(&mut rng);
        let basic = "dXNlcjpGYWtlUGFzc3dvcmQxMjM0";
        let cases = [
            (format!("aws_secret_access_key={secret}"), secret.clone()),
            (
                format!("{{\"Credentials\":{{\"SecretAccessKey\":\"{secret}\"}}}}"),
                secret.clone(),
            ),
            (
                format!("export AWS_SECRET_ACCESS_KEY=\"{secret}\""),
                secret.clone(),
            ),
            (format!("connecting with {conn}"), key.clone()),
            (
                format!("{{\"conn\":{}}}", serde_json::to_string(&conn).unwrap()),
                key.clone(),
            ),
            (
                format!("dsn=postgres://app:{pw}@db.internal:5432/app"),
                pw.clone(),
            ),
            (
                format!("fetching https://deploy:{pw}@git.example.com/repo.git"),
                pw.clone(),
            ),
            (format!("Authorization: Bearer {bearer}"), bearer.clone()),
            (
                format!("{{\"headers\":{{\"authorization\":\"Bearer {bearer}\"}}}}"),
                bearer.clone(),
            ),
            (
                format!("curl -H 'Authorization: Basic {basic}' https://api.example.com"),
                basic.to_string(),
            ),
            (format!("login ok password={pw} user=bob"), pw.clone()),
            (format!("config loaded secret: {pw}"), pw.clone()),
            (
                format!("GET /callback?code=1&access_token={bearer}&state=x"),
                bearer.clone(),
            ),
            (
                format!("{{\"user\":{{\"password\":\"{pw}\",\"name\":\"bob\"}}}}"),
                pw.clone(),
            ),
            (
                format!("Cookie: session={bearer}; theme=dark"),
                bearer.clone(),
            ),
        ];
        for (line, value) in cases {
            assert_gone(&s, "keyed", "various", &line, &[&value]);
        }
    }
}

#[test]
fn pem_blocks_are_redacted_in_every_flattening() {
    let s = scanner();
    let mut rng = Rng::new(3);
    let body = fakes::pem_body(&mut rng);
    let flat = fakes::pem(&mut Rng::new(3), " ");
    let escaped = fakes::pem(&mut Rng::new(3), "\\n");
    let syslog = fakes::pem(&mut Rng::new(3), "#012");
    for line in [
        format!("loaded key {flat} from vault"),
        format!("{{\"key\":\"{escaped}\"}}"),
        format!("{{\"msg\":\"config\",\"data\":{{\"tls\":\"{escaped}\"}}}}"),
        format!("Nov 29 03:49:50 host app[42]: key={syslog}"),
        format!("key material: {escaped}"),
    ] {
        let out = s.redact(line.as_bytes(), Format::Auto);
        let out = String::from_utf8_lossy(&out);
        for b in &body {
            assert!(
                !out.contains(&b[..20]),
                "PEM body survived:\n in:  {line}\n out: {out}"
            );
        }
    }
    // Real newlines: the block continues over the following lines.
    let text = fakes::pem(&mut Rng::new(3), "\n");
    let mut r = s.lines(Format::Auto);
    let mut out = Vec::new();
    for line in format!("2026-11-29 ERROR bad key:\n{text}\nnext line is kept").split('\n') {
        out.push(String::from_utf8_lossy(&r.redact(line.as_bytes())).into_owned());
    }
    let joined = out.join("\n");
    for b in &body {
        assert!(
            !joined.contains(&b[..20]),
            "PEM body survived across lines:\n{joined}"
        );
    }
    assert_eq!(out.len(), text.lines().count() + 2);
    assert_eq!(out.last().unwrap(), "next line is kept");
}

#[test]
fn pem_blocks_wrapped_line_by_line_are_redacted() {
    let s = scanner();
    let body = fakes::pem_body(&mut Rng::new(9));
    let mut docker =
        vec!["{\"log\":\"-----BEGIN RSA PRIVATE KEY-----\\n\",\"stream\":\"stderr\"}".to_string()];
    let mut syslog =
        vec!["Nov 29 03:49:50 host app[1]: -----BEGIN RSA PRIVATE KEY-----".to_string()];
    for b in &body {
        docker.push(format!("{{\"log\":\"{b}\\n\",\"stream\":\"stderr\"}}"));
        syslog.push(format!("Nov 29 03:49:50 host app[1]: {b}"));
    }
    docker.push("{\"log\":\"QUJDREVGR0g=\\n\",\"stream\":\"stderr\"}".to_string());
    syslog.push("Nov 29 03:49:50 host app[1]: QUJDREVGR0g=".to_string());
    docker.push("{\"log\":\"-----END RSA PRIVATE KEY-----\\n\",\"stream\":\"stderr\"}".to_string());
    syslog.push("Nov 29 03:49:50 host app[1]: -----END RSA PRIVATE KEY-----".to_string());
    docker.push("{\"log\":\"after trace=4bf92f3577b34da6a3ce929d0e0e4736\\n\"}".to_string());
    syslog
        .push("Nov 29 03:49:51 host app[1]: after id=4bf92f3577b34da6a3ce929d0e0e4736".to_string());
    for lines in [docker, syslog] {
        let mut r = s.lines(Format::Auto);
        let out: Vec<String> = lines
            .iter()
            .map(|l| String::from_utf8_lossy(&r.redact(l.as_bytes())).into_owned())
            .collect();
        let joined = out.join("\n");
        for b in &body {
            assert!(
                !joined.contains(&b[..20]),
                "wrapped PEM body leaked:\n{joined}"
            );
        }
        assert!(
            !joined.contains("QUJDREVGR0g="),
            "last body line leaked:\n{joined}"
        );
        assert_eq!(
            out.last(),
            lines.last(),
            "the line after the block is untouched"
        );
        for o in out.iter().filter(|o| o.starts_with('{')) {
            serde_json::from_str::<serde_json::Value>(o).unwrap_or_else(|e| panic!("{e}: {o}"));
        }
    }
}

#[test]
fn pem_armour_stays_and_a_key_after_an_unclosed_block_is_redacted() {
    let s = scanner();
    let mut r = s.lines(Format::Auto);
    let lines = [
        "-----BEGIN ENCRYPTED PRIVATE KEY-----",
        "MIIFHzBJBgkqhkiG9w0BBQ0wPDAbBgkqhkiG9w0BBQwwDgQIfakefakefakeAgIIAADAdBg",
        "-----BEGIN PRIVATE KEY-----\\nSECRETBODYxyzSECRETBODYxyz\\n-----END PRIVATE KEY-----",
        "one line -----BEGIN EC PRIVATE KEY----- MHcCAQEEIFAKEFAKEFAKEFAKEFAKEFAKE -----END EC PRIVATE KEY----- done",
    ];
    let out: Vec<String> = lines
        .iter()
        .map(|l| String::from_utf8_lossy(&r.redact(l.as_bytes())).into_owned())
        .collect();
    let joined = out.join("\n");
    assert!(
        !joined.contains("SECRETBODY") && !joined.contains("MIIFHz") && !joined.contains("MHcCAQ"),
        "{joined}"
    );
    assert_eq!(out[3], "one line -----BEGIN EC PRIVATE KEY-----[REDACTED:private-key]-----END EC PRIVATE KEY----- done");
}

#[test]
fn name_value_pairs_digest_auth_and_placeholders() {
    let s = scanner();
    let red = |l: &str| String::from_utf8_lossy(&s.redact(l.as_bytes(), Format::Auto)).into_owned();
    let out = red(
        r#"{"env":[{"name":"DB_PASSWORD","value":"hunter2x"},{"name":"LOG_LEVEL","value":"debug"}]}"#,
    );
    assert!(
        !out.contains("hunter2x") && out.contains(r#""value":"debug""#),
        "{out}"
    );
    let out = red(
        r#"{"headers":[{"name":"Authorization","value":"Bearer abc.def"}],"Tags":[{"Key":"password","Value":"s3cr3t-value"}]}"#,
    );
    assert!(
        !out.contains("abc.def") && !out.contains("s3cr3t-value"),
        "{out}"
    );
    let out = red(
        r#"Authorization: Digest username="bob", realm="x", response="6629fae49393a05397450978507c4ef1""#,
    );
    assert!(
        !out.contains("6629fae4") && out.starts_with("Authorization: Digest "),
        "{out}"
    );
    let mysql = "Access denied for user 'root'@'localhost' (using password: YES)";
    assert_eq!(red(mysql), mysql);
    for clean in [
        "      + password                     = (sensitive value)",
        "    token = self._session.get(\"token\")",
        "MountVolume.SetUp failed for volume \"aws-iam-token\" : secret \"x\" not found",
        "build=1.2.3+4111111111111111 ok",
    ] {
        assert_eq!(red(clean), clean);
    }
    // Form bodies write spaces as `+`.
    let out = red("POST /profile id=42&note=%2B44+20+7946+4366&card=4111+1111+1111+1111");
    assert!(!out.contains("7946") && !out.contains("4111+1111"), "{out}");
    let out = red(
        r#"{"headers":{"authorization":"Bearer FAKEtok123456789"},"password":"basic horse battery"}"#,
    );
    assert_eq!(
        out,
        r#"{"headers":{"authorization":"Bearer [REDACTED:field-authorization]"},"password":"[REDACTED:field-password]"}"#
    );
    let out = red(r#"{"token" : "abcdefgh12345"}"#);
    assert!(
        !out.contains("abcdefgh12345"),
        "pretty-printed JSON keys still count: {out}"
    );
}

pub const CLEAN: &[&str] = &[
    "2026-11-29T03:49:50.123Z INFO request completed method=GET path=/api/v1/users/12345 status=200 duration_ms=12",
    "request_id=3f2a9c1e-8b7d-4e2f-9a1b-0c5d6e7f8a9b trace=4bf92f3577b34da6a3ce929d0e0e4736 span=00f067aa0ba902b7",
    "deployed commit 9fceb02d0ae598e95dc970b74767f19372d61af8 to production",
    "image sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 pulled",
    "ts=1764388190123 level=debug msg=\"cache hit\" key=user:42 ttl=300",
    "starting logscrub version 1.4.2 (build 2026.11.29) on linux/amd64",
    "order 4111111111111112 shipped to warehouse 7",
    "connected to 10.0.3.17:5432 and 192.168.1.20 via 172.16.0.1, health at 127.0.0.1:8080",
    "password reset email sent to user 42",
    "token_count=1234 max_tokens=4096 model=small",
    "{\"ts\":\"2026-11-29T03:49:50Z\",\"level\":\"info\",\"msg\":\"ok\",\"latency_ms\":12.5,\"status\":200,\"ok\":true,\"tags\":[\"a\",\"b\"],\"n\":null}",
    "{\"event\":\"login\",\"user_id\":12345,\"password_reset_sent\":false,\"attempts\":3}",
    "GET /static/app.3f2a9c1e.js HTTP/1.1 200 10432 0.004",
    "pod api-7d9f8b6c5d-x2x4z restarted 3 times, exit code 137 (OOMKilled)",
    "listening on [::1]:9000 and [fe80::1]:9000",
    "processed 1048576 bytes in 0.25s (4.0 MiB/s), 16 workers, queue depth 0",
    "SELECT id, name FROM users WHERE id = 42 LIMIT 1 -- 0.8ms",
    "user agent Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0.0.0",
    "retrying in 250ms (attempt 2/5): connection refused",
    "2026-11-29 03:49:50,123 WARN  [main] c.e.Service - slow call took 1532 ms",
];

#[test]
fn clean_lines_come_out_byte_identical_and_borrowed() {
    let s = scanner();
    for line in CLEAN {
        let out = s.redact(line.as_bytes(), Format::Auto);
        assert!(
            matches!(out, Cow::Borrowed(_)),
            "clean line changed:\n in:  {line}\n out: {}",
            String::from_utf8_lossy(&out)
        );
    }
}

#[test]
fn findings_name_rules_and_spans_never_values() {
    let s = scanner();
    let line = "mail alice@example.com now";
    let f = s.findings(line.as_bytes());
    assert_eq!(f.len(), 1);
    assert_eq!(&*f[0].rule, "email");
    assert_eq!(&line[f[0].start..f[0].end], "alice@example.com");
    let dbg = format!("{f:?}");
    assert!(!dbg.contains("alice"));
}

#[test]
fn json_structure_and_key_order_survive() {
    let s = scanner();
    let line = r#"{"z":1,"a":{"password":{"x":[1,2,{"y":"z"}]},"email":"bob@example.com"},"list":["4111 1111 1111 1111",2],"m":"ok"}"#;
    let out = s.redact(line.as_bytes(), Format::Json);
    let out = std::str::from_utf8(&out).unwrap();
    assert_eq!(
        out,
        r#"{"z":1,"a":{"password":{"x":["[REDACTED:field-password]","[REDACTED:field-password]",{"y":"[REDACTED:field-password]"}]},"email":"[REDACTED:email]"},"list":["[REDACTED:pan-visa:…1111]",2],"m":"ok"}"#
    );
}

/// A JSON string found clean is remembered only for keys that give it no
/// context: the same text under a key that names what it is (a field
/// rule, or a keyword of a rule) is still redacted, before and after.
#[test]
fn a_value_remembered_clean_under_one_key_is_not_clean_under_another() {
    let s = scanner();
    let red =
        |l: &str| String::from_utf8(s.redact(l.as_bytes(), Format::Json).into_owned()).unwrap();
    for _ in 0..3 {
        assert_eq!(red(r#"{"n":"428356723"}"#), r#"{"n":"428356723"}"#);
        assert!(!red(r#"{"ssn_raw":"428356723"}"#).contains("428356723"));
        assert!(!red(r#"{"password":"428356723"}"#).contains("428356723"));
        assert_eq!(
            red(r#"{"msg":"cache warm","n":"428356723"}"#),
            r#"{"msg":"cache warm","n":"428356723"}"#
        );
    }
}
