"""The background side of user import jobs: each instance's worker thread leases started jobs from the
database (one taker per job, storage ImportJobRepository.lease) and imports them batch by batch.

Each batch's users, failed rows, counts and ``position`` (data lines done) are one transaction, with the lease
renewed in it: a worker that dies loses at most the batch it was writing, and whoever leases the job after the
lease has run out (this instance restarted, or another) goes on from ``position``.
"""

from __future__ import annotations

import csv
import io
import logging
import threading
import uuid
from collections.abc import Iterator
from datetime import timedelta

from userpools.domain.filters import INDEXED
from userpools.domain.user_import import BadFile, Failure, Prepared, Rows
from userpools.steps.context import Context
from userpools.storage.errors import Conflict
from userpools.storage.unit import Tx
from userpools.storage.user_import import NewUser

log = logging.getLogger("userpools.import")

BATCH = 2000
LEASE = timedelta(seconds=10)
POLL_SECONDS = 0.25
SUCCEEDED = "Import Job Completed Successfully"
_MAX_FIELD = 1 << 20


def _file(ctx: Context, job_id: str) -> bytes | None:
    parts = []
    seq = 0
    while True:
        with ctx.store.transaction(write=False) as tx:
            data = tx.import_jobs.chunk(job_id, seq)
        if data is None:
            break
        parts.append(data)
        seq += 1
    return b"".join(parts) if parts else None


def _finish(ctx: Context, job_id: str, owner: str, status: str, message: str) -> None:
    with ctx.store.transaction() as tx:
        tx.import_jobs.change(
            job_id,
            None,
            status=status,
            completed=ctx.clock.now(),
            message=message,
            lease_owner=None,
            lease_until=None,
        )
        if status in ("Succeeded", "Failed"):
            tx.import_jobs.drop_file(job_id)
    log.info("Import job %s %s: %s", job_id, status, message)


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text))
    for values in reader:
        yield reader.line_num, values


def run_job(ctx: Context, job_id: str, owner: str) -> None:
    """Import the leased job from where it stands."""
    with ctx.store.transaction() as tx:
        job = tx.import_jobs.get(job_id)
        if job is None:
            return
        pool = tx.pools.get(job.pool_id)
        if job.status == "Pending":
            tx.import_jobs.change(job_id, ["Pending"], status="InProgress")
    if pool is None:
        return
    data = _file(ctx, job_id)
    if data is None:
        _finish(ctx, job_id, owner, "Failed", "No CSV file was uploaded for this import job.")
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        _finish(ctx, job_id, owner, "Failed", "The CSV file is not UTF-8 text.")
        return
    rows = _rows(text)
    try:
        header = next(rows, None)
        if header is None:
            raise BadFile("The CSV file is empty.")
        prepare = Rows(pool, header[1], ctx.clock.now())
        for _ in range(job.position):  # lines committed before a restart
            next(rows, None)
        while True:
            batch = []
            for line, values in rows:
                batch.append(prepare.prepare(line, values))
                if len(batch) >= BATCH:
                    break
            if not batch:
                break
            if not _write_batch(ctx, job_id, owner, pool.id, batch):
                return
    except BadFile as bad:
        _finish(ctx, job_id, owner, "Failed", str(bad))
        return
    except csv.Error as error:
        _finish(ctx, job_id, owner, "Failed", f"The CSV file cannot be read: {error}.")
        return
    _finish(ctx, job_id, owner, "Succeeded", SUCCEEDED)


def _write_batch(ctx: Context, job_id: str, owner: str, pool_id: str, batch: list[Prepared | Failure | None]) -> bool:
    """One batch in one transaction; False when the job is no longer this worker's to run (stopped, or lost)."""
    for _attempt in range(3):
        try:
            with ctx.store.transaction() as tx:
                now = ctx.clock.now()
                job = tx.import_jobs.get(job_id)
                if job is None or not tx.import_jobs.lease(job_id, owner, now, now + LEASE):
                    return False
                if job.status == "Stopping":
                    tx.import_jobs.change(
                        job_id,
                        None,
                        status="Stopped",
                        completed=now,
                        message="Import job stopped by request.",
                        lease_owner=None,
                        lease_until=None,
                    )
                    return False
                new, failures, skipped = _checked(tx, pool_id, batch)
                tx.bulk_users.insert(pool_id, "RESET_REQUIRED", now, new, INDEXED)
                tx.users.adjust_count(pool_id, len(new))
                tx.import_jobs.add_failures(job_id, failures)
                tx.import_jobs.change(
                    job_id,
                    None,
                    imported=job.imported + len(new),
                    failed=job.failed + len(failures),
                    skipped=job.skipped + skipped,
                    position=job.position + len(batch),
                )
            return True
        except Conflict:  # a user created meanwhile took a name or alias: the checks see it next time
            continue
    raise RuntimeError(f"import job {job_id}: a batch kept conflicting")


def _checked(
    tx: Tx, pool_id: str, batch: list[Prepared | Failure | None]
) -> tuple[list[NewUser], list[tuple[int, str, str]], int]:
    """The batch's users that can be written, its failed rows, and how many lines were skipped (empty)."""
    prepared = [p for p in batch if isinstance(p, Prepared)]
    failures = [(f.line, f.username, f.message) for f in batch if isinstance(f, Failure)]
    skipped = sum(1 for p in batch if p is None)
    taken = tx.bulk_users.taken_usernames(pool_id, [p.username_key for p in prepared])
    held: dict[str, set[str]] = {}
    for kind in {k for p in prepared for k in p.aliases}:
        held[kind] = tx.bulk_users.taken_aliases(
            pool_id, kind, [p.aliases[kind] for p in prepared if kind in p.aliases]
        )
    new: list[NewUser] = []
    for p in prepared:
        if p.username_key in taken:
            failures.append((p.line, p.username, "User account already exists"))
            continue
        clash = next((kind for kind, value in p.aliases.items() if value in held[kind]), None)
        if clash is not None:
            failures.append((p.line, p.username, f"An account with the given {clash} already exists."))
            continue
        taken.add(p.username_key)
        for kind, value in p.aliases.items():
            held[kind].add(value)
        new.append(NewUser(p.username, p.username_key, p.sub, p.attributes, p.mfa, p.aliases))
    failures.sort()
    return new, failures, skipped


class Runner:
    """This instance's worker thread."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.owner = uuid.uuid4().hex
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="user-import", daemon=True)

    def start(self) -> Runner:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _loop(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            try:
                self.run_once()
            except Exception:  # a broken job must not end the worker
                log.exception("user import worker")

    def run_once(self) -> None:
        ctx = self.ctx
        with ctx.store.transaction(write=False) as tx:
            ready = tx.import_jobs.runnable(ctx.clock.now())
        for job_id in ready:
            if self._stop.is_set():
                return
            with ctx.store.transaction() as tx:
                now = ctx.clock.now()
                leased = tx.import_jobs.lease(job_id, self.owner, now, now + LEASE)
            if leased:
                run_job(ctx, job_id, self.owner)
