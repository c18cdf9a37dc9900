//! Sinks: a bounded queue, a batcher, and a [`Service`] that delivers a
//! batch once; the driver here adds what every sink needs.
//!
//! - **Queue**: bounded in events by a semaphore. A source sending a chunk
//!   takes permits for its events (`block`: it waits, so a slow sink slows
//!   its sources down instead of growing memory; `drop_newest`: the chunk
//!   is dropped for this sink and counted). Permits are returned when the
//!   batcher takes the chunk.
//! - **Batch**: events are encoded as they arrive; a batch goes out at
//!   `max_events`, `max_bytes` or `timeout_ms` after its first event.
//! - **Delivery**: at most `concurrency` batches in flight. A failed
//!   attempt that may succeed later (connection error, timeout, 408, 429,
//!   5xx) is retried with exponential backoff and full jitter, waiting
//!   what `Retry-After` asks for when the destination says; by default for
//!   ever, so an outage loses nothing (the queue fills and sources wait).
//!   401, 403 and 404 (credentials, a missing table or container) are
//!   retried the same way: an operator can fix them, and the events wait.
//!   Other 4xx are rejections: the batch is dropped, counted and logged.
//! - **Acknowledgement**: a batch holds claims on the acks of the chunks
//!   it came from and settles them with how it ended (delivered, rejected,
//!   errored: see [`crate::event`]), which is what lets a file source's
//!   checkpoint advance. Delivery tasks live in the sink's own `JoinSet`:
//!   aborting the sink aborts them, and their claims settle as errored.
//! - **Stopping**: a sink with a disk buffer stops at its first failed
//!   attempt after the stop signal (the buffer keeps the rest); others try
//!   until the forwarder's deadline aborts them.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};

use crate::config::{Common, WhenFull};
use crate::event::{write_record, Chunk, Claim, Event, Status};
use crate::metrics::Component;
use crate::shutdown::Signal;

pub mod azure_blob;
pub mod clickhouse;
pub mod datadog;
pub mod elasticsearch;
pub mod file;
pub mod http;
pub mod loki;
pub mod splunk;
pub mod util;

/// A boxed future, for the object-safe [`Service`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What one delivery attempt came to.
#[derive(Debug)]
pub enum Outcome {
    /// Every event delivered.
    Done,
    /// Nothing delivered; worth trying again.
    Retry {
        /// How long the destination asked us to wait.
        after: Option<Duration>,
        /// Why, for the log (never event content).
        reason: String,
    },
    /// Some events delivered: retry the listed ones, drop `rejected`.
    Partial {
        /// Indices (into the batch) to send again.
        retry: Vec<usize>,
        /// Events refused for good.
        rejected: usize,
        /// Why, for the log.
        reason: String,
    },
    /// Refused for good: drop and count.
    Reject {
        /// Why, for the log.
        reason: String,
    },
}

/// One kind of destination.
pub trait Service: Send + Sync + 'static {
    /// Encodes one event as a record in the batch (default: a JSON
    /// object, see [`write_record`]).
    fn encode(&self, ev: &Event, source: &str, out: &mut Vec<u8>) {
        write_record(ev, source, out);
    }

    /// Tries to deliver `batch` once.
    fn send<'a>(&'a self, batch: &'a Batch) -> BoxFuture<'a, Outcome>;

    /// Checks the destination is reachable and usable.
    fn healthcheck(&self) -> BoxFuture<'_, anyhow::Result<()>>;

    /// Whether batches must be delivered one at a time, in order (local
    /// files: lines stay in the order they were read).
    fn ordered(&self) -> bool {
        false
    }
}

/// Encoded events on their way to one sink.
#[derive(Debug, Default)]
pub struct Batch {
    id: u64,
    created: Option<std::time::SystemTime>,
    buf: Vec<u8>,
    ends: Vec<usize>,
    /// The claims on the acks of the chunks its events came from.
    acks: Vec<Claim>,
}

