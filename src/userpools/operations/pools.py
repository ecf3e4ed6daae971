"""Pool operations: CreateUserPool, DescribeUserPool, UpdateUserPool, DeleteUserPool, ListUserPools,
AddCustomAttributes."""

from __future__ import annotations

from typing import Any

from userpools.domain import identifiers, schema
from userpools.domain import pools as pool_rules
from userpools.domain.errors import InvalidParameterException
from userpools.domain.pools import Pool
from userpools.operations.registry import operation
from userpools.steps import pagination
from userpools.steps.common import load_pool
from userpools.steps.context import Context


def describe(ctx: Context, pool: Pool, user_count: int = 0) -> dict[str, Any]:
    return pool.describe(ctx.region, ctx.settings.account_id, user_count)


@operation("CreateUserPool")
def create_user_pool(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    now = ctx.clock.now()
    pool = Pool(
        id=ctx.request.get("seed_id") or identifiers.new_pool_id(ctx.region),  # seed.py may fix it
        name=params["PoolName"],
        config=pool_rules.new_config(params),
        created=now,
        modified=now,
    )
    with ctx.store.transaction() as tx:
        tx.pools.insert(pool)
    return {"UserPool": describe(ctx, pool)}


@operation("DescribeUserPool")
def describe_user_pool(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction(write=False) as tx:
        pool = load_pool(tx, params["UserPoolId"])
        count = tx.pools.user_count(pool.id)
        names = {("CustomDomain" if d.custom else "Domain"): d.domain for d in tx.domains.of_pool(pool.id)}
    return {"UserPool": {**describe(ctx, pool, count), **names}}


@operation("UpdateUserPool")
def update_user_pool(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        pool = load_pool(tx, params["UserPoolId"])
        pool.config = pool_rules.updated_config(pool, params)
        pool.name = params.get("PoolName") or pool.name  # Cognito renames when given; omitted, kept
        pool.modified = ctx.clock.now()
        tx.pools.update(pool)
    return {}


@operation("DeleteUserPool")
def delete_user_pool(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        pool = load_pool(tx, params["UserPoolId"])
        if pool.config.get("DeletionProtection") == "ACTIVE":
            raise InvalidParameterException(
                "The user pool cannot be deleted because deletion protection is activated. "
                "Deletion protection must be inactivated first."
            )
        tx.pools.delete(pool.id)
    return {}


@operation("ListUserPools")
def list_user_pools(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    page = pagination.request(ctx, params.get("NextToken"), params["MaxResults"])
    with ctx.store.transaction(write=False) as tx:
        pools, token = pagination.split(ctx, page, tx.pools.page(page.after, page.fetch), lambda p: p.id)
    return {
        "UserPools": [
            {
                "Id": p.id,
                "Name": p.name,
                "LambdaConfig": p.lambda_config,
                "LastModifiedDate": p.modified,
                "CreationDate": p.created,
            }
            for p in pools
        ],
        "NextToken": token,
    }


@operation("AddCustomAttributes")
def add_custom_attributes(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        pool = load_pool(tx, params["UserPoolId"])
        pool.config = {**pool.config, "SchemaAttributes": schema.with_custom(pool.schema, params["CustomAttributes"])}
        pool.modified = ctx.clock.now()
        tx.pools.update(pool)
    return {}
