//! The storage sinks against real servers: ClickHouse 18.16 and Azurite
//! (blob), as `scripts/services.sh` starts them. Each test makes its own
//! database or container, forwards a file through the whole pipeline in
//! this process, and reads back what the server stored.
//!
//! Server addresses: `LOGSCRUB_CLICKHOUSE_URL` (default
//! `http://127.0.0.1:8123`) and `LOGSCRUB_AZURITE_URL` (default
//! `http://127.0.0.1:10000/devstoreaccount1`). A server that does not
//! answer skips its tests with a note, unless `LOGSCRUB_REQUIRE_SERVICES=1`
//! (set by `scripts/test.sh`), which makes it a failure.
//!
//! All test data is fake: Luhn-valid `4111...` card numbers, `userN@example.com`
//! addresses and `ghp_FAKE...` tokens, which the default rules redact.

use std::collections::HashMap;
use std::io::Read;
use std::sync::atomic::Ordering::Relaxed;
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::support::{append, card, eventually, Running};

// ---------------------------------------------------------------- data

/// A fake GitHub classic token: `ghp_FAKE` + 26 pseudo-random base62
/// characters + the base62 CRC32 of the 30 after `ghp_` (GitHub's checksum,
/// which the rule checks; never a real token).
fn token(i: u64) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const B62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut x = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03;
    let mut body = String::from("FAKE");
    for _ in 0..26 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        body.push(ALPHABET[(x % 62) as usize] as char);
    }
    let mut crc = crc32fast::hash(body.as_bytes());
    let mut sum = [b'0'; 6];
    for d in sum.iter_mut().rev() {
        *d = B62[(crc % 62) as usize];
        crc /= 62;
    }
    format!("ghp_{body}{}", String::from_utf8_lossy(&sum))
}

/// Line `i`: every third a JSON object, the rest text; each carries
/// `id=NNNNNN` in its message and an email, a card and a token.
fn line(i: u64) -> String {
    let (email, card, token) = (format!("user{i}@example.com"), card(i), token(i));
    if i % 3 == 0 {
        serde_json::json!({
            "level": "info",
            "message": format!("charge id={i:06} by {email} card {card} token {token}"),
            "contact": email,
            "amount": 12,
        })
        .to_string()
    } else {
        format!("2026-11-29T03:49:50Z INFO id={i:06} login {email} card={card} token={token}")
    }
}

/// The `id=NNNNNN` in `text`.
fn id_in(text: &str) -> Option<u64> {
    let p = text.find("id=")?;
    text.get(p + 3..p + 9)?.parse().ok()
}

/// Checks a stored record (`whole`) holds none of line `id`'s secrets and
/// the placeholders that replaced them.
fn assert_redacted(id: u64, whole: &str) {
    assert!(!whole.contains("@example.com"), "raw email stored: {whole}");
    assert!(!whole.contains(&card(id)), "raw card stored: {whole}");
    assert!(!whole.contains("ghp_FAKE"), "raw token stored: {whole}");
    for p in [
        "[REDACTED:email]",
        "[REDACTED:pan-visa:",
        "[REDACTED:github-pat-classic]",
    ] {
        assert!(whole.contains(p), "no {p} in {whole}");
    }
}

/// A sink counter.
fn count(fwd: &Running, sink: &str, f: fn(&logscrub_forward::metrics::Component) -> u64) -> u64 {
    fwd.counter(sink, f)
}

fn delivered(c: &logscrub_forward::metrics::Component) -> u64 {
    c.events_out.load(Relaxed)
}

fn dropped(c: &logscrub_forward::metrics::Component) -> u64 {
    c.events_dropped.load(Relaxed)
}

fn healthy(c: &logscrub_forward::metrics::Component) -> u64 {
    u64::from(c.healthy.load(Relaxed))
}

