#!/usr/bin/env python3
"""Crash test of the forwarder's encrypted disk buffer (issue 6).

SIGKILLs `logscrub forward` at random moments (--kills times, at least 20 by
default) while events flow into it from a file source (lines appended to a
log file) and from the http source (NDJSON batches POSTed to it), through a
disk buffer (`fsync = "always"`), into an http sink served by this script
that fails (503) for a while: the first ~20% of the planned run and one more
window in the middle. Afterwards every event acknowledged to a source must
have arrived at the sink; duplicates are counted and reported.

    cargo build --release
    python3 scripts/crash_test.py                                  # 1M events, 20 kills
    python3 scripts/crash_test.py --bin ./target/debug/logscrub --events 100000 --kills 20

Acknowledged means: for the file source, written to the log file (a file
source delivers every line written: its checkpoint moves only after the
disk buffer holds the lines); for the http source, a batch answered
200 {"accepted":N}. A batch that got no answer (the forwarder was killed,
connection refused) is sent again until it gets 200; it may then arrive
twice, which counts as a duplicate, never as a loss.

Every event carries a unique id: `seq=F00000123` in file lines (text),
`"seq":"H00000123"` in http events (JSON). Every 100th event also holds an
e-mail address, which the forwarder must redact: a raw one arriving at the
sink is reported as a leak.

Kills land at random moments (--min-gap..--max-gap after each start, then
an immediate restart or a pause of up to 0.5 s); --kill-after-ack FRACTION
times that fraction of them to land right after the http source answers
200 (the posting thread sends the SIGKILL the moment it reads the answer),
the sharpest test of "200 means it is in the buffer".

The forwarder's stderr (LOGSCRUB_LOG=warn) goes to forwarder.log in the work
folder, with a `=== crash-test: ...` line before each start and after each
kill; missing events (ids, the batch's 200 and the kill that followed) are
also written to missing.txt. A temporary work folder is removed at the end
unless --keep or the run failed (then its path is printed); a --dir folder
is kept.

Exit status 0 when nothing acknowledged is missing and every kill was done;
1 otherwise (also on leaks, malformed or unknown events at the sink, a
forwarder that exited by itself, or feeders that could not finish).
"""

import argparse
import http.client
import http.server
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from array import array

HTTP_BATCH = 500  # events per POST to the http source
FILE_CHUNK = 500  # lines per append to the log file
WIDTH = 8  # digits of an id
EMAIL_EVERY = 100  # every Nth event holds an e-mail address (must be redacted)

ID_RE = re.compile(rb'seq(?:=|":")([FH])([0-9]{%d})(?:[ "]|$)' % WIDTH)
LEAK = b"@crash-test.example"


def now():
    return time.monotonic()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def file_line(i):
    extra = f" user=u{i}{LEAK.decode()}" if i % EMAIL_EVERY == 0 else ""
    return (f"seq=F{i:0{WIDTH}d} level=info msg=\"crash test line\" worker={i % 8} "
            f"shard={i % 64} took_ms={i % 31}{extra} pad=................................\n")


def http_event(i):
    ev = {"seq": f"H{i:0{WIDTH}d}", "level": "info", "msg": "crash test event",
          "worker": i % 8, "took_ms": i % 31, "pad": "." * 32}
    if i % EMAIL_EVERY == 0:
        ev["user"] = f"u{i}{LEAK.decode()}"
    return json.dumps(ev, separators=(",", ":"))


