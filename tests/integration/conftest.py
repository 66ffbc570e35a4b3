"""Integration tests run against moto in-process, with the table, queues and bucket built from
template.yaml by the same code the local stack uses (so tests, local and AWS cannot drift)."""

from __future__ import annotations

from dataclasses import dataclass

import boto3
import pytest
from moto import mock_aws

from local import cfn, moto_fixes
from local.stack import LocalResources, create_resources, function_environment

# As the local stack and the fault suite: moto answers DynamoDB requests one at a time (the
# processor runs a batch's phones on threads) and a cancelled transaction leaves no stream records.
moto_fixes.install()


@dataclass
class Aws:
    session: boto3.session.Session
    resources: LocalResources

    @property
    def table_name(self) -> str:
        return self.resources.tables["Table"]

    @property
    def queue_url(self) -> str:
        return self.resources.queue_urls["InboundQueue"]

    @property
    def dead_letter_queue_url(self) -> str:
        return self.resources.queue_urls["InboundDeadLetterQueue"]

    @property
    def bucket(self) -> str:
        return self.resources.buckets["MediaBucket"]


@pytest.fixture
def aws(monkeypatch):
    """A fresh moto account with the template's resources; env and models point at them."""
    for name in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "SECRETS_NAMES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    with mock_aws():
        session = boto3.session.Session()
        template = cfn.load_template()
        resources = create_resources(template, session)
        made = Aws(session, resources)
        # The functions' environment as deployed, then the local stand-ins for the secrets.
        for name, value in function_environment(template, resources).items():
            monkeypatch.setenv(name, value)
        monkeypatch.delenv("SECRETS_NAMES", raising=False)
        monkeypatch.setenv("TABLE_NAME", made.table_name)
        monkeypatch.setenv("QUEUE_URL", made.queue_url)
        monkeypatch.setenv("MEDIA_BUCKET", made.bucket)
        monkeypatch.setenv("WHATSAPP_GATEWAY", "simulator")
        monkeypatch.setenv("WEBHOOK_TOKEN", "test-webhook-token")
        monkeypatch.setenv("ERP_HMAC_SECRET", "test-erp-secret")
        monkeypatch.setenv("PORTAL_SESSION_KEY", "test-portal-key")
        monkeypatch.setenv("ADMIN_TOKEN", "test-admin-token")
        _reset_process_caches()
        yield made
        _reset_process_caches()


def _reset_process_caches() -> None:
    from helpdesk import caches

    caches.reset()  # clients, settings, lookups and the models' table: all from the env set here
