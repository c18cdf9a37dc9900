#!/usr/bin/env python3
"""Detection quality on real logs: annotated Loghub samples.

Usage
-----
  realworld.py measure --bin PATH [--logs DIR] [--annotations DIR]
                       [--json FILE] [--classes LIST] [--details FILE]
                       [--min-recall PCT] [--max-clean-changed PCT]
  realworld.py annotate --logs DIR --out DIR [--check]

The logs are not in this repository (their licence, see
../shared/realworld/README.md): `--logs` defaults to
<repo>/../shared/realworld/loghub. The annotations are:
scripts/realworld/annotations/ (the eight shared systems, the default) and
scripts/realworld/heldout/ (eight other Loghub systems, kept aside; fetch
them from https://github.com/logpai/loghub into a directory outside the
checkout and pass it with --logs). What counts as personal data or a secret,
and how a span is delimited: scripts/realworld/POLICY.md.

  # the held-out logs, from a bare clone (or the fetch tool's mirror) of loghub
  for s in HPC OpenSSH OpenStack Proxifier Spark Thunderbird Windows Zookeeper; do
      git --git-dir=LOGHUB.git show HEAD:$s/${s}_2k.log > /work/heldout/loghub/${s}_2k.log
  done
  python3 scripts/realworld.py measure --bin target/release/logscrub \
      --logs /work/heldout/loghub --annotations scripts/realworld/heldout

Annotation files
----------------
One <Log>.jsonl per log file. First line, a header:
  {"file": "HDFS_2k.log", "sha256": "<hex of the whole file>", "lines": 2000}
then one object per line that holds at least one annotated span:
  {"line": 17, "spans": [[start, end, "class"], ...], "text": ["value", ...]}
line is 1-based; start/end are byte offsets into the line (without its line
terminator); text[i] is the bytes of span i (a check that the log is the one
annotated). Lines not listed hold nothing to redact ("clean lines").

Measure
-------
For every annotation file: the log's sha256 is checked (exit 2 when it
differs), `BIN redact LOG` runs, and its output must have as many lines
(exit 2 otherwise). Then, per line:

  span leaked   its value still occurs in the output line more often than in
                the input line with the annotated spans cut out (verbatim), or,
                for values of 12 characters or more, a run of 8 consecutive
                characters of it occurs in the output line and does not occur
                in the input line with the annotated spans cut out (partial).
                The same rule as ../shared/external/score_external.py.
  redacted %    spans not leaked / spans.
  clean changed a clean line whose output differs in any byte; "eol" when
                only the line terminator changed (e.g. a dropped CR).
  collateral    an annotated line that lost text outside its spans: the
                output with every marker ([REDACTED:...], [HASH:...]) cut out
                must keep, in order, every input byte outside the spans
                (difflib alignment); reported as lines and bytes lost.

Exit status: 0, or 1 when overall redacted % < --min-recall or overall clean
changed % > --max-clean-changed (both in percent, e.g. 100 and 0.1), or 2
when the binary fails, a log is missing or differs, or a line count differs.
--json writes counts only, no log text: per system and per class (spans,
redacted, leaked exact/partial, redacted %), clean lines changed and the marker
kinds that changed them. --classes ip,user,... counts only spans of those
classes: a line whose spans are all of other classes is then neither annotated
nor clean (other-class spans are still cut out of a line before its leak and
collateral checks); the clean lines, and so clean changed, are the same
whatever the filter. --details writes every leak, change and collateral line
with its text, so it must be outside any git checkout.

Annotate (helper; not used by measure)
--------------------------------------
`annotate` re-derives the annotations from the policy: generic detectors
(addresses, e-mails, MACs, user names in authentication, session, cron and
mail lines and keyed fields, home-directory and Hadoop per-user components,
client host names, labelled account numbers) plus a list of reviewed
exceptions (EXCLUDE, empty at present). It was written to produce
the files and kept so that a policy change can be re-applied and reviewed;
`--check` compares its result with the stored files. The stored files, not
this code, are the reference.
"""
from __future__ import annotations