class Run:
    """Shared state: the plan, what was acknowledged, what arrived."""

    def __init__(self, args, work):
        self.args = args
        self.work = work
        self.n_file = args.events // 2
        self.n_http = args.events - self.n_file
        self.lock = threading.Lock()
        self.t0 = None
        # Arrivals per id.
        self.arr = {b"F": array("I", bytes(4 * self.n_file)), b"H": array("I", bytes(4 * self.n_http))}
        self.malformed = 0
        self.dup_by_gen = {}  # forwarder run -> duplicates that arrived while it ran
        self.malformed_samples = []
        self.unknown = 0
        self.leaks = 0
        self.sink_requests = 0
        self.sink_503 = 0
        self.sink_events = 0
        # Acknowledgements.
        self.file_written = 0  # lines [0, file_written) are written (acked)
        self.file_chunks = []  # (first id, end id, t, generation)
        self.http_acked = {}  # batch -> (t, generation)
        self.http_attempts = 0
        self.http_errors = 0
        self.http_unexpected = []  # (status, body) of answers other than 200/503
        self.feed_done = {"file": False, "http": 0}
        self.feed_end = None
        # Forwarder runs.
        self.gen = 0  # generation of the forwarder process now running (1-based)
        self.starts = []  # (generation, t, pid)
        self.kills = []  # (generation, t)
        self.unexpected_exits = []  # (generation, t, returncode)
        self.stop = threading.Event()
        self.windows = []
        self.last_arrival = None
        # --kill-after-ack: the pid a poster kills right after its next 200.
        self.kill_pid = None
        self.ack_seen = threading.Event()
        self.ack_kills = {}  # batch -> generation killed right after its 200

    def t(self):
        return now() - self.t0

    def failing(self):
        t = self.t()
        return any(a <= t < b for a, b in self.windows)

    def record(self, body):
        counts = []
        bad = 0
        leaks = body.count(LEAK)
        for line in body.split(b"\n"):
            if not line.strip():
                continue
            m = ID_RE.search(line)
            if m is None:
                bad += 1
                if len(self.malformed_samples) < 5:
                    self.malformed_samples.append(line[:300].decode("utf-8", "replace"))
                continue
            counts.append((m.group(1), int(m.group(2))))
        with self.lock:
            self.last_arrival = now()
            self.sink_events += len(counts) + bad
            self.malformed += bad
            self.leaks += leaks
            for src, i in counts:
                a = self.arr[src]
                if i < len(a):
                    a[i] += 1
                    if a[i] > 1:
                        self.dup_by_gen[self.gen] = self.dup_by_gen.get(self.gen, 0) + 1
                else:
                    self.unknown += 1

    # What is acknowledged and has not arrived.
    def missing(self, limit=None):
        out = []
        with self.lock:
            f = self.arr[b"F"]
            n = self.file_written
            if f[:n].count(0):
                for i in range(n):
                    if f[i] == 0:
                        out.append(("F", i))
                        if limit and len(out) >= limit:
                            return out
            h = self.arr[b"H"]
            for b in sorted(self.http_acked):
                lo, hi = b * HTTP_BATCH, min((b + 1) * HTTP_BATCH, self.n_http)
                if h[lo:hi].count(0):
                    for i in range(lo, hi):
                        if h[i] == 0:
                            out.append(("H", i))
                            if limit and len(out) >= limit:
                                return out
        return out

    def missing_count(self):
        with self.lock:
            n = self.arr[b"F"][: self.file_written].count(0)
            h = self.arr[b"H"]
            for b in self.http_acked:
                n += h[b * HTTP_BATCH: min((b + 1) * HTTP_BATCH, self.n_http)].count(0)
            return n

    def acked_counts(self):
        with self.lock:
            h = sum(min((b + 1) * HTTP_BATCH, self.n_http) - b * HTTP_BATCH for b in self.http_acked)
            return self.file_written, h


def sink_server(run):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def read_body(self):
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                parts = []
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                    if size == 0:
                        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                            pass
                        return b"".join(parts)
                    parts.append(self.rfile.read(size))
                    self.rfile.readline()
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def answer(self, code, body=b""):
            self.send_response(code)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            body = self.read_body()
            with run.lock:
                run.sink_requests += 1
            if run.failing():
                with run.lock:
                    run.sink_503 += 1
                self.answer(503, b"crash test: failing on purpose")
                return
            run.record(body)
            self.answer(200)

        do_PUT = do_POST

        def do_GET(self):
            self.answer(200)

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request, client_address):
            # A killed forwarder resets its connections: not worth a traceback.
            if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
                super().handle_error(request, client_address)

    srv = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def pace(run, done, total, rate):
    """Sleeps until `done` of `total` events are due at `rate` per second."""
    due = run.t0 + done / rate
    d = due - now()
    if d > 0:
        time.sleep(d)


def file_feeder(run, path, rate, deadline):
    with open(path, "ab", buffering=0) as f:
        i = 0
        while i < run.n_file and not run.stop.is_set():
            if now() > deadline:
                return
            pace(run, i, run.n_file, rate)
            end = min(i + FILE_CHUNK, run.n_file)
            data = "".join(file_line(k) for k in range(i, end)).encode()
            view = memoryview(data)
            while view:
                w = f.write(view)
                view = view[w:]
            with run.lock:
                run.file_written = end
                run.file_chunks.append((i, end, run.t(), run.gen))
            i = end
    with run.lock:
        run.feed_done["file"] = True


