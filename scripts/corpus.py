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
    if rng.random() < 0.5:  # national formats of 18 more countries, after a phone word (pii-misc section)
        return g_phone_national(rng, ctx)
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


# ---- ids-europe: national identifiers with check digits (IT SE FI DK BE NO PT IE CH, UK NHS) ----
# Check digits are computed here independently of the Rust validators.

def birth_date(rng, y0: int = 1930, y1: int = 2020) -> dt.date:
    start = dt.date(y0, 1, 1)
    return start + dt.timedelta(days=rng.randrange((dt.date(y1, 12, 31) - start).days + 1))


CF_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]
CF_FAKE = ["TST", "FKE", "XMP", "DMM", "SMP", "PRV", "NLL", "CMP"]


def cf_check(s: str) -> str:
    """Codice fiscale check letter: odd positions (1-based) through the odd
    table (digits as A-J), even positions as 0-9 / A=0..Z=25, mod 26."""
    total = 0
    for i, c in enumerate(s):
        v = int(c) if c.isdigit() else ord(c) - 65
        total += CF_ODD[v] if i % 2 == 0 else v
    return chr(65 + total % 26)


def g_it_cf(rng, ctx):
    d = birth_date(rng)
    day = d.day + (40 if rng.random() < 0.5 else 0)
    body = (rng.choice(CF_FAKE) + rng.choice(CF_FAKE) + f"{d.year % 100:02d}" + "ABCDEHLMPRST"[d.month - 1] +
            f"{day:02d}" + rng.choice("ABCDEFGHILMZ") + f"{rng.randint(1, 999):03d}")
    variant = rng.choice(["plain", "plain", "plain", "omocodia", "lower"])
    if variant == "omocodia":  # digits from the right replaced by L-V
        b = list(body)
        for pos in (14, 13, 12, 10, 9, 7, 6)[:rng.randint(1, 3)]:
            b[pos] = "LMNPQRSTUV"[int(b[pos])]
        body = "".join(b)
    v = body + cf_check(body)
    return Plant("it_codice_fiscale", variant, v.lower() if variant == "lower" else v)


def luhn10(body: str) -> str:
    """Luhn check digit for body (weights 2,1,2,... from the right of body)."""
    total = 0
    for i, c in enumerate(reversed(body)):
        x = int(c) * (2 if i % 2 == 0 else 1)
        total += x - 9 if x > 9 else x
    return str((10 - total % 10) % 10)


def g_se_pnr(rng, ctx):
    d = birth_date(rng, 1920, 2020)
    samordning = rng.random() < 0.2
    body = f"{d.year % 100:02d}{d.month:02d}{d.day + (60 if samordning else 0):02d}{rng.randrange(1000):03d}"
    v = body + luhn10(body)
    form = rng.choice(["dash", "compact", "long", "long-dash"])
    if form == "dash":
        v = f"{v[:6]}{'+' if d.year <= 1926 else '-'}{v[6:]}"
    elif form.startswith("long"):
        v = f"{d.year // 100}{v[:6]}{'-' if form == 'long-dash' else ''}{v[6:]}"
    key = rng.choice(["personnummer", "pnr", "personnr", "samordningsnummer" if samordning else "personnummer"])
    return Plant("se_personnummer", f"{'samordning' if samordning else 'pnr'}/{form}", v, key=key,
                 sep=rng.choice(["=", ": "]))


def g_fi_hetu(rng, ctx):
    d = birth_date(rng, 1900, 2023)
    sign = rng.choice("-YXWVU") if d.year < 2000 else rng.choice("ABCDEF")
    n = rng.randint(2, 899)
    digits = f"{d.day:02d}{d.month:02d}{d.year % 100:02d}"
    check = "0123456789ABCDEFHJKLMNPRSTUVWXY"[int(f"{digits}{n:03d}") % 31]
    return Plant("fi_hetu", "2023-sign" if sign not in "-A" else "classic", f"{digits}{sign}{n:03d}{check}",
                 key=rng.choice(["hetu", "HETU", "henkilotunnus"]), sep=rng.choice(["=", ": "]))


def g_dk_cpr(rng, ctx):
    d = birth_date(rng, 1937, 2024)
    s7 = rng.choice("0123") if d.year < 2000 else rng.choice("49")
    v = f"{d.day:02d}{d.month:02d}{d.year % 100:02d}-{s7}{rng.randrange(1000):03d}"
    dashed = rng.random() < 0.6
    return Plant("dk_cpr", "dashed" if dashed else "compact", v if dashed else v.replace("-", ""),
                 key=rng.choice(["cpr", "cpr_nr", "cprNummer", "CPR"]), sep=rng.choice(["=", ": "]))


def g_be_nrn(rng, ctx):
    d = birth_date(rng, 1930, 2023)
    month = d.month + (rng.choice([20, 40]) if rng.random() < 0.15 else 0)  # bis number
    base = int(f"{d.year % 100:02d}{month:02d}{d.day:02d}{rng.randint(1, 997):03d}")
    v = f"{base:09d}{97 - (base + (2000000000 if d.year >= 2000 else 0)) % 97:02d}"
    dotted = rng.random() < 0.5
    if dotted:
        v = f"{v[:2]}.{v[2:4]}.{v[4:6]}-{v[6:9]}.{v[9:]}"
    return Plant("be_national_number", "dotted" if dotted else "compact", v,
                 key=rng.choice(["rijksregisternummer", "niss", "insz", "national_number"]), sep=rng.choice(["=", ": "]))


def g_no_fnr(rng, ctx):
    w1, w2 = (3, 7, 6, 1, 8, 9, 4, 5, 2), (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    while True:
        d = birth_date(rng)
        dnum = rng.random() < 0.2
        body = [int(c) for c in f"{d.day + (40 if dnum else 0):02d}{d.month:02d}{d.year % 100:02d}{rng.randrange(1000):03d}"]
        k1 = (11 - sum(a * b for a, b in zip(body, w1)) % 11) % 11
        if k1 == 10:
            continue
        k2 = (11 - sum(a * b for a, b in zip(body + [k1], w2)) % 11) % 11
        if k2 == 10:
            continue
        return Plant("no_fodselsnummer", "d-number" if dnum else "fnr", "".join(map(str, body + [k1, k2])),
                     key=rng.choice(["fnr", "fodselsnummer", "dnummer" if dnum else "fnr"]), sep=rng.choice(["=", ": "]))


PT_NIF_PREFIXES = ["1", "2", "2", "3", "5", "5", "6", "8", "45", "70", "71", "72", "74", "75", "77", "79", "90",
                   "91", "98", "99"]


def g_pt_nif(rng, ctx):
    body = rng.choice(PT_NIF_PREFIXES)
    body += rs(rng, DIGITS, 8 - len(body))
    r = sum(int(c) * (9 - i) for i, c in enumerate(body)) % 11
    return Plant("pt_nif", "person" if body[0] in "123" else "entity", body + str(0 if r < 2 else 11 - r),
                 key=rng.choice(["nif", "NIF", "nipc", "numero_contribuinte"]), sep=rng.choice(["=", ": "]))


def g_ie_ppsn(rng, ctx):
    body = rs(rng, DIGITS, 7)
    second = rng.choice(["", "", "", "W", "A", "B", "H"])
    total = sum(int(c) * (8 - i) for i, c in enumerate(body)) + (9 * (ord(second) - 64) if second and second != "W" else 0)
    return Plant("ie_ppsn", f"second-{second or 'none'}", body + "WABCDEFGHIJKLMNOPQRSTUV"[total % 23] + second,
                 key=rng.choice(["ppsn", "PPSN", "ppsNumber", "pps_no"]), sep=rng.choice(["=", ": "]))


def g_ch_ahv(rng, ctx):
    body = "756" + rs(rng, DIGITS, 9)
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body))
    v = body + str((10 - total % 10) % 10)
    if rng.random() < 0.5:  # the dotted form needs no keyword
        return Plant("ch_ahv", "dotted", f"{v[:3]}.{v[3:7]}.{v[7:11]}.{v[11:]}")
    return Plant("ch_ahv", "compact+keyword", v, key=rng.choice(["ahv", "ahv_nr", "avs_number", "ahvNummer"]),
                 sep=rng.choice(["=", ": "]))


def g_uk_nhs(rng, ctx):
    while True:
        body = rs(rng, DIGITS, 9)
        check = (11 - sum(int(c) * (10 - i) for i, c in enumerate(body)) % 11) % 11
        if check != 10:
            break
    v = body + str(check)
    form, sep = rng.choice([("spaced", " "), ("dashed", "-"), ("compact", "")])
    return Plant("uk_nhs_number", form, sep.join([v[:3], v[3:6], v[6:]]),
                 key=rng.choice(["nhs_number", "nhsNumber", "nhs_no", "NHS"]), sep=rng.choice(["=", ": "]))


# ---- vendor tokens: saas-extra, payments, ci-devtools, observability rules ----
# One family per group of vendor rules (saas-extra.toml is split into SaaS,
# cloud/data platforms and AI providers), each picking a provider at random:
# the variant is the provider. A provider with key names is keyword-gated
# (its format has no prefix): the key it is planted under carries the keyword
# its rule needs. A provider whose value wraps the secret (a URL) returns
# (value, raw).

ZBASE32 = "ybndrfg8ejkmcpqxot1uwisza345h769"  # Mattermost ids and tokens
B32_LOWER = LOWER + "234567"


def mixed(rng, alphabet: str, n: int) -> str:
    """rs() with an upper-case letter, a lower-case letter and a digit (never hex-only)."""
    while True:
        v = rs(rng, alphabet, n)
        if any(c.isupper() for c in v) and any(c.islower() for c in v) and any(c.isdigit() for c in v):
            return v


