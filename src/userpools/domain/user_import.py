"""User import files: the CSV's header and rows checked as Cognito's import does, into users to write.

Rules (Cognito's documented ones, and our choices where it says nothing; README "User import"):
- The first line is a header of GetCSVHeader's columns, in any order; ``cognito:username`` and
  ``cognito:mfa_enabled`` are required, any other column must be an attribute of the pool (not ``sub``).
- Every user is imported in RESET_REQUIRED with no password; it sets one with ForgotPassword.
- ``cognito:mfa_enabled`` is true or false; true turns SMS MFA on and needs a ``phone_number``.
- ``email_verified`` / ``phone_number_verified`` are true or false; a user needs a verified email or phone
  number (where its reset code goes). Required attributes of the schema must have values.
- A row that breaks a rule fails alone (FailedUsers, with its line and reason); an empty line is skipped.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from userpools.domain import attributes as attribute_rules
from userpools.domain.mfa import SMS
from userpools.domain.pools import Pool, sign_in_name
from userpools.errors import ServiceError

USERNAME = "cognito:username"
MFA = "cognito:mfa_enabled"
TRAILING_COLUMNS = (MFA, USERNAME)
_BOOLEAN = {"true", "false"}


class BadFile(Exception):
    """The file as a whole cannot be imported (the job fails)."""


@dataclass
class Prepared:
    """One row's user, ready to be written."""

    line: int
    username: str
    username_key: str
    sub: str
    attributes: dict[str, str]
    mfa: dict[str, Any]
    aliases: dict[str, str]


@dataclass(frozen=True)
class Failure:
    line: int
    username: str
    message: str


def csv_header(schema: list[dict[str, Any]]) -> list[str]:
    """Every schema attribute but ``sub`` (Cognito makes a new one), in schema order, then the trailing columns."""
    return [a["Name"] for a in schema if a["Name"] != "sub"] + list(TRAILING_COLUMNS)


def check_header(header: list[str], schema: list[dict[str, Any]]) -> list[str]:
    """The header's column names, or BadFile for one Cognito's import would refuse."""
    names = [h.strip() for h in header]
    known = set(csv_header(schema))
    unknown = [n for n in names if n not in known]
    if unknown:
        raise BadFile(f"The CSV header has columns that are not attributes of the user pool: {', '.join(unknown)}.")
    if len(set(names)) != len(names):
        raise BadFile("The CSV header names a column more than once.")
    for needed in TRAILING_COLUMNS:
        if needed not in names:
            raise BadFile(f"The CSV header has no {needed} column.")
    return names


class Rows:
    """Turns a file's rows into users for one pool (its schema and sign-in rules read once)."""

    def __init__(self, pool: Pool, header: list[str], now: datetime) -> None:
        self.pool = pool
        self.names = check_header(header, pool.schema)
        self.now = now
        self.required = [
            a["Name"] for a in pool.schema if a.get("Required") and a["Name"] not in ("sub", "email_verified")
        ]
        self._username_at = self.names.index(USERNAME)
        self._mfa_at = self.names.index(MFA)
        self._attribute_columns = [(i, n) for i, n in enumerate(self.names) if n not in TRAILING_COLUMNS]

    def prepare(self, line: int, values: list[str]) -> Prepared | Failure | None:
        """The row's user; a Failure for a row that breaks a rule; None for an empty line (skipped)."""
        if not values or all(not v.strip() for v in values):
            return None
        username = values[self._username_at].strip() if self._username_at < len(values) else ""
        if len(values) != len(self.names):
            return Failure(line, username, f"The row has {len(values)} columns where the header has {len(self.names)}.")
        try:
            return self._prepare(line, username, values)
        except ServiceError as error:
            return Failure(line, username, error.message)
        except _RowError as error:
            return Failure(line, username, str(error))

    def _prepare(self, line: int, username: str, values: list[str]) -> Prepared:
        if not username:
            raise _RowError("cognito:username is empty.")
        if len(username) > 128:
            raise _RowError("cognito:username is longer than 128 characters.")
        mfa_text = values[self._mfa_at].strip().lower()
        if mfa_text not in _BOOLEAN:
            raise _RowError("cognito:mfa_enabled must be true or false.")
        attributes = {name: values[i] for i, name in self._attribute_columns if values[i] != ""}
        for flag in ("email_verified", "phone_number_verified"):
            if flag in attributes and attributes[flag].strip().lower() not in _BOOLEAN:
                raise _RowError(f"{flag} must be true or false.")
        stored, filled = sign_in_name(self.pool, username)
        if filled is not None:
            attributes.setdefault(filled, username)
        attribute_rules.check(attributes, self.pool.schema, creating=True)
        missing = [name for name in self.required if not attributes.get(name)]
        if missing:
            raise _RowError(f"Required attributes are missing: {', '.join(missing)}.")
        if attributes.get("email_verified") != "true" and attributes.get("phone_number_verified") != "true":
            raise _RowError(
                "The user needs a verified email or phone number (email_verified or phone_number_verified)."
            )
        mfa: dict[str, Any] = {}
        if mfa_text == "true":
            if not attributes.get("phone_number"):
                raise _RowError("cognito:mfa_enabled is true, but the user has no phone_number.")
            mfa = {SMS: {"enabled": True, "preferred": False}}
        sub = stored if filled is not None else str(uuid.uuid4())
        attributes = {"sub": sub, **attributes}
        aliases = attribute_rules.alias_keys(
            attributes,
            alias_attributes=self.pool.alias_attributes,
            username_attributes=self.pool.username_attributes,
            case_sensitive=self.pool.case_sensitive,
        )
        return Prepared(line, stored, self.pool.username_key(stored), sub, attributes, mfa, aliases)


class _RowError(Exception):
    pass
