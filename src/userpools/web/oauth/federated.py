"""What every federated sign-in shares once the provider's answer is verified (OIDC, social and SAML alike):
the attribute mapping, the federated user ``<ProviderName>_<id>`` (created on first sign-in, status
EXTERNAL_PROVIDER, its ``identities`` and the ``<poolId>_<ProviderName>`` group) or the native user the identity
is linked to, the sign-in triggers, and the code (or tokens) sent to the app's callback."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from userpools.domain.groups import Group
from userpools.domain.users import User, UserStatus
from userpools.errors import ServiceError
from userpools.operations.auth import completion, issue
from userpools.steps import triggers
from userpools.steps.context import Context
from userpools.storage.identity_providers import ProviderRecord
from userpools.storage.unit import Tx
from userpools.web.login import render
from userpools.web.oauth import authorize, sessions
from userpools.web.oauth.site import Site

SUBJECT = "Cognito_Subject"


class Refused(Exception):
    """The provider's answer cannot be trusted or used."""


@dataclass(frozen=True)
class Identity:
    """A verified external identity: its subject (``Cognito_Subject``: OIDC's sub, SAML's NameID, Facebook's id,
    Amazon's user_id), the claims to map, and the issuer shown in ``identities`` (None for OAuth providers)."""

    subject: str
    claims: dict[str, Any]
    issuer: str | None = None


def mapped(record: ProviderRecord, claims: dict[str, Any]) -> dict[str, str]:
    """Pool attributes from the provider's claims. A claim with several values (a SAML attribute's values) is
    written as ``[a, b]``; a JSON value that is not a string as its JSON."""
    values: dict[str, str] = {}
    for attribute, claim in record.attribute_mapping.items():
        if attribute == "username" or claim not in claims:
            continue
        value = claims[claim]
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            values[attribute] = value[0] if len(value) == 1 else f"[{', '.join(value)}]"
        else:
            values[attribute] = value if isinstance(value, str) else json.dumps(value)
    return values


def username_of(record: ProviderRecord, identity: Identity) -> str:
    """``<ProviderName>_<subject>``, or with OIDC's ``username`` mapping ``<ProviderName>_<that claim>``."""
    claim = record.attribute_mapping.get("username") if record.type == "OIDC" else None
    value = identity.claims.get(claim) if claim else None
    return f"{record.name}_{value if isinstance(value, str) and value else identity.subject}"


def _identity(record: ProviderRecord, identity: Identity, created: datetime) -> dict[str, Any]:
    return {
        "userId": identity.subject,
        "providerName": record.name,
        "providerType": record.type,
        "issuer": identity.issuer,
        "primary": "true",
        "dateCreated": str(int(created.timestamp() * 1000)),
    }


def _user(context: Context, tx: Tx, site: Site, record: ProviderRecord, identity: Identity) -> User:
    """The linked native user, or the federated user (created on first sign-in), its mapped attributes updated."""
    pool, subject, now = site.pool, identity.subject, context.clock.now()
    values = mapped(record, identity.claims)
    link = tx.identity_providers.linked(pool.id, record.name, SUBJECT, subject)
    if link is not None:
        user = tx.users.get_by_id(link.user_id)
        if user is None:
            raise Refused("The linked user no longer exists.")
        identities = json.loads(user.attributes.get("identities", "[]"))
        if not any(i.get("userId") == subject and i.get("providerName") == record.name for i in identities):
            identities.append(_identity(record, identity, now))
            user.attributes["identities"] = json.dumps(identities)
            user.modified = now
            tx.users.update(user)
        return user
    username = username_of(record, identity)
    user = tx.users.get(pool.id, pool.username_key(username))
    if user is None:
        sub = str(uuid.uuid4())
        attributes = {"sub": sub, **values, "identities": json.dumps([_identity(record, identity, now)])}
        user = User(pool.id, username, sub, UserStatus.EXTERNAL_PROVIDER, True, attributes, now, now)
        if not tx.users.claim(user, pool.username_key(username)):
            raise Refused("The federated user is being created by another request.")
        group = f"{pool.id}_{record.name}"
        if tx.groups.get(pool.id, group) is None:
            tx.groups.insert(Group(pool.id, group, None, None, None, now, now))
    else:
        user.attributes.update(values)  # the mapping is applied again at each sign-in
        user.modified = now
        tx.users.update(user)
    assert user.id is not None
    tx.groups.add_member(pool.id, f"{pool.id}_{record.name}", user.id)
    return user


def _new(context: Context, site: Site, record: ProviderRecord, identity: Identity) -> bool:
    """Whether this identity signs in for the first time (no link, no federated user yet)."""
    pool = site.pool
    with context.store.transaction(write=False) as tx:
        if tx.identity_providers.linked(pool.id, record.name, SUBJECT, identity.subject) is not None:
            return False
        return tx.users.get(pool.id, pool.username_key(username_of(record, identity))) is None


def signed_in(context: Context, site: Site, client_id: str, record: ProviderRecord, identity: Identity) -> User:
    """The user, with the triggers of a federated sign-in: PreSignUp_ExternalProvider and
    PostConfirmation_ConfirmSignUp the first time, then PreAuthentication_Authentication."""
    pool = site.pool
    new = _new(context, site, record, identity)
    if new:
        triggers.pre_sign_up(
            context,
            pool,
            "PreSignUp_ExternalProvider",
            username_of(record, identity),
            mapped(record, identity.claims),
            validation_data=None,
            client_metadata=None,
            client_id=client_id,
        )
    with context.store.transaction() as tx:
        user = _user(context, tx, site, record, identity)
    if new:
        triggers.post_confirmation(
            context, pool, "PostConfirmation_ConfirmSignUp", user, client_metadata=None, client_id=client_id
        )
    triggers.pre_authentication(context, pool, client_id, user.username, user, validation_data=None)
    return user


def finish(
    context: Context,
    site: Site,
    request: Request,
    req: authorize.AuthorizationRequest,
    record: ProviderRecord,
    identity: Identity,
) -> tuple[Response, str | None]:
    """Sign the identity in and send the code (or tokens) to the app's callback: (the response, the value of the
    session cookie it sets, None when refused)."""
    try:
        user = signed_in(context, site, req.client.id, record, identity)
    except Refused as refused:
        return render.error_page(context, site, request, str(refused), 401), None
    except ServiceError as error:  # a trigger refused
        return render.error_page(context, site, request, error.message, 400), None
    if not user.enabled:
        return render.error_page(context, site, request, "User is disabled.", 403), None
    now = context.clock.now()
    earned = issue.Grant(user, "TokenGeneration_HostedAuth", now, scopes=req.scopes, nonce=req.nonce)
    completion.post_authentication(context, site.pool, req.client, earned, None)
    response = authorize.grant(context, site, req, user, now)
    return response, sessions.start(context, site, user, now, response)
