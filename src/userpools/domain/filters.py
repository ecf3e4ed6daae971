"""ListUsers' filter grammar: ``attribute = "value"`` (exact) and ``attribute ^= "value"`` (prefix)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from userpools.domain.errors import InvalidParameterException

FILTERABLE = frozenset(
    {
        "username",
        "email",
        "phone_number",
        "name",
        "given_name",
        "family_name",
        "preferred_username",
        "cognito:user_status",
        "status",
        "sub",
    }
)
# Attributes that live in the attribute index; the others are columns of the user itself.
INDEXED = frozenset({"email", "phone_number", "name", "given_name", "family_name", "preferred_username"})

_GRAMMAR = re.compile(r'^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$')


@dataclass(frozen=True)
class Filter:
    attribute: str
    prefix: bool
    value: str


def parse(text: str | None) -> Filter | None:
    if not text or not text.strip():
        return None
    match = _GRAMMAR.match(text)
    if match is None:
        raise InvalidParameterException("Error while parsing filter.")
    attribute, operator, value = match.groups()
    if attribute not in FILTERABLE:
        raise InvalidParameterException("Invalid search attribute: " + attribute)
    return Filter(attribute, operator == "^=", value.replace('\\"', '"'))
