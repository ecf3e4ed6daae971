"""bench/moto_preloaded.py: users put into moto's backend in its own process behave as AdminCreateUser's over HTTP.

``make bench`` runs it before benchmarking, once it has installed moto (bench/.moto-venv); ``make test`` never
installs moto, so this file lives here, outside the test suite's paths.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import bulkload, loadgen, run

SAME = ("UserStatus", "Enabled", "MFAOptions", "PreferredMfaSetting", "UserMFASettingList")


@pytest.mark.parametrize("via_app", [False, True], ids=["backend", "app"])
def test_preloaded_users_are_moto_users(tmp_path: Path, via_app: bool) -> None:
    target = run.start_moto_preloaded(str(tmp_path), 300, via_app=via_app)
    try:
        assert (target.info["users"], target.info["via"]) == (300, "app" if via_app else "backend")
        pool = target.info["pool_id"]
        api = run.Api(target.host, target.ports[0])
        scene = run.Scene(target, pool, 300, loadgen.Signer(target.host, target.ports[0]))
        run.check_loaded(scene, api)
        api.must(
            "AdminCreateUser",
            {
                "UserPoolId": pool,
                "Username": "overhttp",
                "MessageAction": "SUPPRESS",
                "UserAttributes": [
                    {"Name": "email", "Value": "overhttp@example.com"},
                    {"Name": "email_verified", "Value": "true"},
                ],
            },
        )
        loaded = api.must("AdminGetUser", {"UserPoolId": pool, "Username": bulkload.username(123)})
        created = api.must("AdminGetUser", {"UserPoolId": pool, "Username": "overhttp"})
        assert list(loaded) == list(created)
        assert {k: loaded[k] for k in SAME} == {k: created[k] for k in SAME}
        assert [a["Name"] for a in loaded["UserAttributes"]] == ["email", "email_verified", "sub"]
        assert [a["Name"] for a in created["UserAttributes"]] == ["email", "email_verified", "sub"]

        def listed(flt: str) -> list[str]:
            found = api.must("ListUsers", {"UserPoolId": pool, "Filter": flt, "Limit": 60})
            return [u["Username"] for u in found["Users"]]

        assert listed(f'email = "{bulkload.email(123)}"') == [bulkload.username(123)]
        assert listed(f'email ^= "{bulkload.username(123)[:-1]}"') == [bulkload.username(i) for i in range(120, 130)]
        status, answer = api.call("AdminCreateUser", {"UserPoolId": pool, "Username": bulkload.username(7)})
        assert (status, answer["__type"]) == (400, "UsernameExistsException")
        notes: list[str] = []
        run.prepare_sign_in(scene, api, 2, notes)
        assert scene.client_id and len(scene.refresh_tokens) == 2, notes
    finally:
        target.stop()
