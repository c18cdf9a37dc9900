"""ids-world: national identifiers with check digits outside Europe."""
from __future__ import annotations

from .common import *  # noqa: F401,F403
from .gen_core import *  # noqa: F401,F403
from .gen_ids_europe import *  # noqa: F401,F403
from .gen_vendor import *  # noqa: F401,F403

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
