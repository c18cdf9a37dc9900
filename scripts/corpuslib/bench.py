"""bench-corpus: a large mixed-format corpus for throughput benches."""
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
from .measure import *  # noqa: F401,F403

# ---- bench-corpus ----------------------------------------------------------

def cmd_bench(args) -> int:
    rng = random.Random(args.seed)
    target = int(args.size_mb * 1024 * 1024)
    json_ctx = ("json", "json_escaped", "json_in_json")
    formats = ("json",) if args.json_only else ("text", "logfmt", "access_log", "json")
    families = list(FAMILIES)
    size = records = dirty = 0
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        while size < target:
            if rng.random() < args.dirty:
                family = rng.choice(families)
                ctxs = [c for c in FAMILIES[family][1] if c in json_ctx or not args.json_only]
                lines = plant_record(rng, family, rng.choice(ctxs))[0]
                dirty += 1
            else:
                lines = [clean_line(rng, rng.choice(formats))]
            chunk = "\n".join(lines) + "\n"
            f.write(chunk)
            size += len(chunk)
            records += 1
    print(f"wrote {size / 2 ** 20:.1f} MiB, {records} records ({dirty} with sensitive data, "
          f"{pct_of(dirty, records):.2f}%) to {args.out}")
    return 0
