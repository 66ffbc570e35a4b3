"""moto's TransactWriteItems deep-copies every table it touches (stream records included) to roll
back on failure, so under load a transaction's cost grows with everything written before it. This
keeps moto's semantics (all or nothing) by saving and restoring only the items the transaction
touches, and like DynamoDB a cancelled transaction leaves nothing in the table's stream (restoring
an item must not read as a new one to a stream consumer). The local stack, the fault suite and the
bench install it, so a long local session stays fast and the figures measure our code, not moto's.
DynamoDB and its streams answer one request at a time: moto's backend is not safe across threads
(the processor runs a batch's phones on threads of their own, the local stack's server answers each
request on a thread), where a query racing a write fails or sees a half-applied transaction.
Likewise moto's SQS clock, consulted for every queued message on every receive; and one moto FIFO
bug (a group's redelivered messages out of order) is corrected, and SQS operations are made atomic
across threads as the service's are (concurrent pollers never share a message group).
A Query on the table's key reads its partition only, where moto sorts the whole table for it.
DynamoDB Streams' GetRecords and DynamoDB's item operations skip moto's generic response
serializer (see stream_records_json, dynamodb_answer).
The server finds its backends without listing its package folder on every request.
Cognito: moto lacks RevokeToken (the console's logout), names the user's id as `email` in ID tokens
issued after the new-password challenge, and AdminCreateUser without a temporary
password leaves a user nobody can log in as, where Cognito generates one and e-mails it: here it is
generated too and the "e-mail" lands in `INVITATIONS` (the local stack shows it, see local.cognito)."""

from __future__ import annotations

import base64
import copy
import datetime
import json
import secrets
import string
import threading
import time
import types
from collections.abc import Callable

_installed = False
_lock = threading.Lock()
_sqs_lock = threading.RLock()
_dynamodb_lock = threading.RLock()

# Invitations Cognito would have e-mailed: (e-mail, temporary password), oldest first.
INVITATIONS: list[tuple[str, str]] = []
# Also told to whoever shows them when moto runs in a process of its own (local.moto_process).
on_invitation: Callable[[tuple[str, str]], object] | None = None


def temporary_password() -> str:
    """Meets the template's password policy (12+, upper, lower, digit), like Cognito's own."""
    alphabet = string.ascii_letters + string.digits
    rest = "".join(secrets.choice(alphabet) for _ in range(13))
    return (
        secrets.choice(string.ascii_uppercase)
        + secrets.choice(string.ascii_lowercase)
        + secrets.choice(string.digits)
        + rest
    )


def install() -> None:
    global _installed
    with _lock:
        if _installed:
            return
        from moto.dynamodb import models
        from moto.dynamodb.models.dynamo_type import DynamoType
        from moto.dynamodb.models.table import Table

        real_deepcopy = copy.deepcopy
        models.copy = types.SimpleNamespace(
            deepcopy=lambda value, memo=None: (
                value if isinstance(value, Table) else real_deepcopy(value, memo)
            ),
            copy=copy.copy,
        )
        original = models.DynamoDBBackend.transact_write_items

        def transact_write_items(self, transact_items):
            saved = []
            streams = {
                table: len(table.stream_shard.items)
                for table in self.tables.values()
                if table.stream_shard is not None
            }
            for entry in transact_items:
                op = next(iter(entry.values()))
                table = self.tables.get(op.get("TableName"))
                if table is None:
                    continue
                attrs = op.get("Item") or op.get("Key") or {}
                hash_key = DynamoType(attrs[table.hash_key_attr]) if table.hash_key_attr in attrs else None
                range_key = (
                    DynamoType(attrs[table.range_key_attr])
                    if table.range_key_attr and table.range_key_attr in attrs
                    else None
                )
                if hash_key is None:
                    continue
                current = table.get_item(hash_key, range_key)
                saved.append(
                    (
                        table,
                        hash_key,
                        range_key,
                        real_deepcopy(current.to_json()["Attributes"]) if current else None,
                    )
                )
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
        _serialize_dynamodb()
        _install_partition_query()
        _install_fast_dynamodb_answers()

        # SQS: every receive asks each queued message whether it is visible, through moto's
        # freezegun-aware clock (two datetime conversions per call): the plain clock is enough here.
        from moto.sqs import models as sqs_models

        real_unix_time = sqs_models.unix_time
        sqs_models.unix_time = lambda dt=None: time.time() if dt is None else real_unix_time(dt)
        real_unix_time_millis = sqs_models.unix_time_millis
        sqs_models.unix_time_millis = lambda dt=None: (
            time.time() * 1000.0 if dt is None else real_unix_time_millis(dt)
        )

        # SQS FIFO: when two messages of a group time out together, moto skips the first (its group
        # still looks in flight because of the second) and delivers the second: out of order. SQS
        # releases both first; so does this.
        # SQS is atomic; moto's backend is not across threads (the local stack's server handles each
        # request on a thread of its own; concurrent pollers could both take one group's next
        # message): every queue operation runs under one lock. A long poll waits outside it.
        real_receive = sqs_models.SQSBackend.receive_message

        def receive_message(
            self,
            queue_name,
            count,
            wait_seconds_timeout,
            visibility_timeout,
            message_attribute_names=None,
        ):
            queue = self.get_queue(queue_name)
            deadline = time.monotonic() + (wait_seconds_timeout or 0)
            while True:
                with _sqs_lock:
                    for message in list(queue.pending_messages):
                        if message.visible:
                            queue.pending_messages.discard(message)
                    result = real_receive(
                        self, queue_name, count, 0, visibility_timeout, message_attribute_names
                    )
                remaining = deadline - time.monotonic()
                if result or remaining <= 0:
                    return result
                # Woken by a send or a delete (which frees a group); visibility timeouts by the clock.
                with queue._messages_lock:
                    queue._messages_lock.wait(timeout=min(remaining, 0.1))

        sqs_models.SQSBackend.receive_message = receive_message

        def atomic(method, wakes: bool):
            def run(self, queue_name, *args, **kwargs):
                with _sqs_lock:
                    result = method(self, queue_name, *args, **kwargs)
                if wakes:
                    queue = self.queues.get(queue_name)
                    if queue is not None:
                        with queue._messages_lock:
                            queue._messages_lock.notify_all()
                return result

            return run

        for name, wakes in (
            ("send_message", False),  # moto notifies itself
            ("send_message_batch", False),
            ("delete_message", True),
            ("delete_message_batch", True),
            ("change_message_visibility", True),
            ("change_message_visibility_batch", True),
            ("purge_queue", False),
            ("get_queue_attributes", False),
        ):
            setattr(sqs_models.SQSBackend, name, atomic(getattr(sqs_models.SQSBackend, name), wakes))
        _install_stream_fixes()
        _install_cognito_fixes()

        # moto's server lists its package folder (a stat per service, ~250) on every request to
        # find the backend, under a lock all requests share: the folder does not change.
        from moto import backends

        modules = tuple(backends.list_of_moto_modules())
        backends.list_of_moto_modules = lambda: modules
        _installed = True


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


