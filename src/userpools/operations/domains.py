"""User pool domains: CreateUserPoolDomain, DescribeUserPoolDomain, UpdateUserPoolDomain,
DeleteUserPoolDomain. A domain is served at once (Status ACTIVE): there is no CloudFront to wait for."""

from __future__ import annotations

import hashlib
from typing import Any

from userpools.domain import oauth
from userpools.domain.errors import InvalidParameterException, ResourceNotFoundException
from userpools.operations.registry import operation
from userpools.steps.common import load_pool
from userpools.steps.context import Context
from userpools.storage.domains import DomainRecord
from userpools.storage.errors import Conflict


def cloudfront_name(domain: str) -> str:
    """A stable stand-in for the CloudFront distribution a custom domain's DNS would point at."""
    return f"d{hashlib.sha256(domain.encode()).hexdigest()[:13]}.cloudfront.net"


def describe(ctx: Context, record: DomainRecord) -> dict[str, Any]:
    """DomainDescriptionType."""
    out: dict[str, Any] = {
        "UserPoolId": record.pool_id,
        "AWSAccountId": ctx.settings.account_id,
        "Domain": record.domain,
        "S3Bucket": "aws-cognito-prod-userpools-assets",
        "CloudFrontDistribution": cloudfront_name(record.domain) if record.custom else f"{record.domain}.auth",
        "Version": str(int(record.created.timestamp())),
        "Status": "ACTIVE",
        "ManagedLoginVersion": record.config.get("ManagedLoginVersion", 1),
    }
    if record.custom:
        out["CustomDomainConfig"] = record.config["CustomDomainConfig"]
    return out


def _answer(record: DomainRecord) -> dict[str, Any]:
    out: dict[str, Any] = {"ManagedLoginVersion": record.config.get("ManagedLoginVersion", 1)}
    if record.custom:
        out["CloudFrontDomain"] = cloudfront_name(record.domain)
    return out


@operation("CreateUserPoolDomain")
def create_user_pool_domain(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    name = params["Domain"]
    custom = params.get("CustomDomainConfig")
    if custom is None:
        oauth.check_prefix(name)
    else:
        oauth.check_custom_domain(name)
    config: dict[str, Any] = {
        "ManagedLoginVersion": oauth.check_managed_login_version(params.get("ManagedLoginVersion"))
    }
    if custom is not None:
        config["CustomDomainConfig"] = custom
    with ctx.store.transaction() as tx:
        pool = load_pool(tx, params["UserPoolId"])
        if tx.domains.get(name) is not None:
            raise InvalidParameterException("Domain already associated with another user pool.")
        if any(d.custom == (custom is not None) for d in tx.domains.of_pool(pool.id)):
            raise InvalidParameterException("User pool already has a domain configured.")
        record = DomainRecord(name, pool.id, custom is not None, config, ctx.clock.now())
        try:
            tx.domains.insert(record)
        except Conflict:
            raise InvalidParameterException("Domain already associated with another user pool.") from None
    return _answer(record)


def _owned(ctx: Context, tx: Any, pool_id: str, name: str) -> DomainRecord:
    load_pool(tx, pool_id)
    record: DomainRecord | None = tx.domains.get(name)
    if record is None or record.pool_id != pool_id:
        raise ResourceNotFoundException("The specified domain does not exist.")
    return record


@operation("DescribeUserPoolDomain")
def describe_user_pool_domain(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction(write=False) as tx:
        record = tx.domains.get(params["Domain"])
    return {"DomainDescription": describe(ctx, record) if record else {}}


@operation("UpdateUserPoolDomain")
def update_user_pool_domain(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    """Changes the managed login version, or a custom domain's certificate (CustomDomainConfig)."""
    with ctx.store.transaction() as tx:
        record = _owned(ctx, tx, params["UserPoolId"], params["Domain"])
        config = dict(record.config)
        if params.get("ManagedLoginVersion") is not None:
            config["ManagedLoginVersion"] = oauth.check_managed_login_version(params["ManagedLoginVersion"])
        if params.get("CustomDomainConfig") is not None:
            if not record.custom:
                raise InvalidParameterException("CustomDomainConfig can only be updated for a custom domain.")
            config["CustomDomainConfig"] = params["CustomDomainConfig"]
        tx.domains.update_config(record.domain, config)
    return _answer(DomainRecord(record.domain, record.pool_id, record.custom, config, record.created))


@operation("DeleteUserPoolDomain")
def delete_user_pool_domain(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        record = _owned(ctx, tx, params["UserPoolId"], params["Domain"])
        tx.domains.delete(record.domain)
    return {}
