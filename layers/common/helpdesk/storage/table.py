"""The single table itself: where it is (`bind`), its two global secondary indexes and `Item`, the
base of every model (pk/sk, the `entity` discriminator, the indexes' keys). The entities and the key
design are in helpdesk.storage.models."""

from __future__ import annotations

import os

from pynamodb.attributes import DiscriminatorAttribute, UnicodeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from helpdesk import caches, config


class _Meta:
    table_name = config.required("TABLE_NAME", "helpdesk")  # never a silent default in Lambda
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    host = os.environ.get("AWS_ENDPOINT_URL_DYNAMODB") or os.environ.get("AWS_ENDPOINT_URL")


class Gsi1(GlobalSecondaryIndex):
    class Meta:
        index_name = "gsi1"
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class Gsi2(GlobalSecondaryIndex):
    class Meta:
        index_name = "gsi2"
        projection = AllProjection()

    gsi2pk = UnicodeAttribute(hash_key=True)
    gsi2sk = UnicodeAttribute(range_key=True)


class Item(Model):
    class Meta(_Meta):
        pass

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)
    entity = DiscriminatorAttribute()
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    gsi2pk = UnicodeAttribute(null=True)
    gsi2sk = UnicodeAttribute(null=True)
    by_gsi1 = Gsi1()
    by_gsi2 = Gsi2()


def bind(table_name: str | None = None, host: str | None = None) -> None:
    """Points every model at a table (tests and the local stack choose theirs at run time)."""
    Item.Meta.table_name = table_name or config.required("TABLE_NAME", "helpdesk")
    Item.Meta.host = host or os.environ.get("AWS_ENDPOINT_URL_DYNAMODB") or os.environ.get("AWS_ENDPOINT_URL")
    Item._connection = None
    # Every model inherits Item's connection: one botocore client per process.
    for model in Item.__subclasses__():
        if "_connection" in vars(model):
            del model._connection
    Item._connection = Item._get_connection()  # shared again (see the end of this module)


# One connection, so one botocore client, for every model; created lazily, a model asking first
# would cache a connection of its own (a client each: slower cold starts, more sockets).
Item._connection = Item._get_connection()
caches.register(bind)  # back to the table and endpoint the environment names now
