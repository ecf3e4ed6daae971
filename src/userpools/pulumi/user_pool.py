"""``UserPool`` with the constructor shapes of aws-native's ``cognito.UserPool``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, overload

import pulumi
from pulumi.dynamic import CreateResult, UpdateResult

from userpools.pulumi.provider import CognitoProvider, loose_key, shaped
from userpools.pulumi.resource import CognitoArgs, CognitoResource


def _camel(name: str) -> str:
    return name[0].lower() + name[1:]


class UserPoolProvider(CognitoProvider):
    """``cognito.UserPool``: CreateUserPool / DescribeUserPool / UpdateUserPool (+ AddCustomAttributes) /
    DeleteUserPool. UpdateUserPool resets what it is not given, so an update sends every input.
    Inputs UpdateUserPool does not take (alias and username attributes, username configuration)
    replace the pool; so does a schema change other than added attributes."""

    kind = "UserPool"
    fields = {
        "userPoolName": "PoolName",
        **{
            _camel(p): p
            for p in (
                "Policies",
                "AccountRecoverySetting",
                "AdminCreateUserConfig",
                "AliasAttributes",
                "UsernameAttributes",
                "AutoVerifiedAttributes",
                "DeviceConfiguration",
                "EmailConfiguration",
                "EmailVerificationMessage",
                "EmailVerificationSubject",
                "DeletionProtection",
                "LambdaConfig",
                "MfaConfiguration",
                "SmsAuthenticationMessage",
                "SmsConfiguration",
                "SmsVerificationMessage",
                "Schema",
                "UsernameConfiguration",
                "UserAttributeUpdateSettings",
                "UserPoolTags",
                "VerificationMessageTemplate",
                "UserPoolAddOns",
                "UserPoolTier",
            )
        },
    }
    create_only = frozenset({"aliasAttributes", "usernameAttributes", "usernameConfiguration"})
    autoname = "userPoolName"

    def replaces(self, olds: dict[str, Any], news: dict[str, Any]) -> list[str]:
        replaces = super().replaces(olds, news)
        old, new = _by_name(olds.get("schema")), _by_name(news.get("schema"))
        if any(new.get(name) != entry for name, entry in old.items()):
            replaces.append("schema")
        return replaces

    def outputs(self, pool: dict[str, Any]) -> dict[str, Any]:
        region = pool["Arn"].split(":")[3]
        issuer = f"cognito-idp.{region}.amazonaws.com/{pool['Id']}"
        return {
            "userPoolId": pool["Id"],
            "arn": pool["Arn"],
            "providerName": issuer,
            "providerUrl": f"https://{issuer}",
        }

    def create(self, props: dict[str, Any]) -> CreateResult:
        pool = self.client().create_user_pool(**self.params(props, "CreateUserPool"))["UserPool"]
        return CreateResult(pool["Id"], {**self.inputs(props), **self.outputs(pool)})

    def fetch(self, id_: str, props: dict[str, Any]) -> dict[str, Any]:
        pool = self.client().describe_user_pool(UserPoolId=id_)["UserPool"]
        return {**(self.inputs(props) or {"userPoolName": pool["Name"]}), **self.outputs(pool)}

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        self.client().update_user_pool(UserPoolId=id_, **self.params(news, "UpdateUserPool"))
        old = _by_name(olds.get("schema"))
        added = [entry for name, entry in _by_name(news.get("schema")).items() if name not in old]
        if added:
            shape = self.client().meta.service_model.operation_model("AddCustomAttributes").input_shape
            self.client().add_custom_attributes(
                UserPoolId=id_, CustomAttributes=shaped(added, shape.members["CustomAttributes"])
            )
        pool = self.client().describe_user_pool(UserPoolId=id_)["UserPool"]
        return UpdateResult({**self.inputs(news), **self.outputs(pool)})

    def remove(self, id_: str) -> None:
        self.client().delete_user_pool(UserPoolId=id_)


def _by_name(schema: Any) -> dict[str, Any]:
    entries = schema if isinstance(schema, list) else []
    return {next((v for k, v in e.items() if loose_key(k) == "name"), ""): e for e in entries if isinstance(e, dict)}


class UserPoolArgs(CognitoArgs):
    """The arguments of a UserPool, named as aws-native names them."""

    _provider = UserPoolProvider

    def __init__(
        self,
        *,
        user_pool_name: pulumi.Input[str] | None = None,
        policies: pulumi.Input[Mapping[str, Any]] | None = None,
        account_recovery_setting: pulumi.Input[Mapping[str, Any]] | None = None,
        admin_create_user_config: pulumi.Input[Mapping[str, Any]] | None = None,
        alias_attributes: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        username_attributes: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        auto_verified_attributes: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        device_configuration: pulumi.Input[Mapping[str, Any]] | None = None,
        email_configuration: pulumi.Input[Mapping[str, Any]] | None = None,
        email_verification_message: pulumi.Input[str] | None = None,
        email_verification_subject: pulumi.Input[str] | None = None,
        deletion_protection: pulumi.Input[str] | None = None,
        lambda_config: pulumi.Input[Mapping[str, Any]] | None = None,
        mfa_configuration: pulumi.Input[str] | None = None,
        sms_authentication_message: pulumi.Input[str] | None = None,
        sms_configuration: pulumi.Input[Mapping[str, Any]] | None = None,
        sms_verification_message: pulumi.Input[str] | None = None,
        schema: pulumi.Input[Sequence[pulumi.Input[Mapping[str, Any]]]] | None = None,
        username_configuration: pulumi.Input[Mapping[str, Any]] | None = None,
        user_attribute_update_settings: pulumi.Input[Mapping[str, Any]] | None = None,
        user_pool_tags: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        verification_message_template: pulumi.Input[Mapping[str, Any]] | None = None,
        user_pool_add_ons: pulumi.Input[Mapping[str, Any]] | None = None,
        user_pool_tier: pulumi.Input[str] | None = None,
    ) -> None:
        self._store(locals())


class UserPool(CognitoResource, module="cognito", name="UserPool"):
    """A Cognito user pool, as aws-native's ``cognito.UserPool``. Output ``id`` is the pool id. Inputs UpdateUserPool
    takes update in place; alias_attributes, username_attributes, username_configuration and a schema change
    other than added attributes replace the pool. Nested settings are dicts (snake_case, camelCase or
    Cognito's own keys)."""

    _args = UserPoolArgs
    _outputs = ("userPoolId", "arn", "providerName", "providerUrl")

    user_pool_name: pulumi.Output[str | None]
    policies: pulumi.Output[dict[str, Any] | None]
    account_recovery_setting: pulumi.Output[dict[str, Any] | None]
    admin_create_user_config: pulumi.Output[dict[str, Any] | None]
    alias_attributes: pulumi.Output[list[str] | None]
    username_attributes: pulumi.Output[list[str] | None]
    auto_verified_attributes: pulumi.Output[list[str] | None]
    device_configuration: pulumi.Output[dict[str, Any] | None]
    email_configuration: pulumi.Output[dict[str, Any] | None]
    email_verification_message: pulumi.Output[str | None]
    email_verification_subject: pulumi.Output[str | None]
    deletion_protection: pulumi.Output[str | None]
    lambda_config: pulumi.Output[dict[str, Any] | None]
    mfa_configuration: pulumi.Output[str | None]
    sms_authentication_message: pulumi.Output[str | None]
    sms_configuration: pulumi.Output[dict[str, Any] | None]
    sms_verification_message: pulumi.Output[str | None]
    schema: pulumi.Output[list[dict[str, Any]] | None]
    username_configuration: pulumi.Output[dict[str, Any] | None]
    user_attribute_update_settings: pulumi.Output[dict[str, Any] | None]
    user_pool_tags: pulumi.Output[dict[str, str] | None]
    verification_message_template: pulumi.Output[dict[str, Any] | None]
    user_pool_add_ons: pulumi.Output[dict[str, Any] | None]
    user_pool_tier: pulumi.Output[str | None]
    user_pool_id: pulumi.Output[str]
    arn: pulumi.Output[str]
    provider_name: pulumi.Output[str]
    provider_url: pulumi.Output[str]

    @overload
    def __init__(
        self, resource_name: str, args: UserPoolArgs | Mapping[str, Any], opts: pulumi.ResourceOptions | None = None
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        user_pool_name: pulumi.Input[str] | None = None,
        policies: pulumi.Input[Mapping[str, Any]] | None = None,
        account_recovery_setting: pulumi.Input[Mapping[str, Any]] | None = None,
        admin_create_user_config: pulumi.Input[Mapping[str, Any]] | None = None,
        alias_attributes: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        username_attributes: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        auto_verified_attributes: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        device_configuration: pulumi.Input[Mapping[str, Any]] | None = None,
        email_configuration: pulumi.Input[Mapping[str, Any]] | None = None,
        email_verification_message: pulumi.Input[str] | None = None,
        email_verification_subject: pulumi.Input[str] | None = None,
        deletion_protection: pulumi.Input[str] | None = None,
        lambda_config: pulumi.Input[Mapping[str, Any]] | None = None,
        mfa_configuration: pulumi.Input[str] | None = None,
        sms_authentication_message: pulumi.Input[str] | None = None,
        sms_configuration: pulumi.Input[Mapping[str, Any]] | None = None,
        sms_verification_message: pulumi.Input[str] | None = None,
        schema: pulumi.Input[Sequence[pulumi.Input[Mapping[str, Any]]]] | None = None,
        username_configuration: pulumi.Input[Mapping[str, Any]] | None = None,
        user_attribute_update_settings: pulumi.Input[Mapping[str, Any]] | None = None,
        user_pool_tags: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        verification_message_template: pulumi.Input[Mapping[str, Any]] | None = None,
        user_pool_add_ons: pulumi.Input[Mapping[str, Any]] | None = None,
        user_pool_tier: pulumi.Input[str] | None = None,
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(resource_name, *args, **kwargs)
