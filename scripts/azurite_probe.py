#!/usr/bin/env python3
"""Probe Azurite's blob service with hand-built Shared Key and SAS auth.

Standard library only (hmac, hashlib, base64, http.client). Documents the
exact string-to-sign forms that Azurite 3 accepts with *path-style* URLs
(http://127.0.0.1:10000/devstoreaccount1/<container>/<blob>), as a
reference for the Rust sink. Start the servers first with
`bash scripts/services.sh`, then run:

    python3 scripts/azurite_probe.py [-v]

It exits non-zero if any expectation fails. Environment:
    LOGSCRUB_AZURITE_URL   default http://127.0.0.1:10000/devstoreaccount1

Shared Key (x-ms-version 2021-08-06), string-to-sign:

    VERB \n
    Content-Encoding \n
    Content-Language \n
    Content-Length \n        ("" when the body is empty / length 0)
    Content-MD5 \n
    Content-Type \n
    Date \n                  ("" -- send x-ms-date instead, no Date header)
    If-Modified-Since \n
    If-Match \n
    If-None-Match \n
    If-Unmodified-Since \n
    Range \n
    CanonicalizedHeaders     every x-ms-* header, lower-cased name, sorted,
                             "name:value\n" each (so it ends with "\n")
    CanonicalizedResource    "/" + account + <URL path> + for each query
                             parameter sorted by lower-cased name:
                             "\n" + name + ":" + value (decoded)

With a path-style URL the URL path already starts with /devstoreaccount1, so
the canonicalized resource carries the account twice:
    /devstoreaccount1/devstoreaccount1/<container>/<blob>
The single-account form (/devstoreaccount1/<container>/<blob>) is rejected
with 403 AuthorizationFailure (this script checks both).

Header:  Authorization: SharedKey devstoreaccount1:<base64(HMAC-SHA256(
         base64decode(key), utf8(string_to_sign)))>
"""
import base64
import datetime as dt
import hashlib
import hmac
import http.client
import os
import sys
import urllib.parse
import uuid

ACCOUNT = "devstoreaccount1"
# Azurite's publicly documented development-storage key (not a secret).
KEY_B64 = ("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/"
           "K1SZFPTOtr/KBHBeksoGMGw==")
KEY = base64.b64decode(KEY_B64)
API_VERSION = "2021-08-06"
SAS_VERSION = "2020-12-06"

BASE = os.environ.get("LOGSCRUB_AZURITE_URL",
                      "http://127.0.0.1:10000/devstoreaccount1").rstrip("/")
_u = urllib.parse.urlsplit(BASE)
HOST, PORT, BASE_PATH = _u.hostname, _u.port or 80, _u.path  # "/devstoreaccount1"

VERBOSE = "-v" in sys.argv
failures = []


