#!/usr/bin/env bash
# Score logscrub on third-party test suites: gitleaks' rule samples and
# Presidio's recognizer tests (see ../shared/external/README.md).
#
#   GITLEAKS_MIRROR=/path/gitleaks.git PRESIDIO_MIRROR=/path/presidio.git \
#       bash scripts/external.sh [BINARY]          # BINARY: target/release/logscrub
#
# Mirrors: any bare clone of the two repositories, e.g.
#   git clone --bare https://github.com/gitleaks/gitleaks  gitleaks.git
#   git clone --bare https://github.com/microsoft/presidio presidio.git
# (or a mirror directory another tool already holds; no work tree is needed).
#
# The extracted cases are full of secret-shaped strings: this script writes
# them only to a temporary directory outside the checkout (mktemp -d, removed
# on exit) and never into the repository. Only the scorer's summaries are
# printed. Optional environment:
#   EXTERNAL_JSON_DIR=DIR   also write the scorer's --json results (counts only,
#                           no sample text) there: gitleaks.json, presidio.json,
#                           presidio-core.json
#   EXTERNAL_DIR=DIR        where the shared extractors/scorer live
#                           (default: ../shared/external next to the checkout)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${1:-$root/target/release/logscrub}
ext=${EXTERNAL_DIR:-$root/../shared/external}
: "${GITLEAKS_MIRROR:?set GITLEAKS_MIRROR to a bare git dir of gitleaks/gitleaks}"
: "${PRESIDIO_MIRROR:?set PRESIDIO_MIRROR to a bare git dir of microsoft/presidio}"
[[ -x $bin ]] || { echo "no executable logscrub binary at $bin" >&2; exit 2; }
[[ -f $ext/score_external.py ]] || { echo "no scorer in $ext (set EXTERNAL_DIR)" >&2; exit 2; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")

# Core Presidio families of the detection targets (recognizer names as in
# presidio_cases.jsonl).
core='presidio:(email|credit_card|iban|ip|phone|us_ssn|uk_nhs|uk_nino|mac|crypto)$'

tmp=$(mktemp -d "${TMPDIR:-/tmp}/logscrub-external.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
case "$tmp/" in "$root"/*) echo "temp dir $tmp is inside the checkout" >&2; exit 2 ;; esac

json() {  # json NAME -> scorer arguments writing EXTERNAL_JSON_DIR/NAME.json
  if [[ -n ${EXTERNAL_JSON_DIR:-} ]]; then
    mkdir -p "$EXTERNAL_JSON_DIR"
    printf -- '--json\n%s\n' "$EXTERNAL_JSON_DIR/$1.json"
  fi
}

python3 "$ext/extract_gitleaks.py" "$GITLEAKS_MIRROR" "$tmp" >/dev/null
python3 "$ext/extract_presidio.py" "$PRESIDIO_MIRROR" "$tmp" >/dev/null

score() {  # score TITLE NAME CASES [scorer options...]
  local title=$1 name=$2 cases=$3
  shift 3
  local extra=()
  mapfile -t extra < <(json "$name")
  echo "== $title"
  TMPDIR=$tmp python3 "$ext/score_external.py" --cases "$cases" --cmd "'$bin' redact" \
    "${extra[@]}" "$@"
  echo
}

# Whole suites: summary lines only (--rows 0); core families: one row each.
score 'gitleaks (all rules)' gitleaks "$tmp/gitleaks_cases.jsonl" --rows 0
score 'Presidio (all recognizers but date and url)' presidio "$tmp/presidio_cases.jsonl" \
  --exclude-families 'presidio:(date|url)$' --rows 0
score 'Presidio core families' presidio-core "$tmp/presidio_cases.jsonl" --families "$core"
