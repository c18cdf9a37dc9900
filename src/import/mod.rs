//! `logscrub rules import gitleaks FILE [-o OUT]`: converts a gitleaks (v8)
//! configuration into a logscrub rule file.
//!
//! Everything that has no logscrub equivalent is reported on stderr by rule
//! id (never dropped silently); the output holds what converted, and every
//! emitted rule has been compiled by the engine first. Exit 0 when
//! everything converted, 1 when anything was reported, 2 when the input
//! cannot be read or is not a gitleaks config.
//!
//! The Go (RE2) to Rust regex translation is in `go_regex`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use logscrub_engine::{Rules, Scanner};
use toml::{Table, Value};

use crate::Failure;

mod go_regex;
use go_regex::{capture_groups, go_to_rust};

/// Which tool's configuration to import.
#[derive(Debug, Subcommand)]
pub(crate) enum ImportCommand {
    /// Convert a gitleaks (v8) TOML config. Unconvertible rules and parts
    /// are listed on stderr by rule id; exit 1 if there are any.
    Gitleaks {
        /// The gitleaks config (`.gitleaks.toml`).
        file: PathBuf,
        /// Write the logscrub rule file here instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

pub(crate) fn run(command: ImportCommand) -> Result<(), Failure> {
    match command {
        ImportCommand::Gitleaks { file, output } => gitleaks(&file, output.as_deref()),
    }
}

/// What could not be converted: (id, what), in the order found.
#[derive(Debug, Default)]
struct Report {
    items: Vec<(String, String)>,
    notes: Vec<String>,
    /// Allowlist patterns already compiled by the engine, and the outcome.
    checked: std::collections::HashMap<String, Result<(), String>>,
}

impl Report {
    fn skip(&mut self, id: &str, why: impl Into<String>) {
        let item = (
            id.to_string(),
            format!("rule not converted: {}", why.into()),
        );
        if !self.items.contains(&item) {
            self.items.push(item);
        }
    }
    /// Whether the engine compiles `pattern` as an `allow_regex`.
    fn check_allow(&mut self, pattern: &str) -> Result<(), String> {
        self.checked
            .entry(pattern.to_string())
            .or_insert_with(|| {
                let text = format!(
                    "[[rule]]\nid = \"x\"\ndescription = \"x\"\ncategory = \"secret\"\n\
                     regex = \"x\"\nallow_regex = [{}]\n",
                    quote(pattern)
                );
                let mut rules = Rules::empty();
                rules
                    .add_toml("allowlist", &text)
                    .map_err(|e| e.to_string())
                    .and_then(|r| Scanner::new(r).map(|_| ()).map_err(|e| format!("{e:#}")))
                    .map_err(|e| e.rsplit(": ").next().unwrap_or(&e).to_string())
            })
            .clone()
    }
    fn part(&mut self, id: &str, what: impl Into<String>) {
        let item = (
            id.to_string(),
            format!("part not converted: {}", what.into()),
        );
        if !self.items.contains(&item) {
            self.items.push(item);
        }
    }
}

/// The global allowlist's pseudo id in the report.
const GLOBAL: &str = "[allowlist]";

fn gitleaks(input: &Path, output: Option<&Path>) -> Result<(), Failure> {
    let text = std::fs::read_to_string(input)
        .map_err(|e| Failure::config(anyhow::anyhow!("cannot read {}: {e}", input.display())))?;
    let config: Table = text.parse().map_err(|e: toml::de::Error| {
        Failure::config(anyhow::anyhow!(
            "{}: not valid TOML: {}",
            input.display(),
            e.message().trim()
        ))
    })?;
    let (out, report) = convert(&config, &input.display().to_string())
        .map_err(|m| Failure::config(anyhow::anyhow!("{}: {m}", input.display())))?;
    match output {
        Some(p) => std::fs::write(p, &out)
            .map_err(|e| Failure::runtime(anyhow::anyhow!("cannot write {}: {e}", p.display())))?,
        None => print!("{out}"),
    }
    for (id, what) in &report.items {
        eprintln!("{id}: {what}");
    }
    for n in &report.notes {
        eprintln!("note: {n}");
    }
    if report.items.is_empty() {
        Ok(())
    } else {
        Err(Failure::runtime(anyhow::anyhow!(
            "{} gitleaks rule(s) or part(s) not converted (listed above)",
            report.items.len()
        )))
    }
}

/// A gitleaks allowlist reduced to what logscrub can express.
#[derive(Debug, Default)]
struct Allow {
    allow_regex: Vec<String>,
}

/// Converts a parsed gitleaks config; `Err` when it is not one at all.
fn convert(config: &Table, source: &str) -> Result<(String, Report), String> {
    let mut report = Report::default();
    let mut header = format!(
        "# Converted from the gitleaks config {source} by `logscrub rules import gitleaks`.\n"
    );
    for (key, value) in config {
        match key.as_str() {
            "rules" | "allowlist" | "allowlists" => {}
            "title" | "description" => {
                if let Some(s) = value.as_str() {
                    header.push_str(&format!("# gitleaks {key}: {}\n", one_line(s)));
                }
            }
            "minVersion" => {}
            "extend" => report.part(
                "[extend]",
                "extending another gitleaks config (import that config too)",
            ),
            other => report.part("[config]", format!("unknown key `{other}`")),
        }
    }
    let rules = match config.get("rules") {
        None => &Vec::new(),
        Some(Value::Array(a)) => a,
        Some(_) => return Err("`rules` is not an array of tables ([[rules]])".into()),
    };
    // Global allowlists: [allowlist] and [[allowlists]] (with targetRules).
    let mut globals: Vec<(&Table, Option<Vec<String>>)> = Vec::new();
    match config.get("allowlist") {
        None => {}
        Some(Value::Table(t)) => globals.push((t, None)),
        Some(_) => return Err("`allowlist` is not a table".into()),
    }
    match config.get("allowlists") {
        None => {}
        Some(Value::Array(a)) => {
            for v in a {
                let Some(t) = v.as_table() else {
                    return Err("`allowlists` is not an array of tables".into());
                };
                let targets = t.get("targetRules").and_then(Value::as_array).map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect()
                });
                globals.push((t, targets));
            }
        }
        Some(_) => return Err("`allowlists` is not an array of tables".into()),
    }

