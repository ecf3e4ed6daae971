"""A pool federated with the loopback SAML IdP (saml_idp.py): the provider created from the IdP's MetadataURL,
the IdP told the pool's entity ID, ACS, SLS and signing certificate, an app client that supports the provider,
and the steps of a sign-in driven over plain HTTP."""

from __future__ import annotations

import html
import re
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import jwt

from tests.federation.saml_idp import EMAIL, PASSWORD, Idp
from tests.oauth.helpers import discovery
from tests.support import Server

APP = "http://localhost:8765"
CALLBACK = f"{APP}/callback"
REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
_HIDDEN = re.compile(r'name="(SAMLResponse|SAMLRequest|RelayState)" value="([^"]*)"')


@dataclass
class Env:
    server: Server
    idp: Idp
    pool: str
    prefix: str
    app: dict[str, Any]

    @property
    def base(self) -> str:
        return f"{self.server.url}/_domain/{self.prefix}"

    @property
    def acs(self) -> str:
        return f"{self.base}/saml2/idpresponse"

    def authorize_url(self, callback: str = CALLBACK, **extra: str) -> str:
        query = {
            "client_id": self.app["ClientId"],
            "response_type": "code",
            "redirect_uri": callback,
            "scope": "openid email profile",
            "state": "app-state",
            "identity_provider": "Corp",
            **extra,
        }
        return f"{self.base}/oauth2/authorize?{urlencode(query)}"

    def idp_initiated_relay(self) -> str:
        query = {
            "client_id": self.app["ClientId"],
            "response_type": "code",
            "redirect_uri": CALLBACK,
            "scope": "openid email",
            "identity_provider": "Corp",
        }
        return urlencode(query)

    def tokens(self, callback: str, redirect_uri: str = CALLBACK) -> dict[str, Any]:
        query = parse_qs(urlsplit(callback).query)
        assert "code" in query, callback
        token = httpx.post(
            discovery(self.server, self.pool)["token_endpoint"],
            data={"grant_type": "authorization_code", "code": query["code"][0], "redirect_uri": redirect_uri},
            auth=(self.app["ClientId"], self.app["ClientSecret"]),
        )
        assert token.status_code == 200, token.text
        return dict(jwt.decode(token.json()["id_token"], options={"verify_signature": False}))


def setup(server: Server, cognito: Any, make_pool: Any, idp: Idp, callback: str = CALLBACK, **details: str) -> Env:
    pool = make_pool(Schema=[{"Name": "groups", "AttributeDataType": "String", "Mutable": True}])
    prefix = f"saml-{uuid.uuid4().hex[:10]}"
    cognito.create_user_pool_domain(Domain=prefix, UserPoolId=pool)
    base = f"{server.url}/_domain/{prefix}"
    certificate = cognito.get_signing_certificate(UserPoolId=pool)["Certificate"]
    idp.trust(pool, f"{base}/saml2/idpresponse", f"{base}/saml2/logout", certificate)
    idp.users.setdefault("alice", {EMAIL: ["alice@example.com"], "groups": ["staff", "admins"]})
    cognito.create_identity_provider(
        UserPoolId=pool,
        ProviderName="Corp",
        ProviderType="SAML",
        ProviderDetails={"MetadataURL": f"{idp.url}/metadata", **details},
        AttributeMapping={"email": EMAIL, "custom:groups": "groups"},
    )
    app = cognito.create_user_pool_client(
        UserPoolId=pool,
        ClientName="web",
        GenerateSecret=True,
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email", "profile"],
        CallbackURLs=[callback],
        LogoutURLs=[f"{APP}/signed-out"],
        SupportedIdentityProviders=["COGNITO", "Corp"],
    )["UserPoolClient"]
    return Env(server, idp, pool, prefix, app)


def hidden(page: str) -> dict[str, str]:
    """The SAML form fields of an auto-posting page."""
    return {name: html.unescape(value) for name, value in _HIDDEN.findall(page)}


def to_idp(http: httpx.Client, env: Env, **extra: str) -> dict[str, str]:
    """From the app's authorize URL to the IdP: the SSO query (SAMLRequest, RelayState)."""
    sent = http.get(env.authorize_url(**extra))
    assert sent.status_code == 302, sent.text
    location = sent.headers["location"]
    assert location.startswith(f"{env.idp.url}/sso?"), location
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def request_id(env: Env, sso: dict[str, str]) -> str:
    return str(env.idp.servers["good"].parse_authn_request(sso["SAMLRequest"], REDIRECT).message.id)


def sign_in(http: httpx.Client, env: Env, username: str = "alice") -> tuple[httpx.Response, dict[str, str]]:
    """Through the IdP's login form: (the pool's answer to the posted SAMLResponse, the posted form)."""
    sso = to_idp(http, env)
    page = http.get(f"{env.idp.url}/sso", params=sso)
    assert page.status_code == 200, page.text
    ticket = re.search(r'name="ticket" value="([^"]+)"', page.text)
    assert ticket is not None
    answer = http.post(
        f"{env.idp.url}/login", data={"ticket": ticket.group(1), "username": username, "password": PASSWORD}
    )
    assert answer.status_code == 200, answer.text
    form = hidden(answer.text)
    assert f'action="{env.acs}"' in answer.text
    return http.post(env.acs, data=form), form
