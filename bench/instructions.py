"""Instructions a request costs the real server under load, counted by valgrind rather than timed.

    python -m bench.instructions --src src                 # this checkout
    python -m bench.instructions --src /tmp/old/src        # another commit's src (git archive <commit> src)

The server (``python -m userpools serve``, SQLite in a temporary folder) runs under ``valgrind --tool=cachegrind``
while 16 keep-alive connections send AdminCreateUser (SUPPRESS) or AdminGetUser requests, so SQLite's group
commit forms batches as it does live. The count is taken twice, for ``--small`` and ``--large`` requests, both
runs at once; the difference over the extra requests is the cost of one, start-up left out.

Live pairs on a shared machine move by ±20% between two runs of one commit; these counts move by ~1-2%, so
they are the measure for differences below that. Two cautions: the server runs ~50 times slower under
valgrind, so work done on a timer (the user-import runner's poll every 0.25 s, the checkpointer's every
0.1 s) is charged to each request ~50 times over; and batches need not be as large as live ones.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

CONNECTIONS = 16
TARGET = "AWSCognitoIdentityProviderService."


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _call(port: int, target: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": TARGET + target},
    )
    with urllib.request.urlopen(request, timeout=300) as answer:
        return json.loads(answer.read())


def _raw(port: int, target: str, body: dict[str, Any]) -> bytes:
    data = json.dumps(body).encode()
    head = (
        f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/x-amz-json-1.1\r\n"
        f"X-Amz-Target: {TARGET}{target}\r\nContent-Length: {len(data)}\r\n\r\n"
    )
    return head.encode() + data


async def _connection(port: int, pool: str, workload: str, number: int, count: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for i in range(count):
        name = f"u{number}-{i}"
        if workload == "create":
            body = {
                "UserPoolId": pool,
                "Username": name,
                "MessageAction": "SUPPRESS",
                "UserAttributes": [{"Name": "email", "Value": f"{name}@example.com"}],
            }
            writer.write(_raw(port, "AdminCreateUser", body))
        else:
            writer.write(_raw(port, "AdminGetUser", {"UserPoolId": pool, "Username": "seed"}))
        head = await reader.readuntil(b"\r\n\r\n")
        found = re.search(rb"(?i)content-length: (\d+)", head)
        assert found is not None, head
        body_bytes = await reader.readexactly(int(found.group(1)))
        assert head.startswith(b"HTTP/1.1 200"), (head, body_bytes)
    writer.close()


def count(src: str, requests: int, workload: str) -> int:
    """Instructions of one server run serving ``requests`` after start-up (start-up's included)."""
    folder = tempfile.mkdtemp(prefix="userpools-instructions-")
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": src,
        "USERPOOLS_LOG_LEVEL": "warning",
        "USERPOOLS_DATABASE_URL": f"sqlite:///{folder}/userpools.db",
    }
    command = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
    command += [sys.executable, "-m", "userpools", "serve", "--port", str(port)]
    server = subprocess.Popen(command, env=env, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_until_up(server, port)
        pool = _call(port, "CreateUserPool", {"PoolName": "instructions"})["UserPool"]["Id"]
        if workload == "get":
            _call(port, "AdminCreateUser", {"UserPoolId": pool, "Username": "seed", "MessageAction": "SUPPRESS"})

        async def load() -> None:
            each = requests // CONNECTIONS
            await asyncio.gather(*(_connection(port, pool, workload, k, each) for k in range(CONNECTIONS)))

        asyncio.run(load())
        server.send_signal(signal.SIGINT)
        _, errors = server.communicate(timeout=600)
    finally:
        if server.poll() is None:  # a failed run: no server left behind
            server.kill()
            server.communicate()
        shutil.rmtree(folder, ignore_errors=True)
    found = re.search(rb"I\s+refs:\s+([\d,]+)", errors)
    if found is None:
        raise RuntimeError(errors[-2000:].decode(errors="replace"))
    return int(found.group(1).replace(b",", b""))


def _wait_until_up(server: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + 600  # valgrind starts Python ~50 times slower
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5):
                return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the server did not start under valgrind") from None
            time.sleep(0.5)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--src", default="src", help="the src/ folder of the server to count")
    parser.add_argument("--workload", choices=["create", "get"], default="create")
    parser.add_argument("--small", type=int, default=480)
    parser.add_argument("--large", type=int, default=2400)
    args = parser.parse_args(argv)
    src = os.path.abspath(args.src)
    with ThreadPoolExecutor(2) as both:
        small, large = both.map(lambda n: count(src, n, args.workload), (args.small, args.large))
    each = (large - small) / (args.large - args.small)
    print(f"{args.workload}: {each / 1000:,.0f}k instructions a request ({src})")


if __name__ == "__main__":
    main()
