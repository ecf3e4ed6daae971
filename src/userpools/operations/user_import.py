"""User import: GetCSVHeader, CreateUserImportJob, StartUserImportJob, StopUserImportJob,
DescribeUserImportJob, ListUserImportJobs.

A job is Created with a PreSignedUrl on this server (web/uploads.py takes the CSV as S3 would); Start makes it
Pending; a worker of any instance leases it (steps/import_runner.py) and imports it InProgress, batch by
batch, to Succeeded (or Failed, for a file it cannot read). Stop makes a Pending job Stopped and a running one
Stopping, which its worker ends as Stopped. A job not started within 24 hours is Expired.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from userpools.domain.errors import PreconditionNotMetException, ResourceNotFoundException
from userpools.domain.user_import import csv_header
from userpools.operations.registry import operation
from userpools.steps import pagination
from userpools.steps.common import load_pool
from userpools.steps.context import Context
from userpools.storage.unit import Tx
from userpools.storage.user_import import ImportJobRecord

URL_LIFETIME = timedelta(minutes=15)  # an S3 presigned URL's, as Cognito hands it out
EXPIRES_AFTER = timedelta(hours=24)
UPLOAD_PATH = "/_userpools/uploads/"
_KEY_NAME = "upload-url-key"
_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def upload_key(ctx: Context) -> bytes:
    with ctx.store.transaction() as tx:
        return tx.keys.server_secret(_KEY_NAME, lambda: secrets.token_urlsafe(32), ctx.clock.now()).encode()


def signature(key: bytes, job_id: str, date: str, expires: int) -> str:
    return hmac.new(key, f"{job_id}\n{date}\n{expires}".encode(), hashlib.sha256).hexdigest()


def presigned_url(ctx: Context, job: ImportJobRecord, now: datetime) -> str:
    """An S3-style presigned PUT URL for the job's file: its HMAC (under a key of this server's database)
    covers the job, the time and the lifetime, so the URL is the credential."""
    date = now.strftime("%Y%m%dT%H%M%SZ")
    expires = int(URL_LIFETIME.total_seconds())
    credential = quote(f"userpools/{now:%Y%m%d}/{ctx.region}/s3/aws4_request", safe="")
    query = (
        f"X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={credential}&X-Amz-Date={date}"
        f"&X-Amz-Expires={expires}&X-Amz-SignedHeaders=host%3Bx-amz-server-side-encryption"
        f"&X-Amz-Signature={signature(upload_key(ctx), job.id, date, expires)}"
    )
    return f"{ctx.settings.base_url}{UPLOAD_PATH}{job.id}?{query}"


def _expire(ctx: Context, tx: Tx, job: ImportJobRecord) -> ImportJobRecord:
    if job.status == "Created" and ctx.clock.now() > job.created + EXPIRES_AFTER:
        job.status = "Expired"
        if tx.write:
            tx.import_jobs.change(job.id, ["Created"], status="Expired")
            tx.import_jobs.drop_file(job.id)
    return job


def describe(job: ImportJobRecord, url: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "JobName": job.name,
        "JobId": job.id,
        "UserPoolId": job.pool_id,
        "CreationDate": job.created,
        "Status": job.status,
        "CloudWatchLogsRoleArn": job.role_arn,
        "ImportedUsers": job.imported,
        "SkippedUsers": job.skipped,
        "FailedUsers": job.failed,
    }
    if url is not None:
        out["PreSignedUrl"] = url
    for key, value in (
        ("StartDate", job.started),
        ("CompletionDate", job.completed),
        ("CompletionMessage", job.message),
        ("PasswordHashingAlgorithm", job.hashing),
    ):
        if value is not None:
            out[key] = value
    return out


def _load(ctx: Context, tx: Tx, pool_id: str, job_id: str) -> ImportJobRecord:
    load_pool(tx, pool_id)
    job = tx.import_jobs.get(job_id)
    if job is None or job.pool_id != pool_id:
        raise ResourceNotFoundException(f"Import job {job_id} does not exist.")
    return _expire(ctx, tx, job)


@operation("GetCSVHeader")
def get_csv_header(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction(write=False) as tx:
        pool = load_pool(tx, params["UserPoolId"])
    return {"UserPoolId": pool.id, "CSVHeader": csv_header(pool.schema)}


@operation("CreateUserImportJob")
def create_user_import_job(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    now = ctx.clock.now()
    job = ImportJobRecord(
        id="import-" + "".join(secrets.choice(_ALPHABET) for _ in range(10)),
        pool_id=params["UserPoolId"],
        name=params["JobName"],
        role_arn=params["CloudWatchLogsRoleArn"],
        hashing=params.get("PasswordHashingAlgorithm"),
        status="Created",
        created=now,
    )
    with ctx.store.transaction() as tx:
        load_pool(tx, job.pool_id)
        tx.import_jobs.insert(job)
    return {"UserImportJob": describe(job, presigned_url(ctx, job, now))}


@operation("StartUserImportJob")
def start_user_import_job(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        job = _load(ctx, tx, params["UserPoolId"], params["JobId"])
        if job.status != "Created":
            raise PreconditionNotMetException(f"Import job {job.id} cannot be started: it is {job.status}.")
        job.status, job.started = "Pending", ctx.clock.now()
        tx.import_jobs.change(job.id, ["Created"], status=job.status, started=job.started)
    return {"UserImportJob": describe(job)}


@operation("StopUserImportJob")
def stop_user_import_job(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        job = _load(ctx, tx, params["UserPoolId"], params["JobId"])
        if job.status == "Pending":
            job.status, job.completed, job.message = "Stopped", ctx.clock.now(), "Import job stopped by request."
            tx.import_jobs.change(job.id, ["Pending"], status=job.status, completed=job.completed, message=job.message)
        elif job.status == "InProgress":
            job.status = "Stopping"
            tx.import_jobs.change(job.id, ["InProgress"], status="Stopping")
        else:
            raise PreconditionNotMetException(f"Import job {job.id} cannot be stopped: it is {job.status}.")
    return {"UserImportJob": describe(job)}


@operation("DescribeUserImportJob")
def describe_user_import_job(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    with ctx.store.transaction() as tx:
        job = _load(ctx, tx, params["UserPoolId"], params["JobId"])
    return {"UserImportJob": describe(job)}


@operation("ListUserImportJobs")
def list_user_import_jobs(ctx: Context, params: dict[str, Any]) -> dict[str, Any]:
    page = pagination.request(ctx, params.get("PaginationToken"), int(params["MaxResults"]))
    after = pagination.moment_cursor(page.after)
    with ctx.store.transaction() as tx:
        load_pool(tx, params["UserPoolId"])
        jobs = [_expire(ctx, tx, j) for j in tx.import_jobs.page(params["UserPoolId"], after, page.fetch)]
    shown, following = pagination.split(ctx, page, jobs, lambda j: pagination.moment_of(j.created, j.id))
    result: dict[str, Any] = {"UserImportJobs": [describe(j) for j in shown]}
    if following:
        result["PaginationToken"] = following
    return result
