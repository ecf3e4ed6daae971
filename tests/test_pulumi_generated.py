"""The Pulumi resources' properties are generated from the Cloud Control schemas: the checked-in files are fresh."""

from __future__ import annotations

import subprocess
import sys

import pytest

from userpools.pulumi import UserPool, UserPoolClient, generate, properties


def test_generated_files_are_fresh() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "userpools.pulumi.generate", "--check"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_properties_follow_the_schemas_and_the_create_operations() -> None:
    assert properties.USER_POOL_FIELDS["userPoolName"] == "PoolName"  # the schema's name for CreateUserPool's
    assert properties.USER_POOL_CLIENT_FIELDS["callbackUrls"] == "CallbackURLs"  # aws-native's spelling
    assert "enabledMfas" not in properties.USER_POOL_FIELDS  # a schema property CreateUserPool does not take
    assert properties.USER_POOL_OUTPUTS == ("providerName", "providerUrl", "arn", "userPoolId")
    assert UserPool._outputs is properties.USER_POOL_OUTPUTS
    assert set(UserPoolClient._args.names()) >= {"callback_urls", "default_redirect_uri", "refresh_token_rotation"}


def test_check_reports_a_stale_file(monkeypatch: pytest.MonkeyPatch) -> None:
    rendered = generate.rendered()
    path = next(iter(rendered))
    monkeypatch.setattr(generate, "rendered", lambda: {**rendered, path: rendered[path] + "# edited\n"})
    assert generate.main(["--check"]) == 1