import argparse
import collections
import difflib
import hashlib
import ipaddress
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_LOGS = REPO.parent / "shared" / "realworld" / "loghub"
DEFAULT_ANN = REPO / "scripts" / "realworld" / "annotations"
WINDOW = 8
SHORT_LEN = 12
MARKER = re.compile(r"\[(?:REDACTED|HASH)(?::[^\]\s]*)?\]|%5B(?:REDACTED|HASH)%3A.*?%5D")


def split_lines(data: bytes) -> list[bytes]:
    """Lines without their LF (a CR stays part of the line); a final LF does
    not start an empty line."""
    parts = data.split(b"\n")
    if parts and parts[-1] == b"":
        parts.pop()
    return parts


def eol_split(line: bytes) -> tuple[bytes, bytes]:
    return (line[:-1], b"\r") if line.endswith(b"\r") else (line, b"")


def dec(b: bytes) -> str:
    return b.decode("utf-8", "surrogateescape")


# ======================================================================
# measure
# ======================================================================


def windows(s: str) -> set[str]:
    return {s[i:i + WINDOW] for i in range(len(s) - WINDOW + 1)}


def cut_spans(line: bytes, spans: list) -> tuple[str, str]:
    """(input with each span replaced by NUL, input with the spans removed)."""
    holed, removed, pos = [], [], 0
    for s, e, _ in sorted(spans):
        holed += [dec(line[pos:s]), "\0"]
        removed.append(dec(line[pos:s]))
        pos = max(pos, e)
    holed.append(dec(line[pos:]))
    removed.append(dec(line[pos:]))
    return "".join(holed), "".join(removed)


def lost_bytes(rest: str, out: str) -> int:
    """Input characters outside the spans that the marker-less output does
    not keep, in order."""
    stripped = MARKER.sub("", out)
    if stripped == rest:
        return 0
    sm = difflib.SequenceMatcher(None, rest, stripped, autojunk=False)
    return len(rest) - sum(b.size for b in sm.get_matching_blocks())


def markers(out: str) -> list[str]:
    return sorted(set(MARKER.findall(out)))


def snippet(text: str, probe: str | None = None, width: int = 160) -> str:
    text = text.replace("\r", "\\r")
    if probe is None:
        return text[:width] + ("…" if len(text) > width else "")
    i = text.find(probe)
    if i < 0:
        return text[:width] + ("…" if len(text) > width else "")
    start = max(0, i - width // 3)
    s = text[start:start + width]
    return ("…" if start else "") + s + ("…" if start + width < len(text) else "")


def first_diff(a: str, b: str, width: int = 100) -> str:
    """The output around its first difference from the input."""
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    start = max(0, i - 30)
    return ("…" if start else "") + b[start:start + width].replace("\r", "\\r")


def load_annotations(path: Path) -> tuple[dict, dict]:
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(l) for l in f if l.strip()]
    if not rows or "sha256" not in rows[0]:
        raise SystemExit(f"{path}: the first line must be the header object")
    header, lines = rows[0], {}
    for r in rows[1:]:
        lines[r["line"]] = r
    return header, lines


def new_tally() -> dict:
    return {"lines": 0, "annotated_lines": 0, "spans": 0, "redacted": 0, "leaked_exact": 0,
            "leaked_partial": 0, "clean_lines": 0, "clean_changed": 0, "clean_changed_eol": 0,
            "collateral_lines": 0, "collateral_bytes": 0, "seconds": 0.0,
            "classes": collections.defaultdict(lambda: {"spans": 0, "redacted": 0, "leaked_exact": 0,
                                                         "leaked_partial": 0}),
            "clean_changed_markers": collections.Counter()}


def marker_kind(m: str) -> str:
    """A marker's kind and rule, without what follows (a hash, the last digits
    of a card number): "[REDACTED:pan-visa:…9629]" -> "REDACTED:pan-visa"."""
    return ":".join(m.strip("[]").split(":")[:2])