impl Batch {
    /// A random id, the same on every attempt: sinks that name objects
    /// (Azure blobs) use it so a retried batch overwrites, not duplicates.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// When the batch was sent first.
    pub fn created(&self) -> std::time::SystemTime {
        self.created.unwrap_or(std::time::SystemTime::UNIX_EPOCH)
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Encoded size.
    pub fn bytes(&self) -> usize {
        self.buf.len()
    }

    /// The records, in order.
    pub fn records(&self) -> impl Iterator<Item = &[u8]> + '_ {
        let mut start = 0;
        self.ends.iter().map(move |&e| {
            let r = &self.buf[start..e];
            start = e;
            r
        })
    }

    /// The records joined by `\n`, each line ended.
    pub fn ndjson(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.buf.len() + self.ends.len());
        for r in self.records() {
            out.extend_from_slice(r);
            out.push(b'\n');
        }
        out
    }

    /// The records as one JSON array.
    pub fn json_array(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.buf.len() + self.ends.len() + 2);
        out.push(b'[');
        for (i, r) in self.records().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(r);
        }
        out.push(b']');
        out
    }

    /// Keeps only the records at `keep` (sorted indices).
    pub fn retain(&mut self, keep: &[usize]) {
        let mut old = std::mem::take(self);
        self.acks = std::mem::take(&mut old.acks);
        self.id = old.id;
        self.created = old.created;
        let records: Vec<&[u8]> = old.records().collect();
        for &i in keep {
            if let Some(r) = records.get(i) {
                self.buf.extend_from_slice(r);
                self.ends.push(self.buf.len());
            }
        }
    }

    /// Reports how the batch ended to the sources of its events.
    fn settle(&mut self, status: Status) {
        for c in self.acks.drain(..) {
            c.settle(status);
        }
    }

    /// Adds one record written by `f`.
    pub fn push_with(&mut self, f: impl FnOnce(&mut Vec<u8>)) {
        f(&mut self.buf);
        self.ends.push(self.buf.len());
    }
}

/// A chunk waiting in a sink's queue, with the queue permits it holds.
#[derive(Debug)]
struct Queued {
    chunk: Arc<Chunk>,
    /// Dropped with the queue (the sink stopped): errored.
    claim: Claim,
    _permits: Option<OwnedSemaphorePermit>,
}

/// The sending side of a sink's queue; sources hold one per sink they
/// feed.
#[derive(Debug, Clone)]
pub struct SinkInput {
    /// With a disk buffer: chunks go to its writer, not to the queue.
    disk: Option<crate::buffer::DiskInput>,
    tx: mpsc::UnboundedSender<Queued>,
    permits: Arc<Semaphore>,
    capacity: u32,
    when_full: WhenFull,
    counters: Arc<Component>,
}

impl SinkInput {
    /// [`SinkInput::send`], returning only once the chunk is durable: for a
    /// disk buffer, written (and synced); for a memory queue, queued (there
    /// is nothing more durable to wait for). `false`: the buffer could not
    /// take it. For sources that answer a client (HTTP): the answer must
    /// not come before the data is safe.
    pub async fn send_durable(&self, chunk: &Arc<Chunk>) -> bool {
        if chunk.events.is_empty() {
            return true;
        }
        match &self.disk {
            Some(disk) => {
                let (tx, rx) = tokio::sync::oneshot::channel();
                if !self.send_to_disk(disk, chunk, Some(tx)).await {
                    return false;
                }
                rx.await.unwrap_or(false)
            }
            None => {
                self.send(chunk).await;
                true
            }
        }
    }

    async fn send_to_disk(
        &self,
        disk: &crate::buffer::DiskInput,
        chunk: &Arc<Chunk>,
        done: Option<tokio::sync::oneshot::Sender<bool>>,
    ) -> bool {
        // The writer's channel is bounded: wait off the async threads.
        let n = chunk.events.len();
        let (disk, chunk) = (disk.clone(), chunk.clone());
        let sent = tokio::task::spawn_blocking(move || disk.send(chunk, done).is_ok()).await;
        if !matches!(sent, Ok(true)) {
            self.counters.events_dropped.fetch_add(n as u64, Relaxed);
            return false;
        }
        true
    }

