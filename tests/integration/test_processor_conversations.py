"""Conversations as people write them (issue 12), through the processor over moto: texts split in
several messages, files where a text is asked, drafts that survive a pause."""

from __future__ import annotations

import itertools
import json
from datetime import datetime, timedelta

import pytest
from msgspec.structs import replace

from helpdesk.domain.messages import InboundMessage, MediaKind
from helpdesk.logic import portal, turn
from helpdesk.logic.services import Services
from helpdesk.logic.ticket_actions import post_action
from helpdesk.storage import statuses
from helpdesk.storage.models import Action, Conversation, Notified, Ticket
from helpdesk.storage.phones import phone_pk
from helpdesk.storage.tickets import ticket_pk
from local.testing.whatsapp import Requester as Phone
from local.testing.whatsapp import file, text
from tests.integration.erp_fixtures import StreamReader, selected
from tests.integration.test_notifier import erp_server  # noqa: F401 (a fixture)
from tests.integration.test_processor_flow import dynamodb_calls_of

PHONE = "5511912340000"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 64
OGG = b"OggS" + b"\x02" * 64
_ids = itertools.count(1)


def upload(kind: MediaKind, mimetype: str, filename: str | None, content: bytes, caption=None):
    return file(PHONE, kind, mimetype, filename, content, message_id=f"CONV{next(_ids):06d}", caption=caption)


def screenshot(caption: str | None = None):
    return upload(MediaKind.IMAGE, "image/png", "print.png", PNG, caption)


def voice_note(**media):
    return file(
        PHONE,
        MediaKind.AUDIO,
        "audio/ogg; codecs=opus",
        None,
        OGG,
        message_id=f"CONV{next(_ids):06d}",
        **media,
    )


@pytest.fixture
def maria(processor):
    maria = Phone(processor, PHONE)
    for body in ("oi", "11.222.333/0001-81", "Maria Souza", "maria@cliente.com.br"):
        maria.says(body)
    return maria  # at the tickets menu


def opening(number: int) -> Action:
    return next(a for a in Action.query(ticket_pk(number)) if isinstance(a, Action))


def stored(aws, key: str) -> bytes:
    return aws.session.client("s3").get_object(Bucket=aws.bucket, Key=key)["Body"].read()


def test_a_description_in_three_messages_is_stored_whole(maria):
    for body in ("0", "Sistema não abre", "2", "Bom dia", "o sistema não abre desde ontem"):
        maria.says(body)
    assert maria.says("aparece tela branca") == [
        "Anotado ✅ Pode escrever mais, enviar arquivos ou digitar *Fim* para concluir."
    ]
    maria.says("Fim")
    description = "Bom dia\no sistema não abre desde ontem\naparece tela branca"
    assert Ticket.get(ticket_pk(1), "META").description == description
    assert opening(1).text == description


def test_a_captioned_screenshot_and_a_voice_note_at_the_description_end_up_on_the_ticket(aws, maria):
    for body in ("0", "Erro na nota", "2"):
        maria.says(body)
    replies = maria.sends(screenshot("Erro 500 ao emitir a nota"))
    assert "Recebi *print.png*" in replies[0] and "*Fim*" in replies[0]
    maria.sends(voice_note())
    maria.says("Fim")
    ticket, action = Ticket.get(ticket_pk(1), "META"), opening(1)
    assert ticket.description == action.text == "Erro 500 ao emitir a nota"
    assert [(a.kind, a.mimetype) for a in action.attachments] == [
        ("image", "image/png"),
        ("audio", "audio/ogg"),
    ]
    assert all(a.key.startswith("media/") for a in action.attachments)  # out of the staging area
    assert stored(aws, action.attachments[0].key) == PNG
    assert stored(aws, action.attachments[1].key) == OGG
    assert ticket.last_action.attachment_count == 2  # each file once


def test_a_voice_note_is_acknowledged_by_its_length_never_by_a_file_name(maria):
    for body in ("0", "Ligação", "2"):
        maria.says(body)
    # Evolution reports the length (audioMessage.seconds); the Cloud API does not.
    assert maria.sends(voice_note(seconds=7))[0].startswith("Recebi seu áudio (0:07) ✅")
    assert maria.sends(voice_note())[0].startswith("Recebi seu áudio ✅ (2 arquivos até agora)")
    assert maria.sends(voice_note(seconds=75))[0].startswith("Recebi seu áudio (1:15) ✅")


def test_a_voice_note_alone_is_the_description(maria):
    for body in ("0", "Ligação", "2"):
        maria.says(body)
    maria.sends(voice_note())
    maria.says("fim")
    action = opening(1)
    assert action.text == "(mensagem de voz)" and len(action.attachments) == 1