def pct(a: float, b: float) -> float | None:
    return 100.0 * a / b if b else None


def measure_file(binary: str, log: Path, header: dict, ann: dict, details: dict, name: str,
                 only: set | None = None) -> dict:
    """Score one log. only: the classes to count (None: all). Spans of other
    classes are still cut out of their lines (they are not clean text), but
    are not counted; a line whose spans are all of other classes counts
    neither as annotated nor as clean."""
    data = log.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != header["sha256"]:
        raise RuntimeError(f"{log}: sha256 {digest} differs from the annotated {header['sha256']} "
                           f"(not the log that was annotated)")
    inp = split_lines(data)
    if len(inp) != header["lines"]:
        raise RuntimeError(f"{log}: {len(inp)} lines, annotated {header['lines']}")
    t0 = time.monotonic()
    try:
        proc = subprocess.run([binary, "redact", str(log)], capture_output=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise RuntimeError(f"cannot run {binary}: {e}")
    secs = time.monotonic() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{binary} redact {log} exited with {proc.returncode}: "
                           f"{proc.stderr.decode(errors='replace')[-1500:]}")
    out = split_lines(proc.stdout)
    if len(out) != len(inp):
        raise RuntimeError(f"{log}: {len(inp)} input lines, {len(out)} output lines")
    t = new_tally()
    t["lines"], t["seconds"] = len(inp), secs
    for n, (lb, ob) in enumerate(zip(inp, out), 1):
        o = dec(ob)
        a = ann.get(n)
        if a is None:
            t["clean_lines"] += 1
            if ob != lb:
                t["clean_changed"] += 1
                eol = eol_split(lb)[0] == eol_split(ob)[0]
                t["clean_changed_eol"] += eol
                for m in markers(o) or ["(no marker)"]:
                    t["clean_changed_markers"][marker_kind(m)] += 1
                details["clean_changed"].append({"system": name, "line": n, "eol_only": eol,
                                                 "markers": markers(o), "input": dec(lb), "output": o})
            continue
        spans = [tuple(s) for s in a["spans"]]
        for (s, e, _), txt in zip(spans, a["text"]):
            if dec(lb[s:e]) != txt:
                raise RuntimeError(f"{log}:{n}: bytes {s}-{e} are not {txt!r}")
        if only is not None and not any(c in only for _, _, c in spans):
            continue
        t["annotated_lines"] += 1
        holed = cut_spans(lb, spans)[0]
        rest_w = windows(holed)
        out_body = dec(eol_split(ob)[0])
        by_value = collections.defaultdict(list)
        for (s, e, cls), txt in zip(spans, a["text"]):
            by_value[txt].append(cls)
        for v, classes in by_value.items():
            extra = o.count(v) - holed.count(v)
            n_exact = max(0, min(len(classes), extra))
            partial = False
            if n_exact < len(classes) and len(v) >= SHORT_LEN:
                probes = windows(v) - rest_w
                partial = any(p in o for p in probes)
            for i, cls in enumerate(classes):
                why = "exact" if i < n_exact else ("partial" if partial else None)
                if only is not None and cls not in only:
                    continue
                t["spans"] += 1
                t["classes"][cls]["spans"] += 1
                if why is None:
                    t["redacted"] += 1
                    t["classes"][cls]["redacted"] += 1
                else:
                    t["leaked_" + why] += 1
                    t["classes"][cls]["leaked_" + why] += 1
                    details["leaks"].append({"system": name, "line": n, "class": cls, "value": v, "why": why,
                                             "markers": markers(o), "output": o})
        lost = lost_bytes(cut_spans(eol_split(lb)[0], spans)[1], out_body) \
            + (0 if eol_split(lb)[1] == eol_split(ob)[1] else 1)
        if lost:
            t["collateral_lines"] += 1
            t["collateral_bytes"] += lost
            details["collateral"].append({"system": name, "line": n, "lost_bytes": lost, "markers": markers(o),
                                          "input": dec(lb), "output": o})
    return t


