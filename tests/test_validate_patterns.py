"""Every pattern of the models answers in linear time, at the longest value validation lets it see: a value
over its length limit is never matched, and one without a limit is bounded by the request body cap."""

from __future__ import annotations

import time

import pytest
import regex

from userpools.protocol.model import service_model
from userpools.protocol.validate import _LINEAR, _pattern, validate
from userpools.settings import Settings

UNBOUNDED = Settings().max_body_bytes // 4  # a quarter of the body cap: the test stays quick, the bound honest


def _patterns() -> dict[str, int]:
    found: dict[str, int] = {}
    for name in ("cognito-idp", "cloudcontrol"):
        model = service_model(name)
        for shape_name in model.shape_names:
            shape = model.shape_for(shape_name)
            pattern = shape.metadata.get("pattern")
            if shape.type_name == "string" and pattern:
                longest = shape.metadata.get("max") or UNBOUNDED
                found[pattern] = max(found.get(pattern, 0), longest)
    return found


PATTERNS = _patterns()
PIECES = ["a", "_", "@", ".", "-", " ", "!", "1", "é", "/", ":", "=", "\t", "a@", "a.", "a_", "@.", "a-", "ab"]


@pytest.mark.parametrize("pattern", sorted(PATTERNS))
def test_pattern_is_linear_at_its_longest(pattern: str) -> None:
    compiled = _pattern(pattern)
    assert compiled is not None
    length = PATTERNS[pattern]
    slowest = 0.0
    for piece in PIECES:
        base = (piece * length)[:length]
        for tail in ("", "!", "\x01", " ", "@"):
            value = base[: length - len(tail)] + tail
            started = time.perf_counter()
            compiled.fullmatch(value)
            slowest = max(slowest, time.perf_counter() - started)
    # A linear match of the longest value takes milliseconds (more on a loaded machine); a backtracking one is
    # quadratic or worse there, minutes. The bound catches that stall, not a slow machine.
    assert slowest < 1.0, f"{pattern!r} took {slowest:.3f} s on a value of {length}"


def test_linear_rewrites_match_what_the_originals_match() -> None:
    samples = ["a@b", "@b", "a@", "a@@", "@@", "@@@", "a b@c", "ab", "a\n@b", "é@ü.com", "x@y@z", "@", "", "a@b\x00"]
    for original, rewrite in _LINEAR.items():
        slow, fast = regex.compile(original), regex.compile(rewrite)
        for sample in samples:
            assert (slow.fullmatch(sample) is None) == (fast.fullmatch(sample) is None), (original, sample)


def test_a_value_over_its_length_is_not_matched() -> None:
    """The audit's stall: a 512 KB user pool id is refused for its length alone, at once."""
    shape = service_model("cognito-idp").operation_model("AdminGetUser").input_shape
    started = time.perf_counter()
    errors = validate(shape, {"UserPoolId": "a_" * 256000 + "!", "Username": "x"})
    assert time.perf_counter() - started < 0.05
    assert len(errors) == 1
    assert "Member must have length less than or equal to 55" in errors[0]
