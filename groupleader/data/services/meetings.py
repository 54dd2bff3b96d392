"""Meetings (sessions) and attendance.

Sessions are numbered 1, 2, 3... per group in the order they are scheduled, which must
be the order of their dates ("session 29 in all": a cancelled session keeps this number;
file names and `export --session` use it). A fixed-length group also numbers its
sessions within numbered cycles ("session 4 of 12, cycle 2"), and there a cancelled
session keeps no course number: "7 of 12" is the 7th meeting held (or scheduled and not
cancelled), so cancelling a session, or reinstating it, renumbers the course sessions
after it (computed when read, `_common.course_place`; nothing stored changes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Protocol

from sqlalchemy import ColumnElement, and_, bindparam, case, delete, exists, func, or_, select
from sqlalchemy.orm import Session

from groupleader.data import clock
from groupleader.data.models import (
    Attendance,
    AttendanceStatus,
    BoundaryIncident,
    Clinician,
    Group,
    GroupFormat,
    GroupLeader,
    IncidentFollowUp,
    Interaction,
    Meeting,
    MeetingLeader,
    MeetingNote,
    MeetingStatus,
    Member,
    MemberNote,
    Membership,
    PrivateNote,
    RiskEntry,
    RiskReview,
    Seat,
    Signature,
)
from groupleader.data.services import amendments as amendments_svc
from groupleader.data.services import members as members_svc
from groupleader.data.services._common import (
    CLINICIAN_COLUMNS,
    MEETING_COLUMNS,
    aware,
    choice,
    clinician_snap_from,
    course_place,
    fetch,
    local_date,
    meeting_snap,
    meeting_snap_of,
    not_cancelled_before,
    session_signed,
    text,
    unlocked,
    whole,
)
from groupleader.data.snapshots import (
    AttendanceRow,
    ClinicianSnap,
    DeletedMeeting,
    EligibleMember,
    MeetingOverview,
    MeetingSnap,
)
from groupleader.errors import InvalidInput

_ATTENDED = frozenset({AttendanceStatus.PRESENT, AttendanceStatus.LATE})
HOLD_AHEAD = timedelta(hours=24)  # a session may be marked held this long before it starts
# A leader writing notes in the evening after the group: "New session" means the one that
# met earlier today, not next week's, if no session was recorded for that slot yet.
RECENT_SLOT = timedelta(hours=18)

def _next_slot(group: Group, after: datetime) -> datetime:
    """The group's next regular weekday and local time strictly after `after`."""
    if group.weekday is None or group.start_time is None:
        raise InvalidInput(
            "Enter the date and time: this group has no regular day and time set.", "starts_at")
    day = after.astimezone().date()
    for offset in range(15):
        d = day + timedelta(days=offset)
        if d.weekday() == group.weekday:
            slot = datetime.combine(d, group.start_time).astimezone()  # local wall clock
            if slot > after:
                return slot
    raise AssertionError("unreachable: a weekday recurs within 15 days")


def schedule_meeting(
    db: Session, group_id: int, starts_at: datetime | None = None,
    length_minutes: int | None = None, topic: str = "",
) -> MeetingSnap:
    """Schedule the group's next session; by default at its next regular day and time.

    The default is the first regular slot after the last session that is not more than
    RECENT_SLOT in the past, so a session that met a few hours ago can still be written up.
    """
    group = fetch(db, Group, group_id, "group_id")
    if group.archived:
        raise InvalidInput("This group is archived; restore it first.", "group_id")
    last = db.scalars(select(Meeting).where(Meeting.group_id == group.id)
                      .order_by(Meeting.number.desc()).limit(1)).first()
    if starts_at is None:
        recent = clock.now() - RECENT_SLOT
        starts_at = _next_slot(group, max(recent, last.starts_at) if last else recent)
    aware(starts_at, "starts_at")
    if last is not None and starts_at <= last.starts_at:
        raise InvalidInput(
            f"A new session must start after session {last.number} "
            f"({last.starts_at.astimezone():%d %b %Y %H:%M}).", "starts_at")
    number = last.number + 1 if last else 1
    cycle = number_in_cycle = None
    if group.format == GroupFormat.FIXED and group.sessions_per_cycle:
        # marks a course session; its course number is computed when read (`course_place`)
        held = db.scalar(select(func.count()).select_from(Meeting).where(
            Meeting.group_id == group.id, Meeting.status != MeetingStatus.CANCELLED)) or 0
        cycle, number_in_cycle = course_place(held, group.sessions_per_cycle)
    meeting = Meeting(
        group_id=group.id, number=number, cycle=cycle, number_in_cycle=number_in_cycle,
        starts_at=starts_at,
        length_minutes=whole(length_minutes or group.length_minutes,
                             "length_minutes", "the length", 5, 600),
        status=MeetingStatus.SCHEDULED, topic=text(topic, "topic", "the topic"),
    )
    db.add(meeting)
    db.flush()
    return meeting_snap(db, meeting)


