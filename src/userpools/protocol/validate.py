"""Input validation against a botocore shape, with AWS's validation-error wording.

Type mismatches are SerializationException (AWS rejects them while parsing); constraint failures are
collected and reported together as ``N validation error(s) detected: ...``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import regex
from botocore.model import ListShape, MapShape, Shape, StructureShape

from userpools.protocol.errors import SerializationException

_MAX_SHOWN = 2048
_NOT_NULL = "Member must not be null"


# Model patterns that backtrack catastrophically, each with an equivalent that runs in linear time.
# EmailAddressType has no length limit: ``X+@X+`` (X includes "@") took seconds on 16,000 "@".
_X = r"[\p{L}\p{M}\p{S}\p{N}\p{P}]"
_LINEAR = {f"{_X}+@{_X}+": f"(?={_X}+\\Z)(?s:.+@.+)"}
# A pattern still running after this long on a value longer than SHORT is taken as not matching (a safety
# net: every model pattern is checked by tests/test_validate_patterns.py to answer in microseconds at its
# longest). A value no longer than SHORT is matched without the bound: the bound's time is the wall clock's,
# which a busy process (another thread holding the GIL) can use up on an ordinary value, and asking for it
# costs several times the match itself (bench/README.md).
PATTERN_SECONDS = 0.05
SHORT = 4096
# Shape name -> the pattern the live service enforces in place of its model's (set by the service's owner
# before its first request): e.g. Cognito's DomainType also takes a custom domain's dotted name.
PATTERN_OVERRIDES: dict[str, str] = {}


@cache
def _pattern(pattern: str) -> regex.Pattern[str] | None:
    try:
        return regex.compile(_LINEAR.get(pattern, pattern))
    except regex.error:
        return None


def _long_match(compiled: regex.Pattern[str], value: str) -> bool:
    """Whether a value longer than SHORT matches, within PATTERN_SECONDS."""
    try:
        return compiled.fullmatch(value, timeout=PATTERN_SECONDS) is not None
    except TimeoutError:
        return False


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


# A check: (errors so far, value, path) -> None, raising SerializationException for a wrong JSON type.
_Check = Callable[[list[str], Any, str], None]
# Per shape, its check, built once (shapes live as long as the service model): the walk reads no shape
# metadata per request, ~2x faster than asking botocore's shapes each time.
_CHECKS: dict[int, tuple[Shape, _Check]] = {}


def _fail(errors: list[str], shape: Shape, path: str, value: Any, constraint: str) -> None:
    shown = "" if shape.metadata.get("sensitive") else f" '{_show(value)}'"
    errors.append(f"Value{shown} at '{path}' failed to satisfy constraint: {constraint}")


def _check(shape: Shape) -> _Check:
    found = _CHECKS.get(id(shape))
    if found is None or found[0] is not shape:
        found = _CHECKS[id(shape)] = (shape, _build(shape))
    return found[1]


def _bounds(shape: Shape, what: str) -> Callable[[list[str], Any, int, str], None] | None:
    low, high = shape.metadata.get("min"), shape.metadata.get("max")
    if low is None and high is None:
        return None

    def bounds(errors: list[str], value: Any, size: int, path: str) -> None:
        if low is not None and size < low:
            _fail(errors, shape, path, value, f"Member must have {what} greater than or equal to {low}")
        if high is not None and size > high:
            _fail(errors, shape, path, value, f"Member must have {what} less than or equal to {high}")

    return bounds


def _build(shape: Shape) -> _Check:
    kind = shape.type_name
    if kind == "structure" and shape.metadata.get("document"):  # any JSON value, kept as it is
        return lambda errors, value, path: None
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        return _structure(shape)
    if kind == "list":
        assert isinstance(shape, ListShape)
        return _list(shape)
    if kind == "map":
        assert isinstance(shape, MapShape)
        return _map(shape)
    if kind == "string":
        return _string(shape)
    if kind in ("integer", "long"):
        bounds = _bounds(shape, "value")
        # Cognito's integers are Java's int and long: a number past them cannot be read (and past what the
        # databases store: a Precedence of 2**31 failed in PostgreSQL, 2**63 in SQLite). The wording for it
        # is not known; the type mismatch's is used.
        name, bits = ("an Integer", 31) if kind == "integer" else ("a Long", 63)

        def integer(errors: list[str], value: Any, path: str) -> None:
            if isinstance(value, bool) or not isinstance(value, int) or not -(2**bits) <= value < 2**bits:
                raise SerializationException(f"NUMBER_VALUE can not be converted to {name} at '{path}'")
            if bounds is not None:
                bounds(errors, value, value, path)

        return integer
    expected: tuple[type, ...] | None = {
        "float": (int, float),
        "double": (int, float),
        "boolean": (bool,),
        "timestamp": (int, float, str),
        "blob": (str,),
    }.get(kind)
    if expected is None:
        return lambda errors, value, path: None
    message = {"boolean": "a boolean", "timestamp": "a timestamp", "blob": "a base64 string"}.get(kind, "a number")
    no_bool = kind != "boolean"

    def typed(errors: list[str], value: Any, path: str) -> None:
        if (no_bool and isinstance(value, bool)) or not isinstance(value, expected):
            raise SerializationException(f"Expected {message} at '{path}'")

    return typed


def _structure(shape: StructureShape) -> _Check:
    required = [(name, _camel(name)) for name in shape.required_members]
    members = [(name, _camel(name), member) for name, member in shape.members.items()]
    known = frozenset(shape.members)
    checks: list[tuple[str, str, _Check]] | None = None

    def structure(errors: list[str], value: Any, path: str) -> None:
        nonlocal checks
        if not isinstance(value, dict):
            raise SerializationException(f"Expected an object at '{path or 'body'}'")
        if checks is None:  # on first use, as shapes may refer to themselves; one assignment, thread-safe
            checks = [(name, camel, _check(member)) for name, camel, member in members]
        if None in value.values() or not known.issuperset(value):  # both in C: most requests have neither
            for key in [k for k, v in value.items() if v is None or k not in known]:
                del value[key]  # unknown members are ignored and null ones absent, as AWS reads them
        for name, camel in required:
            if value.get(name) is None:
                where = f"{path}.{camel}" if path else camel
                errors.append(f"Value null at '{where}' failed to satisfy constraint: Member must not be null")
        for name, camel, check in checks:
            item = value.get(name)
            if item is not None:
                check(errors, item, f"{path}.{camel}" if path else camel)

    return structure


def _string(shape: Shape) -> _Check:
    bounds = _bounds(shape, "length")
    enum = shape.enum
    allowed = frozenset(enum)
    enum_rule = f"Member must satisfy enum value set: [{', '.join(enum)}]"
    pattern = PATTERN_OVERRIDES.get(shape.name, shape.metadata.get("pattern"))
    compiled = _pattern(pattern) if pattern else None
    pattern_rule = f"Member must satisfy regular expression pattern: {pattern}"

    high = shape.metadata.get("max")

    def string(errors: list[str], value: Any, path: str) -> None:
        if not isinstance(value, str):
            raise SerializationException(f"Expected a string at '{path}'")
        if "\x00" in value:  # PostgreSQL cannot store it, and no Cognito value needs it
            _fail(errors, shape, path, value, "Member must not contain the NUL character")
            return
        size = len(value)
        if bounds is not None:
            bounds(errors, value, size, path)
            if high is not None and size > high:
                return  # too long: no pattern is run on it
        if allowed and value not in allowed:
            _fail(errors, shape, path, value, enum_rule)
            return
        if compiled is None:
            return
        matched = compiled.fullmatch(value) is not None if size <= SHORT else _long_match(compiled, value)
        if not matched:
            _fail(errors, shape, path, value, pattern_rule)

    return string


def _list(shape: ListShape) -> _Check:
    bounds = _bounds(shape, "length")
    member = shape.member
    nested = member.type_name in ("structure", "list", "map")

    def checked_list(errors: list[str], value: Any, path: str) -> None:
        if not isinstance(value, list):
            raise SerializationException(f"Expected a list at '{path}'")
        if bounds is not None:
            bounds(errors, value, len(value), path)
        check = _check(member)
        if nested:
            for index, item in enumerate(value, start=1):
                if item is None:
                    errors.append(f"Value null at '{path}.{index}.member' failed to satisfy constraint: {_NOT_NULL}")
                else:
                    check(errors, item, f"{path}.{index}.member")
            return
        inner: list[str] = []
        for item in value:
            if item is None:
                inner.append(f"Value null failed to satisfy constraint: {_NOT_NULL}")
            else:
                check(inner, item, path)
        if inner:
            reasons = sorted({e.split("failed to satisfy constraint: ", 1)[1] for e in inner})
            _fail(errors, shape, path, value, "Member must satisfy constraint: [" + ", ".join(reasons) + "]")

    return checked_list


def _map(shape: MapShape) -> _Check:
    bounds = _bounds(shape, "length")

    def checked_map(errors: list[str], value: Any, path: str) -> None:
        if not isinstance(value, dict):
            raise SerializationException(f"Expected an object at '{path}'")
        if bounds is not None:
            bounds(errors, value, len(value), path)
        key_check, value_check = _check(shape.key), _check(shape.value)
        for key, item in value.items():
            key_check(errors, key, f"{path}.key")
            if item is None:
                errors.append(f"Value null at '{path}.{key}.member' failed to satisfy constraint: {_NOT_NULL}")
            else:
                value_check(errors, item, f"{path}.{key}.member")

    return checked_map


def validate(shape: StructureShape | None, params: Any) -> list[str]:
    """Return AWS-style messages for each broken constraint; raise on wrong JSON types."""
    if shape is None:
        return []
    errors: list[str] = []
    _check(shape)(errors, params, "")
    return errors


def summary(errors: list[str]) -> str:
    count = len(errors)
    noun = "error" if count == 1 else "errors"
    return f"{count} validation {noun} detected: " + "; ".join(errors)
