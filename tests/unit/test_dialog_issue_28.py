"""Issue 28: people write messages, not form fields. Each row of the issue's table, as the bot
answers now, and what a message carries read wherever it arrives."""

from datetime import UTC, datetime, timedelta

from helpdesk.domain.conversation import (
    CreateTicket,
    RateTicket,
    RegisterRequester,
    ReopenTicket,
    ResetCredentials,
    Step,
)
from helpdesk.domain.hours import ZONE
from tests.unit.dialog_world import SCENE_PHONES, World, reach, scene
from tests.unit.test_hours import HOURS

PARAGRAPH = (
    "Bom dia, estou com um problema sério no sistema desde ontem à tarde: quando tento emitir a "
    "nota fiscal de venda aparece uma mensagem de erro de comunicação com a SEFAZ e a nota fica "
    "pendente, já reiniciei o computador, troquei de usuário e até testei em outra máquina mas o "
    "erro continua igual, e preciso resolver isso hoje porque temos entregas marcadas para amanhã cedo."
)


def typed_world() -> World:
    world = World()
    world.add_company("12.345.678/0001-95", "Acme Ltda")
    for type_id, name in (("t-q", "Dúvida"), ("t-err", "Erro no sistema"), ("t-req", "Solicitação")):
        world.add_request_type(type_id, name)
    return world


def at_tickets_menu(world: World):
    phone = world.add_requester(companies=["12.345.678/0001-95"], name="Lia Prado")
    return world.transcript(phone).requester_says("oi").requester_says("2").now_at(Step.TICKETS_MENU)


# --- row 1: greetings in bubbles -------------------------------------------------------------


def test_greetings_in_three_bubbles_get_one_welcome():
    world = typed_world()
    t = world.transcript().requester_says("Oi").bot_answers("Olá! 👋 Eu sou o assistente", "*CNPJ*")
    t.requester_says("bom dia").bot_sends(0).now_at(Step.ASK_CNPJ)
    t.requester_says("tudo bem?").bot_sends(0).now_at(Step.ASK_CNPJ)
    world.now += timedelta(minutes=2)  # later, a greeting is greeted back
    t.requester_says("oi").bot_answers("Olá! 👋", "*CNPJ*")


def test_a_known_requester_greeting_in_bubbles_gets_one_welcome_back():
    t = scene().transcript(SCENE_PHONES["one_company"]).requester_says("oi").bot_answers("Olá de novo")
    t.requester_says("boa tarde, tudo bem?").bot_sends(0).now_at(Step.ACCESS_MENU)


# --- row 2: a CNPJ inside a sentence ---------------------------------------------------------


def test_a_cnpj_inside_a_sentence_is_read():
    t = typed_world().transcript().requester_says("oi")
    t.requester_says("meu cnpj é 12.345.678/0001-95").bot_answers("Encontrei a empresa *Acme Ltda*")
    t.bot_does_not_say("Não consegui validar").now_at(Step.ASK_NAME)


def test_a_wrong_cnpj_beside_a_name_is_said_wrong_and_the_name_kept():
    t = typed_world().transcript()
    t.requester_says("Olá, sou a Lia da Padaria Central, nosso CNPJ é 12.345.678/0001-90")
    t.bot_answers("Anotei seu nome *Lia*", "Não consegui validar esse CNPJ", "*CNPJ*").now_at(Step.ASK_CNPJ)
    t.requester_says("12.345.678/0001-95").bot_answers("Acme Ltda", "e-mail").now_at(Step.ASK_EMAIL)


def test_several_cnpjs_ask_which():
    world = typed_world()
    t = world.transcript().requester_says("oi")
    t.requester_says("temos 11.444.222/0001-10 e 12.345.678/0001-95").bot_answers(
        "mais de um CNPJ", "2 - 12.345.678/0001-95"
    )
    t.now_at(Step.ASK_CNPJ).requester_says("2").bot_answers("Acme Ltda").now_at(Step.ASK_NAME)


def test_a_first_message_with_everything_registers_at_once():
    t = typed_world().transcript()
    t.requester_says("Oi, sou a Lia Prado, cnpj 12.345.678/0001-95, email lia.prado@acme.com.br")
    t.bot_answers("Olá! 👋", "Encontrei a empresa *Acme Ltda* ✅ e anotei seu nome *Lia Prado* e seu e-mail")
    t.did(RegisterRequester(name="Lia Prado", email="lia.prado@acme.com.br", cnpj="12345678000195"))
    t.now_at(Step.TICKETS_MENU)


# --- row 3: a name beside an e-mail ----------------------------------------------------------


