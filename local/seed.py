"""Demo data for `make dev`, so a person can chat with the bot right away.

Set LOCAL_SEED=0 to start with an empty table.
"""

from __future__ import annotations

from datetime import UTC, datetime

from helpdesk.storage import catalog

DEMO_INSTANCE = "suporte"
DEMO_COMPANY = ("11222333000181", "Empresa Demonstração Ltda")
DEMO_REQUEST_TYPES = (
    ("duvida", "Dúvida sobre o sistema", "synthetic", True),
    ("erro", "Erro no sistema", "synthetic", True),
    ("melhoria", "Sugestão de melhoria", "synthetic", True),
    ("fiscal", "Apuração fiscal", "analytic", True),  # analytic: never offered on WhatsApp
)


def seed_demo_data() -> None:
    now = datetime.now(UTC)
    catalog.new_instance(
        name=DEMO_INSTANCE, agent_type="BOT", gateway="simulator", state="open", now=now
    ).save()
    cnpj, name = DEMO_COMPANY
    catalog.new_company(cnpj=cnpj, name=name, now=now).save()
    for type_id, type_name, kind, whatsapp in DEMO_REQUEST_TYPES:
        catalog.new_request_type(type_id=type_id, name=type_name, kind=kind, whatsapp=whatsapp).save()