def base62(n: int, width: int) -> str:
    out = ""
    while n:
        n, r = divmod(n, 62)
        out = BASE62[r] + out
    return out.rjust(width, "0")


def vercel_token(rng) -> str:
    body = rs(rng, ALNUM, 50)
    return rng.choice(["vcp_", "vci_", "vca_", "vcr_", "vck_"]) + body + base62(zlib.crc32(body.encode()), 6)


def intercom_token(rng) -> str:
    u = uuid(rng).replace("-", "_")
    return b64(f"tok:{u}:1:0".encode())


def adyen_key(rng) -> str:
    return ("AQE" + rs(rng, ALNUM, 5) + rs(rng, B64, 88) + "==-" + rs(rng, B64, 43) + "=-"
            + rs(rng, ALNUM + "<>{}()*^~,@!$+;", 16))


def teamcity_token(rng) -> str:
    mid = base64.urlsafe_b64encode(rs(rng, URLSAFE, 27).encode()).decode()
    return f"eyJ0eXAiOiAiVENWMiJ9.{mid}.{b64(uuid(rng).encode())}"


def checkout_key(rng) -> str:
    if rng.random() < 0.5:
        return rng.choice(["sk_", "sk_test_"]) + uuid(rng)
    return rng.choice(["sk_", "sk_sbox_"]) + rs(rng, B32_LOWER, 26) + rng.choice(B32_LOWER + "*#$=")


def twitter_bearer(rng) -> str:
    return ("A" * 21 + rs(rng, ALNUM, 9) + "A" * 7 + rs(rng, ALNUM, 20) + "%2B" + rs(rng, ALNUM, 20) + "%3D"
            + rs(rng, ALNUM, 50))


SAAS_TOKENS = {  # provider -> (value(rng), key names or None)
    "airtable": (lambda r: f"pat{mixed(r, ALNUM, 14)}.{rs(r, HEX, 64)}",
                 ["AIRTABLE_PAT", "airtable_token", "airtable"]),
    "asana": (lambda r: r.choice([f"1/{num(r, 16)}:{rs(r, HEX, 32)}",
                                  f"2/{num(r, 16)}/{num(r, 16)}:{rs(r, HEX, 32)}"]),
              ["asana_pat", "ASANA_ACCESS_TOKEN", "asanaToken", "asana"]),
    "notion": (lambda r: r.choice([f"secret_{mixed(r, ALNUM, 43)}", f"ntn_{num(r, 11)}{mixed(r, ALNUM, 35)}"]), None),
    "figma": (lambda r: "figd_" + mixed(r, URLSAFE, 40), None),
    "zendesk": (lambda r: mixed(r, ALNUM, 40), ["ZENDESK_API_TOKEN", "zendesk_token", "zendeskApiToken", "zendesk"]),
    "hubspot": (lambda r: f"pat-{r.choice(['na1', 'na2', 'eu1', 'ap1'])}-{uuid(r)}", None),
    "intercom": (intercom_token, None),
    "segment": (lambda r: "sgp_" + mixed(r, ALNUM, 64), None),
    "typeform": (lambda r: f"tfp_{mixed(r, ALNUM, 44)}_{mixed(r, ALNUM, 14)}", None),
    "frameio": (lambda r: "fio-u-" + mixed(r, URLSAFE, 64), None),
    "dropbox": (lambda r: r.choice(["sl.", "sl.u."]) + mixed(r, URLSAFE, r.choice([138, 140, 420])), None),
    "mailgun": (lambda r: r.choice([f"key-{rs(r, HEX, 32)}", f"{rs(r, HEX, 32)}-{rs(r, HEX, 8)}-{rs(r, HEX, 8)}"]),
                ["MAILGUN_API_KEY", "mailgun_key", "mailgunSigningKey", "mailgun"]),
    "postmark": (uuid, ["X-Postmark-Server-Token", "POSTMARK_API_TOKEN", "postmarkServerToken", "postmarkServer"]),
    "algolia": (lambda r: rs(r, HEX, 32),
                ["ALGOLIA_API_KEY", "algolia_admin_key", "X-Algolia-API-Key", "algoliaAdmin"]),
    "twitter": (twitter_bearer, None),
    "facebook": (lambda r: "EAA" + r.choice("BGIJ") + mixed(r, ALNUM, r.randint(150, 220)), None),
    "mattermost_webhook": (lambda r: (lambda t: (f"https://chat.example.com/hooks/{t}", t))(rs(r, ZBASE32, 26)),
                           None),
    "mattermost_token": (lambda r: rs(r, ZBASE32, 26),
                         ["MATTERMOST_TOKEN", "mm_bot_token", "mattermostAccessToken", "mattermostBot"]),
}

CLOUD_TOKENS = {
    "linode": (lambda r: rs(r, HEX, 64), ["LINODE_TOKEN", "linode_api_token", "linodeCliToken", "linodeApi"]),
    "hetzner": (lambda r: mixed(r, ALNUM, 64), ["HCLOUD_TOKEN", "hetzner_token", "hcloudToken", "hcloud"]),
    "vultr": (lambda r: mixed(r, UPPER + DIGITS + LOWER, 36).upper(),
              ["VULTR_API_KEY", "vultr_key", "vultrApiKey", "vultr"]),
    "scaleway_access": (lambda r: "SCW" + rs(r, UPPER + DIGITS, 17), None),
    "scaleway_secret": (uuid, ["SCW_SECRET_KEY", "scaleway_secret_key", "scwSecretKey"]),
    "yandex_api_key": (lambda r: "AQVN" + mixed(r, URLSAFE, 36), None),
    "yandex_iam_token": (lambda r: f"t1.9euelZ{mixed(r, URLSAFE, 80)}.{mixed(r, URLSAFE, 86)}", None),
    "yandex_oauth": (lambda r: f"y{r.randint(0, 3)}_Ag{mixed(r, URLSAFE, 53)}", None),
    "tencent": (lambda r: "AKID" + mixed(r, ALNUM, 32), None),
    "ibm": (lambda r: mixed(r, URLSAFE, 44), ["IBMCLOUD_API_KEY", "ibm_api_key", "iam_apikey", "ibmcloud"]),
    "confluent": (lambda r: mixed(r, ALNUM + "+/", 64), ["CONFLUENT_CLOUD_API_SECRET", "confluent_secret",
                                                          "confluentApiSecret", "confluent"]),
    "mongodb_atlas": (uuid, ["MONGODB_ATLAS_PRIVATE_KEY", "atlas_private_key", "private_api_key", "atlasPrivate"]),
    "mongodb_sa": (lambda r: "mdb_sa_sk_" + mixed(r, URLSAFE, 6) + mixed(r, ALNUM, 34), None),
}

AI_TOKENS = {
    "pinecone": (lambda r: f"pcsk_{mixed(r, ALNUM, 5)}_{mixed(r, ALNUM, 63)}", None),
    "cohere": (lambda r: mixed(r, ALNUM, 40), ["COHERE_API_KEY", "cohere_key", "cohereToken", "cohere"]),
    "mistral": (lambda r: mixed(r, ALNUM, 32), ["MISTRAL_API_KEY", "mistral_key", "mistralApiKey", "mistral"]),
    "deepseek": (lambda r: "sk-" + hexid(r, 32), None),
    "fireworks": (lambda r: "fw_" + mixed(r, ALNUM, 24), None),
    "elevenlabs": (lambda r: "sk_" + hexid(r, 48), None),
    "assemblyai": (lambda r: hexid(r, 32), ["ASSEMBLYAI_API_KEY", "assemblyai_key", "assemblyaiToken", "assemblyai"]),
    "deepgram": (lambda r: hexid(r, 40), ["DEEPGRAM_API_KEY", "deepgram_key", "deepgramToken", "deepgram"]),
}

PAYMENT_TOKENS = {
    "razorpay_key_id": (lambda r: f"rzp_{r.choice(['live', 'test'])}_{mixed(r, ALNUM, 14)}", None),
    "razorpay_secret": (lambda r: mixed(r, ALNUM, 24),
                        ["RAZORPAY_KEY_SECRET", "razorpay_secret", "key_secret", "razorpay"]),
    "mollie": (lambda r: r.choice(["live_", "test_"]) + mixed(r, ALNUM, 30), ["MOLLIE_API_KEY", "mollie_key",
                                                                             "mollieApiKey", "mollie"]),
    "lob": (lambda r: r.choice(["live_", "test_"]) + hexid(r, 35), None),
    "checkout": (checkout_key, None),
    "adyen": (adyen_key, None),
    "paypal": (lambda r: "E" + mixed(r, URLSAFE, r.choice([59, 79])), ["PAYPAL_CLIENT_SECRET", "paypal_secret",
                                                                     "paypalClientSecret", "paypal"]),
    "braintree": (lambda r: hexid(r, 32),
                  ["BRAINTREE_PRIVATE_KEY", "braintree_private_key", "braintreePrivateKey", "braintreePrivate"]),
    "paddle": (lambda r: (f"pdl_{r.choice(['live', 'sdbx'])}_apikey_{rs(r, LOWER + DIGITS, 26)}_{mixed(r, ALNUM, 22)}"
                          f"_{rs(r, ALNUM, 3)}"), None),
    "mercadopago": (lambda r: f"APP_USR-{num(r, 16)}-{num(r, 6)}-{hexid(r, 32)}-{num(r, 9)}", None),
    "mercadopago_test": (lambda r: f"TEST-{num(r, 16)}-{num(r, 6)}-{hexid(r, 32)}-{num(r, 9)}",
                         ["MERCADOPAGO_ACCESS_TOKEN", "mercadopago"]),
    "plaid_access": (lambda r: f"access-{r.choice(['sandbox', 'development', 'production'])}-{uuid(r)}", None),
    "plaid_secret": (lambda r: hexid(r, 30), ["PLAID_SECRET", "plaid_secret", "plaidSandboxSecret", "plaid"]),
}

