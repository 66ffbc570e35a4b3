"""LGPD (Lei 13.709/2018, art. 18): everything held about a requester, and its erasure.

`export` gathers the profile, company links, tickets with their actions (files as short-lived
links), the conversation state and the portal lockout record into one JSON-able document.

`erase` removes the requester: tickets and actions stay for the company's history, with name,
e-mail and phone replaced by an anonymous marker (also inside free text) and the requester's own
files deleted; then the files in the bucket under the phone, the login/lockout item and the whole
phone partition (profile, links, conversation, anything else keyed by the phone) are deleted, and
an audit record keeps who erased which requester (by a hash) and when. The order makes it
idempotent: a run that fails half-way is completed by the next one, and a second run finds nothing.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger
from msgspec import Struct

from helpdesk import texts
from helpdesk.aws import s3
from helpdesk.domain.phone import normalize_bsuid, normalize_phone
from helpdesk.domain.privacy import scrubber
from helpdesk.domain.transcripts import OUTPUT_PREFIX, output_key
from helpdesk.domain.transcripts import job_name as transcript_job
from helpdesk.logic.services import Services
from helpdesk.storage import logins, offers, privacy, transcriptions
from helpdesk.storage.tickets import Action, Ticket, actions_of

if TYPE_CHECKING:
    from helpdesk.storage.logins import LoginAttempts
    from helpdesk.storage.phones import CompanyLink, Conversation, Requester

logger = Logger(child=True)

# Inline files wait under inbound/ (see logic.inbound) named by a hash of the gateway's message id.
GATEWAY_NAMES = ("evolution", "cloud", "simulator")


class UnknownPhone(ValueError):
    pass


def valid_phone(raw: str) -> str:
    """The identity typed: a phone, or the BSUID of a requester WhatsApp shows no phone for."""
    phone = valid_phone_or_none(raw)
    if phone is None:
        raise UnknownPhone(raw)
    return phone


def valid_phone_or_none(raw: object) -> str | None:
    return (normalize_bsuid(raw) or normalize_phone(raw)) if isinstance(raw, str) else None


# --- export ----------------------------------------------------------------------------------


class RequesterData(Struct, frozen=True):
    """Everything held about one phone (helpdesk.api.shapes.requester_export_json renders it)."""

    phone: str
    exported_at: datetime
    requester: Requester | None
    links: list[CompanyLink]
    lids: list[tuple[str, datetime]]
    aliases: list[tuple[str, str, datetime]]  # ("bsuid" | "number", identifier, linked at)
    tickets: list[tuple[Ticket, list[Action]]]  # every action, internal notes too
    conversation: Conversation | None
    login: LoginAttempts | None
    offers: list[offers.Offer]  # knowledge-base articles offered before a ticket, and what came of it


def export(services: Services, phone: str) -> RequesterData | None:
    """The requester's data; None when nothing is held about that phone."""
    items = privacy.phone_items(phone)
    requester = privacy.profile(items)
    login = logins.failures_record(requester.username if requester else phone)
    tickets = privacy.tickets_of(phone, items)
    offered = offers.of_requester(phone)
    if not items and not tickets and login is None and not offered:
        return None
    return RequesterData(
        phone=phone,
        exported_at=services.clock(),
        requester=requester,
        links=privacy.links(items),
        lids=privacy.lid_aliases(items),
        aliases=privacy.identity_aliases(items),
        tickets=[(ticket, actions_of(ticket)) for ticket in tickets],
        conversation=privacy.conversation(items),
        login=login,
        offers=offered,
    )


# --- erasure ---------------------------------------------------------------------------------


def erase(services: Services, phone: str, erased_by: str) -> dict[str, Any]:
    """Erases the requester; returns what was done (counts only). Nothing held: all zeros."""
    items = privacy.phone_items(phone)
    requester = privacy.profile(items)
    tickets = actions = 0
    files: set[str] = set()
    for ticket in privacy.tickets_of(phone, items):
        # The profile may be gone already (a run that failed half-way): the ticket has the name.
        name = requester.name if requester else ticket.requester_name
        scrub = scrubber(phone, name, requester.email if requester else None)
        said: list[str] = []  # the requester's transcripts: they go with the audio
        kept: list[str] = []  # an agent's
        for action in actions_of(ticket):
            heard = [a.transcript for a in action.attachments or [] if a.transcript]
            (said if action.author_kind == "requester" else kept).extend(heard)
            files.update(privacy.anonymize_action(action, scrub))
            actions += 1
        description = texts.FILE_AS_TEXT["audio"] if ticket.description in said else None
        privacy.anonymize_ticket(ticket, scrub, [scrub(text) for text in kept], description)
        tickets += 1
    files.update(_files_under(phone))
    files.update(_transcripts_of(services, files))
    files.update(_inbound_copies(files))
    s3.delete(sorted(files))
    transcriptions.forget([_job(services, key) for key in files if not key.startswith(OUTPUT_PREFIX)])
    login = logins.failures_record(requester.username if requester else phone)
    removed = privacy.delete_items([*items, *([login] if login else [])]) + offers.erase_requester(phone)
    summary = {"tickets": tickets, "actions": actions, "files": len(files), "items": removed}
    if any(summary.values()):
        privacy.record_erasure(phone, erased_by, services.clock(), summary)
        logger.info(
            "requester erased", extra={"requester_hash": privacy.requester_hash(phone)[:16], **summary}
        )
    return {"requester_hash": privacy.requester_hash(phone), **summary, "erased": any(summary.values())}


def erasure_log(limit: int = 50) -> list[privacy.ErasureRecord]:
    """The audit of the latest erasures: who, when, a hash of the phone, what went."""
    return privacy.erasures(limit)


def _files_under(phone: str) -> list[str]:
    """Files the requester sent on WhatsApp (media/ or staged/<instance>/<phone>/...) or the portal."""
    keys = s3.list_keys(f"{s3.KEPT_PREFIX}portal/{phone}/")
    for instance in privacy.instance_names():
        for prefix in (s3.KEPT_PREFIX, s3.STAGED_PREFIX):  # kept with a ticket, or a draft's
            keys += s3.list_keys(f"{prefix}{instance}/{phone}/")
    return keys


def _job(services: Services, key: str) -> str:
    return transcript_job(services.config.transcribe_job_prefix, key)


def _transcripts_of(services: Services, keys: set[str]) -> list[str]:
    """The transcripts Amazon Transcribe wrote of these files (transcripts/<job>.json)."""
    return [output_key(_job(services, key)) for key in keys]


def _inbound_copies(keys: set[str]) -> list[str]:
    """The staging copies of WhatsApp files (inbound/<instance>/<hash of the message id>)."""
    copies = []
    for key in keys:
        parts = key.split("/")
        if len(parts) >= 5 and parts[0] in ("media", "staged") and parts[1] not in ("portal", "erp"):
            instance, message_id = parts[1], parts[3]
            for gateway in GATEWAY_NAMES:
                digest = hashlib.sha256(f"{gateway}:{instance}:{message_id}".encode()).hexdigest()
                copies.append(f"inbound/{instance}/{digest}")
    return copies
