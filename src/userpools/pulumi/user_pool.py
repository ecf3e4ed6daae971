"""``UserPool`` with the constructor shapes of aws-native's ``cognito.UserPool``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, overload

import pulumi

from userpools.pulumi.provider import UserPoolProvider
from userpools.pulumi.resource import CognitoArgs, CognitoResource


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
