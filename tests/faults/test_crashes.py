"""Crashes at each I/O point of a turn: the processor raises, SQS redelivers the message, and the
conversation ends as it would have without the crash, each reply sent once. The exception: a crash
after the gateway delivered and before the outbox was marked sent re-sends that turn's outbox once
(AT_LEAST_ONCE below)."""

from __future__ import annotations

from collections import Counter

import pytest

from helpdesk.storage import conversations, tickets, transaction
from helpdesk.storage.stats import stats_totals
from local.seed import seed_demo_data
from local.testing.gateways import RecordingGateway
from local.testing.stats import StatsConsumer
from local.testing.whatsapp import SCRIPT, Processor, text
from tests.faults.state import end_state, normalize_reply


class Crash(RuntimeError):
    """Injected: the Lambda container died here."""


class Injector:
    """Raises once, at the first pass through `point` while armed."""

    def __init__(self) -> None:
        self.armed_point: str | None = None
        self.fired = 0

    def arm(self, point: str) -> None:
        self.armed_point = point

    def hit(self, point: str) -> None:
        if self.armed_point == point:
            self.armed_point = None
            self.fired += 1
            raise Crash(point)


class CrashingGateway(RecordingGateway):
    injector: Injector | None = None

    def send_text(self, instance: str, phone: str, text: str) -> None:
        self.injector.hit("before gateway send")
        super().send_text(instance, phone, text)
        self.injector.hit("after gateway send")


POINTS = (
    "after ticket number allocated",
    "after TurnWrite.commit",
    "before gateway send",
    "after gateway send",
    "before mark_outbox_sent",
    "after mark_outbox_sent",
)


# Between a delivered send and the outbox mark, a crash cannot tell what the gateway delivered
# (WhatsApp gateways take no idempotency key): the retry re-sends that turn's outbox.
AT_LEAST_ONCE = {"after gateway send", "before mark_outbox_sent"}


@pytest.fixture
def crashing(aws, monkeypatch):
    seed_demo_data()
    injector = Injector()
    gateway = CrashingGateway()
    gateway.injector = injector
    processor = Processor(aws, gateway)
    # A failed message is visible again at once (the deployed queue waits VisibilityTimeout).
    aws.session.client("sqs").set_queue_attributes(
        QueueUrl=aws.queue_url, Attributes={"VisibilityTimeout": "0"}
    )

    allocate, commit, mark = (
        tickets.allocate_ticket_number,
        transaction.TurnWrite.commit,
        conversations.mark_outbox_sent,
    )

    def allocating():
        number = allocate()
        injector.hit("after ticket number allocated")
        return number

    def committing(self):
        commit(self)
        injector.hit("after TurnWrite.commit")

    def marking(conversation, message_id):
        injector.hit("before mark_outbox_sent")
        mark(conversation, message_id)
        injector.hit("after mark_outbox_sent")

    monkeypatch.setattr(tickets, "allocate_ticket_number", allocating)
    monkeypatch.setattr(transaction.TurnWrite, "commit", committing)
    monkeypatch.setattr(conversations, "mark_outbox_sent", marking)
    return processor, injector


def converse(
    processor: Processor, injector: Injector, phone: str, crash: tuple[str, int] | None
) -> list[list[str]]:
    """The whole script; returns the normalized replies to each message."""
    from helpdesk.logic import inbound

    replies = []
    for turn, body in enumerate(SCRIPT):
        if crash and crash[1] == turn:
            injector.arm(crash[0])
        before = len(processor.gateway.texts_to(phone))
        inbound.enqueue([text(phone, body, message_id=f"CRASH{phone}T{turn}")])
        processor.drain(rounds=20)
        injector.armed_point = None  # a point this turn does not pass is not carried to the next
        replies.append([normalize_reply(t, phone) for t in processor.gateway.texts_to(phone)[before:]])
    return replies


@pytest.mark.parametrize("point", POINTS)
def test_a_crash_at_each_io_point_is_retried_to_the_same_end_state(aws, crashing, point, figures):
    processor, injector = crashing
    reference_phone = "5511800000000"
    reference = converse(processor, injector, reference_phone, None)
    expected_state = end_state(reference_phone)
    assert expected_state["tickets"], "the reference conversation opened a ticket"
    crashed_turns, duplicates = 0, 0
    for turn in range(len(SCRIPT)):
        phone = f"55119{turn:08d}"
        fired_before = injector.fired
        got = converse(processor, injector, phone, (point, turn))
        if injector.fired == fired_before:
            continue  # this turn does not pass through the point (e.g. no ticket number before Fim)
        crashed_turns += 1
        assert end_state(phone) == expected_state, f"{point} at turn {turn}"
        for turn_replies, expected in zip(got, reference, strict=True):
            extra = Counter(turn_replies) - Counter(expected)
            assert Counter(expected) - Counter(turn_replies) == Counter(), (
                f"a reply lost: {point} at turn {turn}"
            )
            if point in AT_LEAST_ONCE and extra:
                # The gateway delivered and the container died before the outbox was marked sent:
                # the retry re-sends the turn's outbox once. At-least-once, bounded: no reply
                # goes out more than twice, and only in the crashed turn.
                assert max(extra.values()) == 1 and set(extra) <= set(expected)
                duplicates += sum(extra.values())
            else:
                assert not extra, f"a reply sent twice: {point} at turn {turn}: {extra}"
    assert crashed_turns >= 1
    # Every message counted once however many times it was delivered (and the stats consumer
    # handed each stream batch twice).
    StatsConsumer(aws).drain(deliveries=2)
    assert stats_totals("suporte")["received"] == len(SCRIPT) * (len(SCRIPT) + 1)
    figures(
        f"crash {point}",
        f"crashed in {crashed_turns} of {len(SCRIPT)} turns, retried to the reference end state; "
        f"replies sent twice: {duplicates}",
    )
