"""User attributes checked against a pool's schema, with Cognito's wording."""

from __future__ import annotations

from typing import Any

from userpools.domain.errors import InvalidParameterException
from userpools.domain.identifiers import is_email, is_phone

_BOOLEAN = ("true", "false")
ALIASABLE = ("email", "phone_number", "preferred_username")


def _schema_error(problems: list[str]) -> InvalidParameterException:
    return InvalidParameterException("Attributes did not conform to the schema: " + "".join(f"{p}\n" for p in problems))


def pairs(items: list[dict[str, Any]] | None) -> dict[str, str]:
    """[{Name, Value}] as an ordered dict; a later duplicate wins, as in Cognito."""
    return {item["Name"]: item.get("Value", "") or "" for item in items or []}


def check(
    attributes: dict[str, str],
    schema: list[dict[str, Any]],
    *,
    creating: bool,
) -> None:
    """Validate names, types, lengths and formats of attributes being written to a user.

    Cognito reads Boolean values case-insensitively ("True" is true); they are written back into
    ``attributes`` in lower case, the form every later comparison and token claim expects.
    """
    by_name = {a["Name"]: a for a in schema}
    problems: list[str] = []
    for name, value in attributes.items():
        spec = by_name.get(name)
        if name == "sub":
            raise InvalidParameterException("Cannot modify the non-mutable attribute sub")
        if spec is None:
            problems.append(f"{name}: Attribute does not exist in the schema.")
            continue
        if not creating and not spec.get("Mutable", True):
            problems.append(f"{name}: Attribute cannot be updated. (changing an immutable attribute)")
            continue
        kind = spec.get("AttributeDataType", "String")
        if kind == "Boolean":
            if value.lower() not in _BOOLEAN:
                problems.append(f"{name}: Attribute value must be true or false.")
            else:
                attributes[name] = value.lower()
        elif kind == "Number":
            try:
                number = float(value)
            except ValueError:
                problems.append(f"{name}: Number must be a valid number.")
                continue
            limits = spec.get("NumberAttributeConstraints") or {}
            if limits.get("MinValue") not in (None, "") and number < float(limits["MinValue"]):
                problems.append(f"{name}: Number must be greater than or equal to {limits['MinValue']}.")
            if limits.get("MaxValue") not in (None, "") and number > float(limits["MaxValue"]):
                problems.append(f"{name}: Number must be less than or equal to {limits['MaxValue']}.")
        elif kind in ("String", "DateTime"):
            limits = spec.get("StringAttributeConstraints") or {}
            high = int(limits.get("MaxLength") or 2048)
            low = int(limits.get("MinLength") or 0)
            if len(value) > high:
                problems.append(f"{name}: String must be no longer than {high} characters.")
            elif len(value) < low:
                problems.append(f"{name}: String must be no shorter than {low} characters.")
    if problems:
        raise _schema_error(problems)
    if attributes.get("email") and not is_email(attributes["email"]):
        raise InvalidParameterException("Invalid email address format.")
    if attributes.get("phone_number") and not is_phone(attributes["phone_number"]):
        raise InvalidParameterException("Invalid phone number format.")
    if attributes.get("email_verified") == "true" and not attributes.get("email"):
        raise InvalidParameterException("Email is required to verify email.")
    if attributes.get("phone_number_verified") == "true" and not attributes.get("phone_number"):
        raise InvalidParameterException("Phone number is required to verify phone number.")


def alias_keys(
    attributes: dict[str, str],
    *,
    alias_attributes: list[str],
    username_attributes: list[str],
    case_sensitive: bool,
) -> dict[str, str]:
    """The sign-in aliases a user holds: kind → normalised value.

    With AliasAttributes, email and phone count once verified and preferred_username always; with
    UsernameAttributes the email/phone that stands for the username counts whether verified or not.
    """
    keys: dict[str, str] = {}
    for kind in ALIASABLE:
        value = attributes.get(kind)
        if not value:
            continue
        if kind in username_attributes:
            held = True
        elif kind in alias_attributes:
            held = kind == "preferred_username" or attributes.get(f"{kind}_verified") == "true"
        else:
            held = False
        if held:
            keys[kind] = value if case_sensitive and kind != "email" else value.lower()
    return keys
