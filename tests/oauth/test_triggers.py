"""Managed login runs the API's triggers: PreAuthentication and PostAuthentication at sign-in,
PreTokenGeneration (TokenGeneration_HostedAuth, with the OAuth scopes) when the code is exchanged."""

from __future__ import annotations

import uuid

import httpx
import jwt
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session

from tests import test_triggers_delivery as delivery
from tests.oauth.helpers import CALLBACK, code_client, confirmed_user, discovery, sign_in
from tests.test_triggers_delivery import Live, answer, arn, new_pool

live_env = delivery.live_env  # one live server per backend, with a loopback Lambda Invoke API
live = delivery.live


def test_hosted_sign_in_runs_the_triggers(live: Live) -> None:
    lambdas = {name: arn(name) for name in ("PreAuthentication", "PostAuthentication", "PreTokenGeneration")}
    pool = new_pool(live, LambdaConfig=lambdas)
    prefix = f"trg-{uuid.uuid4().hex[:10]}"
    live.cognito.create_user_pool_domain(Domain=prefix, UserPoolId=pool)
    app = code_client(live.cognito, pool)
    confirmed_user(live.cognito, pool)
    live.lambdas.handlers["PreTokenGeneration"] = lambda e: answer(
        e, claimsOverrideDetails={"claimsToAddOrOverride": {"team": "blue"}}
    )
    config = discovery(live.server, pool)
    verifier = generate_token(48)
    session = OAuth2Session(
        app["ClientId"], app["ClientSecret"], scope="openid email", redirect_uri=CALLBACK, code_challenge_method="S256"
    )
    uri, _ = session.create_authorization_url(config["authorization_endpoint"], code_verifier=verifier)
    with httpx.Client() as http:
        callback = sign_in(http, uri)
    assert [e["triggerSource"] for _, e in live.lambdas.events] == [
        "PreAuthentication_Authentication",
        "PostAuthentication_Authentication",
    ]
    token = session.fetch_token(config["token_endpoint"], authorization_response=callback, code_verifier=verifier)
    (pre_token,) = live.lambdas.seen("PreTokenGeneration")
    assert pre_token["triggerSource"] == "TokenGeneration_HostedAuth"
    assert pre_token["callerContext"]["clientId"] == app["ClientId"]
    assert jwt.decode(token["id_token"], options={"verify_signature": False})["team"] == "blue"
    assert len(live.lambdas.seen("PostAuthentication")) == 1  # not again at the token endpoint


def test_client_credentials_runs_pre_token_generation_v3(live: Live) -> None:
    config = {"LambdaArn": arn("m2m"), "LambdaVersion": "V3_0"}
    pool = new_pool(live, LambdaConfig={"PreTokenGenerationConfig": config})
    live.cognito.create_user_pool_domain(Domain=f"m2m-{uuid.uuid4().hex[:10]}", UserPoolId=pool)
    live.cognito.create_resource_server(
        UserPoolId=pool, Identifier="api", Name="api", Scopes=[{"ScopeName": "read", "ScopeDescription": "r"}]
    )
    machine = live.cognito.create_user_pool_client(
        UserPoolId=pool,
        ClientName="m2m",
        GenerateSecret=True,
        AllowedOAuthFlowsUserPoolClient=True,
        AllowedOAuthFlows=["client_credentials"],
        AllowedOAuthScopes=["api/read"],
    )["UserPoolClient"]
    live.lambdas.handlers["m2m"] = lambda e: answer(
        e,
        claimsAndScopeOverrideDetails={
            "accessTokenGeneration": {"claimsToAddOrOverride": {"tenant": "t-1"}, "scopesToAdd": ["api/extra"]}
        },
    )
    token = OAuth2Session(machine["ClientId"], machine["ClientSecret"]).fetch_token(
        discovery(live.server, pool)["token_endpoint"], grant_type="client_credentials"
    )
    claims = jwt.decode(token["access_token"], options={"verify_signature": False})
    assert claims["tenant"] == "t-1" and claims["scope"] == "api/read api/extra"
    (event,) = live.lambdas.seen("m2m")
    assert event["triggerSource"] == "TokenGeneration_ClientCredentials" and event["version"] == "3"
    assert event["request"]["scopes"] == ["api/read"] and event["userName"] is None
    result = live.cognito.get_client_token(
        ClientId=machine["ClientId"], Secret=machine["ClientSecret"], ClientMetadata={"k": "v"}
    )["ClientAuthenticationResult"]
    assert jwt.decode(result["AccessToken"], options={"verify_signature": False})["tenant"] == "t-1"
    assert live.lambdas.seen("m2m")[-1]["request"]["clientMetadata"] == {"k": "v"}
