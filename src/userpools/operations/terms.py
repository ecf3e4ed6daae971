"""Terms documents: CreateTerms, DescribeTerms, DescribeTermsByClient, ListTerms, UpdateTerms, DeleteTerms.

An app client has at most one ``terms-of-use`` and one ``privacy-policy`` set, each a map of managed login
language (``cognito:default``, ``cognito:french``, ...) to a link; the sign-up page shows them once both exist.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from userpools.domain.errors import InvalidParameterException, ResourceNotFoundException, TermsExistsException
from userpools.operations.clients import load_client
from userpools.operations.registry import operation
from userpools.steps import pagination
from userpools.steps.common import load_pool
from userpools.steps.context import Context
from userpools.storage.errors import Conflict
from userpools.storage.terms import TermsRecord
from userpools.storage.unit import Tx

LANGUAGE = re.compile(
    r"^cognito:(default|dutch|english|french|spanish|german|bahasa-indonesia|italian|japanese|korean"
    r"|portuguese-brazil|chinese-(simplified|traditional))$"
)
LIST_DEFAULT = 60


def _links(links: dict[str, str]) -> dict[str, str]:
    for language, link in links.items():
        if not LANGUAGE.match(language):
            raise InvalidParameterException(f"{language} is not a supported language for terms documents.")
        if not link.startswith("https://"):
            raise InvalidParameterException("Terms document links must be https URLs.")
    return dict(links)


def describe(record: TermsRecord) -> dict[str, Any]:
    return {
        "TermsId": record.terms_id,
        "UserPoolId": record.pool_id,
        "ClientId": record.client_id,
        "TermsName": record.name,
        "TermsSource": record.source,
        "Enforcement": record.enforcement,
        "Links": record.links,
        "CreationDate": record.created,
        "LastModifiedDate": record.modified,
    }


def _load(tx: Tx, pool_id: str, terms_id: str) -> TermsRecord:
    load_pool(tx, pool_id)
    record = tx.terms.get(pool_id, terms_id)
    if record is None:
        raise ResourceNotFoundException(f"Terms {terms_id} does not exist.")
    return record


def _exists(name: str) -> TermsExistsException:
    return TermsExistsException(f"Terms with name {name} already exist for this app client.")


@operation("CreateTerms")
def create_terms(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    now = ctx.clock.now()
    links = _links(params.get("Links") or {})
    if not links:
        raise InvalidParameterException("Links must contain at least one language.")
    with ctx.store.transaction() as tx:
        load_pool(tx, params["UserPoolId"])
        load_client(ctx, tx, params["ClientId"], params["UserPoolId"])
        record = TermsRecord(
            str(uuid.uuid4()),
            params["UserPoolId"],
            params["ClientId"],
            params["TermsName"],
            params["TermsSource"],
            params["Enforcement"],
            links,
            now,
            now,
        )
        try:
            tx.terms.insert(record)
        except Conflict:
            raise _exists(record.name) from None
    return {"Terms": describe(record)}


@operation("DescribeTerms")
def describe_terms(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction(write=False) as tx:
        record = _load(tx, params["UserPoolId"], params["TermsId"])
    return {"Terms": describe(record)}


@operation("DescribeTermsByClient")
def describe_terms_by_client(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        load_pool(tx, params["UserPoolId"])
        load_client(ctx, tx, params["ClientId"], params["UserPoolId"])
        record = tx.terms.by_client(params["UserPoolId"], params["ClientId"], params["TermsName"])
    if record is None:
        raise ResourceNotFoundException(f"Terms {params['TermsName']} do not exist for this app client.")
    return {"Terms": describe(record)}


@operation("UpdateTerms")
def update_terms(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Only the fields given change; the others keep their values."""
    with ctx.store.transaction() as tx:
        old = _load(tx, params["UserPoolId"], params["TermsId"])
        record = TermsRecord(
            old.terms_id,
            old.pool_id,
            old.client_id,
            params.get("TermsName", old.name),
            params.get("TermsSource", old.source),
            params.get("Enforcement", old.enforcement),
            _links(params["Links"]) if "Links" in params else old.links,
            old.created,
            ctx.clock.now(),
        )
        try:
            tx.terms.update(record)
        except Conflict:
            raise _exists(record.name) from None
    return {"Terms": describe(record)}


@operation("DeleteTerms")
def delete_terms(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        record = _load(tx, params["UserPoolId"], params["TermsId"])
        tx.terms.delete(record.terms_id)
    return {}


@operation("ListTerms")
def list_terms(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    page = pagination.request(ctx, params.get("NextToken"), params.get("MaxResults", LIST_DEFAULT))
    with ctx.store.transaction(write=False) as tx:
        load_pool(tx, params["UserPoolId"])
        rows = tx.terms.page(params["UserPoolId"], page.after, page.fetch)
    found, following = pagination.split(ctx, page, rows, lambda r: r.terms_id)
    summaries = [
        {
            "TermsId": r.terms_id,
            "TermsName": r.name,
            "Enforcement": r.enforcement,
            "CreationDate": r.created,
            "LastModifiedDate": r.modified,
        }
        for r in found
    ]
    result: dict[str, Any] = {"Terms": summaries}
    if following:
        result["NextToken"] = following
    return result
