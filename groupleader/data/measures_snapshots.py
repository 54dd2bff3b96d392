"""Frozen snapshots the measures services return (no ORM objects leave a service)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class GroupInstrumentSnap:
    group_id: int
    instrument: str  # a key of `groupleader.measures.registry`
    schedule: str  # MeasureSchedule
    position: int


@dataclass(frozen=True)
class ScoreSnap:
    """One member's form of one instrument at one session."""

    id: int
    meeting_id: int
    meeting_number: int
    on_date: date  # the session's local date
    group_id: int
    member_id: int
    instrument: str
    answers: tuple[int | None, ...] | None  # None: only the total was entered
    status: str  # scoring.Status
    values: dict[str, float | None]

    @property
    def total(self) -> float | None:
        return self.values.get("total")


@dataclass(frozen=True)
class SavedScore:
    """A saved form, the risk entries its risk items opened or reviewed (ids), and what
    was done with each risk answer, in words for the window (e.g. "added a review to the
    open entry of 26 Nov 2026")."""

    score: ScoreSnap
    risk_entries: tuple[int, ...]
    risk_done: tuple[str, ...] = ()


@dataclass(frozen=True)
class DueSnap:
    """A form due from a member at a session, and whether it has been entered."""

    member_id: int
    member_name: str
    instrument: str
    reason: str  # "every session", "first this month", "joining", "leaving"
    entered: bool


@dataclass(frozen=True)
class GoalSnap:
    id: int
    membership_id: int
    position: int  # 1 to 3
    text: str
    scale: str  # GoalScale
    set_on: date
    replaced_on: date | None  # None: the goal as it stands


@dataclass(frozen=True)
class GoalRatingSnap:
    goal: GoalSnap
    meeting_id: int
    value: int | None  # None: not rated in this session


@dataclass(frozen=True)
class GoalSpec:
    """One goal as the goals dialog holds it; an empty text removes the goal."""

    position: int
    text: str
    scale: str = "direction"
