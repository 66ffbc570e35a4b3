"""Articles offered before a ticket opens (issue 31): a question solved by one opens nothing, one
that is not goes on to a ticket that records what was offered, and nothing changes when no article
scores."""

from __future__ import annotations

import pytest

from helpdesk.domain.conversation import RecordOffer, Step
from helpdesk.domain.knowledge import Article
from helpdesk.domain.step_data import OfferedArticle
from tests.unit.dialog_world import ACME_CNPJ, World
from tests.unit.test_knowledge_quality import corpus_articles

OTHER_CNPJ = "12ABC34501DE35"
NOW = "2026-03-16T13:00:00+00:00"


@pytest.fixture
def world():
    world = World()
    world.add_company(ACME_CNPJ, "Acme Ltda")
    world.add_company(OTHER_CNPJ, "Outra S.A.")
    world.add_request_type("t-fin", "Financeiro")
    world.add_request_type("t-err", "Erro no sistema")
    for article in corpus_articles():
        world.add_article(article)
    return world


def described(world, subject: str, description: str, kind: str = "1"):
    phone = world.add_requester(companies=[ACME_CNPJ])
    t = world.transcript(phone)
    t.requester_says("oi").requester_says("2").requester_says("0").requester_says(subject)
    return t.requester_says(kind).requester_says(description)


def test_a_question_an_article_solves_opens_no_ticket_and_keeps_the_draft(world):
    t = described(world, "boleto vencido", "preciso da segunda via do boleto, o meu venceu ontem", kind="2")
    t.now_at(Step.KB_OFFER).bot_answers("Antes de abrir, veja se isto resolve:", "1 - Como emitir a 2ª via")
    t.bot_answers("0 - Nenhum resolve, abrir o atendimento")
    [offered] = t.effects
    assert isinstance(offered, RecordOffer) and offered.outcome == "offered"
    assert offered.articles[0].id == "boleto-segunda-via"

    t.requester_says("1").bot_sends(2).bot_answers("*Como emitir a 2ª via do boleto", "Portal do Cliente")
    t.bot_answers("Isso resolveu? (sim / não, quero abrir o atendimento)").now_at(Step.KB_SOLVED)
    t.requester_says("sim, resolveu").bot_answers("Que bom que resolveu", "*continuar*").now_at(
        Step.KB_RESOLVED
    )
    [resolved] = t.effects
    assert (resolved.outcome, resolved.offered_at) == ("resolved", offered.offered_at)
    assert resolved.articles[0] == OfferedArticle(
        "boleto-segunda-via", offered.articles[0].title, opened=True
    )
    assert world.tickets == {}
    print("\n".join(t.history))

    t.requester_says("obrigada!").bot_answers("De nada").now_at(Step.KB_RESOLVED)
    t.pause().requester_says("continuar").bot_answers("vamos abrir o atendimento", "*Fim*").now_at(
        Step.TICKET_MEDIA
    )
    assert [e.outcome for e in t.effects] == ["declined"]
    t.requester_says("fim").bot_answers("criado")
    [ticket] = world.tickets.values()
    assert ticket.description == "preciso da segunda via do boleto, o meu venceu ontem"
    assert ticket.offered_articles[0].opened


def test_a_question_not_solved_goes_on_to_a_ticket_recording_the_offer(world):
    t = described(world, "certificado", "o certificado venceu e nao consigo emitir nota", kind="1")
    t.now_at(Step.KB_OFFER).bot_answers("Certificado digital vencido")
    t.requester_says("1").bot_answers("Isso resolveu?")
    t.requester_says("não, quero abrir o atendimento").bot_answers("vamos abrir o atendimento", "*Fim*")
    t.now_at(Step.TICKET_MEDIA)
    assert [e.outcome for e in t.effects] == ["declined"]
    t.requester_sends_image("erro.png").requester_says("Fim").bot_answers("criado")
    [ticket] = world.tickets.values()
    assert ticket.request_type_name == "Erro no sistema"
    assert [(a.id, a.opened) for a in ticket.offered_articles][0] == ("certificado-vencido", True)
    print("\n".join(t.history))


