"""Loopback ports."""

from __future__ import annotations

import os
import random
import socket

# Below the kernel's ephemeral range (32768 and up, where bind(0) and every client socket draw from), one
# slice per xdist worker: a port one worker found free and handed to a server it starts cannot be found free
# by the other worker meanwhile, and answered by the other's server (a locked server's test then talking to
# an open one).
_LOW, _HIGH = 10_000, 32_000


def _slice() -> range:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1)
    index = int(worker[2:]) if worker.startswith("gw") and worker[2:].isdigit() else 0
    width = (_HIGH - _LOW) // max(count, 1)
    start = _LOW + width * (index % max(count, 1))
    return range(start, start + width)


def free_port() -> int:
    """A loopback port nobody listens on right now, from this worker's own slice."""
    ports = _slice()
    for _ in range(200):
        port = random.choice(ports)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free loopback port in {ports.start}-{ports.stop - 1}")