def http_feeder(run, port, batches, rate, deadline):
    conn = None
    for b in batches:
        lo, hi = b * HTTP_BATCH, min((b + 1) * HTTP_BATCH, run.n_http)
        body = ("\n".join(http_event(i) for i in range(lo, hi)) + "\n").encode()
        pace(run, lo, run.n_http, rate)
        while not run.stop.is_set():
            if now() > deadline:
                return
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                with run.lock:
                    run.http_attempts += 1
                conn.request("POST", "/ingest", body, {"Content-Type": "application/x-ndjson"})
                resp = conn.getresponse()
                text = resp.read()
                status = resp.status
                if status == 200 and run.kill_pid:
                    # --kill-after-ack: SIGKILL at once, from this thread,
                    # the moment a 200 is read.
                    with run.lock:
                        pid, run.kill_pid = run.kill_pid, None
                    if pid:
                        os.kill(pid, signal.SIGKILL)
                        with run.lock:
                            run.ack_kills[b] = run.gen
                        run.ack_seen.set()
            except (OSError, http.client.HTTPException):
                # Refused (down), reset or no answer (killed): unknown
                # outcome, send again.
                if conn is not None:
                    conn.close()
                    conn = None
                with run.lock:
                    run.http_errors += 1
                time.sleep(0.02 + random.random() * 0.08)
                continue
            if status == 200:
                got = json.loads(text).get("accepted")
                with run.lock:
                    run.http_acked[b] = (run.t(), run.gen)
                    if got != hi - lo:
                        run.http_unexpected.append((status, text[:200].decode("utf-8", "replace")))
                break
            if status != 503:
                with run.lock:
                    run.http_unexpected.append((status, text[:200].decode("utf-8", "replace")))
            time.sleep(0.05)
    if conn is not None:
        conn.close()
    with run.lock:
        run.feed_done["http"] += 1


class Forwarder:
    def __init__(self, run, binary, config, log):
        self.run = run
        self.binary = binary
        self.config = config
        self.log = log
        self.proc = None
        self.env = dict(os.environ, LOGSCRUB_LOG="warn")

    def mark(self, text):
        with open(self.log, "ab") as f:
            f.write(f"=== crash-test t={self.run.t():.3f}s: {text}\n".encode())

    def start(self):
        run = self.run
        with run.lock:
            run.gen += 1
            gen = run.gen
        self.mark(f"start #{gen}")
        logf = open(self.log, "ab")
        self.proc = subprocess.Popen([self.binary, "forward", "--config", self.config],
                                     stdin=subprocess.DEVNULL, stdout=logf, stderr=logf, env=self.env)
        logf.close()
        with run.lock:
            run.starts.append((gen, run.t(), self.proc.pid))

    def check(self):
        """Notes (and restarts) a forwarder that exited by itself."""
        rc = self.proc.poll()
        if rc is not None:
            run = self.run
            with run.lock:
                run.unexpected_exits.append((run.gen, run.t(), rc))
            self.mark(f"forwarder #{run.gen} exited by itself with {rc}; restarting")
            print(f"crash-test: forwarder #{run.gen} exited by itself with {rc}", file=sys.stderr)
            time.sleep(0.2)
            self.start()

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        run = self.run
        with run.lock:
            run.kills.append((run.gen, run.t()))
        self.mark(f"SIGKILL #{run.gen} (kill {len(run.kills)})")

    def terminate(self, timeout=30):
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return "no exit within %ds (killed)" % timeout


def sleep_watching(fwd, seconds):
    end = now() + seconds
    while True:
        left = end - now()
        if left <= 0:
            return
        time.sleep(min(left, 0.05))
        fwd.check()


