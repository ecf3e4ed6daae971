"""An OIDC provider's ``username`` mapping: the federated user is ``<ProviderName>_<mapped claim>`` rather than
``<ProviderName>_<sub>``, its identity still the sub; the mapping is refused for other provider types.
(SQLite and PostgreSQL.)"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from tests.conftest import error_of
from tests.federation.fake_provider import Provider, provider
from tests.oauth.helpers import CALLBACK
from tests.support import Server


def _sign_in(server: Server, prefix: str, app: dict[str, Any], upstream: Provider, claims: dict[str, Any]) -> None:
    query = {"client_id": app["ClientId"], "response_type": "code", "redirect_uri": CALLBACK}
    sent = httpx.get(
        f"{server.url}/_domain/{prefix}/oauth2/authorize?{urlencode({**query, 'identity_provider': 'Fake'})}"
    )
    asked = {k: v[0] for k, v in parse_qs(urlsplit(sent.headers["location"]).query).items()}
    now = int(time.time())
    base = {"iss": upstream.issuer, "aud": "fake-client", "nonce": asked["nonce"], "iat": now, "exp": now + 300}
    upstream.id_token = upstream.sign({**base, **claims})
    answer = httpx.get(asked["redirect_uri"], params={"code": "c1", "state": asked["state"]})
    assert answer.status_code == 302 and answer.headers["location"].startswith(f"{CALLBACK}?code="), answer.text


def test_username_mapping(server: Server, cognito: Any, make_pool: Any) -> None:
    pool = make_pool()
    prefix = f"un-{uuid.uuid4().hex[:10]}"
    cognito.create_user_pool_domain(Domain=prefix, UserPoolId=pool)
    with provider() as upstream:
        upstream.profile = {}
        cognito.create_identity_provider(
            UserPoolId=pool,
            ProviderName="Fake",
            ProviderType="OIDC",
            ProviderDetails={
                "client_id": "fake-client",
                "attributes_request_method": "GET",
                "oidc_issuer": upstream.issuer,
                "authorize_scopes": "openid",
            },
            AttributeMapping={"username": "preferred_username", "email": "email"},
        )
        app = cognito.create_user_pool_client(
            UserPoolId=pool,
            ClientName="web",
            AllowedOAuthFlowsUserPoolClient=True,
            AllowedOAuthFlows=["code"],
            AllowedOAuthScopes=["openid"],
            CallbackURLs=[CALLBACK],
            SupportedIdentityProviders=["Fake"],
        )["UserPoolClient"]
        claims = {"sub": "opaque-7f3a", "preferred_username": "carol", "email": "carol@example.com"}
        _sign_in(server, prefix, app, upstream, claims)
        _sign_in(server, prefix, app, upstream, {**claims, "email": "carol@new.example.com"})
    users = cognito.list_users(UserPoolId=pool)["Users"]
    assert [u["Username"] for u in users] == ["Fake_carol"]  # the second sign-in found the same user
    attributes = {a["Name"]: a["Value"] for a in users[0]["Attributes"]}
    assert attributes["email"] == "carol@new.example.com"
    assert json.loads(attributes["identities"])[0]["userId"] == "opaque-7f3a"  # the identity is still the sub


@pytest.mark.parametrize("kind", ["SAML", "Google"])
def test_username_mapping_is_for_oidc_only(cognito: Any, make_pool: Any, kind: str) -> None:
    pool = make_pool()
    details = {
        "SAML": {"MetadataFile": _METADATA},
        "Google": {"client_id": "g", "client_secret": "s", "authorize_scopes": "openid"},
    }[kind]
    with pytest.raises(cognito.exceptions.InvalidParameterException) as raised:
        cognito.create_identity_provider(
            UserPoolId=pool,
            ProviderName="Corp" if kind == "SAML" else kind,
            ProviderType=kind,
            ProviderDetails=details,
            AttributeMapping={"username": "uid"},
        )
    assert error_of(raised)[0] == "InvalidParameterException"


_METADATA = """<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="http://idp.example">
 <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
  <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="http://idp.example/sso"/>
 </md:IDPSSODescriptor>
</md:EntityDescriptor>"""
