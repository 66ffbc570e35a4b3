"""Throughput over moto in-process: dialog turns per second through the processor handler for 1, 10
and 100 phones whose conversations are in the queue at once (interleaved, consumed in SQS batches of
10 by the local event source mapping), and webhook handler events per second."""

from __future__ import annotations

import json
import time

from bench.harness import CONVERSATION, moto_environment, quiet, step_payload, webhook_event

CONCURRENCY = (1, 10, 100)
WEBHOOK_EVENTS = 300


def run(concurrency: tuple[int, ...] = CONCURRENCY) -> dict:
    from helpdesk.logic import inbound
    from local.lambdas import load_function
    from local.testing.whatsapp import Processor, text

    texts = [body or "anexo" for _, body in CONVERSATION]  # the file step as text: no S3 in this figure
    results: dict = {"conversation_turns": len(texts), "processor": [], "webhook": {}}
    with quiet(), moto_environment() as aws:
        processor = Processor(aws)
        invoke, handler_seconds = processor.function.invoke, []

        def timed(event):
            started = time.perf_counter()
            try:
                return invoke(event)
            finally:
                handler_seconds.append(time.perf_counter() - started)

        processor.function.invoke = timed
        for phones in concurrency:
            numbers = [f"55119{phones:03d}{n:05d}" for n in range(phones)]
            # Every phone's whole conversation in the queue at once, interleaved step by step.
            inbound.enqueue(text(phone, body) for body in texts for phone in numbers)
            handler_seconds.clear()
            sent_before, failed_before = len(processor.gateway.sent), len(processor.poller.failed)
            started = time.perf_counter()
            # A failed turn comes back as from SQS after its visibility timeout, without the 120 s
            # wait; its retries are counted in the figure and reported beside it.
            deliveries = processor.drain(rounds=10_000, redeliver=True)
            wall = time.perf_counter() - started
            turns = phones * len(texts)
            failed = len(processor.poller.failed) - failed_before
            assert deliveries == turns + failed, (deliveries, turns, failed)
            created = sum("criado" in t for _, _, t in processor.gateway.sent[sent_before:])
            assert created == phones, f"{created} tickets for {phones} phones"
            results["processor"].append(
                {
                    "phones": phones,
                    "turns": turns,
                    "invocations": len(handler_seconds),
                    "failed_deliveries": failed,
                    "mean_batch": turns / len(handler_seconds),
                    "handler_seconds": sum(handler_seconds),
                    "wall_seconds": wall,
                    "turns_per_second_handler": turns / sum(handler_seconds),
                    "turns_per_second_wall": turns / wall,
                    "ms_per_turn_handler": 1000 * sum(handler_seconds) / turns,
                }
            )

        webhook = load_function("WebhookFunction")
        events = [
            webhook_event(step_payload(f"5521{n:09d}", f"WH{n:06d}", "oi")) for n in range(WEBHOOK_EVENTS)
        ]
        webhook.invoke(events[0])
        started = time.perf_counter()
        for event in events[1:]:
            assert webhook.invoke(event)["statusCode"] == 200
        seconds = time.perf_counter() - started
        results["webhook"] = {
            "events": len(events) - 1,
            "seconds": seconds,
            "events_per_second": (len(events) - 1) / seconds,
            "ms_per_event": 1000 * seconds / (len(events) - 1),
        }
    return results


if __name__ == "__main__":
    print(json.dumps(run(), indent=1))
