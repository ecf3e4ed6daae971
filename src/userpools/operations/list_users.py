"""ListUsers: the filter is applied by an index range scan before the limit, pages resume by cursor."""

from __future__ import annotations

from typing import Any

from userpools.domain import filters
from userpools.domain.errors import InvalidParameterException
from userpools.operations.registry import operation
from userpools.steps import pagination
from userpools.steps.common import load_pool
from userpools.steps.context import Context


@operation("ListUsers", quick_read=True)
def list_users(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    flt = filters.parse(params.get("Filter"))
    page = pagination.request(ctx, params.get("PaginationToken"), params.get("Limit", 60))
    only = params.get("AttributesToGet")
    with ctx.store.transaction(write=False) as tx:
        pool = load_pool(tx, params["UserPoolId"])
        if only is not None:
            known = {a["Name"] for a in pool.schema}
            unknown = [n for n in only if n not in known]
            if unknown:
                raise InvalidParameterException(
                    f"One or more requested attributes do not exist: [{', '.join(unknown)}]"
                )
        if flt is not None and flt.attribute == "username":
            flt = filters.Filter(flt.attribute, flt.prefix, pool.username_key(flt.value))
        rows = tx.users.page(pool.id, flt, tuple(page.after) if page.after else None, page.fetch)
    found, token = pagination.split(ctx, page, rows, lambda row: list(row[1]))
    return {"Users": [user.as_user_type(only) for user, _ in found], "PaginationToken": token}
