"""Every AWS call a function makes, checked against that function's IAM policy as template.yaml
deploys it (moto enforces none: a missing permission would pass every local test).

`CallRecorder` hooks botocore where every call and every presigned URL passes
(`BaseClient._emit_api_params`) and notes (function, IAM action, resource ARN) for the calls made
while a function's handler runs (local.lambdas.RUNNING; thread pools inherit it here). `denied`
evaluates them against tests/fixtures/iam/policies.json (`make iam-policies` renders it from the
template, SAM policy templates expanded): Allow statements, action and resource wildcards; an
action the Service Authorization Reference lists without resource type is requested on "*".
"""

from __future__ import annotations

import contextvars
import fnmatch
import functools
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import botocore.client

from local.lambdas import ACCOUNT, REGION, RUNNING

POLICIES = Path(__file__).resolve().parents[1] / "fixtures" / "iam" / "policies.json"
ARN = f"{REGION}:{ACCOUNT}"

# Operations whose IAM action has another name.
RENAMED = {
    ("s3", "HeadObject"): "GetObject",
    ("s3", "CopyObject"): "PutObject",
    ("s3", "UploadPartCopy"): "PutObject",
    ("s3", "ListObjectsV2"): "ListBucket",
    ("s3", "ListObjects"): "ListBucket",
    ("s3", "HeadBucket"): "ListBucket",
    ("s3", "CreateMultipartUpload"): "PutObject",
    ("s3", "UploadPart"): "PutObject",
    ("s3", "CompleteMultipartUpload"): "PutObject",
    ("s3", "ListParts"): "ListMultipartUploadParts",
    ("s3", "DeleteObjects"): "DeleteObject",
    ("sqs", "SendMessageBatch"): "SendMessage",
    ("sqs", "DeleteMessageBatch"): "DeleteMessage",
    ("sqs", "ChangeMessageVisibilityBatch"): "ChangeMessageVisibility",
}
TRANSACT = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
}


def _table(name: str, index: str | None = None) -> str:
    arn = f"arn:aws:dynamodb:{ARN}:table/{name}"
    return f"{arn}/index/{index}" if index else arn


def requested(service: str, operation: str, params: dict[str, Any]) -> list[tuple[str, str]]:
    """The (IAM action, resource ARN) pairs one call is authorized as."""
    action = f"{service}:{RENAMED.get((service, operation), operation)}"
    if service == "dynamodb":
        if operation in ("TransactWriteItems", "TransactGetItems"):
            pairs = []
            for item in params.get("TransactItems", []):
                [(kind, body)] = item.items()
                name = TRANSACT.get(kind, "GetItem")
                pairs.append((f"dynamodb:{name}", _table(body["TableName"])))
            return pairs
        if operation in ("BatchGetItem", "BatchWriteItem"):
            return [(action, _table(name)) for name in params.get("RequestItems", {})]
        return (
            [(action, _table(params["TableName"], params.get("IndexName")))]
            if "TableName" in params
            else [(action, "*")]
        )
    if service == "s3":
        bucket = params.get("Bucket", "")
        if operation == "DeleteObjects":
            return [(action, f"arn:aws:s3:::{bucket}/{o['Key']}") for o in params["Delete"]["Objects"]]
        pairs = [
            (
                action,
                f"arn:aws:s3:::{bucket}/{params['Key']}" if "Key" in params else f"arn:aws:s3:::{bucket}",
            )
        ]
        if isinstance(source := params.get("CopySource"), dict):
            pairs.append(("s3:GetObject", f"arn:aws:s3:::{source['Bucket']}/{source['Key']}"))
        return pairs
    if service == "sqs":
        name = (
            urlparse(params["QueueUrl"]).path.rsplit("/", 1)[-1]
            if "QueueUrl" in params
            else params.get("QueueName", "*")
        )
        return [(action, f"arn:aws:sqs:{ARN}:{name}")]
    if service == "transcribe" and "TranscriptionJobName" in params:
        return [(action, f"arn:aws:transcribe:{ARN}:transcription-job/{params['TranscriptionJobName']}")]
    if service == "cognito-idp" and "UserPoolId" in params:
        return [(action, f"arn:aws:cognito-idp:{ARN}:userpool/{params['UserPoolId']}")]
    if service == "secretsmanager" and "SecretId" in params:
        return [(action, params["SecretId"])]
    return [(action, "*")]


class CallRecorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str]] = []  # (function, action, resource)

    def install(self, monkeypatch) -> None:
        emit = botocore.client.BaseClient._emit_api_params
        recorder = self

        def recording(client, api_params, operation_model, context):
            function = RUNNING.get()
            if function is not None and operation_model.auth_type != "none":  # unsigned calls ask no IAM
                service = client.meta.service_model.signing_name
                for action, resource in requested(service, operation_model.name, api_params):
                    recorder.calls.append((function, action, resource))
            return emit(client, api_params=api_params, operation_model=operation_model, context=context)

        monkeypatch.setattr(botocore.client.BaseClient, "_emit_api_params", recording)
        submit = ThreadPoolExecutor.submit

        def submit_in_context(pool, fn, /, *args, **kwargs):  # a handler's threads are still the handler
            return submit(pool, contextvars.copy_context().run, fn, *args, **kwargs)

        monkeypatch.setattr(ThreadPoolExecutor, "submit", submit_in_context)


@functools.cache
def _rendered() -> dict[str, Any]:
    return json.loads(POLICIES.read_text())


def resolved(pattern: str, names: dict[str, str]) -> str:
    """A rendered resource with the local names of the template's resources (${Table}, ${X.Arn})."""
    for token, value in names.items():
        pattern = pattern.replace("${" + token + "}", value)
    return pattern


def local_names(resources) -> dict[str, str]:
    """The symbolic names of the rendered policies, for the resources the local stack made."""
    names: dict[str, str] = {}
    for logical_id, table in resources.tables.items():
        names[logical_id] = table
        names[f"{logical_id}.Arn"] = _table(table)
        names[f"{logical_id}.StreamArn"] = resources.stream_arns.get(logical_id, "")
    for logical_id, bucket in resources.buckets.items():
        names[logical_id] = bucket
        names[f"{logical_id}.Arn"] = f"arn:aws:s3:::{bucket}"
    for logical_id, url in resources.queue_urls.items():
        names[logical_id] = url
        names[f"{logical_id}.QueueName"] = url.rsplit("/", 1)[-1]
        names[f"{logical_id}.Arn"] = resources.queue_arns[logical_id]
    for logical_id, pool in resources.user_pools.items():
        names[logical_id] = pool
        names[f"{logical_id}.Arn"] = f"arn:aws:cognito-idp:{ARN}:userpool/{pool}"
    return names


def allowed(
    function: str, action: str, resource: str, names: dict[str, str], rendered: dict[str, Any] | None = None
) -> bool:
    rendered = rendered or _rendered()
    if action.lower() in rendered["resource_less_actions"]:
        resource = "*"
    for statement in rendered["functions"].get(function, []):
        if not any(fnmatch.fnmatchcase(action.lower(), a.lower()) for a in statement["actions"]):
            continue
        if any(fnmatch.fnmatchcase(resource, resolved(r, names)) for r in statement["resources"]):
            return True
    return False


def denied(calls: list[tuple[str, str, str]], names: dict[str, str]) -> list[str]:
    """What IAM would refuse, one line each: the function, the action, the resource."""
    return sorted(
        {
            f"{function} may not {action} on {resource}"
            for function, action, resource in set(calls)
            if not allowed(function, action, resource, names)
        }
    )