CI_TOKENS = {
    "circleci": (lambda r: f"{r.choice(['CCIPAT_', 'CCIPRJ_'])}{mixed(r, ALNUM, 22)}_{rs(r, HEX, 40)}", None),
    "travis": (lambda r: mixed(r, ALNUM, 22), ["TRAVIS_API_TOKEN", "travis_token", "travisToken", "travisApi"]),
    "codecov": (uuid, ["CODECOV_TOKEN", "codecov_token", "codecovToken", "codecovUpload"]),
    "jenkins": (lambda r: r.choice(["11", ""]) + hexid(r, 32), ["JENKINS_API_TOKEN", "jenkins_token",
                                                               "jenkinsApiToken", "jenkinsApi"]),
    "teamcity": (teamcity_token, None),
    "octopus": (lambda r: "API-" + mixed(r, UPPER + DIGITS + LOWER, 26).upper(), None),
    "jfrog_api_key": (lambda r: "AKCp" + mixed(r, ALNUM, 69), None),
    "jfrog_reference": (lambda r: "cmVmdGtuOjAxOj" + mixed(r, ALNUM, 50), None),
    "snyk": (uuid, ["SNYK_TOKEN", "snyk_api_token", "snykToken", "snykApi"]),
    "sonarqube": (lambda r: r.choice(["squ_", "sqp_", "sqa_"]) + rs(r, HEX, 40), None),
    "launchdarkly": (lambda r: r.choice(["api-", "sdk-", "mob-"]) + uuid(r), None),
    "vercel": (vercel_token, None),
    "render": (lambda r: "rnd_" + mixed(r, ALNUM, 28), None),
    "fastly": (lambda r: mixed(r, URLSAFE, 32), ["FASTLY_API_TOKEN", "Fastly-Key", "fastlyToken"]),
    "scalingo": (lambda r: "tk-us-" + mixed(r, URLSAFE, 48), None),
}

OBSERVABILITY_TOKENS = {
    "datadog_api_key": (lambda r: hexid(r, 32), ["DD_API_KEY", "datadog_api_key", "DD-API-KEY", "datadogApi"]),
    "datadog_app_key": (lambda r: hexid(r, 40),
                        ["DD_APP_KEY", "datadog_application_key", "DD-APPLICATION-KEY", "datadogApp"]),
    "pagerduty_api_key": (lambda r: r.choice(["u+" + mixed(r, URLSAFE, 18), mixed(r, URLSAFE, 20)]),
                          ["PAGERDUTY_TOKEN", "pagerduty_api_key", "pagerdutyToken", "pagerduty"]),
    "pagerduty_routing_key": (lambda r: mixed(r, ALNUM, 32), ["PAGERDUTY_ROUTING_KEY", "routing_key",
                                                              "pagerdutyIntegrationKey"]),
    "honeycomb": (lambda r: r.choice(["hcaik_", "hcxik_"]) + "01" + rs(r, LOWER + DIGITS, 56), None),
    "honeycomb_legacy": (lambda r: r.choice([hexid(r, 32), mixed(r, ALNUM, 22)]),
                         ["X-Honeycomb-Team", "HONEYCOMB_API_KEY", "honeycomb_writekey"]),
    "rollbar": (lambda r: hexid(r, 32),
                ["ROLLBAR_ACCESS_TOKEN", "rollbar_token", "X-Rollbar-Access-Token", "rollbarServer"]),
    "bugsnag": (lambda r: hexid(r, 32), ["BUGSNAG_API_KEY", "bugsnag_key", "bugsnagApiKey", "bugsnagApi"]),
    "sentry_dsn": (lambda r: (lambda k: (f"https://{k}@o{num(r, 6)}.ingest.sentry.io/{num(r, 7)}", k))(hexid(r, 32)),
                   None),
    "sumologic_url": (lambda r: (lambda t: (f"https://endpoint{r.randint(1, 9)}.collection."
                                            f"{r.choice(['', 'us2.', 'eu.'])}sumologic.com/receiver/v1/http/{t}",
                                            t))(mixed(r, ALNUM, 110) + "=="), None),
    "sumologic_access_key": (lambda r: mixed(r, ALNUM, 64), ["SUMO_ACCESS_KEY", "sumologic_access_key",
                                                             "sumoAccessKey", "sumologic"]),
    "splunk_hec": (uuid, ["SPLUNK_HEC_TOKEN", "splunk_hec_token", "hec_token"]),
    "loggly": (lambda r: (lambda u: (f"https://logs-01.loggly.com/inputs/{u}/tag/http/", u))(uuid(r)), None),
    "newrelic_license": (lambda r: r.choice([hexid(r, 36), "eu01xx" + hexid(r, 30)]) + "NRAL", None),
    "newrelic_browser": (lambda r: "NRJS-" + hexid(r, 19), None),
    "elastic_serverless": (lambda r: "essu_" + mixed(r, ALNUM + "+/", 90) + "==", None),
    "elastic_api_key": (lambda r: b64(f"{mixed(r, URLSAFE, 20)}:{mixed(r, URLSAFE, 22)}".encode()),
                        ["ELASTIC_API_KEY", "elasticsearch_api_key", "elasticApiKey", "elasticsearch"]),
    "grafana_legacy": (lambda r: b64(jdump({"k": mixed(r, ALNUM, 32), "n": r.choice(["deploy", "ci-bot", "viewer"]),
                                            "id": r.randint(1, 99)}).encode()), None),
    "axiom": (lambda r: r.choice(["xaat-", "xapt-"]) + uuid(r), None),
}

VENDOR_FAMILIES = {"saas_token": SAAS_TOKENS, "cloud_token": CLOUD_TOKENS, "ai_token": AI_TOKENS,
                   "payment_token": PAYMENT_TOKENS, "ci_token": CI_TOKENS,
                   "observability_token": OBSERVABILITY_TOKENS}


def g_vendor(family: str):
    providers = VENDOR_FAMILIES[family]

    def gen(rng, ctx):
        pid = rng.choice(list(providers))
        make, keys = providers[pid]
        v = make(rng)
        value, raw = v if isinstance(v, tuple) else (v, v)
        return Plant(family, pid, value, raw=raw, key=rng.choice(keys) if keys else None,
                     sep=rng.choice(["=", ": "]))
    return gen


# ---- ids-world: national identifiers with check digits outside Europe (KR SG ZA CA AU US IN MX CL JP HK IL) ----
# Check digits are computed here independently of the Rust validators.

def iw_date(rng, y0: int, y1: int) -> dt.date:
    start = dt.date(y0, 1, 1)
    return start + dt.timedelta(days=rng.randrange((dt.date(y1, 12, 31) - start).days + 1))


def iw_luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def iw_complete(rng, body_len: int, ok) -> str:
    """Random digits of body_len followed by the first digit that makes ok() true."""
    while True:
        body = rs(rng, DIGITS, body_len)
        for c in DIGITS:
            if ok(body + c):
                return body + c


def g_kr_rrn(rng, ctx):
    d = iw_date(rng, 1940, 2025)
    foreign = rng.random() < 0.2
    g = (1 if d.year < 2000 else 3) + rng.randrange(2) + (4 if foreign else 0)
    head = f"{d:%y%m%d}{g}"
    if d >= dt.date(2020, 10, 1):
        digits, variant = head + rs(rng, DIGITS, 6), "random-tail"  # no check digit since Oct 2020
    else:
        body = head + rs(rng, DIGITS, 5)
        r = sum(int(c) * w for c, w in zip(body, [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5])) % 11
        digits, variant = body + str(((13 if foreign else 11) - r) % 10), "foreigner" if foreign else "citizen"
    dashed = rng.random() < 0.7
    key = rng.choice(["rrn", "RRN", "jumin_no", "resident_registration_number"])
    return Plant("kr_rrn", f"{variant}/{'dashed' if dashed else 'compact'}",
                 f"{digits[:6]}-{digits[6:]}" if dashed else digits, key=key)


SG_TABLES = {"S": (0, "JZIHGFEDCBA"), "T": (4, "JZIHGFEDCBA"), "F": (0, "XWUTRQPNMLK"), "G": (4, "XWUTRQPNMLK"),
             "M": (3, None)}


def g_sg_nric(rng, ctx):
    prefix = rng.choice("STFGM")
    digits = rs(rng, DIGITS, 7)
    offset, table = SG_TABLES[prefix]
    r = (sum(int(c) * w for c, w in zip(digits, [2, 7, 6, 5, 4, 3, 2])) + offset) % 11
    letter = table[r] if table else "KLJNPQRTUWX"[10 - r]
    return Plant("sg_nric", prefix, f"{prefix}{digits}{letter}", key=rng.choice(["nric", "NRIC", "fin", "nric_fin", "uin"]))


def g_za_id(rng, ctx):
    d = iw_date(rng, 1930, 2024)
    body = f"{d:%y%m%d}{rng.randrange(10000):04d}{rng.choice('0001112')}8"
    value = next(body + c for c in DIGITS if iw_luhn_ok(body + c))
    spaced = rng.random() < 0.2
    return Plant("za_id", "spaced" if spaced else "compact",
                 f"{value[:6]} {value[6:10]} {value[10:]}" if spaced else value,
                 key=rng.choice(["id_number", "idNumber", "sa_id", "identity_number"]))


def g_ca_sin(rng, ctx):
    while True:
        v = iw_complete(rng, 8, iw_luhn_ok)
        if v[0] not in "08":
            break
    sep = rng.choice([" ", "-", ""])
    return Plant("ca_sin", {" ": "spaced", "-": "dashed", "": "compact"}[sep], sep.join([v[:3], v[3:6], v[6:]]),
                 key=rng.choice(["sin", "SIN", "employee_sin", "social_insurance_number"]))


