"""ids-europe: national identifiers with check digits (IT SE FI DK BE NO PT IE
CH, UK NHS)."""
from __future__ import annotations

from .common import *  # noqa: F401,F403
from .gen_core import *  # noqa: F401,F403

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
