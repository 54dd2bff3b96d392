"""Attendance figures per membership: rate and current absence streak.

Only recorded attendance counts: a held session with nothing recorded for a member is
missing data, not an absence. Present and late count as attended; absent with or
without notice as absent. The streak is the number of consecutive absences ending at
the latest recorded session (0 if they attended it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from groupleader.data.models import Attendance, AttendanceStatus, Meeting, Membership
from groupleader.data.services._common import fetch
from groupleader.data.vault import Vault

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
    """Attendance statuses per membership, in meeting order (one query)."""
    result: dict[int, list[str]] = {}
    if not membership_ids:
        return result
    rows = db.execute(
        select(Attendance.membership_id, Attendance.status)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(Attendance.membership_id.in_(membership_ids))
        .order_by(Meeting.starts_at, Meeting.number)
    )
    for membership_id, status in rows:
        result.setdefault(membership_id, []).append(status)
    return result


def _figures_for(vault: Vault, membership_id: int) -> Figures:
    with vault.unit_of_work() as db:
        fetch(db, Membership, membership_id, "membership_id")
        return figures(attendance_by_membership(db, [membership_id]).get(membership_id, []))


def attendance_rate(vault: Vault, membership_id: int) -> float | None:
    """Share of recorded sessions attended (0.0-1.0); None before any attendance record."""
    return _figures_for(vault, membership_id).rate


def current_absence_streak(vault: Vault, membership_id: int) -> int:
    """Consecutive absences up to the latest recorded session."""
    return _figures_for(vault, membership_id).streak
