//! Helpers shared by the integration tests.

use std::path::Path;
use std::time::{Duration, Instant};

use logscrub_forward::{Config, Handle};
use tokio::sync::oneshot;

/// A forwarder running in this process.
pub struct Running {
    pub handle: Handle,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl Running {
    /// Starts the forwarder on `toml` (after `{dir}` is replaced by `dir`).
    pub async fn start(toml: &str, dir: &Path) -> Running {
        let toml = toml.replace("{dir}", &dir.display().to_string());
        let config = Config::from_toml(&toml).unwrap_or_else(|e| panic!("{e}\n{toml}"));
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let (started_tx, started_rx) = oneshot::channel();
        let task = tokio::spawn(logscrub_forward::run_with(
            config,
            async move {
                let _ = stop_rx.await;
            },
            move |h| {
                let _ = started_tx.send(h);
            },
        ));
        let handle = match started_rx.await {
            Ok(h) => h,
            Err(_) => panic!("forwarder did not start: {:?}", task.await),
        };
        Running {
            handle,
            stop: Some(stop_tx),
            task,
        }
    }

    /// Graceful stop: drain and save checkpoints.
    pub async fn stop(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        self.task.await.unwrap().unwrap();
    }

    /// A counter summed over components of `role` named `name`.
    pub fn counter(
        &self,
        name: &str,
        f: impl Fn(&logscrub_forward::metrics::Component) -> u64,
    ) -> u64 {
        self.handle
            .metrics
            .components()
            .iter()
            .filter(|c| c.name == name)
            .map(|c| f(c))
            .sum()
    }
}

/// Appends `lines` to the file at `path` (created if missing), one write.
pub fn append(path: &Path, lines: impl IntoIterator<Item = String>) {
    use std::io::Write as _;
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap();
    let mut buf = String::new();
    for l in lines {
        buf.push_str(&l);
        buf.push('\n');
    }
    f.write_all(buf.as_bytes()).unwrap();
}

/// Polls `f` until it is true or `secs` pass.
pub async fn eventually(secs: u64, what: &str, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        if start.elapsed() > Duration::from_secs(secs) {
            panic!("timed out waiting for: {what}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Complete lines of an NDJSON file (missing: none), parsed. A last line
/// without its newline is one the sink is still writing: a reader that
/// polls the file while the forwarder runs sees it on its next look.
pub fn read_ndjson(path: &Path) -> Vec<serde_json::Value> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    text.split_inclusive('\n')
        .filter(|l| l.ends_with('\n'))
        .map(str::trim_end)
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// A fake card number that passes Luhn (test data, never a real card).
pub fn card(i: u64) -> String {
    let base = format!("4111{:011}", i % 100_000_000_000);
    let digits: Vec<u32> = base.chars().map(|c| c.to_digit(10).unwrap()).collect();
    let mut sum = 0;
    for (k, d) in digits.iter().rev().enumerate() {
        let mut v = *d;
        if k % 2 == 0 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    format!("{base}{}", (10 - sum % 10) % 10)
}
