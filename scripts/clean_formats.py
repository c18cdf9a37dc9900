#!/usr/bin/env python3
"""Realistic CLEAN log lines (no PII, no secrets) in 29 real-world formats,
for measuring false positives: every line must come out of `logscrub redact`
byte-identical.

  python3 scripts/clean_formats.py N SEED OUT
  target/release/logscrub redact OUT | diff - OUT | grep -c '^<'

Formats: nginx/apache access and error logs, Java/Python/Go/Node traces,
Kubernetes, PostgreSQL/MySQL/Redis, syslog and journald JSON, CloudTrail and
GCP audit, CI logs, Prometheus, git, Terraform, API JSON, logfmt,
HAProxy/Envoy/ALB, Windows events, web firewalls, config dumps. OUT.src
names the generator of each line. Seeded: a seed always gives the same file.
Written during the review of issue 2's rule pack (BENCHMARKS.md). Since
issue 3 MAC addresses are personal data (rules/mac.toml), so lines that held
one now hold a port or rack id instead; the UFW line's MAC= field is a chain
of two addresses and an ethertype, which the mac rule leaves whole (a known
gap, CHANGELOG)."""
import json, random, string, sys, uuid, hashlib, base64, datetime

R = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 7)
N = int(sys.argv[1]) if len(sys.argv) > 1 else 60000

def hx(n): return ''.join(R.choice('0123456789abcdef') for _ in range(n))
def HX(n): return ''.join(R.choice('0123456789ABCDEF') for _ in range(n))
def an(n): return ''.join(R.choice(string.ascii_letters + string.digits) for _ in range(n))
def lo(n): return ''.join(R.choice(string.ascii_lowercase + string.digits) for _ in range(n))
def dg(n): return ''.join(R.choice(string.digits) for _ in range(n))
def uid(): return str(uuid.UUID(int=R.getrandbits(128), version=4))
def b64(n): return base64.b64encode(bytes(R.getrandbits(8) for _ in range(n))).decode()
def b64u(n): return base64.urlsafe_b64encode(bytes(R.getrandbits(8) for _ in range(n))).decode().rstrip('=')
def sha256(): return hx(64)
def priv_ip():
    c = R.random()
    if c < 0.5: return f"10.{R.randint(0,255)}.{R.randint(0,255)}.{R.randint(1,254)}"
    if c < 0.75: return f"172.{R.randint(16,31)}.{R.randint(0,255)}.{R.randint(1,254)}"
    if c < 0.95: return f"192.168.{R.randint(0,255)}.{R.randint(1,254)}"
    return "127.0.0.1"
def priv_ip6(): return R.choice(["::1", f"fe80::{hx(4)}:{hx(4)}:{hx(4)}:{hx(4)}", f"fd{hx(2)}:{hx(4)}:{hx(4)}::{hx(1)}"])
def mac(): return ':'.join(hx(2) for _ in range(6))
def ts_dt():
    return datetime.datetime(2026, 11, 29, 3, 49, 50) + datetime.timedelta(seconds=R.randint(0, 86400*30), microseconds=R.randint(0, 999999))
def iso(): return ts_dt().strftime('%Y-%m-%dT%H:%M:%S.') + f"{R.randint(0,999):03d}Z"
def iso_off(): return ts_dt().strftime('%Y-%m-%dT%H:%M:%S') + R.choice(['+00:00', '+01:00', '-05:00', '+05:30', 'Z'])
def clf(): return ts_dt().strftime('%d/%b/%Y:%H:%M:%S') + ' ' + R.choice(['+0000', '+0100', '-0500'])
def sysl(): return ts_dt().strftime('%b %d %H:%M:%S').replace(' 0', '  ', 1) if R.random() < 0 else ts_dt().strftime('%b %d %H:%M:%S')
def epoch(): return str(int(ts_dt().timestamp()))
def epoch_ms(): return str(int(ts_dt().timestamp() * 1000))
def semver(): return f"{R.randint(0,20)}.{R.randint(0,40)}.{R.randint(0,200)}"
def dur(): return R.choice([f"{R.randint(1,999)}ms", f"{R.random()*10:.3f}s", f"{R.randint(1,59)}m{R.randint(0,59)}s", f"{R.randint(1,900)}µs", f"{R.random():.6f}"])
def money(): return f"{R.randint(0,99999)}.{R.randint(0,99):02d}"

WORDS = "order cart checkout invoice product user account profile inventory shipment payment refund catalog search session report export import job task queue worker batch sync cache index node pod deploy release build".split()
SVC = ["api-gateway", "orders", "billing", "inventory", "auth-svc", "search", "notifier", "payments", "shipping", "catalog", "frontend", "worker"]
HOSTS = ["api.example.com", "shop.example.com", "internal.example.net", "app-01.prod.internal", "web-3.eu-west-1.compute.internal"]
PATHS = ["/api/v1/orders", "/api/v2/users/me", "/health", "/healthz", "/readyz", "/metrics", "/static/js/main.3f9a1c2b.js",
         "/static/css/app.9c1e4d.css", "/favicon.ico", "/api/v1/products", "/api/v1/search", "/graphql", "/login", "/logout",
         "/api/v1/carts/{id}/items", "/api/v1/invoices/{id}/pdf", "/images/products/{n}-large.webp", "/robots.txt", "/sitemap.xml",
         "/api/v1/orders/{id}/tracking", "/v2/catalog/items", "/wp-login.php", "/.env", "/api/internal/jobs/{id}"]
UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8 Pro) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.6045.163 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91",
    "curl/8.4.0", "python-requests/2.31.0", "Go-http-client/1.1", "kube-probe/1.28", "Prometheus/2.48.0",
    "ELB-HealthChecker/2.0", "okhttp/4.12.0", "Apache-HttpClient/4.5.14 (Java/17.0.9)", "axios/1.6.2", "Googlebot/2.1 (+http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "aws-sdk-go-v2/1.24.0 os/linux lang/go#1.21.5 md/GOOS#linux md/GOARCH#amd64 api/s3#1.47.5",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", "Dalvik/2.1.0 (Linux; U; Android 13; SM-S911B Build/TP1A.220624.014)",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36 OPR/105.0.0.0",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
]
def path():
    p = R.choice(PATHS).replace('{id}', R.choice([uid(), dg(R.randint(3, 9)), lo(12)])).replace('{n}', dg(6))
    if R.random() < 0.45:
        q = []
        for _ in range(R.randint(1, 5)):
            k = R.choice(["page", "limit", "sort", "q", "lang", "utm_source", "utm_campaign", "ref", "category", "from", "to", "fields",
                          "include", "cursor", "v", "cb", "_", "filter[status]", "per_page", "order", "tz", "locale", "width", "format", "region",
                          "token_type", "state", "redirect_uri", "scope", "response_type", "client_id", "code_challenge_method", "nonce_len"])
            v = {"page": str(R.randint(1, 50)), "limit": str(R.choice([10, 20, 50, 100])), "q": R.choice(["red+shoes", "laptop", "usb-c%20cable", "t-shirt"]),
                 "from": "2026-11-01", "to": "2026-11-29", "_": epoch_ms(), "cb": epoch_ms(), "v": semver(), "cursor": b64u(12),
                 "tz": "Europe%2FBerlin", "locale": "en_US", "token_type": "Bearer", "scope": "openid%20profile", "response_type": "code",
                 "client_id": "web-frontend", "code_challenge_method": "S256", "redirect_uri": "https%3A%2F%2Fshop.example.com%2Fcallback",
                 "state": "xyz" + lo(4)}.get(k, lo(R.randint(2, 8)))
            q.append(f"{k}={v}")
        p += "?" + "&".join(q)
    return p

def g_nginx_access():
    m = R.choice(["GET"] * 6 + ["POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"])
    st = R.choice([200] * 8 + [201, 204, 301, 302, 304, 400, 401, 403, 404, 429, 499, 500, 502, 503, 504])
    ref = R.choice(["-", "https://shop.example.com/", f"https://shop.example.com/products/{dg(5)}", "https://www.google.com/"])
    line = f'{priv_ip()} - - [{clf()}] "{m} {path()} HTTP/{R.choice(["1.1", "2.0"])}" {st} {R.randint(0, 500000)} "{ref}" "{R.choice(UAS)}"'
    if R.random() < 0.5:
        line += f' rt={R.random():.3f} uct="{R.random()/10:.3f}" uht="{R.random()/5:.3f}" urt="{R.random():.3f}" upstream={priv_ip()}:{R.choice([8080, 3000, 9000])} req_id={hx(32)}'
    return line

def g_apache_access():
    return f'{priv_ip()} - {R.choice(["-", "deploy", "jenkins"])} [{clf()}] "{R.choice(["GET","POST"])} {path()} HTTP/1.1" {R.choice([200,404,302,500])} {R.choice(["-", str(R.randint(10, 99999))])} {R.randint(100, 9999999)}'

def g_apache_error():
    t = ts_dt().strftime('%a %b %d %H:%M:%S.%f %Y')
    msg = R.choice([
        f"(111)Connection refused: AH00957: http: attempt to connect to {priv_ip()}:8080 (backend) failed",
        f"AH01630: client denied by server configuration: /var/www/html/.git/config",
        f"AH00124: Request exceeded the limit of 10 internal redirects due to probable configuration error.",
        f"File does not exist: /var/www/html/favicon.ico",
        f"AH02032: Hostname {R.choice(HOSTS)} provided via SNI and hostname {R.choice(HOSTS)} provided via HTTP have no compatible SSL setup",
        f"[mpm_event:notice] [pid {R.randint(100,99999)}:tid {R.choice(['139','140'])}{dg(12)}] AH00489: Apache/2.4.58 (Ubuntu) OpenSSL/3.0.2 configured -- resuming normal operations",
        f"AH00094: Command line: '/usr/sbin/apache2'",
        f"PHP Warning:  Undefined array key \"user_id\" in /var/www/html/app/Controller/OrderController.php on line {R.randint(10,900)}",
        f"PHP Fatal error:  Uncaught TypeError: count(): Argument #1 ($value) must be of type Countable|array, null given in /var/www/app/src/Cart.php:{R.randint(1,400)}",
    ])
    return f"[{t}] [{R.choice(['proxy:error','core:error','authz_core:error','ssl:warn','php:error','mpm_event:notice'])}] [pid {R.randint(100,99999)}:tid {R.choice(['139','140'])}{dg(12)}] [client {priv_ip()}:{R.randint(1024,65535)}] {msg}"

def g_nginx_error():
    t = ts_dt().strftime('%Y/%m/%d %H:%M:%S')
    pid = R.randint(10, 9999)
    msg = R.choice([
        f'upstream timed out (110: Connection timed out) while reading response header from upstream, client: {priv_ip()}, server: {R.choice(HOSTS)}, request: "GET {path()} HTTP/1.1", upstream: "http://{priv_ip()}:8080{R.choice(PATHS)}", host: "{R.choice(HOSTS)}"',
        f'connect() failed (111: Connection refused) while connecting to upstream, client: {priv_ip()}, server: _, request: "POST /api/v1/orders HTTP/1.1", upstream: "http://127.0.0.1:3000/api/v1/orders", host: "{R.choice(HOSTS)}", referrer: "https://shop.example.com/cart"',
        f'open() "/usr/share/nginx/html/{lo(8)}.php" failed (2: No such file or directory), client: {priv_ip()}, server: localhost',
        f'limiting requests, excess: {R.random()*20:.3f} by zone "api", client: {priv_ip()}, server: {R.choice(HOSTS)}',
        f'SSL_do_handshake() failed (SSL: error:0A00006C:SSL routines::bad key share) while SSL handshaking, client: {priv_ip()}, server: 0.0.0.0:443',
        f'client intended to send too large body: {R.randint(10**6, 10**8)} bytes, client: {priv_ip()}, server: {R.choice(HOSTS)}',
    ])
    return f"{t} [{R.choice(['error','warn','crit','notice'])}] {pid}#{pid}: *{R.randint(1,9999999)} {msg}"

