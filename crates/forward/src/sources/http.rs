//! `http` source: `POST` NDJSON (one JSON value per line) or one JSON
//! array, optionally gzip-encoded.
//!
//! A request is all or nothing: if any line is not JSON, or the body (after
//! decompression) is over `max_body_bytes`, it gets 400 or 413 naming the
//! problem and no event of it enters the pipeline, so the client can fix
//! and resend without creating duplicates. Otherwise the events are
//! redacted, queued for every sink (a disk buffer: written and synced), and
//! only then answered with 200 (`wait_for_delivery = true`: only once every
//! sink has delivered them; 422 if a destination refused some for good,
//! 503 if they were not delivered before the forwarder stopped).
//! JSON objects are redacted field-aware; a JSON string is an event of its
//! text; other values are kept as their JSON text and scanned as text.
//!
//! With `tls` it serves HTTPS only (HSTS on every response, the
//! certificate re-read when its files change: see [`crate::tls`]).

use std::io::Read;
use std::sync::Arc;
use std::time::SystemTime;

use anyhow::Context as _;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{SourceCtx, CHUNK_EVENTS};
use crate::config::{byte_size, EventFormat, TlsServerConfig};
use crate::event::{Ack, Status};

/// `type = "http"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpSourceConfig {
    /// Listen address (`host:port`).
    pub address: String,
    /// The path events are POSTed to.
    #[serde(default = "default_http_path")]
    pub path: String,
    /// Requests with a larger body (after decompression) get 413.
    #[serde(default = "default_max_body", deserialize_with = "byte_size")]
    pub max_body_bytes: u64,
    /// Answer only once every sink has delivered the request's events
    /// (default: once they are accepted into the pipeline's queues).
    #[serde(default)]
    pub wait_for_delivery: bool,
    /// Serve HTTPS with this certificate (HSTS on every response).
    pub tls: Option<TlsServerConfig>,
}

fn default_http_path() -> String {
    "/".into()
}

fn default_max_body() -> u64 {
    10 << 20
}

struct Ingest {
    ctx: SourceCtx,
    max_body: usize,
    wait: bool,
}

/// Binds the listener (so errors surface at start-up) and returns the
/// task that serves it until shutdown.
pub async fn bind(
    ctx: SourceCtx,
    config: HttpSourceConfig,
) -> anyhow::Result<impl std::future::Future<Output = ()>> {
    let tls = config
        .tls
        .as_ref()
        .map(crate::tls::ServerTls::load)
        .transpose()
        .context("tls")?;
    let listener = tokio::net::TcpListener::bind(&config.address)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.address))?;
    let shutdown = ctx.shutdown.clone();
    let state = Arc::new(Ingest {
        ctx,
        max_body: config.max_body_bytes as usize,
        wait: config.wait_for_delivery,
    });
    let app = axum::Router::new()
        .route(&config.path, axum::routing::post(ingest))
        .with_state(state);
    Ok(async move {
        if let Some(tls) = tls {
            return crate::tls::serve(listener, app, tls, shutdown).await;
        }
        let res = axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                shutdown.stopped().await;
            })
            .await;
        if let Err(e) = res {
            tracing::error!(error = %e, "http source stopped");
        }
    })
}

fn reply(status: StatusCode, message: &str) -> Response {
    let mut body = Vec::new();
    body.extend_from_slice(b"{\"error\":");
    crate::event::push_json_str(message, &mut body);
    body.push(b'}');
    (status, [("content-type", "application/json")], body).into_response()
}

