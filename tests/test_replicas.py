"""Replicas through boto3, on SQLite and PostgreSQL: one server hosting two regions, a replica in the second
answering reads of the primary's users, its write rules, and tokens of either region verifying alike."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import boto3
import jwt
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.conftest import error_of
from tests.support import Server

SECOND = "eu-west-1"


def _client(server: Server, region: str) -> Any:
    return boto3.client(
        "cognito-idp",
        endpoint_url=server.url,
        region_name=region,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
        config=Config(retries={"max_attempts": 1}),
    )


@pytest.fixture
def europe(server: Server) -> Any:
    return _client(server, SECOND)


def _fails(call: Callable[..., Any], **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        call(**params)
    return error_of(excinfo)


def _sign_in(client: Any, pool: str, client_id: str) -> dict[str, Any]:
    return dict(
        client.admin_initiate_auth(
            UserPoolId=pool,
            ClientId=client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "alice", "PASSWORD": "Passw0rd!ok"},
        )["AuthenticationResult"]
    )


def test_a_replica_in_a_second_region_serves_the_primarys_users(
    server: Server, cognito: Any, europe: Any, make_pool: Callable[..., str]
) -> None:
    pool = make_pool()
    client_id = cognito.create_user_pool_client(
        UserPoolId=pool,
        ClientName="app",
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    cognito.admin_create_user(
        UserPoolId=pool,
        Username="alice",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "email", "Value": "alice@example.com"}, {"Name": "name", "Value": "Alice"}],
    )
    cognito.admin_set_user_password(UserPoolId=pool, Username="alice", Password="Passw0rd!ok", Permanent=True)
    cognito.create_group(UserPoolId=pool, GroupName="admins")
    cognito.admin_add_user_to_group(UserPoolId=pool, Username="alice", GroupName="admins")

    assert _fails(europe.admin_get_user, UserPoolId=pool, Username="alice") == (
        "ResourceNotFoundException",
        f"User pool {pool} does not exist.",
    )
    created = cognito.create_user_pool_replica(UserPoolId=pool, RegionName=SECOND, UserPoolTags={"team": "eu"})
    assert created["UserPoolReplica"] == {
        "RegionName": SECOND,
        "Status": "INACTIVE",
        "Role": "SECONDARY",
        "UserPoolArn": f"arn:aws:cognito-idp:{SECOND}:000000000000:userpool/{pool}",
    }
    listed = europe.list_user_pool_replicas(UserPoolId=pool)["UserPoolReplicas"]
    assert [(r["RegionName"], r["Role"], r["Status"]) for r in listed] == [
        ("us-east-1", "PRIMARY", "ACTIVE"),
        (SECOND, "SECONDARY", "INACTIVE"),
    ]

    # Reads in the second region: the primary's users, groups and settings, as they are now.
    cognito.admin_create_user(UserPoolId=pool, Username="bob", MessageAction="SUPPRESS")
    primary_alice = cognito.admin_get_user(UserPoolId=pool, Username="alice")
    replica_alice = europe.admin_get_user(UserPoolId=pool, Username="alice")
    for key in ("Username", "UserAttributes", "UserStatus", "Enabled", "UserCreateDate"):
        assert replica_alice[key] == primary_alice[key]
    assert sorted(u["Username"] for u in europe.list_users(UserPoolId=pool)["Users"]) == ["alice", "bob"]
    groups = europe.admin_list_groups_for_user(UserPoolId=pool, Username="alice")["Groups"]
    assert [g["GroupName"] for g in groups] == ["admins"]
    described = europe.describe_user_pool(UserPoolId=pool)["UserPool"]
    assert described["Id"] == pool and described["Arn"].startswith(f"arn:aws:cognito-idp:{SECOND}:")
    clients = europe.list_user_pool_clients(UserPoolId=pool)["UserPoolClients"]
    assert [c["ClientId"] for c in clients] == [client_id]

    # Writes of the directory belong to the primary; an INACTIVE replica signs no one in.
    for call, params in (
        (europe.admin_create_user, {"Username": "carol", "MessageAction": "SUPPRESS"}),
        (
            europe.admin_update_user_attributes,
            {"Username": "alice", "UserAttributes": [{"Name": "name", "Value": "A"}]},
        ),
        (europe.create_group, {"GroupName": "eu"}),
        (europe.update_user_pool, {}),
    ):
        code, message = _fails(call, UserPoolId=pool, **params)
        assert code == "OperationNotEnabledException" and message.endswith(
            "is not available in a secondary region of the user pool."
        )
    assert _fails(europe.initiate_point_in_time_recovery, UserPoolId=pool, RestoreTimestamp=datetime.now(UTC))[0] == (
        "OperationNotEnabledException"
    )
    assert _fails(
        europe.admin_initiate_auth,
        UserPoolId=pool,
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "alice", "PASSWORD": "Passw0rd!ok"},
    ) == ("OperationNotEnabledException", f"The replica of user pool {pool} in {SECOND} is not ACTIVE.")

    activated = europe.update_user_pool_replica(UserPoolId=pool, RegionName=SECOND, Status="ACTIVE")
    assert activated["UserPoolReplica"]["Status"] == "ACTIVE"
    here, there = _sign_in(cognito, pool, client_id), _sign_in(europe, pool, client_id)
    issuer = f"{server.url}/{pool}"
    keys = jwt.PyJWKClient(f"{issuer}/.well-known/jwks.json")
    for tokens in (here, there):
        token = tokens["IdToken"]
        claims = jwt.decode(
            token, keys.get_signing_key_from_jwt(token).key, algorithms=["RS256"], audience=client_id, issuer=issuer
        )
        assert claims["cognito:username"] == "alice" and claims["cognito:groups"] == ["admins"]
    europe_tokens = europe.get_user(AccessToken=there["AccessToken"])  # a replica's token, used in the primary too
    assert cognito.get_user(AccessToken=there["AccessToken"])["Username"] == europe_tokens["Username"] == "alice"

    # Deleting: only an INACTIVE replica, only from the primary region.
    assert _fails(cognito.delete_user_pool_replica, UserPoolId=pool, RegionName=SECOND) == (
        "InvalidParameterException",
        "Only replicas in the INACTIVE status can be deleted.",
    )
    cognito.update_user_pool_replica(UserPoolId=pool, RegionName=SECOND, Status="INACTIVE")
    assert (
        _fails(europe.delete_user_pool_replica, UserPoolId=pool, RegionName=SECOND)[0] == "OperationNotEnabledException"
    )
    deleted = cognito.delete_user_pool_replica(UserPoolId=pool, RegionName=SECOND)["UserPoolReplica"]
    assert (deleted["RegionName"], deleted["Status"]) == (SECOND, "DELETING")
    assert _fails(europe.admin_get_user, UserPoolId=pool, Username="alice")[0] == "ResourceNotFoundException"
    assert [r["Role"] for r in cognito.list_user_pool_replicas(UserPoolId=pool)["UserPoolReplicas"]] == ["PRIMARY"]


def test_each_region_has_its_own_pools(cognito: Any, europe: Any) -> None:
    pool = europe.create_user_pool(PoolName="eu-only")["UserPool"]
    assert pool["Id"].startswith(f"{SECOND}_") and pool["Arn"].startswith(f"arn:aws:cognito-idp:{SECOND}:")
    europe.admin_create_user(UserPoolId=pool["Id"], Username="eve", MessageAction="SUPPRESS")
    assert europe.admin_get_user(UserPoolId=pool["Id"], Username="eve")["Username"] == "eve"
    assert _fails(cognito.admin_get_user, UserPoolId=pool["Id"], Username="eve") == (
        "ResourceNotFoundException",
        f"User pool {pool['Id']} does not exist.",
    )


def test_replica_errors(cognito: Any, europe: Any, make_pool: Callable[..., str]) -> None:
    pool = make_pool()
    missing = "us-east-1_Missing00"
    for call, params in (
        (cognito.create_user_pool_replica, {"RegionName": SECOND}),
        (cognito.list_user_pool_replicas, {}),
        (cognito.update_user_pool_replica, {"RegionName": SECOND, "Status": "ACTIVE"}),
        (cognito.delete_user_pool_replica, {"RegionName": SECOND}),
    ):
        assert _fails(call, UserPoolId=missing, **params) == (
            "ResourceNotFoundException",
            f"User pool {missing} does not exist.",
        )
    assert _fails(cognito.create_user_pool_replica, UserPoolId=pool, RegionName="mars-1") == (
        "InvalidParameterException",
        "mars-1 is not a valid AWS Region.",
    )
    assert _fails(cognito.create_user_pool_replica, UserPoolId=pool, RegionName="us-east-1") == (
        "InvalidParameterException",
        "The user pool's primary region is us-east-1.",
    )
    for call, params in (
        (cognito.update_user_pool_replica, {"Status": "ACTIVE"}),
        (cognito.delete_user_pool_replica, {}),
    ):
        assert _fails(call, UserPoolId=pool, RegionName=SECOND, **params) == (
            "ResourceNotFoundException",
            f"User pool {pool} has no replica in {SECOND}.",
        )
    assert _fails(cognito.update_user_pool_replica, UserPoolId=pool, RegionName="us-east-1", Status="INACTIVE") == (
        "InvalidParameterException",
        "The primary replica of a user pool can't be made INACTIVE.",
    )
    cognito.create_user_pool_replica(UserPoolId=pool, RegionName=SECOND)
    assert _fails(cognito.create_user_pool_replica, UserPoolId=pool, RegionName=SECOND) == (
        "InvalidParameterException",
        f"The user pool already has a replica in {SECOND}.",
    )
    assert _fails(cognito.create_user_pool_replica, UserPoolId=pool, RegionName="ap-south-1") == (
        "LimitExceededException",
        "A user pool can have at most one secondary replica.",
    )
    assert _fails(europe.create_user_pool_replica, UserPoolId=pool, RegionName="ap-south-1")[0] == (
        "OperationNotEnabledException"
    )
    lite = make_pool(UserPoolTier="LITE")
    assert _fails(cognito.create_user_pool_replica, UserPoolId=lite, RegionName=SECOND) == (
        "FeatureUnavailableInTierException",
        "Multi-Region replication requires the Essentials or Plus feature plan.",
    )
