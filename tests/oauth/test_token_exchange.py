"""Token exchange (RFC 8693): GetDerivedToken through boto3, and the token-exchange grant at /oauth2/token
through requests and authlib; every issued token verified by PyJWT against the pool's JWKS with the audience
it was bound to. SQLite and PostgreSQL."""

from __future__ import annotations

import time
from typing import Any

import httpx
import jwt
import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from botocore.exceptions import ClientError

from tests.conftest import error_of
from tests.federation.fake_provider import provider
from tests.oauth.helpers import CALLBACK, code_client, confirmed_user, discovery, oauth_pool, sign_in
from tests.support import Server

GRANT = "urn:ietf:params:oauth:grant-type:token-exchange"
ACCESS = "urn:ietf:params:oauth:token-type:access_token"
ID = "urn:ietf:params:oauth:token-type:id_token"
FLAGS = ["ALLOW_TOKEN_EXCHANGE_IMPERSONATION", "ALLOW_TOKEN_EXCHANGE_DELEGATION"]


def _world(server: Server, cognito: Any, make_pool: Any) -> dict[str, Any]:
    """A pool with an orders API, a user signed in through the code flow (openid, email, orders/read and
    orders/write), and a service client that may exchange tokens and holds its own machine token."""
    pool, _ = oauth_pool(cognito, make_pool)
    cognito.create_resource_server(
        UserPoolId=pool,
        Identifier="orders",
        Name="orders",
        Scopes=[{"ScopeName": "read", "ScopeDescription": "r"}, {"ScopeName": "write", "ScopeDescription": "w"}],
    )
    web = code_client(cognito, pool, scopes=["openid", "email", "orders/read", "orders/write"])
    confirmed_user(cognito, pool)
    service = cognito.create_user_pool_client(
        UserPoolId=pool,
        ClientName="service",
        GenerateSecret=True,
        ExplicitAuthFlows=FLAGS,
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=["orders/read"],
    )["UserPoolClient"]
    config = discovery(server, pool)
    verifier = generate_token(48)
    session = OAuth2Session(
        web["ClientId"],
        web["ClientSecret"],
        scope="openid email orders/read orders/write",
        redirect_uri=CALLBACK,
        code_challenge_method="S256",
    )
    uri, _ = session.create_authorization_url(config["authorization_endpoint"], code_verifier=verifier)
    with httpx.Client() as browser:
        callback = sign_in(browser, uri)
    user = session.fetch_token(config["token_endpoint"], authorization_response=callback, code_verifier=verifier)
    machine = OAuth2Session(service["ClientId"], service["ClientSecret"]).fetch_token(
        config["token_endpoint"], grant_type="client_credentials"
    )
    return {"pool": pool, "config": config, "web": web, "service": service, "user": user, "machine": machine}


def _verify(world: dict[str, Any], token: str, **expected: Any) -> dict[str, Any]:
    config = world["config"]
    key = jwt.PyJWKClient(config["jwks_uri"]).get_signing_key_from_jwt(token)
    return jwt.decode(token, key.key, algorithms=["RS256"], issuer=config["issuer"], **expected)


def test_get_derived_token_impersonation_and_delegation(server: Server, cognito: Any, make_pool: Any) -> None:
    world = _world(server, cognito, make_pool)
    service, user = world["service"], world["user"]
    derived = cognito.get_derived_token(
        ClientId=service["ClientId"],
        ClientSecret=service["ClientSecret"],
        SubjectToken=user["access_token"],
        SubjectTokenType="ACCESS_TOKEN",
        Scopes=["orders/read", "orders/write"],
        Resources=["orders"],
    )
    assert derived["IssuedTokenType"] == "ACCESS_TOKEN" and derived["TokenType"] == "Bearer"
    assert derived["Scopes"] == ["orders/read"]  # orders/write is not the service client's
    assert 0 < derived["ExpiresIn"] <= 3600
    claims = _verify(world, derived["IssuedToken"], audience="orders")
    original = _verify(world, user["access_token"])
    assert claims["sub"] == original["sub"] and claims["username"] == "alice" and "act" not in claims
    assert claims["client_id"] == service["ClientId"] and claims["scope"] == "orders/read"
    assert claims["token_use"] == "access" and claims["origin_jti"] == original["origin_jti"]
    with pytest.raises(jwt.InvalidAudienceError):
        _verify(world, derived["IssuedToken"], audience="billing")

    # Without Scopes, the subject token's own.
    same = cognito.get_derived_token(
        ClientId=service["ClientId"], SubjectToken=user["access_token"], SubjectTokenType="ACCESS_TOKEN"
    )
    assert same["Scopes"] == original["scope"].split()

    # With the service's machine token as actor: delegation, and an act claim naming the service.
    delegated = cognito.get_derived_token(
        ClientId=service["ClientId"],
        ClientSecret=service["ClientSecret"],
        SubjectToken=user["access_token"],
        SubjectTokenType="ACCESS_TOKEN",
        ActorToken=world["machine"]["access_token"],
        ActorTokenType="ACCESS_TOKEN",
        Scopes=["orders/read"],
        Audiences=["billing"],
    )
    claims = _verify(world, delegated["IssuedToken"], audience="billing")
    assert claims["act"] == {"sub": service["ClientId"], "client_id": service["ClientId"]}

    # An ID token for a downstream audience, from the user's ID token.
    issued = cognito.get_derived_token(
        ClientId=service["ClientId"],
        SubjectToken=user["id_token"],
        SubjectTokenType="ID_TOKEN",
        RequestedTokenType="ID_TOKEN",
        Audiences=["profile-service"],
    )
    assert issued["IssuedTokenType"] == "ID_TOKEN"
    id_claims = _verify(world, issued["IssuedToken"], audience="profile-service")
    assert id_claims["token_use"] == "id" and id_claims["email"] == "alice@example.com"


