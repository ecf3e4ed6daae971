"""The pool as a SAML 2.0 service provider, through pysaml2 (XML signatures checked by Debian's ``xmlsec1``, never
by code of ours): the SP configuration of one provider, the AuthnRequest and LogoutRequest it sends (redirect
binding), and the checked identity of a SAML response (POST binding).

pysaml2 checks the response's and the assertion's signatures against the certificates of the provider's metadata
(MetadataFile or MetadataURL), the destination and recipient (this domain's /saml2/idpresponse), the
conditions (NotBefore, NotOnOrAfter, with TIME_SLACK), the bearer confirmation's NotOnOrAfter and InResponseTo
(the AuthnRequest we sent, unless the sign-in is IdP-initiated). We also require an AudienceRestriction naming
the pool's entity ID (pysaml2 accepts an assertion with none)."""

from __future__ import annotations

import base64
import importlib
import os
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from userpools.operations import identity_providers
from userpools.steps.context import Context
from userpools.storage.identity_providers import ProviderRecord
from userpools.web.oauth.federated import Identity, Refused
from userpools.web.oauth.site import Site

TIME_SLACK = 60  # seconds of clock difference allowed with the IdP (Cognito's own allowance is not documented)
MAX_RESPONSE = 100_000  # characters of SAMLResponse /saml2/idpresponse accepts, as Cognito documents
POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
Saml2Client = Any  # pysaml2's client; imported on first use (it takes a second to import)


