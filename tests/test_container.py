"""The Dockerfile and compose.yaml, checked without a container runtime: every instruction is one Docker
knows, its RUN lines parse, what it copies exists, and the server starts as the image and compose start it
(the image's ENV and command, compose's environment and seed file, on PostgreSQL as in compose). Building
and running the image needs a Docker daemon, which the test machine does not have."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

from tests.conftest import client_for
from tests.support import Server

ROOT = Path(__file__).resolve().parent.parent
KNOWN = {"FROM", "COPY", "RUN", "WORKDIR", "VOLUME", "USER", "ENV", "EXPOSE", "HEALTHCHECK", "ENTRYPOINT", "CMD"}


def instructions() -> list[tuple[str, str]]:
    """(instruction, arguments) of the Dockerfile, continuation lines joined, comments dropped."""
    lines = [line for line in (ROOT / "Dockerfile").read_text().splitlines() if not line.lstrip().startswith("#")]
    joined = "\n".join(lines).replace("\\\n", " ")
    found = []
    for line in filter(str.strip, joined.splitlines()):
        word, _, rest = line.strip().partition(" ")
        found.append((word, rest.strip()))
    return found


def image_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for word, rest in instructions():
        if word == "ENV":
            for pair in shlex.split(rest):
                name, _, value = pair.partition("=")
                env[name] = value
    return env


def test_dockerfile_parses() -> None:
    steps = instructions()
    assert {word for word, _ in steps} <= KNOWN, steps
    assert steps[0][0] == "FROM" and steps[0][1].startswith("python:3.11")
    for word, rest in steps:
        if word == "RUN":
            assert subprocess.run(["bash", "-n", "-c", rest]).returncode == 0, rest
        if word == "COPY":
            *sources, _ = shlex.split(rest)
            assert all((ROOT / source).exists() for source in sources), rest
        if word in ("ENTRYPOINT", "CMD"):
            assert isinstance(json.loads(rest), list)
    command = json.loads(dict(steps)["ENTRYPOINT"]) + json.loads(dict(steps)["CMD"])
    assert command == ["userpools", "serve"]
    assert image_env()["USERPOOLS_HOST"] == "0.0.0.0"
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".venv" in ignored and ".userpools" in ignored  # a developer's database never goes into an image


def test_the_image_command_and_its_healthcheck_serve(tmp_path: Path) -> None:
    env = image_env()
    database = env["USERPOOLS_DATABASE_URL"].replace("/data/", f"{tmp_path}/")
    live = Server(database, env={**env, "USERPOOLS_DATABASE_URL": database})  # --port: a free one, not 9229
    try:
        health = json.loads(dict(instructions())["HEALTHCHECK"].partition("CMD ")[2])
        assert health[:2] == ["python", "-c"]
        check = health[2].replace("127.0.0.1:9229", f"127.0.0.1:{live.port}")
        assert subprocess.run([sys.executable, "-c", check], timeout=30).returncode == 0
        assert "listening on http://0.0.0.0:" in live.output()
    finally:
        live.stop()


def test_compose_starts_the_seeded_server_on_postgresql(database_url_for: Callable[[str], str]) -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    service = compose["services"]["userpools"]
    assert service["build"] == "." and (ROOT / "Dockerfile").exists()
    assert set(service["depends_on"]) <= set(compose["services"])
    assert service["ports"] == [f"{image_env()['USERPOOLS_PORT']}:{image_env()['USERPOOLS_PORT']}"]
    mounts = dict(volume.split(":")[:2] for volume in service["volumes"] if volume.startswith("./"))
    seed_source = next(
        source for source, target in mounts.items() if target == service["environment"]["USERPOOLS_SEED"]
    )
    assert service["environment"]["USERPOOLS_DATABASE_URL"].startswith("postgresql://")
    env = {**service["environment"], "USERPOOLS_SEED": str(ROOT / seed_source), "USERPOOLS_PUBLIC_URL": ""}
    env.pop("USERPOOLS_DATABASE_URL")  # compose's names its own postgres service: this test's PostgreSQL instead
    live = Server(database_url_for("postgresql"), env=env)
    try:
        cognito = client_for(live.url)
        pool = cognito.describe_user_pool(UserPoolId="us-east-1_Demo00001")["UserPool"]
        assert pool["Name"] == "demo"
        auth = cognito.initiate_auth(
            ClientId="localwebclient0000000001",
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "alice@example.com", "PASSWORD": "Passw0rd!x1"},
        )
        assert auth["AuthenticationResult"]["IdToken"]
    finally:
        live.stop()
