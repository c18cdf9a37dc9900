"""Contexts a value is embedded in, and the clean look-alike lines."""
from __future__ import annotations

from .common import *  # noqa: F401,F403
from .gen_core import *  # noqa: F401,F403
from .gen_ids_europe import *  # noqa: F401,F403
from .gen_vendor import *  # noqa: F401,F403
from .gen_ids_world import *  # noqa: F401,F403
from .gen_pii_misc import *  # noqa: F401,F403
from .gen_cloudkeys import *  # noqa: F401,F403
from .families import *  # noqa: F401,F403

# ---- Contexts: render(rng, ctx, plant) -> (lines, encode) -------------------
# `encode` maps a substring of plant.value to how it appears in the record;
# every context encoding works char by char, so the forms stay substrings.

NEUTRAL_KEYS = ["note", "detail", "comment", "info", "remark", "memo", "description", "extra", "label"]
NEUTRAL_HEADERS = ["X-Note", "X-Client-Info", "X-Debug-Detail", "X-Forwarded-Note"]
PATTERN_TEXT = ["user profile updated, new value {} saved", "lookup for {} returned no rows",
                "forwarding message from {} to queue orders", "validation passed for {} in 3ms",
                "received {} in request body", "retrying delivery to {} (attempt 2 of 5)", "{}"]
KEYED_TEXT = ["connecting to upstream with {}", "loaded settings: {} region=eu-west-1",
              "request failed, {} attempt=2", "debug dump {} end", "{}"]
ESC_TEMPLATES = ["validation failed for {} (retry=false)", "upstream replied {}", "unexpected input {}, skipping"]
MESSAGES = ["request completed", "config loaded", "user updated", "event received", "job finished"]


def header_name(key: str) -> str:
    words = re.split(r"[_\-]", re.sub(r"([a-z])([A-Z])", r"\1_\2", key))
    return "X-" + "-".join(w.capitalize() for w in words)


def nest(rng, key: str, value):
    """A nested JSON member holding key: value, as (top-level key, object)."""
    shape = rng.randrange(4)
    if shape == 0:
        return "event", {"type": "profile.update", "detail": {key: value}}
    if shape == 1:
        return "request", {"method": "POST", "path": "/api/v1/items", "headers": {key: value}}
    if shape == 2:
        return "context", {"user": {"id": uuid(rng), "attrs": {key: value}}}
    return "data", {"items": [{"id": rng.randint(1, 999), key: value}]}


