"""The dialog tests' world keeps to the real executor: the same transcripts run through
tests/unit/dialog_world.py (World.apply mirrors the turn's effects) and through the deployed
processor handler over moto, and must give the same replies, tickets and actions. A change to the
turn executor that the world does not follow (or the other way round) fails here, not in production.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from helpdesk import config, texts
from helpdesk.domain.conversation import DialogSettings
from helpdesk.domain.messages import InboundKind, MediaKind
from helpdesk.storage import catalog, knowledge
from local.lambdas import load_function
from local.seed import DEMO_COMPANY, DEMO_REQUEST_TYPES, seed_demo_articles, seed_demo_data
from local.testing.apigw import admin_event
from local.testing.whatsapp import CNPJ, Processor, Requester, change
from tests.integration.erp_fixtures import StreamReader, selected
from tests.unit.dialog_world import Transcript, World

PHONE = "5511987650001"
CLOSED = "Encerrado"
OTHER_COMPANY = ("11444777000161", "Outra Empresa S.A.")  # a second client, linked later
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"0" * 128


@dataclass(frozen=True)
class File:
    kind: MediaKind
    mimetype: str
    filename: str
    content: bytes


@dataclass(frozen=True)
class Closing:
    """An agent closes the ticket; the notifier tells the requester and asks whether it is solved."""

    number: int


@dataclass(frozen=True)
class Edit:
    """The requester edits the message sent at the transcript's step `step` (issue 22)."""

    step: int
    text: str


@dataclass(frozen=True)
class Delete:
    """The requester deletes for everyone the message sent at the transcript's step `step`."""

    step: int


IMAGE = File(MediaKind.IMAGE, "image/png", "print.png", PNG)
DOCUMENT = File(MediaKind.DOCUMENT, "application/pdf", "nota.pdf", PDF)

FIRST_CONTACT = ("oi", CNPJ, "Maria Souza", "maria@", "maria@cliente.com.br")
TICKET_WITH_FILES = (
    "0",
    "Erro ao emitir nota fiscal",
    "2",
    "A tela mostra erro 500.",
    IMAGE,
    DOCUMENT,
    "Fim",
)

# name -> (what the requester sends, how many tickets it leaves)
Step = str | File | Closing | Edit | Delete
TRANSCRIPTS: dict[str, tuple[tuple[Step, ...], int]] = {
    "first contact": (FIRST_CONTACT, 0),
    "a file nobody asked for, then sair": (("oi", IMAGE, "sair", "oi"), 0),
    "ticket with files": ((*FIRST_CONTACT, *TICKET_WITH_FILES), 1),
    "an action with a file on the new ticket": (
        (*FIRST_CONTACT, *TICKET_WITH_FILES, "1", "1", "Consegui um print melhor.", IMAGE, "fim", "voltar"),
        1,
    ),
    "second contact with access recovery": ((*FIRST_CONTACT, "sair", "bom dia", "1", "sair"), 0),
    "linking a second company, then a ticket there": (
        (
            *FIRST_CONTACT,
            "sair",
            "oi",
            "3",
            "11.444.777/0001-61",
            "0",
            "Sem acesso",
            "1",
            "Não entra.",
            "Fim",
        ),
        1,
    ),
    "a second ticket, then sair in the middle of a third": (
        (*FIRST_CONTACT, *TICKET_WITH_FILES, "0", "Impressora", "1", "Não liga.", "Fim", "0", "Meio", "sair"),
        2,
    ),
    "a closed ticket, not solved: reopened, then a message on it": (
        (*FIRST_CONTACT, *TICKET_WITH_FILES, Closing(1), "não", "Continua sem imprimir.", "fim"),
        1,
    ),
    "an edit in the draft, an edit of the saved description, thanks and words for options": (
        (
            *FIRST_CONTACT,
            "0",
            "Erro ao emitir nota",
            "erro",
            "A tela mostra erro 50",
            Edit(8, "A tela mostra 500."),
        )
        + ("Fim", Edit(8, "A tela mostra erro 503."), "obrigado!", "batata", "cenoura", "nota"),
        1,
    ),
    "deletes for everyone: a line of a draft, then a saved description": (
        (*FIRST_CONTACT, "0", "Erro ao emitir nota", "2", "A tela mostra erro 500.", "senha 1234", Delete(9))
        + ("Fim", Delete(8), Delete(8), Edit(8, "depois do apagar")),
        1,
    ),
    "issue 28: greetings in bubbles, fields in one message, a problem told at the menu, stars": (
        (
            "oi",
            "bom dia",
            "tudo bem?",
            f"meu cnpj é {CNPJ}",
            "Maria Souza - maria@cliente.com.br",
            "o boleto não gera desde ontem, aparece erro",
            "2",
            IMAGE,
            "Fim",
            Closing(1),
            "sim",
            "⭐⭐⭐⭐",
            "pular",
        ),
        1,
    ),
    "knowledge: an article solves it, then continuar opens the ticket anyway": (
        (
            *FIRST_CONTACT,
            "0",
            "Boleto vencido",
            "1",
            "preciso da segunda via do boleto",
            "1",
            "sim",
            "continuar",
            "Fim",
        ),
        1,
    ),
    "knowledge: an article read, not solved, the ticket opens with a file": (
        (*FIRST_CONTACT, "0", "Certificado", "2", "o certificado digital venceu", "1", "não", IMAGE, "fim"),
        1,
    ),
    "a closed ticket, solved: rated with a comment": (
        (*FIRST_CONTACT, *TICKET_WITH_FILES, Closing(1), "sim", "4", "Demorou um pouco."),
        1,
    ),
}


