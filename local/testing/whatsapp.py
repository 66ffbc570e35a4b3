"""The requester's side of WhatsApp, for every suite: the scripts of a first contact and of a
ticket opening (written once), inbound messages and Evolution webhook payloads, and a requester
talking to the bot in process (integration, faults, bench: the real webhook logic onto the moto
FIFO queue, the real processor handler consuming SQS batch events) or on the local stack (e2e:
real webhooks in, the simulator's outbox read back)."""

from __future__ import annotations

import base64
import itertools
import json
import re
import threading
from pathlib import Path

import requests

from helpdesk.domain.messages import InboundKind, InboundMessage, MediaKind, MediaRef
from helpdesk.logic import inbound
from helpdesk.logic.services import Services
from local.lambdas import load_function
from local.pollers import SqsPoller
from local.testing.gateways import RecordingGateway
from local.testing.waiting import eventually

INSTANCE = "suporte"
CNPJ = "11.222.333/0001-81"  # the demo company of local/seed.py
EVOLUTION_SAMPLES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "evolution"
_ids = itertools.count(1)

# --- scripts ----------------------------------------------------------------------------------


MARIA = "5511987654321"  # the requester of the processor tests (tests/integration/conftest.py)


def first_contact(name: str = "Maria Souza", email: str = "maria@cliente.com.br") -> tuple[str, ...]:
    """An unknown phone registers with the demo company; the last reply carries the credentials."""
    return ("oi", CNPJ, name, email)


def new_ticket(
    title: str = "Impressora não imprime",
    type_option: str = "2",
    description: str = "Não imprime desde ontem.",
) -> tuple[str, ...]:
    """From the tickets menu: a ticket with no files; the last reply says it was created."""
    return ("0", title, type_option, description, "Fim")


SCRIPT = (*first_contact(), *new_ticket())  # first contact through a ticket created: 9 turns


def credentials_in(replies: list[str]) -> tuple[str, str]:
    """The portal user and password the bot sent."""
    message = next(r for r in replies if "Senha:" in r)
    user, password = re.search(r"Usuário: \*(\S+)\*", message), re.search(r"Senha: \*(\S+)\*", message)
    assert user and password, message
    return user.group(1), password.group(1)


def ticket_number_in(replies: list[str]) -> int:
    created = next(r for r in replies if "criado" in r)
    number = re.search(r"Atendimento \*(\d+)\*", created)
    assert number, created
    return int(number.group(1))


# --- inbound messages and webhook payloads ----------------------------------------------------


def _inbound(phone: str, message_id: str | None, **fields) -> InboundMessage:
    return InboundMessage(
        message_id=message_id or f"MSG{next(_ids):08d}",
        instance=INSTANCE,
        phone=phone,
        timestamp=1764000000,
        gateway="evolution",
        push_name="Maria",
        **fields,
    )


def text(phone: str, body: str, message_id: str | None = None) -> InboundMessage:
    return _inbound(phone, message_id, kind=InboundKind.TEXT, text=body)


def change(phone: str, kind: InboundKind, target: str, body: str | None) -> InboundMessage:
    """An edit, delete for everyone or reaction of the message `target` (issue 22), as parsed."""
    return _inbound(phone, f"{target}:{kind.value}:{body or ''}", kind=kind, text=body, target_id=target)


def file(
    phone: str,
    kind: MediaKind,
    mimetype: str,
    filename: str | None,
    content: bytes,
    message_id: str | None = None,
    caption: str | None = None,
    **media,
) -> InboundMessage:
    """A file sent inline (the webhook's base64); a caption is also the message's text, as the
    gateways' parsers give it. `media`: more MediaRef fields (an audio's seconds, transcript)."""
    ref = MediaRef(
        kind=kind,
        mimetype=mimetype,
        filename=filename,
        size=len(content),
        caption=caption,
        source={"base64": base64.b64encode(content).decode()},
        **media,
    )
    return _inbound(phone, message_id, kind=InboundKind.MEDIA, text=caption, media=ref)


