"""A loopback OIDC provider whose token endpoint answers with whatever ID token the test sets: for ID tokens a
real provider would never send (tampered, foreign key, wrong audience or nonce, expired)."""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
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
    profile: dict[str, Any] = field(default_factory=lambda: {"sub": "fake-user-1", "name": "Fake From Userinfo"})
    requests: list[tuple[str, str]] = field(default_factory=list)  # (method, path with query) received

    def sign(self, claims: dict[str, Any], key: rsa.RSAPrivateKey | None = None) -> str:
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": "k1"})


JWKS_PATHS = ("/jwks", "/oauth2/v3/certs", "/auth/keys")  # its own, Google's and Apple's JWKS paths
PROFILE_PATHS = ("/me", "/user/profile")  # its userinfo (and Facebook's /<version>/me), Amazon's profile


@contextmanager
def provider(port: int | None = None, tls: tuple[Path, Path] | None = None) -> Iterator[Provider]:
    """The provider on ``port`` (a free one by default). The social types' documented paths are served too (JWKS,
        profiles, Facebook's token endpoint by GET), for a server whose USERPOOLS_SOCIAL_ENDPOINTS names it. ``tls``
    (certificate, key): it serves HTTPS."""
    port = port or free_port()
    found = Provider(f"{'https' if tls else 'http'}://127.0.0.1:{port}")

    class Handler(BaseHTTPRequestHandler):
        def _json(self, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            found.requests.append(("GET", self.path))
            path = self.path.split("?", 1)[0]
            if path.endswith("/oauth/access_token"):  # Facebook's token endpoint answers GET
                self._json({"access_token": "at", "token_type": "bearer"})
            elif self.path == "/.well-known/openid-configuration":
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
            elif path in JWKS_PATHS:
                jwk = json.loads(RSAAlgorithm.to_jwk(found.key.public_key()))
                self._json({"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "RS256"}]})
            elif path in PROFILE_PATHS or path.endswith("/me"):
                self._json(found.profile)
            else:
                self.send_response(404)
                self.end_headers()

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0"))).decode()
            found.requests.append(("POST", f"{self.path}?{body}"))
            self._json({"access_token": "at", "token_type": "Bearer", "id_token": found.id_token})

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    if tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*tls)
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        httpd.shutdown()
        httpd.server_close()