async fn ingest(State(st): State<Arc<Ingest>>, headers: HeaderMap, body: Body) -> Response {
    let c = &st.ctx.counters;
    let reject = |status: StatusCode, msg: &str| {
        c.errors.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        reply(status, msg)
    };
    if st.ctx.stopping() {
        return reject(StatusCode::SERVICE_UNAVAILABLE, "shutting down");
    }
    let raw: Bytes = match axum::body::to_bytes(body, st.max_body).await {
        Ok(b) => b,
        Err(_) => {
            return reject(
                StatusCode::PAYLOAD_TOO_LARGE,
                &format!("body over {} bytes", st.max_body),
            )
        }
    };
    let encoding = headers
        .get("content-encoding")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let data: Vec<u8> = match encoding.as_str() {
        "" | "identity" => raw.to_vec(),
        "gzip" => {
            let mut out = Vec::new();
            let mut dec = flate2::read::GzDecoder::new(&raw[..]).take(st.max_body as u64 + 1);
            if dec.read_to_end(&mut out).is_err() {
                return reject(StatusCode::BAD_REQUEST, "body is not valid gzip");
            }
            if out.len() > st.max_body {
                return reject(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    &format!("decompressed body over {} bytes", st.max_body),
                );
            }
            out
        }
        other => {
            return reject(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                &format!("content-encoding `{other}` is not supported (gzip)"),
            )
        }
    };
    let items = match parse(&data) {
        Ok(items) => items,
        Err(msg) => return reject(StatusCode::BAD_REQUEST, &msg),
    };
    let now = SystemTime::now();
    let mut json = st.ctx.redactor.stream(EventFormat::Json);
    let mut text = st.ctx.redactor.stream(EventFormat::Text);
    let mut events: Vec<_> = items
        .iter()
        .map(|it| match it {
            Piece::Json(b) => json.event(b, now),
            Piece::Text(s) => text.event(s.as_bytes(), now),
        })
        .collect();
    json.flush_counts();
    text.flush_counts();
    let accepted = events.len();
    let mut waits = Vec::new();
    while !events.is_empty() {
        let rest = events.split_off(events.len().min(CHUNK_EVENTS));
        let ack = if st.wait {
            let (tx, rx) = tokio::sync::oneshot::channel();
            waits.push(rx);
            Ack::notify(tx)
        } else {
            Ack::none()
        };
        // With a disk buffer, the answer waits until the events are written
        // and synced: a 200 means they survive a crash.
        if !st.ctx.send_durable(events, ack).await {
            return reject(
                StatusCode::SERVICE_UNAVAILABLE,
                "the events could not be written to the buffer; send them again",
            );
        }
        events = rest;
    }
    // The worst status of any chunk is the request's.
    let mut worst = Status::Delivered;
    for w in waits {
        worst = worst.max(w.await.unwrap_or(Status::Errored));
    }
    match worst {
        Status::Delivered => {}
        Status::Rejected => {
            return reject(
                StatusCode::UNPROCESSABLE_ENTITY,
                "a destination refused some of these events for good; they were dropped and \
                 counted, and sending them again would end the same way",
            )
        }
        Status::Errored => {
            return reject(
                StatusCode::SERVICE_UNAVAILABLE,
                "the events were not delivered (the forwarder is stopping); send them again",
            )
        }
    }
    (
        StatusCode::OK,
        [("content-type", "application/json")],
        format!("{{\"accepted\":{accepted}}}"),
    )
        .into_response()
}

pub(crate) enum Piece<'a> {
    Json(std::borrow::Cow<'a, [u8]>),
    Text(String),
}

/// Splits a body into events, or says which line is wrong.
pub(crate) fn parse(data: &[u8]) -> Result<Vec<Piece<'_>>, String> {
    let trimmed = data.trim_ascii_start();
    if trimmed.starts_with(b"[") {
        let values: Vec<serde_json::Value> =
            serde_json::from_slice(data).map_err(|e| format!("invalid JSON array: {e}"))?;
        return Ok(values.into_iter().map(piece_of).collect());
    }
    let mut out = Vec::new();
    for (i, line) in data.split(|&b| b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.trim_ascii().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_slice(line)
            .map_err(|e| format!("line {}: invalid JSON: {e}", i + 1))?;
        out.push(match v {
            serde_json::Value::String(s) => Piece::Text(s),
            _ => Piece::Json(std::borrow::Cow::Borrowed(line)),
        });
    }
    Ok(out)
}

fn piece_of(v: serde_json::Value) -> Piece<'static> {
    match v {
        serde_json::Value::String(s) => Piece::Text(s),
        v => Piece::Json(std::borrow::Cow::Owned(
            serde_json::to_vec(&v).expect("a parsed value serializes"),
        )),
    }
}
