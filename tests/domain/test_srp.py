"""Our server side of SRP against pycognito's client-side math, offline."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from pycognito import aws_srp
from pycognito.aws_srp import AWSSRP

from userpools.domain import srp
from userpools.domain.errors import InvalidParameterException

POOL_ID = "eu-west-1_AbCdEf123"
POOL = "AbCdEf123"
USER_ID = "5f3a1c2e-7b9d-4e6f-8a1b-2c3d4e5f6a7b"
PASSWORD = "Corr3ct-horse!"


def client(password: str = PASSWORD, a: int | None = None) -> AWSSRP:
    # A truthy client object stops pycognito from building a boto3 client; no network is used.
    c = AWSSRP(USER_ID, password, POOL_ID, "client-id", client=object())
    if a is not None:
        c.small_a_value = a
        c.large_a_value = c.calculate_a()
    return c


def counter_bytes(seed: int) -> srp.TokenBytes:
    """Deterministic stand-in for secrets.token_bytes."""
    state: Iterator[int] = iter(range(seed, seed + 1000))

    def token_bytes(n: int) -> bytes:
        return hashlib.sha512(str(next(state)).encode()).digest()[:n].rjust(n, b"\x01")

    return token_bytes


def handshake(
    salt: bytes, password: str = PASSWORD, a: int | None = None
) -> tuple[AWSSRP, srp.ServerChallenge, dict[str, str], str, str]:
    salt_hex, verifier_hex = srp.make_verifier(POOL, USER_ID, PASSWORD, salt)
    c = client(password, a)
    auth = c.get_auth_params()
    challenge = srp.start(verifier_hex, auth["SRP_A"], token_bytes=counter_bytes(7))
    params = {
        "SALT": salt_hex,
        "SRP_B": challenge.srp_b_hex,
        "SECRET_BLOCK": challenge.secret_block_b64,
        "USER_ID_FOR_SRP": USER_ID,
        "USERNAME": USER_ID,
    }
    return c, challenge, params, auth["SRP_A"], verifier_hex


def verify(challenge: srp.ServerChallenge, srp_a: str, verifier_hex: str, answer: dict[str, str]) -> bool:
    return srp.verify_claim(
        pool_name=POOL,
        user_id=USER_ID,
        verifier_hex=verifier_hex,
        srp_a_hex=srp_a,
        b_hex=challenge.b_hex,
        srp_b_hex=challenge.srp_b_hex,
        secret_block=srp.decode_secret_block(answer["PASSWORD_CLAIM_SECRET_BLOCK"]),
        timestamp=answer["TIMESTAMP"],
        signature_b64=answer["PASSWORD_CLAIM_SIGNATURE"],
    )


def test_group_constants_match_the_clients() -> None:
    assert srp.N_HEX.lower() == aws_srp.N_HEX.lower()
    assert int(srp.N).bit_length() == 3072
    assert int(srp.K) == client().val_k
    assert srp.pad_hex(int(srp.N)) == "00" + aws_srp.N_HEX.lower()


@pytest.mark.parametrize(
    ("value", "padded"),
    [
        (0, "00"),
        (1, "01"),
        (0x7F, "7f"),
        (0x80, "0080"),
        (0xABC, "0abc"),
        (0x1234, "1234"),
        (0xFF00, "00ff00"),
    ],
)
def test_pad_hex_matches_pycognito(value: int, padded: str) -> None:
    assert srp.pad_hex(value) == padded
    assert aws_srp.pad_hex(value) == padded


def test_verifier_is_g_to_the_x_as_clients_define_x() -> None:
    salt = bytes(range(1, 17))
    salt_hex, verifier_hex = srp.make_verifier(POOL, USER_ID, PASSWORD, salt)
    assert salt_hex == "0102030405060708090a0b0c0d0e0f10"
    inner = aws_srp.hash_sha256(f"{POOL}{USER_ID}:{PASSWORD}".encode())
    x = int(aws_srp.hex_hash(aws_srp.pad_hex(salt_hex) + inner), 16)
    assert verifier_hex == aws_srp.pad_hex(pow(2, x, int(aws_srp.N_HEX, 16)))


def test_default_salt_is_random_and_password_is_not_stored() -> None:
    first = srp.make_verifier(POOL, USER_ID, PASSWORD)
    second = srp.make_verifier(POOL, USER_ID, PASSWORD)
    assert first[0] != second[0] and first[1] != second[1]
    assert PASSWORD.encode().hex() not in first[1]


def test_an_unknowable_verifier_is_a_square_no_password_reproduces_each_with_its_own_salt() -> None:
    """SUPPRESSed creates and unknown users: a quadratic residue mod N (the subgroup of every g^x, as N is a
    safe prime), drawn once per process; no empty or guessed password matches it, and salts differ."""
    (salt_a, verifier_a), (salt_b, verifier_b) = srp.unknowable_verifier(), srp.unknowable_verifier()
    n = int(aws_srp.N_HEX, 16)
    v = int(verifier_a, 16)
    assert 1 < v < n and pow(v, (n - 1) // 2, n) == 1
    assert salt_a != salt_b and verifier_a == verifier_b == aws_srp.pad_hex(v)
    for guess in ("", PASSWORD, "Passw0rd!"):
        assert not srp.password_matches(POOL, USER_ID, guess, salt_a, verifier_a)


def test_password_matches() -> None:
    salt_hex, verifier_hex = srp.make_verifier(POOL, USER_ID, PASSWORD)
    assert srp.password_matches(POOL, USER_ID, PASSWORD, salt_hex, verifier_hex)
    assert not srp.password_matches(POOL, USER_ID, PASSWORD + "x", salt_hex, verifier_hex)
    assert not srp.password_matches(POOL, "someone-else", PASSWORD, salt_hex, verifier_hex)
    assert not srp.password_matches("OtherPool", USER_ID, PASSWORD, salt_hex, verifier_hex)


def test_start_computes_b_from_k_v_and_b() -> None:
    _, verifier_hex = srp.make_verifier(POOL, USER_ID, PASSWORD, bytes(16))
    challenge = srp.start(verifier_hex, "abcdef", token_bytes=counter_bytes(1))
    n, k, v = int(aws_srp.N_HEX, 16), client().val_k, int(verifier_hex, 16)
    b = int(challenge.b_hex, 16)
    assert b == int.from_bytes(counter_bytes(1)(32), "big")
    assert int(challenge.srp_b_hex, 16) == (k * v + pow(2, b, n)) % n
    assert challenge.secret_block == counter_bytes(2)(32)
    assert base64.b64decode(challenge.secret_block_b64) == challenge.secret_block


def test_pycognito_process_challenge_is_accepted() -> None:
    c, challenge, params, srp_a, verifier_hex = handshake(bytes(range(1, 17)))
    answer = c.process_challenge(params, {"USERNAME": USER_ID})
    assert answer["PASSWORD_CLAIM_SECRET_BLOCK"] == challenge.secret_block_b64
    assert verify(challenge, srp_a, verifier_hex, answer)
    assert abs((srp.parse_timestamp(answer["TIMESTAMP"]) - datetime.now(UTC)).total_seconds()) < 60


def test_wrong_password_is_rejected() -> None:
    c, challenge, params, srp_a, verifier_hex = handshake(bytes(range(1, 17)), password=PASSWORD + "!")
    answer = c.process_challenge(params, {"USERNAME": USER_ID})
    assert not verify(challenge, srp_a, verifier_hex, answer)


def test_signature_is_bound_to_timestamp_secret_block_and_user() -> None:
    c, challenge, params, srp_a, verifier_hex = handshake(bytes(range(1, 17)))
    answer = c.process_challenge(params, {"USERNAME": USER_ID})
    assert verify(challenge, srp_a, verifier_hex, answer)
    assert not verify(challenge, srp_a, verifier_hex, {**answer, "TIMESTAMP": "Mon Jan 1 00:00:00 UTC 2024"})
    other_block = srp.encode_secret_block(b"\x00" + challenge.secret_block[1:])
    assert not verify(challenge, srp_a, verifier_hex, {**answer, "PASSWORD_CLAIM_SECRET_BLOCK": other_block})
    assert not verify(challenge, srp_a, verifier_hex, {**answer, "PASSWORD_CLAIM_SIGNATURE": "not base64!"})
    assert not srp.verify_claim(
        pool_name=POOL,
        user_id="other-user",
        verifier_hex=verifier_hex,
        srp_a_hex=srp_a,
        b_hex=challenge.b_hex,
        srp_b_hex=challenge.srp_b_hex,
        secret_block=challenge.secret_block,
        timestamp=answer["TIMESTAMP"],
        signature_b64=answer["PASSWORD_CLAIM_SIGNATURE"],
    )


def _client_signature(c: AWSSRP, params: dict[str, str], timestamp: str) -> str:
    """pycognito's get_password_authentication_key plus the claim HMAC, with a fixed timestamp."""
    key = c.get_password_authentication_key(USER_ID, c.password, int(params["SRP_B"], 16), params["SALT"])
    message = POOL.encode() + USER_ID.encode() + base64.b64decode(params["SECRET_BLOCK"]) + timestamp.encode()
    return base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()


