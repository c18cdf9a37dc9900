//! The `[api]` endpoint: `GET /health` (JSON: per-sink health),
//! `GET /metrics` (Prometheus text) and the admin endpoint
//! `POST /reload`. Loopback by default; HTTPS with `tls`.
//!
//! **Access.** Off loopback the endpoint needs a read token (the
//! configuration is refused without one): `/health` and `/metrics` then
//! want `Authorization: Bearer <read token or admin token>`. Admin
//! endpoints want the admin token; with no admin token configured they
//! are open on a loopback listener (to whoever may read, as above) and
//! disabled (403) on any other. A refused request gets 401 with an empty
//! body and counts in `logscrub_api_auth_failures_total`.
//!
//! Tokens are compared as HMAC-SHA256 digests under a per-process random
//! key, with a comparison that looks at every byte: the time a wrong
//! token takes says nothing about the right one, whatever its length.

use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;

use anyhow::Context as _;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hmac::Mac as _;

use crate::config::{resolve_secret, ApiConfig, Secret};
use crate::metrics::Metrics;
use crate::sinks::BoxFuture;
use crate::tls::ServerTls;

/// What `POST /reload` calls: `Ok` and `Err` carry a message for the
/// administrator (200 and 500). It must never hold a secret or event
/// content.
pub type ReloadFn = Arc<dyn Fn() -> BoxFuture<'static, Result<String, String>> + Send + Sync>;

type Digest = [u8; 32];

/// The tokens, as digests, and what is open without one.
struct Access {
    key: Digest,
    read: Option<Digest>,
    admin: Option<Digest>,
    /// The listener is on loopback (admin endpoints without an admin
    /// token are allowed only then).
    loopback: bool,
    metrics: Arc<Metrics>,
}

impl Access {
    fn new(
        read: Option<Secret>,
        admin: Option<Secret>,
        loopback: bool,
        metrics: Arc<Metrics>,
    ) -> anyhow::Result<Access> {
        // Keeps the compared digests unpredictable to a caller; the
        // comparison is constant-time either way. From the OS CSPRNG.
        let mut key: Digest = Default::default();
        getrandom::getrandom(&mut key).map_err(|e| {
            anyhow::anyhow!("cannot read the operating system's random source: {e}")
        })?;
        let digest = |s: &Secret| hmac_digest(&key, s.expose().as_bytes());
        Ok(Access {
            read: read.as_ref().map(digest),
            admin: admin.as_ref().map(digest),
            key,
            loopback,
            metrics,
        })
    }

    /// The presented bearer token's digest, if any.
    fn presented(&self, req: &Request) -> Option<Digest> {
        let value = req.headers().get(axum::http::header::AUTHORIZATION)?;
        let value = value.to_str().ok()?.trim();
        let (scheme, token) = value.split_once(' ')?;
        if !scheme.eq_ignore_ascii_case("bearer") {
            return None;
        }
        Some(hmac_digest(&self.key, token.trim().as_bytes()))
    }

    /// Whether `req` may read (`/health`, `/metrics`).
    fn may_read(&self, req: &Request) -> bool {
        let Some(read) = &self.read else {
            // Only possible on loopback (checked at start-up).
            return true;
        };
        let Some(got) = self.presented(req) else {
            return false;
        };
        // Both compared, always (`|`, not `||`).
        same(&got, read) | self.admin.as_ref().is_some_and(|a| same(&got, a))
    }

    fn refuse(&self) -> Response {
        self.metrics.api_auth_failures.fetch_add(1, Relaxed);
        (
            StatusCode::UNAUTHORIZED,
            [(axum::http::header::WWW_AUTHENTICATE, "Bearer")],
        )
            .into_response()
    }
}

