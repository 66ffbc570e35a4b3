"""What the table holds about one requester, found and rewritten for LGPD export and erasure.

The keys stay here: the phone's partition (profile, links, conversation and whatever else a phone
owns), the portal's login/lockout item (username = phone), the requester's tickets (found by
phone, so a second run after an erasure finds none) and their actions, the audit records.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from msgspec import Struct

from helpdesk.domain.privacy import ANONYMOUS_CONTACT, ANONYMOUS_NAME
from helpdesk.storage import aliases, lids, phones, tickets
from helpdesk.storage.lids import phone_lids_key
from helpdesk.storage.models import (
    Action,
    AttachmentMap,
    CompanyLink,
    Conversation,
    ErasureAudit,
    IdentityAlias,
    Instance,
    Item,
    LastAction,
    LidAlias,
    Requester,
    SentLog,
    Ticket,
)
from helpdesk.storage.sent import phone_sent_key

AUDIT_PK = "AUDIT#ERASURE"


def requester_hash(phone: str) -> str:
    """Names the requester in the audit without holding the phone: whoever has the phone can check
    that it was erased by hashing it again."""
    return hashlib.sha256(f"lgpd-erasure:{phone}".encode()).hexdigest()


def phone_items(phone: str) -> list[Item]:
    """The identity's partition, its LID and BSUID aliases (and numbers it changed to) and the log of
    what was sent to it."""
    items = list(Item.query(phones.phone_pk(phone)))
    for key in (phone_lids_key(phone), aliases.identity_aliases_key(phone), phone_sent_key(phone)):
        items += [
            item for item in Item.by_gsi1.query(key) if isinstance(item, LidAlias | IdentityAlias | SentLog)
        ]
    return items


def profile(items: list[Item]) -> Requester | None:
    return next((item for item in items if isinstance(item, Requester)), None)


def links(items: list[Item]) -> list[CompanyLink]:
    return [item for item in items if isinstance(item, CompanyLink)]


def conversation(items: list[Item]) -> Conversation | None:
    return next((item for item in items if isinstance(item, Conversation)), None)


def instance_names() -> list[str]:
    return [
        instance.name for instance in Instance.by_gsi1.query("INSTANCES") if isinstance(instance, Instance)
    ]


def lid_aliases(items: list[Item]) -> list[tuple[str, datetime]]:
    """(LID, since when) of the WhatsApp LIDs this phone was seen with."""
    return [(lids.lid_of(item), item.linked_at) for item in items if isinstance(item, LidAlias)]


def identity_aliases(items: list[Item]) -> list[tuple[str, str, datetime]]:
    """(kind, identifier, since when) of the BSUIDs and changed numbers that lead to this identity."""
    return [(*aliases.aliases_of(item), item.linked_at) for item in items if isinstance(item, IdentityAlias)]


def tickets_of(phone: str, items: list[Item]) -> list[Ticket]:
    """Every ticket opened by that phone, newest first: one query per linked company. Tickets are
    only opened for a linked company and links go only with the erasure (after the tickets), so
    this finds them all without reading anyone else's tickets."""
    found = [
        ticket
        for link in links(items)
        for ticket in Ticket.by_gsi1.query(tickets.requester_tickets_key(phone, link.cnpj))
        if isinstance(ticket, Ticket)
    ]
    return sorted(found, key=lambda ticket: -int(ticket.number))


def anonymize_ticket(ticket: Ticket, scrub, transcripts: list[str], description: str | None = None) -> None:
    """Name, e-mail and phone out of the ticket (`scrub` cleans free text); the ticket stays, with
    the transcripts of the files it keeps (its search text) and `description` when given (a voice
    note's transcript that had become the description goes with the voice note)."""
    ticket.requester_phone = ANONYMOUS_CONTACT
    ticket.transcripts = transcripts or None
    if description is not None:
        ticket.description = description
    ticket.requester_name = ANONYMOUS_NAME
    ticket.gsi1pk = tickets.requester_tickets_key(ANONYMOUS_CONTACT, ticket.cnpj)
    ticket.title = scrub(ticket.title)
    ticket.description = scrub(ticket.description)
    ticket.rating_comment = scrub(ticket.rating_comment) if ticket.rating_comment else None
    last = ticket.last_action
    if last is not None:
        ticket.last_action = LastAction(
            author_kind=last.author_kind,
            author_name=ANONYMOUS_NAME if last.author_kind == "requester" else last.author_name,
            created_at=last.created_at,
            text=scrub(last.text),
            attachment_count=0 if last.author_kind == "requester" else last.attachment_count,
        )
    ticket.save()


def anonymize_action(action: Action, scrub) -> list[str]:
    """The same for one action; the requester's own files are dropped (returns their keys)."""
    removed: list[str] = []
    action.requester_phone = ANONYMOUS_CONTACT
    action.text = scrub(action.text)
    if action.author_kind == "requester":
        action.author_name = ANONYMOUS_NAME
        removed = [attachment.key for attachment in action.attachments or []]
        action.attachments = []
    else:
        action.attachments = [
            AttachmentMap(
                key=a.key,
                kind=a.kind,
                mimetype=a.mimetype,
                filename=scrub(a.filename),
                size=a.size,
                transcript=scrub(a.transcript) if a.transcript else None,
                transcript_status=a.transcript_status,
                seconds=a.seconds,
            )
            for a in action.attachments or []
        ]
    action.save()
    return removed


def delete_items(items: list[Item]) -> int:
    for item in items:
        item.delete()
    return len(items)


def record_erasure(phone: str, erased_by: str, now: datetime, summary: dict) -> ErasureAudit:
    digest = requester_hash(phone)
    audit = ErasureAudit(
        pk=AUDIT_PK,
        sk=f"{now.isoformat()}#{digest[:16]}",
        requester_hash=digest,
        erased_by=erased_by,
        erased_at=now,
        summary=summary,
    )
    audit.save()
    return audit


class ErasureRecord(Struct, frozen=True):
    requester_hash: str
    erased_by: str
    erased_at: datetime
    summary: dict


def erasures(limit: int) -> list[ErasureRecord]:
    """The latest erasures, newest first."""
    items = ErasureAudit.query(AUDIT_PK, scan_index_forward=False, limit=limit)
    return [ErasureRecord(i.requester_hash, i.erased_by, i.erased_at, dict(i.summary or {})) for i in items]
