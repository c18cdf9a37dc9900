//! TLS in transit: the client side of the sinks (an extra CA bundle, a
//! client certificate for mTLS) and the server side of the `http` source
//! and the `[api]` endpoint (HTTPS, HSTS on every response, certificates
//! that follow their files).
//!
//! Both sides use rustls with the *ring* provider, chosen explicitly (not
//! the process default), so another crate enabling a second provider can
//! never make a server or client fail to build.
//!
//! **Reloading, and its trade-off.** A server's certificate and key files
//! are looked at (two `stat`s) each time a connection is accepted, not on a
//! timer: a server nobody connects to has no use for a new certificate, and
//! an accepted connection costs no more than those two `stat`s unless the
//! files changed. The cost is that the first connection after a change
//! waits for the files to be read and parsed, once. A change that does not
//! load (a key written before its certificate, a half-written file, a
//! mismatched pair) keeps the previous certificate and logs one warning
//! for that change; the next change is tried again. Connections already
//! open keep the certificate they were made with.

use std::convert::Infallible;
use std::os::unix::fs::MetadataExt as _;
use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime};

use anyhow::{anyhow, bail, Context as _};
use base64::Engine as _;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;

use crate::config::{TlsClientConfig, TlsServerConfig};

/// The `Strict-Transport-Security` value of every HTTPS response: a year,
/// subdomains included.
pub const HSTS: &str = "max-age=31536000; includeSubDomains";

/// The longest a client may take over its TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn read_file(path: &Path, key: &str) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| anyhow!("cannot read {key} {}: {e}", path.display()))
}

/// The certificates of a PEM file (at least one).
fn read_certs(path: &Path, key: &str) -> anyhow::Result<Vec<CertificateDer<'static>>> {
    let pem = read_file(path, key)?;
    let certs = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow!("{key} {}: not a PEM file: {e}", path.display()))?;
    if certs.is_empty() {
        bail!("{key} {} holds no CERTIFICATE block", path.display());
    }
    Ok(certs)
}

/// The first private key of a PEM file (PKCS#8, PKCS#1 or SEC1). Errors
/// never quote the file.
fn read_key(path: &Path, key: &str) -> anyhow::Result<PrivateKeyDer<'static>> {
    let pem = read_file(path, key)?;
    PrivateKeyDer::from_pem_slice(&pem).map_err(|e| match e {
        rustls::pki_types::pem::Error::NoItemsFound => anyhow!(
            "{key} {} holds no private key (PKCS#8, PKCS#1 or SEC1 PEM)",
            path.display()
        ),
        e => anyhow!("{key} {}: not a PEM key file: {e}", path.display()),
    })
}

/// A certificate chain and its key, checked to belong together.
fn load_pair(
    cert_file: &Path,
    key_file: &Path,
    provider: &CryptoProvider,
) -> anyhow::Result<CertifiedKey> {
    let certs = read_certs(cert_file, "tls.cert_file")?;
    let key = read_key(key_file, "tls.key_file")?;
    pair(certs, key, cert_file, key_file, provider)
}

/// Checks that `key` belongs to the first certificate of `certs` (read
/// from the files named, for the message).
fn pair(
    certs: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
    cert_file: &Path,
    key_file: &Path,
    provider: &CryptoProvider,
) -> anyhow::Result<CertifiedKey> {
    CertifiedKey::from_der(certs, key, provider).map_err(|e| {
        anyhow!(
            "tls.cert_file {} and tls.key_file {} do not make a usable pair: {e}",
            cert_file.display(),
            key_file.display()
        )
    })
}

// ---- client side (sinks) ----

