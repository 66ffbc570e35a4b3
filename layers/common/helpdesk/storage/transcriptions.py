"""Transcription jobs and the attachments they write to.

A job is TRANSCRIPTION#<job name> / META: which action's attachment (ticket, action sort key,
index in its list, the file's key) the transcript belongs to, and the job's state. The starter
writes it before StartTranscriptionJob, so a completion always finds where to go. Settling a
job writes the attachment's transcript (or its "unavailable" marker), the ticket's search text
(and its description, when the voice note was the whole of it) and the job's state in one
transaction conditioned on the attachment still being that file and still pending: a completion
delivered twice, or after an erasure emptied the action, changes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from msgspec import Struct
from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import PutError, TransactWriteError
from pynamodb.expressions.update import Action as UpdateAction
from pynamodb.transactions import TransactWrite

from helpdesk.domain.transcripts import TranscriptStatus
from helpdesk.storage.models import Action, AttachmentMap, Item, Ticket
from helpdesk.storage.transaction import condition_failed

# Transcribe keeps a job's record 90 days; ours outlives any job's completion event by far.
KEEP_JOB = timedelta(days=14)


class Transcription(Item, discriminator="transcription"):
    ticket_pk = UnicodeAttribute()
    ticket_number = NumberAttribute()
    action_sk = UnicodeAttribute()
    index = NumberAttribute()  # the attachment's place in the action's list
    attachment_key = UnicodeAttribute()
    state = UnicodeAttribute()  # pending | done | unavailable (the notifier tells the ERP of "done")
    created_at = UTCDateTimeAttribute()
    settled_at = UTCDateTimeAttribute(null=True)
    expires_at = TTLAttribute()


def job_pk(job: str) -> str:
    return f"TRANSCRIPTION#{job}"


class AudioRef(Struct, frozen=True):
    """Where one audio attachment sits: its action and its place in the action's files."""

    ticket_number: int
    action_sk: str
    index: int
    key: str

    @property
    def ticket_pk(self) -> str:
        return f"TICKET#{self.ticket_number}"


def audio_ref(action_image: dict, index: int) -> AudioRef:
    """The reference of an action's attachment, from the action's stream image."""
    return AudioRef(
        int(action_image["ticket_number"]),
        action_image["sk"],
        index,
        action_image["attachments"][index]["key"],
    )


def track(job: str, ref: AudioRef, now: datetime) -> bool:
    """Notes the job before it starts; False when the job was settled already (a redelivered
    stream record: nothing to start). A second start of a pending job keeps its record."""
    item = Transcription(
        pk=job_pk(job),
        sk="META",
        ticket_pk=ref.ticket_pk,
        ticket_number=ref.ticket_number,
        action_sk=ref.action_sk,
        index=ref.index,
        attachment_key=ref.key,
        state=TranscriptStatus.PENDING,
        created_at=now,
        expires_at=now + KEEP_JOB,
    )
    try:
        item.save(condition=Transcription.pk.does_not_exist())
    except PutError as error:
        if not condition_failed(error):
            raise
        found = tracked(job)
        return found is not None and found[1] == TranscriptStatus.PENDING
    return True


def tracked(job: str) -> tuple[AudioRef, str] | None:
    """The attachment a job writes to, and the job's state; None for a job we never started (or
    whose requester was erased)."""
    try:
        item = Transcription.get(job_pk(job), "META")
    except Transcription.DoesNotExist:
        return None
    ref = AudioRef(int(item.ticket_number), item.action_sk, int(item.index), item.attachment_key)
    return ref, item.state


def pending_description(ref: AudioRef) -> str | None:
    """The ticket's description, when this audio is on the action that opened the ticket."""
    try:
        ticket = Ticket.get(ref.ticket_pk, "META")
    except Ticket.DoesNotExist:
        return None
    opening = next(iter(Action.query(ref.ticket_pk, Action.sk.startswith("ACTION#"), limit=1)), None)
    return ticket.description if opening is not None and opening.sk == ref.action_sk else None


def settle(
    ref: AudioRef,
    status: TranscriptStatus,
    now: datetime,
    *,
    transcript: str | None = None,
    description: tuple[str, str] | None = None,
    job: str | None = None,
) -> bool:
    """Writes the outcome once; False when it was written before or the attachment is gone.

    `description` is (the description read, the new one): it changes only if still the one read.
    """
    # pynamodb types a list element as a Path; it is the AttachmentMap's attributes at that path.
    attachment: Any = Action.attachments[ref.index]
    action = Action(pk=ref.ticket_pk, sk=ref.action_sk)
    action_updates = [attachment.transcript_status.set(str(status))]
    if transcript:
        action_updates.append(attachment.transcript.set(transcript))
    connection = Item._get_connection().connection
    try:
        with TransactWrite(connection=connection) as transaction:
            transaction.update(
                action,
                actions=action_updates,
                condition=(attachment.key == ref.key)
                & (attachment.transcript_status == str(TranscriptStatus.PENDING)),
            )
            ticket_updates: list[UpdateAction] = []
            ticket_condition = Ticket.pk.exists()
            if transcript:
                ticket_updates.append(Ticket.transcripts.set((Ticket.transcripts | []).append([transcript])))
            if transcript and description is not None:
                read, new = description
                ticket_updates.append(Ticket.description.set(new))
                ticket_condition = ticket_condition & (Ticket.description == read)
            if ticket_updates:
                transaction.update(
                    Ticket(pk=ref.ticket_pk, sk="META"), actions=ticket_updates, condition=ticket_condition
                )
            if job is not None:
                transaction.update(
                    Transcription(pk=job_pk(job), sk="META"),
                    actions=[Transcription.state.set(str(status)), Transcription.settled_at.set(now)],
                    condition=Transcription.pk.exists(),
                )
    except TransactWriteError as error:
        if error.cause_response_code == "TransactionCanceledException" and _settled_or_gone(ref):
            return False
        raise
    return True


def _settled_or_gone(ref: AudioRef) -> bool:
    """After a refused settle: whether the attachment no longer waits (else the refusal was a race
    on the ticket's description, and the caller retries)."""
    try:
        action = Action.get(ref.ticket_pk, ref.action_sk)
    except Action.DoesNotExist:
        return True
    files = action.attachments or []
    if ref.index >= len(files) or files[ref.index].key != ref.key:
        return True
    return files[ref.index].transcript_status != TranscriptStatus.PENDING


def forget(jobs: list[str]) -> None:
    """Deletes the jobs' records (an erased requester's audio: a late completion finds nothing)."""
    for job in jobs:
        Transcription(pk=job_pk(job), sk="META").delete()


def transcribed(image: dict) -> tuple[Action, AttachmentMap] | None:
    """The action and the transcribed file a settled job's stream image points at; None when the
    file is no longer there (erased) or has no transcript."""
    try:
        action = Action.get(image["ticket_pk"], image["action_sk"])
    except Action.DoesNotExist:
        return None
    files, index = action.attachments or [], int(image["index"])
    if index >= len(files) or files[index].key != image["attachment_key"] or not files[index].transcript:
        return None
    return action, files[index]
