"""What operations people script: log delivery, provisioned limits, user import jobs, risk settings and auth events."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)

from userpools.storage.schema.types import RowId, Timestamp, metadata

# A pool's log delivery configuration (SetLogDeliveryConfiguration), as given.
log_delivery = Table(
    "log_delivery",
    metadata,
    Column("pool_id", String(55), ForeignKey("pools.id", ondelete="CASCADE"), primary_key=True),
    Column("configurations", JSON, nullable=False),
)

# Provisioned request-rate limits by API category (UpdateProvisionedLimit), for the whole server.
provisioned_limits = Table(
    "provisioned_limits",
    metadata,
    Column("category", String(64), primary_key=True),
    Column("value", Integer, nullable=False),
)

# User import jobs (CreateUserImportJob). A running job is leased by one instance (lease_owner, lease_until);
# ``position`` counts the data lines it has finished, committed with the users they made.
import_jobs = Table(
    "import_jobs",
    metadata,
    Column("id", String(55), primary_key=True),
    Column("pool_id", String(55), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(128), nullable=False),
    Column("role_arn", String(2048), nullable=False),
    Column("hashing", String(32)),
    Column("status", String(16), nullable=False),
    Column("created", Timestamp(), nullable=False),
    Column("started", Timestamp()),
    Column("completed", Timestamp()),
    Column("imported", BigInteger, nullable=False),
    Column("skipped", BigInteger, nullable=False),
    Column("failed", BigInteger, nullable=False),
    Column("message", String(128)),
    Column("position", BigInteger, nullable=False),
    Column("uploaded", BigInteger),  # bytes of the CSV file; None: nothing uploaded yet
    Column("lease_owner", String(64)),
    Column("lease_until", Timestamp()),
    Index(None, "pool_id", "created", "id"),
    Index(None, "status"),
)

# The uploaded CSV file, in pieces of up to 1 MiB in order.
import_chunks = Table(
    "import_chunks",
    metadata,
    Column("job_id", String(55), ForeignKey("import_jobs.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
    PrimaryKeyConstraint("job_id", "seq"),
)

# The rows a job could not import, with why (Cognito writes them to the job's CloudWatch log).
import_failures = Table(
    "import_failures",
    metadata,
    Column("job_id", String(55), ForeignKey("import_jobs.id", ondelete="CASCADE"), nullable=False),
    Column("line", BigInteger, nullable=False),
    Column("username", String(256), nullable=False),
    Column("message", Text, nullable=False),
    PrimaryKeyConstraint("job_id", "line"),
)

# SetRiskConfiguration: per pool (client_id "ALL") or per app client.
risk_configs = Table(
    "risk_configs",
    metadata,
    Column("pool_id", String(55), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("client_id", String(128), nullable=False),
    Column("config", JSON, nullable=False),
    Column("modified", Timestamp(), nullable=False),
    PrimaryKeyConstraint("pool_id", "client_id"),
)

# Auth events of pools with threat protection (AdvancedSecurityMode AUDIT or ENFORCED).
auth_events = Table(
    "auth_events",
    metadata,
    Column("id", String(50), primary_key=True),
    Column("pool_id", String(55), ForeignKey("pools.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", RowId, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created", Timestamp(), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("response", String(16), nullable=False),
    Column("risk_decision", String(16), nullable=False),
    Column("risk_level", String(8)),
    Column("compromised", Boolean, nullable=False),
    Column("challenges", JSON, nullable=False),
    Column("ip", String(128)),
    Column("device", String(1024)),
    Column("feedback_value", String(8)),
    Column("feedback_provider", String(32)),
    Column("feedback_date", Timestamp()),
    Column("feedback_token", String(160)),  # the keyed digest of the event's FeedbackToken
    Index(None, "user_id", "created"),
)
