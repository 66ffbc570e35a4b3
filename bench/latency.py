"""Local-stack latency: webhook POST -> the reply visible at the simulator's outbox, against the
local stack (`python -m local`, started by local.launch.start_stack), beside the same run's
floor: the bare moto calls a turn needs (one Query, one TransactWriteItems, one UpdateItem, SQS
send/receive/delete) timed against the same moto server, interleaved with the messages."""

from __future__ import annotations

import json
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import requests

from bench.harness import CONVERSATION, evolution_text

MESSAGES = 300
POLL_SECONDS = 0.003
SETTLE_SECONDS = 0.05
TEXT_STEPS = [body for _, body in CONVERSATION if body is not None]


def percentiles(values: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {
        "p50_ms": cuts[49],
        "p95_ms": cuts[94],
        "p99_ms": cuts[98],
        "mean_ms": statistics.fmean(values),
        "max_ms": max(values),
        "n": len(values),
    }


class Floor:
    """The requests of one turn, bare, against the stack's moto server."""

    def __init__(self, endpoint: str) -> None:
        import boto3

        session = boto3.session.Session(
            aws_access_key_id="local", aws_secret_access_key="local", region_name="us-east-1"
        )
        self.ddb = session.client("dynamodb", endpoint_url=endpoint)
        self.sqs = session.client("sqs", endpoint_url=endpoint)
        self.table = "helpdesk-Table"
        self.queue = self.sqs.create_queue(
            QueueName="bench-floor.fifo", Attributes={"FifoQueue": "true", "VisibilityTimeout": "30"}
        )["QueueUrl"]
        self.state = "x" * 700  # about a conversation item's size

    def turn(self, n: int) -> tuple[float, float]:
        key = {"pk": {"S": "BENCH#floor"}, "sk": {"S": "CONVERSATION"}}
        started = time.perf_counter()
        self.sqs.send_message(
            QueueUrl=self.queue,
            MessageBody="{}",
            MessageGroupId="floor",
            MessageDeduplicationId=uuid.uuid4().hex,
        )
        [message] = self.sqs.receive_message(QueueUrl=self.queue, MaxNumberOfMessages=10)["Messages"]
        self.ddb.query(
            TableName=self.table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": "BENCH#floor"}},
        )
        self.ddb.transact_write_items(
            TransactItems=[
                {
                    "Put": {
                        "TableName": self.table,
                        "Item": {**key, "state": {"S": self.state}, "n": {"N": str(n)}},
                    }
                },
                {
                    "Update": {
                        "TableName": self.table,
                        "Key": {"pk": {"S": "BENCH#floor"}, "sk": {"S": "STATS"}},
                        "UpdateExpression": "ADD received :one",
                        "ExpressionAttributeValues": {":one": {"N": "1"}},
                    }
                },
            ]
        )
        critical = time.perf_counter()  # a reply goes out here: before the outbox mark and the delete
        self.ddb.update_item(
            TableName=self.table,
            Key=key,
            UpdateExpression="SET sent = :t",
            ExpressionAttributeValues={":t": {"BOOL": True}},
        )
        self.sqs.delete_message(QueueUrl=self.queue, ReceiptHandle=message["ReceiptHandle"])
        return (critical - started) * 1000, (time.perf_counter() - started) * 1000


def run(messages: int = MESSAGES, expected_replies: list[int] | None = None) -> dict:
    from local.launch import start_stack, stop_stack
    from local.stack import free_port

    moto_port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        process, stack = start_stack(Path(tmp), MOTO_PORT=str(moto_port), LOCAL_LOG_LEVEL="WARNING")
        try:
            floor = Floor(f"http://127.0.0.1:{moto_port}")
            for n in range(3):
                floor.turn(-n)  # connections and the queue warmed
            http = requests.Session()
            latencies, floors, critical, last_seq = [], [], [], 0
            phones = (messages + len(TEXT_STEPS) - 1) // len(TEXT_STEPS)
            for n in range(messages):
                phone, step = f"55319{n // len(TEXT_STEPS):08d}", n % len(TEXT_STEPS)
                payload = evolution_text(phone, f"LAT{n:06d}", TEXT_STEPS[step])
                wanted = (expected_replies or [1] * len(TEXT_STEPS))[step]
                started = time.perf_counter()
                response = http.post(
                    f"{stack.url}/webhooks/evolution",
                    json=payload,
                    headers={"x-webhook-token": stack.webhook_token},
                    timeout=10,
                )
                assert response.status_code == 200, response.text
                seen, first = 0, None
                deadline = started + 30
                while seen < wanted:
                    got = http.get(
                        f"{stack.url}/simulator/api/messages",
                        params={"phone": phone, "after": last_seq},
                        timeout=10,
                    ).json()
                    if got["messages"]:
                        first = first or time.perf_counter()
                        seen += len(got["messages"])
                        last_seq = got["messages"][-1]["seq"]
                    elif time.perf_counter() > deadline:
                        raise RuntimeError(f"no reply to message {n} in 30 s:\n{stack.log()[-2000:]}")
                    else:
                        time.sleep(POLL_SECONDS)
                latencies.append((first - started) * 1000)
                time.sleep(SETTLE_SECONDS)  # the turn's outbox mark and stream work, before the floor
                before_reply, whole = floor.turn(n)
                critical.append(before_reply)
                floors.append(whole)
        finally:
            stop_stack(process)
    return {
        "messages": messages,
        "phones": phones,
        "latency": percentiles(latencies),
        "floor": percentiles(floors),
        "floor_to_reply": percentiles(critical),
        "samples_ms": latencies,
        "floor_samples_ms": floors,
    }


if __name__ == "__main__":
    result = run(60)
    print(json.dumps({k: v for k, v in result.items() if "samples" not in k}, indent=1))
