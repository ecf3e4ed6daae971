"""HTTPS from a local CA (``serve --tls``, USERPOOLS_TLS): what mkcert does, done by the server itself.

Some verifiers only fetch keys over HTTPS (aws-jwt-verify refuses an ``http:`` JWKS URI), and some
clients only speak it. On the first start with TLS the server creates a certificate authority of its own
(``ca.pem``, its key ``ca-key.pem`` of mode 0600) and, signed by it, a server certificate for localhost,
127.0.0.1 and ::1, plus the host it listens on (when it is a particular one; bound to every address,
this machine's name) and USERPOOLS_PUBLIC_URL's host. Later starts reuse the CA, so a client told to
trust it once (NODE_EXTRA_CA_CERTS, AWS_CA_BUNDLE, boto3's ``verify=``, REQUESTS_CA_BUNDLE, the system
store) keeps trusting the server; the server certificate is made again when it no longer covers those
names, is signed by another CA or has under 30 days left.

Where: USERPOOLS_TLS_DIR; otherwise a ``tls`` folder beside the SQLite database (``.userpools/tls`` for
the default database), or ``.userpools/tls`` in the working directory for PostgreSQL and in-memory
databases. Whoever reads ``ca-key.pem`` can make certificates this CA vouches for: trust the CA only on
machines where that is you. Choices (Cognito has no counterpart): ECDSA P-256 keys, a CA valid 10 years,
server certificates valid 397 days (what browsers accept of a public CA).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import ipaddress
import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from userpools.settings import Settings

DEFAULT_DIR = Path(".userpools/tls")
CA_DAYS = 3650
SERVER_DAYS = 397
RENEW_DAYS = 30
_ALL_ADDRESSES = ("", "0.0.0.0", "::")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class TlsError(Exception):
    """HTTPS cannot be set up as configured: one line saying what and what to do."""


@dataclass(frozen=True)
class TlsFiles:
    ca: Path  # what clients trust
    cert: Path  # the server's certificate (uvicorn's ssl_certfile)
    key: Path  # its private key (ssl_keyfile)
    names: tuple[str, ...]  # what the certificate is for


def directory(settings: Settings) -> Path:
    """Where the CA and the server certificate are kept (see the module's docstring)."""
    if settings.tls_dir:
        return Path(settings.tls_dir)
    url = settings.database_url
    database = url.split(":///", 1)[1] if url.startswith("sqlite") and ":///" in url else ""
    if database in ("", ":memory:") or "/userpools-memory-" in database:
        return DEFAULT_DIR
    return Path(database).parent / "tls"


def ca_path(settings: Settings) -> Path:
    return directory(settings) / "ca.pem"


def names(settings: Settings) -> tuple[str, ...]:
    """The host names and addresses the server certificate covers."""
    wanted = ["localhost", "127.0.0.1", "::1"]
    host = settings.host.strip("[]")
    wanted.append(socket.gethostname() if host in _ALL_ADDRESSES else host)
    public = urlsplit(settings.public_url or "").hostname
    if public:
        wanted.append(public)
    return tuple(dict.fromkeys(name.lower() for name in wanted if name))


def ensure(settings: Settings, now: dt.datetime | None = None) -> TlsFiles:
    """The CA and a current server certificate, made when missing or out of date; TlsError if it cannot."""
    folder = directory(settings)
    now = now or dt.datetime.now(dt.UTC)
    wanted = names(settings)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with _locked(folder):
            ca_cert, ca_key = _ca(folder, now)
            files = TlsFiles(folder / "ca.pem", folder / "server.pem", folder / "server-key.pem", wanted)
            if not _current(files.cert, ca_cert, wanted, now):
                key = ec.generate_private_key(ec.SECP256R1())
                cert = _server_certificate(key, ca_cert, ca_key, wanted, now)
                _write(files.key, _private_pem(key), 0o600)
                _write(files.cert, cert.public_bytes(serialization.Encoding.PEM), 0o644)
    except OSError as error:
        raise TlsError(
            f"USERPOOLS_TLS_DIR {folder}: cannot keep the local CA there ({error.strerror}). "
            "Make it writable, or set USERPOOLS_TLS_DIR to a folder that is."
        ) from None
    return files


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Servers starting together make one CA, not one each (an exclusive lock on a file in the folder)."""
    with open(folder / ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _ca(folder: Path, now: dt.datetime) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    cert_path, key_path = folder / "ca.pem", folder / "ca-key.pem"
    if not cert_path.exists() and not key_path.exists():
        key = ec.generate_private_key(ec.SECP256R1())
        cert = _ca_certificate(key, now)
        _write(key_path, _private_pem(key), 0o600)
        _write(cert_path, cert.public_bytes(serialization.Encoding.PEM), 0o644)
        return cert, key
    remake = f"delete {cert_path} and {key_path} to make a new CA (clients must then trust the new one)"
    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        loaded = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    except FileNotFoundError as missing:
        raise TlsError(f"USERPOOLS_TLS_DIR: {missing.filename} is missing: {remake}.") from None
    except ValueError:
        raise TlsError(f"USERPOOLS_TLS_DIR: {cert_path} or {key_path} cannot be read as PEM: {remake}.") from None
    if not isinstance(loaded, ec.EllipticCurvePrivateKey) or loaded.public_key() != cert.public_key():
        raise TlsError(f"USERPOOLS_TLS_DIR: {key_path} is not the key of {cert_path}: {remake}.")
    if cert.not_valid_after_utc <= now:
        raise TlsError(f"USERPOOLS_TLS_DIR: the local CA {cert_path} has expired: {remake}.")
    return cert, loaded


def _ca_certificate(key: ec.EllipticCurvePrivateKey, now: dt.datetime) -> x509.Certificate:
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "userpools development CA"),
            x509.NameAttribute(NameOID.COMMON_NAME, f"userpools local CA on {socket.gethostname()}"[:64]),
        ]
    )
    identifier = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(cert_sign=True), critical=True)
        .add_extension(identifier, critical=False)
        .sign(key, hashes.SHA256())
    )


def _server_certificate(
    key: ec.EllipticCurvePrivateKey,
    ca_cert: x509.Certificate,
    ca_key: ec.EllipticCurvePrivateKey,
    wanted: tuple[str, ...],
    now: dt.datetime,
) -> x509.Certificate:
    not_after = min(now + dt.timedelta(days=SERVER_DAYS), ca_cert.not_valid_after_utc)
    ca_identifier = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, wanted[0])]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(not_after)
        .add_extension(x509.SubjectAlternativeName([_general_name(n) for n in wanted]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(cert_sign=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_identifier), critical=False)
        .sign(ca_key, hashes.SHA256())
    )


def _usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _general_name(name: str) -> x509.GeneralName:
    address = _address(name)
    return x509.IPAddress(address) if address is not None else x509.DNSName(name)


def _address(name: str) -> Address | None:
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        return None


def _current(path: Path, ca_cert: x509.Certificate, wanted: tuple[str, ...], now: dt.datetime) -> bool:
    """Whether the server certificate at ``path`` can be served again: this CA's, for these names, not ending."""
    try:
        cert = x509.load_pem_x509_certificate(path.read_bytes())
        if not path.with_name("server-key.pem").exists():
            return False
        cert.verify_directly_issued_by(ca_cert)
        covered = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (OSError, ValueError, TypeError, InvalidSignature, x509.ExtensionNotFound):  # gone, or another CA's
        return False
    have = {n.lower() for n in covered.get_values_for_type(x509.DNSName)}
    have |= {str(a) for a in covered.get_values_for_type(x509.IPAddress)}
    wanted_set = {str(a) if (a := _address(n)) is not None else n for n in wanted}
    return wanted_set <= have and cert.not_valid_after_utc - now > dt.timedelta(days=RENEW_DAYS)


def _private_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _write(path: Path, data: bytes, mode: int) -> None:
    """Write ``data`` to ``path`` whole or not at all, created with ``mode``."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    os.chmod(temporary, mode)
    os.replace(temporary, path)
