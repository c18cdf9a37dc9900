//! Hot reload of the rules: SIGHUP, a changed rule file, or `POST /reload`.
//!
//! A reload reads every file `[rules]` names again, compiles them and runs
//! every rule's `must_redact` / `must_keep` examples against the compiled
//! scanner (the check `logscrub rules test` runs). Only if all of that
//! passes is the new scanner swapped in ([`Redactor::swap`]); otherwise the
//! rules in force stay, the error is logged (file, line, rule id: never a
//! matched value) and `logscrub_rules_last_reload_failed` turns 1. Sources
//! never wait for a reload: compiling happens on a blocking thread while
//! they go on scanning with the old rules, and the swap itself is one
//! pointer replaced under a lock (see [`crate::redact`] for how streams
//! take the new scanner between two lines).
//!
//! **File watching.** With `watch = true` the rule files (each path in
//! `paths`, every `*.toml` in a folder among them, and `hash_key_file`)
//! are polled every `watch_interval_secs` for a change of inode, size,
//! modification or status-change time. Polling rather than inotify: it
//! sees a Kubernetes ConfigMap's symlink swap and files on network mounts
//! alike, and a few `stat`s every two seconds cost nothing. A change is
//! acted on once the files have stayed unchanged for a short settle time,
//! so an editor writing a file in several steps is read once it is done; a
//! file that is still half written fails its checks and the old rules stay
//! until the next change. A rule set that failed is not retried until the
//! files change again.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;
use std::time::Duration;

use crate::config::RulesConfig;
use crate::redact::Redactor;

/// How long the rule files must stay unchanged before a change is loaded.
const SETTLE: Duration = Duration::from_millis(300);

/// Reloads the rules of a running forwarder. Cheap to clone; every clone
/// reloads the same forwarder, one reload at a time.
#[derive(Debug, Clone)]
pub struct Reloader {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    config: RulesConfig,
    redactor: Arc<Redactor>,
    /// Serializes reloads: SIGHUP, the watcher and `POST /reload` may
    /// race, and the last one to compile must be the last one swapped in.
    running: tokio::sync::Mutex<()>,
}

impl Reloader {
    /// A reloader of `redactor`'s rules, from the files `config` names.
    pub fn new(config: RulesConfig, redactor: Arc<Redactor>) -> Reloader {
        Reloader {
            inner: Arc::new(Inner {
                config,
                redactor,
                running: tokio::sync::Mutex::new(()),
            }),
        }
    }

    /// Reloads the rules now (what `POST /reload` calls). `Ok` says how
    /// many rules are in force; `Err` says why the new rules were refused
    /// (the previous ones stay in force). Both are safe to show to an
    /// administrator: file, line, rule id, never a matched value.
    pub async fn reload(&self) -> Result<String, String> {
        self.reload_for("request").await
    }

    /// [`Reloader::reload`], logging what triggered it.
    pub(crate) async fn reload_for(&self, trigger: &'static str) -> Result<String, String> {
        let _one_at_a_time = self.inner.running.lock().await;
        let config = self.inner.config.clone();
        let built = tokio::task::spawn_blocking(move || build(&config))
            .await
            .unwrap_or_else(|e| Err(format!("rule compilation panicked: {e}")));
        let metrics = &self.inner.redactor.metrics().rule_set;
        match built {
            Ok((scanner, rules)) => {
                let generation = self.inner.redactor.swap(scanner);
                metrics.loaded.store(rules as u64, Relaxed);
                metrics.reloads_ok.fetch_add(1, Relaxed);
                metrics.last_reload_failed.store(false, Relaxed);
                tracing::info!(trigger, rules, generation, "rules reloaded");
                Ok(format!("rules reloaded: {rules} rules in force"))
            }
            Err(error) => {
                metrics.reloads_failed.fetch_add(1, Relaxed);
                metrics.last_reload_failed.store(true, Relaxed);
                tracing::error!(
                    trigger,
                    error = %error,
                    "rules not reloaded; the previous rules stay in force"
                );
                Err(format!(
                    "rules not reloaded; the previous rules stay in force: {error}"
                ))
            }
        }
    }
}

/// Loads, compiles and tests a rule set: the scanner and its rule count,
/// or what is wrong with it.
fn build(config: &RulesConfig) -> Result<(logscrub_engine::Scanner, usize), String> {
    let rules = crate::load_rules(config).map_err(|e| format!("{e:#}"))?;
    let scanner = crate::compile_loaded(config, &rules).map_err(|e| format!("{e:#}"))?;
    let failures = logscrub_engine::test_examples(&rules, &scanner);
    if !failures.is_empty() {
        return Err(describe(&failures));
    }
    Ok((scanner, rules.entries().len()))
}

