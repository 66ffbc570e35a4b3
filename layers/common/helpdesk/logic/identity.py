"""One identity per requester when WhatsApp hides phones behind LIDs (issue #13).

A message that carries both the LID and the phone links them (storage.lids); a later message that
carries only the LID is then served under that phone. A requester who registered while WhatsApp
showed only the LID ("lid:<digits>") keeps that identity when a phone appears: the link then points
the LID to itself, so messages carrying the LID (with or without the phone) reach the same
requester, tickets and conversation. Both happen in the webhook, before queueing, so the FIFO group
(instance + identity) is the canonical one. Replies still go to the address the message came from
(`reply_to`), which the gateway accepts.

Cost: one GetItem of the alias per LID per warm container (then cached); at the first pairing, one
or two GetItems of requester profiles and one PutItem.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from helpdesk import caches
from helpdesk.domain.messages import InboundMessage
from helpdesk.domain.phone import is_lid, lid_identity
from helpdesk.storage import lids

# LID -> identity pairs this container already wrote or read: a warm webhook reads a requester's
# alias once. Only known pairs are kept (a miss may be linked meanwhile by another container).
_known: dict[str, str] = {}
caches.register(_known.clear)
_MAX_KNOWN = 10_000


def resolve(messages: Iterable[InboundMessage], now: datetime) -> list[InboundMessage]:
    """Each message under its requester's canonical identity (the phone, or the LID for a requester
    who registered before WhatsApp showed any phone), linking LIDs seen with a phone."""
    return [_canonical(message, now) for message in messages]


def _canonical(message: InboundMessage, now: datetime) -> InboundMessage:
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


def _remember(lid: str, phone: str) -> None:
    if len(_known) >= _MAX_KNOWN:
        _known.clear()
    _known[lid] = phone
