//! Topology: builds the running forwarder from its configuration (sinks
//! first, since sources need their queues; then sources; then the API),
//! runs it until the stop signal or until every source has ended, and
//! stops it in order: sources first, then sinks draining within
//! `shutdown_timeout_secs`, then checkpoints saved.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;

use crate::config::{self, Config, SourceConfig};
use crate::metrics::{self, Metrics};
use crate::redact::Redactor;
use crate::sinks::{self, Sink, SinkInput};
use crate::sources::{self, SourceCtx};
use crate::{api, buffer, reload, shutdown};
use crate::{compile_loaded, load_keyrings, load_rules, source_kind};

/// A running forwarder's handles, for tests and embedding.
#[derive(Debug, Clone)]
pub struct Handle {
    /// Counters of every component.
    pub metrics: Arc<Metrics>,
    /// Where the `[api]` endpoint listens (when enabled).
    pub api_address: Option<std::net::SocketAddr>,
    /// Reloads the rules (what SIGHUP, a rule file change and
    /// `POST /reload` do).
    pub reloader: reload::Reloader,
}

/// Runs the forwarder until `stop` completes or every source has ended
/// (stdin closed), then stops reading, drains queues and sinks within
/// `shutdown_timeout_secs`, and saves checkpoints.
pub async fn run(config: Config, stop: impl Future<Output = ()>) -> anyhow::Result<()> {
    run_with(config, stop, |_| {}).await
}

/// [`run`], calling `started` once everything listens.
pub async fn run_with(
    config: Config,
    stop: impl Future<Output = ()>,
    started: impl FnOnce(Handle),
) -> anyhow::Result<()> {
    // The files' state before they are read: a change from here on reloads.
    let rule_files = reload::Fingerprint::of(&config.rules);
    let rules = load_rules(&config.rules).context("[rules]")?;
    let scanner = compile_loaded(&config.rules, &rules).context("[rules]")?;
    // Refused before any source starts (`api::bind` checks again).
    api::check(&config.api).context("[api]")?;
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("cannot create data_dir {}", config.data_dir.display()))?;
    let metrics = Arc::new(Metrics::default());
    reload::starting(&rules, &scanner, &metrics);
    let redactor = Arc::new(Redactor::new(scanner, metrics.clone()));
    // Any early return from here on (a sink or source that fails to start
    // after others did) drops the trigger, which stops what was started.
    let (shutdown_tx, shutdown_rx) = shutdown::channel();
    let reloader = reload::Reloader::new(config.rules.clone(), redactor.clone());
    tokio::spawn(reload::watch(
        reloader.clone(),
        rule_files,
        shutdown_rx.clone(),
    ));

    let keyrings = load_keyrings(&config)?;

    // Sinks first: sources need their queues.
    let mut inputs: BTreeMap<String, Vec<SinkInput>> = BTreeMap::new();
    let mut sink_tasks = tokio::task::JoinSet::new();
    let mut built = Vec::new();
    // Per sink: its counters and whether a disk buffer covers it (what the
    // shutdown report says about events it did not deliver).
    let mut sink_info = BTreeMap::new();
    for (name, s) in &config.sinks {
        let service =
            sinks::build(&s.kind, &s.common, &keyrings).with_context(|| format!("sinks.{name}"))?;
        let counters = metrics.component("sink", name, s.kind.name());
        let disk = match (&s.common.buffer.kind, &s.common.buffer.key) {
            (config::BufferKind::Disk, Some(key)) => Some(
                buffer::DiskBuffer::open(
                    &config.data_dir,
                    name,
                    keyrings[key].clone(),
                    &s.common.buffer,
                    counters.clone(),
                )
                .with_context(|| format!("sinks.{name}.buffer"))?,
            ),
            _ => None,
        };
        sink_info.insert(name.clone(), (counters.clone(), disk.is_some()));
        let (sink, input) = Sink::new(name, service, s.common.clone(), counters, disk);
        for i in &s.common.inputs {
            inputs.entry(i.clone()).or_default().push(input.clone());
        }
        built.push((name.clone(), sink));
    }

    let mut source_tasks = tokio::task::JoinSet::new();
    let mut checkpoints = Vec::new();
    for (name, s) in &config.sources {
        let ctx = SourceCtx {
            name: Arc::from(name.as_str()),
            outputs: inputs.remove(name).unwrap_or_default(),
            redactor: redactor.clone(),
            counters: metrics.component("source", name, source_kind(s)),
            shutdown: shutdown_rx.clone(),
        };
        match s.clone() {
            SourceConfig::File(f) => {
                let cp = Arc::new(
                    sources::file::Checkpoints::load(&config.data_dir, name)
                        .with_context(|| format!("sources.{name}"))?,
                );
                let task = sources::file::spawn(ctx, f, cp.clone())
                    .with_context(|| format!("sources.{name}"))?;
                source_tasks.spawn(async move {
                    let _ = task.await;
                });
                source_tasks.spawn(sources::file::save_periodically(
                    cp.clone(),
                    shutdown_rx.clone(),
                ));
                checkpoints.push(cp);
            }
            SourceConfig::Stdin(c) => {
                source_tasks.spawn(sources::stdin::run(ctx, c));
            }
            SourceConfig::Socket(c) => {
                let task = sources::socket::bind(ctx, c)
                    .await
                    .with_context(|| format!("sources.{name}"))?;
                source_tasks.spawn(task);
            }
            SourceConfig::Http(c) => {
                let task = sources::http::bind(ctx, c)
                    .await
                    .with_context(|| format!("sources.{name}"))?;
                source_tasks.spawn(task);
            }
        }
    }
    drop(inputs);
    // Queues close when the last source holding them ends.
    for (name, sink) in built {
        let signal = shutdown_rx.clone();
        sink_tasks.spawn(async move {
            sink.run(signal).await;
            name
        });
    }

    let mut api_address = None;
    if config.api.enabled {
        let r = reloader.clone();
        let reload: api::ReloadFn = Arc::new(move || {
            let r = r.clone();
            Box::pin(async move { r.reload().await })
        });
        let (addr, task) = api::bind(
            &config.api,
            metrics.clone(),
            shutdown_rx.clone(),
            Some(reload),
        )
        .await?;
        api_address = Some(addr);
        tokio::spawn(task);
        tracing::info!(
            address = %addr,
            https = config.api.tls.is_some(),
            "api listening (/health, /metrics, POST /reload)"
        );
    }
    started(Handle {
        metrics: metrics.clone(),
        api_address,
        reloader,
    });
    tracing::info!(
        sources = config.sources.len(),
        sinks = config.sinks.len(),
        "forwarder started"
    );

    // Run until told to stop or every source has ended.
    let periodic = checkpoints.len();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => break,
            done = source_tasks.join_next() => {
                // Periodic savers never end on their own: when only they
                // are left, every real source has ended.
                if done.is_none() || source_tasks.len() <= periodic {
                    break;
                }
            }
        }
    }
    tracing::info!("stopping: no more reads; draining queues and sinks");
    shutdown_tx.stop();
    let deadline = config.shutdown_timeout();
    let mut running: std::collections::BTreeSet<String> = sink_info.keys().cloned().collect();
    let drained = tokio::time::timeout(deadline, async {
        while source_tasks.join_next().await.is_some() {}
        while let Some(done) = sink_tasks.join_next().await {
            if let Ok(name) = done {
                running.remove(&name);
            }
        }
    })
    .await;
    if drained.is_err() {
        report_undelivered(&running, &sink_info, deadline);
        // Aborted, their batches settle as errored: a file source's
        // checkpoint stays before them, an HTTP client waiting for
        // delivery is answered 503.
        sink_tasks.abort_all();
        while sink_tasks.join_next().await.is_some() {}
        let _ = tokio::time::timeout(Duration::from_secs(1), async {
            while source_tasks.join_next().await.is_some() {}
        })
        .await;
    }
    for cp in &checkpoints {
        let cp = cp.clone();
        match tokio::task::spawn_blocking(move || cp.save(true)).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::error!(error = %e, "cannot save checkpoints"),
            Err(e) => tracing::error!(error = %e, "cannot save checkpoints"),
        }
    }
    tracing::info!("forwarder stopped");
    Ok(())
}

