"""Attendance figures per membership: rate and current absence streak.

Only recorded attendance counts: a held session with nothing recorded for a member is
missing data, not an absence. Present and late count as attended; absent with or
without notice as absent. The streak is the number of consecutive absences ending at
the latest recorded session (0 if they attended it).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, bindparam, case, func, select
from sqlalchemy.orm import Session, aliased

from groupleader.data.models import Attendance, AttendanceStatus, Meeting, Membership
from groupleader.data.services import amendments as amendments_svc
from groupleader.data.services._common import fetch

ATTENDED = frozenset({AttendanceStatus.PRESENT, AttendanceStatus.LATE})


@dataclass(frozen=True)
class Figures:
    attended: int
    absent: int
    rate: float | None
    streak: int


def figures(statuses: Sequence[str]) -> Figures:
    """Figures from one membership's attendance statuses in meeting order."""
    attended = sum(1 for s in statuses if s in ATTENDED)
    absent = len(statuses) - attended
    streak = 0
    for status in reversed(statuses):
        if status in ATTENDED:
            break
        streak += 1
    rate = attended / len(statuses) if statuses else None
    return Figures(attended=attended, absent=absent, rate=rate, streak=streak)


def attendance_by_membership(db: Session, membership_ids: list[int]) -> dict[int, list[str]]:
    """Attendance statuses per membership, in meeting order, as amended (three queries)."""
    result: dict[int, list[str]] = {}
    if not membership_ids:
        return result
    rows = db.execute(
        select(Attendance.meeting_id, Attendance.membership_id, Attendance.status)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(Attendance.membership_id.in_(membership_ids))
        .order_by(Meeting.starts_at, Meeting.number)
    )
    overlay = _overlay_for(db, membership_ids)
    for meeting_id, membership_id, status in rows:
        status = overlay.get((meeting_id, membership_id), (status, None))[0]
        result.setdefault(membership_id, []).append(status)
    return result


Overlay = dict[tuple[int, int], tuple[str, int | None]]


def _overlay_for(db: Session, membership_ids: list[int]) -> Overlay:
    """The attendance amendments of these memberships' groups (usually none)."""
    groups = set(db.scalars(select(Membership.group_id).where(Membership.id.in_(membership_ids))))
    overlay: Overlay = {}
    for group_id in groups:
        overlay.update(amendments_svc.attendance_overlay(db, group_id=group_id))
    wanted = set(membership_ids)
    return {k: v for k, v in overlay.items() if k[1] in wanted}


@functools.cache
def _group_figures_statement() -> Select[Any]:
    """`figures_for_group`'s one statement, built once (building it cost more than running
    it on a year of a group's records); the group is the bound parameter ``group_id``."""
    attended = Attendance.status.in_(sorted(ATTENDED))
    agg = (
        select(Attendance.membership_id.label("ms"),
               func.sum(case((attended, 1), else_=0)).label("came"),
               func.count().label("n"),
               func.max(case((attended, Meeting.starts_at))).label("last"),
               func.max(Meeting.starts_at).label("latest"))
        .select_from(Membership)
        .join(Attendance, Attendance.membership_id == Membership.id)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(Membership.group_id == bindparam("group_id"))
        .group_by(Attendance.membership_id)
    ).subquery()
    later, when = aliased(Attendance), aliased(Meeting)
    after_last = (
        select(func.count()).select_from(later).join(when, when.id == later.meeting_id)
        .where(later.membership_id == agg.c.ms, when.starts_at > agg.c.last)
        .scalar_subquery()
    )
    streak = case((agg.c.last == agg.c.latest, 0), (agg.c.last.is_(None), agg.c.n),
                  else_=after_last)
    return select(agg.c.ms, agg.c.came, agg.c.n, streak)


def figures_for_group(db: Session, group_id: int) -> dict[int, Figures]:
    """`figures` of every membership of the group with any record, computed in SQL.

    One statement returns one row per membership instead of every attendance record
    (18,000 rows for a roster of 300 with years of history); memberships with an amended
    mark (an attendance amendment of a signed session) are then counted from their marks.
    The streak is the number of records after the membership's latest attended session
    (all of them absences), all its records if it never attended, and 0 without a query
    when its latest record is an attendance (most memberships). Sessions of a group never
    share a start time.
    """
    result = {}
    for ms_id, came, n, run in db.execute(_group_figures_statement(), {"group_id": group_id}):
        came, n = int(came or 0), int(n)
        result[ms_id] = Figures(attended=came, absent=n - came, rate=came / n if n else None,
                                streak=int(run or 0))
    amended = {ms_id for _mid, ms_id in amendments_svc.attendance_overlay(db, group_id=group_id)}
    if amended:  # a few memberships with an amended mark: counted from their marks
        for ms_id, statuses in attendance_by_membership(db, sorted(amended)).items():
            result[ms_id] = figures(statuses)
    return result


def _figures_for(db: Session, membership_id: int) -> Figures:
    fetch(db, Membership, membership_id, "membership_id")
    return figures(attendance_by_membership(db, [membership_id]).get(membership_id, []))


def attendance_rate(db: Session, membership_id: int) -> float | None:
    """Share of recorded sessions attended (0.0-1.0); None before any attendance record."""
    return _figures_for(db, membership_id).rate


def current_absence_streak(db: Session, membership_id: int) -> int:
    """Consecutive absences up to the latest recorded session."""
    return _figures_for(db, membership_id).streak
