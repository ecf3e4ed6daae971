"""Identity providers through boto3 against the live server (SQLite and PostgreSQL): create (with OIDC
discovery and SAML metadata read as Cognito reads them), describe, update, list, find by identifier, delete,
and Cognito's refusals."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import error_of
from tests.federation.discovery import issuer
from tests.support.servers import free_port

GOOGLE = {"client_id": "g-id", "client_secret": "g-secret", "authorize_scopes": "openid email profile"}
METADATA = """<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="https://idp.example.com/slo"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="https://idp.example.com/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"""


@pytest.fixture
def oidc_issuer() -> Iterator[str]:
    with issuer() as url:
        yield url


def _oidc(url: str, **extra: str) -> dict[str, str]:
    return {
        "client_id": "up-client",
        "client_secret": "up-secret",
        "attributes_request_method": "GET",
        "oidc_issuer": url,
        "authorize_scopes": "openid email",
        **extra,
    }


def test_oidc_provider_lifecycle(cognito: Any, pool: str, oidc_issuer: str) -> None:
    created = cognito.create_identity_provider(
        UserPoolId=pool,
        ProviderName="Upstream",
        ProviderType="OIDC",
        ProviderDetails=_oidc(oidc_issuer),
        AttributeMapping={"email": "email", "username": "sub"},
        IdpIdentifiers=["corp.example.com"],
    )["IdentityProvider"]
    assert created["ProviderName"] == "Upstream" and created["ProviderType"] == "OIDC"
    details = created["ProviderDetails"]
    assert details == {**_oidc(oidc_issuer), "attributes_url_add_attributes": "false"}  # discovered ones not shown
    described = cognito.describe_identity_provider(UserPoolId=pool, ProviderName="Upstream")["IdentityProvider"]
    assert described["ProviderDetails"] == details and described["AttributeMapping"]["email"] == "email"
    found = cognito.get_identity_provider_by_identifier(UserPoolId=pool, IdpIdentifier="corp.example.com")
    assert found["IdentityProvider"]["ProviderName"] == "Upstream"

    updated = cognito.update_identity_provider(
        UserPoolId=pool, ProviderName="Upstream", IdpIdentifiers=["other"], AttributeMapping={"name": "name"}
    )["IdentityProvider"]
    assert updated["IdpIdentifiers"] == ["other"] and updated["AttributeMapping"] == {"name": "name"}
    assert updated["ProviderDetails"] == details  # omitted members are kept
    with pytest.raises(ClientError) as missing:
        cognito.get_identity_provider_by_identifier(UserPoolId=pool, IdpIdentifier="corp.example.com")
    assert error_of(missing)[0] == "ResourceNotFoundException"
    no_secret = {k: v for k, v in _oidc(oidc_issuer, authorize_scopes="openid").items() if k != "client_secret"}
    again = cognito.update_identity_provider(UserPoolId=pool, ProviderName="Upstream", ProviderDetails=no_secret)
    assert again["IdentityProvider"]["ProviderDetails"]["client_secret"] == "up-secret"  # a secret left out is kept
    assert again["IdentityProvider"]["ProviderDetails"]["authorize_scopes"] == "openid"

    listed = cognito.list_identity_providers(UserPoolId=pool)["Providers"]
    assert [(p["ProviderName"], p["ProviderType"]) for p in listed] == [("Upstream", "OIDC")]
    cognito.delete_identity_provider(UserPoolId=pool, ProviderName="Upstream")
    with pytest.raises(ClientError) as gone:
        cognito.describe_identity_provider(UserPoolId=pool, ProviderName="Upstream")
    assert error_of(gone) == ("ResourceNotFoundException", "Identity provider Upstream does not exist.")


def test_oidc_issuer_unreachable(cognito: Any, pool: str) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(ClientError) as unreachable:
        cognito.create_identity_provider(
            UserPoolId=pool, ProviderName="Dead", ProviderType="OIDC", ProviderDetails=_oidc(dead)
        )
    code, message = error_of(unreachable)
    assert code == "InvalidParameterException" and "Unable to contact well-known endpoint" in message
    every = {
        "authorize_url": f"{dead}/a",
        "token_url": f"{dead}/t",
        "attributes_url": f"{dead}/u",
        "jwks_uri": f"{dead}/j",
    }
    created = cognito.create_identity_provider(  # every endpoint given: nothing to discover
        UserPoolId=pool, ProviderName="Manual", ProviderType="OIDC", ProviderDetails=_oidc(dead, **every)
    )
    assert created["IdentityProvider"]["ProviderDetails"]["jwks_uri"] == f"{dead}/j"


