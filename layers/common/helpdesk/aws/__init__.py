"""The AWS services the helpdesk calls itself, one module per service (`s3`, `sqs`,
`cognito`, `transcribe`), and their clients, made with botocore.

boto3 adds resources and S3 transfer helpers on top of botocore; nothing here uses them, and
importing boto3 (with s3transfer) costs every cold start about 15 ms. pynamodb, for DynamoDB, is
built on botocore too. Configuration (region, credentials, AWS_ENDPOINT_URL) is botocore's own.
"""

from __future__ import annotations

import threading
from typing import Any

import botocore.session
from botocore.config import Config

from helpdesk import caches

# A botocore session is not thread-safe while it makes clients (the processor's phone threads may
# each make the first S3 client of a container); the clients it returns are.
_creating = threading.Lock()


@caches.cached
def _session() -> botocore.session.Session:
    return botocore.session.get_session()


def client(service: str, config: Config | None = None) -> Any:
    """A new client; callers keep it in a `caches.cached` function (one per container)."""
    with _creating:
        return _session().create_client(service, config=config)
