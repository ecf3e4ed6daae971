"""The console's user list page at two pool sizes (issue 23: a list at 1M users renders as fast as at 1k).

    python -m bench.console                      # 1k, then 100k users, SQLite
    python -m bench.console --sizes 1k,1m --url postgresql://postgres@127.0.0.1:5432/bench

One live server (``userpools serve``); users are bulk-loaded into its database (bench/bulkload.py) between
the sizes. Each size times, one request after another on one keep-alive connection, GET of
``/_userpools/console/pools/<pool>/users`` three ways: the first page (50 users), a search by email prefix
that matches one user (``user0000123`` of the loaded ``user0000123@example.com``), and the page after the
first (ListUsers' own cursor). Each page is one ListUsers call: the pool by key, then one index range scan.
"""

from __future__ import annotations

import argparse
import http.client
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support import Server  # noqa: E402

from bench import bulkload  # noqa: E402
from bench.run import parse_size  # noqa: E402
from userpools.storage.engine import Store  # noqa: E402

PAGE = "/_userpools/console/pools/{pool}/users"


def timed(connection: http.client.HTTPConnection, path: str, requests: int, expect: str) -> list[float]:
    """Milliseconds of each of ``requests`` GETs of ``path``, each answer checked to hold ``expect``."""
    took = []
    for _ in range(requests):
        began = time.perf_counter()
        connection.request("GET", path)
        answer = connection.getresponse()
        body = answer.read().decode()
        took.append((time.perf_counter() - began) * 1000)
        if answer.status != 200 or expect not in body:
            raise RuntimeError(f"GET {path}: {answer.status}\n{body[:2000]}")
    return took


def next_page(connection: http.client.HTTPConnection, path: str) -> str:
    connection.request("GET", path)
    body = connection.getresponse().read().decode()
    found = re.search(r'rel="next" href="([^"]+)"', body)
    if found is None:
        raise RuntimeError("the first page has no next page")
    return found.group(1).replace("&amp;", "&")


def measure(port: int, pool: str, size: int, requests: int) -> dict[str, float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    page = PAGE.format(pool=pool)
    target = min(123, size - 1)
    prefix = bulkload.username(target)
    cases = {
        "first page": (page, bulkload.email(0)),
        "email prefix": (f"{page}?attribute=email&op=%5E%3D&value={quote(prefix)}", bulkload.email(target)),
        "second page": (next_page(connection, page), bulkload.email(50)),
    }
    results = {}
    for name, (path, expect) in cases.items():
        timed(connection, path, 20, expect)  # warm up
        took = timed(connection, path, requests, expect)
        results[name] = statistics.median(took)
        p95 = statistics.quantiles(took, n=20)[-1]
        print(f"  {size:>9,} users  {name:<13} p50 {results[name]:6.2f} ms  p95 {p95:6.2f} ms", flush=True)
    connection.close()
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1k,100k")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--url", help="database URL (default: a new SQLite file)")
    args = parser.parse_args(argv)
    sizes = [parse_size(s) for s in args.sizes.split(",")]
    folder = None if args.url else tempfile.mkdtemp(prefix="bench-console-")
    url = args.url or f"sqlite:///{folder}/userpools.db"
    server = Server(url, env={"PYTHONPATH": str(ROOT / "src")})
    store = Store(url)
    try:
        pool = bulkload.create_pool(store, "console")
        loaded, figures = 0, {}
        for size in sizes:
            seconds = bulkload.load(store, pool, loaded, size, progress=True)
            print(f"loaded {size - loaded:,} users in {seconds:.0f} s", flush=True)
            loaded = size
            figures[size] = measure(server.port, pool, size, args.requests)
        first, last = sizes[0], sizes[-1]
        for name in figures[first]:
            ratio = figures[last][name] / figures[first][name]
            print(f"{name}: p50 at {last:,} users / at {first:,} users = {ratio:.2f}")
    finally:
        store.close()
        server.stop()
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