def _js_signature(a: int, params: dict[str, str], password: str, timestamp: str) -> str:
    """amplify-js's AuthenticationHelper: SALT and SRP_B reparsed as integers before padHex."""
    n, g = int(srp.N), 2
    k = int(hashlib.sha256(bytes.fromhex(srp.pad_hex(n) + srp.pad_hex(g))).hexdigest(), 16)
    big_a, big_b = pow(g, a, n), int(params["SRP_B"], 16)
    u = int(hashlib.sha256(bytes.fromhex(srp.pad_hex(big_a) + srp.pad_hex(big_b))).hexdigest(), 16)
    inner = hashlib.sha256(f"{POOL}{USER_ID}:{password}".encode()).hexdigest()
    x = int(hashlib.sha256(bytes.fromhex(srp.pad_hex(int(params["SALT"], 16)) + inner)).hexdigest(), 16)
    s = pow(big_b - k * pow(g, x, n), a + u * x, n)
    prk = hmac.new(bytes.fromhex(srp.pad_hex(u)), bytes.fromhex(srp.pad_hex(s)), hashlib.sha256).digest()
    key = hmac.new(prk, b"Caldera Derived Key\x01", hashlib.sha256).digest()[:16]
    message = POOL.encode() + USER_ID.encode() + base64.b64decode(params["SECRET_BLOCK"]) + timestamp.encode()
    return base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()