def render(rng, ctx: str, p: Plant):
    """Embed p in a record of context ctx, under its own key or a neutral one."""
    key = p.key or rng.choice(NEUTRAL_KEYS)
    t = timestamp(rng)
    if ctx == "multiline":
        lines = p.value.split("\n")
        head = f"{log_prefix(rng)} could not load signing key:"
        return ([f"{head} {lines[0]}"] + lines[1:] if rng.random() < 0.5 else [head] + lines), ident
    if ctx == "text":
        frag = f"{p.key}{p.sep or rng.choice(['=', ': '])}{p.value}" if p.key else p.value
        return [f"{log_prefix(rng)} {rng.choice(KEYED_TEXT if p.key else PATTERN_TEXT).format(frag)}"], ident
    if ctx == "logfmt":
        needs_quotes = any(c in p.value for c in ' ="\\\n;')
        v, enc = (f'"{lf_esc(p.value)}"', lf_esc) if needs_quotes else (p.value, ident)
        pairs = [f"ts={iso(t)}", f"level={rng.choice(LEVELS).lower()}", f"svc={rng.choice(SERVICES)}",
                 f'msg="{rng.choice(MESSAGES)}"', f"{key.lower() if key == 'Authorization' else key}={v}",
                 f"req_id={hexid(rng, 16)}", f"dur_ms={rng.randint(1, 900)}"]
        if rng.random() < 0.5:
            pairs.append(pairs.pop(4))
        return [" ".join(pairs)], enc
    if ctx == "json":
        top, obj = nest(rng, key, p.value)
        rec = {"ts": iso(t), "level": rng.choice(LEVELS).lower(), "logger": rng.choice(SERVICES),
               "msg": rng.choice(MESSAGES), top: obj, "trace_id": hexid(rng, 32)}
        return [jdump(rec)], json_esc
    if ctx == "json_escaped":
        inner = rng.choice([f'"{p.value}"', f'{{"{key}":"{p.value}"}}']) if not p.key else \
            rng.choice([f'{{"{key}": "{p.value}"}}', f'{key}="{p.value}"'])
        rec = {"ts": iso(t), "level": "warn", "svc": rng.choice(SERVICES),
               "msg": rng.choice(ESC_TEMPLATES).format(inner)}
        return [jdump(rec)], json_esc
    if ctx == "json_in_json":
        top, obj = nest(rng, key, p.value)
        inner = jdump({"id": uuid(rng), "type": "webhook.received", top: obj})
        rec = {"ts": iso(t), "level": "info", "source": rng.choice(["sqs", "kafka", "pubsub"]), "body": inner}
        return [jdump(rec)], lambda s: json_esc(json_esc(s))
    if ctx == "urlencoded":
        url = f"https://api.partner.example/v1/lookup?{key}={pct(p.value)}&page={rng.randint(1, 9)}&lang=en"
        line = rng.choice([f"{log_prefix(rng)} outbound GET {url} status={rng.choice([200, 404, 502])}",
                           f'ts={iso(t)} level=debug msg="outbound request" url="{url}"'])
        return [line], pct
    if ctx == "header":
        name = p.header or (header_name(key) if p.key else rng.choice(NEUTRAL_HEADERS))
        prefix = rng.choice(["> ", "< ", "", f"{log_prefix(rng)} request header "])
        return [f"{prefix}{name}: {p.value}"], ident
    if ctx == "access_log":
        client, ref, enc = private_ip(rng), "-", pct
        where = rng.choice(["query", "referrer"] if p.key else ["path", "query", "referrer", "client"])
        path = f"/api/v1/orders/{rng.randint(1000, 99999)}"
        if where == "client" and p.family in ("ipv4", "ipv6"):
            client, enc = p.value, ident
        elif where == "path":
            path, enc = f"/api/v1/lookup/{quote(p.value, safe='@:+')}/details", lambda s: quote(s, safe="@:+")
        elif where == "referrer":
            ref = f"https://portal.example.com/account?{key}={pct(p.value)}"
        else:
            path = f"/search?{key}={pct(p.value)}&page=2"
        line = (f'{client} - - [{clf(t)}] "{rng.choice(["GET", "GET", "POST"])} {path} HTTP/1.1" '
                f'{rng.choice([200, 200, 302, 404])} {rng.randint(120, 90000)} "{ref}" "{rng.choice(USER_AGENTS)}"')
        return [line], enc
    raise ValueError(ctx)


def cut(text: str, forms) -> str:
    """The text with every occurrence of every form replaced by NUL."""
    for f in sorted(forms, key=len, reverse=True):
        text = text.replace(f, "\0")
    return text


def plant_record(rng, family: str, ctx: str) -> tuple:
    """(lines, label) of one record holding a value of `family` in `ctx`."""
    gen = FAMILIES[family][0]
    for _ in range(50):
        p = gen(rng, ctx)
        lines, enc = render(rng, ctx, p)
        text = "\n".join(lines)
        forms = [enc(f) for f in p.forms]
        rest = cut(text, forms)
        # Each form exactly once and nothing of the value elsewhere, so that
        # any survival in the output is a leak and not a coincidence.
        if all(text.count(f) == 1 for f in forms) and p.raw not in rest and \
                (len(p.raw) < 12 or p.raw[-8:] not in rest):
            return lines, {"clean": False, "family": family, "variant": p.variant, "context": ctx,
                           "raw": p.raw, "forms": forms}
    raise RuntimeError(f"cannot plant {family} in {ctx}")


# ---- Clean lines: realistic, full of look-alikes, nothing sensitive --------

def luhn_invalid16(rng) -> str:
    body = rng.choice("45") + rs(rng, DIGITS, 14)
    return body + str((luhn_check_digit(body) + rng.randint(1, 9)) % 10)


