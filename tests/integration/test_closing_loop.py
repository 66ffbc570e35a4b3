"""Closing the loop against moto: the ERP closes a ticket, the notifier asks the requester, the
answer on WhatsApp reopens or rates it, and the ERP hears it (signed, exactly once)."""

from __future__ import annotations

import json

import pytest

from helpdesk.logic import erp
from helpdesk.storage import phones, ratings, tickets
from helpdesk.storage.models import Conversation
from local.testing.whatsapp import Processor, Requester
from tests.integration.erp_fixtures import StreamReader, erp_app, notifier, seed_ticket, selected  # noqa: F401
from tests.integration.test_notifier import erp_server  # noqa: F401


@pytest.fixture
def loop(aws, erp_app, notifier, erp_server):  # noqa: F811
    stream = StreamReader(aws)
    seeded = seed_ticket()
    processor = Processor(aws, notifier.gateway)  # one phone, one recording of what it reads
    requester = Requester(processor, seeded.phone)

    class Loop:
        number = seeded.ticket_number
        phone = seeded.phone

        def close(self, event_id: str) -> list[str]:
            """The ERP closes the ticket; the notifier runs on what the stream carries."""
            status, _ = erp_app.post(
                {"event_id": event_id, "type": "ticket.closed", "ticket_number": self.number}
            )
            assert status == 200
            return self.notify()

        def notify(self) -> list[str]:
            before = len(notifier.gateway.sent)
            records = selected(stream.new_records())
            if not records:
                return []
            self.last_records = records
            result = notifier.invoke(records)
            assert result == {"batchItemFailures": []}, notifier.exceptions
            return [text for _, _, text in notifier.gateway.sent[before:]]

        def redeliver(self) -> None:
            """The stream hands the last batch again (at-least-once delivery)."""
            assert notifier.invoke(self.last_records) == {"batchItemFailures": []}

        def says(self, text: str, message_id: str | None = None) -> list[str]:
            return requester.says(text, message_id)

        def erp_events(self, kind: str) -> list[dict]:
            events = []
            for headers, body in erp_server.received:
                erp.verify_signature(body, headers, "test-erp-secret")
                event = json.loads(body)
                if event["type"] == kind:
                    events.append(event)
            return events

    return Loop()


def test_a_closing_asks_once_and_a_nao_reopens_and_reaches_the_erp_once(loop):
    [closing] = loop.close("close-1")
    assert "Situação alterada para *Encerrado*" in closing and "O problema foi resolvido?" in closing

    # A duplicate closing (another event id) is told, but not asked again.
    [again] = loop.close("close-2")
    assert "O problema foi resolvido?" not in again

    replies = loop.says("2", message_id="WA-NAO")
    assert any("reabrimos o atendimento" in text for text in replies)
    assert tickets.get_ticket(loop.number).status == "Reaberto"
    loop.says("2", message_id="WA-NAO")  # WhatsApp redelivers the same message
    loop.says("Continua sem imprimir.")
    loop.says("fim")
    loop.notify()
    loop.redeliver()

    [reopened] = loop.erp_events("ticket.reopened")
    assert reopened["data"]["ticket_number"] == loop.number
    assert reopened["data"]["status"] == "Reaberto"
    assert reopened["event_id"] == "ticket.reopened:wa-WA-NAO"
    [follow_up] = loop.erp_events("action.created")
    assert follow_up["data"]["text"] == "Continua sem imprimir."

    # Reopened, a new closing asks again.
    [closing] = loop.close("close-3")
    assert "O problema foi resolvido?" in closing


def test_a_sim_and_a_rating_reach_the_ticket_and_the_erp(loop):
    loop.close("close-1")
    assert any("nota" in text.lower() for text in loop.says("sim"))
    loop.says("5")
    assert any("Obrigado pela avaliação" in text for text in loop.says("Resolveram rápido."))
    loop.notify()

    ticket = tickets.get_ticket(loop.number)
    assert (ticket.rating, ticket.rating_comment, ticket.status) == (5, "Resolveram rápido.", "Encerrado")
    [rated] = loop.erp_events("ticket.rated")
    assert rated["data"]["rating"] == 5 and rated["data"]["comment"] == "Resolveram rápido."
    assert rated["data"]["ticket_number"] == loop.number


