"""SMS_MFA and EMAIL_OTP codes: made and sent once the sign-in's transaction has ended (the
CustomMessage_Authentication trigger and the senders run outside any), then stored hashed with the
challenge's session, both expiring with the client's AuthSessionValidity."""

from __future__ import annotations

from dataclasses import replace

from userpools.domain import mfa
from userpools.operations.auth.guards import AuthRequest
from userpools.operations.auth.outcome import Outcome, challenge
from userpools.operations.auth.steps import PendingCode
from userpools.steps import codes, messaging
from userpools.steps.context import Context

SOURCE = "CustomMessage_Authentication"
KIND = "AUTHENTICATION"


def _template(req: AuthRequest, factor: str) -> tuple[str, str, str | None]:
    """Medium, message and subject: the pool's SmsAuthenticationMessage or EmailMfaConfiguration, or defaults."""
    config = req.pool.config
    if factor in (mfa.SMS, "SMS_OTP"):
        return "SMS", str(config.get("SmsAuthenticationMessage") or mfa.DEFAULT_SMS_MESSAGE), None
    email = config.get("EmailMfaConfiguration") or {}
    return (
        "EMAIL",
        str(email.get("Message") or mfa.DEFAULT_EMAIL_MESSAGE),
        str(email.get("Subject") or mfa.DEFAULT_EMAIL_SUBJECT),
    )


def send(ctx: Context, req: AuthRequest, pending: PendingCode) -> Outcome:
    """Send the code, then answer with its challenge (CODE_DELIVERY_DESTINATION masked as Cognito masks it)."""
    medium, template, subject = _template(req, pending.factor)
    user = pending.user
    prepared = codes.prepare(
        ctx,
        req.pool,
        user,
        purpose=pending.factor,
        kind=KIND,
        medium=medium,
        template=template,
        subject=subject,
        source=SOURCE,
        client_metadata=req.metadata or None,
        client_id=req.client.id,
    )
    statuses = codes.deliver(ctx, req.pool, user, [prepared])
    assert user.id is not None
    with ctx.store.transaction() as tx:
        digest = codes.digest_of(ctx, user.id, pending.factor, prepared.code)
        tx.codes.put(user.id, pending.factor, digest, ctx.clock.now() + req.client.session_validity)
        messaging.record_all(ctx, tx, user, [prepared.outgoing], statuses)
        parameters = {
            "CODE_DELIVERY_DELIVERY_MEDIUM": medium,
            "CODE_DELIVERY_DESTINATION": codes.mask(prepared.outgoing.to, medium),
            "USER_ID_FOR_SRP": user.username,
        }
        return challenge(replace(req, tx=tx), pending.factor, parameters, pending.sign_in.state())
