//! logscrub's forwarder: sources -> redact -> sinks.
//!
//! What a platform team runs beside a service (sidecar) or in front of
//! storage (aggregator). It collects log lines (files, stdin, TCP/Unix
//! sockets, HTTP), redacts each one with the engine before anything else
//! sees it, and delivers them to storage with batching, retries and
//! end-to-end acknowledgement: a file source's checkpoint moves only after
//! every sink it feeds has delivered the lines, so a crash repeats a few
//! batches at most and loses none.
//!
//! When not to use it: a service that can add the tracing layer
//! (`logscrub-tracing`) needs no forwarder to keep its own logs clean; to
//! redact a file once, `logscrub redact` is simpler.
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! let config = logscrub_forward::Config::from_toml(r#"
//!     data_dir = "/tmp/logscrub-demo"
//!     [sources.app]
//!     type = "file"
//!     include = ["/var/log/app/*.log"]
//!     [sinks.out]
//!     type = "file"
//!     inputs = ["app"]
//!     path = "/tmp/redacted.ndjson"
//! "#)?;
//! let stop = async { let _ = tokio::signal::ctrl_c().await; };
//! logscrub_forward::run(config, stop).await?;
//! # Ok(()) }
//! ```
//!
//! The main types: [`Config`] (the TOML file), [`run`] (the pipeline until
//! a stop), [`validate`] (check without starting). Inside: `topology`
//! assembles and stops the pipeline, `sources` cut input into lines and
//! redact them (`redact`), `sinks` batch and deliver them (`sinks::util`:
//! the HTTP plumbing and the retrying delivery loop every sink shares),
//! `event` carries acknowledgements back with an explicit status,
//! `shutdown` is the stop signal, `api` serves `/health` and `/metrics`,
//! `reload` swaps edited rules in (SIGHUP, file changes,
//! [`reload::Reloader`] for `POST /reload`) once they compile and pass
//! their examples.

pub mod api;
pub mod buffer;
pub mod config;
pub mod event;
pub mod keys;
pub mod metrics;
pub mod redact;
pub mod reload;
pub mod shutdown;
pub mod sinks;
pub mod sources;
pub mod tls;
mod topology;

#[doc(hidden)]
pub mod fuzzing;

pub use topology::{run, run_with, Handle};

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;

use anyhow::Context as _;
use logscrub_engine::{Rules, Scanner};

pub use config::Config;
use config::{RulesConfig, SourceConfig};

/// Loads the rules `[rules]` names: the embedded pack (unless
/// `default_rules = false`), then each path (a rule with a default rule's
/// id replaces it), then `disable`, then `enable` (opt-in rules).
pub fn load_rules(config: &RulesConfig) -> anyhow::Result<Rules> {
    let mut extra = Rules::empty();
    for p in &config.paths {
        extra.add_path(p)?;
    }
    let mut rules = if config.default_rules {
        Rules::embedded()
    } else {
        Rules::empty()
    };
    let overriding: std::collections::HashSet<String> =
        extra.entries().iter().map(|e| e.id().to_string()).collect();
    rules.retain(|e| !overriding.contains(e.id()));
    for e in extra.entries() {
        rules.push(e.clone());
    }
    rules.disable(&config.disable)?;
    rules.enable(&config.enable)?;
    if rules.entries().is_empty() {
        anyhow::bail!("no rules loaded: add rule paths or keep the default rules");
    }
    Ok(rules)
}

/// Compiles the rules `[rules]` names, with its hash key and event size
/// limit. The key comes from `hash_key_file`, else `LOGSCRUB_HASH_KEY`;
/// rules using `hash` with neither get a random per-run key and a warning
/// (tokens then do not match across runs).
pub fn compile_rules(config: &RulesConfig) -> anyhow::Result<Scanner> {
    compile_loaded(config, &load_rules(config)?)
}

/// [`compile_rules`] for rules already loaded (a reload tests the examples
/// of exactly the rules it compiled).
pub fn compile_loaded(config: &RulesConfig, rules: &Rules) -> anyhow::Result<Scanner> {
    let max = usize::try_from(config.max_event_bytes).unwrap_or(usize::MAX);
    let pack_as_shipped = config.default_rules
        && config.paths.is_empty()
        && config.disable.is_empty()
        && config.enable.is_empty()
        && config.hash_key_file.is_none()
        && std::env::var_os("LOGSCRUB_HASH_KEY").is_none_or(|k| k.is_empty())
        && !uses_hash(rules);
    if pack_as_shipped {
        // The default scanner, compiled once per process (the CLI's own log
        // layer uses it too); the size limit is not part of the compile.
        return Ok(Scanner::embedded().with_max_event_bytes(max));
    }
    let mut b = Scanner::builder().max_event_bytes(max);
    if let Some(path) = &config.hash_key_file {
        let key = std::fs::read(path)
            .with_context(|| format!("cannot read hash key file {}", path.display()))?;
        let key = key.trim_ascii().to_vec();
        if key.is_empty() {
            anyhow::bail!("hash key file {} is empty", path.display());
        }
        b = b.hash_key(key);
    } else if let Some(k) = std::env::var_os("LOGSCRUB_HASH_KEY").filter(|k| !k.is_empty()) {
        b = b.hash_key(k.into_encoded_bytes());
    } else if uses_hash(rules) {
        tracing::warn!(
            "rules use the `hash` operator but no key was given (hash_key_file or \
             LOGSCRUB_HASH_KEY); using a random key for this run, so hashed tokens \
             will not match other runs"
        );
        // One key for the whole run: a reload must not change the tokens.
        static RUN_KEY: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
        let key = match RUN_KEY.get() {
            Some(k) => k.clone(),
            None => {
                let fresh = logscrub_engine::scanner::random_hash_key()?;
                RUN_KEY.get_or_init(|| fresh).clone()
            }
        };
        b = b.hash_key(key);
    }
    Ok(b.build(rules)?)
}

fn uses_hash(rules: &Rules) -> bool {
    use logscrub_engine::rules::OperatorKind;
    rules.entries().iter().any(|e| match e {
        logscrub_engine::RuleEntry::Pattern(r, _) => r.operator == OperatorKind::Hash,
        logscrub_engine::RuleEntry::Field(f, _) => f.operator == OperatorKind::Hash,
    })
}

/// What [`validate`] checked.
#[derive(Debug)]
pub struct Summary {
    /// Rules compiled.
    pub rules: usize,
    /// `(name, type)` of each source.
    pub sources: Vec<(String, &'static str)>,
    /// `(name, type)` of each sink.
    pub sinks: Vec<(String, &'static str)>,
}

fn source_kind(s: &SourceConfig) -> &'static str {
    match s {
        SourceConfig::File(_) => "file",
        SourceConfig::Stdin(_) => "stdin",
        SourceConfig::Socket(_) => "socket",
        SourceConfig::Http(_) => "http",
    }
}

/// Checks everything that can be checked without starting: rules compile,
/// every sink's settings and credential files (and plaintext refusal),
/// multi-line patterns, TLS certificates, `[api]` tokens and access. Opens
/// no listener and sends nothing.
pub fn validate(config: &Config) -> anyhow::Result<Summary> {
    let scanner = compile_rules(&config.rules).context("[rules]")?;
    let keyrings = load_keyrings(config)?;
    let mut sinks = Vec::new();
    for (name, s) in &config.sinks {
        sinks::build(&s.kind, &s.common, &keyrings).with_context(|| format!("sinks.{name}"))?;
        sinks.push((name.clone(), s.kind.name()));
    }
    let mut sources = Vec::new();
    for (name, s) in &config.sources {
        if let SourceConfig::File(f) = s {
            if let Some(m) = &f.multiline {
                sources::file::start_pattern(&m.start_pattern)
                    .with_context(|| format!("sources.{name}"))?;
            }
        }
        if let SourceConfig::Http(h) = s {
            if let Some(t) = &h.tls {
                tls::ServerTls::load(t).with_context(|| format!("sources.{name}.tls"))?;
            }
        }
        sources.push((name.clone(), source_kind(s)));
    }
    api::check(&config.api).context("[api]")?;
    Ok(Summary {
        rules: scanner.rule_ids().count(),
        sources,
        sinks,
    })
}

/// Reads every `[keys.*]` keyring.
pub fn load_keyrings(config: &Config) -> anyhow::Result<BTreeMap<String, Arc<keys::Keyring>>> {
    let mut out = BTreeMap::new();
    for (name, k) in &config.keys {
        out.insert(name.clone(), Arc::new(keys::Keyring::load(name, k)?));
    }
    Ok(out)
}

/// Listens for SIGTERM and SIGINT from now on (call it first thing, so a
/// signal during start-up is not lost to the default action) and returns
/// a future that completes at the first of them. Needs a tokio runtime.
/// It also catches SIGHUP, whose default action would kill the process:
/// one that arrives before the forwarder listens for it is ignored, later
/// ones reload the rules.
pub fn termination() -> std::io::Result<impl Future<Output = ()>> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    // tokio keeps a signal's handler installed once registered.
    drop(signal(SignalKind::hangup())?);
    Ok(async move {
        tokio::select! {
            _ = term.recv() => {}
            _ = int.recv() => {}
        }
    })
}
