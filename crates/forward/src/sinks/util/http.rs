//! HTTP plumbing shared by every sink that talks HTTP: the client (rustls,
//! the sink's CA and client certificate), URL settings, the plaintext
//! check, how a response is classified (done, retry, reject), credentials,
//! compression and health-check GETs. A sink's own file says only what is
//! particular to its destination.

use std::time::Duration;

use crate::config::{Auth, Common, Compression};
use crate::sinks::Outcome;

/// Parses a URL setting, naming the key when it is wrong.
pub fn parse_url(s: &str, key: &str) -> anyhow::Result<reqwest::Url> {
    let url =
        reqwest::Url::parse(s).map_err(|e| anyhow::anyhow!("{key}: `{s}` is not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        anyhow::bail!("{key}: `{s}` must be http:// or https://");
    }
    Ok(url)
}

/// Parses a base URL setting that paths are joined onto: its path gets a
/// trailing `/`, so `https://gw/loki` joined with `loki/api/v1/push` keeps
/// `/loki` (`Url::join` would replace the last segment).
pub fn parse_base_url(s: &str, key: &str) -> anyhow::Result<reqwest::Url> {
    let mut url = parse_url(s, key)?;
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

/// A reqwest client (rustls) with the sink's timeouts, trusting the
/// built-in roots plus `tls.ca_file`, and presenting `tls.cert_file` /
/// `tls.key_file` when the destination asks for a client certificate.
pub fn http_client(common: &Common) -> anyhow::Result<reqwest::Client> {
    let req = &common.request;
    let b = reqwest::Client::builder()
        .timeout(Duration::from_secs(req.timeout_secs.max(1)))
        .connect_timeout(Duration::from_secs(req.timeout_secs.clamp(1, 10)))
        .pool_max_idle_per_host(req.concurrency);
    Ok(crate::tls::client(b, &common.tls)?.build()?)
}

/// Refuses a plaintext `http://` URL (setting `key`) to a host that is not
/// loopback (`127.0.0.0/8`, `::1`, `localhost`) unless the sink sets
/// `allow_plaintext = true`, which logs a warning instead. Every sink with
/// an endpoint calls it from its `new` for each URL it sends to.
pub fn check_plaintext(url: &reqwest::Url, key: &str, common: &Common) -> anyhow::Result<()> {
    if url.scheme() != "http" || is_loopback_host(url) {
        return Ok(());
    }
    // Scheme, host and port only: the rest of a URL may hold a credential
    // (a SAS token, a password).
    let host = url.host_str().unwrap_or("");
    let shown = match url.port() {
        Some(p) => format!("http://{host}:{p}"),
        None => format!("http://{host}"),
    };
    if !common.allow_plaintext {
        anyhow::bail!(
            "{key}: `{shown}` would send events unencrypted to a host that is not loopback; \
             use https://, or set allow_plaintext = true on this sink to accept that"
        );
    }
    tracing::warn!(
        key,
        destination = %shown,
        "allow_plaintext = true: events go unencrypted over http:// to a host that is not loopback"
    );
    Ok(())
}

fn is_loopback_host(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    match host.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(ip)) => ip.is_loopback(),
        Ok(std::net::IpAddr::V6(ip)) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}

/// Classifies a response by status: 2xx done; 408, 429 and 5xx retried
/// (honouring `Retry-After`); 401, 403 and 404 retried too: a wrong
/// credential, a missing table or container is fixed by an operator, and
/// the events should wait for that (the sink shows unhealthy and logs
/// each failure) rather than be dropped. Other statuses (400, 413, 422:
/// the data itself) are rejections.
pub fn classify(
    status: reqwest::StatusCode,
    headers: &reqwest::header::HeaderMap,
    body: &str,
) -> Outcome {
    let short: String = body.chars().take(300).collect();
    if status.is_success() {
        Outcome::Done
    } else if matches!(status.as_u16(), 401 | 403 | 404 | 408 | 429) || status.is_server_error() {
        Outcome::Retry {
            after: retry_after(headers),
            reason: format!("HTTP {status}: {short}"),
        }
    } else {
        Outcome::Reject {
            reason: format!("HTTP {status}: {short}"),
        }
    }
}

/// Sends a request and classifies the answer; connection errors retry.
pub async fn send_request(rb: reqwest::RequestBuilder) -> Outcome {
    match rb.send().await {
        Ok(resp) => {
            let (status, headers) = (resp.status(), resp.headers().clone());
            let body = if status.is_success() {
                String::new()
            } else {
                resp.text().await.unwrap_or_default()
            };
            classify(status, &headers, &body)
        }
        Err(e) => Outcome::Retry {
            after: None,
            reason: error_chain(e),
        },
    }
}

/// A failed request as one line: the error and its causes (reqwest's
/// top-level message alone rarely says why), without the URL, which can
/// carry credentials (a SAS signature, ClickHouse settings) and would
/// otherwise reach log lines and `/health`.
pub fn error_chain(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut s = e.to_string();
    let mut cur = std::error::Error::source(&e);
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

/// `HTTP <status>: <the first 300 characters of the body>`, for errors.
pub async fn error_status(resp: reqwest::Response) -> String {
    let status = resp.status();
    let body: String = resp
        .text()
        .await
        .unwrap_or_default()
        .chars()
        .take(300)
        .collect();
    format!("HTTP {status}: {}", body.trim())
}

/// `Retry-After` as seconds or an HTTP date.
pub fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let v = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(v).ok()?;
    Some(
        at.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// Compresses a body when asked.
pub fn compress(body: Vec<u8>, c: Compression) -> Vec<u8> {
    match c {
        Compression::None => body,
        Compression::Gzip => {
            use std::io::Write;
            let mut enc = flate2::write::GzEncoder::new(
                Vec::with_capacity(body.len() / 4),
                flate2::Compression::fast(),
            );
            enc.write_all(&body).expect("writing to a Vec");
            enc.finish().expect("writing to a Vec")
        }
    }
}

/// Authentication resolved at start-up (files read once).
#[derive(Debug, Clone)]
pub enum ResolvedAuth {
    /// No credentials.
    None,
    /// Bearer token.
    Bearer(crate::config::Secret),
    /// User and password.
    Basic(String, crate::config::Secret),
}

impl ResolvedAuth {
    /// Reads credential files named by `auth`.
    pub fn resolve(auth: &Option<Auth>) -> anyhow::Result<ResolvedAuth> {
        use crate::config::resolve_secret;
        Ok(match auth {
            None => ResolvedAuth::None,
            Some(Auth::Bearer { token, token_file }) => {
                ResolvedAuth::Bearer(resolve_secret("auth.token", token, token_file)?.ok_or_else(
                    || anyhow::anyhow!("auth.strategy = \"bearer\" needs token or token_file"),
                )?)
            }
            Some(Auth::Basic {
                user,
                password,
                password_file,
            }) => ResolvedAuth::Basic(
                user.clone(),
                resolve_secret("auth.password", password, password_file)?.unwrap_or_default(),
            ),
        })
    }

    /// Adds the `Authorization` header.
    pub fn apply(&self, rb: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self {
            ResolvedAuth::None => rb,
            ResolvedAuth::Bearer(t) => rb.bearer_auth(t.expose()),
            ResolvedAuth::Basic(u, p) => rb.basic_auth(u, Some(p.expose())),
        }
    }
}

/// Sends a GET and expects a success status: the health check of most
/// HTTP sinks.
pub async fn check_get(rb: reqwest::RequestBuilder) -> anyhow::Result<()> {
    let resp = rb
        .send()
        .await
        .map_err(|e| anyhow::anyhow!(error_chain(e)))?;
    if resp.status().is_success() {
        Ok(())
    } else {
        anyhow::bail!(error_status(resp).await)
    }
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn request_errors_never_carry_the_url_and_its_credentials() {
        // Nothing listens on port 1: a connection error naming the URL.
        let e = reqwest::Client::new()
            .get("http://127.0.0.1:1/c/blob?sv=2021&sig=FAKEsignatureVALUE")
            .send()
            .await
            .unwrap_err();
        assert!(
            e.to_string().contains("sig="),
            "reqwest itself names the URL"
        );
        let line = super::error_chain(e);
        assert!(
            !line.contains("FAKEsignatureVALUE") && !line.contains("127.0.0.1:1/c"),
            "{line}"
        );
    }
}
