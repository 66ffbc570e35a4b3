"""The requester's whole journey through the deployed processor handler, over moto: real SQS FIFO
batch events, the single table, the media bucket; only WhatsApp is a recording stand-in."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from helpdesk.domain.credentials import verify_password
from helpdesk.domain.messages import MediaKind
from helpdesk.logic import inbound, turn
from helpdesk.logic.services import Services
from helpdesk.storage import knowledge, transaction
from helpdesk.storage.models import Action, Conversation, Item, Requester, Ticket
from helpdesk.storage.phones import phone_pk
from helpdesk.storage.stats import stats_totals
from helpdesk.storage.tickets import ticket_pk
from local.testing.stats import StatsConsumer
from local.testing.whatsapp import MARIA, credentials_in, text

PHONE = MARIA
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"0" * 128


def every_stored_value(aws) -> str:
    table = aws.session.resource("dynamodb").Table(aws.table_name)
    return repr(table.scan()["Items"])


def test_first_contact_ticket_with_two_files_action_sair_and_access_recovery(aws, maria, processor):
    assert "CNPJ" in " ".join(maria.says("Olá"))
    assert "nome" in " ".join(maria.says("11.222.333/0001-81"))
    assert "e-mail" in " ".join(maria.says("Maria Souza"))
    assert "não parece válido" in " ".join(maria.says("maria@"))
    replies = maria.says("maria@cliente.com.br")
    username, password = credentials_in(replies)
    assert username == PHONE
    assert any("/portal" in r for r in replies)
    profile = Requester.get(phone_pk(PHONE), "PROFILE")
    assert (profile.name, profile.email) == ("Maria Souza", "maria@cliente.com.br")
    assert verify_password(password, profile.password_hash)
    assert password not in every_stored_value(aws)

    assert "assunto" in " ".join(maria.says("0")).lower()
    assert "Erro no sistema" in " ".join(maria.says("Erro ao emitir nota fiscal"))
    maria.says("2")  # Erro no sistema
    maria.says("A tela mostra erro 500 ao emitir a nota.")
    maria.sends_file(MediaKind.IMAGE, "image/png", "print.png", PNG)
    maria.sends_file(MediaKind.DOCUMENT, "application/pdf", "nota.pdf", PDF)
    created = " ".join(maria.says("Fim"))
    assert "✅ Atendimento *1* criado: _Erro ao emitir nota fiscal_" in created

    ticket = Ticket.get(ticket_pk(1), "META")
    assert (ticket.title, ticket.request_type_name, ticket.requester_phone) == (
        "Erro ao emitir nota fiscal",
        "Erro no sistema",
        PHONE,
    )
    opening = next(a for a in Action.query(ticket_pk(1)) if isinstance(a, Action))
    assert [a.filename for a in opening.attachments] == ["print.png", "nota.pdf"]
    s3 = aws.session.client("s3")
    assert s3.get_object(Bucket=aws.bucket, Key=opening.attachments[1].key)["Body"].read() == PDF

    assert "Erro ao emitir nota fiscal" in " ".join(maria.says("1"))
    maria.says("1")
    maria.says("Consegui um print melhor.")
    posted = " ".join(maria.says("fim"))
    assert "1" in posted
    actions = [a for a in Action.query(ticket_pk(1)) if isinstance(a, Action)]
    assert [a.text for a in actions][-1] == "Consegui um print melhor."
    assert Ticket.get(ticket_pk(1), "META").last_action.text == "Consegui um print melhor."

    assert "Conversa encerrada" in " ".join(maria.says("SAIR"))

    # Second contact: one company, chosen without asking; access recovery replaces the password.
    assert "Recuperar" in " ".join(maria.says("bom dia"))
    new_username, new_password = credentials_in(maria.says("1"))
    profile = Requester.get(phone_pk(PHONE), "PROFILE")
    assert new_username == PHONE and new_password != password
    assert verify_password(new_password, profile.password_hash)
    assert not verify_password(password, profile.password_hash)
    assert profile.credentials_version == 2

    StatsConsumer(aws).drain()  # the counters come from the table stream
    totals = stats_totals("suporte")
    assert totals["tickets"] == 1 and totals["conversations"] == 2
    assert totals["received"] == 19  # every message Maria sent above
    assert totals["sent"] == len(processor.gateway.texts_to(PHONE))


def test_a_redelivered_message_creates_nothing_and_answers_nothing(aws, maria, processor):
    maria.register()
    for body in ("0", "Impressora não imprime", "1", "Não imprime desde ontem."):
        maria.says(body)
    fim = text(PHONE, "Fim", message_id="DUPLICATED-FIM")
    assert any("criado" in r for r in maria.sends(fim))
    # Within SQS's deduplication window the queue drops it...
    assert maria.sends(fim) == []
    # ...and beyond it the gateway's redelivery is a new SQS message: the turn drops it.
    aws.session.client("sqs").send_message(
        QueueUrl=aws.queue_url,
        MessageBody=json.dumps(fim.to_dict()),
        MessageGroupId=f"suporte#{PHONE}",
        MessageDeduplicationId="another-delivery",
    )
    before = len(processor.gateway.texts_to(PHONE))
    assert processor.drain() == 1
    assert processor.gateway.texts_to(PHONE)[before:] == []
    assert [t.number for t in Item.query(ticket_pk(1)) if isinstance(t, Ticket)] == [1]
    assert list(Item.query(ticket_pk(2))) == []
    assert sum("criado" in t for t in processor.gateway.texts_to(PHONE)) == 1


def test_a_crash_between_commit_and_reply_is_retried_with_one_reply(aws, maria, processor, monkeypatch):
    maria.says("oi")
    real_send = turn.send_replies
    calls = {"n": 0}

    def crash_once(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("injected: Lambda died after the commit")
        return real_send(*args, **kwargs)

    monkeypatch.setattr(turn, "send_replies", crash_once)
    message = text(PHONE, "11.222.333/0001-81", message_id="CRASHY")
    turn_services = Services(gateway=processor.gateway)
    with pytest.raises(RuntimeError):
        turn.handle_inbound(message, turn_services)
    conversation = Conversation.get(phone_pk(PHONE), "CONVERSATION")
    assert conversation.outbox_sent is False and conversation.state["step"] == "ask_name"

    before = len(processor.gateway.texts_to(PHONE))
    turn.handle_inbound(message, turn_services)  # the queue's retry
    turn.handle_inbound(message, turn_services)  # and a late duplicate
    replies = processor.gateway.texts_to(PHONE)[before:]
    assert any("nome" in r for r in replies)
    assert len(replies) == len(Conversation.get(phone_pk(PHONE), "CONVERSATION").outbox)
    assert Conversation.get(phone_pk(PHONE), "CONVERSATION").state["step"] == "ask_name"


def test_a_crash_before_sending_credentials_sends_a_fresh_password(aws, maria, processor, monkeypatch):
    maria.says("oi")
    maria.says("11.222.333/0001-81")
    maria.says("Maria Souza")
    message = text(PHONE, "maria@cliente.com.br", message_id="CREDENTIALS")
    services = Services(gateway=processor.gateway)
    with monkeypatch.context() as patch, pytest.raises(RuntimeError):
        patch.setattr(turn, "send_replies", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("injected")))
        turn.handle_inbound(message, services)
    before = len(processor.gateway.texts_to(PHONE))
    turn.handle_inbound(message, services)
    _, password = credentials_in(processor.gateway.texts_to(PHONE)[before:])
    assert verify_password(password, Requester.get(phone_pk(PHONE), "PROFILE").password_hash)


def dynamodb_calls_of(turn_input, processor) -> list[str]:
    calls: list[str] = []
    events = Item._get_connection().connection.client.meta.events

    def hook(model, **_):
        calls.append(model.name)

    events.register("before-call.dynamodb", hook)
    try:
        turn.handle_inbound(turn_input, Services(gateway=processor.gateway))
    finally:
        events.unregister("before-call.dynamodb", hook)
    return calls


def test_the_registration_turn_reads_the_company_once(aws, maria, processor):
    maria.says("oi")
    maria.says("11.222.333/0001-81")
    maria.says("Maria Souza")
    calls = dynamodb_calls_of(text(PHONE, "maria@cliente.com.br"), processor)
    assert calls == ["Query", "GetItem", "TransactWriteItems", "UpdateItem"]


def test_requests_per_turn(aws, maria, processor):
    """The common path of a turn (an answer that needs no other item): one query, one conditional
    put of the conversation (no transaction: the counters come from the stream), one outbox mark.
    Listing request types adds a query once per container per minute."""
    maria.register()
    maria.says("0")
    maria.says("Impressora não conecta")
    maria.says("1")
    knowledge.search_index()  # read by a turn of this container less than a minute ago
    calls = dynamodb_calls_of(text(PHONE, "Desde ontem não imprime."), processor)
    assert calls == ["Query", "PutItem", "UpdateItem"]


def test_the_description_reads_the_articles_once_a_minute_and_no_other_turn_does(aws, maria, processor):
    """The description is searched in the knowledge base: a cold container reads the articles
    (one Query of their partition); other turns never do."""
    maria.register()
    assert dynamodb_calls_of(text(PHONE, "0"), processor) == ["Query", "PutItem", "UpdateItem"]
    maria.says("Impressora não conecta")
    maria.says("1")
    calls = dynamodb_calls_of(text(PHONE, "Desde ontem não imprime."), processor)
    assert calls == ["Query", "Query", "PutItem", "UpdateItem"]
    maria.says("fim")
    maria.says("0")
    maria.says("Outra")
    maria.says("1")
    assert dynamodb_calls_of(text(PHONE, "Nada feito."), processor) == ["Query", "PutItem", "UpdateItem"]


def test_an_idle_conversation_without_a_draft_starts_at_the_company_choice(aws, maria, processor):
    maria.register()  # left at the tickets menu: nothing written to lose
    conversation = Conversation.get(phone_pk(PHONE), "CONVERSATION")
    later = conversation.last_activity + timedelta(minutes=31)
    assert conversation.expires_at >= conversation.last_activity + timedelta(
        hours=23, minutes=59
    )  # drafts wait
    services = Services(gateway=processor.gateway, clock=lambda: later)
    before = len(processor.gateway.texts_to(PHONE))
    turn.handle_inbound(text(PHONE, "2"), services)
    answer = " ".join(processor.gateway.texts_to(PHONE)[before:])
    assert "Recuperar" in answer  # the access menu of the (single) company, not the tickets menu
    assert Conversation.get(phone_pk(PHONE), "CONVERSATION").state["step"] in (
        "access_menu",
        "choose_company",
    )


def test_a_turn_cancelled_by_a_concurrent_writer_runs_again_at_once(aws, maria, processor, monkeypatch):
    maria.says("oi")
    real_commit = transaction.TurnWrite.commit
    cancelled = []

    def conflict_once(write):
        if not cancelled:
            cancelled.append(True)
            raise transaction.ConcurrentUpdate("TransactionConflict")
        return real_commit(write)

    monkeypatch.setattr(transaction.TurnWrite, "commit", conflict_once)
    replies = maria.says("11.222.333/0001-81")
    assert cancelled and len(replies) == 1 and "nome" in replies[0]
    assert Conversation.get(phone_pk(PHONE), "CONVERSATION").state["step"] == "ask_name"


def test_a_failed_turn_and_its_group_come_back_in_order_when_the_drain_redelivers(
    aws, maria, processor, monkeypatch
):
    maria.says("oi")
    real_send = turn.send_replies
    calls = {"n": 0}

    def fail_once(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("injected: the turn failed after its commit")
        return real_send(*args, **kwargs)

    monkeypatch.setattr(turn, "send_replies", fail_once)
    before = len(processor.gateway.texts_to(PHONE))
    inbound.enqueue([text(PHONE, "11.222.333/0001-81"), text(PHONE, "Maria Souza")])
    # Both reported in batchItemFailures (the second must not overtake the first): invisible for
    # the queue's 120 s visibility timeout, so a plain drain ends without them.
    assert processor.drain() == 2 and len(processor.poller.failed) == 2
    assert processor.drain() == 0 and processor.gateway.texts_to(PHONE)[before:] == []
    # Redelivered as SQS does after the timeout: the outbox of the first, then the second's turn.
    assert processor.drain(redeliver=True) == 2
    replies = processor.gateway.texts_to(PHONE)[before:]
    assert any("nome" in r for r in replies) and any("e-mail" in r.lower() for r in replies)
    assert Conversation.get(phone_pk(PHONE), "CONVERSATION").state["step"] == "ask_email"
