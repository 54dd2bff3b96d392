"""The audit trail: one hash-chained event per write, unlock, export or print.

An event names the action, the record type and the record's id, never a note's text
or a person's name. Each event's hash covers its own fields and the hash of the event
before it, so altering any event breaks its own hash and removing one breaks the link
of the next. Ids come from AUTOINCREMENT (never reused), so a removed last event shows
as a gap against ``sqlite_sequence``. A trigger also refuses UPDATE and DELETE on the
table; the chain is what catches someone who removed the trigger.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from groupleader.data import clock
from groupleader.data.models import AuditEvent

GENESIS = "0" * 64


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
    """
    if not record_ids:
        return
    prev = db.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    prev_hash = prev or GENESIS
    at = clock.now()
    events = []
    for record_id in record_ids:
        digest = _digest(prev_hash, at, action, record_type, record_id)
        events.append(AuditEvent(at=at, action=action, record_type=record_type,
                                 record_id=record_id, prev_hash=prev_hash, hash=digest))
        prev_hash = digest
    db.add_all(events)
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
