"""USER_AUTH for a user that does not exist under PreventUserExistenceErrors ENABLED, through boto3: a plausible
challenge (SELECT_CHALLENGE, or the preferred one) shaped like a real user's, the same on every try, nothing sent,
and every answer refused as a wrong one is; with LEGACY, UserNotFoundException."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from botocore.exceptions import ClientError
from pycognito.aws_srp import AWSSRP

from tests.conftest import error_of, outbox
from tests.passwordless import RP_ID, Passkey, passwordless_pool, user_auth, user_auth_client, verified_user
from tests.support import Server

ALL = ["WEB_AUTHN", "EMAIL_OTP", "SMS_OTP", "PASSWORD", "PASSWORD_SRP"]


def _setup(cognito: Any, make_pool: Any, **pool_config: Any) -> tuple[str, str]:
    pool = passwordless_pool(make_pool, cognito, **pool_config)
    return pool, user_auth_client(cognito, pool, PreventUserExistenceErrors="ENABLED")


def _respond(cognito: Any, client_id: str, previous: dict[str, Any], username: str, **responses: str) -> Any:
    return cognito.respond_to_auth_challenge(
        ClientId=client_id,
        ChallengeName=previous["ChallengeName"],
        Session=previous["Session"],
        ChallengeResponses={"USERNAME": username, **responses},
    )


def _name_with(cognito: Any, client_id: str, factor: str) -> str:
    """An unknown name whose decoy offers ``factor`` (each optional factor is one coin per name)."""
    for i in range(40):
        name = f"ghost{i}"
        if factor in user_auth(cognito, client_id, name)["AvailableChallenges"]:
            return name
    raise AssertionError(f"no decoy offered {factor}")


def test_an_unknown_user_gets_the_same_select_challenge_every_time(
    server: Server, cognito: Any, make_pool: Any
) -> None:
    pool, client_id = _setup(cognito, make_pool)
    seen: set[str] = set()
    for i in range(12):
        first = user_auth(cognito, client_id, f"ghost{i}")
        assert first["ChallengeName"] == "SELECT_CHALLENGE" and first["Session"]
        assert first["ChallengeParameters"] == {"USERNAME": f"ghost{i}"}
        offered = first["AvailableChallenges"]
        assert {"PASSWORD", "PASSWORD_SRP"} <= set(offered) and offered == [c for c in ALL if c in offered]
        assert user_auth(cognito, client_id, f"ghost{i}")["AvailableChallenges"] == offered
        seen.update(offered)
    assert seen == set(ALL)  # across names, each factor the pool allows is offered by some decoy
    assert outbox(server, pool=pool) == []


def test_a_pool_without_passwordless_factors_offers_only_the_password(cognito: Any, make_pool: Any) -> None:
    _, client_id = _setup(cognito, make_pool, factors=["PASSWORD"])
    for i in range(6):
        assert user_auth(cognito, client_id, f"ghost{i}")["AvailableChallenges"] == ["PASSWORD", "PASSWORD_SRP"]


@pytest.mark.parametrize(
    ("factor", "medium", "response"), [("EMAIL_OTP", "EMAIL", "EMAIL_OTP_CODE"), ("SMS_OTP", "SMS", "SMS_OTP_CODE")]
)
def test_a_code_for_no_one_looks_sent_and_no_code_is_right(
    server: Server, cognito: Any, make_pool: Any, factor: str, medium: str, response: str
) -> None:
    pool, client_id = _setup(cognito, make_pool)
    verified_user(cognito, pool)  # a real user's challenge, to compare shapes with
    real = user_auth(cognito, client_id, PREFERRED_CHALLENGE=factor)
    name = _name_with(cognito, client_id, factor)
    fake = user_auth(cognito, client_id, name, PREFERRED_CHALLENGE=factor)
    assert fake["ChallengeName"] == real["ChallengeName"] == factor
    assert set(fake["ChallengeParameters"]) == set(real["ChallengeParameters"])
    shown = fake["ChallengeParameters"]
    assert shown["CODE_DELIVERY_DELIVERY_MEDIUM"] == medium and shown["USER_ID_FOR_SRP"] == name
    pattern = r"[a-z]\*\*\*@[a-z]\*\*\*" if medium == "EMAIL" else r"\+\*{7}\d{4}"
    assert re.fullmatch(pattern, shown["CODE_DELIVERY_DESTINATION"])
    again = user_auth(cognito, client_id, name, PREFERRED_CHALLENGE=factor)
    assert again["ChallengeParameters"] == shown
    assert outbox(server, pool=pool, username=name) == []
    with pytest.raises(ClientError) as excinfo:
        _respond(cognito, client_id, fake, name, **{response: "123456"})
    assert error_of(excinfo) == ("CodeMismatchException", "Invalid code received for user")
    with pytest.raises(ClientError) as excinfo:  # the session is spent, as a real one is
        _respond(cognito, client_id, fake, name, **{response: "123456"})
    assert error_of(excinfo)[0] == "NotAuthorizedException"


def test_select_challenge_for_no_one_is_answered_as_for_a_real_user(cognito: Any, make_pool: Any) -> None:
    _, client_id = _setup(cognito, make_pool)
    name = _name_with(cognito, client_id, "EMAIL_OTP")
    first = user_auth(cognito, client_id, name)
    with pytest.raises(ClientError) as excinfo:
        _respond(cognito, client_id, first, name, ANSWER="NOT_A_FACTOR")
    assert error_of(excinfo)[0] == "InvalidParameterException"
    first = user_auth(cognito, client_id, name)
    sent = _respond(cognito, client_id, first, name, ANSWER="EMAIL_OTP")
    assert sent["ChallengeName"] == "EMAIL_OTP" and sent["Session"]
    with pytest.raises(ClientError) as excinfo:
        _respond(cognito, client_id, sent, name, EMAIL_OTP_CODE="000000")
    assert error_of(excinfo)[0] == "CodeMismatchException"
    first = user_auth(cognito, client_id, name)
    with pytest.raises(ClientError) as excinfo:
        _respond(cognito, client_id, first, name, ANSWER="PASSWORD", PASSWORD="Anything-1")
    assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")


def test_a_passkey_challenge_for_no_one_names_a_credential_and_refuses_every_assertion(
    cognito: Any, make_pool: Any
) -> None:
    _, client_id = _setup(cognito, make_pool)
    name = _name_with(cognito, client_id, "WEB_AUTHN")
    fake = user_auth(cognito, client_id, name, PREFERRED_CHALLENGE="WEB_AUTHN")
    assert fake["ChallengeName"] == "WEB_AUTHN"
    assert set(fake["ChallengeParameters"]) == {"CREDENTIAL_REQUEST_OPTIONS", "USERNAME"}
    options = json.loads(fake["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])
    assert options["rpId"] == RP_ID and len(options["allowCredentials"]) == 1
    again = json.loads(
        user_auth(cognito, client_id, name, PREFERRED_CHALLENGE="WEB_AUTHN")["ChallengeParameters"][
            "CREDENTIAL_REQUEST_OPTIONS"
        ]
    )
    assert again["allowCredentials"] == options["allowCredentials"] and again["challenge"] != options["challenge"]
    key = Passkey()
    key.create(
        {
            "challenge": "AAAA",
            "rp": {"id": RP_ID, "name": "x"},
            "user": {"id": "AAAA", "name": name, "displayName": name},
            "pubKeyCredParams": [{"type": "public-key", "alg": -7}],
        }
    )
    assertion = key.get(fake["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"])
    with pytest.raises(ClientError) as excinfo:
        _respond(cognito, client_id, fake, name, CREDENTIAL=json.dumps(assertion))
    assert error_of(excinfo) == ("NotAuthorizedException", "The passkey is not one of this user's.")


def test_password_and_srp_for_no_one(cognito: Any, make_pool: Any) -> None:
    pool, client_id = _setup(cognito, make_pool)
    with pytest.raises(ClientError) as excinfo:
        user_auth(cognito, client_id, "ghost", PREFERRED_CHALLENGE="PASSWORD", PASSWORD="Anything-1")
    assert error_of(excinfo) == ("NotAuthorizedException", "Incorrect username or password.")
    srp = AWSSRP(username="ghost", password="Anything-1", pool_id=pool, client_id=client_id, client=cognito)
    verifier = user_auth(
        cognito, client_id, "ghost", PREFERRED_CHALLENGE="PASSWORD_SRP", SRP_A=srp.get_auth_params()["SRP_A"]
    )
    assert verifier["ChallengeName"] == "PASSWORD_VERIFIER"
    assert {"SALT", "SRP_B", "SECRET_BLOCK", "USER_ID_FOR_SRP"} <= set(verifier["ChallengeParameters"])
    with pytest.raises(ClientError) as excinfo:
        cognito.respond_to_auth_challenge(
            ClientId=client_id,
            ChallengeName="PASSWORD_VERIFIER",
            ChallengeResponses=srp.process_challenge(verifier["ChallengeParameters"], {"USERNAME": "ghost"}),
        )
    assert error_of(excinfo)[0] == "NotAuthorizedException"


def test_with_username_attributes_the_decoy_carries_a_uuid_and_masks_the_address(cognito: Any, make_pool: Any) -> None:
    _, client_id = _setup(cognito, make_pool, UsernameAttributes=["email"])
    for i in range(40):
        name = f"ghost{i}@example.org"
        first = user_auth(cognito, client_id, name)
        if "EMAIL_OTP" in first["AvailableChallenges"]:
            break
    internal = first["ChallengeParameters"]["USERNAME"]
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", internal)
    sent = user_auth(cognito, client_id, name, PREFERRED_CHALLENGE="EMAIL_OTP")
    assert sent["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == "g***@e***"
    assert sent["ChallengeParameters"]["USER_ID_FOR_SRP"] == internal


def test_legacy_clients_still_say_the_user_does_not_exist(cognito: Any, make_pool: Any) -> None:
    pool = passwordless_pool(make_pool, cognito)
    client_id = user_auth_client(cognito, pool, PreventUserExistenceErrors="LEGACY")
    with pytest.raises(ClientError) as excinfo:
        user_auth(cognito, client_id, "ghost")
    assert error_of(excinfo) == ("UserNotFoundException", "User does not exist.")
