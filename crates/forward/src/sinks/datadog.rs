//! `datadog_logs` sink: Datadog's logs intake
//! (`POST /api/v2/logs`, `DD-API-KEY` header, a JSON array body).
//!
//! The intake takes at most 1,000 entries and 5 MB per request, so a
//! config with larger batches is refused at start-up (entries over 1 MB
//! are truncated by Datadog). It answers 202 when accepted; 429 and 5xx
//! are retried, and so is 403 (a wrong or revoked key: events wait for the
//! fix); 400 and 413 are refusals. Each entry carries `message` (the redacted record),
//! `ddsource`, `service`, `hostname` and `ddtags` when configured.

use serde::Deserialize;

use super::{
    util::http::{parse_base_url, parse_url},
    Batch, BoxFuture, Outcome, Service,
};
use crate::config::{resolve_secret, Common, Compression, Secret};
use crate::event::{push_json_str, write_record, Event};

/// `type = "datadog_logs"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatadogLogsConfig {
    /// Datadog site (default `datadoghq.com`; `datadoghq.eu`, `us3.datadoghq.com`...).
    #[serde(default = "default_site")]
    pub site: String,
    /// Intake base URL; default `https://http-intake.logs.<site>`.
    pub endpoint: Option<String>,
    /// The API key.
    pub api_key: Option<Secret>,
    /// A file holding the API key.
    pub api_key_file: Option<std::path::PathBuf>,
    /// `ddsource` (default `logscrub`).
    #[serde(default = "default_source")]
    pub ddsource: String,
    /// `service`.
    pub service: Option<String>,
    /// `hostname`.
    pub hostname: Option<String>,
    /// `ddtags`, e.g. `env:prod,team:payments`.
    pub ddtags: Option<String>,
}

fn default_site() -> String {
    "datadoghq.com".into()
}

fn default_source() -> String {
    "logscrub".into()
}

/// Largest request body the intake takes.
pub const MAX_BYTES: u64 = 5_000_000;
/// Most entries per request.
pub const MAX_EVENTS: usize = 1_000;

/// Sends batches to Datadog.
#[derive(Debug)]
pub struct DatadogLogsSink {
    config: DatadogLogsConfig,
    url: reqwest::Url,
    validate: reqwest::Url,
    api_key: Secret,
    client: reqwest::Client,
    compression: Compression,
}

impl DatadogLogsSink {
    /// Checks the settings and reads credential files.
    pub fn new(config: &DatadogLogsConfig, common: &Common) -> anyhow::Result<DatadogLogsSink> {
        let base = match &config.endpoint {
            Some(e) => parse_base_url(e, "endpoint")?,
            None => parse_url(&format!("https://http-intake.logs.{}", config.site), "site")?,
        };
        super::util::http::check_plaintext(&base, "endpoint", common)?;
        let validate = match &config.endpoint {
            Some(_) => base.join("api/v1/validate")?,
            None => parse_url(
                &format!("https://api.{}/api/v1/validate", config.site),
                "site",
            )?,
        };
        let api_key = resolve_secret("api_key", &config.api_key, &config.api_key_file)?
            .ok_or_else(|| anyhow::anyhow!("api_key or api_key_file is required"))?;
        if common.batch.max_events > MAX_EVENTS
            || common.batch.max_bytes > MAX_BYTES - 2 * MAX_EVENTS as u64
        {
            anyhow::bail!(
                "the Datadog intake takes at most {MAX_EVENTS} entries and {MAX_BYTES} bytes per request: \
                 set batch.max_events <= {MAX_EVENTS} and batch.max_bytes <= 4MB"
            );
        }
        Ok(DatadogLogsSink {
            config: config.clone(),
            url: base.join("api/v2/logs")?,
            validate,
            api_key,
            client: super::util::http::http_client(common)?,
            compression: common.compression,
        })
    }
}

impl Service for DatadogLogsSink {
    fn encode(&self, ev: &Event, source: &str, out: &mut Vec<u8>) {
        let mut record = Vec::new();
        write_record(ev, source, &mut record);
        out.extend_from_slice(b"{\"message\":");
        push_json_str(&String::from_utf8_lossy(&record), out);
        out.extend_from_slice(b",\"ddsource\":");
        push_json_str(&self.config.ddsource, out);
        for (k, v) in [
            ("service", &self.config.service),
            ("hostname", &self.config.hostname),
            ("ddtags", &self.config.ddtags),
        ] {
            if let Some(v) = v {
                out.extend_from_slice(format!(",\"{k}\":").as_bytes());
                push_json_str(v, out);
            }
        }
        out.push(b'}');
    }

    fn send<'a>(&'a self, batch: &'a Batch) -> BoxFuture<'a, Outcome> {
        Box::pin(async move {
            let mut rb = self
                .client
                .post(self.url.clone())
                .header("DD-API-KEY", self.api_key.expose())
                .header(reqwest::header::CONTENT_TYPE, "application/json");
            if self.compression == Compression::Gzip {
                rb = rb.header(reqwest::header::CONTENT_ENCODING, "gzip");
            }
            super::util::http::send_request(rb.body(super::util::http::compress(
                batch.json_array(),
                self.compression,
            )))
            .await
        })
    }

    fn healthcheck(&self) -> BoxFuture<'_, anyhow::Result<()>> {
        Box::pin(async move {
            super::util::http::check_get(
                self.client
                    .get(self.validate.clone())
                    .header("DD-API-KEY", self.api_key.expose()),
            )
            .await
        })
    }
}
