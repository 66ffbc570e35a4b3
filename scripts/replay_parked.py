"""`make replay`: hands the table-stream batches parked in the stream failure bucket back to the
function that failed them, oldest first.

A stream event source mapping that gave up on a batch (retries spent, or records older than
MaximumRecordAgeInSeconds) writes the whole invocation record to the bucket: the function's ARN,
the batch's sequence numbers and the payload, the very {"Records": [...]} event it failed on. Fix
the cause first (the ERP back up, a bug deployed away), then replay: each object's payload is
invoked again, synchronously; what succeeds (no error, no batchItemFailures) moves to replayed/,
what fails stays where it was for the next run. Replaying is safe twice: notifications, ERP events
and transcription jobs each happen once per record (idempotency keys), and the counters' batch
markers recognize a batch counted before.

Usage: make replay [BUCKET=...] [DRY_RUN=1] (bucket default: the stack's StreamFailureBucketName
output; STACK_NAME, AWS credentials and region as the AWS CLI finds them).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PARKED = "aws/lambda/"  # where Lambda writes them
REPLAYED = "replayed/"

Invoke = Callable[[str, bytes], dict[str, Any]]


@dataclass
class Outcome:
    key: str
    function: str
    records: int
    ok: bool
    detail: str = ""


def parked(s3, bucket: str) -> Iterator[dict[str, Any]]:
    """The parked objects, oldest first (a shard's failures replay in their order)."""
    found = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=PARKED):
        found += page.get("Contents", [])
    yield from sorted(found, key=lambda item: (item["LastModified"], item["Key"]))


def payload_of(record: dict[str, Any]) -> bytes:
    payload = record["payload"]
    return payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()


def succeeded(response: dict[str, Any]) -> tuple[bool, str]:
    body = response.get("Payload")
    text = body.read() if hasattr(body, "read") else (body or b"")
    if response.get("FunctionError"):
        return False, f"{response['FunctionError']}: {text[:300]!r}"
    answer = json.loads(text or b"null")
    failures = answer.get("batchItemFailures") if isinstance(answer, dict) else None
    return (False, f"{len(failures)} records failed again") if failures else (True, "")


def replay(s3, bucket: str, invoke: Invoke, dry_run: bool = False) -> list[Outcome]:
    outcomes = []
    for item in parked(s3, bucket):
        record = json.loads(s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read())
        function = record["requestContext"]["functionArn"]
        size = int(record.get("DDBStreamBatchInfo", {}).get("batchSize", 0))
        if dry_run:
            outcomes.append(Outcome(item["Key"], function, size, ok=False, detail="dry run"))
            continue
        ok, detail = succeeded(invoke(function, payload_of(record)))
        if ok:
            s3.copy_object(
                Bucket=bucket, Key=REPLAYED + item["Key"], CopySource={"Bucket": bucket, "Key": item["Key"]}
            )
            s3.delete_object(Bucket=bucket, Key=item["Key"])
        outcomes.append(Outcome(item["Key"], function, size, ok, detail))
    return outcomes


def lambda_invoker(client) -> Invoke:
    def invoke(function: str, payload: bytes) -> dict[str, Any]:
        return client.invoke(FunctionName=function, InvocationType="RequestResponse", Payload=payload)

    return invoke


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bucket", help="default: the stack's StreamFailureBucketName output")
    parser.add_argument("--dry-run", action="store_true", help="list what would be replayed")
    args = parser.parse_args(argv)
    import boto3

    bucket = args.bucket
    if not bucket:
        sys.path.insert(0, str(ROOT))
        from scripts.smoke import default_stack_name

        stack_name = os.environ.get("STACK_NAME") or default_stack_name()
        stack = boto3.client("cloudformation").describe_stacks(StackName=stack_name)["Stacks"][0]
        bucket = {o["OutputKey"]: o["OutputValue"] for o in stack["Outputs"]}["StreamFailureBucketName"]
    outcomes = replay(boto3.client("s3"), bucket, lambda_invoker(boto3.client("lambda")), args.dry_run)
    for outcome in outcomes:
        state = "replayed" if outcome.ok else f"kept ({outcome.detail})"
        print(f"{outcome.key}: {outcome.records} records -> {outcome.function}: {state}")
    print(f"{sum(o.ok for o in outcomes)} of {len(outcomes)} parked batches replayed")
    return 0 if all(o.ok for o in outcomes) or args.dry_run else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