JAVA_PKGS = ["com.example.orders", "com.example.billing.service", "org.springframework.web.servlet", "org.hibernate.engine.jdbc.spi", "io.netty.channel", "java.util.concurrent", "org.apache.kafka.clients.consumer.internals"]
def g_java():
    c = R.random()
    if c < 0.55:
        pkg = R.choice(JAVA_PKGS); cls = R.choice(["OrderService", "PaymentController", "DispatcherServlet", "SqlExceptionHelper", "AbstractChannelHandlerContext", "ThreadPoolExecutor$Worker", "ConsumerCoordinator", "TokenRefreshTask", "PasswordEncoderConfig", "SecretsLoader"])
        return f"\tat {pkg}.{cls}.{R.choice(['process','handle','invoke','run','doFilter','lambda$submit$0','refreshToken','loadSecrets','validatePassword'])}({cls.split('$')[0]}.java:{R.randint(10,2000)})"
    if c < 0.7: return f"\t... {R.randint(1,120)} more"
    if c < 0.85:
        ex = R.choice([
            f"java.lang.IllegalStateException: Order {dg(8)} is already in state SHIPPED",
            f"org.springframework.dao.DataIntegrityViolationException: could not execute statement; SQL [n/a]; constraint [orders_pkey]",
            f"java.net.SocketTimeoutException: Read timed out after {R.randint(1000,60000)}ms",
            f"java.util.concurrent.TimeoutException: Timeout waiting for task {uid()}",
            f"com.fasterxml.jackson.databind.exc.MismatchedInputException: Cannot deserialize value of type `java.lang.Long` from String \"abc\": not a valid `java.lang.Long` value",
            f"javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target",
            f"org.postgresql.util.PSQLException: ERROR: deadlock detected\n".strip(),
            f"java.lang.NullPointerException: Cannot invoke \"com.example.orders.Order.getId()\" because \"order\" is null",
            f"org.apache.kafka.common.errors.TimeoutException: Topic orders.v1 not present in metadata after 60000 ms.",
            f"io.jsonwebtoken.ExpiredJwtException: JWT expired at 2026-11-29T03:49:50Z. Current time: 2026-11-29T03:59:50Z, a difference of 600123 milliseconds.",
            f"org.springframework.security.authentication.BadCredentialsException: Bad credentials",
        ])
        return (R.choice(["Caused by: ", "Exception in thread \"main\" ", ""]) + ex)
    t = ts_dt().strftime('%Y-%m-%d %H:%M:%S.') + dg(3)
    jm = R.choice(['Started Application in 12.345 seconds (process running for 13.2)', 'HikariPool-1 - Start completed.', f'Processing order {dg(8)} for tenant acme-{lo(4)}', "Tomcat started on port 8080 (http) with context path ''", f'Retrying request attempt={R.randint(1,5)} backoff={R.randint(100,5000)}ms', f'Token refresh scheduled in {R.randint(60,3600)}s', 'Password policy loaded: minLength=12 requireDigit=true'])
    return f"{t} {R.choice(['INFO','WARN','ERROR','DEBUG'])} {R.randint(1,99999)} --- [{R.choice(['nio-8080-exec-'+str(R.randint(1,20)),'main','scheduling-1','kafka-consumer-3'])}] {R.choice(JAVA_PKGS)}.{R.choice(['OrderService','Application','HikariPool'])} : {jm}"

def g_python():
    c = R.random()
    if c < 0.35: return f'  File "/usr/local/lib/python3.{R.randint(8,12)}/site-packages/{R.choice(["django/core/handlers/base.py","sqlalchemy/engine/base.py","requests/adapters.py","urllib3/connectionpool.py","celery/app/trace.py","app/services/orders.py"])}", line {R.randint(10,3000)}, in {R.choice(["_get_response","_execute_context","send","urlopen","trace_task","create_order","verify_token"])}'
    if c < 0.5: return "    " + R.choice(["response = wrapped_callback(request, *callback_args, **callback_kwargs)", "raise ConnectionError(e, request=request)", "return self.dialect.do_execute(cursor, statement, parameters, context)", "self._validate_conn(conn)", "token = self._session.get(\"token\")", "secret = settings.SECRET_KEY_FALLBACKS[0]"])
    if c < 0.55: return "Traceback (most recent call last):"
    if c < 0.75: return R.choice([
        "KeyError: 'user_id'", f"ValueError: invalid literal for int() with base 10: '{lo(6)}'",
        f"requests.exceptions.ConnectionError: HTTPConnectionPool(host='{priv_ip()}', port=8080): Max retries exceeded with url: /api/v1/health (Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f{hx(10)}>: Failed to establish a new connection: [Errno 111] Connection refused'))",
        "sqlalchemy.exc.IntegrityError: (psycopg2.errors.UniqueViolation) duplicate key value violates unique constraint \"users_email_key\"",
        "django.db.utils.OperationalError: could not connect to server: Connection refused",
        f"TimeoutError: [Errno 110] Connection timed out", "AttributeError: 'NoneType' object has no attribute 'token'",
        f"jwt.exceptions.ExpiredSignatureError: Signature has expired",
        f"pydantic_core._pydantic_core.ValidationError: 1 validation error for OrderIn\namount\n  Input should be greater than 0 [type=greater_than, input_value=-5, input_type=int]".split("\n")[0],
    ])
    t = ts_dt().strftime('%Y-%m-%d %H:%M:%S,') + dg(3)
    return f"{t} {R.choice(['INFO','WARNING','ERROR','DEBUG'])} [{R.choice(['celery.worker','django.request','uvicorn.access','app.tasks','gunicorn.error'])}] " + R.choice([
        f"Task app.tasks.send_receipt[{uid()}] succeeded in {R.random()*3:.6f}s: None",
        f"{priv_ip()}:{R.randint(1024,65535)} - \"GET {path()} HTTP/1.1\" {R.choice([200,404,500])}",
        f"Booting worker with pid: {R.randint(10,99999)}", f"Received task: app.tasks.sync_inventory[{uid()}]",
        f"Internal Server Error: /api/v1/orders/{dg(6)}/", f"Using selector: EpollSelector",
        f"Loaded settings module app.settings.production (DEBUG=False, ALLOWED_HOSTS=['.example.com'])",
    ])

def g_go():
    c = R.random()
    if c < 0.3: return f"{R.choice(['main','github.com/example/api/internal/server','net/http','runtime','github.com/jackc/pgx/v5/pgxpool'])}.{R.choice(['(*Server).handle','(*conn).serve','gopark','(*Pool).Acquire','main','handler.func1'])}(0xc{hx(9)}, {{0x{hx(7)}, 0xc{hx(9)}}})"
    if c < 0.5: return f"\t/{R.choice(['app/internal/server/server.go','usr/local/go/src/net/http/server.go','go/pkg/mod/github.com/jackc/pgx/v5@v5.5.1/pgxpool/pool.go'])}:{R.randint(10,3000)} +0x{hx(3)}"
    if c < 0.55: return f"goroutine {R.randint(1,99999)} [{R.choice(['running','select','IO wait','chan receive','semacquire'])}{R.choice(['', ', 2 minutes'])}]:"
    if c < 0.6: return R.choice(["panic: runtime error: invalid memory address or nil pointer dereference", f"[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x{hx(7)}]", "panic: assignment to entry in nil map"])
    t = ts_dt()
    if R.random() < 0.5:
        return f'time="{iso_off()}" level={R.choice(["info","warning","error","debug"])} msg="{R.choice(["request completed","cache miss","retrying","token refreshed","secret synced","starting server","shutting down"])}" ' + ' '.join(R.sample([f"method=GET", f"path={R.choice(PATHS)}", f"status={R.choice([200,404,500])}", f"duration={dur()}", f"request_id={uid()}", f"remote={priv_ip()}:{R.randint(1024,65535)}", f"bytes={R.randint(0,999999)}", f"trace_id={hx(32)}", f"span_id={hx(16)}", f"attempt={R.randint(1,5)}", f"component={R.choice(SVC)}", f"version={semver()}", f"commit={hx(40)}", f"secret_name={R.choice(['db-credentials','tls-cert','registry-pull'])}", f"token_ttl={R.randint(60,3600)}s", f"auth_method={R.choice(['oidc','mtls','publickey'])}", f"user_id={R.randint(1,999999)}"], R.randint(3, 8)))
    return t.strftime('%Y/%m/%d %H:%M:%S') + " " + R.choice([f"http: TLS handshake error from {priv_ip()}:{R.randint(1024,65535)}: EOF", f"listening on :{R.choice([8080,9090,3000])}", f"server.go:{R.randint(10,900)}: accepted conn id={R.randint(1,99999)}", f"http: proxy error: context canceled", f"pgx: conn closed after {dur()}"])

def g_node():
    c = R.random()
    if c < 0.5: return f"    at {R.choice(['Object.<anonymous>','processTicksAndRejections','Module._compile','async Promise.all','Router.handle','Layer.handle [as handle_request]','TLSSocket.onConnectSecure','verifyToken'])} ({R.choice(['/app/src/index.js','node:internal/process/task_queues','/app/node_modules/express/lib/router/index.js','node:_tls_wrap','/app/dist/middleware/auth.js'])}:{R.randint(1,999)}:{R.randint(1,80)})"
    if c < 0.7: return R.choice([
        "TypeError: Cannot read properties of undefined (reading 'token')",
        f"Error: connect ECONNREFUSED {priv_ip()}:5432", "UnhandledPromiseRejectionWarning: Error: Request failed with status code 503",
        f"Error: getaddrinfo ENOTFOUND redis.internal", "SyntaxError: Unexpected token < in JSON at position 0",
        "JsonWebTokenError: invalid signature", "TokenExpiredError: jwt expired",
    ])
    return json.dumps({"level": R.choice([30, 40, 50]), "time": int(epoch_ms()), "pid": R.randint(1, 9999), "hostname": f"{R.choice(SVC)}-{lo(9)}-{lo(5)}",
                       "reqId": f"req-{R.randint(1,9999)}", "req": {"method": "GET", "url": path(), "remoteAddress": priv_ip(), "remotePort": R.randint(1024, 65535)},
                       "res": {"statusCode": R.choice([200, 404])}, "responseTime": R.random()*100, "msg": R.choice(["request completed", "incoming request"])})