def g_au_tfn(rng, ctx):
    if rng.random() < 0.1:
        w, n, variant = [10, 7, 8, 4, 6, 3, 5, 1], 8, "legacy8"
    else:
        w, n, variant = [1, 4, 3, 7, 5, 8, 6, 9, 10], 9, "tfn9"
    v = iw_complete(rng, n - 1, lambda s: sum(int(c) * x for c, x in zip(s, w)) % 11 == 0)
    if n == 9 and rng.random() < 0.5:
        v, variant = f"{v[:3]} {v[3:6]} {v[6:]}", variant + "/spaced"
    return Plant("au_tfn", variant, v, key=rng.choice(["tfn", "TFN", "tax_file_number"]))


def g_au_abn(rng, ctx):
    w = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19]
    while True:
        tail = rs(rng, DIGITS, 9)
        ok = [f"{p}{tail}" for p in range(10, 100)
              if sum((int(c) - (1 if i == 0 else 0)) * x for i, (c, x) in enumerate(zip(f"{p}{tail}", w))) % 89 == 0]
        if ok:
            v = rng.choice(ok)
            break
    spaced = rng.random() < 0.5
    return Plant("au_abn", "spaced" if spaced else "compact",
                 f"{v[:2]} {v[2:5]} {v[5:8]} {v[8:]}" if spaced else v,
                 key=rng.choice(["abn", "ABN", "supplier_abn"]))


def g_au_medicare(rng, ctx):
    body = rng.choice("23456") + rs(rng, DIGITS, 7)
    check = sum(int(c) * x for c, x in zip(body, [1, 3, 7, 9, 1, 3, 7, 9])) % 10
    v = f"{body}{check}{rng.randint(1, 9)}"
    variant, value = rng.choice([("compact", v), ("spaced", f"{v[:4]} {v[4:9]} {v[9:]}"),
                                 ("irn", f"{v}/{rng.randint(1, 9)}")])
    return Plant("au_medicare", variant, value, key=rng.choice(["medicare", "medicare_number", "medicareNo"]))


def g_us_itin(rng, ctx):
    group = rng.choice(list(range(50, 66)) + list(range(70, 89)) + [90, 91, 92] + list(range(94, 100)))
    area, serial = f"9{rng.randrange(100):02d}", f"{rng.randint(1, 9999):04d}"
    dashed = rng.random() < 0.6
    return Plant("us_itin", "dashed" if dashed else "compact",
                 f"{area}-{group}-{serial}" if dashed else f"{area}{group}{serial}",
                 key=rng.choice(["itin", "ITIN", "payer_itin"]))


def g_in_pan(rng, ctx):
    holder = rng.choice("PPPPPCHFATBLJG")
    v = f"{rs(rng, UPPER, 3)}{holder}{rng.choice(UPPER)}{rng.randint(1, 9999):04d}{rng.choice(UPPER)}"
    return Plant("in_pan", holder, v, key=rng.choice(["pan_no", "PAN", "pan_number", "panNumber"]))


CURP_STATES = ("AS BC BS CC CL CM CS CH DF DG GT GR HG JC MC MN MS NT NL OC PL QT QR SP SL SR TC TS TL VZ YN ZS NE"
               .split())
CURP_CHARS = "0123456789ABCDEFGHIJKLMN\u00d1OPQRSTUVWXYZ"
CONSONANTS = "BCDFGHJKLMNPQRSTVWXYZ"


def g_mx_curp(rng, ctx):
    d = iw_date(rng, 1940, 2020)
    head = (rng.choice(UPPER) + rng.choice("AEIOUX") + rs(rng, UPPER, 2) + f"{d:%y%m%d}" + rng.choice("HM") +
            rng.choice(CURP_STATES) + rs(rng, CONSONANTS, 3) +
            (rng.choice(DIGITS) if d.year < 2000 else rng.choice(UPPER)))
    total = sum(CURP_CHARS.index(c) * (18 - i) for i, c in enumerate(head))
    return Plant("mx_curp", "pre2000" if d.year < 2000 else "from2000", head + str((10 - total % 10) % 10),
                 key=rng.choice(["curp", "CURP"]))


def g_cl_rut(rng, ctx):
    body = str(rng.randint(1_000_000, 29_999_999))
    total = sum(int(c) * w for c, w in zip(reversed(body), [2, 3, 4, 5, 6, 7] * 2))
    dv = {11: "0", 10: "K"}.get(11 - total % 11, str(11 - total % 11))
    dotted = rng.random() < 0.6
    shown = f"{int(body):,}".replace(",", ".") if dotted else body
    return Plant("cl_rut", "dotted" if dotted else "dashed", f"{shown}-{dv}", key=rng.choice(["rut", "RUT", "rut_cliente"]))


def g_jp_my_number(rng, ctx):
    body = rs(rng, DIGITS, 11)
    r = sum(int(c) * w for c, w in zip(body, [6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2])) % 11
    v = body + str(0 if r <= 1 else 11 - r)
    spaced = rng.random() < 0.3
    return Plant("jp_my_number", "spaced" if spaced else "compact", f"{v[:4]} {v[4:8]} {v[8:]}" if spaced else v,
                 key=rng.choice(["my_number", "myNumber", "kojin_bango"]))


def g_hk_id(rng, ctx):
    letters = rs(rng, UPPER, 2 if rng.random() < 0.15 else 1)
    digits = rs(rng, DIGITS, 6)
    vals = ([36] if len(letters) == 1 else []) + [ord(c) - 55 for c in letters] + [int(c) for c in digits]
    r = (11 - sum(v * w for v, w in zip(vals, [9, 8, 7, 6, 5, 4, 3, 2])) % 11) % 11
    check = "A" if r == 10 else str(r)
    bracketed = rng.random() < 0.7
    return Plant("hk_id", "bracketed" if bracketed else "plain",
                 f"{letters}{digits}({check})" if bracketed else f"{letters}{digits}{check}",
                 key=rng.choice(["hkid", "HKID", "hkid_no"]))


def g_il_teudat_zehut(rng, ctx):
    v = iw_complete(rng, 8, iw_luhn_ok)
    return Plant("il_teudat_zehut", "9digits", v, key=rng.choice(["teudat_zehut", "mispar_zehut", "zehut"]))


# ---- pii-misc: national phone formats, MAC, passport, date of birth, VIN,
# ABA routing numbers. Check digits are computed here, independently of the
# engine's validators.

def d(rng, n: int) -> str:
    return rs(rng, DIGITS, n)


