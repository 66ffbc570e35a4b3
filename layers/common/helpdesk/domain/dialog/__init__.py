"""The requester dialog: one pure function from (state, message, context) to (state, replies, effects).

Read it top-down:

1. `handle`, the entry, in order of precedence: the navigation words (`sair`, `menu`, `voltar`,
   `ajuda`: a whole message, any case or accents) win over any answer, even one the step would
   take (a subject "Menu" has to say more than the word); then a reply quoting a notification goes
   to its ticket; then a pause offers to resume a draft; then a new conversation starts over (or
   opens the ticket just notified); then the step's row of the `STEPS` table decides.
2. `STEPS`: for every step, the question it asks, what answers it (typed text, files) and where
   `voltar` goes.
3. The handlers, one module per flow, as `helpdesk/texts/` holds their texts: `first_contact`
   (flows 1 and 5), `tickets` (2), `new_ticket` (3), `ticket_detail` (4), `files` (the text and
   files of a ticket or an action), `closing_loop` (7), `navigation` (the words of every step, the
   draft offered back after a pause, `meus dados`). Beneath them: `moves`, `answers` (reading what
   was typed), `context` (reading the context) and `states` (what `state.data` holds per step).

Every handler ends in one of three moves (`moves.py`): `go` (to a step, asking its question),
`again` (a hint and the same question) or `end` (goodbye). Nothing here performs I/O, draws random
numbers or reads the clock: reads go through `ctx`, writes come back as effects.
"""

from __future__ import annotations

from msgspec import Struct
from msgspec.structs import replace

from helpdesk import texts
from helpdesk.domain import corrections
from helpdesk.domain.conversation import (
    MEDIA_STEPS,
    ConversationState,
    DialogContext,
    Step,
    TicketRef,
    TurnInput,
    TurnResult,
)
from helpdesk.domain.dialog import (
    closing_loop,
    drafts,
    files,
    first_contact,
    heard,
    knowledge,
    navigation,
    new_ticket,
    ticket_detail,
    tickets,
    understood,
    wishes,
)
from helpdesk.domain.dialog.answers import means
from helpdesk.domain.dialog.closing_loop import ask_fix
from helpdesk.domain.dialog.context import retired
from helpdesk.domain.dialog.moves import (
    Back,
    MediaHandler,
    Prompt,
    TextHandler,
    again,
    end,
    go,
    led,
    prompt,
)
from helpdesk.domain.dialog.states import (
    ACTION_DRAFT,
    AFTER_CLOSING,
    discarded,
    is_consistent,
    paused,
    resumed,
)
from helpdesk.domain.menus import Question
from helpdesk.domain.messages import InboundKind
from helpdesk.domain.step_data import StepData

__all__ = ["STEPS", "StepSpec", "ask_fix", "handle", "keeps_files", "prompt"]


class StepSpec(Struct, frozen=True):
    ask: Prompt  # the question the step asks (asked again, after a hint, on anything unexpected)
    on_text: TextHandler | None = None  # a typed answer (non-empty, stripped)
    on_media: MediaHandler | None = None  # a file; only MEDIA_STEPS take files
    back: Back | None = None  # `voltar`: the previous question (None: there is none)


# --- entry -----------------------------------------------------------------------------------


def handle(state: ConversationState | None, turn: TurnInput, ctx: DialogContext) -> TurnResult:
    """Answer one inbound message."""
    if turn.kind in corrections.CHANGES:  # an edit, delete or reaction: never an answer
        changed = corrections.handle_change(state, turn)
        return changed or TurnResult(state or ConversationState(Step.ENDED), ())
    word = navigation.navigation_word(turn)
    if word == "sair":
        return end(ctx)
    if turn.kind is InboundKind.TEXT and means(turn.text, "meus dados"):
        return navigation.my_data(state, ctx)
    if state is not None and state.step is Step.ENDED:
        state = None
    if state is not None and turn.paused:
        offer = _draft_offer(state, turn, word, ctx)
        if offer is not None:
            return offer
        state = paused(state)
    if word is None and turn.replying_to is not None and ctx.requester is not None:
        answer = _answer_notification(state, turn.replying_to, turn, ctx)
        if answer is not None:
            return answer
    if word is None and turn.notified is not None and ctx.requester is not None:
        if wishes.answers_the_notification(state, turn, ctx):
            answer = _answer_notification(state, turn.notified, turn, ctx)
            if answer is not None:
                return answer
    return _go_on(state, turn, word, ctx)


def _draft_offer(
    state: ConversationState, turn: TurnInput, word: str | None, ctx: DialogContext
) -> TurnResult | None:
    """After a pause, the draft in progress offered back (not over a navigation word or a quoted reply)."""
    waiting = paused(state)
    if waiting is None or waiting.step is not Step.RESUME_DRAFT or state.step is Step.RESUME_DRAFT:
        return None
    if word is not None or turn.replying_to is not None or retired(waiting.cnpj, ctx) is not None:
        return None
    return go(waiting.step, ctx, cnpj=waiting.cnpj, data=waiting.data, lead=first_contact.greeting_for(ctx))