    /// Queues `chunk` for this sink, waiting for room (`block`) or
    /// dropping it (`drop_newest`).
    pub async fn send(&self, chunk: &Arc<Chunk>) {
        let n = chunk.events.len();
        if n == 0 {
            return;
        }
        if let Some(disk) = &self.disk {
            self.send_to_disk(disk, chunk, None).await;
            return;
        }
        let want = u32::try_from(n).unwrap_or(u32::MAX).min(self.capacity);
        let permits = match self.when_full {
            WhenFull::Block => self.permits.clone().acquire_many_owned(want).await.ok(),
            WhenFull::DropNewest => match self.permits.clone().try_acquire_many_owned(want) {
                Ok(p) => Some(p),
                Err(_) => {
                    self.counters.events_dropped.fetch_add(n as u64, Relaxed);
                    chunk.ack.claim().settle(Status::Rejected);
                    return;
                }
            },
        };
        self.counters.queue_events.fetch_add(n as i64, Relaxed);
        if self
            .tx
            .send(Queued {
                chunk: chunk.clone(),
                claim: chunk.ack.claim(),
                _permits: permits,
            })
            .is_err()
        {
            // The sink stopped (only during shutdown): counted, never sent.
            self.counters.queue_events.fetch_sub(n as i64, Relaxed);
            self.counters.events_dropped.fetch_add(n as u64, Relaxed);
        }
    }
}

/// A sink ready to run.
pub struct Sink {
    name: String,
    service: Arc<dyn Service>,
    common: Common,
    counters: Arc<Component>,
    rx: mpsc::UnboundedReceiver<Queued>,
    /// The queue's room; closed when a buffered sink stops reading.
    permits: Arc<Semaphore>,
    /// The disk buffer's threads and bookkeeping, when it has one.
    buffer: Option<crate::buffer::BufferTasks>,
}

impl std::fmt::Debug for Sink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sink").field("name", &self.name).finish()
    }
}

impl Sink {
    /// Makes the sink and its queue's input. With a disk buffer, sources
    /// write to the buffer and a reader feeds the sink's (memory) queue
    /// from it, holding at most `buffer.max_events` events in memory.
    pub fn new(
        name: &str,
        service: Arc<dyn Service>,
        common: Common,
        counters: Arc<Component>,
        disk: Option<crate::buffer::DiskBuffer>,
    ) -> (Sink, SinkInput) {
        let (tx, rx) = mpsc::unbounded_channel();
        let capacity = u32::try_from(common.buffer.max_events).unwrap_or(u32::MAX >> 3);
        let permits = Arc::new(Semaphore::new(capacity as usize));
        let (disk, buffer) = match disk {
            Some(buffer) => {
                let (tx, permits, counters) = (tx.clone(), permits.clone(), counters.clone());
                let handle = tokio::runtime::Handle::current();
                let (input, tasks) = buffer.start(move |chunk| {
                    let n = chunk.events.len();
                    let want = u32::try_from(n).unwrap_or(u32::MAX).min(capacity);
                    let Ok(p) = handle.block_on(permits.clone().acquire_many_owned(want)) else {
                        return false;
                    };
                    counters.queue_events.fetch_add(n as i64, Relaxed);
                    tx.send(Queued {
                        claim: chunk.ack.claim(),
                        chunk,
                        _permits: Some(p),
                    })
                    .is_ok()
                });
                (Some(input), Some(tasks))
            }
            None => (None, None),
        };
        let input = SinkInput {
            disk,
            tx,
            permits: permits.clone(),
            capacity,
            when_full: common.buffer.when_full,
            counters: counters.clone(),
        };
        (
            Sink {
                name: name.to_owned(),
                service,
                common,
                counters,
                rx,
                permits,
                buffer,
            },
            input,
        )
    }

