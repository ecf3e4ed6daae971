"""Helpers for the MFA tests: pools with MFA, a signed-in user, TOTP codes, and the stored text of a database."""

from __future__ import annotations

import time
from typing import Any

import pyotp

from tests.signin import NEW_PASSWORD, confirmed_user, make_client, password_auth
from tests.support import Server
from userpools.storage.engine import Store
from userpools.storage.schema import metadata

SMS_CONFIGURATION = {"SnsCallerArn": "arn:aws:iam::123456789012:role/sms", "ExternalId": "x"}
DEVELOPER_EMAIL = {
    "EmailSendingAccount": "DEVELOPER",
    "SourceArn": "arn:aws:ses:us-east-1:123456789012:identity/example.com",
    "From": "no-reply@example.com",
}


def code_at(secret: str, offset: float = 0.0) -> str:
    """The TOTP code for the real time moved by ``offset`` seconds (the server's clock is the real one,
    moved by the ``move_clock`` fixture)."""
    return str(pyotp.TOTP(secret).at(time.time() + offset))


def signed_in(server: Server, cognito: Any, pool: str, username: str = "alice", **attributes: str) -> dict[str, Any]:
    """A confirmed user (optional extra attributes) signed in with USER_PASSWORD_AUTH; its tokens and client."""
    client_id = make_client(cognito, pool)["ClientId"]
    confirmed_user(server, cognito, pool, username)
    if attributes:
        cognito.admin_update_user_attributes(
            UserPoolId=pool, Username=username, UserAttributes=[{"Name": k, "Value": v} for k, v in attributes.items()]
        )
    result = password_auth(cognito, client_id, username, NEW_PASSWORD)["AuthenticationResult"]
    return {"client_id": client_id, **result}


def database_text(server: Server) -> str:
    """Every row of every table, as text: what a grep of the database would find."""
    store = Store(server.database_url)
    try:
        with store.transaction(write=False) as tx:
            return "\n".join(
                repr(tuple(row)) for table in metadata.sorted_tables for row in tx.connection.execute(table.select())
            )
    finally:
        store.close()
