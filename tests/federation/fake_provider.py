"""A loopback OIDC provider whose token endpoint answers with whatever ID token the test sets: for ID tokens a
real provider would never send (tampered, foreign key, wrong audience or nonce, expired)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tests.support.servers import free_port


@dataclass
class Provider:
    issuer: str
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    id_token: str = ""

    def sign(self, claims: dict[str, Any], key: rsa.RSAPrivateKey | None = None) -> str:
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": "k1"})


@contextmanager
def provider() -> Iterator[Provider]:
    port = free_port()
    found = Provider(f"http://127.0.0.1:{port}")

    class Handler(BaseHTTPRequestHandler):
        def _json(self, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path == "/.well-known/openid-configuration":
                base = found.issuer
                self._json(
                    {
                        "issuer": base,
                        "authorization_endpoint": f"{base}/auth",
                        "token_endpoint": f"{base}/token",
                        "userinfo_endpoint": f"{base}/me",
                        "jwks_uri": f"{base}/jwks",
                    }
                )
            elif self.path == "/jwks":
                jwk = json.loads(RSAAlgorithm.to_jwk(found.key.public_key()))
                self._json({"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "RS256"}]})
            elif self.path == "/me":
                self._json({"sub": "fake-user-1", "name": "Fake From Userinfo"})
            else:
                self.send_response(404)
                self.end_headers()

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length", "0")))
            self._json({"access_token": "at", "token_type": "Bearer", "id_token": found.id_token})

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        httpd.shutdown()
        httpd.server_close()
