"""moto, fixed where the local stack needs it to behave like AWS under load, and stay fast over a
long session, so the figures measure our code, not moto's. The local stack, the integration and
fault suites and the bench install it.

- DynamoDB and its streams (local.moto_dynamodb): a transaction saves and restores only the items
  it touches and a cancelled one leaves nothing in the stream; one request at a time (moto's
  backend is not safe across threads: the processor runs a batch's phones on threads of their own,
  the local stack's server answers each request on a thread); a Query on the table's key reads its
  partition only; GetRecords and the item operations skip moto's generic serializer.
- SQS (local.moto_sqs): the plain clock, FIFO groups redelivered in order, operations atomic.
- Cognito (local.moto_cognito): RevokeToken, the ID token's `email`, and invitations with a
  generated temporary password (`INVITATIONS`).
- The server finds its backends without listing its package folder on every request.
"""

from __future__ import annotations

import threading

from local import moto_cognito, moto_dynamodb, moto_sqs
from local.moto_cognito import INVITATIONS, temporary_password
from local.moto_dynamodb import ITEM_OPERATIONS, dynamodb_answer, stream_records_json

__all__ = [
    "INVITATIONS",
    "ITEM_OPERATIONS",
    "dynamodb_answer",
    "install",
    "stream_records_json",
    "temporary_password",
]

_installed = False
_lock = threading.Lock()


def install() -> None:
    global _installed
    with _lock:
        if _installed:
            return
        moto_dynamodb.install()
        moto_sqs.install()
        moto_cognito.install()
        # moto's server lists its package folder (a stat per service, ~250) on every request to
        # find the backend, under a lock all requests share: the folder does not change.
        from moto import backends

        modules = tuple(backends.list_of_moto_modules())
        backends.list_of_moto_modules = lambda: modules
        _installed = True
