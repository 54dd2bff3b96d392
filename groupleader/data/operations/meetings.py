"""Operations on sessions: scheduling, holding, cancelling, attendance."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from groupleader.data.operations.base import Changes, Done, unit
from groupleader.data.services import meetings
from groupleader.data.snapshots import AttendanceRow, DeletedMeeting, MeetingSnap
from groupleader.data.vault import Vault


def _meeting_changed(m: MeetingSnap) -> Changes:
    return Changes(groups=frozenset({m.group_id}), meetings=frozenset({m.id}))


def schedule_meeting(
    vault: Vault, group_id: int, starts_at: datetime | None = None,
    length_minutes: int | None = None, topic: str = "",
) -> Done[MeetingSnap]:
    with unit(vault) as u:
        m = meetings.schedule_meeting(u.db, group_id, starts_at, length_minutes, topic)
        u.audit("meeting.schedule", "meeting", m.id)
        return Done(m, _meeting_changed(m))


def reschedule_meeting(
    vault: Vault, meeting_id: int, starts_at: datetime, length_minutes: int | None = None
) -> Done[MeetingSnap]:
    with unit(vault) as u:
        m = meetings.reschedule_meeting(u.db, meeting_id, starts_at, length_minutes)
        u.audit("meeting.reschedule", "meeting", m.id)
        return Done(m, _meeting_changed(m))


def set_topic(vault: Vault, meeting_id: int, topic: str) -> Done[MeetingSnap]:
    with unit(vault) as u:
        m = meetings.set_topic(u.db, meeting_id, topic)
        u.audit_if_wrote("meeting.topic", "meeting", m.id)
        return Done(m, _meeting_changed(m))


def hold_meeting(
    vault: Vault, meeting_id: int, leader_ids: tuple[int, ...] | list[int] | None = None
) -> Done[MeetingSnap]:
    with unit(vault) as u:
        m = meetings.hold_meeting(u.db, meeting_id, leader_ids)
        u.audit("meeting.hold", "meeting", m.id)
        return Done(m, _meeting_changed(m))


def cancel_meeting(vault: Vault, meeting_id: int) -> Done[MeetingSnap]:
    with unit(vault) as u:
        m = meetings.cancel_meeting(u.db, meeting_id)
        u.audit("meeting.cancel", "meeting", m.id)
        return Done(m, _meeting_changed(m))


def delete_meeting(vault: Vault, meeting_id: int) -> Done[DeletedMeeting]:
    """Delete an empty session (made by mistake); the value brings it back
    (`restore_meeting`)."""
    with unit(vault) as u:
        gone = meetings.delete_meeting(u.db, meeting_id)
        u.audit("meeting.delete", "meeting", gone.id)
        return Done(gone, Changes(groups=frozenset({gone.group_id}),
                                  meetings=frozenset({gone.id})))


def restore_meeting(vault: Vault, gone: DeletedMeeting) -> Done[MeetingSnap]:
    """Undo of a deletion (or redo of a new session undone): the session comes back."""
    with unit(vault) as u:
        m = meetings.restore_meeting(u.db, gone)
        u.audit("meeting.restore", "meeting", m.id)
        return Done(m, _meeting_changed(m))


def reinstate_meeting(vault: Vault, meeting_id: int) -> Done[MeetingSnap]:
    with unit(vault) as u:
        m = meetings.reinstate_meeting(u.db, meeting_id)
        u.audit("meeting.reinstate", "meeting", m.id)
        return Done(m, _meeting_changed(m))


def _attendance_changed(group_id: int, meeting_id: int) -> Changes:
    return Changes(groups=frozenset({group_id}), attendance=frozenset({meeting_id}))


def record_attendance(
    vault: Vault, meeting_id: int, member_id: int, status: str,
    minutes_late: int | None = None,
) -> Done[AttendanceRow]:
    with unit(vault) as u:
        row = meetings.record_attendance(u.db, meeting_id, member_id, status, minutes_late)
        u.audit("attendance.record", "membership", row.membership_id)
        return Done(row, _attendance_changed(u.group_of(meeting_id), meeting_id))


def record_attendance_many(
    vault: Vault, meeting_id: int, rows: Sequence[tuple[int, str, int | None]]
) -> Done[list[AttendanceRow]]:
    """Several members' attendance at once ("Everyone present"): all or nothing."""
    with unit(vault) as u:
        written = meetings.record_attendance_many(u.db, meeting_id, rows)
        u.audit("attendance.record", "membership", *(r.membership_id for r in written))
        return Done(written, _attendance_changed(u.group_of(meeting_id), meeting_id))


def clear_attendance(vault: Vault, meeting_id: int, member_id: int) -> Done[bool]:
    with unit(vault) as u:
        cleared = meetings.clear_attendance(u.db, meeting_id, member_id)
        if cleared:
            u.audit("attendance.clear", "meeting", meeting_id)
        return Done(cleared, _attendance_changed(u.group_of(meeting_id), meeting_id))


def take_attendance(
    vault: Vault, meeting_id: int, rows: Sequence[tuple[int, str, int | None]]
) -> Done[tuple[list[AttendanceRow], MeetingSnap]]:
    """Record attendance from the session's screen; a scheduled session becomes held.

    One action, one transaction: the marks and the session's new status are written
    together or not at all.
    """
    with unit(vault) as u:
        written = meetings.record_attendance_many(u.db, meeting_id, rows)
        u.audit("attendance.record", "membership", *(r.membership_id for r in written))
        m = meetings.get_meeting(u.db, meeting_id)
        changes = _attendance_changed(m.group_id, meeting_id)
        if m.status == "scheduled":
            m = meetings.hold_meeting(u.db, meeting_id)
            u.audit("meeting.hold", "meeting", m.id)
            changes = changes | _meeting_changed(m)
        return Done((written, m), changes)
