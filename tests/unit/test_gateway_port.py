"""One port for every WhatsApp gateway (helpdesk.gateways.base.WhatsAppGateway): each adapter says
what it can do, and nothing in logic/ probes a gateway for what it has."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from helpdesk import texts
from helpdesk.config import Settings
from helpdesk.domain.menus import numbered
from helpdesk.gateways.base import GatewayRejected, SentMessage, WhatsAppGateway
from helpdesk.gateways.cloud import CloudGateway
from helpdesk.gateways.evolution import EvolutionGateway
from helpdesk.gateways.simulator import SimulatorGateway
from local.testing.gateways import CloudLikeGateway, RecordingGateway, TextOnlyGateway

LOGIC = Path(__file__).resolve().parents[2] / "layers" / "common" / "helpdesk" / "logic"


def adapters() -> dict[str, WhatsAppGateway]:
    settings = Settings.from_env()
    return {
        "evolution": EvolutionGateway(settings, "key"),
        "cloud": CloudGateway(settings, "token"),
        "simulator": SimulatorGateway(settings),
    }


@pytest.mark.parametrize("name", ["evolution", "cloud", "simulator"])
def test_every_adapter_implements_the_port(name):
    assert isinstance(adapters()[name], WhatsAppGateway)


def test_the_tests_stand_ins_implement_it_too():
    assert isinstance(RecordingGateway(), WhatsAppGateway)
    assert isinstance(TextOnlyGateway(), WhatsAppGateway) and not TextOnlyGateway().sends_media


def test_only_the_cloud_api_sends_templates_and_the_others_refuse_them():
    gateways = adapters()
    assert {name: gateway.sends_templates for name, gateway in gateways.items()} == {
        "evolution": False,
        "cloud": True,
        "simulator": False,
    }
    assert all(gateway.sends_media for gateway in gateways.values())
    assert CloudLikeGateway().sends_templates
    for name in ("evolution", "simulator"):
        with pytest.raises(GatewayRejected):
            gateways[name].send_template("suporte", "5511987654321", "atendimento", "pt_BR", ["1"])


def test_gateways_that_keep_no_messages_know_no_sender():
    gateways = adapters()
    assert gateways["cloud"].sender_of("123", "wamid.X") is None
    assert gateways["simulator"].sender_of("suporte", "sim-1") is None


@pytest.mark.parametrize("name", ["evolution", "simulator"])
def test_without_buttons_a_menu_goes_as_its_numbered_text(name, monkeypatch):
    gateway = adapters()[name]
    sent: list[str] = []
    monkeypatch.setattr(
        gateway, "send_text", lambda instance, to, text: sent.append(text) or SentMessage("x")
    )
    asked = texts.access_menu("Acme")
    assert gateway.send_menu("suporte", "5511987654321", asked.text, asked.menu) == SentMessage("x")
    assert sent == [numbered(asked.text, asked.menu)]
    assert sent[0].endswith(
        "O que deseja fazer? Digite o número:\n1 - Recuperar acesso ao portal\n"
        "2 - Ver meus atendimentos\n3 - Vincular outro CNPJ"
    )


def test_the_cloud_api_taps_within_metas_limits_and_types_beyond_them(monkeypatch):
    gateway = adapters()["cloud"]
    sent: list[tuple[str, object]] = []
    monkeypatch.setattr(gateway, "_send", lambda instance, to, kind, content: sent.append((kind, content)))
    monkeypatch.setattr(gateway, "send_text", lambda instance, to, text: sent.append(("text", text)))
    asked = texts.FIX_QUESTION
    gateway.send_menu("123", "5511987654321", asked.text, asked.menu)
    assert sent[-1][0] == "interactive"
    gateway.send_menu("123", "5511987654321", "x" * 1025, asked.menu)  # a body past Meta's 1024
    assert sent[-1] == ("text", numbered("x" * 1025, asked.menu))


def test_no_module_of_logic_probes_a_gateway_with_getattr_or_hasattr():
    probes = [
        f"{path.relative_to(LOGIC)}:{node.lineno}"
        for path in sorted(LOGIC.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"getattr", "hasattr"}
    ]
    assert probes == []
