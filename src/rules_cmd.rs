//! `logscrub rules test|lint|explain|list|bench`: the security team's tools.
//!
//! Examples are fixtures the rule author wrote (fake by policy), so test and
//! lint output may quote them; `explain` prints rule ids and spans, and the
//! redacted text, never the matched values.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use logscrub_engine::rules::{OperatorKind, ValidatorKind};
use logscrub_engine::{Category, Format, RuleEntry, Rules, Scanner, Severity};

use crate::{Failure, RuleArgs};

/// The default pack, or the given files and folders, as written.
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

/// [`load`] with the opt-in rules turned on: test and lint check them too.
fn load_all(paths: &[PathBuf]) -> Result<Rules, Failure> {
    let mut rules = load(paths)?;
    rules.enable_all();
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
const CONTEXTS: [&str; 3] = [
    "a JSON string value",
    "JSON inside a JSON string",
    "percent-encoded in a URL query",
];

fn json_string(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() + 2);
    logscrub_engine::json_escape_into(s, &mut out);
    out
}

fn percent(s: &[u8]) -> Vec<u8> {
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
fn in_context(ctx: usize, line: &[u8], value: &[u8]) -> (Vec<u8>, Vec<u8>) {
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
fn context_leaks(scanner: &Scanner, e: &RuleEntry) -> Vec<(usize, &'static str)> {
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
        let explained = scanner.explain(line);
        let redacted = r.redact(line);
        if explained.is_empty() && matches!(redacted, std::borrow::Cow::Borrowed(_)) {
            match scanner.gate_reason(line) {
                None => println!(
                    "line {}: no findings (no rule's keyword, key name or shape occurs in it)",
                    n + 1
                ),
                Some(_) => println!(
                    "line {}: no findings (a keyword or shape occurs, but no rule's pattern matches)",
                    n + 1
                ),
            }
            continue;
        }
        println!("line {}:", n + 1);
        for e in &explained {
            println!(
                "  {:<9} {:<32} bytes {}..{}: {}",
                if e.redacted { "redacted" } else { "kept" },
                e.rule,
                e.start,
                e.end,
                e.reason
            );
        }
        if explained.iter().all(|e| !e.redacted) && matches!(redacted, std::borrow::Cow::Owned(_)) {
            println!("  (redacted as a JSON document: a key names the value, or a string inside it holds a finding)");
        }
        println!("  => {}", String::from_utf8_lossy(&redacted));
    }
    Ok(())
}

// ---------------------------------------------------------------- list

/// One catalogue row.
struct ListRow {
    id: String,
    kind: &'static str,
    category: &'static str,
    severity: &'static str,
    operator: &'static str,
    validator: String,
    /// Pattern rules: keyword count (`-`: runs on every line); field
    /// rules: how many key names.
    anchors: String,
    file: String,
    description: String,
}

fn category_name(c: Category) -> &'static str {
    match c {
        Category::Pii => "pii",
        Category::Secret => "secret",
    }
}

fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Low => "low",
        Severity::Medium => "medium",
        Severity::High => "high",
        Severity::Critical => "critical",
    }
}

fn operator_name(o: OperatorKind) -> &'static str {
    match o {
        OperatorKind::Mask => "mask",
        OperatorKind::Partial => "partial",
        OperatorKind::Hash => "hash",
        OperatorKind::Drop => "drop",
    }
}

/// A validator's name as rule files spell it, `-` for none.
fn validator_name(v: Option<ValidatorKind>) -> String {
    v.map_or_else(|| "-".to_string(), |v| v.name())
}

fn kind_name(e: &RuleEntry) -> &'static str {
    match e {
        RuleEntry::Pattern(..) => "pattern",
        RuleEntry::Field(..) => "field",
    }
}

/// The file a rule came from, without `embedded:` or folders.
fn short_file(o: &logscrub_engine::Origin) -> String {
    let f = o.file.strip_prefix("embedded:").unwrap_or(&o.file);
    Path::new(f)
        .file_name()
        .map_or_else(|| f.to_string(), |n| n.to_string_lossy().into_owned())
}

