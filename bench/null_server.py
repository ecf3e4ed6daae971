"""The ceiling of this machine: the same Starlette/uvicorn stack as userpools, answering a canned body."""

from __future__ import annotations

import sys

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

CANNED = (
    b'{"Username":"user0000001","UserAttributes":[{"Name":"sub","Value":"3f1c2b1e-0000-4000-8000-000000000000"},'
    b'{"Name":"email","Value":"user0000001@example.com"}],"Enabled":true,"UserStatus":"CONFIRMED"}'
)


async def answer(request: Request) -> Response:
    await request.body()
    return Response(CANNED, media_type="application/x-amz-json-1.1", headers={"x-amzn-RequestId": "null"})


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


app = Starlette(routes=[Route("/", answer, methods=["POST"]), Route("/health", health, methods=["GET"])])

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False)
