"""A SAML 2.0 identity provider on loopback, built on pysaml2's IdP (``saml2.server.Server``, signing with
xmlsec1): metadata at /metadata, the SSO service (redirect binding) showing a login form whose answer is posted
to the pool's /saml2/idpresponse by an auto-submitting form, and the SLO service answering the pool's signed
LogoutRequest with a LogoutResponse posted to /saml2/logout. ``respond`` makes responses for the tests to post
themselves, including ones a real IdP would never send (unsigned, signed by another key, expired, for another
audience)."""

from __future__ import annotations

import base64
import datetime
import html
import os
import secrets
import tempfile
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from tests.support.servers import free_port

with warnings.catch_warnings():
    warnings.simplefilter("ignore", UserWarning)
    from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
    from saml2.config import IdPConfig
    from saml2.metadata import create_metadata_string
    from saml2.saml import NAME_FORMAT_BASIC, NAMEID_FORMAT_PERSISTENT, NameID
    from saml2.server import Server
    from saml2.sigver import verify_redirect_signature

EMAIL = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
PASSWORD_AUTHN = {"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"}
PASSWORD = "saml-Passw0rd"


def _key_pair(folder: str, name: str) -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = os.path.join(folder, f"{name}.key"), os.path.join(folder, f"{name}.crt")
    with open(key_file, "wb") as out:
        out.write(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
    with open(cert_file, "wb") as out:
        out.write(certificate.public_bytes(serialization.Encoding.PEM))
    return key_file, cert_file


def sp_metadata(pool_id: str, acs: str, sls: str, certificate: str) -> str:
    """The pool as the IdP knows it: entity ID, ACS, SLS and its signing certificate (GetSigningCertificate's)."""
    return f"""<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
 xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="urn:amazon:cognito:sp:{pool_id}">
 <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
  <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>{certificate}</ds:X509Certificate>
  </ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
  <md:SingleLogoutService Binding="{BINDING_HTTP_POST}" Location="{sls}"/>
  <md:AssertionConsumerService Binding="{BINDING_HTTP_POST}" Location="{acs}" index="0"/>
 </md:SPSSODescriptor>
</md:EntityDescriptor>"""


@dataclass
class Idp:
    url: str
    folder: str
    users: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    servers: dict[str, Server] = field(default_factory=dict)
    pending: dict[str, Any] = field(default_factory=dict)
    logouts: list[str] = field(default_factory=list)  # NameIDs of the LogoutRequests received
    signed_requests: int = 0  # AuthnRequests whose redirect-binding signature was checked
    sp_certificate: str = ""  # the pool's signing certificate (base64 DER)

    def _server(self, kind: str, key: tuple[str, str], lifetime: int) -> Server:
        config = IdPConfig()
        config.load(
            {
                "entityid": f"{self.url}/metadata",
                "service": {
                    "idp": {
                        "endpoints": {
                            "single_sign_on_service": [(f"{self.url}/sso", BINDING_HTTP_REDIRECT)],
                            "single_logout_service": [(f"{self.url}/slo", BINDING_HTTP_REDIRECT)],
                        },
                        "policy": {"default": {"lifetime": {"minutes": lifetime}, "name_form": NAME_FORMAT_BASIC}},
                        "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    }
                },
                "key_file": key[0],
                "cert_file": key[1],
                "metadata": {},
            }
        )
        server = Server(config=config)
        self.servers[kind] = server
        return server

    def start(self) -> None:
        own = _key_pair(self.folder, "idp")
        self._server("good", own, 5)
        self._server("expired", own, -10)  # NotOnOrAfter ten minutes ago
        self._server("foreign", _key_pair(self.folder, "other"), 5)  # same entity ID, a key not in the metadata

    def metadata(self) -> str:
        config = self.servers["good"].config
        return str(create_metadata_string(None, config=config, valid=None, sign=False).decode())

    def _check_signature(self, query: dict[str, str]) -> None:
        """The redirect binding's signature of a request, against the pool's signing certificate."""
        if not query.get("Signature") or not query.get("SigAlg"):
            raise ValueError("the request is not signed")
        backend = self.servers["good"].sec.sec_backend
        if not verify_redirect_signature(dict(query), backend, cert=self.sp_certificate):
            raise ValueError("the request's signature does not verify")

    def trust(self, pool_id: str, acs: str, sls: str, certificate: str) -> None:
        self.sp_certificate = certificate
        for server in self.servers.values():
            server.metadata.load("inline", sp_metadata(pool_id, acs, sls, certificate))

    def respond(
        self,
        pool_id: str,
        acs: str,
        username: str,
        in_response_to: str | None,
        kind: str = "good",
        *,
        sign: bool = True,
        audience: str | None = None,
        attributes: dict[str, list[str]] | None = None,
        encrypt: bool = False,
    ) -> str:
        """A base64 SAMLResponse for ``username`` (its assertion signed unless ``sign`` is False, encrypted for
        the pool's certificate with ``encrypt``)."""
        server = self.servers[kind]
        extra: dict[str, Any] = {}
        if encrypt:
            body = "\n".join(self.sp_certificate[i : i + 64] for i in range(0, len(self.sp_certificate), 64))
            pem = f"-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n"
            extra = {"encrypt_assertion": True, "encrypt_cert_assertion": pem}
        response = server.create_authn_response(
            attributes if attributes is not None else self.users[username],
            in_response_to=in_response_to,
            destination=acs,
            sp_entity_id=audience or f"urn:amazon:cognito:sp:{pool_id}",
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=username),
            authn=PASSWORD_AUTHN,
            sign_assertion=sign,
            sign_response=False,
            **extra,
        )
        return base64.b64encode(str(response).encode()).decode()

    # The browser side: /sso shows a form, /login answers with the auto-posting form.
    def sso(self, query: dict[str, str]) -> str:
        server = self.servers["good"]
        request = server.parse_authn_request(query["SAMLRequest"], BINDING_HTTP_REDIRECT)
        if query.get("Signature"):
            self._check_signature(query)
            self.signed_requests += 1
        ticket = secrets.token_urlsafe(16)
        self.pending[ticket] = (request.message, query.get("RelayState", ""))
        return (
            "<!doctype html><title>Loopback SAML IdP</title><h1>Loopback SAML IdP</h1>"
            f'<form method="post" action="/login"><input type="hidden" name="ticket" value="{ticket}">'
            '<label>IdP username <input name="username"></label>'
            '<label>IdP password <input name="password" type="password"></label>'
            "<button>Continue to the app</button></form>"
        )

    def login(self, form: dict[str, str]) -> tuple[int, str]:
        message, relay = self.pending.pop(form.get("ticket", ""), (None, ""))
        username = form.get("username", "")
        if message is None or username not in self.users or form.get("password") != PASSWORD:
            return 401, "<!doctype html><title>refused</title><p>Wrong username or password."
        server = self.servers["good"]
        response = server.create_authn_response(
            self.users[username],
            in_response_to=message.id,
            destination=message.assertion_consumer_service_url,
            sp_entity_id=message.issuer.text,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=username),
            authn=PASSWORD_AUTHN,
            sign_assertion=True,
            sign_response=True,
        )
        info = server.apply_binding(
            BINDING_HTTP_POST, str(response), message.assertion_consumer_service_url, relay, response=True
        )
        return 200, str(info["data"])

    def slo(self, query: dict[str, str]) -> str:
        """The pool's LogoutRequest, which must be signed, answered by a LogoutResponse posted to its SLS."""
        server = self.servers["good"]
        self._check_signature(query)
        request = server.parse_logout_request(query["SAMLRequest"], BINDING_HTTP_REDIRECT)
        self.logouts.append(str(request.message.name_id.text))
        response = server.create_logout_response(request.message, [BINDING_HTTP_POST], sign=True)
        destination = server.metadata.single_logout_service(request.message.issuer.text, BINDING_HTTP_POST, "spsso")[0][
            "location"
        ]
        info = server.apply_binding(
            BINDING_HTTP_POST, str(response), destination, query.get("RelayState", ""), response=True
        )
        return str(info["data"])


@contextmanager
def saml_idp() -> Iterator[Idp]:
    port = free_port()
    folder = tempfile.mkdtemp(prefix="saml-idp-")
    idp = Idp(f"http://127.0.0.1:{port}", folder)
    idp.start()

    class Handler(BaseHTTPRequestHandler):
        def _send(self, status: int, body: str, kind: str = "text/html") -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("content-type", kind)
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            split = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(split.query).items()}
            try:
                if split.path == "/metadata":
                    self._send(200, idp.metadata(), "application/samlmetadata+xml")
                elif split.path == "/sso":
                    self._send(200, idp.sso(query))
                elif split.path == "/slo":
                    self._send(200, idp.slo(query))
                else:
                    self._send(404, "not found")
            except Exception as error:  # the test sees the refusal
                self._send(400, html.escape(f"{type(error).__name__}: {error}"))

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0"))).decode()
            form = {k: v[0] for k, v in parse_qs(body).items()}
            if urlsplit(self.path).path == "/login":
                self._send(*idp.login(form))
            else:
                self._send(404, "not found")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield idp
    finally:
        httpd.shutdown()
        httpd.server_close()
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
