"""The load generator: separate processes, each an asyncio loop over many keep-alive connections.

Requests arrive already built (and SigV4-signed) as raw HTTP bytes, so the timed loop only writes
bytes, reads the status line, headers and body, and records the latency. The one exception is the SRP
sign-in flow, whose second request depends on the server's answer: the client math for it is
pycognito's ``AWSSRP`` with the modular powers done by gmpy2, a 256-bit ``a`` and the per-user
``k * g^x`` computed before timing.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import multiprocessing
import os
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

JSON_TARGET = "AWSCognitoIdentityProviderService."


def raw_request(host: str, port: int, target: str, body: bytes, headers: dict[str, str] | None = None) -> bytes:
    """An unsigned AWS JSON request as bytes (Cognito's public operations are not signed)."""
    lines = [
        "POST / HTTP/1.1",
        f"Host: {host}:{port}",
        "Content-Type: application/x-amz-json-1.1",
        f"X-Amz-Target: {JSON_TARGET}{target}",
        f"Content-Length: {len(body)}",
    ]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


class Signer:
    """SigV4 signing of AWS JSON requests with botocore, turning them into raw HTTP bytes."""

    def __init__(self, host: str, port: int, region: str = "us-east-1") -> None:
        from botocore.auth import SigV4Auth
        from botocore.credentials import Credentials

        self.host, self.port = host, port
        self.auth = SigV4Auth(Credentials("AKIDEXAMPLE", "bench-secret"), "cognito-idp", region)

    def sign(self, target: str, params: dict[str, Any]) -> bytes:
        from botocore.awsrequest import AWSRequest

        body = json.dumps(params).encode()
        request = AWSRequest(
            method="POST",
            url=f"http://{self.host}:{self.port}/",
            data=body,
            headers={
                "Content-Type": "application/x-amz-json-1.1",
                "X-Amz-Target": JSON_TARGET + target,
            },
        )
        self.auth.add_auth(request)
        extra = {k: v for k, v in request.headers.items() if k.lower() not in ("content-type", "x-amz-target")}
        return raw_request(self.host, self.port, target, body, extra)


# --- SRP client --------------------------------------------------------------------------------------


def srp_client_class() -> Any:
    import gmpy2
    from pycognito.aws_srp import AWSSRP, calculate_u, compute_hkdf, hex_hash, hex_to_long, long_to_hex, pad_hex

    class FastSRP(AWSSRP):  # type: ignore[misc]
        """pycognito's client with gmpy2 powers, and ``k * g^x`` per user cached (it never changes)."""

        kgx_cache: dict[tuple[str, str], Any] = {}

        def generate_random_small_a(self) -> int:
            # 256 random bits, not pycognito's (and amplify's) 1,024: the client's power (B - k*g^x)^(a + u*x)
            # then costs half as much CPU on the cores it shares with the server, whose work does not depend
            # on a's size (A = g^a is a full-size number either way). SRP-6a asks for at least 256 bits.
            return int.from_bytes(os.urandom(32), "big")

        def calculate_a(self) -> Any:
            return int(gmpy2.powmod(self.val_g, self.small_a_value, self.big_n))

        def get_password_authentication_key(
            self, username: str, password: str, server_b_value: int, salt: str
        ) -> bytes:
            u_value = calculate_u(self.large_a_value, server_b_value)
            key = (username, salt)
            x_value = hex_to_long(
                hex_hash(
                    pad_hex(salt)
                    + hashlib.sha256(f"{self.pool_id.split('_')[1]}{username}:{password}".encode()).hexdigest()
                )
            )
            kgx = self.kgx_cache.get(key)
            if kgx is None:
                kgx = self.kgx_cache[key] = self.val_k * gmpy2.powmod(self.val_g, x_value, self.big_n)
            s_value = int(gmpy2.powmod(server_b_value - kgx, self.small_a_value + u_value * x_value, self.big_n))
            return bytes(
                compute_hkdf(bytearray.fromhex(pad_hex(s_value)), bytearray.fromhex(pad_hex(long_to_hex(u_value))))
            )

        def process_challenge(self, challenge: dict[str, Any], request: dict[str, Any]) -> dict[str, Any]:
            # pycognito's, with an aware clock (its utcnow() is deprecated).
            user_id = challenge["USER_ID_FOR_SRP"]
            now = datetime.now(UTC)
            timestamp = self.get_cognito_formatted_timestamp(now)
            hkdf = self.get_password_authentication_key(
                user_id, self.password, hex_to_long(challenge["SRP_B"]), challenge["SALT"]
            )
            msg = (
                self.pool_id.split("_")[1].encode()
                + user_id.encode()
                + base64.standard_b64decode(challenge["SECRET_BLOCK"])
                + timestamp.encode()
            )
            return {
                "TIMESTAMP": timestamp,
                "USERNAME": challenge.get("USERNAME", request["USERNAME"]),
                "PASSWORD_CLAIM_SECRET_BLOCK": challenge["SECRET_BLOCK"],
                "PASSWORD_CLAIM_SIGNATURE": base64.standard_b64encode(
                    hmac.new(hkdf, msg, hashlib.sha256).digest()
                ).decode(),
            }

    return FastSRP


@dataclass
class SrpJob:
    """One full USER_SRP_AUTH sign-in: InitiateAuth (prebuilt, A precomputed) → RespondToAuthChallenge."""

    username: str
    password: str
    pool_id: str
    client_id: str
    initiate: bytes = b""
    srp: Any = None

    def prepare(self, host: str, port: int) -> None:
        self.srp = srp_client_class()(self.username, self.password, self.pool_id, self.client_id, client=object())
        body = json.dumps(
            {"AuthFlow": "USER_SRP_AUTH", "ClientId": self.client_id, "AuthParameters": self.srp.get_auth_params()}
        ).encode()
        self.initiate = raw_request(host, port, "InitiateAuth", body)

    def respond(self, host: str, port: int, answer: dict[str, Any]) -> bytes:
        params = answer["ChallengeParameters"]
        responses = self.srp.process_challenge(params, {"USERNAME": self.username})
        body = json.dumps(
            {
                "ChallengeName": "PASSWORD_VERIFIER",
                "ClientId": self.client_id,
                "ChallengeResponses": responses,
                "Session": answer.get("Session"),
            }
        ).encode()
        return raw_request(host, port, "RespondToAuthChallenge", body)


Job = bytes | SrpJob


# --- the timed loop ----------------------------------------------------------------------------------


@dataclass
class Tally:
    latencies_us: array = field(default_factory=lambda: array("d"))  # type: ignore[type-arg]
    statuses: dict[int, int] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    sample_error: str = ""


async def _exchange(conn: list[Any], host: str, port: int, request: bytes) -> tuple[int, bytes]:
    for attempt in range(2):
        if conn[0] is None:
            conn[1], conn[0] = await asyncio.open_connection(host, port)
        reader, writer = conn[1], conn[0]
        try:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
        except (ConnectionError, asyncio.IncompleteReadError):
            writer.close()
            conn[0] = None
            if attempt:
                raise
            continue
        status = int(head[9:12])
        lower = head.lower()
        index = lower.find(b"content-length:")
        if index >= 0:
            end = lower.index(b"\r\n", index)
            body = await reader.readexactly(int(lower[index + 15 : end]))
        elif b"transfer-encoding: chunked" in lower:
            chunks = []
            while True:
                size = int((await reader.readuntil(b"\r\n")).strip(), 16)
                chunk = await reader.readexactly(size + 2)
                if size == 0:
                    break
                chunks.append(chunk[:-2])
            body = b"".join(chunks)
        else:
            body = await reader.read()
            lower += b"connection: close"
        if b"connection: close" in lower or head.startswith(b"HTTP/1.0"):
            writer.close()
            conn[0] = None
        return status, body
    raise ConnectionError("unreachable")


async def _run(
    jobs: list[Job], cycle: bool, targets: list[tuple[str, int]], connections: int, duration: float, start_at: float
) -> Tally:
    tally = Tally()
    index = 0
    deadline = start_at + duration

    def next_job() -> Job | None:
        nonlocal index
        if index >= len(jobs):
            if not cycle or not jobs:
                return None
            index = 0
        job = jobs[index]
        index += 1
        return job

    def count(status: int, body: bytes) -> None:
        tally.statuses[status] = tally.statuses.get(status, 0) + 1
        if status >= 400 and not tally.sample_error:
            tally.sample_error = body[:300].decode(errors="replace")

    async def connection(number: int) -> None:
        host, port = targets[number % len(targets)]
        conn: list[Any] = [None, None]
        while time.time() < deadline:
            job = next_job()
            if job is None:
                break
            began = time.perf_counter()
            try:
                if isinstance(job, SrpJob):
                    status, body = await _exchange(conn, host, port, job.initiate)
                    if status == 200:
                        second = job.respond(host, port, json.loads(body))
                        status, body = await _exchange(conn, host, port, second)
                else:
                    status, body = await _exchange(conn, host, port, job)
            except Exception as error:  # a refused or reset connection is a result, not a crash
                name = type(error).__name__
                tally.errors[name] = tally.errors.get(name, 0) + 1
                tally.sample_error = tally.sample_error or repr(error)[:300]
                conn[0] = None
                await asyncio.sleep(0.01)
                continue
            tally.latencies_us.append((time.perf_counter() - began) * 1e6)
            count(status, body)
        if conn[0] is not None:
            conn[0].close()

    delay = start_at - time.time()
    if delay > 0:
        await asyncio.sleep(delay)
    await asyncio.gather(*(connection(n) for n in range(connections)))
    return tally


def _process(
    jobs: list[Job],
    cycle: bool,
    targets: list[tuple[str, int]],
    connections: int,
    duration: float,
    start_at: float,
    queue: Any,
) -> None:
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    for job in jobs:
        if isinstance(job, SrpJob) and not job.initiate:
            job.prepare(*targets[0])
    cpu_before = time.process_time()
    tally = asyncio.run(_run(jobs, cycle, targets, connections, duration, start_at))
    queue.put(
        {
            "latencies": tally.latencies_us.tobytes(),
            "statuses": tally.statuses,
            "errors": tally.errors,
            "sample_error": tally.sample_error,
            "cpu": time.process_time() - cpu_before,
            "ended": time.time(),
        }
    )


@dataclass
class Outcome:
    requests: int
    seconds: float
    throughput: float
    p50_ms: float
    p99_ms: float
    statuses: dict[int, int]
    errors: dict[str, int]
    sample_error: str
    client_cpu_s: float

    @property
    def ok(self) -> int:
        return sum(n for s, n in self.statuses.items() if 200 <= s < 300)


def _percentile(ordered: list[float], fraction: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def run(
    jobs: list[Job],
    *,
    targets: list[tuple[str, int]],
    duration: float,
    connections: int = 16,
    processes: int = 1,
    cycle: bool = True,
    on_start: Callable[[], None] | None = None,
) -> Outcome:
    """Send ``jobs`` (cycled, or each once) for ``duration`` seconds from ``processes`` processes."""
    processes = max(1, min(processes, len(jobs) or 1))
    slices = [jobs[i::processes] for i in range(processes)]
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    warmup = 0.5 + 0.1 * processes + 0.0002 * len(jobs)
    start_at = time.time() + warmup
    per_process = max(1, connections // processes)
    workers = [
        context.Process(target=_process, args=(s, cycle, targets, per_process, duration, start_at, queue))
        for s in slices
    ]
    for worker in workers:
        worker.start()
    if on_start is not None:
        time.sleep(max(0.0, start_at - time.time()))
        on_start()
    results = [queue.get() for _ in workers]
    for worker in workers:
        worker.join()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors: dict[str, int] = {}
    sample = ""
    for result in results:
        chunk = array("d")
        chunk.frombytes(result["latencies"])
        latencies.extend(chunk)
        for status, n in result["statuses"].items():
            statuses[status] = statuses.get(status, 0) + n
        for name, n in result["errors"].items():
            errors[name] = errors.get(name, 0) + n
        sample = sample or result["sample_error"]
    latencies.sort()
    seconds = max(r["ended"] for r in results) - start_at
    return Outcome(
        requests=len(latencies),
        seconds=seconds,
        throughput=len(latencies) / seconds if seconds else 0.0,
        p50_ms=_percentile(latencies, 0.50) / 1000,
        p99_ms=_percentile(latencies, 0.99) / 1000,
        statuses=statuses,
        errors=errors,
        sample_error=sample,
        client_cpu_s=sum(r["cpu"] for r in results),
    )


def cpu_count() -> int:
    return os.cpu_count() or 1
