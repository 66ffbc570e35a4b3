"""Integration tests run against moto in-process, with the table, queues and bucket built from
template.yaml by the same code the local stack uses (so tests, local and AWS cannot drift)."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from moto import mock_aws

from local import moto_fixes
from local.seed import seed_demo_data
from local.testing.whatsapp import MARIA, Processor
from local.testing.whatsapp import Requester as Phone
from tests.support import iam
from tests.support.aws_account import fresh_account

# As the local stack and the fault suite: moto answers DynamoDB requests one at a time (the
# processor runs a batch's phones on threads) and a cancelled transaction leaves no stream records.
moto_fixes.install()


@pytest.fixture
def aws(monkeypatch):
    """A fresh moto account with the template's resources; env and models point at them. The
    resources are made once per test process and emptied for each test (tests/support/aws_account.py)."""
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "SECRETS_NAMES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    # Every AWS call a function's handler makes, checked against its IAM policy at the end.
    recorder = iam.CallRecorder()
    recorder.install(monkeypatch)
    with _moto_keeping_data():
        made, environment = fresh_account()
        # The functions' environment as deployed, then the local stand-ins for the secrets.
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("WEBHOOK_TOKEN", "test-webhook-token")
        monkeypatch.setenv("ERP_HMAC_SECRET", "test-erp-secret")
        monkeypatch.setenv("PORTAL_SESSION_KEY", "test-portal-key")
        monkeypatch.setenv("ADMIN_TOKEN", "test-admin-token")
        _reset_process_caches()
        yield made
        _reset_process_caches()
        if refused := iam.denied(recorder.calls, iam.local_names(made.resources)):
            pytest.fail("IAM would refuse (template.yaml Policies):\n" + "\n".join(refused))


@contextmanager
def _moto_keeping_data():
    """moto's mock, its data left for the next test (fresh_account resets it, keeping what it reuses)."""
    mock = mock_aws()
    mock.start(reset=False)
    try:
        yield
    finally:
        mock.stop(remove_data=False)


def _reset_process_caches() -> None:
    from helpdesk import caches

    caches.reset()  # clients, settings, lookups and the models' table: all from the env set here


@pytest.fixture
def processor(aws):
    """The processor function over `make dev`'s demo data (companies, request types)."""
    seed_demo_data()
    return Processor(aws)


@pytest.fixture
def maria(processor):
    """A requester writing to the bot from MARIA (not registered yet)."""
    return Phone(processor, MARIA)