def _neighbours(db: Session, m: Meeting) -> tuple[Meeting | None, Meeting | None]:
    base = select(Meeting).where(Meeting.group_id == m.group_id)
    before = db.scalars(base.where(Meeting.number < m.number)
                        .order_by(Meeting.number.desc()).limit(1)).first()
    after = db.scalars(base.where(Meeting.number > m.number)
                       .order_by(Meeting.number).limit(1)).first()
    return before, after


def reschedule_meeting(
    db: Session, meeting_id: int, starts_at: datetime, length_minutes: int | None = None
) -> MeetingSnap:
    """Move a session (and optionally change its length), keeping sessions in date order.

    A session that was held, or has attendance recorded, cannot be moved more than
    `HOLD_AHEAD` into the future: it would then be a held session that has not happened.
    """
    m = unlocked(db, fetch(db, Meeting, meeting_id, "meeting_id"))
    aware(starts_at, "starts_at")
    if starts_at > clock.now() + HOLD_AHEAD and (
            m.status == MeetingStatus.HELD
            or db.scalar(select(exists().where(Attendance.meeting_id == m.id)))):
        what = "was held" if m.status == MeetingStatus.HELD else "has attendance recorded"
        raise InvalidInput(
            f"Session {m.number} {what}, so it cannot be moved into the future. Choose "
            "the date and time it actually took place.", "starts_at")
    before, after = _neighbours(db, m)
    if before is not None and starts_at <= before.starts_at:
        raise InvalidInput(
            f"Session {m.number} must start after session {before.number}.", "starts_at")
    if after is not None and starts_at >= after.starts_at:
        raise InvalidInput(
            f"Session {m.number} must start before session {after.number}.", "starts_at")
    m.starts_at = starts_at
    if length_minutes is not None:
        m.length_minutes = whole(length_minutes, "length_minutes", "the length", 5, 600)
    return meeting_snap(db, m)


def set_topic(db: Session, meeting_id: int, topic: str) -> MeetingSnap:
    m = unlocked(db, fetch(db, Meeting, meeting_id, "meeting_id"))
    m.topic = text(topic, "topic", "the topic")
    return meeting_snap(db, m)


def hold_meeting(
    db: Session, meeting_id: int, leader_ids: tuple[int, ...] | list[int] | None = None
) -> MeetingSnap:
    """Mark a session as held, with the leaders present (default: the group's leaders).

    Calling it again on a held session corrects the leaders present. A session more than
    a day in the future cannot be held yet (leaders record it just before or during it).
    """
    m = unlocked(db, fetch(db, Meeting, meeting_id, "meeting_id"))
    if m.status == MeetingStatus.CANCELLED:
        raise InvalidInput("This session was cancelled, so it cannot be held.", "meeting_id")
    if m.starts_at > clock.now() + HOLD_AHEAD:
        raise InvalidInput(
            f"This session starts on {m.starts_at.astimezone():%d %b %Y at %H:%M}. "
            "Mark it as held on the day, from a day before it starts.", "starts_at")
    if leader_ids is None:
        leader_ids = list(db.scalars(select(GroupLeader.clinician_id)
                                     .where(GroupLeader.group_id == m.group_id)
                                     .order_by(GroupLeader.position)))
    ids = list(leader_ids)
    if len(ids) > 2 or len(set(ids)) != len(ids):
        raise InvalidInput("Choose one or two different leaders present.", "leader_ids")
    for cid in ids:
        fetch(db, Clinician, cid, "leader_ids")
    db.execute(delete(MeetingLeader).where(MeetingLeader.meeting_id == m.id))
    db.add_all(MeetingLeader(meeting_id=m.id, clinician_id=cid) for cid in ids)
    m.status = MeetingStatus.HELD
    db.flush()
    return meeting_snap(db, m)