/// Says, for each sink still running at the shutdown deadline, how many
/// events it had not delivered and what becomes of them.
fn report_undelivered(
    running: &std::collections::BTreeSet<String>,
    sinks: &BTreeMap<String, (Arc<metrics::Component>, bool)>,
    deadline: Duration,
) {
    use std::sync::atomic::Ordering::Relaxed;
    for name in running {
        let Some((c, buffered)) = sinks.get(name) else {
            continue;
        };
        let taken = c.events_in.load(Relaxed);
        let settled = c.events_out.load(Relaxed) + c.events_dropped.load(Relaxed);
        let queued = c.queue_events.load(Relaxed).max(0) as u64;
        let held = taken.saturating_sub(settled) + queued;
        if held == 0 {
            // Still running at the deadline with nothing left to deliver
            // (its sources were the slow part): nothing to report.
            continue;
        }
        if *buffered {
            tracing::warn!(
                sink = %name,
                events = held,
                seconds = deadline.as_secs(),
                "shutdown deadline passed before these events were delivered; they stay in the \
                 disk buffer and are sent after the next start"
            );
        } else {
            tracing::warn!(
                sink = %name,
                events = held,
                seconds = deadline.as_secs(),
                "shutdown deadline passed before these events were delivered; a file source reads \
                 them again on the next start (its checkpoint stays before them), an http source \
                 waiting for delivery answers 503; events from stdin, a socket or an http source \
                 that answered on queueing are lost"
            );
        }
    }
}
