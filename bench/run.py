"""``make bench``: userpools (SQLite, PostgreSQL, two instances) beside moto_server, cognito-local and a null server.

Every target runs on loopback; the load generator (bench/loadgen.py) runs in separate processes with
requests built and signed before timing. Prints a table and writes JSON to bench/results/.

    python -m bench.run [--sizes 10k,100k] [--duration 5] [--targets ...] [--connections 16]
"""

from __future__ import annotations

import argparse
import functools
import http.client
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from tests.support import Postgres, Server, free_port, wait_for  # noqa: E402

from bench import bulkload, loadgen  # noqa: E402
from userpools.storage.engine import Store  # noqa: E402

ALL_TARGETS = [
    "userpools-sqlite",
    "userpools-sqlite-x2",
    "userpools-pg",
    "userpools-pg-x2",
    "moto",
    "cognito-local",
    "null",
]
WORKLOADS = [
    "create_suppress",
    "create_invite",
    "get_user",
    "list_email_eq",
    "list_email_prefix",
    "signin_password",
    "signin_srp",
    "refresh",
    "mixed",
]
SIGN_IN = {"signin_password", "signin_srp", "refresh"}
SCALING_WORKLOADS = ["get_user", "list_email_eq", "create_suppress", "create_invite", "signin_password", "signin_srp"]
PASSWORD = "Bench-Passw0rd!"


def parse_size(text: str) -> int:
    text = text.strip().lower()
    for suffix, factor in (("m", 1_000_000), ("k", 1_000)):
        if text.endswith(suffix):
            return int(float(text[:-1]) * factor)
    return int(text)


def say(message: str) -> None:
    print(message, flush=True)


# --- talking to a target outside the timed loop --------------------------------------------------------


class Api:
    """Signed one-off calls (set-up: pools, clients, sign-in users)."""

    def __init__(self, host: str, port: int) -> None:
        self.signer = loadgen.Signer(host, port)
        self.host, self.port = host, port

    def call(self, target: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        raw = self.signer.sign(target, params)
        head, _, body = raw.partition(b"\r\n\r\n")
        headers = dict(line.split(": ", 1) for line in head.decode().split("\r\n")[1:])
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            connection.request("POST", "/", body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        try:
            return response.status, json.loads(data) if data else {}
        except ValueError:
            return response.status, {"raw": data[:200].decode(errors="replace")}

    def must(self, target: str, params: dict[str, Any]) -> dict[str, Any]:
        status, answer = self.call(target, params)
        if status != 200:
            raise RuntimeError(f"{target} answered {status}: {answer}")
        return answer


# --- targets ------------------------------------------------------------------------------------------


@dataclass
class Target:
    name: str
    ports: list[int]
    processes: list[psutil.Process]
    stop: Callable[[], None]
    db_size: Callable[[], int | None] = lambda: None
    host: str = "127.0.0.1"
    info: dict[str, Any] = field(default_factory=dict)  # moto_preloaded.py: pool_id, users, seconds, via

    def all_processes(self) -> list[psutil.Process]:
        found: list[psutil.Process] = []
        for process in self.processes:
            with suppress(psutil.Error):
                found.append(process)
                found.extend(process.children(recursive=True))
        return found


class Meter:
    """Server CPU seconds (all its processes) and peak RSS while a workload runs."""

    def __init__(self, target: Target) -> None:
        self.processes = target.all_processes()
        self.peak_rss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _cpu(self) -> float:
        total = 0.0
        for process in self.processes:
            with suppress(psutil.Error):
                times = process.cpu_times()
                total += times.user + times.system
        return total

    def _rss(self) -> int:
        total = 0
        for process in self.processes:
            with suppress(psutil.Error):
                total += process.memory_info().rss
        return total

    def _sample(self) -> None:
        while not self._stop.wait(0.1):
            self.peak_rss = max(self.peak_rss, self._rss())

    def __enter__(self) -> Meter:
        self.cpu_before = self._cpu()
        self.peak_rss = self._rss()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.cpu = self._cpu() - self.cpu_before


def _sqlite_size(path: Path) -> Callable[[], int | None]:
    def size() -> int:
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))

    return size


