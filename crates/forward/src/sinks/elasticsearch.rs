//! `elasticsearch` sink: the bulk API (`POST /_bulk`, NDJSON action and
//! document lines), for Elasticsearch and OpenSearch.
//!
//! A bulk request can answer 200 with `"errors": true` and a status per
//! item. Items with 429 or 5xx are retried alone (the rest of the batch is
//! delivered and not sent again); other failed items (mapping errors,
//! 4xx) are counted and dropped. Whole-request statuses are classified as
//! for every sink.

use serde::Deserialize;

use super::util::http::ResolvedAuth;
use super::{util::http::parse_base_url, Batch, BoxFuture, Outcome, Service};
use crate::config::{resolve_secret, Auth, Common, Compression, Secret};

/// Bulk action.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum BulkAction {
    /// `index` (plain indices).
    #[default]
    Index,
    /// `create` (required by data streams).
    Create,
}

/// `type = "elasticsearch"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElasticsearchConfig {
    /// Base URL, e.g. `https://es.internal:9200`.
    pub endpoint: String,
    /// Index (or data stream); `%Y %m %d` are replaced (UTC).
    #[serde(default = "default_index")]
    pub index: String,
    /// Bulk action.
    #[serde(default)]
    pub action: BulkAction,
    /// Basic or bearer authentication.
    pub auth: Option<Auth>,
    /// An Elasticsearch API key (`Authorization: ApiKey ...`), instead.
    pub api_key: Option<Secret>,
    /// A file holding the API key.
    pub api_key_file: Option<std::path::PathBuf>,
}

fn default_index() -> String {
    "logscrub-%Y.%m.%d".into()
}

/// Sends batches with the bulk API.
#[derive(Debug)]
pub struct ElasticsearchSink {
    config: ElasticsearchConfig,
    base: reqwest::Url,
    bulk: reqwest::Url,
    client: reqwest::Client,
    auth: ResolvedAuth,
    api_key: Option<Secret>,
    compression: Compression,
}

impl ElasticsearchSink {
    /// Checks the settings and reads credential files.
    pub fn new(config: &ElasticsearchConfig, common: &Common) -> anyhow::Result<ElasticsearchSink> {
        let base = parse_base_url(&config.endpoint, "endpoint")?;
        super::util::http::check_plaintext(&base, "endpoint", common)?;
        let api_key = resolve_secret("api_key", &config.api_key, &config.api_key_file)?;
        if api_key.is_some() && config.auth.is_some() {
            anyhow::bail!("give auth or api_key, not both");
        }
        if config.index.is_empty() {
            anyhow::bail!("index is empty");
        }
        Ok(ElasticsearchSink {
            config: config.clone(),
            bulk: base.join("_bulk")?,
            base,
            client: super::util::http::http_client(common)?,
            auth: ResolvedAuth::resolve(&config.auth)?,
            api_key,
            compression: common.compression,
        })
    }

    fn authorize(&self, rb: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.api_key {
            Some(k) => rb.header(
                reqwest::header::AUTHORIZATION,
                format!("ApiKey {}", k.expose()),
            ),
            None => self.auth.apply(rb),
        }
    }
}

#[derive(Deserialize)]
struct BulkResponse {
    #[serde(default)]
    errors: bool,
    #[serde(default)]
    items: Vec<std::collections::HashMap<String, BulkItem>>,
}

#[derive(Deserialize)]
struct BulkItem {
    status: u16,
    #[serde(default)]
    error: Option<serde_json::Value>,
}

