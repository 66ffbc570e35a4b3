"""Issue #13 over moto: the 24-hour window, the sent-message log and its receipts, LID aliases and
instance health, through the notifier's and the webhook's logic."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from helpdesk.api.shapes import action_json, instance_json, stats_json
from helpdesk.domain.messages import Attachment, InboundKind, InboundMessage, MediaKind
from helpdesk.gateways.base import (
    DeliveryReceipt,
    DeliveryStatus,
    InstanceUpdate,
    WebhookBatch,
)
from helpdesk.logic import inbound, notifications, notify
from helpdesk.logic.admin.stats import instance_stats
from helpdesk.logic.services import Services
from helpdesk.logic.ticket_actions import post_action
from helpdesk.storage import catalog, conversations, phones, sent, tickets
from helpdesk.storage.models import Action
from local.testing.gateways import CloudLikeGateway, TextOnlyGateway
from local.testing.stats import StatsConsumer
from tests.integration.erp_fixtures import seed_ticket, set_conversation

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


def agent_action(number: int, text: str = "Reinicie o servidor e teste de novo.", **kwargs) -> dict:
    action = post_action(
        Services(clock=lambda: NOW),
        number,
        author_kind="agent",
        author_name="Carlos Lima",
        text=text,
        source="erp",
        **kwargs,
    )
    return {**action.attribute_values, "attachments": [a.as_dict() for a in action.attachments]}


def notify_at(image: dict, gateway, now: datetime = NOW) -> None:
    notifications.notify_requester(image, Services(gateway=gateway, clock=lambda: now))


@pytest.fixture
def seeded(aws):
    return seed_ticket(now=NOW - timedelta(days=3))


def stored_action(image: dict) -> Action:
    return Action.get(image["pk"], image["sk"])


# --- the 24-hour window ------------------------------------------------------------------------


def test_inside_the_window_the_notification_is_text(seeded):
    set_conversation(seeded.phone, "main_menu", {}, now=NOW - timedelta(hours=23))
    gateway = CloudLikeGateway()
    notify_at(agent_action(seeded.ticket_number), gateway)
    [(to, text)] = gateway.texts
    assert to == seeded.phone and "Reinicie o servidor" in text and gateway.templates == []


@pytest.mark.parametrize("last_inbound", [timedelta(hours=25), None])
def test_outside_the_window_or_without_a_conversation_the_template_goes(seeded, last_inbound):
    if last_inbound is not None:
        set_conversation(seeded.phone, "main_menu", {}, now=NOW - last_inbound)
    gateway = CloudLikeGateway()
    photo = Attachment("k/foto.png", MediaKind.IMAGE, "image/png", "foto.png", 3)
    image = agent_action(seeded.ticket_number, "Reinicie\no servidor", attachments=[photo])
    notify_at(image, gateway)
    assert gateway.texts == [] and gateway.media == []  # Meta would refuse both
    [(to, name, language, params)] = gateway.templates
    ticket = tickets.get_ticket(seeded.ticket_number)
    assert (to, name, language) == (seeded.phone, "atendimento_atualizado", "pt_BR")
    assert params == [str(seeded.ticket_number), ticket.title, "Reinicie o servidor"]
    assert sent.find_sent("wamid.P1").kind == "template"


def test_a_131047_refusal_is_answered_with_the_template_not_retried(seeded):
    set_conversation(seeded.phone, "main_menu", {}, now=NOW - timedelta(hours=1))
    gateway = CloudLikeGateway(refuse_text=True)
    notify_at(agent_action(seeded.ticket_number), gateway)
    assert len(gateway.templates) == 1 and gateway.texts == []


def test_evolution_has_no_window(seeded):
    set_conversation(seeded.phone, "main_menu", {}, now=NOW - timedelta(days=5))
    gateway = TextOnlyGateway()
    notify_at(agent_action(seeded.ticket_number), gateway)
    assert len(gateway.sent) == 1


# --- sent-message log and receipts -------------------------------------------------------------


def receipt(message_id: str, status: DeliveryStatus, minutes: int, **kwargs) -> WebhookBatch:
    at = int((NOW + timedelta(minutes=minutes)).timestamp())
    return WebhookBatch(receipts=[DeliveryReceipt(message_id, status, "suporte", at=at, **kwargs)])


def test_receipts_reach_the_agents_action_and_only_move_forward(seeded):
    set_conversation(seeded.phone, "main_menu", {}, now=NOW - timedelta(hours=1))
    gateway = CloudLikeGateway()
    image = agent_action(seeded.ticket_number)
    notify_at(image, gateway)
    record = sent.find_sent("wamid.T1")
    assert (record.status, record.ticket_number, record.action_id, record.phone) == (
        "sent",
        seeded.ticket_number,
        image["action_id"],
        seeded.phone,
    )
    assert action_json(stored_action(image))["delivery"] == {"status": "sent", "at": NOW.isoformat()}

    inbound.accept(Services(clock=lambda: NOW), receipt("wamid.T1", DeliveryStatus.READ, 5))
    inbound.accept(
        Services(clock=lambda: NOW), receipt("wamid.T1", DeliveryStatus.DELIVERED, 4)
    )  # late: never moves back
    inbound.accept(
        Services(clock=lambda: NOW), receipt("wamid.T1", DeliveryStatus.FAILED, 6)
    )  # failed only after sent
    read_at = (NOW + timedelta(minutes=5)).isoformat()
    assert sent.find_sent("wamid.T1").status == "read"
    assert action_json(stored_action(image))["delivery"] == {"status": "read", "at": read_at}


def test_a_failed_delivery_is_recorded_with_its_error(seeded):
    gateway = CloudLikeGateway()
    image = agent_action(seeded.ticket_number)
    notify_at(image, gateway)  # no conversation: the template
    inbound.accept(
        Services(clock=lambda: NOW),
        receipt("wamid.P1", DeliveryStatus.FAILED, 1, error="131026 Message undeliverable"),
    )
    record = sent.find_sent("wamid.P1")
    assert (record.status, record.error) == ("failed", "131026 Message undeliverable")
    assert stored_action(image).delivery == "failed"


def test_failed_deliveries_are_counted_once_each_on_the_day_of_the_report(seeded, aws):
    for message_id in ("wamid.F1", "wamid.F2", "wamid.F3"):
        sent.record_sent(message_id, phone=seeded.phone, instance="suporte", kind="notification", at=NOW)
    services = Services(clock=lambda: NOW)
    inbound.accept(
        services, receipt("wamid.F1", DeliveryStatus.FAILED, 1, error="131026 Message undeliverable")
    )
    inbound.accept(services, receipt("wamid.F1", DeliveryStatus.FAILED, 2))  # repeated: no change, no count
    inbound.accept(services, receipt("wamid.F2", DeliveryStatus.READ, 3))
    inbound.accept(services, receipt("wamid.F3", DeliveryStatus.FAILED, 24 * 60))  # reported the next day
    inbound.accept(services, receipt("wamid.UNKNOWN", DeliveryStatus.FAILED, 4))  # not the bot's log: nothing

    StatsConsumer(aws).drain(deliveries=2)  # every batch handed over twice, as after a crash

    tomorrow = Services(clock=lambda: NOW + timedelta(days=1))
    shown = stats_json(instance_stats(tomorrow, "suporte", 3), 3)
    assert [(day["day"], day["failed"]) for day in shown["per_day"]] == [
        ((NOW - timedelta(days=1)).date().isoformat(), 0),
        (NOW.date().isoformat(), 1),
        ((NOW + timedelta(days=1)).date().isoformat(), 1),
    ]
    assert shown["total"]["failed"] == 2


def test_receipts_of_unlogged_messages_change_nothing(aws):
    inbound.accept(Services(clock=lambda: NOW), receipt("wamid.UNKNOWN", DeliveryStatus.READ, 1))
    assert sent.find_sent("wamid.UNKNOWN") is None


# --- LID aliases -------------------------------------------------------------------------------


def message(phone: str, message_id: str, lid: str | None = None) -> InboundMessage:
    return InboundMessage(
        message_id=message_id,
        instance="suporte",
        phone=phone,
        kind=InboundKind.TEXT,
        timestamp=int(NOW.timestamp()),
        gateway="evolution",
        text="oi",
        lid=lid,
        reply_to=f"{lid}@lid" if phone.startswith("lid:") else f"{phone}@s.whatsapp.net",
    )


def queued(aws) -> list[tuple[str, dict]]:
    sqs = aws.session.client("sqs")
    got = sqs.receive_message(QueueUrl=aws.queue_url, MaxNumberOfMessages=10, AttributeNames=["All"])
    return [(m["Attributes"]["MessageGroupId"], json.loads(m["Body"])) for m in got.get("Messages", [])]


def test_a_lid_only_message_is_served_under_the_lid_until_linked_then_under_the_phone(aws):
    from helpdesk import caches

    inbound.accept(Services(clock=lambda: NOW), WebhookBatch(messages=[message("lid:777", "L1", lid="777")]))
    inbound.accept(
        Services(clock=lambda: NOW), WebhookBatch(messages=[message("5511987654321", "L2", lid="777")])
    )  # links
    caches.reset()  # another container: the alias comes from the table
    inbound.accept(Services(clock=lambda: NOW), WebhookBatch(messages=[message("lid:777", "L3", lid="777")]))
    got = {body["message_id"]: (group, body["phone"], body["reply_to"]) for group, body in queued(aws)}
    assert got["L1"] == ("suporte#lid:777", "lid:777", "777@lid")
    assert got["L2"][:2] == ("suporte#5511987654321", "5511987654321")
    # same FIFO group and identity as the phone's messages; the reply still goes where it came from
    assert got["L3"] == ("suporte#5511987654321", "5511987654321", "777@lid")


def test_a_requester_registered_under_the_lid_stays_there_when_a_phone_appears(aws):
    from helpdesk import caches
    from helpdesk.domain.credentials import hash_password

    phones.new_requester(
        phone="lid:888",
        name="Anônimo",
        email="a@example.com",
        password_hash=hash_password("x"),
        instance="suporte",
        now=NOW,
    ).save()
    inbound.accept(Services(clock=lambda: NOW), WebhookBatch(messages=[message("lid:888", "R1", lid="888")]))
    inbound.accept(
        Services(clock=lambda: NOW), WebhookBatch(messages=[message("5511977776666", "R2", lid="888")])
    )  # first pairing
    caches.reset()
    inbound.accept(
        Services(clock=lambda: NOW), WebhookBatch(messages=[message("5511977776666", "R3", lid="888")])
    )
    inbound.accept(Services(clock=lambda: NOW), WebhookBatch(messages=[message("lid:888", "R4", lid="888")]))
    got = {body["message_id"]: (group, body["phone"], body["reply_to"]) for group, body in queued(aws)}
    assert {m: g[:2] for m, g in got.items()} == {
        m: ("suporte#lid:888", "lid:888") for m in ("R1", "R2", "R3", "R4")
    }
    assert got["R2"][2] == "5511977776666@s.whatsapp.net"  # replies still go where the message came from


# --- instance health ---------------------------------------------------------------------------


def test_close_marks_the_instance_disconnected_since_the_first_close_and_open_clears_it(aws):
    instance = catalog.new_instance(name="suporte", agent_type="suporte", gateway="evolution", now=NOW)
    instance.save()
    inbound.apply_instance_update(InstanceUpdate("suporte", state="close", reason=401), NOW)
    inbound.apply_instance_update(
        InstanceUpdate("suporte", state="close", reason=401), NOW + timedelta(hours=1)
    )
    instance.refresh()
    assert (instance.state, instance.disconnected_at, instance.disconnect_reason) == ("close", NOW, 401)
    shown = instance_json(instance, with_qr=False)  # what the console shows
    assert (shown["disconnected_at"], shown["disconnect_reason"]) == (NOW.isoformat(), 401)
    inbound.apply_instance_update(
        InstanceUpdate("suporte", state="open", reason=200), NOW + timedelta(hours=2)
    )
    instance.refresh()
    assert (instance.state, instance.disconnected_at, instance.disconnect_reason) == ("open", None, None)


def test_a_lid_only_requester_logs_in_to_the_portal_as_lid_digits(aws):
    from helpdesk.domain.credentials import hash_password
    from helpdesk.logic import portal

    requester = phones.new_requester(
        phone="lid:246813579024680",
        name="Anônimo",
        email="a@example.com",
        password_hash=hash_password("s3nha-Forte"),
        instance="suporte",
        now=NOW,
    )
    requester.save()
    result = portal.login(Services(clock=lambda: NOW), " LID:246813579024680 ", "s3nha-Forte")
    assert result.session.phone == "lid:246813579024680"


# --- tappable menus ----------------------------------------------------------------------------


def test_menus_go_as_options_where_the_gateway_has_them_and_a_tap_answers_like_a_typed_number(aws):
    from local.testing.gateways import RecordingGateway
    from local.testing.whatsapp import Processor, text

    seeded = seed_ticket()
    processor = Processor(aws, RecordingGateway())
    inbound.accept(Services(clock=lambda: NOW), WebhookBatch(messages=[text(seeded.phone, "oi")]))
    processor.drain()
    (to, question, menu) = processor.gateway.menus[-1]
    assert to == seeded.phone and menu.options and all(o.number.isdigit() for o in menu.options)
    assert "Digite o número" not in question and menu.ask == "Digite o número:"
    # The Cloud parser reads a tap as the option's number: the dialog sees "2" as if typed.
    number = next(o.number for o in menu.options if "atendimentos" in o.title.lower())
    inbound.accept(Services(clock=lambda: NOW), WebhookBatch(messages=[text(seeded.phone, number)]))
    processor.drain()
    assert any("Atendimentos" in t for t in processor.gateway.texts_to(seeded.phone))


# --- a text Meta accepted, then refused for the window ----------------------------------------


def test_a_131047_failure_status_wakes_the_notifier_which_sends_the_template_once(seeded, aws):
    from helpdesk import caches
    from helpdesk.events import DynamoDBRecord
    from tests.integration.erp_fixtures import StreamReader, selected

    caches.reset()
    set_conversation(seeded.phone, "main_menu", {}, now=NOW - timedelta(hours=2))  # our clock: inside
    gateway = CloudLikeGateway()
    image = agent_action(seeded.ticket_number)
    stream = StreamReader(aws)
    stream.new_records()
    notify_at(image, gateway)
    assert [to for to, _ in gateway.texts] == [seeded.phone] and gateway.templates == []
    refused = receipt(
        "wamid.T1", DeliveryStatus.FAILED, 1, error="131047 Re-engagement message", error_code=131047
    )
    inbound.accept(Services(clock=lambda: NOW), refused)
    inbound.accept(Services(clock=lambda: NOW), refused)  # Meta repeats itself: still one template
    records = selected(stream.new_records())
    assert [r["eventName"] for r in records] == ["MODIFY"]  # only the refusal reaches the notifier
    services = Services(gateway=gateway, clock=lambda: NOW + timedelta(minutes=2))
    for record in records * 2:  # a redelivered stream record too
        notify.handle_record(DynamoDBRecord(record), services)
    [(to, name, _, params)] = gateway.templates
    assert (to, name) == (seeded.phone, "atendimento_atualizado")
    assert params[2] == "Reinicie o servidor e teste de novo."
    assert stored_action(image).delivery == "sent"  # the template supersedes the refused text
    assert sent.find_sent("wamid.P1").kind == "template"


# --- a closing refused for the window still asks whether it is solved (issue #15) ---------------


def closing(number: int) -> dict:
    return agent_action(number, "Troquei o cabo.", status="Encerrado", closes=True)


def waits_for_fix(phone: str) -> bool:
    return conversations.get_conversation(phone).state["step"] == "confirm_fix"


def test_a_closing_refused_with_131047_asks_in_the_template(seeded):
    from helpdesk import texts

    set_conversation(seeded.phone, "main_menu", {}, now=NOW - timedelta(hours=1))  # inside, Meta disagrees
    gateway = CloudLikeGateway(refuse_text=True)
    notify_at(closing(seeded.ticket_number), gateway)
    [(_, _, _, params)] = gateway.templates
    assert params[2] == texts.TEMPLATE_ASK_FIX and waits_for_fix(seeded.phone)


def test_a_closing_refused_after_acceptance_is_asked_again_in_the_template(seeded, aws):
    from helpdesk import caches, texts
    from helpdesk.events import DynamoDBRecord
    from tests.integration.erp_fixtures import StreamReader, selected

    caches.reset()
    set_conversation(seeded.phone, "main_menu", {}, now=NOW - timedelta(hours=2))
    gateway = CloudLikeGateway()
    image = closing(seeded.ticket_number)
    stream = StreamReader(aws)
    stream.new_records()
    notify_at(image, gateway)
    [(_, asked)] = gateway.texts
    assert "O problema foi resolvido?" in asked and waits_for_fix(seeded.phone)
    refused = receipt("wamid.T1", DeliveryStatus.FAILED, 1, error="131047", error_code=131047)
    inbound.accept(Services(clock=lambda: NOW), refused)
    services = Services(gateway=gateway, clock=lambda: NOW + timedelta(minutes=2))
    for record in selected(stream.new_records()):
        notify.handle_record(DynamoDBRecord(record), services)
    [(_, _, _, params)] = gateway.templates
    assert params[2] == texts.TEMPLATE_ASK_FIX


def test_the_question_stored_without_a_conversation_does_not_open_the_window(seeded):
    from helpdesk import texts

    gateway = CloudLikeGateway()
    notify_at(closing(seeded.ticket_number), gateway)  # no message ever: the template asks
    assert gateway.templates[0][3][2] == texts.TEMPLATE_ASK_FIX and waits_for_fix(seeded.phone)
    notify_at(agent_action(seeded.ticket_number), gateway, NOW + timedelta(hours=1))
    assert len(gateway.templates) == 2 and gateway.texts == []  # still no inbound: still the template
