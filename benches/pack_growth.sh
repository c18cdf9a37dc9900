#!/usr/bin/env bash
# The cost of the rules added since a baseline commit (default 692d79a, the
# pack of 105 rules before issue 3), with the same engine, on the same
# generated corpora, in one criterion run: each corpus is measured with the
# baseline pack (`.../baseline_pack`) and with the current default pack.
# Needs the git history (a full clone). Usage:
#   bash benches/pack_growth.sh [BASELINE_COMMIT] [CRITERION_FILTER]
set -euo pipefail
cd "$(dirname "$0")/.."
commit="${1:-692d79a}"
base="target/pack-baseline-$commit"
rm -rf "$base"
mkdir -p "$base"
for f in $(git ls-tree --name-only "$commit" rules/ | grep '\.toml$'); do
    git show "$commit:$f" > "$base/$(basename "$f")"
done
echo "baseline: $(grep -c '^\[\[\(rule\|field\)\]\]' "$base"/*.toml | awk -F: '{s+=$2} END {print s}') rules at $commit" >&2
LOGSCRUB_BENCH_BASELINE="$base" cargo bench --bench engine -- ${2:+"$2"}
