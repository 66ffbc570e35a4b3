"""The sent-message log: what the bot sent on a ticket's behalf, and how far each message got.

Receipts (Cloud API `statuses`, Evolution `messages.update`) name a message by the id the gateway
gave it at send time. Each logged message is one item keyed by that id, so a receipt costs one
conditional UpdateItem (plus one on the action it notified) and an unknown id costs one refused
condition. Status only moves forward (sent < delivered < read; failed only from sent): receipts
arrive out of order and repeated, and the condition makes that harmless without a read.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from msgspec import Struct
from pynamodb.exceptions import UpdateError
from pynamodb.expressions.update import Action as UpdateAction

from helpdesk.storage.models import Action, SentLog, ticket_pk
from helpdesk.storage.transaction import condition_failed

SENT_TTL = timedelta(days=30)
# Which statuses a receipt may replace: the earlier ones.
_EARLIER = {
    "delivered": ("sent",),
    "read": ("sent", "delivered"),
    "failed": ("sent",),
}


class SentRecord(Struct, frozen=True):
    message_id: str
    phone: str
    instance: str
    kind: str
    status: str
    status_at: datetime
    ticket_number: int | None = None
    action_id: str | None = None
    action_key: str | None = None
    error: str | None = None
    cnpj: str | None = None


def phone_sent_key(phone: str) -> str:
    return f"PHONE#{phone}#SENT"


def _pk(message_id: str) -> str:
    return f"SENT#{message_id}"


def _record(item: SentLog) -> SentRecord:
    return SentRecord(
        message_id=item.message_id,
        phone=item.phone,
        instance=item.instance,
        kind=item.kind,
        status=item.status,
        status_at=item.status_at,
        ticket_number=int(item.ticket_number) if item.ticket_number is not None else None,
        action_id=item.action_id,
        action_key=item.action_sk,
        error=item.error,
        cnpj=item.cnpj,
    )


def record_sent(
    message_id: str,
    *,
    phone: str,
    instance: str,
    kind: str,
    at: datetime,
    ticket_number: int | None = None,
    cnpj: str | None = None,
    action_id: str | None = None,
    action_key: str | None = None,
) -> None:
    """Logs one outbound message. `action_key` is the notified action's sort key, as the stream
    delivered it (opaque to the caller): receipts then update the action without a query."""
    SentLog(
        pk=_pk(message_id),
        sk="META",
        message_id=message_id,
        phone=phone,
        instance=instance,
        kind=kind,
        ticket_number=ticket_number,
        cnpj=cnpj,
        action_id=action_id,
        action_sk=action_key if action_key and action_key.startswith("ACTION#") else None,
        status="sent",
        status_at=at,
        expires_at=at + SENT_TTL,
        # Found by phone when a requester is erased (LGPD), see storage.privacy.
        gsi1pk=phone_sent_key(phone),
        gsi1sk=message_id,
    ).save()
    if ticket_number is not None and action_key:
        # A template sent after a refused text supersedes its "failed".
        earlier = ("failed",) if kind == "template" else ()
        _mark_action(ticket_number, action_key, "sent", at, earlier=earlier)


def find_sent(message_id: str) -> SentRecord | None:
    try:
        return _record(SentLog.get(_pk(message_id), "META"))
    except SentLog.DoesNotExist:
        return None


def record_receipt(
    message_id: str, status: str, at: datetime, error: str | None = None, error_code: int | None = None
) -> SentRecord | None:
    """Moves a logged message forward; None when the id is not logged or the status is not newer."""
    earlier = _EARLIER.get(status)
    if not earlier:
        return None  # "sent" is written at send time; nothing else comes before it
    item = SentLog(pk=_pk(message_id), sk="META")
    actions: list[UpdateAction] = [SentLog.status.set(status), SentLog.status_at.set(at)]
    if error:
        actions.append(SentLog.error.set(error[:200]))
    if error_code is not None:
        actions.append(SentLog.error_code.set(error_code))
    try:
        item.update(actions=actions, condition=SentLog.pk.exists() & SentLog.status.is_in(*earlier))
    except UpdateError as exc:
        if condition_failed(exc):
            return None
        raise
    if item.ticket_number is not None and item.action_sk:
        _mark_action(int(item.ticket_number), item.action_sk, status, at, earlier=earlier)
    return _record(item)


def notified_text(record: SentRecord) -> str:
    """The text of the action a logged message notified ("" when it is gone)."""
    if record.ticket_number is None or not record.action_key:
        return ""
    try:
        return Action.get(ticket_pk(record.ticket_number), record.action_key).text or ""
    except Action.DoesNotExist:
        return ""


def from_image(image: dict) -> SentRecord:
    """A logged message as the table stream delivered it (a plain dict of its attributes)."""
    number = image.get("ticket_number")
    return SentRecord(
        message_id=str(image["message_id"]),
        phone=str(image["phone"]),
        instance=str(image["instance"]),
        kind=str(image["kind"]),
        status=str(image["status"]),
        status_at=datetime.fromisoformat(str(image["status_at"]).replace("+0000", "+00:00")),
        ticket_number=int(number) if number is not None else None,
        action_id=image.get("action_id"),
        action_key=image.get("action_sk"),
        error=image.get("error"),
    )


def _mark_action(number: int, action_sk: str, status: str, at: datetime, earlier: tuple[str, ...]) -> None:
    condition = Action.pk.exists() & Action.delivery.does_not_exist()
    if earlier:
        condition = Action.pk.exists() & (Action.delivery.does_not_exist() | Action.delivery.is_in(*earlier))
    try:
        Action(pk=ticket_pk(number), sk=action_sk).update(
            actions=[Action.delivery.set(status), Action.delivery_at.set(at)], condition=condition
        )
    except UpdateError as exc:
        if not condition_failed(exc):
            raise
