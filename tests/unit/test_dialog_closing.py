"""Flow 7: a ticket is closed; was it solved? A "Não" reopens it, a "Sim" asks for a rating.
Anything that is not an answer goes on as a normal conversation. Also "meus dados" (LGPD)."""

import pytest

from helpdesk.domain.conversation import PostAction, RateTicket, ReopenTicket, Step
from tests.unit.dialog_world import SCENE_PHONES, reach, scene


def closed_while_browsing():
    world = scene()
    t = world.transcript(SCENE_PHONES["one_company"]).requester_says("oi").requester_says("2")
    return world, t.ticket_closed(1042)


def test_closing_asks_whether_the_problem_is_solved():
    _, t = closed_while_browsing()
    t.bot_answers("Situação alterada para *Encerrado*", "O problema foi resolvido?", "1 - Sim", "2 - Não")
    t.now_at(Step.CONFIRM_FIX)


def test_nao_reopens_and_asks_what_is_still_wrong_as_a_new_action():
    world, t = closed_while_browsing()
    t.requester_says("2").did(ReopenTicket(1042)).now_at(Step.ASK_ACTION_TEXT)
    t.bot_answers("reabrimos o atendimento *1042*", "Digite a mensagem para o atendimento *1042*")
    assert world.tickets[1042].status == "Reaberto"
    t.requester_says("A impressora ainda falha.").requester_sends_image("erro.jpg")
    t.requester_says("fim").did(PostAction(1042, "A impressora ainda falha.", t.effects[0].attachments))
    assert [a.filename for a in t.effects[0].attachments] == ["erro.jpg"]
    t.bot_answers("Mensagem registrada no atendimento *1042*").now_at(Step.TICKET_MENU)


def test_nao_in_words_and_accents():
    for word in ("não", "NAO", "Não."):
        _, t = closed_while_browsing()
        t.requester_says(word).did(ReopenTicket(1042))


def test_nao_with_what_is_still_wrong_keeps_it_as_the_message():
    _, t = closed_while_browsing()
    t.requester_says("não, continua duplicando").did(ReopenTicket(1042)).now_at(Step.ACTION_MEDIA)
    t.requester_says("fim").did(PostAction(1042, "não, continua duplicando"))


def test_sim_asks_a_rating_then_a_comment_and_rates():
    world, t = closed_while_browsing()
    t.requester_says("Sim").did_nothing().now_at(Step.ASK_RATING).bot_answers("Que bom", "de *1*", "*5*")
    t.requester_says("4").did_nothing().now_at(Step.ASK_RATING_COMMENT).bot_answers("Nota *4*", "pular")
    t.requester_says("Rápido e cordial.").did(RateTicket(1042, 4, "Rápido e cordial."))
    t.bot_answers("Obrigado pela avaliação")
    assert (world.tickets[1042].rating, world.tickets[1042].rating_comment) == (4, "Rápido e cordial.")
    # back where the question found the requester: the tickets menu
    t.now_at(Step.TICKETS_MENU).bot_answers("Atendimentos - Acme Ltda")


def test_the_comment_can_be_skipped():
    world, t = closed_while_browsing()
    t.requester_says("1").requester_says("5").requester_says("pular").did(RateTicket(1042, 5, None))
    assert world.tickets[1042].rating == 5


@pytest.mark.parametrize("declined", ["não precisa", "Não.", "nada", "sem comentários"])
def test_declining_the_comment_in_words_rates_without_one(declined):
    _, t = closed_while_browsing()
    t.requester_says("1").requester_says("5").requester_says(declined).did(RateTicket(1042, 5, None))


def test_voltar_from_the_comment_asks_the_rating_again():
    world, t = closed_while_browsing()
    t.requester_says("1").requester_says("2").requester_says("voltar").now_at(Step.ASK_RATING)
    t.bot_answers("nota de *1*").did_nothing()
    t.requester_says("3").requester_says("pular").did(RateTicket(1042, 3, None))
    assert world.tickets[1042].rating == 3


def test_the_rating_can_be_skipped():
    world, t = closed_while_browsing()
    t.requester_says("1").requester_says("Pular").did_nothing().bot_answers("sem avaliação")
    assert world.tickets[1042].rating is None
    t.now_at(Step.TICKETS_MENU)


