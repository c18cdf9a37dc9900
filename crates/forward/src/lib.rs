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
//! [`Reloader`] for `POST /reload`) once they compile and pass their
//! examples. Only the API is public: [`Config`], [`run`], [`validate`],
//! [`Handle`] (with [`Reloader`]), [`metrics`], and the pieces the CLI and
//! the tests use (`buffer` and `keys` for `logscrub buffer`/`keys`,
//! [`redact::Redactor`] and the [`Event`] it makes); the rest is
//! `pub(crate)`.

pub(crate) mod api;
pub mod buffer;
pub mod config;
pub(crate) mod event;
pub mod keys;
pub mod metrics;
pub mod redact;
pub(crate) mod reload;
pub(crate) mod shutdown;
pub(crate) mod sinks;
pub(crate) mod sources;
pub(crate) mod tls;
mod topology;

#[doc(hidden)]
pub mod fuzzing;

pub use event::Event;
pub use reload::Reloader;
pub use topology::{run, run_with, Handle};

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;

use anyhow::Context as _;
use logscrub_engine::{HashKeySource, Policy, Rules, Scanner};

pub use config::Config;
use config::{RulesConfig, SourceConfig};

/// The engine's [`Policy`] for a `[rules]` table.
pub fn policy(config: &RulesConfig) -> Policy {
    Policy {
        default_rules: config.default_rules,
        paths: config.paths.clone(),
        disable: config.disable.clone(),
        enable: config.enable.clone(),
        hash_key_file: config.hash_key_file.clone(),
        max_event_bytes: usize::try_from(config.max_event_bytes).unwrap_or(usize::MAX),
    }
}

/// Loads the rules `[rules]` names (see [`Policy::load`]).
pub fn load_rules(config: &RulesConfig) -> anyhow::Result<Rules> {
    Ok(policy(config).load()?)
}

/// Compiles the rules `[rules]` names, with its hash key and event size
/// limit (see [`Policy`]): rules using `hash` with no key get a random
/// per-process key and a warning (tokens then do not match across runs).
pub fn compile_rules(config: &RulesConfig) -> anyhow::Result<Scanner> {
    compile_loaded(config, &load_rules(config)?)
}

/// [`compile_rules`] for rules already loaded (a reload tests the examples
/// of exactly the rules it compiled).
pub fn compile_loaded(config: &RulesConfig, rules: &Rules) -> anyhow::Result<Scanner> {
    let (scanner, key) = policy(config).compile(rules)?;
    if key == HashKeySource::Random {
        tracing::warn!(
            "rules use the `hash` operator but no key was given (hash_key_file or \
             LOGSCRUB_HASH_KEY); using a random key for this run, so hashed tokens \
             will not match other runs"
        );
    }
    Ok(scanner)
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
