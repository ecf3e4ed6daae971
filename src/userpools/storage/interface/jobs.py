"""What the server does beside answering a request: the outbox of messages, Cloud Control's resource
requests, and user import jobs with their uploaded files and failed rows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import datetime

    from userpools.storage.outbox import StoredMessage
    from userpools.storage.resource_requests import ResourceRequest
    from userpools.storage.user_import import ImportJobRecord


class Outbox(Protocol):
    """Every message the server produced; destinations, subjects, bodies and codes sealed as given."""

    def add(self, **message: Any) -> int:
        """The new message's id; ``message`` holds StoredMessage's fields but ``id``."""

    def purge(self, before: datetime) -> None:
        """Forget the messages created before ``before``."""

    def list(
        self,
        *,
        pool: str | None = None,
        usernames: Sequence[str] | None = None,
        destination_key: str | None = None,
        after: int | None = None,
        since: datetime | None = None,
        limit: int = 1000,
    ) -> list[StoredMessage]:
        """Messages oldest first: the newest ``limit``, or with ``after`` the first ``limit`` past that id."""


class ResourceRequests(Protocol):
    """Cloud Control's mutating requests and their final ProgressEvents, by request token or ClientToken."""

    def insert(self, request: ResourceRequest) -> None:
        """A ClientToken another request recorded first ends the unit of work in Conflict("client_token")."""

    def by_request_token(self, token: str) -> ResourceRequest | None: ...

    def by_client_token(self, token: str) -> ResourceRequest | None: ...

    def page(
        self, before: int | None, limit: int, operations: list[str] | None, statuses: list[str] | None
    ) -> list[ResourceRequest]:
        """Newest first; ``before`` is the id of the last request of the previous page."""


class ImportJobs(Protocol):
    """User import jobs: the jobs, their leases (one worker runs a job at a time), their uploaded CSV file
    in chunks, and the rows that failed."""

    def insert(self, job: ImportJobRecord) -> None: ...

    def get(self, job_id: str) -> ImportJobRecord | None: ...

    def page(self, pool_id: str, after: tuple[datetime, str] | None, limit: int) -> list[ImportJobRecord]:
        """Oldest first, after the cursor ``(created, job id)``."""

    def change(self, job_id: str, statuses: Iterable[str] | None = None, **values: Any) -> bool:
        """Set the job's fields ``values`` (only while in one of ``statuses``, when given); whether it was."""

    def runnable(self, now: datetime, limit: int = 10) -> list[str]:
        """Ids of the jobs started and not leased by a live worker, oldest first."""

    def lease(self, job_id: str, owner: str, now: datetime, until: datetime) -> bool:
        """Take (or renew, for its ``owner``) the job's lease: True for exactly one taker."""

    def put_file(self, job_id: str, chunks: list[bytes]) -> None:
        """The uploaded file, in place of any uploaded before."""

    def chunk(self, job_id: str, seq: int) -> bytes | None: ...

    def drop_file(self, job_id: str) -> None: ...

    def add_failures(self, job_id: str, failures: list[tuple[int, str, str]]) -> None:
        """Failed rows as ``(line, username, message)``."""
