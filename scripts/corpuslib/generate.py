"""generate: the seeded, shuffled labelled corpus."""
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

# ---- generate --------------------------------------------------------------

def build_corpus(seed: int, per_family: int, n_clean: int) -> list:
    """Shuffled (lines, label) records: per_family of each family, spread evenly
    over its contexts, and n_clean clean lines spread over the log formats."""
    rng = random.Random(seed)
    records = []
    for family, (_, ctxs) in FAMILIES.items():
        for i in range(per_family):
            records.append(plant_record(rng, family, ctxs[i % len(ctxs)]))
    for i in range(n_clean):
        fmt = CLEAN_FORMATS[i % len(CLEAN_FORMATS)]
        records.append(([clean_line(rng, fmt)], {"clean": True, "family": None, "variant": None,
                                                 "context": fmt, "raw": None, "forms": []}))
    rng.shuffle(records)
    return records


def write_corpus(out: Path, seed: int, per_family: int, clean: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    records = build_corpus(seed, per_family, clean)
    line = 1
    with open(out / "corpus.log", "w", encoding="utf-8", newline="\n") as log, \
            open(out / "labels.jsonl", "w", encoding="utf-8", newline="\n") as labels:
        for lines, label in records:
            log.write("\n".join(lines) + "\n")
            labels.write(json.dumps({"line": line, "lines": len(lines), **label}) + "\n")
            line += len(lines)
    meta = {"seed": seed, "per_family": per_family, "clean": clean, "records": len(records), "lines": line - 1}
    (out / "meta.json").write_text(json.dumps(meta) + "\n")
    print(f"wrote {len(records)} records ({line - 1} lines, {len(FAMILIES)} families, {clean} clean) to {out}")
