"""Before a new ticket opens: articles of the knowledge base that may already solve the problem.

Once the description is given, the published articles for the requester's company and the
ticket's request type are searched (`ctx.articles()`: a turn that does not search reads nothing).
Nothing scoring: the flow goes on unchanged (files, then `Fim`). Otherwise at most three are
offered (KB_OFFER); a number shows one, then "Isso resolveu?" (KB_SOLVED). Yes: no ticket, the
draft kept (KB_RESOLVED, the conversation item lives 24 h) for `continuar`. No: the files step
as usual, and the ticket records what was offered and read. Each outcome is a `RecordOffer`.
"""

from __future__ import annotations

from msgspec.structs import replace

from helpdesk import texts
from helpdesk.domain.conversation import (
    ConversationState,
    DialogContext,
    RecordOffer,
    Reply,
    Step,
    TurnInput,
    TurnResult,
)
from helpdesk.domain.dialog import understood
from helpdesk.domain.dialog.answers import means
from helpdesk.domain.dialog.moves import again, go
from helpdesk.domain.menus import Option, Question
from helpdesk.domain.step_data import OfferedArticle
from helpdesk.domain.understanding import social, yes_or_no


def offer(files_state: ConversationState, ctx: DialogContext) -> TurnResult | None:
    """The articles for the draft about to take files, or None (nothing scores; offered already)."""
    data, cnpj = files_state.data, files_state.cnpj or ""
    if data.offered_at:
        return None
    question = f"{data.title or ''}\n{data.description or ''}"
    hits = ctx.articles().search(question, cnpj=cnpj, request_type=data.type_name)
    if not hits:
        return None
    offered = tuple(OfferedArticle(hit.article.id, hit.article.title) for hit in hits)
    at = ctx.now.isoformat()
    data = replace(data, offered=offered, offered_at=at, misses=0)
    return go(Step.KB_OFFER, ctx, cnpj=cnpj, data=data, effects=(RecordOffer(at, cnpj, offered, "offered"),))


def ask_offer(state: ConversationState, ctx: DialogContext) -> Question:
    return texts.kb_offer([(article.id, article.title) for article in state.data.offered])


def on_offer(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    if means(text, texts.FIM_WORD):
        return _open_now(state, ctx)
    choice = understood.choice(state, text, ctx)
    if isinstance(choice, TurnResult):
        if understood.missed(state, choice) and yes_or_no(text) is False:  # "não": open it
            return _to_files(state, ctx)
        return choice
    if choice.key == texts.KB_OPEN_TICKET:
        return _to_files(state, ctx)
    return _show(state, choice.key, ctx)


def _show(state: ConversationState, article_id: str, ctx: DialogContext) -> TurnResult:
    article = ctx.articles().article(article_id)
    if article is None or not article.applies(state.cnpj, state.data.type_name):
        return again(state, ctx, texts.KB_ARTICLE_GONE)
    offered = tuple(replace(a, opened=a.opened or a.id == article_id) for a in state.data.offered)
    data = replace(state.data, offered=offered, misses=0)
    shown = Reply(texts.kb_article(article.title, article.body))
    return go(Step.KB_SOLVED, ctx, cnpj=state.cnpj, data=data, before=(shown,))


def ask_solved(state: ConversationState, ctx: DialogContext) -> Question:
    return texts.kb_solved(others=len(state.data.offered) > 1)


def on_solved(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult:
    if means(text, texts.FIM_WORD):
        return _open_now(state, ctx)
    choice = understood.choice(state, text, ctx)
    key = choice.key if isinstance(choice, Option) else None
    if isinstance(choice, TurnResult) and understood.missed(state, choice):
        key = {True: texts.KB_SOLVED_YES, False: texts.KB_SOLVED_NO}.get(yes_or_no(text))  # type: ignore[arg-type]
    if key == texts.KB_SOLVED_YES:
        return _resolved(state, ctx)
    if key == texts.KB_SOLVED_NO:
        return _to_files(state, ctx)
    if key == texts.KB_SEE_OTHERS:
        return back_to_offer(state, ctx)
    assert isinstance(choice, TurnResult)
    return choice


def _resolved(state: ConversationState, ctx: DialogContext) -> TurnResult:
    data = replace(state.data, misses=0)
    draft = ConversationState(Step.TICKET_MEDIA, cnpj=state.cnpj, data=data)
    kept = ConversationState(Step.KB_RESOLVED, cnpj=state.cnpj, data=replace(data, draft=draft))
    record = RecordOffer(data.offered_at or "", state.cnpj or "", data.offered, "resolved")
    return TurnResult(kept, (Reply(texts.KB_RESOLVED),), (record,))


def ask_resolved(state: ConversationState, ctx: DialogContext) -> Question:
    return Question(texts.KB_RESOLVED)


def on_resolved(state: ConversationState, text: str, ctx: DialogContext) -> TurnResult | None:
    """`continuar` opens the kept draft; thanks get a word back; anything else is a new conversation."""
    draft = state.data.draft
    if means(text, texts.KB_CONTINUE_WORD) and draft is not None:
        return _to_files(draft, ctx)
    kind = social(text)
    if kind is not None:
        return TurnResult(state, (Reply(texts.SOCIAL_ANSWERS[kind.value]),))
    return None


def _declined(state: ConversationState) -> tuple[ConversationState, RecordOffer]:
    """The draft taking files again, as if nothing had been offered; the ticket records the offer."""
    data = replace(state.data, misses=0, draft=None)
    record = RecordOffer(data.offered_at or "", state.cnpj or "", data.offered, "declined")
    return ConversationState(Step.TICKET_MEDIA, state.cnpj, data), record


def _open_now(state: ConversationState, ctx: DialogContext) -> TurnResult:
    """`Fim` while articles are offered: the person follows the ticket's steps, so it opens."""
    from helpdesk.domain.dialog.new_ticket import create_ticket

    files_state, record = _declined(state)
    opened = create_ticket(files_state, ctx)
    return replace(opened, effects=(record, *opened.effects))


def on_file(state: ConversationState, turn: TurnInput, ctx: DialogContext) -> TurnResult:
    """A file while articles are offered: the person goes on with the ticket, the file in it."""
    from helpdesk.domain.dialog import files  # it offers through this module: read at call time

    files_state, record = _declined(state)
    kept = files.on_file(files_state, turn, ctx)
    return replace(kept, effects=(record, *kept.effects))


def _to_files(state: ConversationState, ctx: DialogContext) -> TurnResult:
    """On to the files as if nothing had been offered; the ticket will record the offer."""
    from helpdesk.domain.dialog import drafts  # it offers through this module: read at call time

    files_state, record = _declined(state)
    data = files_state.data
    if data.described:  # a problem told at a menu: what will be opened, as it would have been shown
        shown = drafts.preview(ConversationState(Step.TICKET_MEDIA, state.cnpj, data), ctx, texts.KB_GOING_ON)
        return replace(shown, effects=(*shown.effects, record))
    return go(Step.TICKET_MEDIA, ctx, cnpj=state.cnpj, data=data, lead=texts.KB_GOING_ON, effects=(record,))


def back_to_offer(state: ConversationState, ctx: DialogContext) -> TurnResult:
    return go(Step.KB_OFFER, ctx, cnpj=state.cnpj, data=replace(state.data, misses=0))


def back_to_description(state: ConversationState, ctx: DialogContext) -> TurnResult:
    data = replace(state.data, offered=(), offered_at=None, misses=0)
    return go(Step.ASK_DESCRIPTION, ctx, cnpj=state.cnpj, data=data, lead=texts.BACK)
