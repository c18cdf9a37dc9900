#!/usr/bin/env python3
"""Held-out production-style log corpus for logscrub (stdlib only).

Lines look like a week of traffic from a fleet of microservices (Go, Java,
Python, Node, Rust), nginx/envoy access logs, Kubernetes controllers, Kafka
consumers, DB pools, payment and auth services.  A share of lines (--dirty)
carries exactly ONE planted sensitive value; those lines are listed in the
labels file (JSONL: line, family, context, value, plus variant/container/
style/template for diagnosis).  Every other line is clean: private
addresses, ids, hashes, versions and words like "password"/"token" used as
words, never values.  All e-mail addresses are treated as sensitive, so they
only ever appear planted and labelled (system mailboxes as variant "system").

This file was written without reading the rule pack, the engine or the other
corpus scripts, so it is independent of what the rules already know.

  servicelogs.py generate --out FILE [--labels FILE] [--size-mb N|--lines N]
                          [--dirty 0.02] [--seed S] [--format mixed|json|logfmt|text]
  servicelogs.py measure --bin PATH [--lines 50000] [--dirty 0.1] [--seed S]
                         [--json FILE] [--min-recall 0.95] [--min-family-recall F]
                         [--max-clean-changed PCT]
  servicelogs.py bench-corpus --out FILE --size-mb 100 [--dirty 0.02]

Same seed + same arguments => same bytes (random.Random, no hash ordering).
"""
import argparse
import base64
import datetime as _dt
import difflib
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import zlib
from collections import Counter, defaultdict
from urllib.parse import quote, quote_plus

DIGITS = "0123456789"
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
LOWER = "abcdefghijklmnopqrstuvwxyz"
ALNUM = DIGITS + UPPER + LOWER
B62 = DIGITS + UPPER + LOWER
B64 = UPPER + LOWER + DIGITS + "+/"
B64URL = UPPER + LOWER + DIGITS + "-_"
B32 = UPPER + "234567"
K8S = "bcdfghjklmnpqrstvwxz2456789"
CROCK = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

# ---------------------------------------------------------------- escaping

def jenc(obj, html=False, sort=False):
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=sort)
    if html:  # Go encoding/json (logrus) escapes these inside strings
        s = s.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return s


def jesc(s):
    return json.dumps(s, ensure_ascii=False)[1:-1]


def jesc_html(s):
    return jesc(s).replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def lf_needs_quote(s):
    return s == "" or any(c in s for c in ' ="\\\n\t') or any(ord(c) < 32 for c in s)


def lfesc(s):
    return s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


def lfval(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return ("%.3f" % v).rstrip("0").rstrip(".") if v != int(v) else "%d" % int(v)
    if isinstance(v, (list, tuple)):
        v = "[" + ",".join(str(x) for x in v) + "]"
    if isinstance(v, dict):
        v = jenc(v)
    s = str(v)
    return '"' + lfesc(s) + '"' if lf_needs_quote(s) else s


def pyrepr_inner(s):
    return repr(s)[1:-1]


ESCAPERS = [jesc, jesc_html, lfesc, pyrepr_inner]


def appearing_form(value, line):
    """The form in which `value` (unescaped) appears in `line`: the longest
    of value and its one- and two-layer escapings that the line contains."""
    cands = {value}
    for f in ESCAPERS:
        a = f(value)
        cands.add(a)
        for g in ESCAPERS:
            cands.add(g(a))
    found = [c for c in cands if c in line]
    if not found:
        return None
    return max(found, key=len)

# ---------------------------------------------------------------- checksums

def luhn_check_digit(body):
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_ok(num):
    return luhn_check_digit(num[:-1]) == num[-1]


def iban_check(cc, bban):
    s = bban + cc + "00"
    n = "".join(str(int(c, 36)) for c in s)
    return "%02d" % (98 - int(n) % 97)


_VERHOEFF_D = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6], [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]]
_VERHOEFF_P = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2], [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8]]
_VERHOEFF_INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9]


def verhoeff_digit(body):
    c = 0
    for i, ch in enumerate(reversed(body)):
        c = _VERHOEFF_D[c][_VERHOEFF_P[(i + 1) % 8][int(ch)]]
    return str(_VERHOEFF_INV[c])


def b62enc(n, width):
    out = ""
    while n:
        n, rem = divmod(n, 62)
        out = B62[rem] + out
    return out.rjust(width, "0")

# ---------------------------------------------------------------- parameters

SERVICES = [
    # name, lang, namespace, domains
    ("payments-api", "go", "payments", ("http", "payments", "db")),
    ("checkout-web", "node", "shop", ("http", "worker")),
    ("orders-service", "java", "orders", ("http", "db", "kafka")),
    ("auth-service", "go", "identity", ("http", "auth")),
    ("identity-provider", "java", "identity", ("auth", "http")),
    ("session-manager", "rust", "identity", ("auth",)),
    ("notification-worker", "python", "comms", ("worker", "kafka")),
    ("email-sender", "node", "comms", ("worker",)),
    ("ledger", "rust", "finance", ("payments", "db")),
    ("billing-service", "java", "billing", ("payments", "db", "http")),
    ("billing-consumer", "java", "billing", ("kafka",)),
    ("fraud-scorer", "python", "risk", ("payments", "http")),
    ("payout-worker", "python", "finance", ("payments", "worker")),
    ("inventory-svc", "java", "inventory", ("http", "db", "kafka")),
    ("search-api", "rust", "search", ("http",)),
    ("catalog-api", "python", "catalog", ("http", "db")),
    ("user-profile", "node", "identity", ("http", "db")),
    ("order-events-consumer", "go", "orders", ("kafka",)),
    ("analytics-ingest", "rust", "data", ("kafka", "worker")),
    ("reporting-worker", "python", "data", ("db", "worker")),
    ("export-worker", "python", "data", ("worker",)),
    ("image-resizer", "rust", "media", ("worker", "http")),
    ("api-gateway", "go", "edge", ("http",)),
    ("shipping-quotes", "node", "logistics", ("http",)),
    ("deployment-controller", "go", "kube-system", ("k8s",)),
    ("cert-manager", "go", "cert-manager", ("k8s",)),
    ("external-dns", "go", "kube-system", ("k8s",)),
    ("karpenter", "go", "karpenter", ("k8s",)),
    ("argocd-application-controller", "go", "argocd", ("k8s",)),
]

STYLES = {
    # style: (container, langs)
    "zap": ("json", ("go",)),
    "logrus": ("json", ("go",)),
    "logstash": ("json", ("java",)),
    "structlog": ("json", ("python",)),
    "pino": ("json", ("node",)),
    "winston_json": ("json", ("node",)),
    "tracing_json": ("json", ("rust",)),
    "gokit": ("logfmt", ("go",)),
    "slog": ("logfmt", ("go",)),
    "tracing_logfmt": ("logfmt", ("rust",)),
    "logfmter": ("logfmt", ("python",)),
    "logback": ("text", ("java",)),
    "log4j": ("text", ("java",)),
    "pylogging": ("text", ("python",)),
    "tracing_fmt": ("text", ("rust",)),
    "klog": ("text", ("go",)),
    "winston_text": ("text", ("node",)),
}
KV_TEXT_STYLES = ("logback", "log4j", "pylogging", "tracing_fmt", "klog")

GO_PKGS = ["internal/server", "internal/store", "pkg/kafka", "cmd/api", "internal/payments",
           "internal/auth/session", "pkg/retry", "internal/httpx", "internal/ledger",
           "pkg/middleware", "internal/worker", "pkg/cache", "internal/grpcsvc"]
GO_FILES = ["handler.go", "server.go", "client.go", "store.go", "consumer.go", "retry.go",
            "middleware.go", "pool.go", "reconcile.go", "controller.go", "service.go", "main.go"]
JAVA_PKGS = ["com.acme.{d}.service", "com.acme.{d}.web", "com.acme.{d}.repository",
             "com.acme.{d}.kafka", "com.acme.{d}.config", "com.acme.{d}.client",
             "org.springframework.web.servlet", "com.zaxxer.hikari.pool",
             "org.apache.kafka.clients.consumer.internals", "org.hibernate.engine.jdbc"]
JAVA_CLASSES = ["OrderService", "ChargeService", "InvoiceListener", "PaymentController",
                "CustomerRepository", "RetryTemplate", "TokenValidator", "LedgerClient",
                "ConsumerCoordinator", "HikariPool", "DispatcherServlet", "SqlExceptionHelper",
                "RefundWorkflow", "SessionRegistry", "StockReservationHandler"]
JAVA_THREADS = ["http-nio-8080-exec-{n}", "kafka-consumer-{s}-{n}", "HikariPool-1 housekeeper",
                "scheduling-1", "main", "ForkJoinPool.commonPool-worker-{n}",
                "reactor-http-epoll-{n}", "task-{n}", "grpc-default-executor-{n}"]
PY_LOGGERS = ["app.workers.receipts", "app.api.views", "app.services.billing", "celery.app.trace",
              "uvicorn.access", "gunicorn.error", "app.tasks.exports", "app.risk.model",
              "sqlalchemy.engine.Engine", "app.integrations.sms", "kombu.connection"]
RUST_TARGETS = ["ledger::postings::writer", "ingest::pipeline::batch", "session_manager::store",
                "search_api::query::planner", "image_resizer::worker", "hyper::proto::h1::io",
                "tower_http::trace::on_response", "sqlx::query", "rdkafka::consumer",
                "tokio_postgres::connection", "axum::routing", "reqwest::connect"]
NODE_NAMES = ["http", "db", "queue", "mailer", "cache", "router", "stripe-client", "graphql"]

WORDS = ["red shoes", "usb-c cable", "garden hose", "coffee grinder", "running socks",
         "standing desk", "wireless mouse", "yoga mat", "rain jacket", "kids bike",
         "espresso beans", "led strip", "phone case", "laptop stand", "water bottle"]
CURRENCIES = ["EUR", "USD", "GBP", "CHF", "SEK", "PLN", "CAD", "AUD", "JPY"]
COUNTRIES = ["DE", "US", "GB", "FR", "NL", "ES", "IT", "SE", "PL", "CA", "IN", "AU", "CH", "IE"]
REGIONS = ["eu-west-1", "eu-central-1", "us-east-1", "us-west-2", "ap-southeast-2"]
TOPICS = ["orders.events", "payments.captured", "invoices.v2", "user.signups", "inventory.reservations",
          "notifications.outbox", "ledger.postings", "shipments.updates", "audit.log", "search.reindex"]
GROUPS = ["billing-consumer", "notification-worker", "analytics-ingest", "order-events-consumer",
          "search-indexer", "ledger-projector"]
DBS = ["payments", "orders", "catalog", "identity", "ledger", "reporting", "inventory"]
TABLES = ["orders", "order_items", "payments", "refunds", "customers", "sessions", "invoices",
          "ledger_entries", "stock_levels", "shipments", "webhook_events", "api_keys", "audit_events"]
PATHS = [
    "/v1/orders/{oid}", "/v1/orders/{oid}/items", "/api/v2/customers/{uid}/addresses",
    "/v1/payments/{pid}/capture", "/healthz", "/readyz", "/metrics", "/graphql",
    "/v1/catalog/products?category={cat}&page={n}&limit=50", "/v1/sessions/refresh",
    "/v1/users/{uid}/preferences", "/static/js/main.{h8}.js", "/api/v1/search?q={q}&lang=en",
    "/v1/invoices/{inv}.pdf", "/v1/webhooks/stripe", "/v1/carts/{uuid}", "/ws/notifications",
    "/favicon.ico", "/v1/shipments/{sid}/tracking", "/admin/feature-flags", "/oauth2/token",
    "/v1/auth/password-reset", "/v1/auth/login", "/v1/accounts/{acct}/balance",
    "/api/v1/products/{sku}/reviews?sort=recent&page={n}", "/v2/quotes?from={cc}&to={cc2}&weight={n}",
    "/v1/cards/{card_id}", "/api/v1/phone/verify", "/v1/exports/{uuid}/download",
    "/images/{h8}/{n}x{n}.webp", "/v1/refunds?payment_intent={pid}",
]
CATS = ["shoes", "electronics", "garden", "kitchen", "books", "toys", "outdoor", "beauty"]
K8S_KINDS = ["Deployment", "ReplicaSet", "Certificate", "Ingress", "Service", "ConfigMap",
             "Application", "NodeClaim", "HorizontalPodAutoscaler", "StatefulSet"]


class P:
    """Random parameter helpers over one random.Random."""

    def __init__(self, rng):
        self.r = rng

    def c(self, seq):
        return self.r.choice(seq)

    def i(self, a, b):
        return self.r.randint(a, b)

    def p(self, prob):
        return self.r.random() < prob

    def s(self, alphabet, n):
        return "".join(self.r.choices(alphabet, k=n))

    def hex(self, n):
        return "%0*x" % (n, self.r.getrandbits(4 * n))

    def digits(self, n):
        return self.s(DIGITS, n)

    def uuid(self):
        h = self.hex(32)
        return "%s-%s-4%s-%s%s-%s" % (h[:8], h[8:12], h[13:16], "89ab"[int(h[16], 16) % 4], h[17:20], h[20:32])

    def ulid(self):
        return self.s(CROCK[:8], 1) + self.s(CROCK, 25)

    def trace(self):
        return self.hex(32)

    def span(self):
        return self.hex(16)

    def req_id(self):
        k = self.i(0, 4)
        if k == 0:
            return self.uuid()
        if k == 1:
            return "req_" + self.s(ALNUM, 16)
        if k == 2:
            return self.hex(32)
        if k == 3:
            return self.ulid()
        return "%s/%s-%06d" % (self.c(["api-gateway", "ip-10-0-3-17"]), self.s(ALNUM, 10), self.i(1, 999999))

    def ip_priv(self):
        k = self.i(0, 2)
        if k == 0:
            return "10.%d.%d.%d" % (self.i(0, 255), self.i(0, 255), self.i(1, 254))
        if k == 1:
            return "172.%d.%d.%d" % (self.i(16, 31), self.i(0, 255), self.i(1, 254))
        return "192.168.%d.%d" % (self.i(0, 255), self.i(1, 254))

    def port(self):
        return self.c([80, 443, 8080, 8443, 9090, 5432, 6379, 9092, 3306, 27017, 5672, 8000, 3000, self.i(30000, 65535)])

    def eport(self):
        return self.i(32768, 60999)

    def pod(self, svc):
        return "%s-%s-%s" % (svc, self.s(K8S, self.c([9, 10])), self.s(K8S, 5))

    def node(self):
        if self.p(0.5):
            return "ip-10-%d-%d-%d.%s.compute.internal" % (self.i(0, 31), self.i(0, 255), self.i(1, 254), self.c(REGIONS))
        return "gke-prod-%s-pool-%d-%s-%s" % (self.c(["general", "highmem", "spot"]), self.i(1, 4), self.hex(8), self.s(LOWER + DIGITS, 4))

    def ms(self):
        return round(self.r.lognormvariate(2.5, 1.2), self.c([1, 2, 3]))

    def go_dur(self):
        v = self.r.lognormvariate(2.5, 1.6)  # ms
        if v < 1:
            return "%.1fµs" % (v * 1000)
        if v < 1000:
            return "%.*fms" % (self.c([3, 6]), v)
        return "%.*fs" % (self.c([3, 6]), v / 1000)

    def nbytes(self):
        return int(self.r.lognormvariate(8, 2))

    def user_id(self):
        return self.c([self.i(1000, 99999999), "usr_" + self.s(ALNUM, 14), self.uuid()])

    def order_id(self):
        return self.c(["ord_" + self.s(ALNUM, 14), str(self.i(100000, 99999999)), "ORD-2025-%06d" % self.i(1, 999999)])

    def sha(self):
        return self.hex(40)

    def semver(self):
        v = "%d.%d.%d" % (self.i(0, 4), self.i(0, 30), self.i(0, 40))
        if self.p(0.15):
            v += self.c(["-rc.%d" % self.i(1, 5), "-beta.%d" % self.i(1, 9), "+build.%d" % self.i(1, 9999)])
        return v

    def image(self, svc):
        if self.p(0.5):
            return "registry.internal:5000/%s:v%s" % (svc, self.semver())
        return "%d.dkr.ecr.%s.amazonaws.com/%s@sha256:%s" % (self.i(10**11, 10**12 - 1), self.c(REGIONS), svc, self.hex(64))

    def amount(self):
        return round(self.r.lognormvariate(3.5, 1.1), 2)

    def path(self):
        t = self.c(PATHS)
        return t.format(oid=self.order_id(), uid=self.i(1000, 9999999), pid="pi_" + self.s(ALNUM, 24),
                        cat=self.c(CATS), n=self.i(1, 40), h8=self.hex(8), q=quote(self.c(WORDS)),
                        inv="INV-2025-%06d" % self.i(1, 99999), uuid=self.uuid(), sid=self.i(10**6, 10**9),
                        acct="acct_" + self.s(ALNUM, 16), sku="SKU-%05d" % self.i(1, 99999),
                        cc=self.c(COUNTRIES), cc2=self.c(COUNTRIES), card_id="card_" + self.s(ALNUM, 24))

    def host(self, svc=None):
        svc = svc or self.c(SERVICES)[0]
        return self.c(["%s.%s.svc.cluster.local" % (svc, self.c(SERVICES)[2]), "%s:%d" % (svc, self.c([8080, 9090, 80])),
                       "api.example.com", "internal-%s.%s.example.net" % (svc, self.c(REGIONS)), self.ip_priv()])

    def ua(self):
        k = self.i(0, 17)
        ch = self.i(110, 124)
        if k == 0:
            return "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Safari/537.36" % ch
        if k == 1:
            return "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Safari/537.36 Edg/%d.0.%d.%d" % (ch, ch, self.i(1000, 2999), self.i(10, 199))
        if k == 2:
            v = "%d_%d" % (self.i(15, 17), self.i(0, 6))
            return "Mozilla/5.0 (iPhone; CPU iPhone OS %s like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/%s Mobile/15E148 Safari/604.1" % (v, v.replace("_", "."))
        if k == 3:
            return "Mozilla/5.0 (X11; Linux x86_64; rv:%d.0) Gecko/20100101 Firefox/%d.0" % (ch - 5, ch - 5)
        if k == 4:
            return "okhttp/4.%d.%d" % (self.i(9, 12), self.i(0, 3))
        if k == 5:
            return "Go-http-client/%s" % self.c(["1.1", "2.0"])
        if k == 6:
            return "python-requests/2.%d.%d" % (self.i(25, 32), self.i(0, 3))
        if k == 7:
            return "curl/%d.%d.%d" % (self.i(7, 8), self.i(0, 88), self.i(0, 3))
        if k == 8:
            return "kube-probe/1.%d" % self.i(26, 30)
        if k == 9:
            return "Prometheus/2.%d.%d" % (self.i(40, 53), self.i(0, 3))
        if k == 10:
            return "Apache-HttpClient/4.5.%d (Java/17.0.%d)" % (self.i(10, 14), self.i(5, 11))
        if k == 11:
            return "grpc-go/1.%d.%d" % (self.i(50, 63), self.i(0, 2))
        if k == 12:
            return "ELB-HealthChecker/2.0"
        if k == 13:
            return "Stripe/1.0 (+https://stripe.com/docs/webhooks)"
        if k == 14:
            return "AcmeShop/%s (iPhone; iOS 17.%d; Scale/3.00)" % (self.semver(), self.i(0, 4))
        if k == 15:
            return "Dalvik/2.1.0 (Linux; U; Android %d; Pixel %d Build/UQ1A.240%d.00%d)" % (self.i(12, 14), self.i(6, 8), self.i(100, 299), self.i(1, 9))
        if k == 16:
            return "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
        return "axios/1.%d.%d" % (self.i(4, 7), self.i(0, 9))

    def caller_go(self):
        return "%s/%s:%d" % (self.c(GO_PKGS), self.c(GO_FILES), self.i(20, 900))

    def java_logger(self, ns):
        return "%s.%s" % (self.c(JAVA_PKGS).format(d=ns.replace("-", "")), self.c(JAVA_CLASSES))

    def java_thread(self, svc):
        return self.c(JAVA_THREADS).format(n=self.i(1, 40), s=svc.split("-")[0])

    def short_java(self, name):
        parts = name.split(".")
        return ".".join([x[0] for x in parts[:-2]] + parts[-2:])


