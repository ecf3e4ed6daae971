"""AdminLinkProviderForUser and AdminDisableProviderForUser: an identity of an external provider is linked to
a native user (it then signs in as that user), or unlinked and kept from signing in."""

from __future__ import annotations

from typing import Any

from userpools.domain.errors import (
    AliasExistsException,
    InvalidParameterException,
    LimitExceededException,
    ResourceNotFoundException,
)
from userpools.domain.federation import SOCIAL
from userpools.domain.users import UserStatus
from userpools.operations.registry import operation
from userpools.steps.common import find_user, load_pool, load_user
from userpools.steps.context import Context
from userpools.storage.errors import Conflict
from userpools.storage.identity_providers import LinkRecord, ProviderRecord
from userpools.storage.unit import Tx

MAX_LINKS = 5  # federated identities linked to one user
SUBJECT = "Cognito_Subject"


def _provider(tx: Tx, pool_id: str, identity: dict[str, Any]) -> tuple[ProviderRecord, str, str]:
    name, attribute, value = (
        identity.get(k) for k in ("ProviderName", "ProviderAttributeName", "ProviderAttributeValue")
    )
    if not name or not value:
        raise InvalidParameterException("ProviderName and ProviderAttributeValue are required.")
    record = tx.identity_providers.get(pool_id, name)
    if record is None:
        raise ResourceNotFoundException(f"Identity provider {name} does not exist.")
    attribute = attribute or SUBJECT
    if record.type in SOCIAL and attribute != SUBJECT:
        raise InvalidParameterException(f"ProviderAttributeName must be {SUBJECT} for {record.type} providers.")
    return record, attribute, value


@operation("AdminLinkProviderForUser")
def admin_link_provider_for_user(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    destination, source = params["DestinationUser"], params["SourceUser"]
    if str(destination.get("ProviderName", "")).lower() != "cognito":
        raise InvalidParameterException("DestinationUser must be a user of the user pool (ProviderName Cognito).")
    with ctx.store.transaction() as tx:
        pool = load_pool(tx, params["UserPoolId"])
        user = load_user(tx, pool, str(destination.get("ProviderAttributeValue") or ""))
        if user.status == UserStatus.EXTERNAL_PROVIDER:
            raise InvalidParameterException("DestinationUser must be a native user, not a federated one.")
        record, attribute, value = _provider(tx, pool.id, source)
        if attribute == SUBJECT and find_user(tx, pool, f"{record.name}_{value}") is not None:
            raise InvalidParameterException(
                "Merging is not currently supported, provide a SourceUser that has not been used to sign-in "
                "to the user pool"
            )
        assert user.id is not None
        existing = tx.identity_providers.linked(pool.id, record.name, attribute, value)
        if existing is not None:
            if existing.user_id == user.id:
                return {}
            raise AliasExistsException("The SourceUser is already linked to another user.")
        if tx.identity_providers.links_of(user.id) >= MAX_LINKS:
            raise LimitExceededException(f"A user can be linked to at most {MAX_LINKS} federated identities.")
        try:
            tx.identity_providers.link(LinkRecord(pool.id, record.name, attribute, value, user.id), ctx.clock.now())
        except Conflict:
            raise AliasExistsException("The SourceUser is already linked to another user.") from None
    return {}


@operation("AdminDisableProviderForUser")
def admin_disable_provider_for_user(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """A provider's identity: its link removed, and the federated user it signed in as disabled. A native user
    (ProviderName Cognito, Cognito_Subject, its username): its password no longer signs it in."""
    identity = params["User"]
    with ctx.store.transaction() as tx:
        pool = load_pool(tx, params["UserPoolId"])
        if str(identity.get("ProviderName", "")).lower() == "cognito":
            if identity.get("ProviderAttributeName") != SUBJECT:
                raise InvalidParameterException(f"ProviderAttributeName must be {SUBJECT} for Cognito users.")
            user = load_user(tx, pool, str(identity.get("ProviderAttributeValue") or ""))
            user.credentials = None
            user.modified = ctx.clock.now()
            tx.users.update(user)
            return {}
        record, attribute, value = _provider(tx, pool.id, identity)
        tx.identity_providers.unlink(pool.id, record.name, attribute, value)
        federated = find_user(tx, pool, f"{record.name}_{value}") if attribute == SUBJECT else None
        if federated is not None and federated.status == UserStatus.EXTERNAL_PROVIDER:
            federated.enabled = False
            federated.modified = ctx.clock.now()
            tx.users.update(federated)
    return {}
