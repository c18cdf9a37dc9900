//! `azure_blob` sink: one block blob per batch (NDJSON, gzip optional).
//!
//! Authorization is Shared Key (the account key signs each request with
//! HMAC-SHA256, as the Blob service's "Authorize with Shared Key" page
//! specifies) or a SAS token appended to the URL. The blob name is
//! `<prefix><unix-millis>-<batch id>.ndjson[.gz]`, fixed per batch, so a
//! retried upload overwrites the same blob instead of duplicating it.
//! Path-style endpoints (Azurite: `http://127.0.0.1:10000/devstoreaccount1`)
//! and host-style ones (`https://<account>.blob.core.windows.net`) both
//! work: the canonicalized resource is `/<account>` + the URL path.

use std::time::SystemTime;

use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

use super::{util::http::parse_url, Batch, BoxFuture, Outcome, Service};
use crate::config::{resolve_secret, Common, Compression, Secret};

const API_VERSION: &str = "2021-08-06";

/// `type = "azure_blob"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AzureBlobConfig {
    /// Storage account name.
    pub account: String,
    /// Container name.
    pub container: String,
    /// Service URL; default `https://<account>.blob.core.windows.net`.
    pub endpoint: Option<String>,
    /// Account key (base64) for Shared Key signing.
    pub account_key: Option<Secret>,
    /// A file holding the account key.
    pub account_key_file: Option<std::path::PathBuf>,
    /// A SAS token (`sv=...&sig=...`), instead of the account key.
    pub sas_token: Option<Secret>,
    /// A file holding the SAS token.
    pub sas_token_file: Option<std::path::PathBuf>,
    /// Blob name prefix; `%Y %m %d %H` are replaced (UTC).
    #[serde(default = "default_prefix")]
    pub blob_prefix: String,
    /// Create the container at start-up if it does not exist.
    #[serde(default)]
    pub create_container: bool,
}

fn default_prefix() -> String {
    "logs/%Y/%m/%d/".into()
}

enum Credential {
    Key(Vec<u8>),
    Sas(Secret),
}

/// Uploads batches as block blobs.
pub struct AzureBlobSink {
    config: AzureBlobConfig,
    /// Service URL with no trailing slash.
    base: reqwest::Url,
    cred: Credential,
    client: reqwest::Client,
    compression: Compression,
}

impl std::fmt::Debug for AzureBlobSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AzureBlobSink")
            .field("account", &self.config.account)
            .field("container", &self.config.container)
            .field("credential", &"**REDACTED**")
            .finish()
    }
}

