"""Whatever arrives, from whatever step: a valid, JSON-able state and at least one reply.

`Transcript.send` runs `check_turn` on every turn (state round-trips through JSON, replies are
non-empty, tokens are known); here we add what must hold between the steps. Turns include the
navigation words, files with and without captions at any step (text steps included), pauses,
quoted replies and notifications.
"""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpdesk.domain.conversation import ConversationState, MediaRefusal, Step, TurnInput
from helpdesk.domain.messages import Attachment, InboundKind, MediaKind
from helpdesk.domain.step_data import StepData, Written
from tests.unit.dialog_world import ACME_CNPJ, ALPHA_CNPJ, BETA_CNPJ, ROUTES, reach, scene

WORDS = [
    "oi",
    "0",
    "1",
    "2",
    "3",
    "4",
    "9",
    "99",
    "1041",
    "1042",
    "1050",
    "#1042",
    "mais",
    "MAIS",
    "fim",
    "Fím",
    "FIM",
    "sair",
    " SAÍR ",
    "Outro",
    "maria@acme.com.br",
    "maria@",
    ACME_CNPJ,
    ALPHA_CNPJ,
    BETA_CNPJ,
    "11.222.333/0001-80",
    "AB.12C.D34/EF56-02",
    "x" * 130,
    "linha 1\nlinha 2",
    "",
    "  ",
    "{ticket_number}",
    "menu",
    "Menu.",
    "voltar",
    "VÓLTAR",
    "ajuda",
    " Ajuda! ",
    "menu do sistema",
]

texts = st.one_of(st.sampled_from(WORDS), st.text(max_size=40), st.integers(0, 2000).map(str))
attachments = st.builds(
    lambda kind, n: Attachment(key=f"media/p/{n}", kind=kind, mimetype="x/y", filename=f"f{n}.bin", size=n),
    st.sampled_from(MediaKind),
    st.integers(1, 10**6),
)
captions = st.one_of(st.none(), texts)
messages = st.one_of(
    texts.map(lambda text: TurnInput(kind=InboundKind.TEXT, text=text)),
    st.just(TurnInput(kind=InboundKind.TEXT, text=None)),
    st.builds(
        lambda attachment, caption: TurnInput(kind=InboundKind.MEDIA, attachment=attachment, caption=caption),
        attachments,
        captions,
    ),
    st.sampled_from(MediaRefusal).map(lambda no: TurnInput(kind=InboundKind.MEDIA, media_refused=no)),
    st.just(TurnInput(kind=InboundKind.MEDIA)),
    st.just(TurnInput(kind=InboundKind.OTHER)),
)
# What the executor adds: a pause before the message, a quoted notification, a recent one.
circumstances = st.sampled_from(["", "pause", "quote 1042", "quote 1050", "notified 1042", "notified 1041"])
turns = st.tuples(circumstances, messages)

WITHOUT_COMPANY = {Step.ASK_CNPJ, Step.CHOOSE_COMPANY, Step.LINK_CNPJ, Step.ENDED}
ABOUT_A_TICKET = {Step.TICKET_MENU, Step.ASK_ACTION_TEXT, Step.ACTION_MEDIA}
DRAFT_TEXT = {Step.TICKET_MEDIA: Written.DESCRIPTION, Step.ACTION_MEDIA: Written.TEXT}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=st.sampled_from(sorted(ROUTES)), script=st.lists(turns, max_size=25))
def test_any_input_from_any_step_keeps_a_valid_conversation(start, script):
    t = reach(scene(), start)
    for circumstance, turn in script:
        match circumstance.split():
            case ["pause"]:
                t.pause()
            case ["quote", number]:
                t.quoting(int(number))
            case ["notified", number] if t.world.tickets[int(number)].phone == t.phone:
                t.notified(int(number))
        t.send(turn)  # never raises, checks replies and JSON
        state = t.state
        assert state.step in Step
        assert ConversationState.from_dict(json.loads(json.dumps(state.to_dict()))) == state
        bubble = not t.texts and state.data.greeted_at is not None  # a greeting right after the welcome
        assert (t.texts or bubble) and all(text.strip() for text in t.texts)
        if state.step not in WITHOUT_COMPANY:
            assert state.cnpj
        if state.step in ABOUT_A_TICKET:
            assert isinstance(state.data.ticket_number, int)
        if state.step is Step.ENDED:
            assert state.data == StepData()
        if state.step in DRAFT_TEXT:  # the text within its limit, the files within theirs
            assert len(state.data.written(DRAFT_TEXT[state.step]) or "") <= 4000
            assert len(state.data.attachments) <= 20
        if state.step is Step.RESUME_DRAFT:
            assert state.data.draft is not None and state.data.draft.step is not Step.RESUME_DRAFT
