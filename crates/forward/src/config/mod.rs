//! The forwarder's configuration: TOML in the style of Vector.
//!
//! ```toml
//! data_dir = "/var/lib/logscrub"
//!
//! [rules]
//! paths = ["/etc/logscrub/rules.d"]
//!
//! [sources.app]
//! type = "file"
//! include = ["/var/log/app/*.log"]
//!
//! [sinks.out]
//! type = "file"
//! inputs = ["app"]
//! path = "/var/log/redacted/app-%Y-%m-%d.ndjson"
//! ```
//!
//! Every table refuses unknown keys: a misspelt `inputs` or `password_file`
//! would otherwise be a silent leak or a silent loss. `${VAR}` (and
//! `${VAR:-default}`) are replaced from the environment before parsing; an
//! unset variable without a default is an error that names it. Credentials
//! are [`Secret`]s, whose `Debug` prints `**REDACTED**`, and can come from a
//! file (`*_file` keys) so they never sit in the config itself.

mod interpolation;
mod secrets;
mod units;

pub use interpolation::interpolate;
pub use secrets::{resolve_secret, Auth, Secret};
pub use units::byte_size;

// Each source's settings live beside the source; they are re-exported here
// so that the whole configuration reads as one tree.
pub use crate::sources::file::{FileSourceConfig, MultilineConfig, ReadFrom};
pub use crate::sources::http::HttpSourceConfig;
pub use crate::sources::socket::{SocketMode, SocketSourceConfig};
pub use crate::sources::stdin::StdinSourceConfig;
// Likewise each sink's, and the list of sink kinds, which lives beside the
// factory that builds them (`sinks::build`).
pub use crate::sinks::azure_blob::AzureBlobConfig;
pub use crate::sinks::clickhouse::ClickhouseConfig;
pub use crate::sinks::datadog::DatadogLogsConfig;
pub use crate::sinks::elasticsearch::ElasticsearchConfig;
pub use crate::sinks::file::{ConsoleSinkConfig, FileSinkConfig};
pub use crate::sinks::http::HttpSinkConfig;
pub use crate::sinks::loki::LokiConfig;
pub use crate::sinks::splunk::SplunkHecConfig;
pub use crate::sinks::SinkKind;
#[cfg(test)]
use units::parse_size;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Deserializer};

/// The whole configuration file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where checkpoints (and later, disk buffers) live. Created if missing.
    #[serde(default = "default_data_dir")]
    pub data_dir: PathBuf,
    /// Which rules redact the events.
    #[serde(default)]
    pub rules: RulesConfig,
    /// The health and metrics endpoint.
    #[serde(default)]
    pub api: ApiConfig,
    /// How long a graceful stop (SIGTERM, SIGINT, end of all inputs) may
    /// take to drain queues and sinks before the process exits anyway.
    #[serde(default = "default_shutdown_secs")]
    pub shutdown_timeout_secs: u64,
    /// Named sources.
    #[serde(default)]
    pub sources: BTreeMap<String, SourceConfig>,
    /// Named sinks.
    #[serde(default)]
    pub sinks: BTreeMap<String, SinkConfig>,
    /// Named keyrings (AES-256 keys, versioned) for encryption at rest.
    #[serde(default)]
    pub keys: BTreeMap<String, KeyringConfig>,
}

/// `[keys.NAME]`: where a keyring's versions come from (exactly one of
/// `dir`, `env`, `command`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyringConfig {
    /// A folder with one file per version: `<version>.key`, each holding
    /// 32 random bytes in base64. The highest version encrypts.
    pub dir: Option<PathBuf>,
    /// An environment variable holding `version:base64key` entries
    /// separated by commas or whitespace.
    pub env: Option<String>,
    /// A program (and arguments) printing `version base64key` lines, e.g.
    /// a vault client.
    pub command: Option<Vec<String>>,
    /// How often the keyring is read again to pick up a new version.
    #[serde(default = "default_key_refresh")]
    pub refresh_secs: u64,
}

fn default_key_refresh() -> u64 {
    60
}

fn default_data_dir() -> PathBuf {
    PathBuf::from("/var/lib/logscrub")
}

fn default_shutdown_secs() -> u64 {
    30
}

