"""PUT /_userpools/uploads/<job-id>?X-Amz-...: a user import job's CSV file, taken as S3 takes a PUT to a
presigned URL (``curl -T users.csv -H "x-amz-server-side-encryption:aws:kms" "$PreSignedUrl"``).

The URL is the credential: its X-Amz-Signature is an HMAC (operations/user_import.py) over the job, the
date and the lifetime, so this route needs no SigV4 of the management routes. Answers are S3's: 200 with an
ETag, or an XML error (403 for a bad or expired signature or a missing signed header).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from userpools.operations import user_import
from userpools.steps.context import Context

CHUNK = 1 << 20


def _error(status: int, code: str, message: str) -> Response:
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>'
    return Response(body, status_code=status, media_type="application/xml")


def _store(context: Context, job_id: str, chunks: list[bytes]) -> str | None:
    """Keep the file for a job still Created; None when it is not (or gone)."""
    with context.store.transaction() as tx:
        job = tx.import_jobs.get(job_id)
        if job is None or job.status != "Created":
            return None
        tx.import_jobs.put_file(job_id, chunks)
        tx.import_jobs.change(job_id, ["Created"], uploaded=sum(len(c) for c in chunks))
    return job.status


def routes(context: Context) -> list[Route]:
    async def upload(request: Request) -> Response:
        job_id = request.path_params["job_id"]
        q = request.query_params
        date, expires, given = q.get("X-Amz-Date", ""), q.get("X-Amz-Expires", ""), q.get("X-Amz-Signature", "")
        if not (date and expires.isdigit() and given):
            return _error(403, "AccessDenied", "Query-string authentication requires the X-Amz parameters.")
        key = await run_in_threadpool(user_import.upload_key, context)
        wanted = user_import.signature(key, job_id, date, int(expires))
        if not hmac.compare_digest(wanted.encode(), given.encode()):
            return _error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match.")
        try:
            signed = datetime.strptime(date, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        except ValueError:
            return _error(403, "AccessDenied", "X-Amz-Date is not a date.")
        if context.clock.now() > signed + timedelta(seconds=int(expires)):
            return _error(403, "AccessDenied", "Request has expired")
        if request.headers.get("x-amz-server-side-encryption") != "aws:kms":
            return _error(
                403, "SignatureDoesNotMatch", "x-amz-server-side-encryption: aws:kms is a signed header of this URL."
            )
        chunks: list[bytes] = []
        pending = bytearray()
        digest = hashlib.md5(usedforsecurity=False)
        async for piece in request.stream():
            pending += piece
            digest.update(piece)
            while len(pending) >= CHUNK:
                chunks.append(bytes(pending[:CHUNK]))
                del pending[:CHUNK]
        if pending:
            chunks.append(bytes(pending))
        if await run_in_threadpool(_store, context, job_id, chunks) is None:
            return _error(403, "AccessDenied", "The import job no longer takes a file.")
        return Response(b"", status_code=200, headers={"ETag": f'"{digest.hexdigest()}"'})

    return [Route(user_import.UPLOAD_PATH + "{job_id}", upload, methods=["PUT"])]
