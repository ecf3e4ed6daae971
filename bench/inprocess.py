"""CPU per request without HTTP: the gateway called directly (``Gateway.answer``) on prebuilt bodies.

    python -m bench.inprocess create_suppress --users 10000 --together 12 --requests 6000
    python -m bench.inprocess signin_srp --requests 300 --url postgresql://postgres@127.0.0.1:5432/bench
    python -m bench.inprocess get_user --profile      # cProfile of the measured requests, by own time

Live figures (``bench.run``) include uvicorn, the load generator's share of the cores and whatever else the
machine runs: two commits compared live move ±20%, here ±5-10% (run each side two or three times,
alternated, with ``PYTHONPATH=<commit's src>``). Requests that go to a thread run on this one instead
(a synchronous executor), so the profile sees every call; SQLite's batched creates still form batches of
``--together``. For SRP sign-ins only the server's side is counted, not the client's arithmetic.

Besides this process's CPU, the line printed gives the whole machine's busy time over the same requests:
on PostgreSQL that adds its backends' work (keep the machine otherwise quiet). ``--profile`` times by CPU
(``time.process_time``), so a wait for PostgreSQL counts for nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import pstats
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psutil

from bench import bulkload
from bench.loadgen import srp_client_class
from userpools.app import create_app
from userpools.settings import Settings
from userpools.storage.engine import Store

WORKLOADS = ["create_suppress", "create_invite", "get_user", "signin_password", "signin_srp", "refresh"]
_TARGET = "AWSCognitoIdentityProviderService."
_FACTS: dict[str, Any] = {"headers": {}, "client": None, "url": "http://127.0.0.1/"}
_PASSWORD = "Bench-Passw0rd!"


def _busy() -> float:
    """CPU seconds every core of the machine has spent busy so far (PostgreSQL's backends included)."""
    times = psutil.cpu_times()
    return float(times.user + times.nice + times.system + getattr(times, "irq", 0) + getattr(times, "softirq", 0))


@contextmanager
def _as_on_a_thread() -> Iterator[None]:
    """Run as if on a thread of the server's executor: storage refuses write transactions on a thread that runs
    an event loop (storage.errors.OnEventLoop), and this harness runs that work on the loop's own thread."""
    loop = asyncio.events._get_running_loop()
    asyncio.events._set_running_loop(None)
    try:
        yield
    finally:
        asyncio.events._set_running_loop(loop)


class _Inline(Executor):
    """Runs what the gateway hands to a thread on the calling one."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            with _as_on_a_thread():
                future.set_result(fn(*args, **kwargs))
        except BaseException as error:
            future.set_exception(error)
        return future


class Bench:
    def __init__(self, url: str, profile: bool) -> None:
        app: Any = create_app(Settings.from_env({"USERPOOLS_DATABASE_URL": url}))
        self.gateway = app.gateway
        self.gateway.executor = _Inline()
        self.profiler = cProfile.Profile(time.process_time) if profile else None
        self.cpu = 0.0
        self.wall = 0.0
        self.machine = 0.0

    async def call(self, operation: str, body: dict[str, Any], *, timed: bool = False) -> dict[str, Any]:
        return (await self.calls([(operation, body)], timed=timed))[0]

    async def calls(self, requests: list[tuple[str, dict[str, Any]]], *, timed: bool) -> list[dict[str, Any]]:
        """Answer ``requests`` arriving together; with ``timed``, their CPU and wall time are counted."""
        bodies = [(_TARGET + operation, json.dumps(body).encode()) for operation, body in requests]
        cpu, wall, machine = time.process_time(), time.perf_counter(), _busy()
        if timed and self.profiler is not None:
            self.profiler.enable()
        answers = await asyncio.gather(*(self.gateway.answer(target, body, _FACTS) for target, body in bodies))
        if timed:
            if self.profiler is not None:
                self.profiler.disable()
            self.cpu += time.process_time() - cpu
            self.wall += time.perf_counter() - wall
            self.machine += _busy() - machine
        results = []
        for status, payload, _ in answers:
            result = json.loads(payload)
            if status != 200:
                raise SystemExit(f"{status}: {result}")
            results.append(result)
        return results


async def _measure(bench: Bench, args: argparse.Namespace, pool_id: str, count: int, prefix: str) -> int:
    """Run ``count`` requests of the workload (creates take usernames starting with ``prefix``); how many
    requests (sign-ins for sign-in workloads) were timed."""
    workload, together = args.workload, args.together
    if workload.startswith("create"):
        invite = {"DesiredDeliveryMediums": ["EMAIL"]} if workload == "create_invite" else {"MessageAction": "SUPPRESS"}
        requests = [
            (
                "AdminCreateUser",
                {
                    "UserPoolId": pool_id,
                    "Username": f"{prefix}{i}",
                    "UserAttributes": [{"Name": "email", "Value": f"{prefix}{i}@example.com"}],
                    **invite,
                },
            )
            for i in range(count)
        ]
    elif workload == "get_user":
        requests = [
            ("AdminGetUser", {"UserPoolId": pool_id, "Username": bulkload.username(i % max(args.users, 1))})
            for i in range(count)
        ]
    else:
        return await _sign_in(bench, workload, pool_id, count, prefix)
    for start in range(0, len(requests), together):
        await bench.calls(requests[start : start + together], timed=True)
    return count


async def _sign_in(bench: Bench, workload: str, pool_id: str, count: int, prefix: str) -> int:
    client = await bench.call(
        "CreateUserPoolClient",
        {
            "UserPoolId": pool_id,
            "ClientName": "bench",
            "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        },
    )
    client_id = client["UserPoolClient"]["ClientId"]
    signer = f"{prefix}-signer"
    await bench.call("AdminCreateUser", {"UserPoolId": pool_id, "Username": signer, "MessageAction": "SUPPRESS"})
    await bench.call(
        "AdminSetUserPassword", {"UserPoolId": pool_id, "Username": signer, "Password": _PASSWORD, "Permanent": True}
    )
    refresh_token = ""
    if workload == "refresh":  # one sign-in, untimed, for the refresh token every timed request presents
        signed_in = await bench.call(
            "InitiateAuth",
            {
                "AuthFlow": "USER_PASSWORD_AUTH",
                "ClientId": client_id,
                "AuthParameters": {"USERNAME": signer, "PASSWORD": _PASSWORD},
            },
        )
        refresh_token = signed_in["AuthenticationResult"]["RefreshToken"]
    for _ in range(count):
        if workload == "refresh":
            answer = await bench.call(
                "InitiateAuth",
                {
                    "AuthFlow": "REFRESH_TOKEN_AUTH",
                    "ClientId": client_id,
                    "AuthParameters": {"REFRESH_TOKEN": refresh_token},
                },
                timed=True,
            )
        elif workload == "signin_password":
            answer = await bench.call(
                "InitiateAuth",
                {
                    "AuthFlow": "USER_PASSWORD_AUTH",
                    "ClientId": client_id,
                    "AuthParameters": {"USERNAME": signer, "PASSWORD": _PASSWORD},
                },
                timed=True,
            )
        else:
            srp = srp_client_class()(signer, _PASSWORD, pool_id, client_id, client=object())
            challenge = await bench.call(
                "InitiateAuth",
                {"AuthFlow": "USER_SRP_AUTH", "ClientId": client_id, "AuthParameters": srp.get_auth_params()},
                timed=True,
            )
            responses = srp.process_challenge(challenge["ChallengeParameters"], {"USERNAME": signer})
            answer = await bench.call(
                "RespondToAuthChallenge",
                {
                    "ClientId": client_id,
                    "ChallengeName": "PASSWORD_VERIFIER",
                    "ChallengeResponses": responses,
                    "Session": challenge.get("Session"),
                },
                timed=True,
            )
        assert "AuthenticationResult" in answer
    return count


async def _main(args: argparse.Namespace, url: str) -> None:
    with _as_on_a_thread():
        store = Store(url)
        store.migrate()
        pool_id = bulkload.create_pool(store)
        bulkload.load(store, pool_id, 0, args.users)
        store.close()
    bench = Bench(url, args.profile)
    try:
        if bench.gateway.inline:
            bench.gateway.context.store.keep_reader()  # as the server's lifespan does
        await _measure(bench, args, pool_id, max(1, args.requests // 10), "warm")  # plans, keys, caches
        bench.cpu = bench.wall = bench.machine = 0.0
        if bench.profiler is not None:
            bench.profiler = cProfile.Profile(time.process_time)
        done = await _measure(bench, args, pool_id, args.requests, "timed")
    finally:
        bench.gateway.context.store.close()
    unit = "sign-in" if args.workload.startswith("signin") else "request"
    print(
        f"{args.workload}: {bench.cpu / done * 1e6:,.0f} µs of CPU a {unit} ({bench.wall / done * 1e6:,.0f} µs "
        f"wall, {bench.machine / done * 1e6:,.0f} µs of the machine's), {done:,} timed, {args.users:,} users, "
        f"{url.split(':', 1)[0]}"
    )
    if bench.profiler is not None:
        pstats.Stats(bench.profiler).sort_stats(args.sort).print_stats(args.top)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("workload", choices=WORKLOADS)
    parser.add_argument("--url", help="database URL (default: SQLite in a temporary folder)")
    parser.add_argument("--users", type=int, default=10_000, help="users bulk-loaded first")
    parser.add_argument("--requests", type=int, default=3000, help="timed requests (sign-ins)")
    parser.add_argument("--together", type=int, default=12, help="requests arriving together (creates, gets)")
    parser.add_argument("--profile", action="store_true", help="cProfile the timed requests")
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="userpools-inprocess-") as folder:
        asyncio.run(_main(args, args.url or f"sqlite:///{Path(folder) / 'userpools.db'}"))


if __name__ == "__main__":
    main()
