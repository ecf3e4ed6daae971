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


def custom_name(spec: dict[str, Any]) -> str:
    prefix = "dev:custom:" if spec.get("DeveloperOnlyAttribute") else "custom:"
    return prefix + str(spec["Name"])


def _custom(spec: dict[str, Any]) -> dict[str, Any]:
    name = spec.get("Name", "")
    if not name or len(name) > 20:
        raise InvalidParameterException(f"Invalid custom attribute name: {name!r} (1-20 characters).")
    kind = spec.get("AttributeDataType", "String")
    out: dict[str, Any] = {
        "Name": custom_name(spec),
        "AttributeDataType": kind,
        "DeveloperOnlyAttribute": bool(spec.get("DeveloperOnlyAttribute", False)),
        "Mutable": bool(spec.get("Mutable", True)),
        "Required": False,
    }
    if spec.get("Required"):
        raise InvalidParameterException("Required custom attributes are not supported currently.")
    if kind == "String":
        out["StringAttributeConstraints"] = spec.get("StringAttributeConstraints") or {}
    elif kind == "Number":
        out["NumberAttributeConstraints"] = spec.get("NumberAttributeConstraints") or {}
    return out


def build(requested: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """The full schema for a new pool: standard attributes, overridden where asked, then customs."""
    schema = copy.deepcopy(STANDARD_ATTRIBUTES)
    by_name = {a["Name"]: a for a in schema}
    customs: list[dict[str, Any]] = []
    for spec in requested or []:
        name = spec.get("Name", "")
        if name in by_name:
            target = by_name[name]
            for key in ("Required", "Mutable", "DeveloperOnlyAttribute"):
                if key in spec:
                    target[key] = bool(spec[key])
            for key in ("StringAttributeConstraints", "NumberAttributeConstraints"):
                if spec.get(key):
                    target[key] = spec[key]
        else:
            customs.append(_custom(spec))
    return add_custom(schema, customs)


def add_custom(schema: list[dict[str, Any]], customs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    existing = {a["Name"] for a in schema}
    for spec in customs:
        built = spec if str(spec.get("Name", "")).startswith(("custom:", "dev:custom:")) else _custom(spec)
        if built["Name"] in existing:
            raise InvalidParameterException(f"Existing attribute already has name {built['Name']}.")
        existing.add(built["Name"])
        schema.append(built)
    if sum(1 for a in schema if a["Name"] not in STANDARD_NAMES) > MAX_CUSTOM_ATTRIBUTES:
        raise InvalidParameterException(f"A user pool can have at most {MAX_CUSTOM_ATTRIBUTES} custom attributes.")
    return schema