def g_k8s():
    c = R.random()
    pod = f"{R.choice(SVC)}-{lo(10)}-{lo(5)}"
    ns = R.choice(["default", "prod", "kube-system", "monitoring", "payments"])
    if c < 0.35:
        return f"{R.randint(1,59)}{R.choice(['s','m','h'])}    {R.choice(['Normal','Warning'])}   " + R.choice([
            f"Scheduled           pod/{pod}   Successfully assigned {ns}/{pod} to ip-10-0-{R.randint(0,255)}-{R.randint(1,254)}.ec2.internal",
            f"Pulling             pod/{pod}   Pulling image \"registry.example.com/{R.choice(SVC)}:{semver()}\"",
            f"Pulled              pod/{pod}   Successfully pulled image \"registry.example.com/{R.choice(SVC)}@sha256:{sha256()}\" in {R.random()*30:.3f}s ({R.random()*40:.3f}s including waiting)",
            f"BackOff             pod/{pod}   Back-off restarting failed container {R.choice(SVC)} in pod {pod}_{ns}({uid()})",
            f"FailedMount         pod/{pod}   MountVolume.SetUp failed for volume \"db-credentials\" : secret \"db-credentials\" not found",
            f"Unhealthy           pod/{pod}   Readiness probe failed: Get \"http://{priv_ip()}:8080/readyz\": dial tcp {priv_ip()}:8080: connect: connection refused",
            f"ScalingReplicaSet   deployment/{R.choice(SVC)}   Scaled up replica set {R.choice(SVC)}-{lo(10)} to {R.randint(1,20)}",
            f"SuccessfulCreate    replicaset/{R.choice(SVC)}-{lo(10)}   Created pod: {pod}",
            f"OOMKilling          node/ip-10-0-{R.randint(0,255)}-{R.randint(1,254)}   Memory cgroup out of memory: Killed process {R.randint(100,99999)} (java) total-vm:{R.randint(10**6,10**7)}kB, anon-rss:{R.randint(10**5,10**6)}kB",
        ])
    if c < 0.7:
        t = ts_dt()
        return f"{R.choice('IWE')}{t.strftime('%m%d %H:%M:%S.%f')}       1 {R.choice(['controller.go','reflector.go','leaderelection.go','event.go','shared_informer.go','round_trippers.go'])}:{R.randint(10,999)}] " + R.choice([
            f"\"Reconciling\" controller=\"deployment\" controllerGroup=\"apps\" controllerKind=\"Deployment\" Deployment=\"{ns}/{R.choice(SVC)}\" namespace=\"{ns}\" name=\"{R.choice(SVC)}\" reconcileID=\"{uid()}\"",
            f"successfully acquired lease kube-system/{R.choice(['kube-controller-manager','cert-manager-controller'])}",
            f"Event(v1.ObjectReference{{Kind:\"Pod\", Namespace:\"{ns}\", Name:\"{pod}\", UID:\"{uid()}\", APIVersion:\"v1\", ResourceVersion:\"{R.randint(10**6,10**8)}\", FieldPath:\"\"}}): type: 'Normal' reason: 'Started' Started container app",
            f"Watch close - *v1.Secret total {R.randint(1,300)} items received",
            f"\"Observed a panic\" panic=\"runtime error\"",
            f"GET https://{priv_ip()}:443/api/v1/namespaces/{ns}/secrets?resourceVersion={R.randint(10**6,10**8)} 200 OK in {R.randint(1,500)} milliseconds",
            f"\"Starting workers\" controller=\"certificate\" worker count={R.randint(1,10)}",
        ])
    return json.dumps({"ts": float(epoch()) + R.random(), "level": R.choice(["info", "error"]), "logger": R.choice(["controller-runtime.metrics", "cert-manager", "external-secrets"]),
                       "msg": R.choice(["Reconciler error", "Starting EventSource", "secret synced", "certificate renewed"]), "controller": R.choice(["externalsecret", "certificate", "ingress"]),
                       "namespace": ns, "name": R.choice(SVC), "reconcileID": uid(), "resourceVersion": str(R.randint(10**6, 10**8)), "generation": R.randint(1, 40)})

def g_postgres():
    t = ts_dt().strftime('%Y-%m-%d %H:%M:%S.') + dg(3) + " UTC"
    pid = R.randint(100, 99999)
    return f"{t} [{pid}] " + R.choice([
        f"LOG:  checkpoint complete: wrote {R.randint(1,99999)} buffers ({R.random()*100:.1f}%); 0 WAL file(s) added, 0 removed, {R.randint(0,9)} recycled; write={R.random()*300:.3f} s, sync={R.random():.3f} s, total={R.random()*300:.3f} s; sync files={R.randint(1,999)}, longest={R.random():.3f} s, average={R.random():.3f} s; distance={R.randint(1,999999)} kB, estimate={R.randint(1,999999)} kB",
        f"LOG:  duration: {R.random()*5000:.3f} ms  statement: SELECT o.id, o.total FROM orders o WHERE o.customer_id = {R.randint(1,999999)} AND o.created_at > '2026-11-01' ORDER BY o.created_at DESC LIMIT 50",
        f"LOG:  connection authorized: user={R.choice(['app','replicator','postgres','metabase'])} database={R.choice(['shop','analytics','postgres'])} application_name={R.choice(['psql','pgbouncer','PostgreSQL JDBC Driver'])} SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)",
        f"LOG:  connection received: host={priv_ip()} port={R.randint(1024,65535)}",
        f"ERROR:  duplicate key value violates unique constraint \"orders_pkey\"",
        f"DETAIL:  Key (id)=({R.randint(1,99999999)}) already exists.",
        f"STATEMENT:  INSERT INTO orders (id, customer_id, total, currency) VALUES ($1, $2, $3, $4)",
        f"FATAL:  password authentication failed for user \"{R.choice(['app','reporting'])}\"",
        f"DETAIL:  Connection matched pg_hba.conf line {R.randint(80,120)}: \"host all all 0.0.0.0/0 scram-sha-256\"",
        f"LOG:  automatic vacuum of table \"shop.public.order_items\": index scans: 1 pages: 0 removed, {R.randint(1,99999)} remain, {R.randint(0,99)} skipped due to pins, 0 skipped frozen tuples: {R.randint(0,9999)} removed, {R.randint(1,999999)} remain",
        f"LOG:  database system is ready to accept connections", f"LOG:  listening on IPv4 address \"0.0.0.0\", port 5432",
        f"WARNING:  there is no transaction in progress", f"LOG:  could not receive data from client: Connection reset by peer",
        f"ERROR:  canceling statement due to statement timeout", f"LOG:  temporary file: path \"base/pgsql_tmp/pgsql_tmp{pid}.{R.randint(0,99)}\", size {R.randint(10**5,10**9)}",
        f"LOG:  process {pid} still waiting for ShareLock on transaction {R.randint(10**5,10**8)} after 1000.{dg(3)} ms",
    ])

def g_mysql():
    t = ts_dt().strftime('%Y-%m-%dT%H:%M:%S.') + dg(6) + "Z"
    c = R.random()
    if c < 0.6:
        return f"{t} {R.randint(0,99999)} [{R.choice(['Note','Warning','ERROR','System'])}] [MY-{R.randint(10000,13999):06d}] [{R.choice(['Server','InnoDB','Repl'])}] " + R.choice([
            f"Aborted connection {R.randint(1,99999)} to db: 'shop' user: 'app' host: '{priv_ip()}' (Got an error reading communication packets).",
            f"Access denied for user 'app'@'{priv_ip()}' (using password: YES)",
            f"/usr/sbin/mysqld: ready for connections. Version: '8.0.35'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.",
            f"InnoDB initialization has ended.", f"Buffer pool(s) load completed at 261129  3:49:50",
            f"Plugin mysqlx reported: 'X Plugin ready for connections. Bind-address: '::' port: 33060, socket: /var/run/mysqld/mysqlx.sock'",
            f"Slave SQL for channel '': Worker 1 failed executing transaction 'ANONYMOUS' at master log mysql-bin.{R.randint(1,999):06d}, end_log_pos {R.randint(1000,10**8)}",
        ])
    if c < 0.8: return f"# Query_time: {R.random()*10:.6f}  Lock_time: {R.random()/1000:.6f} Rows_sent: {R.randint(0,1000)}  Rows_examined: {R.randint(0,10**7)}"
    return R.choice([f"# User@Host: app[app] @  [{priv_ip()}]  Id: {R.randint(1,99999)}", f"SET timestamp={epoch()};", f"SELECT * FROM order_items WHERE order_id IN ({', '.join(str(R.randint(1,999999)) for _ in range(R.randint(2,6)))});", f"# Time: {t}"])

def g_redis():
    t = ts_dt().strftime('%d %b %Y %H:%M:%S.') + dg(3)
    return f"{R.randint(1,999)}:{R.choice('MCSX')} {t} {R.choice('*#-.')} " + R.choice([
        f"Background saving started by pid {R.randint(10,99999)}", "DB saved on disk", f"Fork CoW for RDB: current {R.randint(0,99)} MB, peak {R.randint(0,99)} MB, average {R.randint(0,99)} MB",
        "oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo", f"Redis version=7.2.3, bits=64, commit=00000000, modified=0, pid={R.randint(1,999)}, just started",
        f"{R.randint(1,10000)} changes in {R.choice([60,300,3600])} seconds. Saving...", "Ready to accept connections tcp",
        f"Connecting to MASTER {priv_ip()}:6379", "MASTER <-> REPLICA sync: Finished with success", f"Partial resynchronization request from {priv_ip()}:6379 accepted. Sending {R.randint(0,9999)} bytes of backlog starting from offset {R.randint(10**6,10**9)}.",
        f"Replication ID: {hx(40)}", "WARNING Memory overcommit must be enabled!", f"Server initialized",
    ])

def g_syslog():
    host = R.choice(["web-01", "db-02", "ip-10-0-3-17", "worker-7", "bastion"])
    return f"{sysl()} {host} " + R.choice([
        f"systemd[1]: Started Session {R.randint(1,9999)} of User {R.choice(['ubuntu','deploy','root'])}.",
        f"systemd[1]: {R.choice(SVC)}.service: Main process exited, code=exited, status=1/FAILURE",
        f"systemd[1]: {R.choice(SVC)}.service: Scheduled restart job, restart counter is at {R.randint(1,50)}.",
        f"systemd[1]: Starting Daily apt download activities...", f"systemd-logind[{R.randint(100,999)}]: New session {R.randint(1,9999)} of user deploy.",
        f"kernel: [{R.randint(1,9999999)}.{dg(6)}] eth0: renamed from veth{hx(7)}", f"kernel: [{R.randint(1,9999999)}.{dg(6)}] docker0: port {R.randint(1,9)}(veth{hx(7)}) entered forwarding state",
        f"kernel: [{R.randint(1,9999999)}.{dg(6)}] Out of memory: Killed process {R.randint(100,99999)} (java) total-vm:{R.randint(10**6,10**7)}kB, anon-rss:{R.randint(10**5,10**6)}kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:{R.randint(100,9999)}kB oom_score_adj:0",
        f"kernel: [{R.randint(1,9999999)}.{dg(6)}] [UFW BLOCK] IN=eth0 OUT= MAC={mac()}:{mac()}:08:00 SRC={priv_ip()} DST={priv_ip()} LEN={R.randint(40,1500)} TOS=0x00 PREC=0x00 TTL={R.randint(30,128)} ID={R.randint(0,65535)} DF PROTO=TCP SPT={R.randint(1024,65535)} DPT={R.choice([22,443,3306,5432])} WINDOW={R.randint(1000,65535)} RES=0x00 SYN URGP=0",
        f"sshd[{R.randint(100,99999)}]: Accepted publickey for deploy from {priv_ip()} port {R.randint(1024,65535)} ssh2: ED25519 SHA256:{b64(32).rstrip('=')}",
        f"sshd[{R.randint(100,99999)}]: Failed password for invalid user admin from {priv_ip()} port {R.randint(1024,65535)} ssh2",
        f"sshd[{R.randint(100,99999)}]: pam_unix(sshd:session): session opened for user deploy(uid=1001) by (uid=0)",
        f"sshd[{R.randint(100,99999)}]: Connection closed by authenticating user root {priv_ip()} port {R.randint(1024,65535)} [preauth]",
        f"CRON[{R.randint(100,99999)}]: (root) CMD (/usr/local/bin/backup.sh --target s3://backups-prod/{R.choice(['db','files'])} > /dev/null 2>&1)",
        f"sudo[{R.randint(100,99999)}]:   deploy : TTY=pts/0 ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx",
        f"dhclient[{R.randint(100,999)}]: DHCPACK of {priv_ip()} from {priv_ip()} (xid=0x{hx(8)})",
        f"chronyd[{R.randint(100,999)}]: Selected source {priv_ip()} (ntp.ubuntu.com)", f"containerd[{R.randint(100,999)}]: time=\"{iso_off()}\" level=info msg=\"shim disconnected\" id={hx(64)} namespace=k8s.io",
        f"dockerd[{R.randint(100,999)}]: time=\"{iso_off()}\" level=info msg=\"ignoring event\" container={hx(64)} module=libcontainerd namespace=moby topic=/tasks/delete type=\"*events.TaskDelete\"",
        f"postfix/smtp[{R.randint(100,99999)}]: {HX(10)}: to=<orders@example.com>, relay=none, delay={R.random()*10:.2f}, status=deferred (connect to mail.example.com[{priv_ip()}]:25: Connection timed out)".replace("orders@example.com", "postmaster"),
        f"audit[{R.randint(100,99999)}]: AVC apparmor=\"DENIED\" operation=\"open\" profile=\"snap.lxd\" name=\"/proc/{R.randint(1,9999)}/mountinfo\" pid={R.randint(1,99999)} comm=\"lxd\" requested_mask=\"r\" denied_mask=\"r\" fsuid=0 ouid=0",
    ])

