"""STS GetCallerIdentity (AWS query protocol) on the same port, through boto3."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from tests.conftest import client_for, error_of
from tests.support import Server


def test_get_caller_identity(server: Server) -> None:
    sts = client_for(server.url, "sts")
    identity = sts.get_caller_identity()
    assert identity["Account"] == "000000000000"
    assert identity["UserId"] == "AKIDEXAMPLE"
    assert identity["Arn"] == "arn:aws:iam::000000000000:user/userpools"


def test_other_actions_are_refused(server: Server) -> None:
    sts = client_for(server.url, "sts")
    with pytest.raises(ClientError) as excinfo:
        sts.get_session_token()
    assert error_of(excinfo)[0] == "InvalidAction"
