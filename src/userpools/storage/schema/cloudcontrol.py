"""Cloud Control resource requests."""

from __future__ import annotations

from sqlalchemy import Column, Index, String, Table, Text

from userpools.storage.schema.types import RowId, Timestamp, metadata

# Cloud Control resource requests: each CreateResource/UpdateResource/DeleteResource and its final
# ProgressEvent, so GetResourceRequestStatus answers after a restart and ClientTokens are idempotent.
resource_requests = Table(
    "resource_requests",
    metadata,
    Column("id", RowId, primary_key=True, autoincrement=True),
    Column("request_token", String(128), nullable=False, unique=True),
    Column("client_token", String(128), unique=True),
    Column("fingerprint", String(64), nullable=False),
    Column("type_name", String(196), nullable=False),
    Column("identifier", String(1024)),
    Column("operation", String(16), nullable=False),
    Column("status", String(32), nullable=False),
    Column("error_code", String(64)),
    Column("status_message", Text),
    Column("resource_model", Text),
    Column("event_time", Timestamp(), nullable=False),
    Index(None, "operation", "status", "id"),
)
