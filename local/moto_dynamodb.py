"""moto's DynamoDB and DynamoDB Streams, fixed for the local stack (see local.moto_fixes).

TransactWriteItems deep-copies every table it touches (stream records included) to roll back on
failure, so under load a transaction's cost grows with everything written before it. This keeps
moto's semantics (all or nothing) by saving and restoring only the items the transaction touches,
and like DynamoDB a cancelled transaction leaves nothing in the table's stream (restoring an item
must not read as a new one to a stream consumer). DynamoDB and its streams answer one request at a
time: moto's backend is not safe across threads. A Query on the table's key reads its partition
only, where moto sorts the whole table for it. GetRecords and the item operations skip moto's
generic response serializer (see stream_records_json, dynamodb_answer).
"""

from __future__ import annotations

import base64
import copy
import datetime
import json
import threading
import types

_dynamodb_lock = threading.RLock()


def install() -> None:
    _install_transaction_rollback()
    _serialize_dynamodb()
    _install_partition_query()
    _install_fast_dynamodb_answers()
    _install_stream_fixes()


def _install_transaction_rollback() -> None:
    """TransactWriteItems without moto's deep copy of every table it touches (see the docstring)."""
    from moto.dynamodb import models
    from moto.dynamodb.models.table import Table

    real_deepcopy = copy.deepcopy
    models.copy = types.SimpleNamespace(
        deepcopy=lambda value, memo=None: value if isinstance(value, Table) else real_deepcopy(value, memo),
        copy=copy.copy,
    )
    original = models.DynamoDBBackend.transact_write_items

    def transact_write_items(self, transact_items):
        streams = {
            table: len(table.stream_shard.items)
            for table in self.tables.values()
            if table.stream_shard is not None
        }
        saved = [touched for entry in transact_items if (touched := _touched(self, entry)) is not None]
        try:
            return original(self, transact_items)
        except Exception:
            for table, hash_key, range_key, attributes in reversed(saved):
                table.delete_item(hash_key, range_key)
                if attributes is not None:
                    table.put_item(attributes)
            for table, length in streams.items():
                del table.stream_shard.items[length:]  # the cancelled writes and their undoing
            raise

    models.DynamoDBBackend.transact_write_items = transact_write_items


def _touched(backend, entry: dict):
    """(table, hash key, range key, the item's attributes before, or None) of one transaction item;
    None when it names no table or key moto knows."""
    from moto.dynamodb.models.dynamo_type import DynamoType

    op = next(iter(entry.values()))
    table = backend.tables.get(op.get("TableName"))
    if table is None:
        return None
    attrs = op.get("Item") or op.get("Key") or {}
    if table.hash_key_attr not in attrs:
        return None
    hash_key = DynamoType(attrs[table.hash_key_attr])
    range_key = (
        DynamoType(attrs[table.range_key_attr])
        if table.range_key_attr and table.range_key_attr in attrs
        else None
    )
    current = table.get_item(hash_key, range_key)
    return table, hash_key, range_key, copy.deepcopy(current.to_json()["Attributes"]) if current else None


