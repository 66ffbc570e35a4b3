"""What the fault suite observes: queue depth, every stored item, and a normalized view of what a
phone ended up with (and of the replies it got)."""

from __future__ import annotations

import json
import re

from helpdesk.storage.models import Action, CompanyLink, Conversation, Item, Requester, Ticket
from helpdesk.storage.phones import phone_pk


def queue_depth(aws, queue_url: str | None = None) -> int:
    """Messages in the queue (the inbound one unless named), visible or in flight."""
    attributes = aws.session.client("sqs").get_queue_attributes(
        QueueUrl=queue_url or aws.queue_url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(
        attributes["ApproximateNumberOfMessagesNotVisible"]
    )


def all_items(aws) -> list[dict]:
    table = aws.session.resource("dynamodb").Table(aws.table_name)
    response = table.scan()
    items = response["Items"]
    while "LastEvaluatedKey" in response:
        response = table.scan(ExclusiveStartKey=response["LastEvaluatedKey"])
        items += response["Items"]
    return items


def normalize_reply(text: str, phone: str) -> str:
    text = re.sub(r"Senha: \*\S+\*", "Senha: *<password>*", text)
    return re.sub(r"\*\d{1,6}\*", "*<n>*", text.replace(phone, "<phone>"))


def end_state(phone: str) -> dict:
    """What one phone ended up with, without what legitimately differs between phones and runs
    (ticket numbers, message ids, the password and how many times it was issued)."""
    items = list(Item.query(phone_pk(phone)))
    requester = next((i for i in items if isinstance(i, Requester)), None)
    conversation = next((i for i in items if isinstance(i, Conversation)), None)
    tickets = [
        t for t in Ticket.by_gsi2.query("TICKETS") if isinstance(t, Ticket) and t.requester_phone == phone
    ]
    actions = [a for t in tickets for a in Item.query(t.pk) if isinstance(a, Action)]
    state = dict(conversation.state) if conversation else None
    if state:
        state = json.loads(
            re.sub(r'"(ticket_number|number)": \d+', r'"\1": 0', json.dumps(state, sort_keys=True))
        )
    return {
        "requester": (requester.name, requester.email) if requester else None,
        "links": sorted(link.cnpj for link in items if isinstance(link, CompanyLink)),
        "state": state,
        "outbox_sent": conversation.outbox_sent if conversation else None,
        "message_ids": [m.replace(phone, "") for m in (conversation.recent_message_ids or [])]
        if conversation
        else [],
        "tickets": sorted((t.title, t.description, t.status, t.request_type_name) for t in tickets),
        "actions": sorted((a.author_kind, a.text, a.action_id.replace(phone, "")) for a in actions),
    }