class WorldPhone:
    """The phone as the dialog tests play it: the pure dialog plus World.apply."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.transcript = Transcript(world, PHONE)
        self.ids: dict[int, str] = {}  # the message id each step of the transcript sent

    def play(self, step: Step, index: int) -> list[str]:
        if isinstance(step, Edit):
            self.transcript.requester_edits(self.ids[step.step], step.text)
        elif isinstance(step, Delete):
            self.transcript.requester_deletes(self.ids[step.step])
        elif isinstance(step, Closing):
            # The console signs an admin without a display name as the team, never by e-mail.
            self.transcript.ticket_closed(step.number, CLOSED, by=texts.SUPPORT_TEAM)
        elif isinstance(step, File):
            self.transcript.requester_sends_file(step.kind, step.filename, step.mimetype, len(step.content))
        else:
            self.transcript.requester_says(step)
        self.ids[index] = self.transcript.last_id
        return list(self.transcript.texts)

    def tickets(self) -> list[dict[str, Any]]:
        shown = []
        for ticket in sorted(self.world.tickets.values(), key=lambda t: t.number):
            shown.append(
                {
                    "number": ticket.number,
                    "title": ticket.title,
                    "description": ticket.description,
                    "status": ticket.status,
                    "request_type": ticket.request_type_name,
                    "cnpj": ticket.cnpj,
                    "opening_files": [a.filename for a in ticket.attachments],
                    "actions": [
                        (a.author_kind, a.author_name, a.text, a.attachment_count) for a in ticket.actions
                    ],
                    "rating": ticket.rating,
                    "deleted": self.world.deleted_positions(ticket.number),
                    "offered": [(a.id, a.opened) for a in ticket.offered_articles],
                }
            )
        return shown


class ProcessorPhone:
    """The same phone through the real webhook logic, SQS FIFO and the processor handler; what it
    left behind read back through the admin API."""

    def __init__(self, aws, notifier) -> None:
        # One gateway: the requester reads the notifier's messages in the same chat.
        self.requester = Requester(Processor(aws, notifier.gateway), PHONE)
        self.notifier, self.stream = notifier, StreamReader(aws)
        self.admin = load_function("AdminFunction")

    def play(self, step: Step, index: int) -> list[str]:
        if isinstance(step, Edit | Delete):
            target = f"CONTRACT-{step.step:03d}"
            kind, text = (
                (InboundKind.EDIT, step.text) if isinstance(step, Edit) else (InboundKind.REVOKE, None)
            )
            return self.requester.sends(change(PHONE, kind, target, text))
        if isinstance(step, Closing):
            return self._closing(step.number)
        if isinstance(step, File):
            return self.requester.sends_file(step.kind, step.mimetype, step.filename, step.content)
        return self.requester.says(step, message_id=f"CONTRACT-{index:03d}")

    def _closing(self, number: int) -> list[str]:
        self.stream.new_records()  # what the turns wrote is not the notifier's
        before = len(self.notifier.gateway.texts_to(PHONE))
        result = self.admin.invoke(
            admin_event("POST", f"/admin/tickets/{number}/status", body={"status": CLOSED})
        )
        assert int(result["statusCode"]) == 201, result
        assert self.notifier.invoke(selected(self.stream.new_records())) == {"batchItemFailures": []}
        return self.notifier.gateway.texts_to(PHONE)[before:]

    def _get(self, path: str, **query: str) -> Any:
        result = self.admin.invoke(admin_event("GET", path, query=query))
        assert int(result["statusCode"]) == 200, result
        return json.loads(result["body"])

    def tickets(self) -> list[dict[str, Any]]:
        listed = self._get("/admin/tickets", phone=PHONE)["items"]
        shown = []
        for number in sorted(t["number"] for t in listed):
            ticket = self._get(f"/admin/tickets/{number}")
            actions = ticket["actions"]
            shown.append(
                {
                    "number": ticket["number"],
                    "title": ticket["title"],
                    "description": ticket["description"],
                    "status": ticket["status"],
                    "request_type": ticket["request_type"],
                    "cnpj": ticket["cnpj"],
                    "opening_files": [a["filename"] for a in actions[0]["attachments"]] if actions else [],
                    "actions": [
                        (a["author_kind"], a["author_name"], a["text"], len(a["attachments"]))
                        for a in actions
                    ],
                    "rating": ticket["rating"],
                    "deleted": [at for at, a in enumerate(actions) if a["deleted_by_requester_at"]],
                    "offered": [(a["id"], a["opened"]) for a in ticket["offered_articles"]],
                }
            )
        return shown


def demo_world() -> World:
    """What local/seed.py writes, as the dialog's world; the settings the processor runs with."""
    settings = config.settings()
    world = World(
        settings=DialogSettings(
            portal_url=settings.portal_url,
            max_media_bytes=settings.media_max_bytes,
            privacy_contact=settings.privacy_contact,
        ),
        now=datetime.now(UTC),
    )
    world.add_company(*DEMO_COMPANY)
    world.add_company(*OTHER_COMPANY)
    for type_id, name, kind, whatsapp in DEMO_REQUEST_TYPES:
        if kind == "synthetic" and whatsapp:  # what the table context offers on WhatsApp
            world.add_request_type(type_id, name)
    world.next_ticket_number = 1  # the table's counter starts at 1
    return world