def _install_cognito_fixes() -> None:
    from moto.cognitoidp import models as cognito_models
    from moto.cognitoidp import responses as cognito_responses
    from moto.cognitoidp.exceptions import NotAuthorizedError, ResourceNotFoundError
    from moto.core.responses import EmptyResult

    real_create_user = cognito_models.CognitoIdpBackend.admin_create_user

    def admin_create_user(self, user_pool_id, username, message_action, temporary_password_, attributes):
        invited = not temporary_password_ and message_action != "SUPPRESS"
        password = temporary_password_ or temporary_password()
        user = real_create_user(self, user_pool_id, username, message_action, password, attributes)
        if invited:
            invitation = (user.attribute_lookup.get("email") or username, password)
            INVITATIONS.append(invitation)
            if on_invitation is not None:
                on_invitation(invitation)
        return user

    cognito_models.CognitoIdpBackend.admin_create_user = admin_create_user

    # moto puts the name the client signed in with in the ID token's `email`: after the
    # new-password challenge (answered with Cognito's user id) that is the id. Cognito puts the
    # user's email attribute there.
    real_create_jwt = cognito_models.CognitoIdpUserPool.create_jwt

    def create_jwt(self, client_id, username, token_use, expires_in=60 * 60, extra_data=None):
        user = self._get_user(username)
        if token_use == "id" and user is not None and user.attribute_lookup.get("email"):
            extra_data = {**(extra_data or {}), "email": user.attribute_lookup["email"]}
        return real_create_jwt(self, client_id, username, token_use, expires_in, extra_data)

    cognito_models.CognitoIdpUserPool.create_jwt = create_jwt

    def revoke_token(self, token: str, client_id: str) -> None:
        for pool in self.user_pools.values():
            if client_id not in pool.clients:
                continue
            issued = pool.refresh_tokens.get(token)
            if issued is not None and issued[0] != client_id:
                raise NotAuthorizedError("Token was not issued to this client")
            # moto reads a None entry as "Refresh Token has been revoked".
            pool.refresh_tokens[token] = None
            return
        raise ResourceNotFoundError(client_id)

    cognito_models.CognitoIdpBackend.revoke_token = revoke_token

    def revoke_token_response(self):
        client_id = self._get_param("ClientId")
        for backends in cognito_models.cognitoidp_backends.values():
            for region, backend in backends.items():
                if region != "global" and any(client_id in p.clients for p in backend.user_pools.values()):
                    backend.revoke_token(self._get_param("Token"), client_id)
                    return EmptyResult()
        raise ResourceNotFoundError(client_id)

    cognito_responses.CognitoIdpResponse.revoke_token = revoke_token_response