/// `[rules]`: the embedded pack plus the security team's own files.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesConfig {
    /// Load the embedded default pack (default true).
    #[serde(default = "yes")]
    pub default_rules: bool,
    /// Extra rule files or folders; a rule with a default rule's id
    /// replaces it.
    #[serde(default)]
    pub paths: Vec<PathBuf>,
    /// Rule ids to turn off.
    #[serde(default)]
    pub disable: Vec<String>,
    /// Opt-in rule ids to turn on (`enabled = false` in the pack, e.g.
    /// `ipv4-private`).
    #[serde(default)]
    pub enable: Vec<String>,
    /// Key for the `hash` operator.
    pub hash_key_file: Option<PathBuf>,
    /// Events longer than this become a placeholder (fail closed).
    #[serde(default = "default_max_event", deserialize_with = "byte_size")]
    pub max_event_bytes: u64,
    /// Reload when a rule file changes (checked every
    /// `watch_interval_secs`); SIGHUP and `POST /reload` always reload.
    #[serde(default = "yes")]
    pub watch: bool,
    /// How often rule files are checked for changes.
    #[serde(default = "default_watch_secs")]
    pub watch_interval_secs: u64,
}

fn default_watch_secs() -> u64 {
    2
}

impl Default for RulesConfig {
    fn default() -> Self {
        RulesConfig {
            default_rules: true,
            paths: Vec::new(),
            disable: Vec::new(),
            enable: Vec::new(),
            hash_key_file: None,
            max_event_bytes: default_max_event(),
            watch: true,
            watch_interval_secs: default_watch_secs(),
        }
    }
}

fn yes() -> bool {
    true
}

fn default_max_event() -> u64 {
    1 << 20
}

/// `[api]`: `/health` and Prometheus `/metrics`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiConfig {
    /// Serve the endpoint (default true).
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Listen address; loopback by default.
    #[serde(default = "default_api_address")]
    pub address: String,
    /// Serve HTTPS with this certificate (HSTS on every response).
    pub tls: Option<TlsServerConfig>,
    /// Bearer token for `/health` and `/metrics` (required off loopback).
    pub read_token: Option<Secret>,
    /// A file holding the read token.
    pub read_token_file: Option<PathBuf>,
    /// Bearer token for admin endpoints (`POST /reload`).
    pub admin_token: Option<Secret>,
    /// A file holding the admin token.
    pub admin_token_file: Option<PathBuf>,
}

impl Default for ApiConfig {
    fn default() -> Self {
        ApiConfig {
            enabled: true,
            address: default_api_address(),
            tls: None,
            read_token: None,
            read_token_file: None,
            admin_token: None,
            admin_token_file: None,
        }
    }
}

/// A server certificate: PEM files, re-read when they change.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsServerConfig {
    /// Certificate chain (PEM).
    pub cert_file: PathBuf,
    /// Private key (PEM).
    pub key_file: PathBuf,
}

/// TLS settings of a sink's client.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsClientConfig {
    /// Extra CA certificates (PEM) to trust.
    pub ca_file: Option<PathBuf>,
    /// Client certificate chain (PEM), for mTLS.
    pub cert_file: Option<PathBuf>,
    /// Client private key (PEM), for mTLS.
    pub key_file: Option<PathBuf>,
}

fn default_api_address() -> String {
    "127.0.0.1:8686".into()
}

/// How a source's lines are read by the engine.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum EventFormat {
    /// JSON objects field-aware, anything else as text.
    #[default]
    Auto,
    /// Always text.
    Text,
    /// JSON; a line that does not parse is redacted as text.
    Json,
}

/// Default `max_line_bytes` of the line-reading sources.
pub(crate) fn default_max_line() -> u64 {
    1 << 20
}

/// A source: where events come from.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum SourceConfig {
    /// Tail files.
    File(FileSourceConfig),
    /// Read standard input to its end.
    Stdin(StdinSourceConfig),
    /// Newline-delimited events over TCP or a Unix socket.
    Socket(SocketSourceConfig),
    /// NDJSON or JSON arrays POSTed over HTTP.
    Http(HttpSourceConfig),
}

