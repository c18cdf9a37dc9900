//! The `[api]` endpoint: `GET /health` (JSON: per-sink health) and
//! `GET /metrics` (Prometheus text). Loopback by default.

use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;

use axum::extract::State;
use axum::response::IntoResponse;

use crate::metrics::Metrics;

/// Binds the endpoint and returns the task serving it until shutdown.
pub async fn bind(
    address: &str,
    metrics: Arc<Metrics>,
    shutdown: tokio::sync::watch::Receiver<bool>,
) -> anyhow::Result<(std::net::SocketAddr, impl std::future::Future<Output = ()>)> {
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|e| anyhow::anyhow!("api.address {address}: cannot listen: {e}"))?;
    let local = listener.local_addr()?;
    let app = axum::Router::new()
        .route("/health", axum::routing::get(health))
        .route("/metrics", axum::routing::get(metrics_text))
        .with_state(metrics);
    Ok((local, async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                crate::sources::stopped(shutdown).await;
            })
            .await;
    }))
}

async fn health(State(m): State<Arc<Metrics>>) -> impl IntoResponse {
    let mut body = String::from("{\"status\":\"ok\",\"sinks\":{");
    let mut first = true;
    for c in m.components().iter().filter(|c| c.role == "sink") {
        if !first {
            body.push(',');
        }
        first = false;
        let mut name = Vec::new();
        crate::event::push_json_str(&c.name, &mut name);
        body.push_str(&String::from_utf8_lossy(&name));
        body.push_str(if c.healthy.load(Relaxed) {
            ":\"healthy\""
        } else {
            ":\"unhealthy\""
        });
    }
    body.push_str("}}");
    ([("content-type", "application/json")], body)
}

async fn metrics_text(State(m): State<Arc<Metrics>>) -> impl IntoResponse {
    ([("content-type", "text/plain; version=0.0.4")], m.render())
}
