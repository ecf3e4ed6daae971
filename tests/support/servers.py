"""Live servers for the tests: userpools in a subprocess on a random port, and a throwaway PostgreSQL."""

from __future__ import annotations

import glob
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path

from tests.support.net import free_port as free_port


def wait_for(
    url: str, timeout: float = 30.0, process: subprocess.Popen[bytes] | None = None, cafile: Path | None = None
) -> None:
    """Until ``url`` answers 200; over https trusting ``cafile`` (the server makes it as it starts)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before answering {url}")
        try:
            context = ssl.create_default_context(cafile=str(cafile)) if cafile is not None else None
            with urllib.request.urlopen(url, timeout=1, context=context) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


class Server:
    """``userpools serve`` as a user runs it, in its own process; with ``ca`` (the CA file its USERPOOLS_TLS_DIR
    will hold), over HTTPS: ``env`` then sets USERPOOLS_TLS."""

    def __init__(
        self,
        database_url: str,
        env: Mapping[str, str] | None = None,
        workers: int = 1,
        ca: Path | None = None,
        args: Sequence[str] = (),
    ) -> None:
        self.port = free_port()
        self.url = f"{'https' if ca else 'http'}://127.0.0.1:{self.port}"
        self.database_url = database_url
        self.log = tempfile.NamedTemporaryFile(prefix="userpools-", suffix=".log", delete=False)  # noqa: SIM115
        full_env = {**os.environ, "USERPOOLS_DATABASE_URL": database_url, **(env or {})}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "userpools",
                "serve",
                "--port",
                str(self.port),
                "--workers",
                str(workers),
                "--log-level",
                "warning",
                *args,  # later options win: ("--log-level", "info") too
            ],
            env=full_env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for(f"{self.url}/health", process=self.process, cafile=ca)
        except RuntimeError:
            self.stop()
            raise RuntimeError(self.output()) from None

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found:
        return found[-1]
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"PostgreSQL's {name} is not installed (make test installs it)")
    return path


class Postgres:
    """A throwaway PostgreSQL cluster in a temporary folder; as root it runs as the postgres user."""

    def __init__(self) -> None:
        self.dir = tempfile.mkdtemp(prefix="userpools-pg-")
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.dir, "postgres", "postgres")
        data = os.path.join(self.dir, "data")
        self._run([_pg_bin("initdb"), "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"])
        self._run(
            [
                _pg_bin("pg_ctl"),
                "-D",
                data,
                "-w",
                "-t",
                "60",
                "-l",
                os.path.join(self.dir, "log"),
                "-o",
                f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
                "start",
            ]
        )
        self.data = data
        self._run([_pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "userpools"])

    def _run(self, command: list[str]) -> None:
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, cwd="/")
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")

    def url(self, database: str = "userpools") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        self._run([_pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name])
        return self.url(name)

    def stop(self) -> None:
        if os.environ.get("USERPOOLS_TEST_KEEP_DATA"):  # for bench/grep_secrets.py: written out, then kept
            self._run([_pg_bin("pg_ctl"), "-D", self.data, "-m", "fast", "stop"])
            print(f"\nPostgreSQL data kept in {self.data}", file=sys.stderr)
            return
        try:
            self._run([_pg_bin("pg_ctl"), "-D", self.data, "-m", "immediate", "stop"])
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
