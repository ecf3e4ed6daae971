"""The local sink for a pool's exported logs (SetLogDeliveryConfiguration): one JSON object a line,
appended to the file USERPOOLS_LOG_SINK names. Each line is written with one ``write`` on a file opened
for appending, so lines from several threads or processes do not interleave."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

_LOCK = threading.Lock()


def append(path: str, record: dict[str, Any]) -> None:
    line = (json.dumps(record, separators=(",", ":"), default=str) + "\n").encode()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with _LOCK:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)