def comparable(replies: list[str]) -> list[str]:
    """What may differ between the two: the password drawn, the clock's minute."""
    replies = [re.sub(r"Senha: \*\S+\*", "Senha: *<password>*", r) for r in replies]
    return [re.sub(r"\d{2}/\d{2}(/\d{4})?( (às )?\d{2}:\d{2})?", "<when>", r) for r in replies]


@pytest.mark.parametrize("name", TRANSCRIPTS)
def test_the_dialog_world_and_the_processor_agree(aws, notifier, name):
    seed_demo_data()
    cnpj, company = OTHER_COMPANY
    catalog.create_company(catalog.new_company(cnpj=cnpj, name=company, now=datetime.now(UTC)))
    steps, tickets = TRANSCRIPTS[name]
    world = demo_world()
    if name.startswith("knowledge"):  # what `make dev` seeds besides (other transcripts meet no offer)
        seed_demo_articles()
        for article in knowledge.list_articles():
            world.add_article(article)
    simulated, real = WorldPhone(world), ProcessorPhone(aws, notifier)
    for turn, step in enumerate(steps):
        expected = comparable(simulated.play(step, turn))
        got = comparable(real.play(step, turn))
        if isinstance(step, Closing):
            # The notifier words its message itself (one text); the world only plays the question.
            [notification] = got
            assert all(text in notification for text in expected), f"{notification!r} lacks {expected!r}"
        else:
            assert got == expected, f"turn {turn} ({step!r}) of {name!r}"
    assert real.tickets() == simulated.tickets()
    assert len(simulated.tickets()) == tickets
    if name.startswith("knowledge"):  # an article was offered and read, on both sides
        [ticket] = real.tickets()
        assert ticket["offered"] and ticket["offered"][0][1] is True
    if name.startswith("deletes"):  # the deletes did something, the same on both sides
        [ticket] = real.tickets()
        assert ticket["description"] == "A tela mostra erro 500." and ticket["deleted"] == [0]
