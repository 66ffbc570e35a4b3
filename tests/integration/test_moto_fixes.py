"""local.moto_fixes: the local stack's fast stream reads answer what moto itself would; a cancelled
transaction leaves nothing behind, in the table or its stream; requests on threads do not race."""

from __future__ import annotations

import json
import sys
import threading

import boto3
import pytest
from moto import mock_aws
from moto.core.responses import ActionContext, ActionResult
from moto.core.serialize import get_serializer_class
from moto.core.utils import get_service_model
from moto.dynamodbstreams.models import dynamodbstreams_backends
from moto.dynamodbstreams.responses import DynamoDBStreamsHandler

from local import moto_fixes
from local.moto_fixes import stream_records_json


def create_table(dynamodb) -> str:
    """A table like the template's (pk, sk, a NEW_AND_OLD_IMAGES stream); returns its stream ARN."""
    return dynamodb.create_table(
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


def stream_records(stream_arn: str) -> list[dict]:
    backend = dynamodbstreams_backends["123456789012"]["us-east-1"]
    shard = backend.describe_stream(stream_arn)["Shards"][0]["ShardId"]
    iterator = backend.get_shard_iterator(stream_arn, shard, "TRIM_HORIZON", None).arn
    return backend.get_records(iterator, 1000)["Records"]


def test_stream_records_are_serialized_as_moto_serializes_them():
    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name="us-east-1")
        stream_arn = create_table(dynamodb)
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


@pytest.fixture
def fixed_moto():
    moto_fixes.install()
    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name="us-east-1")
        yield dynamodb, create_table(dynamodb)


def test_a_cancelled_transaction_leaves_the_table_and_its_stream_as_they_were(fixed_moto):
    dynamodb, stream_arn = fixed_moto
    key = {"pk": {"S": "PHONE#5511999990000"}, "sk": {"S": "CONVERSATION"}}
    dynamodb.put_item(TableName="t", Item={**key, "outbox_message_id": {"S": "M1"}})
    with pytest.raises(dynamodb.exceptions.TransactionCanceledException):
        dynamodb.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": "t", "Item": {**key, "outbox_message_id": {"S": "M2"}}}},
                {
                    "Put": {
                        "TableName": "t",
                        "Item": {"pk": {"S": "TICKET#1"}, "sk": {"S": "META"}},
                        "ConditionExpression": "attribute_exists(pk)",
                    }
                },
            ]
        )
    assert dynamodb.get_item(TableName="t", Key=key)["Item"]["outbox_message_id"] == {"S": "M1"}
    # A stream consumer sees only the first put: an item restored must not read as written anew.
    assert [r["eventName"] for r in stream_records(stream_arn)] == ["INSERT"]


def test_queries_and_writes_on_threads_do_not_race(fixed_moto):
    dynamodb, _ = fixed_moto
    errors: list[Exception] = []

    def write(n: int) -> None:
        try:
            for i in range(200):
                dynamodb.put_item(TableName="t", Item={"pk": {"S": f"P{n}#{i}"}, "sk": {"S": "META"}})
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    def query() -> None:
        try:
            for _ in range(150):
                dynamodb.query(
                    TableName="t",
                    KeyConditionExpression="pk = :pk",
                    ExpressionAttributeValues={":pk": {"S": "P0#0"}},
                )
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    threads += [threading.Thread(target=query) for _ in range(4)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch often, as on a busy machine
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert errors == []
    assert dynamodb.scan(TableName="t", Select="COUNT")["Count"] == 800
