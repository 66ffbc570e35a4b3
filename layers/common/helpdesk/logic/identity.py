"""One identity per requester when WhatsApp hides phones behind LIDs (issue #13).

A message that carries both the LID and the phone links them (storage.lids); a later message that
carries only the LID is then served under that phone. Both happen in the webhook, before queueing,
so the FIFO group (instance + identity) is the same for the two kinds of message. Replies still go
to the address the message came from (`reply_to`), which the gateway accepts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from helpdesk.domain.messages import InboundMessage
from helpdesk.domain.phone import is_lid
from helpdesk.storage import lids

# LID -> phone pairs this container already wrote or read: a warm webhook neither rewrites a link
# on every message of a requester nor reads it twice. Only known pairs are kept (a miss may be
# linked meanwhile by another container).
_known: dict[str, str] = {}
_MAX_KNOWN = 10_000


def resolve(messages: Iterable[InboundMessage], now: datetime) -> list[InboundMessage]:
    """Links LIDs seen with a phone, then maps LID-only messages to their phone when one is known."""
    messages = list(messages)
    for message in messages:
        if message.lid and not is_lid(message.phone) and _known.get(message.lid) != message.phone:
            lids.link_lid(message.lid, message.phone, now)
            _remember(message.lid, message.phone)
    return [_canonical(message) for message in messages]


def _canonical(message: InboundMessage) -> InboundMessage:
    if not (message.lid and is_lid(message.phone)):
        return message
    phone = _known.get(message.lid) or lids.phone_of_lid(message.lid)
    if phone is None:
        return message  # not seen with a phone yet: served under the LID
    _remember(message.lid, phone)
    return replace(message, phone=phone)


def _remember(lid: str, phone: str) -> None:
    if len(_known) >= _MAX_KNOWN:
        _known.clear()
    _known[lid] = phone


def reset() -> None:
    _known.clear()