def _go_on(
    state: ConversationState | None, turn: TurnInput, word: str | None, ctx: DialogContext
) -> TurnResult:
    """A new conversation, or the one going on: a navigation word, or the step's answer."""
    if state is None:
        return _first_message(first_contact.start(turn, ctx, word), turn, word, ctx)
    if not is_consistent(state, ctx):  # a draft the context no longer supports: begin again
        return first_contact.begin(ctx)
    company = retired(state.cnpj, ctx)
    if company is not None and state.step not in AFTER_CLOSING:  # a closed ticket is still rated
        return first_contact.no_longer_served(company, ctx)
    if word is not None:
        return navigation.navigate(state, word, ctx, STEPS[state.step].back)
    return _answer(state, turn, ctx)


def _first_message(started: TurnResult, turn: TurnInput, word: str | None, ctx: DialogContext) -> TurnResult:
    """A first message that says more than hello (a CNPJ, a name, a problem, a wish, a file with
    a caption) is read at the first question, after the welcome: nothing it carries is lost."""
    if word is not None or started.state.step not in _FIRST_QUESTIONS:
        return started
    text = (turn.text or "").strip()
    if turn.kind is InboundKind.MEDIA:
        if not turn.caption and turn.attachment is None:
            return started
    elif turn.kind is not InboundKind.TEXT or not text or not heard.carries_something(started.state, text):
        return started
    answered = _answer(started.state, turn, ctx)
    if ctx.requester is None:  # the welcome bubble, then the answer
        return replace(answered, replies=(*started.replies[:-1], *answered.replies))
    return led(answered, first_contact.greeting_for(ctx))


_FIRST_QUESTIONS = frozenset({Step.ASK_CNPJ, Step.ACCESS_MENU, Step.CHOOSE_COMPANY, Step.LINK_CNPJ})


def _answer(state: ConversationState, turn: TurnInput, ctx: DialogContext) -> TurnResult:
    """The step's row of the table answers the message (a draft notes what came from it)."""
    return corrections.sourced(state, _answer_step(state, turn, ctx), turn)


def _answer_step(state: ConversationState, turn: TurnInput, ctx: DialogContext) -> TurnResult:
    spec = STEPS[state.step]
    if state.step in AFTER_CLOSING and turn.kind is not InboundKind.TEXT:
        return handle(resumed(state), turn, ctx)  # a file or a sticker is not an answer either
    if turn.kind is InboundKind.OTHER:
        return again(state, ctx, texts.UNREADABLE)
    if turn.kind is InboundKind.MEDIA:
        if spec.on_media is None:
            return again(state, ctx, texts.TEXT_EXPECTED)
        return spec.on_media(state, turn, ctx)
    text = (turn.text or "").strip()
    if not text or spec.on_text is None:
        return again(state, ctx, texts.EMPTY_TEXT)
    state, early = wishes.before_the_step(state, text, ctx)  # an intent, a pending question, a bubble
    if early is not None:
        return early
    if state.step is Step.ASK_NAME:  # "bom dia" is never a name
        friendly = understood.small_talk(state, text, ctx)
        if friendly is not None:
            return friendly
    answered = spec.on_text(state, text, ctx)
    if answered is None:  # not an answer to the question: it goes on as if it had not been asked
        return handle(resumed(state), TurnInput(kind=InboundKind.TEXT, text=text), ctx)
    if state.step not in corrections.WRITING_STEPS and understood.missed(state, answered):
        return understood.small_talk(state, text, ctx) or answered  # thanks, hello, ok: no refusal
    return answered


def _answer_notification(
    state: ConversationState | None, ref: TicketRef, turn: TurnInput, ctx: DialogContext
) -> TurnResult | None:
    """The quoted reply is the text (or file) of a new action on that ticket. None when the
    conversation is already writing to that ticket: then the reply is simply its next answer."""
    if turn.kind is InboundKind.OTHER:
        return None
    company = retired(ref.cnpj, ctx)
    if company is not None:
        return first_contact.no_longer_served(company, ctx)
    if state is not None and state.step in ACTION_DRAFT:
        if state.data.ticket_number == ref.number and state.cnpj == ref.cnpj:
            return None  # already writing to that ticket
    asking = ConversationState(Step.ASK_ACTION_TEXT, cnpj=ref.cnpj, data=StepData(ticket_number=ref.number))
    left = discarded(state) if state is not None else None
    return led(_answer(asking, turn, ctx), left, texts.replying_to_ticket(ref.number))


# Where a file is kept besides the text steps: a menu (it starts a ticket), the registration (it
# waits for the ticket), the subject and the type (the draft takes it). Nothing sent is dropped.
_FILES_KEPT = MEDIA_STEPS | drafts.FILE_STEPS | {Step.KB_OFFER, Step.KB_SOLVED}


