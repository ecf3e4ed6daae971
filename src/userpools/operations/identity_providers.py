"""Identity providers: CreateIdentityProvider, DescribeIdentityProvider, UpdateIdentityProvider,
DeleteIdentityProvider, ListIdentityProviders, GetIdentityProviderByIdentifier.

OIDC providers have their discovery document read at create and update (unless every endpoint is given), SAML
providers their metadata; both outside the transaction. Secret details (client_secret, private_key) are kept
sealed; Describe shows them, as Cognito does. Endpoints learnt by discovery are kept apart from the details
(Cognito shows only the endpoints it could not discover)."""

from __future__ import annotations

import json
from typing import Any

from userpools.domain import federation, sealing
from userpools.domain.errors import (
    DuplicateProviderException,
    InvalidParameterException,
    LimitExceededException,
    ResourceNotFoundException,
)
from userpools.domain.schema import STANDARD_NAMES
from userpools.operations.registry import operation
from userpools.steps import federation_discovery as discovery
from userpools.steps import pagination
from userpools.steps.common import load_pool
from userpools.steps.context import Context
from userpools.storage.errors import Conflict
from userpools.storage.identity_providers import ProviderRecord
from userpools.storage.unit import Tx

SEALED_AS = "provider-secrets"
MAX_PROVIDERS = 300  # Cognito's quota of identity providers per pool
DISCOVERED = "_discovered"  # the key, in the stored details, of what discovery found (never shown)


def details_of(ctx: Context, record: ProviderRecord) -> dict[str, str]:
    """The details as Describe shows them: secrets unsealed, discovered endpoints left out."""
    details = {k: v for k, v in record.details.items() if not k.startswith("_")}
    if record.secrets:
        details.update(json.loads(sealing.unseal(ctx.keyring, SEALED_AS, record.secrets)))
    return dict(sorted(details.items()))


def endpoints_of(record: ProviderRecord) -> dict[str, str]:
    """Every endpoint of the provider, given or discovered (what sign-in uses)."""
    found = json.loads(record.details.get(DISCOVERED, "{}"))
    return {**found, **{k: v for k, v in record.details.items() if not k.startswith("_")}}


def describe(ctx: Context, record: ProviderRecord) -> dict[str, Any]:
    """IdentityProviderType. A SAML provider with EncryptedResponses shows ActiveEncryptionCertificate: the pool's
    signing certificate, whose key also decrypts its assertions (Cognito keeps a separate encryption certificate)."""
    details = details_of(ctx, record)
    if record.type == "SAML" and details.get("EncryptedResponses") == "true":
        pem, _ = signing_pair(ctx, record.pool_id)
        details["ActiveEncryptionCertificate"] = "".join(line for line in pem.splitlines() if "-----" not in line)
    return {
        "UserPoolId": record.pool_id,
        "ProviderName": record.name,
        "ProviderType": record.type,
        "ProviderDetails": dict(sorted(details.items())),
        "AttributeMapping": record.attribute_mapping,
        "IdpIdentifiers": record.idp_identifiers,
        "LastModifiedDate": record.modified,
        "CreationDate": record.created,
    }


def _complete(ctx: Context, kind: str, given: dict[str, str]) -> dict[str, str]:
    """The details to store: what was given, what Cognito adds, and for OIDC what discovery found."""
    details = dict(given)
    if kind in federation.SOCIAL:
        details.update(federation.social_endpoints(kind, given))
    elif kind == "OIDC":
        details["attributes_url_add_attributes"] = "false"
        if any(key not in given for key in federation.OIDC_ENDPOINTS):
            found = discovery.discover(given["oidc_issuer"], ctx.settings.ca_bundle)
            details[DISCOVERED] = json.dumps({k: v for k, v in found.items() if k not in given})
            missing = [key for key in ("authorize_url", "token_url", "jwks_uri") if key not in {**found, **given}]
            if missing:
                raise InvalidParameterException(f"The provider's discovery document has no {', '.join(missing)}.")
    elif kind == "SAML":
        metadata = given.get("MetadataFile") or discovery.fetch_metadata(given["MetadataURL"], ctx.settings.ca_bundle)
        details.update(discovery.saml_endpoints(metadata))
        if "MetadataURL" in given:
            details["_metadata"] = metadata
    return details


def _checked(tx: Tx, pool_id: str, kind: str, mapping: dict[str, str], identifiers: list[str]) -> None:
    pool = load_pool(tx, pool_id)
    federation.check_mapping(kind, mapping, set(STANDARD_NAMES) | {a["Name"] for a in pool.schema})
    federation.check_identifiers(identifiers)


def _sealed(ctx: Context, details: dict[str, str]) -> tuple[dict[str, str], str | None]:
    public, secret = federation.split_secrets(details)
    return public, sealing.seal(ctx.keyring, SEALED_AS, json.dumps(secret)) if secret else None


def _load(tx: Tx, pool_id: str, name: str) -> ProviderRecord:
    load_pool(tx, pool_id)
    record = tx.identity_providers.get(pool_id, name)
    if record is None:
        raise ResourceNotFoundException(f"Identity provider {name} does not exist.")
    return record


def _conflict(error: Conflict, name: str) -> Exception:
    detail = str(error).removeprefix("unique: ")
    if detail.startswith("identifier:"):
        taken = detail.removeprefix("identifier:")
        return DuplicateProviderException(f"The identifier {taken} is already used in this user pool.")
    return DuplicateProviderException(f"A provider with the name {name} already exists in this user pool.")


