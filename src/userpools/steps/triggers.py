"""Running a pool's Lambda triggers: look up the ARN in LambdaConfig, invoke, map failures to Cognito's.

    answer = run_trigger(ctx, pool, "PreAuthentication", event)   # None: no such trigger configured

``trigger`` is the LambdaConfig key (PreSignUp, CustomMessage, PostConfirmation, PreAuthentication,
PostAuthentication, PreTokenGeneration, UserMigration, DefineAuthChallenge, CreateAuthChallenge,
VerifyAuthChallengeResponse); ``event`` comes from ``domain.trigger_events``; the answer is the
event's ``response`` member, ready for the matching ``read_*`` function there.

Invoke outside any storage transaction: a trigger may take seconds, and where writes are serial a write
transaction holds the database's only write lock.

Nothing here logs the event or the answer: both can carry ClientMetadata and ValidationData.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from userpools.domain import trigger_events as events
from userpools.domain.errors import (
    InvalidLambdaResponseException,
    UnexpectedLambdaException,
    UserLambdaValidationException,
)
from userpools.domain.pools import Pool
from userpools.domain.users import User
from userpools.steps.context import Context
from userpools.triggers import InvalidTriggerResponse, TriggerFunctionError, TriggerUnreachable

log = logging.getLogger(__name__)

TRIGGERS = (
    "PreSignUp",
    "CustomMessage",
    "PostConfirmation",
    "PreAuthentication",
    "PostAuthentication",
    "PreTokenGeneration",
    "UserMigration",
    "DefineAuthChallenge",
    "CreateAuthChallenge",
    "VerifyAuthChallengeResponse",
)


def trigger_arn(pool: Pool, trigger: str) -> str | None:
    """The ARN LambdaConfig names for ``trigger``; PreTokenGenerationConfig wins for PreTokenGeneration."""
    config = pool.lambda_config
    if trigger == "PreTokenGeneration":
        versioned = config.get("PreTokenGenerationConfig") or {}
        if versioned.get("LambdaArn"):
            return str(versioned["LambdaArn"])
    arn = config.get(trigger)
    return str(arn) if arn else None


def token_generation_version(pool: Pool) -> str:
    """V1_0 unless PreTokenGenerationConfig.LambdaVersion says otherwise."""
    versioned = pool.lambda_config.get("PreTokenGenerationConfig") or {}
    return str(versioned.get("LambdaVersion") or "V1_0")


def has_trigger(pool: Pool, trigger: str) -> bool:
    return trigger_arn(pool, trigger) is not None


def run_trigger(ctx: Context, pool: Pool, trigger: str, event: Mapping[str, Any]) -> dict[str, Any] | None:
    """Invoke the pool's ``trigger`` with ``event``; its ``response``, or None when none is configured.

    Raises UserLambdaValidationException ("<trigger> failed with error <message>.") when the function
    fails, UnexpectedLambdaException when it cannot be reached or times out (after the invoker's
    3 attempts of 5 s), InvalidLambdaResponseException when its answer is not an event.
    """
    if trigger not in TRIGGERS:
        raise ValueError(f"unknown trigger {trigger!r}")
    arn = trigger_arn(pool, trigger)
    if arn is None:
        return None
    try:
        answer = ctx.triggers.invoke(arn, event)
    except TriggerFunctionError as error:
        raise UserLambdaValidationException(f"{trigger} failed with error {error.error_message}.") from None
    except TriggerUnreachable as error:
        log.warning("%s trigger %s could not be invoked: %s", trigger, arn, error)
        raise UnexpectedLambdaException(f"{trigger} invocation failed due to error {_reason(error)}.") from None
    except InvalidTriggerResponse:
        raise InvalidLambdaResponseException(events.UNRECOGNIZABLE) from None
    return events.response_of(answer)


def caller(ctx: Context, pool: Pool, client_id: str | None = None) -> events.Caller:
    """The event's region, pool and callerContext for this request (client_id None: an admin call)."""
    headers = ctx.request.get("headers") or {}
    return events.Caller(ctx.region, pool.id, client_id, headers.get("user-agent"))


def user_attributes(user: User) -> dict[str, str]:
    """The userAttributes an event carries for an existing user: its attributes and its status."""
    return {**user.attributes, "cognito:user_status": user.status.value}


def _reason(error: TriggerUnreachable) -> str:
    """Cognito says "Socket timeout while invoking Lambda function" for timeouts (seen on
    PostAuthentication). Choice: any other failure to invoke reads "Unable to invoke Lambda function"."""
    text = str(error).lower()
    if "timed out" in text or "timeout" in text:
        return "Socket timeout while invoking Lambda function"
    return "Unable to invoke Lambda function"


# --- The triggers AdminCreateUser and friends run ---------------------------------------------


def pre_sign_up(
    ctx: Context,
    pool: Pool,
    source: str,
    username: str,
    attributes: Mapping[str, str],
    *,
    validation_data: Mapping[str, str] | None,
    client_metadata: Mapping[str, str] | None,
    client_id: str | None = None,
) -> events.PreSignUpAnswer:
    """Run PreSignUp (if configured) and read its answer; the flags are False for AdminCreateUser."""
    if not has_trigger(pool, "PreSignUp"):
        return events.PreSignUpAnswer()
    event = events.pre_sign_up(
        source,
        caller(ctx, pool, client_id),
        username,
        attributes,
        validation_data=validation_data,
        client_metadata=client_metadata,
    )
    response = run_trigger(ctx, pool, "PreSignUp", event) or {}
    return events.read_pre_sign_up(response, source)


def custom_message(
    ctx: Context,
    pool: Pool,
    source: str,
    username: str,
    attributes: Mapping[str, str],
    *,
    client_metadata: Mapping[str, str] | None,
    client_id: str | None = None,
) -> events.CustomText:
    """Run CustomMessage (if configured): the texts that replace the pool's, placeholders unfilled."""
    if not has_trigger(pool, "CustomMessage"):
        return events.CustomText()
    event = events.custom_message(
        source, caller(ctx, pool, client_id), username, attributes, client_metadata=client_metadata
    )
    response = run_trigger(ctx, pool, "CustomMessage", event) or {}
    return events.read_custom_message(response)


def post_confirmation(
    ctx: Context,
    pool: Pool,
    source: str,
    user: User,
    *,
    client_metadata: Mapping[str, str] | None,
    client_id: str | None = None,
) -> None:
    """Run PostConfirmation (if configured) for a user whose confirmation is already stored.

    Choice: a failing function fails the call (UserLambdaValidationException) but the confirmation
    stays: the trigger runs once the change is stored (what Cognito does here is not documented).
    """
    if not has_trigger(pool, "PostConfirmation"):
        return
    event = events.post_confirmation(
        source, caller(ctx, pool, client_id), user.username, user_attributes(user), client_metadata=client_metadata
    )
    run_trigger(ctx, pool, "PostConfirmation", event)


def pre_authentication(
    ctx: Context,
    pool: Pool,
    client_id: str,
    username: str,
    user: User | None,
    *,
    validation_data: Mapping[str, str] | None,
) -> None:
    """Run PreAuthentication (if configured); ``user`` None: PreventUserExistenceErrors hides a missing one.

    ``validation_data`` is the sign-in call's ClientMetadata (Cognito passes it under that name).
    """
    if not has_trigger(pool, "PreAuthentication"):
        return
    attributes = user_attributes(user) if user is not None else {}
    event = events.pre_authentication(
        caller(ctx, pool, client_id),
        user.username if user else username,
        attributes,
        validation_data=validation_data,
        user_not_found=user is None,
    )
    run_trigger(ctx, pool, "PreAuthentication", event)