def add(total: dict, t: dict) -> None:
    for k, v in t.items():
        if k == "classes":
            for c, cv in v.items():
                for kk, n in cv.items():
                    total["classes"][c][kk] += n
        elif k == "clean_changed_markers":
            total[k].update(v)
        else:
            total[k] += v


def fmt_pct(x: float | None, w: int = 8, digits: int = 2) -> str:
    return ("-" if x is None else f"{x:.{digits}f}%").rjust(w)


def row(name: str, t: dict) -> str:
    return (f"{name:<14}{t['lines']:>7}{t['annotated_lines']:>7}{t['spans']:>7}"
            f"{fmt_pct(pct(t['redacted'], t['spans']), 9)}{t['leaked_exact']:>7}{t['leaked_partial']:>6}"
            f"{t['clean_lines']:>7}{t['clean_changed']:>6}{fmt_pct(pct(t['clean_changed'], t['clean_lines']), 9, 3)}"
            f"{t['clean_changed_eol']:>6}{t['collateral_lines']:>7}{t['seconds']:>7.2f}")


def outside_checkout(path: str) -> Path:
    real = Path(os.path.realpath(path))
    d = real if real.is_dir() else real.parent
    while not d.exists():
        d = d.parent
    for p in [d, *d.parents]:
        if (p / ".git").exists():
            print(f"--details holds log text and must be written outside any git checkout ({real})",
                  file=sys.stderr)
            raise SystemExit(2)
    return real