def g_journald_json():
    return json.dumps({"__CURSOR": f"s={hx(32)};i={hx(6)};b={hx(32)};m={hx(8)};t={hx(13)};x={hx(16)}", "__REALTIME_TIMESTAMP": epoch()+dg(6), "__MONOTONIC_TIMESTAMP": str(R.randint(10**8,10**12)),
                       "_BOOT_ID": hx(32), "_MACHINE_ID": hx(32), "_HOSTNAME": "ip-10-0-3-17", "PRIORITY": str(R.randint(0, 7)), "_UID": "0", "_GID": "0",
                       "_SYSTEMD_UNIT": f"{R.choice(SVC)}.service", "_PID": str(R.randint(1, 99999)), "_COMM": R.choice(["node", "java", "python3"]), "SYSLOG_IDENTIFIER": R.choice(SVC),
                       "_CMDLINE": f"/usr/bin/node /srv/app/server.js --port {R.choice([3000,8080])}", "_STREAM_ID": hx(32), "MESSAGE": R.choice(["Listening on port 3000", "GET /healthz 200 1ms", "token cache warmed (412 entries)"])})

def arn(acct):
    return R.choice([f"arn:aws:iam::{acct}:role/{R.choice(['ci-deploy','eks-node','lambda-exec'])}", f"arn:aws:s3:::{R.choice(['backups-prod','assets-cdn','logs-archive'])}/{lo(6)}/{dg(8)}.gz",
                     f"arn:aws:lambda:us-east-1:{acct}:function:{R.choice(SVC)}", f"arn:aws:sts::{acct}:assumed-role/ci-deploy/{R.choice(['gh-actions','i-0'+hx(16)])}",
                     f"arn:aws:kms:eu-west-1:{acct}:key/{uid()}", f"arn:aws:secretsmanager:eu-west-1:{acct}:secret:prod/db-creds-{an(6)}",
                     f"arn:aws:ec2:us-east-1:{acct}:instance/i-0{hx(16)}"])

def g_cloudtrail():
    acct = dg(12)
    ev = R.choice(["GetObject", "PutObject", "AssumeRole", "DescribeInstances", "GetSecretValue", "Decrypt", "CreateLogStream", "ListBuckets", "RunInstances"])
    d = {"eventVersion": "1.09", "userIdentity": {"type": "AssumedRole", "principalId": f"AROA{R.choice(string.ascii_uppercase)}{''.join(R.choice(string.ascii_uppercase+'234567') for _ in range(16))}:{R.choice(['gh-actions','i-0'+hx(16)])}",
            "arn": f"arn:aws:sts::{acct}:assumed-role/ci-deploy/gh-actions", "accountId": acct,
            "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": "AROA" + ''.join(R.choice(string.ascii_uppercase+'234567') for _ in range(17)), "arn": f"arn:aws:iam::{acct}:role/ci-deploy", "accountId": acct, "userName": "ci-deploy"},
                               "attributes": {"creationDate": iso_off(), "mfaAuthenticated": "false"}}},
         "eventTime": iso_off(), "eventSource": R.choice(["s3.amazonaws.com", "sts.amazonaws.com", "ec2.amazonaws.com", "secretsmanager.amazonaws.com", "kms.amazonaws.com"]),
         "eventName": ev, "awsRegion": R.choice(["us-east-1", "eu-west-1", "ap-southeast-2"]), "sourceIPAddress": R.choice([priv_ip(), "ec2.amazonaws.com", "AWS Internal"]),
         "userAgent": R.choice(["aws-cli/2.13.0 Python/3.11.4 Linux/5.15.0-1051-aws exe/x86_64.ubuntu.22 prompt/off command/s3.cp", "aws-sdk-go-v2/1.24.0 os/linux lang/go#1.21.5", "Boto3/1.34.2 md/Botocore#1.34.2 ua/2.0 os/linux#5.10.0 md/arch#x86_64 lang/python#3.11.6"]),
         "requestParameters": R.choice([{"bucketName": "backups-prod", "key": f"db/{dg(8)}.sql.gz", "Host": "backups-prod.s3.us-east-1.amazonaws.com"}, {"secretId": f"arn:aws:secretsmanager:eu-west-1:{acct}:secret:prod/db-creds-{an(6)}"}, {"roleArn": f"arn:aws:iam::{acct}:role/ci-deploy", "roleSessionName": "gh-actions", "durationSeconds": 3600}, {"instancesSet": {"items": [{"instanceId": "i-0" + hx(16)}]}}, None]),
         "responseElements": None, "requestID": R.choice([uid(), HX(16)]), "eventID": uid(), "readOnly": R.random() < 0.5,
         "resources": [{"accountId": acct, "type": "AWS::S3::Object", "ARN": arn(acct)}], "eventType": "AwsApiCall", "managementEvent": R.random() < 0.5,
         "recipientAccountId": acct, "sharedEventID": uid(), "vpcEndpointId": "vpce-0" + hx(16), "eventCategory": "Data",
         "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256", "clientProvidedHostHeader": "sts.us-east-1.amazonaws.com"}}
    return json.dumps(d)

def g_gcp_audit():
    proj = R.choice(["acme-prod-123456", "shop-staging", "data-platform-4711"])
    d = {"protoPayload": {"@type": "type.googleapis.com/google.cloud.audit.AuditLog", "status": {}, "authenticationInfo": {"principalSubject": f"serviceAccount:deployer"},
                          "requestMetadata": {"callerIp": priv_ip(), "callerSuppliedUserAgent": "google-cloud-sdk gcloud/456.0.0 command/gcloud.compute.instances.list invocation-id/" + hx(32) + " environment/None environment-version/None client-os/LINUX client-os-ver/5.15.0 client-pltf-arch/x86_64 interactive/False from-script/True python/3.11.6 term/ (Linux 5.15.0)",
                                              "requestAttributes": {"time": iso(), "auth": {}}, "destinationAttributes": {}},
                          "serviceName": R.choice(["compute.googleapis.com", "storage.googleapis.com", "iam.googleapis.com", "secretmanager.googleapis.com"]),
                          "methodName": R.choice(["v1.compute.instances.insert", "storage.objects.get", "google.iam.admin.v1.CreateServiceAccountKey", "google.cloud.secretmanager.v1.SecretManagerService.AccessSecretVersion"]),
                          "authorizationInfo": [{"resource": f"projects/{proj}/secrets/db-password/versions/{R.randint(1,9)}", "permission": "secretmanager.versions.access", "granted": True, "resourceAttributes": {}}],
                          "resourceName": f"projects/{proj}/zones/us-central1-a/instances/vm-{lo(5)}", "request": {"@type": "type.googleapis.com/compute.instances.insert", "name": f"vm-{lo(5)}"},
                          "response": {"id": dg(19), "name": f"operation-{epoch_ms()}-{hx(13)}-{hx(8)}-{hx(8)}", "status": "RUNNING", "selfLinkWithId": f"https://www.googleapis.com/compute/v1/projects/{proj}/zones/us-central1-a/operations/{dg(19)}"}},
         "insertId": lo(12), "resource": {"type": "gce_instance", "labels": {"instance_id": dg(19), "project_id": proj, "zone": "us-central1-a"}},
         "timestamp": iso(), "severity": R.choice(["NOTICE", "INFO", "ERROR"]), "logName": f"projects/{proj}/logs/cloudaudit.googleapis.com%2Factivity",
         "operation": {"id": f"operation-{epoch_ms()}-{hx(13)}-{hx(8)}-{hx(8)}", "producer": "compute.googleapis.com", "first": True}, "receiveTimestamp": iso()}
    return json.dumps(d)

