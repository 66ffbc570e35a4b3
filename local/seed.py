"""Demo data for `make dev`, so a person can chat with the bot right away.

Set LOCAL_SEED=0 to start with an empty table.
"""

from __future__ import annotations

from datetime import UTC, datetime

from helpdesk.storage.models import Company, Instance, RequestType

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
    Instance(
        pk=f"INSTANCE#{DEMO_INSTANCE}",
        sk="META",
        name=DEMO_INSTANCE,
        agent_type="BOT",
        gateway="simulator",
        state="open",
        created_at=now,
        updated_at=now,
        gsi1pk="INSTANCES",
        gsi1sk=DEMO_INSTANCE,
    ).save()
    cnpj, name = DEMO_COMPANY
    Company(
        pk=f"COMPANY#{cnpj}",
        sk="META",
        cnpj=cnpj,
        name=name,
        active=True,
        created_at=now,
        gsi1pk="COMPANIES",
        gsi1sk=name,
    ).save()
    for type_id, type_name, kind, whatsapp in DEMO_REQUEST_TYPES:
        RequestType(
            pk=f"RTYPE#{type_id}",
            sk="META",
            type_id=type_id,
            name=type_name,
            kind=kind,
            whatsapp=whatsapp,
            active=True,
            gsi1pk="RTYPES",
            gsi1sk=type_name,
        ).save()
