"""pii-misc: national phone formats, MAC, passport, date of birth, VIN..."""
from __future__ import annotations

from .common import *  # noqa: F401,F403
from .gen_core import *  # noqa: F401,F403
from .gen_ids_europe import *  # noqa: F401,F403
from .gen_vendor import *  # noqa: F401,F403
from .gen_ids_world import *  # noqa: F401,F403

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
