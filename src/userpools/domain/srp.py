"""Cognito's SRP-6a (RFC 5054 with Cognito's choices), server side.

Byte-for-byte what Cognito clients compute: pycognito ``aws_srp.py`` and amplify-js
``AuthenticationHelper.js``. Every value that is hashed goes through :func:`pad_hex` first (the
clients' ``padHex``), except the inner ``H(poolName + userId + ":" + password)``, which hashes UTF-8
text, and ``u``/``x``, which are parsed back from 64-digit hex digests.

The server never keeps a password: it stores ``(salt_hex, verifier_hex)`` from :func:`make_verifier`.
All functions are pure; randomness comes from an injectable ``token_bytes`` (default ``secrets``).
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import gmpy2

from userpools.domain.errors import InvalidParameterException

# RFC 3526 section 5, the 3072-bit MODP group.
N_HEX = (
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"
)
N = gmpy2.mpz(N_HEX, 16)
G = gmpy2.mpz(2)

SALT_BYTES = 16
SECRET_BLOCK_BYTES = 32
# 256-bit private ephemeral b, as Cognito's own cost note assumes; clients use 1024 bits for a.
PRIVATE_EPHEMERAL_BYTES = 32
# A is a residue mod N (768 hex digits); allow leading zeros but not unbounded input.
_MAX_SRP_A_HEX = 1024
_HKDF_INFO = b"Caldera Derived Key\x01"
_HEX = re.compile(r"[0-9a-fA-F]+")

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_TIMESTAMP = re.compile(
    r"(?P<wd>[A-Z][a-z]{2}) (?P<mon>[A-Z][a-z]{2}) (?P<day>\d{1,2}) "
    r"(?P<h>\d{2}):(?P<m>\d{2}):(?P<s>\d{2}) UTC (?P<y>\d{4})"
)

TokenBytes = Callable[[int], bytes]


def pad_hex(value: int) -> str:
    """The clients' ``padHex``: lowercase hex, even length, ``00`` prefix when the high bit is set.

    The prefix keeps the value non-negative when read as a two's-complement byte string (Java/JS).
    """
    if value < 0:
        raise ValueError("pad_hex is only defined for non-negative integers here")
    digits = format(value, "x")
    if len(digits) % 2:
        return "0" + digits
    if digits[0] in "89abcdef":
        return "00" + digits
    return digits


def _hash_hex(hex_string: str) -> str:
    """``hexHash``: SHA-256 of the bytes a hex string spells, as 64 hex digits."""
    return hashlib.sha256(bytes.fromhex(hex_string)).hexdigest()


def _int(hex_string: str) -> int:
    return int(hex_string, 16)


K = gmpy2.mpz(_int(_hash_hex(pad_hex(int(N)) + pad_hex(int(G)))))


def pool_name(pool_id: str) -> str:
    """The pool name that enters SRP: the part of ``region_XXXX`` after the underscore."""
    return pool_id.split("_", 1)[1]


def _x(pool: str, user_id: str, password: str, salt_hex: str) -> int:
    identity_hash = hashlib.sha256(f"{pool}{user_id}:{password}".encode()).hexdigest()
    return _int(_hash_hex(pad_hex(_int(salt_hex)) + identity_hash))


_WINDOW_BITS = 8
_FIXED_BASE_BITS = 256  # x is a SHA-256 digest and b is 32 random bytes: both fit


@functools.cache
def _g_table() -> list[list[gmpy2.mpz]]:
    """``table[i][d] = g^(d * 2^(8i)) mod N``: 32 rows of 256 powers, ~3 MB, built once per process."""
    rows = []
    base = G
    for _ in range(_FIXED_BASE_BITS // _WINDOW_BITS):
        row = [gmpy2.mpz(1)]
        for _ in range((1 << _WINDOW_BITS) - 1):
            row.append(row[-1] * base % N)
        rows.append(row)
        base = row[-1] * base % N
    return rows


def g_pow(exponent: int) -> gmpy2.mpz:
    """``g^exponent mod N`` by fixed-base windows: ~6x faster than ``powmod`` for 256-bit exponents."""
    if exponent < 0 or exponent.bit_length() > _FIXED_BASE_BITS:
        return _powmod(G, exponent)
    table = _g_table()
    result = gmpy2.mpz(1)
    row = 0
    mask = (1 << _WINDOW_BITS) - 1
    while exponent:
        digit = exponent & mask
        if digit:
            result = result * table[row][digit] % N
        exponent >>= _WINDOW_BITS
        row += 1
    return result


def _powmod(base: int | gmpy2.mpz, exponent: int) -> gmpy2.mpz:
    """``base^exponent mod N`` with the GIL released (gmpy2 keeps it by default): a 3072-bit power is the
    longest step of a sign-in, during which the server's other threads run Python on the other core."""
    with gmpy2.context(gmpy2.get_context(), allow_release_gil=True):
        return gmpy2.powmod(base, exponent, N)


