//! Running the rules' own examples against a compiled scanner.
//!
//! Every rule carries `must_redact` and `must_keep` texts. They run through
//! the whole scanner, the way a line in production is redacted (JSON
//! awareness, escapes, several lines carrying a multi-line block), and a
//! `must_redact` text passes when it produces at least one finding of
//! *this* rule, a `must_keep` text when it produces none of this rule.
//!
//! `logscrub rules test` prints the failures; the forwarder runs the same
//! check before it swaps a reloaded rule set in, and keeps the old rules
//! when anything fails.

use std::fmt;

use crate::{Format, Origin, Rules, Scanner};

/// One example that did not behave as its rule says.
///
/// `Display` names the file, line, rule id and which example failed, never
/// the example's text: the forwarder logs it. [`ExampleFailure::example`]
/// gives the text to tools that show it (examples are fixtures the rule
/// author wrote, fake by policy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFailure {
    origin: Origin,
    rule: String,
    kind: FailureKind,
    example: Option<String>,
}

/// What went wrong with an example.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FailureKind {
    /// The rule has no `must_redact` or no `must_keep` example.
    Missing,
    /// `must_redact[i]` produced no finding of the rule.
    NotRedacted(usize),
    /// `must_keep[i]` produced a finding of the rule.
    NotKept(usize),
}

impl ExampleFailure {
    /// Where the rule was written.
    pub fn origin(&self) -> &Origin {
        &self.origin
    }

    /// The rule's id.
    pub fn rule_id(&self) -> &str {
        &self.rule
    }

    /// What went wrong.
    pub fn kind(&self) -> FailureKind {
        self.kind
    }

    /// The example's text (none for [`FailureKind::Missing`]).
    pub fn example(&self) -> Option<&str> {
        self.example.as_deref()
    }
}

impl fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: rule `{}`: ", self.origin, self.rule)?;
        match self.kind {
            FailureKind::Missing => f.write_str("needs must_redact and must_keep examples"),
            FailureKind::NotRedacted(i) => write!(f, "must_redact[{i}] not found"),
            FailureKind::NotKept(i) => write!(f, "must_keep[{i}] was matched"),
        }
    }
}

impl std::error::Error for ExampleFailure {}

/// Findings of `rule` when `text` (possibly several lines) is redacted as
/// a stream of lines, the way `logscrub redact` and the forwarder do.
fn count_for(scanner: &Scanner, text: &str, rule: &str) -> u64 {
    let mut r = scanner.lines(Format::Auto);
    for line in text.split('\n') {
        let _ = r.redact(line.as_bytes());
    }
    r.counts().get(rule)
}

/// Runs every rule's examples through `scanner` (compiled from `rules`)
/// and returns the failures, in rule order; empty when all pass.
pub fn test_examples(rules: &Rules, scanner: &Scanner) -> Vec<ExampleFailure> {
    let mut out = Vec::new();
    // An opt-in rule that is not enabled is not in the scanner.
    for e in rules.entries().iter().filter(|e| e.enabled()) {
        let fail = |kind, example: Option<&String>| ExampleFailure {
            origin: e.origin().clone(),
            rule: e.id().to_owned(),
            kind,
            example: example.cloned(),
        };
        if e.must_redact().is_empty() || e.must_keep().is_empty() {
            out.push(fail(FailureKind::Missing, None));
        }
        for (i, ex) in e.must_redact().iter().enumerate() {
            if count_for(scanner, ex, e.id()) == 0 {
                out.push(fail(FailureKind::NotRedacted(i), Some(ex)));
            }
        }
        for (i, ex) in e.must_keep().iter().enumerate() {
            if count_for(scanner, ex, e.id()) > 0 {
                out.push(fail(FailureKind::NotKept(i), Some(ex)));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_pack_passes_its_own_examples() {
        let rules = Rules::embedded();
        let scanner = Scanner::new(&rules).unwrap();
        let failures = test_examples(&rules, &scanner);
        assert!(failures.is_empty(), "{failures:?}");
    }

    #[test]
    fn a_failing_example_is_named_without_its_text() {
        let mut rules = Rules::empty();
        rules
            .add_toml(
                "team.toml",
                "[[rule]]\nid = \"order\"\ndescription = \"x\"\ncategory = \"pii\"\n\
                 regex = '''ORD-[0-9]{6}'''\nmust_redact = [\"ORD-123456\", \"ORD-12x\"]\n\
                 must_keep = [\"nothing\"]\n",
            )
            .unwrap();
        let scanner = Scanner::new(&rules).unwrap();
        let failures = test_examples(&rules, &scanner);
        assert_eq!(failures.len(), 1);
        let f = &failures[0];
        assert_eq!(f.kind(), FailureKind::NotRedacted(1));
        assert_eq!(f.example(), Some("ORD-12x"));
        assert_eq!(
            f.to_string(),
            "team.toml:1:1: rule `order`: must_redact[1] not found"
        );
    }
}
