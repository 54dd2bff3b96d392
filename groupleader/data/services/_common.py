"""Helpers shared by the services: lookups, validation and snapshot builders.

Reads that run on every session shown or exported (`notes.load_meeting_notes` and what
it calls) select table columns with statements built once, with bound parameters:
SQLAlchemy would spend several times SQLite's own work building, keying and compiling a
new select() of ORM attributes on every call. (Session.execute autoflushes before them as
before any statement.)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from enum import StrEnum
from typing import Protocol, TypeVar

from sqlalchemy import (
    ColumnElement,
    ScalarSelect,
    bindparam,
    case,
    exists,
    false,
    func,
    literal,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Session

from groupleader.data import clock
from groupleader.data.models import (
    Base,
    Clinician,
    Group,
    GroupLeader,
    Meeting,
    MeetingLeader,
    MeetingNote,
    MeetingStatus,
    Member,
    Membership,
    Signature,
)
from groupleader.data.snapshots import ClinicianSnap, GroupSnap, MeetingSnap
from groupleader.errors import InvalidInput, SessionLocked
from groupleader.visible_text import has_visible

M = TypeVar("M", bound=Base)

_NOUNS = {
    Clinician: "clinician",
    Group: "group",
    Member: "member",
    Membership: "membership",
    Meeting: "session",
}


def missing(model: type[Base], field: str) -> InvalidInput:
    """The error for a record that is not there (e.g. a stale id from a view)."""
    noun = _NOUNS.get(model, "record")
    return InvalidInput(f"That {noun} no longer exists. Refresh and try again.", field)


def fetch(db: Session, model: type[M], record_id: int, field: str) -> M:
    """The row with this id, or InvalidInput naming `field` (e.g. a stale id from a view)."""
    row = db.get(model, record_id) if isinstance(record_id, int) else None
    if row is None:
        raise missing(model, field)
    return row


def text(value: str, field: str, label: str, *, required: bool = False, limit: int = 200) -> str:
    """Trimmed text; refuses a non-string, an empty required value or an overlong one.
    A text with nothing visible in it (only zero-width or format characters) is empty."""
    if not isinstance(value, str):
        raise InvalidInput(f"Enter {label} as text.", field)
    value = value.strip()
    if not has_visible(value):
        value = ""
    if required and not value:
        raise InvalidInput(f"Enter {label}.", field)
    if len(value) > limit:
        raise InvalidInput(f"Shorten {label} to {limit:,} characters or fewer.", field)
    return value


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def not_after_today(day: date, field: str, what: str) -> None:
    """Refuse a date of something done (a review, a close, a contact) after today."""
    if day > clock.today():
        raise InvalidInput(f"Date {what} today or earlier: {_day(day)} has not come yet.",
                           field)


# How far ahead a review-by date may be set: beyond it is taken for a typing slip.
MAX_AHEAD_DAYS = 366


def not_far_ahead(day: date, since: date, field: str, what: str) -> None:
    """Refuse a date to come (a review-by) more than a year after `since`."""
    if (day - since).days > MAX_AHEAD_DAYS:
        raise InvalidInput(
            f"Choose {what} within a year of {_day(since)}; {_day(day)} is "
            "further ahead (check the year).", field)


def choice(value: str, enum: type[StrEnum], field: str) -> str:
    if value not in {str(e) for e in enum}:
        allowed = ", ".join(str(e).replace("_", " ") for e in enum)
        raise InvalidInput(f"Choose one of: {allowed}.", field)
    return str(value)


def whole(value: int, field: str, label: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidInput(f"Enter {label} as a whole number from {low} to {high}.", field)
    return value


def aware(value: datetime, field: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise InvalidInput("Enter a date and a time.", field)
    return value


def local_date(moment: datetime) -> date:
    """The calendar date of an aware datetime in this computer's time zone."""
    return moment.astimezone().date()


def clinician_snap(c: Clinician) -> ClinicianSnap:
    return ClinicianSnap(id=c.id, name=c.name, role=str(c.role), credentials=c.credentials,
                         has_pin=bool(c.pin_hash))


_clinicians = Clinician.__table__.c
# A clinician's snapshot as columns: whether a signing PIN is set, never its hash.
CLINICIAN_COLUMNS = (_clinicians.id, _clinicians.name, _clinicians.role,
                     _clinicians.credentials, (_clinicians.pin_hash != "").label("has_pin"))