def _verifier(pool: str, user_id: str, password: str, salt_hex: str) -> int:
    return int(g_pow(_x(pool, user_id, password, salt_hex)))


def make_verifier(pool_name: str, user_id: str, password: str, salt: bytes | None = None) -> tuple[str, str]:
    """Return ``(salt_hex, verifier_hex)`` to store instead of the password.

    ``salt_hex`` is the salt's integer in :func:`pad_hex` form and is what the SALT challenge
    parameter must carry verbatim. Leading zero bytes of ``salt`` are dropped: pycognito hashes the
    SALT string as sent while amplify-js reparses it as an integer, and the two agree only when the
    string is already ``padHex(int(SALT))``.
    """
    if salt is None:
        salt = secrets.token_bytes(SALT_BYTES)
    salt_hex = pad_hex(int.from_bytes(salt, "big"))
    return salt_hex, pad_hex(_verifier(pool_name, user_id, password, salt_hex))


@functools.cache
def _unknowable() -> str:
    root = gmpy2.mpz(secrets.randbelow(int(N) - 2) + 2)  # forgotten once squared
    return pad_hex(int(root * root % N))


def unknowable_verifier() -> tuple[str, str]:
    """``(salt_hex, verifier_hex)`` for a password no one knows (one generated and never sent, or a user
    that does not exist): a random square mod N, in the same subgroup as every ``g^x``, without the costly
    power of a real verifier. No password reproduces it, and SRP runs on it as on any other, its proof
    never met; no client can tell the difference, as none can tell one unknown password from another.

    The square is drawn once per process (not once per SUPPRESSed create): its discrete logarithm is as
    unknown for every user that shares it as for one, and each gets a salt of its own."""
    return pad_hex(int.from_bytes(secrets.token_bytes(SALT_BYTES), "big")), _unknowable()


def password_matches(pool_name: str, user_id: str, password: str, salt_hex: str, verifier_hex: str) -> bool:
    """Whether ``password`` reproduces the stored verifier (USER_PASSWORD_AUTH, ChangePassword...)."""
    candidate = pad_hex(_verifier(pool_name, user_id, password, salt_hex))
    return hmac.compare_digest(candidate.encode(), pad_hex(_int(verifier_hex)).encode())


@dataclass(frozen=True, slots=True)
class ServerChallenge:
    """The server's half of one SRP handshake.

    ``b_hex`` is private: keep it server side (with ``srp_b_hex`` and ``secret_block``) until the
    PASSWORD_VERIFIER answer arrives. ``srp_b_hex`` is the SRP_B challenge parameter and
    :attr:`secret_block_b64` the SECRET_BLOCK one; the block is random bytes, opaque to clients,
    which sign it and echo it back as PASSWORD_CLAIM_SECRET_BLOCK.
    """

    b_hex: str
    srp_b_hex: str
    secret_block: bytes

    @property
    def secret_block_b64(self) -> str:
        return encode_secret_block(self.secret_block)


def _parse_srp_a(srp_a_hex: str) -> int:
    if not (0 < len(srp_a_hex) <= _MAX_SRP_A_HEX) or not _HEX.fullmatch(srp_a_hex):
        raise InvalidParameterException("SRP_A is not a valid hexadecimal value.")
    a = _int(srp_a_hex)
    if a % int(N) == 0:
        raise InvalidParameterException("SRP_A is invalid.")
    return a


def start(verifier_hex: str, srp_a_hex: str, *, token_bytes: TokenBytes = secrets.token_bytes) -> ServerChallenge:
    """Answer SRP_A with B = k*v + g^b mod N (rejecting A = 0 mod N, as SRP-6a requires)."""
    _parse_srp_a(srp_a_hex)
    v = gmpy2.mpz(_int(verifier_hex))
    while True:
        b = gmpy2.mpz(int.from_bytes(token_bytes(PRIVATE_EPHEMERAL_BYTES), "big")) % N
        big_b = (K * v + g_pow(b)) % N
        # Clients refuse B = 0 mod N; a zero b would leak v. Both are 2^-256 events.
        if b != 0 and big_b != 0:
            break
    return ServerChallenge(
        b_hex=format(int(b), "x"),
        srp_b_hex=format(int(big_b), "x"),
        secret_block=token_bytes(SECRET_BLOCK_BYTES),
    )


