"""GetProvisionedLimit and UpdateProvisionedLimit through boto3. The limits are server-wide, so each
test puts back the default it changed."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.conftest import error_of


def definition(category: str) -> dict[str, Any]:
    return {"LimitClass": "API_CATEGORY", "Attributes": {"Category": category}}


def test_default_limits(cognito: Any) -> None:
    limit = cognito.get_provisioned_limit(LimitDefinition=definition("UserAuthentication"))["Limit"]
    assert limit == {
        "LimitDefinition": definition("UserAuthentication"),
        "ProvisionedLimitValue": 120,
        "FreeLimitValue": 120,
    }
    assert cognito.get_provisioned_limit(LimitDefinition=definition("UserCreation"))["Limit"]["FreeLimitValue"] == 50


def test_raise_a_limit(cognito: Any) -> None:
    try:
        raised = cognito.update_provisioned_limit(LimitDefinition=definition("UserList"), RequestedLimitValue=90)
        assert raised["Limit"]["ProvisionedLimitValue"] == 90 and raised["Limit"]["FreeLimitValue"] == 30
        read = cognito.get_provisioned_limit(LimitDefinition=definition("UserList"))["Limit"]
        assert read["ProvisionedLimitValue"] == 90
    finally:
        cognito.update_provisioned_limit(LimitDefinition=definition("UserList"), RequestedLimitValue=30)
    assert cognito.get_provisioned_limit(LimitDefinition=definition("UserList"))["Limit"]["ProvisionedLimitValue"] == 30


def test_limits_refused(cognito: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        cognito.update_provisioned_limit(LimitDefinition=definition("UserList"), RequestedLimitValue=10)
    assert error_of(excinfo) == (
        "InvalidParameterException",
        "RequestedLimitValue 10 is below the default limit of 30 for UserList.",
    )
    with pytest.raises(ClientError) as excinfo:
        cognito.update_provisioned_limit(LimitDefinition=definition("UserList"), RequestedLimitValue=301)
    assert error_of(excinfo) == (
        "ServiceQuotaExceededException",
        "RequestedLimitValue 301 exceeds the account maximum of 300 for UserList.",
    )
    with pytest.raises(ClientError) as excinfo:
        cognito.get_provisioned_limit(LimitDefinition=definition("Teleportation"))
    code, message = error_of(excinfo)
    assert code == "InvalidParameterException" and message.startswith("Invalid Category 'Teleportation'")
    assert cognito.get_provisioned_limit(LimitDefinition=definition("UserList"))["Limit"]["ProvisionedLimitValue"] == 30