PHONE_NATIONAL = {  # country -> (keys with a phone word, [(variant, value builder)])
    "it": (["telefono", "cellulare", "phone", "cell", "recapito"], [
        ("mobile", lambda r: f"3{r.choice('234789')}{d(r, 1)} {d(r, 3)} {d(r, 4)}"),
        ("mobile-compact", lambda r: f"3{r.choice('234789')}{d(r, 8)}"),
        ("landline", lambda r: f"06 {d(r, 4)} {d(r, 4)}"),
        ("landline-4", lambda r: f"0521 {d(r, 6)}")]),
    "es": (["telefono", "teléfono", "movil", "phone", "celular"], [
        ("mobile", lambda r: f"6{d(r, 2)} {d(r, 2)} {d(r, 2)} {d(r, 2)}"),
        ("mobile-333", lambda r: f"6{d(r, 2)} {d(r, 3)} {d(r, 3)}"),
        ("landline", lambda r: f"91 {d(r, 3)} {d(r, 2)} {d(r, 2)}")]),
    "nl": (["telefoon", "mobiel", "phone", "gsm", "telefoonnummer"], [
        ("mobile", lambda r: f"06-{r.choice('123456789')}{d(r, 7)}"),
        ("mobile-spaced", lambda r: f"06 {r.choice('123456789')}{d(r, 3)} {d(r, 4)}"),
        ("landline", lambda r: f"020 {d(r, 3)} {d(r, 4)}")]),
    "be": (["gsm", "telefoon", "telephone", "portable", "phone"], [
        ("mobile", lambda r: f"047{d(r, 1)} {d(r, 2)} {d(r, 2)} {d(r, 2)}"),
        ("mobile-slash", lambda r: f"047{d(r, 1)}/{d(r, 2)}.{d(r, 2)}.{d(r, 2)}"),
        ("landline", lambda r: f"02 {d(r, 3)} {d(r, 2)} {d(r, 2)}")]),
    "ch": (["natel", "telefon", "handy", "phone", "telephone"], [
        ("mobile", lambda r: f"07{r.choice('5689')} {d(r, 3)} {d(r, 2)} {d(r, 2)}"),
        ("landline", lambda r: f"044 {d(r, 3)} {d(r, 2)} {d(r, 2)}")]),
    "at": (["handy", "telefon", "mobil", "phone", "tel"], [
        ("mobile", lambda r: f"066{r.choice('04')} {d(r, 7)}"),
        ("mobile-grouped", lambda r: f"0676 {d(r, 3)} {d(r, 2)} {d(r, 2)}"),
        ("vienna", lambda r: f"01 {d(r, 3)} {d(r, 4)}")]),
    "se": (["telefon", "mobil", "tfn", "phone", "mobilnummer"], [
        ("mobile", lambda r: f"07{r.choice('0236')}-{d(r, 3)} {d(r, 2)} {d(r, 2)}"),
        ("stockholm", lambda r: f"08-{d(r, 3)} {d(r, 3)} {d(r, 2)}")]),
    "pl": (["telefon", "komorka", "tel", "phone", "kom"], [
        ("mobile", lambda r: f"{r.choice(['50', '51', '53', '57', '60', '66', '69', '72', '73', '78', '79', '88'])}{d(r, 1)} {d(r, 3)} {d(r, 3)}"),
        ("landline", lambda r: f"22 {d(r, 3)} {d(r, 2)} {d(r, 2)}")]),
    "ie": (["mobile", "phone", "tel", "mob"], [
        ("mobile", lambda r: f"08{r.choice('35679')} {d(r, 3)} {d(r, 4)}"),
        ("dublin", lambda r: f"01 {d(r, 3)} {d(r, 4)}")]),
    "in": (["mobile", "mob", "phone", "contact"], [
        ("mobile", lambda r: f"{r.choice('6789')}{d(r, 4)} {d(r, 5)}"),
        ("mobile-compact", lambda r: f"{r.choice('6789')}{d(r, 9)}"),
        ("landline", lambda r: f"011-{d(r, 4)} {d(r, 4)}")]),
    "br": (["telefone", "celular", "whatsapp", "phone", "contato"], [
        ("mobile", lambda r: f"(11) 9{d(r, 4)}-{d(r, 4)}"),
        ("landline", lambda r: f"(21) {r.choice('2345')}{d(r, 3)}-{d(r, 4)}"),
        ("mobile-compact", lambda r: f"119{d(r, 8)}")]),
    "mx": (["telefono", "celular", "cel", "phone", "whatsapp"], [
        ("cdmx", lambda r: f"55 {d(r, 4)} {d(r, 4)}"),
        ("gdl", lambda r: f"(33) {d(r, 4)}-{d(r, 4)}"),
        ("area3", lambda r: f"222 {d(r, 3)} {d(r, 4)}")]),
    "jp": (["電話", "携帯", "tel", "phone", "mobile"], [
        ("mobile", lambda r: f"0{r.choice('789')}0-{d(r, 4)}-{d(r, 4)}"),
        ("tokyo", lambda r: f"03-{d(r, 4)}-{d(r, 4)}"),
        ("area3", lambda r: f"045-{d(r, 3)}-{d(r, 4)}")]),
    "au": (["mobile", "phone", "mob", "ph"], [  # ACMA fictitious ranges
        ("mobile", lambda r: f"0491 57{r.choice('0123456789')} {d(r, 3)}"),
        ("landline", lambda r: f"(0{r.choice('2378')}) 5550 {d(r, 4)}")]),
    "za": (["cell", "cellphone", "tel", "phone", "selfoon"], [
        ("mobile", lambda r: f"08{r.choice('234')} {d(r, 3)} {d(r, 4)}"),
        ("landline", lambda r: f"021 {d(r, 3)} {d(r, 4)}")]),
    "kr": (["휴대폰", "전화", "연락처", "phone", "mobile"], [
        ("mobile", lambda r: f"010-{d(r, 4)}-{d(r, 4)}"),
        ("seoul", lambda r: f"02-{d(r, 3)}-{d(r, 4)}")]),
    "cn": (["手机", "电话", "phone", "mobile", "tel"], [
        ("mobile", lambda r: f"1{r.choice('3456789')}{d(r, 1)} {d(r, 4)} {d(r, 4)}"),
        ("mobile-compact", lambda r: f"1{r.choice('3456789')}{d(r, 9)}"),
        ("beijing", lambda r: f"010-{d(r, 8)}")]),
    "sg": (["mobile", "phone", "handphone", "hp", "tel"], [
        ("mobile", lambda r: f"{r.choice('89')}{d(r, 3)} {d(r, 4)}"),
        ("landline", lambda r: f"6{d(r, 3)} {d(r, 4)}")]),
}


def g_phone_national(rng, ctx):
    cc = rng.choice(list(PHONE_NATIONAL))
    keys, forms = PHONE_NATIONAL[cc]
    variant, build = rng.choice(forms)
    return Plant("phone", f"{cc}/{variant}", build(rng), key=rng.choice(keys), sep=rng.choice(["=", ": ", " "]))


def g_mac(rng, ctx):
    while True:
        octets = [rng.randrange(256) & 0xFE] + [rng.randrange(256) for _ in range(5)]  # unicast
        if len(set(octets)) > 1:
            break
    h = "".join(f"{o:02x}" for o in octets)
    style = rng.choice(["colon", "colon-upper", "hyphen", "cisco"])
    if style == "colon":
        v = ":".join(h[i:i + 2] for i in range(0, 12, 2))
    elif style == "colon-upper":
        v = ":".join(h[i:i + 2] for i in range(0, 12, 2)).upper()
    elif style == "hyphen":
        v = "-".join(h[i:i + 2] for i in range(0, 12, 2)).upper()
    else:
        v = ".".join(h[i:i + 4] for i in range(0, 12, 4))
    if style in ("hyphen", "cisco") and h.isdigit():
        return g_mac(rng, ctx)  # all-decimal forms are left alone by design (time stamps, build numbers)
    return Plant("mac_address", style, v)


PASSPORT_KEYS = ["passport", "passport_number", "passportNo", "passport_no", "reisepassnummer", "passeport",
                 "numero_pasaporte", "passaporto", "paspoortnummer", "passportNumber"]


def g_passport(rng, ctx):
    de = "CFGHJKLMNPRTVWXYZ"
    while True:
        variant, v = rng.choice([
            ("us", rng.choice(UPPER) + d(rng, 8)), ("us-digits", num(rng, 9)), ("uk", num(rng, 9)),
            ("de", rng.choice("CFGHJK") + rs(rng, de + DIGITS, 8)), ("fr", d(rng, 2) + rs(rng, UPPER, 2) + d(rng, 5)),
            ("in", rng.choice(UPPER) + d(rng, 7)), ("cn", "E" + d(rng, 8)), ("icao", rs(rng, UPPER, 2) + d(rng, 7))])
        if any(c.isdigit() for c in v) and v.strip("0"):
            break
    return Plant("passport", variant, v, key=rng.choice(PASSPORT_KEYS), sep=rng.choice(["=", ": ", " "]))


DOB_KEYS = ["dob", "DOB", "date_of_birth", "dateOfBirth", "birthdate", "birth_date", "birthday", "geburtsdatum",
            "fecha_de_nacimiento", "date_de_naissance", "data_di_nascita"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]


def g_dob(rng, ctx):
    y, m, day = rng.randint(1930, 2008), rng.randint(1, 12), rng.randint(1, 28)
    variant, v = rng.choice([
        ("iso", f"{y}-{m:02d}-{day:02d}"), ("us", f"{m:02d}/{day:02d}/{y}"), ("eu-dot", f"{day:02d}.{m:02d}.{y}"),
        ("eu-slash", f"{day:02d}/{m:02d}/{y}"), ("written", f"{day} {MONTHS_EN[m - 1]} {y}"),
        ("written-us", f"{MONTHS_EN[m - 1]} {day}, {y}"), ("abbr", f"{day:02d}-{MONTHS_EN[m - 1][:3]}-{y}")])
    return Plant("date_of_birth", variant, v, key=rng.choice(DOB_KEYS), sep=rng.choice(["=", ": "]))


VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
VIN_VALUES = dict(zip("ABCDEFGHJKLMNPRSTUVWXYZ", [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9]))
VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]


def vin_check(v: str) -> str:
    s = sum((int(c) if c.isdigit() else VIN_VALUES[c]) * w for c, w in zip(v, VIN_WEIGHTS)) % 11
    return "X" if s == 10 else str(s)


def g_vin(rng, ctx):
    year = rng.choice("ABCDEFGHJKLMNPRSTVWXY123456789")
    if rng.random() < 0.65:  # North American: check digit in position 9
        body = rng.choice(["1G1", "1FT", "2T1", "3VW", "5YJ", "1HG", "JTD", "KMH"]) + rs(rng, VIN_CHARS, 5)
        v = body + "0" + year + rng.choice(UPPER.replace("I", "").replace("O", "").replace("Q", "")) + d(rng, 6)
        v = v[:8] + vin_check(v) + v[9:]
        key = rng.choice(["vin", "VIN", "vehicle_vin", "vinNumber", "vehicle", "chassis_number", "fahrgestellnummer"])
        return Plant("vin", "north-american", v, key=key, sep=rng.choice(["=", ": "]))
    wmi = rng.choice(["WVW", "WBA", "VF1", "ZFA", "SAL", "TMB", "YV1", "WDD"])
    v = wmi + rs(rng, VIN_CHARS, 5) + rng.choice("Z0123456789") + year + rng.choice("ABCDEFGHKLMNPRSTUVWXYZ") + d(rng, 6)
    key = rng.choice(["vin", "VIN", "vehicle_vin", "vinNumber", "chassis_number", "fahrgestellnummer",
                      "vehicle_identification_number"])
    return Plant("vin", "iso-3779", v, key=key, sep=rng.choice(["=", ": "]))


ABA_PREFIXES = [f"{p:02d}" for p in list(range(0, 13)) + list(range(21, 33)) + list(range(61, 73)) + [80]]


def g_aba(rng, ctx):
    while True:
        body = rng.choice(ABA_PREFIXES) + d(rng, 6)
        w = sum(int(c) * k for c, k in zip(body, [3, 7, 1, 3, 7, 1, 3, 7]))
        v = body + str((10 - w % 10) % 10)
        if len(set(v)) > 1:
            break
    key = rng.choice(["routing_number", "routingNumber", "aba", "aba_routing_number", "rtn", "routing", "bank_routing"])
    return Plant("aba_routing", "9digits", v, key=key, sep=rng.choice(["=", ": "]))


# ---- cloudkeys: AWS / GCP / Azure keys, flattened private keys, DSN and ----
# connection-string passwords, API-key headers, session cookies, credentials
# in infrastructure config and command lines. Only the secret part is
# labelled (the password of a DSN, the value of a cookie, the body lines of a
# key), never the host, user, cookie name or armour around it.

def ck_filler(rng, alphabet: str, n: int, filler: str = "FAKE") -> str:
    """n characters of `alphabet` that open with an obviously fake marker."""
    return (filler + rs(rng, alphabet, n))[:n]


