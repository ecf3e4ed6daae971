"""Threat protection rules: risk configurations checked as Cognito checks them, the compromised-credentials
list shipped with the package, and the deterministic account-takeover rules (README "Auth events and risk").

Account-takeover risk of a sign-in, from its context (IP address and device, i.e. user agent) and the user's
earlier successful sign-ins, first rule that applies:
- the IP is in RiskExceptionConfiguration.BlockedIPRangeList: decision Block, level High (always refused);
- the IP is in SkippedIPRangeList, or the user has no earlier successful sign-in: NoRisk;
- neither the IP nor the device was seen in an earlier successful sign-in: High;
- the IP is new (device known): Medium;
- the device is new (IP known): Low;
- both known: NoRisk.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from userpools.domain.errors import InvalidParameterException

LEVELS = ("Low", "Medium", "High")
MFA_ACTIONS = ("MFA_IF_CONFIGURED", "MFA_REQUIRED")
# Where a sign-in's request carries an MFA action its risk asked for, to the step that decides on MFA.
ACTION_KEY = "risk_mfa_action"
BLOCKED = "Unable to login because of security reasons."
_ACTION = {"Low": "LowAction", "Medium": "MediumAction", "High": "HighAction"}


@cache
def breached() -> frozenset[str]:
    text = resources.files("userpools.domain").joinpath("breached_passwords.txt").read_text()
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def compromised(password: str | None) -> bool:
    return password is not None and password.strip() in breached()


def _networks(ranges: list[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    out = []
    for text in ranges:
        try:
            out.append(ipaddress.ip_network(text, strict=False))
        except ValueError:
            raise InvalidParameterException(f"{text} is not a valid IP range in CIDR notation.") from None
    return out


def check(config: dict[str, Any]) -> dict[str, Any]:
    """A SetRiskConfiguration's settings, checked; what DescribeRiskConfiguration then shows."""
    out: dict[str, Any] = {}
    exceptions = config.get("RiskExceptionConfiguration")
    if exceptions is not None:
        for key in ("BlockedIPRangeList", "SkippedIPRangeList"):
            _networks(list(exceptions.get(key) or []))
        out["RiskExceptionConfiguration"] = exceptions
    takeover = config.get("AccountTakeoverRiskConfiguration")
    if takeover is not None:
        actions = takeover.get("Actions") or {}
        if not actions:
            raise InvalidParameterException("AccountTakeoverRiskConfiguration needs at least one action.")
        if any((a or {}).get("Notify") for a in actions.values()) and not takeover.get("NotifyConfiguration"):
            raise InvalidParameterException("NotifyConfiguration is required when an action notifies the user.")
        out["AccountTakeoverRiskConfiguration"] = takeover
    credentials = config.get("CompromisedCredentialsRiskConfiguration")
    if credentials is not None:
        filters = list(credentials.get("EventFilter") or [])
        if len(set(filters)) != len(filters):
            raise InvalidParameterException("EventFilter names an event more than once.")
        out["CompromisedCredentialsRiskConfiguration"] = credentials
    return out


def in_ranges(ip: str | None, ranges: list[str]) -> bool:
    if not ip or not ranges:
        return False
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    return any(address in network for network in _networks(ranges) if network.version == address.version)


@dataclass(frozen=True)
class Risk:
    decision: str  # NoRisk | AccountTakeover | Block
    level: str | None  # Low | Medium | High
    action: str = "NO_ACTION"  # the configured EventAction for the level
    notify: bool = False


def assess(config: dict[str, Any], ip: str | None, device: str, history: list[tuple[str | None, str | None]]) -> Risk:
    """The sign-in's risk by the rules of this module's docstring; ``history``: (ip, device) of the user's
    earlier successful sign-ins."""
    exceptions = config.get("RiskExceptionConfiguration") or {}
    if in_ranges(ip, list(exceptions.get("BlockedIPRangeList") or [])):
        return Risk("Block", "High", "BLOCK")
    if in_ranges(ip, list(exceptions.get("SkippedIPRangeList") or [])) or not history:
        return Risk("NoRisk", None)
    known_ip = any(h_ip == ip for h_ip, _ in history)
    known_device = any(h_device == device for _, h_device in history)
    if known_ip and known_device:
        return Risk("NoRisk", None)
    level = "Low" if known_ip else "Medium" if known_device else "High"
    actions = (config.get("AccountTakeoverRiskConfiguration") or {}).get("Actions") or {}
    chosen = actions.get(_ACTION[level]) or {}
    return Risk("AccountTakeover", level, str(chosen.get("EventAction") or "NO_ACTION"), bool(chosen.get("Notify")))


def compromised_action(config: dict[str, Any], event_filter: str) -> str:
    """BLOCK or NO_ACTION for a compromised password at ``event_filter`` (SIGN_IN, SIGN_UP, PASSWORD_CHANGE);
    with no EventFilter every event is checked."""
    settings = config.get("CompromisedCredentialsRiskConfiguration")
    if not settings:
        return "NO_ACTION"
    filters = settings.get("EventFilter") or ["SIGN_IN", "SIGN_UP", "PASSWORD_CHANGE"]
    if event_filter not in filters:
        return "NO_ACTION"
    return str((settings.get("Actions") or {}).get("EventAction") or "NO_ACTION")
