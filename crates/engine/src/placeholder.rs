//! Values that stand for a secret without being one.
//!
//! Config dumps, docs quoted in logs, CI output and test fixtures are full
//! of `password=${DB_PASSWORD}`, `token: {{ .Values.token }}`,
//! `api_key = "sk_live_xxxxxxxxxxxx"`, `AKIAIOSFODNN7EXAMPLE`,
//! `-H "apikey: $API_KEY"` or `access_token=ACCESS_TOKEN`. Redacting them
//! hides nothing and makes the line harder to read, and on other projects'
//! test suites they are most of what a redactor changes by mistake. A
//! credential rule's candidate is therefore dropped when it is one of:
//!
//! - a **reference** to where the secret lives: `$NAME`, `$(cmd)`, `${..}`,
//!   `{{..}}`, `<..>`, `%(name)s`, `` `cmd` ``, `var.name`, `ENC[..]`
//!   (sops), an UPPER_SNAKE name that itself says what it holds
//!   (`DB_PASSWORD`), source code (`self.x`, `os.environ[..`, `f(`), an
//!   object's printed form (`Token{a64f992`, `com.apple.xpc.activity`) or
//!   a hex literal (`0x14f05578bd80001` is a number, not a token);
//! - a **mask or filler**: a run of six or more of one character that
//!   makes up half the value or more, other than the ones real encodings
//!   repeat (`A`, `0`, `f`, `=`, `/`), or of three or more `x`, `*`, `#`,
//!   `.`, `•`;
//! - a **demonstration value**: a word docs use for a stand-in
//!   (`RANDOMSTRING`, `your_api_key`, `changeme`, `placeholder`; AWS's
//!   documentation keys that end in `EXAMPLE`). Sequences such as
//!   `0123456789abcdef` are not enough: obviously fake but well-formed
//!   values are how tests and demos exercise a redactor, this project's
//!   own rule examples included, and they should be redacted like the
//!   real thing;
//! - a **bare word** a secret's name is often given as its own value
//!   (`token`, `password`, `secret`, `test`, `foo`).
//!
//! These are checks on the value alone, so they apply to every credential
//! rule (field rules and patterns of category `secret`) the same way;
//! personal data (an e-mail, a card) is never a placeholder.

/// Whether `value` is a placeholder, a reference or a mask rather than a
/// credential. See the [module docs](self).
pub(crate) fn is_placeholder(value: &[u8]) -> bool {
    // `` `cmd args` ``: command substitution (checked before quotes are
    // trimmed). A back-quoted word is a Go raw string, a value like any.
    if value.first() == Some(&b'`')
        && (value.contains(&b' ') || value.len() < 2 || value.last() != Some(&b'`'))
    {
        return true;
    }
    let v = trim_quotes(value);
    if v.is_empty() {
        return true;
    }
    // Lowered once for every check that compares words.
    let lower = v.to_ascii_lowercase();
    is_reference(v, &lower) || is_filler(v) || is_demo(&lower) || is_bare_word(&lower)
}

/// Values that say "nothing here" for any kind of field.
const NULL_WORDS: &[&[u8]] = &[
    b"null",
    b"nil",
    b"none",
    b"undefined",
    b"true",
    b"false",
    b"-",
    b"n/a",
    b"\"\"",
    b"''",
    b"[redacted]",
    b"[filtered]",
];