class Ev:
    __slots__ = ("msg", "fields", "level", "name")

    def __init__(self, msg, fields, level="info", name=""):
        self.msg = msg
        self.fields = list(fields)
        self.level = level
        self.name = name

    def put(self, rng, key, value):
        """Insert key at a random position, dropping a same-named field."""
        self.fields = [kv for kv in self.fields if kv[0] != key]
        self.fields.insert(rng.randint(0, len(self.fields)), (key, value))

# ---------------------------------------------------------------- clean events

TEMPLATES = []  # (name, domain, weight, fn)


def tmpl(domain, weight=1.0):
    def deco(fn):
        TEMPLATES.append((fn.__name__[2:], domain, weight, fn))
        return fn
    return deco


def L(p, info=0.72, debug=0.14, warn=0.10):
    x = p.r.random()
    if x < info:
        return "info"
    if x < info + debug:
        return "debug"
    if x < info + debug + warn:
        return "warn"
    return "error"


@tmpl("http", 4)
def t_http_request(p):
    st = p.c([200] * 12 + [201, 204, 301, 304, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503])
    return Ev(p.c(["request completed", "handled request", "http request", "access"]), [
        ("method", p.c(["GET"] * 5 + ["POST", "POST", "PUT", "PATCH", "DELETE"])), ("path", p.path()),
        ("status", st), ("duration_ms", p.ms()), ("bytes", p.nbytes()), ("remote_addr", "%s:%d" % (p.ip_priv(), p.eport())),
        ("user_agent", p.ua()), ("request_id", p.req_id()), ("trace_id", p.trace())],
        "info" if st < 500 else "error")


@tmpl("http", 2)
def t_upstream_call(p):
    svc = p.c(SERVICES)[0]
    url = "http://%s.%s.svc.cluster.local:%d%s" % (svc, p.c(SERVICES)[2], p.c([80, 8080, 9090]), p.path())
    return Ev(p.c(["calling upstream", "upstream request finished", "outbound call"]), [
        ("upstream", svc), ("url", url), ("timeout", p.c(["2s", "5s", "500ms", "30s"])),
        ("attempt", p.i(1, 3)), ("latency", p.go_dur()), ("span_id", p.span())], L(p))


@tmpl("http")
def t_rate_limited(p):
    return Ev("rate limit exceeded", [
        ("client_id", p.c(["mobile-app", "partner-portal", "internal-batch", "web-frontend"])),
        ("limit", p.c([100, 600, 1000, 5000])), ("window", p.c(["1m", "10s", "1h"])),
        ("route", p.path().split("?")[0]), ("retry_after_s", p.i(1, 60))], "warn")


@tmpl("http")
def t_validation(p):
    f, why = p.c([("quantity", "must be positive"), ("currency", "unsupported currency"),
                  ("postal_code", "invalid format for country"), ("email", "is required"),
                  ("phone", "must be E.164"), ("password", "too short (min 12)"),
                  ("card", "expired"), ("birth_date", "must be in the past")])
    return Ev("request validation failed", [("field", f), ("reason", why), ("path", p.path().split("?")[0]),
                                             ("request_id", p.req_id())], "warn")


@tmpl("http")
def t_grpc(p):
    svc, m = p.c([("orders.v1.OrderService", "GetOrder"), ("payments.v2.Payments", "Capture"),
                  ("inventory.v1.Stock", "Reserve"), ("identity.v1.Sessions", "Validate"),
                  ("ledger.v1.Ledger", "Post")])
    return Ev("finished unary call", [("grpc.service", svc), ("grpc.method", m),
                                      ("grpc.code", p.c(["OK"] * 8 + ["NotFound", "DeadlineExceeded", "Unavailable", "PermissionDenied"])),
                                      ("grpc.time_ms", p.ms()), ("peer.address", "%s:%d" % (p.ip_priv(), p.eport()))], L(p))


@tmpl("http")
def t_slow_request(p):
    return Ev("slow request", [("path", p.path()), ("method", p.c(["GET", "POST"])),
                               ("elapsed", "%.2fs" % (p.r.random() * 9 + 1)), ("threshold", "1s"), ("trace_id", p.trace())], "warn")


@tmpl("http")
def t_cors(p):
    return Ev(p.c(["CORS preflight handled", "route not found", "method not allowed"]), [
        ("origin", "https://%s.example.com" % p.c(["www", "shop", "admin", "partners"])),
        ("path", p.path().split("?")[0]), ("status", p.c([204, 404, 405]))], p.c(["debug", "info"]))


@tmpl("auth", 1.5)
def t_password_reset(p):
    return Ev(p.c(["password reset email queued", "password reset requested", "password reset link expired",
                   "password changed", "password reset completed"]), [
        ("user_id", p.user_id()), ("template_id", p.c(["pwd-reset-v3", "password_reset_v2", "security-notice"])),
        ("queue", "emails"), ("expires_in", p.c(["15m", "1h", "24h"])), ("request_id", p.req_id())])


@tmpl("auth")
def t_session_expired(p):
    return Ev(p.c(["session expired", "session revoked", "session created", "session refreshed"]), [
        ("user_id", p.user_id()), ("session_age", p.go_dur()), ("idle_timeout", "30m"),
        ("device", p.c(["ios", "android", "web", "desktop"])), ("mfa", p.c([True, False]))])


@tmpl("auth", 1.5)
def t_token_refreshed(p):
    return Ev(p.c(["token refreshed", "access token issued", "refresh token rotated", "token introspection ok"]), [
        ("client_id", p.c(["mobile-app", "web-frontend", "partner-portal", "cli"])),
        ("token_type", "Bearer"), ("expires_in", p.c([300, 900, 3600, 86400])),
        ("scope", p.c(["orders:read orders:write", "openid profile", "payments:read", "admin"])),
        ("user_id", p.user_id()), ("kid", p.c(["2025-01-rotation", "k" + p.hex(8), "signing-key-%d" % p.i(1, 9)]))])


@tmpl("auth")
def t_login(p):
    ok = p.p(0.8)
    f = [("user_id", p.user_id()), ("method", p.c(["password", "sso", "webauthn", "magic_link", "oidc"])),
         ("mfa", p.c(["totp", "sms", "none", "webauthn"]))]
    if not ok:
        f.append(("reason", p.c(["invalid_password", "account_locked", "mfa_failed", "unknown_user"])))
        f.append(("attempts", p.i(1, 6)))
    return Ev("login succeeded" if ok else "login failed", f, "info" if ok else "warn")


@tmpl("auth")
def t_jwks(p):
    return Ev("JWKS refreshed", [("issuer", "https://auth.example.com/"), ("keys", p.i(1, 4)),
                                 ("kid", p.hex(16)), ("alg", p.c(["RS256", "ES256"])), ("next_refresh", "1h")])


@tmpl("auth")
def t_api_key_validated(p):
    return Ev(p.c(["api key validated", "api key revoked", "api key created", "api key expired"]), [
        ("key_id", "key_" + p.ulid()), ("owner_team", p.c(["payments", "growth", "data", "partner-acme"])),
        ("last_used", "%dd" % p.i(0, 90)), ("scopes", p.c(["read", "read,write", "admin"]))])


@tmpl("auth")
def t_secret_rotated(p):
    return Ev(p.c(["secret rotated", "secret synced from vault", "loaded secret from vault", "secret version pinned"]), [
        ("secret_name", p.c(["payments-db-credentials", "stripe-api", "smtp-relay", "jwt-signing", "kafka-sasl"])),
        ("path", "secret/data/%s/%s" % (p.c(["payments", "identity", "comms"]), p.c(["db", "stripe", "smtp"]))),
        ("version", p.i(1, 40)), ("lease_duration", p.c(["768h", "24h", "1h"]))])


@tmpl("auth")
def t_account_locked(p):
    return Ev(p.c(["account locked", "account unlocked", "account created", "account deletion scheduled"]), [
        ("account_id", "acct_" + p.s(ALNUM, 16)), ("reason", p.c(["too_many_attempts", "admin_action", "user_request", "fraud_review"])),
        ("locked_until", iso(p, 0)), ("user_id", p.user_id())], p.c(["info", "warn"]))


@tmpl("auth")
def t_otp(p):
    return Ev(p.c(["OTP sent", "OTP verified", "phone verification requested", "email verification link sent"]), [
        ("channel", p.c(["sms", "email", "voice", "whatsapp"])), ("country", p.c(COUNTRIES)),
        ("phone_verified", p.c([True, False])), ("email_verified", p.c([True, False])), ("user_id", p.user_id()),
        ("provider", p.c(["twilio", "messagebird", "ses", "sendgrid"]))])


@tmpl("auth")
def t_password_policy(p):
    return Ev("password policy evaluated", [("min_length", 12), ("require_symbols", True),
                                            ("breached_check", p.c(["passed", "skipped"])), ("strength", p.i(0, 4)),
                                            ("user_id", p.user_id())], "debug")


@tmpl("auth")
def t_missing_auth(p):
    return Ev(p.c(["missing Authorization header", "invalid token signature", "token expired", "Bearer token missing",
                   "auth middleware rejected request", "csrf token mismatch"]), [
        ("path", p.path().split("?")[0]), ("status", 401), ("request_id", p.req_id())], "warn")


@tmpl("payments", 2)
def t_charge(p):
    return Ev(p.c(["charge created", "payment captured", "payment authorized", "card declined"]), [
        ("charge_id", "ch_" + p.s(ALNUM, 24)), ("amount", int(p.amount() * 100)), ("currency", p.c(CURRENCIES)),
        ("card_brand", p.c(["visa", "mastercard", "amex", "discover"])), ("card_last4", p.digits(4)),
        ("three_ds", p.c([True, False])), ("decline_code", p.c(["", "insufficient_funds", "do_not_honor", "expired_card"])),
        ("customer", "cus_" + p.s(ALNUM, 14))], L(p))


@tmpl("payments")
def t_refund(p):
    return Ev(p.c(["refund processed", "refund failed", "partial refund created"]), [
        ("refund_id", "re_" + p.s(ALNUM, 24)), ("amount", "%.2f" % p.amount()), ("currency", p.c(CURRENCIES)),
        ("reason", p.c(["requested_by_customer", "duplicate", "fraudulent"])), ("payment_intent", "pi_" + p.s(ALNUM, 24))], L(p))


@tmpl("payments")
def t_payout(p):
    return Ev(p.c(["payout scheduled", "payout paid", "payout failed"]), [
        ("payout_id", "po_" + p.s(ALNUM, 24)), ("arrival_date", date(p)), ("bank_country", p.c(COUNTRIES)),
        ("amount", "%.2f" % (p.amount() * 40)), ("currency", p.c(CURRENCIES)), ("method", p.c(["standard", "instant"]))])


@tmpl("payments", 1.5)
def t_webhook(p):
    return Ev("webhook received", [("type", p.c(["payment_intent.succeeded", "charge.refunded", "invoice.paid",
                                                  "customer.subscription.updated", "payout.paid", "charge.dispute.created"])),
                                   ("id", "evt_" + p.s(ALNUM, 24)), ("livemode", True), ("api_version", "2024-06-20"),
                                   ("signature_verified", True), ("delivery_attempt", p.i(1, 4))])


@tmpl("payments")
def t_fraud(p):
    return Ev("fraud score computed", [("score", round(p.r.random(), 4)), ("rules_triggered", p.i(0, 5)),
                                       ("decision", p.c(["allow", "allow", "review", "block"])), ("model", "gbm-v%d" % p.i(3, 9)),
                                       ("ip_country", p.c(COUNTRIES)), ("card_country", p.c(COUNTRIES)), ("order_id", p.order_id())])


@tmpl("payments")
def t_invoice(p):
    return Ev(p.c(["invoice finalized", "invoice sent", "invoice voided", "dunning attempt"]), [
        ("invoice_number", "INV-2025-%06d" % p.i(1, 999999)), ("total", "%.2f" % p.amount()), ("currency", p.c(CURRENCIES)),
        ("customer", "cus_" + p.s(ALNUM, 14)), ("due_date", date(p)), ("attempt", p.i(1, 4))])


@tmpl("payments")
def t_ledger(p):
    return Ev("ledger entry posted", [("account", p.c(["revenue:subscriptions", "liabilities:customer_balance", "assets:stripe_clearing", "expenses:refunds"])),
                                      ("debit", "%.2f" % p.amount()), ("credit", "0.00"), ("journal_id", p.ulid()),
                                      ("idempotency_key", p.uuid()), ("balance_after", "%.2f" % (p.amount() * 100))])


@tmpl("payments")
def t_card_tokenized(p):
    return Ev(p.c(["card tokenized", "card updater: card refreshed", "payment method attached", "card expiring soon"]), [
        ("payment_method", "pm_" + p.s(ALNUM, 24)), ("brand", p.c(["visa", "mastercard", "amex"])), ("last4", p.digits(4)),
        ("exp_month", p.i(1, 12)), ("exp_year", p.i(2025, 2031)), ("fingerprint", p.s(ALNUM, 16)), ("wallet", p.c(["apple_pay", "google_pay", "none"]))])


@tmpl("kafka", 2.5)
def t_consumed(p):
    return Ev(p.c(["consumed message", "message processed", "record handled", "skipping duplicate message"]), [
        ("topic", p.c(TOPICS)), ("partition", p.i(0, 23)), ("offset", p.i(10**5, 4 * 10**9)),
        ("key", p.c(["order-" + p.hex(12), "user:%d" % p.i(1000, 9999999), p.uuid(), "tenant-%d/%d" % (p.i(1, 99), p.i(1, 9999))])),
        ("lag", p.i(0, 5000)), ("processing_ms", p.ms()), ("group", p.c(GROUPS))])


@tmpl("kafka")
def t_rebalance(p):
    parts = sorted(set(p.i(0, 23) for _ in range(p.i(1, 6))))
    return Ev(p.c(["partitions assigned", "partitions revoked", "rebalance started", "rebalance completed"]), [
        ("group", p.c(GROUPS)), ("generation", p.i(1, 900)), ("member_id", "consumer-%s-%d-%s" % (p.c(GROUPS), p.i(1, 9), p.uuid())),
        ("partitions", parts), ("topic", p.c(TOPICS))])


@tmpl("kafka")
def t_commit(p):
    return Ev("committed offsets", [("group", p.c(GROUPS)), ("topic", p.c(TOPICS)), ("partition", p.i(0, 23)),
                                    ("offset", p.i(10**5, 4 * 10**9)), ("metadata", ""), ("elapsed", p.go_dur())], "debug")


@tmpl("kafka")
def t_producer_retry(p):
    return Ev("produce failed, retrying", [("topic", p.c(TOPICS)), ("retries", p.i(1, 5)),
                                           ("error", p.c(["NOT_LEADER_OR_FOLLOWER", "REQUEST_TIMED_OUT", "NETWORK_EXCEPTION", "Broker: Leader not available"])),
                                           ("broker", "kafka-%d.kafka-headless.%s.svc:9092" % (p.i(0, 5), p.c(["data", "kafka"]))),
                                           ("backoff", p.c(["100ms", "250ms", "1s"]))], "warn")


@tmpl("kafka")
def t_dlq(p):
    return Ev("message sent to dead letter topic", [("topic", p.c(TOPICS) + ".dlq"), ("original_offset", p.i(10**5, 10**9)),
                                                    ("error", p.c(["schema validation failed: field 'amount' missing",
                                                                   "deserialization error at byte %d" % p.i(1, 900),
                                                                   "handler timeout after 30s"])),
                                                    ("headers", p.i(2, 9))], "error")


@tmpl("db", 2)
def t_query(p):
    t = p.c(TABLES)
    sql = p.c([
        "SELECT id, status, created_at FROM %s WHERE customer_id = $1 AND created_at > $2 ORDER BY created_at DESC LIMIT $3" % t,
        "UPDATE %s SET status = $1, updated_at = now() WHERE id = $2 AND version = $3" % t,
        "INSERT INTO %s (id, payload, created_at) VALUES (?, ?, ?)" % t,
        "SELECT count(*) FROM %s WHERE tenant_id = ? AND deleted_at IS NULL" % t,
        "DELETE FROM %s WHERE expires_at < $1" % t,
        "SELECT o.id, i.sku FROM orders o JOIN order_items i ON i.order_id = o.id WHERE o.id = ANY($1)",
        "INSERT INTO %s (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value" % t])
    return Ev(p.c(["query executed", "slow query", "sql"]), [("db", p.c(DBS)), ("sql", sql), ("rows", p.i(0, 5000)),
                                                            ("duration_ms", p.ms()), ("conn_id", p.i(1, 64))], L(p))


