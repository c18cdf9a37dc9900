//! `clickhouse` sink: `INSERT INTO db.table FORMAT JSONEachRow` over the
//! HTTP interface, one request per batch.
//!
//! Each record is the JSON object of [`crate::event::write_record`]:
//! `timestamp` (RFC 3339, parsed with `date_time_input_format =
//! best_effort` into a `DateTime` column), `source`, and `message` for
//! text events, or the event's own top-level keys for JSON events. Keys
//! with no column are skipped (`input_format_skip_unknown_fields`), so a
//! table can pick the fields it wants. ClickHouse answers a bad row with
//! HTTP 400/500 and a message; 5xx are retried, 4xx drop the batch.

use serde::Deserialize;

use super::util::http::ResolvedAuth;
use super::{util::http::parse_url, Batch, BoxFuture, Outcome, Service};
use crate::config::{Auth, Common, Compression, Secret};

/// `type = "clickhouse"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClickhouseConfig {
    /// The HTTP interface, e.g. `https://clickhouse.internal:8443`.
    pub endpoint: String,
    /// Database (default `default`).
    #[serde(default = "default_database")]
    pub database: String,
    /// Table to insert into.
    pub table: String,
    /// `auth.strategy = "basic"` with `user` and `password`/`password_file`.
    pub auth: Option<Auth>,
    /// Skip JSON keys with no column (default true).
    #[serde(default = "yes")]
    pub skip_unknown_fields: bool,
    /// Extra ClickHouse settings sent with each insert.
    #[serde(default)]
    pub settings: std::collections::BTreeMap<String, Secret>,
}

fn default_database() -> String {
    "default".into()
}

fn yes() -> bool {
    true
}

/// Inserts batches into a ClickHouse table.
#[derive(Debug)]
pub struct ClickhouseSink {
    base: reqwest::Url,
    insert: reqwest::Url,
    table: String,
    client: reqwest::Client,
    auth: ResolvedAuth,
    compression: Compression,
}

/// Quotes an identifier with backticks.
fn ident(s: &str) -> String {
    format!("`{}`", s.replace('\\', "\\\\").replace('`', "\\`"))
}

impl ClickhouseSink {
    /// Checks the settings and reads credential files.
    pub fn new(config: &ClickhouseConfig, common: &Common) -> anyhow::Result<ClickhouseSink> {
        let base = parse_url(&config.endpoint, "endpoint")?;
        super::util::http::check_plaintext(&base, "endpoint", common)?;
        if config.table.is_empty() {
            anyhow::bail!("table is empty");
        }
        if let Some(Auth::Bearer { .. }) = config.auth {
            anyhow::bail!("auth.strategy must be \"basic\" for ClickHouse");
        }
        let table = format!("{}.{}", ident(&config.database), ident(&config.table));
        let mut insert = base.clone();
        {
            let mut q = insert.query_pairs_mut();
            q.append_pair("query", &format!("INSERT INTO {table} FORMAT JSONEachRow"));
            q.append_pair("date_time_input_format", "best_effort");
            if config.skip_unknown_fields {
                q.append_pair("input_format_skip_unknown_fields", "1");
            }
            for (k, v) in &config.settings {
                q.append_pair(k, v.expose());
            }
        }
        Ok(ClickhouseSink {
            base,
            insert,
            table,
            client: super::util::http::http_client(common)?,
            auth: ResolvedAuth::resolve(&config.auth)?,
            compression: common.compression,
        })
    }
}

/// ClickHouse answers a row it cannot parse or store with HTTP 500 and
/// `Code: N`; these codes are about the data, not the server.
fn is_data_error(reason: &str) -> bool {
    const DATA: &[u32] = &[6, 26, 27, 38, 41, 53, 69, 70, 72, 117];
    reason
        .split_once("Code: ")
        .and_then(|(_, rest)| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse::<u32>().ok())
        .is_some_and(|code| DATA.contains(&code))
}

impl Service for ClickhouseSink {
    fn send<'a>(&'a self, batch: &'a Batch) -> BoxFuture<'a, Outcome> {
        Box::pin(async move {
            let mut rb = self.client.post(self.insert.clone());
            if self.compression == Compression::Gzip {
                rb = rb.header(reqwest::header::CONTENT_ENCODING, "gzip");
            }
            let rb = self.auth.apply(rb).body(super::util::http::compress(
                batch.ndjson(),
                self.compression,
            ));
            match super::util::http::send_request(rb).await {
                // A row the table cannot take fails the same way every
                // time: retrying would stall the sink for ever.
                Outcome::Retry { reason, .. } if is_data_error(&reason) => {
                    Outcome::Reject { reason }
                }
                o => o,
            }
        })
    }

    fn healthcheck(&self) -> BoxFuture<'_, anyhow::Result<()>> {
        Box::pin(async move {
            let mut url = self.base.clone();
            url.query_pairs_mut()
                .append_pair("query", &format!("EXISTS TABLE {}", self.table));
            let resp = self
                .auth
                .apply(self.client.get(url))
                .send()
                .await
                .map_err(|e| anyhow::anyhow!(super::util::http::error_chain(e)))?;
            let status = resp.status();
            let body = resp.text().await.unwrap_or_default();
            if !status.is_success() {
                anyhow::bail!("HTTP {status}: {}", body.trim());
            }
            if body.trim() != "1" {
                anyhow::bail!("table {} does not exist", self.table);
            }
            Ok(())
        })
    }
}