def _pg_size(url: str) -> Callable[[], int | None]:
    def size() -> int | None:
        store = Store(url)
        try:
            with store.engine.connect() as connection:
                return int(connection.exec_driver_sql("SELECT pg_database_size(current_database())").scalar_one())
        finally:
            store.close()

    return size


def start_userpools(name: str, url: str, db_size: Callable[[], int | None], instances: int = 1) -> Target:
    # The server runs this checkout's src/ (as the bulk loader does), not whatever the virtualenv has installed
    # (a worktree may share another checkout's editable install); PYTHONPATH=<other src> still overrides.
    env = {"USERPOOLS_LOG_LEVEL": "warning", "PYTHONPATH": os.environ.get("PYTHONPATH") or str(ROOT / "src")}
    servers = [Server(url, env=env) for _ in range(instances)]

    def stop() -> None:
        for server in servers:
            server.stop()

    return Target(
        name,
        [s.port for s in servers],
        [psutil.Process(s.process.pid) for s in servers],
        stop,
        db_size,
    )


def _spawn(
    name: str,
    command: list[str],
    cwd: str,
    env: dict[str, str],
    port: int,
    health: str | None = None,
    timeout: float = 60,
) -> Target:
    log = open(os.path.join(cwd, f"{name}.log"), "wb")  # noqa: SIM115
    process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)
    try:
        if health:
            wait_for(f"http://127.0.0.1:{port}{health}", timeout=timeout, process=process)
        else:
            _wait_for_post(port, process, timeout)
    except RuntimeError:
        process.kill()
        raise RuntimeError(f"{name} did not start: {Path(log.name).read_text(errors='replace')[-2000:]}") from None

    def stop() -> None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()

    return Target(name, [port], [psutil.Process(process.pid)], stop)


