"""Domains, resource servers, UI customization, managed login branding and app clients' OAuth settings,
through boto3 against the live server (SQLite and PostgreSQL)."""

from __future__ import annotations

import base64
import uuid
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import error_of

CERT = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def _prefix() -> str:
    return f"app-{uuid.uuid4().hex[:10]}"


def test_prefix_domain_lifecycle(cognito: Any, pool: str) -> None:
    prefix = _prefix()
    created = cognito.create_user_pool_domain(Domain=prefix, UserPoolId=pool, ManagedLoginVersion=2)
    assert created["ManagedLoginVersion"] == 2 and "CloudFrontDomain" not in created
    described = cognito.describe_user_pool_domain(Domain=prefix)["DomainDescription"]
    assert described["UserPoolId"] == pool and described["Status"] == "ACTIVE" and described["Domain"] == prefix
    assert described["ManagedLoginVersion"] == 2 and "CustomDomainConfig" not in described
    assert cognito.describe_user_pool(UserPoolId=pool)["UserPool"]["Domain"] == prefix
    assert (
        cognito.update_user_pool_domain(Domain=prefix, UserPoolId=pool, ManagedLoginVersion=1)["ManagedLoginVersion"]
        == 1
    )
    assert cognito.describe_user_pool_domain(Domain=prefix)["DomainDescription"]["ManagedLoginVersion"] == 1
    cognito.delete_user_pool_domain(Domain=prefix, UserPoolId=pool)
    assert cognito.describe_user_pool_domain(Domain=prefix)["DomainDescription"] == {}
    assert "Domain" not in cognito.describe_user_pool(UserPoolId=pool)["UserPool"]


def test_domain_defaults_to_managed_login_version_1(cognito: Any, pool: str) -> None:
    prefix = _prefix()
    assert cognito.create_user_pool_domain(Domain=prefix, UserPoolId=pool)["ManagedLoginVersion"] == 1


def test_custom_domain(cognito: Any, pool: str) -> None:
    name = f"auth{uuid.uuid4().hex[:8]}.example.com"
    created = cognito.create_user_pool_domain(Domain=name, UserPoolId=pool, CustomDomainConfig={"CertificateArn": CERT})
    assert created["CloudFrontDomain"].endswith(".cloudfront.net")
    described = cognito.describe_user_pool_domain(Domain=name)["DomainDescription"]
    assert described["CustomDomainConfig"] == {"CertificateArn": CERT}
    prefix = _prefix()
    cognito.create_user_pool_domain(Domain=prefix, UserPoolId=pool)  # one of each kind
    pool_view = cognito.describe_user_pool(UserPoolId=pool)["UserPool"]
    assert (pool_view["CustomDomain"], pool_view["Domain"]) == (name, prefix)
    other = CERT.replace("abc", "def")
    cognito.update_user_pool_domain(Domain=name, UserPoolId=pool, CustomDomainConfig={"CertificateArn": other})
    assert (
        cognito.describe_user_pool_domain(Domain=name)["DomainDescription"]["CustomDomainConfig"]["CertificateArn"]
        == other
    )


def test_domain_errors(cognito: Any, make_pool: Any) -> None:
    first, second = make_pool(), make_pool()
    prefix = _prefix()
    cognito.create_user_pool_domain(Domain=prefix, UserPoolId=first)
    cases = [
        ({"Domain": prefix, "UserPoolId": second}, "Domain already associated with another user pool."),
        ({"Domain": _prefix(), "UserPoolId": first}, "User pool already has a domain configured."),
        ({"Domain": "my-aws-app", "UserPoolId": second}, "Domain cannot contain reserved word: aws"),
        ({"Domain": "cognito-app", "UserPoolId": second}, "Domain cannot contain reserved word: cognito"),
        ({"Domain": "a.b", "UserPoolId": second}, "The domain name contains an invalid character."),
        ({"Domain": _prefix(), "UserPoolId": second, "ManagedLoginVersion": 3}, "ManagedLoginVersion must be 1 or 2."),
    ]
    for params, message in cases:
        with pytest.raises(ClientError) as excinfo:
            cognito.create_user_pool_domain(**params)
        code, text = error_of(excinfo)
        assert code == "InvalidParameterException" and text.startswith(message), (params, text)
    with pytest.raises(ClientError) as excinfo:
        cognito.create_user_pool_domain(Domain="Bad_Name", UserPoolId=second)
    assert error_of(excinfo)[0] == "InvalidParameterException"
    with pytest.raises(ClientError) as excinfo:
        cognito.delete_user_pool_domain(Domain=prefix, UserPoolId=second)
    assert error_of(excinfo) == ("ResourceNotFoundException", "The specified domain does not exist.")
    with pytest.raises(ClientError) as excinfo:
        cognito.create_user_pool_domain(Domain=_prefix(), UserPoolId="us-east-1_missing")
    assert error_of(excinfo)[0] == "ResourceNotFoundException"