fn unique(prefix: &str, sep: char) -> String {
    format!(
        "{prefix}{sep}{}{sep}{:012x}",
        std::process::id(),
        fastrand::u64(..) >> 16
    )
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

/// `None` (test skipped) or a panic, when a server does not answer.
fn unavailable<T>(what: &str, url: &str, why: &str) -> Option<T> {
    if std::env::var("LOGSCRUB_REQUIRE_SERVICES").as_deref() == Ok("1") {
        panic!(
            "{what} does not answer at {url} ({why}) and LOGSCRUB_REQUIRE_SERVICES=1; \
             start it with `bash scripts/services.sh`"
        );
    }
    eprintln!("skipped: {what} does not answer at {url} ({why}); run scripts/services.sh");
    None
}

// ---------------------------------------------------------- ClickHouse

#[derive(Debug)]
struct Clickhouse {
    url: String,
    client: reqwest::Client,
    /// One ClickHouse test at a time: ClickHouse 18.16 (Debian's) has
    /// crashed here (a NULL read in its background pool) when one test
    /// dropped its database while another was inserting.
    _serial: tokio::sync::MutexGuard<'static, ()>,
}

fn clickhouse_lock() -> &'static tokio::sync::Mutex<()> {
    static LOCK: std::sync::OnceLock<tokio::sync::Mutex<()>> = std::sync::OnceLock::new();
    LOCK.get_or_init(|| tokio::sync::Mutex::new(()))
}

impl Clickhouse {
    async fn connect() -> Option<Clickhouse> {
        let url = std::env::var("LOGSCRUB_CLICKHOUSE_URL")
            .unwrap_or_else(|_| "http://127.0.0.1:8123".into())
            .trim_end_matches('/')
            .to_owned();
        let client = client();
        let serial = clickhouse_lock().lock().await;
        match client.get(format!("{url}/ping")).send().await {
            Ok(r) if r.status().is_success() => Some(Clickhouse {
                url,
                client,
                _serial: serial,
            }),
            Ok(r) => unavailable("ClickHouse", &url, &format!("/ping: HTTP {}", r.status())),
            Err(e) => unavailable("ClickHouse", &url, &e.to_string()),
        }
    }

    /// Runs a statement (POST: the HTTP interface refuses writes on GET).
    async fn exec(&self, sql: &str) {
        let r = self
            .client
            .post(format!("{}/", self.url))
            .body(sql.to_owned())
            .send()
            .await
            .unwrap();
        let status = r.status();
        let body = r.text().await.unwrap_or_default();
        assert!(status.is_success(), "{sql}: HTTP {status}: {body}");
    }

    /// Rows of a query.
    async fn rows(&self, sql: &str) -> Vec<serde_json::Value> {
        let r = self
            .client
            .get(format!("{}/", self.url))
            .query(&[("query", format!("{sql} FORMAT JSONEachRow"))])
            .send()
            .await
            .unwrap();
        let status = r.status();
        let body = r.text().await.unwrap_or_default();
        assert!(status.is_success(), "{sql}: HTTP {status}: {body}");
        body.lines()
            .filter(|l| !l.is_empty())
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect()
    }

    /// A new database holding `t` with `columns`.
    async fn table(&self, columns: &str) -> String {
        let db = unique("logscrub_test", '_');
        self.exec(&format!("CREATE DATABASE IF NOT EXISTS {db}"))
            .await;
        self.exec(&format!(
            "CREATE TABLE {db}.t ({columns}) ENGINE = MergeTree ORDER BY timestamp"
        ))
        .await;
        db
    }

    async fn drop_database(&self, db: &str) {
        self.exec(&format!("DROP DATABASE IF EXISTS {db}")).await;
    }
}

const CH_COLUMNS: &str = "timestamp DateTime, source String, message String";

/// `ch` sink into `{db}.t`; `{extra}` adds sink keys.
const CH_CONFIG: &str = r#"
data_dir = "{dir}/data"
[api]
enabled = false
[sources.app]
type = "file"
include = ["{dir}/app.log"]
poll_interval_ms = 50
[sinks.ch]
type = "clickhouse"
inputs = ["app"]
endpoint = "{url}"
database = "{db}"
table = "t"
request = { retry_initial_backoff_ms = 50, retry_max_backoff_secs = 1 }
{extra}
"#;

