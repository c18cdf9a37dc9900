//! `logscrub`: redacts PII and secrets from logs.
//!
//! Exit codes: 0 ok, 1 runtime error (I/O, a failing rule test), 2 usage or
//! configuration error (bad flags, a rule file that does not load).

#![forbid(unsafe_code)]

mod import;
mod keys_cmd;
mod redact;
mod rules;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use logscrub_engine::{Format, Scanner};

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
    /// Run the forwarder: sources -> redact -> sinks, as configured.
    Forward {
        /// The configuration file (TOML).
        #[arg(short, long, value_name = "FILE")]
        config: PathBuf,
    },
    /// Check a forwarder configuration and its rules without starting
    /// anything.
    Validate {
        /// The configuration file (TOML).
        #[arg(short, long, value_name = "FILE")]
        config: PathBuf,
    },
    /// Encryption keys: create versions, list them, shred them.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// The disk buffers of a forwarder configuration.
    Buffer {
        #[command(subcommand)]
        command: BufferCommand,
    },
    /// Print the plaintext of files a `file` sink wrote with `encrypt_key`.
    Decrypt {
        /// The forwarder configuration (for its keyrings).
        #[arg(short, long, value_name = "FILE")]
        config: PathBuf,
        /// Encrypted files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum KeysCommand {
    /// Write the next key version (32 random bytes, base64, mode 0600) into
    /// a keyring folder.
    Generate {
        /// The keyring folder (`dir` of a `[keys.*]` table).
        #[arg(long, value_name = "DIR")]
        dir: PathBuf,
    },
    /// List each keyring's versions and how many buffer segments need each.
    List {
        /// The forwarder configuration.
        #[arg(short, long, value_name = "FILE")]
        config: PathBuf,
    },
    /// Delete a key version (RING/VERSION) or all of a keyring's versions
    /// (RING): what they encrypted becomes unreadable.
    Shred {
        /// The forwarder configuration.
        #[arg(short, long, value_name = "FILE")]
        config: PathBuf,
        /// RING/VERSION or RING.
        #[arg(long)]
        key: String,
    },
}

#[derive(Debug, Subcommand)]
enum BufferCommand {
    /// Check every buffered record: readable, unreadable (key gone) or
    /// corrupt. Exits 1 when anything is not readable.
    Verify {
        /// The forwarder configuration.
        #[arg(short, long, value_name = "FILE")]
        config: PathBuf,
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
    /// Convert another tool's rules into a logscrub rule file; what does
    /// not convert is listed by rule id (exit 1).
    Import {
        #[command(subcommand)]
        command: import::ImportCommand,
    },
    /// Print the rule catalogue (default pack, or the given files and
    /// folders): id, kind, category, severity, operator, validator,
    /// keywords, file, what it detects.
    List {
        /// Rule files or folders to list instead of the default pack.
        paths: Vec<PathBuf>,
        /// A Markdown table (rules/CATALOGUE.md is this for the default pack).
        #[arg(long)]
        markdown: bool,
    },
    /// Measure the rules on a sample: the full scanner's throughput, and
    /// each rule's cost alone (worst first), so a slow rule is caught
    /// before it ships.
    Bench {
        #[command(flatten)]
        rules: RuleArgs,
        /// Sample log file (one event per line), e.g. examples/sample.log or
        /// `python3 scripts/corpus.py bench-corpus --out FILE --size-mb 2`.
        #[arg(long, value_name = "FILE")]
        sample: PathBuf,
        /// Show the N costliest rules.
        #[arg(long, default_value_t = 20)]
        top: usize,
        /// Passes over the sample per measurement (the fastest counts).
        #[arg(long, default_value_t = 3)]
        passes: usize,
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
    /// Turn on an opt-in rule by id (repeatable), e.g. `ipv4-private`.
    #[arg(long = "enable", value_name = "RULE_ID")]
    enable: Vec<String>,
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
    fn policy(&self, max_event: usize) -> logscrub_engine::Policy {
        logscrub_engine::Policy {
            default_rules: !self.no_default_rules,
            paths: self.rules.clone(),
            disable: self.disable.clone(),
            enable: self.enable.clone(),
            hash_key_file: self.hash_key_file.clone(),
            max_event_bytes: max_event,
        }
    }

    fn scanner(&self, max_event: usize) -> Result<Scanner, Failure> {
        let (scanner, key) = self.policy(max_event).scanner().map_err(Failure::config)?;
        if key == logscrub_engine::HashKeySource::Random {
            tracing::warn!(
                "rules use the `hash` operator but no key was given (--hash-key-file or \
                 LOGSCRUB_HASH_KEY); using a random key for this run, so hashed tokens \
                 will not match other runs"
            );
        }
        Ok(scanner)
    }
}

/// logscrub's own log lines go through its own tracing layer (text, to
/// stderr), so they cannot leak what they mention either.
fn init_logging() {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let filter = tracing_subscriber::EnvFilter::try_from_env("LOGSCRUB_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let layer = logscrub_tracing::layer()
        .text()
        .with_target(false)
        .with_writer(std::io::stderr);
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(layer)
        .try_init();
}

fn forward(path: &std::path::Path) -> Result<(), Failure> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("logscrub")
        .build()
        .map_err(Failure::runtime)?;
    // Signals first: a SIGTERM during start-up must stop us gracefully.
    let stop = runtime
        .block_on(async { logscrub_forward::termination() })
        .map_err(Failure::runtime)?;
    let config = logscrub_forward::Config::load(path).map_err(Failure::config)?;
    logscrub_forward::validate(&config).map_err(Failure::config)?;
    runtime
        .block_on(logscrub_forward::run(config, stop))
        .map_err(Failure::runtime)?;
    // Blocking tailer threads notice the stop on their next poll.
    runtime.shutdown_timeout(std::time::Duration::from_secs(2));
    Ok(())
}

fn validate(path: &std::path::Path) -> Result<(), Failure> {
    let config = logscrub_forward::Config::load(path).map_err(Failure::config)?;
    let summary = logscrub_forward::validate(&config).map_err(Failure::config)?;
    let names = |v: &[(String, &str)]| {
        v.iter()
            .map(|(n, t)| format!("{n} ({t})"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!(
        "{}: ok: {} rules; sources: {}; sinks: {}",
        path.display(),
        summary.rules,
        names(&summary.sources),
        names(&summary.sinks)
    );
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let result = match cli.command {
        Command::Forward { config } => forward(&config),
        Command::Validate { config } => validate(&config),
        Command::Keys { command } => match command {
            KeysCommand::Generate { dir } => keys_cmd::generate(&dir),
            KeysCommand::List { config } => keys_cmd::list(&config),
            KeysCommand::Shred { config, key } => keys_cmd::shred(&config, &key),
        },
        Command::Decrypt { config, files } => keys_cmd::decrypt(&config, &files),
        Command::Buffer { command } => match command {
            BufferCommand::Verify { config } => keys_cmd::verify(&config),
        },
        Command::Redact(args) => redact::run(args),
        Command::Rules { command } => match command {
            RulesCommand::Test { paths } => rules::test(&paths),
            RulesCommand::Lint { paths } => rules::lint(&paths),
            RulesCommand::Explain { rules, text } => rules::explain(&rules, &text),
            RulesCommand::Import { command } => import::run(command),
            RulesCommand::List { paths, markdown } => rules::list(&paths, markdown),
            RulesCommand::Bench {
                rules,
                sample,
                top,
                passes,
            } => rules::bench(&rules, &sample, top, passes),
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