/// Adds `tls` to a sink's client: the CA bundle is trusted besides the
/// built-in (webpki) roots, and the certificate and key are presented
/// when the destination asks for a client certificate.
pub fn client(
    mut b: reqwest::ClientBuilder,
    tls: &TlsClientConfig,
) -> anyhow::Result<reqwest::ClientBuilder> {
    b = b.use_rustls_tls();
    if let Some(path) = &tls.ca_file {
        for c in read_certs(path, "tls.ca_file")? {
            let c = reqwest::Certificate::from_der(c.as_ref())
                .map_err(|e| anyhow!("tls.ca_file {}: {e}", path.display()))?;
            b = b.add_root_certificate(c);
        }
    }
    match (&tls.cert_file, &tls.key_file) {
        (None, None) => {}
        (Some(cert_file), Some(key_file)) => {
            let certs = read_certs(cert_file, "tls.cert_file")?;
            let key = read_key(key_file, "tls.key_file")?;
            let pem = identity_pem(&certs, &key);
            // Checked as a pair here: reqwest would only find a mismatch
            // at the first handshake.
            pair(certs, key, cert_file, key_file, &provider())?;
            let identity = reqwest::Identity::from_pem(&pem)
                .map_err(|e| anyhow!("tls.cert_file / tls.key_file: {e}"))?;
            b = b.identity(identity);
        }
        _ => {
            bail!("tls.cert_file and tls.key_file go together (the client certificate and its key)")
        }
    }
    Ok(b)
}

/// The chain and key as one PEM text, as `reqwest::Identity` wants it,
/// with only the blocks it understands (an `EC PARAMETERS` block, which
/// OpenSSL writes, would make it fail).
fn identity_pem(certs: &[CertificateDer<'_>], key: &PrivateKeyDer<'_>) -> Vec<u8> {
    fn block(out: &mut Vec<u8>, label: &str, der: &[u8]) {
        let b64 = base64::engine::general_purpose::STANDARD.encode(der);
        out.extend_from_slice(format!("-----BEGIN {label}-----\n").as_bytes());
        for line in b64.as_bytes().chunks(64) {
            out.extend_from_slice(line);
            out.push(b'\n');
        }
        out.extend_from_slice(format!("-----END {label}-----\n").as_bytes());
    }
    let mut out = Vec::new();
    for c in certs {
        block(&mut out, "CERTIFICATE", c.as_ref());
    }
    let label = match key {
        PrivateKeyDer::Pkcs1(_) => "RSA PRIVATE KEY",
        PrivateKeyDer::Sec1(_) => "EC PRIVATE KEY",
        _ => "PRIVATE KEY",
    };
    block(&mut out, label, key.secret_der());
    out
}

// ---- server side (http source, api) ----

/// What identifies a version of a file: a rename onto it changes the
/// inode, a rewrite in place the time or length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileStamp {
    modified: Option<SystemTime>,
    len: u64,
    dev: u64,
    ino: u64,
}

impl FileStamp {
    fn of(path: &Path) -> Option<FileStamp> {
        let m = std::fs::metadata(path).ok()?;
        Some(FileStamp {
            modified: m.modified().ok(),
            len: m.len(),
            dev: m.dev(),
            ino: m.ino(),
        })
    }
}

type Stamp = (Option<FileStamp>, Option<FileStamp>);

/// The server's certificate, swapped when its files change.
struct ReloadingCert {
    config: TlsServerConfig,
    provider: Arc<CryptoProvider>,
    current: RwLock<Arc<CertifiedKey>>,
    /// The files as last loaded (or last tried).
    seen: Mutex<Stamp>,
}

impl std::fmt::Debug for ReloadingCert {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReloadingCert")
            .field("cert_file", &self.config.cert_file)
            .field("key_file", &self.config.key_file)
            .finish_non_exhaustive()
    }
}

fn stamp(config: &TlsServerConfig) -> Stamp {
    (
        FileStamp::of(&config.cert_file),
        FileStamp::of(&config.key_file),
    )
}

impl ReloadingCert {
    /// Loads the files again if they changed since last looked at.
    fn refresh(&self) {
        // Stamped before reading: a change made while reading is seen next
        // time.
        let now = stamp(&self.config);
        let mut seen = self.seen.lock().expect("tls stamp lock");
        if *seen == now {
            return;
        }
        *seen = now;
        match load_pair(
            &self.config.cert_file,
            &self.config.key_file,
            &self.provider,
        ) {
            Ok(pair) => {
                *self.current.write().expect("tls cert lock") = Arc::new(pair);
                tracing::info!(
                    cert_file = %self.config.cert_file.display(),
                    "certificate reloaded; new connections use it"
                );
            }
            Err(e) => tracing::warn!(
                error = %format!("{e:#}"),
                "certificate files changed but do not load; keeping the previous certificate"
            ),
        }
    }
}