impl AzureBlobSink {
    /// Checks the settings and reads credential files.
    pub fn new(config: &AzureBlobConfig, common: &Common) -> anyhow::Result<AzureBlobSink> {
        let base = match &config.endpoint {
            Some(e) => {
                super::util::http::check_plaintext(&parse_url(e, "endpoint")?, "endpoint", common)?;
                e.trim_end_matches('/').to_owned()
            }
            None => {
                // The account becomes the host name: Azure's own rule
                // (3 to 24 lowercase letters and digits) keeps it one.
                let a = &config.account;
                if !(3..=24).contains(&a.len())
                    || !a
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
                {
                    anyhow::bail!(
                        "account `{a}` is not a valid storage account name (3 to 24 lowercase \
                         letters and digits); for another service give `endpoint`"
                    );
                }
                format!("https://{a}.blob.core.windows.net")
            }
        };
        // Not printed: an endpoint may carry a token in its query.
        let base = reqwest::Url::parse(&base)
            .map_err(|e| anyhow::anyhow!("the service URL does not parse: {e}"))?;
        if base.cannot_be_a_base() {
            anyhow::bail!("the service URL cannot hold a container path");
        }
        if config.container.is_empty()
            || !config
                .container
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            anyhow::bail!(
                "container `{}` is not a valid container name (lowercase letters, digits, -)",
                config.container
            );
        }
        let key = resolve_secret("account_key", &config.account_key, &config.account_key_file)?;
        let sas = resolve_secret("sas_token", &config.sas_token, &config.sas_token_file)?;
        let cred = match (key, sas) {
            (Some(_), Some(_)) => anyhow::bail!("give account_key or sas_token, not both"),
            (Some(k), None) => Credential::Key(
                base64::engine::general_purpose::STANDARD
                    .decode(k.expose().trim())
                    .map_err(|_| anyhow::anyhow!("account_key is not base64"))?,
            ),
            (None, Some(s)) => Credential::Sas(Secret::new(s.expose().trim_start_matches('?'))),
            (None, None) => anyhow::bail!("give account_key(_file) or sas_token(_file)"),
        };
        Ok(AzureBlobSink {
            config: config.clone(),
            base,
            cred,
            client: super::util::http::http_client(common)?,
            compression: common.compression,
        })
    }

    fn url(&self, path: &str, query: &[(&str, &str)]) -> reqwest::Url {
        // The base was parsed when the sink was made; setting a path never
        // fails (what a URL path cannot hold is percent-encoded).
        let mut url = self.base.clone();
        let joined = format!("{}/{}", self.base.path().trim_end_matches('/'), path);
        url.set_path(&joined);
        {
            let mut q = url.query_pairs_mut();
            for (k, v) in query {
                q.append_pair(k, v);
            }
        }
        if url.query() == Some("") {
            url.set_query(None);
        }
        url
    }

    /// A signed (or SAS-authorized) request.
    fn request(
        &self,
        method: reqwest::Method,
        path: &str,
        query: &[(&str, &str)],
        headers: &[(&str, String)],
        body: Vec<u8>,
    ) -> reqwest::RequestBuilder {
        let date = httpdate::fmt_http_date(SystemTime::now());
        let mut url = self.url(path, query);
        let mut rb;
        match &self.cred {
            Credential::Sas(token) => {
                let q = match url.query() {
                    Some(q) => format!("{q}&{}", token.expose()),
                    None => token.expose().to_owned(),
                };
                url.set_query(Some(&q));
                rb = self.client.request(method, url);
            }
            Credential::Key(key) => {
                let mut ms: Vec<(String, String)> = headers
                    .iter()
                    .filter(|(k, _)| k.starts_with("x-ms-"))
                    .map(|(k, v)| (k.to_string(), v.clone()))
                    .collect();
                ms.push(("x-ms-date".into(), date.clone()));
                ms.push(("x-ms-version".into(), API_VERSION.into()));
                ms.sort();
                let get = |name: &str| {
                    headers
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(name))
                        .map(|(_, v)| v.as_str())
                        .unwrap_or("")
                };
                let length = if body.is_empty() {
                    String::new()
                } else {
                    body.len().to_string()
                };
                let mut to_sign = format!(
                    "{}\n{}\n\n{}\n\n{}\n\n\n\n\n\n\n",
                    method.as_str(),
                    get("content-encoding"),
                    length,
                    get("content-type"),
                );
                for (k, v) in &ms {
                    to_sign.push_str(&format!("{k}:{v}\n"));
                }
                to_sign.push_str(&format!("/{}{}", self.config.account, url.path()));
                let mut params: Vec<(String, String)> = url
                    .query_pairs()
                    .map(|(k, v)| (k.to_lowercase(), v.into_owned()))
                    .collect();
                params.sort();
                for (k, v) in params {
                    to_sign.push_str(&format!("\n{k}:{v}"));
                }
                let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key");
                mac.update(to_sign.as_bytes());
                let sig =
                    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
                rb = self.client.request(method, url).header(
                    reqwest::header::AUTHORIZATION,
                    format!("SharedKey {}:{sig}", self.config.account),
                );
            }
        }
        rb = rb
            .header("x-ms-date", date)
            .header("x-ms-version", API_VERSION);
        for (k, v) in headers {
            rb = rb.header(*k, v);
        }
        rb.body(body)
    }

    /// The blob name a batch is uploaded to.
    pub fn blob_name(&self, batch_id: u64, now: SystemTime) -> String {
        let prefix = super::file::render_path(std::path::Path::new(&self.config.blob_prefix), now);
        let millis = now
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        let ext = match self.compression {
            Compression::Gzip => "ndjson.gz",
            Compression::None => "ndjson",
        };
        format!("{}{millis}-{batch_id:016x}.{ext}", prefix.to_string_lossy())
    }

    /// Creates the container; an existing one is fine.
    pub async fn create_container(&self) -> anyhow::Result<()> {
        let resp = self
            .request(
                reqwest::Method::PUT,
                &self.config.container,
                &[("restype", "container")],
                &[],
                Vec::new(),
            )
            .send()
            .await
            .map_err(|e| anyhow::anyhow!(super::util::http::error_chain(e)))?;
        let status = resp.status();
        if status.is_success() || status.as_u16() == 409 {
            return Ok(());
        }
        anyhow::bail!(
            "cannot create container {}: {}",
            self.config.container,
            super::util::http::error_status(resp).await
        )
    }
}

impl Service for AzureBlobSink {
    fn send<'a>(&'a self, batch: &'a Batch) -> BoxFuture<'a, Outcome> {
        Box::pin(async move {
            // The name must not change between attempts: the first
            // attempt's time is kept with the batch id as the seed.
            let name = self.blob_name(batch.id(), batch.created());
            let path = format!("{}/{}", self.config.container, name);
            let ctype = match self.compression {
                Compression::Gzip => "application/gzip",
                Compression::None => "application/x-ndjson",
            };
            let body = super::util::http::compress(batch.ndjson(), self.compression);
            let rb = self.request(
                reqwest::Method::PUT,
                &path,
                &[],
                &[
                    ("content-type", ctype.to_owned()),
                    ("x-ms-blob-type", "BlockBlob".to_owned()),
                ],
                body,
            );
            super::util::http::send_request(rb).await
        })
    }

    fn healthcheck(&self) -> BoxFuture<'_, anyhow::Result<()>> {
        Box::pin(async move {
            if self.config.create_container {
                return self.create_container().await;
            }
            let resp = self
                .request(
                    reqwest::Method::GET,
                    &self.config.container,
                    &[("restype", "container")],
                    &[],
                    Vec::new(),
                )
                .send()
                .await
                .map_err(|e| anyhow::anyhow!(super::util::http::error_chain(e)))?;
            match resp.status().as_u16() {
                200 => Ok(()),
                404 => anyhow::bail!(
                    "container {} does not exist (set create_container = true to create it)",
                    self.config.container
                ),
                _ => anyhow::bail!(super::util::http::error_status(resp).await),
            }
        })
    }
}
