"""The end of a successful sign-in, outside any transaction: PreTokenGeneration edits the claims,
PostAuthentication is told (not for refreshes), then the tokens are signed and the refresh token stored.

Choices: the order is PreTokenGeneration then PostAuthentication (Cognito documents PostAuthentication
as running "before a user has received tokens", not its order against token generation); a group
override replaces ``cognito:groups`` in both tokens and the roles in the ID token; the event's
groupConfiguration carries the user's groups and no IAM roles.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from userpools.domain import token_events
from userpools.domain import trigger_events as events
from userpools.domain.clients import Client
from userpools.domain.pools import Pool
from userpools.operations.auth import issue
from userpools.steps import triggers
from userpools.steps.context import Context
from userpools.storage.unit import Tx


def quiet(pool: Pool, grant: issue.Grant) -> bool:
    """No trigger runs between the sign-in's transaction and its tokens: they may share one transaction."""
    return not triggers.has_trigger(pool, "PreTokenGeneration") and (
        grant.refresh or grant.post_authenticated or not triggers.has_trigger(pool, "PostAuthentication")
    )


def complete_in(ctx: Context, tx: Tx, pool: Pool, client: Client, grant: issue.Grant) -> issue.Sealed | None:
    """For a :func:`quiet` grant, its claims and stored rows in the sign-in's own transaction ``tx``
    (then :meth:`~userpools.operations.auth.issue.Sealed.result` signs them once it has ended)."""
    if not quiet(pool, grant):
        return None
    return issue.seal(ctx, tx, pool, client, grant, issue.draft(ctx, tx, pool, client, grant))


def complete(
    ctx: Context, pool: Pool, client: Client, grant: issue.Grant, client_metadata: Mapping[str, str] | None
) -> dict[str, Any]:
    """AuthenticationResultType for ``grant``, after the pool's token and post-authentication triggers."""
    if quiet(pool, grant):
        with ctx.store.transaction() as tx:
            sealed = issue.seal(ctx, tx, pool, client, grant, issue.draft(ctx, tx, pool, client, grant))
        return sealed.result()
    with ctx.store.transaction(write=False) as tx:
        draft = issue.draft(ctx, tx, pool, client, grant)
    draft = pre_token_generation(ctx, pool, client, grant, draft, client_metadata)
    if not grant.refresh and not grant.post_authenticated:
        post_authentication(ctx, pool, client, grant, client_metadata)
    with ctx.store.transaction() as tx:
        sealed = issue.seal(ctx, tx, pool, client, grant, draft)
    return sealed.result()


def post_authentication(
    ctx: Context, pool: Pool, client: Client, grant: issue.Grant, client_metadata: Mapping[str, str] | None
) -> None:
    """The PostAuthentication trigger, if the pool has one (managed login runs it at sign-in, before the code)."""
    if triggers.has_trigger(pool, "PostAuthentication"):
        event = events.post_authentication(
            triggers.caller(ctx, pool, client.id),
            grant.user.username,
            triggers.user_attributes(grant.user),
            client_metadata=client_metadata,
        )
        triggers.run_trigger(ctx, pool, "PostAuthentication", event)


def pre_token_generation(
    ctx: Context,
    pool: Pool,
    client: Client,
    grant: issue.Grant,
    draft: issue.Draft,
    client_metadata: Mapping[str, str] | None,
) -> issue.Draft:
    if not triggers.has_trigger(pool, "PreTokenGeneration"):
        return draft
    version = triggers.token_generation_version(pool)
    scopes = str(draft.access_claims.get("scope", "")).split()
    event = token_events.pre_token_generation(
        grant.source,
        triggers.caller(ctx, pool, client.id),
        grant.user.username,
        triggers.user_attributes(grant.user),
        token_events.GroupConfiguration(list(draft.groups)),
        lambda_version=version,
        scopes=scopes,
        client_metadata=client_metadata,
    )
    response = triggers.run_trigger(ctx, pool, "PreTokenGeneration", event) or {}
    overrides = token_events.read_pre_token_generation(response, version)
    id_claims = token_events.apply_token_changes(draft.id_claims, overrides.id_token)
    id_claims = token_events.apply_group_override(id_claims, overrides.groups)
    access_claims = token_events.apply_token_changes(draft.access_claims, overrides.access_token)
    if overrides.groups is not None:
        access_claims.pop("cognito:groups", None)
        if overrides.groups.groups:
            access_claims["cognito:groups"] = list(overrides.groups.groups)
    return replace(draft, id_claims=id_claims, access_claims=access_claims)