impl ResolvesServerCert for ReloadingCert {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(self.current.read().expect("tls cert lock").clone())
    }
}

/// A server certificate that follows its files (see the module docs).
#[derive(Clone)]
pub struct ServerTls {
    acceptor: tokio_rustls::TlsAcceptor,
    cert: Arc<ReloadingCert>,
}

impl std::fmt::Debug for ServerTls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerTls")
            .field("cert", &self.cert)
            .finish_non_exhaustive()
    }
}

impl ServerTls {
    /// Loads the certificate and key (errors name the file and the key).
    pub fn load(config: &TlsServerConfig) -> anyhow::Result<ServerTls> {
        let provider = provider();
        // Stamped before reading, as in `refresh`.
        let seen = stamp(config);
        let pair = load_pair(&config.cert_file, &config.key_file, &provider)?;
        let cert = Arc::new(ReloadingCert {
            config: config.clone(),
            provider: provider.clone(),
            current: RwLock::new(Arc::new(pair)),
            seen: Mutex::new(seen),
        });
        let mut sc = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .context("TLS protocol versions")?
            .with_no_client_auth()
            .with_cert_resolver(cert.clone());
        sc.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Ok(ServerTls {
            acceptor: tokio_rustls::TlsAcceptor::from(Arc::new(sc)),
            cert,
        })
    }

    /// Reads the files again now if they changed (servers do it on each
    /// new connection).
    pub fn refresh(&self) {
        self.cert.refresh();
    }
}

/// Serves `app` over TLS on `listener` until `shutdown`: every response
/// carries [`HSTS`], and the certificate is refreshed on each accepted
/// connection. On shutdown it stops accepting, lets requests in flight
/// finish, closes idle connections and returns once every connection is
/// gone.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    tls: ServerTls,
    shutdown: crate::shutdown::Signal,
) {
    let mut conns = tokio::task::JoinSet::new();
    let stop = shutdown.stopped();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => break,
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
            accepted = listener.accept() => match accepted {
                Ok((tcp, _peer)) => {
                    tls.refresh();
                    conns.spawn(connection(
                        tcp,
                        tls.acceptor.clone(),
                        app.clone(),
                        shutdown.clone(),
                    ));
                }
                Err(e) => {
                    // Out of file descriptors and the like: wait, not spin.
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
    }
    drop(listener);
    while conns.join_next().await.is_some() {}
}

async fn connection(
    tcp: tokio::net::TcpStream,
    acceptor: tokio_rustls::TlsAcceptor,
    app: axum::Router,
    shutdown: crate::shutdown::Signal,
) {
    let stream = match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
        Ok(Ok(s)) => s,
        // Scanners and clients that do not trust the certificate end here
        // all the time: not worth more than a debug line.
        Ok(Err(e)) => {
            tracing::debug!(error = %e, "TLS handshake failed");
            return;
        }
        Err(_) => {
            tracing::debug!("TLS handshake timed out");
            return;
        }
    };
    let svc = hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
        let mut app = app.clone();
        async move {
            let mut resp = tower_service::Service::call(&mut app, req).await?;
            resp.headers_mut().insert(
                axum::http::header::STRICT_TRANSPORT_SECURITY,
                axum::http::HeaderValue::from_static(HSTS),
            );
            Ok::<_, Infallible>(resp)
        }
    });
    let builder =
        hyper_util::server::conn::auto::Builder::new(hyper_util::rt::TokioExecutor::new());
    let conn = builder.serve_connection(hyper_util::rt::TokioIo::new(stream), svc);
    tokio::pin!(conn);
    let stop = shutdown.stopped();
    tokio::pin!(stop);
    let mut stopping = false;
    loop {
        tokio::select! {
            res = conn.as_mut() => {
                if let Err(e) = res {
                    tracing::debug!(error = %e, "HTTPS connection ended with an error");
                }
                return;
            }
            () = &mut stop, if !stopping => {
                stopping = true;
                conn.as_mut().graceful_shutdown();
            }
        }
    }
}
