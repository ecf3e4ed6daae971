"""``UserPoolClient`` with the constructor shapes of aws-native's ``cognito.UserPoolClient``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, overload

import pulumi
from pulumi.dynamic import CreateResult, UpdateResult

from userpools.pulumi.provider import CognitoProvider
from userpools.pulumi.resource import CognitoArgs, CognitoResource


class UserPoolClientProvider(CognitoProvider):
    """``cognito.UserPoolClient``: CreateUserPoolClient / DescribeUserPoolClient / UpdateUserPoolClient
    (sent every input: it resets what it is not given) / DeleteUserPoolClient. A new pool or a
    change of generate_secret replaces the client. Id ``<UserPoolId>|<ClientId>``."""

    kind = "UserPoolClient"
    fields = {
        "userPoolId": "UserPoolId",
        "clientName": "ClientName",
        "generateSecret": "GenerateSecret",
        "explicitAuthFlows": "ExplicitAuthFlows",
        "readAttributes": "ReadAttributes",
        "writeAttributes": "WriteAttributes",
        "authSessionValidity": "AuthSessionValidity",
        "refreshTokenValidity": "RefreshTokenValidity",
        "accessTokenValidity": "AccessTokenValidity",
        "idTokenValidity": "IdTokenValidity",
        "tokenValidityUnits": "TokenValidityUnits",
        "allowedOAuthFlows": "AllowedOAuthFlows",
        "allowedOAuthFlowsUserPoolClient": "AllowedOAuthFlowsUserPoolClient",
        "allowedOAuthScopes": "AllowedOAuthScopes",
        "callbackUrls": "CallbackURLs",
        "defaultRedirectUri": "DefaultRedirectURI",
        "logoutUrls": "LogoutURLs",
        "supportedIdentityProviders": "SupportedIdentityProviders",
        "analyticsConfiguration": "AnalyticsConfiguration",
        "preventUserExistenceErrors": "PreventUserExistenceErrors",
        "enableTokenRevocation": "EnableTokenRevocation",
        "enablePropagateAdditionalUserContextData": "EnablePropagateAdditionalUserContextData",
        "refreshTokenRotation": "RefreshTokenRotation",
    }
    create_only = frozenset({"userPoolId", "generateSecret"})
    required = ("userPoolId",)
    autoname = "clientName"

    @staticmethod
    def outputs(client: dict[str, Any]) -> dict[str, Any]:
        return {
            "clientId": client["ClientId"],
            "clientSecret": client.get("ClientSecret"),
            "name": client["ClientName"],
        }

    def create(self, props: dict[str, Any]) -> CreateResult:
        params = self.params(props, "CreateUserPoolClient")
        client = self.client().create_user_pool_client(**params)["UserPoolClient"]
        outs = {**self.inputs(props), **self.outputs(client)}
        return CreateResult(f"{client['UserPoolId']}|{client['ClientId']}", outs)

    def fetch(self, id_: str, props: dict[str, Any]) -> dict[str, Any]:
        pool, _, client_id = id_.partition("|")
        client = self.client().describe_user_pool_client(UserPoolId=pool, ClientId=client_id)["UserPoolClient"]
        inputs = self.inputs(props) or {"userPoolId": pool, "clientName": client["ClientName"]}
        return {**inputs, **self.outputs(client)}

    def update(self, id_: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        pool, _, client_id = id_.partition("|")
        params = {**self.params(news, "UpdateUserPoolClient"), "UserPoolId": pool, "ClientId": client_id}
        client = self.client().update_user_pool_client(**params)["UserPoolClient"]
        return UpdateResult({**self.inputs(news), **self.outputs(client)})

    def remove(self, id_: str) -> None:
        pool, _, client_id = id_.partition("|")
        self.client().delete_user_pool_client(UserPoolId=pool, ClientId=client_id)


class UserPoolClientArgs(CognitoArgs):
    """The arguments of a UserPoolClient, named as aws-native names them."""

    _provider = UserPoolClientProvider

    def __init__(
        self,
        *,
        user_pool_id: pulumi.Input[str],
        client_name: pulumi.Input[str] | None = None,
        generate_secret: pulumi.Input[bool] | None = None,
        explicit_auth_flows: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        read_attributes: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        write_attributes: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        auth_session_validity: pulumi.Input[int] | None = None,
        refresh_token_validity: pulumi.Input[int] | None = None,
        access_token_validity: pulumi.Input[int] | None = None,
        id_token_validity: pulumi.Input[int] | None = None,
        token_validity_units: pulumi.Input[Mapping[str, Any]] | None = None,
        allowed_o_auth_flows: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        allowed_o_auth_flows_user_pool_client: pulumi.Input[bool] | None = None,
        allowed_o_auth_scopes: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        callback_urls: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        default_redirect_uri: pulumi.Input[str] | None = None,
        logout_urls: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        supported_identity_providers: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        analytics_configuration: pulumi.Input[Mapping[str, Any]] | None = None,
        prevent_user_existence_errors: pulumi.Input[str] | None = None,
        enable_token_revocation: pulumi.Input[bool] | None = None,
        enable_propagate_additional_user_context_data: pulumi.Input[bool] | None = None,
        refresh_token_rotation: pulumi.Input[Mapping[str, Any]] | None = None,
    ) -> None:
        self._store(locals())


class UserPoolClient(CognitoResource, module="cognito", name="UserPoolClient"):
    """A user pool app client, as aws-native's ``cognito.UserPoolClient``. Output ``id`` is
    ``<UserPoolId>|<ClientId>``; user_pool_id and generate_secret replace it, the rest update in place."""

    _args = UserPoolClientArgs
    _outputs = ("clientId", "clientSecret", "name")

    user_pool_id: pulumi.Output[str | None]
    client_name: pulumi.Output[str | None]
    generate_secret: pulumi.Output[bool | None]
    explicit_auth_flows: pulumi.Output[list[str] | None]
    read_attributes: pulumi.Output[list[str] | None]
    write_attributes: pulumi.Output[list[str] | None]
    auth_session_validity: pulumi.Output[int | None]
    refresh_token_validity: pulumi.Output[int | None]
    access_token_validity: pulumi.Output[int | None]
    id_token_validity: pulumi.Output[int | None]
    token_validity_units: pulumi.Output[dict[str, Any] | None]
    allowed_o_auth_flows: pulumi.Output[list[str] | None]
    allowed_o_auth_flows_user_pool_client: pulumi.Output[bool | None]
    allowed_o_auth_scopes: pulumi.Output[list[str] | None]
    callback_urls: pulumi.Output[list[str] | None]
    default_redirect_uri: pulumi.Output[str | None]
    logout_urls: pulumi.Output[list[str] | None]
    supported_identity_providers: pulumi.Output[list[str] | None]
    analytics_configuration: pulumi.Output[dict[str, Any] | None]
    prevent_user_existence_errors: pulumi.Output[str | None]
    enable_token_revocation: pulumi.Output[bool | None]
    enable_propagate_additional_user_context_data: pulumi.Output[bool | None]
    refresh_token_rotation: pulumi.Output[dict[str, Any] | None]
    client_id: pulumi.Output[str]
    client_secret: pulumi.Output[str]
    name: pulumi.Output[str]

    @overload
    def __init__(
        self,
        resource_name: str,
        args: UserPoolClientArgs | Mapping[str, Any],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None: ...

    @overload
    def __init__(
        self,
        resource_name: str,
        opts: pulumi.ResourceOptions | None = None,
        user_pool_id: pulumi.Input[str] | None = None,
        client_name: pulumi.Input[str] | None = None,
        generate_secret: pulumi.Input[bool] | None = None,
        explicit_auth_flows: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        read_attributes: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        write_attributes: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        auth_session_validity: pulumi.Input[int] | None = None,
        refresh_token_validity: pulumi.Input[int] | None = None,
        access_token_validity: pulumi.Input[int] | None = None,
        id_token_validity: pulumi.Input[int] | None = None,
        token_validity_units: pulumi.Input[Mapping[str, Any]] | None = None,
        allowed_o_auth_flows: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        allowed_o_auth_flows_user_pool_client: pulumi.Input[bool] | None = None,
        allowed_o_auth_scopes: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        callback_urls: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        default_redirect_uri: pulumi.Input[str] | None = None,
        logout_urls: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        supported_identity_providers: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        analytics_configuration: pulumi.Input[Mapping[str, Any]] | None = None,
        prevent_user_existence_errors: pulumi.Input[str] | None = None,
        enable_token_revocation: pulumi.Input[bool] | None = None,
        enable_propagate_additional_user_context_data: pulumi.Input[bool] | None = None,
        refresh_token_rotation: pulumi.Input[Mapping[str, Any]] | None = None,
    ) -> None: ...

    def __init__(self, resource_name: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(resource_name, *args, **kwargs)
