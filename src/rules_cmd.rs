//! `logscrub rules test|lint|explain`: the security team's tools.
//!
//! Examples are fixtures the rule author wrote (fake by policy), so test and
//! lint output may quote them; `explain` prints rule ids and spans, and the
//! redacted text, never the matched values.

use std::io::Read;
use std::path::PathBuf;

use logscrub_engine::{Format, RuleEntry, Rules, Scanner};

use crate::{Failure, RuleArgs};

fn load(paths: &[PathBuf]) -> Result<Rules, Failure> {
    if paths.is_empty() {
        return Ok(Rules::embedded());
    }
    let mut rules = Rules::empty();
    for p in paths {
        rules.add_path(p).map_err(Failure::config)?;
    }
    Ok(rules)
}

fn one_line(s: &str) -> String {
    let s = s.replace('\n', "\\n");
    if s.chars().count() > 120 {
        format!("{}...", s.chars().take(117).collect::<String>())
    } else {
        s
    }
}

pub(crate) fn test(paths: &[PathBuf]) -> Result<(), Failure> {
    let rules = load(paths)?;
    let scanner = Scanner::new(&rules).map_err(Failure::config)?;
    // The same check the forwarder runs before it swaps reloaded rules in.
    let failed = logscrub_engine::test_examples(&rules, &scanner);
    for f in &failed {
        match f.example() {
            Some(ex) => println!("FAIL {f}: {}", one_line(ex)),
            None => println!("FAIL {f}"),
        }
    }
    let examples: usize = rules
        .entries()
        .iter()
        .map(|e| e.must_redact().len() + e.must_keep().len())
        .sum();
    let failures = failed.len();
    let n = rules.entries().len();
    if failures > 0 {
        println!(
            "{failures} failed, {} passed ({n} rules)",
            examples.saturating_sub(failures)
        );
        return Err(Failure::runtime(anyhow::anyhow!(
            "{failures} rule example(s) failed"
        )));
    }
    println!("{examples} passed, 0 failed ({n} rules)");
    Ok(())
}

pub(crate) fn lint(paths: &[PathBuf]) -> Result<(), Failure> {
    let rules = load(paths)?;
    let mut errors = 0usize;
    let mut warnings = 0usize;
    // Duplicate ids.
    let mut seen: std::collections::HashMap<&str, &logscrub_engine::Origin> = Default::default();
    for e in rules.entries() {
        if let Some(prev) = seen.insert(e.id(), e.origin()) {
            errors += 1;
            println!(
                "error {}: rule `{}`: duplicate id (also at {prev})",
                e.origin(),
                e.id()
            );
        }
    }
    if errors > 0 {
        return Err(Failure::config(anyhow::anyhow!("{errors} lint error(s)")));
    }
    let scanner = Scanner::new(&rules).map_err(Failure::config)?;
    for e in rules.entries() {
        let o = e.origin();
        let id = e.id();
        let (r, k) = (e.must_redact().len(), e.must_keep().len());
        if r < 3 || k < 3 {
            errors += 1;
            println!("error {o}: rule `{id}`: {r} must_redact and {k} must_keep examples; at least 3 of each");
        }
        if let RuleEntry::Pattern(def, _) = e {
            if def.keywords.is_empty() && !logscrub_engine::scanner::has_literal_anchor(&def.regex)
            {
                warnings += 1;
                println!("warning {o}: rule `{id}`: no keywords and no literal in the pattern: it runs on every line");
            }
            if def.description.trim().is_empty() {
                errors += 1;
                println!("error {o}: rule `{id}`: empty description");
            }
        }
        // Shadowing: every finding of this rule in its own examples lies
        // inside a redaction named after another rule.
        let mut shadowed_by: Option<String> = None;
        let mut any = false;
        let mut all_shadowed = true;
        for ex in e.must_redact() {
            let found = scanner.findings(ex.as_bytes());
            for f in found.iter().filter(|f| &*f.rule == id) {
                any = true;
                let winner = found
                    .iter()
                    .filter(|g| {
                        &*g.rule != id
                            && g.start <= f.start
                            && g.end >= f.end
                            && (g.start < f.start
                                || g.end > f.end
                                || rank(&scanner, &g.rule) < rank(&scanner, id))
                    })
                    .min_by_key(|g| (g.start, std::cmp::Reverse(g.end)));
                match winner {
                    Some(w) => shadowed_by = Some(w.rule.to_string()),
                    None => all_shadowed = false,
                }
            }
        }
        if any && all_shadowed {
            if let Some(w) = shadowed_by {
                warnings += 1;
                println!("warning {o}: rule `{id}`: shadowed by `{w}` on every example (its redactions carry the other rule's name)");
            }
        }
    }
    println!(
        "{} rules: {errors} error(s), {warnings} warning(s)",
        rules.entries().len()
    );
    if errors > 0 {
        return Err(Failure::config(anyhow::anyhow!("{errors} lint error(s)")));
    }
    Ok(())
}

fn rank(scanner: &Scanner, id: &str) -> usize {
    scanner
        .rule_ids()
        .position(|r| r == id)
        .unwrap_or(usize::MAX)
}

pub(crate) fn explain(args: &RuleArgs, text: &str) -> Result<(), Failure> {
    let scanner = args.scanner(logscrub_engine::scanner::DEFAULT_MAX_EVENT_BYTES)?;
    let input = if text == "-" {
        let mut s = Vec::new();
        std::io::stdin()
            .read_to_end(&mut s)
            .map_err(Failure::runtime)?;
        s
    } else {
        text.as_bytes().to_vec()
    };
    let mut r = scanner.lines(Format::Auto);
    for (n, line) in input.split(|&b| b == b'\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        let findings = scanner.findings(line);
        let redacted = r.redact(line);
        if findings.is_empty() && matches!(redacted, std::borrow::Cow::Borrowed(_)) {
            println!("line {}: no findings", n + 1);
            continue;
        }
        println!("line {}:", n + 1);
        for f in &findings {
            println!("  {:<32} bytes {}..{}", f.rule, f.start, f.end);
        }
        println!("  => {}", String::from_utf8_lossy(&redacted));
    }
    Ok(())
}
