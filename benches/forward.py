#!/usr/bin/env python3
"""Forwarder throughput: file source -> redact -> file sink.

Generates a log of 250-byte lines (2% carry a secret or PII value: cards,
emails, tokens, passwords; the rest are clean logfmt, JSON and text lines),
runs `logscrub forward` on it with the default rules, and reports events per
second (from start until the sink's delivered-events counter on /metrics
reaches the number of lines, i.e. every line redacted and written) and the peak
RSS of the forwarder (VmHWM). The output is checked: one record per line.

    cargo build --release
    python3 benches/forward.py --size-mb 1024            # the issue's 1 GB run
    python3 benches/forward.py --size-mb 100 --keep       # quicker
    python3 benches/forward.py --buffer disk             # through the encrypted disk buffer
    python3 benches/forward.py --buffer disk --fsync never
    python3 benches/forward.py --input target/speed/service.log --compare-redact

`--input` runs on an existing log (e.g. the corpora `benches/speed.sh`
writes) instead of generating one; `--compare-redact` also times
`logscrub redact` (all cores) on the same file right before and after the
forwarder, and prints the forwarder's share of the better redact rate.

Numbers go to BENCHMARKS.md with the command that produced them.
"""

import argparse
import json
import os
import random
import signal
import socket
import urllib.request
import subprocess
import sys
import tempfile
import time

LINE = 250


def luhn_card(rng):
    base = "4111" + "".join(str(rng.randrange(10)) for _ in range(11))
    total = 0
    for k, ch in enumerate(reversed(base)):
        d = int(ch)
        if k % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return base + str((10 - total % 10) % 10)


def make_line(i, rng):
    kind = rng.random()
    if kind < 0.02:
        secret = rng.choice([
            lambda: f"card={luhn_card(rng)}",
            lambda: f"user=user{i}@example.com",
            lambda: "token=ghp_" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(36)),
            lambda: f"password=fake-pass-{i}",
        ])()
        text = f"2026-11-29T06:00:00.{i % 1000:03d}Z WARN payment failed {secret} request_id=req-{i:010d}"
    elif kind < 0.40:
        text = json.dumps({"ts": "2026-11-29T06:00:00Z", "level": "info", "msg": "request completed",
                           "method": "GET", "path": f"/api/v1/items/{i % 100000}", "status": 200,
                           "duration_ms": i % 97, "request_id": f"req-{i:010d}"}, separators=(",", ":"))
    elif kind < 0.75:
        text = (f"ts=2026-11-29T06:00:00Z level=info msg=\"cache refreshed\" service=catalog "
                f"shard={i % 64} keys={i % 5000} took_ms={i % 31} request_id=req-{i:010d}")
    else:
        text = (f"2026-11-29 06:00:00,{i % 1000:03d} INFO [worker-{i % 8}] com.example.orders.OrderService "
                f"- processed order batch {i} in {i % 113} ms (items={i % 40}, region=eu-west-1)")
    if len(text) >= LINE:
        return text[:LINE - 1]
    pad = LINE - 1 - len(text)
    if text.startswith("{"):
        return text[:-1] + ',"pad":"' + "." * max(0, pad - 9) + '"}'
    return text + " " + "." * (pad - 1) if pad > 0 else text


def generate(path, size_mb, seed):
    rng = random.Random(seed)
    want = size_mb * 1024 * 1024
    n = 0
    with open(path, "w") as f:
        buf = []
        written = 0
        while written < want:
            line = make_line(n, rng)
            buf.append(line)
            written += len(line) + 1
            n += 1
            if len(buf) >= 10000:
                f.write("\n".join(buf) + "\n")
                buf = []
        if buf:
            f.write("\n".join(buf) + "\n")
    return n