def test_anything_but_a_rating_asks_once_more_then_goes_on_without_one():
    """Issue 28: the rating step never ends the conversation (was: "0" left it at once)."""
    _, t = closed_while_browsing()
    t.requester_says("1").requester_says("0").did_nothing().now_at(Step.ASK_RATING).bot_answers(
        "de *1* a *5*"
    )
    t.requester_says("sei lá").did_nothing().now_at(Step.TICKETS_MENU).bot_answers("fica sem nota")


def test_any_other_message_goes_on_where_the_requester_was():
    _, t = closed_while_browsing()
    t.requester_says("1041").did_nothing().now_at(Step.TICKET_MENU).bot_answers("*Atendimento 1041*")


def test_a_question_interrupting_a_draft_keeps_the_draft():
    world = scene()
    t = reach(world, Step.ASK_DESCRIPTION).ticket_closed(1042)
    t.requester_says("Não liga de jeito nenhum").now_at(Step.TICKET_MEDIA)
    assert t.state.data.title == "Impressora parada"


def test_a_file_is_not_an_answer_either():
    world = scene()
    t = reach(world, Step.TICKET_MEDIA).ticket_closed(1042)
    t.requester_sends_sticker().now_at(Step.TICKET_MEDIA).bot_answers("Não consigo ler")


def test_after_a_goodbye_a_non_answer_starts_a_normal_conversation():
    world = scene()
    t = reach(world, Step.ENDED).ticket_closed(1042)
    t.requester_says("oi").did_nothing().now_at(Step.ACCESS_MENU).bot_answers("Olá de novo")


def test_no_answer_leaves_the_ticket_closed():
    world, t = closed_while_browsing()
    t.state = None  # the conversation expired without an answer
    t.requester_says("oi").did_nothing()
    assert world.tickets[1042].status == "Encerrado"


def test_a_second_closing_replaces_the_first_question_without_nesting():
    world = scene()
    t = reach(world, Step.TICKETS_MENU).ticket_closed(1041).ticket_closed(1042)
    assert t.state.data.ticket_number == 1042
    assert t.state.data.resume.step is Step.TICKETS_MENU
    t.requester_says("2").did(ReopenTicket(1042))


def test_someone_elses_ticket_cannot_be_reopened():
    world = scene()
    t = world.transcript(SCENE_PHONES["one_company"]).requester_says("oi").requester_says("2")
    t.ticket_closed(1050)  # João's, at another company: a forged state must not reopen it
    t.requester_says("2").did_nothing()
    assert world.tickets[1050].status == "Encerrado"


def test_sair_ends_the_question_too():
    _, t = closed_while_browsing()
    t.requester_says("sair").now_at(Step.ENDED).did_nothing()


# --- "meus dados" ----------------------------------------------------------------------------


def test_meus_dados_summarizes_what_is_held_and_how_to_ask_for_erasure():
    world = scene()
    t = reach(world, Step.TICKETS_MENU).requester_says("Meus dados")
    t.bot_answers(
        "Seus dados conosco",
        "Nome: Maria Souza",
        "E-mail: maria@example.com.br",
        "Telefone: 5511977770001",
        "Acme Ltda (11.222.333/0001-81)",
        "Atendimentos: 2",
        "exclusão dos seus dados",
    ).did_nothing()
    t.bot_answers("Atendimentos - Acme Ltda").now_at(Step.TICKETS_MENU)  # and goes on


def test_meus_dados_of_an_unknown_phone():
    world = scene()
    t = world.transcript().requester_says("meus dados").bot_answers("ainda não tem cadastro").did_nothing()
    t.now_at(Step.ENDED)


def test_the_template_question_fits_metas_parameter_rules_and_offers_the_answers_the_dialog_takes():
    """Outside the Cloud API's window the question travels as the template's short-text parameter."""
    import re
    from types import SimpleNamespace

    from helpdesk import texts
    from helpdesk.logic import window

    question = texts.TEMPLATE_ASK_FIX
    notice = window.Notice(number=1042, title="Impressora", text=question)
    [param] = window.template_params(("text",), notice)
    assert param == question  # neither folded nor cut
    assert "\n" not in question and "\t" not in question and not re.search(r" {5,}", question)
    assert "1 - Sim" in question and "2 - Não" in question
    assert window.carries_question(SimpleNamespace(cloud_template_params=("number", "title", "text")))
    assert not window.carries_question(SimpleNamespace(cloud_template_params=("number", "title")))