/// The part of [`is_placeholder`] that also holds for personal data under
/// a key (`ssn=${SSN}`, `phone: null`, `ssn=XXX`): references, nulls and
/// masks, not fillers of digits (`4111111111111111` is a card number) or
/// words (`user=test` is a user name).
pub(crate) fn is_reference_or_word(value: &[u8]) -> bool {
    let v = trim_quotes(value);
    if v.is_empty() {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    is_reference(v, &lower)
        || NULL_WORDS.contains(&lower.as_slice())
        || (v.len() >= 3 && v.iter().all(|&b| matches!(b, b'*' | b'x' | b'X' | b'#')))
        // `user:password`, `username:token`: the names of the parts.
        || lower.split(|&b| b == b':').all(|p| {
            matches!(
                p,
                b"user" | b"username" | b"password" | b"pass" | b"passwd" | b"token" | b"secret" | b"key" | b"login"
            )
        })
}

fn trim_quotes(v: &[u8]) -> &[u8] {
    let mut v = v;
    while let [b'"' | b'\'' | b'`', rest @ ..] = v {
        v = rest;
    }
    while let [rest @ .., b'"' | b'\'' | b'`' | b'>'] = v {
        v = rest;
    }
    v
}

/// `v` and its lower-case form `t`.
fn is_reference(v: &[u8], t: &[u8]) -> bool {
    let starts = |p: &[u8]| t.starts_with(p);
    // Shell, CI and template references.
    (t.len() >= 2 && t[0] == b'$' && (t[1].is_ascii_alphabetic() || matches!(t[1], b'_' | b'(' | b'{')))
        // `$1`, `$1:$2`: positional parameters (`$2a$10$...` is a bcrypt hash).
        || (t.len() >= 2 && t[0] == b'$' && t[1].is_ascii_digit() && !t.get(2).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'$'))
        || (starts(b"{{") && t.ends_with(b"}}"))
        || (starts(b"${") && t.ends_with(b"}"))
        || starts(b"<")
        || (starts(b"%(") && t.ends_with(b")s"))
        || t == b"%s"
        || (t.len() >= 3 && t[0] == b'%' && t[t.len() - 1] == b'%' && t[1..t.len() - 1].iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_'))
        || (starts(b"{")
            && t.len() > 1
            && t[1..].iter().all(|b| {
                b.is_ascii_alphabetic()
                    || matches!(b, b'_' | b'.' | b'-' | b' ' | b'}' | b'(' | b')' | b':')
                    || (b.is_ascii_digit() && t.contains(&b'('))
            }))
        // `[PASSWORD]`, `[FILTERED]` (also cut at its `]`).
        || (starts(b"[") && t.len() > 2 && t[1..].iter().all(|b| b.is_ascii_alphabetic() || matches!(b, b'_' | b' ' | b'-' | b']')))
        // Terraform's `(sensitive value)`, `(known after apply)`.
        || (starts(b"(") && t.ends_with(b")"))
        // An escaped newline: the value is empty, the next line follows.
        || starts(b"\\n")
        || starts(b"\\r")
        || starts(b"enc[")
        || [&b"var."[..], b"vars.", b"local.", b"secrets.", b"env.", b"self.", b"this.", b"settings.", b"config.", b"os.environ", b"os.getenv", b"process.env", b"env[", b"new "]
            .iter()
            .any(|p| starts(p))
        // A hex literal (`sessionid:0x14f05578bd80001`) is a number.
        || (t.len() > 2 && t.starts_with(b"0x") && t[2..].iter().all(u8::is_ascii_hexdigit))
        // A call in quoted source code (`settings.get(`).
        || (t.ends_with(b"(")
            && t.len() > 1
            && t[..t.len() - 1]
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'$')))
        || is_object_rendering(v)
        || is_secret_name(v)
}

/// How a program prints an object or names a module rather than a value:
/// `Token{a64f992 ...`, `AppWindowToken{9f4ef63`, `Token [kind: ...`,
/// `com.apple.xpc.activity/...`, `io.jsonwebtoken:jjwt-jackson-0.11.2`,
/// `auth::session`. A class name glued to a brace or bracket, or a
/// dotted lower-case package name of three parts or more.
fn is_object_rendering(v: &[u8]) -> bool {
    let ident_end = v
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$')))
        .unwrap_or(v.len());
    if ident_end > 0
        && v[0].is_ascii_uppercase()
        && matches!(v.get(ident_end), Some(b'{' | b'[' | b'@'))
    {
        return true;
    }
    if v.starts_with(b"::") || (ident_end > 0 && v[ident_end..].starts_with(b"::")) {
        return true;
    }
    // Java's default toString: `android.os.BinderProxy@2bd79ce`.
    if let Some(at) = v.iter().position(|&b| b == b'@') {
        let (class, hash) = (&v[..at], &v[at + 1..]);
        if class.contains(&b'.')
            && class
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'$'))
            && !hash.is_empty()
            && hash.len() <= 16
            && hash.iter().all(u8::is_ascii_hexdigit)
        {
            return true;
        }
    }
    // Reverse-DNS package or bundle ids: lower-case words joined by dots.
    let head_end = v
        .iter()
        .position(|b| matches!(b, b'/' | b':' | b' '))
        .unwrap_or(v.len());
    let head = &v[..head_end];
    // Two parts are enough before a `:` (maven `group:artifact`).
    let min_parts = if v.get(head_end) == Some(&b':') { 2 } else { 3 };
    let mut parts = head.split(|&b| b == b'.');
    head.split(|&b| b == b'.').count() >= min_parts
        && matches!(
            parts.next().unwrap_or_default(),
            b"com"
                | b"org"
                | b"net"
                | b"io"
                | b"de"
                | b"uk"
                | b"fr"
                | b"edu"
                | b"gov"
                | b"dev"
                | b"app"
        )
        && head.split(|&b| b == b'.').all(|p| {
            !p.is_empty()
                && p.iter().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_' || *b == b'-'
                })
        })
}

/// `DB_PASSWORD`, `ACCESS_TOKEN`, `SUMO_ACCESS_KEY`: an environment
/// variable's name given where its value would be.
fn is_secret_name(v: &[u8]) -> bool {
    let upper = v
        .iter()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_');
    let lower = v
        .iter()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_');
    // Lower case only without digits: `telegram_api_token` names a
    // variable, `fake_client_secret_42` could be a value.
    if !v.contains(&b'_') || !(upper || (lower && !v.iter().any(u8::is_ascii_digit))) {
        return false;
    }
    let u = v.to_ascii_uppercase();
    [
        &b"TOKEN"[..],
        b"KEY",
        b"SECRET",
        b"PASSWORD",
        b"PASS",
        b"PWD",
        b"AUTH",
        b"CRED",
    ]
    .iter()
    .any(|w| memchr::memmem::find(&u, w).is_some())
}