/// The first few failures (they name the rules to fix) and how many.
fn describe(failures: &[logscrub_engine::ExampleFailure]) -> String {
    let shown: Vec<String> = failures.iter().take(5).map(|f| f.to_string()).collect();
    let more = failures.len() - shown.len();
    let more = if more > 0 {
        format!("; and {more} more")
    } else {
        String::new()
    };
    format!(
        "{} rule example(s) failed: {}{more}",
        failures.len(),
        shown.join("; ")
    )
}

/// At start-up: publishes the rule count and warns when the deployment's
/// own rules fail their examples. The forwarder still starts (a
/// configuration `logscrub validate` accepts must run), but a reload of
/// the same files would be refused. The embedded pack's examples are left
/// to the reloads: they pass in every release, and running them all costs
/// start-up time.
pub(crate) fn starting(
    rules: &logscrub_engine::Rules,
    scanner: &logscrub_engine::Scanner,
    metrics: &crate::metrics::Metrics,
) {
    let metrics = &metrics.rule_set;
    metrics.loaded.store(rules.entries().len() as u64, Relaxed);
    let mut own = rules.clone();
    own.retain(|e| !e.origin().file.starts_with("embedded:"));
    let failures = logscrub_engine::test_examples(&own, scanner);
    if !failures.is_empty() {
        tracing::warn!(
            error = %describe(&failures),
            "rules loaded, but their examples fail: a reload will refuse them until they pass \
             (`logscrub rules test`)"
        );
    }
}

/// What the watcher compares: each watched file's identity and times.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Fingerprint(Vec<(PathBuf, Option<[i64; 6]>)>);

impl Fingerprint {
    /// The state of every file `config` reads rules or the hash key from.
    pub(crate) fn of(config: &RulesConfig) -> Fingerprint {
        use std::os::unix::fs::MetadataExt;
        let stat = |p: &Path| {
            // Follows symlinks: a ConfigMap update swaps the link target.
            std::fs::metadata(p).ok().map(|m| {
                [
                    m.ino() as i64,
                    m.len() as i64,
                    m.mtime(),
                    m.mtime_nsec(),
                    m.ctime(),
                    m.ctime_nsec(),
                ]
            })
        };
        let mut out = Vec::new();
        for p in &config.paths {
            if p.is_dir() {
                // The files `Rules::add_path` reads: `*.toml`, not nested.
                let mut files: Vec<PathBuf> = std::fs::read_dir(p)
                    .map(|d| {
                        d.filter_map(|e| e.ok().map(|e| e.path()))
                            .filter(|f| f.extension().is_some_and(|x| x == "toml"))
                            .collect()
                    })
                    .unwrap_or_default();
                files.sort();
                out.push((p.clone(), Some([0; 6])));
                for f in files {
                    let s = stat(&f);
                    out.push((f, s));
                }
            } else {
                out.push((p.clone(), stat(p)));
            }
        }
        if let Some(k) = &config.hash_key_file {
            out.push((k.clone(), stat(k)));
        }
        Fingerprint(out)
    }
}

/// Listens for SIGHUP now (so one sent once the forwarder has started is
/// not lost) and returns the task that reloads on it and, with
/// `watch = true`, on rule file changes, until shutdown. `seen` is the
/// state of the files the rules in force were read from.
pub(crate) fn watch(
    reloader: Reloader,
    seen: Fingerprint,
    shutdown: crate::shutdown::Signal,
) -> impl std::future::Future<Output = ()> {
    let hangup = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()) {
        Ok(s) => Some(s),
        Err(e) => {
            tracing::warn!(error = %e, "cannot listen for SIGHUP; rules reload on file changes and POST /reload only");
            None
        }
    };
    let config = reloader.inner.config.clone();
    let interval = Duration::from_secs(config.watch_interval_secs.max(1));
    async move {
        let mut hangup = hangup;
        let mut seen = seen;
        let mut tick = tokio::time::interval(interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        tick.tick().await;
        loop {
            tokio::select! {
                () = shutdown.stopped() => return,
                Some(()) = async {
                    match hangup.as_mut() {
                        Some(h) => h.recv().await,
                        None => std::future::pending().await,
                    }
                } => {
                    // Whatever the files hold now is what gets loaded.
                    seen = fingerprint(&config).await;
                    let _ = reloader.reload_for("SIGHUP").await;
                }
                _ = tick.tick(), if config.watch => {
                    let mut now = fingerprint(&config).await;
                    if now == seen {
                        continue;
                    }
                    // Let a writer finish before reading (within reason:
                    // files that never stop changing are read anyway).
                    for _ in 0..10 {
                        tokio::time::sleep(SETTLE).await;
                        let again = fingerprint(&config).await;
                        if again == now {
                            break;
                        }
                        now = again;
                    }
                    tracing::info!("rule files changed; reloading");
                    seen = now;
                    let _ = reloader.reload_for("file change").await;
                }
            }
        }
    }
}

async fn fingerprint(config: &RulesConfig) -> Fingerprint {
    let config = config.clone();
    tokio::task::spawn_blocking(move || Fingerprint::of(&config))
        .await
        .unwrap_or_default()
}