def g_ci():
    c = R.randint(0, 11)
    pk = R.choice(["lodash", "express", "react", "typescript", "@types/node", "webpack", "eslint", "jest", "axios", "tokenizer-lite", "passport-jwt", "jsonwebtoken", "dotenv"])
    if c == 0: return R.choice([f"added {R.randint(1,2000)} packages, and audited {R.randint(1,2000)} packages in {R.randint(1,90)}s", f"npm WARN deprecated {pk}@{semver()}: This module is not supported, and leaks memory.", f"npm notice New minor version of npm available! {semver()} -> {semver()}", f"{R.randint(1,200)} packages are looking for funding", f"found 0 vulnerabilities", f"npm ERR! code ERESOLVE", f"npm ERR! ERESOLVE unable to resolve dependency tree", f"npm ERR! Found: {pk}@{semver()}", f"npm http fetch GET 200 https://registry.npmjs.org/{pk} {R.randint(1,900)}ms (cache revalidated)"])
    if c == 1: return f'      "integrity": "sha512-{b64(64)}",' if R.random() < 0.5 else f'{pk}@^{semver()}:\n  version "{semver()}"\n  resolved "https://registry.yarnpkg.com/{pk}/-/{pk}-{semver()}.tgz#{hx(40)}"\n  integrity sha512-{b64(64)}'.split("\n")[R.randint(0,3)]
    if c == 2: return R.choice([f"   Compiling {R.choice(['serde','tokio','regex-automata','hyper','ring','rustls'])} v{semver()}", f"  Downloaded {R.choice(['serde','tokio','aho-corasick'])} v{semver()}", f"    Finished `release` profile [optimized] target(s) in {R.randint(1,5)}m {R.randint(0,59)}s", f"     Running unittests src/lib.rs (target/debug/deps/logscrub_engine-{hx(16)})", f"test rules::tests::token_{lo(6)} ... ok", f"test result: ok. {R.randint(1,500)} passed; 0 failed; {R.randint(0,5)} ignored; 0 measured; 0 filtered out; finished in {R.random()*10:.2f}s", f"warning: unused variable: `token`", f"   --> src/auth.rs:{R.randint(1,500)}:{R.randint(1,40)}"])
    if c == 3: return R.choice([f"[INFO] Downloading from central: https://repo.maven.apache.org/maven2/org/springframework/spring-core/{semver()}/spring-core-{semver()}.pom", f"[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/com/fasterxml/jackson/core/jackson-databind/2.16.0/jackson-databind-2.16.0.jar ({R.randint(1,2000)} kB at {R.random()*10:.1f} MB/s)", "[INFO] BUILD SUCCESS", f"[INFO] Total time:  {R.randint(0,9):02d}:{R.randint(0,59):02d} min", f"[INFO] Finished at: {iso_off()}", f"[INFO] Tests run: {R.randint(1,500)}, Failures: 0, Errors: 0, Skipped: {R.randint(0,5)}, Time elapsed: {R.random()*60:.3f} s - in com.example.orders.OrderServiceTest", f"[INFO] --- maven-surefire-plugin:3.2.2:test (default-test) @ orders-service ---", f"[INFO] Building orders-service 1.4.{R.randint(0,99)}-SNAPSHOT", "[INFO] ------------------------------------------------------------------------"])
    if c == 4: return R.choice([f"Collecting requests=={semver()}", f"  Downloading requests-{semver()}-py3-none-any.whl ({R.randint(10,999)} kB)", f"Successfully installed certifi-2023.11.17 charset-normalizer-3.3.2 idna-3.6 requests-2.31.0 urllib3-2.1.0", f"  Created wheel for pyyaml: filename=PyYAML-6.0.1-cp311-cp311-linux_x86_64.whl size={R.randint(10**5,10**6)} sha256={sha256()}", f"  Stored in directory: /root/.cache/pip/wheels/{hx(2)}/{hx(2)}/{hx(60)}", f"Requirement already satisfied: pip in /usr/local/lib/python3.11/site-packages ({semver()})", f"     ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━ {R.random()*10:.1f}/{R.random()*10:.1f} MB {R.random()*50:.1f} MB/s eta 0:00:00"])
    if c == 5: return R.choice([f"#{R.randint(1,30)} sha256:{sha256()} {R.random()*100:.2f}MB / {R.random()*100:.2f}MB {R.random()*10:.1f}s", f"#{R.randint(1,30)} [{R.randint(1,5)}/{R.randint(5,9)}] RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl", f"Step {R.randint(1,12)}/12 : COPY . /app", f" ---> Running in {hx(12)}", f" ---> {hx(12)}", f"Successfully built {hx(12)}", f"{R.choice(SVC)}: digest: sha256:{sha256()} size: {R.randint(500,5000)}", f"#{R.randint(1,30)} writing image sha256:{sha256()} done", f"#{R.randint(1,30)} naming to registry.example.com/{R.choice(SVC)}:{semver()} done", f"{hx(12)}: Pushed", f"{hx(12)}: Layer already exists"])
    if c == 6: return R.choice(["##[group]Run actions/checkout@v4", f"Download action repository 'actions/checkout@v4' (SHA:{hx(40)})", f"Download action repository 'actions/setup-node@v4' (SHA:{hx(40)})", "##[endgroup]", f"  node-version: {R.randint(16,22)}", f"Syncing repository: example/{R.choice(SVC)}", f"[command]/usr/bin/git -c protocol.version=2 fetch --no-tags --prune --no-recurse-submodules --depth=1 origin +{hx(40)}:refs/remotes/origin/main", f"Post job cleanup.", f"  GITHUB_TOKEN: ***", "  token: ***", f"##[warning]Node.js 16 actions are deprecated.", f"Cache restored from key: Linux-node-{hx(64)}", f"Cache saved with key: Linux-cargo-{hx(64)}", f"Received {R.randint(10**6,10**9)} of {R.randint(10**6,10**9)} ({R.random()*100:.1f}%), {R.random()*100:.1f} MBs/sec"])
    if c == 7: return R.choice([f"go: downloading github.com/{R.choice(['stretchr/testify','jackc/pgx/v5','golang-jwt/jwt/v5','spf13/cobra'])} v{semver()}", f"ok  \tgithub.com/example/api/internal/{R.choice(['auth','orders','tokens'])}\t{R.random()*5:.3f}s\tcoverage: {R.random()*100:.1f}% of statements", f"--- PASS: TestTokenRefresh/{lo(6)} ({R.random():.2f}s)", f"=== RUN   TestPasswordHash"])
    if c == 8: return f"Gradle {semver()}" if R.random() < 0.1 else R.choice([f"> Task :app:compileJava UP-TO-DATE", f"BUILD SUCCESSFUL in {R.randint(1,300)}s", f"{R.randint(1,50)} actionable tasks: {R.randint(1,50)} executed", f"Download https://plugins.gradle.org/m2/com/diffplug/spotless/spotless-plugin-gradle/6.23.3/spotless-plugin-gradle-6.23.3.pom"])
    if c == 9: return R.choice([f"Running on agent ci-agent-{R.randint(1,40)} in /var/lib/jenkins/workspace/{R.choice(SVC)}_main", f"[Pipeline] sh", f"+ docker push registry.example.com/{R.choice(SVC)}:{hx(7)}", f"Finished: SUCCESS", f"Checking out Revision {hx(40)} (refs/remotes/origin/main)", f"Commit message: \"Merge pull request #{R.randint(1,9999)} from example/fix-token-refresh\"", f" > git rev-list --no-walk {hx(40)} # timeout=10", "Masking supported pattern matches of $REGISTRY_PASSWORD"])
    if c == 10: return R.choice([f"$ bundle install --jobs 4 --retry 3", f"Fetching rake {semver()}", f"Installing nokogiri {semver()} (x86_64-linux)", f"Bundle complete! {R.randint(10,200)} Gemfile dependencies, {R.randint(10,400)} gems now installed.", f"Using rails {semver()}", f"composer: - Installing symfony/http-kernel (v{semver()}): Extracting archive"])
    return R.choice([f"helm upgrade --install {R.choice(SVC)} ./chart --namespace prod --set image.tag={hx(7)} --wait --timeout 10m0s", f"Release \"{R.choice(SVC)}\" has been upgraded. Happy Helming!", f"REVISION: {R.randint(1,300)}", f"deployment.apps/{R.choice(SVC)} configured", f"secret/{R.choice(SVC)}-env unchanged", f"Waiting for deployment \"{R.choice(SVC)}\" rollout to finish: {R.randint(0,5)} of {R.randint(5,10)} updated replicas are available..."])

def g_prom():
    c = R.random()
    if c < 0.1: return f"# HELP {R.choice(['http_requests_total','process_cpu_seconds_total','go_memstats_alloc_bytes'])} {R.choice(['Total number of HTTP requests.','Total user and system CPU time spent in seconds.','Number of bytes allocated and still in use.'])}"
    if c < 0.15: return f"# TYPE {R.choice(['http_requests_total','http_request_duration_seconds'])} {R.choice(['counter','histogram','gauge'])}"
    if c < 0.7:
        m = R.choice(["http_requests_total", "http_request_duration_seconds_bucket", "process_resident_memory_bytes", "go_memstats_alloc_bytes", "kube_pod_container_status_restarts_total", "node_network_receive_bytes_total", "grpc_server_handled_total", "auth_token_validations_total", "process_start_time_seconds"])
        labels = {"method": R.choice(["GET", "POST"]), "code": str(R.choice([200, 404, 500])), "handler": R.choice(PATHS), "le": R.choice(["0.005", "0.01", "0.025", "0.1", "0.5", "1", "2.5", "+Inf"]),
                  "namespace": "prod", "pod": f"{R.choice(SVC)}-{lo(10)}-{lo(5)}", "instance": f"{priv_ip()}:9100", "device": R.choice(["eth0", "lo", "ens5"]), "grpc_method": "GetOrder", "grpc_code": "OK", "job": "kubernetes-pods", "result": R.choice(["valid", "expired"])}
        ks = R.sample(list(labels), R.randint(1, 4))
        v = R.choice([str(R.randint(0, 10**9)), f"{R.random()*1e9:.7e}", f"{R.random()*100:.6f}", "1.764388190e+09"])
        lab = ','.join(k + '="' + labels[k] + '"' for k in ks)
        return f"{m}{{{lab}}} {v}" + (f" {epoch_ms()}" if R.random() < 0.3 else "")
    return json.dumps({"resourceSpans": [{"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": R.choice(SVC)}}, {"key": "service.version", "value": {"stringValue": semver()}}, {"key": "host.id", "value": {"stringValue": "i-0" + hx(16)}}]},
                       "scopeSpans": [{"spans": [{"traceId": hx(32), "spanId": hx(16), "parentSpanId": hx(16), "name": R.choice(["GET /api/v1/orders", "SELECT shop.orders", "redis GET"]), "kind": R.randint(1, 5), "startTimeUnixNano": epoch()+dg(9), "endTimeUnixNano": epoch()+dg(9),
                                                  "attributes": [{"key": "http.status_code", "value": {"intValue": str(R.choice([200, 404]))}}, {"key": "net.peer.ip", "value": {"stringValue": priv_ip()}}, {"key": "db.statement", "value": {"stringValue": "SELECT * FROM orders WHERE id = ?"}}]}]}]}]})

def g_git():
    return R.choice([f"commit {hx(40)}{R.choice(['', ' (HEAD -> main, origin/main, origin/HEAD)', ' (tag: v'+semver()+')'])}", f"Date:   {ts_dt().strftime('%a %b %d %H:%M:%S %Y')} +0000", f"Merge: {hx(7)} {hx(7)}", f" {R.randint(1,99)} files changed, {R.randint(0,999)} insertions(+), {R.randint(0,999)} deletions(-)",
                     "From github.com:example/api", f"   {hx(7)}..{hx(7)}  main       -> origin/main", f"index {hx(7)}..{hx(7)} 100644", f"@@ -{R.randint(1,900)},{R.randint(1,20)} +{R.randint(1,900)},{R.randint(1,20)} @@ func (s *Server) refreshToken(ctx context.Context) error {{",
                     f"diff --git a/internal/auth/token.go b/internal/auth/token.go", f"Switched to a new branch 'feature/ORD-{R.randint(100,9999)}-retry-payments'", f"HEAD is now at {hx(7)} Fix token refresh race (#{R.randint(100,9999)})",
                     f"Cloning into '{R.choice(SVC)}'...", f"remote: Enumerating objects: {R.randint(100,99999)}, done.", f"Receiving objects: 100% ({R.randint(100,99999)}/{R.randint(100,99999)}), {R.random()*100:.2f} MiB | {R.random()*50:.2f} MiB/s, done.",
                     f"Resolving deltas: 100% ({R.randint(100,9999)}/{R.randint(100,9999)}), done.", f"{hx(7)} {R.choice(['fix: handle expired token','chore(deps): bump lodash from 4.17.20 to 4.17.21','feat: add password strength meter','docs: update README'])}",
                     f"Already up to date.", f"To github.com:example/{R.choice(SVC)}.git", f" * [new branch]      feature/{lo(8)} -> feature/{lo(8)}", f"Fast-forward", f"Signed-off-by: CI Bot"])

