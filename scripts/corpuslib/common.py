"""Imports, constants, small helpers and `Plant`, shared by every module of
the corpus generator (see scripts/corpus.py)."""
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

DEFAULT_DIR = Path(__file__).resolve().parent.parent.parent / "corpus"
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
