"""The audit trail: one hash-chained event per write, unlock, export or print.

An event names the action, the record type and the record's id, never a note's text
or a person's name. Each event's hash covers its own fields and the hash of the event
before it, so altering any event breaks its own hash and removing one breaks the link
of the next. Ids come from AUTOINCREMENT (never reused), so a removed last event shows
as a gap against ``sqlite_sequence``. A trigger also refuses UPDATE and DELETE on the
table; the chain is what catches someone who removed the trigger.

Work that only reads (unlocking, verifying, exporting, printing, backing up) writes
nothing to the vault: its events wait in memory as `Pending` events (`Vault.audit_later`)
and join the chain, each with its own moment, in the next unit of work that writes
anything, ahead of that unit's own events, so the chain stays in time order. A session
that never writes records none of them (docs/decisions.md says why).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import NamedTuple

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from groupleader.data import clock
from groupleader.data.models import AuditEvent

GENESIS = "0" * 64
# The key in `Session.info` under which a unit of work hands its vault's pending events
# to the first `record_many` of the unit (see `Vault.unit_of_work`).
PENDING = "groupleader.pending_audit"


class Pending(NamedTuple):
    """An event of read-only work, waiting for the next write (its moment kept)."""

    at: datetime
    action: str
    record_type: str
    record_id: int | None


def _digest(
    prev_hash: str, at: datetime, action: str, record_type: str, record_id: int | None
) -> str:
    stamp = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
    payload = "\x1f".join((prev_hash, stamp, action, record_type, str(record_id)))
    return hashlib.sha256(payload.encode()).hexdigest()


def record(db: Session, action: str, record_type: str, record_id: int | None) -> None:
    """Append one event in the caller's transaction (it commits or rolls back with it)."""
    record_many(db, action, record_type, [record_id])


def record_many(
    db: Session, action: str, record_type: str, record_ids: Sequence[int | None]
) -> None:
    """Append one event per id, in order, with one query and one flush (batch services).

    The chain is the same as from calling `record` once per id; all share one moment.
    Events still pending in this unit of work (`PENDING`) go first.
    """
    if not record_ids:
        return
    at = clock.now()
    pending: list[Pending] = db.info.pop(PENDING, None) or []
    _append(db, [*pending, *(Pending(at, action, record_type, rid) for rid in record_ids)])


def write_pending(db: Session) -> int:
    """Append the events still pending in this unit of work (it wrote, but no event yet)."""
    pending: list[Pending] = db.info.pop(PENDING, None) or []
    _append(db, pending)
    return len(pending)


def _append(db: Session, events: Sequence[Pending]) -> None:
    if not events:
        return
    prev = db.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    prev_hash = prev or GENESIS
    rows = []
    for e in events:
        digest = _digest(prev_hash, e.at, e.action, e.record_type, e.record_id)
        rows.append(AuditEvent(at=e.at, action=e.action, record_type=e.record_type,
                               record_id=e.record_id, prev_hash=prev_hash, hash=digest))
        prev_hash = digest
    db.add_all(rows)
    db.flush()


def verify_chain(db: Session) -> list[str]:
    """Problems found in the audit trail; an empty list means it is intact."""
    problems: list[str] = []
    prev_hash = GENESIS
    prev_id = 0
    for event in db.scalars(select(AuditEvent).order_by(AuditEvent.id)):
        if event.id != prev_id + 1:
            problems.append(f"events {prev_id + 1}-{event.id - 1} are missing")
        if event.prev_hash != prev_hash:
            problems.append(f"event {event.id} does not follow the event before it")
        expected = _digest(
            event.prev_hash, event.at, event.action, event.record_type, event.record_id
        )
        if event.hash != expected:
            problems.append(f"event {event.id} was altered")
        prev_hash, prev_id = event.hash, event.id
    seq = db.execute(
        text("SELECT seq FROM sqlite_sequence WHERE name = 'audit_events'")
    ).scalar()
    if seq is not None and seq > prev_id:
        problems.append(f"events {prev_id + 1}-{seq} at the end are missing")
    return problems
