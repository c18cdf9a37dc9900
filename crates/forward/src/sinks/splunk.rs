//! `splunk_hec` sink: Splunk's HTTP Event Collector
//! (`POST /services/collector/event`, `Authorization: Splunk <token>`).
//!
//! The body is event objects one after another, each
//! `{"time": <seconds.millis>, "source": .., "sourcetype": .., "index": ..,
//! "host": .., "event": <record>}`. HEC answers 503 (server busy) and 429
//! when it wants a retry; 401 and 403 (a wrong or disabled token) are
//! retried too, so events wait for the fix; 400 (invalid data) is a refusal.

use serde::Deserialize;

use super::{util::http::parse_base_url, Batch, BoxFuture, Outcome, Service};
use crate::config::{resolve_secret, Common, Compression, Secret};
use crate::event::{push_json_str, write_record, Event};

/// `type = "splunk_hec"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplunkHecConfig {
    /// Base URL, e.g. `https://splunk.internal:8088`.
    pub endpoint: String,
    /// The HEC token.
    pub token: Option<Secret>,
    /// A file holding the HEC token.
    pub token_file: Option<std::path::PathBuf>,
    /// Target index (the token's default when unset).
    pub index: Option<String>,
    /// Source type.
    pub sourcetype: Option<String>,
    /// Host field.
    pub host: Option<String>,
}

/// Sends batches to a HEC endpoint.
#[derive(Debug)]
pub struct SplunkHecSink {
    config: SplunkHecConfig,
    event_url: reqwest::Url,
    health_url: reqwest::Url,
    token: Secret,
    client: reqwest::Client,
    compression: Compression,
}

impl SplunkHecSink {
    /// Checks the settings and reads credential files.
    pub fn new(config: &SplunkHecConfig, common: &Common) -> anyhow::Result<SplunkHecSink> {
        let base = parse_base_url(&config.endpoint, "endpoint")?;
        super::util::http::check_plaintext(&base, "endpoint", common)?;
        let token = resolve_secret("token", &config.token, &config.token_file)?
            .ok_or_else(|| anyhow::anyhow!("token or token_file is required"))?;
        Ok(SplunkHecSink {
            config: config.clone(),
            event_url: base.join("services/collector/event")?,
            health_url: base.join("services/collector/health")?,
            token,
            client: super::util::http::http_client(common)?,
            compression: common.compression,
        })
    }
}

impl Service for SplunkHecSink {
    fn encode(&self, ev: &Event, source: &str, out: &mut Vec<u8>) {
        let t = ev
            .timestamp
            .duration_since(std::time::SystemTime::UNIX_EPOCH)
            .unwrap_or_default();
        out.extend_from_slice(
            format!(
                "{{\"time\":{}.{:03},\"source\":",
                t.as_secs(),
                t.subsec_millis()
            )
            .as_bytes(),
        );
        push_json_str(source, out);
        for (k, v) in [
            ("sourcetype", &self.config.sourcetype),
            ("index", &self.config.index),
            ("host", &self.config.host),
        ] {
            if let Some(v) = v {
                out.extend_from_slice(format!(",\"{k}\":").as_bytes());
                push_json_str(v, out);
            }
        }
        out.extend_from_slice(b",\"event\":");
        write_record(ev, source, out);
        out.push(b'}');
    }

    fn send<'a>(&'a self, batch: &'a Batch) -> BoxFuture<'a, Outcome> {
        Box::pin(async move {
            let mut rb = self
                .client
                .post(self.event_url.clone())
                .header(
                    reqwest::header::AUTHORIZATION,
                    format!("Splunk {}", self.token.expose()),
                )
                .header(reqwest::header::CONTENT_TYPE, "application/json");
            if self.compression == Compression::Gzip {
                rb = rb.header(reqwest::header::CONTENT_ENCODING, "gzip");
            }
            super::util::http::send_request(rb.body(super::util::http::compress(
                batch.ndjson(),
                self.compression,
            )))
            .await
        })
    }

    fn healthcheck(&self) -> BoxFuture<'_, anyhow::Result<()>> {
        Box::pin(async move {
            super::util::http::check_get(self.client.get(self.health_url.clone()).header(
                reqwest::header::AUTHORIZATION,
                format!("Splunk {}", self.token.expose()),
            ))
            .await
        })
    }
}