_CLINICIANS = select(*CLINICIAN_COLUMNS).where(
    _clinicians.id.in_(bindparam("ids", expanding=True)))


class ClinicianColumns(Protocol):
    """A row of `CLINICIAN_COLUMNS`."""

    id: int
    name: str
    role: str
    credentials: str
    has_pin: bool


def clinician_snap_from(c: ClinicianColumns) -> ClinicianSnap:
    return ClinicianSnap(id=c.id, name=c.name, role=str(c.role), credentials=c.credentials,
                         has_pin=bool(c.has_pin))


def clinician_snaps(db: Session, ids: Iterable[int | None],
                    known: dict[int, ClinicianSnap]) -> dict[int, ClinicianSnap]:
    """`known` (by id), with the snapshots of the clinicians of `ids` it lacked added: one
    query, none when it knew them all (the leaders usually sign)."""
    wanted = {i for i in ids if i is not None} - known.keys()
    if wanted:
        for c in db.execute(_CLINICIANS, {"ids": sorted(wanted)}):
            known[c.id] = clinician_snap_from(c)
    return known


_memberships = Membership.__table__.c


def pseudonym_in(group_id: ColumnElement[int], member_id: ColumnElement[int | None]
                 ) -> ScalarSelect[str]:
    """A member's pseudonym in a group, as a column (NULL when they have none there): that
    of their latest membership, which is the pseudonym of all of them (a member who
    rejoins keeps it, `members._pseudonym`)."""
    return (select(_memberships.pseudonym)
            .where(_memberships.member_id == member_id, _memberships.group_id == group_id)
            .order_by(_memberships.id.desc()).limit(1).scalar_subquery())


class GroupColumns(Protocol):
    """A group's own columns: its ORM row, or a row of them read as columns."""

    id: int
    name: str
    kind: str
    format: str
    sessions_per_cycle: int | None
    weekday: int | None
    start_time: time | None
    length_minutes: int
    room: str
    target_size: int
    max_size: int
    min_size: int
    agreement: str
    archived: bool


def group_snap_from(g: GroupColumns, leaders: Iterable[ClinicianSnap]) -> GroupSnap:
    """The one GroupSnap builder: a group's columns and its leaders in their order."""
    return GroupSnap(
        id=g.id, name=g.name, kind=str(g.kind), format=str(g.format),
        sessions_per_cycle=g.sessions_per_cycle, weekday=g.weekday, start_time=g.start_time,
        length_minutes=g.length_minutes, room=g.room, target_size=g.target_size,
        max_size=g.max_size, min_size=g.min_size, agreement=g.agreement, archived=g.archived,
        leaders=tuple(leaders),
    )


def group_snap(db: Session, g: Group) -> GroupSnap:
    return group_snaps(db, [g])[0]


def group_snaps(db: Session, groups: Sequence[Group]) -> list[GroupSnap]:
    """Snapshots of these groups with their leaders (in their order): one query for the
    leaders of all of them, however many groups the sidebar lists."""
    leaders: dict[int, list[ClinicianSnap]] = {}
    if groups:
        for group_id, c in db.execute(
            select(GroupLeader.group_id, Clinician)
            .join(GroupLeader, GroupLeader.clinician_id == Clinician.id)
            .where(GroupLeader.group_id.in_([g.id for g in groups]))
            .order_by(GroupLeader.group_id, GroupLeader.position)
        ):
            leaders.setdefault(group_id, []).append(clinician_snap(c))
    return [group_snap_from(g, leaders.get(g.id, ())) for g in groups]


def course_place(held_before: int, sessions_per_cycle: int) -> tuple[int, int]:
    """(cycle, number in the cycle) of the course meeting that has `held_before`
    meetings not cancelled before it: a cancelled meeting keeps no course number, so
    "7 of 12" is always the 7th meeting held (or scheduled and not cancelled)."""
    cycle, rest = divmod(held_before, sessions_per_cycle)
    return cycle + 1, rest + 1


class MeetingColumns(Protocol):
    """A session's own columns: its ORM row, or a row of the same columns read without
    the ORM (a list of hundreds of sessions, `meetings.list_meetings`)."""

    id: int
    group_id: int
    number: int
    cycle: int | None
    starts_at: datetime
    length_minutes: int
    status: str
    topic: str


