"""Database checks before the server starts: one clear line for each way a database URL can be wrong.

Without them a bad ``USERPOOLS_DATABASE_URL`` surfaced as a traceback from deep inside SQLAlchemy (51 lines
for ``mysql://``, 142 for a PostgreSQL that is not running) or named SQLite's lock file rather than the
database. :func:`check` opens the database as the server will, upgrades its schema, and turns each failure
into a :class:`DatabaseProblem` whose text names the setting and what to do.

An in-memory SQLite URL (``sqlite://``, ``sqlite:///:memory:``) would give each pooled connection a
database of its own, empty. :func:`resolve` makes it one database for the process instead: a file in a
fresh directory of ``/dev/shm`` (memory, where the system has it), removed when the process exits.
"""

from __future__ import annotations

import atexit
import errno
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

SETTING = "USERPOOLS_DATABASE_URL (--database-url)"
_MEMORY = ("sqlite://", "sqlite:///:memory:")


class DatabaseProblem(Exception):
    """The database cannot be used as configured; the text is one line saying why and what to do."""


def redacted(url: str) -> str:
    """``url`` with any password hidden, for messages and the banner."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.split("@", 1)[-1] if "@" in url else url


def is_memory(url: str) -> bool:
    return url.split("?", 1)[0] in _MEMORY


def resolve(url: str) -> str:
    """The URL the server opens: an in-memory SQLite URL becomes a file in memory, removed at exit."""
    if not is_memory(url):
        return url
    shm = Path("/dev/shm")
    parent = str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None
    directory = tempfile.mkdtemp(prefix="userpools-memory-", dir=parent)
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    return f"sqlite:///{directory}/userpools.db"


def scheme_problem(url: str) -> str | None:
    """Why the URL's scheme is not one userpools opens, or None."""
    try:
        scheme = make_url(url).drivername.split("+", 1)[0]
    except ArgumentError:
        return f"{SETTING} is not a database URL: {url!r}. Use sqlite:///path/to/file.db or postgresql://user@host/db."
    if scheme in ("sqlite", "postgresql", "postgres"):
        return None
    return (
        f"{SETTING}: the {scheme}:// scheme is not supported (in {redacted(url)}). "
        "Use sqlite:///path/to/file.db or postgresql://user@host:5432/db."
    )


def sqlite_path_problem(url: str) -> str | None:
    """Why the SQLite database file, or the files SQLite and userpools keep beside it, cannot be written.

    Tried rather than judged from permission bits, which root and read-only file systems make lie."""
    database = make_url(url).database
    if not database:
        return None
    path = Path(database).absolute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return (
            f"{SETTING}: cannot create the directory {path.parent} for the SQLite database {path}: "
            f"{error.strerror}. Choose a writable path."
        )
    try:
        with tempfile.TemporaryFile(dir=path.parent):
            pass
    except OSError as error:
        return (
            f"{SETTING}: cannot write the SQLite database {path}: its directory {path.parent} is not writable "
            f"({error.strerror}; SQLite keeps its write-ahead log and userpools a lock file beside the database). "
            "Choose a writable path or fix the directory's permissions."
        )
    if path.exists():
        try:
            os.close(os.open(path, os.O_RDWR))
        except OSError as error:
            return f"{SETTING}: cannot write the SQLite database {path}: {error.strerror}. Fix its permissions."
    return None


def _postgres_problem(url: str, error: BaseException) -> str:
    parsed = make_url(url)
    where = f"{parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database or ''}"
    orig = getattr(error, "orig", None) or error
    text = " ".join(str(orig).split()) or type(orig).__name__
    if "refused" in text.lower():
        advice = "Is PostgreSQL running there? Start it, or fix the host and port in the URL."
        text = "connection refused"
    elif "timeout" in text.lower() or "timed out" in text.lower():
        advice = "Nothing answered: check the host and port, and any firewall."
    elif "does not exist" in text.lower():
        advice = f"Create it (createdb {parsed.database}) or fix the URL."
    elif "password" in text.lower() or "authentication" in text.lower():
        advice = "Check the user name and password in the URL."
    else:
        advice = "Check the URL and that the server accepts connections."
    return f"{SETTING}: cannot connect to PostgreSQL at {where}: {text}. {advice}"


def _probe_postgres(url: str) -> None:
    """Connect once with a short timeout: an unreachable host answers in seconds, not TCP's two minutes."""
    conninfo = make_url(url.replace("postgres://", "postgresql://", 1)).set(drivername="postgresql")
    with psycopg.connect(conninfo.render_as_string(hide_password=False), connect_timeout=5):
        pass


def check(url: str, prepare: Callable[[str], None]) -> None:
    """Raise DatabaseProblem unless ``url`` opens; ``prepare(url)`` opens it and upgrades its schema."""
    problem = scheme_problem(url)
    if problem is None and url.startswith("sqlite"):
        problem = sqlite_path_problem(url)
    if problem is not None:
        raise DatabaseProblem(problem)
    postgres = not url.startswith("sqlite")
    try:
        if postgres:
            _probe_postgres(url)
        prepare(url)
    except (DBAPIError, SQLAlchemyError, OSError, psycopg.Error) as error:
        if postgres and isinstance(error, DBAPIError | OSError | psycopg.Error):
            raise DatabaseProblem(_postgres_problem(url, error)) from error
        if isinstance(error, OSError) and error.errno in (errno.EACCES, errno.EROFS, errno.EPERM):
            database = make_url(url).database
            raise DatabaseProblem(
                f"{SETTING}: cannot write the SQLite database {database} ({error.strerror}: {error.filename}). "
                "Choose a writable path or fix its permissions."
            ) from error
        orig = getattr(error, "orig", None) or error
        raise DatabaseProblem(f"{SETTING}: cannot open {redacted(url)}: {' '.join(str(orig).split())}.") from error
