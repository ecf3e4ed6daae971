"""Recognising emails and phone numbers the way Cognito does, and making ids."""

from __future__ import annotations

import re
import secrets
import string
import uuid

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
PHONE = re.compile(r"^\+[0-9]{4,17}$")
_ID_ALPHABET = string.ascii_letters + string.digits


def is_email(value: str) -> bool:
    return EMAIL.match(value) is not None


def is_phone(value: str) -> bool:
    return PHONE.match(value) is not None


def new_sub() -> str:
    return str(uuid.uuid4())


def new_pool_id(region: str) -> str:
    return f"{region}_" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(9))


def new_client_id() -> str:
    return "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(26))