/// Batching limits: a batch is sent when any is reached.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchConfig {
    /// Most events in one batch.
    #[serde(default = "default_batch_events")]
    pub max_events: usize,
    /// Most encoded bytes in one batch (before compression).
    #[serde(default = "default_batch_bytes", deserialize_with = "byte_size")]
    pub max_bytes: u64,
    /// Oldest event age before the batch is sent anyway.
    #[serde(default = "default_batch_timeout")]
    pub timeout_ms: u64,
}

impl Default for BatchConfig {
    fn default() -> Self {
        BatchConfig {
            max_events: default_batch_events(),
            max_bytes: default_batch_bytes(),
            timeout_ms: default_batch_timeout(),
        }
    }
}

fn default_batch_events() -> usize {
    1_000
}

fn default_batch_bytes() -> u64 {
    1 << 20
}

fn default_batch_timeout() -> u64 {
    1_000
}

/// What a full queue does to its sources.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum WhenFull {
    /// Sources wait (backpressure); nothing is lost.
    #[default]
    Block,
    /// New events for this sink are dropped and counted.
    DropNewest,
}

/// Where a sink's queue lives.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum BufferKind {
    /// In memory: bounded by `max_events`; lost with the process (a file
    /// source re-reads what was not delivered).
    #[default]
    Memory,
    /// On disk, encrypted: events are acknowledged to sources once written
    /// (and synced), and survive crashes and restarts.
    Disk,
}

/// When the disk buffer syncs to disk.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Fsync {
    /// After every write, before acknowledging it (group commit).
    #[default]
    Always,
    /// Never explicitly: survives a killed process, not a power cut.
    Never,
}

/// The queue in front of a sink.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BufferConfig {
    /// `memory` (default) or `disk`.
    #[serde(rename = "type", default)]
    pub kind: BufferKind,
    /// Memory: capacity in events (rounded to whole source chunks).
    #[serde(default = "default_buffer_events")]
    pub max_events: usize,
    /// Disk: most bytes on disk.
    #[serde(default = "default_buffer_size", deserialize_with = "byte_size")]
    pub max_size: u64,
    /// Disk: the keyring (`[keys.NAME]`) that encrypts it. Required.
    pub key: Option<String>,
    /// Disk: when to sync.
    #[serde(default)]
    pub fsync: Fsync,
    /// Disk: undelivered data older than this is deleted (and counted).
    pub retention_secs: Option<u64>,
    /// What a full queue does.
    #[serde(default)]
    pub when_full: WhenFull,
}

impl Default for BufferConfig {
    fn default() -> Self {
        BufferConfig {
            kind: BufferKind::Memory,
            max_events: default_buffer_events(),
            max_size: default_buffer_size(),
            key: None,
            fsync: Fsync::Always,
            retention_secs: None,
            when_full: WhenFull::Block,
        }
    }
}

fn default_buffer_size() -> u64 {
    1 << 30
}

fn default_buffer_events() -> usize {
    10_000
}

/// Request settings for sinks that make requests.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestConfig {
    /// One request's time limit.
    #[serde(default = "default_timeout_secs")]
    pub timeout_secs: u64,
    /// Requests in flight at once.
    #[serde(default = "default_concurrency")]
    pub concurrency: usize,
    /// First retry delay; doubled each attempt, with jitter.
    #[serde(default = "default_backoff_ms")]
    pub retry_initial_backoff_ms: u64,
    /// Longest retry delay (also caps `Retry-After`).
    #[serde(default = "default_max_backoff")]
    pub retry_max_backoff_secs: u64,
    /// Give up on a batch (drop and count it) after this many attempts;
    /// unset retries for ever, so an outage loses nothing.
    pub retry_attempts: Option<u32>,
}

impl Default for RequestConfig {
    fn default() -> Self {
        RequestConfig {
            timeout_secs: default_timeout_secs(),
            concurrency: default_concurrency(),
            retry_initial_backoff_ms: default_backoff_ms(),
            retry_max_backoff_secs: default_max_backoff(),
            retry_attempts: None,
        }
    }
}

fn default_timeout_secs() -> u64 {
    30
}

fn default_concurrency() -> usize {
    4
}

fn default_backoff_ms() -> u64 {
    200
}

fn default_max_backoff() -> u64 {
    30
}

/// Body compression.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Compression {
    /// Plain.
    #[default]
    None,
    /// gzip (`Content-Encoding: gzip`, or `.gz` objects).
    Gzip,
}