    let mut out = header;
    out.push('\n');
    let mut seen: HashSet<String> = HashSet::new();
    let mut converted = 0usize;
    for (i, rule) in rules.iter().enumerate() {
        let Some(rule) = rule.as_table() else {
            return Err("`rules` is not an array of tables ([[rules]])".into());
        };
        let Some(block) = convert_rule(i, rule, &globals, &mut report) else {
            continue;
        };
        if !seen.insert(block.id.clone()) {
            report.skip(&block.gitleaks_id, "duplicate id");
            continue;
        }
        // The engine decides: a rule it refuses is reported and left out.
        let mut one = Rules::empty();
        let check = one
            .add_toml("import", &block.text)
            .map_err(|e| e.to_string())
            .and_then(|r| Scanner::new(r).map(|_| ()).map_err(|e| format!("{e:#}")));
        if let Err(e) = check {
            report.skip(&block.gitleaks_id, format!("refused by the engine: {e}"));
            continue;
        }
        out.push_str(&block.text);
        out.push('\n');
        converted += 1;
    }
    // The whole file must load and compile as emitted.
    let mut all = Rules::empty();
    all.add_toml("import", &out)
        .map_err(|e| format!("internal error: the output does not load: {e}"))?;
    Scanner::new(&all).map_err(|e| format!("internal error: the output does not compile: {e}"))?;
    if converted > 0 {
        report.notes.push(format!(
            "{converted} rule(s) converted with no examples: add at least 3 must_redact and 3 \
             must_keep to each (`logscrub rules test`, `rules lint` and a forwarder reload \
             refuse rules without them)"
        ));
    }
    Ok((out, report))
}

/// One converted rule's TOML block.
#[derive(Debug)]
struct Block {
    gitleaks_id: String,
    id: String,
    text: String,
}