def cancel_meeting(db: Session, meeting_id: int) -> MeetingSnap:
    """Cancel a session that has no attendance or notes yet; it keeps its number in all
    but, in a course, no course number (the course sessions after it move up one)."""
    m = unlocked(db, fetch(db, Meeting, meeting_id, "meeting_id"))
    has_records = db.scalar(select(
        exists().where(Attendance.meeting_id == m.id)
        | exists().where(MeetingNote.meeting_id == m.id)
        | exists().where(MemberNote.meeting_id == m.id)
        | exists().where(PrivateNote.meeting_id == m.id)))
    if has_records:
        raise InvalidInput(
            "This session already has attendance or notes, so it cannot be cancelled.",
            "meeting_id")
    m.status = MeetingStatus.CANCELLED
    return meeting_snap(db, m)


def why_not_empty(db: Session, meeting_id: int) -> str | None:
    """None if the session holds nothing (no attendance, nobody seated, no interaction,
    no note of any kind), else what it holds, to say why it cannot be deleted."""
    fetch(db, Meeting, meeting_id, "meeting_id")
    checks = (
        ("attendance", exists().where(Attendance.meeting_id == meeting_id)),
        ("seating", exists().where(Seat.meeting_id == meeting_id, or_(
            Seat.member_id.is_not(None), Seat.clinician_id.is_not(None)))),
        ("seating", exists().where(Interaction.meeting_id == meeting_id)),
        ("notes", exists().where(MeetingNote.meeting_id == meeting_id)),
        ("notes", exists().where(MemberNote.meeting_id == meeting_id)),
        ("notes", exists().where(PrivateNote.meeting_id == meeting_id)),
        ("risk entries", exists().where(RiskEntry.meeting_id == meeting_id)),
        ("risk entries", exists().where(RiskReview.meeting_id == meeting_id)),
        ("incidents", exists().where(BoundaryIncident.meeting_id == meeting_id)),
        ("incidents", exists().where(IncidentFollowUp.meeting_id == meeting_id)),
    )
    held = [what for what, clause in checks if db.scalar(select(clause))]
    if not held:
        return None
    return " and ".join(dict.fromkeys(held))


def delete_meeting(db: Session, meeting_id: int) -> DeletedMeeting:
    """Delete an empty session (one made by mistake: no attendance, seating or notes).

    Returns what `restore_meeting` needs to bring it back (undo). A session with records
    is refused; it can be cancelled instead, if nothing was recorded at it yet.
    """
    m = fetch(db, Meeting, meeting_id, "meeting_id")
    held = why_not_empty(db, meeting_id)
    if held is not None:
        raise InvalidInput(
            f"This session has {held} recorded, so it cannot be deleted. Cancel it instead "
            "if it did not take place.", "meeting_id")
    leaders = tuple(db.scalars(select(MeetingLeader.clinician_id)
                               .where(MeetingLeader.meeting_id == m.id)
                               .order_by(MeetingLeader.clinician_id)))
    gone = DeletedMeeting(
        id=m.id, group_id=m.group_id, number=m.number, cycle=m.cycle,
        number_in_cycle=m.number_in_cycle, starts_at=m.starts_at,
        length_minutes=m.length_minutes, status=str(m.status), topic=m.topic,
        created_at=m.created_at, leader_ids=leaders)
    db.execute(delete(MeetingLeader).where(MeetingLeader.meeting_id == m.id))
    db.execute(delete(Seat).where(Seat.meeting_id == m.id))  # empty chairs only
    db.delete(m)
    db.flush()
    return gone