def cmd_measure(args) -> int:
    logs, anns = Path(args.logs), Path(args.annotations)
    if not anns.is_absolute() and not anns.exists():
        anns = REPO / anns
    files = sorted(anns.glob("*.jsonl"))
    if not files:
        print(f"no annotation files in {anns}", file=sys.stderr)
        return 2
    details_path = outside_checkout(args.details) if args.details else None
    only = None
    if args.classes:
        only = {c.strip() for c in args.classes.split(",") if c.strip()}
        known = {"ip", "email", "mac", "user", "host", "account-id"}
        if only - known:
            print(f"--classes: unknown class(es) {', '.join(sorted(only - known))} "
                  f"(known: {', '.join(sorted(known))})", file=sys.stderr)
            return 2
    details = {"leaks": [], "clean_changed": [], "collateral": []}
    total, per = new_tally(), {}
    for f in files:
        header, ann = load_annotations(f)
        name = header["file"].replace("_2k.log", "").replace(".log", "")
        log = logs / header["file"]
        if not log.exists():
            print(f"{log}: missing (annotated in {f})", file=sys.stderr)
            return 2
        try:
            t = measure_file(args.bin, log, header, ann, details, name, only)
        except RuntimeError as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        per[name] = t
        add(total, t)

    print(f"real-log detection: {args.bin} on {logs} (annotations {anns})"
          + (f"; classes: {', '.join(sorted(only))}" if only is not None else ""))
    hdr = (f"{'system':<14}{'lines':>7}{'annot':>7}{'spans':>7}{'redacted':>9}{'exact':>7}{'part':>6}"
           f"{'clean':>7}{'chg':>6}{'chg%':>9}{'eol':>6}{'collat':>7}{'secs':>7}")
    print(hdr)
    print("-" * len(hdr))
    for name, t in per.items():
        print(row(name, t))
    print("-" * len(hdr))
    print(row("overall", total))
    print("\nannot = lines with annotated spans; exact/part = leaked spans (verbatim / 8-char run);"
          "\nclean = lines without spans; chg = clean lines changed (eol = only the line ending);"
          "\ncollat = annotated lines that lost text outside their spans.")

    print("\nper class:")
    for c in sorted(total["classes"]):
        cv = total["classes"][c]
        systems = ", ".join(f"{n} {fmt_pct(pct(t['classes'][c]['redacted'], t['classes'][c]['spans']), 0, 1)}"
                            f" of {t['classes'][c]['spans']}" for n, t in per.items() if t["classes"][c]["spans"])
        print(f"  {c:<12}{cv['spans']:>6} spans {fmt_pct(pct(cv['redacted'], cv['spans']), 9)}  ({systems})")

    for name in per:
        leaks = [d for d in details["leaks"] if d["system"] == name]
        changed = [d for d in details["clean_changed"] if d["system"] == name]
        coll = [d for d in details["collateral"] if d["system"] == name]
        if not (leaks or changed or coll):
            continue
        print(f"\n{name}:")
        if leaks:
            # one example per kind of leak: class, verbatim/partial, and the text just before the value
            groups: dict = {}
            for d in leaks:
                out, v = d["output"], d["value"]
                i = out.find(v) if d["why"] == "exact" else next(
                    (out.find(v[k:k + WINDOW]) for k in range(len(v) - WINDOW + 1) if v[k:k + WINDOW] in out), -1)
                before = re.sub(r"\d+", "N", MARKER.sub("[R]", out[max(0, i - 40):max(i, 0)]))[-24:]
                groups.setdefault((d["class"], d["why"], before), []).append(d)
            by_cls = collections.Counter(d["class"] for d in leaks)
            print(f"  leaked spans: {len(leaks)} ({', '.join(f'{c} {k}' for c, k in by_cls.most_common())}); "
                  f"most frequent kinds:")
            for (cls, why, _), ds in sorted(groups.items(), key=lambda kv: -len(kv[1]))[:6]:
                d = ds[0]
                print(f"    {len(ds):>4} x {cls} {why}, e.g. line {d['line']} {d['value']!r}: "
                      f"{snippet(d['output'], d['value'] if why == 'exact' else None, 130)}")
        if changed:
            by_m = collections.Counter(m for d in changed for m in (d["markers"] or ["(no marker)"]))
            print(f"  clean lines changed: {len(changed)}, by marker: "
                  f"{', '.join(f'{m} {k}' for m, k in by_m.most_common(6))}")
            seen_m = collections.Counter()
            for d in changed:
                key = tuple(d["markers"]) or ("eol",)
                if seen_m[key] >= 2 or sum(seen_m.values()) >= 6:
                    continue
                seen_m[key] += 1
                print(f"    line {d['line']}: {first_diff(d['input'], d['output'])}")
        if coll:
            print(f"  collateral: {len(coll)} annotated lines lost {sum(d['lost_bytes'] for d in coll)} bytes "
                  f"outside their spans, e.g.")
            for d in coll[:2]:
                print(f"    line {d['line']} (-{d['lost_bytes']} B): {first_diff(d['input'], d['output'])}")

    recall = pct(total["redacted"], total["spans"])
    changed = pct(total["clean_changed"], total["clean_lines"]) or 0.0
    status = 0
    if args.min_recall is not None and recall is not None and recall < args.min_recall:
        print(f"\nFAIL: redacted {recall:.2f}% < --min-recall {args.min_recall}%")
        status = 1
    if args.max_clean_changed is not None and changed > args.max_clean_changed:
        print(f"FAIL: clean lines changed {changed:.3f}% > --max-clean-changed {args.max_clean_changed}%")
        status = 1

    if args.json:
        def plain(t):
            # counts only: no log text (marker kinds are the binary's rule names)
            d = {k: v for k, v in t.items() if k not in ("classes", "clean_changed_markers")}
            d["redacted_pct"] = pct(t["redacted"], t["spans"])
            d["clean_changed_pct"] = pct(t["clean_changed"], t["clean_lines"])
            d["classes"] = {c: dict(v, redacted_pct=pct(v["redacted"], v["spans"]))
                            for c, v in sorted(t["classes"].items()) if v["spans"]}
            d["clean_changed_markers"] = dict(t["clean_changed_markers"].most_common())
            return d
        out = {"bin": args.bin, "logs": str(logs), "annotations": str(anns),
               "classes_filter": sorted(only) if only is not None else None,
               "overall": plain(total), "systems": {n: plain(t) for n, t in per.items()},
               "classes": {c: {"overall": dict(total["classes"][c],
                                                redacted_pct=pct(total["classes"][c]["redacted"],
                                                                 total["classes"][c]["spans"])),
                               "systems": {n: dict(t["classes"][c],
                                                   redacted_pct=pct(t["classes"][c]["redacted"],
                                                                    t["classes"][c]["spans"]))
                                           for n, t in per.items() if t["classes"][c]["spans"]}}
                           for c in sorted(total["classes"]) if total["classes"][c]["spans"]}}
        Path(args.json).write_text(json.dumps(out, indent=1) + "\n")
    if details_path:
        details_path.write_text(json.dumps(details, indent=1, ensure_ascii=False) + "\n")
    return status


