"""The single DynamoDB table, as pynamodb models.

Every item has `pk`/`sk` and an `entity` discriminator, so one query of a partition returns typed
items of several kinds (a phone's profile, company links and conversation come back together).

| entity       | pk                  | sk                          | gsi1 (pk / sk)                         | gsi2 (pk / sk)        |
|--------------|---------------------|-----------------------------|----------------------------------------|-----------------------|
| instance     | INSTANCE#<name>     | META                        | INSTANCES / <name>                     |                       |
| company      | COMPANY#<cnpj>      | META                        | COMPANIES / <name>                     |                       |
| request_type | RTYPE#<id>          | META                        | RTYPES / <name>                        |                       |
| requester    | PHONE#<phone>       | PROFILE                     | REQUESTERS / <phone>                   |                       |
| link         | PHONE#<phone>       | COMPANY#<cnpj>              | COMPANY#<cnpj>#REQUESTERS / <phone>    |                       |
| conversation | PHONE#<phone>       | CONVERSATION                |                                        |                       |
| notified     | PHONE#<phone>       | NOTIFIED                    |                                        |                       |
| ticket       | TICKET#<number>     | META                        | REQ#<phone>#<cnpj> / <number:010d>     | TICKETS / <number>    |
| action       | TICKET#<number>     | ACTION#<iso time>#<id>      |                                        |                       |
| marker       | TICKET#<number>     | ACTIONID#<id>               |                                        |                       |
| counter      | COUNTER             | <name>                      |                                        |                       |
| stats        | STATS#<instance>    | DAY#<yyyy-mm-dd> (older: DAY#<day>#<shard>, TOTAL#<shard>) | STATS / <yyyy-mm-dd>#<instance> (not on older items) | |
| status count | TICKETSTATUS        | <status>                    | STATS / STATUS#<status>                |                       |
| stats batch  | STATSBATCH#<first>-<last stream sequence number> | META |                                |                       |
| login        | LOGIN#<username>    | ATTEMPTS                    |                                        |                       |
| status list  | STATUSES            | META (model in statuses.py) |                                        |                       |
| kb article, kb synonyms | KB       | ARTICLE#<id>, SYNONYMS (models in knowledge.py) |                    |                       |
| kb offer     | KBOFFER#<phone>     | <offered at> (model in offers.py) | KBOFFERS / <offered at>#<phone>  |                       |
| rating       | RATINGS#<instance>  | <rated_at iso>#<number>     | RATINGS#COMPANY#<cnpj> / same as sk    |                       |
| erasure      | AUDIT#ERASURE       | <erased_at iso>#<hash>      |                                        |                       |
| sent         | SENT#<message id>   | META                        |                                        |                       |
| lid          | LID#<lid digits>    | ALIAS                       | PHONE#<phone>#LIDS / <lid digits>      |                       |
| alias        | BSUID#<bsuid>, NUMBER#<phone> | ALIAS             | PHONE#<identity>#ALIASES / <pk>        |                       |

Powertools idempotency records share the table under pk `IDEMPOTENCY#...`.

The gsi1 partition STATS holds every figure of the console's dashboard, written by the stats
consumer (storage/stats.py): each instance's day counters, sorted by day, then the tickets per
status ("STATUS#..." sorts after any ISO date). One Query `gsi1sk >= <first day>` returns a
period's days of every instance and the status counts together.
"""

from __future__ import annotations

from typing import cast

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    ListAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)

from helpdesk.storage.attributes import (
    AttachmentMap,
    CompactJSONAttribute,
    LastAction,
    NotificationMap,
    SentReply,
    TurnCounts,
    strings,
)
from helpdesk.storage.table import Item as Item
from helpdesk.storage.table import bind as bind

TICKET_NUMBER_WIDTH = 10


class Instance(Item, discriminator="instance"):
    name = UnicodeAttribute()
    agent_type = UnicodeAttribute()
    gateway = UnicodeAttribute()
    state = UnicodeAttribute(default="close")
    qr_code = UnicodeAttribute(null=True)
    pairing_code = UnicodeAttribute(null=True)
    api_key_hash = UnicodeAttribute(null=True)  # sha256 of the instance's gateway key
    business_hours = JSONAttribute(null=True)  # helpdesk.domain.hours shape; None: always open
    disconnected_at = UTCDateTimeAttribute(null=True)  # the gateway reported close/refused since then
    disconnect_reason = NumberAttribute(null=True)  # Evolution's statusReason (401 logged out, 428 ...)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()


class Company(Item, discriminator="company"):
    cnpj = UnicodeAttribute()
    name = UnicodeAttribute()
    active = BooleanAttribute(default=True)
    created_at = UTCDateTimeAttribute()


