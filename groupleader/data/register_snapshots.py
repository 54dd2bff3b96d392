"""Frozen snapshots and input specs of the risk register, the group agreement and
boundary incidents (issue 16); the services in ``services/risk.py`` and
``services/agreement.py`` take and return these, never ORM rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from groupleader import register_vocab

# ---------------------------------------------------------------- risk register


@dataclass(frozen=True)
class RiskEntrySpec:
    """What the risk entry dialog holds. `review_by` None: a week after opening."""

    kind: str  # RiskKind
    level: str  # RiskLevel
    observed: str = ""
    action_taken: str = ""
    review_by: date | None = None


@dataclass(frozen=True)
class RiskReviewSnap:
    id: int
    entry_id: int
    meeting_id: int | None  # the session it was made in (None: between sessions)
    on_date: date
    level: str
    note: str
    next_review_by: date | None
    closes: bool
    locked: bool  # made in a signed session


@dataclass(frozen=True)
class RiskEntrySnap:
    """One risk entry with its reviews (those up to the date it was read as of).

    `level` and `review_by` are as opened; `current_level` and `current_review_by` follow
    the latest review; `closed_on`/`closing_note` come from a closing review."""

    id: int
    group_id: int
    member_id: int
    member_name: str  # the member's display name (preferred, else full)
    meeting_id: int
    meeting_number: int
    kind: str
    level: str
    observed: str
    action_taken: str
    review_by: date
    opened_on: date
    reviews: tuple[RiskReviewSnap, ...]
    locked: bool  # opened in a signed session: the entry itself can no longer change
    current_level: str
    current_review_by: date | None  # None once closed
    closed_on: date | None
    closing_note: str

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    def overdue(self, on: date) -> bool:
        return self.is_open and register_vocab.overdue(self.current_review_by, on)

    def line(self, on: date) -> str:
        """"open since 12 Nov, review by 19 Nov" or "closed 26 Nov" as of `on`."""
        if self.closed_on is not None:
            return f"closed {register_vocab.short_date(self.closed_on, on)}"
        return register_vocab.open_line(self.opened_on, self.current_review_by, on)


# ---------------------------------------------------------------- agreement and incidents


@dataclass(frozen=True)
class RuleSpec:
    """One row of the agreement editor: `id` None for a new rule."""

    title: str
    text: str = ""
    id: int | None = None


@dataclass(frozen=True)
class RuleSnap:
    id: int
    group_id: int
    position: int
    title: str
    text: str
    retired: bool  # removed from the agreement but named by an incident


@dataclass(frozen=True)
class IncidentSpec:
    rule_id: int | None  # None: not one of the agreement's rules
    member_ids: tuple[int, ...]
    what_happened: str
    worked_with: str = ""
    status: str = "open"  # FollowUp


@dataclass(frozen=True)
class IncidentFollowUpSnap:
    id: int
    incident_id: int
    meeting_id: int | None
    on_date: date
    status: str
    note: str
    created_at: datetime | None = None  # when it was written (a summary signed before marks it)


@dataclass(frozen=True)
class IncidentSnap:
    id: int
    group_id: int
    meeting_id: int
    meeting_number: int
    meeting_starts_at: datetime
    rule_id: int | None
    rule_title: str  # "" when no rule
    member_ids: tuple[int, ...]
    member_names: tuple[str, ...]  # display names, in the order of member_ids
    what_happened: str
    worked_with: str
    status: str  # as recorded in the session
    current_status: str  # after its follow-ups
    followups: tuple[IncidentFollowUpSnap, ...]
    locked: bool


@dataclass(frozen=True)
class AttendanceDetails:
    """What else happened to one member's attendance (issue 16): minutes left early (for
    someone present or late), the reason for an absence, and for an absence without
    notice whether and when they were contacted and what came of it."""

    minutes_left_early: int | None = None
    absence_reason: str = ""
    contacted: bool = False
    contacted_on: date | None = None
    contact_note: str = ""
