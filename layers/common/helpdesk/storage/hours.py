"""Business hours of an instance, stored on its META item, read through a per-container cache.

Only turns that create a ticket or post a message ask (see `TableDialogContext.business_hours`),
and then at most once a minute per container and instance: like the request types' cache, so a
turn costs no extra request for them. The admin API writes them and forgets the cache here.
"""

from __future__ import annotations

import time

from pynamodb.exceptions import UpdateError

from helpdesk import caches
from helpdesk.domain.hours import BusinessHours, parse_hours
from helpdesk.storage.catalog import instance_key
from helpdesk.storage.models import Instance
from helpdesk.storage.transaction import condition_failed

HOURS_TTL_SECONDS = 60.0
_cache: dict[str, tuple[float, BusinessHours | None]] = {}
caches.register(_cache.clear)


class UnknownInstance(Exception):
    pass


def instance_hours(name: str) -> BusinessHours | None:
    cached = _cache.get(name)
    if cached and time.monotonic() - cached[0] < HOURS_TTL_SECONDS:
        return cached[1]
    try:
        raw = Instance.get(*instance_key(name), attributes_to_get=["business_hours"]).business_hours
    except Instance.DoesNotExist:
        raw = None
    hours = parse_hours(raw) if raw else None
    _cache[name] = (time.monotonic(), hours)
    return hours


def stored_hours(name: str) -> BusinessHours | None:
    """Straight from the table (the admin API shows what is stored, not the cache)."""
    try:
        raw = Instance.get(*instance_key(name)).business_hours
    except Instance.DoesNotExist as error:
        raise UnknownInstance(name) from error
    return parse_hours(raw) if raw else None


def set_hours(name: str, hours: BusinessHours | None) -> None:
    """Replaces the instance's hours (None: always open)."""
    attribute = Instance.business_hours
    action = attribute.set(hours.to_dict()) if hours is not None else attribute.remove()
    try:
        pk, sk = instance_key(name)
        Instance(pk=pk, sk=sk).update(actions=[action], condition=Instance.pk.exists())
    except UpdateError as error:
        if condition_failed(error):
            raise UnknownInstance(name) from error
        raise
    forget()


def forget() -> None:
    _cache.clear()