fn list_row(e: &RuleEntry) -> ListRow {
    let file = short_file(e.origin());
    match e {
        RuleEntry::Pattern(d, _) => ListRow {
            id: d.id.clone(),
            kind: "pattern",
            category: category_name(d.category),
            severity: severity_name(d.severity),
            operator: operator_name(d.operator),
            validator: validator_name(d.validator),
            anchors: if d.keywords.is_empty() {
                "-".to_string()
            } else {
                d.keywords.len().to_string()
            },
            file,
            description: if d.enabled {
                d.description.trim().replace('\n', " ")
            } else {
                format!("(opt-in) {}", d.description.trim().replace('\n', " "))
            },
        },
        RuleEntry::Field(d, _) => ListRow {
            id: d.id.clone(),
            kind: "field",
            category: category_name(d.category),
            severity: severity_name(d.severity),
            operator: operator_name(d.operator),
            validator: "-".to_string(),
            anchors: format!("{} names", d.names.len()),
            file,
            description: d.description.trim().replace('\n', " "),
        },
    }
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|")
}

/// `rules list`: the catalogue of the default pack or of the given files
/// and folders, as aligned text or a Markdown table.
pub(crate) fn list(paths: &[PathBuf], markdown: bool) -> Result<(), Failure> {
    let rules = load(paths)?;
    let rows: Vec<ListRow> = rules.entries().iter().map(list_row).collect();
    let patterns = rows.iter().filter(|r| r.kind == "pattern").count();
    let pii = rows.iter().filter(|r| r.category == "pii").count();
    let summary = format!(
        "{} rules: {patterns} pattern, {} field; {pii} pii, {} secret",
        rows.len(),
        rows.len() - patterns,
        rows.len() - pii
    );
    let mut out = String::new();
    if markdown {
        out.push_str("# Rule catalogue\n\n");
        if paths.is_empty() {
            out.push_str(
                "Generated by `logscrub rules list --markdown > rules/CATALOGUE.md` from the \
                 default pack: do not edit by hand (`scripts/test.sh` checks it is current). \
                 The rule format is in [README.md](README.md).\n\n",
            );
        } else {
            out.push_str("Generated by `logscrub rules list --markdown`.\n\n");
        }
        out.push_str(
            "Keywords: how many keywords gate a pattern rule (`-`: none, it runs on every \
             line); for a field rule, how many key names it matches.\n\n",
        );
        out.push_str("| id | kind | category | severity | operator | validator | keywords | file | detects |\n");
        out.push_str("|---|---|---|---|---|---|---|---|---|\n");
        for r in &rows {
            out.push_str(&format!(
                "| `{}` | {} | {} | {} | {} | {} | {} | {} | {} |\n",
                r.id,
                r.kind,
                r.category,
                r.severity,
                r.operator,
                if r.validator == "-" {
                    "-".to_string()
                } else {
                    format!("`{}`", r.validator)
                },
                r.anchors,
                md_cell(&r.file),
                md_cell(&r.description)
            ));
        }
        out.push_str(&format!("\n{summary}.\n"));
    } else {
        let header = [
            "ID",
            "KIND",
            "CATEGORY",
            "SEVERITY",
            "OPERATOR",
            "VALIDATOR",
            "KEYWORDS",
            "FILE",
            "DETECTS",
        ];
        let cells: Vec<[&str; 9]> = rows
            .iter()
            .map(|r| {
                [
                    r.id.as_str(),
                    r.kind,
                    r.category,
                    r.severity,
                    r.operator,
                    &r.validator,
                    r.anchors.as_str(),
                    r.file.as_str(),
                    r.description.as_str(),
                ]
            })
            .collect();
        let mut width = header.map(str::len);
        for c in &cells {
            for (w, s) in width.iter_mut().zip(c) {
                *w = (*w).max(s.chars().count());
            }
        }
        let mut line = |c: &[&str; 9]| {
            let mut l = String::new();
            for (i, s) in c.iter().enumerate() {
                if i + 1 == c.len() {
                    l.push_str(s);
                } else {
                    l.push_str(&format!("{s:<w$}  ", w = width[i]));
                }
            }
            out.push_str(l.trim_end());
            out.push('\n');
        };
        line(&header);
        for c in &cells {
            line(c);
        }
        out.push_str(&summary);
        out.push('\n');
    }
    print!("{out}");
    Ok(())
}

