"""What else happened to a member's attendance (issue 16): minutes left early, the
reason for an absence, and for an absence without notice whether and when the member
was contacted and what came of it. Part of the session's facts: locked when signed."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from groupleader.data.models import Attendance, AttendanceStatus, Meeting, Member, Membership
from groupleader.data.register_snapshots import AttendanceDetails
from groupleader.data.services._common import fetch, not_after_today, text, unlocked, whole
from groupleader.data.services.meetings import attendance_row
from groupleader.data.snapshots import AttendanceRow
from groupleader.errors import InvalidInput

NOTE_LIMIT = 2_000


def set_details(db: Session, meeting_id: int, member_id: int,
                details: AttendanceDetails) -> AttendanceRow:
    """Record the details of a member's attendance mark (which must be recorded first):
    left early only for someone present or late, a reason only for an absence, contact
    only for an absence without notice (a date needs "contacted", and is not before the
    session)."""
    m = unlocked(db, fetch(db, Meeting, meeting_id, "meeting_id"))
    member = fetch(db, Member, member_id, "member_id")
    found = db.execute(select(Attendance, Membership)
                       .join(Membership, Membership.id == Attendance.membership_id)
                       .where(Attendance.meeting_id == m.id,
                              Membership.member_id == member.id)).first()
    if found is None:
        raise InvalidInput("Record whether the member came first.", "status")
    row, ms = found
    present = row.status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE)
    left = details.minutes_left_early
    if left is not None:
        if not present:
            raise InvalidInput("Left early applies only to someone who came.",
                               "minutes_left_early")
        left = whole(left, "minutes_left_early", "the minutes left early", 1,
                     m.length_minutes - (row.minutes_late or 0))
    reason = text(details.absence_reason, "absence_reason", "the reason", limit=NOTE_LIMIT)
    if reason and present:
        raise InvalidInput("A reason for an absence applies only to someone absent.",
                           "absence_reason")
    note = text(details.contact_note, "contact_note", "what came of the contact",
                limit=NOTE_LIMIT)
    contacted, on = bool(details.contacted), details.contacted_on
    no_notice = row.status == AttendanceStatus.ABSENT_NO_NOTICE
    if (contacted or on is not None or note) and not no_notice:
        raise InvalidInput("Contact after an absence applies to an absence without notice.",
                           "contacted")
    if on is not None:
        if not contacted:
            raise InvalidInput("Tick \u201ccontacted\u201d to give the date of contact.",
                               "contacted_on")
        if not isinstance(on, date) or on < m.starts_at.astimezone().date():
            raise InvalidInput("Date the contact on or after the session.", "contacted_on")
        not_after_today(on, "contacted_on", "the contact")
    row.minutes_left_early, row.absence_reason = left, reason
    row.contacted, row.contacted_on, row.contact_note = contacted, on, note
    db.flush()
    return attendance_row(row, ms, member)