class RequestType(Item, discriminator="request_type"):
    type_id = UnicodeAttribute()
    name = UnicodeAttribute()
    kind = UnicodeAttribute()  # "synthetic" | "analytic"
    whatsapp = BooleanAttribute()
    active = BooleanAttribute(default=True)


class Requester(Item, discriminator="requester"):
    phone = UnicodeAttribute()
    name = UnicodeAttribute()
    email = UnicodeAttribute()
    username = UnicodeAttribute()
    password_hash = UnicodeAttribute()
    # Bumped by access recovery: portal sessions signed with an older value stop working.
    credentials_version = NumberAttribute(default=1)
    created_at = UTCDateTimeAttribute()
    instance = UnicodeAttribute(null=True)  # the number the requester last wrote to
    bsuid = UnicodeAttribute(null=True)  # Cloud API business-scoped user ID seen at registration
    whatsapp_username = UnicodeAttribute(null=True)  # their WhatsApp username then (display only)


class CompanyLink(Item, discriminator="link"):
    phone = UnicodeAttribute()
    cnpj = UnicodeAttribute()
    company_name = UnicodeAttribute()
    linked_at = UTCDateTimeAttribute()
    company_active = BooleanAttribute(null=True)  # False once the company is deactivated


class Conversation(Item, discriminator="conversation"):
    phone = UnicodeAttribute()
    instance = UnicodeAttribute()
    state = CompactJSONAttribute()
    version = VersionAttribute()
    # Idempotency of turns: the ids of the last inbound messages applied, newest last.
    recent_message_ids = strings()
    # Outbox of the last turn: replies committed with the state, sent after the commit.
    outbox_message_id = UnicodeAttribute(null=True)
    outbox = ListAttribute(of=SentReply, default=list)
    outbox_sent = BooleanAttribute(default=True)
    outbox_values = CompactJSONAttribute(null=True)  # non-secret fill values ({ticket_number}, {username})
    last_activity = UTCDateTimeAttribute()
    expires_at = TTLAttribute()
    # What the turn that wrote this version counted (sent, conversations, tickets; received is 1):
    # the stats consumer adds them up from the table stream (storage/stats.py).
    turn_counts = TurnCounts(null=True)
    # The last tickets and actions written from this phone's messages, by message id: an edit or
    # a delete for everyone finds them here, with no read (storage/saved.py).
    saved = CompactJSONAttribute(null=True)


class Notified(Item, discriminator="notified"):
    """The last notifications a phone got, in its partition: the turn's one query sees them."""

    phone = UnicodeAttribute()
    recent = ListAttribute(of=NotificationMap, default=list)  # oldest first
    version = VersionAttribute()
    expires_at = TTLAttribute()


class Ticket(Item, discriminator="ticket"):
    number = NumberAttribute()
    title = UnicodeAttribute()
    description = UnicodeAttribute()
    status = UnicodeAttribute()
    request_type_id = UnicodeAttribute(null=True)
    request_type_name = UnicodeAttribute(null=True)
    cnpj = UnicodeAttribute()
    company_name = UnicodeAttribute()
    requester_phone = UnicodeAttribute()
    requester_name = UnicodeAttribute()
    instance = UnicodeAttribute()
    source = UnicodeAttribute(default="whatsapp")
    origin_message_id = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    last_action = LastAction(null=True)
    opened_out_of_hours = BooleanAttribute(null=True)
    # Closing the loop: when the requester was asked whether it is solved (once per closing),
    # and the rating the requester gave.
    fix_asked_at = UTCDateTimeAttribute(null=True)
    reopened_count = NumberAttribute(null=True)
    rating = NumberAttribute(null=True)
    rating_comment = UnicodeAttribute(null=True)
    rated_at = UTCDateTimeAttribute(null=True)
    transcripts = cast("ListAttribute[str]", ListAttribute(of=UnicodeAttribute, null=True))  # for search
    offered_articles = JSONAttribute(null=True)  # knowledge-base articles offered first [{id, title, opened}]


class Action(Item, discriminator="action"):
    action_id = UnicodeAttribute()
    ticket_number = NumberAttribute()
    kind = UnicodeAttribute(default="message")  # "message" | "status" | "rating"
    author_kind = UnicodeAttribute()  # "requester" | "agent"
    author_name = UnicodeAttribute()
    text = UnicodeAttribute()
    attachments = ListAttribute(of=AttachmentMap, default=list)
    transcribe = BooleanAttribute(null=True)  # written with an audio to transcribe (its stream filter)
    visible_to_requester = BooleanAttribute(default=True)
    source = UnicodeAttribute()  # "whatsapp" | "erp" | "admin" | "portal"
    status = UnicodeAttribute(null=True)  # the new status, on kind "status"
    closes = BooleanAttribute(null=True)  # an agent closed the ticket: the requester is asked
    rating = NumberAttribute(null=True)  # on kind "rating" (the text is the comment)
    requester_phone = UnicodeAttribute()
    instance = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    # Whether the requester got the WhatsApp notification of an agent's action (storage.sent).
    delivery = UnicodeAttribute(null=True)  # "sent" | "delivered" | "read" | "failed"
    delivery_at = UTCDateTimeAttribute(null=True)
    # The requester deleted, for everyone, the WhatsApp message this action came from (agents
    # still see its content, marked).
    deleted_at = UTCDateTimeAttribute(null=True)
    # The requester's reaction to the notification of this (agent's) action: the emoji ("" when
    # taken back), when, and the reaction message's id (the ERP event's id: action.reacted).
    reaction = UnicodeAttribute(null=True)
    reaction_id = UnicodeAttribute(null=True)
    reacted_at = UTCDateTimeAttribute(null=True)


