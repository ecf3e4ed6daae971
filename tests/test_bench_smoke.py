"""``make bench`` at a tiny size against userpools only, so the harness cannot rot. No timing is asserted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bench import inprocess, run

ALWAYS = {"create_suppress", "create_invite", "get_user", "list_email_eq", "list_email_prefix", "mixed"}


def test_bench_harness_runs_at_tiny_size(tmp_path: Path) -> None:
    saved = run.main(
        [
            "--sizes",
            "50",
            "--duration",
            "1",
            "--targets",
            "userpools-sqlite",
            "--connections",
            "4",
            "--create-rate",
            "100",
            "--signin-users",
            "3",
            "--out",
            str(tmp_path),
        ]
    )
    report = json.loads(saved.read_text())
    rows = {row["workload"]: row for row in report["rows"]}
    assert set(rows) >= ALWAYS
    for workload in ALWAYS:
        assert rows[workload]["ok"] > 0, rows[workload]
        assert rows[workload]["ok"] == rows[workload]["requests"], rows[workload]
        assert rows[workload]["cpu_per_1k"] is not None
    signed_in = {"signin_password", "signin_srp", "refresh"} & set(rows)
    if signed_in:  # sign-in is implemented: its workloads ran and succeeded
        assert all(rows[w]["ok"] > 0 for w in signed_in), [rows[w] for w in signed_in]
    else:  # not yet: the run says why it skipped them
        assert any("sign-in workloads skipped" in note for note in report["notes"])
    assert "userpools-sqlite" in report["table"]


def test_in_process_harness_runs_every_workload(capsys: pytest.CaptureFixture[str]) -> None:
    """``python -m bench.inprocess``: the gateway called directly, at a tiny size (bench/inprocess.py)."""
    for workload in inprocess.WORKLOADS:
        inprocess.main([workload, "--users", "20", "--requests", "10", "--together", "4"])
        line = capsys.readouterr().out.strip().splitlines()[-1]
        assert line.startswith(f"{workload}: ") and "10 timed" in line, line