fn is_filler(v: &[u8]) -> bool {
    // Punctuation only (`{`, `--`, `/`): no secret. One letter repeated
    // (`yyy`, `aaaa`): a filler.
    if !v.iter().any(u8::is_ascii_alphanumeric)
        || ((3..=4).contains(&v.len()) && v.iter().all(|&b| b == v[0] && b.is_ascii_alphabetic()))
    {
        return true;
    }
    let mut run = 1;
    for i in 1..v.len() {
        if v[i] == v[i - 1] {
            run += 1;
            let c = v[i];
            let short = matches!(c, b'x' | b'X' | b'*' | b'#' | b'.');
            if (short && run >= 3 && (run >= 6 || v.len() <= 8 || ratio(v, c)))
                || (run >= 6
                    && ratio(v, c)
                    && !matches!(c, b'A' | b'0' | b'f' | b'F' | b'=' | b'/' | b'+'))
            {
                return true;
            }
        } else {
            run = 1;
        }
    }
    // `•••` and `…` masks.
    memchr::memmem::find(v, "\u{2022}\u{2022}\u{2022}".as_bytes()).is_some()
        || v == "\u{2026}".as_bytes()
}

/// Whether `c` makes up at least half of `v`.
fn ratio(v: &[u8], c: u8) -> bool {
    v.iter().filter(|&&b| b == c).count() * 2 >= v.len()
}

/// `lower`: the value in lower case.
fn is_demo(lower: &[u8]) -> bool {
    // AWS's documentation keys end in EXAMPLE / EXAMPLEKEY.
    lower.ends_with(b"example")
        || lower.ends_with(b"examplekey")
        || [
            &b"randomstring"[..],
            b"placeholder",
            b"changeme",
            b"change_me",
            b"replace_me",
            b"replaceme",
            b"put_your",
            b"your_token",
            b"your_key",
            b"your_api",
            b"your_secret",
            b"your_password",
            b"your-api-key",
            b"yourapikey",
            b"insert_your",
            b"redacted",
        ]
        .iter()
        .any(|w| memchr::memmem::find(lower, w).is_some())
}

/// `lower`: the value in lower case.
fn is_bare_word(lower: &[u8]) -> bool {
    NULL_WORDS.contains(&lower)
        || matches!(
            lower,
            b"yes"
                | b"no"
                | b"test"
                | b"foo"
                | b"bar"
                | b"baz"
                | b"password"
                | b"passwd"
                | b"pass"
                | b"secret"
                | b"token"
                | b"key"
                | b"apikey"
                | b"api-key"
                | b"api_key"
                | b"value"
                | b"string"
                | b"username"
                | b"user"
                | b"new"
                | b"basic"
                | b"bearer"
                | b"digest"
                | b"negotiate"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stand_ins_are_placeholders() {
        for v in [
            "${DB_PASSWORD}",
            "{{ .Values.token }}",
            "$API_KEY",
            "$(gcloud auth print-access-token)",
            "$1",
            "<your-api-key>",
            "var.db_password",
            "ENC[AES256_GCM,data:abc]",
            "ACCESS_TOKEN",
            "SUMO_ACCESS_KEY",
            "hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "bP88Q~xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "glc_111111111111111111111111111111111111111111=",
            "AKIAIOSFODNN7EXAMPLE",
            "xoxe.xoxp-1-RANDOMSTRINGHERE",
            "XXXXXXXXXXX",
            "*****",
            "[PASSWORD]",
            "{SumoAccessKey}",
            "test",
            "token",
            "\\nDYNATRACE_API_KEY=",
            "new AWS.Credentials(",
            "(sensitive value)",
            "Token{a64f992",
            "android.os.BinderProxy@2bd79ce",
            "AppWindowToken{9f4ef63",
            "com.apple.xpc.activity/com.apple.x",
            "io.jsonwebtoken:jjwt-jackson-0.11.2",
            "{",
            "0x14f05578bd80001",
            "yyy",
            "password>",
            "telegram_api_token",
            "{SumoAccessKey",
            "`etcdctl get /x`",
            "`etcdctl",
            "{base64(email:password)}",
        ] {
            assert!(is_placeholder(v.as_bytes()), "{v}");
        }
    }

    #[test]
    fn credentials_are_not_placeholders() {
        for v in [
            "FakePassw0rd-Test",
            "2UmJPF&UkhY6qQD",
            "ghp_R2k9xWq7Lm3ZpT8vYb1NcD4sF6hJ0aKe5Gu",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY",
            "AAAAB3NzaC1yc2EAAAADAQABAAABAQC",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig",
            "0000ffffabcd9876e",
            "Summer2026!",
            "tok_5mw0PKDUO3np1pyJGxytoA4G",
            "$2a$10$N9qo8uLOickgx2ZMRZoMye",
            "`R2k9xWq7Lm3ZpT8vYb1NcD4s`",
        ] {
            let placeholder = is_placeholder(v.as_bytes());
            // The AWS docs' secret ends with EXAMPLEKEY: a stand-in too.
            assert_eq!(placeholder, v.ends_with("EXAMPLEKEY"), "{v}");
        }
    }
}