def test_a_name_beside_an_email_answers_both_questions():
    t = typed_world().transcript().requester_says("oi").requester_says("12.345.678/0001-95")
    t.requester_says("Lia Prado - lia.prado@acme.com.br").bot_answers(
        "Anotei seu e-mail *lia.prado@acme.com.br*"
    )
    t.did(RegisterRequester(name="Lia Prado", email="lia.prado@acme.com.br", cnpj="12345678000195"))
    t.bot_answers("Cadastro concluído").now_at(Step.TICKETS_MENU)


# --- row 4: a person ------------------------------------------------------------------------


def test_asking_for_a_person_at_the_tickets_menu_says_how_a_person_answers_here():
    t = at_tickets_menu(typed_world()).requester_says("quero falar com um atendente")
    t.bot_answers("quem responde são os nossos atendentes", "assunto").now_at(Step.ASK_SUBJECT)
    t.bot_does_not_say("Não entendi", "Digite 0")


def test_asking_for_a_person_with_the_problem_opens_it_and_says_the_hours_when_closed():
    world = typed_world()
    t = at_tickets_menu(world)
    world.hours = HOURS
    world.now = datetime(2026, 3, 15, 3, 0, tzinfo=ZONE).astimezone(UTC)  # a Sunday night: closed
    t.requester_says("Quero um atendente humano, o sistema está com erro na nota")
    t.bot_answers("atendentes", "segunda-feira", "Vou abrir um atendimento", "*tipo*").now_at(Step.ASK_TYPE)
    assert t.state.data.title == "Quero um atendente humano, o sistema está com erro na nota"


def test_asking_for_a_person_about_a_ticket_asks_its_message():
    t = reach(scene(), Step.TICKET_MENU).requester_says("falar com alguém")
    t.bot_answers("respondem no próprio atendimento *1042*").now_at(Step.ASK_ACTION_TEXT)


# --- row 5: typos --------------------------------------------------------------------------


def test_a_slip_in_a_menu_word_is_taken_or_offered_back():
    t = at_tickets_menu(typed_world()).requester_says("0").requester_says("Boleto não gera")
    t.requester_says("duvda").now_at(Step.ASK_DESCRIPTION).bot_does_not_say("apenas o número")
    assert t.state.data.type_name == "Dúvida"
    t = at_tickets_menu(typed_world()).requester_says("0").requester_says("Boleto não gera")
    t.requester_says("dvda").bot_answers("Você quis dizer *Dúvida*? (sim/não)").now_at(Step.ASK_TYPE)
    t.requester_says("sim").now_at(Step.ASK_DESCRIPTION)
    assert t.state.data.type_name == "Dúvida"


# --- row 6: cancelling a draft --------------------------------------------------------------


def test_cancelar_while_writing_a_ticket_asks_then_drops_the_draft():
    t = reach(scene(), Step.ASK_DESCRIPTION).requester_says("cancelar")
    t.bot_answers("descartar o atendimento *Impressora parada*", "*sim*").now_at(Step.ASK_DESCRIPTION)
    t.requester_says("não").bot_answers("continua").now_at(Step.ASK_DESCRIPTION)
    t.requester_says("desistir").requester_says("sim").bot_answers("descartado").now_at(Step.TICKETS_MENU)
    t.did_nothing()


# --- row 7: a paragraph as the subject ------------------------------------------------------


def test_a_long_paragraph_as_the_subject_is_cut_and_kept_whole():
    assert len(PARAGRAPH) > 300
    t = at_tickets_menu(typed_world()).requester_says("0").requester_says(PARAGRAPH)
    t.bot_answers("começo do texto", "*tipo*").bot_does_not_say("Tente resumir").now_at(Step.ASK_TYPE)
    t.requester_says("2").bot_answers(
        "Vou abrir este atendimento", "*Tipo:* Erro no sistema", "abrir o atendimento assim, digite *Fim*"
    )
    t.now_at(Step.TICKET_MEDIA).requester_says("Fim")
    [create] = t.effects
    assert isinstance(create, CreateTicket) and create.description == PARAGRAPH
    assert create.title.endswith("…") and PARAGRAPH.startswith(create.title[:-1] + " ")  # cut at a word
    assert len(create.title) <= 120 and create.request_type_name == "Erro no sistema"


# --- row 8: a screenshot with a caption at the tickets menu ---------------------------------


def test_a_captioned_screenshot_at_the_tickets_menu_starts_a_ticket():
    t = at_tickets_menu(typed_world()).requester_sends_captioned_image("segue o print do erro no boleto")
    t.bot_answers("Vou abrir um atendimento", "*tipo*").now_at(Step.ASK_TYPE)
    t.requester_says("erro").bot_answers(
        "*Assunto:* segue o print do erro no boleto", "📎 1 arquivo", "*Fim*"
    )
    t.requester_says("fim")
    [create] = t.effects
    assert create.title == create.description == "segue o print do erro no boleto"
    assert [a.filename for a in create.attachments] == ["print.png"]


