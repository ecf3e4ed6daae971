"""Everything not built answers one way: HTTP 501 NotImplementedException naming what is missing; what Cognito
itself refuses keeps Cognito's error."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import error_of
from tests.support import Server
from userpools import catalogue
from userpools.app import cognito_service
from userpools.domain.errors import InvalidParameterException
from userpools.errors import NotImplementedException
from userpools.operations import COGNITO
from userpools.protocol.errors import UnknownOperationException

TARGET = "AWSCognitoIdentityProviderService"


def call(server: Server, operation: str, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(
        server.url,
        json=body,
        headers={"x-amz-target": f"{TARGET}.{operation}", "content-type": "application/x-amz-json-1.1"},
    )


def test_an_operation_without_a_handler_answers_501_before_its_input_is_checked() -> None:
    """Every operation of the installed botocore model is built (tests/test_every_operation.py), so the gateway's
    check is shown on a service missing a handler: what a newer botocore's operation meets."""
    service = cognito_service()
    del service.handlers["AdminGetUser"]
    with pytest.raises(NotImplementedException) as refused:
        service.parse(f"{TARGET}.AdminGetUser", b"{}", built=True)  # {} would not validate: asked before that
    assert (refused.value.status, refused.value.body()) == (
        501,
        {
            "__type": "NotImplementedException",
            "message": "The operation AdminGetUser is not implemented by userpools yet.",
        },
    )
    assert service.parse(f"{TARGET}.ListUserPools", b'{"MaxResults": 1}', built=True).name == "ListUserPools"
    with pytest.raises(InvalidParameterException):  # built: its input is validated
        service.parse(f"{TARGET}.ListUserPools", b"{}", built=True)
    with pytest.raises(UnknownOperationException):  # not in the model
        service.parse(f"{TARGET}.NoSuchOperation", b"{}", built=True)
    assert [e.name for e in catalogue.entries() if not e.built] == sorted(
        set(service.model.operation_names) - set(COGNITO)
    )


def test_the_gateway_validates_built_operations_and_refuses_unknown_ones(server: Server) -> None:
    assert call(server, "ListUserPools", {"MaxResults": 1}).status_code == 200
    assert call(server, "ListUserPools", {}).json()["__type"] == "InvalidParameterException"
    assert call(server, "NoSuchOperation", {}).json()["__type"] == "UnknownOperationException"


def test_unbuilt_challenge_and_custom_auth_step_answer_501(server: Server, cognito: Any, pool: str) -> None:
    client = cognito.create_user_pool_client(
        UserPoolId=pool, ClientName="custom", ExplicitAuthFlows=["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )["UserPoolClient"]["ClientId"]
    cognito.admin_create_user(UserPoolId=pool, Username="carol", MessageAction="SUPPRESS")
    with pytest.raises(cognito.exceptions.ClientError) as srp_a:
        cognito.initiate_auth(
            ClientId=client, AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": "carol", "SRP_A": "ab" * 64}
        )
    assert srp_a.value.response["ResponseMetadata"]["HTTPStatusCode"] == 501
    assert error_of(srp_a) == (
        "NotImplementedException",
        "SRP_A in CUSTOM_AUTH (a password step before the custom challenges) is not implemented by userpools yet.",
    )
    with pytest.raises(cognito.exceptions.ClientError) as challenge:
        cognito.respond_to_auth_challenge(
            ClientId=client, ChallengeName="ADMIN_NO_SRP_AUTH", ChallengeResponses={"USERNAME": "carol"}
        )
    assert error_of(challenge) == ("InvalidParameterException", "Challenge ADMIN_NO_SRP_AUTH is not supported.")


def test_a_flow_cognito_refuses_keeps_cognitos_answer(cognito: Any, pool: str) -> None:
    client = cognito.create_user_pool_client(UserPoolId=pool, ClientName="public")["UserPoolClient"]["ClientId"]
    with pytest.raises(cognito.exceptions.InvalidParameterException) as refused:
        cognito.initiate_auth(
            ClientId=client, AuthFlow="ADMIN_USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "a", "PASSWORD": "b"}
        )
    assert error_of(refused) == ("InvalidParameterException", "Initiate Auth method not supported.")
