//! The `logscrub` command as a user runs it.

use std::io::Write;
use std::process::{Output, Stdio};

use crate::support::{bin, tmpdir};

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut sin = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = sin.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

#[test]
fn redact_keeps_one_line_per_line_in_order_with_bad_bytes_intact() {
    let mut input = Vec::new();
    for i in 0..20_000 {
        match i % 4 {
            0 => input.extend_from_slice(format!("line {i} mail user{i}@example.com\n").as_bytes()),
            1 => input.extend_from_slice(b"bad utf8 \xff\xfe and NUL \0 here\n"),
            2 => input.extend_from_slice(b"\n"),
            _ => input
                .extend_from_slice(format!("{{\"i\":{i},\"password\":\"p{i}\"}}\r\n").as_bytes()),
        }
    }
    input.extend_from_slice(b"last line without newline");
    let out = run(&["redact", "--threads", "2"], &input);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Vec<&[u8]> = out.stdout.split(|&b| b == b'\n').collect();
    let want: Vec<&[u8]> = input.split(|&b| b == b'\n').collect();
    assert_eq!(got.len(), want.len());
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        match i % 4 {
            _ if i == 20_000 => assert_eq!(*g, b"last line without newline"),
            0 => assert_eq!(*g, format!("line {i} mail [REDACTED:email]").as_bytes()),
            1 | 2 => assert_eq!(g, w),
            _ => assert_eq!(
                *g,
                format!("{{\"i\":{i},\"password\":\"[REDACTED:field-password]\"}}\r").as_bytes()
            ),
        }
    }
}

#[test]
fn stats_go_to_stderr_and_never_carry_values() {
    let out = run(
        &["redact", "--stats"],
        b"mail alice@example.com\npassword=hunter2\n",
    );
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("email") && err.contains("field-password"),
        "{err}"
    );
    assert!(!err.contains("alice") && !err.contains("hunter2"), "{err}");
}

#[test]
fn files_and_output_flag() {
    let d = tmpdir("files");
    let a = d.join("a.log");
    let b = d.join("b.log");
    std::fs::write(&a, "a1 bob@example.com\na2 no newline").unwrap();
    std::fs::write(&b, "b1 ok\n").unwrap();
    let o = d.join("out.log");
    let out = run(
        &[
            "redact",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            "-o",
            o.to_str().unwrap(),
        ],
        b"",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&o).unwrap(),
        "a1 [REDACTED:email]\na2 no newline\nb1 ok\n"
    );
}

#[test]
fn oversize_lines_become_placeholders_not_lost_lines() {
    let mut input = b"before\n".to_vec();
    input.extend(std::iter::repeat_n(b'x', 5000));
    input.extend_from_slice(b" alice@example.com\nafter\n");
    let out = run(&["redact", "--max-line-bytes", "1000"], &input);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "before\n[REDACTED:oversize-event]\nafter\n"
    );
}

#[test]
fn pem_block_with_real_newlines_is_redacted_across_lines_and_chunks() {
    // Enough lines before the key that it crosses a 1 MiB chunk boundary
    // somewhere in the run of repeated blocks.
    let block = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDfakefakefake\nQ2hhbmdlTWVGYWtlS2V5TWF0ZXJpYWxGb3JUZXN0c09ubHkxMjM0NTY3ODkw\n-----END PRIVATE KEY-----\n";
    let mut input = String::new();
    for i in 0..12_000 {
        input.push_str(&format!(
            "{i} filler line to move chunk boundaries around a bit\n"
        ));
        if i % 7 == 0 {
            input.push_str(block);
        }
    }
    let out = run(&["redact", "--threads", "2"], input.as_bytes());
    assert!(out.status.success());
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(
        !s.contains("MIIEvQ") && !s.contains("Q2hhbmdl"),
        "PEM body leaked"
    );
    assert_eq!(s.lines().count(), input.lines().count());
}

#[test]
fn broken_rules_exit_2_with_file_line_and_rule() {
    let d = tmpdir("broken");
    let f = d.join("team.toml");
    std::fs::write(&f, "[[rule]]\nid = \"lookbehind\"\ndescription = \"x\"\ncategory = \"secret\"\nregex = '''(?<=k=)v'''\n").unwrap();
    let out = run(&["redact", "--rules", f.to_str().unwrap()], b"x\n");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("team.toml:1:1") && err.contains("lookbehind"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "nothing may be emitted unscanned");
}

