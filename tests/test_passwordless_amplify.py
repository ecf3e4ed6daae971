"""USER_AUTH through Amplify JS v6 in node: email and SMS codes read from the outbox, SELECT_CHALLENGE answered
through confirmSignIn, and a passwordless signUp signed in by autoSignIn with ConfirmSignUp's Session."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from tests.passwordless import passwordless_pool, user_auth_client, verified_user
from tests.support import Server

JS = Path(__file__).parent / "js"


def test_amplify_signs_in_with_codes_and_signs_up_without_a_password(
    server: Server, cognito: Any, make_pool: Any
) -> None:
    assert (JS / "node_modules" / "aws-amplify").is_dir(), "run `make test` (npm install)"
    pool = passwordless_pool(make_pool, cognito)
    client_id = user_auth_client(cognito, pool)
    verified_user(cognito, pool, password=None)
    done = subprocess.run(
        ["node", str(JS / "passwordless.mjs"), server.url, pool, client_id, "alice", "newcomer"],
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert "error" not in result, result
    assert result["steps"] == [
        "CONFIRM_SIGN_IN_WITH_EMAIL_CODE",
        "DONE",
        "CONFIRM_SIGN_IN_WITH_SMS_CODE",
        "DONE",
        "CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION",
        "CONFIRM_SIGN_IN_WITH_EMAIL_CODE",
        "DONE",
        "CONFIRM_SIGN_UP",
        "COMPLETE_AUTO_SIGN_IN",
        "DONE",
    ]
    assert result["emailDestination"] == "a***@e***"
    assert result["smsDestination"].endswith("0123")
    # AdminCreateUser gave alice a temporary password: PASSWORD is offered too
    assert result["availableChallenges"] == ["EMAIL_OTP", "SMS_OTP", "PASSWORD", "PASSWORD_SRP"]
    assert result["signedIn"] is True and result["autoSignedIn"] is True
    assert cognito.admin_get_user(UserPoolId=pool, Username="newcomer")["UserStatus"] == "CONFIRMED"
