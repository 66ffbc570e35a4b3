"""Writes that must happen together, and the ways a conditional write fails.

A turn (and a posted ticket action) collects its writes in a `TurnWrite` and commits them in one
DynamoDB transaction, or, when they touch a single item (most turns: the conversation alone), in
one conditional write: a transaction costs twice the write units of each item in it. The entity
modules add their items to it; nothing outside storage sees the conditions they carry.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from pynamodb.exceptions import PutError, TransactWriteError, UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from helpdesk.storage.models import Item

ItemT = TypeVar("ItemT", bound=Item)


class ConcurrentUpdate(Exception):
    """Another writer changed an item first: the message is retried from the queue."""


class AlreadyExists(Exception):
    """A create found its key taken."""


class Missing(Exception):
    """An update or delete found no item under its key."""


def condition_failed(error: Exception) -> bool:
    return getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException"


class TurnWrite:
    """Collects the writes of one turn and commits them in a single DynamoDB transaction."""

    def __init__(self) -> None:
        self._saves: list[tuple[Item, Condition | None]] = []
        self._updates: list[tuple[Item, list[Action], Condition | None]] = []

    def save(self, item: Item, condition: Condition | None = None) -> None:
        self._saves.append((item, condition))

    def update(self, item: Item, actions: Sequence[Action], condition: Condition | None = None) -> None:
        self._updates.append((item, list(actions), condition))

    def saved(self, model: type[ItemT]) -> ItemT | None:
        """The item of that model this write saves, if any."""
        return next((item for item, _ in self._saves if isinstance(item, model)), None)

    def commit(self) -> None:
        if len(self._saves) + len(self._updates) == 1:
            self._commit_single()
            return
        connection = Item._get_connection().connection
        try:
            with TransactWrite(connection=connection) as transaction:
                for item, condition in self._saves:
                    transaction.save(item, condition=condition)
                for item, actions, condition in self._updates:
                    transaction.update(item, actions=actions, condition=condition)
        except TransactWriteError as error:
            if error.cause_response_code == "TransactionCanceledException":
                raise ConcurrentUpdate(str(error)) from error
            raise

    def _commit_single(self) -> None:
        """One item: a conditional PutItem or UpdateItem (pynamodb adds the version condition of a
        versioned item), the same all-or-nothing as a transaction at half the write units."""
        try:
            if self._saves:
                item, condition = self._saves[0]
                item.save(condition=condition)
            else:
                item, actions, condition = self._updates[0]
                item.update(actions=actions, condition=condition)
        except (PutError, UpdateError) as error:
            if condition_failed(error):
                raise ConcurrentUpdate(str(error)) from error
            raise
