"""A remembered device proves itself: DEVICE_SRP_AUTH (the device's SRP_A, answered with SRP_B and the
device's salt) then DEVICE_PASSWORD_VERIFIER (the claim signed with the device password), as
amazon-cognito-identity-js and pycognito compute them. A proven remembered device skips MFA."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from userpools.domain import srp
from userpools.domain.errors import InvalidParameterException, NotAuthorizedException
from userpools.domain.tokens import hash_token
from userpools.domain.users import User
from userpools.operations.auth import issue
from userpools.operations.auth.challenges import INVALID_SESSION, TIMESTAMP_SKEW, Challenge
from userpools.operations.auth.guards import (
    AuthRequest,
    SignInFailure,
    before_password,
    check_secret_hash,
    signed_in,
)
from userpools.operations.auth.outcome import Outcome, sealed_state
from userpools.operations.auth.steps import DEVICE_SRP_AUTH, SignIn, device_session
from userpools.steps.common import find_user

DEVICE_PASSWORD_VERIFIER = "DEVICE_PASSWORD_VERIFIER"
SOURCE = "TokenGeneration_AuthenticateDevice"


def _signing_in(req: AuthRequest, sign_in: SignIn) -> User:
    username = req.param("USERNAME")
    user = req.tx.users.get_by_id(sign_in.user_id)
    named = find_user(req.tx, req.pool, username)
    if user is None or named is None or named.id != user.id:
        raise NotAuthorizedException(INVALID_SESSION)
    check_secret_hash(req.client, req.parameters.get("SECRET_HASH"), username, user.username)
    before_password(req, user)
    if req.param("DEVICE_KEY") != sign_in.device_key:
        raise NotAuthorizedException(INVALID_SESSION)
    return user


class DeviceSrpAuth(Challenge):
    name = DEVICE_SRP_AUTH

    def session_key(self, responses: dict[str, str], session: str | None) -> str:
        device_key = responses.get("DEVICE_KEY")
        if not device_key:
            raise InvalidParameterException("Missing required parameter DEVICE_KEY")
        return device_session(device_key)

    def respond(self, req: AuthRequest, state: dict[str, Any]) -> Outcome:
        sign_in = SignIn.of(state)
        user = _signing_in(req, sign_in)
        assert sign_in.device_key is not None
        device = req.tx.devices.get(sign_in.device_key)
        if device is None or device.verifier is None or device.user_id != user.id:
            raise NotAuthorizedException("Device does not exist.")
        server = srp.start(device.verifier, req.param("SRP_A"))
        step = {
            **sign_in.state(),
            "group_key": device.group_key,
            "verifier": device.verifier,
            "srp_a": req.param("SRP_A"),
            "b": server.b_hex,
            "srp_b": server.srp_b_hex,
        }
        req.tx.auth_sessions.put(
            hash_token(server.secret_block),
            req.pool.id,
            req.client.id,
            DEVICE_PASSWORD_VERIFIER,
            sealed_state(req.ctx, step),
            req.ctx.clock.now() + req.client.session_validity,
        )
        parameters = {
            "SALT": str(device.salt),
            "SRP_B": server.srp_b_hex,
            "SECRET_BLOCK": server.secret_block_b64,
            "USERNAME": user.username,
            "DEVICE_KEY": device.key,
        }
        return Outcome(challenge=DEVICE_PASSWORD_VERIFIER, parameters=parameters)


class DevicePasswordVerifier(Challenge):
    name = DEVICE_PASSWORD_VERIFIER

    def session_key(self, responses: dict[str, str], session: str | None) -> str:
        block = responses.get("PASSWORD_CLAIM_SECRET_BLOCK")
        if not block:
            raise InvalidParameterException("Missing required parameter PASSWORD_CLAIM_SECRET_BLOCK")
        return hash_token(srp.decode_secret_block(block))

    def respond(self, req: AuthRequest, state: dict[str, Any]) -> Outcome:
        sign_in = SignIn.of(state)
        user = _signing_in(req, sign_in)
        assert user.id is not None and sign_in.device_key is not None
        timestamp = req.param("TIMESTAMP")
        now = req.ctx.clock.now()
        if abs(srp.parse_timestamp(timestamp) - now) > TIMESTAMP_SKEW:
            raise NotAuthorizedException("TIMESTAMP is too far from the server's time.")
        proven = srp.verify_claim(
            pool_name=state["group_key"],
            user_id=sign_in.device_key,
            verifier_hex=state["verifier"],
            srp_a_hex=state["srp_a"],
            b_hex=state["b"],
            srp_b_hex=state["srp_b"],
            secret_block=srp.decode_secret_block(req.param("PASSWORD_CLAIM_SECRET_BLOCK")),
            timestamp=timestamp,
            signature_b64=req.param("PASSWORD_CLAIM_SIGNATURE"),
        )
        if not proven:
            raise SignInFailure(user.id, now)
        req.tx.devices.change(sign_in.device_key, now, last_authenticated=now)
        signed_in(req, user)
        auth_time = datetime.fromisoformat(state["auth_time"])
        return Outcome(grant=issue.Grant(user, SOURCE, auth_time, device_key=sign_in.device_key))


CHALLENGES: dict[str, Challenge] = {c.name: c for c in (DeviceSrpAuth(), DevicePasswordVerifier())}