def test_a_problem_described_at_the_tickets_menu_starts_a_ticket():
    t = at_tickets_menu(typed_world()).requester_says("o relatório de vendas está vindo zerado desde ontem")
    t.bot_answers("Vou abrir um atendimento", "*tipo*").now_at(Step.ASK_TYPE)


def test_a_problem_told_before_registering_becomes_the_ticket_after():
    t = typed_world().transcript().requester_says("bom dia, o boleto não gera desde ontem")
    t.bot_answers("Olá! 👋", "Anotei o que você contou", "*CNPJ*").now_at(Step.ASK_CNPJ)
    t.requester_says("12.345.678/0001-95").requester_says("Lia Prado").requester_says("lia@acme.com.br")
    t.bot_answers("Cadastro concluído", "Vou abrir um atendimento", "*tipo*").now_at(Step.ASK_TYPE)
    assert t.state.data.title == t.state.data.description == "O boleto não gera desde ontem"


def test_a_first_message_with_the_cnpj_and_the_problem_opens_the_ticket_with_the_problem_alone():
    t = typed_world().transcript()
    t.requester_says("oi, meu cnpj é 12.345.678/0001-95 e o sistema não emite nota fiscal desde ontem")
    t.bot_answers("Encontrei a empresa *Acme Ltda*").now_at(Step.ASK_NAME)
    t.requester_says("Lia Prado").requester_says("lia@acme.com.br").now_at(Step.ASK_TYPE)
    assert t.state.data.title == "O sistema não emite nota fiscal desde ontem"
    assert t.state.data.description == "O sistema não emite nota fiscal desde ontem"


# --- row 9: a rating in stars ---------------------------------------------------------------


def test_stars_are_a_rating():
    world = scene()
    t = reach(world, Step.TICKETS_MENU).ticket_closed(1042).requester_says("sim").now_at(Step.ASK_RATING)
    t.requester_says("⭐⭐⭐⭐").now_at(Step.ASK_RATING_COMMENT).requester_says("pular")
    t.did(RateTicket(1042, 4, None))


# --- also seen: recovery mid-conversation, ajuda, a ticket by its number ---------------------


def test_esqueci_a_senha_mid_conversation_recovers_the_access_and_goes_on():
    t = reach(scene(), Step.ASK_DESCRIPTION).requester_says("esqueci a senha")
    t.did(ResetCredentials()).bot_answers("nova senha", "Descreva").now_at(Step.ASK_DESCRIPTION)
    t = reach(scene(), Step.TICKETS_MENU).requester_says("recuperar")
    t.did(ResetCredentials()).now_at(Step.TICKETS_MENU)


def test_a_subject_about_a_password_is_the_subject_not_a_new_portal_password():
    """Where text is written, a password named without a verb is what the ticket is about: a new
    portal password there would void the requester's and lose what was being written."""
    for subject in ("Senha expirada", "senha", "Login"):
        t = reach(scene(), Step.ASK_SUBJECT).requester_says(subject)
        t.did_nothing().now_at(Step.ASK_TYPE)
    t = reach(scene(), Step.TICKETS_MENU).requester_says("senha expirada")
    t.did(ResetCredentials()).now_at(Step.TICKETS_MENU)


def test_ajuda_lists_the_intents_too():
    t = reach(scene(), Step.TICKETS_MENU).requester_says("ajuda")
    t.bot_answers("falar com um atendente", "*cancelar*", "*esqueci a senha*", "*status do 12*")


def test_a_ticket_by_its_number_in_words():
    t = reach(scene(), Step.ACCESS_MENU).requester_says("qual o status do chamado 1042?")
    t.bot_answers("Impressora sem tinta").now_at(Step.TICKET_MENU)


def test_no_text_says_digite_apenas_o_numero():
    t = reach(scene(), Step.ACCESS_MENU).requester_says("talvez")
    t.bot_answers("número ou com o nome").bot_does_not_say("apenas o número")


def test_a_no_that_says_what_is_wrong_reopens_with_it_as_the_message():
    t = reach(scene(), Step.TICKETS_MENU).ticket_closed(1042)
    t.requester_says("não, continua dando erro na impressão").bot_answers(
        "reabrimos", "anotei o que você contou"
    )
    t.did(ReopenTicket(1042)).now_at(Step.ACTION_MEDIA).requester_says("fim")
    [post] = t.effects
    assert post.text == "não, continua dando erro na impressão"


def test_an_option_named_like_an_intent_is_the_option():
    world = typed_world()
    world.add_request_type("t-c", "Cancelamento")
    t = at_tickets_menu(world).requester_says("0").requester_says("Nota emitida errada")
    t.requester_says("cancelamento").now_at(Step.ASK_DESCRIPTION).bot_does_not_say("descartar")
    assert t.state.data.type_name == "Cancelamento"


