"""Processor side: a change whose payload names no sender, attributed before its turn.

Evolution 2.2-2.3 writes `messages.edited` from the sender's side (`fromMe: true`, the bot's own
number), so the webhook queues it as it came, with no phone (its own FIFO group, see
`inbound.group_id`). The processor asks the gateway whose message it changes (`sender_of`:
Evolution's `POST /chat/findMessages`, it keeps them) and puts the change back on the queue under
that requester, in their phone's group: it runs behind the messages they sent before, so it finds
what they wrote. A message the gateway does not know (or a gateway that keeps none) is dropped; a
gateway that cannot answer now (GatewayError) makes SQS retry.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger
from msgspec.structs import replace

from helpdesk.domain.messages import InboundMessage
from helpdesk.gateways.base import GatewayRejected
from helpdesk.logic.services import Services

logger = Logger(child=True)


def needs_sender(message: InboundMessage) -> bool:
    return not message.phone


def attribute(message: InboundMessage, services: Services) -> int:
    """Queues the change again under its sender; returns how many messages were queued (0: dropped)."""
    try:
        sender = (
            services.gateway.sender_of(message.instance, message.target_id) if message.target_id else None
        )
    except GatewayRejected:
        logger.warning("the gateway refused to say whose message a change is about")
        sender = None
    if sender is None:
        logger.info("a change of a message of nobody known ignored", extra={"kind": message.kind.value})
        return 0
    attributed = replace(message, phone=sender.identity, reply_to=sender.reply_to, lid=sender.lid)
    # The webhook's side, imported here: a processor's usual turn has its sender and never needs it.
    from helpdesk.logic import identity, inbound

    return inbound.enqueue(identity.resolve([attributed], services.clock()))