/// Reads a bulk response: which items to retry, how many were refused.
fn bulk_outcome(body: &[u8], sent: usize) -> Outcome {
    let resp: BulkResponse = match serde_json::from_slice(body) {
        Ok(r) => r,
        Err(e) => {
            return Outcome::Retry {
                after: None,
                reason: format!("unreadable bulk response: {e}"),
            }
        }
    };
    if !resp.errors {
        return Outcome::Done;
    }
    if resp.items.len() != sent {
        return Outcome::Retry {
            after: None,
            reason: format!(
                "bulk response has {} items for {sent} sent",
                resp.items.len()
            ),
        };
    }
    let mut retry = Vec::new();
    let mut rejected = 0;
    let mut reason = String::new();
    for (i, item) in resp.items.iter().enumerate() {
        let Some(item) = item.values().next() else {
            continue;
        };
        if (200..300).contains(&item.status) {
            continue;
        }
        if reason.is_empty() {
            // The error type only: its `reason` can quote the document.
            let kind = item
                .error
                .as_ref()
                .and_then(|e| e.get("type"))
                .and_then(|t| t.as_str())
                .unwrap_or("unknown");
            reason = format!("item status {} ({kind})", item.status);
        }
        if item.status == 429 || item.status >= 500 {
            retry.push(i);
        } else {
            rejected += 1;
        }
    }
    Outcome::Partial {
        retry,
        rejected,
        reason,
    }
}

impl Service for ElasticsearchSink {
    fn send<'a>(&'a self, batch: &'a Batch) -> BoxFuture<'a, Outcome> {
        Box::pin(async move {
            let index = super::file::render_path(
                std::path::Path::new(&self.config.index),
                std::time::SystemTime::now(),
            );
            let mut action = Vec::new();
            action.extend_from_slice(match self.config.action {
                BulkAction::Index => b"{\"index\":{\"_index\":",
                BulkAction::Create => b"{\"create\":{\"_index\":",
            });
            crate::event::push_json_str(&index.to_string_lossy(), &mut action);
            action.extend_from_slice(b"}}\n");
            let mut body = Vec::with_capacity(batch.bytes() + batch.len() * (action.len() + 1));
            for r in batch.records() {
                body.extend_from_slice(&action);
                body.extend_from_slice(r);
                body.push(b'\n');
            }
            let mut rb = self
                .client
                .post(self.bulk.clone())
                .header(reqwest::header::CONTENT_TYPE, "application/x-ndjson");
            if self.compression == Compression::Gzip {
                rb = rb.header(reqwest::header::CONTENT_ENCODING, "gzip");
            }
            let rb = self
                .authorize(rb)
                .body(super::util::http::compress(body, self.compression));
            match rb.send().await {
                Ok(resp) if resp.status().is_success() => match resp.bytes().await {
                    Ok(b) => bulk_outcome(&b, batch.len()),
                    Err(e) => Outcome::Retry {
                        after: None,
                        reason: super::util::http::error_chain(e),
                    },
                },
                Ok(resp) => {
                    let (status, headers) = (resp.status(), resp.headers().clone());
                    let text = resp.text().await.unwrap_or_default();
                    super::util::http::classify(status, &headers, &text)
                }
                Err(e) => Outcome::Retry {
                    after: None,
                    reason: super::util::http::error_chain(e),
                },
            }
        })
    }

    fn healthcheck(&self) -> BoxFuture<'_, anyhow::Result<()>> {
        Box::pin(async move {
            super::util::http::check_get(self.authorize(self.client.get(self.base.clone()))).await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulk_items_split_into_retry_and_reject() {
        let body = br#"{"took":3,"errors":true,"items":[
            {"index":{"status":201}},
            {"index":{"status":429,"error":{"type":"es_rejected_execution_exception"}}},
            {"index":{"status":400,"error":{"type":"mapper_parsing_exception","reason":"secret value"}}},
            {"index":{"status":503}}]}"#;
        match bulk_outcome(body, 4) {
            Outcome::Partial {
                retry,
                rejected,
                reason,
            } => {
                assert_eq!(retry, vec![1, 3]);
                assert_eq!(rejected, 1);
                assert!(!reason.contains("secret value"), "{reason}");
            }
            o => panic!("{o:?}"),
        }
        assert!(matches!(
            bulk_outcome(br#"{"errors":false,"items":[]}"#, 0),
            Outcome::Done
        ));
    }
}