@tmpl("db")
def t_pool_acquire(p):
    return Ev(p.c(["connection acquired", "connection pool exhausted", "connection released", "pool resized"]), [
        ("pool", p.c(["primary", "replica", "reporting"])), ("wait_ms", p.ms()), ("active", p.i(0, 50)), ("idle", p.i(0, 20)),
        ("max", p.c([20, 50, 100])), ("host", "%s:%d" % (p.ip_priv(), p.c([5432, 3306, 6432])))], L(p))


@tmpl("db")
def t_migration(p):
    return Ev("migration applied", [("version", "2025%02d%02d%06d" % (p.i(1, 3), p.i(1, 28), p.i(0, 235959))),
                                    ("name", p.c(["add_index_orders_status", "create_table_refunds", "drop_column_legacy_token",
                                                  "add_password_changed_at", "backfill_account_phone_verified"])),
                                    ("duration", p.go_dur()), ("checksum", p.hex(32))])


@tmpl("db")
def t_deadlock(p):
    return Ev("deadlock detected, retrying transaction", [("attempt", p.i(1, 3)), ("table", p.c(TABLES)),
                                                           ("sqlstate", "40P01"), ("txid", p.i(10**6, 10**9))], "warn")


@tmpl("db")
def t_cache(p):
    return Ev(p.c(["cache miss", "cache hit", "cache set", "cache evicted"]), [
        ("key", p.c(["user:%d:profile" % p.i(1000, 9999999), "cart:%s" % p.uuid(), "rate:%s:%d" % (p.ip_priv(), p.i(1, 60)),
                     "session:meta:%s" % p.hex(8), "product:SKU-%05d" % p.i(1, 99999), "feature-flags:v%d" % p.i(1, 9)])),
        ("ttl", p.c([60, 300, 3600, 86400])), ("backend", p.c(["redis", "memcached", "in-memory"])), ("size", p.nbytes())], "debug")


@tmpl("k8s", 2)
def t_reconcile(p):
    kind = p.c(K8S_KINDS)
    return Ev(p.c(["Reconciling", "Successfully synced", "Reconcile finished", "Requeue after error"]), [
        ("controller", kind.lower()), ("namespace", p.c(SERVICES)[2]), ("name", p.c(SERVICES)[0]),
        ("resourceVersion", str(p.i(10**7, 9 * 10**8))), ("generation", p.i(1, 300)), ("reconcileID", p.uuid())], L(p))


@tmpl("k8s")
def t_pod_status(p):
    svc = p.c(SERVICES)[0]
    return Ev("Pod status changed", [("pod", p.pod(svc)), ("namespace", p.c(SERVICES)[2]),
                                     ("phase", p.c(["Running", "Pending", "Succeeded", "Failed"])), ("node", p.node()),
                                     ("podIP", p.ip_priv()), ("restarts", p.i(0, 12))], L(p))


@tmpl("k8s")
def t_leader(p):
    return Ev(p.c(["successfully acquired lease", "attempting to acquire leader lease", "lost leadership"]), [
        ("lease", "%s/%s" % (p.c(SERVICES)[2], p.c(["controller-leader", "cert-manager-controller", "karpenter-leader-election"]))),
        ("holder", "%s_%s" % (p.pod(p.c(SERVICES)[0]), p.uuid()))], L(p))


@tmpl("k8s")
def t_image_pulled(p):
    svc = p.c(SERVICES)[0]
    return Ev("Successfully pulled image", [("image", p.image(svc)), ("size", p.nbytes() * 1000),
                                            ("duration", p.go_dur()), ("pod", p.pod(svc))])


@tmpl("k8s")
def t_hpa(p):
    a = p.i(2, 10)
    return Ev("scaled deployment", [("hpa", p.c(SERVICES)[0]), ("from", a), ("to", a + p.c([-1, 1, 2])),
                                    ("metric", "cpu"), ("current", "%d%%" % p.i(40, 99)), ("target", "70%")])


@tmpl("k8s")
def t_configmap(p):
    return Ev(p.c(["configmap updated", "secret mounted", "certificate renewed", "certificate issued"]), [
        ("name", p.c(["app-config", "envoy-bootstrap", "api-tls", "payments-db-credentials", "feature-flags"])),
        ("namespace", p.c(SERVICES)[2]), ("data_keys", p.i(1, 12)), ("not_after", iso(p, 86400 * 60)),
        ("serial", ":".join(p.hex(2) for _ in range(8)))])


@tmpl("k8s")
def t_nodeclaim(p):
    return Ev("launched nodeclaim", [("nodeclaim", "default-%s" % p.s(K8S, 5)), ("instance-type", p.c(["m6i.large", "c7g.2xlarge", "r6a.xlarge"])),
                                     ("zone", p.c(REGIONS) + p.c("abc")), ("capacity-type", p.c(["spot", "on-demand"])),
                                     ("provider-id", "aws:///%s/i-%s" % (p.c(REGIONS) + "a", p.hex(17)))])


@tmpl("worker", 1.5)
def t_celery(p):
    return Ev(p.c(["Task succeeded", "Task received", "Task retry scheduled"]), [
        ("task", p.c(["app.tasks.send_receipt", "app.tasks.generate_invoice_pdf", "app.tasks.sync_inventory",
                      "app.tasks.send_password_reset", "app.tasks.export_csv"])), ("task_id", p.uuid()),
        ("runtime", round(p.r.random() * 5, 3)), ("retries", p.i(0, 3)), ("queue", p.c(["default", "emails", "exports"]))])


@tmpl("worker")
def t_email_dispatched(p):
    return Ev(p.c(["email dispatched", "email bounced", "email template rendered", "email delivery delayed"]), [
        ("provider", p.c(["ses", "sendgrid", "postmark"])), ("message_id", "0100018e%s-%s-000000" % (p.hex(8), p.uuid())),
        ("template", p.c(["receipt", "password_reset", "welcome", "invoice_ready", "login_alert"])),
        ("locale", p.c(["en-US", "de-DE", "fr-FR", "en-GB"])), ("size", p.nbytes())])


@tmpl("worker")
def t_sms(p):
    return Ev(p.c(["sms queued", "sms delivered", "sms delivery failed"]), [
        ("provider", "twilio"), ("message_sid", "SM" + p.hex(32)), ("segments", p.i(1, 3)),
        ("country", p.c(COUNTRIES)), ("status", p.c(["queued", "delivered", "undelivered"])), ("error_code", p.c(["", "30003", "30005"]))])


@tmpl("worker")
def t_export(p):
    return Ev(p.c(["S3 object uploaded", "export finished", "object deleted"]), [
        ("bucket", p.c(["acme-invoices", "acme-exports-prod", "acme-media"])),
        ("key", "%s/2025/%02d/%s.%s" % (p.c(["invoices", "exports", "images"]), p.i(1, 12), p.uuid(), p.c(["pdf", "csv.gz", "webp"]))),
        ("size", p.nbytes() * 10), ("etag", p.hex(32)), ("duration", p.go_dur())])


@tmpl("worker")
def t_image(p):
    return Ev("image resized", [("src", "uploads/%s.jpg" % p.uuid()), ("width", p.c([320, 640, 1280])),
                                ("height", p.c([240, 480, 960])), ("format", "webp"), ("elapsed_ms", p.ms()), ("bytes_out", p.nbytes())])


@tmpl("worker")
def t_cron(p):
    return Ev(p.c(["job finished", "job started", "job skipped: previous run still active"]), [
        ("job", p.c(["nightly-reconciliation", "purge-expired-sessions", "rotate-api-keys", "send-digest", "reindex-catalog"])),
        ("duration", p.go_dur()), ("next_run", iso(p, 86400)), ("processed", p.i(0, 100000))])


@tmpl("generic", 1.5)
def t_config_loaded(p):
    return Ev(p.c(["config loaded", "starting server", "build info", "service ready"]), [
        ("version", p.semver()), ("git_sha", p.sha()), ("build_time", iso(p, -86400 * 3)),
        ("config", "/etc/%s/config.yaml" % p.c(SERVICES)[0]), ("listen", ":%d" % p.c([8080, 9090, 8443, 3000])),
        ("go_version", "go1.%d.%d" % (p.i(20, 23), p.i(0, 9)))])


@tmpl("generic")
def t_tls(p):
    return Ev("TLS certificate expires soon", [("subject", "CN=%s.example.com" % p.c(["api", "www", "auth", "pay"])),
                                              ("issuer", "CN=R11,O=Let's Encrypt,C=US"), ("not_after", iso(p, 86400 * 20)),
                                              ("serial", p.hex(36)), ("days_left", p.i(1, 29))], "warn")


@tmpl("generic")
def t_circuit(p):
    return Ev(p.c(["circuit breaker opened", "circuit breaker half-open", "circuit breaker closed"]), [
        ("name", p.c(["inventory-client", "stripe", "sms-provider", "geo-ip", "tax-service"])),
        ("failures", p.i(0, 20)), ("window", "10s"), ("cooldown", "30s")], p.c(["warn", "info"]))


@tmpl("generic")
def t_retry(p):
    return Ev("retrying request", [("attempt", p.i(2, 5)), ("backoff", p.go_dur()),
                                   ("url", "https://%s%s" % (p.c(["api.example.com", "tax.example.net", "geo.internal"]), p.path())),
                                   ("error", p.c(["context deadline exceeded", "connection reset by peer", "EOF", "503 Service Unavailable"]))], "warn")


@tmpl("generic")
def t_flag(p):
    return Ev("feature flag evaluated", [("flag", p.c(["new-checkout", "card-on-file-v2", "password-less-login", "sms-otp-fallback"])),
                                         ("variant", p.c(["on", "off", "control", "treatment-b"])), ("user_id", p.user_id()),
                                         ("rule", p.c(["percentage_rollout", "default", "segment:beta"]))], "debug")


@tmpl("generic")
def t_profile_updated(p):
    return Ev(p.c(["user profile updated", "account settings changed", "preferences saved"]), [
        ("user_id", p.user_id()), ("fields_changed", p.c(["phone,address", "email", "password", "locale", "marketing_opt_in"])),
        ("source", p.c(["web", "ios", "android", "support_console"])), ("request_id", p.req_id())])


@tmpl("generic")
def t_health(p):
    return Ev(p.c(["health check", "dependency check", "readiness changed"]), [
        ("component", p.c(["postgres", "redis", "kafka", "stripe", "vault", "s3"])), ("status", p.c(["ok", "ok", "ok", "degraded"])),
        ("latency", p.go_dur())], "debug")


@tmpl("generic")
def t_gc(p):
    return Ev("runtime stats", [("goroutines", p.i(20, 4000)), ("heap_alloc", p.nbytes() * 1000), ("gc_pause", p.go_dur()),
                                ("num_gc", p.i(1, 90000)), ("threads", p.i(8, 120))], "debug")


@tmpl("generic")
def t_plugin(p):
    return Ev("plugin loaded", [("name", p.c(["geoip", "otel-exporter", "pdf-renderer", "phone-formatter", "card-bin-db"])),
                                ("version", p.semver()), ("license", p.c(["MIT", "Apache-2.0", "BSD-3-Clause", "commercial"])),
                                ("path", "/usr/lib/%s/plugins/%s.so" % (p.c(SERVICES)[0], p.c(["geoip", "otel", "pdf"])))], "debug")


@tmpl("generic")
def t_panic_recovered(p):
    return Ev("recovered from panic", [("error", p.c(["runtime error: invalid memory address or nil pointer dereference",
                                                     "runtime error: index out of range [3] with length 3",
                                                     "assignment to entry in nil map"])),
                                       ("stack", "goroutine %d [running]:\nmain.(*Server).handle(0xc%09x)\n\t/app/internal/server/handler.go:%d +0x%x" % (
                                           p.i(1, 9999), p.r.getrandbits(36), p.i(20, 500), p.i(16, 4000)))], "error")


@tmpl("generic")
def t_epoch(p):
    return Ev(p.c(["clock skew detected", "snapshot written", "checkpoint saved"]), [
        ("local_epoch", EPOCH0 + p.i(0, 7 * 86400)), ("remote_epoch_ms", (EPOCH0 + p.i(0, 7 * 86400)) * 1000 + p.i(0, 999)),
        ("skew_ms", p.i(-900, 900)), ("checkpoint", "chk-%d" % p.i(1, 99999))], p.c(["debug", "warn"]))


@tmpl("generic")
def t_llm_usage(p):
    pt = p.i(20, 12000)
    ct = p.i(1, 2000)
    return Ev(p.c(["completion finished", "embedding batch done", "token budget check"]), [
        ("model", p.c(["gpt-4o-mini", "claude-3-haiku", "llama-3.1-8b-instruct", "text-embedding-3-small"])),
        ("prompt_tokens", pt), ("completion_tokens", ct), ("total_tokens", pt + ct), ("max_tokens", p.c([256, 1024, 4096])),
        ("token_budget_remaining", p.i(0, 10**6)), ("cache_hit", p.c([True, False])), ("latency", p.go_dur())])


@tmpl("http")
def t_shipping(p):
    carrier = p.c(["UPS", "FedEx", "DHL", "USPS"])
    if carrier == "UPS":
        body = p.s(UPPER + DIGITS, 6) + p.digits(2) + p.digits(7)
        trk = "1Z" + body + p.digits(1)
    elif carrier == "FedEx":
        trk = p.digits(12)
    elif carrier == "DHL":
        trk = p.digits(10)
    else:
        d = "9400" + p.digits(18)
        trk = " ".join(d[i:i + 4] for i in range(0, 22, 4)) if p.p(0.4) else d
    return Ev(p.c(["label created", "tracking update", "shipment delivered", "rate quote returned"]), [
        ("carrier", carrier), ("tracking_number", trk), ("service", p.c(["ground", "express", "2day"])),
        ("weight_g", p.i(50, 30000)), ("postal_prefix", p.c(["10", "80", "SW1", "75", "94"])), ("shipment_id", "shp_" + p.s(ALNUM, 20))])


@tmpl("db")
def t_hikari(p):
    pool = "HikariPool-%d" % p.i(1, 3)
    return Ev(p.c(["%s - Added connection org.postgresql.jdbc.PgConnection@%s" % (pool, p.hex(8)),
                   "%s - Pool stats (total=%d, active=%d, idle=%d, waiting=%d)" % (pool, 20, p.i(0, 20), p.i(0, 20), p.i(0, 5)),
                   "%s - Closing connection com.mysql.cj.jdbc.ConnectionImpl@%s: (connection has passed maxLifetime)" % (pool, p.hex(7)),
                   "Bean 'dataSource' of type [com.zaxxer.hikari.HikariDataSource@%s] is not eligible for getting processed by all BeanPostProcessors" % p.hex(8)]),
              [], p.c(["debug", "info"]))


@tmpl("k8s")
def t_argocd(p):
    app = p.c(SERVICES)[0]
    repo = p.c(["git@github.com:acme/infra.git", "https://github.com/acme/infra.git", "https://gitlab.example.com/platform/k8s-manifests.git"])
    return Ev(p.c(["Comparing app state", "Sync operation succeeded", "Refreshing app status (controller refresh requested)"]), [
        ("application", "argocd/%s" % app), ("repo", repo), ("revision", p.sha()), ("path", "apps/%s/overlays/prod" % app),
        ("dest-namespace", p.c(SERVICES)[2]), ("time_ms", p.i(5, 9000))])


@tmpl("http")
def t_cursor(p):
    cur = base64.b64encode(jenc({"id": p.i(1, 10**7), "ts": EPOCH0 + p.i(0, 600000)}).encode()).decode()
    return Ev(p.c(["listed resources", "page fetched", "sync page"]), [
        ("resource", p.c(["orders", "customers", "invoices", "events"])), ("count", p.i(0, 100)), ("has_more", p.c([True, False])),
        ("next_cursor", cur), ("limit", 100)])


@tmpl("kafka")
def t_snowflake(p):
    return Ev("event ingested", [("event_id", (EPOCH0 * 1000 - 1288834974657 + p.i(0, 6 * 10**8)) << 22 | p.r.getrandbits(22)),
                                 ("event_type", p.c(["page_view", "add_to_cart", "checkout_started", "search"])),
                                 ("device_id", p.uuid()), ("session_count", p.i(1, 400)), ("schema", "v%d" % p.i(3, 7)),
                                 ("received_at_ms", (EPOCH0 + p.i(0, 600000)) * 1000 + p.i(0, 999))], "debug")


@tmpl("k8s")
def t_sa_token(p):
    return Ev(p.c(["serviceaccount token refreshed", "projected token mounted", "token review succeeded"]), [
        ("path", "/var/run/secrets/kubernetes.io/serviceaccount/token"), ("expires_in", "%ds" % p.c([3607, 86400])),
        ("audience", p.c(["https://kubernetes.default.svc", "vault", "sts.amazonaws.com"])),
        ("serviceaccount", "%s/%s" % (p.c(SERVICES)[2], p.c(SERVICES)[0]))], "debug")


@tmpl("generic")
def t_token_bucket(p):
    return Ev(p.c(["token bucket refilled", "rate limiter state"]), [("bucket", p.c(["global", "per-ip", "per-key", "login"])),
                                                                    ("tokens", p.i(0, 1000)), ("capacity", 1000),
                                                                    ("refill_rate", "%d/s" % p.i(1, 100))], "debug")


def date(p):
    d = _dt.date(2025, 3, 1) + _dt.timedelta(days=p.i(0, 60))
    return d.isoformat()


EPOCH0 = 1741564800  # 2025-03-10T00:00:00Z


