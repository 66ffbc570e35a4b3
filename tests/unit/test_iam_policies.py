"""The IAM checks catch what moto cannot: an action allowed on a resource it does not take (the
static check of `make lint`), and a call a function makes that its policy does not allow (the
integration tests' recorder, over the policies rendered from template.yaml)."""

from __future__ import annotations

import copy

from scripts.iam_policies import findings
from tests.support.iam import _rendered, allowed, requested

JOB = "arn:aws:transcribe:us-east-1:123456789012:transcription-job/helpdesk-abc"


def scoped_start(rendered: dict) -> dict:
    """The policy as it was: StartTranscriptionJob allowed on this stack's job ARNs only."""
    broken = copy.deepcopy(rendered)
    broken["functions"]["NotifierFunction"] = [
        {
            "policy": "x",
            "actions": ["transcribe:StartTranscriptionJob"],
            "resources": [JOB.replace("abc", "*")],
        }
    ]
    return broken


def test_the_rendered_policies_let_the_notifier_start_jobs_and_the_transcriber_read_only_ours():
    rendered = _rendered()
    [(action, resource)] = requested(
        "transcribe", "StartTranscriptionJob", {"TranscriptionJobName": "helpdesk-abc"}
    )
    assert allowed("NotifierFunction", action, resource, {}, rendered)
    assert not allowed("NotifierFunction", action, resource, {}, scoped_start(rendered))
    [(get, job)] = requested("transcribe", "GetTranscriptionJob", {"TranscriptionJobName": "helpdesk-abc"})
    assert allowed("TranscriberFunction", get, job, {}, rendered)
    assert not allowed("TranscriberFunction", get, job.replace("helpdesk-", "other-"), {}, rendered)
    assert not allowed("StatsFunction", action, resource, {}, rendered)


def test_a_call_is_checked_on_the_resources_it_touches():
    names = {"Table": "t", "Table.Arn": "arn:aws:dynamodb:us-east-1:123456789012:table/t"}
    write = requested(
        "dynamodb",
        "TransactWriteItems",
        {"TransactItems": [{"Put": {"TableName": "t"}}, {"ConditionCheck": {"TableName": "t"}}]},
    )
    assert write == [
        ("dynamodb:PutItem", "arn:aws:dynamodb:us-east-1:123456789012:table/t"),
        ("dynamodb:ConditionCheckItem", "arn:aws:dynamodb:us-east-1:123456789012:table/t"),
    ]
    assert all(allowed("ProcessorFunction", a, r, names) for a, r in write)
    assert not allowed("WebhookFunction", "dynamodb:DeleteItem", write[0][1], names)  # read and write only
    copy_ = requested(
        "s3", "CopyObject", {"Bucket": "b", "Key": "k2", "CopySource": {"Bucket": "b", "Key": "k1"}}
    )
    assert copy_ == [("s3:PutObject", "arn:aws:s3:::b/k2"), ("s3:GetObject", "arn:aws:s3:::b/k1")]


def test_the_lint_flags_an_action_without_resource_types_scoped_to_an_arn():
    rendered = _rendered()
    assert findings(rendered) == []
    [problem] = findings(scoped_start(rendered))
    assert "NotifierFunction: transcribe:StartTranscriptionJob takes no resource" in problem
    broad = copy.deepcopy(rendered)
    broad["functions"]["StatsFunction"] = [{"policy": "x", "actions": ["dynamodb:Query"], "resources": ["*"]}]
    assert findings(broad) == ['StatsFunction: dynamodb:Query can be scoped to its resources, not "*"']
