#!/usr/bin/env bash
# Runs every fuzz target in fuzz/ for a short time (default 30 s each;
# `bash scripts/fuzz.sh 600` for a longer hunt), starting from the
# committed corpus (fuzz/corpus/<target>, read only: what a run finds goes
# to a scratch folder). A crash stops the script, prints the input's path
# and leaves it under fuzz/artifacts/<target>/: turn it into a regression
# test and fix the code. To fold what a long run found into the committed
# corpus: cargo +nightly fuzz cmin <target>.
# Needs the nightly toolchain (libFuzzer's instrumentation) and cargo-fuzz,
# which is installed from crates.io when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-30}"
if ! cargo +nightly --version >/dev/null 2>&1; then
    rustup toolchain install nightly --profile minimal >/dev/null 2>&1 || true
fi
if ! cargo +nightly --version >/dev/null 2>&1; then
    # Exit 2: the machine cannot fuzz (test.sh says so and goes on); 1 is
    # kept for a crash.
    echo "fuzz: needs the nightly toolchain, which rustup could not install here" >&2
    exit 2
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi
# No sanitizer: the code is safe Rust, so what is hunted is panics
# (overflow checks and debug assertions are on), and runs are faster.
cargo +nightly fuzz build -s none
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
for t in $(cargo +nightly fuzz list); do
    mkdir -p "fuzz/corpus/$t" "$scratch/$t"
    echo "fuzz: $t for ${secs} s"
    if ! cargo +nightly fuzz run -s none "$t" "$scratch/$t" "fuzz/corpus/$t" -- \
        -max_total_time="$secs" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 > "$scratch/$t.log" 2>&1; then
        tail -n 40 "$scratch/$t.log" >&2
        echo "fuzz: $t failed; the input is under fuzz/artifacts/$t/" >&2
        exit 1
    fi
    grep -E "^stat::(number_of_executed_units|peak_rss_mb)" "$scratch/$t.log" || true
done