#[test]
fn usage_errors_exit_2_and_missing_files_exit_1() {
    assert_eq!(
        run(&["redact", "--no-such-flag"], b"").status.code(),
        Some(2)
    );
    assert_eq!(
        run(&["redact", "--disable", "no-such-rule"], b"")
            .status
            .code(),
        Some(2)
    );
    let out = run(&["redact", "/no/such/file.log"], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/file.log"));
}

#[test]
fn opt_in_rules_are_off_until_enabled_by_id() {
    let line = b"peer 10.1.2.3 and fd12:3456:789a::1 via 203.0.113.7\n";
    let off = String::from_utf8(run(&["redact"], line).stdout).unwrap();
    assert!(
        off.contains("10.1.2.3") && off.contains("fd12:3456:789a::1"),
        "{off}"
    );
    assert!(off.contains("[REDACTED:ipv4-public]"), "{off}");
    let on = run(
        &[
            "redact",
            "--enable",
            "ipv4-private",
            "--enable",
            "ipv6-private",
        ],
        line,
    );
    let on = String::from_utf8(on.stdout).unwrap();
    assert_eq!(
        on,
        "peer [REDACTED:ipv4-private] and [REDACTED:ipv6-private] via [REDACTED:ipv4-public]\n"
    );
    // A typo is refused, not silently ignored.
    let bad = run(&["redact", "--enable", "ipv4-privat"], line);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("ipv4-privat"));
    // The rule tools check opt-in rules too.
    let list = String::from_utf8(run(&["rules", "list"], b"").stdout).unwrap();
    assert!(list.contains("ipv4-private"), "{list}");
}

#[test]
fn default_pack_passes_its_own_examples() {
    let out = run(&["rules", "test"], b"");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains(" 0 failed"));
}

#[test]
fn rules_test_names_file_line_and_rule_of_a_failing_example() {
    let d = tmpdir("ruletest");
    let f = d.join("mine.toml");
    std::fs::write(
        &f,
        "[[rule]]\nid = \"order-id\"\ndescription = \"x\"\ncategory = \"pii\"\nregex = '''\\bORD-[0-9]{6}\\b'''\nkeywords = [\"ord-\"]\nmust_redact = [\"order ORD-123456\", \"order ORD-12345\"]\nmust_keep = [\"ORD-1234567\"]\n",
    )
    .unwrap();
    let out = run(&["rules", "test", f.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(1));
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(
        s.contains("mine.toml:1:1") && s.contains("order-id") && s.contains("must_redact[1]"),
        "{s}"
    );
}

#[test]
fn explain_shows_rules_and_spans() {
    let out = run(&["rules", "explain", "mail alice@example.com"], b"");
    assert!(out.status.success());
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("email") && s.contains("5..22"), "{s}");
}

#[test]
fn explain_says_why_a_candidate_was_redacted_or_kept() {
    let out = run(
        &[
            "rules",
            "explain",
            "081109 203615 148 INFO block blk_-4980916519894289629 sshd: Failed password for root from 203.0.113.9 port 22",
        ],
        b"",
    );
    assert!(out.status.success());
    let s = String::from_utf8_lossy(&out.stdout);
    for want in [
        "kept      phone-de",
        "the number is a timestamp",
        "kept      pan-visa",
        "the number is part of an identifier",
        "redacted  user-auth-for",
        "with keyword `password for`",
        "redacted  ipv4-public",
        "validator ipv4_public passes",
    ] {
        assert!(s.contains(want), "{want} missing in:\n{s}");
    }
    // Values never appear in the reasons, only in the echoed line.
    let reasons: String = s.lines().filter(|l| !l.contains("=>")).collect();
    assert!(
        !reasons.contains("203.0.113.9") && !reasons.contains("4980916519894289629"),
        "{s}"
    );
    // The example in rules/README.md prints what it says.
    let line = "081109 203615 148 INFO sshd: Failed password for root from 203.0.113.9 port 22";
    let out = run(&["rules", "explain", line], b"");
    let readme = std::fs::read_to_string("rules/README.md").unwrap();
    for l in String::from_utf8_lossy(&out.stdout).lines() {
        assert!(readme.contains(l), "rules/README.md lacks `{l}`");
    }
    let clean = run(&["rules", "explain", "all good here"], b"");
    assert!(String::from_utf8_lossy(&clean.stdout).contains("no findings (no rule's keyword"));
}

#[test]
fn user_rules_override_a_default_rule_by_id() {
    let d = tmpdir("override");
    let f = d.join("email.toml");
    std::fs::write(
        &f,
        "[[rule]]\nid = \"email\"\ndescription = \"emails, hashed for correlation\"\ncategory = \"pii\"\nregex = '''[a-z]+@example\\.com'''\nkeywords = [\"@\"]\noperator = \"hash\"\n",
    )
    .unwrap();
    let out = bin()
        .args(["redact", "--rules", f.to_str().unwrap()])
        .env("LOGSCRUB_HASH_KEY", "k1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            c.stdin
                .take()
                .unwrap()
                .write_all(b"a alice@example.com\nb alice@example.com\n")?;
            c.wait_with_output()
        })
        .unwrap();
    let s = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = s.lines().collect();
    assert!(lines[0].starts_with("a [HASH:email:"), "{s}");
    assert_eq!(lines[0][1..], lines[1][1..]);
}

#[test]
fn readme_examples_redact_as_documented() {
    let readme = include_str!("../README.md");
    let ins: Vec<&str> = readme
        .lines()
        .filter_map(|l| l.strip_prefix("in:  "))
        .collect();
    let outs: Vec<&str> = readme
        .lines()
        .filter_map(|l| l.strip_prefix("out: "))
        .collect();
    assert!(!ins.is_empty() && ins.len() == outs.len());
    let out = run(&["redact"], (ins.join("\n") + "\n").as_bytes());
    let got = String::from_utf8(out.stdout).unwrap();
    assert_eq!(got.lines().collect::<Vec<_>>(), outs);
}