fn convert_rule(
    index: usize,
    rule: &Table,
    globals: &[(&Table, Option<Vec<String>>)],
    report: &mut Report,
) -> Option<Block> {
    let description = rule.get("description").and_then(Value::as_str);
    let gitleaks_id = match rule.get("id").and_then(Value::as_str) {
        Some(id) if !id.is_empty() => id.to_string(),
        _ => description
            .map(slug)
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| format!("gitleaks-rule-{}", index + 1)),
    };
    let gid = gitleaks_id.as_str();
    let id = slug(gid);
    if id != gid {
        report
            .notes
            .push(format!("gitleaks rule `{gid}` imported as `{id}`"));
    }
    let regex = match rule.get("regex") {
        None => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(Value::String(s)) => Some(go_to_rust(s)),
        Some(_) => {
            report.skip(gid, "`regex` is not a string");
            return None;
        }
    };
    let Some(regex) = regex.as_deref() else {
        if rule.contains_key("path") {
            report.skip(
                gid,
                "path-only rule (it matches file names; log lines have none)",
            );
        } else {
            report.skip(gid, "no `regex`");
        }
        return None;
    };
    let mut tags = Vec::new();
    for (key, value) in rule {
        match key.as_str() {
            "id" | "description" | "regex" | "secretGroup" | "entropy" | "keywords"
            | "allowlist" | "allowlists" => {}
            "tags" => {
                if let Some(a) = value.as_array() {
                    tags.extend(a.iter().filter_map(Value::as_str).map(String::from));
                }
            }
            "path" => report.part(
                gid,
                "`path` (log lines have no file path): the rule applies to every line",
            ),
            other => report.part(gid, format!("key `{other}` has no logscrub equivalent")),
        }
    }
    let group = match rule.get("secretGroup") {
        None => None,
        Some(Value::Integer(n)) if *n >= 0 => Some(*n as usize),
        Some(_) => {
            report.skip(gid, "`secretGroup` is not a non-negative integer");
            return None;
        }
    };
    let group = match group.filter(|&g| g > 0) {
        Some(g) => g,
        // gitleaks: without secretGroup the secret is the first non-empty
        // capture group, else the whole match.
        None => match capture_groups(regex) {
            0 => 0,
            1 => 1,
            n => {
                report.part(
                    gid,
                    format!(
                        "no `secretGroup` and {n} capture groups (gitleaks takes the first \
                         non-empty one): the whole match is redacted and allowlists apply to it"
                    ),
                );
                0
            }
        },
    };
    let entropy = match rule.get("entropy") {
        None => None,
        Some(Value::Float(f)) => Some(*f),
        Some(Value::Integer(n)) => Some(*n as f64),
        Some(_) => {
            report.skip(gid, "`entropy` is not a number");
            return None;
        }
    };
    let keywords: Vec<String> = match rule.get("keywords") {
        None => Vec::new(),
        Some(Value::Array(a)) if a.iter().all(Value::is_str) => a
            .iter()
            .filter_map(Value::as_str)
            .map(String::from)
            .collect(),
        Some(_) => {
            report.skip(gid, "`keywords` is not an array of strings");
            return None;
        }
    };
    let mut allow = Allow::default();
    let mut lists: Vec<&Table> = Vec::new();
    match rule.get("allowlist") {
        None => {}
        Some(Value::Table(t)) => lists.push(t),
        Some(_) => report.part(gid, "`allowlist` is not a table"),
    }
    match rule.get("allowlists") {
        None => {}
        Some(Value::Array(a)) => {
            for v in a {
                match v.as_table() {
                    Some(t) => lists.push(t),
                    None => report.part(gid, "`allowlists` entry is not a table"),
                }
            }
        }
        Some(_) => report.part(gid, "`allowlists` is not an array of tables"),
    }
    for t in lists {
        convert_allowlist(t, group, gid, gid, &mut allow, report);
    }
    for (t, targets) in globals {
        if targets
            .as_ref()
            .is_some_and(|ts| !ts.iter().any(|r| r == gid))
        {
            continue;
        }
        convert_allowlist(t, group, GLOBAL, gid, &mut allow, report);
    }

    let mut text = String::from("[[rule]]\n");
    text.push_str(&format!("id = {}\n", quote(&id)));
    let description = description.filter(|d| !d.trim().is_empty()).unwrap_or(gid);
    text.push_str(&format!("description = {}\n", quote(description)));
    text.push_str("category = \"secret\"\n");
    if !tags.is_empty() {
        text.push_str(&format!(
            "# gitleaks tags: {}\n",
            one_line(&tags.join(", "))
        ));
    }
    text.push_str(&format!("regex = {}\n", quote(regex)));
    if group > 0 {
        text.push_str(&format!("group = {group}\n"));
    }
    if !keywords.is_empty() {
        text.push_str(&format!("keywords = {}\n", array(&keywords)));
    }
    if let Some(e) = entropy {
        text.push_str(&format!("min_entropy = {}\n", Value::Float(e)));
    }
    if !allow.allow_regex.is_empty() {
        text.push_str(&format!("allow_regex = {}\n", array(&allow.allow_regex)));
    }
    text.push_str("operator = \"mask\"\n");
    text.push_str("# TODO: add examples (at least 3 of each; gitleaks rules ship none)\n");
    text.push_str("must_redact = []\nmust_keep = []\n");
    Some(Block {
        gitleaks_id,
        id,
        text,
    })
}

