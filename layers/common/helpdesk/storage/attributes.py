"""The nested shapes (DynamoDB maps) items keep inside an attribute."""

from __future__ import annotations

import json
from typing import Any, cast

from pynamodb.attributes import (
    JSONAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)


def strings() -> ListAttribute[str]:
    """A list of strings. pynamodb types a ListAttribute by the attribute class in `of`, which for
    UnicodeAttribute would make its values `list[UnicodeAttribute]`; they are `str`."""
    return cast("ListAttribute[str]", ListAttribute(of=UnicodeAttribute, default=list))


class CompactJSONAttribute(JSONAttribute):
    """JSON without the spaces after separators and with letters as UTF-8 ("ú", not "\\u00fa"), for
    what the conversation item (written every turn, billed per kilobyte) keeps. Reads as any JSON,
    so values stored before load the same."""

    def serialize(self, value: Any) -> str | None:
        if value is None:
            return None
        encoded = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        try:
            encoded.encode()
        except UnicodeEncodeError:  # a lone surrogate from a payload: kept escaped
            return json.dumps(value, separators=(",", ":"))
        return encoded


class SentReply(MapAttribute):
    text = UnicodeAttribute()
    fill = strings()
    menu = CompactJSONAttribute(
        null=True
    )  # domain.menus.Menu.to_dict(), rendered by the gateway at send time


class TurnCounts(MapAttribute):
    sent = NumberAttribute(default=0)
    conversations = NumberAttribute(null=True)  # left out at 0: the consumer reads none as 0
    tickets = NumberAttribute(null=True)  # no longer written (tickets are counted from the stream)


class NotificationMap(MapAttribute):
    ticket_number = NumberAttribute()
    cnpj = UnicodeAttribute()
    message_ids = strings()  # the text and each file sent
    at = UTCDateTimeAttribute()


class AttachmentMap(MapAttribute):
    key = UnicodeAttribute()
    kind = UnicodeAttribute()
    mimetype = UnicodeAttribute()
    filename = UnicodeAttribute()
    size = NumberAttribute()
    # Audio only: see helpdesk.domain.transcripts (status pending | done | unavailable).
    transcript = UnicodeAttribute(null=True)
    transcript_status = UnicodeAttribute(null=True)
    seconds = NumberAttribute(null=True)


class LastAction(MapAttribute):
    author_kind = UnicodeAttribute()
    author_name = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    text = UnicodeAttribute()
    attachment_count = NumberAttribute(default=0)
