"""What a point-in-time recovery changes: the plan read from the change history (storage/history.py), its
preview counts, and applying it through the ordinary repositories (whose writes are recorded in turn).

A user's or group's state at the recovery point is the first image recorded after it, or the row as it is
now when none was (unchanged since), or absence when it was created after the point. Memberships the same,
by group and user row id (a restored user gets its old row id back).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from userpools.domain.groups import Group
from userpools.domain.pools import Pool
from userpools.domain.users import User, UserStatus
from userpools.steps import aliases
from userpools.storage.errors import Conflict
from userpools.storage.recoveries import UserImage
from userpools.storage.unit import Tx

log = logging.getLogger(__name__)

# The preview's entity types (RestorePreviewType.Entity), in Cognito's words.
USERS, GROUPS, USER_MFAS = "Users", "Groups", "User MFAs"


@dataclass
class Counts:
    create: int = 0
    update: int = 0
    delete: int = 0

    def shown(self, entity: str) -> dict[str, Any]:
        return {"Entity": entity, "CreateCount": self.create, "UpdateCount": self.update, "DeleteCount": self.delete}


@dataclass
class Plan:
    """Everything the recovery does, and the counts its preview shows."""

    delete_users: list[User] = field(default_factory=list)  # created after the point
    restore_users: list[tuple[UserImage, User | None]] = field(default_factory=list)  # (then, now)
    delete_groups: list[str] = field(default_factory=list)
    restore_groups: list[tuple[Group, bool]] = field(default_factory=list)  # (then, exists now)
    memberships: dict[tuple[str, int], bool] = field(default_factory=dict)
    counts: dict[str, Counts] = field(default_factory=lambda: {USERS: Counts(), GROUPS: Counts(), USER_MFAS: Counts()})

    def preview(self) -> list[dict[str, Any]]:
        return [c.shown(entity) for entity, c in self.counts.items()]


def _user_differs(then: User, now: User) -> bool:
    return (then.status, then.enabled, then.attributes, then.mfa, then.modified) != (
        now.status,
        now.enabled,
        now.attributes,
        now.mfa,
        now.modified,
    )


def _count_mfa(counts: Counts, then: dict[str, Any] | None, now: dict[str, Any] | None) -> None:
    if then and not now:
        counts.create += 1
    elif now and not then:
        counts.delete += 1
    elif then and now and then != now:
        counts.update += 1


def _group_differs(then: Group, now: Group) -> bool:
    return then != now


def plan(tx: Tx, pool: Pool, moment: datetime) -> Plan:
    """Read what returning ``pool``'s user data to ``moment`` takes (reads only)."""
    out = Plan()
    users, mfas, groups = out.counts[USERS], out.counts[USER_MFAS], out.counts[GROUPS]
    for user in tx.history.created_after(pool.id, moment):
        out.delete_users.append(user)
        users.delete += 1
        _count_mfa(mfas, None, user.mfa)
    for sub, image in tx.history.users_at(pool.id, moment).items():
        if image is None:
            continue  # created after the point: deleted above if it still exists
        current = tx.users.get_by_sub(pool.id, sub)
        if current is None:
            users.create += 1
        elif _user_differs(image.user, current):
            users.update += 1
        else:
            continue
        _count_mfa(mfas, image.user.mfa, current.mfa if current else None)
        out.restore_users.append((image, current))
    images = tx.history.groups_at(pool.id, moment)
    current_groups = tx.history.current_groups(pool.id)
    for name, group in current_groups.items():
        if name in images:
            then = images[name]
            if then is None:
                out.delete_groups.append(name)
                groups.delete += 1
            elif _group_differs(then, group):
                out.restore_groups.append((then, True))
                groups.update += 1
        elif group.created > moment:
            out.delete_groups.append(name)
            groups.delete += 1
    for name, then in images.items():
        if then is not None and name not in current_groups:
            out.restore_groups.append((then, False))
            groups.create += 1
    out.memberships = tx.history.memberships_at(pool.id, moment)
    return out


def _restored(then: User, now: User | None) -> User:
    """The user as it was then; one who changed their password since keeps it (as Cognito documents)."""
    if now is None or now.credentials == then.credentials:
        return then
    status = then.status
    if status in (UserStatus.FORCE_CHANGE_PASSWORD, UserStatus.RESET_REQUIRED) and now.status == UserStatus.CONFIRMED:
        status = now.status  # the password set since is a permanent one
    return replace(then, credentials=now.credentials, status=status)


def apply(tx: Tx, pool: Pool, work: Plan) -> None:
    """Carry the plan out (the pool's writes must no longer be paused)."""
    for user in work.delete_users:
        assert user.id is not None
        tx.users.delete(user.id)
    for name in work.delete_groups:
        tx.groups.delete(pool.id, name)
    for _image, current in work.restore_users:
        if current is not None:
            tx.users.set_aliases(current, {})  # freed first: two restored users may swap an alias
    restored: list[User] = []
    for image, current in work.restore_users:
        user = _restored(image.user, current)
        if current is None:
            tx.users.reinsert(user, image.username_key)
        else:
            user.id = current.id
            tx.users.update(user)
        restored.append(user)
    for user in restored:
        try:
            with tx.attempt():
                tx.users.set_aliases(user, aliases.wanted(pool, user), new=True)
        except Conflict:  # held by a user the recovery left alone: that user keeps it
            log.warning("Point-in-time recovery: an alias of a restored user of %s is held by another user", pool.id)
    for group, exists in work.restore_groups:
        if exists:
            tx.groups.update(group)
        else:
            tx.groups.insert(group)
    for (name, user_id), present in work.memberships.items():
        if not present:
            tx.groups.remove_member(pool.id, name, user_id)
            continue
        member = tx.users.get_by_id(user_id)
        if member is not None and member.pool_id == pool.id and tx.groups.get(pool.id, name) is not None:
            tx.groups.add_member(pool.id, name, user_id)
