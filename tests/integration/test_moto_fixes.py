"""The local stack's fast stream reads (local.moto_fixes) answer what moto itself would."""

from __future__ import annotations

import json

import boto3
from moto import mock_aws
from moto.core.responses import ActionContext, ActionResult
from moto.core.serialize import get_serializer_class
from moto.core.utils import get_service_model
from moto.dynamodbstreams.models import dynamodbstreams_backends
from moto.dynamodbstreams.responses import DynamoDBStreamsHandler

from local.moto_fixes import stream_records_json


def test_stream_records_are_serialized_as_moto_serializes_them():
    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name="us-east-1")
        stream_arn = dynamodb.create_table(
            TableName="t",
            KeySchema=[
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"},
            ],
            BillingMode="PAY_PER_REQUEST",
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        )["TableDescription"]["LatestStreamArn"]
        item = {
            "pk": {"S": "PHONE#5511999990000"},
            "sk": {"S": "CONVERSATION"},
            "count": {"N": "3"},
            "ratio": {"N": "0.25"},
            "done": {"BOOL": False},
            "blob": {"B": b"\x00\xffpdf"},
            "nothing": {"NULL": True},
            "tags": {"SS": ["a", "b"]},
            "sizes": {"NS": ["1", "2"]},
            "texts": {"L": [{"S": "oi"}, {"M": {"x": {"N": "1"}}}]},
            "draft": {"M": {"title": {"S": "Não imprime"}, "files": {"L": []}}},
        }
        dynamodb.put_item(TableName="t", Item=item)
        dynamodb.put_item(TableName="t", Item={**item, "count": {"N": "4"}})
        dynamodb.delete_item(TableName="t", Key={"pk": item["pk"], "sk": item["sk"]})

        backend = dynamodbstreams_backends["123456789012"]["us-east-1"]
        shard = backend.describe_stream(stream_arn)["Shards"][0]["ShardId"]
        iterator = backend.get_shard_iterator(stream_arn, shard, "TRIM_HORIZON", None).arn
        result = backend.get_records(iterator, 100)
        assert len(result["Records"]) == 3

        service = get_service_model("dynamodbstreams")
        context = ActionContext(
            service,
            service.operation_model("GetRecords"),
            get_serializer_class("dynamodbstreams", "json"),
            DynamoDBStreamsHandler(),
        )
        # moto's own answer (its generic serializer, which the fix skips) for the same records.
        _, _, moto_body = ActionResult(result).execute_result(context)

        assert json.loads(stream_records_json(result)) == json.loads(moto_body)
