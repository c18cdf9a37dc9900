"""cloudkeys: AWS / GCP / Azure keys, flattened private keys, DSNs..."""
from __future__ import annotations

from .common import *  # noqa: F401,F403
from .gen_core import *  # noqa: F401,F403
from .gen_ids_europe import *  # noqa: F401,F403
from .gen_vendor import *  # noqa: F401,F403
from .gen_ids_world import *  # noqa: F401,F403
from .gen_pii_misc import *  # noqa: F401,F403

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