@pytest.mark.parametrize(
    ("salt", "salt_hex_prefix"),
    [
        (b"\x80" + bytes(range(1, 16)), "0080"),  # high bit set: padHex adds "00"
        (b"\xff" * 16, "00ff"),
        (b"\x00\x9f" + bytes(range(2, 16)), "009f"),  # leading zero byte dropped, then "00" for the high bit
        (b"\x00\x00\x0a" + bytes(13), "0a00"),  # odd number of hex digits: one "0"
    ],
)
def test_salt_padding_agrees_with_both_clients(salt: bytes, salt_hex_prefix: str) -> None:
    a = 0x1234567890ABCDEF << 900
    timestamp = "Tue Mar 3 04:05:06 UTC 2026"
    c, challenge, params, srp_a, verifier_hex = handshake(salt, a=a)
    assert params["SALT"].startswith(salt_hex_prefix)
    assert srp.pad_hex(int(params["SALT"], 16)) == params["SALT"]
    py_sig = _client_signature(c, params, timestamp)
    assert py_sig == _js_signature(a, params, PASSWORD, timestamp)
    answer = {
        "TIMESTAMP": timestamp,
        "PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"],
        "PASSWORD_CLAIM_SIGNATURE": py_sig,
    }
    assert verify(challenge, srp_a, verifier_hex, answer)
    wrong = {**answer, "PASSWORD_CLAIM_SIGNATURE": _js_signature(a, params, "nope", timestamp)}
    assert not verify(challenge, srp_a, verifier_hex, wrong)


