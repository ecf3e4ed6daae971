"""Output serialization by shape: only modelled members, timestamps as epoch seconds, blobs base64."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape


def serialize(shape: Shape | None, value: Any) -> Any:
    if shape is None or value is None:
        return value
    kind = shape.type_name
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        members = shape.members
        return {
            name: serialize(members[name], item)
            for name, item in value.items()
            if item is not None and name in members
        }
    if kind == "list":
        assert isinstance(shape, ListShape)
        return [serialize(shape.member, item) for item in value]
    if kind == "map":
        assert isinstance(shape, MapShape)
        return {key: serialize(shape.value, item) for key, item in value.items()}
    if kind == "timestamp" and isinstance(value, datetime):
        return value.timestamp()
    if kind == "blob" and isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value
