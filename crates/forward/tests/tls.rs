//! TLS in transit and access to the servers: sinks over HTTPS with a CA
//! bundle and a client certificate (mTLS), plaintext refusal, the `http`
//! source and `[api]` over HTTPS with HSTS, certificate reload without a
//! restart, and `[api]` tokens.
//!
//! Every certificate is made here with rcgen: a test CA, server
//! certificates for `localhost` / `127.0.0.1`, and a client certificate.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering::Relaxed;
use std::sync::{Arc, Mutex};

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    SerialNumber,
};

use crate::support::{eventually, read_ndjson, Running};

/// A test certificate authority.
struct Ca {
    cert: rcgen::Certificate,
    key: KeyPair,
}

/// A certificate signed by the test CA, as PEM and DER.
struct Leaf {
    cert_pem: String,
    key_pem: String,
    der: Vec<u8>,
}

impl Ca {
    fn new() -> Ca {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, "logscrub test CA");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let key = KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        Ca { cert, key }
    }

    fn pem(&self) -> String {
        self.cert.pem()
    }

    fn leaf(&self, cn: &str, serial: u64, usage: ExtendedKeyUsagePurpose) -> Leaf {
        let mut params =
            CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).unwrap();
        params.distinguished_name.push(DnType::CommonName, cn);
        params.serial_number = Some(SerialNumber::from(serial));
        params.extended_key_usages = vec![usage];
        let key = KeyPair::generate().unwrap();
        let cert = params.signed_by(&key, &self.cert, &self.key).unwrap();
        Leaf {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
            der: cert.der().to_vec(),
        }
    }

    fn server(&self, cn: &str, serial: u64) -> Leaf {
        self.leaf(cn, serial, ExtendedKeyUsagePurpose::ServerAuth)
    }
}