class Marker(Item, discriminator="marker"):
    """Makes an id unique where it is not the whole key (an action id inside a sort key)."""

    created_at = UTCDateTimeAttribute()


class Counter(Item, discriminator="counter"):
    value = NumberAttribute(default=0)


class Stats(Item, discriminator="stats"):
    instance = UnicodeAttribute()
    day = UnicodeAttribute(null=True)
    received = NumberAttribute(default=0)
    sent = NumberAttribute(default=0)
    conversations = NumberAttribute(default=0)
    tickets = NumberAttribute(default=0)
    failed = NumberAttribute(default=0)  # the bot's messages WhatsApp reported as not delivered


class StatusCount(Item, discriminator="status_count"):
    """How many tickets are in a status, kept by the stats consumer from the tickets' changes."""

    status = UnicodeAttribute()
    tickets = NumberAttribute(default=0)


class StatsBatch(Item, discriminator="stats_batch"):
    """A stream batch the stats consumer has added up: a redelivered batch is not counted twice."""

    records = NumberAttribute()
    expires_at = TTLAttribute()  # past the stream's 24-hour retention, no batch can come back


class Rating(Item, discriminator="rating"):
    """One rating, kept where the console's figures read it: per instance and per company."""

    ticket_number = NumberAttribute()
    instance = UnicodeAttribute()
    cnpj = UnicodeAttribute()
    rating = NumberAttribute()
    rated_at = UTCDateTimeAttribute()


class ErasureAudit(Item, discriminator="erasure"):
    """Who erased which requester (by a hash of the phone: the record keeps no personal data)."""

    requester_hash = UnicodeAttribute()
    erased_by = UnicodeAttribute()
    erased_at = UTCDateTimeAttribute()
    summary = JSONAttribute()


class LoginAttempts(Item, discriminator="login"):
    failures = NumberAttribute(default=0)
    locked_until = UTCDateTimeAttribute(null=True)
    # The requester's credentials_version when the lock was set: a newer password lifts the lock.
    locked_version = NumberAttribute(null=True)
    expires_at = TTLAttribute(null=True)


class SentLog(Item, discriminator="sent"):
    """A message the bot sent on a ticket's behalf, so its delivery receipts find the action."""

    message_id = UnicodeAttribute()
    phone = UnicodeAttribute()
    instance = UnicodeAttribute()
    kind = UnicodeAttribute()  # "notification" | "template"
    ticket_number = NumberAttribute(null=True)
    cnpj = UnicodeAttribute(null=True)  # the ticket's company: a reply quoting this message goes there
    action_id = UnicodeAttribute(null=True)
    action_sk = UnicodeAttribute(null=True)  # the action's sort key: receipts update it directly
    status = UnicodeAttribute()
    status_at = UTCDateTimeAttribute()
    error = UnicodeAttribute(null=True)
    error_code = NumberAttribute(null=True)  # 131047 wakes the notifier: the template goes instead
    expires_at = TTLAttribute()


class LidAlias(Item, discriminator="lid"):
    """A WhatsApp LID seen together with a phone: later LID-only messages belong to that phone."""

    phone = UnicodeAttribute()
    linked_at = UTCDateTimeAttribute()


class IdentityAlias(Item, discriminator="alias"):
    """A BSUID, or a number a user changed to, that belongs to an identity (see logic.identity)."""

    phone = UnicodeAttribute()  # the identity
    linked_at = UTCDateTimeAttribute()


def idempotency_pk(use: str) -> str:
    """The partition of one use's Powertools idempotency records (see helpdesk.storage.idempotency)."""
    return f"IDEMPOTENCY#{use}"


def phone_pk(phone: str) -> str:
    """The partition of everything stored under one requester's phone (see helpdesk.storage.phones)."""
    return f"PHONE#{phone}"


def ticket_pk(number: int) -> str:
    """The partition of one ticket and its actions (see helpdesk.storage.tickets)."""
    return f"TICKET#{number}"
