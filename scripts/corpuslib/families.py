"""The family table: family -> (generator, contexts)."""
from __future__ import annotations

from .common import *  # noqa: F401,F403
from .gen_core import *  # noqa: F401,F403
from .gen_ids_europe import *  # noqa: F401,F403
from .gen_vendor import *  # noqa: F401,F403
from .gen_ids_world import *  # noqa: F401,F403
from .gen_pii_misc import *  # noqa: F401,F403
from .gen_cloudkeys import *  # noqa: F401,F403

CONTEXTS = ("text", "logfmt", "json", "json_escaped", "json_in_json", "urlencoded", "header", "access_log")
AUTH_CTX = ("text", "logfmt", "json", "json_escaped", "json_in_json", "header")
PEM_CTX = ("multiline", "text", "logfmt", "json", "json_escaped", "json_in_json")
FAMILIES = {  # family -> (generator(rng, ctx) -> Plant, contexts)
    "email": (g_email, CONTEXTS),
    "payment_card": (g_card, CONTEXTS),
    "iban": (g_iban, CONTEXTS),
    "us_ssn": (g_ssn, CONTEXTS),
    "uk_nino": (g_nino, CONTEXTS),
    "phone": (g_phone, CONTEXTS),
    "ipv4": (g_ipv4, CONTEXTS),
    "ipv6": (g_ipv6, CONTEXTS),
    "aws_access_key_id": (lambda r, c: Plant("aws_access_key_id", "AKIA", "AKIA" + rs(r, B32, 16)), CONTEXTS),
    "aws_secret_access_key": (g_aws_secret, CONTEXTS),
    "github_token": (g_github, CONTEXTS),
    "gitlab_token": (lambda r, c: Plant("gitlab_token", "glpat", "glpat-" + rs(r, URLSAFE, 20)), CONTEXTS),
    "slack_token": (g_slack_token, CONTEXTS),
    "slack_webhook": (g_slack_webhook, CONTEXTS),
    "stripe_key": (g_stripe, CONTEXTS),
    "google_api_key": (lambda r, c: Plant("google_api_key", "AIza", "AIzaSy" + rs(r, URLSAFE, 33)), CONTEXTS),
    "azure_storage_key": (g_azure_conn, CONTEXTS),
    "azure_sas": (g_azure_sas, CONTEXTS),
    "jwt": (lambda r, c: Plant("jwt", "jws", jwt(r)), CONTEXTS),
    "private_key": (g_pem, PEM_CTX),
    "url_credentials": (g_url_cred, CONTEXTS),
    "auth_bearer": (g_bearer, AUTH_CTX),
    "auth_basic": (g_basic, AUTH_CTX),
    "generic_secret": (g_generic, CONTEXTS),
    "aws_sts_bedrock": (g_aws_sts_bedrock, CONTEXTS),
    "gcp_credentials": (g_gcp_credentials, CONTEXTS),
    "azure_connection_string": (g_azure_connection_string, CONTEXTS),
    "azure_identifiable_key": (g_azure_identifiable_key, CONTEXTS),
    "private_key_flat": (g_private_key_flat, PEM_CTX),
    "dsn_password": (g_dsn_password, CONTEXTS),
    "api_key_header": (g_api_key_header, CONTEXTS),
    "session_cookie": (g_session_cookie, AUTH_CTX),
    "infra_credentials": (g_infra_credentials, CK_CMD_CTX),
    "mac_address": (g_mac, CONTEXTS),
    "passport": (g_passport, CONTEXTS),
    "date_of_birth": (g_dob, CONTEXTS),
    "vin": (g_vin, CONTEXTS),
    "aba_routing": (g_aba, CONTEXTS),
    "kr_rrn": (g_kr_rrn, CONTEXTS),
    "sg_nric": (g_sg_nric, CONTEXTS),
    "za_id": (g_za_id, CONTEXTS),
    "ca_sin": (g_ca_sin, CONTEXTS),
    "au_tfn": (g_au_tfn, CONTEXTS),
    "au_abn": (g_au_abn, CONTEXTS),
    "au_medicare": (g_au_medicare, CONTEXTS),
    "us_itin": (g_us_itin, CONTEXTS),
    "in_pan": (g_in_pan, CONTEXTS),
    "mx_curp": (g_mx_curp, CONTEXTS),
    "cl_rut": (g_cl_rut, CONTEXTS),
    "jp_my_number": (g_jp_my_number, CONTEXTS),
    "hk_id": (g_hk_id, CONTEXTS),
    "il_teudat_zehut": (g_il_teudat_zehut, CONTEXTS),
    "saas_token": (g_vendor("saas_token"), CONTEXTS),
    "cloud_token": (g_vendor("cloud_token"), CONTEXTS),
    "ai_token": (g_vendor("ai_token"), CONTEXTS),
    "payment_token": (g_vendor("payment_token"), CONTEXTS),
    "ci_token": (g_vendor("ci_token"), CONTEXTS),
    "observability_token": (g_vendor("observability_token"), CONTEXTS),
    "it_codice_fiscale": (g_it_cf, CONTEXTS),
    "se_personnummer": (g_se_pnr, CONTEXTS),
    "fi_hetu": (g_fi_hetu, CONTEXTS),
    "dk_cpr": (g_dk_cpr, CONTEXTS),
    "be_national_number": (g_be_nrn, CONTEXTS),
    "no_fodselsnummer": (g_no_fnr, CONTEXTS),
    "pt_nif": (g_pt_nif, CONTEXTS),
    "ie_ppsn": (g_ie_ppsn, CONTEXTS),
    "ch_ahv": (g_ch_ahv, CONTEXTS),
    "uk_nhs_number": (g_uk_nhs, CONTEXTS),
}
