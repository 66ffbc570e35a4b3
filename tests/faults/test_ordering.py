"""Ordering under concurrency: 100 phones x 20 messages in the FIFO queue at once, consumed by
several processor workers at the same time (each a container of its own: its own handler module
and batch processor). Every phone's turns run in send order."""

from __future__ import annotations

import itertools
import threading
import time
from collections import defaultdict

import pytest

from helpdesk.logic import inbound
from helpdesk.logic.services import Services
from helpdesk.storage.models import Conversation
from helpdesk.storage.phones import phone_pk
from local.lambdas import load_function
from local.pollers import SqsPoller
from local.seed import seed_demo_data
from local.testing.gateways import RecordingGateway
from local.testing.whatsapp import text

PHONES = 100
MESSAGES = 20
WORKERS = 4


class SerializedSqs:
    """moto's in-process SQS is not atomic across threads (two receives could both take one group's
    next message); the real service is, so the workers' calls go through one lock."""

    def __init__(self, client) -> None:
        self.client, self.lock = client, threading.Lock()

    def __getattr__(self, name):
        call = getattr(self.client, name)

        def locked(*args, **kwargs):
            with self.lock:
                return call(*args, **kwargs)

        return locked


@pytest.mark.load
def test_each_phone_sees_its_messages_in_send_order_with_concurrent_workers(aws, figures):
    seed_demo_data()
    aws.session.client("sqs").set_queue_attributes(
        QueueUrl=aws.queue_url, Attributes={"VisibilityTimeout": "5"}
    )
    phones = [f"55219{n:08d}" for n in range(PHONES)]
    sent = {phone: [f"ORD{phone[-5:]}{i:02d}" for i in range(MESSAGES)] for phone in phones}
    # Interleaved: message i of every phone before message i+1 of any.
    inbound.enqueue(text(phone, f"mensagem {i}", sent[phone][i]) for i in range(MESSAGES) for phone in phones)

    seen: dict[str, list[str]] = defaultdict(list)
    lock = threading.Lock()
    done = threading.Event()
    handled = {"turns": 0, "by_worker": defaultdict(int)}
    gateway = RecordingGateway()
    sqs = SerializedSqs(aws.session.client("sqs"))
    stop = threading.Event()

    def worker(number: int) -> None:
        function = load_function("ProcessorFunction")  # a container of its own
        function.module.services = lambda: Services(gateway=gateway)
        real = function.module.handle_inbound

        def recording(message, services):
            with lock:
                seen[message.phone].append(message.message_id)
            real(message, services)
            with lock:
                handled["turns"] += 1
                handled["by_worker"][number] += 1
                if handled["turns"] >= PHONES * MESSAGES:
                    done.set()

        function.module.handle_inbound = recording
        poller = SqsPoller(function, sqs, aws.queue_url, aws.resources.queue_arns["InboundQueue"], stop)
        while not done.is_set() and not stop.is_set():
            if not poller.poll_once():
                time.sleep(0.01)

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    finished = done.wait(timeout=600)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    assert finished, f"only {handled['turns']} turns handled"

    violations = sum(
        1
        for phone in phones
        for a, b in itertools.pairwise(seen[phone])
        if sent[phone].index(b) < sent[phone].index(a)
    )
    assert violations == 0
    for phone in phones:
        assert seen[phone] == sent[phone]
        stored = Conversation.get(phone_pk(phone), "CONVERSATION")
        assert stored.recent_message_ids == sent[phone][-len(stored.recent_message_ids) :]
    busy = sorted(handled["by_worker"].values())
    assert len(busy) >= 2, busy  # the work was shared
    figures(
        "ordering",
        f"{PHONES} phones x {MESSAGES} messages = {handled['turns']} turns by {WORKERS} concurrent workers "
        f"(turns per worker {busy}); order violations {violations}",
    )
