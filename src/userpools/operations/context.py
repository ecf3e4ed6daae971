"""What every operation handler is given: storage, the clock, settings, and the outside edges
(Lambda triggers, message senders)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from userpools import regions
from userpools.clock import Clock, SystemClock
from userpools.delivery import Senders
from userpools.domain.sealing import Keyring, new_key_text, parse_key
from userpools.settings import Settings
from userpools.storage.engine import Batch, Store
from userpools.triggers import TriggerRouter


@dataclass
class Context:
    store: Store
    settings: Settings
    clock: Clock = field(default_factory=SystemClock)
    request: dict[str, Any] = field(default_factory=dict)  # per-request facts (headers, source ip)
    triggers: TriggerRouter = field(default_factory=TriggerRouter)  # none configured: triggers fail
    senders: Senders = field(default_factory=Senders)  # none configured: messages stay in the outbox
    batch: Batch | None = None  # on the event loop (registry.QUICK_WRITES): raise NeedsThread before the network
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

    @property
    def inline(self) -> bool:
        """Whether this request runs on the event loop, its writes in the gateway's :class:`Batch`."""
        return self.batch is not None

    @property
    def region(self) -> str:
        """The region this request addresses (userpools.regions), else the server's own."""
        return regions.of_headers(self.request.get("headers"), self.request.get("url")) or self.settings.region