def restore_meeting(db: Session, gone: DeletedMeeting) -> MeetingSnap:
    """Bring back a deleted session (undo of its deletion, or redo of "New session"),
    with its id, number and time; refused if another session took its place since."""
    group = fetch(db, Group, gone.group_id, "group_id")
    taken = db.scalar(select(exists().where(
        (Meeting.id == gone.id) | and_(Meeting.group_id == group.id,
                                       Meeting.number == gone.number))))
    before = db.scalars(select(Meeting).where(
        Meeting.group_id == group.id, Meeting.number < gone.number)
        .order_by(Meeting.number.desc()).limit(1)).first()
    after = db.scalars(select(Meeting).where(
        Meeting.group_id == group.id, Meeting.number > gone.number)
        .order_by(Meeting.number).limit(1)).first()
    if taken or (before is not None and before.starts_at >= gone.starts_at) or (
            after is not None and after.starts_at <= gone.starts_at):
        raise InvalidInput(
            "This session cannot come back: another session was scheduled in its place "
            "since. Schedule a new one instead.", "meeting_id")
    m = Meeting(
        id=gone.id, group_id=group.id, number=gone.number, cycle=gone.cycle,
        number_in_cycle=gone.number_in_cycle, starts_at=gone.starts_at,
        length_minutes=gone.length_minutes, status=gone.status, topic=gone.topic,
        created_at=gone.created_at)
    db.add(m)
    db.flush()
    db.add_all(MeetingLeader(meeting_id=m.id, clinician_id=cid) for cid in gone.leader_ids)
    db.flush()
    return meeting_snap(db, m)


def reinstate_meeting(db: Session, meeting_id: int) -> MeetingSnap:
    """Undo a cancellation: the session is scheduled again, with its number and time."""
    m = unlocked(db, fetch(db, Meeting, meeting_id, "meeting_id"))
    if m.status != MeetingStatus.CANCELLED:
        raise InvalidInput("Only a cancelled session can be reinstated.", "meeting_id")
    m.status = MeetingStatus.SCHEDULED
    return meeting_snap(db, m)


def is_signed(db: Session, meeting_id: int) -> bool:
    """Whether the session's group note is signed: then its facts are locked."""
    fetch(db, Meeting, meeting_id, "meeting_id")
    return session_signed(db, meeting_id)


def get_meeting(db: Session, meeting_id: int) -> MeetingSnap:
    return meeting_snap(db, fetch(db, Meeting, meeting_id, "meeting_id"))


_m, _ml, _c = Meeting.__table__.c, MeetingLeader.__table__.c, Clinician.__table__.c


def _in_group(group: Group, meeting_id: int | None) -> ColumnElement[bool]:
    """The group's sessions, or only one of them."""
    where = _m.group_id == group.id
    return where if meeting_id is None else and_(where, _m.id == meeting_id)


def _meeting_snaps(db: Session, group: Group, meeting_id: int | None = None) -> list[MeetingSnap]:
    """The group's sessions in order, or only `meeting_id` (two queries whatever their
    number). Read as table columns, so SQLAlchemy's ORM layer is not in the way: ten years
    of a weekly group are 520 sessions and as many leader rows, and every session list
    reads them (the unlock's first view among them); each leader's snapshot is made once
    and shared."""
    leaders: dict[int, ClinicianSnap] = {}
    present: dict[int, list[ClinicianSnap]] = {}  # by meeting, in name order
    for row in db.execute(
        select(_ml.meeting_id, *CLINICIAN_COLUMNS)
        .join_from(MeetingLeader.__table__, Clinician.__table__, _c.id == _ml.clinician_id)
        .join(Meeting.__table__, _m.id == _ml.meeting_id)
        .where(_in_group(group, meeting_id)).order_by(_c.name)
    ).all():
        snap = leaders.get(row.id)
        if snap is None:
            snap = leaders[row.id] = clinician_snap_from(row)
        present.setdefault(row.meeting_id, []).append(snap)
    rows = db.execute(select(*MEETING_COLUMNS).where(_in_group(group, meeting_id))
                      .order_by(_m.number)).all()
    before = 0
    if meeting_id is not None and rows:
        before = not_cancelled_before(db, fetch(db, Meeting, meeting_id, "meeting_id"))
    snaps = []
    per_cycle = group.sessions_per_cycle
    cancelled = MeetingStatus.CANCELLED
    for mid, group_id, number, cycle, starts_at, length, status, topic in rows:
        snaps.append(meeting_snap_of(mid, group_id, number, cycle, starts_at, length, status,
                                     topic, present.get(mid, ()), per_cycle, before))
        before += status != cancelled
    return snaps


