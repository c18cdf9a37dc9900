//! Delivering a batch: at most `concurrency` batches in flight, each
//! retried with exponential backoff and full jitter (honouring
//! `Retry-After`) until it is delivered, rejected or out of attempts, then
//! settled with that status (see [`crate::event`]). A sink with a disk
//! buffer stops retrying once the forwarder stops (the buffer keeps what
//! was not delivered).

use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;

use crate::config::RequestConfig;
use crate::event::Status;
use crate::metrics::Component;
use crate::shutdown::Signal;
use crate::sinks::{Batch, Outcome, Service};

/// What every delivery task of one sink shares.
pub(crate) struct Delivery {
    pub(crate) service: Arc<dyn Service>,
    pub(crate) counters: Arc<Component>,
    pub(crate) request: RequestConfig,
    pub(crate) name: String,
    /// At most `concurrency` batches in flight.
    pub(crate) inflight: Arc<Semaphore>,
    /// Present when a disk buffer covers what the sink gives up.
    pub(crate) give_up: Option<GiveUp>,
}

/// How a buffered sink stops waiting for a failing destination.
pub(crate) struct GiveUp {
    pub(crate) shutdown: Signal,
    /// Woken once, when a delivery gives up.
    pub(crate) now: tokio::sync::Notify,
    pub(crate) done: std::sync::atomic::AtomicBool,
}

impl Delivery {
    /// Whether a delivery gave up at shutdown.
    pub(crate) fn gave_up(&self) -> bool {
        self.give_up.as_ref().is_some_and(|g| g.done.load(Relaxed))
    }

    /// Starts delivering `batch` on the sink's own task set, once one of
    /// the `concurrency` slots is free.
    pub(crate) async fn dispatch(
        self: &Arc<Self>,
        mut batch: Batch,
        tasks: &mut tokio::task::JoinSet<()>,
    ) {
        if batch.is_empty() {
            return;
        }
        batch.id = fastrand::u64(..);
        batch.created = Some(std::time::SystemTime::now());
        // A slot first (back-pressure: the queue is not read meanwhile),
        // so batches start in the order they were made.
        let slot = self
            .inflight
            .clone()
            .acquire_owned()
            .await
            .expect("never closed");
        // Finished deliveries are reaped here (their results are nothing).
        while tasks.try_join_next().is_some() {}
        let this = self.clone();
        tasks.spawn(async move {
            let status = this.deliver(&mut batch).await;
            batch.settle(status);
            drop(slot);
        });
    }

    /// Sends `batch` until it is delivered, rejected, or out of attempts
    /// (or, for a buffered sink at shutdown, until an attempt fails).
    async fn deliver(&self, batch: &mut Batch) -> Status {
        let (req, c, name) = (&self.request, &*self.counters, &self.name);
        let mut backoff = Duration::from_millis(req.retry_initial_backoff_ms.max(1));
        let max_backoff = Duration::from_secs(req.retry_max_backoff_secs.max(1));
        let timeout = Duration::from_secs(req.timeout_secs.max(1));
        let mut attempts = 0u32;
        let mut status = Status::Delivered;
        loop {
            attempts += 1;
            let started = Instant::now();
            let outcome = tokio::time::timeout(timeout, self.service.send(batch))
                .await
                .unwrap_or_else(|_| Outcome::Retry {
                    after: None,
                    reason: format!("request timed out after {}s", timeout.as_secs()),
                });
            let (after, reason) = match outcome {
                Outcome::Done => {
                    c.events_out.fetch_add(batch.len() as u64, Relaxed);
                    c.bytes_out.fetch_add(batch.bytes() as u64, Relaxed);
                    c.latency_us_sum
                        .fetch_add(started.elapsed().as_micros() as u64, Relaxed);
                    c.latency_count.fetch_add(1, Relaxed);
                    c.healthy.store(true, Relaxed);
                    return status;
                }
                Outcome::Reject { reason } => {
                    c.errors.fetch_add(1, Relaxed);
                    c.healthy.store(false, Relaxed);
                    c.events_dropped.fetch_add(batch.len() as u64, Relaxed);
                    tracing::error!(sink = %name, events = batch.len(), reason = %reason, "destination rejected the batch; dropped");
                    return Status::Rejected;
                }
                Outcome::Partial {
                    retry,
                    rejected,
                    reason,
                } => {
                    let delivered = batch.len().saturating_sub(retry.len() + rejected);
                    c.events_out.fetch_add(delivered as u64, Relaxed);
                    c.events_dropped.fetch_add(rejected as u64, Relaxed);
                    c.errors.fetch_add(1, Relaxed);
                    if rejected > 0 {
                        status = Status::Rejected;
                        tracing::error!(sink = %name, rejected, reason = %reason, "destination rejected some events; dropped");
                    }
                    if retry.is_empty() {
                        return status;
                    }
                    batch.retain(&retry);
                    (None, reason)
                }
                Outcome::Retry { after, reason } => {
                    c.errors.fetch_add(1, Relaxed);
                    c.healthy.store(false, Relaxed);
                    (after, reason)
                }
            };
            if req.retry_attempts.is_some_and(|max| attempts >= max) {
                c.events_dropped.fetch_add(batch.len() as u64, Relaxed);
                tracing::error!(sink = %name, events = batch.len(), attempts, reason = %reason, "giving up on the batch; dropped");
                return Status::Rejected;
            }
            if let Some(g) = self.give_up.as_ref().filter(|g| g.shutdown.is_stopped()) {
                g.done.store(true, Relaxed);
                g.now.notify_one();
                return Status::Errored;
            }
            let wait = match after {
                Some(a) => a.min(max_backoff),
                None => {
                    // Full jitter in [backoff/2, backoff].
                    let half = backoff / 2;
                    half + half.mul_f64(fastrand::f64())
                }
            };
            tracing::warn!(sink = %name, attempt = attempts, retry_in_ms = wait.as_millis() as u64, reason = %reason, "delivery failed; retrying");
            match &self.give_up {
                // A buffered sink stops waiting when the forwarder stops.
                Some(g) => tokio::select! {
                    () = tokio::time::sleep(wait) => {}
                    () = g.shutdown.stopped() => {
                        g.done.store(true, Relaxed);
                        g.now.notify_one();
                        return Status::Errored;
                    }
                },
                None => tokio::time::sleep(wait).await,
            }
            backoff = (backoff * 2).min(max_backoff);
        }
    }
}
