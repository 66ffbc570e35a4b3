"""A message that always fails: retried up to the queue's maxReceiveCount (template.yaml), then parked
in the dead-letter queue; other phones' conversations go on meanwhile, and the poisoned phone's
next message is answered once it is parked (FIFO group isolation)."""

from __future__ import annotations

import json
import time

from helpdesk.logic import inbound
from local import cfn
from local.seed import seed_demo_data
from local.testing.whatsapp import SCRIPT, Processor, text
from tests.faults.state import queue_depth

POISONED, OTHERS = "5511970000000", ("5511970000001", "5511970000002")


def max_receive_count() -> int:
    queue = cfn.load_template()["Resources"]["InboundQueue"]["Properties"]
    return int(queue["RedrivePolicy"]["maxReceiveCount"])


def test_a_poison_message_ends_in_the_dlq_and_other_phones_go_on(aws, figures):
    seed_demo_data()
    sqs = aws.session.client("sqs")
    sqs.set_queue_attributes(QueueUrl=aws.queue_url, Attributes={"VisibilityTimeout": "1"})
    processor = Processor(aws)
    real, attempts, log = processor.function.module.handle_inbound, [], []

    def failing(message, services):
        log.append((time.monotonic(), message.phone, message.message_id))
        if message.message_id == "POISON":
            attempts.append(time.monotonic())
            raise ValueError("this message always fails")
        real(message, services)

    processor.function.module.handle_inbound = failing
    inbound.enqueue(
        [text(POISONED, "oi", "P0"), text(POISONED, "???", "POISON"), text(POISONED, "oi de novo", "P2")]
    )
    inbound.enqueue(
        text(phone, body, f"{phone[-1]}-{i}") for i, body in enumerate(SCRIPT) for phone in OTHERS
    )

    # SQS moves a message to the DLQ on the first receive after its last failed one: poll until the
    # queue is empty and the DLQ holds it (a receive is what moves it, so polling never stops early).
    started = time.monotonic()
    while time.monotonic() - started < 60 and (
        processor.poller.poll_once() + queue_depth(aws) or not queue_depth(aws, aws.dead_letter_queue_url)
    ):
        time.sleep(0.05)

    limit = max_receive_count()
    seen = [(round(a - started, 2), p[-1], m) for a, p, m in log if p == POISONED]
    assert len(attempts) == limit, seen
    parked = sqs.receive_message(QueueUrl=aws.dead_letter_queue_url, MaxNumberOfMessages=10).get(
        "Messages", []
    )
    assert parked, (
        f"nothing parked after {time.monotonic() - started:.1f} s; queue depth {queue_depth(aws)}; {seen}"
    )
    parked_ids = [json.loads(m["Body"])["message_id"] for m in parked]
    # Its group's later message, received in the same batches (and failed with it by
    # skip_group_on_error), reaches the receive count too: parked beside it, never another phone's.
    assert parked_ids[0] == "POISON" and set(parked_ids) <= {"POISON", "P2"}
    # The other phones finished their conversations while the poisoned one was being retried.
    for phone in OTHERS:
        assert any("criado" in t for t in processor.gateway.texts_to(phone))
        finished = max(at for at, p, _ in log if p == phone)
        assert finished < attempts[-1]
    # The poisoned phone is answered again once the poison is parked.
    before = len(processor.gateway.texts_to(POISONED))
    inbound.enqueue(
        [text(POISONED, "meu cnpj é 11.222.333/0001-81", "P3")]
    )  # not a greeting: one welcome per bubbles
    processor.drain()
    assert len(processor.gateway.texts_to(POISONED)) > before
    figures(
        "poison",
        f"{len(attempts)} attempts (maxReceiveCount {limit}) then DLQ; {len(OTHERS)} other conversations "
        f"({len(OTHERS) * len(SCRIPT)} turns) finished meanwhile; parked {parked_ids}; the phone answered after",
    )
