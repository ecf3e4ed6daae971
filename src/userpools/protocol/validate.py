"""Input validation against a botocore shape, with AWS's validation-error wording.

Type mismatches are SerializationException (AWS rejects them while parsing); constraint failures are
collected and reported together as ``N validation error(s) detected: ...``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import regex
from botocore.model import ListShape, MapShape, Shape, StructureShape

from userpools.protocol.errors import SerializationException

_MAX_SHOWN = 2048


@cache
def _pattern(pattern: str) -> regex.Pattern[str] | None:
    try:
        return regex.compile(pattern)
    except regex.error:
        return None


def _camel(name: str) -> str:
    return name[:1].lower() + name[1:]


def _show(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={_show(v)}" for k, v in value.items()) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)[:_MAX_SHOWN]


class _Walker:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, shape: Shape, path: str, value: Any, constraint: str) -> None:
        shown = "" if shape.metadata.get("sensitive") else f" '{_show(value)}'"
        self.errors.append(f"Value{shown} at '{path}' failed to satisfy constraint: {constraint}")

    def structure(self, shape: StructureShape, value: Any, path: str) -> None:
        if not isinstance(value, dict):
            raise SerializationException(f"Expected an object at '{path or 'body'}'")
        for name in shape.required_members:
            if value.get(name) is None:
                where = f"{path}.{_camel(name)}" if path else _camel(name)
                self.errors.append(
                    f"Value null at '{where}' failed to satisfy constraint: Member must not be null"
                )
        for name, member in shape.members.items():
            item = value.get(name)
            if item is not None:
                self.value(member, item, f"{path}.{_camel(name)}" if path else _camel(name))

    def value(self, shape: Shape, value: Any, path: str) -> None:
        kind = shape.type_name
        if kind == "structure":
            assert isinstance(shape, StructureShape)
            self.structure(shape, value, path)
        elif kind == "list":
            assert isinstance(shape, ListShape)
            self.list(shape, value, path)
        elif kind == "map":
            assert isinstance(shape, MapShape)
            self.map(shape, value, path)
        elif kind == "string":
            self.string(shape, value, path)
        elif kind in ("integer", "long"):
            if isinstance(value, bool) or not isinstance(value, int):
                raise SerializationException(f"NUMBER_VALUE can not be converted to an Integer at '{path}'")
            self.bounds(shape, value, value, path, "value")
        elif kind in ("float", "double"):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise SerializationException(f"Expected a number at '{path}'")
        elif kind == "boolean":
            if not isinstance(value, bool):
                raise SerializationException(f"Expected a boolean at '{path}'")
        elif kind == "timestamp":
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                raise SerializationException(f"Expected a timestamp at '{path}'")
        elif kind == "blob" and not isinstance(value, str):
            raise SerializationException(f"Expected a base64 string at '{path}'")

    def string(self, shape: Shape, value: Any, path: str) -> None:
        if not isinstance(value, str):
            raise SerializationException(f"Expected a string at '{path}'")
        self.bounds(shape, value, len(value), path, "length")
        enum = shape.enum
        if enum and value not in enum:
            self.fail(shape, path, value, f"Member must satisfy enum value set: [{', '.join(enum)}]")
            return
        pattern = shape.metadata.get("pattern")
        compiled = _pattern(pattern) if pattern else None
        if compiled is not None and compiled.fullmatch(value) is None:
            self.fail(shape, path, value, f"Member must satisfy regular expression pattern: {pattern}")

    def bounds(self, shape: Shape, value: Any, size: int, path: str, what: str) -> None:
        low, high = shape.metadata.get("min"), shape.metadata.get("max")
        if low is not None and size < low:
            self.fail(shape, path, value, f"Member must have {what} greater than or equal to {low}")
        if high is not None and size > high:
            self.fail(shape, path, value, f"Member must have {what} less than or equal to {high}")

    def list(self, shape: ListShape, value: Any, path: str) -> None:
        if not isinstance(value, list):
            raise SerializationException(f"Expected a list at '{path}'")
        self.bounds(shape, value, len(value), path, "length")
        member = shape.member
        if member.type_name in ("structure", "list", "map"):
            for index, item in enumerate(value, start=1):
                if item is not None:
                    self.value(member, item, f"{path}.{index}.member")
            return
        inner = _Walker()
        for item in value:
            if item is not None:
                inner.value(member, item, path)
        if inner.errors:
            reasons = sorted({e.split("failed to satisfy constraint: ", 1)[1] for e in inner.errors})
            self.fail(shape, path, value, "Member must satisfy constraint: [" + ", ".join(reasons) + "]")

    def map(self, shape: MapShape, value: Any, path: str) -> None:
        if not isinstance(value, dict):
            raise SerializationException(f"Expected an object at '{path}'")
        self.bounds(shape, value, len(value), path, "length")
        for key, item in value.items():
            self.string(shape.key, key, f"{path}.key")
            if item is not None:
                self.value(shape.value, item, f"{path}.{key}.member")


def validate(shape: StructureShape | None, params: Any) -> list[str]:
    """Return AWS-style messages for each broken constraint; raise on wrong JSON types."""
    if shape is None:
        return []
    walker = _Walker()
    walker.structure(shape, params, "")
    return walker.errors


def summary(errors: list[str]) -> str:
    count = len(errors)
    noun = "error" if count == 1 else "errors"
    return f"{count} validation {noun} detected: " + "; ".join(errors)
