#!/usr/bin/env python3
"""Labelled corpus generator and detection-quality measurement for logscrub.

Usage
-----
  corpus.py generate --out DIR [--seed N] [--per-family N] [--clean N]
  corpus.py measure --bin target/release/logscrub [--dir DIR] [--json FILE] [--strict]
  corpus.py bench-corpus --out FILE [--size-mb 50] [--dirty 0.02] [--json-only]

measure's DIR defaults to <repo>/corpus (git-ignored). Everything comes from
a seeded PRNG, so a seed always gives the same bytes. Values are format-valid
(prefixes, lengths, Luhn, IBAN mod-97, SSN and NINO ranges, GitHub CRC32) but
fake: example domains, 555-01xx and Ofcom drama phone numbers, random bytes.
No real credential is, or may be, used.

Corpus and labels
-----------------
DIR/corpus.log holds one record per line, except PEM private keys in the
`multiline` context, whose record spans consecutive lines. DIR/labels.jsonl
holds one JSON object per record, in corpus order:

  line     1-based number of the record's first line in corpus.log
  lines    number of lines the record spans
  clean    true: the record holds nothing sensitive and must come out
           byte-identical
  family   what was planted (null for clean records)
  variant  sub-format, e.g. "amex/dash", "uk/mobile"
  context  how it was embedded: text, logfmt, json, json_escaped,
           json_in_json, urlencoded, header, access_log, multiline
           (for clean records: the line's log format)
  raw      the sensitive value as generated, before context encoding
  forms    the sensitive substrings exactly as they appear in the record
           (JSON-escaped, percent-encoded, ...): several for a PEM body

Only the sensitive part is labelled: the password of a URL with credentials,
the path of a Slack webhook URL, the AccountKey of an Azure connection string,
the sig of a SAS URL, the token after "Bearer"/"Basic", the base64 body of a
PEM block. The text around it
(key names, auth scheme, PEM armour, host names) is not sensitive.
Pattern families sit under neutral keys (note=, "detail":) so that only the
pattern can find them; keyword families (AWS secret key, undashed SSN,
generic password/secret/token, Authorization) carry their key.

Metrics (measure)
-----------------
recall         a planted record is found when none of its forms, nor its raw
               value, nor the raw value's last 8 characters (raw values of 12+
               characters) occurs in the record's output more often than in
               its input with the forms cut out. Keeping the last 4 (the
               partial operator) is allowed. Per family and per context.
partial        share of records counted as found in which a run of 8
               characters of a form still survives (e.g. a password cut
               short by a rule that stopped at "~"): found, but leaky.
clean changed  share of clean records whose output differs in any byte.
collateral     non-sensitive text lost in planted records: the output with
               every redaction marker ([REDACTED:...], [HASH:...]) cut out is
               aligned with the input with every form cut out; input
               characters outside the forms that the output does not keep are
               lost. Reported as mean bytes per record and as the share of
               records that lost any.
With --strict, exit 1 when a family's recall is < 99% or clean changed is
>= 0.5%. Exit 2 when the binary fails or changes the number of lines.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

# The generator and the measure live in scripts/corpuslib/, one module per
# concern (helpers, the value generators by rule family, the family table,
# contexts and clean lines, generate, measure, bench-corpus); the last one
# carries every name of the ones before it.
from corpuslib.bench import *  # noqa: F401,F403


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    fmt = {"formatter_class": argparse.ArgumentDefaultsHelpFormatter}
    g = sub.add_parser("generate", help="write DIR/corpus.log, DIR/labels.jsonl and DIR/meta.json", **fmt)
    g.add_argument("--out", required=True, help="output directory DIR")
    m = sub.add_parser("measure", help="run the binary over the corpus and score it", **fmt)
    m.add_argument("--bin", required=True, help="path to the logscrub binary")
    m.add_argument("--dir", default=str(DEFAULT_DIR), help="corpus directory (generated if missing)")
    for p, keep in ((g, ""), (m, " (measure: regenerate if the corpus was made with another value)")):
        p.add_argument("--seed", type=int, default=None if keep else DEFAULT_SEED, help="PRNG seed" + keep)
        p.add_argument("--per-family", type=int, default=None if keep else DEFAULT_PER_FAMILY,
                       help="planted records per family, spread over its contexts" + keep)
        p.add_argument("--clean", type=int, default=None if keep else DEFAULT_CLEAN, help="clean records" + keep)
    m.add_argument("--json", metavar="FILE", help="also write a machine-readable summary here")
    m.add_argument("--strict", action="store_true", help=f"exit 1 if a family's recall < {RECALL_MIN}%% "
                   f"or clean changed >= {CLEAN_CHANGED_MAX}%%")
    m.add_argument("--examples", type=int, default=12, help="example misses to show")
    b = sub.add_parser("bench-corpus", help="write a large mixed-format corpus for throughput benches", **fmt)
    b.add_argument("--out", required=True, help="output file")
    b.add_argument("--size-mb", type=float, default=50, help="size in MiB")
    b.add_argument("--dirty", type=float, default=0.02, help="share of records that carry sensitive data")
    b.add_argument("--json-only", action="store_true", help="JSON events only (planted in JSON contexts)")
    b.add_argument("--seed", type=int, default=DEFAULT_SEED, help="PRNG seed")
    args = ap.parse_args(argv)
    if args.cmd == "generate":
        return write_corpus(Path(args.out), args.seed, args.per_family, args.clean) or 0
    return {"measure": cmd_measure, "bench-corpus": cmd_bench}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())