def g_tf():
    return R.choice([f"  # aws_instance.{lo(5)} will be created", f"  + resource \"aws_instance\" \"web\" {{", f"      + ami                          = \"ami-0{hx(16)}\"", f"      + arn                          = (known after apply)", f"      + id                           = \"i-0{hx(16)}\"",
                     f"aws_security_group.{lo(5)}: Refreshing state... [id=sg-0{hx(16)}]", f"Plan: {R.randint(0,30)} to add, {R.randint(0,30)} to change, {R.randint(0,30)} to destroy.", f"      ~ tags                         = {{", f"          ~ \"Version\" = \"{semver()}\" -> \"{semver()}\"",
                     f"module.vpc.aws_subnet.private[{R.randint(0,5)}]: Creation complete after {R.randint(1,60)}s [id=subnet-0{hx(16)}]", f"      + password                     = (sensitive value)", f"      + master_password              = (sensitive value)", f"      + cidr_block                   = \"10.{R.randint(0,255)}.0.0/16\"",
                     f"aws_db_instance.main: Modifications complete after {R.randint(1,600)}s [id=db-{HX(26)}]", f"      + kms_key_id                   = \"arn:aws:kms:eu-west-1:{dg(12)}:key/{uid()}\"", f"aws_iam_role.ci: Still creating... [{R.randint(10,60)}s elapsed]",
                     f"google_compute_instance.vm: Refreshing state... [id=projects/acme-prod/zones/us-central1-a/instances/vm-{lo(4)}]", f"azurerm_resource_group.rg: Refreshing state... [id=/subscriptions/{uid()}/resourceGroups/rg-prod]",
                     f"Apply complete! Resources: {R.randint(0,30)} added, {R.randint(0,30)} changed, {R.randint(0,30)} destroyed.", f"      + secret_string                = (sensitive value)", f"      + token                        = (sensitive value)", f"          + access_key    = (known after apply)",
                     f"  ~ update in-place", f"╷", f"│ Error: creating EC2 Instance: operation error EC2: RunInstances, https response error StatusCode: 400, RequestID: {uid()}, api error InvalidParameterValue"])

def g_api_json():
    d = {"ts": iso(), "level": R.choice(["info", "debug", "warn"]), "service": R.choice(SVC), "trace_id": hx(32), "span_id": hx(16), "request_id": uid(),
         "msg": R.choice(["order created", "payment authorized", "shipment dispatched", "inventory reserved", "cache refreshed", "token validated", "webhook delivered", "price recalculated"])}
    extra = {"order_id": R.choice([f"ORD-{dg(4)}-{dg(6)}", dg(9), f"{dg(3)}-{dg(7)}-{dg(7)}", f"PO-{dg(8)}-{dg(5)}"]), "amount": money(), "amount_cents": R.randint(0, 10**7),
             "currency": R.choice(["EUR", "USD", "GBP", "JPY"]), "lat": round(R.uniform(-90, 90), 6), "lon": round(R.uniform(-180, 180), 6),
             "geo": f"{R.uniform(-90,90):.4f},{R.uniform(-180,180):.4f}", "sku": f"SKU-{dg(5)}-{R.choice(['S','M','L','XL'])}", "rack": f"r{R.randint(1,99)}", "version": semver(), "duration_ms": round(R.random()*1000, 2),
             "port": R.choice([80, 443, 8080, 5432, 6379]), "host": priv_ip(), "digest": f"sha256:{sha256()}", "etag": f"W/\"{hx(32)}\"", "cursor": b64u(R.randint(10, 40)),
             "next_page_token": b64u(24), "tracking_number": R.choice([f"1Z{HX(6)}{dg(10)}", dg(12), f"JD{dg(16)}"]), "invoice": f"INV-{dg(4)}-{dg(4)}", "build": f"{semver()}+{dg(14)}",
             "checksum": hx(40), "file_md5": hx(32), "blob": b64(R.randint(8, 48)), "ipv6": priv_ip6(), "customer_id": f"cus_{an(14)}", "payment_intent": f"pi_{an(24)}", "charge": f"ch_{an(24)}",
             "idempotency_key": uid(), "http.status_code": R.choice([200, 201, 404]), "user_agent": R.choice(UAS), "retry_after": R.randint(1, 120), "quantity": R.randint(1, 40), "weight_kg": round(R.random()*40, 3),
             "timezone": R.choice(["Europe/Berlin", "America/New_York", "UTC+05:30"]), "locale": R.choice(["en-GB", "de-DE", "fr-FR"]), "country": R.choice(["DE", "GB", "FR", "US"]),
             "postal_code": R.choice([dg(5), "SW1A 1AA", "75008", "10115"]), "reference": f"REF{dg(10)}", "batch_id": f"{dg(4)}-{dg(2)}-{dg(2)}-{dg(6)}", "epoch": int(epoch()), "epoch_ns": int(epoch()+dg(9)),
             "snowflake": int("1" + dg(18)), "sequence": R.randint(1, 10**12), "kafka_offset": R.randint(10**6, 10**12), "partition": R.randint(0, 63), "node_id": f"node-{R.randint(1,64)}",
             "token_type": "Bearer", "expires_in": 3600, "scope": "read:orders write:orders", "auth_method": "client_credentials", "token_expires_at": iso(), "password_changed_at": iso(), "secret_version": R.randint(1, 20),
             "has_password": True, "mfa_enabled": R.random() < 0.5, "session_timeout": 1800, "api_key_id": f"key_{lo(10)}", "public_key_fingerprint": f"SHA256:{b64(32).rstrip('=')}", "jwks_kid": hx(16),
             "cursor_jwtish": f"{b64u(9)}.{b64u(15)}.{b64u(8)}", "state": R.choice(["PENDING", "SETTLED"]), "bin": dg(6), "last4": dg(4), "card_brand": "visa", "exp_month": R.randint(1, 12)}
    for k in R.sample(list(extra), R.randint(3, 10)):
        d[k] = extra[k]
    return json.dumps(d)

def g_logfmt():
    kv = [f"ts={iso()}", f"level={R.choice(['info','warn','error','debug'])}", f"caller={R.choice(['server.go','handler.go','worker.go'])}:{R.randint(10,900)}", f"msg=\"{R.choice(['request served','job finished','token cache hit','rotated secret reference','password policy check passed'])}\""]
    kv += R.sample([f"method={R.choice(['GET','POST'])}", f"path={R.choice(PATHS)}", f"status={R.choice([200,201,404,500])}", f"dur={dur()}", f"bytes={R.randint(0,10**6)}", f"trace_id={hx(32)}",
                    f"order={dg(R.randint(6,12))}", f"amount={money()}", f"ip={priv_ip()}", f"port={R.randint(1,65535)}", f"sha={hx(40)}", f"uuid={uid()}", f"tokens_in={R.randint(1,9999)}", f"tokens_out={R.randint(1,9999)}",
                    f"token_count={R.randint(1,9999)}", f"auth=ok", f"auth_type=mtls", f"session_count={R.randint(0,999)}", f"secret_ref=vault/{R.choice(SVC)}", f"pass_rate={R.random():.3f}", f"passes={R.randint(1,9)}",
                    f"keyid={hx(16)}", f"kid={hx(8)}", f"pin_count={R.randint(0,9)}", f"pinned=true", f"tel_endpoint=otel-collector:4317", f"cache_key=orders:{dg(7)}", f"partition_key={uid()}",
                    f"lat={R.uniform(-90,90):.5f}", f"lng={R.uniform(-180,180):.5f}", f"version={semver()}", f"go_version=go1.21.{R.randint(0,9)}", f"pid={R.randint(1,99999)}", f"goroutines={R.randint(1,9999)}",
                    f"heap_alloc={R.randint(10**6,10**9)}", f"gc_pause={dur()}", f"offset={R.randint(0,10**10)}", f"lag={R.randint(0,9999)}", f"batch={R.randint(1,9999)}", f"shard={R.randint(0,31)}/{R.randint(32,64)}",
                    f"elapsed={R.randint(0,23):02d}:{R.randint(0,59):02d}:{R.randint(0,59):02d}", f"window=\"{R.randint(0,23):02d}:00-{R.randint(0,23):02d}:00\"", f"retry_in={R.randint(1,60)}s"], R.randint(3, 9))
    return " ".join(kv)

def g_haproxy_envoy():
    if R.random() < 0.5:
        return f"{sysl()} lb-01 haproxy[{R.randint(100,9999)}]: {priv_ip()}:{R.randint(1024,65535)} [{ts_dt().strftime('%d/%b/%Y:%H:%M:%S.')}{dg(3)}] {R.choice(['https-in~','http-in'])} {R.choice(['api_back','web_back'])}/{R.choice(['api1','api2','web3'])} {R.randint(0,20)}/{R.randint(0,5)}/{R.randint(0,50)}/{R.randint(0,900)}/{R.randint(0,999)} {R.choice([200,404,503])} {R.randint(0,99999)} - - ---- {R.randint(0,999)}/{R.randint(0,999)}/{R.randint(0,99)}/{R.randint(0,9)}/0 0/0 \"GET {path()} HTTP/1.1\""
    return f"[{iso()}] \"{R.choice(['GET','POST'])} {path()} HTTP/2\" {R.choice([200,404,503])} - via_upstream - \"-\" {R.randint(0,9999)} {R.randint(0,99999)} {R.randint(0,999)} {R.randint(0,999)} \"{priv_ip()}\" \"{R.choice(UAS)}\" \"{uid()}\" \"{R.choice(HOSTS)}\" \"{priv_ip()}:8080\" outbound|8080||{R.choice(SVC)}.prod.svc.cluster.local {priv_ip()}:{R.randint(1024,65535)} {priv_ip()}:8080 {priv_ip()}:{R.randint(1024,65535)} - default"

def g_alb():
    return f"{R.choice(['https','h2','http'])} {iso()} app/prod-alb/{hx(16)} {priv_ip()}:{R.randint(1024,65535)} {priv_ip()}:{R.choice([80,8080])} {R.random():.3f} {R.random():.3f} {R.random():.3f} {R.choice([200,404,502])} {R.choice([200,404,502])} {R.randint(0,9999)} {R.randint(0,99999)} \"GET https://{R.choice(HOSTS)}:443{path()} HTTP/1.1\" \"{R.choice(UAS)}\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:{dg(12)}:targetgroup/prod-tg/{hx(16)} \"Root=1-{hx(8)}-{hx(24)}\" \"{R.choice(HOSTS)}\" \"arn:aws:acm:us-east-1:{dg(12)}:certificate/{uid()}\" 0 {iso()} \"forward\" \"-\" \"-\" \"{priv_ip()}:8080\" \"200\" \"-\" \"-\""