def test_known_answer() -> None:
    """Fixed salt, a, b and secret block: pins every step so an accidental change fails loudly."""
    a = 0xC0FFEE << 1000
    timestamp = "Sun Nov 1 09:08:07 UTC 2026"
    c, challenge, params, srp_a, verifier_hex = handshake(bytes(range(16)), a=a)
    assert params["SALT"] == "0102030405060708090a0b0c0d0e0f"
    assert hashlib.sha256(verifier_hex.encode()).hexdigest()[:16] == KNOWN["verifier"]
    assert hashlib.sha256(challenge.srp_b_hex.encode()).hexdigest()[:16] == KNOWN["srp_b"]
    key = srp.session_key(verifier_hex, srp_a, challenge.b_hex, challenge.srp_b_hex)
    assert key == c.get_password_authentication_key(USER_ID, PASSWORD, int(params["SRP_B"], 16), params["SALT"])
    assert key.hex() == KNOWN["key"]
    assert _client_signature(c, params, timestamp) == KNOWN["signature"]


KNOWN = {
    "verifier": "5e2da50e1464693c",
    "srp_b": "8b17e718387e80bf",
    "key": "94eba111b64feba7dc04de7278e50d56",
    "signature": "jzWcyaI8PFzMMLvdJcyaGarz9gJEie8yUTD5h5vbhjU=",
}


@pytest.mark.parametrize("srp_a", ["0", "00", srp.N_HEX, srp.N_HEX.lower(), format(2 * int(srp.N), "x")])
def test_a_congruent_to_zero_is_rejected(srp_a: str) -> None:
    _, verifier_hex = srp.make_verifier(POOL, USER_ID, PASSWORD)
    with pytest.raises(InvalidParameterException, match=r"^SRP_A is invalid\.$"):
        srp.start(verifier_hex, srp_a)
    with pytest.raises(InvalidParameterException):
        srp.session_key(verifier_hex, srp_a, "1", "2")


@pytest.mark.parametrize("srp_a", ["", "xyz", "0x12", "12 34", "1" * 1025, "-1"])
def test_malformed_a_is_rejected(srp_a: str) -> None:
    _, verifier_hex = srp.make_verifier(POOL, USER_ID, PASSWORD)
    with pytest.raises(InvalidParameterException, match="SRP_A is not a valid hexadecimal value"):
        srp.start(verifier_hex, srp_a)


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2026, 3, 3, 4, 5, 6, tzinfo=UTC), "Tue Mar 3 04:05:06 UTC 2026"),
        (datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC), "Wed Dec 31 23:59:59 UTC 2025"),
        (datetime(2024, 2, 29, 0, 0, 0, tzinfo=UTC), "Thu Feb 29 00:00:00 UTC 2024"),
    ],
)
def test_timestamp_round_trip(moment: datetime, text: str) -> None:
    assert srp.format_timestamp(moment) == text
    assert AWSSRP.get_cognito_formatted_timestamp(moment) == text
    assert srp.parse_timestamp(text) == moment


def test_timestamp_in_other_zone_is_rendered_in_utc() -> None:
    from datetime import timedelta, timezone

    moment = datetime(2026, 3, 4, 1, 5, 6, tzinfo=timezone(timedelta(hours=2)))
    assert srp.format_timestamp(moment) == "Tue Mar 3 23:05:06 UTC 2026"


def test_parse_accepts_zero_padded_day() -> None:
    assert srp.parse_timestamp("Tue Mar 03 04:05:06 UTC 2026") == datetime(2026, 3, 3, 4, 5, 6, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Tue Mar 3 04:05:06 GMT 2026",
        "Xyz Mar 3 04:05:06 UTC 2026",
        "Tue Foo 3 04:05:06 UTC 2026",
        "Tue Feb 30 04:05:06 UTC 2026",
        "Tue Mar 3 4:05:06 UTC 2026",
        "2026-03-03T04:05:06Z",
    ],
)
def test_parse_rejects_malformed_timestamps(text: str) -> None:
    with pytest.raises(InvalidParameterException):
        srp.parse_timestamp(text)


def test_secret_hash_matches_pycognito() -> None:
    expected = AWSSRP.get_secret_hash("alice", "client123", "s3cr3t")
    assert srp.secret_hash("s3cr3t", "alice", "client123") == expected
    digest = hmac.new(b"s3cr3t", b"aliceclient123", hashlib.sha256).digest()
    assert expected == base64.b64encode(digest).decode()


def test_pool_name() -> None:
    assert srp.pool_name(POOL_ID) == POOL


def test_decode_secret_block_rejects_garbage() -> None:
    with pytest.raises(InvalidParameterException):
        srp.decode_secret_block("***")
