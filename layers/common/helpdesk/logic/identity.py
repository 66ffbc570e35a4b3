"""One identity per requester when WhatsApp hides phones behind LIDs (issue #13).

A message that carries both the LID and the phone links them (storage.lids); a later message that
carries only the LID is then served under that phone. A requester who registered while WhatsApp
showed only the LID ("lid:<digits>") keeps that identity when a phone appears: the link then points
the LID to itself, so messages carrying the LID (with or without the phone) reach the same
requester, tickets and conversation. Both happen in the webhook, before queueing, so the FIFO group
(instance + identity) is the canonical one. Replies still go to the address the message came from
(`reply_to`), which the gateway accepts.

The Cloud API names senders by a business-scoped user ID (BSUID) and, unless a user with a username
hides it, by phone. The BSUID comes first (storage.aliases): a BSUID seen with a phone is linked to
that phone's identity, so a later message with only the BSUID (or with a changed number) reaches the
same requester; a BSUID never seen with a phone is itself the identity (a requester who registers
then keeps it, as with LIDs). `system` updates (a changed number, a regenerated BSUID) link the new
identifiers to the identity of the previous ones (`apply_changes`). A BSUID seen without a phone
is linked to itself, so its messages cost no read in a warm container either.

Cost: one GetItem of the alias per LID or BSUID per warm container (then cached); at the first
sight of a BSUID, one PutItem (with a phone: up to three GetItems before it, a moved number and
requester profiles).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from aws_lambda_powertools import Logger
from msgspec.structs import replace

from helpdesk import caches
from helpdesk.domain.messages import InboundMessage
from helpdesk.domain.phone import is_bsuid, is_lid, lid_identity
from helpdesk.gateways.base import IdentityChange
from helpdesk.logs import mask_phone
from helpdesk.storage import aliases, lids

logger = Logger(child=True)

# LID (digits) or BSUID -> identity pairs this container already wrote or read: a warm webhook reads a requester's
# alias once. Only known pairs are kept (a miss may be linked meanwhile by another container).
_known: dict[str, str] = {}
caches.register(_known.clear)
_MAX_KNOWN = 10_000


def resolve(messages: Iterable[InboundMessage], now: datetime) -> list[InboundMessage]:
    """Each message under its requester's canonical identity (the phone, or the LID for a requester
    who registered before WhatsApp showed any phone), linking LIDs seen with a phone."""
    return [_canonical(message, now) for message in messages]


def _canonical(message: InboundMessage, now: datetime) -> InboundMessage:
    if message.bsuid:
        return _by_bsuid(message, message.bsuid, now)
    lid = message.lid
    if not lid:
        return message
    own = lid_identity(lid)
    target = _known.get(lid) or lids.phone_of_lid(lid)  # one GetItem, then cached
    if is_lid(message.phone):  # LID-only: the identity it was linked to, else the LID itself
        if target is None:
            return message  # nothing to cache: a phone may pair with it later
        identity = target
    elif target in (message.phone, own):
        identity = target
    else:
        # First time with a phone (or WhatsApp now pairs it with another number): a requester who
        # registered under the LID stays there; everyone else is their phone.
        identity = (
            own
            if target is None and lids.has_requester(own) and not lids.has_requester(message.phone)
            else message.phone
        )
        lids.link_lid(lid, identity, now)
    _remember(lid, identity)
    return message if identity == message.phone else replace(message, phone=identity)


def _by_bsuid(message: InboundMessage, bsuid: str, now: datetime) -> InboundMessage:
    phone = None if is_bsuid(message.phone) else message.phone
    cached = _known.get(bsuid)
    identity = cached or aliases.identity_of_bsuid(bsuid)  # one GetItem, then cached
    if identity is None:
        identity = _first_sight(bsuid, phone)
        aliases.link_bsuid(bsuid, identity, now)
    elif cached is None and phone and identity == bsuid and _registered_only_under(phone, bsuid):
        # First seen without a phone, never registered under the BSUID: the phone's requester it is.
        identity = phone
        aliases.link_bsuid(bsuid, identity, now)
    _remember(bsuid, identity)
    return message if identity == message.phone else replace(message, phone=identity)


def _first_sight(bsuid: str, phone: str | None) -> str:
    """The identity of a BSUID never seen: itself without a phone; with one, a user who changed to
    this number, a requester who registered under the BSUID (and not under the phone), else the phone."""
    if phone is None:
        return bsuid
    return aliases.identity_of_number(phone) or (bsuid if _registered_only_under(bsuid, phone) else phone)


def _registered_only_under(identity: str, other: str) -> bool:
    return lids.has_requester(identity) and not lids.has_requester(other)


def apply_changes(changes: Iterable[IdentityChange], now: datetime) -> int:
    """Links the new number and BSUID of each change to the identity of the previous ones; returns
    how many moved a known requester (a user who never registered has nothing to move)."""
    moved = 0
    for change in changes:
        identity = _identity_before(change)
        if identity is None:
            logger.info("identity change of an unknown user ignored", extra={"kind": change.kind})
            continue
        if change.bsuid:
            aliases.link_bsuid(change.bsuid, identity, now)
            _remember(change.bsuid, identity)
        if change.phone and change.phone != identity:
            aliases.link_number(change.phone, identity, now)
        address = change.phone or change.bsuid  # a phone is sent to as `to`, as Meta prefers
        if address and address != identity:
            aliases.set_address(identity, address, now)
        elif address:
            aliases.clear_address(identity)  # back to the identity itself
        moved += 1
        logger.info("identity moved", extra={"kind": change.kind, "phone": mask_phone(identity)})
    return moved


def _identity_before(change: IdentityChange) -> str | None:
    previous_bsuid, previous_phone = change.previous_bsuid, change.previous_phone
    if previous_bsuid:
        identity = _known.get(previous_bsuid) or aliases.identity_of_bsuid(previous_bsuid)
        if identity or lids.has_requester(previous_bsuid):
            return identity or previous_bsuid
    if previous_phone:
        identity = aliases.identity_of_number(previous_phone)
        if identity or lids.has_requester(previous_phone):
            return identity or previous_phone
    return None


def _remember(lid: str, phone: str) -> None:
    if len(_known) >= _MAX_KNOWN:
        _known.clear()
    _known[lid] = phone