def g_misc():
    return R.choice([
        f"{iso()} INFO [{R.choice(SVC)}] processed {R.randint(1,9999)} events in {dur()} (rate {R.random()*10000:.1f}/s)",
        f"{iso()} WARN slow query {R.random()*10:.3f}s: SELECT id FROM sessions WHERE expires_at < now() LIMIT 1000",
        f"{iso()} INFO scheduled job cleanup-expired-tokens next_run={iso()}",
        f"{iso()} INFO rotating secret reference vault://kv/{R.choice(SVC)}/db version={R.randint(1,40)}",
        f"{iso()} INFO password reset requested for user_id={R.randint(1,10**6)}",
        f"{iso()} DEBUG auth: token introspection ok client_id={R.choice(SVC)} exp={epoch()} scope=\"read write\"",
        f"{iso()} INFO uploaded s3://backups-prod/db/{ts_dt().strftime('%Y/%m/%d')}/dump-{epoch()}.sql.gz size={R.randint(10**6,10**10)} etag={hx(32)}-{R.randint(1,99)}",
        f"{iso()} INFO kafka consumer group=orders-v1 partition={R.randint(0,63)} offset={R.randint(10**6,10**12)} lag={R.randint(0,9999)}",
        f"{iso()} INFO GC pause {R.random()*100:.2f}ms heap {R.randint(100,9000)}MB -> {R.randint(100,9000)}MB",
        f"{iso()} INFO certificate CN={R.choice(HOSTS)} serial={':'.join(hx(2) for _ in range(16))} not_after=2027-02-27T00:00:00Z",
        f"{iso()} INFO ssh host key fingerprint SHA256:{b64(32).rstrip('=')} (ED25519)",
        f"{iso()} INFO device sw{R.randint(1,48)}-{lo(6)} joined vlan {R.randint(1,4094)} on port Gi1/0/{R.randint(1,48)}",
        f"{iso()} INFO geo lookup lat={R.uniform(-90,90):.6f} lon={R.uniform(-180,180):.6f} accuracy={R.randint(1,5000)}m",
        f"{iso()} INFO payment captured amount={money()} {R.choice(['EUR','USD'])} fee={money()} net={money()} ref=pi_{an(24)}",
        f"{iso()} INFO shipment {R.choice(['DHL','UPS','FedEx'])} tracking={R.choice([dg(10), '1Z'+HX(16), dg(12)])} weight={R.random()*30:.2f}kg",
        f"{iso()} INFO order ORD-{dg(8)} total={money()} items={R.randint(1,30)} warehouse=WH-{R.randint(1,40):02d}",
        f"{iso()} DEBUG redis GET orders:{dg(8)} hit=true ttl={R.randint(1,86400)}s",
        f"{iso()} INFO feature flag new-checkout rollout={R.randint(0,100)}% variant={R.choice(['control','treatment'])}",
        f"{iso()} INFO build {semver()}+{hx(7)} commit={hx(40)} go={R.choice(['go1.21.5','go1.22.0'])}",
        f"{iso()} INFO tls handshake ok version=TLS1.3 cipher=TLS_AES_128_GCM_SHA256 peer={priv_ip()}:{R.randint(1024,65535)}",
        f"{iso()} INFO windows event 4624 logon type 3 account=SVC-BACKUP$ domain=CORP workstation=WS-{R.randint(100,999)} logon_id=0x{hx(6)}",
        f"{iso()} INFO user agent {R.choice(UAS)}",
        f"{iso()} INFO region=eu-west-1 az=eu-west-1{R.choice('abc')} instance=i-0{hx(16)} type=m5.xlarge ami=ami-0{hx(16)} vpc=vpc-0{hx(16)}",
        f"{iso()} INFO range 2026-11-01..2026-11-29 rows={R.randint(1,10**7)} checksum={hx(16)}",
        f"{iso()} INFO request took {R.randint(0,23):02d}:{R.randint(0,59):02d}:{R.randint(0,59):02d}.{dg(3)} (timeout 00:05:00)",
        f"{iso()} INFO customer {R.randint(1,10**6)} balance={money()} credit_limit={R.randint(100,100000)} score={R.randint(300,850)}",
        f"{iso()} INFO docker image registry.example.com/{R.choice(SVC)}@sha256:{sha256()} pulled",
        f"{iso()} INFO sent {R.randint(1,999)} notifications via sns topic arn:aws:sns:us-east-1:{dg(12)}:{R.choice(SVC)}-events",
        f"{iso()} INFO inventory sku=SKU-{dg(6)} ean={dg(13)} upc={dg(12)} isbn=978-{dg(1)}-{dg(3)}-{dg(5)}-{dg(1)} qty={R.randint(0,999)}",
        f"{iso()} INFO phone verification step skipped for tenant {lo(6)} (feature disabled)",
        f"{iso()} INFO sms gateway queue depth {R.randint(0,9999)} processed {R.randint(0,99999)} in {R.randint(100,99999)} ms",
        f"{iso()} INFO mobile app version {semver()} build {R.randint(1000,99999)} active users {R.randint(1,99999)}",
        f"{iso()} INFO fax module disabled, {R.randint(0,9999)} jobs pending",
        f"{iso()} INFO telemetry batch {epoch_ms()} flushed {R.randint(1,9999)} spans",
        f"{iso()} INFO call duration {R.randint(0,59):02d}:{R.randint(0,59):02d} queue={R.choice(['billing','support'])} agent_id={R.randint(1,999)}",
        f"{iso()} DEBUG ssn lookup skipped, feature flag kyc_v2 off",
        f"{iso()} INFO ticket JIRA-{R.randint(100,99999)} moved to Done by automation",
        f"{iso()} INFO bank transfer batch SEPA-{dg(8)} items={R.randint(1,999)} total={money()} EUR",
        f"{iso()} INFO otp sent via sms, attempts_left={R.randint(0,5)}, code_length=6",
        f"{iso()} INFO verification code expired after {R.randint(1,30)} minutes",
        f"{iso()} INFO security code check passed for device {hx(16)}",
        f"{iso()} INFO pin reset flow started for card ending {dg(4)}",
    ])


def g_windows():
    return R.choice([
        f"{ts_dt().strftime('%m/%d/%Y %I:%M:%S %p')} Information Microsoft-Windows-Security-Auditing 4624 Logon An account was successfully logged on. Subject: Security ID: S-1-5-18 Account Name: WS-{R.randint(100,999)}$ Account Domain: CORP Logon ID: 0x{hx(3)} Logon Type: 3 New Logon: Security ID: S-1-5-21-{dg(10)}-{dg(10)}-{dg(10)}-{R.randint(1000,9999)} Logon GUID: {{{uid()}}} Process ID: 0x{hx(3)} Source Network Address: {priv_ip()} Source Port: {R.randint(1024,65535)} Authentication Package: Kerberos Key Length: 0",
        f"Log Name: System Source: Service Control Manager Date: {iso_off()} Event ID: 7036 Task Category: None Level: Information Keywords: Classic User: N/A Computer: SRV-APP-{R.randint(1,40):02d}.corp.example.com Description: The Windows Update service entered the running state.",
        f"EventID=4625 TimeCreated={iso_off()} Computer=DC01.corp.example.com TargetUserSid=S-1-0-0 TargetUserName=svc_backup Status=0xc000006d SubStatus=0xc000006a LogonType=3 IpAddress={priv_ip()} IpPort={R.randint(1024,65535)} FailureReason=%%2313",
        f"<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Security-Auditing' Guid='{{{uid()}}}'/><EventID>4688</EventID><TimeCreated SystemTime='{iso()}'/><EventRecordID>{R.randint(10**5,10**8)}</EventRecordID><Computer>WS-{R.randint(100,999)}.corp.example.com</Computer></System><EventData><Data Name='NewProcessName'>C:\\Windows\\System32\\svchost.exe</Data><Data Name='TokenElevationType'>%%1936</Data><Data Name='ProcessId'>0x{hx(4)}</Data></EventData></Event>",
        f"{iso()} [INF] Microsoft.Hosting.Lifetime: Now listening on: http://[::]:8080",
        f"{iso()} [WRN] Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager: No XML encryptor configured. Key {{{uid()}}} may be persisted to storage in unencrypted form.",
        f"info: Microsoft.EntityFrameworkCore.Database.Command[20101] Executed DbCommand ({R.randint(1,999)}ms) [Parameters=[@__p_0='?' (DbType = Int32)], CommandType='Text', CommandTimeout='30']",
        f"{iso()} [ERR] Connection id \"0HN{HX(10)}\", Request id \"0HN{HX(10)}:0000000{R.randint(1,9)}\": An unhandled exception was thrown by the application.",
    ])

def g_webfw():
    return R.choice([
        f"Started GET \"{path()}\" for {priv_ip()} at {ts_dt().strftime('%Y-%m-%d %H:%M:%S')} +0000",
        f"Processing by OrdersController#show as JSON",
        f"  Parameters: {{\"id\"=>\"{R.randint(1,999999)}\", \"include\"=>\"items\", \"page\"=>\"{R.randint(1,9)}\"}}",
        f"Completed 200 OK in {R.randint(1,999)}ms (Views: {R.random()*100:.1f}ms | ActiveRecord: {R.random()*100:.1f}ms | Allocations: {R.randint(100,99999)})",
        f"  Order Load ({R.random()*10:.1f}ms)  SELECT \"orders\".* FROM \"orders\" WHERE \"orders\".\"id\" = $1 LIMIT $2  [[\"id\", {R.randint(1,999999)}], [\"LIMIT\", 1]]",
        f"[{ts_dt().strftime('%d/%b/%Y %H:%M:%S')}] \"GET {path()} HTTP/1.1\" {R.choice([200,404])} {R.randint(10,99999)}",
        f"[{ts_dt().strftime('%Y-%m-%d %H:%M:%S')}] production.ERROR: SQLSTATE[23000]: Integrity constraint violation: 1062 Duplicate entry '{R.randint(1,99999)}' for key 'orders.PRIMARY' {{\"exception\":\"[object] (Illuminate\\\\Database\\\\QueryException(code: 23000))\"}}",
        f"[{ts_dt().strftime('%Y-%m-%d %H:%M:%S')}] local.INFO: Job processed {{\"job\":\"App\\\\Jobs\\\\SendInvoice\",\"id\":\"{uid()}\",\"attempts\":1}}",
        f"INFO:     {priv_ip()}:{R.randint(1024,65535)} - \"GET {path()} HTTP/1.1\" 200 OK",
        f"{iso()} [info] Sent 200 in {R.randint(1,999)}ms request_id=F{an(19)}",
        f"{iso()} level=info msg=\"GraphQL operation\" operationName=GetOrder variables={{\"id\":\"{uid()}\",\"first\":{R.randint(1,50)}}} complexity={R.randint(1,500)}",
        f"{iso()} INFO grpc.server finished unary call grpc.service=orders.v1.OrderService grpc.method=GetOrder grpc.code=OK grpc.time_ms={R.random()*100:.3f} peer.address={priv_ip()}:{R.randint(1024,65535)}",
        f"{iso()} DEBUG grpc metadata: content-type=application/grpc, user-agent=grpc-go/1.60.1, grpc-accept-encoding=gzip, x-request-id={uid()}, traceparent=00-{hx(32)}-{hx(16)}-01",
        f"> GET {R.choice(PATHS)} HTTP/1.1", f"> Host: {R.choice(HOSTS)}", f"> Accept: application/json", f"< HTTP/1.1 {R.choice(['200 OK','404 Not Found','302 Found'])}",
        f"< Content-Type: application/json; charset=utf-8", f"< X-Request-Id: {uid()}", f"< ETag: W/\"{hx(20)}\"", f"< Cache-Control: max-age={R.randint(0,86400)}, public", f"< Date: {ts_dt().strftime('%a, %d %b %Y %H:%M:%S GMT')}",
        f"< Strict-Transport-Security: max-age=31536000; includeSubDomains", f"< X-RateLimit-Remaining: {R.randint(0,5000)}", f"< Content-Length: {R.randint(0,99999)}", f"traceparent: 00-{hx(32)}-{hx(16)}-01",
        f"< Access-Control-Allow-Headers: Authorization, Content-Type, X-Api-Key, X-CSRF-Token", f"< WWW-Authenticate: Bearer realm=\"api\", error=\"invalid_token\", error_description=\"The access token expired\"",
        f"< Vary: Accept-Encoding, Authorization", f"< X-Amz-Cf-Id: {b64u(42)}==", f"x-amz-request-id: {HX(16)}", f"x-amz-id-2: {b64(56)}",
    ])