def evolution_text(phone: str, message_id: str, text: str, push_name: str = "Maria Souza") -> dict:
    """A messages.upsert webhook payload (the recorded sample) carrying `text` from `phone`."""
    payload = json.loads((EVOLUTION_SAMPLES / "messages-upsert-text.json").read_text())
    payload["data"]["key"].update(remoteJid=f"{phone}@s.whatsapp.net", id=message_id)
    payload["data"]["message"] = {"conversation": text}
    payload["data"]["pushName"] = push_name
    return payload


def evolution_voice_note(phone: str, message_id: str, note: dict, push_name: str = "Maria Souza") -> dict:
    """A messages.upsert of a voice note (`note`: what the simulator's /api/voice-notes made), sent
    inline as Evolution does with webhook_base64 on."""
    payload = evolution_text(phone, message_id, "", push_name)
    audio = {
        "url": f"https://mmg.whatsapp.net/simulator/{message_id}.enc",
        "mimetype": note["mimetype"],
        "fileLength": str(note["size"]),
        "seconds": note["seconds"],
        "ptt": True,
    }
    payload["data"]["message"] = {"audioMessage": audio, "base64": note["base64"]}
    payload["data"]["messageType"] = "audioMessage"
    return payload


def evolution_receipt(phone: str, message_id: str, status: str, instance: str = INSTANCE) -> dict:
    """A messages.update webhook payload (the recorded sample): `status` (DELIVERY_ACK, READ, ERROR)
    of the bot's message `message_id` to `phone`."""
    payload = json.loads((EVOLUTION_SAMPLES / "messages-update-read.json").read_text())
    payload["instance"] = instance
    payload["data"].update(keyId=message_id, remoteJid=f"{phone}@s.whatsapp.net", status=status)
    return payload


def evolution_connection(instance: str, state: str, reason: int) -> dict:
    """A connection.update webhook payload (the recorded sample): `state` open, close or refused."""
    payload = json.loads((EVOLUTION_SAMPLES / "connection-update.json").read_text())
    payload["instance"] = instance
    payload["data"] = {"instance": instance, "state": state, "statusReason": reason}
    return payload


# --- in process, over moto ---------------------------------------------------------------------


class Processor:
    """The deployed processor handler behind a local SQS poller, with a recording gateway."""

    def __init__(self, aws, gateway: RecordingGateway | None = None) -> None:
        self.gateway = gateway or RecordingGateway()
        self.function = load_function("ProcessorFunction")
        self.function.module.services = lambda: Services(gateway=self.gateway)
        sqs = aws.session.client("sqs")
        arn = aws.resources.queue_arns["InboundQueue"]
        self.poller = SqsPoller(self.function, sqs, aws.queue_url, arn, threading.Event())
        self.redelivered = 0  # of poller.failed: those made visible again

    def drain(self, rounds: int = 50, redeliver: bool = False) -> int:
        """Processes until the queue has nothing visible; returns how many deliveries ran. A failed
        message (reported in batchItemFailures, or its whole batch when the handler raised) stays
        invisible for the queue's visibility timeout (120 s), so the drain ends without it; with
        `redeliver` it comes back at once, as SQS hands it out again once that timeout is over
        (`poller.failed` keeps every failed delivery either way)."""
        total = 0
        for _ in range(rounds):
            if redeliver:
                for message in self.poller.failed[self.redelivered :]:
                    self.poller.sqs.change_message_visibility(
                        QueueUrl=self.poller.queue_url,
                        ReceiptHandle=message["ReceiptHandle"],
                        VisibilityTimeout=0,
                    )
                self.redelivered = len(self.poller.failed)
            handled = self.poller.poll_once()
            if not handled:
                return total
            total += handled
        return total