def list_meetings(db: Session, group_id: int) -> list[MeetingSnap]:
    """All the group's sessions in order (three queries whatever their number)."""
    return _meeting_snaps(db, fetch(db, Group, group_id, "group_id"))


def _state(notes: int, signed: int, cosigned: int) -> str:
    """"" (no note), "draft" (any unsigned), "cosigned" (all co-signed) or "signed"."""
    if notes == 0:
        return ""
    if signed < notes:
        return "draft"
    return "cosigned" if cosigned == notes else "signed"


def meeting_overview(
    db: Session, group_id: int, draft_days: int, today: date | None = None,
    meeting_id: int | None = None,
) -> list[MeetingOverview]:
    """Every session of the group in order, with attendance and note state (seven queries,
    eight when a session has an attendance amendment: its counts are the amended ones).

    With `meeting_id`, only that session's row (the list refreshing one row after an
    edit, by the same rules). A session is flagged when any of its group or member notes
    is still a draft more than `draft_days` days after the session's (local) date;
    `today` defaults to today.
    Private notes are left out, as everywhere a caller has not asked for them.
    """
    whole(draft_days, "draft_days", "the number of days", 0, 3650)
    group = fetch(db, Group, group_id, "group_id")
    snaps = _meeting_snaps(db, group, meeting_id)
    return _overview(db, group, snaps, None if meeting_id is None else [meeting_id],
                     draft_days, today)


def overview_of(
    db: Session, group_id: int, draft_days: int, sessions: Sequence[MeetingSnap],
    today: date | None = None,
) -> list[MeetingOverview]:
    """The rows of `meeting_overview` for these sessions of the group only (as read by
    `list_meetings`), in their order: a long session list reads the counts of the rows
    it shows, not of all ten years (five queries for any number of sessions)."""
    whole(draft_days, "draft_days", "the number of days", 0, 3650)
    group = fetch(db, Group, group_id, "group_id")
    if any(m.group_id != group.id for m in sessions):
        raise InvalidInput("These sessions are not all of this group.", "meeting_id")
    return _overview(db, group, sessions, [m.id for m in sessions], draft_days, today)


