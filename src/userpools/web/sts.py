"""Just enough STS (AWS query protocol) for tools that ask who they are before they start:
``GetCallerIdentity``. Pulumi's aws-native provider does, so it can run against userpools with
``aws-native:endpoints: [{sts: URL, cloudcontrol: URL}]``."""

from __future__ import annotations

import re
import uuid
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

from starlette.requests import Request
from starlette.responses import Response

from userpools.errors import ServiceError
from userpools.protocol import sigv4
from userpools.steps.context import Context

_NS = "https://sts.amazonaws.com/doc/2011-06-15/"
# STS (query protocol) names the signature errors of the JSON services differently.
_STS_CODES = {
    "MissingAuthenticationTokenException": "MissingAuthenticationToken",
    "InvalidSignatureException": "SignatureDoesNotMatch",
    "UnrecognizedClientException": "InvalidClientTokenId",
    "IncompleteSignatureException": "IncompleteSignature",
}
_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/")
_QUERY_CREDENTIAL = re.compile(r"([^/,\s]+)/")


def is_query_request(request: Request) -> bool:
    """A form-encoded POST, or a request whose query string names an Action (a presigned GetCallerIdentity,
    botocore's ``generate_presigned_url("get_caller_identity")``, as EKS-style tokens carry it)."""
    form = request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded")
    return form or "Action" in request.query_params


def _xml(body: str, status: int = 200) -> Response:
    return Response(body, status_code=status, media_type="text/xml")


def _error(code: str, message: str, request_id: str, status: int = 400) -> Response:
    return _xml(
        f'<ErrorResponse xmlns="{_NS}"><Error><Type>Sender</Type><Code>{code}</Code>'
        f"<Message>{escape(message)}</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>",
        status,
    )


async def handle(request: Request, context: Context) -> Response:
    request_id = str(uuid.uuid4())
    body = await request.body()
    settings = context.settings
    if settings.credentials:  # signed like every other IAM call, scoped to sts
        try:
            sigv4.verify(
                method=request.method,
                url=str(request.url),
                headers=request.headers,
                body=body,
                keys=settings.credentials,
                now=context.clock.now(),
                region=settings.region,
                service="sts",
                target=False,
                expires=False,  # STS ignores X-Amz-Expires: a presigned GetCallerIdentity lives 15 minutes
            )
        except ServiceError as error:
            return _error(_STS_CODES.get(error.code, error.code), error.message, request_id, error.status)
    form = parse_qs(body.decode("utf-8", "replace"))
    action = (form.get("Action") or [request.query_params.get("Action", "")])[0]
    if action != "GetCallerIdentity":
        return _error(
            "InvalidAction", f"Could not find operation {action or '(none)'} for version 2011-06-15", request_id
        )
    found = _CREDENTIAL.search(request.headers.get("authorization", "")) or _QUERY_CREDENTIAL.match(
        request.query_params.get("X-Amz-Credential", "")
    )
    key = found.group(1) if found else "AKIAUSERPOOLSLOCAL"
    account = context.settings.account_id
    return _xml(
        f'<GetCallerIdentityResponse xmlns="{_NS}"><GetCallerIdentityResult>'
        f"<Arn>arn:aws:iam::{account}:user/userpools</Arn><UserId>{escape(key)}</UserId>"
        f"<Account>{account}</Account></GetCallerIdentityResult>"
        f"<ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata></GetCallerIdentityResponse>"
    )