class Requester:
    """One phone talking to the bot: each `says` is enqueued and processed before it returns."""

    def __init__(self, processor: Processor, phone: str) -> None:
        self.processor, self.phone = processor, phone

    def sends(self, message: InboundMessage) -> list[str]:
        before = len(self.processor.gateway.texts_to(self.phone))
        inbound.enqueue([message])
        self.processor.drain()
        return self.processor.gateway.texts_to(self.phone)[before:]

    def says(self, body: str, message_id: str | None = None) -> list[str]:
        return self.sends(text(self.phone, body, message_id))

    def sends_file(self, kind: MediaKind, mimetype: str, filename: str, content: bytes) -> list[str]:
        return self.sends(file(self.phone, kind, mimetype, filename, content))

    def register(self, name: str = "Maria Souza", email: str = "maria@cliente.com.br") -> tuple[str, str]:
        """A first contact with the demo company; returns the portal user and password sent."""
        replies = [reply for body in first_contact(name, email) for reply in self.says(body)]
        return credentials_in(replies)

    def open_ticket(self, *script: str) -> int:
        """From the tickets menu (the arguments of `new_ticket`); returns the ticket's number."""
        return ticket_number_in([reply for body in new_ticket(*script) for reply in self.says(body)])


# --- on the local stack (e2e) ------------------------------------------------------------------


def send(stack, payload: dict) -> requests.Response:
    return requests.post(
        f"{stack.url}/webhooks/evolution",
        json=payload,
        headers={"x-webhook-token": stack.webhook_token},
        timeout=10,
    )


def replies(stack, phone: str) -> list[str]:
    response = requests.get(f"{stack.url}/simulator/api/messages", params={"phone": phone}, timeout=10)
    return [m["text"] for m in response.json()["messages"]]


def settled(stack, timeout: float = 20) -> None:
    """Waits until the inbound queue holds nothing, waiting or in flight: every message the webhooks
    took so far has had its turn, and a turn sends its replies before its message is deleted."""

    def inbound_empty() -> bool:
        depths = requests.get(f"{stack.url}/local/queues", timeout=10).json()["InboundQueue"]
        return depths == {"waiting": 0, "in_flight": 0}

    eventually(inbound_empty, timeout=timeout, interval=0.05)


def say(stack, phone: str, text: str) -> list[str]:
    """Sends one message and returns the replies of its turn (all sent once its turn is over)."""
    before = len(replies(stack, phone))
    assert send(stack, evolution_text(phone, f"E2E-{phone}-{next(_ids)}", text)).status_code == 200
    settled(stack)
    answers = replies(stack, phone)[before:]
    assert answers, f"no reply to {text!r}"
    return answers


def say_by_voice(stack, phone: str, said: str, seconds: int | None = None) -> list[str]:
    """A voice note saying `said` (the simulator records it for the local Transcribe stand-in);
    returns the replies of its turn."""
    body = {"said": said, **({"seconds": seconds} if seconds else {})}
    note = requests.post(f"{stack.url}/simulator/api/voice-notes", json=body, timeout=10).json()
    before = len(replies(stack, phone))
    assert send(stack, evolution_voice_note(phone, f"E2E-{phone}-{next(_ids)}", note)).status_code == 200
    return eventually(lambda: replies(stack, phone)[before:], timeout=20)


def register(stack, phone: str, name: str, email: str) -> tuple[str, str]:
    """A first contact with the demo company; returns the portal user and password sent."""
    for body in first_contact(name, email):
        say(stack, phone, body)
    return eventually(
        lambda: "Senha:" in " ".join(replies(stack, phone)) and credentials_in(replies(stack, phone))
    )


def open_ticket(stack, phone: str, subject: str, description: str, type_option: str = "2") -> int:
    """From the tickets menu: a new ticket with no files; returns its number."""
    *before, fim = new_ticket(subject, type_option, description)
    for body in before:
        say(stack, phone, body)
    return ticket_number_in(say(stack, phone, fim))
