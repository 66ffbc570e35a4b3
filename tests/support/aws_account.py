"""The moto account of the integration and fault suites: made from the template once per test process
(an xdist worker), then handed to each test as a new one.

Making it costs ~0.3 s of CPU (moto's Cognito pool loads an RSA key, every resource is a request
through moto), paid by each of the ~600 tests that ask for AWS. Here each test starts, like a new
`mock_aws()`, with every moto service forgotten, and then finds the template's resources again: the
table and the user pool made once, emptied and put back (with their names, stream and pool id
unchanged); the queues and the bucket made again (tests change a queue's attributes), a few cheap
requests.
"""

from __future__ import annotations

from dataclasses import dataclass

import boto3
from moto.cognitoidp.models import CognitoIdpUserPool, cognitoidp_backends
from moto.core.base_backend import BackendDict
from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.table import Table

from local import cfn
from local.launch import Aws, moto_account
from local.stack import create_buckets, create_queues

ACCOUNT, REGION = "123456789012", "us-east-1"  # moto's default account; the tests' region


@dataclass
class _Made:
    aws: Aws
    environment: dict[str, str]
    tables: dict[str, Table]
    pools: dict[str, CognitoIdpUserPool]


_made: _Made | None = None


def fresh_account() -> tuple[Aws, dict[str, str]]:
    """The template's resources, empty, in an otherwise new moto account, and the functions'
    environment over them (as `local.launch.moto_account`). Call it with moto's mock started
    without a reset (`mock_aws().start(reset=False)`): this resets moto itself."""
    global _made
    BackendDict.reset()  # every service, as a new mock_aws() starts
    if _made is None:
        made, environment = moto_account(boto3.session.Session())
        _made = _Made(
            made,
            environment,
            tables=dict(dynamodb_backends[ACCOUNT][REGION].tables),
            pools=dict(cognitoidp_backends[ACCOUNT][REGION].user_pools),
        )
        return made, dict(environment)
    for table in _made.tables.values():
        _empty_table(table)
    dynamodb_backends[ACCOUNT][REGION].tables.update(_made.tables)
    for pool in _made.pools.values():
        _empty_pool(pool)
    cognitoidp_backends[ACCOUNT][REGION].user_pools.update(_made.pools)
    template, resources = cfn.load_template(), _made.aws.resources
    create_queues(template, _made.aws.session, resources)
    create_buckets(template, _made.aws.session, resources)
    return _made.aws, dict(_made.environment)


def _empty_table(table: Table) -> None:
    table.items.clear()
    if table.stream_shard is not None:
        table.stream_shard.items.clear()  # its records numbered from the shard's start again


def _empty_pool(pool: CognitoIdpUserPool) -> None:
    """Its users and what they made; the pool's settings and app clients, from the template, stay."""
    for made_by_users in (pool.users, pool.groups, pool.refresh_tokens, pool.access_tokens, pool.id_tokens):
        made_by_users.clear()
