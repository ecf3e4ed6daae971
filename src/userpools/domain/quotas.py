"""Cognito's request-rate quotas by API category: the free (default) rate of each, in requests per second,
and the range UpdateProvisionedLimit accepts."""

from __future__ import annotations

from typing import Any

from userpools.domain.errors import InvalidParameterException, ServiceQuotaExceededException

# Default rates from Cognito's quotas page (the category operation quotas).
FREE_LIMITS = {
    "UserCreation": 50,
    "UserFederation": 25,
    "UserAuthentication": 120,
    "UserAccountRecovery": 30,
    "UserRead": 120,
    "UserUpdate": 25,
    "UserList": 30,
    "ClientAuthentication": 150,
}
# The account-level maximum Service Quotas would allow, as a multiple of the free rate (a choice).
MAX_FACTOR = 10


def category(definition: dict[str, Any]) -> str:
    """The API category a LimitDefinition names (LimitClass API_CATEGORY, Attributes {"Category": ...})."""
    name = str((definition.get("Attributes") or {}).get("Category", ""))
    if name not in FREE_LIMITS:
        known = ", ".join(sorted(FREE_LIMITS))
        raise InvalidParameterException(f"Invalid Category {name!r} in LimitDefinition Attributes; one of: {known}.")
    return name


def checked(name: str, requested: int) -> int:
    free = FREE_LIMITS[name]
    if requested < free:
        raise InvalidParameterException(
            f"RequestedLimitValue {requested} is below the default limit of {free} for {name}."
        )
    if requested > free * MAX_FACTOR:
        raise ServiceQuotaExceededException(
            f"RequestedLimitValue {requested} exceeds the account maximum of {free * MAX_FACTOR} for {name}."
        )
    return requested


def limit(name: str, provisioned: int | None) -> dict[str, Any]:
    """LimitType."""
    return {
        "LimitDefinition": {"LimitClass": "API_CATEGORY", "Attributes": {"Category": name}},
        "ProvisionedLimitValue": provisioned if provisioned is not None else FREE_LIMITS[name],
        "FreeLimitValue": FREE_LIMITS[name],
    }
