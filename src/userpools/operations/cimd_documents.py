"""Client metadata documents: a client_id URL resolved to its client at /oauth2 (the first CIMD policy of the
pool whose pattern matches it, its document fetched or read from the cache), ListClientMetadataURLs and
UpdateClientMetadataURLState.

The document is fetched outside any transaction (5 s, 5 KB, redirects not followed, HTTPS only, trusting
USERPOOLS_CA_BUNDLE besides the system's CAs) and cached for the document's ``Cache-Control`` max-age when it
is between a day and a year, else for the policy's CacheDuration. Choices where Cognito's behaviour is not
documented: a URL is listed from the first request that names it, with CachedDate and ExpirationDate only
while a document is cached; a failed fetch caches nothing (the URL is refused until a fetch succeeds);
INVALIDATE drops the document and keeps the URL listed; a REFRESH whose fetch fails keeps the cached document
and answers InvalidParameterException with the reason; a cached document past its expiry is fetched again,
and never used stale.
"""

from __future__ import annotations

import json
from typing import Any

from userpools import outbound
from userpools.domain import cimd
from userpools.domain.clients import Client
from userpools.domain.errors import CachedCIMDURLDoesNotExistException, InvalidParameterException
from userpools.errors import ServiceError
from userpools.operations.cimd import load_policy
from userpools.operations.clients import load_client
from userpools.operations.registry import operation
from userpools.steps import pagination
from userpools.steps.context import Context
from userpools.storage.cimd import CIMDDocumentRecord, CIMDPolicyRecord

FETCH_TIMEOUT = 5.0
DocumentRefused = cimd.DocumentRefused


def fetch(ctx: Context, policy: CIMDPolicyRecord, url: str) -> dict[str, Any]:
    """The document at ``url``, fetched and checked now, then cached under ``policy``."""
    try:
        answer = outbound.get(
            url, {"Accept": "application/json"}, FETCH_TIMEOUT, cimd.MAX_DOCUMENT_BYTES, ctx.settings.ca_bundle
        )
    except outbound.HttpUnreachable as unreachable:
        raise DocumentRefused(f"The client metadata document could not be retrieved: {unreachable}") from None
    if answer.status != 200:
        raise DocumentRefused(f"The client metadata document URL answered HTTP {answer.status}.")
    if len(answer.body) > cimd.MAX_DOCUMENT_BYTES:
        raise DocumentRefused(f"The client metadata document is larger than {cimd.MAX_DOCUMENT_BYTES} bytes.")
    try:
        document = cimd.check_document(url, json.loads(answer.body))
    except ValueError:
        raise DocumentRefused("The client metadata document is not JSON.") from None
    now = ctx.clock.now()
    expires = now + cimd.cache_lifetime(answer.header("cache-control"), policy.cache_duration)
    with ctx.store.transaction() as tx:
        if tx.cimd_policies.get(policy.pool_id, policy.policy_id) is not None:  # not deleted meanwhile
            tx.cimd_documents.cache(CIMDDocumentRecord(policy.policy_id, url, document, now, expires))
    return document


def resolve(ctx: Context, pool_id: str, url: str) -> Client:
    """The CIMD client ``url`` stands for in the pool; DocumentRefused says why it stands for none."""
    cimd.check_url(url)
    with ctx.store.transaction() as tx:
        policy = next(
            (p for p in tx.cimd_policies.of_pool(pool_id) if any(cimd.matches(x, url) for x in p.patterns)), None
        )
        if policy is None:
            raise DocumentRefused("The client_id URL matches no CIMD policy of this user pool.")
        try:
            app_client = load_client(ctx, tx, policy.client_id, pool_id)
        except ServiceError:
            raise DocumentRefused(
                "The app client of the CIMD policy the client_id URL matches no longer exists."
            ) from None
        tx.cimd_documents.received(policy.policy_id, url)
        cached = tx.cimd_documents.get(policy.policy_id, url)
    if cached is not None and cached.document is not None and cached.expires and cached.expires > ctx.clock.now():
        document = cached.document
    else:
        document = fetch(ctx, policy, url)
    return cimd.client_for(app_client, url, document)


@operation("ListClientMetadataURLs")
def list_client_metadata_urls(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    page = pagination.request(ctx, params.get("NextToken"), params.get("MaxResults", 60))
    with ctx.store.transaction(write=False) as tx:
        policy = load_policy(tx, params["UserPoolId"], params["CIMDPolicyId"])
        rows = tx.cimd_documents.page(policy.policy_id, page.after, page.fetch)
    found, token = pagination.split(ctx, page, rows, lambda row: row.url)
    urls = []
    for row in found:
        entry: dict[str, Any] = {"URL": row.url}
        if row.document is not None:
            entry.update(CachedDate=row.cached, ExpirationDate=row.expires)
        urls.append(entry)
    result: dict[str, Any] = {"ClientMetadataURLs": urls}
    if token is not None:
        result["NextToken"] = token
    return result


@operation("UpdateClientMetadataURLState")
def update_client_metadata_url_state(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    url = params["URL"]
    with ctx.store.transaction(write=False) as tx:
        policy = load_policy(tx, params["UserPoolId"], params["CIMDPolicyId"])
        record = tx.cimd_documents.get(policy.policy_id, url)
    if record is None:
        raise CachedCIMDURLDoesNotExistException(
            f"The URL {url} has not been received for CIMD policy {policy.policy_id}."
        )
    if params["Action"] == "INVALIDATE":
        with ctx.store.transaction() as tx:
            tx.cimd_documents.cache(CIMDDocumentRecord(policy.policy_id, url, None, None, None))
        return {}
    try:
        fetch(ctx, policy, url)
    except DocumentRefused as refused:
        raise InvalidParameterException(str(refused)) from None
    return {}