def ck_b64(rng, nbytes: int, tag: bytes = b"FAKE") -> str:
    return b64(tag + rng.randbytes(nbytes - len(tag)))


def g_aws_sts_bedrock(rng, ctx):
    f = "aws_sts_bedrock"
    v = rng.choice(["session-token", "session-token", "bedrock-long", "bedrock-short", "mws", "appsync",
                    "lwa-token", "lwa-client-secret", "s3-presigned-v2", "cloudfront-signed"])
    if v == "session-token":
        head = rng.choice(["IQoJb3JpZ2luX2Vj", "IQoJb3JpZ2luX2Vj", "FwoGZXIvYXdz"])
        return Plant(f, v, head + "E" + ck_filler(rng, B64, rng.randint(180, 700), "FAKEtest"))
    if v == "bedrock-long":
        inner = f"BedrockAPIKey-{rs(rng, LOWER + DIGITS, 4)}-at-{num(rng, 12)}:{ck_b64(rng, 40)}"
        return Plant(f, v, "ABSK" + b64(inner.encode()))
    if v == "bedrock-short":
        url = ("bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Algorithm=AWS4-HMAC-SHA256"
               f"&X-Amz-Credential=ASIA{rs(rng, B32, 16)}%2F20261129%2Fus-east-1%2Fbedrock%2Faws4_request"
               f"&X-Amz-Date=20261129T{rng.randint(0, 235959):06d}Z&X-Amz-Expires=43200"
               f"&X-Amz-Security-Token=IQoJb3JpZ2luX2Vj{ck_filler(rng, ALNUM, 120)}"
               f"&X-Amz-Signature={hexid(rng, 64)}&X-Amz-SignedHeaders=host&Version=1")
        tail = b64(url.encode())[len("YmVkcm9jay5hbWF6b25hd3MuY29t"):]  # after base64("bedrock.amazonaws.com")
        return Plant(f, v, "bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t" + tail, raw=tail)
    if v == "mws":
        return Plant(f, v, "amzn.mws." + uuid(rng))
    if v == "appsync":
        return Plant(f, v, "da2-" + rs(rng, LOWER + DIGITS, 26))
    if v == "lwa-token":
        return Plant(f, v, rng.choice(["Atzr|", "Atza|"]) + "IwEBI" + ck_filler(rng, URLSAFE, rng.randint(150, 300)))
    if v == "lwa-client-secret":
        return Plant(f, v, "amzn1.oa2-cs.v1." + hexid(rng, 64))
    if v == "s3-presigned-v2":
        sig = b64(rng.randbytes(20))
        url = (f"https://test-{hexid(rng, 6)}.s3.amazonaws.com/exports/{hexid(rng, 12)}.csv"
               f"?AWSAccessKeyId=AKIA{rs(rng, B32, 16)}&Expires={BASE_TIME + rng.randrange(86400)}&Signature={pct(sig)}")
        return Plant(f, v, url, raw=sig, forms=[pct(sig)])
    sig = ck_filler(rng, ALNUM + "-_~", rng.choice([172, 344]), "FAKEsig")
    url = (f"https://d{hexid(rng, 13)}.cloudfront.net/media/{hexid(rng, 8)}.mp4"
           f"?Expires={BASE_TIME + rng.randrange(86400)}&Signature={sig}&Key-Pair-Id=K{rs(rng, UPPER + DIGITS, 13)}")
    return Plant(f, v, url, raw=sig)


def g_gcp_credentials(rng, ctx):
    f = "gcp_credentials"
    v = rng.choice(["refresh-token", "auth-code", "fcm-server-key", "service-account-key-id"])
    if v == "refresh-token":
        return Plant(f, v, "1//0" + rng.choice("3469eg") + ck_filler(rng, URLSAFE, rng.randint(90, 110)))
    if v == "auth-code":
        return Plant(f, v, "4/0A" + ck_filler(rng, URLSAFE, rng.randint(60, 80)))
    if v == "fcm-server-key":
        return Plant(f, v, "AAAA" + rs(rng, URLSAFE, 7) + ":APA91b" + ck_filler(rng, URLSAFE, 134))
    key = rng.choice(["private_key_id", "privateKeyId"])
    return Plant(f, v, hexid(rng, 40), key=key, sep=rng.choice(["=", ": "]))


def ck_password(rng, extra: str = "!#-_.") -> str:
    return "Fake" + secretish(rng, 8, 18, extra)


def g_azure_connection_string(rng, ctx):
    f = "azure_connection_string"
    v = rng.choice(["sql", "sql-odbc", "sql-spaced", "servicebus", "eventhub", "cosmos", "appconfig", "signalr",
                    "redis"])
    name = "fake-" + rs(rng, LOWER + DIGITS, rng.randint(4, 10))
    if v in ("sql", "sql-spaced"):
        pw = ck_password(rng) if v == "sql" else f"Fake {secretish(rng, 4, 8)} {secretish(rng, 4, 8)}"
        cs = (f"Server=tcp:{name}.database.windows.net,1433;Initial Catalog=orders;Persist Security Info=False;"
              f"User ID=app_{rs(rng, LOWER, 4)};Password={pw};MultipleActiveResultSets=False;Encrypt=True;")
        return Plant(f, v, cs, raw=pw)
    if v == "sql-odbc":
        pw = ck_password(rng) + ";" + secretish(rng, 3, 6)
        cs = (f"Driver={{ODBC Driver 18 for SQL Server}};Server=tcp:{name}.database.windows.net,1433;"
              f"Database=orders;Uid=app;Pwd={{{pw}}};Encrypt=yes;")
        return Plant(f, v, cs, raw=pw)
    if v in ("servicebus", "eventhub"):
        key = ck_b64(rng, 32)
        cs = (f"Endpoint=sb://{name}.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;"
              f"SharedAccessKey={key}" + (f";EntityPath=events-{rs(rng, LOWER, 4)}" if v == "eventhub" else ""))
        return Plant(f, v, cs, raw=key)
    if v == "cosmos":
        key = ck_b64(rng, 64)
        return Plant(f, v, f"AccountEndpoint=https://{name}.documents.azure.com:443/;AccountKey={key};", raw=key)
    if v == "appconfig":
        key = ck_b64(rng, 32)
        cs = f"Endpoint=https://{name}.azconfig.io;Id={rs(rng, ALNUM, 4)}-l0-s0:{rs(rng, ALNUM, 20)};Secret={key}"
        return Plant(f, v, cs, raw=key)
    if v == "signalr":
        key = ck_b64(rng, 32)
        return Plant(f, v, f"Endpoint=https://{name}.service.signalr.net;AccessKey={key};Version=1.0;", raw=key)
    key = ck_b64(rng, 32)
    return Plant(f, v, f"{name}.redis.cache.windows.net:6380,password={key},ssl=True,abortConnect=False", raw=key)


def ck_cask(rng, sig: str) -> str:
    """Microsoft common annotated security key: 52 random, JQQJ99, 2 + 16, the
    provider signature at 76, 4 more."""
    return ck_filler(rng, ALNUM, 52) + "JQQJ99" + rng.choice(ALNUM) + rng.choice("ABCDEFGHIJKL") + \
        rs(rng, ALNUM, 16) + sig + rs(rng, ALNUM, 4)


def g_azure_identifiable_key(rng, ctx):
    f = "azure_identifiable_key"
    v = rng.choice(["devops-pat", "devops-pat-legacy", "cask-ai-services", "function-key", "function-url",
                    "search-key", "acr-key", "key44", "key88"])
    if v == "devops-pat":
        return Plant(f, v, ck_cask(rng, "AZDO"))
    if v == "devops-pat-legacy":
        key = rng.choice(["AZURE_DEVOPS_EXT_PAT", "azure_devops_pat", "AzureDevOpsToken", "ado_pat"])
        return Plant(f, v, rs(rng, LOWER + "234567", 52), key=key, sep=rng.choice(["=", ": "]))
    if v == "cask-ai-services":
        return Plant(f, v, ck_cask(rng, "ACOG"))
    if v == "function-key":
        return Plant(f, v, ck_filler(rng, URLSAFE, 44) + "AzFu" + rs(rng, URLSAFE, 5) + rng.choice("AQgw") + "==")
    if v == "function-url":
        key = b64(b"FAKE" + rng.randbytes(36))
        url = (f"https://fake-{rs(rng, LOWER + DIGITS, 8)}.azurewebsites.net/api/{rng.choice(['orders', 'HttpTrigger1'])}"
               f"?code={pct(key)}&clientId=default")
        return Plant(f, v, url, raw=key, forms=[pct(key)])
    if v == "search-key":
        return Plant(f, v, ck_filler(rng, ALNUM, 42) + "AzSe" + rng.choice("ABCD") + rs(rng, ALNUM, 5))
    if v == "acr-key":
        return Plant(f, v, ck_filler(rng, B64, 42) + "+ACR" + rng.choice("ABCD") + rs(rng, B64, 5))
    if v == "key44":
        sig = rng.choice(["+ASb", "+AEh", "+ARm", "AIoT", "AzCa", "AZEG"])
        return Plant(f, v, ck_filler(rng, B64, 33) + sig + rng.choice("ABCDEFGHIJKLMNOP") + rs(rng, B64, 5) + "=")
    sig = rng.choice(["+ASt", "ACDb", "+ABa", "+AMC", "APIM"])
    return Plant(f, v, ck_filler(rng, B64, 76) + sig + rs(rng, B64, 5) + rng.choice("AQgw") + "==")


def ck_flatten(rng, ctx, lines):
    """Join the lines of a key file as the context would carry them."""
    if ctx == "multiline":
        return "newlines", "\n".join(lines)
    if ctx == "text":
        return rng.choice([("literal-backslash-n", "\\n".join(lines)), ("spaces", " ".join(lines))])
    return "escaped-newlines", "\n".join(lines) + "\n"


