"""What the turn and the notifier talk to, injected so tests can replace any of it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from helpdesk.config import Settings, settings
from helpdesk.gateways.base import WhatsAppGateway


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    gateway: WhatsAppGateway
    config: Settings = field(default_factory=settings)
    clock: Callable[[], datetime] = utcnow
