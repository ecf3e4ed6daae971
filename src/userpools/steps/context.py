"""What every operation handler is given: storage, the clock, settings, and the outside edges
(Lambda triggers, message senders)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from userpools import regions
from userpools.clock import Clock, SystemClock
from userpools.delivery import Senders
from userpools.domain.sealing import Keyring, new_key_text, parse_key
from userpools.settings import Settings
from userpools.storage.engine import Batch, Store
from userpools.storage.errors import Conflict
from userpools.storage.unit import Tx
from userpools.triggers import TriggerRouter


class NeedsThread(Exception):
    """Raised by :meth:`Context.reaching_out` on the event loop: the gateway runs the request again on a thread."""


@dataclass
class Context:
    store: Store
    settings: Settings
    clock: Clock = field(default_factory=SystemClock)
    request: dict[str, Any] = field(default_factory=dict)  # per-request facts (headers, source ip)
    triggers: TriggerRouter = field(default_factory=TriggerRouter)  # none configured: triggers fail
    senders: Senders = field(default_factory=Senders)  # none configured: messages stay in the outbox
    batch: Batch | None = None  # on the event loop (registry.QUICK_WRITES); see writing() and reaching_out()
    # Seals secrets at rest (domain/sealing.py); the server's comes from userpools.masterkey.load.
    keyring: Keyring = field(default_factory=lambda: Keyring(parse_key(new_key_text())))

    def serving(self, request: dict[str, Any]) -> Context:
        """This context for one request."""
        return self._with(request, self.batch)

    def in_batch(self, batch: Batch) -> Context:
        return self._with(self.request, batch)

    def _with(self, request: dict[str, Any], batch: Batch | None) -> Context:
        # Every field by name: dataclasses.replace costs ~4x as much, and this runs on every request.
        return Context(
            store=self.store,
            settings=self.settings,
            clock=self.clock,
            request=request,
            triggers=self.triggers,
            senders=self.senders,
            batch=batch,
            keyring=self.keyring,
        )

    @contextmanager
    def writing(self) -> Iterator[Tx]:
        """A write transaction. On the event loop (SQLite group commit), a write of the gateway's batch instead:
        one commit for all the writes ready together, the write lock held, so no race is lost there; such a write
        makes every check that can refuse it before it changes a row."""
        if self.batch is not None:
            with self.batch.savepoint(checked_first=True) as tx:
                yield tx
        else:
            with self.store.transaction() as tx:
                yield tx

    def write_racing(self, work: Callable[[Tx], None], attempts: int) -> None:
        """``work`` in :meth:`writing`, run again (up to ``attempts`` in all) while it loses a uniqueness race
        (storage.errors.Conflict) to a concurrent request, so that its checks see the winner. In a batch no race
        can be lost (it holds the write lock): a Conflict there is the answer."""
        for attempt in range(1, attempts + 1):
            try:
                with self.writing() as tx:
                    work(tx)
                return
            except Conflict:
                if attempt == attempts or self.batch is not None:
                    raise

    def reaching_out(self) -> None:
        """Called before the request reaches outside the server (a trigger, a message to send). Nothing on the
        event loop may wait on the network: there the request stops (NeedsThread) and runs again on a thread."""
        if self.batch is not None:
            raise NeedsThread

    @property
    def region(self) -> str:
        """The region this request addresses (userpools.regions), else the server's own; found once a request."""
        found: str | None = self.request.get("region")
        if found is None:
            found = regions.of_headers(self.request.get("headers"), self.request.get("url")) or self.settings.region
            self.request["region"] = found
        return found
