"""Whatever arrives, from whatever step: a valid, JSON-able state and at least one reply.

`Transcript.send` runs `check_turn` on every turn (state round-trips through JSON, replies are
non-empty, tokens are known); here we add what must hold between the steps.
"""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpdesk.domain.conversation import ConversationState, MediaRefusal, Step, TurnInput
from helpdesk.domain.messages import Attachment, InboundKind, MediaKind
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
]

texts = st.one_of(st.sampled_from(WORDS), st.text(max_size=40), st.integers(0, 2000).map(str))
attachments = st.builds(
    lambda kind, n: Attachment(key=f"media/p/{n}", kind=kind, mimetype="x/y", filename=f"f{n}.bin", size=n),
    st.sampled_from(MediaKind),
    st.integers(1, 10**6),
)
turns = st.one_of(
    texts.map(lambda text: TurnInput(kind=InboundKind.TEXT, text=text)),
    st.just(TurnInput(kind=InboundKind.TEXT, text=None)),
    attachments.map(lambda attachment: TurnInput(kind=InboundKind.MEDIA, attachment=attachment)),
    st.sampled_from(MediaRefusal).map(lambda no: TurnInput(kind=InboundKind.MEDIA, media_refused=no)),
    st.just(TurnInput(kind=InboundKind.MEDIA)),
    st.just(TurnInput(kind=InboundKind.OTHER)),
)

WITHOUT_COMPANY = {Step.ASK_CNPJ, Step.CHOOSE_COMPANY, Step.LINK_CNPJ, Step.ENDED}
ABOUT_A_TICKET = {Step.TICKET_MENU, Step.ASK_ACTION_TEXT, Step.ACTION_MEDIA}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=st.sampled_from(sorted(ROUTES)), script=st.lists(turns, max_size=25))
def test_any_input_from_any_step_keeps_a_valid_conversation(start, script):
    t = reach(scene(), start)
    for turn in script:
        t.send(turn)  # never raises, checks replies and JSON
        state = t.state
        assert state.step in Step
        assert ConversationState.from_dict(json.loads(json.dumps(state.to_dict()))) == state
        assert t.texts and all(text.strip() for text in t.texts)
        if state.step not in WITHOUT_COMPANY:
            assert state.cnpj
        if state.step in ABOUT_A_TICKET:
            assert isinstance(state.data.get("ticket_number"), int)
        if state.step is Step.ENDED:
            assert state.data == {}
