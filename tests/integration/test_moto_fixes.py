"""local.moto_fixes: the local stack's fast stream reads answer what moto itself would; a cancelled
transaction leaves nothing behind, in the table or its stream; requests on threads do not race."""

from __future__ import annotations

import json

import boto3
import pytest
from moto import mock_aws
from moto.core.responses import ActionContext, ActionResult, BaseResponse
from moto.core.serialize import get_serializer_class
from moto.core.utils import get_service_model
from moto.dynamodbstreams.models import dynamodbstreams_backends
from moto.dynamodbstreams.responses import DynamoDBStreamsHandler

from helpdesk.storage.phones import phone_pk
from helpdesk.storage.tickets import ticket_pk
from local import moto_fixes
from local.moto_fixes import stream_records_json
from tests.support.threads import race


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
                        "Item": {"pk": {"S": ticket_pk(1)}, "sk": {"S": "META"}},
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

    def write(n: int) -> None:
        for i in range(200):
            dynamodb.put_item(TableName="t", Item={"pk": {"S": f"P{n}#{i}"}, "sk": {"S": "META"}})

    def query() -> None:
        for _ in range(150):
            dynamodb.query(
                TableName="t",
                KeyConditionExpression="pk = :pk",
                ExpressionAttributeValues={":pk": {"S": "P0#0"}},
            )

    writers = [lambda n=n: write(n) for n in range(4)]
    assert race(writers + [query] * 4) == []
    assert dynamodb.scan(TableName="t", Select="COUNT")["Count"] == 800


def test_a_query_on_the_table_key_reads_only_its_partition(fixed_moto, monkeypatch):
    dynamodb, _ = fixed_moto
    for phone in range(30):
        for n in range(5):
            dynamodb.put_item(
                TableName="t",
                Item={"pk": {"S": phone_pk(phone)}, "sk": {"S": f"ACTION#{n}"}, "n": {"N": str(n)}},
            )
    from moto.dynamodb.models.table import Table

    read: list[int] = []  # how many items each query looked at
    all_items = Table.all_items
    monkeypatch.setattr(Table, "all_items", lambda self: read.append(len(items := all_items(self))) or items)

    def sks(**extra) -> list[str]:
        values = {":pk": {"S": "PHONE#7"}, ":prefix": {"S": "ACTION#"}, **extra.pop("values", {})}
        answer = dynamodb.query(
            TableName="t",
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues=values,
            **extra,
        )
        sks.last = answer.get("LastEvaluatedKey")
        return [item["sk"]["S"] for item in answer["Items"]]

    assert sks() == [f"ACTION#{n}" for n in range(5)]
    assert sks(ScanIndexForward=False, Limit=2) == ["ACTION#4", "ACTION#3"]
    assert sks(ScanIndexForward=False, ExclusiveStartKey=sks.last) == ["ACTION#2", "ACTION#1", "ACTION#0"]
    assert sks(FilterExpression="n >= :two", values={":two": {"N": "2"}}) == [
        "ACTION#2",
        "ACTION#3",
        "ACTION#4",
    ]
    assert set(read) == {5}  # the partition's items, not the table's 150
    assert dynamodb.scan(TableName="t", Select="COUNT")["Count"] == 150


