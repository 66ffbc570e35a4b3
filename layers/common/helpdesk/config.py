"""Configuration: every setting comes from the environment (documented in the README's table).

Secrets come from Secrets Manager secrets (JSON objects, merged) named by SECRETS_NAMES
(comma-separated), read through Powertools parameters and cached for five minutes. Locally, and
in tests, a variable of the same name in upper case (WEBHOOK_TOKEN, ERP_HMAC_SECRET, ...) takes
precedence over the secret.
"""

from __future__ import annotations

import json
import os

from msgspec import Struct

from helpdesk import caches

SECRET_KEYS = (
    "webhook_token",
    "evolution_api_key",
    "cloud_access_token",
    "cloud_app_secret",
    "cloud_verify_token",
    "erp_hmac_secret",
    "admin_token",
    "portal_session_key",
)


class ConfigError(RuntimeError):
    """A required setting is missing where no default may stand in for it (in Lambda)."""


def in_lambda() -> bool:
    return bool(os.environ.get("AWS_LAMBDA_FUNCTION_NAME"))


def required(name: str, local_default: str) -> str:
    """A variable the template sets for every function. In Lambda a missing (or empty) one is a
    broken deployment and fails loudly, naming it; locally (make dev, tests) the default stands."""
    value = os.environ.get(name)
    if value:
        return value
    if in_lambda():
        raise ConfigError(
            f"environment variable {name} is not set (template.yaml sets it for every function)"
        )
    return local_default


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


class Settings(Struct, frozen=True):
    table_name: str
    queue_url: str
    media_bucket: str
    gateway: str
    portal_url: str
    evolution_api_url: str
    cloud_api_url: str
    cloud_phone_number_id: str
    simulator_url: str
    webhook_public_url: str
    erp_webhook_url: str
    conversation_ttl_minutes: int
    media_max_bytes: int
    outbound_min_interval_ms: int
    http_timeout_seconds: float
    presigned_url_seconds: int
    closed_status: str = "Encerrado"  # a console status change to this asks the requester
    reopened_status: str = "Reaberto"  # the status a requester's "not solved" sets
    privacy_contact: str = ""  # where requesters ask for erasure ("meus dados"); empty: a ticket
    # Cloud API: the approved template sent outside the 24-hour window, and what fills {{1}}, {{2}}...
    cloud_template_name: str = "atendimento_atualizado"
    cloud_template_language: str = "pt_BR"
    cloud_template_params: tuple[str, ...] = ("number", "title", "text")
    # Voice notes: jobs named "<prefix>-..." (the stack's name, which the EventBridge rule filters
    # on); longer audio is marked "transcrição indisponível" without a job.
    transcribe_job_prefix: str = "helpdesk"
    transcribe_max_seconds: int = 300

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ.get
        return cls(
            table_name=required("TABLE_NAME", "helpdesk"),
            queue_url=required("QUEUE_URL", ""),
            media_bucket=required("MEDIA_BUCKET", "helpdesk-media"),
            gateway=required("WHATSAPP_GATEWAY", "evolution"),
            portal_url=required("PORTAL_URL", "http://127.0.0.1:3000/portal"),
            evolution_api_url=env("EVOLUTION_API_URL", "http://127.0.0.1:8080").rstrip("/"),
            cloud_api_url=env("CLOUD_API_URL", "https://graph.facebook.com/v21.0").rstrip("/"),
            cloud_phone_number_id=env("CLOUD_PHONE_NUMBER_ID", ""),
            simulator_url=env("SIMULATOR_URL", "http://127.0.0.1:3000/simulator").rstrip("/"),
            webhook_public_url=env("WEBHOOK_PUBLIC_URL", ""),
            erp_webhook_url=env("ERP_WEBHOOK_URL", ""),
            conversation_ttl_minutes=_int("CONVERSATION_TTL_MINUTES", 30),
            media_max_bytes=_int("MEDIA_MAX_BYTES", 16 * 1024 * 1024),
            outbound_min_interval_ms=_int("OUTBOUND_MIN_INTERVAL_MS", 0),
            http_timeout_seconds=float(env("HTTP_TIMEOUT_SECONDS", "10")),
            presigned_url_seconds=_int("PRESIGNED_URL_SECONDS", 300),
            closed_status=env("CLOSED_STATUS", "Encerrado"),
            reopened_status=env("REOPENED_STATUS", "Reaberto"),
            privacy_contact=env("PRIVACY_CONTACT", ""),
            cloud_template_name=env("CLOUD_TEMPLATE_NAME", "atendimento_atualizado"),
            cloud_template_language=env("CLOUD_TEMPLATE_LANGUAGE", "pt_BR"),
            cloud_template_params=tuple(
                p.strip() for p in env("CLOUD_TEMPLATE_PARAMS", "number,title,text").split(",") if p.strip()
            ),
            transcribe_job_prefix=env("TRANSCRIBE_JOB_PREFIX", "helpdesk"),
            transcribe_max_seconds=_int("TRANSCRIBE_MAX_SECONDS", 300),
        )


@caches.cached
def settings() -> Settings:
    return Settings.from_env()


def _secret_document() -> dict[str, str]:
    names = [name for name in os.environ.get("SECRETS_NAMES", "").split(",") if name]
    if not names:
        return {}
    from aws_lambda_powertools.utilities import parameters

    document: dict[str, str] = {}
    for name in names:
        document.update(json.loads(parameters.get_secret(name, max_age=300)))
    return document


def secret(key: str) -> str:
    """One secret by key; empty when not configured (the feature that needs it then refuses)."""
    if key not in SECRET_KEYS:
        raise KeyError(key)
    return os.environ.get(key.upper()) or _secret_document().get(key, "")


if in_lambda():
    settings()  # at cold start: a missing variable stops the container here, with its name
