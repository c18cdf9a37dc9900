//! `loki` sink: Grafana Loki's push API (`POST /loki/api/v1/push`, JSON).
//!
//! Streams are keyed by labels: the static `labels`, `source` (the
//! logscrub source name), and `label_fields` taken from a JSON event's
//! top-level string values. A label is never made from a redacted value
//! (one holding a `[REDACTED` or `[HASH:` placeholder, which is what a
//! field rule leaves under a key it names as sensitive): labels are indexed
//! and kept long, so they get the strictest treatment. Entries of a stream
//! are sent in time order.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::util::http::ResolvedAuth;
use super::{util::http::parse_base_url, Batch, BoxFuture, Outcome, Service};
use crate::config::{Auth, Common, Compression};
use crate::event::{push_json_str, write_record, Event};

/// `type = "loki"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LokiConfig {
    /// Base URL, e.g. `https://loki.internal:3100`.
    pub endpoint: String,
    /// Static labels.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Top-level fields of JSON events copied into labels (low-cardinality
    /// fields only: `level`, `service`...).
    #[serde(default)]
    pub label_fields: Vec<String>,
    /// `X-Scope-OrgID` for multi-tenant Loki.
    pub tenant_id: Option<String>,
    /// Authentication.
    pub auth: Option<Auth>,
}

/// Pushes batches to Loki.
#[derive(Debug)]
pub struct LokiSink {
    config: LokiConfig,
    push: reqwest::Url,
    ready: reqwest::Url,
    client: reqwest::Client,
    auth: ResolvedAuth,
    compression: Compression,
}

impl LokiSink {
    /// Checks the settings and reads credential files.
    pub fn new(config: &LokiConfig, common: &Common) -> anyhow::Result<LokiSink> {
        let base = parse_base_url(&config.endpoint, "endpoint")?;
        super::util::http::check_plaintext(&base, "endpoint", common)?;
        for k in config.labels.keys().chain(&config.label_fields) {
            if k.is_empty()
                || k.starts_with(|c: char| c.is_ascii_digit())
                || !k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                anyhow::bail!("`{k}` is not a Loki label name ([a-zA-Z_][a-zA-Z0-9_]*)");
            }
        }
        Ok(LokiSink {
            config: config.clone(),
            push: base.join("loki/api/v1/push")?,
            ready: base.join("ready")?,
            client: super::util::http::http_client(common)?,
            auth: ResolvedAuth::resolve(&config.auth)?,
            compression: common.compression,
        })
    }

    fn labels(&self, ev: &Event, source: &str) -> BTreeMap<String, String> {
        let mut labels = self.config.labels.clone();
        labels.insert("source".into(), source.to_owned());
        if ev.json && !self.config.label_fields.is_empty() {
            if let Ok(serde_json::Value::Object(map)) = serde_json::from_str(&ev.message) {
                for f in &self.config.label_fields {
                    if let Some(serde_json::Value::String(v)) = map.get(f) {
                        if !v.contains("[REDACTED")
                            && !v.contains("[HASH:")
                            && !v.is_empty()
                            && v.len() <= 128
                        {
                            labels.insert(f.clone(), v.clone());
                        }
                    }
                }
            }
        }
        labels
    }
}

impl Service for LokiSink {
    /// `<labels JSON>\t<nanoseconds>\t<line JSON string>`: the grouping
    /// data travels with the record, the body is built per request.
    fn encode(&self, ev: &Event, source: &str, out: &mut Vec<u8>) {
        let labels = self.labels(ev, source);
        out.extend_from_slice(&serde_json::to_vec(&labels).expect("string map"));
        let ns = ev
            .timestamp
            .duration_since(std::time::SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        out.extend_from_slice(format!("\t{ns}\t").as_bytes());
        let mut line = Vec::new();
        write_record(ev, source, &mut line);
        push_json_str(&String::from_utf8_lossy(&line), out);
    }

    fn send<'a>(&'a self, batch: &'a Batch) -> BoxFuture<'a, Outcome> {
        Box::pin(async move {
            let body = push_body(batch);
            let mut rb = self
                .client
                .post(self.push.clone())
                .header(reqwest::header::CONTENT_TYPE, "application/json");
            if self.compression == Compression::Gzip {
                rb = rb.header(reqwest::header::CONTENT_ENCODING, "gzip");
            }
            if let Some(t) = &self.config.tenant_id {
                rb = rb.header("X-Scope-OrgID", t);
            }
            let rb = self
                .auth
                .apply(rb)
                .body(super::util::http::compress(body, self.compression));
            super::util::http::send_request(rb).await
        })
    }

    fn healthcheck(&self) -> BoxFuture<'_, anyhow::Result<()>> {
        Box::pin(async move {
            super::util::http::check_get(self.auth.apply(self.client.get(self.ready.clone()))).await
        })
    }
}

/// `{"streams":[{"stream":{..},"values":[["ns","line"],..]},..]}`.
fn push_body(batch: &Batch) -> Vec<u8> {
    let mut streams: BTreeMap<&[u8], Vec<(u128, &[u8])>> = BTreeMap::new();
    for r in batch.records() {
        let mut parts = r.splitn(3, |&b| b == b'\t');
        let (Some(labels), Some(ns), Some(line)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let ns = std::str::from_utf8(ns)
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        streams.entry(labels).or_default().push((ns, line));
    }
    let mut out = Vec::with_capacity(batch.bytes() + 64);
    out.extend_from_slice(b"{\"streams\":[");
    for (i, (labels, mut values)) in streams.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        values.sort_by_key(|v| v.0);
        out.extend_from_slice(b"{\"stream\":");
        out.extend_from_slice(labels);
        out.extend_from_slice(b",\"values\":[");
        for (j, (ns, line)) in values.iter().enumerate() {
            if j > 0 {
                out.push(b',');
            }
            out.extend_from_slice(format!("[\"{ns}\",").as_bytes());
            out.extend_from_slice(line);
            out.push(b']');
        }
        out.extend_from_slice(b"]}");
    }
    out.extend_from_slice(b"]}");
    out
}