def session_key(verifier_hex: str, srp_a_hex: str, b_hex: str, srp_b_hex: str) -> bytes:
    """The 16-byte key K both sides derive; raises InvalidParameterException for a degenerate A or u.

    u = H(padHex(A) + padHex(B)) over the integers as the client saw them (A is not reduced),
    S = (A * v^u)^b mod N, and K = HKDF-SHA256 with salt padHex(u), IKM padHex(S), info
    "Caldera Derived Key", first 16 bytes of the first block.
    """
    a = _parse_srp_a(srp_a_hex)
    big_b = _int(srp_b_hex)
    u = _int(_hash_hex(pad_hex(a) + pad_hex(big_b)))
    if u == 0:
        raise InvalidParameterException("SRP u is zero.")
    v = gmpy2.mpz(_int(verifier_hex))
    s = int(_powmod(gmpy2.mpz(a) * _powmod(v, u), _int(b_hex)))
    prk = hmac.new(bytes.fromhex(pad_hex(u)), bytes.fromhex(pad_hex(s)), hashlib.sha256).digest()
    return hmac.new(prk, _HKDF_INFO, hashlib.sha256).digest()[:16]


def claim_signature(key: bytes, pool_name: str, user_id: str, secret_block: bytes, timestamp: str) -> bytes:
    """HMAC-SHA256(K, poolName || USER_ID_FOR_SRP || secret block || TIMESTAMP), raw bytes."""
    message = pool_name.encode() + user_id.encode() + secret_block + timestamp.encode()
    return hmac.new(key, message, hashlib.sha256).digest()


def verify_claim(
    *,
    pool_name: str,
    user_id: str,
    verifier_hex: str,
    srp_a_hex: str,
    b_hex: str,
    srp_b_hex: str,
    secret_block: bytes,
    timestamp: str,
    signature_b64: str,
) -> bool:
    """Whether PASSWORD_CLAIM_SIGNATURE proves knowledge of the password behind ``verifier_hex``.

    The salt is not needed here: it only enters through v. Freshness of ``timestamp`` is the
    caller's decision (see :func:`parse_timestamp`); this checks the signature only.
    A malformed signature is simply a mismatch.
    """
    try:
        given = base64.b64decode(signature_b64, validate=True)
    except (binascii.Error, ValueError):
        return False
    try:
        key = session_key(verifier_hex, srp_a_hex, b_hex, srp_b_hex)
    except InvalidParameterException:
        return False
    expected = claim_signature(key, pool_name, user_id, secret_block, timestamp)
    return hmac.compare_digest(given, expected)


def encode_secret_block(block: bytes) -> str:
    return base64.b64encode(block).decode("ascii")


def decode_secret_block(block_b64: str) -> bytes:
    """Decode PASSWORD_CLAIM_SECRET_BLOCK; malformed input is an InvalidParameterException."""
    try:
        return base64.b64decode(block_b64, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidParameterException("PASSWORD_CLAIM_SECRET_BLOCK is not valid base64.") from None


def format_timestamp(moment: datetime) -> str:
    """Cognito's TIMESTAMP, e.g. ``Tue Mar 3 04:05:06 UTC 2026`` (day not zero-padded), in UTC.

    Built by hand rather than with ``strftime`` so the locale cannot change the names.
    """
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return (
        f"{_WEEKDAYS[moment.weekday()]} {_MONTHS[moment.month - 1]} {moment.day} "
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d} UTC {moment.year}"
    )


def parse_timestamp(text: str) -> datetime:
    """Parse a TIMESTAMP (zero-padded day accepted too) into an aware UTC datetime.

    The weekday name must be a valid name but is not cross-checked against the date.
    """
    match = _TIMESTAMP.fullmatch(text)
    if not match or match["wd"] not in _WEEKDAYS or match["mon"] not in _MONTHS:
        raise InvalidParameterException("TIMESTAMP is not in the expected format.")
    try:
        return datetime(
            int(match["y"]),
            _MONTHS.index(match["mon"]) + 1,
            int(match["day"]),
            int(match["h"]),
            int(match["m"]),
            int(match["s"]),
            tzinfo=UTC,
        )
    except ValueError:
        raise InvalidParameterException("TIMESTAMP is not in the expected format.") from None


def secret_hash(client_secret: str, username: str, client_id: str) -> str:
    """SECRET_HASH = Base64(HMAC-SHA256(key=client secret, username + client id))."""
    digest = hmac.new(client_secret.encode(), (username + client_id).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")
