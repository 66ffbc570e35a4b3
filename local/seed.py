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


# A few knowledge-base articles (`make dev`: the simulator shows the offer before a ticket opens).
DEMO_ARTICLES = (
    (
        "boleto-2via",
        "Como emitir a 2ª via do boleto",
        "Acesse o *Portal do Cliente* > _Financeiro_ > _Faturas_ e clique em *Gerar 2ª via*: "
        "o boleto sai com a data de hoje e os juros já calculados.",
        ("boleto", "segunda via", "fatura", "mensalidade"),
    ),
    (
        "certificado-vencido",
        "Certificado digital vencido: como renovar e instalar o novo",
        "Renove com a sua certificadora. Certificado *A1*: _Configurações > Certificado > Importar_ e "
        "escolha o arquivo .pfx. Certificado *A3*: instale o driver do token e selecione-o na mesma tela.",
        ("certificado digital", "vencido", "renovação", "a1", "a3"),
    ),
    (
        "exportar-excel",
        "Como exportar relatórios para o Excel",
        "Todo relatório tem o botão *Exportar* no canto de cima: escolha *Excel (.xlsx)* ou *CSV*.",
        ("excel", "exportar", "planilha", "relatório"),
    ),
)


def seed_demo_articles() -> None:
    from helpdesk.domain.knowledge import Article
    from helpdesk.storage import knowledge

    now = datetime.now(UTC)
    for article_id, title, body, keywords in DEMO_ARTICLES:
        knowledge.put_article(Article(article_id, title, body, keywords), now)


def seed_demo_data() -> None:
    now = datetime.now(UTC)
    catalog.new_instance(
        name=DEMO_INSTANCE, agent_type="BOT", gateway="simulator", state="open", now=now
    ).save()
    cnpj, name = DEMO_COMPANY
    catalog.new_company(cnpj=cnpj, name=name, now=now).save()
    for type_id, type_name, kind, whatsapp in DEMO_REQUEST_TYPES:
        catalog.new_request_type(type_id=type_id, name=type_name, kind=kind, whatsapp=whatsapp).save()