def test_nothing_scoring_leaves_the_flow_unchanged(world):
    t = described(world, "técnico", "o técnico ficou de vir hoje e não veio")
    t.now_at(Step.TICKET_MEDIA).bot_answers("*Fim*").bot_does_not_say("Antes de abrir")
    assert t.effects == ()


def test_zero_or_no_at_the_offer_opens_the_ticket(world):
    t = described(world, "impressora", "a impressora nao imprime o cupom")
    t.now_at(Step.KB_OFFER).requester_says("0").now_at(Step.TICKET_MEDIA)
    t = described(world, "impressora", "a impressora nao imprime o cupom")
    t.now_at(Step.KB_OFFER).requester_says("não").now_at(Step.TICKET_MEDIA)


def test_articles_of_another_company_or_type_are_not_offered(world):
    world.knowledge = World().knowledge  # empty, then only restricted articles
    world.add_article(
        Article("outra", "Segunda via do boleto da Outra", "x", ("boleto",), cnpjs=(OTHER_CNPJ,))
    )
    world.add_article(
        Article("erros", "Segunda via do boleto com erro", "x", ("boleto",), request_type="Erro no sistema")
    )
    t = described(world, "boleto", "segunda via do boleto", kind="2")
    t.now_at(Step.TICKET_MEDIA)
    t = described(world, "boleto", "segunda via do boleto", kind="1")
    t.now_at(Step.KB_OFFER).bot_answers("boleto com erro").bot_does_not_say("da Outra")


def test_voltar_goes_back_from_the_article_to_the_offer_and_to_the_description(world):
    t = described(world, "Login no sistema", "esqueci minha senha do sistema")
    t.now_at(Step.KB_OFFER).requester_says("1").now_at(Step.KB_SOLVED)
    t.requester_says("voltar").now_at(Step.KB_OFFER)
    t.requester_says("voltar").now_at(Step.ASK_DESCRIPTION)


def test_a_problem_told_at_the_menu_is_offered_articles_before_the_preview(world):
    phone = world.add_requester(companies=[ACME_CNPJ])
    t = world.transcript(phone).requester_says("oi").requester_says("2")
    t.requester_says("meu certificado digital venceu ontem e agora nao consigo emitir nota")
    t.now_at(Step.ASK_TYPE).requester_says("1")
    t.now_at(Step.KB_OFFER).bot_answers("Antes de abrir", "Certificado digital vencido")
    t.requester_says("0").now_at(Step.TICKET_MEDIA).bot_answers("vamos abrir", "Vou abrir este atendimento:")
    t.requester_says("fim").bot_answers("criado")
    [ticket] = world.tickets.values()
    assert ticket.offered_articles and not ticket.offered_articles[0].opened


def test_fim_or_a_file_while_articles_are_offered_goes_on_with_the_ticket(world):
    """Someone following the ticket's steps ("Fim", a screenshot) has not read the offer: the ticket
    goes on, recording what was offered."""
    t = described(world, "certificado", "o certificado venceu e nao consigo emitir nota", kind="1")
    t.now_at(Step.KB_OFFER).requester_sends_image("erro.png").now_at(Step.TICKET_MEDIA)
    assert [e.outcome for e in t.effects if isinstance(e, RecordOffer)] == ["declined"]
    t.requester_says("Fim").bot_answers("criado")
    [ticket] = world.tickets.values()
    assert len(ticket.attachments) == 1 and ticket.offered_articles[0].id == "certificado-vencido"

    t = described(world, "certificado", "o certificado venceu e nao consigo emitir nota", kind="1")
    t.now_at(Step.KB_OFFER).requester_says("fim").bot_answers("criado")
    assert [e.outcome for e in t.effects if isinstance(e, RecordOffer)] == ["declined"]
    assert len(world.tickets) == 2
