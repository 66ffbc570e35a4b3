"""Requests per operation: DynamoDB, SQS and S3 calls per webhook and per dialog turn, counted with
botocore event hooks on the clients the handlers use, with the request units they consume."""

from __future__ import annotations

import json
import math
import re
import time
from collections import Counter
from decimal import Decimal

from bench.harness import (
    CONVERSATION,
    CallCounter,
    evolution_quote,
    moto_environment,
    quiet,
    step_payload,
    webhook_event,
)

PHONE = "5511987650000"
WARMUP_PHONE = "5511987650001"


def value_size(value: dict) -> int:
    """DynamoDB's item-size rules for one low-level attribute value (an estimate for N)."""
    ((kind, raw),) = value.items()
    if kind == "S":
        return len(raw.encode())
    if kind == "N":
        return len(str(Decimal(raw)).lstrip("-").replace(".", "")) // 2 + 2
    if kind == "B":
        return len(raw)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "M":
        return 3 + sum(len(k.encode()) + value_size(v) + 1 for k, v in raw.items())
    if kind == "L":
        return 3 + sum(value_size(v) + 1 for v in raw)
    if kind in ("SS", "NS", "BS"):
        return sum(value_size({kind[0]: v}) for v in raw)
    raise ValueError(kind)


def item_size(item: dict) -> int:
    return sum(len(name.encode()) + value_size(value) for name, value in item.items())


class UnitMeter:
    """Read and write request units of the counted calls (on-demand rules: reads per 4 KB, halved when
    eventually consistent; writes per 1 KB; transactional reads and writes cost twice)."""

    def __init__(self, raw_client, table: str) -> None:
        self.raw, self.table = raw_client, table
        self.responses: list[tuple[str, dict]] = []

    def attach(self, client) -> None:
        client.meta.events.register(
            "after-call.dynamodb", lambda parsed, model, **_: self.responses.append((model.name, parsed))
        )

    def current_size(self, key: dict) -> int:
        item = self.raw.get_item(TableName=self.table, Key=key, ConsistentRead=True).get("Item")
        return item_size(item) if item else 1

    def units(self, params: list[tuple[str, str, dict]]) -> tuple[float, float]:
        reads = writes = 0.0
        responses = iter(self.responses)
        for service, operation, request in params:
            if service != "dynamodb":
                continue
            _, parsed = next(responses)
            factor = 1.0 if request.get("ConsistentRead") else 0.5
            if operation == "Query":
                size = sum(item_size(i) for i in parsed.get("Items", []))
                reads += max(math.ceil(size / 4096), 1) * factor
            elif operation == "GetItem":
                reads += max(math.ceil(item_size(parsed.get("Item", {})) / 4096), 1) * factor
            elif operation in ("PutItem",):
                writes += math.ceil(item_size(request["Item"]) / 1024)
            elif operation in ("UpdateItem", "DeleteItem"):
                writes += math.ceil(self.current_size(request["Key"]) / 1024)
            elif operation == "TransactWriteItems":
                for entry in request["TransactItems"]:
                    if "Put" in entry:
                        writes += 2 * math.ceil(item_size(entry["Put"]["Item"]) / 1024)
                    elif "Update" in entry or "Delete" in entry:
                        key = (entry.get("Update") or entry["Delete"])["Key"]
                        writes += 2 * math.ceil(self.current_size(key) / 1024)
                    elif "ConditionCheck" in entry:
                        reads += 2 * math.ceil(self.current_size(entry["ConditionCheck"]["Key"]) / 4096)
        self.responses.clear()
        return reads, writes


def summarize(calls: Counter) -> dict[str, int]:
    return {f"{service}:{operation}": n for (service, operation), n in sorted(calls.items())}


def by_service(calls: Counter, service: str) -> int:
    return sum(n for (s, _), n in calls.items() if s == service)


