"""Users and groups: the users themselves (with their aliases and the pool's count), groups and their
members, a user import's bulk insert, and what point-in-time recovery reads and records.

Writes to a pool's users, groups and memberships raise domain.errors.OperationNotEnabledException while a
recovery pauses them, and record the history recovery reads, inside the same unit of work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from datetime import datetime

    from userpools.domain.filters import Filter
    from userpools.domain.groups import Group
    from userpools.domain.users import User
    from userpools.storage.recoveries import RecoveryRecord, UserImage
    from userpools.storage.user_import import NewUser


class Users(Protocol):
    """A pool's users, found by username key, row id, sub or alias. In a writing unit of work the rows read
    are locked until it ends, so two requests updating one user cannot lose either update.

    A username or sub another user has ends the unit of work (or its ``attempt()``) in Conflict("username"),
    an alias another user holds in Conflict("alias")."""

    def get(self, pool_id: str, username_key: str) -> User | None: ...

    def get_by_id(self, user_id: int) -> User | None: ...

    def get_by_sub(self, pool_id: str, sub: str) -> User | None: ...

    def get_by_alias(self, pool_id: str, kind: str, value: str) -> User | None: ...

    def alias_owner(self, pool_id: str, kind: str, value: str) -> int | None:
        """The row id of the user holding the alias."""

    def lock_alias(self, pool_id: str, kind: str, value: str) -> None:
        """Hold the right to move this alias until the unit of work ends: concurrent moves of one alias
        (ForceAliasCreation) run one after the other, each reading the owner the previous one left."""

    def page(
        self, pool_id: str, flt: Filter | None, after: tuple[Any, int] | None, limit: int
    ) -> list[tuple[User, tuple[Any, int]]]:
        """Up to ``limit`` users after the cursor ``(sort value, id)``, the filter applied first; each with
        its own cursor."""

    def insert(self, user: User, username_key: str) -> int:
        """The new user's row id (set on ``user`` too); its index rows and the pool's count follow."""

    def reinsert(self, user: User, username_key: str) -> None:
        """A deleted user back under its old row id (point-in-time recovery)."""

    def claim(self, user: User, username_key: str) -> bool:
        """:meth:`insert`, unless the pool has a user of that username: then False, and nothing written. A
        concurrent claim of the same username waits for the other's unit of work to end."""

    def update(self, user: User) -> None: ...

    def delete(self, user_id: int) -> None:
        """The pool's count follows."""

    def adjust_count(self, pool_id: str, delta: int) -> None:
        """Add ``delta`` to the pool's user count (insert, claim and delete do; so must any other writer)."""

    def write_pending_counts(self) -> None:
        """A batch's added-up count changes, written at its commit (engine.Batch)."""

    def set_aliases(self, user: User, wanted: dict[str, str], *, new: bool = False) -> None:
        """Make the user's aliases exactly ``wanted`` (kind → value); ``new``: the user holds none yet."""

    def remove_alias(self, pool_id: str, kind: str, value: str, owner_id: int) -> None:
        """Take the alias from ``owner_id``; storage.conflicts.ConcurrentChange (the unit of work runs again)
        when someone else holds it by now."""


class Groups(Protocol):
    """A pool's groups and their members."""

    def get(self, pool_id: str, name: str) -> Group | None: ...

    def insert(self, group: Group) -> None:
        """A name the pool has already ends the unit of work in Conflict("unique")."""

    def update(self, group: Group) -> None:
        """Write the description, role, precedence and modification time."""

    def delete(self, pool_id: str, name: str) -> None: ...

    def page(self, pool_id: str, after: str | None, limit: int) -> list[Group]:
        """In name order, after the name ``after``."""

    def add_member(self, pool_id: str, name: str, user_id: int) -> None:
        """Nothing when the user is a member already; raises Conflict("missing") when the group or the user
        was deleted meanwhile."""

    def remove_member(self, pool_id: str, name: str, user_id: int) -> None: ...

    def of_user(self, pool_id: str, user_id: int, after: str | None, limit: int) -> list[Group]:
        """The user's groups in name order, after the name ``after``."""

    def members(self, pool_id: str, name: str, after: int | None, limit: int) -> list[User]:
        """In row id order, after the id ``after``."""


class BulkUsers(Protocol):
    """Many new users of one pool at once (a user import's batch)."""

    def taken_usernames(self, pool_id: str, keys: list[str]) -> set[str]:
        """Which of the username ``keys`` some user of the pool has."""

    def taken_aliases(self, pool_id: str, kind: str, values: list[str]) -> set[str]:
        """Which of ``values`` (aliases of ``kind``) some user of the pool holds."""

    def insert(self, pool_id: str, status: str, now: datetime, new: list[NewUser], indexed: frozenset[str]) -> None:
        """Write the users (the caller has checked that no username or alias is taken), their index and alias
        rows, and the pool's count."""


class History(Protocol):
    """What point-in-time recovery reads: each user, group and membership as it was at a moment."""

    def users_at(self, pool_id: str, moment: datetime) -> dict[str, UserImage | None]:
        """By sub, each user changed after ``moment`` as it was then (None: it did not exist yet)."""

    def created_after(self, pool_id: str, moment: datetime) -> list[User]: ...

    def groups_at(self, pool_id: str, moment: datetime) -> dict[str, Group | None]:
        """By name, each group changed after ``moment`` as it was then (None: it did not exist yet)."""

    def current_groups(self, pool_id: str) -> dict[str, Group]: ...

    def memberships_at(self, pool_id: str, moment: datetime) -> dict[tuple[str, int], bool]:
        """By (group, user id), whether each membership changed after ``moment`` existed then."""


class Recoveries(Protocol):
    """Point-in-time recoveries of pools (RestoreUserPool's jobs)."""

    def get(self, pool_id: str, restore_id: str) -> RecoveryRecord | None: ...

    def insert(self, record: RecoveryRecord) -> None: ...

    def update(self, record: RecoveryRecord) -> None: ...

    def of_pool(self, pool_id: str, since: datetime | None = None) -> list[RecoveryRecord]:
        """Newest first; with ``since``, only those initiated after it."""

    def page(self, pool_id: str, after: tuple[datetime, str] | None, limit: int) -> list[RecoveryRecord]:
        """Newest first, after the cursor ``(trigger_at, restore_id)``."""

    def active(self, statuses: tuple[str, ...]) -> list[RecoveryRecord]:
        """Every pool's recoveries in one of ``statuses``."""
