"""US$ per 1,000 ticket-opening conversations on AWS list prices (bench/prices.json), from the
counted requests and the measured handler durations (bench.counts), memory sizes from template.yaml."""

from __future__ import annotations

import json
import math
from pathlib import Path

PRICES = Path(__file__).with_name("prices.json")


def memory_sizes() -> dict[str, int]:
    from local import cfn

    return {spec.logical_id: spec.memory for spec in cfn.functions(cfn.load_template())}


def estimate(counts: dict, prices: dict | None = None) -> dict:
    prices = prices or json.loads(PRICES.read_text())
    assume = prices["assumptions"]
    memory = memory_sizes()
    steps = counts["steps"]  # warm container: the steady state
    conversations = 1000

    def gb_seconds(function: str, milliseconds: float) -> float:
        return memory[function] / 1024 * math.ceil(milliseconds) / 1000  # billed per 1 ms

    webhooks = len(steps) * assume["webhooks_per_message"]
    webhook_gbs = sum(gb_seconds("WebhookFunction", s["webhook"]["ms"]) for s in steps)
    turn_invocations = len(steps) / assume["processor_batch_size"]
    processor_gbs = sum(
        gb_seconds("ProcessorFunction", s["turn"]["ms"] + s["replies"] * assume["gateway_send_ms"])
        for s in steps
    )
    notifier_calls = assume["notifier_invocations_per_conversation"]
    notifier_gbs = notifier_calls * gb_seconds("NotifierFunction", assume["notifier_ms"])
    sqs_requests = sum(s["webhook"]["sqs"] + s["turn"]["sqs"] for s in steps)
    rru = sum(s["webhook"]["rru"] + s["turn"]["rru"] for s in steps)
    # The stats consumer's batch (one per minute of changes; counted here as one per conversation,
    # the most a single conversation can cost it).
    stats = counts.get("stats_consumer", {"wru": 0, "rru": 0})
    wru = sum(s["webhook"]["wru"] + s["turn"]["wru"] for s in steps) + stats["wru"]
    rru += stats["rru"]
    s3_put = sum(
        s["webhook"]["calls"].get("s3:PutObject", 0) + s["turn"]["calls"].get("s3:PutObject", 0)
        for s in steps
    )
    s3_get = sum(
        s["webhook"]["calls"].get("s3:GetObject", 0) + s["turn"]["calls"].get("s3:GetObject", 0)
        for s in steps
    )
    lines = {
        "Lambda requests": (webhooks + turn_invocations + notifier_calls) * prices["lambda_request"],
        "Lambda GB-s (arm64)": (webhook_gbs + processor_gbs + notifier_gbs)
        * prices["lambda_arm64_gb_second"],
        "HTTP API requests": webhooks * prices["http_api_request_512kb"],
        "SQS FIFO requests": sqs_requests * prices["sqs_fifo_request_64kb"],
        "DynamoDB writes (WRU)": wru * prices["dynamodb_on_demand_write_request_unit"],
        "DynamoDB reads (RRU)": rru * prices["dynamodb_on_demand_read_request_unit"],
        "S3 PUT/GET": s3_put * prices["s3_standard_put"] + s3_get * prices["s3_standard_get"],
    }
    per_1000 = {name: value * conversations for name, value in lines.items()}
    per_1000["Secrets Manager API calls (amortized)"] = (
        assume["secrets_manager_calls_per_1000_conversations"] * prices["secrets_manager_api_call"]
    )
    total = sum(per_1000.values())
    return {
        "region": prices["region"],
        "prices_as_of": prices["as_of"],
        "conversations": conversations,
        "per_conversation_inputs": {
            "messages": len(steps),
            "webhook_invocations": webhooks,
            "processor_invocations": turn_invocations,
            "notifier_invocations": notifier_calls,
            "lambda_gb_seconds": webhook_gbs + processor_gbs + notifier_gbs,
            "sqs_requests": sqs_requests,
            "rru": rru,
            "wru": wru,
            "s3_put": s3_put,
            "s3_get": s3_get,
            "memory_mb": memory,
        },
        "usd_per_1000_conversations": per_1000,
        "total_usd_per_1000_conversations": total,
        "excluded": "CloudWatch Logs ingestion, X-Ray traces, storage (DynamoDB GB-month, S3 GB-month), the "
        "secrets' monthly fee, idle SQS long polls of the event source mapping, data transfer",
    }
