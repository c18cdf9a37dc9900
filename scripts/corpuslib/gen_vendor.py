"""Vendor tokens: saas-extra, payments, ci-devtools, observability rules."""
from __future__ import annotations

from .common import *  # noqa: F401,F403
from .gen_core import *  # noqa: F401,F403
from .gen_ids_europe import *  # noqa: F401,F403

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