@operation("CreateIdentityProvider")
def create_identity_provider(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    pool_id, name, kind = params["UserPoolId"], params["ProviderName"], params["ProviderType"]
    mapping = dict(params.get("AttributeMapping") or {})
    identifiers = list(params.get("IdpIdentifiers") or [])
    federation.check_name(name, kind)
    given = federation.check_details(kind, params["ProviderDetails"])
    with ctx.store.transaction(write=False) as tx:  # the cheap checks before the network
        _checked(tx, pool_id, kind, mapping, identifiers)
    details, secrets = _sealed(ctx, _complete(ctx, kind, given))
    now = ctx.clock.now()
    record = ProviderRecord(pool_id, name, kind, details, secrets, mapping, identifiers, now, now)
    with ctx.store.transaction() as tx:
        _checked(tx, pool_id, kind, mapping, identifiers)
        if tx.identity_providers.count(pool_id) >= MAX_PROVIDERS:
            raise LimitExceededException(f"A user pool can have at most {MAX_PROVIDERS} identity providers.")
        try:
            tx.identity_providers.insert(record)
        except Conflict as error:
            raise _conflict(error, name) from None
    return {"IdentityProvider": describe(ctx, record)}


@operation("DescribeIdentityProvider")
def describe_identity_provider(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction(write=False) as tx:
        record = _load(tx, params["UserPoolId"], params["ProviderName"])
    return {"IdentityProvider": describe(ctx, record)}


@operation("GetIdentityProviderByIdentifier")
def get_identity_provider_by_identifier(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction(write=False) as tx:
        load_pool(tx, params["UserPoolId"])
        record = tx.identity_providers.by_identifier(params["UserPoolId"], params["IdpIdentifier"])
    if record is None:
        raise ResourceNotFoundException(f"Identity provider with identifier {params['IdpIdentifier']} does not exist.")
    return {"IdentityProvider": describe(ctx, record)}


@operation("UpdateIdentityProvider")
def update_identity_provider(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Each member given replaces the stored one; an omitted member is kept. Given ProviderDetails that leave out
    a secret (client_secret, private_key) keep the stored secret."""
    pool_id, name = params["UserPoolId"], params["ProviderName"]
    with ctx.store.transaction(write=False) as tx:
        record = _load(tx, pool_id, name)
    mapping = dict(params["AttributeMapping"]) if "AttributeMapping" in params else record.attribute_mapping
    identifiers = list(params["IdpIdentifiers"]) if "IdpIdentifiers" in params else record.idp_identifiers
    details, secrets = record.details, record.secrets
    if "ProviderDetails" in params:
        old_secrets = federation.split_secrets(details_of(ctx, record))[1]
        given = federation.check_details(record.type, {**old_secrets, **params["ProviderDetails"]})
        details, secrets = _sealed(ctx, _complete(ctx, record.type, given))
    with ctx.store.transaction() as tx:
        _checked(tx, pool_id, record.type, mapping, identifiers)
        current = _load(tx, pool_id, name)
        updated = ProviderRecord(
            pool_id, name, record.type, details, secrets, mapping, identifiers, current.created, ctx.clock.now()
        )
        try:
            tx.identity_providers.update(updated)
        except Conflict as error:
            raise _conflict(error, name) from None
    return {"IdentityProvider": describe(ctx, updated)}


@operation("DeleteIdentityProvider")
def delete_identity_provider(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        record = _load(tx, params["UserPoolId"], params["ProviderName"])
        tx.identity_providers.delete(record.pool_id, record.name)
    return {}


@operation("ListIdentityProviders")
def list_identity_providers(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    limit = params.get("MaxResults") or 60
    with ctx.store.transaction(write=False) as tx:
        load_pool(tx, params["UserPoolId"])
        rows = tx.identity_providers.page(
            params["UserPoolId"], pagination.decode(ctx, params.get("NextToken")), limit + 1
        )
    result: dict[str, Any] = {
        "Providers": [
            {
                "ProviderName": r.name,
                "ProviderType": r.type,
                "LastModifiedDate": r.modified,
                "CreationDate": r.created,
            }
            for r in rows[:limit]
        ]
    }
    if len(rows) > limit:
        result["NextToken"] = pagination.encode(ctx, rows[limit - 1].name)
    return result


SIGNING_SEALED_AS = "saml-signing-key"


def signing_pair(ctx: Context, pool_id: str) -> tuple[str, str]:
    """(certificate PEM, private key PEM) of the pool's SAML signing certificate, made on first use: it signs the
    pool's SAML requests (GetSigningCertificate shows it, for the IdP to trust)."""
    with ctx.store.transaction(write=False) as tx:  # made once: later uses only read it
        load_pool(tx, pool_id)
        found = tx.identity_providers.signing_key(pool_id)
    if found is not None:
        return found[0], sealing.unseal(ctx.keyring, SIGNING_SEALED_AS, found[1])
    with ctx.store.transaction() as tx:
        load_pool(tx, pool_id)
        found = tx.identity_providers.signing_key(pool_id)
        if found is None:
            now = ctx.clock.now()
            pem, private = federation.signing_certificate(pool_id, now)
            if tx.identity_providers.add_certificate(
                pool_id, pem, sealing.seal(ctx.keyring, SIGNING_SEALED_AS, private), now
            ):
                return pem, private
            found = tx.identity_providers.signing_key(pool_id)
            assert found is not None
    return found[0], sealing.unseal(ctx.keyring, SIGNING_SEALED_AS, found[1])


@operation("GetSigningCertificate")
def get_signing_certificate(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """The pool's SAML signing certificate, made on first request. Cognito answers with the certificate's
    base64 DER body (no PEM armour)."""
    pem, _ = signing_pair(ctx, params["UserPoolId"])
    body = "".join(line for line in pem.splitlines() if not line.startswith("-----"))
    return {"Certificate": body}
