"""JSON Patch (RFC 6902), as UpdateResource's PatchDocument, applied to a resource model."""

from __future__ import annotations

import copy
import json
from typing import Any

from userpools.cloudcontrol.errors import ValidationException


class PatchError(ValueError):
    pass


def _tokens(pointer: str) -> list[str]:
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise PatchError(f"Invalid JSON pointer {pointer!r}")
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def _parent(doc: Any, pointer: str) -> tuple[Any, str]:
    tokens = _tokens(pointer)
    if not tokens:
        raise PatchError("The whole document cannot be the target of this operation")
    node = doc
    for token in tokens[:-1]:
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node, tokens[-1]


def _get(doc: Any, pointer: str) -> Any:
    node = doc
    for token in _tokens(pointer):
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def _add(doc: Any, pointer: str, value: Any) -> None:
    parent, key = _parent(doc, pointer)
    if isinstance(parent, list):
        parent.insert(len(parent) if key == "-" else int(key), value)
    else:
        parent[key] = value


def _remove(doc: Any, pointer: str) -> Any:
    parent, key = _parent(doc, pointer)
    return parent.pop(int(key)) if isinstance(parent, list) else parent.pop(key)


def apply(document: dict[str, Any], operations: list[dict[str, Any]]) -> dict[str, Any]:
    doc = copy.deepcopy(document)
    try:
        for op in operations:
            kind, path = op["op"], op["path"]
            if kind == "add":
                _add(doc, path, op["value"])
            elif kind == "remove":
                _remove(doc, path)
            elif kind == "replace":
                _remove(doc, path)
                _add(doc, path, op["value"])
            elif kind == "move":
                _add(doc, path, _remove(doc, op["from"]))
            elif kind == "copy":
                _add(doc, path, copy.deepcopy(_get(doc, op["from"])))
            elif kind == "test":
                if _get(doc, path) != op["value"]:
                    raise PatchError(f"test failed at {path}")
            else:
                raise PatchError(f"Unknown patch operation {kind!r}")
    except PatchError:
        raise
    except (KeyError, IndexError, ValueError, TypeError) as error:
        raise PatchError(f"Patch cannot be applied: {error!r}") from None
    return doc


def parse(text: str) -> list[dict[str, Any]]:
    try:
        operations = json.loads(text)
    except ValueError:
        raise ValidationException("PatchDocument is not valid JSON.") from None
    if not isinstance(operations, list) or not all(
        isinstance(o, dict) and isinstance(o.get("op"), str) and isinstance(o.get("path"), str) for o in operations
    ):
        raise ValidationException("PatchDocument must be a JSON Patch (RFC 6902) array of operations.")
    return operations


def touched(operations: list[dict[str, Any]]) -> set[str]:
    """The top-level properties an operation list writes to."""
    names = set()
    for op in operations:
        for pointer in (op["path"], op.get("from") if op["op"] == "move" else None):
            if pointer:
                tokens = _tokens(pointer)
                if tokens:
                    names.add(tokens[0])
    return names
