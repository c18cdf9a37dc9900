//! Helpers the test modules share.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The `logscrub` binary under test.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_logscrub"))
}

/// An empty folder of its own for test `name` (names are unique across the
/// test modules).
pub fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("logscrub-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Appends lines `from..to`, each made by `line` (with its newline added),
/// in one write.
pub fn append_lines(path: &Path, from: u64, to: u64, line: impl Fn(u64) -> String) {
    let mut s = String::new();
    for i in from..to {
        s.push_str(&line(i));
        s.push('\n');
    }
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap()
        .write_all(s.as_bytes())
        .unwrap();
}

/// Sends SIGTERM once `child` handles it. The forwarder installs its
/// handler first thing, but a signal sent in the instant after spawn, before
/// that, meets the default action and kills it (Linux: read from
/// `/proc/PID/status`).
pub fn terminate(child: &std::process::Child) {
    let status = format!("/proc/{}/status", child.id());
    let start = std::time::Instant::now();
    loop {
        let text = std::fs::read_to_string(&status).unwrap_or_default();
        let field = |name: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(name))
                .map(str::trim)
                .unwrap_or("")
                .to_string()
        };
        let caught = u64::from_str_radix(&field("SigCgt:"), 16).unwrap_or(0);
        // SIGTERM is 15: bit 14. An exited process (a zombie) handles nothing.
        if caught & (1 << 14) != 0 || field("State:").starts_with('Z') || text.is_empty() {
            break;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(30),
            "SIGTERM never handled"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
}
