"""Evolution API v2: who sent a one-to-one message, whatever the build named it by.

The same message looks different across Evolution builds (see /shared/research/evolution-v2.md §5):
the phone JID may sit in `remoteJid`, `remoteJidAlt`, `senderPn`, `previousRemoteJid` (2.4 swaps
`remoteJid` and `remoteJidAlt`). The phone is the key field that ends in @s.whatsapp.net, the LID
the one that ends in @lid.
"""

from __future__ import annotations

from typing import Any

from helpdesk.domain.phone import jid_lid, jid_phone, lid_identity
from helpdesk.gateways.base import WebhookMalformed

# Where a one-to-one message's sender may be named, by build (participant* only in odd builds).
_SENDER_FIELDS = (
    "remoteJid",
    "remoteJidAlt",
    "senderPn",
    "previousRemoteJid",
    "senderLid",
    "participantPn",
    "participantAlt",
    "participantLid",
)
_ONE_TO_ONE_SERVERS = frozenset({"s.whatsapp.net", "c.us", "lid"})


class Sender:
    """Who wrote a one-to-one message: identity, reply address and LID, whatever the build."""

    def __init__(self, key: dict[str, Any]) -> None:
        jids = [key[f] for f in _SENDER_FIELDS if isinstance(key.get(f), str)]
        phone_jid = next((j for j in jids if jid_phone(j)), None)
        lid_jid = next((j for j in jids if jid_lid(j)), None)
        self.lid = jid_lid(lid_jid)
        phone = jid_phone(phone_jid)
        self.identity = phone or (lid_identity(self.lid) if self.lid else None)
        # The JID exactly as Evolution gave it: the phone one when known (a reply to a bare @lid is
        # refused by builds without the LID mapping), else the LID.
        self.reply_to = phone_jid or lid_jid


def one_to_one(key: dict[str, Any]) -> bool:
    remote = key.get("remoteJid")
    if not isinstance(remote, str):
        raise WebhookMalformed("key.remoteJid is missing")
    server = remote.rsplit("@", 1)[1].lower() if "@" in remote else ""
    return server in _ONE_TO_ONE_SERVERS  # not a group, a status broadcast or a channel
