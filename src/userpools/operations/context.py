"""What every operation handler is given: storage, the clock, settings, and the outside edges."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from userpools.clock import Clock, SystemClock
from userpools.settings import Settings
from userpools.storage.engine import Store


@dataclass
class Context:
    store: Store
    settings: Settings
    clock: Clock = field(default_factory=SystemClock)
    request: dict[str, Any] = field(default_factory=dict)  # per-request facts (headers, source ip)

    @property
    def region(self) -> str:
        return self.settings.region
