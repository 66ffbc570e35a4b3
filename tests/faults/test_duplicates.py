"""Redelivered webhooks: 1,000 deliveries of which 30% repeat an earlier WhatsApp message id, some
before it was processed, some after (SQS's deduplication window drops both), some beyond the window
(a new SQS message with the same body: the turn must drop it). Nothing is created or answered twice."""

from __future__ import annotations

import json
import random
from collections import Counter

from helpdesk.gateways import evolution_webhook
from helpdesk.storage.stats import stats_totals
from local.lambdas import load_function
from local.seed import seed_demo_data
from local.testing.apigw import webhook_event
from local.testing.stats import StatsConsumer
from local.testing.whatsapp import SCRIPT, Processor, evolution_text
from tests.faults.state import all_items, normalize_reply

PHONES = 70
SCRIPT_WITH_EXIT = (*SCRIPT, "SAIR")  # first contact, a ticket opened, the conversation ended: 10 turns
REDELIVERED = 300


def test_a_thousand_webhooks_with_thirty_percent_redelivered_create_and_answer_once(aws, figures):
    seed_demo_data()
    webhook = load_function("WebhookFunction")
    processor = Processor(aws)
    sqs = aws.session.client("sqs")
    phones = [f"55119{n:08d}" for n in range(PHONES)]
    script = SCRIPT_WITH_EXIT
    ids = {(p, r): f"DUP{p[-4:]}{r:02d}" for p in phones for r in range(len(script))}
    rng = random.Random(7)
    chosen = rng.sample(sorted(ids), REDELIVERED)
    kind = {key: ("before", "after", "beyond")[i % 3] for i, key in enumerate(chosen)}
    deliveries = Counter()

    def post(phone: str, r: int) -> None:
        response = webhook.invoke(webhook_event(evolution_text(phone, ids[phone, r], script[r])))
        assert response["statusCode"] == 200, response
        deliveries["webhook"] += 1

    for r in range(len(script)):
        for phone in phones:
            post(phone, r)
            if kind.get((phone, r)) == "before":
                post(phone, r)  # the gateway retried before we processed it
        processor.drain(rounds=1000)
        for phone in phones:
            if kind.get((phone, r)) == "after":
                post(phone, r)  # retried after processing, within SQS's 5-minute window
            elif kind.get((phone, r)) == "beyond":
                body = json.dumps(evolution_text(phone, ids[phone, r], script[r]))
                [message] = evolution_webhook.parse_webhook(
                    body.encode(), {"x-webhook-token": "t"}, {}, "t"
                ).messages
                sqs.send_message(  # beyond the window: a new SQS message with the same body
                    QueueUrl=aws.queue_url,
                    MessageBody=json.dumps(message.to_dict(), ensure_ascii=False),
                    MessageGroupId=f"{message.instance}#{phone}",
                    MessageDeduplicationId=f"late-{ids[phone, r]}",
                )
                deliveries["beyond"] += 1
        processor.drain(rounds=1000)

    total = deliveries["webhook"] + deliveries["beyond"]
    assert total == len(ids) + REDELIVERED == 1000
    items = all_items(aws)
    requesters = [i for i in items if i.get("entity") == "requester"]
    assert len(requesters) == len({i["phone"] for i in requesters}) == PHONES
    tickets = [i for i in items if i.get("entity") == "ticket"]
    actions = [i for i in items if i.get("entity") == "action"]
    assert len(tickets) == len({t["requester_phone"] for t in tickets}) == PHONES
    assert len(actions) == len({a["action_id"] for a in actions}) == PHONES
    # Every phone got each turn's replies exactly once: all phones' transcripts are the same.
    transcripts = {
        phone: [normalize_reply(t, phone) for _, p, t in processor.gateway.sent if p == phone]
        for phone in phones
    }
    reference = transcripts[phones[0]]
    assert sum("criado" in t for t in reference) == 1
    assert all(transcript == reference for transcript in transcripts.values())
    # The counters come from the table stream: every batch handed to the consumer twice (a
    # redelivery after a crash past its write) still counts each distinct message once.
    consumer = StatsConsumer(aws, batch_size=100)
    changes = consumer.drain(deliveries=2)
    totals = stats_totals("suporte")
    assert totals["received"] == len(ids)  # each message counted once
    assert totals["sent"] == len(processor.gateway.sent)
    assert consumer.drain(deliveries=2) == 0 and stats_totals("suporte") == totals
    figures(
        "duplicates",
        f"{total} deliveries ({len(ids)} unique, {REDELIVERED} redelivered: "
        f"{sum(v == 'before' for v in kind.values())} before processing, "
        f"{sum(v == 'after' for v in kind.values())} after, {sum(v == 'beyond' for v in kind.values())} beyond "
        f"the dedup window): {len(requesters)} requesters, {len(tickets)} tickets, {len(actions)} actions for "
        f"{PHONES} phones; {len(processor.gateway.sent)} replies = {len(reference)} per phone; turns counted "
        f"{totals['received']} by the stats consumer ({changes} conversation changes in "
        f"{consumer.invocations} deliveries, each batch twice); duplicates 0",
    )
