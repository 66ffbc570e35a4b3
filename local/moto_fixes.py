"""moto's TransactWriteItems deep-copies every table it touches (stream records included) to roll
back on failure, so under load a transaction's cost grows with everything written before it. This
keeps moto's semantics (all or nothing) by saving and restoring only the items the transaction
touches. The local stack, the fault suite and the bench install it, so a long local session stays
fast and the figures measure our code, not moto's.
Likewise moto's SQS clock, consulted for every queued message on every receive; and one moto FIFO
bug (a group's redelivered messages out of order) is corrected."""

from __future__ import annotations

import copy
import threading
import time
import types

_installed = False
_lock = threading.Lock()


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
                raise

        models.DynamoDBBackend.transact_write_items = transact_write_items

        # SQS: every receive asks each queued message whether it is visible, through moto's
        # freezegun-aware clock (two datetime conversions per call): the plain clock is enough here.
        from moto.sqs import models as sqs_models

        real_unix_time = sqs_models.unix_time
        sqs_models.unix_time = lambda dt=None: time.time() if dt is None else real_unix_time(dt)

        # SQS FIFO: when two messages of a group time out together, moto skips the first (its group
        # still looks in flight because of the second) and delivers the second: out of order. SQS
        # releases both first; so does this.
        real_receive = sqs_models.SQSBackend.receive_message

        def receive_message(self, queue_name, *args, **kwargs):
            queue = self.get_queue(queue_name)
            for message in list(queue.pending_messages):
                if message.visible:
                    queue.pending_messages.discard(message)
            return real_receive(self, queue_name, *args, **kwargs)

        sqs_models.SQSBackend.receive_message = receive_message
        _installed = True
