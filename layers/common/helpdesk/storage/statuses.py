"""The managed list of ticket statuses: one item (STATUSES / META). Until an admin saves a list,
the defaults of helpdesk.domain.statuses (with CLOSED_STATUS and REOPENED_STATUS) stand.

Every closing, reopening and requester's reply consults it: a short per-container cache, like the
request types', keeps it off the dialog turn's requests (a change reaches other containers within
a minute)."""

from __future__ import annotations

import time

from pynamodb.attributes import JSONAttribute, ListAttribute, UnicodeAttribute

from helpdesk import caches
from helpdesk.config import settings
from helpdesk.domain import statuses as domain
from helpdesk.domain.statuses import Statuses
from helpdesk.storage.models import Item


class StatusList(Item, discriminator="status_list"):
    names = ListAttribute(of=UnicodeAttribute)
    roles = JSONAttribute()  # role -> name
    erp_names = JSONAttribute(null=True)  # name -> [the ERP's names for it]


_TTL = 60.0
_cache: tuple[float, Statuses] | None = None


def _stored() -> Statuses:
    config = settings()
    try:
        item = StatusList.get("STATUSES", "META")
    except StatusList.DoesNotExist:
        return domain.defaults(config.closed_status, config.reopened_status)
    erp_names = {name: tuple(aliases) for name, aliases in (item.erp_names or {}).items()}
    return Statuses(tuple(str(name) for name in item.names), dict(item.roles), erp_names)


def managed() -> Statuses:
    """The list (cached for a minute)."""
    global _cache
    if _cache and time.monotonic() - _cache[0] < _TTL:
        return _cache[1]
    _cache = (time.monotonic(), _stored())
    return _cache[1]


def save(statuses: Statuses) -> None:
    data = statuses.as_dict()
    StatusList(
        pk="STATUSES", sk="META", names=data["names"], roles=data["roles"], erp_names=data["erp_names"]
    ).save()
    forget()


@caches.register
def forget() -> None:
    global _cache
    _cache = None
