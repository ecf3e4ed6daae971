"""Output serialization by shape: only modelled members, timestamps as epoch seconds, blobs base64."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape

# Kinds whose values go out exactly as they are: no walk needed.
_PLAIN = frozenset({"string", "boolean", "integer", "long", "float", "double"})
# Per structure shape: member name -> (member shape, plain?). Shapes live as long as the service model.
_MEMBERS: dict[int, tuple[Shape, dict[str, tuple[Shape, bool]]]] = {}


def _members(shape: StructureShape) -> dict[str, tuple[Shape, bool]]:
    found = _MEMBERS.get(id(shape))
    if found is None or found[0] is not shape:
        plan = {name: (member, member.type_name in _PLAIN) for name, member in shape.members.items()}
        found = _MEMBERS[id(shape)] = (shape, plan)
    return found[1]


def serialize(shape: Shape | None, value: Any) -> Any:
    if shape is None or value is None:
        return value
    kind = shape.type_name
    if kind == "structure" and not shape.metadata.get("document"):  # a document goes out as it is
        assert isinstance(shape, StructureShape)
        members = _members(shape)
        out = {}
        for name, item in value.items():
            if item is None:
                continue
            member = members.get(name)
            if member is not None:
                out[name] = item if member[1] else serialize(member[0], item)
        return out
    if kind == "list":
        assert isinstance(shape, ListShape)
        member_shape = shape.member
        if member_shape.type_name in _PLAIN:
            return list(value)
        return [serialize(member_shape, item) for item in value]
    if kind == "map":
        assert isinstance(shape, MapShape)
        return {key: serialize(shape.value, item) for key, item in value.items()}
    if kind == "timestamp" and isinstance(value, datetime):
        return value.timestamp()
    if kind == "blob" and isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value