def test_resource_servers(cognito: Any, pool: str) -> None:
    scopes = [{"ScopeName": "read", "ScopeDescription": "Read"}, {"ScopeName": "write", "ScopeDescription": "Write"}]
    server = cognito.create_resource_server(
        UserPoolId=pool, Identifier="https://api.example.com", Name="api", Scopes=scopes
    )
    assert server["ResourceServer"] == {
        "UserPoolId": pool,
        "Identifier": "https://api.example.com",
        "Name": "api",
        "Scopes": scopes,
    }
    assert (
        cognito.describe_resource_server(UserPoolId=pool, Identifier="https://api.example.com")["ResourceServer"]
        == server["ResourceServer"]
    )
    with pytest.raises(ClientError) as excinfo:
        cognito.create_resource_server(UserPoolId=pool, Identifier="https://api.example.com", Name="again")
    assert error_of(excinfo)[0] == "InvalidParameterException"
    for n in range(3):
        cognito.create_resource_server(UserPoolId=pool, Identifier=f"svc{n}", Name=f"svc{n}")
    first = cognito.list_resource_servers(UserPoolId=pool, MaxResults=2)
    rest = cognito.list_resource_servers(UserPoolId=pool, MaxResults=2, NextToken=first["NextToken"])
    listed = [s["Identifier"] for s in first["ResourceServers"] + rest["ResourceServers"]]
    assert sorted(listed) == sorted(["https://api.example.com", "svc0", "svc1", "svc2"]) and "NextToken" not in rest
    updated = cognito.update_resource_server(UserPoolId=pool, Identifier="svc0", Name="renamed")["ResourceServer"]
    assert updated["Name"] == "renamed" and updated["Scopes"] == []
    cognito.delete_resource_server(UserPoolId=pool, Identifier="svc0")
    with pytest.raises(ClientError) as excinfo:
        cognito.describe_resource_server(UserPoolId=pool, Identifier="svc0")
    assert error_of(excinfo)[0] == "ResourceNotFoundException"


def test_ui_customization(cognito: Any, pool: str) -> None:
    client = cognito.create_user_pool_client(UserPoolId=pool, ClientName="web")["UserPoolClient"]["ClientId"]
    empty = cognito.get_ui_customization(UserPoolId=pool)["UICustomization"]
    assert empty["UserPoolId"] == pool and "CSS" not in empty
    pool_css = ".banner-customizable { background-color: #123456; }"
    set_ = cognito.set_ui_customization(UserPoolId=pool, CSS=pool_css, ImageFile=PNG)["UICustomization"]
    assert set_["CSS"] == pool_css and set_["ClientId"] == "ALL" and set_["ImageUrl"].endswith("/logo")
    inherited = cognito.get_ui_customization(UserPoolId=pool, ClientId=client)["UICustomization"]
    assert inherited["CSS"] == pool_css and inherited["ClientId"] == client
    cognito.set_ui_customization(UserPoolId=pool, ClientId=client, CSS=".submitButton-customizable { color: red; }")
    own = cognito.get_ui_customization(UserPoolId=pool, ClientId=client)["UICustomization"]
    assert own["CSS"].startswith(".submitButton") and "ImageUrl" not in own
    with pytest.raises(ClientError) as excinfo:
        cognito.set_ui_customization(UserPoolId=pool, ImageFile=b"not an image")
    assert error_of(excinfo)[0] == "InvalidParameterException"


def test_managed_login_branding(cognito: Any, pool: str) -> None:
    client = cognito.create_user_pool_client(UserPoolId=pool, ClientName="web")["UserPoolClient"]["ClientId"]
    settings = {"components": {"primaryButton": {"lightMode": {"defaults": {"backgroundColor": "0972d3ff"}}}}}
    asset = {"Category": "PAGE_HEADER_LOGO", "ColorMode": "LIGHT", "Extension": "PNG", "Bytes": PNG}
    created = cognito.create_managed_login_branding(UserPoolId=pool, ClientId=client, Settings=settings, Assets=[asset])
    branding = created["ManagedLoginBranding"]
    assert branding["Settings"] == settings and branding["UseCognitoProvidedValues"] is False
    assert branding["Assets"][0]["Bytes"] == PNG
    branding_id = branding["ManagedLoginBrandingId"]
    by_client = cognito.describe_managed_login_branding_by_client(UserPoolId=pool, ClientId=client)
    assert by_client["ManagedLoginBranding"]["ManagedLoginBrandingId"] == branding_id
    with pytest.raises(ClientError) as excinfo:
        cognito.create_managed_login_branding(UserPoolId=pool, ClientId=client, UseCognitoProvidedValues=True)
    assert error_of(excinfo)[0] == "ManagedLoginBrandingExistsException"
    updated = cognito.update_managed_login_branding(
        UserPoolId=pool, ManagedLoginBrandingId=branding_id, UseCognitoProvidedValues=True
    )["ManagedLoginBranding"]
    assert updated["UseCognitoProvidedValues"] is True and "Settings" not in updated
    described = cognito.describe_managed_login_branding(UserPoolId=pool, ManagedLoginBrandingId=branding_id)
    assert described["ManagedLoginBranding"]["UseCognitoProvidedValues"] is True
    with pytest.raises(ClientError) as excinfo:
        cognito.update_managed_login_branding(
            UserPoolId=pool, ManagedLoginBrandingId=branding_id, UseCognitoProvidedValues=True, Settings=settings
        )
    assert error_of(excinfo)[0] == "InvalidParameterException"
    cognito.delete_managed_login_branding(UserPoolId=pool, ManagedLoginBrandingId=branding_id)
    with pytest.raises(ClientError) as excinfo:
        cognito.describe_managed_login_branding(UserPoolId=pool, ManagedLoginBrandingId=branding_id)
    assert error_of(excinfo)[0] == "ResourceNotFoundException"


