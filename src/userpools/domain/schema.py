"""A pool's attribute schema: Cognito's standard attributes plus the pool's custom ones."""

from __future__ import annotations

import copy
from typing import Any

from userpools.domain.errors import InvalidParameterException

_STRING = {"MinLength": "0", "MaxLength": "2048"}

STANDARD_ATTRIBUTES: list[dict[str, Any]] = [
    {
        "Name": "sub",
        "AttributeDataType": "String",
        "DeveloperOnlyAttribute": False,
        "Mutable": False,
        "Required": True,
        "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "2048"},
    },
    *(
        {
            "Name": name,
            "AttributeDataType": "String",
            "DeveloperOnlyAttribute": False,
            "Mutable": True,
            "Required": False,
            "StringAttributeConstraints": dict(_STRING),
        }
        for name in (
            "name",
            "given_name",
            "family_name",
            "middle_name",
            "nickname",
            "preferred_username",
            "profile",
            "picture",
            "website",
            "email",
        )
    ),
    {
        "Name": "email_verified",
        "AttributeDataType": "Boolean",
        "DeveloperOnlyAttribute": False,
        "Mutable": True,
        "Required": False,
    },
    *(
        {
            "Name": name,
            "AttributeDataType": "String",
            "DeveloperOnlyAttribute": False,
            "Mutable": True,
            "Required": False,
            "StringAttributeConstraints": dict(limits),
        }
        for name, limits in (
            ("gender", _STRING),
            ("birthdate", {"MinLength": "10", "MaxLength": "10"}),
            ("zoneinfo", _STRING),
            ("locale", _STRING),
            ("phone_number", _STRING),
        )
    ),
    {
        "Name": "phone_number_verified",
        "AttributeDataType": "Boolean",
        "DeveloperOnlyAttribute": False,
        "Mutable": True,
        "Required": False,
    },
    {
        "Name": "address",
        "AttributeDataType": "String",
        "DeveloperOnlyAttribute": False,
        "Mutable": True,
        "Required": False,
        "StringAttributeConstraints": dict(_STRING),
    },
    {
        "Name": "updated_at",
        "AttributeDataType": "Number",
        "DeveloperOnlyAttribute": False,
        "Mutable": True,
        "Required": False,
        "NumberAttributeConstraints": {"MinValue": "0"},
    },
]
STANDARD_NAMES = frozenset(a["Name"] for a in STANDARD_ATTRIBUTES)
MAX_CUSTOM_ATTRIBUTES = 50


_CONSTRAINTS = {"String": "StringAttributeConstraints", "Number": "NumberAttributeConstraints"}
_MAX_STRING_LENGTH = 2048
# A custom String attribute declared without limits holds up to 2048 characters, as standard ones do.
_CUSTOM_STRING = {"MinLength": "0", "MaxLength": str(_MAX_STRING_LENGTH)}


def custom_name(spec: dict[str, Any]) -> str:
    prefix = "dev:custom:" if spec.get("DeveloperOnlyAttribute") else "custom:"
    return prefix + str(spec["Name"])


def _integer(value: Any, *, negative: bool) -> int | None:
    try:
        number = int(str(value))
    except ValueError:
        return None
    return number if negative or number >= 0 else None


def _checked_constraints(name: str, kind: str, limits: dict[str, Any]) -> dict[str, Any]:
    """String lengths and Number bounds as Cognito checks them, each failure in its wording."""
    key = _CONSTRAINTS[kind]
    low_key, high_key = ("MinLength", "MaxLength") if kind == "String" else ("MinValue", "MaxValue")
    parsed: dict[str, int] = {}
    for bound in (low_key, high_key):
        if limits.get(bound) is None:
            continue
        number = _integer(limits[bound], negative=kind == "Number")
        if number is None:
            raise InvalidParameterException(f"Invalid {key} for schema attribute {name}")
        parsed[bound] = number
    if kind == "String" and any(n > _MAX_STRING_LENGTH for n in parsed.values()):
        raise InvalidParameterException(
            f"user.{name}: String attributes cannot have a length of more than {_MAX_STRING_LENGTH}"
        )
    if low_key in parsed and high_key in parsed and parsed[low_key] > parsed[high_key]:
        what = "length" if kind == "String" else "value"
        raise InvalidParameterException(f"user.{name}: Max {what} cannot be less than min {what}.")
    return {bound: str(number) for bound, number in parsed.items()}


def _custom(spec: dict[str, Any]) -> dict[str, Any]:
    name = spec.get("Name", "")
    if not name or len(name) > 20:
        raise InvalidParameterException(f"Invalid custom attribute name: {name!r} (1-20 characters).")
    kind = spec.get("AttributeDataType")
    if not kind:
        raise InvalidParameterException(
            "Invalid AttributeDataType input, consider using the provided AttributeDataType enum."
        )
    if spec.get("Required"):
        raise InvalidParameterException("Required custom attributes are not supported currently.")
    out: dict[str, Any] = {
        "Name": custom_name(spec),
        "AttributeDataType": kind,
        "DeveloperOnlyAttribute": bool(spec.get("DeveloperOnlyAttribute", False)),
        "Mutable": bool(spec.get("Mutable", True)),
        "Required": False,
    }
    if kind in _CONSTRAINTS:
        given = spec.get(_CONSTRAINTS[kind]) or {}
        limits = {**_CUSTOM_STRING, **given} if kind == "String" else dict(given)
        out[_CONSTRAINTS[kind]] = _checked_constraints(out["Name"], kind, limits)
    return out


def _standard(target: dict[str, Any], spec: dict[str, Any]) -> None:
    """Override a standard attribute's flags and limits; its type and developer-only flag are fixed."""
    name = target["Name"]
    kind = target["AttributeDataType"]
    if spec.get("AttributeDataType", kind) != kind or spec.get("DeveloperOnlyAttribute"):
        raise InvalidParameterException(
            f"You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute {name}"
        )
    for flag in ("Required", "Mutable"):
        if flag in spec:
            target[flag] = bool(spec[flag])
    key = _CONSTRAINTS.get(kind)
    if key and spec.get(key):
        # Limits not given keep the standard attribute's own (only MaxLength given keeps MinLength).
        target[key] = _checked_constraints(name, kind, {**target.get(key, {}), **spec[key]})


def build(requested: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """The full schema for a new pool: standard attributes, overridden where asked, then customs."""
    schema = copy.deepcopy(STANDARD_ATTRIBUTES)
    by_name = {a["Name"]: a for a in schema}
    customs: list[dict[str, Any]] = []
    for spec in requested or []:
        name = spec.get("Name", "")
        if name in by_name:
            _standard(by_name[name], spec)
        else:
            customs.append(_custom(spec))
    return add_custom(schema, customs)


def with_custom(schema: list[dict[str, Any]], requested: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """AddCustomAttributes: the pool's schema with the requested custom attributes appended."""
    return add_custom(list(schema), [_custom(spec) for spec in requested])


def add_custom(schema: list[dict[str, Any]], customs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Append already-built custom attributes, refusing a name the schema holds."""
    existing = {a["Name"] for a in schema}
    for built in customs:
        if built["Name"] in existing:
            name = built["Name"]
            raise InvalidParameterException(f"{name}: Existing attribute already has name {name}.")
        existing.add(built["Name"])
        schema.append(built)
    if sum(1 for a in schema if a["Name"] not in STANDARD_NAMES) > MAX_CUSTOM_ATTRIBUTES:
        raise InvalidParameterException(f"A user pool can have at most {MAX_CUSTOM_ATTRIBUTES} custom attributes.")
    return schema