def test_item_operations_answer_what_moto_serializer_writes(fixed_moto, monkeypatch):
    """The fast answers, beside moto's own serializer, for every item operation the stack makes."""
    dynamodb, _ = fixed_moto
    from moto.dynamodb.responses import DynamoHandler

    fast = DynamoHandler.serialized
    compared: list[str] = []

    def both(self, action_result):
        answer = fast(self, action_result)
        if moto_fixes.dynamodb_answer(self, action_result) is not None:
            status, headers, body = BaseResponse.serialized(self, action_result)
            assert (answer[0], answer[1]["Content-Type"]) == (status, headers["Content-Type"])
            assert json.loads(answer[2]) == json.loads(body), self._get_action()
            compared.append(self._get_action())
        return answer

    monkeypatch.setattr(DynamoHandler, "serialized", both)
    key = {"pk": {"S": "PHONE#1"}, "sk": {"S": "CONVERSATION"}}
    item = {
        **key,
        "n": {"N": "1.5"},
        "blob": {"B": b"\x00\xff"},
        "tags": {"SS": ["a"]},
        "m": {"M": {"x": {"NULL": True}}},
    }
    capacity = {"ReturnConsumedCapacity": "TOTAL"}
    dynamodb.put_item(TableName="t", Item=item, **capacity)
    dynamodb.put_item(TableName="t", Item=item, ReturnValues="ALL_OLD")
    assert dynamodb.get_item(TableName="t", Key=key, **capacity)["Item"]["blob"] == {"B": b"\x00\xff"}
    dynamodb.get_item(TableName="t", Key={"pk": {"S": "none"}, "sk": {"S": "none"}})
    dynamodb.update_item(
        TableName="t",
        Key=key,
        UpdateExpression="ADD n :one",
        ExpressionAttributeValues={":one": {"N": "1"}},
        ReturnValues="ALL_NEW",
    )
    dynamodb.update_item(
        TableName="t", Key=key, UpdateExpression="SET z = :z", ExpressionAttributeValues={":z": {"S": "z"}}
    )
    for n in range(3):
        dynamodb.put_item(TableName="t", Item={"pk": {"S": "PHONE#1"}, "sk": {"S": f"ACTION#{n}"}})
    page = dynamodb.query(
        TableName="t",
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": "PHONE#1"}},
        Limit=2,
        **capacity,
    )
    dynamodb.query(
        TableName="t",
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": "PHONE#1"}},
        ExclusiveStartKey=page["LastEvaluatedKey"],
        Select="COUNT",
    )
    dynamodb.scan(TableName="t")
    dynamodb.batch_write_item(
        RequestItems={"t": [{"PutRequest": {"Item": {"pk": {"S": "B"}, "sk": {"S": "1"}}}}]}
    )
    dynamodb.batch_get_item(RequestItems={"t": {"Keys": [key, {"pk": {"S": "B"}, "sk": {"S": "1"}}]}})
    dynamodb.transact_write_items(
        TransactItems=[{"Put": {"TableName": "t", "Item": {"pk": {"S": "T"}, "sk": {"S": "1"}}}}], **capacity
    )
    dynamodb.transact_get_items(TransactItems=[{"Get": {"TableName": "t", "Key": key}}])
    dynamodb.delete_item(TableName="t", Key=key, ReturnValues="ALL_OLD")
    with pytest.raises(dynamodb.exceptions.ConditionalCheckFailedException):  # errors: moto's own answer
        dynamodb.put_item(TableName="t", Item=key, ConditionExpression="attribute_exists(pk)")
    assert set(compared) == moto_fixes.ITEM_OPERATIONS


def test_a_stream_iterator_serves_one_read_and_a_spent_one_is_refused_as_expired(fixed_moto):
    dynamodb, stream_arn = fixed_moto
    streams = boto3.client(
        "dynamodbstreams",
        region_name="us-east-1",
        endpoint_url="https://streams.dynamodb.us-east-1.amazonaws.com",
    )
    shard = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(
        StreamArn=stream_arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON"
    )
    first = iterator["ShardIterator"]
    for n in range(5):
        dynamodb.put_item(TableName="t", Item={"pk": {"S": f"P{n}"}, "sk": {"S": "META"}})
        answer = streams.get_records(ShardIterator=iterator["ShardIterator"])
        assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in answer["Records"]] == [f"P{n}"]
        iterator = {"ShardIterator": answer["NextShardIterator"]}
    backend = dynamodbstreams_backends["123456789012"]["us-east-1"]
    assert list(backend.shard_iterators) == [iterator["ShardIterator"]]  # spent ones are not kept
    with pytest.raises(streams.exceptions.ExpiredIteratorException):
        streams.get_records(ShardIterator=first)
