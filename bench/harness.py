"""moto in-process with the template's resources, and the real handlers on top (as the tests do)."""

from __future__ import annotations

import base64
import contextlib
import copy
import io
import json
import os
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for path in (str(ROOT / "layers" / "common"), str(ROOT)):
    if path not in sys.path:
        sys.path.insert(0, path)

FIXTURES = ROOT / "tests" / "fixtures" / "evolution"
WEBHOOK_TOKEN = "bench-webhook-token"
CNPJ = "11.222.333/0001-81"

# One ticket-opening conversation, first contact through Fim (the demo data of local/seed.py).
CONVERSATION: tuple[tuple[str, str | None], ...] = (
    ("first contact", "oi"),
    ("CNPJ", CNPJ),
    ("name", "Maria Souza"),
    ("e-mail (credentials)", "maria@cliente.com.br"),
    ("menu: new ticket", "0"),
    ("title", "Erro ao emitir nota fiscal"),
    ("request type", "2"),
    ("description", "A tela mostra erro 500 ao emitir a nota."),
    ("attachment (image)", None),  # a PNG screenshot, inline (Evolution webhook_base64)
    ("Fim (ticket created)", "Fim"),
)


class _Sink(io.TextIOBase):
    def write(self, text: str) -> int:
        return len(text)


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """The handlers log JSON and metrics (EMF) to stdout as on Lambda; the bench prints a table."""
    with contextlib.redirect_stdout(_Sink()):
        yield


@contextlib.contextmanager
def moto_environment() -> Iterator[object]:
    """Like tests/integration/conftest.py's `aws` fixture, outside pytest."""
    saved = dict(os.environ)
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "SECRETS_NAMES"):
        os.environ.pop(name, None)
    os.environ.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
        AWS_REGION="us-east-1",
        POWERTOOLS_TRACE_DISABLED="true",
    )
    import boto3
    from moto import mock_aws

    from helpdesk import caches
    from local import moto_fixes
    from local.launch import moto_account

    try:
        with mock_aws():
            moto_fixes.install()
            made, environment = moto_account(boto3.session.Session())
            os.environ.update(environment)  # as deployed
            os.environ.pop("SECRETS_NAMES", None)
            os.environ.update(
                WEBHOOK_TOKEN=WEBHOOK_TOKEN,
                ERP_HMAC_SECRET="bench",
                PORTAL_SESSION_KEY="bench",
                ADMIN_TOKEN="bench",
            )
            caches.reset()
            from local.seed import seed_demo_data

            seed_demo_data()
            yield made
            caches.reset()
    finally:
        os.environ.clear()
        os.environ.update(saved)


def evolution_text(phone: str, message_id: str, text: str) -> dict:
    payload = json.loads((FIXTURES / "messages-upsert-text.json").read_text())
    payload["data"]["key"].update(remoteJid=f"{phone}@s.whatsapp.net", id=message_id)
    payload["data"]["message"] = {"conversation": text}
    return payload


def evolution_quote(phone: str, message_id: str, text: str, quoted_id: str) -> dict:
    """A reply quoting an earlier message (WhatsApp's swipe-to-reply): contextInfo.stanzaId."""
    payload = json.loads((FIXTURES / "messages-upsert-extended-text.json").read_text())
    payload["data"]["key"].update(remoteJid=f"{phone}@s.whatsapp.net", id=message_id)
    payload["data"]["message"]["extendedTextMessage"]["text"] = text
    payload["data"]["message"]["extendedTextMessage"]["contextInfo"]["stanzaId"] = quoted_id
    return payload


def evolution_image(phone: str, message_id: str, content: bytes) -> dict:
    payload = json.loads((FIXTURES / "messages-upsert-image-base64.json").read_text())
    payload["data"]["key"].update(remoteJid=f"{phone}@s.whatsapp.net", id=message_id)
    payload["data"]["message"]["base64"] = base64.b64encode(content).decode()
    payload["data"]["message"]["imageMessage"]["fileLength"] = str(len(content))
    return payload


PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 160  # ~40 KB screenshot stand-in


def step_payload(phone: str, message_id: str, text: str | None) -> dict:
    return (
        evolution_text(phone, message_id, text)
        if text is not None
        else evolution_image(phone, message_id, PNG)
    )


def webhook_event(payload: dict, token: str = WEBHOOK_TOKEN) -> dict:
    from local.testing.apigw import http_event

    return http_event(
        "POST", "/webhooks/evolution", body=json.dumps(payload), headers={"x-webhook-token": token}
    )


class CallCounter:
    """Counts AWS requests per service and operation through botocore's before-call event."""

    def __init__(self) -> None:
        self.calls: Counter[tuple[str, str]] = Counter()
        self.params: list[tuple[str, str, dict]] = []
        self.enabled = True

    def attach(self, client, service: str) -> None:
        client.meta.events.register(
            f"before-parameter-build.{client.meta.service_model.service_name}",
            lambda params, model, **_: self._record(service, model.name, params),
        )

    def _record(self, service: str, operation: str, params: dict) -> None:
        if self.enabled:
            self.calls[(service, operation)] += 1
            self.params.append((service, operation, copy.deepcopy(params)))

    def take(self) -> tuple[Counter, list]:
        calls, params = self.calls, self.params
        self.calls, self.params = Counter(), []
        return calls, params