def test_a_voice_note_is_the_text_of_a_new_action(maria):
    for body in ("0", "Assunto", "2", "Detalhes", "fim", "1", "1"):
        maria.says(body)
    maria.sends(voice_note())
    maria.says("fim")
    actions = [a for a in Action.query(ticket_pk(1)) if isinstance(a, Action)]
    assert [(a.text, len(a.attachments)) for a in actions] == [("Detalhes", 0), ("(mensagem de voz)", 1)]


def later(processor, minutes: float):
    conversation = Conversation.get(phone_pk(PHONE), "CONVERSATION")
    when: datetime = conversation.last_activity + timedelta(minutes=minutes)
    services = Services(gateway=processor.gateway, clock=lambda: when)

    def says(message: InboundMessage) -> list[str]:
        before = len(processor.gateway.texts_to(PHONE))
        turn.handle_inbound(message, services)
        return processor.gateway.texts_to(PHONE)[before:]

    return says


def test_an_expired_draft_is_restored_with_its_files(aws, maria, processor):
    for body in ("0", "Impressora parada", "1", "Não liga"):
        maria.says(body)
    maria.sends(screenshot())
    staged = Conversation.get(phone_pk(PHONE), "CONVERSATION").state["data"]["attachments"][0]["key"]
    assert staged.startswith("staged/")  # the bucket's lifecycle removes it if the draft is abandoned

    says = later(processor, 31)
    [offer] = says(text(PHONE, "oi"))
    assert "1 - Continuar o atendimento *Impressora parada*" in offer and "2 - Começar de novo" in offer
    assert "1 arquivo" in says(text(PHONE, "1"))[0]
    says(text(PHONE, "e a luz pisca"))
    says(text(PHONE, "fim"))
    action = opening(1)
    assert action.text == "Não liga\ne a luz pisca"
    assert [a.filename for a in action.attachments] == ["print.png"]
    assert stored(aws, action.attachments[0].key) == PNG


def test_after_24_hours_the_draft_is_gone(maria, processor):
    for body in ("0", "Impressora parada", "1", "Não liga"):
        maria.says(body)
    replies = later(processor, 24 * 60 + 1)(text(PHONE, "oi"))
    assert "Continuar" not in " ".join(replies) and "Recuperar" in " ".join(replies)


# --- replies reach their ticket --------------------------------------------------------------

JOAO = "5511912349999"


def quoting(message: InboundMessage, quoted_id: str) -> InboundMessage:
    return replace(message, quoted_id=quoted_id)


def requester_actions(number: int) -> list[Action]:
    return [
        a for a in Action.query(ticket_pk(number)) if isinstance(a, Action) and a.author_kind == "requester"
    ]


@pytest.fixture
def notified(aws, maria, processor, notifier):
    """Maria opened ticket 1 and left; an agent answered it and the notifier told her."""
    stream = StreamReader(aws)
    for body in ("0", "Impressora parada", "2", "Não imprime", "fim", "sair"):
        maria.says(body)
    stream.new_records()
    post_action(
        Services(), 1, author_kind="agent", author_name="Carlos", text="Pode testar agora?", source="erp"
    )
    assert notifier.invoke(selected(stream.new_records())) == {"batchItemFailures": []}
    return stream


def test_a_quoted_reply_lands_on_the_right_ticket(maria, notified, notifier, processor):
    quoted = notifier.gateway.id_of(PHONE, "Pode testar agora?")
    calls = dynamodb_calls_of(quoting(text(PHONE, "ainda não funcionou"), quoted), processor)
    # The ticket found with no extra read; the reply is the draft action's text (the conversation
    # alone is written: one conditional put), and the action is written when the files end.
    assert calls == ["Query", "PutItem", "UpdateItem"]
    answer = processor.gateway.texts_to(PHONE)[-1]
    assert "Sua resposta vai para o atendimento *1*" in answer and "*Fim*" in answer
    assert requester_actions(1)[-1].text == "Não imprime"  # nothing posted yet
    maria.sends(voice_note())
    statuses.managed()  # the managed statuses' one-minute cache, warm in a container that posted before
    # "Fim" writes the conversation, the action and the ticket's last action together.
    assert dynamodb_calls_of(text(PHONE, "Fim"), processor) == [
        "Query",
        "GetItem",
        "TransactWriteItems",
        "UpdateItem",
    ]
    [_, reply] = requester_actions(1)
    assert (reply.text, len(reply.attachments)) == ("ainda não funcionou", 1)


