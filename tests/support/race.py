"""Running calls at the same moment, for tests of concurrent requests' exact outcomes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from botocore.exceptions import ClientError


def race(calls: list[Callable[[], Any]]) -> list[tuple[str, Any]]:
    """Run every call at once (released together by a barrier); ("ok", result) or ("error", code)."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> tuple[str, Any]:
        barrier.wait()
        try:
            return "ok", call()
        except ClientError as error:
            return "error", error.response["Error"]["Code"]

    with ThreadPoolExecutor(len(calls)) as executor:
        return list(executor.map(run, calls))