def _overview(
    db: Session, group: Group, snaps: Sequence[MeetingSnap], meeting_ids: list[int] | None,
    draft_days: int, today: date | None,
) -> list[MeetingOverview]:
    """Attendance and note state of `snaps`: of the whole group (`meeting_ids` None) or
    of the sessions `meeting_ids`."""
    today = today or clock.today()
    if meeting_ids is None:
        in_group = Meeting.group_id == group.id
    else:
        in_group = and_(Meeting.group_id == group.id, Meeting.id.in_(meeting_ids))
    attended = {
        mid: (int(came or 0), int(total)) for mid, came, total in db.execute(
            select(Attendance.meeting_id,
                   func.sum(case((Attendance.status.in_(
                       (AttendanceStatus.PRESENT, AttendanceStatus.LATE)), 1), else_=0)),
                   func.count())
            .join(Meeting, Meeting.id == Attendance.meeting_id).where(in_group)
            .group_by(Attendance.meeting_id))}
    overlay = amendments_svc.attendance_overlay(
        db, **({"group_id": group.id} if meeting_ids is None else {"meeting_ids": meeting_ids}))
    if overlay:  # the sessions with an attendance amendment: counted as amended
        amended = {mid for mid, _ms in overlay}
        marks = {(mid, ms_id): status for mid, ms_id, status in db.execute(
            select(Attendance.meeting_id, Attendance.membership_id, Attendance.status)
            .where(Attendance.meeting_id.in_(sorted(amended))))}
        marks.update((key, status) for key, (status, _minutes) in overlay.items())
        for mid in amended:
            statuses = [status for (m_id, _ms), status in marks.items() if m_id == mid]
            attended[mid] = (sum(1 for st in statuses if st in _ATTENDED), len(statuses))
    group_notes = {
        mid: _state(1, int(signed is not None), int(cosigned is not None))
        for mid, signed, cosigned in db.execute(
            select(MeetingNote.meeting_id, Signature.signed_at, Signature.cosigned_at)
            .join(Meeting, Meeting.id == MeetingNote.meeting_id)
            .outerjoin(Signature, Signature.meeting_note_id == MeetingNote.id)
            .where(in_group))}
    member_notes = {
        mid: (int(n), int(signed), int(cosigned)) for mid, n, signed, cosigned in db.execute(
            select(MemberNote.meeting_id, func.count(MemberNote.id),
                   func.count(Signature.id), func.count(Signature.cosigned_at))
            .join(Meeting, Meeting.id == MemberNote.meeting_id)
            .outerjoin(Signature, Signature.member_note_id == MemberNote.id)
            .where(in_group).group_by(MemberNote.meeting_id))}
    rows = []
    for m in snaps:
        came, total = attended.get(m.id, (0, 0))
        g_state = group_notes.get(m.id, "")
        n, signed, cosigned = member_notes.get(m.id, (0, 0, 0))
        if g_state:
            n, signed = n + 1, signed + (g_state != "draft")
            cosigned += g_state == "cosigned"
        state = _state(n, signed, cosigned)
        age = (today - local_date(m.starts_at)).days
        rows.append(MeetingOverview(
            meeting=m, attended=came, recorded=total, group_note=g_state, notes=state,
            unsigned_days=age if state == "draft" and age > draft_days else 0))
    return rows


def previous_meeting(db: Session, meeting_id: int) -> MeetingSnap | None:
    """The latest earlier session of the same group that was not cancelled."""
    m = fetch(db, Meeting, meeting_id, "meeting_id")
    prev = db.scalars(
        select(Meeting).where(Meeting.group_id == m.group_id, Meeting.number < m.number,
                              Meeting.status != MeetingStatus.CANCELLED)
        .order_by(Meeting.number.desc()).limit(1)).first()
    return meeting_snap(db, prev) if prev else None


# ---------------------------------------------------------------- attendance


def eligible_members(db: Session, meeting_id: int) -> list[EligibleMember]:
    """Members whose membership was active on the session's (local) date."""
    m = fetch(db, Meeting, meeting_id, "meeting_id")
    rows = members_svc.eligible_on(db, m.group_id, local_date(m.starts_at))
    return sorted(rows, key=lambda r: (r.display_name.casefold(), r.member_id))


def _attendance_meeting(db: Session, meeting_id: int) -> Meeting:
    """The session, if attendance may be recorded for it (not signed, not cancelled, not
    far ahead)."""
    m = unlocked(db, fetch(db, Meeting, meeting_id, "meeting_id"))
    if m.status == MeetingStatus.CANCELLED:
        raise InvalidInput("This session was cancelled.", "meeting_id")
    if m.starts_at > clock.now() + HOLD_AHEAD:
        raise InvalidInput(
            f"This session starts on {m.starts_at.astimezone():%d %b %Y at %H:%M}. Record "
            "attendance on the day, from a day before it starts.", "starts_at")
    return m


def _check_mark(m: Meeting, status: str, minutes_late: int | None) -> int | None:
    """Check one attendance status; returns the minutes late to store."""
    choice(status, AttendanceStatus, "status")
    if status == AttendanceStatus.LATE:
        return whole(minutes_late or 0, "minutes_late", "the minutes late", 1, m.length_minutes)
    if minutes_late is not None:
        raise InvalidInput("Minutes late apply only to someone who came late.", "minutes_late")
    return None


