"""Helpers of the ERP and notifier integration tests (the `aws` fixture comes from conftest.py):
a seeded ticket, signed ERP requests through the admin function's handler, real stream records read
from moto's DynamoDB Streams, and the notifier's handler with a gateway that records every call."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from helpdesk import caches
from helpdesk.logic import erp
from helpdesk.logic.services import Services
from helpdesk.storage import catalog, phones, tickets
from helpdesk.storage.models import Conversation
from local.lambdas import LocalFunction, load_function
from local.testing.apigw import http_event
from local.testing.gateways import RecordingGateway
from tests.support.seeding import stored_ticket

SECRET = "test-erp-secret"  # what the `aws` fixture sets as ERP_HMAC_SECRET
PHONE = "5511987654321"
INSTANCE = "suporte"
CNPJ = "11222333000181"
# A 1x1 PNG.
PNG_BASE64 = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


# --- the world -------------------------------------------------------------------------------


@dataclass
class Seeded:
    ticket_number: int
    phone: str = PHONE
    instance: str = INSTANCE


def seed_ticket(now: datetime | None = None, phone: str = PHONE) -> Seeded:
    now = now or datetime.now(UTC)
    catalog.new_instance(name=INSTANCE, agent_type="BOT", gateway="simulator", state="open", now=now).save()
    catalog.new_company(cnpj=CNPJ, name="Empresa Demonstração Ltda", now=now).save()
    requester = phones.new_requester(
        phone=phone,
        name="Ana Souza",
        email="ana@example.com",
        password_hash="pbkdf2$secret-hash",
        instance=INSTANCE,
        now=now,
    )
    requester.save()
    phones.company_link(phone=phone, cnpj=CNPJ, company_name="Empresa Demonstração Ltda", now=now).save()
    number = tickets.allocate_ticket_number() + 1041  # 1042: a number that reads like one
    stored_ticket(
        requester,
        number=number,
        title="Impressora não imprime",
        description="Desde ontem.",
        cnpj=CNPJ,
        company_name="Empresa Demonstração Ltda",
        instance=INSTANCE,
        now=now,
        origin_message_id="WA-1",
    )
    return Seeded(number, phone)


def set_conversation(phone: str, step: str, data: dict[str, Any], now: datetime | None = None) -> None:
    now = now or datetime.now(UTC)
    Conversation(
        pk=phones.phone_pk(phone),
        sk="CONVERSATION",
        phone=phone,
        instance=INSTANCE,
        state={"step": step, "cnpj": CNPJ, "data": data},
        last_activity=now,
        expires_at=now + timedelta(minutes=30),
    ).save()


# --- ERP requests ----------------------------------------------------------------------------


@dataclass
class ErpClient:
    """Posts to /erp/events through the admin function's handler, as API Gateway (HTTP API) would."""

    function: LocalFunction

    def post(
        self,
        body: dict[str, Any] | bytes,
        *,
        secret: str = SECRET,
        timestamp: float | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, Any]]:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        signed = erp.sign(raw, secret, timestamp if timestamp is not None else time.time())
        all_headers = {k.lower(): v for k, v in {**signed, **(headers or {})}.items()}
        event = http_event("POST", "/erp/events", body=raw.decode(), headers=all_headers)
        response = self.function.invoke(event)
        return response["statusCode"], json.loads(response["body"] or "{}")


# --- the stream and the notifier -------------------------------------------------------------


class StreamReader:
    """Reads the table's stream from moto (the records Lambda would get, in their exact shape)."""

    def __init__(self, aws) -> None:
        # Recent botocore routes stream calls to account-based hosts that moto does not serve.
        self.client = aws.session.client(
            "dynamodbstreams", endpoint_url="https://streams.dynamodb.us-east-1.amazonaws.com"
        )
        self.arn = aws.resources.stream_arns["Table"]
        self.iterators: dict[str, str] = {}

    def new_records(self) -> list[dict[str, Any]]:
        records = []
        for shard in self.client.describe_stream(StreamArn=self.arn)["StreamDescription"]["Shards"]:
            shard_id = shard["ShardId"]
            if shard_id not in self.iterators:
                self.iterators[shard_id] = self.client.get_shard_iterator(
                    StreamArn=self.arn, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON"
                )["ShardIterator"]
            response = self.client.get_records(ShardIterator=self.iterators[shard_id])
            self.iterators[shard_id] = response["NextShardIterator"]
            records += [
                {**r, "eventSourceARN": self.arn, "awsRegion": "us-east-1"} for r in response["Records"]
            ]
        return records


def template_filters() -> list[dict[str, Any]]:
    from local import cfn

    [source] = next(
        s for s in cfn.functions(cfn.load_template()) if s.logical_id == "NotifierFunction"
    ).streams
    return source.filters


def selected(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records the template's filters of the notifier's stream source let through."""
    from local.event_filter import matches_any

    filters = template_filters()
    return [r for r in records if matches_any(filters, r)]


@pytest.fixture
def erp_app(aws):
    caches.reset()
    yield ErpClient(load_function("ErpFunction"))
    caches.reset()


@pytest.fixture
def notifier(aws, monkeypatch):
    """The notifier's Lambda handler with a recording gateway; `.invoke(records)` returns its response."""
    caches.reset()
    function = load_function("NotifierFunction")
    gateway = RecordingGateway()
    monkeypatch.setattr(function.module, "services", lambda: Services(gateway=gateway))

    class Notifier:
        def __init__(self) -> None:
            self.gateway = gateway

        def invoke(self, records: list[dict[str, Any]]) -> dict[str, Any]:
            result = function.invoke({"Records": records})
            self.exceptions = list(function.module.processor.exceptions)
            return result

    yield Notifier()
    caches.reset()