/// Settings every sink has.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Common {
    /// Source names this sink reads.
    pub inputs: Vec<String>,
    /// Batching limits.
    #[serde(default)]
    pub batch: BatchConfig,
    /// The queue in front of the sink.
    #[serde(default)]
    pub buffer: BufferConfig,
    /// Timeouts, concurrency, retries.
    #[serde(default)]
    pub request: RequestConfig,
    /// Body compression.
    #[serde(default)]
    pub compression: Compression,
    /// Check the destination at start-up (default true). A failed check is
    /// reported (log, `/health`) and events wait; it does not stop the
    /// forwarder.
    #[serde(default = "yes")]
    pub healthcheck: bool,
    /// CA bundle and client certificate (mTLS) for HTTPS destinations.
    #[serde(default)]
    pub tls: TlsClientConfig,
    /// Allow `http://` to a host that is not loopback (a warning is
    /// logged); refused otherwise.
    #[serde(default)]
    pub allow_plaintext: bool,
}

/// A sink: where redacted events go. Each kind's settings sit beside the
/// common ones (`inputs`, `batch`, `buffer`, `request`, `compression`).
#[derive(Debug, Clone)]
pub struct SinkConfig {
    /// Common settings.
    pub common: Common,
    /// Kind-specific settings.
    pub kind: SinkKind,
}

const COMMON_KEYS: &[&str] = &[
    "inputs",
    "batch",
    "buffer",
    "request",
    "compression",
    "healthcheck",
    "tls",
    "allow_plaintext",
];

impl<'de> Deserialize<'de> for SinkConfig {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // serde cannot combine `flatten` with `deny_unknown_fields`, so the
        // table is split by hand: common keys to `Common`, the rest (with
        // `type`) to the kind, each half still refusing unknown keys.
        let table = toml::Table::deserialize(d)?;
        let (mut common, mut kind) = (toml::Table::new(), toml::Table::new());
        for (k, v) in table {
            if COMMON_KEYS.contains(&k.as_str()) {
                common.insert(k, v);
            } else {
                kind.insert(k, v);
            }
        }
        // The kind first: a misspelt common key lands there and is named
        // as unknown, which says more than "missing field `inputs`".
        let kind = SinkKind::deserialize(toml::Value::Table(kind))
            .map_err(|e| serde::de::Error::custom(e.message()))?;
        let common = Common::deserialize(toml::Value::Table(common))
            .map_err(|e| serde::de::Error::custom(e.message()))?;
        Ok(SinkConfig { common, kind })
    }
}

/// A configuration error: what is wrong, and where.
#[derive(Debug)]
pub struct ConfigError {
    message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

fn err(message: String) -> ConfigError {
    ConfigError { message }
}

impl Config {
    /// Reads, interpolates, parses and checks a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| err(format!("cannot read {}: {e}", path.display())))?;
        Config::from_toml(&text).map_err(|e| err(format!("{}: {}", path.display(), e.message)))
    }

    /// Parses and checks configuration text (after `${VAR}` interpolation
    /// from the process environment).
    pub fn from_toml(text: &str) -> Result<Config, ConfigError> {
        let text = interpolate(text, |k| std::env::var(k).ok())?;
        let config: Config = toml::from_str(&text).map_err(|e| {
            let at = e
                .span()
                .map(|s| {
                    let line = text[..s.start].matches('\n').count() + 1;
                    format!("line {line}: ")
                })
                .unwrap_or_default();
            err(format!("{at}{}", e.message().trim_end()))
        })?;
        config.check()?;
        Ok(config)
    }