def test_social_providers_get_cognitos_endpoints(cognito: Any, pool: str) -> None:
    google = cognito.create_identity_provider(
        UserPoolId=pool, ProviderName="Google", ProviderType="Google", ProviderDetails=GOOGLE
    )["IdentityProvider"]["ProviderDetails"]
    assert google["authorize_url"] == "https://accounts.google.com/o/oauth2/v2/auth"
    assert google["oidc_issuer"] == "https://accounts.google.com" and google["client_secret"] == "g-secret"
    facebook = cognito.create_identity_provider(
        UserPoolId=pool,
        ProviderName="Facebook",
        ProviderType="Facebook",
        ProviderDetails={"client_id": "f", "client_secret": "s", "authorize_scopes": "public_profile, email"},
    )["IdentityProvider"]["ProviderDetails"]
    assert facebook["api_version"] == "v17.0" and facebook["token_request_method"] == "GET"
    apple = cognito.create_identity_provider(
        UserPoolId=pool,
        ProviderName="SignInWithApple",
        ProviderType="SignInWithApple",
        ProviderDetails={
            "client_id": "c",
            "team_id": "t",
            "key_id": "k",
            "private_key": "p",
            "authorize_scopes": "email",
        },
    )["IdentityProvider"]["ProviderDetails"]
    assert apple["authorize_url"] == "https://appleid.apple.com/auth/authorize"
    # What Describe returned may be sent back: Cognito's own keys are computed again.
    cognito.update_identity_provider(UserPoolId=pool, ProviderName="Google", ProviderDetails=google)


def test_saml_provider_reads_its_metadata(cognito: Any, pool: str) -> None:
    saml = cognito.create_identity_provider(
        UserPoolId=pool,
        ProviderName="Corp",
        ProviderType="SAML",
        ProviderDetails={"MetadataFile": METADATA, "IDPSignout": "true"},
    )["IdentityProvider"]["ProviderDetails"]
    assert saml["SSORedirectBindingURI"] == "https://idp.example.com/sso"
    assert saml["SLORedirectBindingURI"] == "https://idp.example.com/slo"
    with pytest.raises(ClientError) as bad:
        cognito.create_identity_provider(
            UserPoolId=pool, ProviderName="Bad", ProviderType="SAML", ProviderDetails={"MetadataFile": "<nope"}
        )
    assert error_of(bad)[0] == "InvalidParameterException"


@pytest.mark.parametrize(
    ("name", "kind", "details", "mapping", "message"),
    [
        ("MyGoogle", "Google", GOOGLE, {}, "ProviderName must be Google for a provider of type Google."),
        ("Google", "Google", {"client_id": "x", "authorize_scopes": "email"}, {}, "client_secret is required"),
        ("Corp", "SAML", {}, {}, "Exactly one of MetadataFile and MetadataURL"),
        ("Corp", "SAML", {"MetadataFile": METADATA, "MetadataURL": "https://x"}, {}, "Exactly one of"),
        ("Google", "Google", {**GOOGLE, "surprise": "1"}, {}, "Invalid ProviderDetails for Google: surprise."),
        ("Google", "Google", GOOGLE, {"custom:nope": "x"}, "Invalid attribute mapping"),
        ("Google", "Google", GOOGLE, {"username": "sub"}, "Invalid attribute mapping"),
        ("Cognito", "SAML", {"MetadataFile": METADATA}, {}, "ProviderName Cognito is reserved."),
    ],
)
def test_create_refusals(
    cognito: Any, pool: str, name: str, kind: str, details: dict[str, str], mapping: dict[str, str], message: str
) -> None:
    with pytest.raises(ClientError) as refused:
        cognito.create_identity_provider(
            UserPoolId=pool, ProviderName=name, ProviderType=kind, ProviderDetails=details, AttributeMapping=mapping
        )
    code, text = error_of(refused)
    assert code == "InvalidParameterException" and message in text, text


