//! `http` sink: each batch is one request (NDJSON or a JSON array) to any
//! endpoint, with custom headers and bearer or basic authentication.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::util::http::parse_url;
use super::util::http::ResolvedAuth;
use super::{Batch, BoxFuture, Outcome, Service};
use crate::config::{Auth, Common, Compression, Secret};

/// Body framing.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum HttpEncoding {
    /// One JSON object per line (`application/x-ndjson`).
    #[default]
    Ndjson,
    /// One JSON array (`application/json`).
    JsonArray,
}

/// HTTP method.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// POST.
    #[default]
    Post,
    /// PUT.
    Put,
}

/// `type = "http"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpSinkConfig {
    /// The endpoint.
    pub uri: String,
    /// POST (default) or PUT.
    #[serde(default)]
    pub method: Method,
    /// Body framing.
    #[serde(default)]
    pub encoding: HttpEncoding,
    /// Extra headers; values are treated as secrets (never logged).
    #[serde(default)]
    pub headers: BTreeMap<String, Secret>,
    /// Authentication.
    pub auth: Option<Auth>,
    /// URL for the start-up check (GET, expects 2xx); none skips it.
    pub healthcheck_uri: Option<String>,
}

/// Sends batches to an HTTP endpoint.
#[derive(Debug)]
pub struct HttpSink {
    config: HttpSinkConfig,
    uri: reqwest::Url,
    client: reqwest::Client,
    auth: ResolvedAuth,
    compression: Compression,
}

impl HttpSink {
    /// Checks the settings and reads credential files.
    pub fn new(config: &HttpSinkConfig, common: &Common) -> anyhow::Result<HttpSink> {
        let uri = parse_url(&config.uri, "uri")?;
        super::util::http::check_plaintext(&uri, "uri", common)?;
        if let Some(h) = &config.healthcheck_uri {
            // It carries the same credentials.
            super::util::http::check_plaintext(
                &parse_url(h, "healthcheck_uri")?,
                "healthcheck_uri",
                common,
            )?;
        }
        for (k, v) in &config.headers {
            reqwest::header::HeaderName::from_bytes(k.as_bytes())
                .map_err(|_| anyhow::anyhow!("headers: `{k}` is not a header name"))?;
            reqwest::header::HeaderValue::from_str(v.expose()).map_err(|_| {
                anyhow::anyhow!("headers: the value of `{k}` is not a valid header value")
            })?;
        }
        Ok(HttpSink {
            config: config.clone(),
            uri,
            client: super::util::http::http_client(common)?,
            auth: ResolvedAuth::resolve(&config.auth)?,
            compression: common.compression,
        })
    }
}

impl Service for HttpSink {
    fn send<'a>(&'a self, batch: &'a Batch) -> BoxFuture<'a, Outcome> {
        Box::pin(async move {
            let (body, ctype) = match self.config.encoding {
                HttpEncoding::Ndjson => (batch.ndjson(), "application/x-ndjson"),
                HttpEncoding::JsonArray => (batch.json_array(), "application/json"),
            };
            let method = match self.config.method {
                Method::Post => reqwest::Method::POST,
                Method::Put => reqwest::Method::PUT,
            };
            let mut rb = self
                .client
                .request(method, self.uri.clone())
                .header(reqwest::header::CONTENT_TYPE, ctype);
            if self.compression == Compression::Gzip {
                rb = rb.header(reqwest::header::CONTENT_ENCODING, "gzip");
            }
            for (k, v) in &self.config.headers {
                rb = rb.header(k.as_str(), v.expose());
            }
            rb = self
                .auth
                .apply(rb)
                .body(super::util::http::compress(body, self.compression));
            super::util::http::send_request(rb).await
        })
    }

    fn healthcheck(&self) -> BoxFuture<'_, anyhow::Result<()>> {
        Box::pin(async move {
            let Some(uri) = &self.config.healthcheck_uri else {
                return Ok(());
            };
            let url = parse_url(uri, "healthcheck_uri")?;
            super::util::http::check_get(self.auth.apply(self.client.get(url))).await
        })
    }
}
