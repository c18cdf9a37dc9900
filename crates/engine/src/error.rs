//! The engine's one error type.
//!
//! An [`Error`] says where a rule went wrong (file, line, column, rule id) and
//! what to fix. It never carries a scanned value: only rule text, which is
//! configuration, not data.

use std::fmt;

/// What kind of problem an [`Error`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A rule file or folder could not be read.
    Io,
    /// A rule file is not valid TOML or has unknown or missing keys.
    Parse,
    /// A rule is well-formed TOML but not a usable rule (bad regex, too big,
    /// empty match, bad operator settings, duplicate id...).
    Rule,
    /// Scanner settings are wrong (e.g. an unknown rule id to disable).
    Config,
}

/// An error loading rules or building a scanner (boxed: errors are rare and
/// `Result`s stay small).
#[derive(Debug)]
pub struct Error(Box<Inner>);

#[derive(Debug)]
struct Inner {
    kind: ErrorKind,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    rule: Option<String>,
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error(Box::new(Inner {
            kind,
            file: None,
            line: None,
            column: None,
            rule: None,
            message: message.into(),
            source: None,
        }))
    }

    pub(crate) fn at(mut self, file: &str, line: usize, column: usize) -> Self {
        self.0.file = Some(file.to_string());
        self.0.line = Some(line);
        self.0.column = Some(column);
        self
    }

    pub(crate) fn in_file(mut self, file: &str) -> Self {
        self.0.file = Some(file.to_string());
        self
    }

    pub(crate) fn rule(mut self, id: &str) -> Self {
        self.0.rule = Some(id.to_string());
        self
    }

    pub(crate) fn with_source(
        mut self,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        self.0.source = Some(Box::new(source));
        self
    }

    /// What kind of problem this is.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }
    /// The rule file, when the error is about one.
    pub fn file(&self) -> Option<&str> {
        self.0.file.as_deref()
    }
    /// 1-based line in [`Error::file`].
    pub fn line(&self) -> Option<usize> {
        self.0.line
    }
    /// 1-based column in [`Error::file`].
    pub fn column(&self) -> Option<usize> {
        self.0.column
    }
    /// The id of the rule at fault, when known.
    pub fn rule_id(&self) -> Option<&str> {
        self.0.rule.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.0.file {
            write!(f, "{file}")?;
            if let (Some(l), Some(c)) = (self.0.line, self.0.column) {
                write!(f, ":{l}:{c}")?;
            }
            write!(f, ": ")?;
        }
        if let Some(rule) = &self.0.rule {
            write!(f, "rule `{rule}`: ")?;
        }
        write!(f, "{}", self.0.message)?;
        if let Some(src) = &self.0.source {
            // The cause is short for regex errors and says what to fix; keep it
            // on the same line so a CLI user sees it without a chain walker.
            let text = src.to_string();
            if !text.is_empty() {
                write!(f, ": {}", text.replace('\n', " "))?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0
            .source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// Converts a byte offset into a 1-based (line, column).
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = offset
        - before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |p| p + 1)
        + 1;
    (line, col)
}