    /// Checks what parsing cannot: graph and value constraints.
    fn check(&self) -> Result<(), ConfigError> {
        if self.sources.is_empty() {
            return Err(err("no [sources.*] configured".into()));
        }
        if self.sinks.is_empty() {
            return Err(err("no [sinks.*] configured".into()));
        }
        for (name, sink) in &self.sinks {
            let c = &sink.common;
            if c.inputs.is_empty() {
                return Err(err(format!("sinks.{name}.inputs is empty")));
            }
            for input in &c.inputs {
                if !self.sources.contains_key(input) {
                    return Err(err(format!(
                        "sinks.{name}.inputs names `{input}`, which is not a source (sources: {})",
                        self.sources.keys().cloned().collect::<Vec<_>>().join(", ")
                    )));
                }
            }
            if matches!(sink.kind, SinkKind::File(_) | SinkKind::Console(_))
                && (c.allow_plaintext
                    || c.tls.ca_file.is_some()
                    || c.tls.cert_file.is_some()
                    || c.tls.key_file.is_some())
            {
                return Err(err(format!(
                    "sinks.{name}: `tls` and `allow_plaintext` apply to network sinks, not `{}`",
                    sink.kind.name()
                )));
            }
            if c.buffer.kind == BufferKind::Disk {
                match &c.buffer.key {
                    None => {
                        return Err(err(format!(
                            "sinks.{name}.buffer: a disk buffer is always encrypted; set key = \"<name of a [keys.*] table>\""
                        )))
                    }
                    Some(k) if !self.keys.contains_key(k) => {
                        return Err(err(format!(
                            "sinks.{name}.buffer.key names `{k}`, which is not a [keys.*] table"
                        )))
                    }
                    Some(_) => {}
                }
            }
            if c.batch.max_events == 0 || c.batch.max_bytes == 0 {
                return Err(err(format!("sinks.{name}.batch limits must be above 0")));
            }
            if c.request.concurrency == 0 {
                return Err(err(format!(
                    "sinks.{name}.request.concurrency must be above 0"
                )));
            }
            if c.buffer.max_events == 0 {
                return Err(err(format!(
                    "sinks.{name}.buffer.max_events must be above 0"
                )));
            }
        }
        for (name, source) in &self.sources {
            if !self
                .sinks
                .values()
                .any(|s| s.common.inputs.iter().any(|i| i == name))
            {
                return Err(err(format!(
                    "sources.{name} feeds no sink (add it to a sink's inputs)"
                )));
            }
            if let SourceConfig::File(f) = source {
                if f.include.is_empty() {
                    return Err(err(format!("sources.{name}.include is empty")));
                }
                for p in f.include.iter().chain(&f.exclude) {
                    glob::Pattern::new(p)
                        .map_err(|e| err(format!("sources.{name}: bad glob `{p}`: {e}")))?;
                }
            }
        }
        for (name, k) in &self.keys {
            let n = usize::from(k.dir.is_some())
                + usize::from(k.env.is_some())
                + usize::from(k.command.as_ref().is_some_and(|c| !c.is_empty()));
            if n != 1 {
                return Err(err(format!(
                    "keys.{name}: give exactly one of dir, env, command"
                )));
            }
        }
        let stdin = self
            .sources
            .values()
            .filter(|s| matches!(s, SourceConfig::Stdin(_)))
            .count();
        if stdin > 1 {
            return Err(err("at most one stdin source".into()));
        }
        Ok(())
    }

    /// Duration of the graceful stop.
    pub fn shutdown_timeout(&self) -> Duration {
        Duration::from_secs(self.shutdown_timeout_secs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolation_replaces_defaults_and_escapes() {
        let env = |k: &str| (k == "HOST").then(|| "ch.internal".to_string());
        let out = interpolate("a = \"${HOST}:${PORT:-8123}\" # $$5 ${HOST}", env).unwrap();
        assert_eq!(out, "a = \"ch.internal:8123\" # $5 ch.internal");
        let e = interpolate("x = 1\ny = \"${MISSING}\"", env).unwrap_err();
        assert_eq!(
            e.to_string(),
            "line 2: environment variable MISSING is not set"
        );
    }

    #[test]
    fn sizes_parse_in_both_units() {
        assert_eq!(parse_size("64KiB"), Some(65536));
        assert_eq!(parse_size("10MB"), Some(10_000_000));
        assert_eq!(parse_size("1 GiB"), Some(1 << 30));
        assert_eq!(parse_size("12"), Some(12));
        assert_eq!(parse_size("1TB"), None);
    }

    #[test]
    fn secret_debug_never_shows_the_value() {
        let s = Secret::new("hunter2-very-secret");
        assert_eq!(format!("{s:?} {s}"), "**REDACTED** **REDACTED**");
        let auth: Auth = toml::from_str(
            "strategy = \"basic\"\nuser = \"u\"\npassword = \"hunter2-very-secret\"",
        )
        .unwrap();
        assert!(!format!("{auth:?}").contains("hunter2"));
    }
}