def ck_body(rng, lead: str, width: int, nlines: int):
    size = width * nlines + rng.randint(24, width - 4)
    body = lead + ck_filler(rng, B64, size - len(lead) - 1) + rng.choice("=A")
    return [body[i:i + width] for i in range(0, len(body), width)]


def g_private_key_flat(rng, ctx):
    f = "private_key_flat"
    v = rng.choice(["putty-ed25519", "putty-rsa", "base64-pem", "pgp", "rsa-encrypted-legacy", "dsa", "pkcs8-encrypted"])
    if v.startswith("putty"):
        ed = v == "putty-ed25519"
        pub = ck_body(rng, "AAAAC3NzaC1lZDI1NTE5AAAAI" if ed else "AAAAB3NzaC1yc2EAAAADAQABAAABAQ", 64, 0 if ed else 4)
        priv = ["AAAAI" + ck_filler(rng, B64, 39)] if ed else ck_body(rng, "AAABAF", 64, rng.randint(8, 13))
        lines = [f"PuTTY-User-Key-File-3: {'ssh-ed25519' if ed else 'ssh-rsa'}", "Encryption: none",
                 f"Comment: {'eddsa' if ed else 'rsa'}-key-20261129", f"Public-Lines: {len(pub)}"] + pub + \
                [f"Private-Lines: {len(priv)}"] + priv + [f"Private-MAC: {hexid(rng, 64)}"]
        how, value = ck_flatten(rng, ctx, lines)
        return Plant(f, f"{v}/{how}", value, raw="\n".join(priv), forms=priv)
    if v == "base64-pem":
        label = rng.choice(["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY"])
        pem = "\n".join([f"-----BEGIN {label}-----"] + ck_body(rng, "MII", 64, rng.randint(2, 6)) +
                        [f"-----END {label}-----", ""])
        blob = b64(pem.encode())
        return Plant(f, v, blob)
    if v == "pgp":
        body = ck_body(rng, "lQOYBF", 64, rng.randint(4, 9))
        crc = "=" + rs(rng, B64, 4)
        lines = ["-----BEGIN PGP PRIVATE KEY BLOCK-----", "", *body, crc, "-----END PGP PRIVATE KEY BLOCK-----"]
        if rng.random() < 0.5:
            lines[1:1] = ["Comment: test key, do not use"]
    elif v == "rsa-encrypted-legacy":
        body = ck_body(rng, "MIIEpAIBAAKCAQEA", 64, rng.randint(4, 9))
        lines = ["-----BEGIN RSA PRIVATE KEY-----", "Proc-Type: 4,ENCRYPTED",
                 f"DEK-Info: AES-128-CBC,{hexid(rng, 32).upper()}", "", *body, "-----END RSA PRIVATE KEY-----"]
    elif v == "dsa":
        body = ck_body(rng, "MIIBuwIBAAKBgQ", 64, rng.randint(3, 6))
        lines = ["-----BEGIN DSA PRIVATE KEY-----", *body, "-----END DSA PRIVATE KEY-----"]
    else:
        body = ck_body(rng, "MIIFHDBOBgkqhkiG9w0BBQ0w", 64, rng.randint(4, 9))
        lines = ["-----BEGIN ENCRYPTED PRIVATE KEY-----", *body, "-----END ENCRYPTED PRIVATE KEY-----"]
    how, value = ck_flatten(rng, ctx, lines)
    return Plant(f, f"{v}/{how}", value, raw="\n".join(body), forms=body)


def g_dsn_password(rng, ctx):
    f = "dsn_password"
    v = rng.choice(["postgres", "postgresql", "mysql", "mongodb", "mongodb+srv", "redis-password-only", "rediss",
                    "amqps", "ldaps", "ftp", "sftp", "jdbc-mysql", "sqlserver-url", "mssql+pyodbc",
                    "jdbc-sqlserver", "jdbc-oracle-thin", "sqlplus", "ado-net", "odbc-braced", "npgsql",
                    "sql-identified-by"])
    pw = ck_password(rng, "-_.~")
    user = rng.choice(["app", "svc_reader", "etl-job", "admin", "report"])
    hosts = {"postgres": "db-1.prod.example.net:5432/orders", "postgresql": "pg.internal.example:5432/app?sslmode=require",
             "mysql": "mysql.example.net:3306/shop", "mongodb": "mongo-0.example.net:27017,mongo-1.example.net:27017/app?replicaSet=rs0",
             "mongodb+srv": "cluster0.ab1cd.mongodb.example.net/app?retryWrites=true", "rediss": "cache.example.net:6380/0",
             "amqps": "rabbit.example.net:5671/jobs", "ldaps": "ldap.example.org:636", "ftp": "ftp.example.org/pub",
             "sftp": "files.example.org:22/upload"}
    if v in hosts:
        return Plant(f, v, f"{v}://{user}:{pw}@{hosts[v]}", raw=pw)
    if v == "redis-password-only":
        return Plant(f, v, f"redis://:{pw}@cache.example.net:6379/0", raw=pw)
    if v == "jdbc-mysql":
        return Plant(f, v, f"jdbc:mysql://{user}:{pw}@mysql.example.net:3306/shop?useSSL=true", raw=pw)
    if v == "sqlserver-url":
        return Plant(f, v, f"sqlserver://{user}:{pw}@mssql.example.net:1433?database=orders", raw=pw)
    if v == "mssql+pyodbc":
        return Plant(f, v, f"mssql+pyodbc://{user}:{pw}@mssql.example.net/orders?driver=ODBC+Driver+18", raw=pw)
    if v == "jdbc-sqlserver":
        return Plant(f, v, f"jdbc:sqlserver://mssql.example.net:1433;databaseName=orders;user={user};password={pw};"
                           "encrypt=true", raw=pw)
    if v == "jdbc-oracle-thin":
        return Plant(f, v, f"jdbc:oracle:thin:{user}/{pw}@//ora.example.net:1521/ORCLPDB1", raw=pw)
    if v == "sqlplus":
        return Plant(f, v, f"sqlplus -s {user}/{pw}@ora.example.net:1521/ORCL @nightly.sql", raw=pw)
    if v == "ado-net":
        return Plant(f, v, f"Data Source=mssql.example.net;Initial Catalog=orders;User Id={user};Password={pw};"
                           "TrustServerCertificate=True", raw=pw)
    if v == "odbc-braced":
        pw = pw + ";" + secretish(rng, 3, 6)
        return Plant(f, v, f"Driver={{PostgreSQL Unicode}};Server=pg.example.net;Port=5432;Database=app;Uid={user};"
                           f"Pwd={{{pw}}};", raw=pw)
    if v == "npgsql":
        return Plant(f, v, f"Host=pg.example.net;Port=5432;Username={user};Password={pw};Database=app", raw=pw)
    return Plant(f, v, f"CREATE USER '{user}'@'%' IDENTIFIED BY '{pw}'", raw=pw)


CK_HEADERS = [("X-Api-Key", lambda r: secretish(r, 32, 40)), ("X-Auth-Token", lambda r: secretish(r, 32, 48, "-_")),
              ("Api-Key", lambda r: hexid(r, 32)), ("X-Goog-Api-Key", lambda r: secretish(r, 30, 40, "-_")),
              ("Private-Token", lambda r: secretish(r, 20, 26, "-_")),
              ("X-Vault-Token", lambda r: "hvs." + secretish(r, 24, 90, "_-")),
              ("X-Functions-Key", lambda r: b64(b"FAKE" + r.randbytes(36))),
              ("Ocp-Apim-Subscription-Key", lambda r: hexid(r, 32)),
              ("aeg-sas-key", lambda r: b64(b"FAKE" + r.randbytes(28))),
              ("X-Access-Token", lambda r: secretish(r, 32, 48, "-_.")), ("X-Api-Token", lambda r: secretish(r, 32, 40))]


def g_api_key_header(rng, ctx):
    name, gen = rng.choice(CK_HEADERS)
    return Plant("api_key_header", name, gen(rng), key=name, header=name, sep=": ")


CK_COOKIES = [("JSESSIONID", lambda r: hexid(r, 32).upper()), ("PHPSESSID", lambda r: rs(r, LOWER + DIGITS, 26)),
              ("connect.sid", lambda r: f"s%3A{secretish(r, 32, 32, '-_')}.{secretish(r, 43, 43)}"),
              ("ASP.NET_SessionId", lambda r: rs(r, LOWER + DIGITS, 24)),
              ("laravel_session", lambda r: "eyJpdiI6" + secretish(r, 100, 180) + "%3D%3D"),
              ("_session_id", lambda r: hexid(r, 32)), ("sessionid", lambda r: rs(r, LOWER + DIGITS, 32)),
              ("remember_token", lambda r: secretish(r, 60, 60))]
CK_NAMED_COOKIES = [
    (lambda r: f"wordpress_logged_in_{hexid(r, 32)}",
     lambda r: f"test%7C{BASE_TIME + r.randrange(86400)}%7C{secretish(r, 43, 43)}%7C{hexid(r, 64)}"),
    (lambda r: f"SESS{hexid(r, 32)}", lambda r: secretish(r, 43, 43, "-_")),
    (lambda r: f"ASPSESSIONID{rs(r, UPPER, 8)}", lambda r: rs(r, UPPER, 24)),
    (lambda r: f"remember_web_{hexid(r, 40)}", lambda r: "eyJpdiI6" + secretish(r, 80, 120) + "%3D%3D"),
    (lambda r: "AWSELBAuthSessionCookie-0", lambda r: secretish(r, 120, 200, "+/")),
    (lambda r: ".AspNetCore.Cookies", lambda r: "CfDJ8" + secretish(r, 120, 240, "-_")),
    (lambda r: ".ASPXAUTH", lambda r: hexid(r, 160).upper()),
    (lambda r: "_oauth2_proxy", lambda r: secretish(r, 80, 160, "-_") + "|" + str(BASE_TIME) + "|" + secretish(r, 43, 43, "-_")),
]


