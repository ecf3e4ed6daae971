"""Resource requests: their ProgressEvents, stored so request tokens outlive the process, and
ClientToken idempotency (the same token and request replays the first answer; a different request
with the same token is a ClientTokenConflictException)."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from userpools.cloudcontrol.errors import ClientTokenConflictException, RequestTokenNotFoundException
from userpools.steps import pagination
from userpools.steps.context import Context
from userpools.storage.errors import Conflict
from userpools.storage.resource_requests import ResourceRequest

# Never kept in a request record: GetResource reads them live (sealed in their own table).
SECRET_PROPERTIES = frozenset({"ClientSecret"})


@dataclass(frozen=True)
class Outcome:
    """How a handler finished: SUCCESS, or FAILED with a HandlerErrorCode."""

    identifier: str | None
    model: dict[str, Any] | None = None
    error_code: str | None = None
    message: str | None = None

    @property
    def status(self) -> str:
        return "FAILED" if self.error_code else "SUCCESS"


def fingerprint(operation: str, params: dict[str, Any]) -> str:
    significant = {k: v for k, v in params.items() if k != "ClientToken"}
    text = json.dumps({"operation": operation, **significant}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def event(request: ResourceRequest) -> dict[str, Any]:
    return {
        "TypeName": request.type_name,
        "Identifier": request.identifier,
        "RequestToken": request.request_token,
        "Operation": request.operation,
        "OperationStatus": request.status,
        "EventTime": request.event_time,
        "ResourceModel": request.resource_model,
        "StatusMessage": request.status_message,
        "ErrorCode": request.error_code,
    }


def replay(ctx: Context, client_token: str | None, print_: str) -> dict[str, Any] | None:
    """The stored event of an earlier request with this ClientToken, if any."""
    if not client_token:
        return None
    with ctx.store.transaction(write=False) as tx:
        earlier = tx.resource_requests.by_client_token(client_token)
    if earlier is None:
        return None
    if earlier.fingerprint != print_:
        raise ClientTokenConflictException(f"The client token {client_token} was already used for a different request.")
    return event(earlier)


def _stored_model(model: dict[str, Any] | None) -> str | None:
    """The ProgressEvent's ResourceModel as kept and answered: without secrets."""
    if model is None:
        return None
    kept = {k: v for k, v in model.items() if k not in SECRET_PROPERTIES}
    return json.dumps(kept, separators=(",", ":"))


def record(
    ctx: Context, operation: str, type_name: str, client_token: str | None, print_: str, outcome: Outcome
) -> dict[str, Any]:
    request = ResourceRequest(
        request_token=str(uuid.uuid4()),
        client_token=client_token or None,
        fingerprint=print_,
        type_name=type_name,
        identifier=outcome.identifier,
        operation=operation,
        status=outcome.status,
        error_code=outcome.error_code,
        status_message=outcome.message,
        resource_model=_stored_model(outcome.model),
        event_time=ctx.clock.now(),
    )
    try:
        with ctx.store.transaction() as tx:
            tx.resource_requests.insert(request)
    except Conflict:  # a concurrent retry with the same ClientToken recorded first
        replayed = replay(ctx, client_token, print_)
        if replayed is None:
            raise
        return replayed
    return event(request)


def status(ctx: Context, request_token: str) -> dict[str, Any]:
    with ctx.store.transaction(write=False) as tx:
        found = tx.resource_requests.by_request_token(request_token)
    if found is None:
        raise RequestTokenNotFoundException(f"Request with token {request_token} was not found")
    return event(found)


def page(
    ctx: Context, token: str | None, limit: int, operations: list[str] | None, statuses: list[str] | None
) -> tuple[list[dict[str, Any]], str | None]:
    wanted = pagination.request(ctx, token, limit)
    with ctx.store.transaction(write=False) as tx:
        found = tx.resource_requests.page(wanted.after, wanted.fetch, operations, statuses)
    requests, next_token = pagination.split(ctx, wanted, found, lambda r: r.id)
    return [event(r) for r in requests], next_token