def meeting_snap_from(m: MeetingColumns, leaders: Iterable[ClinicianSnap],
                      sessions_per_cycle: int | None, not_cancelled_before: int = 0
                      ) -> MeetingSnap:
    """The one MeetingSnap builder: a session's row, the leaders present (in the order to
    show), its group's cycle length and, for a session of a course, how many of the
    group's earlier sessions were not cancelled (its course number follows from it; a
    cancelled session has none). Callers fetch the leaders, one session at a time
    (`meeting_snap`) or a whole list in one query (`meetings.list_meetings`)."""
    return meeting_snap_of(m.id, m.group_id, m.number, m.cycle, m.starts_at, m.length_minutes,
                           m.status, m.topic, leaders, sessions_per_cycle, not_cancelled_before)


def meeting_snap_of(id: int, group_id: int, number: int, cycle: int | None,
                    starts_at: datetime, length_minutes: int, status: str, topic: str,
                    leaders: Iterable[ClinicianSnap], sessions_per_cycle: int | None,
                    not_cancelled_before: int = 0) -> MeetingSnap:
    """`meeting_snap_from` given the columns themselves, in `MEETING_COLUMNS`' order: a
    list of sessions unpacks each row (`meetings.list_meetings`: reading eight attributes of
    a SQLAlchemy row took as long as making the snapshot)."""
    place: tuple[int | None, int | None] = (None, None)
    if cycle is not None and sessions_per_cycle and status != MeetingStatus.CANCELLED:
        place = course_place(not_cancelled_before, sessions_per_cycle)
    return MeetingSnap(
        id=id, group_id=group_id, number=number, cycle=place[0], number_in_cycle=place[1],
        sessions_per_cycle=sessions_per_cycle, starts_at=starts_at,
        length_minutes=length_minutes, status=str(status), topic=topic, leaders=tuple(leaders),
    )


def not_cancelled_before(db: Session, m: Meeting) -> int:
    """How many of the group's sessions before `m` were not cancelled (one query)."""
    return db.scalar(select(func.count()).select_from(Meeting).where(
        Meeting.group_id == m.group_id, Meeting.number < m.number,
        Meeting.status != MeetingStatus.CANCELLED)) or 0


def meeting_snap(db: Session, m: Meeting, sessions_per_cycle: int | None = None) -> MeetingSnap:
    """One session's snapshot (its leaders in one query; for a session of a course, its
    group's cycle length, if the caller did not pass it, and its course number in two
    more)."""
    before = 0
    if m.cycle is not None:
        if sessions_per_cycle is None:
            sessions_per_cycle = db.scalar(
                select(Group.sessions_per_cycle).where(Group.id == m.group_id))
        before = not_cancelled_before(db, m)
    leaders = db.scalars(
        select(Clinician)
        .join(MeetingLeader, MeetingLeader.clinician_id == Clinician.id)
        .where(MeetingLeader.meeting_id == m.id)
        .order_by(Clinician.name)
    )
    return meeting_snap_from(m, (clinician_snap(c) for c in leaders), sessions_per_cycle,
                             before)


_meetings = Meeting.__table__.c
_earlier = Meeting.__table__.alias("earlier")
_HELD_BEFORE = select(func.count()).select_from(_earlier).where(
    _earlier.c.group_id == _meetings.group_id, _earlier.c.number < _meetings.number,
    _earlier.c.status != MeetingStatus.CANCELLED).scalar_subquery()
# A session's own columns (`MeetingColumns`), as table columns: read without the ORM.
MEETING_COLUMNS = (
    _meetings.id, _meetings.group_id, _meetings.number, _meetings.cycle, _meetings.starts_at,
    _meetings.length_minutes, _meetings.status, _meetings.topic)