def test_get_derived_token_refusals(server: Server, cognito: Any, make_pool: Any) -> None:
    world = _world(server, cognito, make_pool)
    pool, service, user = world["pool"], world["service"], world["user"]
    base = {"ClientId": service["ClientId"], "SubjectToken": user["access_token"], "SubjectTokenType": "ACCESS_TOKEN"}

    def refused(code: str, **params: Any) -> str:
        with pytest.raises(ClientError) as excinfo:
            cognito.get_derived_token(**{**base, **params})
        found, message = error_of(excinfo)
        assert found == code, (params, message)
        return message

    plain = cognito.create_user_pool_client(UserPoolId=pool, ClientName="plain")["UserPoolClient"]["ClientId"]
    assert "impersonation is not enabled" in refused("InvalidParameterException", ClientId=plain)
    only = cognito.create_user_pool_client(
        UserPoolId=pool, ClientName="only", ExplicitAuthFlows=FLAGS[:1], AllowedOAuthScopes=[]
    )["UserPoolClient"]["ClientId"]
    machine = world["machine"]["access_token"]
    assert "delegation is not enabled" in refused(
        "InvalidParameterException", ClientId=only, ActorToken=machine, ActorTokenType="ACCESS_TOKEN"
    )
    refused("InvalidParameterException", ActorToken=machine)  # no ActorTokenType
    refused("NotAuthorizedException", ClientSecret="x" * 30)
    refused("InvalidParameterException", Audiences=["a"], Resources=["orders"])
    refused("ResourceNotFoundException", Resources=["nosuchapi"])
    refused("InvalidParameterException", Scopes=["orders/write"])  # not the service client's
    assert refused("NotAuthorizedException", SubjectToken=user["access_token"][:-4] + "AAAA") == "Invalid Access Token"
    refused("NotAuthorizedException", SubjectTokenType="ID_TOKEN")  # an access token is not an ID token
    refused("NotAuthorizedException", SubjectToken=machine)  # a machine has no user to impersonate
    refused("InvalidParameterException", SubjectTokenType="SAML2")
    refused("ResourceNotFoundException", SubjectTokenProviderName="Okta", SubjectTokenType="ID_TOKEN")
    refused("ResourceNotFoundException", ClientId="nosuchclient1234567890")

    cognito.admin_disable_user(UserPoolId=pool, Username="alice")
    assert refused("NotAuthorizedException") == "User is disabled."
    cognito.admin_enable_user(UserPoolId=pool, Username="alice")
    cognito.revoke_token(
        Token=user["refresh_token"], ClientId=world["web"]["ClientId"], ClientSecret=world["web"]["ClientSecret"]
    )
    assert refused("NotAuthorizedException") == "Access Token has been revoked"