/// Writes a file in one step (aside, then renamed), as a secret mount or
/// a certificate manager replaces it.
fn replace(path: &Path, text: &str) {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

/// Writes `leaf` as `{name}.crt` / `{name}.key` in `dir`.
fn write_leaf(dir: &Path, name: &str, leaf: &Leaf) -> (PathBuf, PathBuf) {
    let (c, k) = (
        dir.join(format!("{name}.crt")),
        dir.join(format!("{name}.key")),
    );
    replace(&c, &leaf.cert_pem);
    replace(&k, &leaf.key_pem);
    (c, k)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A reqwest client trusting only the test CA.
fn client_trusting(ca: &Ca) -> reqwest::Client {
    reqwest::Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(ca.pem().as_bytes()).unwrap())
        .tls_info(true)
        .build()
        .unwrap()
}

fn assert_hsts(resp: &reqwest::Response) {
    let v = resp
        .headers()
        .get("strict-transport-security")
        .unwrap_or_else(|| panic!("no HSTS header on a {} response", resp.status()))
        .to_str()
        .unwrap();
    let max_age: u64 = v
        .split(';')
        .find_map(|p| p.trim().strip_prefix("max-age="))
        .unwrap()
        .parse()
        .unwrap();
    assert!(max_age >= 31_536_000, "{v}");
    assert!(v.split(';').any(|p| p.trim() == "includeSubDomains"), "{v}");
}

/// An HTTPS server that requires a client certificate signed by the test
/// CA, and records the bodies it is sent.
struct MtlsServer {
    addr: SocketAddr,
    bodies: Arc<Mutex<Vec<String>>>,
}

async fn mtls_server(ca: &Ca, server: &Leaf) -> MtlsServer {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots.add(ca.cert.der().clone()).unwrap();
    let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
        Arc::new(roots),
        provider.clone(),
    )
    .build()
    .unwrap();
    let chain = vec![CertificateDer::from_pem_slice(server.cert_pem.as_bytes()).unwrap()];
    let key = PrivateKeyDer::from_pem_slice(server.key_pem.as_bytes()).unwrap();
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_client_cert_verifier(verifier)
        .with_single_cert(chain, key)
        .unwrap();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let recorded = bodies.clone();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let (acceptor, recorded) = (acceptor.clone(), recorded.clone());
            tokio::spawn(async move {
                // A client without a certificate fails here.
                let Ok(tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let svc = hyper::service::service_fn(
                    move |req: hyper::Request<hyper::body::Incoming>| {
                        let recorded = recorded.clone();
                        async move {
                            let body = axum::body::to_bytes(
                                axum::body::Body::new(req.into_body()),
                                usize::MAX,
                            )
                            .await
                            .unwrap();
                            recorded
                                .lock()
                                .unwrap()
                                .push(String::from_utf8_lossy(&body).into_owned());
                            Ok::<_, std::convert::Infallible>(hyper::Response::new(
                                axum::body::Body::from("ok"),
                            ))
                        }
                    },
                );
                let _ = hyper_util::server::conn::auto::Builder::new(
                    hyper_util::rt::TokioExecutor::new(),
                )
                .serve_connection(hyper_util::rt::TokioIo::new(tls), svc)
                .await;
            });
        }
    });
    MtlsServer { addr, bodies }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_sink_presents_its_client_certificate_and_without_one_delivers_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let ca = Ca::new();
    let server = mtls_server(&ca, &ca.server("mtls server", 10)).await;
    let client = ca.leaf("logscrub client", 11, ExtendedKeyUsagePurpose::ClientAuth);
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, ca.pem()).unwrap();
    let (cert_file, key_file) = write_leaf(dir.path(), "client", &client);

    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    let lines: String = (0..20)
        .map(|i| format!("evt-{i:03} user{i}@example.com\n"))
        .collect();
    std::fs::write(input.join("app.log"), lines).unwrap();

    let port = server.addr.port();
    let config = format!(
        r#"
data_dir = "{{dir}}/data"
shutdown_timeout_secs = 2
[api]
enabled = false
[sources.app]
type = "file"
include = ["{{dir}}/in/*.log"]
poll_interval_ms = 20
[sinks.with_cert]
type = "http"
inputs = ["app"]
uri = "https://localhost:{port}/in"
batch = {{ timeout_ms = 20 }}
request = {{ retry_initial_backoff_ms = 20, retry_max_backoff_secs = 1 }}
tls = {{ ca_file = "{ca}", cert_file = "{cert}", key_file = "{key}" }}
[sinks.without_cert]
type = "http"
inputs = ["app"]
uri = "https://127.0.0.1:{port}/in"
batch = {{ timeout_ms = 20 }}
request = {{ retry_initial_backoff_ms = 20, retry_max_backoff_secs = 1 }}
tls = {{ ca_file = "{ca}" }}
"#,
        ca = ca_file.display(),
        cert = cert_file.display(),
        key = key_file.display(),
    );
    let fwd = Running::start(&config, dir.path()).await;
    let bodies = server.bodies.clone();
    eventually(20, "20 events over mTLS", || {
        let all = bodies.lock().unwrap().concat();
        (0..20).all(|i| all.contains(&format!("evt-{i:03}")))
    })
    .await;
    eventually(20, "the sink without a certificate retried", || {
        fwd.counter("without_cert", |c| c.errors.load(Relaxed)) >= 2
    })
    .await;
    let without = fwd
        .handle
        .metrics
        .components()
        .into_iter()
        .find(|c| c.name == "without_cert")
        .unwrap();
    assert!(!without.healthy.load(Relaxed));
    assert_eq!(without.events_out.load(Relaxed), 0);
    // The server records a body before the client has read its answer.
    eventually(10, "delivery counted", || {
        fwd.counter("with_cert", |c| c.events_out.load(Relaxed)) == 20
    })
    .await;
    // Every recorded request came from the sink with the certificate.
    let delivered: usize = server
        .bodies
        .lock()
        .unwrap()
        .iter()
        .map(|b| b.lines().count())
        .sum();
    assert_eq!(delivered, 20);
    // Redacted on the way, as always.
    assert!(!server
        .bodies
        .lock()
        .unwrap()
        .concat()
        .contains("@example.com"));
    fwd.stop().await;
}

fn sink_config(sink: &str) -> String {
    format!(
        r#"
data_dir = "/tmp/logscrub-tls-validate"
[api]
enabled = false
[sources.app]
type = "stdin"
[sinks.out]
inputs = ["app"]
{sink}
"#
    )
}