def _write_mark(db: Session, m: Meeting, ms: Membership, status: str,
                minutes_late: int | None, row: Attendance | None) -> Attendance:
    """Set (not flush) one attendance record; the caller flushes."""
    if row is None:
        row = Attendance(meeting_id=m.id, membership_id=ms.id)
        db.add(row)
    row.status, row.minutes_late = status, minutes_late
    if status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE):  # details of an absence go
        row.absence_reason, row.contact_note = "", ""
        row.contacted, row.contacted_on = False, None
    else:  # nobody leaves early who was not there
        row.minutes_left_early = None
        if status != AttendanceStatus.ABSENT_NO_NOTICE:
            row.contacted, row.contacted_on, row.contact_note = False, None, ""
    return row


class MarkColumns(Protocol):
    """An attendance record's own columns: its ORM row, or a row of them read as columns."""

    status: str
    minutes_late: int | None
    minutes_left_early: int | None
    absence_reason: str
    contacted: bool
    contacted_on: date | None
    contact_note: str


def mark_row(a: MarkColumns, member_id: int, membership_id: int, display_name: str,
             pseudonym: str) -> AttendanceRow:
    """One attendance record as recorded, with its details (issue 16), of the member
    and membership named."""
    return AttendanceRow(member_id, membership_id, display_name, pseudonym,
                         a.status, a.minutes_late, minutes_left_early=a.minutes_left_early,
                         absence_reason=a.absence_reason or "", contacted=bool(a.contacted),
                         contacted_on=a.contacted_on, contact_note=a.contact_note or "")


def attendance_row(a: Attendance, ms: Membership, mem: Member) -> AttendanceRow:
    """One attendance record as recorded, with its details (issue 16)."""
    return mark_row(a, mem.id, ms.id, mem.preferred_name or mem.full_name, ms.pseudonym)


_NOT_ACTIVE = "This member was not an active member of the group on the session's date."


def record_attendance(
    db: Session, meeting_id: int, member_id: int, status: str,
    minutes_late: int | None = None,
) -> AttendanceRow:
    """Record (or correct) one member's attendance at a session.

    Refused for a cancelled session and for one starting more than `HOLD_AHEAD` from
    now (field `starts_at`): attendance is only kept for a session that can be held.
    """
    m = _attendance_meeting(db, meeting_id)
    member = fetch(db, Member, member_id, "member_id")
    minutes_late = _check_mark(m, status, minutes_late)
    ms = members_svc.active_membership_on(db, m.group_id, member.id, local_date(m.starts_at))
    if ms is None:
        raise InvalidInput(_NOT_ACTIVE, "member_id")
    row = _write_mark(db, m, ms, status, minutes_late, db.scalars(select(Attendance).where(
        Attendance.meeting_id == m.id, Attendance.membership_id == ms.id)).first())
    db.flush()
    return attendance_row(row, ms, member)


def record_attendance_many(
    db: Session, meeting_id: int, rows: Sequence[tuple[int, str, int | None]]
) -> list[AttendanceRow]:
    """Record (or correct) several members' attendance at once.

    `rows` are (member_id, status, minutes_late), each checked as `record_attendance`
    checks it; one bad row (or a member listed twice, field `member_id`) refuses them
    all (the operation's transaction then writes nothing). Returns the rows in the order
    given. A handful of queries whatever the number of rows.
    """
    m = _attendance_meeting(db, meeting_id)
    checked: list[tuple[int, str, int | None]] = []
    for member_id, status, minutes_late in rows:
        checked.append((member_id, status, _check_mark(m, status, minutes_late)))
    ids = [member_id for member_id, _, _ in checked]
    if len(set(ids)) != len(ids):
        raise InvalidInput("A member is listed twice; record each member once.",
                           "member_id")
    active = {ms.member_id: ms
              for ms in members_svc.active_memberships_on(db, m.group_id, local_date(m.starts_at))}
    people = {p.id: p for p in db.scalars(select(Member).where(Member.id.in_(ids)))}
    for member_id in ids:
        if member_id not in people:
            fetch(db, Member, member_id, "member_id")  # raises: no such member
        if member_id not in active:
            raise InvalidInput(_NOT_ACTIVE, "member_id")
    existing = {a.membership_id: a for a in db.scalars(select(Attendance).where(
        Attendance.meeting_id == m.id,
        Attendance.membership_id.in_([active[i].id for i in ids])))}
    result, written = [], []
    for member_id, status, minutes_late in checked:
        ms, member = active[member_id], people[member_id]
        written.append(_write_mark(db, m, ms, status, minutes_late, existing.get(ms.id)))
        result.append(attendance_row(written[-1], ms, member))
    db.flush()
    return result