def _saml2(module: str) -> Any:
    """A pysaml2 module, imported when SAML is first used, without its import-time deprecation warnings."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # cryptography's deprecations of what pysaml2 imports
        return importlib.import_module(module)


def entity_id(pool_id: str) -> str:
    """The pool's SAML entity ID (the audience its assertions must name), as Cognito's."""
    return f"urn:amazon:cognito:sp:{pool_id}"


def endpoint(site: Site, request: Request, path: str) -> str:
    return f"{request.url.scheme}://{request.url.netloc}{site.base}{path}"


@dataclass(frozen=True)
class Checked:
    """A verified SAML response: the identity, and what single logout needs later."""

    identity: Identity
    assertion_id: str
    name_id: str  # the NameID element, as XML
    session_index: str | None
    not_on_or_after: int  # seconds since the epoch; 0 when the assertion gives none


def _metadata(context: Context, record: ProviderRecord) -> str:
    details = identity_providers.details_of(context, record)
    return details.get("MetadataFile") or record.details.get("_metadata") or ""


@contextmanager
def client(
    context: Context, site: Site, request: Request, record: ProviderRecord, *, unsolicited: bool = False
) -> Iterator[Saml2Client]:
    """A pysaml2 client for one provider. The pool's signing key is written for xmlsec1 to a private temporary
    folder (mode 0700) only while the client lives, and removed after."""
    binary = shutil.which("xmlsec1")
    if binary is None:
        raise Refused("SAML sign-in needs the xmlsec1 program, which is not installed on this server.")
    folder = tempfile.mkdtemp(prefix="userpools-saml-")
    try:
        certificate, key = identity_providers.signing_pair(context, site.pool.id)
        key_file, cert_file = os.path.join(folder, "key.pem"), os.path.join(folder, "cert.pem")
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(key)
        with open(cert_file, "w") as out:
            out.write(certificate)
        signed = record.details.get("RequestSigningAlgorithm") == "rsa-sha256"
        config = _saml2("saml2.config").SPConfig()
        config.load(
            {
                "entityid": entity_id(site.pool.id),
                "xmlsec_binary": binary,
                "service": {
                    "sp": {
                        "endpoints": {
                            "assertion_consumer_service": [(endpoint(site, request, "/saml2/idpresponse"), POST)],
                            "single_logout_service": [(endpoint(site, request, "/saml2/logout"), POST)],
                        },
                        "want_assertions_or_response_signed": True,
                        "want_response_signed": False,
                        "want_assertions_signed": False,
                        "allow_unsolicited": unsolicited,
                        "authn_requests_signed": signed,
                        "logout_requests_signed": True,
                    }
                },
                "metadata": {"inline": [_metadata(context, record)]},
                "accepted_time_diff": TIME_SLACK,
                "allow_unknown_attributes": True,
                "key_file": key_file,
                "cert_file": cert_file,
                "encryption_keypairs": [{"key_file": key_file, "cert_file": cert_file}],
            }
        )
        yield _saml2("saml2.client").Saml2Client(config)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _idp(sp: Saml2Client) -> str:
    providers = list(sp.metadata.identity_providers())
    if not providers:
        raise Refused("The provider's SAML metadata has no identity provider.")
    return str(providers[0])


def authn_request(sp: Saml2Client, record: ProviderRecord, relay_state: str) -> tuple[str, str]:
    """(the AuthnRequest's ID, the IdP URL that carries it by the redirect binding, signed when the provider's
    RequestSigningAlgorithm asks)."""
    signed = record.details.get("RequestSigningAlgorithm") == "rsa-sha256"
    request_id, info = sp.prepare_for_authenticate(
        entityid=_idp(sp),
        relay_state=relay_state,
        binding=REDIRECT,
        sign=signed,
        sigalg=RSA_SHA256 if signed else None,
    )
    return str(request_id), str(dict(info["headers"])["Location"])


def _claims(assertion: Any) -> dict[str, Any]:
    """Each attribute of the assertion, by its Name as sent (unconverted), with its values."""
    claims: dict[str, Any] = {}
    for statement in assertion.attribute_statement:
        for attribute in statement.attribute:
            claims[str(attribute.name)] = [str(value.text or "") for value in attribute.attribute_value]
    return claims


def _encrypted(saml_response: str) -> bool:
    """Whether the response carries its assertion encrypted (an EncryptedAssertion element). Parsed by defusedxml
    (pysaml2's own parser), which refuses entity expansion."""
    from defusedxml import ElementTree

    try:
        root = ElementTree.fromstring(base64.b64decode(saml_response, validate=False))
    except Exception:  # not base64, not XML, or refused by defusedxml: pysaml2 refuses it next
        return False
    return root.find("{urn:oasis:names:tc:SAML:2.0:assertion}EncryptedAssertion") is not None


def check_response(sp: Saml2Client, saml_response: str, request_id: str | None, *, encrypted: bool = False) -> Checked:
    """The verified response to ``request_id`` (None: an IdP-initiated response, which must answer no request);
    with ``encrypted`` (the provider's EncryptedResponses), its assertion must come encrypted."""
    if len(saml_response) > MAX_RESPONSE:
        raise Refused(f"The SAML response is longer than {MAX_RESPONSE} characters.")
    if encrypted and not _encrypted(saml_response):
        raise Refused("Invalid SAML response received: the assertion must be encrypted (EncryptedResponses).")
    outstanding = {request_id: ""} if request_id else {}
    try:
        response = sp.parse_authn_request_response(saml_response, POST, outstanding=outstanding)
    except Exception as error:  # pysaml2 raises many kinds; every one means the response is refused
        raise Refused(f"Invalid SAML response received: {error or type(error).__name__}") from None
    if response is None or response.assertion is None:
        raise Refused("Invalid SAML response received: no valid assertion.")
    if request_id is None and response.in_response_to:
        raise Refused("Invalid SAML response received: it answers a request this sign-in did not send.")
    assertion = response.assertion
    conditions = assertion.conditions
    if conditions is None or not conditions.audience_restriction:
        raise Refused("Invalid SAML response received: the assertion names no audience.")
    name_id = response.name_id
    if name_id is None or not name_id.text:
        raise Refused("Invalid SAML response received: the assertion has no NameID.")
    statements = assertion.authn_statement
    session_index = statements[0].session_index if statements else None
    issuer = response.issuer()
    identity = Identity(str(name_id.text).strip(), _claims(assertion), str(issuer) if issuer else None)
    return Checked(identity, str(assertion.id), str(name_id), session_index, int(response.not_on_or_after or 0))


def logout_request(sp: Saml2Client, name_id: str, session_index: str | None, relay_state: str) -> tuple[str, str]:
    """(the LogoutRequest's ID, the IdP's SingleLogoutService URL that carries it signed, redirect binding), as
    Cognito signs its logout requests with the pool's signing certificate."""
    idp = _idp(sp)
    services = sp.metadata.single_logout_service(idp, REDIRECT, "idpsso")
    if not services:
        raise Refused("The provider's metadata has no SingleLogoutService with the HTTP-Redirect binding.")
    destination = str(services[0]["location"])
    found = _saml2("saml2.saml").name_id_from_string(name_id)
    request_id, message = sp.create_logout_request(
        destination,
        idp,
        name_id=found,
        session_indexes=[session_index] if session_index else None,
        sign=False,
    )
    info = sp.apply_binding(REDIRECT, str(message), destination, relay_state, sign=True, sigalg=RSA_SHA256)
    return str(request_id), str(dict(info["headers"])["Location"])


def check_logout_response(sp: Saml2Client, saml_response: str, request_id: str) -> None:
    """Refused unless this is a successful LogoutResponse to ``request_id`` (its signature checked when signed)."""
    try:
        response = sp.parse_logout_request_response(saml_response, POST)
    except Exception as error:
        raise Refused(f"Invalid SAML logout response received: {error or type(error).__name__}") from None
    if response is None or response.response.in_response_to != request_id:
        raise Refused("Invalid SAML logout response received: it answers another request.")
