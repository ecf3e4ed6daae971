"""Settings owns every USERPOOLS_* variable, and the README documents each one."""

from __future__ import annotations

import re
from pathlib import Path

from userpools.settings import VARIABLES, Settings

ROOT = Path(__file__).resolve().parent.parent
NAME = re.compile(r"\bUSERPOOLS_[A-Z0-9_]+\b")


def test_every_variable_read_in_the_source_is_declared_in_settings() -> None:
    used = {name for path in (ROOT / "src").rglob("*.py") for name in NAME.findall(path.read_text())}
    assert used - set(VARIABLES) == set()


def test_the_readme_documents_every_variable() -> None:
    readme = (ROOT / "README.md").read_text()
    assert [name for name in VARIABLES if f"`{name}" not in readme] == []


def test_environment_fills_the_settings() -> None:
    settings = Settings.from_env(
        {"USERPOOLS_PORT": "9300", "USERPOOLS_DB_POOL_SIZE": "7", "USERPOOLS_STATEMENT_TIMEOUT_MS": "500"}
    )
    assert (settings.port, settings.db_pool_size, settings.statement_timeout_ms) == (9300, 7, 500)
    assert Settings.from_env({"USERPOOLS_PORT": "9300"}, port=9400).port == 9400