# ======================================================================
# annotate (helper that produced the stored annotations; see POLICY.md)
# ======================================================================

IPV4 = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?!\d|\.\d)")
HEXRUN = re.compile(r"[0-9A-Fa-f:]{2,}")
MAC = re.compile(r"(?<![0-9A-Fa-f:-])([0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\2[0-9A-Fa-f]{2}){4})(?![0-9A-Fa-f:-])"
                 r"|(?<![0-9A-Fa-f.])([0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})(?![0-9A-Fa-f.])")
EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])([A-Za-z0-9][A-Za-z0-9._+-]*(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"
                   r"(?![A-Za-z0-9-])")

# (pattern, group, class). Values are the captured group, trimmed.
CONTEXT = [
    # (a) user names in fields that the line's own layout labels as an account:
    # authentication / session / account lines, cron and mail, keyed fields
    (r"\b(?:r?user|logname|username|USER)=(\S+)", 1, "user"),
    (r"session (?:opened|closed) for user (\S+)", 1, "user"),
    (r"\b[Ii]nvalid user +(\S+) from ", 1, "user"),
    (r"input_userauth_request: invalid user +(\S+) \[preauth\]", 1, "user"),
    (r"Failed \w+ for (?:invalid user +)?(\S+) from ", 1, "user"),
    (r"Accepted \w+ for (\S+) from ", 1, "user"),
    (r"authentication failures? for (\S+)", 1, "user"),
    (r"\bfor invalid user +(\S+)", 1, "user"),
    (r"\bfor user +(\S+)", 1, "user"),
    (r"crond\[\d+\]: \(([^)\s]+)\) CMD", 1, "user"),
    (r"sendmail\[\d+\]: \w+: (?:.*?, )?(?:from|to)=([^,<>@\s]+),", 1, "user"),
    (r"sendmail\[\d+\]: .*?ctladdr=([^,<>@\s(]+)", 1, "user"),
    (r"\buser\.name=(\S+)", 1, "user"),
    # (c) Hadoop / YARN / Spark per-user names: a thread or process label
    # "Label:user@host:port" (not the userinfo of a URL, "spark://Name@host:port"),
    # Spark ACL lists
    (r"\b[A-Za-z]\w*:([A-Za-z_][\w.-]*)@[A-Za-z0-9][A-Za-z0-9.-]*:\d+\b", 1, "user"),
    (r"acls to: ([\w.-]+(?:,[\w.-]+)*)", 1, "user-list"),
    (r"permissions: Set\(([\w.-]+(?:, [\w.-]+)*)\)", 1, "user-list"),
    # (b) the account component of a home directory, (c) of a per-user HDFS/YARN directory
    (r"(?<![\w.])/home(?:\.old)?/([^/\s)\]'\":,]+)", 1, "user"),
    (r"/Users/([^/\s)\]'\":,]+)", 1, "user"),
    (r"[A-Za-z]:\\Users\\([^\\\s]+)", 1, "user"),
    (r"(?<![\w~])~([A-Za-z_][\w.-]*)(?=[/\s]|$)", 1, "user"),
    (r"(?:^|[\s(:\"'])(?:hdfs://[^/\s]+)?/user/([^/\s]+)/", 1, "user"),
    (r"/staging/([^/\s.][^/\s]*)/", 1, "user"),
    (r"/usercache/([^/\s]+)/", 1, "user"),
    # remote client host names (reverse DNS of the peer of a login/connection)
    (r"\brhost=(\S+)", 1, "host"),
    (r"connection from \S+ \(([^)\s]+)\)", 1, "host"),
    (r"reverse mapping checking getaddrinfo for (\S+) \[", 1, "host"),
    (r"Address \S+ maps to (\S+), but", 1, "host"),
    # account numbers of a person at a service, where the line labels them as such
    (r"\bDSID (\d+)", 1, "account-id"),
    (r"llFriendUIN = (\d+)", 1, "account-id"),
]
CONTEXT = [(re.compile(p), g, c) for p, g, c in CONTEXT]

# Profile directories that are not accounts, and values that stand for "no user".
NOT_ACCOUNTS = {"default", "Default", "Public", "Shared", "All Users", "Guest"}
# Reviewed exceptions: (file, class, regex on the value) -> not annotated. None at present:
# every e-mail address counts, build stamps included (POLICY.md).
EXCLUDE: list = []


def ip_sensitive(text: str) -> bool:
    try:
        a = ipaddress.ip_address(text)
    except ValueError:
        return False
    if a.version == 4:
        return a.is_global
    if a.is_global:
        return True
    # link-local / ULA / other with an EUI-64 interface identifier: embeds the MAC
    packed = a.packed
    return packed[11] == 0xFF and packed[12] == 0xFE and not a.is_loopback and not a.is_unspecified


def find_ipv6(line: str):
    """IPv6 addresses in runs of hex digits and colons. A first group glued to
    a word ("en0:" in "v6(en0:2607:...)") and a last one glued to a word are
    dropped; a trailing ":port" is dropped when the whole run does not parse."""
    for m in HEXRUN.finditer(line):
        run, start = m.group(0), m.start()
        if run.startswith(":") and not run.startswith("::"):
            run, start = run[1:], start + 1
        if run.endswith(":") and not run.endswith("::"):
            run = run[:-1]
        if run.count(":") < 2:
            continue
        groups = run.split(":")
        lo, hi = 0, len(groups)
        end = start + len(run)
        if start > 0 and (line[start - 1].isalnum() or line[start - 1] == "_"):
            start += len(groups[0]) + 1
            lo = 1
        if end < len(line) and (line[end].isalnum() or line[end] == "_"):
            hi -= 1
        if hi - lo > 9:
            continue  # longer than an address (and a port): some other identifier
        for j in (hi, hi - 1):
            cand = ":".join(groups[lo:j])
            if cand.count(":") < 2 or not re.search(r"[A-Fa-f]|::", cand):
                continue
            try:
                ipaddress.IPv6Address(cand)
            except ValueError:
                continue
            yield start, start + len(cand), cand
            break


def annotate_line(fname: str, line: str) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []

    def put(s: int, e: int, cls: str, directory: bool = False) -> None:
        v = line[s:e]
        if not v or v.startswith("#") or (directory and v in NOT_ACCOUNTS):
            return  # "#12#": Loghub's own anonymisation placeholder
        for f, c, rx in EXCLUDE:
            if f == fname and c == cls and rx.search(v):
                return
        for (a, b, _) in spans:
            if s < b and a < e:  # overlaps a span already found: keep the first (contextual) one
                return
        spans.append((s, e, cls))

    for rx, g, cls in CONTEXT:
        for m in rx.finditer(line):
            s, e = m.span(g)
            v = m.group(g)
            if cls == "user-list":
                pos = s
                for part in re.split(r"(,\s*)", v):
                    if part and not part.startswith(","):
                        put(pos, pos + len(part), "user")
                    pos += len(part)
                continue
            if cls == "user" and v.isdigit() and rx.pattern.startswith((r"\b(?:r?user", r"\bfor user")):
                continue  # "user=0", "for user 501": a numeric user id (like uid=0), not a name
            if cls == "host":
                if IPV4.fullmatch(v) or ":" in v:
                    continue  # an address: the address detectors decide
                if not re.search(r"[A-Za-z]", v) or "." not in v:
                    continue
            put(s, e, cls, directory="/" in rx.pattern or "\\\\" in rx.pattern)
    for m in EMAIL.finditer(line):
        # userinfo of a URL (".../name%40domain@host/") and plain addresses
        put(m.start(1), m.end(1), "email")
    for m in IPV4.finditer(line):
        pre = line[max(0, m.start() - 8):m.start()]
        if pre.endswith(("network ", "~~", "version=", "version ", "v")):
            continue  # a network number or a version, not a host address
        if ip_sensitive(m.group(1)):
            put(m.start(1), m.end(1), "ip")
    for s, e, cand in find_ipv6(line):
        if ip_sensitive(cand):
            put(s, e, "ip")
    for m in MAC.finditer(line):
        g = 1 if m.group(1) else 3
        put(m.start(g), m.end(g), "mac")
    return sorted(spans)


def cmd_annotate(args) -> int:
    logs, out = Path(args.logs), Path(args.out)
    status = 0
    for log in sorted(logs.glob("*.log")):
        data = log.read_bytes()
        lines = split_lines(data)
        rows = [{"file": log.name, "sha256": hashlib.sha256(data).hexdigest(), "lines": len(lines)}]
        for n, lb in enumerate(lines, 1):
            text = dec(eol_split(lb)[0])
            spans = annotate_line(log.name, text)
            if not spans:
                continue
            bspans = []
            for s, e, c in spans:
                bs = len(text[:s].encode("utf-8", "surrogateescape"))
                be = bs + len(text[s:e].encode("utf-8", "surrogateescape"))
                bspans.append([bs, be, c])
            rows.append({"line": n, "spans": bspans, "text": [text[s:e] for s, e, _ in spans]})
        body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        target = out / (log.stem + ".jsonl")
        if args.check:
            same = target.exists() and target.read_text(encoding="utf-8") == body
            print(f"{'same' if same else 'DIFFERS'}: {target}")
            status |= 0 if same else 1
        else:
            out.mkdir(parents=True, exist_ok=True)
            target.write_text(body, encoding="utf-8")
            print(f"{target}: {len(rows) - 1} annotated lines, {sum(len(r['spans']) for r in rows[1:])} spans")
    return status


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("measure", help="run the binary on the annotated logs and score it")
    m.add_argument("--bin", required=True)
    m.add_argument("--logs", default=str(DEFAULT_LOGS))
    m.add_argument("--annotations", default=str(DEFAULT_ANN))
    m.add_argument("--json", help="write per-system and per-class counts (no log text) to this file")
    m.add_argument("--classes", help="count only these span classes (comma list, e.g. ip,email); "
                                     "clean lines are the same whatever the filter")
    m.add_argument("--details")
    m.add_argument("--min-recall", type=float, help="percent, e.g. 100")
    m.add_argument("--max-clean-changed", type=float, help="percent, e.g. 0.1")
    a = sub.add_parser("annotate", help="(helper) derive annotations from the policy's detectors")
    a.add_argument("--logs", required=True)
    a.add_argument("--out", required=True)
    a.add_argument("--check", action="store_true", help="compare with the stored files instead of writing")
    args = ap.parse_args()
    return cmd_measure(args) if args.cmd == "measure" else cmd_annotate(args)


if __name__ == "__main__":
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` ends quietly
    sys.exit(main())