    /// Runs until every input is closed and every batch is settled.
    ///
    /// Once `shutdown` fires, a sink with a disk buffer does not wait for
    /// a destination that is down: at the first failed attempt after it,
    /// the sink stops reading the buffer and gives up what it holds in
    /// memory (errored, so the buffer keeps it for the next start). A sink
    /// without one keeps trying until every input is closed and its
    /// batches are delivered, or until the forwarder's deadline aborts it
    /// (errored too: a file source's checkpoint stays before them).
    pub async fn run(mut self, shutdown: Signal) {
        let mut tasks = tokio::task::JoinSet::new();
        if self.common.healthcheck {
            let (svc, counters, name) = (
                self.service.clone(),
                self.counters.clone(),
                self.name.clone(),
            );
            tasks.spawn(async move {
                match tokio::time::timeout(Duration::from_secs(30), svc.healthcheck()).await {
                    Ok(Ok(())) => tracing::info!(sink = %name, "health check passed"),
                    Ok(Err(e)) => {
                        counters.healthy.store(false, Relaxed);
                        tracing::error!(sink = %name, error = %format!("{e:#}"), "health check failed; events wait in the queue and are retried");
                    }
                    Err(_) => {
                        counters.healthy.store(false, Relaxed);
                        tracing::error!(sink = %name, "health check timed out; events wait in the queue and are retried");
                    }
                }
            });
        }
        let limits = self.common.batch.clone();
        let max_bytes = usize::try_from(limits.max_bytes).unwrap_or(usize::MAX);
        let concurrency = if self.service.ordered() {
            1
        } else {
            self.common.request.concurrency
        };
        let delivery = Arc::new(util::retry::Delivery {
            service: self.service.clone(),
            counters: self.counters.clone(),
            request: self.common.request.clone(),
            name: self.name.clone(),
            inflight: Arc::new(Semaphore::new(concurrency)),
            // Only a disk buffer covers what a sink gives up at shutdown.
            give_up: self.buffer.as_ref().map(|_| util::retry::GiveUp {
                shutdown: shutdown.clone(),
                now: tokio::sync::Notify::new(),
                done: false.into(),
            }),
        });
        let mut batch = Batch::default();
        let mut deadline: Option<tokio::time::Instant> = None;
        let gave_up = async {
            match &delivery.give_up {
                Some(g) => g.now.notified().await,
                None => std::future::pending().await,
            }
        };
        tokio::pin!(gave_up);
        loop {
            let timer = async {
                match deadline {
                    Some(d) => tokio::time::sleep_until(d).await,
                    None => std::future::pending().await,
                }
            };
            let item = tokio::select! {
                item = self.rx.recv() => item,
                () = timer => {
                    delivery.dispatch(std::mem::take(&mut batch), &mut tasks).await;
                    deadline = None;
                    continue;
                }
                () = &mut gave_up => break,
            };
            let Some(q) = item else { break };
            let Queued {
                chunk,
                claim,
                _permits,
            } = q;
            let n = chunk.events.len();
            self.counters.queue_events.fetch_sub(n as i64, Relaxed);
            self.counters.events_in.fetch_add(n as u64, Relaxed);
            for ev in &chunk.events {
                batch.push_with(|out| self.service.encode(ev, &chunk.source, out));
                if batch.len() >= limits.max_events || batch.bytes() >= max_bytes {
                    // Each batch holding some of the chunk's events holds a
                    // claim on its ack.
                    batch.acks.push(claim.split());
                    delivery
                        .dispatch(std::mem::take(&mut batch), &mut tasks)
                        .await;
                    deadline = None;
                }
            }
            if batch.is_empty() {
                // Every event went out with a batch that holds its own claim.
                claim.settle(Status::Delivered);
            } else {
                batch.acks.push(claim);
                if deadline.is_none() {
                    deadline = Some(
                        tokio::time::Instant::now() + Duration::from_millis(limits.timeout_ms),
                    );
                }
            }
        }
        if delivery.gave_up() {
            // What is queued or batched here was read from the disk
            // buffer: dropped unsettled, it stays there.
            if let Some(b) = &self.buffer {
                b.stop_reading();
            }
            self.permits.close();
            let held = self.counters.queue_events.load(Relaxed).max(0) as usize + batch.len();
            self.rx.close();
            while self.rx.try_recv().is_ok() {}
            self.counters.queue_events.store(0, Relaxed);
            drop(batch);
            tracing::warn!(
                sink = %self.name,
                events_held = held,
                "stopping with the destination failing: undelivered events stay in the disk buffer and are sent after the next start"
            );
        } else if !batch.is_empty() {
            delivery.dispatch(batch, &mut tasks).await;
        }
        while tasks.join_next().await.is_some() {}
        if let Some(b) = self.buffer.take() {
            b.close().await;
        }
        tracing::debug!(sink = %self.name, "sink stopped");
    }
}