# A session's columns and, for a session of a course, `not_cancelled_before`.
_MEETING = select(
    *MEETING_COLUMNS,
    case((_meetings.cycle.is_not(None), _HELD_BEFORE), else_=0).label("held_before"),
).where(_meetings.id == bindparam("meeting_id"))
_groups = Group.__table__.c
_GROUP = select(
    _groups.id, _groups.name, _groups.kind, _groups.format, _groups.sessions_per_cycle,
    _groups.weekday, _groups.start_time, _groups.length_minutes, _groups.room,
    _groups.target_size, _groups.max_size, _groups.min_size, _groups.agreement,
    _groups.archived,
).where(_groups.id == bindparam("group_id"))
_group_leaders, _meeting_leaders = GroupLeader.__table__.c, MeetingLeader.__table__.c
# The group's leaders (with their places) and the session's leaders present, in one query.
_LEADERS = union_all(
    select(false().label("present"), _group_leaders.position.label("place"),
           *CLINICIAN_COLUMNS)
    .join_from(Clinician.__table__, GroupLeader.__table__,
               _group_leaders.clinician_id == _clinicians.id)
    .where(_group_leaders.group_id == bindparam("group_id")),
    select(true(), literal(0), *CLINICIAN_COLUMNS)
    .join_from(Clinician.__table__, MeetingLeader.__table__,
               _meeting_leaders.clinician_id == _clinicians.id)
    .where(_meeting_leaders.meeting_id == bindparam("meeting_id")),
)


def session_snaps(db: Session, meeting_id: int,
                  people: dict[int, ClinicianSnap]) -> tuple[GroupSnap, MeetingSnap]:
    """A session's group and the session, read as columns in three queries (what
    `group_snap` and `meeting_snap` give); each leader's snapshot is made once and kept in
    `people` (by id). A missing session raises as `fetch` does."""
    m = db.execute(_MEETING, {"meeting_id": meeting_id}).first() if isinstance(
        meeting_id, int) else None
    if m is None:
        raise missing(Meeting, "meeting_id")
    g = db.execute(_GROUP, {"group_id": m.group_id}).one()
    in_group: list[tuple[int, ClinicianSnap]] = []
    present: list[ClinicianSnap] = []
    for row in db.execute(_LEADERS, {"group_id": g.id, "meeting_id": m.id}):
        snap = people.get(row.id)
        if snap is None:
            snap = people[row.id] = clinician_snap_from(row)
        if row.present:
            present.append(snap)
        else:
            in_group.append((row.place, snap))
    in_group.sort(key=lambda placed: placed[0])
    present.sort(key=lambda c: c.name)
    return (group_snap_from(g, (snap for _place, snap in in_group)),
            meeting_snap_from(m, present, g.sessions_per_cycle, m.held_before))


def session_signed(db: Session, meeting_id: int) -> bool:
    """Whether the session's group note is signed (then its facts are locked)."""
    return bool(db.scalar(select(exists().where(
        MeetingNote.meeting_id == meeting_id, Signature.meeting_note_id == MeetingNote.id))))


def unlocked(db: Session, m: Meeting) -> Meeting:
    """The session, if its facts may still change: a signed session raises SessionLocked
    (and the triggers of migration 0004 refuse the write too)."""
    if session_signed(db, m.id):
        raise SessionLocked()
    return m


def last_signed_since(db: Session, group_id: int, day: date) -> tuple[int, date] | None:
    """(number, date) of the group's latest signed session held on or after `day`, if any.

    A signed session's summary printed what the register held on its date, so nothing
    dated on or before that date may be added or removed afterwards (issue 16)."""
    rows = db.execute(select(Meeting.number, Meeting.starts_at).where(
        Meeting.group_id == group_id, Meeting.status != MeetingStatus.CANCELLED,
        exists().where(MeetingNote.meeting_id == Meeting.id,
                       Signature.meeting_note_id == MeetingNote.id))).all()
    held = [(local_date(at), number) for number, at in rows if local_date(at) >= day]
    if not held:
        return None
    on, number = max(held)
    return number, on


def after_signed(db: Session, group_id: int, day: date, field: str, what: str,
                 shown: str) -> None:
    """Refuse `what` dated `day` when a signed session of the group on or after that day
    showed it (`shown`: how the message says so, e.g. "showed this entry open")."""
    signed = last_signed_since(db, group_id, day)
    if signed is not None:
        number, on = signed
        raise InvalidInput(f"Date {what} after {_day(on)}: session {number} is signed and "
                           f"{shown}.", field)


def not_shown_signed(db: Session, group_id: int, day: date, field: str, what: str) -> None:
    """Refuse removing `what` dated `day` once a signed session's summary showed it."""
    signed = last_signed_since(db, group_id, day)
    if signed is not None:
        number, on = signed
        raise InvalidInput(f"{what} can no longer be removed: session {number} "
                           f"({_day(on)}) is signed and its summary shows it.", field)
