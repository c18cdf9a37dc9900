//! `logscrub rules list` and `logscrub rules bench`.

use std::process::Output;

use crate::support::{bin, tmpdir};

fn run(args: &[&str]) -> Output {
    bin()
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn stdout_ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// A pattern rule with three valid examples of each kind.
fn rule(id: &str, regex: &str, keywords: &[&str], redact: [&str; 3], keep: [&str; 3]) -> String {
    let q = |v: &[&str]| {
        v.iter()
            .map(|s| format!("'''{s}'''"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "[[rule]]\nid = \"{id}\"\ndescription = \"test rule {id}\"\ncategory = \"secret\"\n\
         regex = '''{regex}'''\nkeywords = [{}]\nmust_redact = [{}]\nmust_keep = [{}]\n\n",
        q(keywords),
        q(&redact),
        q(&keep)
    )
}

/// Three cheap keyword rules and one that runs on every line and matches
/// words everywhere.
fn custom_rules(dir: &std::path::Path) {
    let mut cheap = String::new();
    for p in ["zqa", "zqb", "zqc"] {
        cheap.push_str(&rule(
            &format!("cheap-{p}"),
            &format!(r"\b{p}_[0-9]{{8}}\b"),
            &[&format!("{p}_")],
            [
                &format!("k {p}_12345678"),
                &format!("{p}_87654321 x"),
                &format!("a={p}_11112222"),
            ],
            ["nothing here", &format!("{p}_123"), "zz_12345678"],
        ));
    }
    std::fs::write(dir.join("cheap.toml"), cheap).unwrap();
    std::fs::write(
        dir.join("slow.toml"),
        rule(
            "slow-broad",
            r"\b[a-z]+[0-9]+[a-z]+\b",
            &[],
            ["user abc123def", "host web42prod up", "x9y"],
            ["plain words only", "12345", "ABC123DEF"],
        ),
    )
    .unwrap();
}

#[test]
fn list_names_every_default_rule_and_markdown_is_a_table() {
    let text = stdout_ok(&run(&["rules", "list"]));
    let md = stdout_ok(&run(&["rules", "list", "--markdown"]));
    let ids: Vec<String> = logscrub_engine::Rules::embedded()
        .entries()
        .iter()
        .map(|e| e.id().to_string())
        .collect();
    assert!(ids.len() > 50);
    for id in &ids {
        assert!(
            text.lines()
                .any(|l| l.split_whitespace().next() == Some(id)),
            "{id} missing from rules list"
        );
        assert!(
            md.contains(&format!("| `{id}` |")),
            "{id} missing from --markdown"
        );
    }
    assert!(text.starts_with("ID "));
    assert!(text.contains(&format!("{} rules:", ids.len())));
    assert!(md.contains("| id | kind | category |"), "{md}");
    assert!(md.contains("\n|---|"));
    assert!(md.contains("logscrub rules list --markdown > rules/CATALOGUE.md"));
}

#[test]
fn committed_catalogue_is_current() {
    let md = stdout_ok(&run(&["rules", "list", "--markdown"]));
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/CATALOGUE.md"))
            .unwrap();
    assert!(
        md == committed,
        "rules/CATALOGUE.md is stale: run `cargo run -q -- rules list --markdown > rules/CATALOGUE.md`"
    );
}

#[test]
fn list_of_a_custom_folder_lists_just_those() {
    let dir = tmpdir("list");
    custom_rules(&dir);
    let text = stdout_ok(&run(&["rules", "list", dir.to_str().unwrap()]));
    let rows: Vec<&str> = text
        .lines()
        .skip(1)
        .filter(|l| !l.contains("rules:"))
        .collect();
    let ids: Vec<&str> = rows
        .iter()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(
        ids,
        ["cheap-zqa", "cheap-zqb", "cheap-zqc", "slow-broad"],
        "{text}"
    );
    assert!(text.contains("4 rules: 4 pattern, 0 field"), "{text}");
    // The keyword-less rule shows `-` keywords; the file is named.
    let slow = rows.iter().find(|l| l.starts_with("slow-broad")).unwrap();
    assert!(slow.contains(" - ") && slow.contains("slow.toml"), "{slow}");
    let _ = std::fs::remove_dir_all(&dir);
}

fn rank_rows(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| {
            l.split_whitespace()
                .next()
                .is_some_and(|w| w.parse::<usize>().is_ok())
        })
        .collect()
}

#[test]
fn bench_on_the_sample_log_prints_top_rows_and_a_total() {
    let text = stdout_ok(&run(&[
        "rules",
        "bench",
        "--sample",
        "examples/sample.log",
        "--top",
        "5",
        "--passes",
        "1",
    ]));
    assert_eq!(rank_rows(&text).len(), 5, "{text}");
    assert_eq!(
        text.lines().filter(|l| l.starts_with("total: ")).count(),
        1,
        "{text}"
    );
    assert!(text.contains("full scanner: "), "{text}");
}

#[test]
fn bench_flags_a_broad_keywordless_rule() {
    let dir = tmpdir("bench");
    custom_rules(&dir);
    let sample = dir.join("sample.log");
    let mut s = String::new();
    for i in 0..1000 {
        s.push_str(&format!(
            "req {i} user abc{i}def host web{i}prod step x{i}y job q{i}r node n{i}z ok\n"
        ));
    }
    std::fs::write(&sample, s).unwrap();
    let out = run(&[
        "rules",
        "bench",
        "--no-default-rules",
        "--rules",
        dir.to_str().unwrap(),
        "--sample",
        sample.to_str().unwrap(),
        "--passes",
        "2",
    ]);
    let text = stdout_ok(&out);
    let rows = rank_rows(&text);
    assert_eq!(rows.len(), 4, "{text}");
    assert!(rows[0].contains("slow-broad"), "{text}");
    assert!(rows[0].contains("1000 (100%)"), "{text}");
    assert!(rows[0].trim_end().ends_with("SLOW"), "{text}");
    for r in &rows[1..] {
        assert!(r.contains("0 (0%)") && !r.contains("SLOW"), "{text}");
    }
    assert!(
        text.contains("1 SLOW") && text.contains(": slow-broad;"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn lint_refuses_a_rule_whose_examples_leak_inside_a_url_query() {
    // Anchored at the start of the line, this rule finds the value in its
    // plain examples but not once the line is percent-encoded into a query
    // string: the value would pass through. Unanchored, it is found in
    // every context.
    let dir = tmpdir("ctx-leak");
    let redact = [
        "token 0123456789ab used",
        "token abcdef012345",
        "token 00aa11bb22cc ok",
    ];
    let keep = ["x token zz", "token zz", "tok 0123456789ab"];
    let file = dir.join("leaky.toml");
    std::fs::write(
        &file,
        rule("leaky", r"^token [0-9a-f]{12}\b", &["token"], redact, keep),
    )
    .unwrap();
    let out = run(&["rules", "lint", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        text.matches("leaks when the line is percent-encoded in a URL query")
            .count(),
        3,
        "{text}"
    );
    std::fs::write(
        &file,
        rule("leaky", r"\btoken [0-9a-f]{12}\b", &["token"], redact, keep),
    )
    .unwrap();
    stdout_ok(&run(&["rules", "lint", file.to_str().unwrap()]));
}

#[test]
fn the_workflow_in_rules_readme_runs_as_written() {
    let team = "examples/team-rules/";
    let out = stdout_ok(&run(&["rules", "test", team]));
    assert!(out.contains("12 passed, 0 failed (2 rules)"), "{out}");
    let out = stdout_ok(&run(&["rules", "lint", team]));
    assert!(out.contains("0 error(s), 0 warning(s)"), "{out}");
    let with_key = |args: &[&str], stdin: &[u8]| {
        use std::io::Write;
        let mut child = bin()
            .args(args)
            .env("LOGSCRUB_HASH_KEY", "docs-example-key")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(stdin).unwrap();
        String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap()
    };
    let explained = with_key(
        &[
            "rules",
            "explain",
            "--rules",
            team,
            "charge ok key=acme_live_0f1e2d3c4b5a69788796a5b4c3d2e1f0 for jane.doe@example.com",
        ],
        b"",
    );
    let readme = std::fs::read_to_string("rules/README.md").unwrap();
    assert!(
        explained.contains("acme-billing-key") && explained.contains("[HASH:email:"),
        "{explained}"
    );
    for l in explained.lines() {
        assert!(readme.contains(l), "rules/README.md lacks `{l}`");
    }
    let redacted = with_key(
        &["redact", "--rules", team, "--enable", "ipv4-private"],
        b"user=jane.doe@example.com from 10.1.2.3\n",
    );
    assert_eq!(
        redacted,
        "user=[HASH:email:b585b34a8ee6fc50] from [REDACTED:ipv4-private]\n"
    );
    assert!(readme.contains(redacted.trim_end()));
}

#[test]
fn lint_warns_about_a_rule_without_keywords_unless_it_says_every_line() {
    let dir = tmpdir("every-line");
    let file = dir.join("r.toml");
    let text = rule(
        "order-code",
        r"\b[0-9]{4}-[0-9]{4}-[0-9]{4}\b",
        &[],
        [
            "code 1234-5678-9012",
            "x 0000-1111-2222 y",
            "{\"c\":\"1234-5678-9012\"}",
        ],
        ["code 1234-5678", "12345678", "a-b-c"],
    );
    std::fs::write(&file, &text).unwrap();
    let out = stdout_ok(&run(&["rules", "lint", file.to_str().unwrap()]));
    assert!(
        out.contains("runs on every line") && out.contains("1 warning(s)"),
        "{out}"
    );
    std::fs::write(
        &file,
        text.replace("[[rule]]\n", "[[rule]]\nevery_line = true\n"),
    )
    .unwrap();
    let out = stdout_ok(&run(&["rules", "lint", file.to_str().unwrap()]));
    assert!(out.contains("0 error(s), 0 warning(s)"), "{out}");
}
