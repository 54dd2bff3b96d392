"""Reading amendments: the corrections recorded on signed sessions (`groupleader.amendments`).

Amendments are rows of ``addenda`` of kind "amendment" on a group note's signature. The
reads here give them per session, oldest first, so the attendance reads can lay them over
the marks as recorded (`attendance_overlay`). Amendments are rare: one query each, and
nothing at all to do for the sessions that have none.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from groupleader import amendments
from groupleader.data.models import Addendum, AddendumKind, Meeting, MeetingNote, Signature


def changes_where(
    db: Session, where: ColumnElement[bool]
) -> list[tuple[int, Mapping[str, Any]]]:
    """(meeting id, change) of every amendment of the sessions `where` selects (on
    `Meeting`), oldest first."""
    rows = db.execute(
        select(MeetingNote.meeting_id, Addendum.change)
        .join(Signature, Signature.meeting_note_id == MeetingNote.id)
        .join(Addendum, Addendum.signature_id == Signature.id)
        .join(Meeting, Meeting.id == MeetingNote.meeting_id)
        .where(Addendum.kind == AddendumKind.AMENDMENT, where)
        .order_by(Addendum.created_at, Addendum.id))
    return [(mid, change) for mid, change in rows if isinstance(change, Mapping)]


def of_meetings(db: Session, meeting_ids: Collection[int]) -> list[tuple[int, Mapping[str, Any]]]:
    return changes_where(db, Meeting.id.in_(list(meeting_ids))) if meeting_ids else []


def of_group(db: Session, group_id: int) -> list[tuple[int, Mapping[str, Any]]]:
    return changes_where(db, Meeting.group_id == group_id)


def attendance_overlay(
    db: Session, *, meeting_ids: Collection[int] | None = None, group_id: int | None = None
) -> dict[tuple[int, int], tuple[str, int | None]]:
    """(meeting id, membership id) -> the (status, minutes late) amendments set."""
    changes = of_group(db, group_id) if group_id is not None else of_meetings(
        db, meeting_ids or ())
    return amendments.attendance_overlay(changes)
