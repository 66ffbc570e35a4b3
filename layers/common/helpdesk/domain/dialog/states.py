"""What a conversation state holds, and whether it still makes sense.

`state.data` (a `StepData`) per step, the fields set (drafts only, never a password):

- TICKETS_MENU: page
- ASK_EMAIL: name
- ASK_SUBJECT: none (or the draft, after `voltar`)
- ASK_TYPE: title, types (the types exactly as offered)
- ASK_DESCRIPTION: title, type_id, type_name
- TICKET_MEDIA: title, type_id, type_name, description, attachments
- TICKET_MENU: ticket_number
- ASK_ACTION_TEXT: ticket_number (+ text, attachments after `voltar`)
- ACTION_MEDIA: ticket_number, text, attachments
- CONFIRM_FIX, ASK_RATING: ticket_number, resume (the interrupted state, or None)
- ASK_RATING_COMMENT: ticket_number, rating, resume
- RESUME_DRAFT: draft (the state a pause interrupted)
- KB_OFFER, KB_SOLVED: the ticket's draft (as TICKET_MEDIA) + offered, offered_at
- KB_RESOLVED: draft (the ticket's draft at TICKET_MEDIA, for `continuar`)
- the others: none

Any step may count `misses`, and a draft its `sources` (see `understood`, `corrections`).
`voltar` keeps a draft: going back keeps every field, and each answer replaces only its own.
"""

from __future__ import annotations

from msgspec.structs import replace

from helpdesk import texts
from helpdesk.domain.conversation import ConversationState, DialogContext, Step
from helpdesk.domain.messages import Attachment
from helpdesk.domain.step_data import StepData

REGISTRATION = frozenset({Step.ASK_CNPJ, Step.ASK_NAME, Step.ASK_EMAIL})
BUBBLE_SECONDS = 20  # messages within this of the welcome are its burst of bubbles: answered once
WITHOUT_COMPANY = frozenset({Step.ASK_CNPJ, Step.CHOOSE_COMPANY, Step.LINK_CNPJ})
AFTER_CLOSING = frozenset({Step.CONFIRM_FIX, Step.ASK_RATING, Step.ASK_RATING_COMMENT})
ABOUT_A_TICKET = frozenset({Step.TICKET_MENU, Step.ASK_ACTION_TEXT, Step.ACTION_MEDIA}) | AFTER_CLOSING
TICKET_DRAFT = frozenset(
    {Step.ASK_SUBJECT, Step.ASK_TYPE, Step.ASK_DESCRIPTION, Step.TICKET_MEDIA, Step.KB_OFFER, Step.KB_SOLVED}
)
ACTION_DRAFT = frozenset({Step.ASK_ACTION_TEXT, Step.ACTION_MEDIA})


def is_consistent(state: ConversationState, ctx: DialogContext) -> bool:
    if (ctx.requester is None) != (state.step in REGISTRATION):
        return False
    if not state.cnpj and state.step not in WITHOUT_COMPANY:
        return False
    if state.step is Step.RESUME_DRAFT:
        draft = restored(state)
        return draft is not None and draft.step is not Step.RESUME_DRAFT and is_consistent(draft, ctx)
    return state.step not in ABOUT_A_TICKET or state.data.ticket_number is not None


def discarded(state: ConversationState) -> str | None:
    """The notice owed when leaving `state` drops what the requester wrote."""
    if not draft_label(state):
        return None
    return texts.MESSAGE_DISCARDED if writing_a_message(state) else texts.DRAFT_DISCARDED


def writing_a_message(state: ConversationState) -> bool:
    """Whether the draft in progress (or waiting after a pause) is a message on a ticket."""
    draft = restored(state) if state.step is Step.RESUME_DRAFT else state
    return draft is not None and draft.step in ACTION_DRAFT


def draft_label(state: ConversationState) -> str | None:
    """What names the draft in progress (its subject, or the ticket's number), if there is one."""
    data = state.data
    if state.step in TICKET_DRAFT and data.title:
        return data.title
    if state.step in ACTION_DRAFT and (data.text or data.attachments):
        return str(data.ticket_number)
    if state.step is Step.RESUME_DRAFT:
        draft = restored(state)
        return draft_label(draft) if draft else None
    return None


def paused(state: ConversationState) -> ConversationState | None:
    """After a pause a draft waits for the requester's decision; anything else is over."""
    if state.step in (Step.RESUME_DRAFT, Step.KB_RESOLVED):
        return state  # the offer (or the draft an article made unneeded, for `continuar`) still waits
    if state.step in AFTER_CLOSING:  # asked by the notifier, long after the last message: it waits
        inner = resumed(state)
        waiting = paused(inner) if inner is not None else None
        return replace(state, data=replace(state.data, resume=waiting))
    if draft_label(state) is None:
        return None
    return ConversationState(Step.RESUME_DRAFT, cnpj=state.cnpj, data=StepData(draft=state))


def restored(state: ConversationState) -> ConversationState | None:
    """The draft a RESUME_DRAFT state offers back."""
    return state.data.draft


def resumed(state: ConversationState) -> ConversationState | None:
    """The state a closing question interrupted (data.resume)."""
    return state.data.resume


def attachments(state: ConversationState) -> tuple[Attachment, ...]:
    return state.data.attachments


def in_the_welcome_burst(data: StepData, now: float) -> bool:
    """Whether a message at epoch `now` is one of the bubbles sent with the first one."""
    return data.greeted_at is not None and now - data.greeted_at <= BUBBLE_SECONDS
