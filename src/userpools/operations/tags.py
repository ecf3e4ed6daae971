"""Tags on user pools: TagResource, UntagResource, ListTagsForResource."""

from __future__ import annotations

from typing import Any

from userpools.domain.errors import ResourceNotFoundException
from userpools.operations.registry import operation
from userpools.steps.common import load_pool
from userpools.steps.context import Context


def _pool_id(ctx: Context, arn: str) -> str:
    prefix = f"arn:aws:cognito-idp:{ctx.region}:{ctx.settings.account_id}:userpool/"
    if not arn.startswith(prefix):
        raise ResourceNotFoundException(f"Resource {arn} does not exist.")
    return arn[len(prefix) :]


@operation("TagResource")
def tag_resource(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        pool = load_pool(tx, _pool_id(ctx, params["ResourceArn"]))
        pool.config = {**pool.config, "UserPoolTags": {**(pool.config.get("UserPoolTags") or {}), **params["Tags"]}}
        tx.pools.update(pool)
    return {}


@operation("UntagResource")
def untag_resource(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        pool = load_pool(tx, _pool_id(ctx, params["ResourceArn"]))
        tags = dict(pool.config.get("UserPoolTags") or {})
        for key in params["TagKeys"]:
            tags.pop(key, None)
        pool.config = {**pool.config, "UserPoolTags": tags}
        tx.pools.update(pool)
    return {}


@operation("ListTagsForResource")
def list_tags_for_resource(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction(write=False) as tx:
        pool = load_pool(tx, _pool_id(ctx, params["ResourceArn"]))
    return {"Tags": dict(pool.config.get("UserPoolTags") or {})}