def g_session_cookie(rng, ctx):
    f = "session_cookie"
    if rng.random() < 0.5:
        name, gen = rng.choice(CK_COOKIES)
        val = gen(rng)
        if rng.random() < 0.7:
            hdr = "Cookie"
            value = "; ".join(rng.sample([f"theme={rng.choice(['dark', 'light'])}", f"{name}={val}", "lang=en"], 3))
        else:
            hdr = "Set-Cookie"
            value = f"{name}={val}; Path=/; HttpOnly; Secure; SameSite=Lax"
        return Plant(f, f"{hdr}/{name}", value, raw=val, key=hdr, header=hdr, sep=": ")
    name_gen, gen = rng.choice(CK_NAMED_COOKIES)
    name, val = name_gen(rng), gen(rng)
    return Plant(f, "named/" + re.sub(r"[0-9a-f]{32,}|[A-Z]{8}$", "*", name), f"{name}={val}", raw=val)


def g_infra_credentials(rng, ctx):
    f = "infra_credentials"
    v = rng.choice(["netrc", "curl-u", "lftp-u", "smbclient-U", "sshpass-p", "sshpass-env", "npmrc-auth",
                    "yarn-npmAuthIdent", "dockerconfigjson", "htpasswd-bcrypt", "htpasswd-apr1", "shadow-sha512",
                    "argon2", "django-pbkdf2", "cisco-type7", "juniper-9", "keytool", "docker-login", "az-login",
                    "ldapsearch-w", "redis-cli-a", "redis-monitor-auth", "redis-requirepass"])
    pw = ck_password(rng, "-_.")
    user = rng.choice(["ci-bot", "deploy", "svc_backup", "admin"])
    host = rng.choice(["api.example.com", "files.example.org", "git.example.net"])
    crypt64 = "./" + ALNUM
    if v == "netrc":
        return Plant(f, v, f"machine {host} login {user} password {pw}", raw=pw)
    if v == "curl-u":
        return Plant(f, v, f"curl -sS {rng.choice(['-u', '--user'])} {user}:{pw} https://{host}/v1/export", raw=pw)
    if v == "lftp-u":
        return Plant(f, v, f"lftp -u {user},{pw} sftp://{host} -e 'mirror -R out'", raw=pw)
    if v == "smbclient-U":
        return Plant(f, v, f"smbclient //fs.example.org/share -U {user}%{pw} -c ls", raw=pw)
    if v == "sshpass-p":
        return Plant(f, v, f"sshpass -p {pw} ssh -o StrictHostKeyChecking=no {user}@{host} uptime", raw=pw)
    if v == "sshpass-env":
        return Plant(f, v, f"SSHPASS={pw} sshpass -e rsync -a out/ {user}@{host}:/srv", raw=pw)
    if v == "npmrc-auth":
        cred = b64(f"{user}:{pw}".encode())
        return Plant(f, v, f"//registry.example.com/:_auth={cred}", raw=cred)
    if v == "yarn-npmAuthIdent":
        return Plant(f, v, f"npmAuthIdent: {user}:{pw}", raw=f"{user}:{pw}", forms=[f"{user}:{pw}"])
    if v == "dockerconfigjson":
        cfg = {"auths": {"registry.example.com": {"auth": b64(f"{user}:{pw}".encode())}}}
        blob = b64((jdump(cfg) if rng.random() < 0.5 else json.dumps(cfg, indent="\t")).encode())
        return Plant(f, v, f".dockerconfigjson: {blob}", raw=blob)
    if v == "htpasswd-bcrypt":
        h = ck_filler(rng, crypt64, 53, "FAKEtest")
        return Plant(f, v, f"{user}:$2y$10${h}", raw=h)
    if v == "htpasswd-apr1":
        h = f"{rs(rng, crypt64, 8)}${ck_filler(rng, crypt64, 22)}"
        return Plant(f, v, f"{user}:$apr1${h}", raw=h)
    if v == "shadow-sha512":
        h = f"{rs(rng, crypt64, 16)}${ck_filler(rng, crypt64, 86)}"
        return Plant(f, v, f"{user}:$6${h}:19000:0:99999:7:::", raw=h)
    if v == "argon2":
        h = f"{rs(rng, B64, 22)}${ck_filler(rng, B64, 43)}"
        return Plant(f, v, f"$argon2id$v=19$m=65536,t=3,p=4${h}", raw=h)
    if v == "django-pbkdf2":
        h = f"{rs(rng, ALNUM, 22)}${ck_filler(rng, B64, 43)}="
        return Plant(f, v, f"pbkdf2_sha256$600000${h}", raw=h)
    if v == "cisco-type7":
        xlat, seed = "dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87", rng.randint(0, 15)
        enc = f"{seed:02d}" + "".join(f"{ord(c) ^ ord(xlat[(seed + i) % len(xlat)]):02X}" for i, c in enumerate(pw))
        return Plant(f, v, f"username {user} privilege 15 password 7 {enc}", raw=enc)
    if v == "juniper-9":
        s = ck_filler(rng, ALNUM + "./-", rng.randint(24, 48), "FAKE")
        return Plant(f, v, f'set system radius-server 10.0.0.9 secret "$9${s}"', raw=s)
    if v == "keytool":
        return Plant(f, v, f"keytool -importkeystore -srckeystore in.p12 -srcstorepass {pw} -destkeystore out.jks",
                     raw=pw)
    if v == "docker-login":
        return Plant(f, v, f"docker login -u {user} -p {pw} registry.example.com", raw=pw)
    if v == "az-login":
        return Plant(f, v, f"az login --service-principal -u {uuid(rng)} -p {pw} --tenant {uuid(rng)}", raw=pw)
    if v == "ldapsearch-w":
        return Plant(f, v, f"ldapsearch -x -H ldaps://ldap.example.org -D cn={user},dc=example,dc=org -w {pw} "
                           "-b dc=example,dc=org", raw=pw)
    if v == "redis-cli-a":
        return Plant(f, v, f"redis-cli -h cache.internal -p 6379 -a {pw} --no-auth-warning info", raw=pw)
    if v == "redis-monitor-auth":
        return Plant(f, v, f'{BASE_TIME}.{rng.randint(100000, 999999)} [0 10.0.0.5:51234] "AUTH" "{pw}"', raw=pw)
    return Plant(f, v, f"requirepass {pw}", raw=pw)


CK_CMD_CTX = ("text", "logfmt", "json", "json_escaped", "json_in_json")  # command lines and config lines


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
    "aws_sts_bedrock": (g_aws_sts_bedrock, CONTEXTS),
    "gcp_credentials": (g_gcp_credentials, CONTEXTS),
    "azure_connection_string": (g_azure_connection_string, CONTEXTS),
    "azure_identifiable_key": (g_azure_identifiable_key, CONTEXTS),
    "private_key_flat": (g_private_key_flat, PEM_CTX),
    "dsn_password": (g_dsn_password, CONTEXTS),
    "api_key_header": (g_api_key_header, CONTEXTS),
    "session_cookie": (g_session_cookie, AUTH_CTX),
    "infra_credentials": (g_infra_credentials, CK_CMD_CTX),
    "mac_address": (g_mac, CONTEXTS),
    "passport": (g_passport, CONTEXTS),
    "date_of_birth": (g_dob, CONTEXTS),
    "vin": (g_vin, CONTEXTS),
    "aba_routing": (g_aba, CONTEXTS),
    "kr_rrn": (g_kr_rrn, CONTEXTS),
    "sg_nric": (g_sg_nric, CONTEXTS),
    "za_id": (g_za_id, CONTEXTS),
    "ca_sin": (g_ca_sin, CONTEXTS),
    "au_tfn": (g_au_tfn, CONTEXTS),
    "au_abn": (g_au_abn, CONTEXTS),
    "au_medicare": (g_au_medicare, CONTEXTS),
    "us_itin": (g_us_itin, CONTEXTS),
    "in_pan": (g_in_pan, CONTEXTS),
    "mx_curp": (g_mx_curp, CONTEXTS),
    "cl_rut": (g_cl_rut, CONTEXTS),
    "jp_my_number": (g_jp_my_number, CONTEXTS),
    "hk_id": (g_hk_id, CONTEXTS),
    "il_teudat_zehut": (g_il_teudat_zehut, CONTEXTS),
    "saas_token": (g_vendor("saas_token"), CONTEXTS),
    "cloud_token": (g_vendor("cloud_token"), CONTEXTS),
    "ai_token": (g_vendor("ai_token"), CONTEXTS),
    "payment_token": (g_vendor("payment_token"), CONTEXTS),
    "ci_token": (g_vendor("ci_token"), CONTEXTS),
    "observability_token": (g_vendor("observability_token"), CONTEXTS),
    "it_codice_fiscale": (g_it_cf, CONTEXTS),
    "se_personnummer": (g_se_pnr, CONTEXTS),
    "fi_hetu": (g_fi_hetu, CONTEXTS),
    "dk_cpr": (g_dk_cpr, CONTEXTS),
    "be_national_number": (g_be_nrn, CONTEXTS),
    "no_fodselsnummer": (g_no_fnr, CONTEXTS),
    "pt_nif": (g_pt_nif, CONTEXTS),
    "ie_ppsn": (g_ie_ppsn, CONTEXTS),
    "ch_ahv": (g_ch_ahv, CONTEXTS),
    "uk_nhs_number": (g_uk_nhs, CONTEXTS),
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
