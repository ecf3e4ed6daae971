"""What CreateIdentityProvider reads from the network, as Cognito does: an OIDC provider's discovery
document (``<oidc_issuer>/.well-known/openid-configuration``) and a SAML provider's MetadataURL. Read
outside any transaction, with a short timeout, trusting the system's CAs and USERPOOLS_CA_BUNDLE's."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import xml.etree.ElementTree as ElementTree
from typing import Any

from userpools import outbound
from userpools.domain.errors import InvalidParameterException

TIMEOUT = 5.0
MAX_BYTES = 1_000_000
_MD = "{urn:oasis:names:tc:SAML:2.0:metadata}"
REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
# Discovery document member -> ProviderDetails key.
DISCOVERED = {
    "authorization_endpoint": "authorize_url",
    "token_endpoint": "token_url",
    "userinfo_endpoint": "attributes_url",
    "jwks_uri": "jwks_uri",
}


def _get(url: str, ca_bundle: str | None) -> bytes:
    request = urllib.request.Request(url, headers={"Accept": "application/json, application/xml"})
    context = outbound.tls_context(ca_bundle) if url.startswith("https:") else None
    with urllib.request.urlopen(request, timeout=TIMEOUT, context=context) as response:
        return bytes(response.read(MAX_BYTES))


def discover(issuer: str, ca_bundle: str | None = None) -> dict[str, str]:
    """The endpoints of the issuer's discovery document, as ProviderDetails keys."""
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        document: Any = json.loads(_get(url, ca_bundle))
    except (urllib.error.URLError, OSError, ValueError):
        raise InvalidParameterException(
            f"Unable to contact well-known endpoint {url} to discover the provider's endpoints."
        ) from None
    if not isinstance(document, dict):
        raise InvalidParameterException(f"The document at {url} is not an OpenID Connect discovery document.")
    if str(document.get("issuer", "")).rstrip("/") != issuer.rstrip("/"):
        raise InvalidParameterException(f"The issuer of the document at {url} is not {issuer}.")
    return {key: str(document[member]) for member, key in DISCOVERED.items() if isinstance(document.get(member), str)}


def fetch_metadata(url: str, ca_bundle: str | None = None) -> str:
    if not url.startswith(("https://", "http://")):
        raise InvalidParameterException("MetadataURL must be an http(s) URL.")
    try:
        return _get(url, ca_bundle).decode("utf-8")
    except (urllib.error.URLError, OSError, UnicodeDecodeError):
        raise InvalidParameterException(f"Unable to retrieve the metadata at {url}.") from None


def saml_endpoints(metadata: str) -> dict[str, str]:
    """SSORedirectBindingURI and SLORedirectBindingURI of an IdP's metadata; refused without an IdP descriptor
    or single sign-on service."""
    try:
        root = ElementTree.fromstring(metadata)
    except ElementTree.ParseError:
        raise InvalidParameterException("Could not parse the SAML metadata document.") from None
    descriptor = root if root.tag == f"{_MD}IDPSSODescriptor" else root.find(f".//{_MD}IDPSSODescriptor")
    if descriptor is None:
        raise InvalidParameterException("The SAML metadata has no IDPSSODescriptor.")
    found: dict[str, str] = {}
    for element, key in (
        ("SingleSignOnService", "SSORedirectBindingURI"),
        ("SingleLogoutService", "SLORedirectBindingURI"),
    ):
        for service in descriptor.findall(f"{_MD}{element}"):
            if service.get("Binding") == REDIRECT and service.get("Location"):
                found[key] = str(service.get("Location"))
                break
    if "SSORedirectBindingURI" not in found:
        raise InvalidParameterException("The SAML metadata has no SingleSignOnService with the HTTP-Redirect binding.")
    return found