def _wait_for_post(port: int, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    api = Api("127.0.0.1", port)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("exited")
        with suppress(OSError):
            api.call("ListUserPools", {"MaxResults": 1})
            return
        time.sleep(0.1)
    raise RuntimeError("no answer")


MOTO_BIN = ROOT / "bench" / ".moto-venv" / "bin"


def start_moto(workdir: str) -> Target:
    binary = MOTO_BIN / "moto_server"
    if not binary.exists():
        raise RuntimeError(f"{binary} is missing (make bench installs moto[server] there)")
    port = free_port()
    return _spawn("moto", [str(binary), "-H", "127.0.0.1", "-p", str(port)], workdir, {}, port, "/moto-api/")


def start_moto_preloaded(workdir: str, users: int, via_app: bool = False) -> Target:
    """moto_server's own server (bench/moto_preloaded.py, in moto's virtualenv) with ``users`` users loaded
    in-process before it serves, into its cognito-idp backend or (``via_app``) through its WSGI app;
    ``target.info`` has the pool id."""
    python = MOTO_BIN / "python"
    if not (MOTO_BIN / "moto_server").exists():
        raise RuntimeError(f"{MOTO_BIN / 'moto_server'} is missing (make bench installs moto[server] there)")
    port = free_port()
    info = Path(workdir) / "moto-preloaded.json"
    # ~25k users/s (~250/s via the app) on this machine; the server answers only once all of them are in.
    command = [
        str(python),
        str(ROOT / "bench" / "moto_preloaded.py"),
        "--users",
        str(users),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--info",
        str(info),
    ]
    target = _spawn(
        "moto",
        [*command, "--via-app"] if via_app else command,
        workdir,
        {},
        port,
        "/moto-api/",
        timeout=60 + users / (100 if via_app else 2000),
    )
    target.info = json.loads(info.read_text())
    return target


def start_cognito_local(workdir: str) -> Target:
    entry = ROOT / "bench" / "node_modules" / "cognito-local" / "lib" / "bin" / "start.js"
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is not installed")
    if not entry.exists():
        raise RuntimeError(f"{entry} is missing (make bench runs npm install cognito-local in bench/)")
    port = free_port()
    # Its pools sign in by email unless told otherwise; the bench uses plain usernames everywhere.
    config = Path(workdir) / ".cognito" / "config.json"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(json.dumps({"UserPoolDefaults": {"UsernameAttributes": []}}))
    target = _spawn("cognito-local", [node, str(entry)], workdir, {"PORT": str(port), "HOST": "127.0.0.1"}, port)
    data = Path(workdir) / ".cognito" / "db"
    target.db_size = lambda: sum(p.stat().st_size for p in data.glob("*") if p.is_file())
    return target


def start_null(workdir: str) -> Target:
    port = free_port()
    return _spawn(
        "null", [sys.executable, str(ROOT / "bench" / "null_server.py"), str(port)], workdir, {}, port, "/health"
    )


# --- workloads ------------------------------------------------------------------------------------------


@dataclass
class Scene:
    """What the workloads of one target at one size need."""

    target: Target
    pool_id: str
    size: int
    signer: loadgen.Signer
    client_id: str | None = None
    signin_users: list[str] = field(default_factory=list)
    refresh_tokens: list[str] = field(default_factory=list)
    serial: int = 0

    def fresh(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}{self.size}x{self.serial}x{random.randrange(1 << 30):x}"


def build_create(scene: Scene, count: int, invite: bool) -> list[loadgen.Job]:
    jobs: list[loadgen.Job] = []
    for _ in range(count):
        name = scene.fresh("c")
        params: dict[str, Any] = {
            "UserPoolId": scene.pool_id,
            "Username": name,
            "UserAttributes": [{"Name": "email", "Value": f"{name}@example.com"}],
        }
        if invite:
            params["DesiredDeliveryMediums"] = ["EMAIL"]
        else:
            params["MessageAction"] = "SUPPRESS"
        jobs.append(scene.signer.sign("AdminCreateUser", params))
    return jobs


def _sample_indexes(scene: Scene, count: int) -> list[int]:
    return [random.randrange(scene.size) for _ in range(count)]


def build_get(scene: Scene, count: int = 2000) -> list[loadgen.Job]:
    return [
        scene.signer.sign("AdminGetUser", {"UserPoolId": scene.pool_id, "Username": bulkload.username(i)})
        for i in _sample_indexes(scene, count)
    ]


def build_list(scene: Scene, prefix: bool, count: int = 2000) -> list[loadgen.Job]:
    jobs: list[loadgen.Job] = []
    for i in _sample_indexes(scene, count):
        flt = f'email ^= "{bulkload.username(i)[:-1]}"' if prefix else f'email = "{bulkload.email(i)}"'
        jobs.append(scene.signer.sign("ListUsers", {"UserPoolId": scene.pool_id, "Filter": flt, "Limit": 60}))
    return jobs


def _initiate(scene: Scene, flow: str, parameters: dict[str, str]) -> bytes:
    body = json.dumps({"AuthFlow": flow, "ClientId": scene.client_id, "AuthParameters": parameters}).encode()
    return loadgen.raw_request(scene.target.host, scene.target.ports[0], "InitiateAuth", body)


def build_password(scene: Scene) -> list[loadgen.Job]:
    return [_initiate(scene, "USER_PASSWORD_AUTH", {"USERNAME": u, "PASSWORD": PASSWORD}) for u in scene.signin_users]


def build_srp(scene: Scene) -> list[loadgen.Job]:
    assert scene.client_id is not None
    return [loadgen.SrpJob(u, PASSWORD, scene.pool_id, scene.client_id) for u in scene.signin_users]


def build_refresh(scene: Scene) -> list[loadgen.Job]:
    return [_initiate(scene, "REFRESH_TOKEN_AUTH", {"REFRESH_TOKEN": t}) for t in scene.refresh_tokens]


def build_mixed(scene: Scene, count: int) -> list[loadgen.Job]:
    """10% creates, 55% gets, 20% ListUsers email=, 15% password sign-ins (gets when sign-in is unavailable)."""
    gets, lists = build_get(scene, 1000), build_list(scene, False, 500)
    signins = build_password(scene) if scene.client_id else []
    jobs: list[loadgen.Job] = []
    for _ in range(count):
        roll = random.random()
        if roll < 0.10:
            jobs.extend(build_create(scene, 1, invite=False))
        elif roll < 0.65 or (roll >= 0.85 and not signins):
            jobs.append(random.choice(gets))
        elif roll < 0.85:
            jobs.append(random.choice(lists))
        else:
            jobs.append(random.choice(signins))
    return jobs


# --- set-up of a pool on a target ----------------------------------------------------------------------


def fill_over_http(scene: Scene, start: int, stop: int, connections: int) -> float:
    """Peers have no storage layer to bulk-load: their users arrive by AdminCreateUser, concurrently."""
    began = time.monotonic()
    for low in range(start, stop, 5000):
        jobs: list[loadgen.Job] = [
            scene.signer.sign(
                "AdminCreateUser",
                {
                    "UserPoolId": scene.pool_id,
                    "Username": bulkload.username(i),
                    "MessageAction": "SUPPRESS",
                    "UserAttributes": [
                        {"Name": "email", "Value": bulkload.email(i)},
                        {"Name": "email_verified", "Value": "true"},
                    ],
                },
            )
            for i in range(low, min(stop, low + 5000))
        ]
        outcome = loadgen.run(
            jobs,
            targets=[(scene.target.host, p) for p in scene.target.ports],
            duration=3600,
            connections=connections,
            cycle=False,
        )
        if outcome.ok != len(jobs):
            raise RuntimeError(f"loading users over HTTP: {outcome.statuses} {outcome.errors} {outcome.sample_error}")
    return time.monotonic() - began


def check_loaded(scene: Scene, api: Api) -> None:
    """The last loaded user is there, by AdminGetUser and by ListUsers ``email =`` (one match)."""
    last = scene.size - 1
    user = api.must("AdminGetUser", {"UserPoolId": scene.pool_id, "Username": bulkload.username(last)})
    attributes = {a["Name"]: a["Value"] for a in user.get("UserAttributes", [])}
    if attributes.get("email") != bulkload.email(last) or attributes.get("email_verified") != "true":
        raise RuntimeError(f"{scene.target.name}: loaded user {bulkload.username(last)} is wrong: {user}")
    found = api.must("ListUsers", {"UserPoolId": scene.pool_id, "Filter": f'email = "{bulkload.email(last)}"'})
    if [u["Username"] for u in found.get("Users", [])] != [bulkload.username(last)]:
        raise RuntimeError(f"{scene.target.name}: ListUsers email = {bulkload.email(last)} found {found}")


def prepare_sign_in(scene: Scene, api: Api, count: int, notes: list[str]) -> None:
    status, answer = api.call(
        "CreateUserPoolClient",
        {
            "UserPoolId": scene.pool_id,
            "ClientName": "bench",
            "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        },
    )
    if status != 200:
        notes.append(
            f"{scene.target.name}: sign-in workloads skipped: CreateUserPoolClient answered {status} "
            f"{answer.get('__type', '')}"
        )
        return
    client_id = answer["UserPoolClient"]["ClientId"]
    users = []
    for i in range(count):
        name = f"signin{i:04d}"
        api.must("AdminCreateUser", {"UserPoolId": scene.pool_id, "Username": name, "MessageAction": "SUPPRESS"})
        api.must(
            "AdminSetUserPassword",
            {"UserPoolId": scene.pool_id, "Username": name, "Password": PASSWORD, "Permanent": True},
        )
        users.append(name)
    status, answer = api.call(
        "InitiateAuth",
        {
            "AuthFlow": "USER_PASSWORD_AUTH",
            "ClientId": client_id,
            "AuthParameters": {"USERNAME": users[0], "PASSWORD": PASSWORD},
        },
    )
    if status != 200:
        notes.append(
            f"{scene.target.name}: sign-in workloads skipped: InitiateAuth answered {status} {answer.get('__type', '')}"
        )
        return
    scene.client_id, scene.signin_users = client_id, users
    for name in users:
        result = api.must(
            "InitiateAuth",
            {
                "AuthFlow": "USER_PASSWORD_AUTH",
                "ClientId": client_id,
                "AuthParameters": {"USERNAME": name, "PASSWORD": PASSWORD},
            },
        )
        token = (result.get("AuthenticationResult") or {}).get("RefreshToken")
        if token:
            scene.refresh_tokens.append(token)


# --- running ------------------------------------------------------------------------------------------------


@dataclass
class Row:
    target: str
    size: int
    workload: str
    requests: int = 0
    ok: int = 0
    throughput: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    cpu_per_1k: float | None = None
    client_cpu_per_1k: float | None = None
    peak_rss_mb: float | None = None
    db_mb: float | None = None
    note: str = ""


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.rows: list[Row] = []
        self.notes: list[str] = []
        self.workdir = tempfile.mkdtemp(prefix="userpools-bench-")

    def measure(
        self,
        scene: Scene,
        workload: str,
        jobs: list[loadgen.Job],
        *,
        cycle: bool = True,
        target: Target | None = None,
        label: str | None = None,
    ) -> Row:
        target = target or scene.target
        row = Row(label or target.name, scene.size, workload)
        if not jobs:
            row.note = "skipped"
            self.rows.append(row)
            return row
        with Meter(target) as meter:
            outcome = loadgen.run(
                jobs,
                targets=[(target.host, p) for p in target.ports],
                duration=self.args.duration,
                connections=self.args.connections,
                processes=self.args.client_processes,
                cycle=cycle,
            )
        ok = outcome.ok
        row.requests, row.ok = outcome.requests, ok
        row.throughput = ok / outcome.seconds if outcome.seconds else 0.0
        row.p50_ms, row.p99_ms = round(outcome.p50_ms, 2), round(outcome.p99_ms, 2)
        row.cpu_per_1k = round(meter.cpu / ok * 1000, 3) if ok else None
        row.client_cpu_per_1k = round(outcome.client_cpu_s / ok * 1000, 3) if ok else None
        row.peak_rss_mb = round(meter.peak_rss / 2**20, 1)
        if ok < outcome.requests or outcome.errors:
            failed = {s: n for s, n in outcome.statuses.items() if s >= 300}
            row.note = f"failures {failed} {outcome.errors} {outcome.sample_error[:120]}".strip()
        if not cycle and outcome.requests == len(jobs):
            row.note = (row.note + " (ran out of prebuilt requests; raise --create-rate)").strip()
        self.rows.append(row)
        say(
            f"    {row.workload:18} {row.throughput:9.1f}/s  p50 {row.p50_ms:7.2f} ms  p99 {row.p99_ms:7.2f} ms  "
            f"cpu {row.cpu_per_1k} s/1k (client {row.client_cpu_per_1k})  {row.note[:100]}"
        )
        return row

    def workloads(self, scene: Scene, wanted: list[str], rate: int) -> None:
        creates = max(50, int(rate * self.args.duration))
        for workload in wanted:
            if workload in SIGN_IN and scene.client_id is None:
                continue
            if workload == "create_suppress":
                self.measure(scene, workload, build_create(scene, creates, invite=False), cycle=False)
            elif workload == "create_invite":
                self.measure(scene, workload, build_create(scene, creates, invite=True), cycle=False)
            elif workload == "get_user":
                self.measure(scene, workload, build_get(scene))
            elif workload == "list_email_eq":
                self.measure(scene, workload, build_list(scene, prefix=False))
            elif workload == "list_email_prefix":
                self.measure(scene, workload, build_list(scene, prefix=True))
            elif workload == "signin_password":
                self.measure(scene, workload, build_password(scene))
            elif workload == "signin_srp":
                self.measure(scene, workload, build_srp(scene))
            elif workload == "refresh":
                self.measure(scene, workload, build_refresh(scene))
            elif workload == "mixed":
                self.measure(scene, workload, build_mixed(scene, creates * 3), cycle=False)

    def size_row(self, target: Target, size: int) -> None:
        with suppress(Exception):
            db = target.db_size()
            for row in self.rows:
                if row.target == target.name and row.size == size:
                    row.db_mb = round(db / 2**20, 1) if db is not None else None

    # userpools: the database is bulk-loaded through storage, then the server started for each size.
    def userpools(self, backend: str) -> None:
        args = self.args
        if backend == "sqlite":
            path = Path(self.workdir) / "sqlite" / "userpools.db"
            url, size_of = f"sqlite:///{path}", _sqlite_size(path)
        else:
            url = self.postgres().create_database("bench")
            size_of = _pg_size(url)
        name = f"userpools-{backend}"
        store = Store(url)
        store.migrate()
        pool_id = bulkload.create_pool(store)
        loaded = 0
        scaling = f"{name}-x2" in args.targets
        for index, size in enumerate(args.sizes):
            say(f"  {name}: bulk-loading users {loaded:,} → {size:,}")
            seconds = bulkload.load(store, pool_id, loaded, size, progress=size - loaded >= 200_000)
            self.notes.append(f"{name}: bulk-loaded {size - loaded:,} users in {seconds:.1f} s")
            loaded = size
            target = start_userpools(name, url, size_of)
            try:
                scene = Scene(target, pool_id, size, loadgen.Signer(target.host, target.ports[0]))
                if index == 0:
                    prepare_sign_in(scene, Api(target.host, target.ports[0]), args.signin_users, self.notes)
                    signin = (scene.client_id, scene.signin_users, scene.refresh_tokens)
                else:
                    scene.client_id, scene.signin_users, scene.refresh_tokens = signin
                say(f"  {name} at {size:,} users")
                self.workloads(scene, args.workloads, args.create_rate)
            finally:
                target.stop()
            self.size_row(target, size)
            if scaling and index == 0:
                self.scaling(f"{name}-x2", url, scene, size_of)
        store.close()

    def scaling(self, name: str, url: str, scene: Scene, size_of: Callable[[], int | None]) -> None:
        """The same database behind one instance, then two (the load generator splits its connections)."""
        pair = start_userpools(name, url, size_of, instances=2)
        try:
            scene.target = pair
            scene.signer = loadgen.Signer(pair.host, pair.ports[0])
            say(f"  {name} (two instances, one database) at {scene.size:,} users")
            self.workloads(scene, [w for w in SCALING_WORKLOADS if w in self.args.workloads], self.args.create_rate)
        finally:
            pair.stop()
        self.size_row(pair, scene.size)

    def peer(self, name: str, start: Callable[[str], Target], size: int) -> None:
        """A fresh peer process per size: its users are either preloaded by its start (``target.info``) or
        created here over HTTP."""
        workdir = tempfile.mkdtemp(prefix=f"{name}-", dir=self.workdir)
        try:
            target = start(workdir)
        except RuntimeError as error:
            self.notes.append(f"{name}: not run at {size:,} users: {error}")
            say(f"  {name}: not run at {size:,} users: {error}")
            return
        try:
            api = Api(target.host, target.ports[0])
            if "pool_id" in target.info:
                scene = Scene(target, target.info["pool_id"], size, loadgen.Signer(target.host, target.ports[0]))
                seconds = float(target.info["seconds"])
                how = (
                    "each AdminCreateUser through its WSGI app, no socket"
                    if target.info.get("via") == "app"
                    else "its cognito-idp backend's admin_create_user, no HTTP"
                )
                self.notes.append(
                    f"{name}: {size:,} users preloaded in its own process ({how}; "
                    f"bench/moto_preloaded.py) in {seconds:.1f} s"
                )
                say(f"  {name}: {size:,} users preloaded in {seconds:.1f} s")
            else:
                pool_id = api.must("CreateUserPool", {"PoolName": "bench"})["UserPool"]["Id"]
                scene = Scene(target, pool_id, size, loadgen.Signer(target.host, target.ports[0]))
                say(f"  {name}: creating {size:,} users over HTTP")
                seconds = fill_over_http(scene, 0, size, self.args.connections)
                self.notes.append(
                    f"{name}: {size:,} users created over HTTP in {seconds:.1f} s "
                    f"({size / seconds:.0f}/s with {self.args.connections} connections)"
                )
            if size:
                check_loaded(scene, api)
            prepare_sign_in(scene, api, self.args.signin_users, self.notes)
            say(f"  {name} at {size:,} users")
            self.workloads(scene, self.args.workloads, self.args.peer_create_rate)
            self.size_row(target, size)
        finally:
            target.stop()

    def null(self) -> None:
        target = start_null(self.workdir)
        try:
            say("  null server (the same HTTP stack, a canned answer)")
            scene = Scene(target, "us-east-1_null", self.args.sizes[0], loadgen.Signer(target.host, target.ports[0]))
            self.measure(scene, "null", build_get(scene))
        finally:
            target.stop()

    _pg: Postgres | None = None

    def postgres(self) -> Postgres:
        if self._pg is None:
            self._pg = Postgres()
        return self._pg

    def run(self) -> None:
        args = self.args
        try:
            if "null" in args.targets:
                self.null()
            if "userpools-sqlite" in args.targets:
                self.userpools("sqlite")
            if "userpools-pg" in args.targets:
                self.userpools("pg")
            if "moto" in args.targets:
                for size in args.moto_sizes:
                    if args.moto_load == "http":
                        self.peer("moto", start_moto, size)
                    else:
                        start = functools.partial(start_moto_preloaded, users=size, via_app=args.moto_load == "app")
                        self.peer("moto", start, size)
            if "cognito-local" in args.targets:
                self.peer("cognito-local", start_cognito_local, args.cognito_local_size)
        finally:
            if self._pg is not None:
                self._pg.stop()
            shutil.rmtree(self.workdir, ignore_errors=True)


# --- report ---------------------------------------------------------------------------------------------------


def _fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _peer_figure(rows: list[Row], peer: str, workload: str, size: int) -> Row | None:
    """The peer's figure for the same workload at the same size, else at the largest size it ran."""
    same = [r for r in rows if r.target == peer and r.workload == workload and r.ok]
    exact = [r for r in same if r.size == size]
    if exact:
        return exact[0]
    return max(same, key=lambda r: r.size) if same else None


def report(rows: list[Row], notes: list[str]) -> str:
    out: list[str] = []
    null = next((r for r in rows if r.target == "null" and r.ok), None)
    peers = [p for p in ("moto", "cognito-local") if any(r.target == p for r in rows)]
    header = (
        f"{'target':17} {'users':>9} {'workload':18} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'cpu s/1k':>8} {'rss MB':>7} {'db MB':>8}"
    )
    header += "".join(f" {'x ' + p:>12}" for p in peers) + (f" {'of null':>8}" if null else "")
    out.append(header)
    out.append("-" * len(header))
    for row in rows:
        line = (
            f"{row.target:17} {row.size:>9,} {row.workload:18} {_fmt(row.throughput):>9} {_fmt(row.p50_ms, 2):>8} "
            f"{_fmt(row.p99_ms, 2):>8} {_fmt(row.cpu_per_1k, 2):>8} {_fmt(row.peak_rss_mb, 0):>7} "
            f"{_fmt(row.db_mb, 1):>8}"
        )
        for peer in peers:
            other = _peer_figure(rows, peer, row.workload, row.size)
            if other is None or row.target == peer or not other.throughput:
                line += f" {'':>12}"
            else:
                mark = "" if other.size == row.size else f"@{other.size // 1000}k"
                line += f" {row.throughput / other.throughput:>8.1f}x{mark:<3}"
        if null:
            line += f" {row.throughput / null.throughput * 100:>7.0f}%"
        if row.note:
            line += f"  [{row.note[:90]}]"
        out.append(line)
    out.append("")
    out.append(
        "x peer: this row's req/s over the peer's for the same workload (@Nk: the peer ran at N thousand "
        "users only). of null: share of the null server's req/s (this machine's HTTP ceiling)."
    )
    out.extend(f"note: {n}" for n in notes)
    return "\n".join(out)


def main(argv: list[str] | None = None) -> Path:
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--sizes",
        default=env("BENCH_SIZES", "10k,100k"),
        help="userpools pool sizes, growing (e.g. 10k,100k,1m) [BENCH_SIZES]",
    )
    parser.add_argument(
        "--duration",
        type=float,
        default=float(env("BENCH_DURATION", "5")),
        help="seconds per workload [BENCH_DURATION]",
    )
    parser.add_argument(
        "--targets",
        default=env("BENCH_TARGETS", ",".join(ALL_TARGETS)),
        help=f"any of {', '.join(ALL_TARGETS)} [BENCH_TARGETS; all]",
    )
    parser.add_argument("--workloads", default=env("BENCH_WORKLOADS", ",".join(WORKLOADS)))
    parser.add_argument("--connections", type=int, default=int(env("BENCH_CONNECTIONS", "16")))
    parser.add_argument("--client-processes", type=int, default=int(env("BENCH_CLIENT_PROCESSES", "1")))
    parser.add_argument(
        "--create-rate",
        type=int,
        default=int(env("BENCH_CREATE_RATE", "2500")),
        help="prebuilt creates per second of --duration for userpools",
    )
    parser.add_argument("--peer-create-rate", type=int, default=int(env("BENCH_PEER_CREATE_RATE", "400")))
    parser.add_argument(
        "--moto-sizes",
        "--moto-size",
        dest="moto_sizes",
        default=env("BENCH_MOTO_SIZES", env("BENCH_MOTO_SIZE", "10k,100k")),
        help="moto pool sizes; a fresh moto_server per size [BENCH_MOTO_SIZES]",
    )
    parser.add_argument(
        "--moto-load",
        choices=["preload", "app", "http"],
        default=env("BENCH_MOTO_LOAD", "preload"),
        help="preload: users put into moto's backend in its own process before it serves "
        "(bench/moto_preloaded.py, ~25k/s; its ListUsers scans run ~2x faster than an "
        "HTTP-loaded moto's); app: the same process, each AdminCreateUser through moto's "
        "WSGI app (~250/s, an HTTP-loaded moto's heap); http: AdminCreateUser over HTTP "
        "(~140/s) [BENCH_MOTO_LOAD]",
    )
    parser.add_argument("--cognito-local-size", default=env("BENCH_COGNITO_LOCAL_SIZE", "1k"))
    parser.add_argument("--signin-users", type=int, default=int(env("BENCH_SIGNIN_USERS", "50")))
    parser.add_argument("--out", default=env("BENCH_OUT", str(ROOT / "bench" / "results")))
    args = parser.parse_args(argv)
    args.sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    args.targets = [t.strip() for t in args.targets.split(",") if t.strip()]
    args.workloads = [w.strip() for w in args.workloads.split(",") if w.strip()]
    args.moto_sizes = [parse_size(s) for s in args.moto_sizes.split(",") if s.strip()]
    args.cognito_local_size = parse_size(args.cognito_local_size)
    unknown = set(args.targets) - set(ALL_TARGETS) or set(args.workloads) - set(WORKLOADS)
    if unknown:
        parser.error(f"unknown: {sorted(unknown)}")

    began = time.monotonic()
    say(
        f"userpools bench: sizes {args.sizes}, {args.duration:g} s per workload, {args.connections} connections, "
        f"{args.client_processes} client process(es), {psutil.cpu_count()} cores"
    )
    bench = Bench(args)
    bench.run()
    text = report(bench.rows, bench.notes)
    say("\n" + text)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = out / f"bench-{stamp}.json"
    path.write_text(
        json.dumps(
            {
                "when": stamp,
                "seconds": round(time.monotonic() - began, 1),
                "cores": psutil.cpu_count(),
                "args": {k: v for k, v in vars(args).items()},
                "rows": [asdict(r) for r in bench.rows],
                "notes": bench.notes,
                "table": text,
            },
            indent=2,
        )
    )
    say(f"\nsaved {path} ({time.monotonic() - began:.0f} s)")
    return path


if __name__ == "__main__":
    main()
