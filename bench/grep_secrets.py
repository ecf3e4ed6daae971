"""Grep database files for secrets in clear (issue 15's "done when"): SQLite files and their WAL, or a
PostgreSQL data directory (heap files and WAL), read as raw bytes.

    python -m bench.grep_secrets PATH...          # files or folders; exit 1 if anything is found

What it looks for, since the secrets a test run made are not known afterwards:
- PEM private keys (``PRIVATE KEY-----``);
- client secrets: a run of exactly 51 lowercase letters and digits (Cognito's alphabet, domain/clients.py);
- TOTP seeds: a token of exactly 32 base32 characters, or an ``otpauth://`` URI;
- codes and temporary passwords in a message's words (``code is 123456``, ``password is ...``);
- every password literal of the test suite (a string of 8-64 characters with an upper- and lower-case letter,
  a digit and a symbol, found in tests/), wherever it appears.
Sealed values are base64url tokens of 60 characters or more, so none of the token patterns can match inside
one by itself: a match is bounded by characters that cannot be part of a token.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

_TOKEN = rb"A-Za-z0-9_\-"
PATTERNS = {
    "private key": re.compile(rb"PRIVATE KEY-----"),
    "client secret": re.compile(rb"(?<![" + _TOKEN + rb"])[a-z0-9]{51}(?![" + _TOKEN + rb"])"),
    "TOTP seed": re.compile(rb"(?<![" + _TOKEN + rb"])[A-Z2-7]{32}(?![" + _TOKEN + rb"])|otpauth://"),
    "code in a message": re.compile(rb"code is:? ?[0-9]{6}(?![0-9])|[Pp]assword is:? ?\S{6}"),
}
_LITERAL = re.compile(r"""["']([^"'\s\\]{8,64})["']""")
# Literals shaped like a password that are identifiers the tests store on purpose: ARNs, URLs, JSON and format
# strings, SAML URNs, pool ids (``us-east-1_Demo00001``), a Login with Amazon subject and federated users'
# names (``<Provider>_<subject>``: ``Fake_fake-user-1``, ``Corp_e-7``).
_NOT_A_PASSWORD = re.compile(
    r"arn:|http|\{|%|urn:|[a-z]{2}(-[a-z]+)+-[0-9]_|amzn1\.account\.|[A-Z][A-Za-z]*_[a-z0-9.-]+$"
)


def test_passwords(tests: Path) -> set[bytes]:
    """The suite's password literals: what a user would type, so what must never be stored."""
    found = set()
    for path in tests.rglob("*.py"):
        for literal in _LITERAL.findall(path.read_text(errors="replace")):
            classes = [r"[A-Z]", r"[a-z]", r"[0-9]", r"[^A-Za-z0-9]"]
            if all(re.search(c, literal) for c in classes) and not _NOT_A_PASSWORD.match(literal):
                found.add(literal.encode())
    return found


def files(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from (p for p in sorted(path.rglob("*")) if p.is_file())
        elif path.is_file():
            yield path


def grep(paths: list[Path], passwords: set[bytes]) -> Iterator[tuple[Path, str, bytes]]:
    for path in files(paths):
        if path.name.endswith("-key") or path.name == "master-key":
            continue  # the master key beside a development database is a key, not a database
        try:
            data = path.read_bytes()
        except OSError:
            continue
        for kind, pattern in PATTERNS.items():
            for match in pattern.finditer(data):
                yield path, kind, data[max(0, match.start() - 40) : match.end() + 40]
        for password in passwords:
            if password in data:
                yield path, "password " + password.decode(), b""


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv]
    passwords = test_passwords(Path(__file__).resolve().parent.parent / "tests")
    count = sum(1 for _ in files(paths))
    hits = list(grep(paths, passwords))
    for path, kind, context in hits:
        print(f"{path}: {kind}: {context!r}")
    print(f"{count} files, {len(passwords)} password literals, {len(hits)} secrets in clear")
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
