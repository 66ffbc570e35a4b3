"""What logic talks to besides the table: the WhatsApp gateway, the settings and the clock.

Every logic entry point takes one `Services`; time comes only from its `clock`. The handlers build
the live one (`Services()`: the configured gateway, built on first use, and the wall clock);
tests pass fakes (a recording gateway, a fixed clock, other settings) instead of patching.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from helpdesk.config import Settings, settings

if TYPE_CHECKING:  # the gateways load when one is built (the ERP and portal functions never do)
    from helpdesk.gateways.base import WhatsAppGateway


def utcnow() -> datetime:
    return datetime.now(UTC)


class Services:
    def __init__(
        self,
        gateway: WhatsAppGateway | None = None,
        config: Settings | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._gateway = gateway
        self.config = config or settings()
        self.clock = clock

    @property
    def gateway(self) -> WhatsAppGateway:
        """Built on first use: the ERP and portal functions never need one (nor its secret)."""
        if self._gateway is None:
            from helpdesk.gateways import build_gateway

            self._gateway = build_gateway(self.config)
        return self._gateway