def g_db_misc():
    return R.choice([
        json.dumps({"t": {"$date": iso_off()}, "s": "I", "c": "NETWORK", "id": R.randint(10000, 99999), "ctx": f"conn{R.randint(1,99999)}", "msg": "Connection ended", "attr": {"remote": f"{priv_ip()}:{R.randint(1024,65535)}", "uuid": {"uuid": {"$uuid": uid()}}, "connectionId": R.randint(1, 99999), "connectionCount": R.randint(1, 999)}}),
        json.dumps({"t": {"$date": iso_off()}, "s": "I", "c": "COMMAND", "id": 51803, "ctx": f"conn{R.randint(1,99999)}", "msg": "Slow query", "attr": {"type": "command", "ns": "shop.orders", "command": {"find": "orders", "filter": {"status": "PENDING"}, "lsid": {"id": {"$uuid": uid()}}, "$clusterTime": {"clusterTime": {"$timestamp": {"t": int(epoch()), "i": R.randint(1, 99)}}, "signature": {"hash": {"$binary": {"base64": "AAAAAAAAAAAAAAAAAAAAAAAAAAA=", "subType": "0"}}, "keyId": 0}}}, "durationMillis": R.randint(100, 9999)}}),
        f"[{iso()}][INFO ][o.e.c.m.MetadataIndexTemplateService] [es-node-{R.randint(1,9)}] adding index template [logs-{lo(5)}] for index patterns [logs-*]",
        f"[{iso()}][WARN ][o.e.m.j.JvmGcMonitorService] [es-node-{R.randint(1,9)}] [gc][{R.randint(1,999999)}] overhead, spent [{R.randint(100,9999)}ms] collecting in the last [{R.randint(1,9)}s]",
        f"[{ts_dt().strftime('%Y-%m-%d %H:%M:%S,')}{dg(3)}] INFO [GroupCoordinator {R.randint(0,9)}]: Preparing to rebalance group orders-consumer in state PreparingRebalance with old generation {R.randint(1,999)} (__consumer_offsets-{R.randint(0,49)}) (reason: Adding new member consumer-orders-consumer-1-{uid()} with group instance id None) (kafka.coordinator.group.GroupCoordinator)",
        f"[{ts_dt().strftime('%Y-%m-%d %H:%M:%S,')}{dg(3)}] INFO [Log partition=orders-{R.randint(0,11)}, dir=/var/lib/kafka/data] Rolled new log segment at offset {R.randint(10**6,10**10)} in {R.randint(1,99)} ms. (kafka.log.Log)",
        f"INSERT INTO audit_log (id, action, entity, entity_id, created_at) VALUES ({R.randint(1,10**7)}, 'UPDATE', 'order', {R.randint(1,10**7)}, '{ts_dt().strftime('%Y-%m-%d %H:%M:%S')}');",
        f"UPDATE inventory SET qty = qty - {R.randint(1,9)}, updated_at = NOW() WHERE sku = 'SKU-{dg(6)}' AND warehouse_id = {R.randint(1,40)};",
        f"sql: SELECT id, status, total_cents FROM orders WHERE tenant_id = '{uid()}' AND created_at BETWEEN '2026-11-01' AND '2026-11-30' -- took {R.randint(1,999)}ms",
        f"{iso()} INFO  [main] o.f.c.i.command.DbMigrate: Migrating schema \"public\" to version \"{R.randint(1,300)} - add token expiry index\"",
        f"{iso()} INFO  liquibase: ChangeSet db/changelog/{R.randint(1,300)}-create-password-history.yaml::{R.randint(1,300)}::dev ran successfully in {R.randint(1,999)}ms",
        f"{R.randint(1,99999)}:{R.choice(['M','S'])} {ts_dt().strftime('%d %b %Y %H:%M:%S.')}{dg(3)} * Module 'search' loaded from /opt/redis-stack/lib/redisearch.so",
        f"REPORT RequestId: {uid()}\tDuration: {R.random()*1000:.2f} ms\tBilled Duration: {R.randint(1,1000)} ms\tMemory Size: {R.choice([128,256,512,1024])} MB\tMax Memory Used: {R.randint(50,500)} MB\tInit Duration: {R.random()*500:.2f} ms",
        f"START RequestId: {uid()} Version: $LATEST", f"END RequestId: {uid()}",
        f"{iso()}\t{uid()}\tINFO\tProcessing SQS batch of {R.randint(1,10)} messages from arn:aws:sqs:us-east-1:{dg(12)}:orders-queue",
        f"{ts_dt().strftime('%Y-%m-%d')}\t{ts_dt().strftime('%H:%M:%S')}\tLHR62-C3\t{R.randint(100,99999)}\t{priv_ip()}\tGET\td{lo(13)}.cloudfront.net\t{R.choice(PATHS)}\t200\t-\t{R.choice(UAS).replace(' ','%20')}\t-\t-\tHit\t{b64u(42)}==\t{R.choice(HOSTS)}\thttps\t{R.randint(100,9999)}\t{R.random():.3f}\t-\tTLSv1.3\tTLS_AES_128_GCM_SHA256\tHit\tHTTP/2.0\t-\t-\t{R.randint(1024,65535)}\t{R.random():.3f}\tHit\ttext/html\t{R.randint(100,99999)}\t-\t-",
    ])

def g_config():
    return R.choice([
        f"  replicas: {R.randint(1,20)}", f"  image: registry.example.com/{R.choice(SVC)}:{semver()}", f"      secretName: {R.choice(SVC)}-tls", f"        - name: DB_PASSWORD", f"          valueFrom:", f"            secretKeyRef:", f"              name: db-credentials", f"              key: password",
        f"  token_ttl: {R.randint(60,86400)}", f"  password_min_length: {R.randint(8,16)}", f"  session_timeout: {R.randint(5,120)}m", f"  max_tokens: {R.randint(256,8192)}", f"  auth_provider: oidc", f"  secret_store: vault",
        f"[database]", f"host = {priv_ip()}", f"port = 5432", f"pool_size = {R.randint(1,50)}", f"sslmode = verify-full", f"[auth]", f"issuer = https://auth.example.com/", f"audience = api://orders", f"jwks_url = https://auth.example.com/.well-known/jwks.json",
        f"spring.datasource.url=jdbc:postgresql://{priv_ip()}:5432/shop", f"spring.datasource.hikari.maximum-pool-size={R.randint(5,50)}", f"server.port=8080", f"management.endpoints.web.exposure.include=health,info,prometheus", f"spring.security.oauth2.resourceserver.jwt.issuer-uri=https://auth.example.com/realms/prod",
        f"app.token.expiry-seconds={R.randint(60,86400)}", f"app.password.policy=strong", f"logging.level.org.springframework.security=DEBUG",
        f"ENV LANG=C.UTF-8 PATH=/usr/local/bin:/usr/bin:/bin HOME=/home/app PWD=/srv/app SHLVL=1 HOSTNAME={R.choice(SVC)}-{lo(10)}-{lo(5)} KUBERNETES_SERVICE_HOST={priv_ip()} KUBERNETES_SERVICE_PORT=443",
        f"OLDPWD=/home/app", f"PWD=/srv/app/current", f"TERM=xterm-256color", f"SHELL=/bin/bash", f"GOPATH=/go", f"JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64",
        f"id,created_at,status,amount,currency,country", f"{R.randint(1,10**7)},{iso()},{R.choice(['paid','refunded','pending'])},{money()},{R.choice(['EUR','USD'])},{R.choice(['DE','FR','GB','US'])}",
        f"{uid()},{R.choice(SVC)},{R.randint(0,100)},{R.random():.4f},{semver()},{hx(12)}",
        f"<order id=\"{R.randint(1,10**7)}\" status=\"shipped\"><total currency=\"EUR\">{money()}</total><items count=\"{R.randint(1,20)}\"/><tokenType>Bearer</tokenType></order>",
        f"<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><GetOrderStatusResponse><OrderId>{R.randint(1,10**7)}</OrderId><Status>SHIPPED</Status></GetOrderStatusResponse></soap:Body></soap:Envelope>",
        f"query GetOrders($first: Int!, $after: String) {{ orders(first: $first, after: $after) {{ edges {{ node {{ id status total }} }} }} }}",
        f"variables: {{\"first\": {R.randint(1,100)}, \"after\": \"{b64u(18)}\", \"status\": \"SHIPPED\"}}",
        f"{{'id': {R.randint(1,10**6)}, 'status': 'ok', 'items': [{R.randint(1,9)}, {R.randint(1,9)}], 'token_type': 'Bearer', 'expires_in': 3600}}",
        f"#<Order id: {R.randint(1,10**6)}, status: \"paid\", total_cents: {R.randint(1,10**6)}, created_at: \"{ts_dt().strftime('%Y-%m-%d %H:%M:%S')}\">",
        f"array(3) {{ [\"id\"]=> int({R.randint(1,10**6)}) [\"status\"]=> string(4) \"paid\" [\"currency\"]=> string(3) \"EUR\" }}",
        f"- hosts: webservers", f"TASK [common : install packages] *************************************************", f"ok: [web-{R.randint(1,9)}]", f"changed: [db-{R.randint(1,9)}] => (item=postgresql-15)",
        f"PLAY RECAP ********************************************************************* web-1 : ok={R.randint(1,50)} changed={R.randint(0,9)} unreachable=0 failed=0 skipped={R.randint(0,9)} rescued=0 ignored=0",
        f"vault: {iso()} [INFO]  core: successfully mounted: type=kv version=\"\" path=secret/ namespace=\"ID: root. Path: \"",
        f"vault: {iso()} [INFO]  expiration: revoked lease: lease_id=auth/kubernetes/login/h{hx(24)}",
        f"consul: {iso()} [INFO]  agent: Synced check: check=service:{R.choice(SVC)}-{R.randint(1,9)}",
    ])

GENS2 = [(g_windows, 3), (g_webfw, 6), (g_db_misc, 5), (g_config, 6)]

GENS = [(g_nginx_access, 10), (g_apache_access, 3), (g_apache_error, 3), (g_nginx_error, 3), (g_java, 6), (g_python, 5), (g_go, 6), (g_node, 4),
        (g_k8s, 6), (g_postgres, 4), (g_mysql, 3), (g_redis, 2), (g_syslog, 6), (g_journald_json, 2), (g_cloudtrail, 3), (g_gcp_audit, 2),
        (g_ci, 8), (g_prom, 4), (g_git, 3), (g_tf, 3), (g_api_json, 8), (g_logfmt, 6), (g_haproxy_envoy, 3), (g_alb, 2), (g_misc, 8)]
GENS += GENS2
pool = [g for g, w in GENS for _ in range(w)]
if len(sys.argv) != 4:
    sys.exit("usage: clean_formats.py N SEED OUT")
with open(sys.argv[3], "w") as f, open(sys.argv[3] + ".src", "w") as s:
    for i in range(N):
        g = R.choice(pool)
        line = g().replace("\n", " ")
        f.write(line + "\n"); s.write(g.__name__ + "\n")
