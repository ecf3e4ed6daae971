"""The token inspector: a pasted JWT's header and claims, its signature checked against the keys of the pool
its ``iss`` names, its expiry against the server's clock, and what Cognito would answer for it. The token is
sent in a POST form, never in a URL, and is not stored."""

from __future__ import annotations

from typing import Any

import jwt
from starlette.responses import Response

from userpools.domain import tokens
from userpools.errors import ServiceError
from userpools.operations.auth.issue import issuer, signing_keys
from userpools.web.console.view import View

_TIMES = ("exp", "iat", "auth_time", "nbf")


def inspect(view: View, token: str) -> dict[str, Any]:
    """What the page shows about ``token``: ``problem`` when it is not a JWT at all."""
    try:
        header = jwt.get_unverified_header(token)
        claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as error:
        return {"problem": f"This is not a JSON Web Token: {error}."}
    found: dict[str, Any] = {
        "header": header,
        "claims": claims,
        "times": {k: claims[k] for k in _TIMES if isinstance(claims.get(k), int)},
    }
    iss = claims.get("iss")
    pool_id = iss.rsplit("/", 1)[-1] if isinstance(iss, str) else ""
    found["pool_id"] = pool_id
    context = view.context
    with context.store.transaction(write=False) as tx:
        pool = tx.pools.get(pool_id) if pool_id else None
        keys = signing_keys(context, tx, pool_id, create=False) if pool is not None else []
    if pool is None:
        found["signature"] = "No pool of this server issued it: its iss names no pool here."
        return found
    key = next((k for k in keys if k.kid == header.get("kid")), None)
    if key is None:
        found["signature"] = f"Its kid is not one of the keys of {pool_id}."
    else:
        try:
            jwt.decode(
                token,
                key.private_key.public_key(),
                algorithms=[tokens.ALGORITHM],
                options={"verify_exp": False, "verify_aud": False, "verify_iat": False, "verify_nbf": False},
            )
        except jwt.PyJWTError as error:
            found["signature"] = f"Invalid: {error}."
        else:
            found["signature_valid"] = True
            found["signature"] = f"Valid: signed by {pool_id}'s key {key.kid}."
    exp = found["times"].get("exp")
    if exp is not None:
        found["expired"] = context.clock.now().timestamp() >= exp
    use = claims.get("token_use")
    if use in ("access", "id"):
        try:
            tokens.decode(token, keys, issuer(context, pool_id), context.clock.now(), use)
        except ServiceError as error:
            found["verdict"] = f"{error.code}: {error.message}"
        else:
            found["verdict"] = (
                "Accepted (signature, issuer, token_use and expiry; revocation is checked when it is used)."
            )
    return found


def index(view: View) -> Response:
    token = "".join(view.field("token").split()) if view.form is not None else ""
    return view.show("tokens.html", token=token, found=inspect(view, token) if token else None)
