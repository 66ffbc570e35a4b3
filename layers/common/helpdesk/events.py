"""Powertools' event classes, without the package's list of every event source (see
`helpdesk.lazy_packages`). The project imports them from here only (ruff's banned-api rule)."""

from __future__ import annotations

# isort: off
from helpdesk import lazy_packages  # noqa: F401 (first: enters the packages imported below)
# isort: on

from aws_lambda_powertools.utilities.data_classes.api_gateway_proxy_event import (  # noqa: TID251
    APIGatewayProxyEventV2,
)
from aws_lambda_powertools.utilities.data_classes.common import BaseProxyEvent  # noqa: TID251
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import (  # noqa: TID251
    DynamoDBRecord,
    DynamoDBRecordEventName,
)
from aws_lambda_powertools.utilities.data_classes.event_bridge_event import (  # noqa: TID251
    EventBridgeEvent,
)

__all__ = [
    "APIGatewayProxyEventV2",
    "BaseProxyEvent",
    "DynamoDBRecord",
    "DynamoDBRecordEventName",
    "EventBridgeEvent",
]
