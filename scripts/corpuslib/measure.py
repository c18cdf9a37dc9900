"""measure: run a binary over the corpus and score it."""
from __future__ import annotations

from .common import *  # noqa: F401,F403
from .gen_core import *  # noqa: F401,F403
from .gen_ids_europe import *  # noqa: F401,F403
from .gen_vendor import *  # noqa: F401,F403
from .gen_ids_world import *  # noqa: F401,F403
from .gen_pii_misc import *  # noqa: F401,F403
from .gen_cloudkeys import *  # noqa: F401,F403
from .families import *  # noqa: F401,F403
from .contexts import *  # noqa: F401,F403
from .generate import *  # noqa: F401,F403

# ---- measure ---------------------------------------------------------------

MARKER = re.compile(r"\[(?:REDACTED|HASH):[^\]\s]*\]|%5B(?:REDACTED|HASH)%3A.*?%5D")


def leaks(out: str, rest: str, label: dict) -> list:
    """Probes (forms, raw, raw tail) that occur more often in the output than
    in the input with the forms cut out."""
    raw = label["raw"]
    probes = label["forms"] + [raw] + ([raw[-8:]] if len(raw) >= 12 else [])
    return [p for p in probes if out.count(p) > rest.count(p)]


def fragment(out: str, rest: str, forms: list, n: int = 8) -> str | None:
    """A run of n characters of a form that survives (a found record can
    still leak, e.g., the start of a password that a rule cut short)."""
    for f in forms:
        for i in range(len(f) - n + 1):
            if out.count(f[i:i + n]) > rest.count(f[i:i + n]):
                return f[i:i + n]
    return None


def lost_bytes(rest: str, out: str) -> int:
    """Input characters outside the forms that the output does not keep."""
    keep = len(rest) - rest.count("\0")
    pos = kept = 0
    for seg in MARKER.split(out):
        i = rest.find(seg, pos) if seg else pos
        if i < 0:  # the output is not the input with spans replaced: align properly
            sm = difflib.SequenceMatcher(None, rest, MARKER.sub("\1", out), autojunk=False)
            kept = sum(b.size for b in sm.get_matching_blocks())
            break
        kept, pos = kept + len(seg), i + len(seg)
    return max(0, keep - kept)


