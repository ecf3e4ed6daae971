"""The custom authentication trio's events (CUSTOM_AUTH): DefineAuthChallenge, CreateAuthChallenge,
VerifyAuthChallengeResponse, and what Cognito makes of their answers. Pure: no I/O.

The envelope and the answer readers are shared with ``trigger_events``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from userpools.domain.errors import InvalidLambdaResponseException
from userpools.domain.trigger_events import (
    UNRECOGNIZABLE,
    Caller,
    envelope,
    flag,
    optional_object,
    optional_text,
    with_metadata,
)


@dataclass(frozen=True)
class ChallengeResult:
    """One entry of the custom auth ``session``: a challenge asked and whether it was answered right."""

    challenge_name: str
    challenge_result: bool
    challenge_metadata: str | None = None

    def as_event(self) -> dict[str, Any]:
        return {
            "challengeName": self.challenge_name,
            "challengeResult": self.challenge_result,
            "challengeMetadata": self.challenge_metadata,
        }


def define_auth_challenge(
    caller: Caller,
    username: str,
    user_attributes: Mapping[str, str],
    session: Sequence[ChallengeResult],
    *,
    client_metadata: Mapping[str, str] | None = None,
    user_not_found: bool = False,
) -> dict[str, Any]:
    request: dict[str, Any] = {
        "userAttributes": dict(user_attributes),
        "session": [s.as_event() for s in session],
        "userNotFound": user_not_found,
    }
    response = {"challengeName": None, "issueTokens": None, "failAuthentication": None}
    return envelope(
        "DefineAuthChallenge_Authentication", caller, username, with_metadata(request, client_metadata), response
    )


@dataclass(frozen=True)
class Decision:
    challenge_name: str | None
    issue_tokens: bool
    fail_authentication: bool


CHALLENGES = (
    "CUSTOM_CHALLENGE",
    "PASSWORD_VERIFIER",
    "SRP_A",
    "SMS_MFA",
    "SOFTWARE_TOKEN_MFA",
    "EMAIL_OTP",
    "ADMIN_NO_SRP_AUTH",
    "PASSWORD",
    "DEVICE_SRP_AUTH",
    "DEVICE_PASSWORD_VERIFIER",
)


def read_define_auth_challenge(response: Mapping[str, Any]) -> Decision:
    """Tokens, failure, or the next challenge; an answer that picks none of them is unrecognizable."""
    issue, fail = flag(response, "issueTokens"), flag(response, "failAuthentication")
    name = response.get("challengeName")
    if name is not None and (not isinstance(name, str) or name not in CHALLENGES):
        raise InvalidLambdaResponseException(UNRECOGNIZABLE)
    if issue and fail:
        raise InvalidLambdaResponseException(UNRECOGNIZABLE)
    if not issue and not fail and name is None:
        raise InvalidLambdaResponseException(UNRECOGNIZABLE)
    return Decision(None if (issue or fail) else name, issue, fail)


def create_auth_challenge(
    caller: Caller,
    username: str,
    user_attributes: Mapping[str, str],
    challenge_name: str,
    session: Sequence[ChallengeResult],
    *,
    client_metadata: Mapping[str, str] | None = None,
    user_not_found: bool = False,
) -> dict[str, Any]:
    request: dict[str, Any] = {
        "userAttributes": dict(user_attributes),
        "challengeName": challenge_name,
        "session": [s.as_event() for s in session],
        "userNotFound": user_not_found,
    }
    response = {"publicChallengeParameters": None, "privateChallengeParameters": None, "challengeMetadata": None}
    return envelope(
        "CreateAuthChallenge_Authentication", caller, username, with_metadata(request, client_metadata), response
    )


@dataclass(frozen=True)
class Challenge:
    public_parameters: dict[str, str]  # sent to the client as ChallengeParameters
    private_parameters: dict[str, str]  # kept in the session for VerifyAuthChallengeResponse
    metadata: str | None


def read_create_auth_challenge(response: Mapping[str, Any]) -> Challenge:
    public = optional_object(response, "publicChallengeParameters") or {}
    private = optional_object(response, "privateChallengeParameters") or {}
    metadata = optional_text(response, "challengeMetadata")
    return Challenge(
        {str(k): str(v) for k, v in public.items()}, {str(k): str(v) for k, v in private.items()}, metadata
    )


def verify_auth_challenge(
    caller: Caller,
    username: str,
    user_attributes: Mapping[str, str],
    private_challenge_parameters: Mapping[str, str],
    challenge_answer: str,
    *,
    client_metadata: Mapping[str, str] | None = None,
    user_not_found: bool = False,
) -> dict[str, Any]:
    request: dict[str, Any] = {
        "userAttributes": dict(user_attributes),
        "privateChallengeParameters": dict(private_challenge_parameters),
        "challengeAnswer": challenge_answer,
        "userNotFound": user_not_found,
    }
    return envelope(
        "VerifyAuthChallengeResponse_Authentication",
        caller,
        username,
        with_metadata(request, client_metadata),
        {"answerCorrect": None},
    )


def read_verify_auth_challenge(response: Mapping[str, Any]) -> bool:
    return flag(response, "answerCorrect")