#[test]
fn plaintext_to_a_host_off_loopback_is_refused_unless_allowed() {
    // One table per sink kind that has an endpoint.
    let kinds = [
        ("type = \"http\"\nuri = \"{url}/in\"", "uri"),
        ("type = \"clickhouse\"\nendpoint = \"{url}\"\ntable = \"logs\"", "endpoint"),
        (
            "type = \"azure_blob\"\naccount = \"acct\"\ncontainer = \"logs\"\nendpoint = \"{url}/acct\"\naccount_key = \"a2V5\"",
            "endpoint",
        ),
        ("type = \"loki\"\nendpoint = \"{url}\"", "endpoint"),
        ("type = \"elasticsearch\"\nendpoint = \"{url}\"", "endpoint"),
        ("type = \"splunk_hec\"\nendpoint = \"{url}\"\ntoken = \"t\"", "endpoint"),
        ("type = \"datadog_logs\"\nendpoint = \"{url}\"\napi_key = \"k\"", "endpoint"),
    ];
    let validate = |toml: &str| {
        let config = logscrub_forward::Config::from_toml(toml).unwrap_or_else(|e| panic!("{e}"));
        logscrub_forward::validate(&config).map(|_| ())
    };
    for (sink, key) in kinds {
        let plain = sink.replace("{url}", "http://example.com");
        let err = validate(&sink_config(&plain)).unwrap_err();
        let msg = format!("{err:#}");
        assert!(msg.contains(key), "{msg}");
        assert!(msg.contains("allow_plaintext = true"), "{msg}");
        assert!(msg.contains("http://example.com"), "{msg}");

        let allowed = format!("{plain}\nallow_plaintext = true");
        validate(&sink_config(&allowed)).unwrap_or_else(|e| panic!("{sink}: {e:#}"));

        for local in [
            "http://127.0.0.1:9",
            "http://127.8.0.1",
            "http://localhost:9",
            "http://[::1]:9",
            "https://example.com",
        ] {
            let ok = sink.replace("{url}", local);
            validate(&sink_config(&ok)).unwrap_or_else(|e| panic!("{ok}: {e:#}"));
        }
    }
    // The health check URL carries the same credentials.
    let hc = "type = \"http\"\nuri = \"https://example.com/in\"\nhealthcheck_uri = \"http://example.com/health\"";
    let msg = format!("{:#}", validate(&sink_config(hc)).unwrap_err());
    assert!(msg.contains("healthcheck_uri"), "{msg}");
}