// ---------------------------------------------------------------- bench

/// Rules whose single-rule pass costs more than this many times the median
/// are flagged SLOW.
const SLOW_FACTOR: f64 = 3.0;

/// A pass over a small sample repeats it until this many lines are
/// redacted, so a 20-line sample does not measure timer noise.
const MIN_PASS_LINES: usize = 5_000;

/// The fastest of `passes` redaction passes over `lines`, as a stream
/// (`Format::Auto`, as `logscrub redact` does), per pass over the sample.
fn best_pass(scanner: &Scanner, lines: &[&[u8]], passes: usize) -> Duration {
    let rounds = MIN_PASS_LINES.div_ceil(lines.len().max(1)).max(1);
    let mut best = Duration::MAX;
    for _ in 0..passes.max(1) {
        let mut r = scanner.lines(Format::Auto);
        let t = Instant::now();
        let mut n = 0usize;
        for _ in 0..rounds {
            for l in lines {
                n += r.redact(l).len();
            }
        }
        std::hint::black_box(n);
        best = best.min(t.elapsed() / rounds as u32);
    }
    best
}

fn mb_per_s(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64().max(1e-9)
}

fn ns_per_line(lines: usize, d: Duration) -> f64 {
    d.as_nanos() as f64 / lines.max(1) as f64
}

struct BenchRow {
    id: String,
    kind: &'static str,
    gate_lines: usize,
    hits: u64,
    time: Duration,
}

