"""Edits, deletes for everyone, reactions and transcripts (issue 22) end to end over moto: the real
webhook payloads (Evolution and Cloud API) through the deployed webhook handler, the FIFO queue,
the processor and the table. None is answered; each changes what it must, once."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

import pytest

from helpdesk import caches
from helpdesk.logic import notifications
from helpdesk.logic.services import Services
from helpdesk.logic.ticket_actions import post_action
from helpdesk.storage import statuses, tickets
from helpdesk.storage.models import Action, Item, Ticket
from local.lambdas import load_function
from local.testing.apigw import http_event
from local.testing.gateways import RecordingGateway
from local.testing.whatsapp import Requester as Phone
from local.testing.whatsapp import ticket_number_in

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PHONE = "5511987654321"  # the phone of the recorded payloads
INSTANCE = "suporte"  # the instance of the recorded Evolution payloads


@pytest.fixture
def maria(processor):
    phone = Phone(processor, PHONE)
    phone.register()
    return phone


@pytest.fixture
def webhook(aws):
    return load_function("WebhookFunction")


def evolution(name: str, **changes) -> dict:
    payload = json.loads((FIXTURES / "evolution" / f"{name}.json").read_text())
    for path, value in changes.items():
        where = payload
        *parents, last = path.split("__")
        for part in parents:
            where = where[part]
        where[last] = value
    return payload


def post_evolution(webhook, processor, payload: dict, *, drain: bool = True) -> None:
    body = json.dumps(payload)
    event = http_event(
        "POST", "/webhooks/evolution", body=body, headers={"x-webhook-token": "test-webhook-token"}
    )
    assert webhook.invoke(event)["statusCode"] == 200
    if drain:
        processor.drain()


def actions(number: int) -> list[Action]:
    return tickets.actions_of(Ticket.get(f"TICKET#{number}", "META"))


def open_ticket(maria, description_id: str) -> int:
    replies = [reply for body in ("0", "Nota fiscal", "2") for reply in maria.says(body)]
    replies += maria.says("O sistema nao emite nota", message_id=description_id)
    replies += maria.says("Fim")
    return ticket_number_in(replies)


def test_an_evolution_edit_in_a_draft_replaces_the_text_and_is_not_answered(maria, processor, webhook):
    for body in ("0", "Nota fiscal", "2"):
        maria.says(body)
    maria.says("O sistema nao emite nota", message_id="3EB0A1B2C3D4E5F60718")
    sent = len(processor.gateway.sent)
    post_evolution(webhook, processor, evolution("messages-upsert-edited"))
    assert len(processor.gateway.sent) == sent  # nothing answered
    number = ticket_number_in(maria.says("Fim"))
    assert Ticket.get(f"TICKET#{number}", "META").description == "O sistema não emite a nota fiscal"


@pytest.mark.parametrize("shape", ["messages-edited", "messages-update-edit", "messages-upsert-edited"])
def test_an_evolution_edit_of_a_saved_message_is_a_new_action_once(maria, processor, webhook, shape):
    number = open_ticket(maria, "3EB0A1B2C3D4E5F60718")
    sent = len(processor.gateway.sent)
    post_evolution(webhook, processor, evolution(shape))
    post_evolution(webhook, processor, evolution(shape))  # delivered twice
    texts = [action.text for action in actions(number)]
    assert texts == ["O sistema nao emite nota", "(editado) O sistema não emite a nota fiscal"]
    assert len(processor.gateway.sent) == sent


@pytest.mark.parametrize("shape", ["messages-delete", "messages-upsert-protocol"])
def test_an_evolution_delete_marks_the_saved_message_for_the_agents_once(maria, processor, webhook, shape):
    number = open_ticket(maria, "3EB0A1B2C3D4E5F60718")
    sent = len(processor.gateway.sent)
    post_evolution(webhook, processor, evolution(shape))
    [opening] = actions(number)
    first_mark = opening.deleted_at
    assert first_mark is not None and opening.text == "O sistema nao emite nota"  # kept for agents
    post_evolution(webhook, processor, evolution("messages-delete"))  # the other event, same delete
    post_evolution(webhook, processor, evolution("messages-edited"))  # an edit after the delete
    [opening] = actions(number)
    assert opening.deleted_at == first_mark
    assert len(processor.gateway.sent) == sent


def test_a_reaction_to_a_notification_is_recorded_on_its_action_and_reaches_the_erp_stream(
    maria, processor, webhook
):
    number = open_ticket(maria, "3EB0A1B2C3D4E5F60718")
    answer = post_action(
        Services(),
        number,
        author_kind="agent",
        author_name="Carlos",
        text="Reinstale o emissor.",
        source="erp",
    )
    image = {**answer.attribute_values, "attachments": []}
    notifications.notify_requester(image, Services(gateway=processor.gateway))
    told = processor.gateway.id_of(PHONE, "Reinstale o emissor")
    sent = len(processor.gateway.sent)
    payload = evolution("messages-upsert-reaction", data__message__reactionMessage__key__id=told)
    post_evolution(webhook, processor, payload)
    stored = Action.get(answer.pk, answer.sk)
    assert stored.reaction == "👍" and stored.reaction_id
    assert len(processor.gateway.sent) == sent
    other = evolution("messages-upsert-reaction", data__key__id="3EB0REACT2")
    other["data"]["message"]["reactionMessage"]["key"]["id"] = "SOMETHING-ELSE"
    post_evolution(webhook, processor, other)  # a reaction to anything else: ignored
    assert Action.get(answer.pk, answer.sk).reaction == "👍"


def test_a_transcribed_voice_note_answers_the_subject(maria, processor, webhook):
    maria.says("0")
    payload = evolution(
        "messages-upsert-audio-transcript", data__message__speechToText="[audio] Impressora parada"
    )
    processor.gateway.stored_media[payload["data"]["key"]["id"]] = b"OggS voice note"
    post_evolution(webhook, processor, payload)
    assert "tipo" in processor.gateway.texts_to(PHONE)[-1]
    maria.says("1")
    maria.says("Não liga")
    number = ticket_number_in(maria.says("fim"))
    assert Ticket.get(f"TICKET#{number}", "META").title == "Impressora parada"


# --- the Cloud API ---------------------------------------------------------------------------

CLOUD_ORIGINAL = "wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYIDNFQjATEXT01"


def post_cloud(processor, name: str, monkeypatch) -> None:
    monkeypatch.setenv("CLOUD_APP_SECRET", "cloud-app-secret")
    caches.reset()
    function = load_function("WebhookFunction")
    body = (FIXTURES / "cloud" / f"{name}.json").read_text()
    signature = "sha256=" + hmac.new(b"cloud-app-secret", body.encode(), hashlib.sha256).hexdigest()
    event = http_event("POST", "/webhooks/cloud", body=body, headers={"X-Hub-Signature-256": signature})
    assert function.invoke(event)["statusCode"] == 200
    processor.drain()


def test_cloud_edit_and_revoke_of_a_saved_message(maria, processor, monkeypatch):
    number = open_ticket(maria, CLOUD_ORIGINAL)
    sent = len(processor.gateway.sent)
    post_cloud(processor, "edit", monkeypatch)
    post_cloud(processor, "revoke", monkeypatch)
    opening, edit = actions(number)
    assert edit.text == "(editado) O sistema não emite a nota fiscal"
    assert opening.deleted_at is not None
    assert len(processor.gateway.sent) == sent


def test_the_items_of_the_table_never_hold_a_second_ticket(maria, processor, webhook):
    open_ticket(maria, "3EB0A1B2C3D4E5F60718")
    post_evolution(webhook, processor, evolution("messages-upsert-edited"))
    assert sum(1 for item in Item.scan() if isinstance(item, Ticket)) == 1


def dynamodb_calls(processor, post) -> list[str]:
    calls: list[str] = []
    events = Item._get_connection().connection.client.meta.events

    def hook(model, **_):
        calls.append(model.name)

    events.register("before-call.dynamodb", hook)
    try:
        post()
    finally:
        events.unregister("before-call.dynamodb", hook)
    return calls


def test_requests_of_the_turns_that_change_a_message(maria, processor, webhook):
    """A draft edit: the turn's one query and one put (no outbox to mark: nothing is answered). An
    edit of a saved message adds the ticket's read and the transaction of any action; a reaction,
    the sent-message log's read and the action's update with the conversation."""
    for body in ("0", "Nota fiscal", "2"):
        maria.says(body)
    maria.says("O sistema nao emite nota", message_id="3EB0A1B2C3D4E5F60718")
    post_evolution(webhook, processor, evolution("messages-edited"), drain=False)
    draft_edit = dynamodb_calls(processor, processor.drain)
    number = ticket_number_in(maria.says("Fim"))
    later = evolution(
        "messages-update-edit", data__update__message__editedMessage__message__conversation="Não emite a nota"
    )
    post_evolution(webhook, processor, later, drain=False)
    statuses.managed()  # the managed statuses' one-minute cache, warm in a container that posted before
    saved_edit = dynamodb_calls(processor, processor.drain)
    assert draft_edit == ["Query", "PutItem"]
    assert saved_edit == ["Query", "GetItem", "TransactWriteItems"]
    assert actions(number)[-1].text.startswith("(editado)")


def test_an_edit_reported_from_the_senders_side_is_attributed_by_the_processor(maria, processor, webhook):
    """The webhook queues it as it came (it never calls the gateway); the processor asks the
    gateway whose message it was, then the change runs under that requester."""
    number = open_ticket(maria, "3EB0A1B2C3D4E5F60718")
    processor.gateway.senders["3EB0A1B2C3D4E5F60718"] = PHONE
    asked_by_the_webhook = []
    webhook.module.services = lambda: Services(gateway=AskedGateway(asked_by_the_webhook))
    post_evolution(webhook, processor, evolution("messages-edited-sender-side"))
    assert asked_by_the_webhook == []
    assert processor.gateway.asked_senders == ["3EB0A1B2C3D4E5F60718"]
    assert actions(number)[-1].text == "(editado) O sistema não emite a nota fiscal"


def test_when_the_gateway_does_not_know_the_sender_such_an_edit_is_dropped(aws, maria, processor, webhook):
    number = open_ticket(maria, "3EB0A1B2C3D4E5F60718")
    sent, before = len(processor.gateway.sent), [action.text for action in actions(number)]
    post_evolution(webhook, processor, evolution("messages-edited-sender-side"))
    assert processor.gateway.asked_senders == ["3EB0A1B2C3D4E5F60718"]
    assert len(processor.gateway.sent) == sent and [action.text for action in actions(number)] == before


class AskedGateway(RecordingGateway):
    """Notes any lookup (the webhook must make none)."""

    def __init__(self, asked: list[str]) -> None:
        super().__init__()
        self.asked = asked

    def sender_of(self, instance: str, message_id: str):
        self.asked.append(message_id)
        return None


def test_thanks_at_the_tickets_menu_reads_the_list_once(maria, processor):
    """Small talk at the menu matches the tickets' titles and shows the menu again: one list read,
    as a refusal read it before words were understood."""
    open_ticket(maria, "3EB0A1B2C3D4E5F60718")
    calls = dynamodb_calls(processor, lambda: maria.says("obrigado!"))
    assert calls == ["Query", "Query", "PutItem", "UpdateItem"]  # the phone's partition, the list
    assert "De nada" in processor.gateway.texts_to(PHONE)[-1]