def window(text: str, probe: str | None = None, at: int = 0, width: int = 150) -> str:
    """`width` characters of text around `probe` (marked «») or index `at`, one line."""
    text = text.replace("\n", "⏎")
    if probe:
        probe = probe.replace("\n", "⏎")
        text = text.replace(probe, f"«{probe}»", 1)
    i = text.find("«") if probe else at
    start = max(0, min(i - width // 3, len(text) - width)) if i >= 0 else 0
    s = text[start:start + width]
    return ("…" if start else "") + s + ("…" if start + width < len(text) else "")


def pct_of(a: int, b: int) -> float:
    return 100.0 * a / b if b else 100.0


@dataclass
class Tally:
    n: int = 0        # planted records
    found: int = 0    # records with nothing leaked (recall numerator)
    partial: int = 0  # found records that still leak an 8-char run of a form
    lost: int = 0     # non-sensitive bytes lost, summed
    lossy: int = 0    # records that lost any non-sensitive byte

    def add(self, found: bool, partial: bool, lost: int) -> None:
        self.n += 1
        self.found += found
        self.partial += found and partial
        self.lost += lost
        self.lossy += lost > 0

    def row(self, name: str) -> str:
        return (f"{name:<24}{self.n:>8}{self.found:>8}{pct_of(self.found, self.n):>8.2f}%"
                f"{pct_of(self.partial, self.n):>8.2f}%{self.lost / max(self.n, 1):>11.2f}"
                f"{pct_of(self.lossy, self.n):>7.1f}%")

    def as_dict(self) -> dict:
        return {"records": self.n, "found": self.found, "recall": pct_of(self.found, self.n),
                "partial_pct": pct_of(self.partial, self.n), "collateral_mean_bytes": self.lost / max(self.n, 1),
                "collateral_records_pct": pct_of(self.lossy, self.n)}


def run_engine(binary: str, corpus: Path):
    """Redacted output lines and seconds taken, or an error message."""
    started = time.monotonic()
    try:
        with open(corpus, "rb") as stdin:
            proc = subprocess.run([binary, "redact", "--format", "auto"], stdin=stdin, capture_output=True,
                                  timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, time.monotonic() - started, f"cannot run {binary}: {e}"
    secs = time.monotonic() - started
    if proc.returncode != 0:
        return None, secs, f"{binary} exited with {proc.returncode}:\n{proc.stderr.decode(errors='replace')[-2000:]}"
    out = proc.stdout.decode("utf-8", errors="replace").split("\n")
    return (out[:-1] if out and out[-1] == "" else out), secs, None


def cmd_measure(args) -> int:
    d = Path(args.dir)
    meta = json.loads((d / "meta.json").read_text()) if (d / "meta.json").exists() else {}
    want = {"seed": args.seed, "per_family": args.per_family, "clean": args.clean}
    missing = not all((d / f).exists() for f in ("meta.json", "labels.jsonl", "corpus.log"))
    if missing or any(v is not None and meta[k] != v for k, v in want.items()):
        base = {"seed": DEFAULT_SEED, "per_family": DEFAULT_PER_FAMILY, "clean": DEFAULT_CLEAN}
        base.update({k: meta[k] for k in base if k in meta})  # keep what was not asked for
        write_corpus(d, **{k: base[k] if v is None else v for k, v in want.items()})
    labels = [json.loads(l) for l in (d / "labels.jsonl").read_text(encoding="utf-8").splitlines()]
    data = (d / "corpus.log").read_bytes()
    in_lines = data.decode("utf-8").split("\n")[:-1]
    out_lines, secs, err = run_engine(args.bin, d / "corpus.log")
    if err or len(out_lines) != len(in_lines):
        print("error: " + (err or f"output has {len(out_lines)} lines, input {len(in_lines)}: cannot align records"))
        return 2

    fams, ctxs, total = {f: Tally() for f in FAMILIES}, {}, Tally()
    clean_n, clean_diffs, misses = 0, [], {}
    for lab in labels:
        a, n = lab["line"] - 1, lab["lines"]
        inp, out = "\n".join(in_lines[a:a + n]), "\n".join(out_lines[a:a + n])
        if lab["clean"]:
            clean_n += 1
            if inp != out:
                clean_diffs.append((lab, inp, out))
            continue
        rest = cut(inp, lab["forms"])
        leaked = leaks(out, rest, lab)
        partial = not leaked and fragment(out, rest, lab["forms"]) is not None
        lost = lost_bytes(rest, out)
        for t in (fams[lab["family"]], ctxs.setdefault(lab["context"], Tally()), total):
            t.add(not leaked, partial, lost)
        if leaked:
            misses.setdefault(lab["family"], []).append((lab, out, leaked[0]))

    print("recall: no form, raw value or its last 8 chars survives | partial: found, but 8 chars of a form "
          "survive\nlost B: mean non-sensitive bytes removed per record | lossy: records that lost any\n")
    header = f"{'':<24}{'records':>8}{'found':>8}{'recall':>9}{'partial':>9}{'lost B':>11}{'lossy':>8}"
    print(header.replace(" " * 6, "family", 1))
    print("\n".join(t.row(f) for f, t in fams.items() if t.n))
    print("\n" + header.replace(" " * 7, "context", 1))
    print("\n".join(ctxs[c].row(c) for c in (*CONTEXTS, "multiline") if c in ctxs))
    print(total.row("all planted"))
    clean_pct = pct_of(len(clean_diffs), clean_n) if clean_n else 0.0
    print(f"\nclean records: {clean_n}, changed: {len(clean_diffs)} ({clean_pct:.3f}%)")

    queues = [list(v) for v in misses.values()]  # round-robin over families
    examples = [q.pop(0) for _ in range(args.examples) for q in queues if q][:args.examples]
    if examples:
        print("\nexample misses (family / context / variant / line: output, first leaked text in «»):")
    for lab, out, probe in examples:
        print(f"  {lab['family']} / {lab['context']} / {lab['variant']} / {lab['line']}: {window(out, probe)}")
    if clean_diffs:
        print("\nexample changed clean lines (line: input -> output):")
    for lab, inp, out in clean_diffs[:max(3, args.examples // 3)]:
        at = next((i for i, (x, y) in enumerate(zip(inp, out)) if x != y), min(len(inp), len(out)))
        print(f"  {lab['line']} ({lab['context']}): {window(inp, at=at)}\n"
              f"  {' ' * len(str(lab['line']))}  -> {window(out, at=at)}")

    below = [f for f, t in fams.items() if t.n and pct_of(t.found, t.n) < RECALL_MIN]
    worst = min((f for f, t in fams.items() if t.n), key=lambda f: pct_of(fams[f].found, fams[f].n))
    ok = not below and clean_pct < CLEAN_CHANGED_MAX
    mb = len(data) / 1e6
    summary = {**total.as_dict(), "min_family": worst, "min_family_recall": pct_of(fams[worst].found, fams[worst].n),
               "families_below_threshold": below, "clean_records": clean_n, "clean_changed": len(clean_diffs),
               "clean_changed_pct": clean_pct, "engine_seconds": secs, "corpus_mb": mb,
               "engine_mb_per_s": mb / secs if secs else None, "pass": ok,
               "families": {f: t.as_dict() for f, t in fams.items() if t.n},
               "contexts": {c: t.as_dict() for c, t in ctxs.items()},
               "misses": {f: dict(Counter(f"{lab['context']} {lab['variant']}" for lab, _, _ in m).most_common())
                          for f, m in misses.items()}}
    print(f"\nSUMMARY recall={summary['recall']:.2f}% min={summary['min_family_recall']:.2f}% ({worst}) "
          f"families<{RECALL_MIN:.0f}%={len(below)} partial={summary['partial_pct']:.2f}% "
          f"clean_changed={clean_pct:.3f}% collateral={summary['collateral_mean_bytes']:.2f}B/rec "
          f"lossy={summary['collateral_records_pct']:.1f}% engine={secs:.2f}s ({mb / max(secs, 1e-9):.1f} MB/s) "
          f"{'PASS' if ok else 'FAIL'}")
    if args.json:
        Path(args.json).write_text(json.dumps(summary, indent=2) + "\n")
    return 1 if args.strict and not ok else 0
