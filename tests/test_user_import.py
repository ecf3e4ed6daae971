"""User import jobs through boto3, the CSV uploaded with ``requests`` to the PreSignedUrl exactly as AWS's
documentation shows (``curl -T users.csv -H "x-amz-server-side-encryption:aws:kms" "$URL"``)."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable
from typing import Any

import pytest
import requests
from botocore.exceptions import ClientError

from tests.conftest import client_for, error_of
from tests.support import Server

ROLE = "arn:aws:iam::111111111111:role/CognitoImportRole"
SSE = {"x-amz-server-side-encryption": "aws:kms"}


def code(call: Any, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        call(**params)
    return error_of(excinfo)


def csv_of(header: list[str], rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: row.get(name, "") for name in header})
    return out.getvalue().encode()


def job_of(cognito: Any, pool: str) -> dict[str, Any]:
    return dict(
        cognito.create_user_import_job(JobName="import-test", UserPoolId=pool, CloudWatchLogsRoleArn=ROLE)[
            "UserImportJob"
        ]
    )


def upload(url: str, body: bytes) -> requests.Response:
    return requests.put(url, data=body, headers=SSE, timeout=120)


def wait_done(cognito: Any, pool: str, job_id: str, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = cognito.describe_user_import_job(UserPoolId=pool, JobId=job_id)["UserImportJob"]
        if job["Status"] in ("Succeeded", "Failed", "Stopped"):
            return dict(job)
        time.sleep(0.1)
    raise AssertionError(f"import job {job_id} still {job['Status']}")


def test_import_through_the_presigned_url(server: Server, cognito: Any, pool: str) -> None:
    header = cognito.get_csv_header(UserPoolId=pool)["CSVHeader"]
    assert header[-2:] == ["cognito:mfa_enabled", "cognito:username"] and "sub" not in header
    job = job_of(cognito, pool)
    assert job["Status"] == "Created" and job["JobId"].startswith("import-")
    assert job["PreSignedUrl"].startswith(f"{server.url}/_userpools/uploads/{job['JobId']}?X-Amz-")
    rows = [
        {
            "cognito:username": "ann",
            "email": "ann@example.com",
            "email_verified": "true",
            "cognito:mfa_enabled": "false",
        },
        {
            "cognito:username": "bob",
            "phone_number": "+15555550100",
            "phone_number_verified": "TRUE",
            "cognito:mfa_enabled": "true",
        },
        {
            "cognito:username": "cid",
            "email": "cid@example.com",
            "email_verified": "false",
            "cognito:mfa_enabled": "false",
        },
        {
            "cognito:username": "dee",
            "email": "dee@example.com",
            "email_verified": "true",
            "cognito:mfa_enabled": "maybe",
        },
        {
            "cognito:username": "ann",
            "email": "ann2@example.com",
            "email_verified": "true",
            "cognito:mfa_enabled": "false",
        },
    ]
    body = csv_of(header, rows) + b"\n"  # a trailing empty line
    put = upload(job["PreSignedUrl"], body)
    assert put.status_code == 200 and put.headers["ETag"].startswith('"')
    started = cognito.start_user_import_job(UserPoolId=pool, JobId=job["JobId"])["UserImportJob"]
    assert started["Status"] in ("Pending", "InProgress") and "StartDate" in started
    done = wait_done(cognito, pool, job["JobId"])
    assert done["Status"] == "Succeeded", done
    assert (done["ImportedUsers"], done["FailedUsers"], done["SkippedUsers"]) == (2, 3, 1)  # the empty line is skipped
    assert done["CompletionMessage"] == "Import Job Completed Successfully" and "CompletionDate" in done
    ann = cognito.admin_get_user(UserPoolId=pool, Username="ann")
    assert ann["UserStatus"] == "RESET_REQUIRED"
    assert {a["Name"]: a["Value"] for a in ann["UserAttributes"]}["email_verified"] == "true"
    bob = cognito.admin_get_user(UserPoolId=pool, Username="bob")
    assert bob["UserMFASettingList"] == ["SMS_MFA"]
    assert {a["Name"]: a["Value"] for a in bob["UserAttributes"]}["phone_number_verified"] == "true"
    for missing in ("cid", "dee"):
        assert code(cognito.admin_get_user, UserPoolId=pool, Username=missing)[0] == "UserNotFoundException"
    client_id = cognito.create_user_pool_client(
        UserPoolId=pool, ClientName="app", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
    )["UserPoolClient"]["ClientId"]
    assert code(
        cognito.initiate_auth,
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ann", "PASSWORD": "Whatever-1"},
    ) == ("PasswordResetRequiredException", "Password reset required for the user")
    # Done: the job takes no file and no start any more.
    assert upload(job["PreSignedUrl"], body).status_code == 403
    assert code(cognito.start_user_import_job, UserPoolId=pool, JobId=job["JobId"])[0] == "PreconditionNotMetException"


def test_the_upload_url_is_the_credential(
    server: Server, cognito: Any, pool: str, move_clock: Callable[[float], None]
) -> None:
    job = job_of(cognito, pool)
    url = job["PreSignedUrl"]
    assert requests.put(url, data=b"x", timeout=30).status_code == 403  # the signed SSE header is missing
    assert (
        requests.put(
            url.replace("X-Amz-Signature=", "X-Amz-Signature=0"), data=b"x", headers=SSE, timeout=30
        ).status_code
        == 403
    )
    assert requests.put(url.split("?")[0], data=b"x", headers=SSE, timeout=30).status_code == 403
    other = job_of(cognito, pool)
    assert (
        requests.put(url.replace(job["JobId"], other["JobId"]), data=b"x", headers=SSE, timeout=30).status_code == 403
    )
    move_clock(16 * 60)
    expired = requests.put(url, data=b"x", headers=SSE, timeout=30)
    assert expired.status_code == 403 and "<Code>AccessDenied</Code>" in expired.text


def test_statuses_errors_and_listing(
    server: Server, cognito: Any, make_pool: Any, move_clock: Callable[[float], None]
) -> None:
    pool = make_pool()
    missing = "import-doesnotexist"
    assert code(cognito.describe_user_import_job, UserPoolId=pool, JobId=missing) == (
        "ResourceNotFoundException",
        f"Import job {missing} does not exist.",
    )
    assert (
        code(
            cognito.create_user_import_job, JobName="j", UserPoolId="us-east-1_NoSuchPool", CloudWatchLogsRoleArn=ROLE
        )[0]
        == "ResourceNotFoundException"
    )
    created = job_of(cognito, pool)
    assert code(cognito.stop_user_import_job, UserPoolId=pool, JobId=created["JobId"]) == (
        "PreconditionNotMetException",
        f"Import job {created['JobId']} cannot be stopped: it is Created.",
    )
    jobs = [created["JobId"]] + [job_of(cognito, pool)["JobId"] for _ in range(2)]
    seen: list[str] = []
    token = None
    while True:
        page = cognito.list_user_import_jobs(
            UserPoolId=pool, MaxResults=2, **({"PaginationToken": token} if token else {})
        )
        seen += [j["JobId"] for j in page["UserImportJobs"]]
        token = page.get("PaginationToken")
        if not token:
            break
    assert seen == jobs
    assert (
        code(cognito.list_user_import_jobs, UserPoolId=pool, MaxResults=2, PaginationToken="forged")[0]
        == "InvalidParameterException"
    )
    # A job started with no file fails; a bad header fails; stopping a pending job stops it.
    cognito.start_user_import_job(UserPoolId=pool, JobId=jobs[0])
    failed = wait_done(cognito, pool, jobs[0])
    assert (
        failed["Status"] == "Failed" and failed["CompletionMessage"] == "No CSV file was uploaded for this import job."
    )
    bad = job_of(cognito, pool)
    upload(bad["PreSignedUrl"], b"cognito:username,shoe_size\nann,42\n")
    cognito.start_user_import_job(UserPoolId=pool, JobId=bad["JobId"])
    failed = wait_done(cognito, pool, bad["JobId"])
    assert failed["Status"] == "Failed" and "shoe_size" in failed["CompletionMessage"]
    move_clock(25 * 3600)
    assert cognito.describe_user_import_job(UserPoolId=pool, JobId=jobs[1])["UserImportJob"]["Status"] == "Expired"
    assert code(cognito.start_user_import_job, UserPoolId=pool, JobId=jobs[1]) == (
        "PreconditionNotMetException",
        f"Import job {jobs[1]} cannot be started: it is Expired.",
    )


def big_csv(cognito: Any, pool: str, count: int) -> bytes:
    header = cognito.get_csv_header(UserPoolId=pool)["CSVHeader"]
    at = {name: i for i, name in enumerate(header)}
    lines = [",".join(header)]
    for i in range(count):
        row = [""] * len(header)
        row[at["cognito:username"]] = f"user{i:07d}"
        row[at["email"]] = f"user{i:07d}@example.com"
        row[at["email_verified"]] = "true"
        row[at["cognito:mfa_enabled"]] = "false"
        lines.append(",".join(row))
    return ("\n".join(lines) + "\n").encode()


def test_a_restart_in_the_middle_of_an_import(database_url_for: Callable[[str], str]) -> None:
    live = Server(database_url_for("sqlite"))
    try:
        cognito = client_for(live.url)
        pool = cognito.create_user_pool(PoolName="restart")["UserPool"]["Id"]
        count = 100_000
        job = job_of(cognito, pool)
        assert upload(job["PreSignedUrl"], big_csv(cognito, pool, count)).status_code == 200
        cognito.start_user_import_job(UserPoolId=pool, JobId=job["JobId"])
        deadline = time.monotonic() + 60
        while True:
            state = cognito.describe_user_import_job(UserPoolId=pool, JobId=job["JobId"])["UserImportJob"]
            if state["ImportedUsers"] > 0 or time.monotonic() > deadline:
                break
            time.sleep(0.02)
        assert state["Status"] == "InProgress" and 0 < state["ImportedUsers"] < count, state
        live.stop()
        live = Server(live.database_url)  # the same database: the job's lease runs out, and it goes on
        cognito = client_for(live.url)
        done = wait_done(cognito, pool, job["JobId"], timeout=120)
        assert done["Status"] == "Succeeded" and done["ImportedUsers"] == count and done["FailedUsers"] == 0, done
        assert cognito.describe_user_pool(UserPoolId=pool)["UserPool"]["EstimatedNumberOfUsers"] == count
    finally:
        live.stop()


def test_two_instances_on_one_postgresql_take_the_job_once(database_url_for: Callable[[str], str]) -> None:
    """Both instances' workers poll the same database: the lease gives the job to one, and every user is
    imported exactly once (a second taker would find every username taken and fail the rows)."""
    url = database_url_for("postgresql")
    first = Server(url)
    second = Server(url)
    try:
        cognito = client_for(first.url)
        pool = cognito.create_user_pool(PoolName="two-instances")["UserPool"]["Id"]
        count = 20_000
        job = job_of(cognito, pool)
        assert upload(job["PreSignedUrl"], big_csv(cognito, pool, count)).status_code == 200
        client_for(second.url).start_user_import_job(UserPoolId=pool, JobId=job["JobId"])
        done = wait_done(cognito, pool, job["JobId"], timeout=120)
        assert (done["Status"], done["ImportedUsers"], done["FailedUsers"]) == ("Succeeded", count, 0), done
        assert cognito.describe_user_pool(UserPoolId=pool)["UserPool"]["EstimatedNumberOfUsers"] == count
    finally:
        first.stop()
        second.stop()


def test_stopping_a_running_job(server: Server, cognito: Any, pool: str) -> None:
    count = 60_000
    job = job_of(cognito, pool)
    assert upload(job["PreSignedUrl"], big_csv(cognito, pool, count)).status_code == 200
    cognito.start_user_import_job(UserPoolId=pool, JobId=job["JobId"])
    deadline = time.monotonic() + 60
    while True:
        state = cognito.describe_user_import_job(UserPoolId=pool, JobId=job["JobId"])["UserImportJob"]
        if state["Status"] == "InProgress" or time.monotonic() > deadline:
            break
        time.sleep(0.01)
    stopping = cognito.stop_user_import_job(UserPoolId=pool, JobId=job["JobId"])["UserImportJob"]
    assert stopping["Status"] == "Stopping"
    done = wait_done(cognito, pool, job["JobId"])
    assert done["Status"] == "Stopped" and done["ImportedUsers"] < count, done
    assert done["CompletionMessage"] == "Import job stopped by request."
    assert code(cognito.start_user_import_job, UserPoolId=pool, JobId=job["JobId"])[0] == "PreconditionNotMetException"