def iso(p, delta_max):
    t = EPOCH0 + p.i(min(0, delta_max), max(0, delta_max))
    return _dt.datetime.fromtimestamp(t, _dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

# ---------------------------------------------------------------- raw text lines (text container only)

RAW = []  # (name, weight, fn(p, svc, ts) -> line)


def raw(weight=1.0):
    def deco(fn):
        RAW.append((fn.__name__[2:], weight, fn))
        return fn
    return deco


def nginx_line(p, ts, client=None, path=None, ua=None, status=None):
    st = status or p.c([200] * 10 + [204, 301, 302, 304, 400, 401, 403, 404, 499, 500, 502, 504])
    return '%s - - [%s] "%s %s HTTP/%s" %d %d "%s" "%s" rt=%.3f uct="%.3f" urt="%.3f" rid=%s' % (
        client or p.ip_priv(), ts.strftime("%d/%b/%Y:%H:%M:%S +0000"), p.c(["GET", "GET", "GET", "POST", "PUT"]),
        path or p.path(), p.c(["1.1", "2.0"]), st, p.nbytes(), p.c(["-", "https://shop.example.com/", "https://www.example.com/cart"]),
        ua or p.ua(), p.r.random() * 2, p.r.random() / 50, p.r.random() * 2, p.hex(32))


@raw(4)
def r_nginx_access(p, svc, ts):
    return nginx_line(p, ts)


@raw(1.5)
def r_envoy_access(p, svc, ts, client=None, path=None):
    return '[%s] "%s %s HTTP/2" %d %s %d %d %d %d "%s" "%s" "%s" "%s" "%s:%d" outbound|%d||%s.%s.svc.cluster.local %s:%d %s:%d %s:%d - default' % (
        ts.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (ts.microsecond // 1000), p.c(["GET", "POST"]), path or p.path(),
        p.c([200, 200, 200, 201, 404, 503]), p.c(["-", "-", "UF", "URX", "UT"]), p.nbytes(), p.nbytes(), p.i(1, 900), p.i(1, 800),
        client or p.ip_priv(), p.ua(), p.uuid(), p.c(["api.example.com", "checkout.example.com"]), p.ip_priv(), p.c([8080, 9090]),
        p.c([80, 8080]), p.c(SERVICES)[0], p.c(SERVICES)[2], p.ip_priv(), p.eport(), p.ip_priv(), p.c([8080, 443]), p.ip_priv(), p.eport())


@raw()
def r_nginx_error(p, svc, ts):
    return '%s [error] %d#%d: *%d upstream timed out (110: Connection timed out) while reading response header from upstream, client: %s, server: %s, request: "GET %s HTTP/1.1", upstream: "http://%s:%d%s", host: "%s"' % (
        ts.strftime("%Y/%m/%d %H:%M:%S"), p.i(10, 90), p.i(0, 7), p.i(1000, 9999999), p.ip_priv(), "api.example.com", p.path(),
        p.ip_priv(), p.c([8080, 3000]), p.path(), "api.example.com")


@raw(1.5)
def r_postgres(p, svc, ts):
    head = "%s UTC [%d] %s@%s " % (ts.strftime("%Y-%m-%d %H:%M:%S.") + "%03d" % (ts.microsecond // 1000), p.i(100, 99999),
                                    p.c(["app", "reporting", "migrator"]), p.c(DBS))
    k = p.i(0, 4)
    if k == 0:
        return head + "LOG:  duration: %.3f ms  execute <unnamed>: SELECT * FROM %s WHERE id = $1" % (p.ms(), p.c(TABLES))
    if k == 1:
        return head + "DETAIL:  parameters: $1 = '%d', $2 = '%s'" % (p.i(1, 9999999), iso(p, -86400))
    if k == 2:
        return head + "LOG:  checkpoint complete: wrote %d buffers (%.1f%%); 0 WAL file(s) added, %d removed, %d recycled; write=%.3f s, sync=%.3f s, total=%.3f s" % (
            p.i(10, 9000), p.r.random() * 10, p.i(0, 5), p.i(0, 9), p.r.random() * 30, p.r.random(), p.r.random() * 31)
    if k == 3:
        return head + 'ERROR:  duplicate key value violates unique constraint "%s_pkey"' % p.c(TABLES)
    return head + "LOG:  connection authorized: user=%s database=%s application_name=%s SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)" % (
        p.c(["app", "reporting"]), p.c(DBS), p.c(SERVICES)[0])


@raw()
def r_kafka_broker(p, svc, ts):
    t = ts.strftime("[%Y-%m-%d %H:%M:%S,") + "%03d]" % (ts.microsecond // 1000)
    g = p.c(GROUPS)
    return p.c([
        "%s INFO [GroupCoordinator %d]: Preparing to rebalance group %s in state PreparingRebalance with old generation %d (__consumer_offsets-%d) (reason: Adding new member consumer-%s-1-%s with group instance id None) (kafka.coordinator.group.GroupCoordinator)" % (
            t, p.i(0, 5), g, p.i(1, 900), p.i(0, 49), g, p.uuid()),
        "%s INFO [Log partition=%s-%d, dir=/var/lib/kafka/data] Rolled new log segment at offset %d in %d ms. (kafka.log.LocalLog)" % (
            t, p.c(TOPICS), p.i(0, 23), p.i(10**6, 10**10), p.i(0, 20)),
        "%s INFO [Consumer clientId=consumer-%s-%d, groupId=%s] Setting offset for partition %s-%d to the committed offset FetchPosition{offset=%d, offsetEpoch=Optional[%d], currentLeader=LeaderAndEpoch{leader=Optional[kafka-%d.kafka-headless:9092 (id: %d rack: %s)], epoch=%d}} (org.apache.kafka.clients.consumer.internals.ConsumerCoordinator)" % (
            t, g, p.i(1, 9), g, p.c(TOPICS), p.i(0, 23), p.i(10**5, 10**9), p.i(1, 90), p.i(0, 5), p.i(0, 5), p.c(REGIONS) + "a", p.i(1, 90))])


@raw(1.5)
def r_java_stack(p, svc, ts):
    k = p.i(0, 3)
    cls = p.java_logger(p.c(["orders", "payments", "billing", "inventory"]))
    if k == 0:
        return "\tat %s.%s(%s.java:%d)" % (cls, p.c(["place", "capture", "handle", "lambda$process$3", "doFilterInternal", "invoke"]),
                                          cls.split(".")[-1], p.i(20, 900))
    if k == 1:
        return "\tat %s(%s)" % (p.c(["java.base/java.util.concurrent.ThreadPoolExecutor.runWorker", "org.springframework.aop.framework.ReflectiveMethodInvocation.proceed",
                                    "java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke", "org.apache.catalina.core.ApplicationFilterChain.doFilter"]),
                               p.c(["ThreadPoolExecutor.java:1144", "ReflectiveMethodInvocation.java:184", "DirectMethodHandleAccessor.java:103", "ApplicationFilterChain.java:174"]))
    if k == 2:
        return "\t... %d common frames omitted" % p.i(3, 120)
    return "%s: %s" % (p.c(["java.lang.IllegalStateException", "org.springframework.dao.DataIntegrityViolationException",
                            "java.net.SocketTimeoutException", "com.acme.payments.PaymentDeclinedException", "Caused by: java.io.IOException"]),
                       p.c(["Order %d already captured" % p.i(10**5, 10**8), "Read timed out", "could not execute statement; SQL [n/a]; constraint [uk_%s_key]" % p.c(TABLES),
                            "card_declined: insufficient_funds", "Broken pipe"]))


@raw()
def r_python_tb(p, svc, ts):
    return p.c([
        '  File "/app/%s/%s.py", line %d, in %s' % (p.c(["services", "workers", "api", "integrations"]), p.c(["billing", "receipts", "views", "sms"]),
                                                   p.i(10, 900), p.c(["charge", "send", "post", "handle_webhook", "_retry"])),
        '  File "/usr/local/lib/python3.11/site-packages/%s", line %d, in %s' % (p.c(["requests/adapters.py", "sqlalchemy/engine/base.py", "celery/app/trace.py"]),
                                                                               p.i(100, 2000), p.c(["send", "_execute_context", "trace_task"])),
        "Traceback (most recent call last):",
        "%s: %s" % (p.c(["requests.exceptions.ConnectionError", "KeyError", "sqlalchemy.exc.OperationalError", "ValueError"]),
                    p.c(["HTTPSConnectionPool(host='api.example.com', port=443): Max retries exceeded", "'customer_id'",
                         "(psycopg2.OperationalError) server closed the connection unexpectedly", "invalid literal for int() with base 10: 'abc'"]))])


@raw()
def r_go_panic(p, svc, ts):
    return p.c([
        "goroutine %d [running]:" % p.i(1, 99999),
        "main.(*Server).handle(0xc%09x, {0x%x, 0xc%09x})" % (p.r.getrandbits(36), p.r.getrandbits(28), p.r.getrandbits(36)),
        "\t/app/%s/%s +0x%x" % (p.c(GO_PKGS), p.c(GO_FILES).replace(".go", ".go:%d" % p.i(20, 900)), p.i(16, 4000)),
        "created by net/http.(*Server).Serve in goroutine %d" % p.i(1, 90),
        "panic: runtime error: invalid memory address or nil pointer dereference",
        "[signal SIGSEGV: segmentation violation code=0x1 addr=0x%x pc=0x%x]" % (p.i(0, 255), p.r.getrandbits(24))])


@raw()
def r_jvm_gc(p, svc, ts):
    return "[%s][info][gc] GC(%d) Pause Young (Normal) (G1 Evacuation Pause) %dM->%dM(%dM) %.3fms" % (
        ts.strftime("%Y-%m-%dT%H:%M:%S.") + "%03d+0000" % (ts.microsecond // 1000), p.i(1, 90000), p.i(200, 900), p.i(50, 199),
        p.c([1024, 2048, 4096]), p.r.random() * 40)


@raw(0.7)
def r_redis(p, svc, ts):
    return "%d:M %s * %s" % (p.i(1, 999), ts.strftime("%d %b %Y %H:%M:%S.") + "%03d" % (ts.microsecond // 1000),
                             p.c(["Background saving started by pid %d" % p.i(100, 99999), "DB saved on disk",
                                  "%d changes in %d seconds. Saving..." % (p.i(1, 10000), p.c([60, 300, 900])),
                                  "Fork CoW for RDB: current %d MB, peak %d MB, average %d MB" % (p.i(1, 90), p.i(1, 90), p.i(1, 90))]))


@raw(0.8)
def r_sshd(p, svc, ts):
    return "%s %s sshd[%d]: %s" % (ts.strftime("%b %d %H:%M:%S").replace(" 0", "  "), p.node().split(".")[0], p.i(1000, 99999), p.c([
        "Accepted publickey for deploy from %s port %d ssh2: ED25519 SHA256:%s" % (p.ip_priv(), p.eport(), p.s(B64[:-2], 43)),
        "Connection closed by authenticating user deploy %s port %d [preauth]" % (p.ip_priv(), p.eport()),
        "pam_unix(sshd:session): session opened for user deploy(uid=1001) by (uid=0)"]))


@raw(1.2)
def r_heroku_router(p, svc, ts, fwd=None, path=None):
    return 'at=info method=%s path="%s" host=%s request_id=%s fwd="%s" dyno=web.%d connect=%dms service=%dms status=%d bytes=%d protocol=https' % (
        p.c(["GET", "POST"]), path or p.path(), p.c(["shop.example.com", "api.example.com"]), p.uuid(), fwd or p.ip_priv(),
        p.i(1, 9), p.i(0, 3), p.i(1, 3000), p.c([200, 200, 201, 302, 404, 500]), p.nbytes())


@raw(0.8)
def r_containerd(p, svc, ts):
    return 'time="%s" level=info msg="%s"' % (ts.strftime("%Y-%m-%dT%H:%M:%S.") + "%09dZ" % (ts.microsecond * 1000 + p.i(0, 999)), p.c([
        'StartContainer for \\"%s\\" returns successfully' % p.hex(64),
        'PullImage \\"%s\\" returns image reference \\"sha256:%s\\"' % (p.image(svc), p.hex(64)),
        "shim disconnected id=%s namespace=k8s.io" % p.hex(64),
        'RemovePodSandbox for \\"%s\\" returns successfully' % p.hex(64)]))


@raw(0.6)
def r_k8s_audit(p, svc, ts):
    # JSON raw line (audit log), counts as json container
    obj = {"kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": "Metadata", "auditID": p.uuid(), "stage": "ResponseComplete",
           "requestURI": "/apis/apps/v1/namespaces/%s/deployments/%s?timeout=10s" % (p.c(SERVICES)[2], p.c(SERVICES)[0]),
           "verb": p.c(["get", "update", "patch", "watch"]),
           "user": {"username": "system:serviceaccount:%s:%s" % (p.c(SERVICES)[2], p.c(SERVICES)[0]), "uid": p.uuid(),
                    "groups": ["system:serviceaccounts", "system:authenticated"]},
           "sourceIPs": [p.ip_priv()], "userAgent": "kube-controller-manager/v1.%d.%d (linux/amd64) kubernetes/%s" % (p.i(26, 30), p.i(0, 9), p.hex(7)),
           "objectRef": {"resource": "deployments", "namespace": p.c(SERVICES)[2], "name": p.c(SERVICES)[0], "apiGroup": "apps",
                         "apiVersion": "v1", "resourceVersion": str(p.i(10**7, 9 * 10**8))},
           "responseStatus": {"metadata": {}, "code": p.c([200, 200, 409])},
           "requestReceivedTimestamp": ts.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), "stageTimestamp": ts.strftime("%Y-%m-%dT%H:%M:%S.%fZ")}
    return jenc(obj)


@raw(0.6)
def r_cert_pem_header(p, svc, ts):
    return "%s INFO tls: loaded CA bundle /etc/ssl/certs/%s.pem (%d certs), first block: -----BEGIN CERTIFICATE-----" % (
        ts.strftime("%Y-%m-%dT%H:%M:%SZ"), p.c(["ca-bundle", "internal-ca", "rds-combined-ca"]), p.i(1, 140))


@raw(1.2)
def r_wire_clean(p, svc, ts):
    h = p.c(["> Content-Type: application/json", "< X-RateLimit-Remaining: %d" % p.i(0, 5000), "> traceparent: 00-%s-%s-01" % (p.trace(), p.span()),
             "> X-Request-Id: %s" % p.uuid(), "> User-Agent: %s" % p.ua(), "> Accept-Encoding: gzip, deflate, br", '< ETag: W/"%s"' % p.hex(16),
             "> Idempotency-Key: %s" % p.uuid(), "> Stripe-Version: 2024-06-20", "> Authorization: [FILTERED]", "< Content-Length: %d" % p.nbytes(),
             "< Cache-Control: private, max-age=0, no-store", "> Host: %s" % p.host(), "< HTTP/1.1 %d %s" % p.c([(200, "OK"), (404, "Not Found"), (503, "Service Unavailable")])])
    k = p.i(0, 2)
    if k == 0:
        return "%s DEBUG 1 --- [%s] [nio-8080-exec-%d] org.apache.http.headers                  : http-outgoing-%d %s" % (
            ts_iso(ts, 3), p.c(SERVICES)[0], p.i(1, 40), p.i(0, 99), h.replace("> ", ">> ").replace("< ", "<< "))
    if k == 1:
        return h
    return "%s DEBUG [OkHttp Dispatcher] okhttp3.OkHttpClient - %s" % (ts.strftime("%Y-%m-%d %H:%M:%S,") + "%03d" % (ts.microsecond // 1000), h[2:])


RAW_JSON = {"k8s_audit"}

# ---------------------------------------------------------------- renderers

LEVEL_NUM = {"debug": 20, "info": 30, "warn": 40, "error": 50}


def ts_iso(ts, frac=3, z="Z"):
    s = ts.strftime("%Y-%m-%dT%H:%M:%S")
    if frac:
        s += "." + ("%06d" % ts.microsecond)[:frac]
    return s + z


def fields_dict(ev):
    d = {}
    for k, v in ev.fields:
        d[k] = v
    return d


def render(style, p, svc, ts, ev):
    name, lang, ns, _ = svc
    lv = ev.level
    if style == "zap":
        d = {"level": lv, "ts": round(ts.timestamp(), 6), "caller": p.caller_go(), "msg": ev.msg}
        if p.p(0.4):
            d["logger"] = name.replace("-", ".")
        d.update(fields_dict(ev))
        return jenc(d)
    if style == "logrus":
        d = fields_dict(ev)
        d.update({"level": "warning" if lv == "warn" else lv, "msg": ev.msg, "time": ts_iso(ts, 0, "Z")})
        return jenc(d, html=True, sort=True)
    if style == "logstash":
        d = {"@timestamp": ts_iso(ts, 3, "+00:00") if p.p(0.5) else ts_iso(ts, 3), "@version": "1", "message": ev.msg,
             "logger_name": p.java_logger(ns), "thread_name": p.java_thread(name), "level": lv.upper().replace("WARN", "WARN"),
             "level_value": {"debug": 10000, "info": 20000, "warn": 30000, "error": 40000}[lv]}
        if p.p(0.7):
            d["traceId"] = p.trace()
            d["spanId"] = p.span()
        d.update(fields_dict(ev))
        return jenc(d)
    if style == "structlog":
        d = {"event": ev.msg}
        d.update(fields_dict(ev))
        d.update({"level": lv, "logger": p.c(PY_LOGGERS), "timestamp": ts_iso(ts, 6) if p.p(0.7) else ts_iso(ts, 6, "")})
        return jenc(d)
    if style == "pino":
        d = {"level": LEVEL_NUM[lv], "time": int(ts.timestamp() * 1000), "pid": p.c([1, 1, 7, 19]), "hostname": p.pod(name),
             "name": p.c(NODE_NAMES)}
        if p.p(0.5):
            d["reqId"] = "req-" + format(p.i(1, 99999), "x")
        d.update(fields_dict(ev))
        d["msg"] = ev.msg
        return jenc(d)
    if style == "winston_json":
        d = {"level": lv, "message": ev.msg, "service": name}
        d.update(fields_dict(ev))
        d["timestamp"] = ts_iso(ts, 3)
        return jenc(d)
    if style == "tracing_json":
        flds = {"message": ev.msg}
        flds.update(fields_dict(ev))
        d = {"timestamp": ts_iso(ts, 6), "level": lv.upper(), "fields": flds, "target": p.c(RUST_TARGETS)}
        if p.p(0.6):
            d["span"] = {"request_id": p.req_id(), "name": p.c(["request", "handle", "consume", "flush"])}
            d["spans"] = [d["span"]]
        return jenc(d)
    kv = " ".join("%s=%s" % (k, lfval(v)) for k, v in ev.fields)
    if STYLES[style][0] == "text":
        ev.msg = ev.msg.replace("\r", "\\r").replace("\n", "\\n")
    if style == "gokit":
        return ("ts=%s caller=%s level=%s msg=%s %s" % (ts_iso(ts, 6), p.c(GO_FILES) + ":%d" % p.i(20, 900), lv, lfval(ev.msg), kv)).rstrip()
    if style == "slog":
        return ("time=%s level=%s source=/app/%s msg=%s %s" % (ts_iso(ts, 3), lv.upper(), p.caller_go(), lfval(ev.msg), kv)).rstrip()
    if style == "tracing_logfmt":
        return ("ts=%s level=%s target=%s msg=%s %s" % (ts_iso(ts, 6), lv, p.c(RUST_TARGETS), lfval(ev.msg), kv)).rstrip()
    if style == "logfmter":
        return ("at=%s when=%s logger=%s msg=%s %s" % (lv.upper(), lfval(ts.strftime("%Y-%m-%d %H:%M:%S,") + "%03d" % (ts.microsecond // 1000)),
                                                     p.c(PY_LOGGERS), lfval(ev.msg), kv)).rstrip()
    if style == "logback":
        lg = p.java_logger(ns)
        return ("%s %5s 1 --- [%s] [%15s] %-40s : %s %s" % (ts_iso(ts, 3), lv.upper(), name, p.java_thread(name)[-15:],
                                                            p.short_java(lg)[-40:], ev.msg, kv)).rstrip()
    if style == "log4j":
        return ("%s %-5s [%s] %s - %s %s" % (ts.strftime("%Y-%m-%d %H:%M:%S,") + "%03d" % (ts.microsecond // 1000), lv.upper(),
                                             p.java_thread(name), p.java_logger(ns), ev.msg, kv)).rstrip()
    if style == "pylogging":
        return ("%s %s [%s:%d] %s %s" % (ts.strftime("%Y-%m-%d %H:%M:%S,") + "%03d" % (ts.microsecond // 1000), lv.upper(),
                                         p.c(PY_LOGGERS), p.i(10, 900), ev.msg, kv)).rstrip()
    if style == "tracing_fmt":
        span = ""
        if p.p(0.5):
            span = "%s{id=%s}: " % (p.c(["request", "consume", "job"]), p.hex(8))
        return ("%s %5s %s%s: %s %s" % (ts_iso(ts, 6), lv.upper(), span, p.c(RUST_TARGETS), ev.msg, kv)).rstrip()
    if style == "klog":
        kvq = " ".join('%s=%s' % (k, jenc(v) if isinstance(v, str) else lfval(v)) for k, v in ev.fields)
        return ('%s%s %7d %s] %s %s' % (lv[0].upper(), ts.strftime("%m%d %H:%M:%S.%f"), 1, p.c(GO_FILES) + ":%d" % p.i(20, 900),
                                       jenc(ev.msg), kvq)).rstrip()
    if style == "winston_text":
        meta = fields_dict(ev)
        return "%s [%s] %s: %s%s" % (ts_iso(ts, 3), name, lv, ev.msg, (" " + jenc(meta)) if meta else "")
    raise ValueError(style)

# ---------------------------------------------------------------- sensitive families

FIRST = ["alice", "bob", "carol", "dmitri", "emma", "fatima", "giulia", "hiro", "ines", "jamal", "kofi", "lena",
         "marta", "nikhil", "olga", "pedro", "quinn", "rahul", "sofia", "tomas", "ursula", "viktor", "wei", "yusuf", "zoe"]
LAST = ["schmidt", "okafor", "nguyen", "garcia", "muller", "kowalski", "rossi", "tanaka", "silva", "dubois",
        "johansson", "patel", "oconnor", "novak", "haddad", "fischer", "moreau", "kim", "singh", "brown"]
EX_DOMAINS = ["example.com", "example.org", "example.net", "mail.example.com", "example.co.uk", "users.example.de"]
OTHER_DOMAINS = ["acme.test", "inbox-demo.net", "fakemail.dev", "corp-sample.io", "northwind-demo.com", "contoso-test.org"]
SYSTEM_BOXES = ["noreply", "no-reply", "alerts", "billing", "postmaster", "support", "notifications", "ops-oncall", "security"]


def gen_email(p, ctx):
    k = p.r.random()
    if k < 0.2:
        return "%s@%s" % (p.c(SYSTEM_BOXES), p.c(EX_DOMAINS + ["ops.example.org", "notifications.example.io"])), "system"
    f, l = p.c(FIRST), p.c(LAST)
    local = p.c(["%s.%s" % (f, l), "%s%s" % (f, l), "%s.%s+%s" % (f[0], l, p.c(["shop", "news", "test", "2025"])),
                 "%s_%s%d" % (f, l, p.i(1, 99)), "%s%d" % (f, p.i(1950, 2005)), "%s.%s" % (f.capitalize(), l.capitalize())])
    if k < 0.7:
        return "%s@%s" % (local, p.c(EX_DOMAINS)), "personal-example-domain"
    return "%s@%s" % (local, p.c(OTHER_DOMAINS)), "personal-other-domain"


US_NPA = [212, 415, 646, 312, 206, 512, 617, 303, 404, 702, 213, 305, 617, 718, 972]


def gen_phone(p, ctx):
    c = p.c(["us", "us", "us", "uk", "de", "fr", "in"])
    if c == "us":
        npa = p.c(US_NPA)
        if p.p(0.5):
            nxx, line = 555, "01%02d" % p.i(0, 99)
        else:
            nxx, line = p.i(200, 999), "%04d" % p.i(0, 9999)
            if nxx % 100 == 11:
                nxx += 1
        f = p.c(["e164", "paren", "dash", "dot", "space", "plus1-dash", "1-dash", "plus1-paren"])
        v = {"e164": "+1%d%d%s" % (npa, nxx, line), "paren": "(%d) %d-%s" % (npa, nxx, line), "dash": "%d-%d-%s" % (npa, nxx, line),
             "dot": "%d.%d.%s" % (npa, nxx, line), "space": "%d %d %s" % (npa, nxx, line), "plus1-dash": "+1 %d-%d-%s" % (npa, nxx, line),
             "1-dash": "1-%d-%d-%s" % (npa, nxx, line), "plus1-paren": "+1 (%d) %d-%s" % (npa, nxx, line)}[f]
        return v, "us-" + f
    if c == "uk":
        if p.p(0.5):
            sub = "7700 900%03d" % p.i(0, 999) if p.p(0.5) else "7%03d %06d" % (p.i(400, 999), p.i(0, 999999))
        else:
            sub = "20 7946 0%03d" % p.i(0, 999)
        f = p.c(["national", "intl", "e164"])
        v = {"national": "0" + sub, "intl": "+44 " + sub, "e164": "+44" + sub.replace(" ", "")}[f]
        return v, "uk-" + f
    if c == "de":
        if p.p(0.6):
            pre, sub = str(p.c([151, 152, 157, 160, 162, 170, 171, 172, 176, 177, 179])), p.digits(p.c([7, 8]))
        else:
            pre, sub = p.c(["30", "89", "40", "69", "221"]), p.digits(p.c([7, 8]))
        f = p.c(["national", "intl", "e164", "slash", "paren"])
        v = {"national": "0%s %s" % (pre, sub), "intl": "+49 %s %s" % (pre, sub), "e164": "+49%s%s" % (pre, sub),
             "slash": "0%s/%s" % (pre, sub), "paren": "(0%s) %s" % (pre, sub)}[f]
        return v, "de-" + f
    if c == "fr":
        d = "%d%s" % (p.c([6, 7, 1, 2, 3, 4, 5]), p.digits(8))
        pairs = [d[1:3], d[3:5], d[5:7], d[7:9]]
        f = p.c(["national", "intl", "e164", "dots"])
        v = {"national": "0%s %s" % (d[0], " ".join(pairs)), "intl": "+33 %s %s" % (d[0], " ".join(pairs)),
             "e164": "+33" + d, "dots": "0%s.%s" % (d[0], ".".join(pairs))}[f]
        return v, "fr-" + f
    d = str(p.i(6, 9)) + p.digits(9)
    f = p.c(["intl", "e164", "dash", "national"])
    v = {"intl": "+91 %s %s" % (d[:5], d[5:]), "e164": "+91" + d, "dash": "+91-" + d, "national": "0%s %s" % (d[:5], d[5:])}[f]
    return v, "in-" + f


CARD_BRANDS = [("visa", ["4111", "4242", "4000", "4532", "4916", "4485"], 16),
               ("mastercard", ["5555", "5105", "5200", "5425", "2221", "2720", "5301"], 16),
               ("amex", ["3782", "3714", "3400", "3700"], 15),
               ("discover", ["6011", "6445", "6500"], 16),
               ("jcb", ["3530", "3566"], 16),
               ("diners", ["3056", "3852", "3600"], 14),
               ("unionpay", ["6212", "6250"], 16)]


def gen_card(p, ctx):
    brand, prefixes, n = p.c(CARD_BRANDS[:4] * 3 + CARD_BRANDS[4:])
    body = p.c(prefixes) + p.digits(n - 5)
    num = body + luhn_check_digit(body)
    f = p.c(["plain", "plain", "spaced", "dashed"])
    if f == "plain":
        return num, brand + "-plain"
    sep = " " if f == "spaced" else "-"
    if n == 15:
        g = [num[:4], num[4:10], num[10:]]
    elif n == 14:
        g = [num[:4], num[4:10], num[10:]]
    else:
        g = [num[i:i + 4] for i in range(0, n, 4)]
    return sep.join(g), brand + "-" + f


def _rib_key(bank, branch, acct):
    return "%02d" % (97 - (89 * int(bank) + 15 * int(branch) + 3 * int(acct)) % 97)


def _es_dc(digits10):
    w = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6]
    s = sum(int(d) * x for d, x in zip(digits10, w))
    d = 11 - s % 11
    return str({11: 0, 10: 1}.get(d, d))


_CIN_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]


def _it_cin(s):
    tot = 0
    for i, ch in enumerate(s):
        v = int(ch) if ch.isdigit() else ord(ch) - 65
        tot += _CIN_ODD[v] if i % 2 == 0 else v
    return chr(65 + tot % 26)


def gen_iban(p, ctx):
    cc = p.c(["DE", "DE", "GB", "FR", "NL", "ES", "IT", "BE", "CH", "AT", "PL"])
    if cc == "DE":
        bban = p.digits(8) + p.digits(10)
    elif cc == "GB":
        bban = p.c(["NWBK", "BARC", "LOYD", "HBUK", "MIDL"]) + p.digits(6) + p.digits(8)
    elif cc == "FR":
        bank, branch, acct = p.digits(5), p.digits(5), p.digits(11)
        bban = bank + branch + acct + _rib_key(bank, branch, acct)
    elif cc == "NL":
        bban = p.c(["ABNA", "INGB", "RABO", "TRIO"]) + p.digits(10)
    elif cc == "ES":
        bank, branch, acct = p.digits(4), p.digits(4), p.digits(10)
        bban = bank + branch + _es_dc("00" + bank + branch) + _es_dc(acct) + acct
    elif cc == "IT":
        abi, cab, conto = p.digits(5), p.digits(5), p.digits(12)
        bban = _it_cin(abi + cab + conto) + abi + cab + conto
    elif cc == "BE":
        first = p.digits(10)
        chk = int(first) % 97 or 97
        bban = first + "%02d" % chk
    elif cc == "CH":
        bban = p.digits(5) + p.digits(12)
    elif cc == "AT":
        bban = p.digits(5) + p.digits(11)
    else:
        bban = p.digits(8) + p.digits(16)
    iban = cc + iban_check(cc, bban) + bban
    if p.p(0.45):
        return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4)), cc + "-spaced"
    return iban, cc + "-compact"


def gen_ssn(p, ctx):
    a = p.i(1, 899)
    while a == 666:
        a = p.i(1, 899)
    g, s = p.i(1, 99), p.i(1, 9999)
    if p.p(0.6):
        return "%03d-%02d-%04d" % (a, g, s), "dashed"
    return "%03d%02d%04d" % (a, g, s), "plain"


_PUBLIC_EXCLUDE = [(0, 8), (10, 8), (100 << 24 | 64 << 16, 10), (127 << 24, 8), (169 << 24 | 254 << 16, 16), (172 << 24 | 16 << 16, 12),
                   (192 << 24 | 0 << 16, 24), (192 << 24 | 168 << 16, 16), (198 << 24 | 18 << 16, 15), (224 << 24, 3)]


def _is_excluded(n):
    for base, bits in _PUBLIC_EXCLUDE:
        if bits == 8 and base < 256:
            base = base << 24
        if n >> (32 - bits) == base >> (32 - bits):
            return True
    doc = [(192, 0, 2), (198, 51, 100), (203, 0, 113)]
    return (n >> 24, (n >> 16) & 255, (n >> 8) & 255) in doc


def gen_ip(p, ctx):
    k = p.r.random()
    if k < 0.3:
        return "%s.%d" % (p.c(["192.0.2", "198.51.100", "203.0.113"]), p.i(1, 254)), "v4-doc"
    if k < 0.75:
        while True:
            n = p.r.getrandbits(32)
            if not _is_excluded(n) and (n & 255) not in (0, 255):
                return "%d.%d.%d.%d" % (n >> 24, (n >> 16) & 255, (n >> 8) & 255, n & 255), "v4-random-public"
    if k < 0.87:
        return p.c(["2001:db8:%x:%x::%x" % (p.i(0, 65535), p.i(0, 65535), p.i(1, 65535)),
                    "2001:db8::%x:%x" % (p.i(1, 65535), p.i(1, 65535)),
                    "2001:0db8:85a3:0000:0000:8a2e:0370:%04x" % p.i(0, 65535)]), "v6-doc"
    pre = p.c(["2a02", "2600", "2a01", "2409", "2804", "2607", "2003", "2a00"])
    groups = [pre] + ["%x" % p.i(0, 65535) for _ in range(7)]
    if p.p(0.5):
        return ":".join(groups), "v6-global-full"
    return "%s:%s:%s::%s" % (groups[0], groups[1], groups[2], groups[7]), "v6-global-compressed"


PW_WORDS = ["correct", "horse", "battery", "staple", "purple", "monkey", "dishwasher", "tangerine", "glacier", "violin", "orbit", "maple"]


def gen_password(p, ctx):
    k = p.r.random()
    if k < 0.6:
        specials = "&;#%\"'"
        n = p.i(12, 22)
        chars = list(p.s(ALNUM + "!@$^*-_+=.,:?~", n - 2)) + [p.c(specials), p.c(specials)]
        p.r.shuffle(chars)
        return "".join(chars), "special-chars"
    if k < 0.75:
        return p.c(["-", "_", ".", " "]).join(p.c(PW_WORDS) for _ in range(p.i(3, 4))) + str(p.i(1, 99)), "passphrase"
    if k < 0.9:
        return "%s%d%s" % (p.c(["Summer", "Winter", "Welcome", "Passw0rd", "Qwerty", "Dragon", "Sunshine"]), p.i(2019, 2026), p.c(["!", "#", "&", "%", "?", ""])), "weak"
    return p.s(ALNUM, p.i(16, 32)), "random-alnum"


def gen_field_secret(p, ctx):
    k = p.i(0, 4)
    if k == 0:
        return p.s(ALNUM, p.i(32, 48)), "alnum"
    if k == 1:
        return p.hex(p.c([32, 40, 64])), "hex"
    if k == 2:
        raw_b = bytes(p.r.getrandbits(8) for _ in range(p.c([24, 32, 48])))
        return base64.b64encode(raw_b).decode(), "base64"
    if k == 3:
        return "%s_%s_%s" % (p.c(["sg", "key", "sk", "lsk", "pat"]), p.c(["live", "prod", "v1"]), p.s(ALNUM, p.i(24, 40))), "prefixed"
    return p.uuid(), "uuid"


def gen_bearer(p, ctx):
    k = p.i(0, 3)
    if k == 0:
        return p.s(B64URL, 43), "b64url-43"
    if k == 1:
        return "ya29.a0" + p.s(B64URL, p.i(120, 180)), "google-ya29"
    if k == 2:
        return p.hex(40), "hex40"
    return "00" + p.s(ALNUM + "-_", 40), "okta-opaque"


def b64u(b):
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def gen_jwt(p, ctx):
    alg = p.c(["RS256", "HS256", "ES256"])
    hdr = {"alg": alg, "typ": "JWT"}
    if alg != "HS256":
        hdr["kid"] = p.hex(16)
    pl = {"sub": str(p.user_id()), "iss": p.c(["https://auth.example.com/", "https://login.example.org/realms/prod"]),
          "aud": p.c(["api", "checkout", "mobile-app"]), "iat": EPOCH0 + p.i(0, 600000), "scope": p.c(["openid profile", "orders:read", "payments:write"])}
    pl["exp"] = pl["iat"] + 3600
    sig_len = {"RS256": 342, "HS256": 43, "ES256": 86}[alg]
    tok = "%s.%s.%s" % (b64u(jenc(hdr).encode()), b64u(jenc(pl).encode()), p.s(B64URL, sig_len))
    return tok, alg


def gen_basic(p, ctx):
    u = p.c(["admin", "svc-reporting", "deploy", "metrics", "partner-acme", "jenkins"])
    pw, _ = gen_password(p, ctx)
    return base64.b64encode(("%s:%s" % (u, pw)).encode()).decode(), "basic"


def gen_cookie(p, ctx):
    k = p.i(0, 2)
    if k == 0:
        return p.s(B64URL, p.i(32, 64)), "opaque"
    if k == 1:
        return "s%3A" + p.s(B64URL, 32) + "." + p.s(B64URL, 43), "express-signed"
    return p.hex(64), "hex64"


def gen_url_cred(p, ctx):
    pw, v = gen_password(p, ctx)
    enc = quote(pw, safe="")
    return enc, ("encoded-" + v) if enc != pw else v


def gen_aws_id(p, ctx):
    pre = p.c(["AKIA", "AKIA", "AKIA", "ASIA"])
    return pre + p.s(B32, 16), pre


def gen_aws_secret(p, ctx):
    return p.s(UPPER + LOWER + DIGITS + "/+", 40), "aws-secret"


def gen_github(p, ctx):
    k = p.r.random()
    if k < 0.65:
        pre = p.c(["ghp_", "ghp_", "gho_", "ghs_", "ghu_", "ghr_"])
        body = p.s(B62, 30)
        return pre + body + b62enc(zlib.crc32(body.encode()) & 0xffffffff, 6), pre[:-1] + "-crc-valid"
    if k < 0.85:
        return "ghp_" + p.s(B62, 36), "ghp-crc-random"
    return "github_pat_" + p.s(B62, 22) + "_" + p.s(B62, 59), "fine-grained"


def gen_slack(p, ctx):
    k = p.i(0, 3)
    if k == 0:
        return "xoxb-%s-%s-%s" % (p.digits(p.i(10, 13)), p.digits(p.i(10, 13)), p.s(ALNUM, 24)), "xoxb"
    if k == 1:
        return "xoxp-%s-%s-%s-%s" % (p.digits(11), p.digits(11), p.digits(13), p.hex(32)), "xoxp"
    if k == 2:
        return "xapp-1-A%s-%s-%s" % (p.s(UPPER + DIGITS, 10), p.digits(13), p.hex(64)), "xapp"
    # the label is the secret path; the line shows it inside the hooks.slack.com URL (see Generator.shown)
    return "T%s/B%s/%s" % (p.s(UPPER + DIGITS, 10), p.s(UPPER + DIGITS, 10), p.s(ALNUM, 24)), "webhook-url"


def gen_stripe(p, ctx):
    k = p.i(0, 4)
    if k <= 1:
        return "sk_live_" + p.s(ALNUM, p.c([24, 99])), "sk_live"
    if k == 2:
        return "rk_live_" + p.s(ALNUM, p.c([24, 99])), "rk_live"
    if k == 3:
        return "whsec_" + p.s(ALNUM, 32), "whsec"
    return "sk_test_" + p.s(ALNUM, 24), "sk_test"


PEM_KINDS = ["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "DSA PRIVATE KEY"]


def pem_parts(p):
    kind = p.c(PEM_KINDS)
    body_lines = ["MIIEvQIBADANBgkqhkiG9w0BAQEFAASC" + p.s(B64[:-2] + "+/", 32)] + [p.s(B64, 64) for _ in range(p.i(1, 3))]
    return kind, body_lines


def gen_private_key(p, ctx):
    # inline PEM with escaped newlines; multi-line dumps are planted by Generator.pem_block
    kind, body = pem_parts(p)
    return "\n".join(body), "pem-body"


def gen_dob(p, ctx):
    d = _dt.date(1940, 1, 1) + _dt.timedelta(days=p.i(0, 65 * 365))
    f = p.c(["iso", "iso", "us", "eu-dot", "eu-slash"])
    v = {"iso": d.isoformat(), "us": d.strftime("%m/%d/%Y"), "eu-dot": d.strftime("%d.%m.%Y"), "eu-slash": d.strftime("%d/%m/%Y")}[f]
    return v, f


def gen_dl(p, ctx):
    k = p.c(["CA", "NY", "FL", "TX", "IL", "UK", "DE"])
    if k == "CA":
        return p.c(UPPER) + p.digits(7), "us-ca"
    if k == "NY":
        d = p.digits(9)
        return (d if p.p(0.5) else "%s %s %s" % (d[:3], d[3:6], d[6:])), "us-ny"
    if k == "FL":
        d = p.digits(12)
        return "%s%s-%s-%s-%s-%s" % (p.c(UPPER), d[:3], d[3:6], d[6:8], d[8:11], d[11]), "us-fl"
    if k == "TX":
        return p.digits(8), "us-tx"
    if k == "IL":
        d = p.digits(11)
        return "%s%s-%s-%s" % (p.c(UPPER), d[:3], d[3:7], d[7:]), "us-il"
    if k == "UK":
        sur = (p.c(LAST).upper() + "99999")[:5]
        y = p.i(40, 99)
        m = p.i(1, 12) + p.c([0, 50])
        return "%s%d%02d%02d%d%s%d%s" % (sur, y // 10, m, p.i(1, 28), y % 10, p.s(UPPER, 2), p.i(0, 9), p.s(UPPER + DIGITS, 2)), "uk"
    return p.c(UPPER + DIGITS) + p.digits(3) + p.s(UPPER + DIGITS, 6) + p.digits(1), "de"


ANS = ["Fluffy McWhiskers", "Springfield Elementary", "blue 1998 honda civic", "grandma rosa", "Mr Pickles the hamster",
       "Lake Tahoe 2004", "Oakwood Middle School", "Biscuit", "Kowalczyk", "pizza margherita", "Rex the beagle",
       "Aunt Hildegard", "St. Mary's Hospital", "Ford Fiesta red", "Captain Snuggles"]


def gen_answer(p, ctx):
    a = p.c(ANS)
    if p.p(0.3):
        a = a.lower()
    return a, "phrase" if " " in a else "single-word"


NINO_BAD_FIRST = set("DFIQUV")
NINO_BAD_SECOND = set("DFIOQUV")
NINO_BAD_PAIRS = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


def gen_national(p, ctx):
    t = p.c(["uk_nino", "ca_sin", "es_dni", "fr_nir", "nl_bsn", "br_cpf", "in_aadhaar", "se_personnummer", "au_tfn"])
    if t == "uk_nino":
        while True:
            a, b = p.c(UPPER), p.c(UPPER)
            if a not in NINO_BAD_FIRST and b not in NINO_BAD_SECOND and a + b not in NINO_BAD_PAIRS:
                break
        d = p.digits(6)
        suf = p.c("ABCD")
        return (a + b + d + suf if p.p(0.5) else "%s%s %s %s %s %s" % (a, b, d[:2], d[2:4], d[4:], suf)), t
    if t == "ca_sin":
        body = str(p.c([1, 2, 3, 4, 5, 6, 7, 9])) + p.digits(7)
        n = body + luhn_check_digit(body)
        return p.c([n, "%s-%s-%s" % (n[:3], n[3:6], n[6:]), "%s %s %s" % (n[:3], n[3:6], n[6:])]), t
    if t == "es_dni":
        n = p.i(10**7, 10**8 - 1)
        return "%08d%s" % (n, "TRWAGMYFPDXBNJZSQVHLCKE"[n % 23]), t
    if t == "fr_nir":
        s = "%d%02d%02d%02d%03d%03d" % (p.i(1, 2), p.i(40, 99), p.i(1, 12), p.i(1, 95), p.i(1, 999), p.i(1, 999))
        key = "%02d" % (97 - int(s) % 97)
        return (s + key if p.p(0.5) else "%s %s %s %s %s %s %s" % (s[0], s[1:3], s[3:5], s[5:7], s[7:10], s[10:13], key)), t
    if t == "nl_bsn":
        while True:
            d = p.digits(8)
            tot = sum(int(x) * w for x, w in zip(d, range(9, 1, -1)))
            last = tot % 11
            if last <= 9 and d[0] != "0":
                return d + str(last), t
    if t == "br_cpf":
        d = [int(x) for x in p.digits(9)]
        for n in (10, 11):
            s = sum(v * w for v, w in zip(d, range(n, 1, -1)))
            r = (s * 10) % 11
            d.append(0 if r == 10 else r)
        s = "".join(map(str, d))
        return "%s.%s.%s-%s" % (s[:3], s[3:6], s[6:9], s[9:]) if p.p(0.7) else s, t
    if t == "in_aadhaar":
        b = str(p.i(2, 9)) + p.digits(10)
        n = b + verhoeff_digit(b)
        return ("%s %s %s" % (n[:4], n[4:8], n[8:]) if p.p(0.6) else n), t
    if t == "se_personnummer":
        dd = _dt.date(1950, 1, 1) + _dt.timedelta(days=p.i(0, 55 * 365))
        b = dd.strftime("%y%m%d") + p.digits(3)
        return "%s-%s%s" % (b[:6], b[6:], luhn_check_digit(b)), t
    w = [1, 4, 3, 7, 5, 8, 6, 9, 10]
    while True:
        d = p.digits(9)
        if d[0] != "0" and sum(int(x) * y for x, y in zip(d, w)) % 11 == 0:
            return ("%s %s %s" % (d[:3], d[3:6], d[6:]) if p.p(0.5) else d), t


NATIONAL_KEYS = {"uk_nino": ["nino", "ni_number", "national_insurance_number"], "ca_sin": ["sin", "social_insurance_number", "sin_number"],
                 "es_dni": ["dni", "nif", "documento_identidad"], "fr_nir": ["nir", "numero_securite_sociale", "insee"],
                 "nl_bsn": ["bsn", "burgerservicenummer"], "br_cpf": ["cpf", "cpf_number"], "in_aadhaar": ["aadhaar", "aadhaar_number"],
                 "se_personnummer": ["personnummer", "personal_identity_number"], "au_tfn": ["tfn", "tax_file_number"]}
NATIONAL_WORDS = {"uk_nino": "National Insurance number", "ca_sin": "SIN", "es_dni": "DNI", "fr_nir": "NIR",
                  "nl_bsn": "BSN", "br_cpf": "CPF", "in_aadhaar": "Aadhaar", "se_personnummer": "personnummer", "au_tfn": "TFN"}


class Fam:
    def __init__(self, name, gen, keys, prose, contexts, qkeys=None, headers=None, wrap=None, weight=1.0):
        self.name, self.gen, self.keys, self.prose = name, gen, keys, prose
        self.contexts, self.qkeys, self.headers, self.wrap, self.weight = contexts, qkeys or keys, headers or [], wrap, weight


A7 = ("text", "logfmt", "json", "json_escaped", "json_in_text", "url_query", "http_header")
DATA6 = ("text", "logfmt", "json", "json_escaped", "json_in_text", "url_query")

FAMILIES = [
    Fam("email", gen_email, ["email", "user_email", "to", "recipient", "customer_email", "login", "username", "reply_to", "from"],
        ["sending receipt to {v}", "password reset email queued for {v}", "user {v} logged in", "bounce received from {v}: mailbox full",
         "duplicate account for {v}", "invite accepted by {v}", "unsubscribe request from <{v}>", "SMTP 550 5.1.1 <{v}>: Recipient address rejected"],
        A7, qkeys=["email", "user", "login", "to", "q"], headers=["X-User-Email: {v}", "From: {v}", "To: {v}", "Reply-To: {v}"], weight=1.5),
    Fam("phone", gen_phone, ["phone", "phone_number", "msisdn", "mobile", "to", "contact_phone", "tel"],
        ["SMS dispatched to {v}", "OTP sent to {v} via sms", "calling {v} (ivr flow=reminder)", "carrier lookup for {v}: mobile",
         "user changed phone to {v}", "WhatsApp template delivered to {v}"], DATA6, qkeys=["phone", "msisdn", "to", "tel", "phone_number"], weight=1.5),
    Fam("credit_card", gen_card, ["card_number", "pan", "cc", "card", "cardNumber", "number", "ccnum"],
        ["charge declined for card {v}: insufficient_funds", "tokenizing card {v}", "card {v} failed AVS check",
         "retrying authorization with card {v}", "BIN lookup for {v} returned issuer=ACME BANK"], DATA6, qkeys=["card", "pan", "cc_number", "card_number"], weight=1.3),
    Fam("iban", gen_iban, ["iban", "payout_iban", "bank_account", "account_iban", "debtor_iban", "creditor_iban"],
        ["payout to {v} scheduled", "SEPA mandate created for IBAN {v}", "IBAN {v} failed bank validation",
         "refund will be sent to {v}", "direct debit returned for account {v} (AC04)"], DATA6, qkeys=["iban", "account", "bank_account"]),
    Fam("ssn", gen_ssn, ["ssn", "ssn_last", "taxpayer_ssn", "social_security_number", "applicant_ssn", "tin"],
        ["SSN {v} did not match IRS records", "identity check: ssn {v} verified", "ssn: {v} flagged for manual review",
         "W-9 received with taxpayer SSN {v}"], DATA6, qkeys=["ssn", "taxpayer_ssn"]),
    Fam("ip_public", gen_ip, ["client_ip", "remote_addr", "x_forwarded_for", "ip", "source_ip", "peer", "real_ip"],
        ["connection from {v} accepted", "blocked request from {v} (geo=%s)", "login from new location {v}",
         "too many requests from {v}, banning for 600s", "TLS handshake error from {v}: EOF", "geoip lookup {v} -> country=DE"],
        ("text", "logfmt", "json", "json_escaped", "url_query", "http_header"), qkeys=["ip", "client_ip", "addr"],
        headers=["X-Forwarded-For: {v}, 10.0.%d.%d", "X-Real-IP: {v}", "CF-Connecting-IP: {v}", "Forwarded: for={v};proto=https", "True-Client-IP: {v}"], weight=1.5),
    Fam("password", gen_password, ["password", "passwd", "pwd", "db_password", "new_password", "current_password", "smtp_password",
                                   "redis_password", "PGPASSWORD", "pass", "admin_password"],
        ["authenticating as svc-reporting with password {v}", "password for user 48213 reset to {v}",
         "Authentication failed: invalid password '{v}' for user app", "connect(host=db-primary, user=app, password={v})",
         "set temporary password {v} for new hire"], DATA6, qkeys=["password", "pwd", "pass", "new_password"], weight=1.5),
    Fam("field_secret", gen_field_secret, ["client_secret", "api_key", "apikey", "secret_key", "app_secret", "webhook_secret",
                                           "consumer_secret", "x_api_key", "private_token", "signing_secret", "encryption_key", "secret"],
        ["using api key {v} for provider=sendgrid", "client secret {v} rejected by idp", "webhook signing secret is {v}",
         "loaded encryption key {v} from env"], A7, qkeys=["api_key", "apikey", "key", "client_secret", "secret"],
        headers=["X-Api-Key: {v}", "X-Client-Secret: {v}", "Api-Key: {v}", "X-Auth-Token: {v}"], weight=1.3),
    Fam("bearer_token", gen_bearer, ["authorization", "Authorization", "auth_header"],
        ["token {v} expired", "introspecting access token {v}", "Bearer {v} rejected: invalid signature", "refresh failed for access_token={v}"],
        ("text", "logfmt", "json", "json_escaped", "url_query", "http_header"), qkeys=["access_token", "token"],
        headers=["Authorization: Bearer {v}", "authorization: bearer {v}"], wrap="Bearer {v}", weight=1.3),
    Fam("jwt", gen_jwt, ["authorization", "id_token", "access_token", "jwt", "token"],
        ["invalid jwt {v}: token is expired", "decoded id_token {v}", "JWT verification failed: {v}", "issued token {v}"],
        ("text", "logfmt", "json", "json_escaped", "json_in_text", "url_query", "http_header"), qkeys=["id_token", "token", "jwt"],
        headers=["Authorization: Bearer {v}", "X-Forwarded-Access-Token: {v}"], wrap="Bearer {v}", weight=1.3),
    Fam("basic_auth", gen_basic, ["authorization", "Authorization"], ["basic auth rejected: Basic {v}"],
        ("logfmt", "json", "json_escaped", "http_header"), headers=["Authorization: Basic {v}", "Proxy-Authorization: Basic {v}"], wrap="Basic {v}", weight=0.8),
    Fam("session_cookie", gen_cookie, ["cookie", "Cookie", "set_cookie"], ["session cookie {v} invalidated"],
        ("logfmt", "json", "json_escaped", "http_header"),
        headers=["Cookie: _ga=GA1.1.%d.%d; session={v}", "Set-Cookie: sid={v}; Path=/; HttpOnly; Secure; SameSite=Lax", "Cookie: connect.sid={v}"],
        wrap="_ga=GA1.1.123.456; session={v}", weight=0.8),
    Fam("url_credentials", gen_url_cred, ["dsn", "database_url", "broker_url", "url", "redis_url", "mongo_uri", "registry"],
        ["connecting to {u}", "dial {u} failed: i/o timeout", "retrying connection to {u} in 5s", "migrations using {u}"],
        ("text", "logfmt", "json", "json_escaped", "json_in_text"), weight=1.3),
    Fam("aws_access_key_id", gen_aws_id, ["aws_access_key_id", "AWS_ACCESS_KEY_ID", "accessKeyId", "access_key"],
        ["using AWS credentials {v} (source=env)", "AccessDenied for principal with key {v} on s3:PutObject", "assumed role session key {v}"],
        ("text", "logfmt", "json", "json_escaped", "url_query", "http_header"),
        headers=["Authorization: AWS4-HMAC-SHA256 Credential={v}/20250310/%s/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=%s"]),
    Fam("aws_secret_key", gen_aws_secret, ["aws_secret_access_key", "AWS_SECRET_ACCESS_KEY", "secretAccessKey", "secret_access_key"],
        ["aws secret access key {v} rejected: SignatureDoesNotMatch", "AWS_SECRET_ACCESS_KEY={v} exported for job", "s3 client secret_access_key: {v}"],
        ("text", "logfmt", "json", "json_escaped", "json_in_text")),
    Fam("github_token", gen_github, ["github_token", "GITHUB_TOKEN", "token", "gh_token", "access_token"],
        ["cloning with token {v}", "GitHub API rate limited for token {v}", "git remote set-url origin https://x-access-token:{v}@github.com/acme/deploy.git",
         "created installation token {v}"], ("text", "logfmt", "json", "json_escaped", "url_query", "http_header"),
        qkeys=["access_token", "token"], headers=["Authorization: token {v}", "Authorization: Bearer {v}"]),
    Fam("slack_token", gen_slack, ["slack_token", "SLACK_BOT_TOKEN", "token", "webhook_url", "slack_webhook"],
        ["posting to slack with token {v}", "slack api auth.test ok for {v}", "alert sent via {v}"],
        ("text", "logfmt", "json", "json_escaped", "http_header"), headers=["Authorization: Bearer {v}"]),
    Fam("stripe_key", gen_stripe, ["stripe_key", "STRIPE_SECRET_KEY", "api_key", "stripe_api_key", "webhook_secret"],
        ["initialising stripe client with {v}", "stripe request failed (key={v}): rate_limit", "Invalid API Key provided: {v}"],
        ("text", "logfmt", "json", "json_escaped", "http_header"), headers=["Authorization: Bearer {v}", "Stripe-Key: {v}"]),
    Fam("private_key", gen_private_key, ["private_key", "privateKey", "tls_key", "ssh_key", "signing_key"],
        ["loaded key {v}", "unexpected key material: {v}"], ("text", "logfmt", "json", "json_escaped"), weight=0.9),
    Fam("dob", gen_dob, ["dob", "date_of_birth", "birth_date", "birthDate", "dateOfBirth", "birthdate"],
        ["dob {v} fails age check (min_age=18)", "date of birth {v} does not match records", "KYC: birth date {v} verified"],
        DATA6, qkeys=["dob", "birth_date", "date_of_birth"]),
    Fam("driver_license", gen_dl, ["drivers_license", "driver_license_number", "dl_number", "license_number", "licence_number", "dlNumber"],
        ["driver license {v} verified state=CA", "licence number {v} failed DVLA check", "DL {v} expired"], DATA6,
        qkeys=["dl_number", "license", "drivers_license"], weight=0.8),
    Fam("security_answer", gen_answer, ["security_answer", "securityAnswer", "secret_answer", "security_question_answer", "mothers_maiden_name", "recovery_answer"],
        ["security answer '{v}' did not match", "recovery answer updated to \"{v}\"", "KBA answer {v} accepted"], DATA6,
        qkeys=["answer", "security_answer"], weight=0.8),
    Fam("national_id", gen_national, [], ["{w} {v} already registered", "{w} {v} failed checksum", "duplicate {w} {v} on application"], DATA6),
]
FAMILY_BY_NAME = {f.name: f for f in FAMILIES}

# ---------------------------------------------------------------- line generation


class Generator:
    def __init__(self, seed, fmt="mixed", dirty=0.02, n_est=50000):
        self.r = random.Random(seed)
        self.p = P(self.r)
        self.fmt = fmt
        self.dirty = dirty
        self.t = float(EPOCH0) + self.r.random() * 3600
        self.step = 604800.0 / max(1, n_est)
        self.tw = [w for _, _, w, _ in TEMPLATES]
        self.rw = [w for _, w, _ in RAW]
        self.fw = [f.weight for f in FAMILIES]
        if fmt == "mixed":
            self.containers = ["json", "logfmt", "text"]
            self.cw = [0.45, 0.2, 0.35]
        else:
            self.containers, self.cw = [fmt], [1]

    def ts(self):
        self.t += self.r.expovariate(1.0 / self.step)
        return _dt.datetime.fromtimestamp(self.t, _dt.timezone.utc)

    def styles_for(self, container, lang=None, kv_text=False):
        out = [s for s, (c, langs) in STYLES.items() if c == container and (lang is None or lang in langs)]
        if kv_text:
            out = [s for s in out if s in KV_TEXT_STYLES]
        return out

    def pick_event(self):
        p = self.p
        name, domain, _, fn = self.r.choices(TEMPLATES, weights=self.tw)[0]
        ev = fn(p)
        ev.name = name
        cands = [s for s in SERVICES if domain in s[3] or domain == "generic"]
        return ev, p.c(cands)

    def pick_style(self, container, svc, kv_text=False):
        sty = self.styles_for(container, svc[1], kv_text)
        if not sty:
            return None
        if container == "text" and svc[1] == "go" and "k8s" not in svc[3] and self.r.random() < 0.8:
            return None  # klog is for controllers; let caller re-pick
        return self.p.c(sty)

    def event_line(self, container, kv_text=False, ev=None):
        for _ in range(50):
            e, svc = self.pick_event()
            if ev is not None:
                e = ev(e)
            st = self.pick_style(container, svc, kv_text)
            if st:
                return e, svc, st
        raise RuntimeError("no style")

    def clean(self):
        container = self.r.choices(self.containers, weights=self.cw)[0]
        ts = self.ts()
        if container == "text" and self.r.random() < 0.4 or container == "json" and self.r.random() < 0.02:
            pool = [(n, w, f) for n, w, f in RAW if (n in RAW_JSON) == (container == "json")]
            n, _, fn = self.r.choices(pool, weights=[w for _, w, _ in pool])[0]
            svc = self.p.c(SERVICES)
            return fn(self.p, svc, ts), {"template": n, "style": "raw", "container": container}
        if container == "logfmt" and self.r.random() < 0.08:
            return r_heroku_router(self.p, None, ts), {"template": "heroku_router", "style": "raw", "container": "logfmt"}
        ev, svc, st = self.event_line(container)
        return render(st, self.p, svc, ts, ev), {"template": ev.name, "style": st, "container": container}

    # ------------------------------------------------------------ dirty
    def contexts_for(self, fam):
        allowed = []
        for c in fam.contexts:
            need = {"json": ["json"], "json_escaped": ["json", "logfmt"], "logfmt": ["logfmt", "text"], "json_in_text": ["text"],
                    "text": ["json", "logfmt", "text"], "url_query": ["json", "logfmt", "text"],
                    "http_header": ["json", "logfmt", "text"]}[c]
            if any(x in self.containers for x in need):
                allowed.append(c)
        return allowed

    def dirty_lines(self):
        """[(line, label)]: one planted line, or a multi-line PEM dump whose
        BEGIN/END lines are labelled frame (not sensitive, not clean either)."""
        for _ in range(20):
            fam = self.r.choices(FAMILIES, weights=self.fw)[0]
            ctxs = self.contexts_for(fam)
            if ctxs:
                break
        ctx = self.p.c(ctxs)
        if fam.name == "private_key" and "text" in self.containers and self.p.p(0.35):
            return self.pem_block()
        return [self.plant(fam, ctx)]

    def pem_block(self):
        """A key dumped over several lines (Python/Java/Go printing a PEM
        string): the prefix line ends with BEGIN, body lines stand alone."""
        p = self.p
        ts = self.ts()
        kind, body = pem_parts(p)
        head = p.c(["%s ERROR [%s] config: unexpected PEM block in %s:" % (ts_iso(ts, 3), p.c(PY_LOGGERS), p.c(["values.yaml", "app.env", "settings.py"])),
                    "%s DEBUG %s: loaded signing key" % (ts_iso(ts, 6), p.c(RUST_TARGETS)),
                    "%s WARN  [main] com.acme.config.KeyLoader - key material:" % ts.strftime("%Y-%m-%d %H:%M:%S,%f")[:-3]])
        out = [(head + " -----BEGIN %s-----" % kind if p.p(0.6) else "-----BEGIN %s-----" % kind,
                {"frame": True, "template": "pem-begin", "style": "raw", "container": "text"})]
        for b in body:
            out.append((b, {"family": "private_key", "context": "pem_multiline", "value": b, "variant": "multiline",
                            "container": "text", "style": "raw", "template": "pem-body-line", "key": None}))
        out.append(("-----END %s-----" % kind, {"frame": True, "template": "pem-end", "style": "raw", "container": "text"}))
        return out

    def shown(self, fam, raw_v, variant):
        if fam.name == "slack_token" and variant == "webhook-url":
            return "https://hooks.slack.com/services/" + raw_v
        return raw_v

    def plant(self, fam, ctx):
        p = self.p
        ts = self.ts()
        raw_v, variant = fam.gen(p, ctx)
        need = {"json": ["json"], "json_escaped": ["json", "logfmt"], "logfmt": ["logfmt", "text"], "json_in_text": ["text"],
                "text": ["json", "logfmt", "text"], "url_query": ["json", "logfmt", "text"], "http_header": ["json", "logfmt", "text"]}[ctx]
        options = [c for c in need if c in self.containers]
        container = p.c(options)
        key = p.c(fam.keys) if fam.keys else None
        word = None
        if fam.name == "national_id":
            key = p.c(NATIONAL_KEYS[variant])
            word = NATIONAL_WORDS[variant]
        appear = raw_v  # form that must be found in the line (before line-level escaping)
        fv = self.field_value(fam, self.shown(fam, raw_v, variant), variant, key)
        line = None
        meta_style = None
        tname = None

        if ctx in ("json", "logfmt"):
            kv_text = container == "text"
            ev, svc, st = self.event_line(container, kv_text=kv_text)
            if ctx == "json" and p.p(0.3):
                outer = p.c(["user", "request", "params", "customer", "payload", "context", "body"])
                ev.put(p.r, outer, {key: fv, p.c(["id", "plan", "locale"]): p.c([str(p.i(1, 99999)), "pro", "en-US"])})
            else:
                ev.put(p.r, key, fv)
            line, meta_style, tname = render(st, p, svc, ts, ev), st, ev.name

        elif ctx == "text":
            s = self.prose(fam, self.shown(fam, raw_v, variant), variant, word, container)
            if s is None:  # family-specific raw line
                line, meta_style, tname = self.text_raw(fam, raw_v, ts), "raw", "raw-" + fam.name
            else:
                ev, svc, st = self.event_line(container)
                ev.msg = s
                line, meta_style, tname = render(st, p, svc, ts, ev), st, ev.name

        elif ctx == "json_escaped":
            inner = self.inner_obj(key, fv)
            s = jenc(inner)
            ev, svc, st = self.event_line(container)
            if p.p(0.5):
                ev.put(p.r, p.c(["body", "payload", "request_body", "event_data", "raw", "response"]), s)
            else:
                ev.msg = p.c(["request payload: ", "webhook body: ", "unmarshal failed for ", "publishing event "]) + s
            line, meta_style, tname = render(st, p, svc, ts, ev), st, ev.name

        elif ctx == "json_in_text":
            inner = self.inner_obj(key, fv)
            s = jenc(inner) if p.p(0.6) else repr(inner)
            ev, svc, st = self.event_line("text")
            ev.msg = p.c(["request payload: ", "validation failed for ", "payload=", "sending "]) + s
            if st == "winston_text" or st == "klog":
                st = p.c(["logback", "log4j", "pylogging", "tracing_fmt"])
            line, meta_style, tname = render(st, p, svc, ts, ev), st, ev.name

        elif ctx == "url_query":
            url, appear = self.url_with(fam, raw_v, variant, key)
            if container == "text" and p.p(0.5):
                if p.p(0.7):
                    line = nginx_line(p, ts, path=url)
                    tname = "nginx_access"
                else:
                    line = r_envoy_access(p, None, ts, path=url)
                    tname = "envoy_access"
                meta_style = "raw"
            elif container == "logfmt" and p.p(0.3):
                line, meta_style, tname = r_heroku_router(p, None, ts, path=url), "raw", "heroku_router"
            else:
                ev, svc, st = self.event_line(container)
                if p.p(0.6):
                    ev.put(p.r, p.c(["url", "path", "request_uri", "uri", "http.url", "redirect"]), url)
                else:
                    ev.msg = "%s %s %d %s" % (p.c(["GET", "POST"]), url, p.c([200, 302, 400, 401, 500]), p.go_dur())
                line, meta_style, tname = render(st, p, svc, ts, ev), st, ev.name

        elif ctx == "http_header":
            hdr = p.c(fam.headers)
            if "%s" in hdr or "%d" in hdr:
                hdr = self.fill_header(hdr)
            hline = hdr.replace("{v}", self.shown(fam, raw_v, variant))
            if container == "text":
                line, meta_style, tname = self.wire_line(hline, ts), "raw", "wire-log"
            elif container == "json":
                ev, svc, st = self.event_line("json")
                if p.p(0.5):
                    dump = "%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\n%s\r\nAccept: application/json\r\n\r\n" % (
                        p.c(["GET", "POST"]), p.path(), p.host(), p.ua(), hline)
                    ev.put(p.r, "dump", dump)
                    ev.msg = p.c(["outgoing request", "request dump", "debug: raw request"])
                else:
                    ev.msg = p.c(["> ", "header ", "<- ", ""]) + hline
                line, meta_style, tname = render(st, p, svc, ts, ev), st, ev.name
            else:
                ev, svc, st = self.event_line("logfmt")
                ev.put(p.r, "header", hline)
                line, meta_style, tname = render(st, p, svc, ts, ev), st, ev.name

        value = appearing_form(appear, line)
        if value is None or "\n" in line:
            raise RuntimeError("planted value not found: %r in %r" % (appear, line))
        return line, {"family": fam.name, "context": ctx, "value": value, "variant": variant, "container": container,
                      "style": meta_style, "template": tname, "key": key if ctx not in ("text", "http_header") else None}

    def field_value(self, fam, raw_v, variant, key):
        p = self.p
        if fam.name == "url_credentials":
            return self.dsn(raw_v)
        if fam.name == "private_key" and variant == "pem-body":
            kind = p.c(PEM_KINDS)
            return "-----BEGIN %s-----\n%s\n-----END %s-----\n" % (kind, raw_v, kind)
        if fam.name == "ip_public" and p.p(0.3) and ":" not in raw_v:
            return "%s:%d" % (raw_v, p.eport())
        if fam.wrap and (key is None or key.lower() in ("authorization", "auth_header", "cookie", "set_cookie")):
            return fam.wrap.replace("{v}", raw_v)
        return raw_v

    def dsn(self, pw):
        p = self.p
        u = p.c(["app", "orders", "svc_reporting", "admin", "deploy", "readonly", "payments_rw"])
        return p.c([
            "postgres://%s:%s@db-primary.%s.svc:5432/%s?sslmode=require" % (u, pw, p.c(DBS), p.c(DBS)),
            "postgresql://%s:%s@%s:6432/%s" % (u, pw, p.ip_priv(), p.c(DBS)),
            "mysql://%s:%s@tcp(mysql-0.mysql:3306)/%s?parseTime=true" % (u, pw, p.c(DBS)),
            "redis://:%s@redis-master.cache.svc:6379/0" % pw,
            "amqp://%s:%s@rabbitmq.internal:5672/%%2F" % (u, pw),
            "mongodb+srv://%s:%s@cluster0.%s.mongodb.net/app?retryWrites=true&w=majority" % (u, pw, p.s(LOWER + DIGITS, 5)),
            "https://%s:%s@registry.internal.example.com/v2/" % (u, pw),
            "sqlserver://%s:%s@mssql.internal:1433?database=%s" % (u, pw, p.c(DBS))])

    def prose(self, fam, v, variant, word, container):
        p = self.p
        if fam.name == "ip_public" and container == "text" and p.p(0.5):
            return None
        t = p.c(fam.prose)
        if fam.name == "url_credentials":
            return t.replace("{u}", self.dsn(v))
        if fam.name == "private_key" and variant == "pem-body":
            kind = p.c(PEM_KINDS)
            t = "loaded key {v}" if "{v}" not in t else t
            return t.replace("{v}", "-----BEGIN %s-----\n%s\n-----END %s-----" % (kind, v, kind))
        if "%s" in t:
            t = t % p.c(COUNTRIES)
        return t.replace("{v}", v).replace("{w}", word or "")

    def text_raw(self, fam, v, ts):
        p = self.p
        k = p.i(0, 3)
        if k == 0:
            return nginx_line(p, ts, client=v)
        if k == 1:
            return r_envoy_access(p, None, ts, client=v if ":" not in v else "[%s]" % v) if p.p(0.5) else r_envoy_access(p, None, ts, client=v)
        if k == 2 and ":" not in v:
            return r_heroku_router(p, None, ts, fwd=v)
        return "%s %s sshd[%d]: Failed password for invalid user %s from %s port %d ssh2" % (
            ts.strftime("%b %d %H:%M:%S"), p.node().split(".")[0], p.i(1000, 99999), p.c(["admin", "oracle", "test", "ubuntu"]), v, p.eport())

    def inner_obj(self, key, fv):
        p = self.p
        filler = [("plan", p.c(["pro", "free", "team"])), ("quantity", p.i(1, 9)), ("currency", p.c(CURRENCIES)),
                  ("source", p.c(["web", "ios", "android"])), ("locale", p.c(["de-DE", "en-US", "fr-FR"])), ("order_id", p.order_id()),
                  ("event", p.c(["customer.updated", "signup", "kyc.submitted"])), ("version", p.i(1, 5))]
        p.r.shuffle(filler)
        items = filler[:p.i(1, 4)]
        items.insert(p.i(0, len(items)), (key, fv))
        return dict(items)

    def url_with(self, fam, v, variant, key):
        p = self.p
        base = p.c(["/v1/users/lookup", "/api/v2/customers/search", "/callback", "/v1/verify", "/oauth2/callback",
                    "/api/v1/accounts", "/login", "/v1/kyc/check", "/webhooks/inbound", "/export"])
        if fam.name == "aws_access_key_id":
            if p.p(0.6):
                enc = "%s%%2F2025%02d%02d%%2F%s%%2Fs3%%2Faws4_request" % (v, 3, p.i(1, 17), p.c(REGIONS))
                url = "https://acme-exports-prod.s3.%s.amazonaws.com/exports/%s.csv.gz?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=%s&X-Amz-Date=20250310T%02d%02d00Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host&X-Amz-Signature=%s" % (
                    p.c(REGIONS), p.uuid(), enc, p.i(0, 23), p.i(0, 59), p.hex(64))
            else:
                url = "https://acme-invoices.s3.amazonaws.com/invoices/%s.pdf?AWSAccessKeyId=%s&Expires=%d&Signature=%s" % (
                    p.uuid(), v, EPOCH0 + p.i(0, 700000), quote(base64.b64encode(bytes(p.r.getrandbits(8) for _ in range(20))).decode(), safe=""))
            return url, v
        q = p.c(fam.qkeys) if fam.name != "national_id" else key
        if fam.name in ("email",) and p.p(0.35):
            enc = v.replace("+", "%2B")  # '@' often left raw
        elif p.p(0.3) and " " in v:
            enc = quote_plus(v, safe="")
        else:
            enc = quote(v, safe="")
        params = [(q, enc)]
        extra = [("page", str(p.i(1, 9))), ("limit", str(p.c([10, 50, 100]))), ("locale", p.c(["en-US", "de-DE"])),
                 ("utm_source", p.c(["newsletter", "google", "partner"])), ("state", p.hex(16)), ("ts", str(EPOCH0 + p.i(0, 600000))),
                 ("redirect_uri", quote("https://shop.example.com/account", safe=""))]
        p.r.shuffle(extra)
        for e in extra[:p.i(0, 3)]:
            params.insert(p.i(0, len(params)), e)
        url = base + "?" + "&".join("%s=%s" % kv for kv in params)
        if p.p(0.3):
            url = "https://%s%s" % (p.c(["api.example.com", "shop.example.com", "partners.example.net"]), url)
        return url, enc

    def fill_header(self, hdr):
        p = self.p
        if "AWS4" in hdr:
            return hdr.replace("%s", p.c(REGIONS), 1).replace("%s", p.hex(64), 1)
        if "%d.%d" in hdr and "GA1" in hdr:
            return hdr.replace("%d", str(p.i(10**8, 10**9)), 1).replace("%d", str(EPOCH0 + p.i(0, 600000)), 1)
        return hdr.replace("%d", str(p.i(0, 255)), 1).replace("%d", str(p.i(1, 254)), 1)

    def wire_line(self, hline, ts):
        p = self.p
        k = p.i(0, 5)
        if k == 0:
            return "%s DEBUG 1 --- [%s] [nio-8080-exec-%d] org.apache.http.headers                  : http-outgoing-%d >> %s" % (
                ts_iso(ts, 3), p.c(SERVICES)[0], p.i(1, 40), p.i(0, 99), hline)
        if k == 1:
            return "> " + hline
        if k == 2:
            return "%s DEBUG [%s] okhttp3.OkHttpClient - %s" % (ts.strftime("%Y-%m-%d %H:%M:%S,") + "%03d" % (ts.microsecond // 1000), p.c(["OkHttp Dispatcher", "main"]), hline)
        if k == 3:
            return "send: b'%s %s HTTP/1.1\\r\\nHost: %s\\r\\nUser-Agent: %s\\r\\nAccept-Encoding: gzip, deflate\\r\\n%s\\r\\nContent-Length: %d\\r\\n\\r\\n'" % (
                p.c(["GET", "POST"]), p.path(), p.host(), p.ua(), hline, p.i(0, 900))
        if k == 4:
            return "%s  DEBUG %s: request headers: %s" % (ts_iso(ts, 6), p.c(RUST_TARGETS), hline)
        return "%s DEBUG [%s] header: %s" % (ts.strftime("%Y-%m-%d %H:%M:%S,") + "%03d" % (ts.microsecond // 1000), p.c(PY_LOGGERS), hline)

    # ------------------------------------------------------------ driver
    def lines(self, n_lines=None, size_bytes=None):
        n = 0
        size = 0
        while (n_lines is not None and n < n_lines) or (size_bytes is not None and size < size_bytes):
            if self.r.random() < self.dirty:
                batch = self.dirty_lines()
                if n_lines is not None and n + len(batch) > n_lines:
                    line, label = self.clean()
                    label["clean"] = True
                    batch = [(line, label)]
            else:
                line, label = self.clean()
                label["clean"] = True
                batch = [(line, label)]
            for line, label in batch:
                if "\n" in line or "\r" in line:
                    raise RuntimeError("newline in line: %r" % line)
                n += 1
                size += len(line.encode()) + 1
                yield n, line, label


def write_corpus(out, labels_path, seed, fmt, dirty, n_lines=None, size_mb=None, keep_meta=False):
    n_est = n_lines if n_lines else int((size_mb or 1) * 1e6 / 260)
    g = Generator(seed, fmt, dirty, n_est)
    metas = [] if keep_meta else None
    lf = open(labels_path, "w", encoding="utf-8") if labels_path else None
    nd = 0
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        buf = []
        for n, line, label in g.lines(n_lines, int(size_mb * 1e6) if size_mb else None):
            buf.append(line)
            if len(buf) >= 4096:
                f.write("\n".join(buf) + "\n")
                buf = []
            if label.get("frame"):
                if metas is not None:
                    metas.append({"line": n, "frame": True, "template": label["template"]})
            elif not label.get("clean"):
                nd += 1
                rec = {"line": n, "family": label["family"], "context": label["context"], "value": label["value"],
                       "variant": label["variant"], "key": label.get("key"), "container": label["container"],
                       "style": label["style"], "template": label["template"]}
                if lf:
                    lf.write(json.dumps(rec, ensure_ascii=False) + "\n")
                if metas is not None:
                    metas.append(rec)
            elif metas is not None:
                metas.append({"line": n, "clean": True, "template": label["template"], "style": label["style"], "container": label["container"]})
        if buf:
            f.write("\n".join(buf) + "\n")
    if lf:
        lf.close()
    return n, nd, metas

# ---------------------------------------------------------------- measure

MARK = re.compile(r"\[REDACTED:[^\]\s]*\]")


def marker_rule(m):
    inner = m[len("[REDACTED:"):-1]
    return inner.split(":")[0] or "?"


def align(inp, out):
    """Map each marker in `out` to the input span it replaced: [(start, end, marker)] or None."""
    parts = MARK.split(out)
    marks = MARK.findall(out)
    if not marks:
        return []
    if not inp.startswith(parts[0]):
        return None
    pos = len(parts[0])
    spans = []
    for k, m in enumerate(marks):
        lit = parts[k + 1]
        if k + 1 == len(parts) - 1:
            if not inp.endswith(lit) or len(inp) - len(lit) < pos:
                return None
            end = len(inp) - len(lit)
        elif lit == "":
            end = pos
        else:
            end = inp.find(lit, pos + 1 if pos < len(inp) else pos)
            if end < 0:
                return None
        spans.append((pos, end, m))
        pos = end + len(lit)
    return spans


def diff_fragments(inp, out):
    sm = difflib.SequenceMatcher(None, inp, out, autojunk=False)
    frs = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag != "equal":
            frs.append((i1, i2, out[j1:j2]))
    return frs


def leaked(value, inp, out):
    idx = inp.find(value)
    rest = inp[:idx] + "\x00" + inp[idx + len(value):] if idx >= 0 else inp
    if out.count(value) > rest.count(value):
        return True, value
    if len(value) >= 12:
        for i in range(len(value) - 7):
            run = value[i:i + 8]
            if run in rest:
                continue
            if run in out:
                return True, run
    return False, None


def clip(s, n=70):
    return s if len(s) <= n else s[:n - 1] + "…"


def change_examples(inp, out):
    """[(rule, input_fragment_with_ctx, output_fragment)]"""
    res = []
    spans = align(inp, out)
    if spans:
        for s, e, m in spans:
            left = inp[max(0, s - 18):s]
            res.append((marker_rule(m), "%s«%s»" % (left, inp[s:e]), m))
        return res
    for i1, i2, rep in diff_fragments(inp, out)[:3]:
        ms = MARK.findall(rep)
        rule = marker_rule(ms[0]) if ms else ("(no marker)" if not MARK.search(out) else marker_rule(MARK.findall(out)[0]))
        res.append((rule, "%s«%s»" % (inp[max(0, i1 - 18):i1], inp[i1:i2]), rep))
    return res


def measure(args):
    tmp = tempfile.mkdtemp(prefix="servicelogs-")
    src = os.path.join(tmp, "in.log")
    t0 = time.time()
    n, nd, metas = write_corpus(src, os.path.join(tmp, "labels.jsonl"), args.seed, args.format, args.dirty,
                                n_lines=args.lines, keep_meta=True)
    gen_s = time.time() - t0
    with open(src, "rb") as f:
        in_lines = f.read().decode("utf-8").split("\n")[:-1]
    t0 = time.time()
    cmd = [args.bin, "redact"] + (args.extra.split() if args.extra else []) + [src]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    run_s = time.time() - t0
    if proc.returncode != 0:
        sys.stderr.write("redact exited %d: %s\n" % (proc.returncode, proc.stderr.decode(errors="replace")[:2000]))
        return 2
    out_lines = proc.stdout.decode("utf-8", errors="surrogateescape").split("\n")
    if out_lines and out_lines[-1] == "":
        out_lines.pop()
    if len(out_lines) != len(in_lines):
        sys.stderr.write("line count mismatch: in %d out %d\n" % (len(in_lines), len(out_lines)))
        return 2

    fam_tot, fam_leak = Counter(), Counter()
    fc_tot, fc_leak = Counter(), Counter()
    var_tot, var_leak = Counter(), Counter()
    leak_ex = defaultdict(list)
    fam_markers = defaultdict(Counter)
    collateral = Counter()
    clean_tot = clean_chg = 0
    cat_lines = Counter()
    cat_ex = defaultdict(list)
    cat_tmpl = defaultdict(Counter)
    tmpl_tot, tmpl_chg = Counter(), Counter()
    frame_tot = frame_chg = 0
    key_tot, key_leak = Counter(), Counter()
    for meta in metas:
        i = meta["line"] - 1
        inp, out = in_lines[i], out_lines[i]
        if meta.get("frame"):
            frame_tot += 1
            frame_chg += inp != out
            continue
        if meta.get("clean"):
            clean_tot += 1
            tmpl_tot[meta["template"]] += 1
            if inp != out:
                clean_chg += 1
                tmpl_chg[meta["template"]] += 1
                seen = set()
                for rule, frag, outfrag in change_examples(inp, out):
                    if rule not in seen:
                        cat_lines[rule] += 1
                        seen.add(rule)
                    cat_tmpl[rule][meta["template"]] += 1
                    if len(cat_ex[rule]) < 10 and all(e[0] != meta["template"] or len(cat_ex[rule]) > 6 for e in cat_ex[rule]):
                        cat_ex[rule].append((meta["template"], clip(frag, 90), clip(outfrag, 60)))
            continue
        fam, ctx, val = meta["family"], meta["context"], meta["value"]
        fam_tot[fam] += 1
        fc_tot[(fam, ctx)] += 1
        var_tot[(fam, meta["variant"])] += 1
        if meta.get("key"):
            key_tot[(fam, meta["key"])] += 1
        lk, run = leaked(val, inp, out)
        vs = inp.find(val)
        ve = vs + len(val)
        spans = align(inp, out) or []
        for s, e, m in spans:
            if s < ve and e > vs:
                fam_markers[fam][marker_rule(m)] += 1
            else:
                collateral[marker_rule(m)] += 1
        if lk:
            fam_leak[fam] += 1
            fc_leak[(fam, ctx)] += 1
            var_leak[(fam, meta["variant"])] += 1
            if meta.get("key"):
                key_leak[(fam, meta["key"])] += 1
            if len(leak_ex[fam]) < 10:
                o_idx = out.find(run)
                leak_ex[fam].append({"context": ctx, "variant": meta["variant"], "style": meta["style"], "value": val,
                                     "survived": run, "out": clip(out[max(0, o_idx - 50):o_idx + len(run) + 30], 160)})
    total_d = sum(fam_tot.values())
    total_leak = sum(fam_leak.values())
    recall = 1 - total_leak / total_d if total_d else 1.0
    changed_pct = 100.0 * clean_chg / clean_tot if clean_tot else 0.0

    pr = print
    pr("servicelogs measure: seed=%d lines=%d dirty=%d (%.1f%%) clean=%d format=%s  gen %.1fs, redact %.1fs" % (
        args.seed, n, nd, 100.0 * nd / n, clean_tot, args.format, gen_s, run_s))
    pr("OVERALL recall %.2f%% (%d/%d leaked)   clean lines changed %.3f%% (%d/%d)" % (
        100 * recall, total_leak, total_d, changed_pct, clean_chg, clean_tot))
    ctx_names = ["text", "logfmt", "json", "json_escaped", "json_in_text", "url_query", "http_header", "pem_multiline"]
    pr("\nrecall per family (and per context: recall%% n)")
    pr("%-18s %6s %7s  %s" % ("family", "n", "recall", "  ".join("%-12s" % c for c in ctx_names)))
    for f in FAMILIES:
        if not fam_tot[f.name]:
            continue
        cells = []
        for c in ctx_names:
            t = fc_tot[(f.name, c)]
            cells.append("%-12s" % (("%5.1f %3d" % (100 * (1 - fc_leak[(f.name, c)] / t), t)) if t else "-"))
        pr("%-18s %6d %6.1f%%  %s" % (f.name, fam_tot[f.name], 100 * (1 - fam_leak[f.name] / fam_tot[f.name]), "  ".join(cells)))
    pr("\nper context:")
    for c in ctx_names:
        t = sum(v for (f, cc), v in fc_tot.items() if cc == c)
        l_ = sum(v for (f, cc), v in fc_leak.items() if cc == c)
        if t:
            pr("  %-13s n=%5d recall %.1f%%" % (c, t, 100 * (1 - l_ / t)))
    pr("\nvariants with leaks (family/variant: leaked/n):")
    for (f, v), t in sorted(var_tot.items()):
        if var_leak[(f, v)]:
            pr("  %-18s %-26s %d/%d" % (f, v, var_leak[(f, v)], t))
    pr("\nfield keys with leaks (json/logfmt/escaped/query contexts; family key: leaked/n):")
    by_f = defaultdict(list)
    for (f, k), t in sorted(key_tot.items()):
        if key_leak[(f, k)]:
            by_f[f].append("%s %d/%d" % (k, key_leak[(f, k)], t))
    for f, items in by_f.items():
        pr("  %-18s %s" % (f, ", ".join(items)))
    pr("\nleak examples (value -> surviving text):")
    for f in FAMILIES:
        for ex in leak_ex[f.name][:args.examples]:
            pr("  [%s/%s/%s %s] %s  | out: %s" % (f.name, ex["context"], ex["variant"], ex["style"], clip(ex["value"], 60), ex["out"]))
    pr("\nmarkers that covered planted values, per family:")
    for f in FAMILIES:
        if fam_markers[f.name]:
            pr("  %-18s %s" % (f.name, ", ".join("%s:%d" % kv for kv in fam_markers[f.name].most_common(5))))
    if collateral:
        pr("collateral markers on dirty lines (outside the planted value): %s" % ", ".join("%s:%d" % kv for kv in collateral.most_common(8)))
    pr("\nclean lines changed, by marker (lines; top templates) and examples:")
    for rule, cnt in cat_lines.most_common():
        pr("  %-28s %5d lines (%.3f%%)  templates: %s" % (rule, cnt, 100.0 * cnt / clean_tot,
                                                      ", ".join("%s:%d" % kv for kv in cat_tmpl[rule].most_common(4))))
        for t, frag, o in cat_ex[rule][:args.examples]:
            pr("      [%s] %s -> %s" % (t, frag, o))
    pr("\nclean templates most often changed (changed/total):")
    for t, c in tmpl_chg.most_common(15):
        pr("  %-22s %d/%d (%.1f%%)" % (t, c, tmpl_tot[t], 100.0 * c / tmpl_tot[t]))
    pr("distinct clean templates: %d; PEM BEGIN/END frame lines changed: %d/%d" % (len(tmpl_tot), frame_chg, frame_tot))

    if args.json:
        with open(args.json, "w") as f:
            json.dump({"seed": args.seed, "lines": n, "dirty": nd, "clean": clean_tot, "recall": recall,
                       "clean_changed_pct": changed_pct,
                       "families": {k: {"n": fam_tot[k], "leaked": fam_leak[k], "recall": 1 - fam_leak[k] / fam_tot[k]} for k in fam_tot},
                       "family_context": {"%s/%s" % k: {"n": v, "leaked": fc_leak[k]} for k, v in fc_tot.items()},
                       "variants": {"%s/%s" % k: {"n": v, "leaked": var_leak[k]} for k, v in var_tot.items()},
                       "leak_examples": leak_ex,
                       "clean_changed_by_marker": {r: {"lines": c, "templates": dict(cat_tmpl[r]),
                                                       "examples": [{"template": t, "in": a, "out": b} for t, a, b in cat_ex[r]]}
                                                   for r, c in cat_lines.items()},
                       "covering_markers": {k: dict(v) for k, v in fam_markers.items()}}, f, indent=1, ensure_ascii=False)
    if not args.keep:
        for fn in os.listdir(tmp):
            os.remove(os.path.join(tmp, fn))
        os.rmdir(tmp)
    else:
        pr("kept corpus in %s" % tmp)
    rc = 0
    if args.min_recall is not None and recall < args.min_recall:
        pr("FAIL: recall %.4f < --min-recall %.4f" % (recall, args.min_recall))
        rc = 1
    if args.min_family_recall is not None:
        for k in fam_tot:
            r_ = 1 - fam_leak[k] / fam_tot[k]
            if r_ < args.min_family_recall:
                pr("FAIL: family %s recall %.4f < --min-family-recall %.4f" % (k, r_, args.min_family_recall))
                rc = 1
    if args.max_clean_changed is not None and changed_pct > args.max_clean_changed:
        pr("FAIL: clean changed %.3f%% > --max-clean-changed %.3f%%" % (changed_pct, args.max_clean_changed))
        rc = 1
    return rc


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("generate", help="write a corpus (and labels)")
    g.add_argument("--out", required=True)
    g.add_argument("--labels")
    g.add_argument("--size-mb", type=float)
    g.add_argument("--lines", type=int)
    g.add_argument("--dirty", type=float, default=0.02)
    g.add_argument("--seed", type=int, default=0)
    g.add_argument("--format", choices=["mixed", "json", "logfmt", "text"], default="mixed")
    m = sub.add_parser("measure", help="generate, run BIN redact, report recall and clean-line changes")
    m.add_argument("--bin", required=True)
    m.add_argument("--lines", type=int, default=50000)
    m.add_argument("--dirty", type=float, default=0.1, help="share of planted lines (default 0.1 for tighter per-family numbers)")
    m.add_argument("--seed", type=int, default=1)
    m.add_argument("--format", choices=["mixed", "json", "logfmt", "text"], default="mixed")
    m.add_argument("--json")
    m.add_argument("--min-recall", type=float, help="fraction, e.g. 0.95 (overall)")
    m.add_argument("--min-family-recall", type=float, help="fraction, applied to every family")
    m.add_argument("--max-clean-changed", type=float, help="percent of clean lines, e.g. 0.5")
    m.add_argument("--examples", type=int, default=3, help="examples printed per category (json keeps 10)")
    m.add_argument("--extra", help="extra args for redact, space-separated")
    m.add_argument("--keep", action="store_true", help="keep the temp corpus")
    b = sub.add_parser("bench-corpus", help="just the lines, for speed tests")
    b.add_argument("--out", required=True)
    b.add_argument("--size-mb", type=float, default=100)
    b.add_argument("--dirty", type=float, default=0.02)
    b.add_argument("--seed", type=int, default=0)
    b.add_argument("--format", choices=["mixed", "json", "logfmt", "text"], default="mixed")
    a = ap.parse_args(argv)
    if a.cmd == "generate":
        if a.lines is None and a.size_mb is None:
            a.lines = 10000
        n, nd, _ = write_corpus(a.out, a.labels, a.seed, a.format, a.dirty, n_lines=a.lines, size_mb=a.size_mb if a.lines is None else None)
        sys.stderr.write("wrote %d lines (%d planted) to %s\n" % (n, nd, a.out))
        return 0
    if a.cmd == "bench-corpus":
        n, nd, _ = write_corpus(a.out, None, a.seed, a.format, a.dirty, size_mb=a.size_mb)
        sys.stderr.write("wrote %d lines (%d planted, %.1f MB) to %s\n" % (n, nd, os.path.getsize(a.out) / 1e6, a.out))
        return 0
    return measure(a)


if __name__ == "__main__":
    sys.exit(main())