def _wire(value):
    """JSON for the two kinds of value moto's DynamoDB answers hold that json cannot write."""
    from moto.core.serialize import TimestampSerializer

    if isinstance(value, datetime.datetime):
        return TimestampSerializer._timestamp_unixtimestamp(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    raise TypeError(f"{type(value).__name__} in a DynamoDB answer")


def stream_records_json(result: dict) -> str:
    """GetRecords' response body, as moto's serializer writes it. moto's records already hold the
    wire format but for the time and binary values, and its generic serializer walks every attribute of every
    image against the service model: ~20 ms for a poll of 100 conversation images, once the largest
    CPU cost of the local stack under load."""
    return json.dumps(result, default=_wire)


# Their answers are items and keys in DynamoDB's JSON already (moto's DynamoResult), plus counts and
# consumed capacity: nothing the service model renames or reshapes.
ITEM_OPERATIONS = frozenset(
    {
        "GetItem",
        "PutItem",
        "UpdateItem",
        "DeleteItem",
        "Query",
        "Scan",
        "BatchGetItem",
        "BatchWriteItem",
        "TransactGetItems",
        "TransactWriteItems",
    }
)


def dynamodb_answer(handler, action_result) -> tuple[int, dict, str] | None:
    """An item operation's successful answer, as moto's serializer writes it, written by json: the
    generic serializer walks every attribute of every item against the service model, a fifth of
    moto's CPU time in the load bench. Like the serializer, it leaves out what the operation's output
    shape lacks (moto adds a legacy ConsumedCapacityUnits). None for anything else (errors, other
    operations): moto answers those itself."""
    from moto.core.utils import get_service_model

    action = handler._get_action()
    if action not in ITEM_OPERATIONS or not isinstance(action_result.result, dict):
        return None
    members = get_service_model("dynamodb").operation_model(action).output_shape.members
    answer = {name: value for name, value in action_result.result.items() if name in members}
    headers = {"Content-Type": "application/x-amz-json-1.0", **handler.response_headers}
    return 200, headers, json.dumps(answer, default=_wire)


def _install_fast_dynamodb_answers() -> None:
    from moto.dynamodb.responses import DynamoHandler

    serialized = DynamoHandler.serialized

    def fast_serialized(self, action_result):
        return dynamodb_answer(self, action_result) or serialized(self, action_result)

    DynamoHandler.serialized = fast_serialized


def _serialize_dynamodb() -> None:
    """Every DynamoDB and DynamoDB Streams request runs alone (see the module's docstring)."""
    from moto.dynamodb.responses import DynamoHandler
    from moto.dynamodbstreams.responses import DynamoDBStreamsHandler

    for handler in (DynamoHandler, DynamoDBStreamsHandler):
        call_action = handler.call_action

        def serialized(self, call_action=call_action):
            with _dynamodb_lock:
                return call_action(self)

        handler.call_action = serialized


def _install_partition_query() -> None:
    """moto answers a Query on the table's key by sorting every item of the table and keeping the
    partition's, so each turn's Query grew with the table (a long `make dev`, the fault suite).
    Here that Query sees only its partition. A GSI Query still scans, as moto has no index there."""
    from moto.dynamodb.models.table import Table

    real_query, real_all_items = Table.query, Table.all_items
    partition = threading.local()

    def all_items(self):
        hash_key = getattr(partition, "hash_key", None)
        if hash_key is None:
            return real_all_items(self)
        items = self.items.get(hash_key)
        if items is None:
            return []
        items = list(items.values()) if self.range_key_attr else [items]
        return sorted(items, key=lambda x: (x.hash_key, x.range_key) if x.range_key else x.hash_key)

    def query(self, hash_key, *args, **kwargs):
        index_name = args[6] if len(args) > 6 else kwargs.get("index_name")  # after projection_expressions
        if index_name or hash_key is None:
            return real_query(self, hash_key, *args, **kwargs)
        partition.hash_key = hash_key
        try:
            return real_query(self, hash_key, *args, **kwargs)
        finally:
            partition.hash_key = None

    Table.all_items = all_items
    Table.query = query


def _install_stream_fixes() -> None:
    from moto.dynamodbstreams import responses as streams_responses

    content_type = "application/x-amz-json-1.0"

    def get_records(self):
        # moto keeps every iterator it hands out (a new one per GetRecords) for ever: a long local
        # session grew by ~1 KB per read. Here an iterator serves one read, as the local readers
        # use them, and a spent or unknown one is refused as DynamoDB refuses an expired one.
        shard_iterator = self.backend.shard_iterators.pop(self._get_param("ShardIterator"), None)
        if shard_iterator is None:
            error = {
                "__type": "com.amazonaws.dynamodb.v20120810#ExpiredIteratorException",
                "message": "Expired",
            }
            return json.dumps(error), {"status": 400, "Content-Type": content_type}
        limit = self._get_param("Limit")
        result = shard_iterator.get(1000 if limit is None else limit)  # registers the next iterator
        return stream_records_json(result), {"Content-Type": content_type}

    streams_responses.DynamoDBStreamsHandler.get_records = get_records