/// Kind-specific sink settings: the registry of sink kinds. A new sink is
/// its own module, a variant here and an arm in `build`.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum SinkKind {
    /// Files on local disk.
    File(file::FileSinkConfig),
    /// Standard output.
    Console(file::ConsoleSinkConfig),
    /// Any HTTP endpoint.
    Http(http::HttpSinkConfig),
    /// ClickHouse over its HTTP interface.
    Clickhouse(clickhouse::ClickhouseConfig),
    /// Azure Blob Storage (one blob per batch).
    AzureBlob(azure_blob::AzureBlobConfig),
    /// Grafana Loki push API.
    Loki(loki::LokiConfig),
    /// Elasticsearch / OpenSearch bulk API.
    Elasticsearch(elasticsearch::ElasticsearchConfig),
    /// Splunk HTTP Event Collector.
    SplunkHec(splunk::SplunkHecConfig),
    /// Datadog Logs intake.
    DatadogLogs(datadog::DatadogLogsConfig),
}

impl SinkKind {
    /// The `type` name.
    pub fn name(&self) -> &'static str {
        match self {
            SinkKind::File(_) => "file",
            SinkKind::Console(_) => "console",
            SinkKind::Http(_) => "http",
            SinkKind::Clickhouse(_) => "clickhouse",
            SinkKind::AzureBlob(_) => "azure_blob",
            SinkKind::Loki(_) => "loki",
            SinkKind::Elasticsearch(_) => "elasticsearch",
            SinkKind::SplunkHec(_) => "splunk_hec",
            SinkKind::DatadogLogs(_) => "datadog_logs",
        }
    }
}

/// Builds the service for a sink's configuration.
pub fn build(
    kind: &SinkKind,
    common: &Common,
    keyrings: &std::collections::BTreeMap<String, Arc<crate::keys::Keyring>>,
) -> anyhow::Result<Arc<dyn Service>> {
    use SinkKind as K;
    Ok(match kind {
        K::File(c) => Arc::new(file::FileSink::new(c, common, keyrings)?),
        K::Console(c) => Arc::new(file::ConsoleSink::new(c)),
        K::Http(c) => Arc::new(http::HttpSink::new(c, common)?),
        K::Clickhouse(c) => Arc::new(clickhouse::ClickhouseSink::new(c, common)?),
        K::AzureBlob(c) => Arc::new(azure_blob::AzureBlobSink::new(c, common)?),
        K::Loki(c) => Arc::new(loki::LokiSink::new(c, common)?),
        K::Elasticsearch(c) => Arc::new(elasticsearch::ElasticsearchSink::new(c, common)?),
        K::SplunkHec(c) => Arc::new(splunk::SplunkHecSink::new(c, common)?),
        K::DatadogLogs(c) => Arc::new(datadog::DatadogLogsSink::new(c, common)?),
    })
}