def ranges(ids):
    out = []
    for i in ids:
        if out and out[-1][1] == i - 1:
            out[-1][1] = i
        else:
            out.append([i, i])
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default="target/release/logscrub")
    ap.add_argument("--events", type=int, default=1_000_000, help="half from the file, half over http")
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--seed", type=int, default=None, help="default: random (printed)")
    ap.add_argument("--dir", default=None, help="work folder (default: a temporary one)")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument("--min-gap", type=float, default=0.3, help="shortest time between a start and its kill (s)")
    ap.add_argument("--max-gap", type=float, default=3.0, help="longest time between a start and its kill (s)")
    ap.add_argument("--posters", type=int, default=2, help="threads POSTing to the http source")
    ap.add_argument("--timeout", type=float, default=300, help="after the kills, wait this long for every acked event (s)")
    ap.add_argument("--stall", type=float, default=60,
                    help="stop waiting sooner when nothing has reached the sink for this long (s)")
    ap.add_argument("--kill-after-ack", type=float, default=0.0, metavar="FRACTION",
                    help="this fraction of the kills lands right after the http source answers 200 "
                         "(sent by the posting thread the moment it reads the answer); the others "
                         "at random moments")
    args = ap.parse_args()
    if args.events < 2:
        sys.exit("--events must be at least 2")
    if args.events // 2 >= 10 ** WIDTH:
        sys.exit(f"--events must be below {2 * 10 ** WIDTH}")
    seed = args.seed if args.seed is not None else random.randrange(1 << 31)
    rng = random.Random(seed)
    binary = os.path.abspath(args.bin)
    if not os.access(binary, os.X_OK):
        sys.exit(f"{binary} is not an executable (cargo build --release?)")

    work = os.path.abspath(args.dir or tempfile.mkdtemp(prefix="logscrub-crash-"))
    os.makedirs(work, exist_ok=True)
    for p in ("data", "keys", "app.log", "forwarder.log", "crash.toml"):
        p = os.path.join(work, p)
        if os.path.isdir(p):
            shutil.rmtree(p)
        elif os.path.exists(p):
            os.remove(p)
    run = Run(args, work)

    # The plan: how long each forwarder lives before its SIGKILL, and the
    # pause before the next start (none half of the time).
    gaps = [rng.uniform(args.min_gap, args.max_gap) for _ in range(args.kills)]
    pauses = [0.0 if rng.random() < 0.5 else rng.uniform(0.0, 0.5) for _ in range(args.kills)]
    after_ack = [rng.random() < args.kill_after_ack for _ in range(args.kills)]
    plan = sum(gaps) + sum(pauses)
    # The sink fails for the first 20% of the plan and 10% in the middle.
    run.windows = [(0.0, 0.2 * plan), (0.5 * plan, 0.6 * plan)]
    # Feed at a rate that spreads the events over ~90% of the plan, so the
    # kills hit while events flow.
    feed_secs = max(0.9 * plan, 1.0)

    keys = os.path.join(work, "keys")
    subprocess.run([binary, "keys", "generate", "--dir", keys], check=True, stdout=subprocess.DEVNULL)
    log_path = os.path.join(work, "app.log")
    open(log_path, "wb").close()
    sink = sink_server(run)
    sink_port = sink.server_address[1]
    src_port = free_port()
    config = os.path.join(work, "crash.toml")
    with open(config, "w") as f:
        f.write(f"""data_dir = "{os.path.join(work, 'data')}"
shutdown_timeout_secs = 2

[api]
enabled = false

[keys.main]
dir = "{keys}"

[sources.app]
type = "file"
include = ["{log_path}"]
poll_interval_ms = 20

[sources.ingest]
type = "http"
address = "127.0.0.1:{src_port}"
path = "/ingest"

[sinks.out]
type = "http"
inputs = ["app", "ingest"]
uri = "http://127.0.0.1:{sink_port}/sink"
batch = {{ max_events = 500, max_bytes = "1MiB", timeout_ms = 100 }}
buffer = {{ type = "disk", key = "main", fsync = "always" }}
request = {{ retry_initial_backoff_ms = 50, retry_max_backoff_secs = 1 }}
""")
    check = subprocess.run([binary, "validate", "--config", config], capture_output=True, text=True)
    if check.returncode != 0:
        sys.exit(f"config does not validate:\n{check.stdout}{check.stderr}")

    print(f"crash-test: {args.events} events ({run.n_file} file, {run.n_http} http), {args.kills} kills "
          f"over ~{plan:.0f} s, sink failing {run.windows[0][1]:.1f}s..+, "
          f"{run.windows[1][0]:.1f}-{run.windows[1][1]:.1f}s, seed {seed}, work {work}", file=sys.stderr)

    fwd = Forwarder(run, binary, config, os.path.join(work, "forwarder.log"))
    run.t0 = now()
    fwd.start()
    # Feeders give up (and the run fails) if they cannot finish in time.
    feed_deadline = run.t0 + plan + args.timeout
    feeders = [threading.Thread(target=file_feeder, args=(run, log_path, run.n_file / feed_secs, feed_deadline),
                                daemon=True)]
    n_batches = (run.n_http + HTTP_BATCH - 1) // HTTP_BATCH
    for p in range(args.posters):
        batches = list(range(p, n_batches, args.posters))
        feeders.append(threading.Thread(target=http_feeder,
                                        args=(run, src_port, batches, run.n_http / feed_secs, feed_deadline),
                                        daemon=True))
    for t in feeders:
        t.start()

    last_report = 0.0

    def progress(stage):
        nonlocal last_report
        if now() - last_report < 5:
            return
        last_report = now()
        af, ah = run.acked_counts()
        with run.lock:
            arrived = run.sink_events
        print(f"crash-test: t={run.t():6.1f}s {stage}: kills {len(run.kills)}/{args.kills}, acked file {af} "
              f"http {ah}, sink got {arrived} events ({run.sink_503} requests answered 503), "
              f"missing now {run.missing_count()}", file=sys.stderr)

    kills_during_feed = 0
    rc = None
    drained_at = None
    try:
        for k in range(args.kills):
            end = now() + gaps[k]
            while now() < end:
                sleep_watching(fwd, min(0.5, end - now()))
                progress("killing")
            if after_ack[k] and any(t.is_alive() for t in feeders[1:]):
                run.ack_seen.clear()
                run.kill_pid = fwd.proc.pid
                run.ack_seen.wait(5)
                with run.lock:
                    run.kill_pid = None
            fwd.kill()
            if any(t.is_alive() for t in feeders):
                kills_during_feed += 1
            if pauses[k]:
                time.sleep(pauses[k])
            fwd.start()
        # Let the feeders finish, then wait for every acked event.
        while any(t.is_alive() for t in feeders):
            sleep_watching(fwd, 0.2)
            progress("feeding")
        run.feed_end = run.t()
        drain_deadline = now() + args.timeout
        while run.missing_count() and now() < drain_deadline:
            if run.last_arrival is not None and now() - max(run.last_arrival, run.t0 + run.feed_end) > args.stall:
                print(f"crash-test: nothing reached the sink for {args.stall:.0f} s; stop waiting", file=sys.stderr)
                break
            sleep_watching(fwd, 0.2)
            progress("draining")
        drained_at = run.t()
        # A SIGTERM in the first milliseconds after exec would come before
        # the forwarder installs its handler: let the last one settle.
        settle = run.starts[-1][1] + 1.5 - run.t()
        if settle > 0:
            sleep_watching(fwd, settle)
        rc = fwd.terminate()
    finally:
        run.stop.set()
        if fwd.proc and fwd.proc.poll() is None:
            fwd.proc.kill()
            fwd.proc.wait()
    fwd.mark(f"stopped with SIGTERM: exit {rc}")
    time.sleep(0.2)  # late requests
    sink.shutdown()
    elapsed = run.t()

    acked_file, acked_http = run.acked_counts()
    missing = run.missing()
    with run.lock:
        f, h = run.arr[b"F"], run.arr[b"H"]
        arrived_f = run.n_file - f.count(0)
        arrived_h = run.n_http - h.count(0)
        dup_f = sum(f) - arrived_f
        dup_h = sum(h) - arrived_h
        unacked_arrived = sum(1 for b in range(n_batches) if b not in run.http_acked
                              for i in range(b * HTTP_BATCH, min((b + 1) * HTTP_BATCH, run.n_http)) if h[i])
        unacked_arrived += sum(1 for i in range(run.file_written, run.n_file) if f[i])
    fed_all = acked_file == run.n_file and acked_http == run.n_http
    result = {
        "events": args.events,
        "seed": seed,
        "acked": {"file": acked_file, "http": acked_http},
        "arrived": {"file": arrived_f, "http": arrived_h},
        "missing": len(missing),
        "duplicates": {"file": dup_f, "http": dup_h, "total": dup_f + dup_h},
        "duplicates_by_run": {str(g): n for g, n in sorted(run.dup_by_gen.items())},
        "kills": len(run.kills),
        "kills_while_feeding": kills_during_feed,
        "kills_right_after_an_http_200": len(run.ack_kills),
        "forwarder_starts": len(run.starts),
        "unexpected_exits": len(run.unexpected_exits),
        "http_posts": run.http_attempts,
        "http_post_errors": run.http_errors,
        "http_unexpected_answers": len(run.http_unexpected),
        "sink_requests": run.sink_requests,
        "sink_503": run.sink_503,
        "malformed_at_sink": run.malformed,
        "unknown_ids_at_sink": run.unknown,
        "unredacted_emails_at_sink": run.leaks,
        "arrived_unacked": unacked_arrived,
        "fed_by_s": round(run.feed_end, 1) if run.feed_end else None,
        "all_arrived_by_s": round(drained_at, 1) if drained_at is not None else None,
        "sigterm_exit": rc,
        "elapsed_s": round(elapsed, 1),
    }
    failures = []
    if missing:
        failures.append(f"{len(missing)} acknowledged events never arrived")
    if len(run.kills) < args.kills:
        failures.append(f"only {len(run.kills)} of {args.kills} kills")
    if not fed_all:
        failures.append(f"the feeders could not finish (acked file {acked_file}/{run.n_file}, "
                        f"http {acked_http}/{run.n_http})")
    if run.unexpected_exits:
        failures.append(f"the forwarder exited by itself: {run.unexpected_exits}")
    if run.http_unexpected:
        failures.append(f"unexpected http source answers: {run.http_unexpected[:5]}")
    if run.malformed or run.unknown:
        failures.append(f"{run.malformed} malformed and {run.unknown} unknown events at the sink "
                        f"(samples: {run.malformed_samples})")
    if run.leaks:
        failures.append(f"{run.leaks} unredacted e-mail addresses reached the sink")
    if rc != 0:
        failures.append(f"the last forwarder did not stop cleanly on SIGTERM: {rc}")

    print(json.dumps(result))
    print(f"""
crash test: {args.events} events through the encrypted disk buffer, {len(run.kills)} SIGKILLs \
({kills_during_feed} while feeding), seed {seed}
  acknowledged   file {acked_file:>9}   http {acked_http:>9}
  arrived        file {arrived_f:>9}   http {arrived_h:>9}
  MISSING        {len(missing)} (acknowledged, never arrived)
  duplicates     file {dup_f:>9}   http {dup_h:>9}   ({(dup_f + dup_h) / max(1, args.events) * 100:.2f}% of events)
  sink           {run.sink_requests} requests, {run.sink_503} answered 503 (failure windows \
0-{run.windows[0][1]:.1f}s, {run.windows[1][0]:.1f}-{run.windows[1][1]:.1f}s)
  http source    {run.http_attempts} POSTs, {run.http_errors} without an answer (refused, reset)
  timeline       fed by {run.feed_end or 0:.1f}s, everything acked arrived by {drained_at:.1f}s, \
SIGTERM exit {rc}, elapsed {elapsed:.1f}s""")
    if missing:
        lines = []
        for src in ("F", "H"):
            ids = [i for s, i in missing if s == src]
            for lo, hi in ranges(ids):
                if src == "H":
                    b = lo // HTTP_BATCH
                    t, gen = run.http_acked.get(b, (None, None))
                    kill = next((kt for kg, kt in run.kills if kg == gen), None)
                    how = " (killed by the poster right after reading that 200)" if b in run.ack_kills else ""
                    lines.append(f"http {src}{lo:0{WIDTH}d}..{src}{hi:0{WIDTH}d} ({hi - lo + 1} events): batch {b} "
                                 f"answered 200 at t={t:.3f}s by forwarder #{gen}, SIGKILLed at "
                                 f"{'t=%.3fs' % kill if kill is not None else 'never'}{how}")
                else:
                    ch = next((c for c in run.file_chunks if c[0] <= lo < c[1]), None)
                    lines.append(f"file {src}{lo:0{WIDTH}d}..{src}{hi:0{WIDTH}d} ({hi - lo + 1} events): written at "
                                 f"t={ch[2]:.3f}s while forwarder #{ch[3]} ran")
        lines.append(f"kills (forwarder #, t): {[(g, round(t, 3)) for g, t in run.kills]}")
        lines.append(f"kills right after a 200 (batch: forwarder #): {run.ack_kills}")
        with open(os.path.join(work, "missing.txt"), "w") as f:
            f.write("\n".join(lines) + "\n")
        print("\nMISSING (also in missing.txt):")
        for line in lines[:50] + lines[-2:] if len(lines) > 52 else lines:
            print("  " + line)
    if failures:
        print("\nFAILED:\n  " + "\n  ".join(failures))
        print(f"work folder kept for inspection: {work} (forwarder.log, crash.toml, data/)")
        sys.exit(1)
    print("\nPASSED: every acknowledged event arrived")
    if args.keep or args.dir:
        print(f"work folder: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