def test_a_person_asked_about_a_ticket_by_its_number_goes_to_that_ticket():
    t = reach(scene(), Step.TICKETS_MENU).requester_says(
        "oi, quero falar com um atendente sobre o chamado 1042"
    )
    t.bot_answers("atendimento *1042*").now_at(Step.ASK_ACTION_TEXT)
    assert t.state.data.ticket_number == 1042


def test_a_description_typed_where_the_type_is_asked_is_kept_and_the_type_asked_again():
    t = at_tickets_menu(typed_world()).requester_says("0").requester_says("Erro 500 ao emitir nota")
    t.requester_says("Erro 500 ao emitir a nota de venda, a tela fica vermelha").now_at(Step.ASK_TYPE)
    t.bot_answers("Anotei isso como a descrição", "*tipo*").bot_does_not_say("Não entendi")
    t.requester_says("2").bot_answers("Vou abrir", "*Tipo:* Erro no sistema").now_at(Step.TICKET_MEDIA)
    t.requester_says("fim")
    created = next(effect for effect in t.effects if isinstance(effect, CreateTicket))
    assert (created.title, created.description) == (
        "Erro 500 ao emitir nota",
        "Erro 500 ao emitir a nota de venda, a tela fica vermelha",
    )


def test_texting_spelling_and_a_comma_for_a_dot_are_read_as_meant():
    t = typed_world().transcript().requester_says("oi").requester_says("12.345.678/0001-95")
    t.requester_says("meu nome eh joao pedro e o email é joaopedro@gmail,com")
    t.did(RegisterRequester(name="Joao Pedro", email="joaopedro@gmail.com", cnpj="12345678000195"))


def test_a_broken_email_beside_the_name_is_said_broken():
    t = typed_world().transcript().requester_says("oi").requester_says("12.345.678/0001-95")
    t.requester_says("Ana Paula, ana.paula@").bot_answers("não parece válido", "*e-mail*").now_at(
        Step.ASK_EMAIL
    )
    assert t.state.data.name == "Ana Paula"
    t.requester_says("fim").bot_does_not_say("Cadastro concluído").now_at(Step.ASK_EMAIL)


def test_where_is_my_ticket_shows_where_it_stands_instead_of_opening_another():
    world = typed_world()
    t = at_tickets_menu(world)
    t.requester_says("0").requester_says("Boleto não gera").requester_says("2").requester_says(
        "O boleto dá erro"
    )
    t.requester_says("fim").now_at(Step.TICKETS_MENU)
    t.requester_says("cadê meu chamado? ninguém me respondeu ainda")
    t.bot_answers("*Atendimento 1001*", "Situação").bot_does_not_say("Vou abrir")
    t.now_at(Step.TICKET_MENU).did_nothing()


def test_asking_to_open_an_urgent_ticket_is_no_problem_told_yet():
    t = typed_world().transcript().requester_says("bom dia, quero abrir um chamado urgente")
    t.bot_does_not_say("Anotei o que você contou").now_at(Step.ASK_CNPJ)
    assert t.state.data.problem is None


def test_asking_for_a_person_about_where_things_stand_shows_them():
    world = typed_world()
    phone = world.add_requester(companies=["12.345.678/0001-95"], name="Lia Prado")
    world.add_ticket(phone, "12345678000195", "Boleto não gera", number=1001, status="Aberto")
    t = world.transcript(phone).requester_says("oi").now_at(Step.ACCESS_MENU)
    t.requester_says("cadê o retorno? quero falar com um atendente")
    t.bot_answers("atendentes", "*Atendimento 1001*").now_at(Step.TICKET_MENU).did_nothing()


def test_two_words_about_the_problem_where_the_type_is_asked_are_its_description():
    t = at_tickets_menu(typed_world()).requester_says("0").requester_says("Caixa parado")
    t.requester_says("PDV travando").bot_answers("Anotei isso como a descrição").now_at(Step.ASK_TYPE)
    assert t.state.data.description == "PDV travando"


def test_a_problem_told_in_bubbles_with_the_first_message_is_acknowledged_once():
    world = typed_world()
    t = (
        world.transcript()
        .requester_says("bom dia")
        .requester_says("to com um problema no sistema aqui na loja")
    )
    t.bot_answers("Anotei o que você contou", "*CNPJ*")
    t.requester_says("o pdv trava toda hora").bot_sends(0).now_at(Step.ASK_CNPJ)
    assert t.state.data.problem == "To com um problema no sistema aqui na loja\nO pdv trava toda hora"
    world.now += timedelta(minutes=2)  # later, more of it is acknowledged again
    t.requester_says("e o caixa também não abre").bot_answers("Anotei o que você contou", "*CNPJ*")
