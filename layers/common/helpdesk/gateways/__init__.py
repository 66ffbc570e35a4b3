"""WhatsApp gateways: one port (`base.WhatsAppGateway`), three adapters, chosen by configuration."""

from __future__ import annotations

from helpdesk import caches, config
from helpdesk.gateways.base import WhatsAppGateway

GATEWAYS = ("evolution", "cloud", "simulator")


def build_gateway(settings: config.Settings | None = None) -> WhatsAppGateway:
    """The adapter named by settings.gateway (WHATSAPP_GATEWAY), one per process and configuration."""
    settings = settings or config.settings()
    if settings.gateway == "evolution":
        return _build(settings, config.secret("evolution_api_key"))
    if settings.gateway == "cloud":
        return _build(settings, config.secret("cloud_access_token"))
    if settings.gateway == "simulator":
        return _build(settings, "")
    raise ValueError(f"unknown WHATSAPP_GATEWAY {settings.gateway!r}; expected one of {GATEWAYS}")


@caches.cached
def _build(settings: config.Settings, key: str) -> WhatsAppGateway:
    # Imported here so a process only loads the adapter it uses.
    if settings.gateway == "evolution":
        from helpdesk.gateways.evolution import EvolutionGateway

        return EvolutionGateway(settings, key, webhook_token=config.secret("webhook_token"))
    if settings.gateway == "cloud":
        from helpdesk.gateways.cloud import CloudGateway

        return CloudGateway(settings, key)
    from helpdesk.gateways.simulator import SimulatorGateway

    return SimulatorGateway(settings)
