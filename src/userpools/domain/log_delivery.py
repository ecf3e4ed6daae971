"""A pool's log delivery configuration (SetLogDeliveryConfiguration) as Cognito checks it, and the
records its exported logs hold."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from userpools.domain.errors import FeatureUnavailableInTierException, InvalidParameterException

DESTINATIONS = ("CloudWatchLogsConfiguration", "S3Configuration", "FirehoseConfiguration")
_ARN = {
    "CloudWatchLogsConfiguration": "LogGroupArn",
    "S3Configuration": "BucketArn",
    "FirehoseConfiguration": "StreamArn",
}
# Each event source: its one log level, the destinations it may use, and what its records are called.
RULES = {
    "userNotification": ("ERROR", ("CloudWatchLogsConfiguration",), "USER_NOTIFICATION"),
    "userAuthEvents": ("INFO", DESTINATIONS, "USER_AUTH_EVENTS"),
}


def check(configurations: list[dict[str, Any]], tier: str) -> list[dict[str, Any]]:
    """The configurations to store, or Cognito's refusal: userNotification logs are ERROR-level and go to
    CloudWatch Logs; userAuthEvents logs are INFO-level, go to any one destination, and need the Plus plan."""
    seen: set[str] = set()
    for configuration in configurations:
        source, level = configuration["EventSource"], configuration["LogLevel"]
        wanted_level, allowed, _ = RULES[source]
        if source in seen:
            raise InvalidParameterException(f"Only one log configuration can be set for event source {source}.")
        seen.add(source)
        given = [d for d in DESTINATIONS if configuration.get(d)]
        if len(given) != 1:
            raise InvalidParameterException("Exactly one log destination must be set in each log configuration.")
        if level != wanted_level:
            raise InvalidParameterException(f"Log level {level} is not supported for event source {source}.")
        if given[0] not in allowed:
            raise InvalidParameterException(f"{given[0]} is not supported for event source {source}.")
        if source == "userAuthEvents" and tier != "PLUS":
            raise FeatureUnavailableInTierException(
                "Exporting userAuthEvents logs requires a user pool on the Plus feature plan."
            )
    return configurations


def destination(configuration: dict[str, Any]) -> str:
    """The ARN a configuration sends its logs to."""
    for key in DESTINATIONS:
        if configuration.get(key):
            return str(configuration[key][_ARN[key]])
    return ""


def record(configuration: dict[str, Any], pool_id: str, now: datetime, message: Any) -> dict[str, Any]:
    """One exported log record, in the shape of Cognito's (eventTimestamp in epoch milliseconds)."""
    return {
        "eventTimestamp": str(int(now.timestamp() * 1000)),
        "eventSource": RULES[configuration["EventSource"]][2],
        "logSourceId": {"userPoolId": pool_id},
        "logLevel": configuration["LogLevel"],
        "eventId": str(uuid.uuid4()),
        "message": message,
        "destination": destination(configuration),
    }
