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
import base64
import datetime as dt
import difflib
import ipaddress
import json
import random
import re
import string
import subprocess
import sys
import time
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "corpus"
DEFAULT_SEED, DEFAULT_PER_FAMILY, DEFAULT_CLEAN = 1337, 2000, 20000
RECALL_MIN, CLEAN_CHANGED_MAX = 99.0, 0.5

DIGITS, UPPER, LOWER = string.digits, string.ascii_uppercase, string.ascii_lowercase
ALNUM = string.ascii_letters + DIGITS
B32 = UPPER + "234567"
B64 = ALNUM + "+/"
URLSAFE = ALNUM + "_-"
HEX = "0123456789abcdef"
BASE62 = DIGITS + UPPER + LOWER
BASE_TIME = 1795910400  # 2026-11-29T00:00:00Z


# ---- Small helpers ---------------------------------------------------------

def rs(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choices(alphabet, k=n))


def num(rng: random.Random, n: int) -> str:
    """n digits, no leading zero."""
    return rng.choice("123456789") + rs(rng, DIGITS, n - 1)


def hexid(rng: random.Random, n: int) -> str:
    """Hex id with at least one letter (an all-digit id could pass for a card)."""
    while True:
        s = rs(rng, HEX, n)
        if not s.isdigit():
            return s