def run() -> dict:
    from helpdesk.aws import s3, sqs
    from helpdesk.logic import notifications
    from helpdesk.logic.services import Services
    from helpdesk.logic.ticket_actions import post_action
    from helpdesk.storage.models import Item
    from local.lambdas import load_function
    from local.testing.stats import StatsConsumer
    from local.testing.whatsapp import Processor

    with quiet(), moto_environment() as aws:
        webhook = load_function("WebhookFunction")
        processor = Processor(aws)
        counter = CallCounter()
        meter = UnitMeter(aws.session.client("dynamodb"), aws.table_name)
        ddb = Item._get_connection().connection.client
        counter.attach(ddb, "dynamodb")
        meter.attach(ddb)
        counter.attach(sqs._sqs(), "sqs")
        counter.attach(s3._s3(), "s3")
        counter.attach(processor.poller.sqs, "sqs")

        def conversation(phone: str, script=CONVERSATION, first: int = 0) -> list[dict]:
            rows = []
            for index, (step, body) in enumerate(script, start=first):
                counter.take()
                message_id = f"BENCH{phone[-4:]}{index:03d}"
                payload = body(phone, message_id) if callable(body) else step_payload(phone, message_id, body)
                event = webhook_event(payload)
                started = time.perf_counter()
                response = webhook.invoke(event)
                webhook_ms = (time.perf_counter() - started) * 1000
                assert response["statusCode"] == 200, response
                webhook_calls, webhook_params = counter.take()
                webhook_units = meter.units(webhook_params)
                before = len(processor.gateway.sent)
                invoke, durations = processor.function.invoke, []

                def timed(evt, _invoke=invoke, _durations=durations):
                    t0 = time.perf_counter()
                    try:
                        return _invoke(evt)
                    finally:
                        _durations.append((time.perf_counter() - t0) * 1000)

                processor.function.invoke = timed
                try:
                    handled = processor.poller.poll_once()
                finally:
                    processor.function.invoke = invoke
                assert handled == 1, f"{step}: {handled} messages handled"
                turn_calls, turn_params = counter.take()
                reads, writes = meter.units(turn_params)
                rows.append(
                    {
                        "step": step,
                        "replies": len(processor.gateway.sent) - before,
                        "webhook": {
                            "calls": summarize(webhook_calls),
                            "sqs": by_service(webhook_calls, "sqs"),
                            "dynamodb": by_service(webhook_calls, "dynamodb"),
                            "s3": by_service(webhook_calls, "s3"),
                            "rru": webhook_units[0],
                            "wru": webhook_units[1],
                            "ms": webhook_ms,
                        },
                        "turn": {
                            "calls": summarize(turn_calls),
                            "dynamodb": by_service(turn_calls, "dynamodb"),
                            "dynamodb_reads": sum(
                                n
                                for (s, o), n in turn_calls.items()
                                if s == "dynamodb" and o in ("Query", "GetItem", "Scan")
                            ),
                            "dynamodb_writes": sum(
                                n
                                for (s, o), n in turn_calls.items()
                                if s == "dynamodb" and o not in ("Query", "GetItem", "Scan")
                            ),
                            "sqs": by_service(turn_calls, "sqs"),
                            "s3": by_service(turn_calls, "s3"),
                            "rru": reads,
                            "wru": writes,
                            "ms": durations[0],
                        },
                    }
                )
            created = [t for _, _, t in processor.gateway.sent if phone in _ and "criado" in t]
            assert created, "the conversation did not create a ticket"
            return rows

        def agent_answers(phone: str, text: str) -> None:
            """An agent's action on the phone's last ticket, notified (not counted in the turns)."""
            created = [t for t in processor.gateway.texts_to(phone) if "criado" in t][-1]
            number = int(re.findall(r"Atendimento \*(\d+)\*", created)[0])
            action = post_action(
                Services(), number, author_kind="agent", author_name="Carlos", text=text, source="erp"
            )
            image = {
                "ticket_number": number,
                "requester_phone": phone,
                "instance": action.instance,
                "action_id": action.action_id,
                "author_name": "Carlos",
                "text": text,
            }
            notifications.notify_requester(image, Services(gateway=processor.gateway))

        def quoting(text: str):
            def payload(phone: str, message_id: str) -> dict:
                quoted = processor.gateway.id_of(phone, text)
                return evolution_quote(phone, message_id, "Ainda não funcionou", quoted)

            return payload

        cold = conversation(WARMUP_PHONE)  # a fresh container: per-container caches empty
        stats_consumer = StatsConsumer(aws)
        stats_consumer.drain()  # the seed's and the first conversation's changes
        warm = conversation(PHONE)
        # The counters: the stats consumer's batch of this conversation's changes (its source
        # batches a minute of changes; under load one batch carries many conversations).
        counter.take()
        changes = stats_consumer.drain()
        stats_calls, stats_params = counter.take()
        stats_units = meter.units(stats_params)
        # Issue 12: the mapping from a notification to its ticket. A quoted reply finds it in the
        # phone's partition (no extra read); the first plain message after a notification reads the
        # ticket to show it (one extra read, that message only).
        agent_answers(PHONE, "Pode testar agora?")
        replies = conversation(
            PHONE,
            (
                ("quoted reply to a notification", quoting("Pode testar agora?")),
                ("Fim (action posted)", "Fim"),
            ),
            first=len(CONVERSATION),
        )
        conversation(PHONE, (("sair", "sair"),), first=len(CONVERSATION) + 2)
        agent_answers(PHONE, "E agora?")
        after = conversation(
            PHONE, (("first message after a notification", "oi"),), first=len(CONVERSATION) + 3
        )

    def total(rows, part, key):
        return sum(row[part][key] for row in rows)

    result = {
        "conversation": [s for s, _ in CONVERSATION],
        "steps": warm,
        "cold_container_steps": cold,
        "after_notification_steps": replies + after,
    }
    for label, rows in (("warm", warm), ("cold", cold)):
        result[f"totals_{label}"] = {
            f"{part}_{key}": total(rows, part, key)
            for part in ("webhook", "turn")
            for key in ("dynamodb", "sqs", "s3", "rru", "wru", "ms")
        } | {
            "turns": len(rows),
            "replies": sum(r["replies"] for r in rows),
            "turn_dynamodb_reads": total(rows, "turn", "dynamodb_reads"),
            "turn_dynamodb_writes": total(rows, "turn", "dynamodb_writes"),
        }
    result["stats_consumer"] = {
        "changes": changes,
        "calls": summarize(stats_calls),
        "rru": stats_units[0],
        "wru": stats_units[1],
    }
    tw = result["totals_warm"]
    result["wru_per_conversation"] = tw["webhook_wru"] + tw["turn_wru"] + stats_units[1]
    result["floors"] = {"turn_dynamodb_reads": 1, "turn_dynamodb_writes": 1, "webhook_sqs": 1}
    return result


if __name__ == "__main__":
    print(json.dumps(run(), indent=1))