def _client_error(cognito: Any, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        cognito.create_user_pool_client(ClientName="c", **params)
    return error_of(excinfo)


def test_client_oauth_validation(cognito: Any, pool: str) -> None:
    cognito.create_resource_server(
        UserPoolId=pool, Identifier="api", Name="api", Scopes=[{"ScopeName": "read", "ScopeDescription": "r"}]
    )
    oauth = {"UserPoolId": pool, "AllowedOAuthFlowsUserPoolClient": True, "SupportedIdentityProviders": ["COGNITO"]}
    cb = ["https://app.example.com/cb"]
    assert _client_error(
        cognito,
        **oauth,
        AllowedOAuthFlows=["code", "client_credentials"],
        AllowedOAuthScopes=["api/read"],
        GenerateSecret=True,
    ) == (
        "InvalidOAuthFlowException",
        "client_credentials flow can not be selected along with code flow or implicit flow.",
    )
    assert _client_error(
        cognito, **oauth, AllowedOAuthFlows=["client_credentials"], AllowedOAuthScopes=["api/read"]
    ) == (
        "InvalidOAuthFlowException",
        "client_credentials flow can not be selected if client does not have a client secret.",
    )
    assert _client_error(
        cognito, **oauth, AllowedOAuthFlows=["code"], AllowedOAuthScopes=["api/nope"], CallbackURLs=cb
    ) == (
        "ScopeDoesNotExistException",
        "Invalid scope requested: api/nope",
    )
    code, _ = _client_error(cognito, **oauth, AllowedOAuthFlows=["code"], AllowedOAuthScopes=["openid"])
    assert code == "InvalidParameterException"  # no callback URL
    code, message = _client_error(
        cognito,
        **oauth,
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid"],
        CallbackURLs=["http://app.example.com/cb"],
    )
    assert code == "InvalidParameterException" and "callback" in message
    code, _ = _client_error(
        cognito,
        **oauth,
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid"],
        CallbackURLs=cb,
        DefaultRedirectURI="https://elsewhere.example.com/cb",
    )
    assert code == "InvalidParameterException"
    assert _client_error(cognito, UserPoolId=pool, ReadAttributes=["custom:nope"]) == (
        "InvalidParameterException",
        "Invalid read attributes specified while creating a client",
    )
    assert _client_error(cognito, UserPoolId=pool, WriteAttributes=["custom:nope"]) == (
        "InvalidParameterException",
        "Invalid write attributes specified while creating a client",
    )
    fine = cognito.create_user_pool_client(
        ClientName="web",
        **oauth,
        AllowedOAuthFlows=["code", "implicit"],
        AllowedOAuthScopes=["openid", "email", "api/read"],
        CallbackURLs=[*cb, "http://localhost:3000/cb", "myapp://cb"],
        LogoutURLs=["http://127.0.0.1/out"],
        ReadAttributes=["email", "name"],
        WriteAttributes=["name"],
    )["UserPoolClient"]
    assert fine["AllowedOAuthFlows"] == ["code", "implicit"] and fine["AllowedOAuthScopes"][-1] == "api/read"
    machine = cognito.create_user_pool_client(
        ClientName="m2m",
        **oauth,
        AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=["api/read"],
        GenerateSecret=True,
    )["UserPoolClient"]
    with pytest.raises(ClientError) as excinfo:
        cognito.update_user_pool_client(UserPoolId=pool, ClientId=machine["ClientId"], WriteAttributes=["sub"])
    assert error_of(excinfo) == (
        "InvalidParameterException",
        "Invalid write attributes specified while updating a client",
    )
