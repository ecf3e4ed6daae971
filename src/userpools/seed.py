"""``userpools serve --seed FILE``: pools, clients, groups and users a server starts with, declared in JSON
or YAML, so a compose setup or a CI job knows its ids before the first request.

    pools:
      - name: demo                       # found again by this name (or by id) on the next start
        id: us-east-1_Demo00001          # optional: a fixed pool id
        config: {AutoVerifiedAttributes: [email]}        # optional: any CreateUserPool parameters
        clients:
          - name: web
            id: localwebclient0000000001                 # optional: a fixed client id
            secret: local-secret                         # optional: a fixed secret (GenerateSecret)
            config: {ExplicitAuthFlows: [ALLOW_USER_PASSWORD_AUTH, ALLOW_REFRESH_TOKEN_AUTH]}
        groups:
          - {name: admins, config: {Precedence: 1}}
        users:
          - username: alice
            password: Passw0rd!          # permanent (AdminSetUserPassword); omitted: FORCE_CHANGE_PASSWORD
            attributes: {email: alice@example.com, email_verified: "true"}
            groups: [admins]

Idempotent: what exists already (a pool of that id or name, a client of that id or name in the pool, a group
or user of that name) is kept as it is, not updated; group memberships are added. Everything goes through the
operations' own handlers, so the seed is validated and stored exactly as API calls would be (users are
created with MessageAction SUPPRESS: a seed sends no invitations). ``POST /_userpools/reset`` (and
``userpools reset``) loads the seed again after wiping: reset returns to the seeded state.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from userpools.errors import ServiceError
from userpools.steps.context import Context

PINNED_ID = "seed_id"  # Context.request key: the id CreateUserPool / CreateUserPoolClient give what they create


class SeedError(Exception):
    """The seed file cannot be read or applied: one line naming the file and the item."""


@dataclass
class Summary:
    created: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        into = self.created if created else self.kept
        into[kind] = into.get(kind, 0) + 1

    def line(self) -> str:
        def say(counts: dict[str, int]) -> str:
            return ", ".join(f"{n} {kind}" for kind, n in counts.items()) or "nothing"

        return f"created {say(self.created)}; kept {say(self.kept)}"


def load(path: str) -> dict[str, Any]:
    """The seed file's contents (``.yaml``/``.yml``: YAML, needing PyYAML; anything else: JSON)."""
    try:
        text = Path(path).read_text()
    except OSError as error:
        raise SeedError(f"{path}: cannot read it ({error.strerror}).") from None
    try:
        if path.endswith((".yaml", ".yml")):
            try:
                import yaml
            except ImportError:
                raise SeedError(f"{path}: YAML needs PyYAML (pip install pyyaml), or give JSON.") from None
            data = yaml.safe_load(text)
        else:
            data = json.loads(text)
    except SeedError:
        raise
    except Exception as error:
        raise SeedError(f"{path}: not valid {'YAML' if path.endswith(('yaml', 'yml')) else 'JSON'}: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("pools", []), list):
        raise SeedError(f"{path}: expected an object with a list of `pools`.")
    return data


class _Api:
    """The cognito-idp handlers, called in-process with validated parameters."""

    def __init__(self, context: Context) -> None:
        from userpools.app import cognito_service

        self.service = cognito_service()
        self.context = context

    def __call__(self, operation: str, params: dict[str, Any], pinned: str | None = None) -> dict[str, Any]:
        call = self.service.parse(f"{self.service.target_prefix}.{operation}", orjson.dumps(params))
        context = self.context.serving({PINNED_ID: pinned} if pinned else {})
        return self.service.invoke(call, context)

    def exists(self, operation: str, params: dict[str, Any]) -> bool:
        try:
            self(operation, params)
        except ServiceError as error:
            if error.code in ("ResourceNotFoundException", "UserNotFoundException"):
                return False
            raise
        return True

    def every(self, operation: str, params: dict[str, Any], key: str, limit: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        token = None
        while True:
            page = self(operation, {**params, limit: 60, **({"NextToken": token} if token else {})})
            found += page.get(key, [])
            token = page.get("NextToken")
            if not token:
                return found


def apply(context: Context, data: dict[str, Any], source: str = "seed") -> Summary:
    """Create what the seed declares and is missing; SeedError naming the item that failed."""
    api = _Api(context)
    summary = Summary()
    for index, pool in enumerate(data.get("pools") or []):
        where = f"{source}: pools[{index}]"
        try:
            _pool(api, summary, pool)
        except ServiceError as error:
            raise SeedError(f"{where} ({pool.get('name')!r}): {error.code}: {error.message}") from None
        except (KeyError, TypeError, AttributeError) as error:
            raise SeedError(f"{where}: malformed ({type(error).__name__}: {error}).") from None
        except Exception as error:  # e.g. a fixed client id another pool has: the database refuses it
            raise SeedError(f"{where} ({pool.get('name')!r}): could not be stored ({type(error).__name__}).") from None
    return summary


def _pool(api: _Api, summary: Summary, pool: dict[str, Any]) -> None:
    name, fixed = pool["name"], pool.get("id")
    if fixed:
        pool_id = fixed if api.exists("DescribeUserPool", {"UserPoolId": fixed}) else None
    else:
        pools = api.every("ListUserPools", {}, "UserPools", "MaxResults")
        pool_id = next((p["Id"] for p in pools if p["Name"] == name), None)
    summary.count("pools", pool_id is None)
    if pool_id is None:
        created = api("CreateUserPool", {**(pool.get("config") or {}), "PoolName": name}, pinned=fixed)
        pool_id = created["UserPool"]["Id"]
    clients = api.every("ListUserPoolClients", {"UserPoolId": pool_id}, "UserPoolClients", "MaxResults")
    for client in pool.get("clients") or []:
        _client(api, summary, pool_id, client, clients)
    for group in pool.get("groups") or []:
        if api.exists("GetGroup", {"UserPoolId": pool_id, "GroupName": group["name"]}):
            summary.count("groups", False)
            continue
        api("CreateGroup", {**(group.get("config") or {}), "UserPoolId": pool_id, "GroupName": group["name"]})
        summary.count("groups", True)
    for user in pool.get("users") or []:
        _user(api, summary, pool_id, user)


def _client(api: _Api, summary: Summary, pool_id: str, client: dict[str, Any], known: list[dict[str, Any]]) -> None:
    name, fixed = client["name"], client.get("id")
    if fixed:
        exists = api.exists("DescribeUserPoolClient", {"UserPoolId": pool_id, "ClientId": fixed})  # checks its form
    else:
        exists = any(c["ClientName"] == name for c in known)
    if exists:
        summary.count("clients", False)
        return
    params = {**(client.get("config") or {}), "UserPoolId": pool_id, "ClientName": name}
    if client.get("secret"):
        params.update(GenerateSecret=True, ClientSecret=client["secret"])
    api("CreateUserPoolClient", params, pinned=fixed)
    summary.count("clients", True)


def _user(api: _Api, summary: Summary, pool_id: str, user: dict[str, Any]) -> None:
    username = user["username"]
    if api.exists("AdminGetUser", {"UserPoolId": pool_id, "Username": username}):
        summary.count("users", False)
    else:
        attributes = [{"Name": k, "Value": str(v)} for k, v in (user.get("attributes") or {}).items()]
        api(
            "AdminCreateUser",
            {"UserPoolId": pool_id, "Username": username, "UserAttributes": attributes, "MessageAction": "SUPPRESS"},
        )
        if user.get("password"):
            api(
                "AdminSetUserPassword",
                {"UserPoolId": pool_id, "Username": username, "Password": user["password"], "Permanent": True},
            )
        summary.count("users", True)
    for group in user.get("groups") or []:
        api("AdminAddUserToGroup", {"UserPoolId": pool_id, "Username": username, "GroupName": group})
