//! `socket` source: newline-delimited events over TCP or a Unix stream
//! socket, one task per connection, at most `max_connections` at once.
//! There is no acknowledgement on a raw socket: what a client wrote
//! before the forwarder stopped is delivered if it was read.

use std::sync::Arc;

use serde::Deserialize;
use tokio::sync::Semaphore;

use super::SourceCtx;
use crate::config::{byte_size, EventFormat};

/// Stream socket kinds.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SocketMode {
    /// TCP; `address` is `host:port`.
    Tcp,
    /// A Unix stream socket; `address` is a path.
    Unix,
}

/// `type = "socket"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SocketSourceConfig {
    /// TCP or Unix.
    pub mode: SocketMode,
    /// `host:port` or a socket path.
    pub address: String,
    /// How lines are read.
    #[serde(default)]
    pub format: EventFormat,
    /// Lines longer than this become a placeholder event.
    #[serde(
        default = "crate::config::default_max_line",
        deserialize_with = "byte_size"
    )]
    pub max_line_bytes: u64,
    /// Most connections served at once.
    #[serde(default = "default_max_connections")]
    pub max_connections: usize,
}

fn default_max_connections() -> usize {
    256
}

/// Binds the listener (so errors surface at start-up) and returns the
/// task that serves it.
pub async fn bind(
    ctx: SourceCtx,
    config: SocketSourceConfig,
) -> anyhow::Result<impl std::future::Future<Output = ()>> {
    enum Listener {
        Tcp(tokio::net::TcpListener),
        Unix(tokio::net::UnixListener, std::path::PathBuf),
    }
    let listener = match config.mode {
        SocketMode::Tcp => Listener::Tcp(
            tokio::net::TcpListener::bind(&config.address)
                .await
                .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.address))?,
        ),
        SocketMode::Unix => {
            let path = std::path::PathBuf::from(&config.address);
            // A socket file left by a previous run would make bind fail.
            if std::fs::symlink_metadata(&path).is_ok_and(|m| {
                use std::os::unix::fs::FileTypeExt;
                m.file_type().is_socket()
            }) {
                let _ = std::fs::remove_file(&path);
            }
            Listener::Unix(
                tokio::net::UnixListener::bind(&path)
                    .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", path.display()))?,
                path,
            )
        }
    };
    Ok(async move {
        let limit = Arc::new(Semaphore::new(config.max_connections.max(1)));
        let shutdown = ctx.shutdown.clone();
        let mut tasks = tokio::task::JoinSet::new();
        loop {
            let permit = tokio::select! {
                p = limit.clone().acquire_owned() => p.expect("never closed"),
                () = shutdown.stopped() => break,
            };
            let conn: Box<dyn tokio::io::AsyncRead + Unpin + Send> = tokio::select! {
                c = async {
                    match &listener {
                        Listener::Tcp(l) => l.accept().await.map(|(s, _)| Box::new(s) as Box<dyn tokio::io::AsyncRead + Unpin + Send>),
                        Listener::Unix(l, _) => l.accept().await.map(|(s, _)| Box::new(s) as Box<dyn tokio::io::AsyncRead + Unpin + Send>),
                    }
                } => match c {
                    Ok(c) => c,
                    Err(e) => {
                        tracing::warn!(source = %ctx.name, error = %e, "accept failed");
                        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                        continue;
                    }
                },
                () = shutdown.stopped() => break,
            };
            let (ctx, format, max) = (ctx.clone(), config.format, config.max_line_bytes as usize);
            tasks.spawn(async move {
                super::stdin::read_stream(ctx, conn, format, max).await;
                drop(permit);
            });
        }
        while tasks.join_next().await.is_some() {}
        if let Listener::Unix(_, path) = &listener {
            let _ = std::fs::remove_file(path);
        }
    })
}
