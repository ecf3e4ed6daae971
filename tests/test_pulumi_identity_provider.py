"""The UserPoolIdentityProvider dynamic provider driven the way the Pulumi engine drives it (over gRPC, as in
test_pulumi_provider.py) against the live server; a wrong keyword refused."""

from __future__ import annotations

from typing import Any

import pytest

pulumi = pytest.importorskip("pulumi")

from pulumi.runtime.proto import provider_pb2  # noqa: E402

from tests.test_pulumi_provider import Engine, stub  # noqa: E402, F401  (stub: the engine's gRPC fixture)
from userpools.pulumi import (  # noqa: E402
    UserPoolIdentityProvider,
    UserPoolIdentityProviderProvider,
)

GOOGLE = {"client_id": "g-client", "client_secret": "g-secret", "authorize_scopes": "openid email"}


def test_identity_provider_lifecycle(stub: Any, cognito: Any, pool: str) -> None:  # noqa: F811
    engine = Engine(stub, "UserPoolIdentityProvider", UserPoolIdentityProviderProvider())
    news = {
        "userPoolId": pool,
        "providerName": "Google",
        "providerType": "Google",
        "providerDetails": GOOGLE,
        "attributeMapping": {"email": "email"},
    }
    id_, state = engine.create(news)
    assert id_ == f"{pool}|Google" and state["providerName"] == "Google"
    described = cognito.describe_identity_provider(UserPoolId=pool, ProviderName="Google")["IdentityProvider"]
    assert described["AttributeMapping"] == {"email": "email"}
    assert engine.read(id_, state) == (id_, state)

    changed = {**news, "attributeMapping": {"email": "email", "name": "name"}, "idpIdentifiers": ["example.com"]}
    diff = engine.diff(id_, state, changed)
    assert diff.changes == provider_pb2.DiffResponse.DIFF_SOME and list(diff.replaces) == []
    state = engine.update(id_, state, changed)
    described = cognito.describe_identity_provider(UserPoolId=pool, ProviderName="Google")["IdentityProvider"]
    assert described["AttributeMapping"] == {"email": "email", "name": "name"}
    assert described["IdpIdentifiers"] == ["example.com"]
    assert described["ProviderDetails"]["client_secret"] == "g-secret"

    cleared = {k: v for k, v in changed.items() if k != "idpIdentifiers"}
    state = engine.update(id_, state, cleared)
    described = cognito.describe_identity_provider(UserPoolId=pool, ProviderName="Google")["IdentityProvider"]
    assert described["IdpIdentifiers"] == []

    assert list(engine.diff(id_, state, {**cleared, "providerType": "OIDC"}).replaces) == ["providerType"]

    engine.delete(id_, state)
    assert engine.read(id_, state)[0] == ""
    assert cognito.list_identity_providers(UserPoolId=pool)["Providers"] == []
    engine.delete(id_, state)


def test_wrong_keyword_is_refused() -> None:
    with pytest.raises(TypeError, match=r"unexpected keyword arguments \['provider'\]"):
        UserPoolIdentityProvider("x", user_pool_id="p", provider="Google")  # type: ignore[call-overload]