#[test]
fn a_client_certificate_without_its_key_or_a_bad_ca_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let ca = Ca::new();
    let (cert, key) = write_leaf(
        dir.path(),
        "client",
        &ca.leaf("c", 2, ExtendedKeyUsagePurpose::ClientAuth),
    );
    let other = ca.leaf("other", 3, ExtendedKeyUsagePurpose::ClientAuth);
    let (_, other_key) = write_leaf(dir.path(), "other", &other);
    let not_pem = dir.path().join("ca.txt");
    std::fs::write(&not_pem, "not a certificate").unwrap();
    let cases = [
        (
            format!("tls = {{ cert_file = \"{}\" }}", cert.display()),
            "go together",
        ),
        (
            format!(
                "tls = {{ cert_file = \"{}\", key_file = \"{}\" }}",
                cert.display(),
                other_key.display()
            ),
            "pair",
        ),
        (
            format!("tls = {{ ca_file = \"{}\" }}", not_pem.display()),
            "tls.ca_file",
        ),
        (
            format!(
                "tls = {{ ca_file = \"{}\" }}",
                dir.path().join("missing.pem").display()
            ),
            "cannot read tls.ca_file",
        ),
    ];
    for (tls, want) in cases {
        let toml = sink_config(&format!(
            "type = \"http\"\nuri = \"https://example.com/\"\n{tls}"
        ));
        let config = logscrub_forward::Config::from_toml(&toml).unwrap();
        let msg = format!("{:#}", logscrub_forward::validate(&config).unwrap_err());
        assert!(msg.contains(want), "{tls}: {msg}");
    }
    let ok = format!(
        "type = \"http\"\nuri = \"https://example.com/\"\ntls = {{ cert_file = \"{}\", key_file = \"{}\" }}",
        cert.display(),
        key.display()
    );
    let config = logscrub_forward::Config::from_toml(&sink_config(&ok)).unwrap();
    logscrub_forward::validate(&config).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_source_over_https_sends_hsts_on_every_response() {
    let dir = tempfile::tempdir().unwrap();
    let ca = Ca::new();
    let (cert, key) = write_leaf(dir.path(), "server", &ca.server("ingest", 20));
    let port = free_port();
    let out = dir.path().join("out.ndjson");
    let config = format!(
        r#"
data_dir = "{{dir}}/data"
[api]
enabled = false
[sources.ingest]
type = "http"
address = "127.0.0.1:{port}"
path = "/logs"
tls = {{ cert_file = "{}", key_file = "{}" }}
[sinks.out]
type = "file"
inputs = ["ingest"]
path = "{{dir}}/out.ndjson"
batch = {{ timeout_ms = 20 }}
"#,
        cert.display(),
        key.display()
    );
    let fwd = Running::start(&config, dir.path()).await;
    let client = client_trusting(&ca);
    let url = format!("https://localhost:{port}/logs");

    let r = client
        .post(&url)
        .body("{\"msg\":\"hello\",\"email\":\"user7@example.com\"}\n\"plain line\"\n")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_hsts(&r);
    assert_eq!(r.text().await.unwrap(), "{\"accepted\":2}");

    let r = client.post(&url).body("{not json\n").send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert_hsts(&r);
    let r = client
        .get(format!("https://127.0.0.1:{port}/nowhere"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert_hsts(&r);
    let r = client.get(&url).send().await.unwrap();
    assert_eq!(r.status(), 405);
    assert_hsts(&r);

    // Plain HTTP to the HTTPS port gets no answer it could use.
    let plain = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/logs"))
        .body("{\"n\":1}\n")
        .send()
        .await;
    assert!(plain.is_err() || !plain.unwrap().status().is_success());

    eventually(10, "2 events", || read_ndjson(&out).len() == 2).await;
    fwd.stop().await;
    let all = std::fs::read_to_string(&out).unwrap();
    assert!(!all.contains("user7@example.com"), "{all}");
}

/// The certificate a new connection to `url` is served.
async fn served_cert(ca: &Ca, url: &str) -> Vec<u8> {
    // A new client each time: a new connection, not a pooled one.
    let r = client_trusting(ca).post(url).body("").send().await.unwrap();
    assert_hsts(&r);
    r.extensions()
        .get::<reqwest::tls::TlsInfo>()
        .and_then(|t| t.peer_certificate())
        .expect("TLS info")
        .to_vec()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replaced_certificate_is_served_to_new_connections_without_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let ca = Ca::new();
    let first = ca.server("first", 100);
    let (cert, key) = write_leaf(dir.path(), "server", &first);
    let port = free_port();
    let config = format!(
        r#"
data_dir = "{{dir}}/data"
[api]
enabled = false
[sources.ingest]
type = "http"
address = "127.0.0.1:{port}"
tls = {{ cert_file = "{}", key_file = "{}" }}
[sinks.out]
type = "file"
inputs = ["ingest"]
path = "{{dir}}/out.ndjson"
"#,
        cert.display(),
        key.display()
    );
    let fwd = Running::start(&config, dir.path()).await;
    let url = format!("https://localhost:{port}/");
    assert_eq!(served_cert(&ca, &url).await, first.der);

    // A connection kept open across the change keeps its certificate.
    let kept = client_trusting(&ca);
    kept.post(&url).body("").send().await.unwrap();

    let second = ca.server("second", 200);
    write_leaf(dir.path(), "server", &second);
    assert_eq!(served_cert(&ca, &url).await, second.der);
    let r = kept.post(&url).body("").send().await.unwrap();
    assert_eq!(
        r.extensions()
            .get::<reqwest::tls::TlsInfo>()
            .and_then(|t| t.peer_certificate()),
        Some(&first.der[..])
    );

    // A certificate whose key does not match is not taken: the previous
    // one stays until the files make a pair again.
    let third = ca.server("third", 300);
    replace(&cert, &third.cert_pem);
    assert_eq!(served_cert(&ca, &url).await, second.der);
    replace(&key, &third.key_pem);
    assert_eq!(served_cert(&ca, &url).await, third.der);
    fwd.stop().await;
}

fn api_config(api: &str) -> String {
    format!(
        r#"
data_dir = "{{dir}}/data"
[api]
{api}
[sources.app]
type = "file"
include = ["{{dir}}/in/*.log"]
[sinks.out]
type = "file"
inputs = ["app"]
path = "{{dir}}/out.ndjson"
"#
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_tokens_guard_metrics_and_reload_and_failures_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    let ca = Ca::new();
    let (cert, key) = write_leaf(dir.path(), "api", &ca.server("api", 30));
    let token_file = dir.path().join("admin.token");
    std::fs::write(&token_file, "admin-token-0123456789\n").unwrap();
    let config = api_config(&format!(
        r#"address = "127.0.0.1:0"
read_token = "read-token-0123456789"
admin_token_file = "{}"
tls = {{ cert_file = "{}", key_file = "{}" }}"#,
        token_file.display(),
        cert.display(),
        key.display()
    ));
    let fwd = Running::start(&config, dir.path()).await;
    let base = format!(
        "https://localhost:{}",
        fwd.handle.api_address.unwrap().port()
    );
    let client = client_trusting(&ca);
    let get = |path: &str, token: Option<&str>| {
        let mut rb = client.get(format!("{base}{path}"));
        if let Some(t) = token {
            rb = rb.bearer_auth(t);
        }
        rb.send()
    };

    // No token, a wrong one, a read token with a different length.
    for token in [None, Some("read-token-0123456788"), Some("read")] {
        let r = get("/metrics", token).await.unwrap();
        assert_eq!(r.status(), 401);
        assert_hsts(&r);
        assert_eq!(r.text().await.unwrap(), "");
    }
    let r = get("/health", None).await.unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.text().await.unwrap(), "");
    // Another scheme with the right token is still refused.
    let r = client
        .get(format!("{base}/metrics"))
        .header("authorization", "Basic read-token-0123456789")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);

    let r = get("/metrics", Some("read-token-0123456789"))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_hsts(&r);
    let text = r.text().await.unwrap();
    assert!(
        text.contains("logscrub_api_auth_failures_total 5"),
        "{text}"
    );
    let r = get("/health", Some("admin-token-0123456789"))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().starts_with("{\"status\":\"ok\""));
    let r = get("/nowhere", None).await.unwrap();
    assert_eq!(r.status(), 404);
    assert_hsts(&r);

    // Admin: the read token is not enough.
    let post = |token: &str| {
        client
            .post(format!("{base}/reload"))
            .bearer_auth(token)
            .send()
    };
    let r = post("read-token-0123456789").await.unwrap();
    assert_eq!(r.status(), 401);
    assert_hsts(&r);
    let r = post("admin-token-0123456789").await.unwrap();
    assert_eq!(r.status(), 200, "{:?}", r.text().await);
    assert_eq!(fwd.handle.metrics.api_auth_failures.load(Relaxed), 6);
    fwd.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_endpoints_without_an_admin_token_work_only_on_loopback() {
    // Loopback, no tokens at all: open, as before this issue.
    let dir = tempfile::tempdir().unwrap();
    let fwd = Running::start(&api_config("address = \"127.0.0.1:0\""), dir.path()).await;
    let base = format!("http://{}", fwd.handle.api_address.unwrap());
    let client = reqwest::Client::new();
    assert_eq!(
        client
            .get(format!("{base}/metrics"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        client
            .post(format!("{base}/reload"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    fwd.stop().await;

    // Off loopback with only a read token: admin endpoints are disabled.
    let dir = tempfile::tempdir().unwrap();
    let fwd = Running::start(
        &api_config("address = \"0.0.0.0:0\"\nread_token = \"read-token-0123456789\""),
        dir.path(),
    )
    .await;
    let base = format!(
        "http://127.0.0.1:{}",
        fwd.handle.api_address.unwrap().port()
    );
    let r = client
        .post(format!("{base}/reload"))
        .bearer_auth("read-token-0123456789")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = client
        .get(format!("{base}/metrics"))
        .bearer_auth("read-token-0123456789")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    fwd.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_off_loopback_without_a_read_token_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let toml =
        api_config("address = \"0.0.0.0:0\"").replace("{dir}", &dir.path().display().to_string());
    let config = logscrub_forward::Config::from_toml(&toml).unwrap();
    let msg = format!("{:#}", logscrub_forward::validate(&config).unwrap_err());
    assert!(msg.contains("api.read_token"), "{msg}");
    let err = tokio::time::timeout(
        std::time::Duration::from_secs(30),
        logscrub_forward::run(config, std::future::pending()),
    )
    .await
    .expect("run refuses at start-up")
    .unwrap_err();
    assert!(format!("{err:#}").contains("api.read_token"), "{err:#}");

    // An empty token is no token.
    let toml = api_config("address = \"0.0.0.0:0\"\nread_token = \"\"")
        .replace("{dir}", &dir.path().display().to_string());
    let config = logscrub_forward::Config::from_toml(&toml).unwrap();
    assert!(logscrub_forward::validate(&config).is_err());
    // A token given twice is refused too.
    let toml = api_config(&format!(
        "read_token = \"a\"\nread_token_file = \"{}\"",
        dir.path().join("t").display()
    ))
    .replace("{dir}", &dir.path().display().to_string());
    let config = logscrub_forward::Config::from_toml(&toml).unwrap();
    assert!(logscrub_forward::validate(&config).is_err());
}