def clear_attendance(db: Session, meeting_id: int, member_id: int) -> bool:
    """Remove a member's attendance record at a session: True if there was one."""
    unlocked(db, fetch(db, Meeting, meeting_id, "meeting_id"))
    row = db.scalars(
        select(Attendance).join(Membership, Membership.id == Attendance.membership_id)
        .where(Attendance.meeting_id == meeting_id, Membership.member_id == member_id)
    ).first()
    if row is None:
        return False
    db.delete(row)
    db.flush()
    return True


def attendance_for(db: Session, meeting_id: int) -> list[AttendanceRow]:
    """The session's attendance marks, by display name, with its amendments laid over them.

    A mark an amendment corrected (after signing) is shown as amended, with the mark as
    recorded beside it (`AttendanceRow.recorded_status`); a member an amendment added
    (nothing was recorded) gets a row too.
    """
    fetch(db, Meeting, meeting_id, "meeting_id")
    overlay = {ms_id: mark for (_mid, ms_id), mark in
               amendments_svc.attendance_overlay(db, meeting_ids=[meeting_id]).items()}
    return attendance_rows(db, meeting_id, overlay)


_attendance, _memberships = Attendance.__table__.c, Membership.__table__.c
_members = Member.__table__.c
_WHO = (_memberships.id.label("membership_id"), _memberships.member_id,
        _memberships.pseudonym, _members.full_name, _members.preferred_name)
# Built once, of table columns (the docstring of `_common` says why).
_MARKS = (
    select(_attendance.status, _attendance.minutes_late, _attendance.minutes_left_early,
           _attendance.absence_reason, _attendance.contacted, _attendance.contacted_on,
           _attendance.contact_note, *_WHO)
    .join_from(Attendance.__table__, Membership.__table__,
               _memberships.id == _attendance.membership_id)
    .join(Member.__table__, _members.id == _memberships.member_id)
    .where(_attendance.meeting_id == bindparam("meeting_id"))
)


def attendance_rows(db: Session, meeting_id: int,
                    overlay: dict[int, tuple[str, int | None]]) -> list[AttendanceRow]:
    """`attendance_for` of a session the caller has checked, read as columns, with the
    amended marks `overlay` gives (membership id -> status and minutes late, from the
    session's amendments: `amendments.attendance_overlay`)."""
    result = [mark_row(r, r.member_id, r.membership_id, r.preferred_name or r.full_name,
                       r.pseudonym)
              for r in db.execute(_MARKS, {"meeting_id": meeting_id})]
    if overlay:
        result = _amended(db, result, dict(overlay))
    return sorted(result, key=lambda r: (r.display_name.casefold(), r.member_id))


def _amended(db: Session, rows: list[AttendanceRow],
             overlay: dict[int, tuple[str, int | None]]) -> list[AttendanceRow]:
    """`rows` with the amended marks of `overlay` (membership id -> status, minutes)."""
    result = []
    for r in rows:
        mark = overlay.pop(r.membership_id, None)
        result.append(r if mark is None else replace(
            r, status=mark[0], minutes_late=mark[1], amended=True,
            recorded_status=r.status, recorded_minutes_late=r.minutes_late))
    if overlay:  # members with nothing recorded, whom an amendment marked
        for w in db.execute(select(*_WHO)
                            .join_from(Membership.__table__, Member.__table__,
                                       _members.id == _memberships.member_id)
                            .where(_memberships.id.in_(list(overlay)))):
            status, minutes = overlay[w.membership_id]
            result.append(AttendanceRow(w.member_id, w.membership_id,
                                        w.preferred_name or w.full_name, w.pseudonym, status,
                                        minutes, amended=True))
    return result
