"""moto_server with a user pool of N users already in it: the moto analogue of bench/bulkload.py.

Run with moto's own interpreter (moto is not importable from the project's .venv, and stays that way):

    bench/.moto-venv/bin/python bench/moto_preloaded.py --users 100000 --port 5000 --info /tmp/moto.json

Before serving, it creates the pool (``CreateUserPool {"PoolName": "bench"}``) and users 0..N-1 by calling
moto's own cognito-idp backend, ``CognitoIdpBackend.admin_create_user``, with exactly the arguments moto's
HTTP handler passes it for the AdminCreateUser request ``run.fill_over_http`` sends (Username
``names.username(i)``, MessageAction SUPPRESS, no TemporaryPassword, ``email`` + ``email_verified=true``):
the same ``CognitoIdpUser`` objects (status FORCE_CHANGE_PASSWORD, a random ``sub``), in the same
dict, without HTTP, signing or JSON. The backend is the one moto's HTTP handler resolves for the bench's
requests: account from the access key (``--access-key``, as moto's ``get_current_account`` does), region
from ``--region``.

That is fast (~25k users/s) but not the heap an HTTP-loaded moto has: its users lie side by side in memory,
where over HTTP each one is allocated among a request's worth of freed objects, and moto's ListUsers (a
scan of every user) runs ~2x faster over them (measured: 10k and 100k users). ``--via-app`` gives that
heap instead: every AdminCreateUser request goes through moto's own WSGI app (werkzeug's test client: the
same parsing, dispatch and serialisation as over HTTP, without the socket), at ~4 ms of CPU per user.

Then it writes ``{"pool_id", "users", "seconds", "via"}`` to ``--info`` and serves with ``moto.server.main``, the
very function the ``moto_server`` command runs (werkzeug ``run_simple``, threaded, moto's request
handler), so every figure is the CLI's. It serves until killed (SIGTERM/SIGINT exit cleanly).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.names import email, username


def preload(users: int, access_key: str, region: str) -> tuple[str, float]:
    """Create the pool and ``users`` users in moto's backend; returns (pool id, seconds)."""
    from moto.cognitoidp.models import cognitoidp_backends
    from moto.iam.models import get_account_id_from

    began = time.monotonic()
    backend = cognitoidp_backends[get_account_id_from(access_key)][region]
    pool_id = str(backend.create_user_pool("bench", {}).id)
    for i in range(users):
        backend.admin_create_user(
            pool_id,
            username(i),
            "SUPPRESS",
            None,
            [
                {"Name": "email", "Value": email(i)},
                {"Name": "email_verified", "Value": "true"},
            ],
        )
    return pool_id, time.monotonic() - began


def preload_via_app(users: int, access_key: str, region: str) -> tuple[str, float]:
    """The same, each call an HTTP request handed to moto's WSGI app in-process (no socket, no signature)."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.test import Client

    began = time.monotonic()
    client = Client(DomainDispatcherApplication(create_backend_app))
    day = time.strftime("%Y%m%d", time.gmtime())
    headers = {
        "Content-Type": "application/x-amz-json-1.1",
        "X-Amz-Date": f"{day}T000000Z",
        "Authorization": f"AWS4-HMAC-SHA256 Credential={access_key}/{day}/{region}/cognito-idp/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=0",
    }

    def call(target: str, params: dict[str, Any]) -> dict[str, Any]:
        response = client.post(
            "/",
            data=json.dumps(params),
            headers={**headers, "X-Amz-Target": f"AWSCognitoIdentityProviderService.{target}"},
        )
        if response.status_code != 200:
            raise RuntimeError(f"{target} answered {response.status_code}: {response.get_data()[:300]!r}")
        answer: dict[str, Any] = json.loads(response.get_data())
        return answer

    pool_id = str(call("CreateUserPool", {"PoolName": "bench"})["UserPool"]["Id"])
    for i in range(users):
        call(
            "AdminCreateUser",
            {
                "UserPoolId": pool_id,
                "Username": username(i),
                "MessageAction": "SUPPRESS",
                "UserAttributes": [{"Name": "email", "Value": email(i)}, {"Name": "email_verified", "Value": "true"}],
            },
        )
    return pool_id, time.monotonic() - began


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--info", required=True, help="JSON file written once the users are loaded")
    parser.add_argument("--access-key", default="AKIDEXAMPLE", help="the key the bench signs with (loadgen.Signer)")
    parser.add_argument("--region", default="us-east-1")
    parser.add_argument(
        "--via-app",
        action="store_true",
        help="send each AdminCreateUser through moto's WSGI app in-process (~4 ms/user; the heap of "
        "an HTTP-loaded moto) instead of calling its backend (~0.04 ms/user)",
    )
    args = parser.parse_args(argv)

    load = preload_via_app if args.via_app else preload
    pool_id, seconds = load(args.users, args.access_key, args.region)
    info = Path(args.info)
    partial = info.with_name(info.name + ".tmp")
    partial.write_text(
        json.dumps(
            {
                "pool_id": pool_id,
                "users": args.users,
                "seconds": round(seconds, 2),
                "via": "app" if args.via_app else "backend",
            }
        )
    )
    os.replace(partial, info)
    print(f"moto_preloaded: {args.users:,} users in pool {pool_id} in {seconds:.1f} s", flush=True)

    from moto.server import main as moto_server

    moto_server(["-H", args.host, "-p", str(args.port)])


if __name__ == "__main__":
    main()
