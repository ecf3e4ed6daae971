"""User import: GetCSVHeader, the header of the CSV file a user import job reads."""

from __future__ import annotations

from typing import Any

from userpools.operations.common import load_pool
from userpools.operations.context import Context
from userpools.operations.registry import operation

# Columns every import file has after the pool's attributes (Cognito lists them last, in this order).
TRAILING_COLUMNS = ("cognito:mfa_enabled", "cognito:username")


def csv_header(schema: list[dict[str, Any]]) -> list[str]:
    """Every schema attribute but ``sub`` (Cognito makes a new one), in schema order, then the trailing columns."""
    return [a["Name"] for a in schema if a["Name"] != "sub"] + list(TRAILING_COLUMNS)


@operation("GetCSVHeader")
def get_csv_header(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction(write=False) as tx:
        pool = load_pool(tx, params["UserPoolId"])
    return {"UserPoolId": pool.id, "CSVHeader": csv_header(pool.schema)}