def test_the_token_exchange_grant_at_the_token_endpoint(server: Server, cognito: Any, make_pool: Any) -> None:
    world = _world(server, cognito, make_pool)
    service, user, endpoint = world["service"], world["user"], world["config"]["token_endpoint"]
    basic = (service["ClientId"], service["ClientSecret"])
    form = {"grant_type": GRANT, "subject_token": user["access_token"], "subject_token_type": ACCESS}

    answer = requests.post(
        endpoint, data={**form, "resource": "orders", "scope": "orders/read"}, auth=basic, timeout=10
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["issued_token_type"] == ACCESS and body["token_type"] == "Bearer" and body["scope"] == "orders/read"
    assert "refresh_token" not in body and body["expires_in"] <= 3600
    assert _verify(world, body["access_token"], audience="orders")["scope"] == "orders/read"
    assert answer.headers["cache-control"] == "no-store"

    # authlib's OAuth2Session with the grant type, an actor token and an ID token asked for.
    session = OAuth2Session(
        service["ClientId"], service["ClientSecret"], token_endpoint_auth_method="client_secret_post"
    )
    token = session.fetch_token(
        endpoint,
        grant_type=GRANT,
        subject_token=user["id_token"],
        subject_token_type=ID,
        actor_token=world["machine"]["access_token"],
        actor_token_type=ACCESS,
        requested_token_type=ID,
        audience="billing",
    )
    assert token["issued_token_type"] == ID
    claims = _verify(world, token["access_token"], audience="billing")
    assert claims["token_use"] == "id" and claims["act"]["sub"] == service["ClientId"]

    def error(data: dict[str, str], auth: tuple[str, str] | None = basic) -> str:
        refused = requests.post(endpoint, data=data, auth=auth, timeout=10)
        assert refused.status_code in (400, 401), refused.text
        return str(refused.json()["error"])

    assert error({**form, "resource": "nosuchapi"}) == "invalid_target"
    assert error({**form, "scope": "orders/write"}) == "invalid_scope"
    assert error({**form, "subject_token": "not-a-token"}) == "invalid_grant"
    assert error({**form, "subject_token_type": "urn:example:other"}) == "invalid_request"
    assert error({**form, "audience": "a", "resource": "orders"}) == "invalid_request"
    assert error({k: v for k, v in form.items() if k != "subject_token"}) == "invalid_request"
    assert error(form, auth=(service["ClientId"], "wrong-secret")) == "invalid_client"
    web = world["web"]
    assert error(form, auth=(web["ClientId"], web["ClientSecret"])) == "unauthorized_client"


def test_an_oidc_providers_id_token_is_exchanged(server: Server, cognito: Any, make_pool: Any) -> None:
    """SubjectTokenProviderName: an ID token of the pool's OIDC provider, verified against its JWKS, stands for
    the user its identity is linked to; ActorTokenProviderName likewise for the actor."""
    world = _world(server, cognito, make_pool)
    pool, service = world["pool"], world["service"]
    with provider() as upstream:
        cognito.create_identity_provider(
            UserPoolId=pool,
            ProviderName="Fake",
            ProviderType="OIDC",
            ProviderDetails={
                "client_id": "fake-client",
                "client_secret": "fake-secret",
                "attributes_request_method": "GET",
                "oidc_issuer": upstream.issuer,
                "authorize_scopes": "openid",
            },
        )
        cognito.admin_link_provider_for_user(
            UserPoolId=pool,
            DestinationUser={"ProviderName": "Cognito", "ProviderAttributeValue": "alice"},
            SourceUser={
                "ProviderName": "Fake",
                "ProviderAttributeName": "Cognito_Subject",
                "ProviderAttributeValue": "fake-user-1",
            },
        )
        now = int(time.time())
        claims = {"iss": upstream.issuer, "aud": "fake-client", "sub": "fake-user-1", "iat": now, "exp": now + 600}
        base = {
            "ClientId": service["ClientId"],
            "ClientSecret": service["ClientSecret"],
            "SubjectTokenType": "ID_TOKEN",
            "SubjectTokenProviderName": "Fake",
            "Audiences": ["orders-api"],
        }
        derived = cognito.get_derived_token(**base, SubjectToken=upstream.sign(claims))
        issued = _verify(world, derived["IssuedToken"], audience="orders-api")
        alice = cognito.admin_get_user(UserPoolId=pool, Username="alice")["UserAttributes"]
        assert issued["sub"] == next(a["Value"] for a in alice if a["Name"] == "sub") and issued["username"] == "alice"
        assert derived["Scopes"] == ["orders/read"] and derived["ExpiresIn"] <= 600

        actor = upstream.sign({**claims, "sub": "agent-7"})
        delegated = cognito.get_derived_token(
            ClientId=service["ClientId"],
            SubjectToken=world["user"]["access_token"],
            SubjectTokenType="ACCESS_TOKEN",
            ActorToken=actor,
            ActorTokenType="ID_TOKEN",
            ActorTokenProviderName="Fake",
        )
        assert _verify(world, delegated["IssuedToken"])["act"] == {"sub": "agent-7", "client_id": "fake-client"}

        def refused(token: str, **extra: Any) -> str:
            with pytest.raises(ClientError) as excinfo:
                cognito.get_derived_token(**{**base, **extra}, SubjectToken=token)
            return error_of(excinfo)[0]

        assert refused(upstream.sign({**claims, "sub": "never-signed-in"})) == "UserNotFoundException"
        assert refused(upstream.sign({**claims, "aud": "someone-else"})) == "NotAuthorizedException"
        assert refused(upstream.sign({**claims, "exp": now - 60})) == "NotAuthorizedException"
        assert refused(upstream.sign(claims)[:-6] + "AAAAAA") == "NotAuthorizedException"
        assert refused(upstream.sign(claims), SubjectTokenType="ACCESS_TOKEN") == "InvalidParameterException"