def sign(string_to_sign: str) -> str:
    mac = hmac.new(KEY, string_to_sign.encode("utf-8"), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


def rfc1123_now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%a, %d %b %Y %H:%M:%S GMT")


def shared_key_string_to_sign(method, path, query, headers, double_account=True):
    """headers: dict of the headers actually sent (name -> value)."""
    h = {k.lower(): v for k, v in headers.items()}
    length = h.get("content-length", "")
    if length == "0":
        length = ""
    std = [method.upper(), h.get("content-encoding", ""), h.get("content-language", ""),
           length, h.get("content-md5", ""), h.get("content-type", ""), h.get("date", ""),
           h.get("if-modified-since", ""), h.get("if-match", ""), h.get("if-none-match", ""),
           h.get("if-unmodified-since", ""), h.get("range", "")]
    canon_headers = "".join(f"{k}:{h[k].strip()}\n"
                            for k in sorted(k for k in h if k.startswith("x-ms-")))
    # path is the URL path, e.g. /devstoreaccount1/c/b
    res_path = path if double_account else path[len(BASE_PATH):] or "/"
    canon_res = f"/{ACCOUNT}{res_path}"
    for k in sorted(query, key=str.lower):
        canon_res += f"\n{k.lower()}:{query[k]}"
    return "\n".join(std) + "\n" + canon_headers + canon_res


def request(method, path, query=None, headers=None, body=b"", auth="sharedkey",
            double_account=True, bad_sig=False):
    query = dict(query or {})
    headers = dict(headers or {})
    if auth == "sharedkey":
        headers.setdefault("x-ms-date", rfc1123_now())
        headers.setdefault("x-ms-version", API_VERSION)
    # http.client sends Content-Length for PUT/POST even when 0; sign what is sent.
    if method in ("PUT", "POST") or body:
        headers["Content-Length"] = str(len(body))
    if auth == "sharedkey":
        sts = shared_key_string_to_sign(method, path, query, headers, double_account)
        sig = sign(sts)
        if bad_sig:
            sig = sign(sts + "x")
        headers["Authorization"] = f"SharedKey {ACCOUNT}:{sig}"
        if VERBOSE:
            print("    string-to-sign:", repr(sts))
    url = path + ("?" + urllib.parse.urlencode(query, quote_via=urllib.parse.quote)
                  if query else "")
    conn = http.client.HTTPConnection(HOST, PORT, timeout=10)
    conn.request(method, url, body=body or None, headers=headers)
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, dict(resp.getheaders()), data


def expect(name, got_status, want_status, data=b""):
    ok = got_status == want_status
    print(f"{'ok  ' if ok else 'FAIL'} {name}: HTTP {got_status} (want {want_status})")
    if not ok or VERBOSE:
        if data:
            print("    body:", data[:400].decode("utf-8", "replace"))
    if not ok:
        failures.append(name)


def service_sas(container, blob, permissions, expiry, start=""):
    """Service SAS for a blob (sr=b), signed version 2020-12-06.

    string-to-sign (16 lines joined by "\\n"):
      sp, st, se, "/blob/<account>/<container>/<blob>", si, sip, spr, sv,
      sr, snapshot-time, ses, rscc, rscd, rsce, rscl, rsct
    """
    canon = f"/blob/{ACCOUNT}/{container}/{blob}"
    fields = [permissions, start, expiry, canon, "", "", "", SAS_VERSION,
              "b", "", "", "", "", "", "", ""]
    sts = "\n".join(fields)
    q = {"sv": SAS_VERSION, "sr": "b", "sp": permissions, "se": expiry,
         "sig": sign(sts)}
    if start:
        q["st"] = start
    return q, sts


def account_sas(permissions, services, resource_types, expiry, start=""):
    """Account SAS, signed version 2020-12-06.

    string-to-sign: account, sp, ss, srt, st, se, sip, spr, sv, ses, ""
    (joined by "\\n", so it ends with a trailing "\\n").
    """
    fields = [ACCOUNT, permissions, services, resource_types, start, expiry,
              "", "", SAS_VERSION, "", ""]
    sts = "\n".join(fields)
    q = {"sv": SAS_VERSION, "ss": services, "srt": resource_types,
         "sp": permissions, "se": expiry, "sig": sign(sts)}
    if start:
        q["st"] = start
    return q, sts


def main():
    container = "probe-" + uuid.uuid4().hex[:12]
    cpath = f"{BASE_PATH}/{container}"
    blob = "dir/2026-11-29/part 0001.ndjson.gz"  # slash + space on purpose
    bpath = f"{cpath}/{urllib.parse.quote(blob)}"
    payload = b'{"msg":"hello"}\n' * 3

    print(f"Azurite at {BASE}; container {container}")

    s, _, d = request("PUT", cpath, {"restype": "container"}, bad_sig=True)
    expect("create container with WRONG signature -> 403", s, 403, d)

    s, _, d = request("PUT", cpath, {"restype": "container"}, double_account=False)
    expect("create container, single-account canonicalized resource -> 403", s, 403, d)

    s, _, d = request("PUT", cpath, {"restype": "container"})
    expect("create container (PUT ?restype=container)", s, 201, d)

    s, _, d = request("PUT", cpath, {"restype": "container"})
    expect("create same container again -> 409 ContainerAlreadyExists", s, 409, d)

    # Put block blob. The canonicalized resource uses the URL path exactly as
    # sent on the wire (percent-encoded: "part%200001.ndjson.gz").
    s, _, d = request("PUT", bpath, {}, {"x-ms-blob-type": "BlockBlob",
                      "Content-Type": "application/x-ndjson"}, payload)
    expect("put block blob (x-ms-blob-type: BlockBlob)", s, 201, d)

    s, _, d = request("GET", cpath, {"restype": "container", "comp": "list"})
    expect("list blobs (GET ?restype=container&comp=list)", s, 200, d)
    if s == 200 and blob.encode() not in d:
        print("FAIL list does not contain", blob)
        failures.append("list content")

    s, _, d = request("GET", bpath)
    expect("get blob", s, 200, d[:80])
    if s == 200 and d != payload:
        print("FAIL blob content mismatch")
        failures.append("get content")

    # Signing the decoded path instead ("part 0001") is rejected.
    h = {"x-ms-date": rfc1123_now(), "x-ms-version": API_VERSION}
    sts = shared_key_string_to_sign("GET", f"{cpath}/{blob}", {}, h)
    h["Authorization"] = f"SharedKey {ACCOUNT}:{sign(sts)}"
    conn = http.client.HTTPConnection(HOST, PORT, timeout=10)
    conn.request("GET", bpath, headers=h)
    r = conn.getresponse()
    d = r.read()
    conn.close()
    expect("get blob signed with the DECODED path -> 403", r.status, 403, d)

    # ---- SAS ----
    expiry = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)).strftime(
        "%Y-%m-%dT%H:%M:%SZ")
    sas_blob = "sas/service-sas.txt"
    q, sts = service_sas(container, sas_blob, "cw", expiry)
    if VERBOSE:
        print("    service SAS string-to-sign:", repr(sts))
    s, _, d = request("PUT", f"{cpath}/{sas_blob}", q, {"x-ms-blob-type": "BlockBlob",
                      "x-ms-version": API_VERSION}, b"via service sas\n", auth="sas")
    expect(f"put blob with service SAS (sv={SAS_VERSION}, sr=b, sp=cw)", s, 201, d)

    q_bad = dict(q, sig=sign(sts + "x"))
    s, _, d = request("PUT", f"{cpath}/{sas_blob}", q_bad, {"x-ms-blob-type": "BlockBlob"},
                      b"x", auth="sas")
    expect("put blob with WRONG service SAS signature -> 403", s, 403, d)

    q, sts = service_sas(container, sas_blob, "r", expiry)
    s, _, d = request("PUT", f"{cpath}/{sas_blob}", q, {"x-ms-blob-type": "BlockBlob"},
                      b"x", auth="sas")
    expect("put blob with read-only service SAS -> 403", s, 403, d)

    acct_blob = "sas/account-sas.txt"
    q, sts = account_sas("rwdlac", "b", "sco", expiry)
    if VERBOSE:
        print("    account SAS string-to-sign:", repr(sts))
    s, _, d = request("PUT", f"{cpath}/{acct_blob}", q, {"x-ms-blob-type": "BlockBlob",
                      "x-ms-version": API_VERSION}, b"via account sas\n", auth="sas")
    expect(f"put blob with account SAS (sv={SAS_VERSION}, ss=b, srt=sco, sp=rwdlac)",
           s, 201, d)

    s, _, d = request("GET", cpath, dict(q, restype="container", comp="list"), auth="sas")
    expect("list blobs with account SAS", s, 200, d)

    # clean up
    s, _, d = request("DELETE", cpath, {"restype": "container"})
    expect("delete container", s, 202, d)

    print("RESULT:", "all expectations met" if not failures else f"FAILED: {failures}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
