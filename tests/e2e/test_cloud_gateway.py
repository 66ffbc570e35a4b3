"""The local stack with the real Cloud API adapter, pointed at a stand-in Graph API server on
loopback: menus go as tappable lists, a list reply selects the option, and an agent's answer given
25 hours after the requester's last message reaches them as the approved template."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import boto3
import pytest
import requests

from helpdesk.storage.phones import phone_pk
from local.launch import start_stack, stop_stack
from local.stack import free_port
from local.testing.waiting import eventually
from local.testing.whatsapp import CNPJ, settled
from tests.e2e.console import admin_headers
from tests.e2e.test_erp_loop import post_erp_event

NUMBER_ID = "106540352242922"
APP_SECRET = "cloud-e2e-app-secret"
PHONE = "5511955550077"
BSUID = "BR.77014455230918365512"
_ids = itertools.count(1)


class StandInGraphApi(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))))
        type(self).received.append(
            {"path": self.path, "auth": self.headers.get("authorization"), "json": body}
        )
        answer = json.dumps(
            {"messaging_product": "whatsapp", "messages": [{"id": f"wamid.E2E{len(self.received)}"}]}
        )
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer.encode())

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def cloud_stack(tmp_path_factory):
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandInGraphApi)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    moto_port = free_port()
    process, stack = start_stack(
        tmp_path_factory.mktemp("cloud"),
        WHATSAPP_GATEWAY="cloud",
        CLOUD_API_URL=f"http://127.0.0.1:{server.server_port}/v21.0",
        CLOUD_PHONE_NUMBER_ID=NUMBER_ID,
        CLOUD_ACCESS_TOKEN="cloud-e2e-token",
        CLOUD_APP_SECRET=APP_SECRET,
        MOTO_PORT=str(moto_port),
    )
    yield stack, moto_port
    stop_stack(process)
    server.shutdown()


def deliver(stack, message: dict, bsuid_only: bool = False) -> None:
    """A signed Cloud API notification carrying one message from PHONE, or from a user with a
    username whom Meta shows by business-scoped user ID only (BSUID)."""
    sender = {"from_user_id": BSUID} if bsuid_only else {"from": PHONE}
    message = {**sender, "id": f"wamid.IN{next(_ids)}", "timestamp": str(int(time.time())), **message}
    contact = (
        {"profile": {"name": "Carla Dias", "username": "@carla.dias"}, "user_id": BSUID}
        if bsuid_only
        else {"profile": {"name": "Bia Ramos"}, "wa_id": PHONE}
    )
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "551140028922", "phone_number_id": NUMBER_ID},
        "contacts": [contact],
        "messages": [message],
    }
    payload = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": value}]}],
    }
    body = json.dumps(payload).encode()
    signature = "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
    response = requests.post(
        f"{stack.url}/webhooks/cloud",
        data=body,
        headers={"content-type": "application/json", "x-hub-signature-256": signature},
        timeout=10,
    )
    assert response.status_code == 200, response.text


def sent_since(count: int) -> list[dict]:
    return [r["json"] for r in StandInGraphApi.received[count:]]


def turn(stack, message: dict, bsuid_only: bool = False) -> list[dict]:
    """Delivers one message and returns what the bot sent for it (all sent once its turn is over)."""
    before = len(StandInGraphApi.received)
    deliver(stack, message, bsuid_only)
    settled(stack)
    answers = sent_since(before)
    assert answers, f"nothing sent for {message}"
    return answers


def typed(text: str) -> dict:
    return {"type": "text", "text": {"body": text}}


def last_inbound_back(moto_port: int, hours: int) -> None:
    """The requester's last message `hours` ago: the conversation's last_activity rewritten."""
    dynamodb = boto3.client(
        "dynamodb",
        endpoint_url=f"http://127.0.0.1:{moto_port}",
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    [table] = [t for t in dynamodb.list_tables()["TableNames"] if "Table" in t or t.startswith("helpdesk")][
        :1
    ]
    then = (datetime.now(UTC) - timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%S.%f+0000")
    dynamodb.update_item(
        TableName=table,
        Key={"pk": {"S": phone_pk(PHONE)}, "sk": {"S": "CONVERSATION"}},
        UpdateExpression="SET last_activity = :then",
        ExpressionAttributeValues={":then": {"S": then}},
    )


def test_list_reply_selects_the_option_and_a_late_answer_goes_as_the_template(cloud_stack):
    stack, moto_port = cloud_stack
    turn(stack, typed("oi"))
    turn(stack, typed(CNPJ))
    turn(stack, typed("Bia Ramos"))
    turn(stack, typed("bia@example.com"))
    turn(stack, typed("0"))
    [asked] = turn(stack, typed("Sistema não abre"))
    # The type menu (3 types and "Outro") is a list message; every row id is the typed number.
    assert asked["type"] == "interactive" and asked["interactive"]["type"] == "list"
    rows = asked["interactive"]["action"]["sections"][0]["rows"]
    assert [r["id"] for r in rows] == ["1", "2", "3", "4"]
    chosen = next(r for r in rows if r["title"].startswith("Erro"))
    tapped = {"type": "interactive", "interactive": {"type": "list_reply", "list_reply": chosen}}
    answers = turn(stack, tapped)
    assert any("Descreva" in (a.get("text") or {}).get("body", "") for a in answers)  # the type was taken
    turn(stack, typed("Dá erro ao abrir o sistema desde ontem."))
    created = next(
        a["text"]["body"] for a in turn(stack, typed("Fim")) if "criado" in a.get("text", {}).get("body", "")
    )
    number = int(created.split("*")[1]) if created.count("*") >= 2 else None
    assert number is not None

    last_inbound_back(moto_port, hours=25)
    before = len(StandInGraphApi.received)
    event = {
        "event_id": f"cloud-e2e-{number}",
        "type": "action.created",
        "ticket_number": number,
        "author_name": "Carlos Lima",
        "text": "Reinstalamos o módulo; pode testar de novo?",
    }
    assert post_erp_event(stack, event).status_code == 200
    [sent] = eventually(lambda: sent_since(before), timeout=20)
    assert sent["type"] == "template" and sent["to"] == PHONE
    template = sent["template"]
    assert (template["name"], template["language"]) == ("atendimento_atualizado", {"code": "pt_BR"})
    params = [p["text"] for p in template["components"][0]["parameters"]]
    assert params == [str(number), "Sistema não abre", "Reinstalamos o módulo; pode testar de novo?"]


def test_a_user_with_a_username_and_no_phone_is_served_and_answered_as_recipient(cloud_stack):
    """Meta shows only a BSUID: the conversation, the ticket and the agent's answer all go to it."""
    stack, _ = cloud_stack
    before = len(StandInGraphApi.received)
    assert "CNPJ" in json.dumps(turn(stack, typed("oi"), bsuid_only=True), ensure_ascii=False)
    turn(stack, typed(CNPJ), bsuid_only=True)
    turn(stack, typed("Carla Dias"), bsuid_only=True)
    credentials = json.dumps(turn(stack, typed("carla@example.com"), bsuid_only=True), ensure_ascii=False)
    assert f"Usuário: *{BSUID}*" in credentials
    for answer in ("0", "Relatório vazio", "2", "O relatório mensal sai em branco."):
        turn(stack, typed(answer), bsuid_only=True)
    created = next(
        a["text"]["body"]
        for a in turn(stack, typed("Fim"), bsuid_only=True)
        if "criado" in a.get("text", {}).get("body", "")
    )
    number = int(created.split("*")[1])
    conversation = sent_since(before)
    assert conversation and all(m.get("recipient") == BSUID and "to" not in m for m in conversation)

    shown = requests.get(
        f"{stack.url}/admin/tickets/{number}", headers=admin_headers(stack), timeout=10
    ).json()
    assert (shown["requester_phone"], shown["requester_bsuid"]) == (None, BSUID)
    assert shown["requester_whatsapp_username"] == "@carla.dias"

    before = len(StandInGraphApi.received)
    event = {
        "event_id": f"cloud-e2e-bsuid-{number}",
        "type": "action.created",
        "ticket_number": number,
        "author_name": "Carlos Lima",
        "text": "Corrigimos o filtro do relatório.",
    }
    assert post_erp_event(stack, event).status_code == 200
    [sent] = eventually(lambda: sent_since(before), timeout=20)
    assert sent["recipient"] == BSUID and "to" not in sent
    assert "Corrigimos o filtro do relatório." in sent["text"]["body"]


def test_a_signed_delivery_that_cannot_be_read_is_answered_200(cloud_stack):
    stack, _ = cloud_stack
    for body in (b"{", b'{"object": "whatsapp_business_account", "entry": [{"changes": [7]}]}'):
        signature = "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
        response = requests.post(
            f"{stack.url}/webhooks/cloud", data=body, headers={"x-hub-signature-256": signature}, timeout=10
        )
        assert response.status_code == 200
    forged = requests.post(
        f"{stack.url}/webhooks/cloud", data=b"{", headers={"x-hub-signature-256": "sha256=0"}, timeout=10
    )
    assert forged.status_code == 401