fn hmac_digest(key: &Digest, data: &[u8]) -> Digest {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).expect("any key length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// Equal, looking at every byte whatever they hold.
fn same(a: &Digest, b: &Digest) -> bool {
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

async fn read_gate(State(access): State<Arc<Access>>, req: Request, next: Next) -> Response {
    if access.may_read(&req) {
        next.run(req).await
    } else {
        access.refuse()
    }
}

async fn admin_gate(State(access): State<Arc<Access>>, req: Request, next: Next) -> Response {
    let allowed = match &access.admin {
        Some(admin) => access.presented(&req).is_some_and(|got| same(&got, admin)),
        None if access.loopback => access.may_read(&req),
        None => return StatusCode::FORBIDDEN.into_response(),
    };
    if allowed {
        next.run(req).await
    } else {
        access.refuse()
    }
}

/// Whether an `api.address` (`host:port`) is on loopback, judged without
/// resolving names: only `localhost` and loopback IPs are.
fn is_loopback_address(address: &str) -> bool {
    if let Ok(a) = address.parse::<std::net::SocketAddr>() {
        return a.ip().is_loopback();
    }
    let host = address.rsplit_once(':').map_or(address, |(h, _)| h);
    let host = host.trim_start_matches('[').trim_end_matches(']');
    match host.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

/// The tokens `[api]` names (files read), with its access rules checked.
fn tokens(config: &ApiConfig) -> anyhow::Result<(Option<Secret>, Option<Secret>)> {
    let read = resolve_secret(
        "api.read_token",
        &config.read_token,
        &config.read_token_file,
    )?;
    let admin = resolve_secret(
        "api.admin_token",
        &config.admin_token,
        &config.admin_token_file,
    )?;
    for (what, t) in [("api.read_token", &read), ("api.admin_token", &admin)] {
        if t.as_ref().is_some_and(|t| t.expose().trim().is_empty()) {
            anyhow::bail!("{what} is empty");
        }
    }
    if read.is_none() && !is_loopback_address(&config.address) {
        anyhow::bail!("{}", not_loopback_without_token(&config.address));
    }
    Ok((read, admin))
}

fn not_loopback_without_token(address: &str) -> String {
    format!(
        "api.address `{address}` is not loopback: set api.read_token (or api.read_token_file) \
         so /health and /metrics need `Authorization: Bearer <token>`, or listen on 127.0.0.1"
    )
}

/// Checks `[api]` without listening: tokens and their files, the
/// loopback rule, the TLS certificate and key.
pub fn check(config: &ApiConfig) -> anyhow::Result<()> {
    if !config.enabled {
        return Ok(());
    }
    tokens(config)?;
    if let Some(t) = &config.tls {
        ServerTls::load(t).context("api.tls")?;
    }
    Ok(())
}

/// Binds the endpoint and returns the task serving it until shutdown.
/// `reload` backs `POST /reload` (absent: 404).
pub async fn bind(
    config: &ApiConfig,
    metrics: Arc<Metrics>,
    shutdown: crate::shutdown::Signal,
    reload: Option<ReloadFn>,
) -> anyhow::Result<(std::net::SocketAddr, impl std::future::Future<Output = ()>)> {
    let (read, admin) = tokens(config)?;
    let tls = config
        .tls
        .as_ref()
        .map(ServerTls::load)
        .transpose()
        .context("api.tls")?;
    let address = &config.address;
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|e| anyhow::anyhow!("api.address {address}: cannot listen: {e}"))?;
    let local = listener.local_addr()?;
    let loopback = local.ip().is_loopback();
    if read.is_none() && !loopback {
        anyhow::bail!("{}", not_loopback_without_token(address));
    }
    let access = Arc::new(Access::new(read, admin, loopback, metrics.clone())?);
    let mut app = axum::Router::new()
        .route("/health", axum::routing::get(health))
        .route("/metrics", axum::routing::get(metrics_text))
        .route_layer(axum::middleware::from_fn_with_state(
            access.clone(),
            read_gate,
        ))
        .with_state(metrics);
    if let Some(reload) = reload {
        app = app.merge(
            axum::Router::new()
                .route("/reload", axum::routing::post(reload_now))
                .route_layer(axum::middleware::from_fn_with_state(access, admin_gate))
                .with_state(reload),
        );
    }
    Ok((local, async move {
        match tls {
            Some(tls) => crate::tls::serve(listener, app, tls, shutdown).await,
            None => {
                let _ = axum::serve(listener, app)
                    .with_graceful_shutdown(async move {
                        shutdown.stopped().await;
                    })
                    .await;
            }
        }
    }))
}

async fn reload_now(State(reload): State<ReloadFn>) -> Response {
    let (status, message) = match reload().await {
        Ok(m) => (StatusCode::OK, m),
        Err(m) => (StatusCode::INTERNAL_SERVER_ERROR, m),
    };
    (
        status,
        [("content-type", "text/plain; charset=utf-8")],
        message + "\n",
    )
        .into_response()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_addresses_are_told_apart_without_resolving() {
        for a in ["127.0.0.1:8686", "[::1]:1", "localhost:8686", "127.1.2.3:0"] {
            assert!(is_loopback_address(a), "{a}");
        }
        for a in ["0.0.0.0:8686", "[::]:1", "10.0.0.1:80", "api.internal:8686"] {
            assert!(!is_loopback_address(a), "{a}");
        }
    }

    #[test]
    fn digests_compare_equal_only_for_the_same_token() {
        let key = [7u8; 32];
        let a = hmac_digest(&key, b"token-a");
        assert!(same(&a, &hmac_digest(&key, b"token-a")));
        assert!(!same(&a, &hmac_digest(&key, b"token-b")));
        assert!(!same(&a, &hmac_digest(&key, b"token-a ")));
    }
}
