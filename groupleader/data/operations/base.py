"""The pieces every operation shares: the change set, the result and the unit of work."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from typing import Concatenate, Generic, ParamSpec, TypeVar

from sqlalchemy.orm import Session

from groupleader.data import audit, unit_cache
from groupleader.data.models import Meeting
from groupleader.data.vault import Vault

T = TypeVar("T")
P = ParamSpec("P")


def _ids(values: Iterable[int | None]) -> frozenset[int]:
    return frozenset(v for v in values if v is not None)


@dataclass(frozen=True)
class Changes:
    """What one operation changed, by kind; views refresh only what they show.

    Ids are record ids: `groups` are the groups the change happened in (any kind);
    `meetings`, `attendance`, `seating` and `notes` name sessions.
    """

    groups: frozenset[int] = frozenset()
    group_records: bool = False  # a group created, edited, archived or deleted
    roster: bool = False  # memberships (in `groups`) or member details (`members`)
    members: frozenset[int] = frozenset()
    meetings: frozenset[int] = frozenset()  # scheduled, moved, held, cancelled, topic
    attendance: frozenset[int] = frozenset()
    seating: frozenset[int] = frozenset()  # chairs and interactions
    notes: frozenset[int] = frozenset()  # notes, signatures, addenda
    clinicians: bool = False
    # groups whose risk register, agreement rules or boundary incidents changed
    register: frozenset[int] = frozenset()
    hide_terms: bool = False  # the vault's general terms to hide

    @property
    def empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))

    def __or__(self, other: Changes) -> Changes:
        merged = {}
        for f in fields(self):
            a, b = getattr(self, f.name), getattr(other, f.name)
            merged[f.name] = a | b
        return Changes(**merged)

    def in_group(self, group_id: int | None) -> bool:
        return group_id is not None and group_id in self.groups

    def session_facts(self) -> frozenset[int]:
        """Sessions whose schedule, attendance or seating changed (not only their notes)."""
        return self.meetings | self.attendance | self.seating


NO_CHANGES = Changes()


@dataclass(frozen=True)
class Done(Generic[T]):
    """An operation's result: its value (snapshots or ids) and what it changed."""

    value: T
    changes: Changes = field(default=NO_CHANGES)


class Unit:
    """One open unit of work: the session, and the action's audit events."""

    def __init__(self, db: Session) -> None:
        self.db = db
        self._mark = self._total_changes()

    def _total_changes(self) -> int:
        raw = self.db.connection().connection.dbapi_connection
        return int(raw.total_changes) if raw is not None else 0

    def wrote(self) -> bool:
        """Whether anything has been written in this unit of work so far."""
        self.db.flush()
        return self._total_changes() != self._mark

    def audit(
        self, action: str, record_type: str, *record_ids: int | None,
        details: Sequence[str | None] | None = None,
    ) -> None:
        """One event per id (the action and the record's id, never its text); `details`,
        one per id, carry digests (a signature's), never clinical text."""
        audit.record_many(self.db, action, record_type, list(record_ids), details)

    def audit_if_wrote(self, action: str, record_type: str, record_id: int | None) -> None:
        """The event for a save that may have found nothing to change (then none)."""
        if self.wrote():
            self.audit(action, record_type, record_id)

    def group_of(self, meeting_id: int) -> int:
        editors = self.db.info.get(unit_cache.EDITORS) or {}
        known = next((e.group_id for (mid, _), e in editors.items() if mid == meeting_id), None)
        if known is not None:  # a checked note editor of this session knows its group
            return known
        m = self.db.get(Meeting, meeting_id)
        return m.group_id if m is not None else 0


@contextmanager
def unit(vault: Vault) -> Iterator[Unit]:
    """The operation's one transaction: it commits when the block ends without error."""
    with vault.unit_of_work() as db:
        yield Unit(db)


def query(
    vault: Vault, fn: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
) -> T:
    """Run one read service (or a function composing several) in its own unit of work."""
    with vault.unit_of_work() as db:
        return fn(db, *args, **kwargs)


def in_groups(*group_ids: int | None) -> frozenset[int]:
    return _ids(group_ids)