def uuid(rng: random.Random) -> str:
    h = hexid(rng, 32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def jdump(obj) -> str:
    return json.dumps(obj, separators=(",", ":"))


def json_esc(s: str) -> str:
    return json.dumps(s)[1:-1]


def pct(s: str) -> str:
    return quote(s, safe="")


def lf_esc(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def ident(s: str) -> str:
    return s


def luhn_check_digit(partial: str) -> int:
    total = 0
    for i, ch in enumerate(reversed(partial)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return (10 - total % 10) % 10


def timestamp(rng: random.Random) -> dt.datetime:
    secs = BASE_TIME + rng.randrange(86400)
    return dt.datetime.fromtimestamp(secs, dt.timezone.utc).replace(microsecond=rng.randrange(1000) * 1000)


def iso(t: dt.datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def clf(t: dt.datetime) -> str:
    return t.strftime("%d/%b/%Y:%H:%M:%S +0000")


def private_ip(rng: random.Random) -> str:
    return rng.choice([
        f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randint(1, 254)}",
        f"192.168.{rng.randrange(256)}.{rng.randint(1, 254)}",
        f"172.{rng.randint(16, 31)}.{rng.randrange(256)}.{rng.randint(1, 254)}",
        "127.0.0.1"])


SERVICES = ["checkout", "billing", "auth", "orders", "search", "gateway", "notifier", "inventory"]
LEVELS = ["INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"]
USER_AGENTS = ["curl/8.5.0", "Go-http-client/2.0", "python-requests/2.31.0", "kube-probe/1.29",
               "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
               "okhttp/4.12.0", "Apache-HttpClient/5.2.1 (Java/17.0.9)"]


def log_prefix(rng: random.Random) -> str:
    return f"{iso(timestamp(rng))} {rng.choice(LEVELS):<5} [{rng.choice(SERVICES)}]"


# ---- Value generators, one per family: gen(rng, ctx) -> Plant --------------

@dataclass
class Plant:
    """A value to embed. `value` is what goes into the record (it may wrap the
    secret: a URL, a connection string, "Bearer <tok>"); `raw` is the sensitive
    value itself and `forms` its sensitive substrings of `value`."""
    family: str
    variant: str
    value: str
    raw: str = ""
    forms: list = field(default_factory=list)
    key: str | None = None      # key the value needs (keyword families)
    header: str | None = None   # header name for the header context
    sep: str | None = None      # key/value separator in prose

    def __post_init__(self):
        self.raw = self.raw or self.value
        self.forms = self.forms or [self.raw]


FIRST = ["jane", "john", "alex", "sam", "maria", "li", "noah", "emma", "olivia", "test"]
LAST = ["doe", "smith", "example", "sample", "tester", "dummy", "fake", "roe"]
MAIL_DOMAINS = ["example.com", "example.org", "example.net", "mail.example.com", "corp.example", "acme.test"]


def g_email(rng, ctx):
    f, l = rng.choice(FIRST), rng.choice(LAST)
    local = rng.choice([f"{f}.{l}", f"{f}{l[0]}{rng.randint(1, 99)}", f"{f}_{l}",
                        f"{f}.{l}+{rng.choice(['news', 'billing'])}"])
    return Plant("email", "plain", f"{local}@{rng.choice(MAIL_DOMAINS)}")


CARD_BRANDS = [  # (brand, prefixes, length, grouping)
    ("visa", ["4"], 16, (4, 4, 4, 4)),
    ("mastercard", ["51", "52", "53", "54", "55"], 16, (4, 4, 4, 4)),
    ("mastercard-2series", [str(x) for x in range(2221, 2721)], 16, (4, 4, 4, 4)),
    ("amex", ["34", "37"], 15, (4, 6, 5)),
    ("discover", ["6011", "65"] + [str(x) for x in range(644, 650)], 16, (4, 4, 4, 4)),
    ("jcb", [str(x) for x in range(3528, 3590)], 16, (4, 4, 4, 4)),
    ("diners", ["36", "38"] + [f"30{x}" for x in range(6)], 14, (4, 6, 4)),
]


def g_card(rng, ctx):
    brand, prefixes, length, groups = rng.choice(CARD_BRANDS)
    body = rng.choice(prefixes)
    body += rs(rng, DIGITS, length - 1 - len(body))
    digits = body + str(luhn_check_digit(body))
    sep, style = rng.choice([("", "plain"), (" ", "space"), ("-", "dash")])
    parts = [digits[sum(groups[:i]):sum(groups[:i + 1])] for i in range(len(groups))]
    return Plant("payment_card", f"{brand}/{style}", sep.join(parts))


IBAN_LENGTHS = {c[:2]: int(c[2:]) for c in (
    "AD24 AE23 AT20 BE16 BG22 BH22 CH21 CY28 CZ24 DE22 DK18 EE20 ES24 FI18 FO18 FR27 GB22 GI23 GL18 GR27 HR21 HU28 "
    "IE22 IL23 IS26 IT27 KW30 KZ20 LB28 LI21 LT20 LU20 LV21 MC27 MT31 NL18 NO15 PL28 PT25 RO24 SA24 SE24 SI19 SK24 "
    "SM27 TN24 TR26").split()}
IBAN_BBAN = {"GB": "4a14n", "NL": "4a10n", "IE": "4a14n", "RO": "4a16c", "BG": "4a6n8c", "LV": "4a13c",
             "MT": "4a5n18c", "GI": "4a15c", "KW": "4a22c", "BH": "4a14c"}


def iban(rng, cc: str) -> str:
    spec = IBAN_BBAN.get(cc, f"{IBAN_LENGTHS[cc] - 4}n")
    bban = "".join(rs(rng, {"a": UPPER, "n": DIGITS, "c": UPPER + DIGITS}[kind], int(n))
                   for n, kind in re.findall(r"(\d+)([anc])", spec))
    check = 98 - int("".join(str(int(c, 36)) for c in bban + cc + "00")) % 97
    return f"{cc}{check:02d}{bban}"


def g_iban(rng, ctx):
    cc = rng.choice(list(IBAN_LENGTHS))
    v = iban(rng, cc)
    if rng.random() < 0.5:
        return Plant("iban", f"{cc}/grouped", " ".join(v[i:i + 4] for i in range(0, len(v), 4)))
    return Plant("iban", f"{cc}/compact", v)


def g_ssn(rng, ctx):
    area = rng.choice([a for a in range(1, 900) if a != 666])
    digits = f"{area:03d}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"
    if rng.random() < 0.7:
        return Plant("us_ssn", "dashed", f"{digits[:3]}-{digits[3:5]}-{digits[5:]}")
    key = rng.choice(["ssn", "SSN"])
    return Plant("us_ssn", "undashed+keyword", digits, key=key, sep=rng.choice(["=", ": "]), header="X-SSN")


def g_nino(rng, ctx):
    while True:
        p = rng.choice(UPPER) + rng.choice(UPPER)
        if p[0] not in "DFIQUV" and p[1] not in "DFIQUVO" and p not in ("BG", "GB", "KN", "NK", "NT", "TN", "ZZ"):
            break
    d, s = rs(rng, DIGITS, 6), rng.choice("ABCD")
    if rng.random() < 0.5:
        return Plant("uk_nino", "spaced", f"{p} {d[:2]} {d[2:4]} {d[4:]} {s}")
    return Plant("uk_nino", "compact", f"{p}{d}{s}")


US_AREAS = ["201", "212", "305", "312", "415", "503", "617", "646", "702", "718", "805", "917"]


def g_phone(rng, ctx):
    a, line = rng.choice(US_AREAS), f"01{rng.randrange(100):02d}"
    uk_tail, uk_mob = f"0{rng.randrange(1000):03d}", f"900{rng.randrange(1000):03d}"
    de_city = rng.choice([("30", 8), ("89", 8), ("40", 8), ("69", 7)])
    de_sub = num(rng, de_city[1])
    fr_d, fr = rng.choice("1234567"), [f"{rng.randrange(100):02d}" for _ in range(4)]
    variant, value = rng.choice([
        ("us/e164", f"+1{a}555{line}"), ("us/paren", f"({a}) 555-{line}"), ("us/dash", f"{a}-555-{line}"),
        ("uk/intl", f"+44 20 7946 {uk_tail}"), ("uk/national", f"020 7946 {uk_tail}"),
        ("uk/e164", f"+44207946{uk_tail}"), ("uk/mobile", f"07700 {uk_mob}"), ("uk/mobile-intl", f"+44 7700 {uk_mob}"),
        ("de/intl", f"+49 {de_city[0]} {de_sub}"), ("de/national", f"0{de_city[0]} {de_sub}"),
        ("de/e164", f"+49{de_city[0]}{de_sub}"),
        ("fr/intl", f"+33 {fr_d} {' '.join(fr)}"), ("fr/national", f"0{fr_d} {' '.join(fr)}"),
        ("fr/e164", f"+33{fr_d}{''.join(fr)}"),
    ])
    return Plant("phone", variant, value)


def g_ipv4(rng, ctx):
    while True:
        ip = f"{rng.randint(1, 223)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randint(1, 254)}"
        if ipaddress.IPv4Address(ip).is_global:
            return Plant("ipv4", "public", ip)


V6_PREFIXES = [0x2a001450, 0x20014860, 0x26064700, 0x2a032880, 0x2604a880, 0x2400cb00, 0x2a0104f8, 0x2a02c7c0]


def g_ipv6(rng, ctx):
    while True:
        hi = rng.choice(V6_PREFIXES)
        groups = [hi >> 16, hi & 0xFFFF] + [rng.getrandbits(16) for _ in range(6)]
        if rng.random() < 0.7:  # a zero run, so that most addresses show "::"
            start = rng.randint(3, 5)
            for i in range(start, start + rng.randint(2, 7 - start)):
                groups[i] = 0
        addr = ipaddress.IPv6Address(int("".join(f"{g:04x}" for g in groups), 16))
        if addr.is_global:
            s = addr.compressed
            return Plant("ipv6", "compressed" if "::" in s else "full", s)


def g_aws_secret(rng, ctx):
    v = rs(rng, B64, 40)
    if ctx.startswith("json") and rng.random() < 0.6:
        return Plant("aws_secret_access_key", "SecretAccessKey", v, key="SecretAccessKey")
    return Plant("aws_secret_access_key", "aws_secret_access_key", v, key="aws_secret_access_key", sep="=")


def gh_classic(rng, prefix: str) -> str:
    """Prefix + 30 random base62 + 6-char base62 CRC32 of those 30 (GitHub's
    checksum). Only CRCs that need all 6 digits, so padding never matters."""
    while True:
        ent = rs(rng, ALNUM, 30)
        crc = zlib.crc32(ent.encode())
        if crc >= 62 ** 5:
            out = ""
            while crc:
                crc, r = divmod(crc, 62)
                out = BASE62[r] + out
            return prefix + ent + out


def g_github(rng, ctx):
    prefix = rng.choice(["ghp_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"])
    if prefix == "github_pat_":
        return Plant("github_token", prefix, f"github_pat_{rs(rng, ALNUM, 22)}_{rs(rng, ALNUM, 59)}")
    return Plant("github_token", prefix, gh_classic(rng, prefix))


def g_slack_token(rng, ctx):
    if rng.random() < 0.5:
        team, bot = num(rng, rng.randint(10, 13)), num(rng, rng.randint(10, 13))
        return Plant("slack_token", "xoxb", f"xoxb-{team}-{bot}-{rs(rng, ALNUM, 24)}")
    return Plant("slack_token", "xoxp", f"xoxp-{num(rng, 11)}-{num(rng, 11)}-{num(rng, 12)}-{rs(rng, HEX, 32)}")


def g_slack_webhook(rng, ctx):
    """The path after hooks.slack.com/ is the secret; the host is not."""
    path = f"services/T0{rs(rng, UPPER + DIGITS, 8)}/B0{rs(rng, UPPER + DIGITS, 8)}/{rs(rng, ALNUM, 24)}"
    return Plant("slack_webhook", "services", "https://hooks.slack.com/" + path, raw=path)


def g_stripe(rng, ctx):
    prefix = rng.choice(["sk_live_", "rk_live_", "sk_test_"])
    return Plant("stripe_key", prefix, prefix + rs(rng, ALNUM, rng.choice([24, 32, 99])))


def g_azure_conn(rng, ctx):
    key = b64(rng.randbytes(64))  # 86 chars + "=="
    acct = "st" + rs(rng, LOWER + DIGITS, rng.randint(6, 14))
    return Plant("azure_storage_key", "connection-string",
                 f"DefaultEndpointsProtocol=https;AccountName={acct};AccountKey={key};EndpointSuffix=core.windows.net",
                 raw=key)


def g_azure_sas(rng, ctx):
    while True:
        sig = b64(rng.randbytes(32))
        if "+" in sig or "/" in sig:
            break
    acct = "st" + rs(rng, LOWER + DIGITS, 10)
    url = (f"https://{acct}.blob.core.windows.net/{rng.choice(['logs', 'exports', 'backups'])}/{hexid(rng, 12)}.json"
           "?sv=2022-11-02&ss=b&srt=sco&sp=rl&se=2026-12-31T23%3A59%3A59Z&st=2026-11-29T00%3A00%3A00Z"
           f"&spr=https&sig={pct(sig)}")
    return Plant("azure_sas", "blob-sas-url", url, raw=sig, forms=[pct(sig)])


def jwt(rng) -> str:
    alg, siglen = rng.choice([("HS256", 43), ("RS256", 342), ("ES256", 86), ("HS512", 86)])
    t = BASE_TIME + rng.randrange(86400)
    payload = {"sub": f"user-{rng.randint(1000, 99999)}", "name": "Test User", "iss": "https://auth.example.com",
               "iat": t, "exp": t + 3600}
    segs = [base64.urlsafe_b64encode(jdump(obj).encode()).decode().rstrip("=")
            for obj in ({"alg": alg, "typ": "JWT"}, payload)]
    return ".".join(segs + [rs(rng, URLSAFE, siglen)])


PEM_KINDS = {  # kind -> (armour label, usual start of the body, line width)
    "RSA": ("RSA PRIVATE KEY", "MIIEowIBAAKCAQEA", 64), "EC": ("EC PRIVATE KEY", "MHcCAQEEI", 64),
    "OPENSSH": ("OPENSSH PRIVATE KEY", "b3BlbnNzaC1rZXktdjEAAAAA", 70), "PKCS8": ("PRIVATE KEY", "MIIEvQIBADAN", 64)}


def g_pem(rng, ctx):
    kind = rng.choice(list(PEM_KINDS))
    label, lead, width = PEM_KINDS[kind]
    size = width * rng.randint(3, 9) + rng.randint(24, width - 4)  # last line >= 24 chars
    body = lead + rs(rng, B64, size - len(lead) - 1) + rng.choice("=A")
    lines = [body[i:i + width] for i in range(0, len(body), width)]
    block = [f"-----BEGIN {label}-----"] + lines + [f"-----END {label}-----"]
    if ctx == "text" and rng.random() < 0.5:
        variant, value = "literal-backslash-n", "\\n".join(block)
    elif ctx == "text":
        variant, value = "flattened", " ".join(block)
    else:  # multiline: real newlines; json*/logfmt: encoded as \n by the context
        variant, value = ("newlines" if ctx == "multiline" else "escaped-newlines"), "\n".join(block) + "\n"
    return Plant("private_key", f"{kind}/{variant}", value.rstrip("\n") if ctx == "multiline" else value,
                 raw="\n".join(lines), forms=lines)


URL_TARGETS = [("https", "api.example.com/v1/export"), ("postgres", "db-1.prod.example.net:5432/orders"),
               ("postgresql", "pg.internal.example:5432/app?sslmode=require"), ("mysql", "mysql.example.net:3306/shop"),
               ("mongodb+srv", "cluster0.ab1cd.mongodb.example.net/app?retryWrites=true"),
               ("redis", "cache.example.net:6379/0"), ("amqp", "rabbit.example.net:5672/jobs")]


def secretish(rng, lo: int, hi: int, extra: str = "") -> str:
    """Random credential-like value with at least one letter and one digit."""
    while True:
        v = rng.choice(ALNUM) + rs(rng, ALNUM + extra, rng.randint(lo, hi) - 1)
        if any(c.isdigit() for c in v) and any(c.isalpha() for c in v):
            return v


def g_url_cred(rng, ctx):
    scheme, rest = rng.choice(URL_TARGETS)
    user = rng.choice(["app", "svc_reader", "deploy", "etl-job", "grafana", "admin"])
    pw = secretish(rng, 12, 24, "-_.~")
    return Plant("url_credentials", scheme, f"{scheme}://{user}:{pw}@{rest}", raw=pw)


def g_bearer(rng, ctx):
    tok = jwt(rng) if rng.random() < 0.25 else secretish(rng, 32, 64, "-._~")
    return Plant("auth_bearer", "Bearer", f"Bearer {tok}", raw=tok, key="Authorization", header="Authorization",
                 sep=": ")


def g_basic(rng, ctx):
    user = rng.choice(["svc-backup", "admin", "deploy", "api_client", "jenkins"])
    cred = b64(f"{user}:{secretish(rng, 10, 20)}".encode())
    return Plant("auth_basic", "Basic", f"Basic {cred}", raw=cred, key="Authorization", header="Authorization",
                 sep=": ")


GENERIC_KEYS = ["password", "passwd", "pwd", "secret", "client_secret", "app_secret", "token", "auth_token",
                "access_token", "api_key", "db_password", "apiKey"]


def g_generic(rng, ctx):
    key = rng.choice(GENERIC_KEYS)
    return Plant("generic_secret", key, secretish(rng, 10, 28, "!#-_."), key=key, sep=rng.choice(["=", ": "]))


CONTEXTS = ("text", "logfmt", "json", "json_escaped", "json_in_json", "urlencoded", "header", "access_log")
AUTH_CTX = ("text", "logfmt", "json", "json_escaped", "json_in_json", "header")
PEM_CTX = ("multiline", "text", "logfmt", "json", "json_escaped", "json_in_json")
FAMILIES = {  # family -> (generator(rng, ctx) -> Plant, contexts)
    "email": (g_email, CONTEXTS),
    "payment_card": (g_card, CONTEXTS),
    "iban": (g_iban, CONTEXTS),
    "us_ssn": (g_ssn, CONTEXTS),
    "uk_nino": (g_nino, CONTEXTS),
    "phone": (g_phone, CONTEXTS),
    "ipv4": (g_ipv4, CONTEXTS),
    "ipv6": (g_ipv6, CONTEXTS),
    "aws_access_key_id": (lambda r, c: Plant("aws_access_key_id", "AKIA", "AKIA" + rs(r, B32, 16)), CONTEXTS),
    "aws_secret_access_key": (g_aws_secret, CONTEXTS),
    "github_token": (g_github, CONTEXTS),
    "gitlab_token": (lambda r, c: Plant("gitlab_token", "glpat", "glpat-" + rs(r, URLSAFE, 20)), CONTEXTS),
    "slack_token": (g_slack_token, CONTEXTS),
    "slack_webhook": (g_slack_webhook, CONTEXTS),
    "stripe_key": (g_stripe, CONTEXTS),
    "google_api_key": (lambda r, c: Plant("google_api_key", "AIza", "AIzaSy" + rs(r, URLSAFE, 33)), CONTEXTS),
    "azure_storage_key": (g_azure_conn, CONTEXTS),
    "azure_sas": (g_azure_sas, CONTEXTS),
    "jwt": (lambda r, c: Plant("jwt", "jws", jwt(r)), CONTEXTS),
    "private_key": (g_pem, PEM_CTX),
    "url_credentials": (g_url_cred, CONTEXTS),
    "auth_bearer": (g_bearer, AUTH_CTX),
    "auth_basic": (g_basic, AUTH_CTX),
    "generic_secret": (g_generic, CONTEXTS),
}


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