CLEAN_FIELDS = [
    lambda r: ("request_id", hexid(r, 16)), lambda r: ("trace_id", hexid(r, 32)), lambda r: ("user_id", uuid(r)),
    lambda r: ("commit", hexid(r, 40)), lambda r: ("image", f"registry.internal/app@sha256:{hexid(r, 64)}"),
    lambda r: ("version", f"v{r.randint(0, 3)}.{r.randint(0, 30)}.{r.randint(0, 20)}"),
    lambda r: ("duration_ms", r.randint(1, 5000)), lambda r: ("elapsed", f"{r.random() * 9:.3f}s"),
    lambda r: ("status", r.choice([200, 201, 204, 301, 304, 400, 401, 403, 404, 409, 429, 500, 503])),
    lambda r: ("bytes", r.randint(0, 10 ** 6)),
    lambda r: ("pod", f"{r.choice(SERVICES)}-{hexid(r, 10)}-{rs(r, LOWER + DIGITS, 5)}"),
    lambda r: ("peer", f"{private_ip(r)}:{r.choice([443, 5432, 6379, 8080, 9092])}"),
    lambda r: ("bind", r.choice(["[::1]:9090", "0.0.0.0:8080", "127.0.0.1:8443", "fe80::1ff:fe23:4567:890a%eth0"])),
    lambda r: ("invoice_id", luhn_invalid16(r)), lambda r: ("order", num(r, 9)),
    lambda r: ("ts_ms", BASE_TIME * 1000 + r.randrange(86400000)), lambda r: ("token_count", r.randint(1, 9000)),
    lambda r: ("retries", r.randint(0, 5)), lambda r: ("cursor", b64(jdump({"page": r.randint(2, 99)}).encode())),
    lambda r: ("file", f"/var/lib/{r.choice(SERVICES)}/cache/{hexid(r, 2)}/{hexid(r, 8)}.bin"),
    lambda r: ("date", f"2026-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"),
    lambda r: ("password_reset_sent", "true"), lambda r: ("cache", r.choice(["hit", "miss"])),
    lambda r: ("build", f"{r.randint(1, 3)}.{r.randint(0, 40)}.{r.randint(0, 999)}"),
    lambda r: ("payload_b64", b64(r.choice([b"hello world", b"ok", b"ping", b"status:green"]))),
]
CLEAN_MESSAGES = [
    "password reset email sent", "request completed", "listening on 0.0.0.0:8080", "health check ok",
    "connected to postgres at 10.0.4.12:5432", "cache warmed", "scheduled job finished", "retrying in 250ms",
    "rotate your ghp_ tokens yearly", "keys with the AKIA prefix are long-term credentials",
    "sk_live_ keys must never be logged", "payload starts with eyJ as expected", "no secrets found in config scan",
    "user changed their password", "token refresh scheduled in 300s", "order 482913775 shipped on 2026-11-29",
    "loaded certificate chain (3 certs, -----BEGIN CERTIFICATE----- blocks)", "resolved ::1 and fe80::1 for localhost",
    "GC pause 12ms, heap 512MiB", "upgraded from v1.4.2 to v1.5.0",
]
CLEAN_HEADERS = [
    lambda r: "Content-Type: application/json", lambda r: f"X-Request-Id: {uuid(r)}",
    lambda r: f"User-Agent: {r.choice(USER_AGENTS)}", lambda r: f"Content-Length: {r.randint(0, 99999)}",
    lambda r: "Accept: */*", lambda r: f'ETag: W/"{hexid(r, 16)}"', lambda r: "Host: api.internal:8443",
    lambda r: "Cache-Control: no-cache", lambda r: f"X-Trace-Id: {hexid(r, 32)}",
]
CLEAN_FORMATS = ("text", "logfmt", "json", "access_log", "header")


def clean_line(rng, fmt: str) -> str:
    t = timestamp(rng)
    fields = [f(rng) for f in rng.sample(CLEAN_FIELDS, rng.randint(2, 6))]
    msg = rng.choice(CLEAN_MESSAGES)
    if fmt == "text":
        return f"{log_prefix(rng)} {msg} ({', '.join(f'{k}={v}' for k, v in fields)})"
    if fmt == "logfmt":
        return " ".join([f"ts={iso(t)}", f"level={rng.choice(LEVELS).lower()}", f'msg="{msg}"'] +
                        [f"{k}={v}" for k, v in fields])
    if fmt == "json":
        rec = {"ts": iso(t), "level": rng.choice(LEVELS).lower(), "logger": rng.choice(SERVICES), "msg": msg}
        rec.update(fields[:-1])
        rec["http"] = {"method": rng.choice(["GET", "POST"]), "path": f"/api/v1/orders/{uuid(rng)}",
                       "status": rng.choice([200, 404, 500]), "attrs": dict(fields[-1:])}
        return jdump(rec)
    if fmt == "access_log":
        path = rng.choice([f"/api/v1/orders/{num(rng, 9)}", f"/static/app.{hexid(rng, 8)}.js",
                           f"/v2/items?cursor={fields[0][1]}&limit=50", "/healthz", f"/users/{uuid(rng)}/settings"])
        ref = rng.choice(["-", "https://app.example.com/orders", "https://portal.example.com/"])
        return (f'{private_ip(rng)} - - [{clf(t)}] "GET {path} HTTP/1.1" {rng.choice([200, 304, 404])} '
                f'{rng.randint(0, 90000)} "{ref}" "{rng.choice(USER_AGENTS)}"')
    return rng.choice(["> ", "< ", ""]) + rng.choice(CLEAN_HEADERS)(rng)