def test_without_an_answer_the_ticket_stays_closed_and_other_messages_are_a_conversation(loop):
    loop.close("close-1")
    replies = loop.says("oi")  # not an answer: the conversation goes on
    assert any("Olá de novo" in text for text in replies)
    assert tickets.get_ticket(loop.number).status == "Encerrado"
    conversation = Conversation.get(phones.phone_pk(loop.phone), "CONVERSATION")
    assert conversation.state["step"] != "confirm_fix"
    assert loop.erp_events("ticket.reopened") == []


def test_claiming_the_question_is_once_per_closing(aws):
    from datetime import UTC, datetime

    seeded = seed_ticket()
    now = datetime.now(UTC)
    assert ratings.claim_fix_question(seeded.ticket_number, now) is True
    assert ratings.claim_fix_question(seeded.ticket_number, now) is False


def test_the_console_closing_a_ticket_asks_too_and_other_statuses_do_not(loop):
    from tests.integration.test_admin_api import call

    status, _ = call("POST", f"/admin/tickets/{loop.number}/status", body={"status": "Em andamento"})
    assert status == 201
    [progress] = loop.notify()
    assert "O problema foi resolvido?" not in progress

    status, _ = call("POST", f"/admin/tickets/{loop.number}/status", body={"status": "encerrado"})
    assert status == 201
    [closing] = loop.notify()
    assert "O problema foi resolvido?" in closing
    assert any("reabrimos" in text for text in loop.says("Não"))
    status, ticket = call("GET", f"/admin/tickets/{loop.number}")
    assert (ticket["status"], ticket["reopened_count"]) == ("Reaberto", 1)
    reopening = ticket["actions"][-1]
    assert (reopening["kind"], reopening["author_kind"], reopening["status"]) == (
        "status",
        "requester",
        "Reaberto",
    )


# --- outside the Cloud API's 24-hour window ----------------------------------------------------


@pytest.mark.parametrize("answer", ["2", "Não"])  # typed, or a template quick reply's label
def test_a_closing_past_the_window_asks_in_the_template_and_the_answer_reopens(
    aws,
    erp_app,  # noqa: F811
    answer,
):
    from datetime import UTC, datetime, timedelta

    from helpdesk import texts
    from helpdesk.events import DynamoDBRecord
    from helpdesk.logic import notify
    from helpdesk.logic.services import Services
    from local.testing.gateways import CloudLikeGateway
    from tests.integration.erp_fixtures import set_conversation

    now = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
    seeded = seed_ticket(now=now - timedelta(days=3))
    set_conversation(seeded.phone, "main_menu", {}, now=now - timedelta(hours=25))
    stream = StreamReader(aws)
    stream.new_records()
    cloud = CloudLikeGateway()

    def close(event_id: str) -> None:
        event = {"event_id": event_id, "type": "ticket.closed", "ticket_number": seeded.ticket_number}
        assert erp_app.post(event)[0] == 200
        for record in selected(stream.new_records()):
            notify.handle_record(DynamoDBRecord(record), Services(gateway=cloud, clock=lambda: now))

    close("close-1")
    assert cloud.texts == []  # Meta would refuse a text: only the template goes
    [(to, _, _, params)] = cloud.templates
    assert to == seeded.phone
    assert params == [str(seeded.ticket_number), "Impressora não imprime", texts.TEMPLATE_ASK_FIX]
    close("close-2")  # a duplicate closing is told, not asked again
    assert len(cloud.templates) == 2 and cloud.templates[1][3][2] != texts.TEMPLATE_ASK_FIX

    # The requester answers ten minutes later: the conversation waited for it, as inside the window.
    processor = Processor(aws)
    later = now + timedelta(minutes=10)
    processor.function.module.services = lambda: Services(gateway=processor.gateway, clock=lambda: later)
    replies = Requester(processor, seeded.phone).says(answer)
    assert any("reabrimos o atendimento" in text for text in replies)
    assert tickets.get_ticket(seeded.ticket_number).status == "Reaberto"
