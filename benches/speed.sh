#!/usr/bin/env bash
# `logscrub redact` throughput on the corpora of issue 12, with ripgrep
# (../shared/bench/rg-17-patterns.txt) timed on the same files in the same
# run, so the ratio holds on a shared, noisy machine. Best of RUNS; CPU
# time (user + system) of the whole process, start-up included.
#
#   bash benches/speed.sh [RUNS] [DIR]
#
# LOGSCRUB_BIN=path times another build (an older commit's) instead of
# building this one.
# Corpora (made once in DIR, default target/speed):
#   loghub   the eight Loghub systems of ../shared/realworld/loghub,
#            concatenated and repeated to >= 100 MB
#   service  scripts/servicelogs.py bench-corpus, 100 MB, 2% planted values
#            (JSON, logfmt and text shaped like production logs; written
#            apart from the rules)
#   dense    the same generator with 50% of lines carrying a value
#   corpus   scripts/corpus.py bench-corpus, 50 MB, 2% (the older corpus)
# The share of lines that reach verification comes from
# `logscrub rules bench` on the first 2 MB of each corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
dir="${2:-target/speed}"
mkdir -p "$dir"
command -v rg > /dev/null || { echo "ripgrep (rg) is needed: apt-get install ripgrep" >&2; exit 2; }
if [[ -n ${LOGSCRUB_BIN:-} ]]; then
    bin=$LOGSCRUB_BIN
else
    cargo build --release -q
    bin=target/release/logscrub
fi
patterns=../shared/bench/rg-17-patterns.txt

if [[ ! -s $dir/loghub.log ]]; then
    cat ../shared/realworld/loghub/*.log > "$dir/lh8.log"
    : > "$dir/loghub.log"
    while (( $(stat -c %s "$dir/loghub.log") < 100000000 )); do
        cat "$dir/lh8.log" >> "$dir/loghub.log"
    done
    rm "$dir/lh8.log"
fi
[[ -s $dir/service.log ]] || python3 scripts/servicelogs.py bench-corpus --out "$dir/service.log" --size-mb 100 > /dev/null
[[ -s $dir/dense.log ]] || python3 scripts/servicelogs.py bench-corpus --out "$dir/dense.log" --size-mb 50 --dirty 0.5 > /dev/null
[[ -s $dir/corpus.log ]] || python3 scripts/corpus.py bench-corpus --out "$dir/corpus.log" --size-mb 50 > /dev/null

cpu() { # best CPU seconds of $runs runs of "$@" (output discarded)
    local best=""
    for _ in $(seq "$runs"); do
        local t
        t=$( { /usr/bin/time -f "%U %S" "$@" > /dev/null; } 2>&1 | tail -1 | awk '{print $1 + $2}')
        if [[ -z $best ]] || awk "BEGIN { exit !($t < $best) }"; then best=$t; fi
    done
    echo "$best"
}
wall() { # best wall seconds of $runs runs
    local best=""
    for _ in $(seq "$runs"); do
        local t
        t=$( { /usr/bin/time -f "%e" "$@" > /dev/null; } 2>&1 | tail -1)
        if [[ -z $best ]] || awk "BEGIN { exit !($t < $best) }"; then best=$t; fi
    done
    echo "$best"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "start-up (empty input): $(cpu "$bin" redact --threads 1 /dev/null) s"
printf '%-8s %8s %10s %10s %10s %9s %10s %9s %9s\n' corpus MB "1 thread" "MB/s" "rg MB/s" "x rg" "2 threads" speedup "verified"
for c in loghub service dense corpus; do
    f="$dir/$c.log"
    mb=$(awk -v s="$(stat -c %s "$f")" 'BEGIN { printf "%.1f", s / 1e6 }')
    one=$(cpu "$bin" redact --threads 1 "$f")
    rg_t=$(cpu rg --count-matches --no-unicode -f "$patterns" "$f")
    one_wall=$(wall "$bin" redact --threads 1 "$f")
    two_wall=$(wall "$bin" redact --threads 2 "$f")
    head -c 2000000 "$f" > "$dir/sample.log"
    share=$("$bin" rules bench --sample "$dir/sample.log" --passes 1 --top 1 2>/dev/null \
        | sed -n 's/.*the gate lets \([0-9]*\) of \([0-9]*\) lines.*/\1 \2/p' \
        | awk '{ printf "%.0f%%", 100 * $1 / $2 }')
    awk -v c="$c" -v mb="$mb" -v one="$one" -v rg="$rg_t" -v w1="$one_wall" -v w2="$two_wall" -v sh="$share" 'BEGIN {
        printf "%-8s %8s %9.2fs %10.1f %10.1f %9.2f %9.2fs %8.2fx %9s\n",
            c, mb, one, mb / one, mb / rg, rg / one, w2, w1 / w2, sh }'
done
