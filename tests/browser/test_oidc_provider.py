"""Sign-in through an OpenID Certified provider on loopback (panva's ``oidc-provider`` from npm, tests/js) in
headless Chromium: from the app's authorize URL through the provider's own login and consent pages back to
/oauth2/idpresponse and on to the app, whose code buys tokens with the provider's claims (its ID token and
userinfo answer) mapped, and the federation group. Screenshots go to tests/output/. oidc-provider 9 warns that
Node 20 is not a runtime it supports; it runs on it."""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import jwt

from tests.oauth.helpers import discovery
from tests.support import Server, free_port

JS = Path(__file__).resolve().parents[1] / "js"


@contextmanager
def oidc_provider(client_id: str, secret: str, redirect_uri: str) -> Iterator[str]:
    """The provider's issuer, while it runs."""
    port = free_port()
    process = subprocess.Popen(
        ["node", str(JS / "oidc_provider.mjs"), str(port), client_id, secret, redirect_uri],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        said = []  # its start-up warnings (development keys, adapter, interactions), then "ready"
        for line in process.stdout:
            said.append(line)
            if line.strip() == "ready":
                break
        assert said and said[-1].strip() == "ready", "".join(said)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)
        if process.stdout is not None:
            process.stdout.close()


def test_sign_in_through_a_certified_oidc_provider(
    server: Server, cognito: Any, make_pool: Any, browser: Any, screenshots: Path, app_origin: str
) -> None:
    pool = make_pool()
    prefix = f"cert-{uuid.uuid4().hex[:10]}"
    cognito.create_user_pool_domain(Domain=prefix, UserPoolId=pool)
    base = f"{server.url}/_domain/{prefix}"
    callback = f"{app_origin}/callback"
    with oidc_provider("userpools", "s3cret-of-the-client", f"{base}/oauth2/idpresponse") as issuer:
        cognito.create_identity_provider(
            UserPoolId=pool,
            ProviderName="Certified",
            ProviderType="OIDC",
            ProviderDetails={
                "client_id": "userpools",
                "client_secret": "s3cret-of-the-client",
                "attributes_request_method": "GET",
                "oidc_issuer": issuer,  # its discovery document is read here
                "authorize_scopes": "openid email profile",
            },
            AttributeMapping={"email": "email", "name": "name"},
        )
        app = cognito.create_user_pool_client(
            UserPoolId=pool,
            ClientName="web",
            GenerateSecret=True,
            AllowedOAuthFlowsUserPoolClient=True,
            AllowedOAuthFlows=["code"],
            AllowedOAuthScopes=["openid", "email", "profile"],
            CallbackURLs=[callback],
            SupportedIdentityProviders=["Certified"],
        )["UserPoolClient"]
        query = {
            "client_id": app["ClientId"],
            "response_type": "code",
            "redirect_uri": callback,
            "state": "app-state",
            "identity_provider": "Certified",
        }
        page = browser.new_context().new_page()
        page.goto(f"{base}/oauth2/authorize?{urlencode(query)}")
        assert page.url.startswith(f"{issuer}/interaction/"), page.url  # the provider's own login page
        page.fill("input[name=login]", "dana")
        page.fill("input[name=password]", "any password")
        page.screenshot(path=screenshots / "federation-oidc-provider-login.png")
        page.get_by_role("button", name="Sign-in").click()
        page.get_by_role("button", name="Continue").click()  # the provider's consent page
        page.wait_for_url(f"{callback}?**")
        code = parse_qs(urlsplit(page.url).query)
        page.context.close()
    assert code["state"] == ["app-state"]
    token = httpx.post(
        discovery(server, pool)["token_endpoint"],
        data={"grant_type": "authorization_code", "code": code["code"][0], "redirect_uri": callback},
        auth=(app["ClientId"], app["ClientSecret"]),
    )
    assert token.status_code == 200, token.text
    claims = jwt.decode(token.json()["id_token"], options={"verify_signature": False})
    assert claims["cognito:username"] == "Certified_dana"
    assert claims["email"] == "dana@oidc.example.com" and claims["name"] == "dana (oidc-provider)"
    assert f"{pool}_Certified" in claims["cognito:groups"]