/// Adds what an allowlist can express to `allow`; reports the rest under
/// `report_id` (the rule's id, or the global allowlist's).
fn convert_allowlist(
    t: &Table,
    group: usize,
    report_id: &str,
    rule_id: &str,
    allow: &mut Allow,
    report: &mut Report,
) {
    let strings = |key: &str| -> Vec<String> {
        t.get(key)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    for key in t.keys() {
        match key.as_str() {
            "description" | "condition" | "regexTarget" | "regexes" | "stopwords" | "paths"
            | "commits" | "targetRules" => {}
            other => report.part(report_id, format!("allowlist key `{other}`")),
        }
    }
    let regexes = strings("regexes");
    let stopwords = strings("stopwords");
    let paths = strings("paths");
    let commits = strings("commits");
    let kinds: Vec<&str> = [
        ("regexes", !regexes.is_empty()),
        ("stopwords", !stopwords.is_empty()),
        ("paths", !paths.is_empty()),
        ("commits", !commits.is_empty()),
    ]
    .iter()
    .filter(|(_, set)| *set)
    .map(|(k, _)| *k)
    .collect();
    let and = t
        .get("condition")
        .and_then(Value::as_str)
        .is_some_and(|c| c.eq_ignore_ascii_case("and"));
    if and && kinds.len() > 1 {
        // Keeping only some of the criteria would allow more than gitleaks
        // does; keep none (the rule redacts more, never less).
        report.part(
            report_id,
            format!(
                "allowlist with condition = \"AND\" over {} (logscrub allowlists are OR): \
                 the whole allowlist is left out",
                kinds.join(" and ")
            ),
        );
        return;
    }
    if !paths.is_empty() {
        report.part(report_id, "allowlist `paths` (log lines have no file path)");
    }
    if !commits.is_empty() {
        report.part(report_id, "allowlist `commits` (log lines have no commit)");
    }
    if !regexes.is_empty() {
        let target = t
            .get("regexTarget")
            .and_then(Value::as_str)
            .unwrap_or("secret");
        let ok = match target {
            "secret" | "" => true,
            "match" if group == 0 => true,
            "match" => {
                report.part(
                    report_id,
                    format!(
                        "allowlist regexes with regexTarget = \"match\" (rule `{rule_id}` redacts \
                         group {group}; logscrub allowlists see only that value)"
                    ),
                );
                false
            }
            other => {
                report.part(
                    report_id,
                    format!(
                        "allowlist regexes with regexTarget = \"{other}\" (logscrub allowlists \
                         see only the redacted value)"
                    ),
                );
                false
            }
        };
        if ok {
            // gitleaks searches the secret; logscrub matches the whole value.
            for r in regexes {
                let wrapped = format!("(?s:.*)(?:{})(?s:.*)", go_to_rust(&r));
                match report.check_allow(&wrapped) {
                    Ok(()) => allow.allow_regex.push(wrapped),
                    Err(e) => report.part(
                        report_id,
                        format!("allowlist regex {} (the engine refuses it: {e})", quote(&r)),
                    ),
                }
            }
        }
    }
    if !stopwords.is_empty() {
        // gitleaks: the lower-cased secret contains the stopword.
        let alts: Vec<String> = stopwords
            .iter()
            .filter(|w| !w.is_empty())
            .map(|w| regex_syntax::escape(w))
            .collect();
        if !alts.is_empty() {
            let joined = format!("(?i)(?s:.*)(?:{})(?s:.*)", alts.join("|"));
            match report.check_allow(&joined) {
                Ok(()) => allow.allow_regex.push(joined),
                Err(e) => report.part(
                    report_id,
                    format!("allowlist stopwords (the engine refuses them: {e})"),
                ),
            }
        }
    }
}

/// A logscrub id (`[a-z0-9-]+`) from a gitleaks id or description.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

fn quote(s: &str) -> String {
    Value::String(s.to_string()).to_string()
}

fn array(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| quote(s)).collect();
    format!("[{}]", quoted.join(", "))
}

fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("AWS_Access Key!"), "aws-access-key");
    }
}
