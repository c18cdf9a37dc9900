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