def test_a_quoted_reply_to_an_older_notification_is_found_in_the_sent_log(
    maria, notified, notifier, processor
):
    quoted = notifier.gateway.id_of(PHONE, "Pode testar agora?")
    Notified.get(phone_pk(PHONE), "NOTIFIED").delete()  # as if ten newer notifications pushed it out
    calls = dynamodb_calls_of(quoting(text(PHONE, "continua igual"), quoted), processor)
    assert calls == ["Query", "GetItem", "PutItem", "UpdateItem"]  # the one extra read
    assert "Sua resposta vai para o atendimento *1*" in processor.gateway.texts_to(PHONE)[-1]
    maria.says("fim")
    assert [a.text for a in requester_actions(1)] == ["Não imprime", "continua igual"]


def test_a_quoted_reply_to_someone_elses_notification_does_not_reach_that_ticket(
    aws, maria, notified, notifier, processor
):
    joao = Phone(processor, JOAO)
    for body in (
        "oi",
        "11.222.333/0001-81",
        "João Lima",
        "joao@cliente.com.br",
        "0",
        "Rede",
        "2",
        "Sem rede",
        "fim",
    ):
        joao.says(body)
    notified.new_records()
    post_action(
        Services(), 2, author_kind="agent", author_name="Carlos", text="Reinicie o roteador", source="erp"
    )
    notifier.invoke(selected(notified.new_records()))
    theirs = notifier.gateway.id_of(JOAO, "Reinicie o roteador")

    answer = " ".join(maria.sends(quoting(text(PHONE, "já reiniciei"), theirs)))
    # An ordinary message: it answers Maria's own recent notification, never João's ticket.
    assert "atendimento *1*" in answer and "Rede" not in answer and "Reinicie" not in answer
    maria.says("fim")
    assert [a.text for a in requester_actions(2)] == ["Sem rede"]  # only João's own
    assert [a.text for a in requester_actions(1)] == ["Não imprime", "já reiniciei"]


def test_a_plain_message_after_a_notification_opens_that_ticket(maria, notified, processor):
    calls = dynamodb_calls_of(text(PHONE, "oi"), processor)
    # The one extra read (the ticket shown); only the conversation is written: a conditional put.
    assert calls == ["Query", "GetItem", "PutItem", "UpdateItem"]
    answer = processor.gateway.texts_to(PHONE)[-1]
    assert "*Atendimento 1*" in answer and "Pode testar agora?" in answer and "1 - Enviar" in answer
    # The next message is an ordinary answer (no extra read): the notification was used.
    assert dynamodb_calls_of(text(PHONE, "1"), processor) == ["Query", "PutItem", "UpdateItem"]


def test_a_message_long_after_a_notification_starts_as_usual(maria, notified, processor):
    notification_at = Notified.get(phone_pk(PHONE), "NOTIFIED").recent[-1].at
    services = Services(gateway=processor.gateway, clock=lambda: notification_at + timedelta(minutes=31))
    turn.handle_inbound(text(PHONE, "oi"), services)
    answer = processor.gateway.texts_to(PHONE)[-1]
    assert "Recuperar" in answer and "Atendimento 1" not in answer


def test_every_file_is_on_the_ticket_in_the_portal_and_in_the_erp_events_once(
    aws,
    maria,
    notifier,
    erp_server,  # noqa: F811
):
    stream = StreamReader(aws)
    for body in ("0", "Erro na nota", "2"):
        maria.says(body)
    maria.sends(screenshot("Erro 500 ao emitir"))
    maria.sends(voice_note())
    maria.says("Fim")
    for body in ("1", "1"):  # the new ticket, a new message
        maria.says(body)
    maria.sends(upload(MediaKind.DOCUMENT, "application/pdf", "log.pdf", b"%PDF-1.4 log"))
    maria.says("fim")

    view = portal.ticket_view(PHONE, 1)
    portal_files = [a.filename for action in view.actions for a in action.attachments or []]
    assert len(portal_files) == 3 and {"print.png", "log.pdf"} <= set(portal_files)

    assert notifier.invoke(selected(stream.new_records())) == {"batchItemFailures": []}
    events = [json.loads(body) for _, body in erp_server.received]
    erp_files = [a["filename"] for event in events for a in event["data"].get("attachments", [])]
    assert sorted(erp_files) == sorted(portal_files)  # each once: the opening files in ticket.created
    created = next(e for e in events if e["type"] == "ticket.created")
    assert created["data"]["description"] == "Erro 500 ao emitir"
    assert [a["mimetype"] for a in created["data"]["attachments"]] == ["image/png", "audio/ogg"]