fn ch_config(ch: &Clickhouse, db: &str, extra: &str) -> String {
    CH_CONFIG
        .replace("{url}", &ch.url)
        .replace("{db}", db)
        .replace("{extra}", extra)
}

/// Every row's id, checked redacted and from source `app`; with how often
/// it came.
async fn ch_ids(ch: &Clickhouse, db: &str) -> HashMap<u64, usize> {
    let mut seen = HashMap::new();
    for row in ch
        .rows(&format!("SELECT source, message FROM {db}.t"))
        .await
    {
        let whole = row.to_string();
        assert_eq!(row["source"], "app", "{whole}");
        let id = id_in(row["message"].as_str().unwrap_or_default())
            .unwrap_or_else(|| panic!("no id in {whole}"));
        assert_redacted(id, &whole);
        *seen.entry(id).or_default() += 1;
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clickhouse_gzip_small_batches_store_every_line_once_redacted() {
    let Some(ch) = Clickhouse::connect().await else {
        return;
    };
    let db = ch.table(CH_COLUMNS).await;
    let dir = tempfile::tempdir().unwrap();
    const N: u64 = 3000;
    append(&dir.path().join("app.log"), (0..N).map(line));
    let config = ch_config(
        &ch,
        &db,
        "compression = \"gzip\"\nbatch = { max_events = 50, timeout_ms = 100 }",
    );
    let fwd = Running::start(&config, dir.path()).await;
    eventually(60, "3000 rows inserted", || {
        count(&fwd, "ch", delivered) >= N
    })
    .await;
    assert_eq!(count(&fwd, "ch", dropped), 0);
    assert_eq!(count(&fwd, "ch", healthy), 1, "health check passed");
    fwd.stop().await;

    let seen = ch_ids(&ch, &db).await;
    assert_eq!(seen.len(), N as usize, "every line arrived");
    assert!(
        (0..N).all(|i| seen.get(&i) == Some(&1)),
        "each exactly once"
    );
    ch.drop_database(&db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clickhouse_basic_auth_as_logscrub_and_a_wrong_password_waits_unhealthy() {
    let Some(ch) = Clickhouse::connect().await else {
        return;
    };
    let db = ch.table(CH_COLUMNS).await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("password"), "logscrub\n").unwrap();
    std::fs::write(dir.path().join("wrong"), "not-the-password\n").unwrap();
    const N: u64 = 600;
    append(&dir.path().join("app.log"), (0..N).map(line));
    // Two sinks into the same table: only the one with the right password
    // may store anything (the other would duplicate every row).
    let config = ch_config(
        &ch,
        &db,
        r#"batch = { max_events = 100, timeout_ms = 100 }
auth = { strategy = "basic", user = "logscrub", password_file = "{dir}/password" }
[sinks.bad]
type = "clickhouse"
inputs = ["app"]
endpoint = "{url}"
database = "{db}"
table = "t"
batch = { max_events = 100, timeout_ms = 100 }
auth = { strategy = "basic", user = "logscrub", password_file = "{dir}/wrong" }
"#,
    )
    .replace("{url}", &ch.url)
    .replace("{db}", &db);
    // The bad sink never delivers: stop without waiting for it long.
    let config = format!("shutdown_timeout_secs = 1\n{config}");
    let fwd = Running::start(&config, dir.path()).await;
    eventually(60, "rows inserted as logscrub", || {
        count(&fwd, "ch", delivered) >= N
    })
    .await;
    // 401 is retried (an operator fixes the password; the events wait):
    // the sink is unhealthy, counts errors, and drops nothing.
    eventually(60, "wrong password: failures counted", || {
        count(&fwd, "bad", |c| c.errors.load(Relaxed)) >= 2
    })
    .await;
    eventually(30, "wrong password: unhealthy", || {
        count(&fwd, "bad", healthy) == 0
    })
    .await;
    assert_eq!(count(&fwd, "bad", delivered), 0);
    assert_eq!(count(&fwd, "bad", dropped), 0, "nothing dropped");
    assert_eq!(count(&fwd, "ch", healthy), 1);
    fwd.stop().await;

    let seen = ch_ids(&ch, &db).await;
    assert_eq!(seen.len(), N as usize);
    assert!(
        (0..N).all(|i| seen.get(&i) == Some(&1)),
        "each exactly once"
    );
    ch.drop_database(&db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clickhouse_missing_table_fails_the_health_check_and_events_wait_for_it() {
    let Some(ch) = Clickhouse::connect().await else {
        return;
    };
    // The database exists, the table `t` does not.
    let db = unique("logscrub_test", '_');
    ch.exec(&format!("CREATE DATABASE IF NOT EXISTS {db}"))
        .await;
    let dir = tempfile::tempdir().unwrap();
    const N: u64 = 40;
    append(&dir.path().join("app.log"), (0..N).map(line));
    let config = ch_config(&ch, &db, "batch = { max_events = 10, timeout_ms = 100 }");
    let fwd = Running::start(&config, dir.path()).await;
    eventually(30, "health check failed", || {
        count(&fwd, "ch", healthy) == 0
    })
    .await;
    // ClickHouse answers an insert into a missing table with 404 (Code 60):
    // retried, so the events wait until an operator creates the table.
    eventually(30, "inserts failing", || {
        count(&fwd, "ch", |c| c.errors.load(Relaxed)) >= 2
    })
    .await;
    assert_eq!(count(&fwd, "ch", delivered), 0);
    assert_eq!(count(&fwd, "ch", dropped), 0);
    ch.exec(&format!(
        "CREATE TABLE {db}.t ({CH_COLUMNS}) ENGINE = MergeTree ORDER BY timestamp"
    ))
    .await;
    eventually(60, "delivered once the table exists", || {
        count(&fwd, "ch", delivered) >= N
    })
    .await;
    assert_eq!(count(&fwd, "ch", healthy), 1, "healthy again");
    fwd.stop().await;
    let seen = ch_ids(&ch, &db).await;
    assert!(
        (0..N).all(|i| seen.get(&i) == Some(&1)),
        "each exactly once"
    );
    ch.drop_database(&db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clickhouse_row_of_the_wrong_type_is_dropped_not_retried_for_ever() {
    let Some(ch) = Clickhouse::connect().await else {
        return;
    };
    let db = ch.table(&format!("{CH_COLUMNS}, n UInt32")).await;
    let dir = tempfile::tempdir().unwrap();
    const N: u64 = 30;
    // Rows 7 and 19 do not fit `n UInt32`: "seven" fails with HTTP 500
    // (Code 27, cannot parse), -19 with HTTP 400 (Code 72). One event per
    // batch, so exactly those two batches fail.
    let rows = (0..N).map(|i| match i {
        7 => format!(r#"{{"message":"row id={i:06}","n":"seven"}}"#),
        19 => format!(r#"{{"message":"row id={i:06}","n":-19}}"#),
        _ => format!(r#"{{"message":"row id={i:06}","n":{i}}}"#),
    });
    append(&dir.path().join("app.log"), rows);
    let config = ch_config(&ch, &db, "batch = { max_events = 1, timeout_ms = 50 }");
    let fwd = Running::start(&config, dir.path()).await;
    eventually(60, "every batch settled", || {
        count(&fwd, "ch", delivered) + count(&fwd, "ch", dropped) >= N
    })
    .await;
    assert_eq!(count(&fwd, "ch", dropped), 2, "the two bad rows dropped");
    assert_eq!(count(&fwd, "ch", delivered), N - 2);
    // Dropped rows are acknowledged, so the stop does not wait for them.
    tokio::time::timeout(Duration::from_secs(20), fwd.stop())
        .await
        .expect("stopped without retrying the bad rows");

    let mut got: Vec<(u64, u64)> = ch
        .rows(&format!("SELECT message, n FROM {db}.t"))
        .await
        .iter()
        .map(|r| {
            (
                id_in(r["message"].as_str().unwrap()).unwrap(),
                r["n"].as_u64().unwrap(),
            )
        })
        .collect();
    got.sort_unstable();
    let want: Vec<(u64, u64)> = (0..N)
        .filter(|i| ![7, 19].contains(i))
        .map(|i| (i, i))
        .collect();
    assert_eq!(got, want);
    ch.drop_database(&db).await;
}

// ------------------------------------------------------------- Azurite

const ACCOUNT: &str = "devstoreaccount1";
/// Azurite's publicly documented development-storage key (not a secret).
const DEV_KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
const API_VERSION: &str = "2021-08-06";
const SAS_VERSION: &str = "2020-12-06";

#[derive(Debug)]
struct Azurite {
    /// `http://host:port/devstoreaccount1`, no trailing slash.
    base: String,
    client: reqwest::Client,
}

fn hmac_b64(key_b64: &str, text: &str) -> String {
    let key = base64::engine::general_purpose::STANDARD
        .decode(key_b64)
        .unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(text.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

impl Azurite {
    async fn connect() -> Option<Azurite> {
        let base = std::env::var("LOGSCRUB_AZURITE_URL")
            .unwrap_or_else(|_| format!("http://127.0.0.1:10000/{ACCOUNT}"))
            .trim_end_matches('/')
            .to_owned();
        let client = client();
        // Any HTTP answer (an unsigned request gets 403) means it listens.
        match client.get(format!("{base}?comp=list")).send().await {
            Ok(_) => Some(Azurite { base, client }),
            Err(e) => unavailable("Azurite", &base, &e.to_string()),
        }
    }

    /// A bodiless request signed with Shared Key (the string-to-sign of
    /// scripts/azurite_probe.py: path-style URLs carry the account twice
    /// in the canonicalized resource).
    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        query: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut url = reqwest::Url::parse(&format!("{}/{path}", self.base)).unwrap();
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        let date = httpdate::fmt_http_date(SystemTime::now());
        let mut to_sign = format!(
            "{}\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:{date}\nx-ms-version:{API_VERSION}\n/{ACCOUNT}{}",
            method.as_str(),
            url.path()
        );
        let mut params: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| (k.to_lowercase(), v.into_owned()))
            .collect();
        params.sort();
        for (k, v) in params {
            to_sign.push_str(&format!("\n{k}:{v}"));
        }
        let sig = hmac_b64(DEV_KEY, &to_sign);
        self.client
            .request(method, url)
            .header("x-ms-date", date)
            .header("x-ms-version", API_VERSION)
            .header("authorization", format!("SharedKey {ACCOUNT}:{sig}"))
            .send()
            .await
            .unwrap()
    }

    /// Names of the blobs in `container`; `None` if it does not exist.
    async fn list(&self, container: &str) -> Option<Vec<String>> {
        let mut names = Vec::new();
        let mut marker = String::new();
        loop {
            let mut q = vec![("restype", "container"), ("comp", "list")];
            if !marker.is_empty() {
                q.push(("marker", &marker));
            }
            let r = self.send(reqwest::Method::GET, container, &q).await;
            let status = r.status();
            let body = r.text().await.unwrap();
            if status.as_u16() == 404 {
                return None;
            }
            assert!(
                status.is_success(),
                "list {container}: HTTP {status}: {body}"
            );
            for part in body.split("<Blob>").skip(1) {
                let name = between(part, "<Name>", "</Name>").expect("a blob name");
                names.push(name.to_owned());
            }
            match between(&body, "<NextMarker>", "</NextMarker>") {
                Some(m) if !m.is_empty() => marker = m.to_owned(),
                _ => return Some(names),
            }
        }
    }

    /// A blob's content, gunzipped when its name ends in `.gz`.
    async fn get(&self, container: &str, name: &str) -> String {
        let r = self
            .send(reqwest::Method::GET, &format!("{container}/{name}"), &[])
            .await;
        let status = r.status();
        let body = r.bytes().await.unwrap();
        assert!(status.is_success(), "get {name}: HTTP {status}");
        let mut text = String::new();
        if name.ends_with(".gz") {
            flate2::read::MultiGzDecoder::new(&body[..])
                .read_to_string(&mut text)
                .unwrap_or_else(|e| panic!("{name} is not gzip: {e}"));
        } else {
            text = String::from_utf8(body.to_vec()).unwrap();
        }
        text
    }

    async fn delete_container(&self, container: &str) {
        let r = self
            .send(
                reqwest::Method::DELETE,
                container,
                &[("restype", "container")],
            )
            .await;
        assert!(
            r.status().is_success(),
            "delete {container}: {}",
            r.status()
        );
    }

    /// An account SAS for the blob service (what the sink needs: create
    /// the container, write blobs), valid for an hour, as a query string.
    fn account_sas(&self) -> String {
        let expiry =
            humantime::format_rfc3339_seconds(SystemTime::now() + Duration::from_secs(3600))
                .to_string();
        let (sp, ss, srt) = ("rwlac", "b", "sco");
        let to_sign = format!("{ACCOUNT}\n{sp}\n{ss}\n{srt}\n\n{expiry}\n\n\n{SAS_VERSION}\n\n");
        let sig = hmac_b64(DEV_KEY, &to_sign);
        let mut u = reqwest::Url::parse("http://sas.invalid/").unwrap();
        u.query_pairs_mut()
            .append_pair("sv", SAS_VERSION)
            .append_pair("ss", ss)
            .append_pair("srt", srt)
            .append_pair("sp", sp)
            .append_pair("se", &expiry)
            .append_pair("sig", &sig);
        u.query().unwrap().to_owned()
    }
}

fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let (_, rest) = s.split_once(start)?;
    Some(rest.split_once(end)?.0)
}

/// `blob` sink into `{container}`; `{auth}` and `{extra}` add keys.
const AZ_CONFIG: &str = r#"
data_dir = "{dir}/data"
[api]
enabled = false
[sources.app]
type = "file"
include = ["{dir}/app.log"]
poll_interval_ms = 50
[sinks.blob]
type = "azure_blob"
inputs = ["app"]
account = "devstoreaccount1"
endpoint = "{url}"
container = "{container}"
create_container = true
request = { retry_initial_backoff_ms = 50, retry_max_backoff_secs = 1 }
{auth}
{extra}
"#;

fn az_config(az: &Azurite, container: &str, auth: &str, extra: &str) -> String {
    AZ_CONFIG
        .replace("{url}", &az.base)
        .replace("{container}", container)
        .replace("{auth}", auth)
        .replace("{extra}", extra)
}

/// Reads every blob of `container` back: each record checked redacted,
/// ids with how often they came. Also returns the blob names.
async fn az_ids(az: &Azurite, container: &str) -> (HashMap<u64, usize>, Vec<String>) {
    let names = az.list(container).await.expect("the container exists");
    let mut seen = HashMap::new();
    for name in &names {
        for rec in az.get(container, name).await.lines() {
            let v: serde_json::Value =
                serde_json::from_str(rec).unwrap_or_else(|e| panic!("{name}: {e}: {rec}"));
            assert_eq!(v["source"], "app", "{rec}");
            assert!(v["timestamp"].is_string(), "{rec}");
            let id = id_in(v["message"].as_str().unwrap_or_default())
                .unwrap_or_else(|| panic!("no id in {rec}"));
            assert_redacted(id, rec);
            if id % 3 == 0 {
                // JSON events keep their own fields, redacted too.
                assert_eq!(v["contact"], "[REDACTED:email]", "{rec}");
                assert_eq!(v["amount"], 12, "{rec}");
            }
            *seen.entry(id).or_default() += 1;
        }
    }
    (seen, names)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn azure_blob_shared_key_gzip_stores_every_line_once_redacted() {
    let Some(az) = Azurite::connect().await else {
        return;
    };
    let container = unique("logscrub-test", '-');
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("account.key"), format!("{DEV_KEY}\n")).unwrap();
    const N: u64 = 2000;
    append(&dir.path().join("app.log"), (0..N).map(line));
    let config = az_config(
        &az,
        &container,
        r#"account_key_file = "{dir}/account.key""#,
        "compression = \"gzip\"\nbatch = { max_events = 150, timeout_ms = 100 }",
    );
    let fwd = Running::start(&config, dir.path()).await;
    eventually(60, "2000 events uploaded", || {
        count(&fwd, "blob", delivered) >= N
    })
    .await;
    assert_eq!(count(&fwd, "blob", dropped), 0);
    assert_eq!(count(&fwd, "blob", healthy), 1);
    fwd.stop().await;

    let (seen, names) = az_ids(&az, &container).await;
    assert_eq!(seen.len(), N as usize, "every line arrived");
    assert!(
        (0..N).all(|i| seen.get(&i) == Some(&1)),
        "each exactly once"
    );
    assert!(
        names.len() >= (N / 150) as usize,
        "one blob per batch: {names:?}"
    );
    for n in &names {
        assert!(
            n.starts_with("logs/") && n.ends_with(".ndjson.gz"),
            "default prefix and gzip name: {n}"
        );
    }
    az.delete_container(&container).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn azure_blob_with_an_account_sas_token() {
    let Some(az) = Azurite::connect().await else {
        return;
    };
    let container = unique("logscrub-test", '-');
    let dir = tempfile::tempdir().unwrap();
    const N: u64 = 500;
    append(&dir.path().join("app.log"), (0..N).map(line));
    let config = az_config(
        &az,
        &container,
        &format!("sas_token = \"?{}\"", az.account_sas()),
        "blob_prefix = \"sas/%Y%m%d/\"\nbatch = { max_events = 100, timeout_ms = 100 }",
    );
    let fwd = Running::start(&config, dir.path()).await;
    eventually(60, "500 events uploaded", || {
        count(&fwd, "blob", delivered) >= N
    })
    .await;
    assert_eq!(count(&fwd, "blob", dropped), 0);
    assert_eq!(
        count(&fwd, "blob", healthy),
        1,
        "container created with the SAS"
    );
    fwd.stop().await;

    let (seen, names) = az_ids(&az, &container).await;
    assert_eq!(seen.len(), N as usize, "every line arrived");
    assert!(
        (0..N).all(|i| seen.get(&i) == Some(&1)),
        "each exactly once"
    );
    for n in &names {
        assert!(
            n.starts_with("sas/") && n.ends_with(".ndjson") && !n.contains('%'),
            "prefix rendered, plain name: {n}"
        );
    }
    az.delete_container(&container).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn azure_blob_wrong_account_key_is_unhealthy_and_events_wait() {
    let Some(az) = Azurite::connect().await else {
        return;
    };
    let container = unique("logscrub-test", '-');
    let dir = tempfile::tempdir().unwrap();
    // Well-formed base64, wrong key: every request gets 403.
    let wrong = base64::engine::general_purpose::STANDARD.encode([7u8; 64]);
    std::fs::write(dir.path().join("account.key"), wrong).unwrap();
    const N: u64 = 50;
    append(&dir.path().join("app.log"), (0..N).map(line));
    let config = az_config(
        &az,
        &container,
        r#"account_key_file = "{dir}/account.key""#,
        "batch = { max_events = 10, timeout_ms = 100 }",
    );
    let config = format!("shutdown_timeout_secs = 1\n{config}");
    let fwd = Running::start(&config, dir.path()).await;
    eventually(30, "health check failed", || {
        count(&fwd, "blob", healthy) == 0
    })
    .await;
    // 403 is retried (a key is fixed by an operator): failures counted,
    // nothing delivered, nothing dropped.
    eventually(30, "failures counted", || {
        count(&fwd, "blob", |c| c.errors.load(Relaxed)) >= 2
    })
    .await;
    assert_eq!(count(&fwd, "blob", delivered), 0);
    assert_eq!(count(&fwd, "blob", dropped), 0);
    assert_eq!(count(&fwd, "blob", healthy), 0);
    fwd.stop().await;
    assert_eq!(
        az.list(&container).await,
        None,
        "the container was never created"
    );
}
