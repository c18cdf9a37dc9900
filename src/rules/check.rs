//! `rules test` (every rule's examples, also inside JSON strings, URLs
//! and quotes) and `rules lint` (what a rule file should say and does not).

use super::*;

pub(crate) fn test(paths: &[PathBuf]) -> Result<(), Failure> {
    let rules = load_all(paths)?;
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

/// How a log line is commonly carried inside another: the value a rule
/// finds in the plain line must be redacted in each of these too.
pub(super) const CONTEXTS: [&str; 3] = [
    "a JSON string value",
    "JSON inside a JSON string",
    "percent-encoded in a URL query",
];

pub(super) fn json_string(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() + 2);
    logscrub_engine::json_escape_into(s, &mut out);
    out
}

pub(super) fn percent(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for &b in s {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b);
        } else {
            out.extend_from_slice(format!("%{b:02X}").as_bytes());
        }
    }
    out
}

/// `(line, how the value appears in it)` for context `ctx`.
pub(super) fn in_context(ctx: usize, line: &[u8], value: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let strip = |v: Vec<u8>| v[1..v.len() - 1].to_vec();
    match ctx {
        0 => {
            let mut l = b"{\"level\":\"info\",\"msg\":".to_vec();
            l.extend(json_string(line));
            l.push(b'}');
            (l, strip(json_string(value)))
        }
        1 => {
            let mut l = b"{\"source\":\"queue\",\"body\":".to_vec();
            let mut inner = b"{\"msg\":".to_vec();
            inner.extend(json_string(line));
            inner.push(b'}');
            l.extend(json_string(&inner));
            l.push(b'}');
            (l, strip(json_string(&strip(json_string(value)))))
        }
        _ => {
            let mut l = b"GET /api/v1/search?q=".to_vec();
            l.extend(percent(line));
            l.extend_from_slice(b"&page=2 HTTP/1.1");
            (l, percent(value))
        }
    }
}

/// Examples whose value, found in the plain line, survives when the line is
/// carried in a JSON string, JSON in JSON, or a URL query: a rule written
/// and tested on plain lines that would leak in those logs.
pub(super) fn context_leaks(scanner: &Scanner, e: &RuleEntry) -> Vec<(usize, &'static str)> {
    let mut out = Vec::new();
    for (i, ex) in e.must_redact().iter().enumerate() {
        let line = ex.as_bytes();
        // Multi-line examples (PEM blocks) and examples that already are
        // JSON or encoded are their own context.
        if line.contains(&b'\n') || line.trim_ascii_start().starts_with(b"{") {
            continue;
        }
        let values: Vec<&[u8]> = scanner
            .findings(line)
            .iter()
            .filter(|f| &*f.rule == e.id() && f.end - f.start >= 6)
            .map(|f| &line[f.start..f.end])
            .collect();
        let encoded = line
            .windows(3)
            .any(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit());
        for (c, name) in CONTEXTS.iter().enumerate() {
            if c == 2 && encoded {
                // Percent-encoding an encoded line twice is not a log format.
                continue;
            }
            for v in &values {
                let (l, form) = in_context(c, line, v);
                let red = scanner.redact(&l, Format::Auto);
                if memchr::memmem::find(&red, &form).is_some()
                    || memchr::memmem::find(&red, v).is_some()
                {
                    out.push((i, *name));
                    break;
                }
            }
        }
    }
    out
}

pub(crate) fn lint(paths: &[PathBuf]) -> Result<(), Failure> {
    let rules = load_all(paths)?;
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
            if def.keywords.is_empty()
                && def.exact_keywords.is_empty()
                && !def.every_line
                && !logscrub_engine::scanner::has_literal_anchor(&def.regex)
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
        for (i, ctx) in context_leaks(&scanner, e) {
            errors += 1;
            println!("error {o}: rule `{id}`: must_redact[{i}] leaks when the line is {ctx}");
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