/// `rules bench`: the full scanner's throughput on a sample, and what each
/// rule costs there (a scanner of that rule alone), worst first.
pub(crate) fn bench(
    args: &RuleArgs,
    sample: &Path,
    top: usize,
    passes: usize,
) -> Result<(), Failure> {
    let started = Instant::now();
    let max = logscrub_engine::scanner::DEFAULT_MAX_EVENT_BYTES;
    let rules = logscrub_forward::load_rules(&args.config(max)).map_err(Failure::config)?;
    // A fixed key: `hash` rules need one, and its value costs nothing.
    let build = |r: &Rules| {
        Scanner::builder()
            .hash_key(b"logscrub-rules-bench".to_vec())
            .max_event_bytes(max)
            .build(r)
            .map_err(Failure::config)
    };
    let full = build(&rules)?;
    let data = std::fs::read(sample)
        .map_err(|e| Failure::config(anyhow::anyhow!("cannot read {}: {e}", sample.display())))?;
    let lines: Vec<&[u8]> = data
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() {
        return Err(Failure::config(anyhow::anyhow!(
            "{}: no lines to measure",
            sample.display()
        )));
    }
    let bytes: usize = lines.iter().map(|l| l.len() + 1).sum();
    let n = lines.len();

    // The whole pack: throughput, redactions per rule, why lines pass the gate.
    let full_time = best_pass(&full, &lines, passes);
    let mut redactor = full.lines(Format::Auto);
    let mut reasons: std::collections::HashMap<&str, usize> = Default::default();
    let mut gated = 0usize;
    for l in &lines {
        redactor.redact(l);
        if let Some(r) = full.gate_reason(l) {
            gated += 1;
            *reasons.entry(r).or_default() += 1;
        }
    }
    let counts = redactor.counts();

    // Each rule alone. Lines that only an escape (`%41`, `\n`...) lets past
    // the gate are not the rule's doing: an empty scanner finds those.
    let base = build(&Rules::empty())?;
    let escaped: Vec<bool> = lines
        .iter()
        .map(|l| base.gate_reason(l).is_some())
        .collect();
    let base_time = best_pass(&base, &lines, passes);
    let mut rows = Vec::new();
    for e in rules.entries() {
        let mut one = Rules::empty();
        one.push(e.clone());
        let scanner = build(&one)?;
        let gate_lines = lines
            .iter()
            .zip(&escaped)
            .filter(|(l, esc)| !**esc && scanner.gate_reason(l).is_some())
            .count();
        rows.push(BenchRow {
            id: e.id().to_string(),
            kind: kind_name(e),
            gate_lines,
            hits: counts.get(e.id()),
            time: best_pass(&scanner, &lines, passes),
        });
    }
    rows.sort_by(|a, b| b.time.cmp(&a.time).then_with(|| a.id.cmp(&b.id)));
    // The floor again, now that the caches are warm: the faster counts.
    let base_time = base_time.min(best_pass(&base, &lines, passes));
    // What a rule adds to the no-rules floor (JSON parsing, line handling).
    let extra = |r: &BenchRow| r.time.saturating_sub(base_time);
    let mut extras: Vec<Duration> = rows.iter().map(extra).collect();
    extras.sort();
    let median = extras[(extras.len() - 1) / 2];
    // Noise guard: a rule must also at least double the floor to be SLOW.
    let slow_limit = (median.as_secs_f64() * SLOW_FACTOR).max(base_time.as_secs_f64());
    let is_slow = |r: &BenchRow| extra(r).as_secs_f64() > slow_limit;

    println!(
        "sample {}: {n} lines, {bytes} bytes; {} rules; best of {} passes",
        sample.display(),
        rows.len(),
        passes.max(1)
    );
    println!(
        "full scanner: {:.1} MB/s, {:.0} ns/line; the gate lets {gated} of {n} lines through",
        mb_per_s(bytes, full_time),
        ns_per_line(n, full_time)
    );
    let mut reasons: Vec<(&str, usize)> = reasons.into_iter().collect();
    reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    for (r, c) in reasons.iter().take(5) {
        println!("  gate: {c:>7} lines  {}", one_line(r));
    }
    println!(
        "no rules: {:.0} ns/line (the floor each single-rule pass includes; EXTRA is a rule's cost above it)",
        ns_per_line(n, base_time)
    );
    println!();
    let id_w = rows
        .iter()
        .take(top)
        .map(|r| r.id.len())
        .max()
        .unwrap_or(4)
        .max(4);
    println!(
        "{:>4}  {:<id_w$}  {:<7}  {:>14}  {:>8}  {:>9}  {:>8}  {:>8}  FLAG",
        "RANK", "RULE", "KIND", "GATE LINES", "HITS", "NS/LINE", "EXTRA", "MB/S"
    );
    for (i, r) in rows.iter().take(top).enumerate() {
        let pct = 100.0 * r.gate_lines as f64 / n as f64;
        let row = format!(
            "{:>4}  {:<id_w$}  {:<7}  {:>14}  {:>8}  {:>9.0}  {:>8}  {:>8.1}  {}",
            i + 1,
            r.id,
            r.kind,
            format!("{} ({pct:.0}%)", r.gate_lines),
            r.hits,
            ns_per_line(n, r.time),
            format!("+{:.0}", ns_per_line(n, extra(r))),
            mb_per_s(bytes, r.time),
            if is_slow(r) { "SLOW" } else { "" }
        );
        println!("{}", row.trim_end());
    }
    let slow: Vec<&str> = rows
        .iter()
        .filter(|r| is_slow(r))
        .map(|r| r.id.as_str())
        .collect();
    println!(
        "total: {} rules ({} shown), full scanner {:.1} MB/s; median rule +{:.0} ns/line over the floor; {} SLOW (> {SLOW_FACTOR}x median and > the floor){}{}; measured in {:.1} s",
        rows.len(),
        rows.len().min(top),
        mb_per_s(bytes, full_time),
        ns_per_line(n, median),
        slow.len(),
        if slow.is_empty() { "" } else { ": " },
        slow.join(", "),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
