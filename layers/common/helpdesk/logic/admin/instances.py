"""WhatsApp numbers (instances): created and deleted at the gateway and here, connected by QR."""

from __future__ import annotations

import re
from enum import StrEnum

from aws_lambda_powertools import Logger

from helpdesk.gateways.base import GatewayError
from helpdesk.logic.admin.errors import Conflict, GatewayFailed, InvalidInput, NotFound
from helpdesk.logic.services import Services
from helpdesk.storage import catalog
from helpdesk.storage.catalog import Instance, hash_key
from helpdesk.storage.transaction import AlreadyExists, Missing

# Shown when a number is created (API response and console): WhatsApp bans fresh numbers that
# start out answering automatically.
BOT_NUMBER_WARNING = (
    "Atenção: o número precisa já ter histórico de conversas manuais antes de virar bot. "
    "Números novos que começam respondendo automaticamente costumam ser bloqueados pelo WhatsApp."
)
logger = Logger(child=True)
INSTANCE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")


class AgentType(StrEnum):
    """Who answers on a number. Only the bot for now; human queues may come later."""

    BOT = "BOT"


def gateway_failed(what: str, error: GatewayError) -> GatewayFailed:
    """The admin reads what failed in pt-BR; the gateway's own (English, technical) words go to the log."""
    logger.warning("gateway call failed", extra={"failure": what, "gateway_error": str(error)})
    return GatewayFailed(f"{what}. Tente de novo em instantes; se persistir, verifique o gateway.")


def get_instance(name: str) -> Instance:
    instance = catalog.get_instance(name)
    if instance is None:
        raise NotFound(f"Instância '{name}' não encontrada.", "name")
    return instance


def list_instances() -> list[Instance]:
    return catalog.list_instances()


def create_instance(
    services: Services,
    *,
    name: str,
    agent_type: str,
    api_key: str | None = None,
) -> Instance:
    """Claims the name in the table (409 if taken), then creates the instance at the gateway."""
    if not INSTANCE_NAME.fullmatch(name or ""):
        raise InvalidInput("Nome inválido: use letras, números, '-' ou '_' (até 40).", "name")
    try:
        agent = AgentType(agent_type)
    except ValueError:
        raise InvalidInput("Agente inválido: escolha Bot.", "agent_type") from None
    instance = catalog.new_instance(
        name=name,
        agent_type=agent.value,
        gateway=services.gateway.name,
        now=services.clock(),
        api_key_hash=hash_key(api_key) if api_key else None,
    )
    try:
        catalog.create_instance(instance)
    except AlreadyExists as error:
        raise Conflict(f"Já existe uma instância '{name}'.", "name") from error
    try:
        services.gateway.create_instance(name)
    except GatewayError as error:
        catalog.delete_instance(name)
        raise gateway_failed("O gateway do WhatsApp recusou a criação do número", error) from error
    return instance


def connect_instance(services: Services, name: str) -> Instance:
    """Asks the gateway for a QR / pairing code and keeps it on the instance until it connects."""
    get_instance(name)
    try:
        info = services.gateway.connect(name)
    except GatewayError as error:
        raise gateway_failed("O gateway do WhatsApp não gerou o QR code", error) from error
    try:
        return catalog.set_connection(
            name,
            state=info.state,
            qr_code=info.code,
            pairing_code=info.pairing_code,
            now=services.clock(),
        )
    except Missing as error:  # deleted meanwhile
        raise NotFound(f"Instância '{name}' não encontrada.", "name") from error


def delete_instance(services: Services, name: str) -> None:
    """Logs the number out at the gateway, deletes it there, then forgets it here."""
    get_instance(name)
    try:
        services.gateway.logout(name)
    except GatewayError:
        pass  # not connected: nothing to log out
    try:
        services.gateway.delete_instance(name)
    except GatewayError as error:
        raise gateway_failed("O gateway do WhatsApp não removeu o número", error) from error
    catalog.delete_instance(name)
