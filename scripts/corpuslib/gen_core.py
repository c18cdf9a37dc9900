"""Value generators of the core families (e-mail, cards, IBAN, SSN, NINO,
phones, addresses, cloud and vendor secrets, PEM, URLs, auth headers)."""
from __future__ import annotations

from .common import *  # noqa: F401,F403

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
        from .gen_pii_misc import g_phone_national  # defined with the pii-misc formats

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
