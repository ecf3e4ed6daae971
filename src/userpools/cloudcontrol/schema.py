"""CloudFormation resource schemas (the JSON files in ``schemas/``) and what Cloud Control derives from them:
validation of a desired state, primary identifiers, create-only / read-only / write-only properties."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import regex

_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "object": (dict,),
    "array": (list,),
}


def _top(pointer: str) -> str:
    """'/properties/Username' -> 'Username' (nested pointers name their top-level property)."""
    return pointer.removeprefix("/properties/").split("/")[0]


def _type_name(value: Any) -> str:
    for name, kinds in _TYPES.items():
        if isinstance(value, kinds) and not (name in ("integer", "number") and isinstance(value, bool)):
            return name.capitalize()
    return "Null" if value is None else type(value).__name__


@dataclass(frozen=True)
class ResourceSchema:
    raw: dict[str, Any]

    @property
    def type_name(self) -> str:
        return str(self.raw["typeName"])

    @property
    def properties(self) -> dict[str, Any]:
        return dict(self.raw.get("properties", {}))

    def _names(self, key: str) -> list[str]:
        return [_top(p) for p in self.raw.get(key, [])]

    @property
    def primary_identifier(self) -> list[str]:
        return self._names("primaryIdentifier")

    @property
    def create_only(self) -> list[str]:
        return self._names("createOnlyProperties")

    @property
    def read_only(self) -> list[str]:
        return self._names("readOnlyProperties")

    @property
    def write_only(self) -> list[str]:
        return self._names("writeOnlyProperties")

    def handles(self, action: str) -> bool:
        return action in self.raw.get("handlers", {})

    @property
    def list_requires(self) -> list[str]:
        handler = self.raw.get("handlers", {}).get("list", {})
        return list(handler.get("handlerSchema", {}).get("required", []))

    # identifiers -----------------------------------------------------------------------------------
    def identifier_of(self, model: dict[str, Any]) -> str | None:
        parts = [model.get(name) for name in self.primary_identifier]
        if any(p is None or p == "" for p in parts):
            return None
        return "|".join(str(p) for p in parts)

    def parse_identifier(self, identifier: str) -> dict[str, str] | None:
        names = self.primary_identifier
        # Only the last part may contain "|" (pool ids and group names in practice do not).
        parts = identifier.split("|", len(names) - 1)
        if len(parts) != len(names) or not all(parts):
            return None
        return dict(zip(names, parts, strict=True))

    def describe_identifier(self) -> str:
        return "|".join(f"<{name}>" for name in self.primary_identifier)

    # models ----------------------------------------------------------------------------------------
    def readable(self, model: dict[str, Any]) -> dict[str, Any]:
        """What GetResource returns: the model without write-only properties or empty values."""
        hidden = set(self.write_only)
        return {k: v for k, v in model.items() if k not in hidden and v is not None}

    def validate(self, model: Any) -> list[str]:
        """Model validation in CloudFormation's wording ('#/Username: expected type: String, found: Integer')."""
        errors: list[str] = []
        self._check(self.raw, model, "#", errors)
        return errors

    def _resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/definitions/"):
            return dict(self.raw.get("definitions", {})[ref.removeprefix("#/definitions/")])
        return node

    def _check(self, node: dict[str, Any], value: Any, path: str, errors: list[str]) -> None:
        node = self._resolve(node)
        expected = node.get("type", "object" if "properties" in node else None)
        found = _type_name(value)
        if expected is not None and found != str(expected).capitalize() and (expected, found) != ("number", "Integer"):
            errors.append(f"{path}: expected type: {str(expected).capitalize()}, found: {found}")
            return
        if isinstance(value, str):
            if "enum" in node and value not in node["enum"]:
                errors.append(f"{path}: {value} is not a valid enum value")
            if len(value) < node.get("minLength", 0):
                errors.append(f"{path}: expected minLength: {node['minLength']}, actual: {len(value)}")
            if "maxLength" in node and len(value) > node["maxLength"]:
                errors.append(f"{path}: expected maxLength: {node['maxLength']}, actual: {len(value)}")
        if isinstance(value, int) and not isinstance(value, bool) and value < node.get("minimum", value):
            errors.append(f"{path}: {value} is not greater or equal to {node['minimum']}")
        if isinstance(value, list) and "items" in node:
            for index, item in enumerate(value):
                self._check(node["items"], item, f"{path}/{index}", errors)
        if isinstance(value, dict):
            self._object(node, value, path, errors)

    def _object(self, node: dict[str, Any], value: dict[str, Any], path: str, errors: list[str]) -> None:
        declared = node.get("properties", {})
        patterns = node.get("patternProperties", {})
        for name in node.get("required", []):
            if name not in value:
                errors.append(f"{path}: required key [{name}] not found")
        for key, item in value.items():
            if key in declared:
                self._check(declared[key], item, f"{path}/{key}", errors)
                continue
            matched = [p for p in patterns if _pattern(p).search(key)]
            for pattern in matched:
                self._check(patterns[pattern], item, f"{path}/{key}", errors)
            if not matched and node.get("additionalProperties", True) is False:
                errors.append(f"{path}: extraneous key [{key}] is not permitted")


@cache
def _pattern(pattern: str) -> regex.Pattern[str]:
    return regex.compile(pattern)


@cache
def load(file_name: str) -> ResourceSchema:
    text = resources.files("userpools.cloudcontrol").joinpath("schemas", file_name).read_text()
    return ResourceSchema(json.loads(text))