def keeps_files(state: ConversationState | None, turn: TurnInput) -> bool:
    """Whether a file in `turn` can be kept: the executor downloads media only then."""
    if turn.replying_to is not None:
        return True
    if turn.paused and state is not None:
        state = paused(state)  # what waits after the pause; nothing: the message starts over
    if state is None or state.step is Step.ENDED:
        return True  # a first message: a screenshot before anything else waits for its ticket
    if turn.paused:
        return bool(turn.caption)  # a draft is offered back first: only a caption says more
    return state.step in _FILES_KEPT


# --- the steps -------------------------------------------------------------------------------


def _goodbye(state: ConversationState, ctx: DialogContext) -> Question:
    """The conversation ends, not the tickets: a registered requester is told they go on."""
    return Question(texts.GOODBYE if ctx.requester else texts.GOODBYE_UNREGISTERED)


def _fixed(question: str | Question) -> Prompt:
    asked = question if isinstance(question, Question) else Question(question)
    return lambda state, ctx: asked


STEPS: dict[Step, StepSpec] = {
    # flow 1: first contact
    Step.ASK_CNPJ: StepSpec(_fixed(texts.ASK_CNPJ), first_contact.on_cnpj, drafts.keep_for_later),
    Step.ASK_NAME: StepSpec(
        _fixed(texts.ASK_NAME),
        first_contact.on_name,
        drafts.keep_for_later,
        back=first_contact.go_back(Step.ASK_CNPJ),
    ),
    Step.ASK_EMAIL: StepSpec(
        _fixed(texts.ASK_EMAIL),
        first_contact.on_email,
        drafts.keep_for_later,
        back=first_contact.go_back(Step.ASK_NAME),
    ),
    # flow 5: second contact
    Step.CHOOSE_COMPANY: StepSpec(
        first_contact.ask_company, first_contact.on_company_choice, drafts.keep_for_later
    ),
    Step.ACCESS_MENU: StepSpec(
        first_contact.ask_access,
        first_contact.on_access_choice,
        drafts.from_file,
        back=first_contact.back_from_access,
    ),
    Step.LINK_CNPJ: StepSpec(
        _fixed(texts.ASK_LINK_CNPJ),
        first_contact.on_link_cnpj,
        drafts.keep_for_later,
        back=first_contact.back_from_link,
    ),
    # flow 2: tickets menu (a problem described or a file there starts a ticket: `drafts`)
    Step.TICKETS_MENU: StepSpec(
        tickets.ask_ticket_choice,
        tickets.on_ticket_choice,
        drafts.from_file,
        back=first_contact.go_back(Step.ACCESS_MENU),
    ),
    # flow 3: a new ticket
    Step.ASK_SUBJECT: StepSpec(
        new_ticket.ask_subject, new_ticket.on_subject, drafts.file_for_subject, back=tickets.back_to_tickets
    ),
    Step.ASK_TYPE: StepSpec(
        new_ticket.ask_type, new_ticket.on_type, drafts.file_for_draft, back=new_ticket.back_to_subject
    ),
    Step.ASK_DESCRIPTION: StepSpec(
        _fixed(texts.ASK_DESCRIPTION), files.on_text, files.on_file_for_text, back=new_ticket.back_to_type
    ),
    Step.TICKET_MEDIA: StepSpec(
        files.ask_ticket_media, files.on_files_text, files.on_file, back=files.back_to_text
    ),
    # flow 4: one ticket
    Step.TICKET_MENU: StepSpec(
        ticket_detail.ask_ticket_action,
        files.on_ticket_text,
        files.on_file_for_ticket,
        back=tickets.back_to_tickets,
    ),
    Step.ASK_ACTION_TEXT: StepSpec(
        ticket_detail.ask_action_text,
        files.on_text,
        files.on_file_for_text,
        back=ticket_detail.back_to_ticket,
    ),
    Step.ACTION_MEDIA: StepSpec(
        _fixed(texts.ASK_ACTION_MEDIA), files.on_files_text, files.on_file, back=files.back_to_text
    ),
    # before a ticket opens: articles that may solve it
    Step.KB_OFFER: StepSpec(
        knowledge.ask_offer, knowledge.on_offer, knowledge.on_file, back=knowledge.back_to_description
    ),
    Step.KB_SOLVED: StepSpec(
        knowledge.ask_solved, knowledge.on_solved, knowledge.on_file, back=knowledge.back_to_offer
    ),
    Step.KB_RESOLVED: StepSpec(knowledge.ask_resolved, knowledge.on_resolved),
    # after a pause: a draft offered back
    Step.RESUME_DRAFT: StepSpec(navigation.ask_resume, navigation.on_resume_choice),
    # flow 7: after a ticket is closed
    Step.CONFIRM_FIX: StepSpec(_fixed(texts.FIX_QUESTION), closing_loop.on_fix_answer),
    Step.ASK_RATING: StepSpec(_fixed(texts.ASK_RATING), closing_loop.on_rating),
    Step.ASK_RATING_COMMENT: StepSpec(
        closing_loop.ask_rating_comment, closing_loop.on_rating_comment, back=closing_loop.back_to_rating
    ),
    # flow 6: the end (the next message starts over)
    Step.ENDED: StepSpec(_goodbye),
}