def test_duplicates_and_missing(cognito: Any, pool: str) -> None:
    cognito.create_identity_provider(
        UserPoolId=pool, ProviderName="Google", ProviderType="Google", ProviderDetails=GOOGLE, IdpIdentifiers=["g"]
    )
    with pytest.raises(ClientError) as twice:
        cognito.create_identity_provider(
            UserPoolId=pool, ProviderName="Google", ProviderType="Google", ProviderDetails=GOOGLE
        )
    assert error_of(twice)[0] == "DuplicateProviderException"
    with pytest.raises(ClientError) as taken:
        cognito.create_identity_provider(
            UserPoolId=pool,
            ProviderName="Corp",
            ProviderType="SAML",
            ProviderDetails={"MetadataFile": METADATA},
            IdpIdentifiers=["g"],
        )
    assert error_of(taken) == ("DuplicateProviderException", "The identifier g is already used in this user pool.")
    assert [p["ProviderName"] for p in cognito.list_identity_providers(UserPoolId=pool)["Providers"]] == ["Google"]
    for call in (cognito.update_identity_provider, cognito.delete_identity_provider):
        with pytest.raises(ClientError) as missing:
            call(UserPoolId=pool, ProviderName="Nope")
        assert error_of(missing)[0] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as no_pool:
        cognito.list_identity_providers(UserPoolId="us-east-1_nothere1")
    assert error_of(no_pool)[0] == "ResourceNotFoundException"


def test_list_pages(cognito: Any, pool: str) -> None:
    for name in ("Alpha", "Beta", "Gamma"):
        cognito.create_identity_provider(
            UserPoolId=pool, ProviderName=name, ProviderType="SAML", ProviderDetails={"MetadataFile": METADATA}
        )
    first = cognito.list_identity_providers(UserPoolId=pool, MaxResults=2)
    assert [p["ProviderName"] for p in first["Providers"]] == ["Alpha", "Beta"]
    rest = cognito.list_identity_providers(UserPoolId=pool, MaxResults=2, NextToken=first["NextToken"])
    assert [p["ProviderName"] for p in rest["Providers"]] == ["Gamma"] and "NextToken" not in rest


def test_signing_certificate_is_the_pools_own(cognito: Any, pool: str, make_pool: Any) -> None:
    import base64

    from cryptography import x509

    first = cognito.get_signing_certificate(UserPoolId=pool)["Certificate"]
    assert cognito.get_signing_certificate(UserPoolId=pool)["Certificate"] == first
    certificate = x509.load_der_x509_certificate(base64.b64decode(first))
    assert pool in certificate.subject.rfc4514_string()
    lifetime = certificate.not_valid_after_utc - certificate.not_valid_before_utc
    assert lifetime.days >= 3649
    assert cognito.get_signing_certificate(UserPoolId=make_pool())["Certificate"] != first
    with pytest.raises(ClientError) as missing:
        cognito.get_signing_certificate(UserPoolId="us-east-1_nothere1")
    assert error_of(missing)[0] == "ResourceNotFoundException"


def test_provider_secrets_are_sealed_at_rest(server: Any, cognito: Any, pool: str) -> None:
    from tests.test_secrets_at_rest import in_clear, raw_database

    secret, key = "g-secret-9f3b2c71d0", "apple-private-key-51c0e2"
    cognito.create_identity_provider(
        UserPoolId=pool,
        ProviderName="Google",
        ProviderType="Google",
        ProviderDetails={**GOOGLE, "client_secret": secret},
    )
    details = {"client_id": "c", "team_id": "t", "key_id": "k", "private_key": key, "authorize_scopes": "email"}
    cognito.create_identity_provider(
        UserPoolId=pool, ProviderName="SignInWithApple", ProviderType="SignInWithApple", ProviderDetails=details
    )
    cognito.get_signing_certificate(UserPoolId=pool)
    dump = raw_database(server.database_url)
    assert not in_clear(secret, dump) and not in_clear(key, dump) and b"BEGIN PRIVATE KEY" not in dump
    shown = cognito.describe_identity_provider(UserPoolId=pool, ProviderName="Google")["IdentityProvider"]
    assert shown["ProviderDetails"]["client_secret"] == secret
