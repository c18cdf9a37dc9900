#!/usr/bin/env bash
# The whole test suite: what CI runs (via .ci/run) and what a developer runs.
# Installs nothing for now: the engine and the `redact` command need only the
# Rust toolchain. Later issues (forwarder sinks) add their services here.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "format"
cargo fmt --all -- --check

step "clippy"
cargo clippy --workspace --all-targets -- -D warnings

step "docs"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet

step "tests (unit, integration, property, doc)"
cargo test --workspace

step "rule examples: logscrub rules test"
./target/debug/logscrub rules test

step "rule lint: logscrub rules lint"
./target/debug/logscrub rules lint

step "detection quality on the generated labelled corpus"
corpus_dir="$(mktemp -d)"
trap 'rm -rf "$corpus_dir"' EXIT
python3 scripts/corpus.py measure --bin ./target/debug/logscrub --dir "$corpus_dir" --strict

step "main job on the sample log"
./target/debug/logscrub redact --stats examples/sample.log > /dev/null

echo
echo "all checks passed"
