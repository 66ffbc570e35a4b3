"""Run-once for the three places that must not act twice on a redelivery: ERP events received,
requester notifications and deliveries to the ERP.

Powertools idempotency records live on the single table, one partition per use (see
`helpdesk.storage.models.idempotency_pk`); the table's TTL attribute (expires_at) removes them a
day later. Every use has the same config but its own key path, its own record prefix and its own
store (a store keeps the first config, key path included, it is used with).

Powertools' DynamoDB store imports boto3 whole (40-60 ms), so it is imported where the first store
is made (`store`, at a function's first event), or before a SnapStart snapshot (`preload`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

# isort: off
from helpdesk import lazy_packages  # noqa: F401 (first: enters the package imported below)
# isort: on

from aws_lambda_powertools.utilities.idempotency import (  # noqa: TID251
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import (  # noqa: TID251
    IdempotencyAlreadyInProgressError as AlreadyInProgress,
)
from msgspec import Struct

from helpdesk import caches
from helpdesk.storage.models import idempotency_pk

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer  # noqa: TID251

__all__ = ["AlreadyInProgress", "once", "preload", "register_lambda_context", "store"]

EXPIRES_AFTER_SECONDS = 24 * 3600


class Use(Struct, frozen=True):
    partition: str  # IDEMPOTENCY#<partition>
    key_prefix: str  # the records' sort key prefix
    config: IdempotencyConfig


def _use(partition: str, key_prefix: str, key_path: str) -> Use:
    config = IdempotencyConfig(
        event_key_jmespath=key_path,
        raise_on_no_idempotency_key=True,
        expires_after_seconds=EXPIRES_AFTER_SECONDS,
    )
    return Use(partition, key_prefix, config)


ERP_EVENT = _use("erp", "erp-event", "event_id")
NOTIFY = _use("notify", "notify", "action_id")
# A refused notification's re-engagement template: once per action, in the notifications' store.
REENGAGE = Use(NOTIFY.partition, "reengage", NOTIFY.config)
ERP_DELIVERY = _use("erp-outbound", "erp-outbound", "event_id")
USES = (ERP_EVENT, NOTIFY, ERP_DELIVERY)


def preload() -> None:
    """Imports the DynamoDB store (and boto3 with it): a SnapStart snapshot taken after this holds them."""
    from aws_lambda_powertools.utilities.idempotency.persistence import dynamodb  # noqa: F401, TID251


@caches.cached
def store(table_name: str, partition: str) -> DynamoDBPersistenceLayer:
    from aws_lambda_powertools.utilities.idempotency.persistence.dynamodb import (  # noqa: TID251
        DynamoDBPersistenceLayer,
    )

    return DynamoDBPersistenceLayer(
        table_name=table_name,
        key_attr="pk",
        sort_key_attr="sk",
        static_pk_value=idempotency_pk(partition),
        expiry_attr="expires_at",
    )


def register_lambda_context(context: Any) -> None:
    """An invocation that dies mid-way leaves its records "in progress" only until its timeout."""
    for use in USES:
        use.config.register_lambda_context(context)


def once(use: Use, function: Callable[..., Any], *, table_name: str, data_keyword: str) -> Callable[..., Any]:
    """`function`, run at most once per value of the use's key in its `data_keyword` argument;
    a repeat returns the first run's result."""
    return idempotent_function(
        function,
        data_keyword_argument=data_keyword,
        persistence_store=store(table_name, use.partition),
        config=use.config,
        key_prefix=use.key_prefix,
    )