def peak_rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pid):
    """User plus system CPU time of a running process."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size-mb", type=int, default=1024)
    ap.add_argument("--bin", default="target/release/logscrub")
    ap.add_argument("--dir", default=None, help="work folder (default: a temporary one)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument("--buffer", choices=["memory", "disk"], default="memory")
    ap.add_argument("--fsync", choices=["always", "never"], default="always")
    ap.add_argument("--input", default=None, help="an existing log to forward (not generated)")
    ap.add_argument("--compare-redact", action="store_true",
                    help="time `logscrub redact` on the same file in the same run")
    args = ap.parse_args()

    work = args.dir or tempfile.mkdtemp(prefix="logscrub-bench-")
    os.makedirs(work, exist_ok=True)
    log = os.path.join(work, "app.log")
    lines_file = log + ".lines"
    if args.input:
        log = os.path.abspath(args.input)
        with open(log, "rb") as f:
            lines = sum(1 for _ in f)
    elif os.path.exists(lines_file) and os.path.exists(log):
        lines = int(open(lines_file).read())
    else:
        t = time.time()
        lines = generate(log, args.size_mb, args.seed)
        open(lines_file, "w").write(str(lines))
        print(f"generated {lines} lines, {os.path.getsize(log) / 1e6:.0f} MB in {time.time() - t:.0f} s", file=sys.stderr)
    size = os.path.getsize(log)
    data = os.path.join(work, "data")
    out = os.path.join(work, "out.ndjson")
    for p in (out,):
        if os.path.exists(p):
            os.remove(p)
    subprocess.run(["rm", "-rf", data], check=True)
    config = os.path.join(work, "bench.toml")
    keys = os.path.join(work, "keys")
    buffer = ""
    keyring = ""
    if args.buffer == "disk":
        if not os.path.isdir(keys):
            subprocess.run([args.bin, "keys", "generate", "--dir", keys], check=True, stdout=subprocess.DEVNULL)
        buffer = f'buffer = {{ type = "disk", key = "main", max_size = "4GiB", fsync = "{args.fsync}" }}'
        keyring = f'[keys.main]\ndir = "{keys}"'
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    with open(config, "w") as f:
        f.write(f"""
data_dir = "{data}"
[api]
address = "127.0.0.1:{port}"
{keyring}
[sources.app]
type = "file"
include = ["{log}"]
[sinks.out]
type = "file"
inputs = ["app"]
path = "{out}"
batch = {{ max_events = 2000, max_bytes = "2MiB", timeout_ms = 200 }}
{buffer}
""")
    env = dict(os.environ, LOGSCRUB_LOG="warn")

    def time_redact():
        t = time.time()
        subprocess.run([args.bin, "redact", "-o", "/dev/null", log], check=True, env=env)
        return time.time() - t

    redact_before = time_redact() if args.compare_redact else None
    start = time.time()
    proc = subprocess.Popen([args.bin, "forward", "--config", config], env=env)
    # Done when the sink has delivered every line (its counter on /metrics).
    want = f'logscrub_events_out_total{{component="out",role="sink",type="file"}} {lines}'
    peak = 0
    done_at = None
    while proc.poll() is None:
        peak = max(peak, peak_rss_kb(proc.pid))
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=1) as r:
                if want in r.read().decode():
                    done_at = time.time()
                    break
        except OSError:
            pass
        time.sleep(0.02)
    peak = max(peak, peak_rss_kb(proc.pid))
    cpu = cpu_seconds(proc.pid)
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    if done_at is None:
        sys.exit(f"forwarder exited early with {proc.returncode}")
    elapsed = done_at - start
    with open(out, "rb") as f:
        got = sum(1 for _ in f)
    redact_s = None
    if args.compare_redact:
        redact_s = min(redact_before, time_redact())
    result = {
        "buffer": args.buffer + ("" if args.buffer == "memory" else f" (fsync {args.fsync})"),
        "lines": lines,
        "bytes": size,
        "seconds": round(elapsed, 2),
        "events_per_s": round(lines / elapsed),
        "mb_per_s": round(size / elapsed / 1e6, 1),
        "peak_rss_mib": round(peak / 1024, 1),
        "cores_busy": round(cpu / elapsed, 2),
        "delivered": got,
    }
    if redact_s is not None:
        result["redact_seconds"] = round(redact_s, 2)
        result["share_of_redact"] = round(redact_s / elapsed, 3)
    print(json.dumps(result))
    if got != lines:
        sys.exit(f"delivered {got} of {lines} lines")
    if not args.keep and args.dir is None:
        subprocess.run(["rm", "-rf", work], check=True)


if __name__ == "__main__":
    main()
