//! `logscrub`: redacts PII and secrets from logs.
//!
//! Exit codes: 0 ok, 1 runtime error (I/O, a failing rule test), 2 usage or
//! configuration error (bad flags, a rule file that does not load).

#![forbid(unsafe_code)]

mod redact;
mod rules_cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use logscrub_engine::{Format, Rules, Scanner};

/// Redacts PII and secrets from logs with one compiled automaton.
#[derive(Debug, Parser)]
#[command(name = "logscrub", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Redact lines from files (or stdin) to stdout or a file: one output
    /// line per input line, in order.
    Redact(RedactArgs),
    /// Test, lint and explain rules.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
}

#[derive(Debug, Subcommand)]
enum RulesCommand {
    /// Run every rule's must_redact / must_keep examples (default pack, or
    /// the given files and folders).
    Test {
        /// Rule files or folders to test instead of the default pack.
        paths: Vec<PathBuf>,
    },
    /// Find duplicate ids, rules without enough examples, rules with no
    /// literal anchor or keyword, and rules that shadow each other.
    Lint {
        /// Rule files or folders to lint instead of the default pack.
        paths: Vec<PathBuf>,
    },
    /// Show which rules match where in TEXT (or stdin with `-`).
    Explain {
        #[command(flatten)]
        rules: RuleArgs,
        /// The text to explain, or `-` for stdin.
        text: String,
    },
}

/// Which rules to load.
#[derive(Debug, Args, Clone)]
struct RuleArgs {
    /// Extra rule file or folder (repeatable). A rule with the id of a
    /// default rule replaces it.
    #[arg(long = "rules", value_name = "PATH")]
    rules: Vec<PathBuf>,
    /// Do not load the embedded default pack.
    #[arg(long)]
    no_default_rules: bool,
    /// Turn off a rule by id (repeatable).
    #[arg(long = "disable", value_name = "RULE_ID")]
    disable: Vec<String>,
    /// Key for the `hash` operator (file contents). Falls back to the
    /// LOGSCRUB_HASH_KEY environment variable, then to a per-run random key.
    #[arg(long, value_name = "FILE")]
    hash_key_file: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatArg {
    Auto,
    Text,
    Json,
}

#[derive(Debug, Args)]
struct RedactArgs {
    /// Input files; none or `-` reads stdin.
    files: Vec<PathBuf>,
    /// Write here instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    rules: RuleArgs,
    /// auto: lines that are JSON are redacted field-aware, others as text.
    #[arg(long, value_enum, default_value = "auto")]
    format: FormatArg,
    /// Print per-rule counts to stderr at the end (never values).
    #[arg(long)]
    stats: bool,
    /// Worker threads (default: the number of cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Lines longer than this are replaced by a placeholder.
    #[arg(long, default_value_t = logscrub_engine::scanner::DEFAULT_MAX_EVENT_BYTES)]
    max_line_bytes: usize,
}

/// A failure with its exit code.
#[derive(Debug)]
pub(crate) struct Failure {
    code: u8,
    error: anyhow::Error,
}

impl Failure {
    pub(crate) fn config(error: impl Into<anyhow::Error>) -> Self {
        Failure {
            code: 2,
            error: error.into(),
        }
    }
    pub(crate) fn runtime(error: impl Into<anyhow::Error>) -> Self {
        Failure {
            code: 1,
            error: error.into(),
        }
    }
}

impl RuleArgs {
    /// Loads the rules these flags name.
    fn load(&self) -> Result<Rules, Failure> {
        let mut extra = Rules::empty();
        for p in &self.rules {
            extra.add_path(p).map_err(Failure::config)?;
        }
        let mut rules = if self.no_default_rules {
            Rules::empty()
        } else {
            Rules::embedded()
        };
        let overriding: std::collections::HashSet<String> =
            extra.entries().iter().map(|e| e.id().to_string()).collect();
        rules.retain(|e| !overriding.contains(e.id()));
        for e in extra.entries() {
            rules.push(e.clone());
        }
        rules.disable(&self.disable).map_err(Failure::config)?;
        if rules.entries().is_empty() {
            return Err(Failure::config(anyhow::anyhow!(
                "no rules loaded: pass --rules PATH or drop --no-default-rules"
            )));
        }
        Ok(rules)
    }

    fn scanner(&self, max_event: usize) -> Result<Scanner, Failure> {
        let rules = self.load()?;
        let mut b = Scanner::builder().max_event_bytes(max_event);
        if let Some(path) = &self.hash_key_file {
            let key = std::fs::read(path).map_err(|e| {
                Failure::config(anyhow::anyhow!(
                    "cannot read hash key file {}: {e}",
                    path.display()
                ))
            })?;
            let key = key.trim_ascii().to_vec();
            if key.is_empty() {
                return Err(Failure::config(anyhow::anyhow!(
                    "hash key file {} is empty",
                    path.display()
                )));
            }
            b = b.hash_key(key);
        } else if let Some(k) = std::env::var_os("LOGSCRUB_HASH_KEY").filter(|k| !k.is_empty()) {
            b = b.hash_key(k.into_encoded_bytes());
        } else if uses_hash(&rules) {
            eprintln!(
                "logscrub: warning: rules use the `hash` operator but no key was given \
                 (--hash-key-file or LOGSCRUB_HASH_KEY); using a random key for this run, \
                 so hashed tokens will not match other runs"
            );
        }
        b.build(&rules).map_err(Failure::config)
    }
}

fn uses_hash(rules: &Rules) -> bool {
    use logscrub_engine::rules::OperatorKind;
    rules.entries().iter().any(|e| match e {
        logscrub_engine::RuleEntry::Pattern(r, _) => r.operator == OperatorKind::Hash,
        logscrub_engine::RuleEntry::Field(f, _) => f.operator == OperatorKind::Hash,
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Redact(args) => redact::run(args),
        Command::Rules { command } => match command {
            RulesCommand::Test { paths } => rules_cmd::test(&paths),
            RulesCommand::Lint { paths } => rules_cmd::lint(&paths),
            RulesCommand::Explain { rules, text } => rules_cmd::explain(&rules, &text),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("logscrub: error: {:#}", f.error);
            ExitCode::from(f.code)
        }
    }
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Auto => Format::Auto,
            FormatArg::Text => Format::Text,
            FormatArg::Json => Format::Json,
        }
    }
}
