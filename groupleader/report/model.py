"""What a report prints: plain frozen dataclasses of finished, already de-identified text.

`collect.py` fills these from the services; the layout modules only arrange them. Every
string here is final: a name that should be hidden was replaced before it got here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from groupleader.report.measures_section import MeasuresPart


@dataclass(frozen=True)
class ReportOptions:
    practice: str = ""  # printed at the top of every report when given
    deidentify: bool = False  # members by pseudonym, no names or contact data anywhere
    include_private: bool = False  # the leader's process notes (off unless asked)
    others_as: str = "initials"  # in a member extract, others by "initials" or "another member"
    hide_terms: tuple[str, ...] = ()  # more words or phrases to hide in a de-identified export
    # "Printed 1 Dec 2026 21:35 by Dr. H. Marsh" on every page: who is signing in the
    # window (or --printed-by), and when (None: now, from groupleader.data.clock)
    printed_by: str = ""
    printed_at: datetime | None = None
    # a member extract's release block (blank lines to fill by hand when not given)
    release_to: str = ""
    release_purpose: str = ""
    # more spellings of members (member id, word), e.g. chosen in the review, not yet saved
    spellings: tuple[tuple[int, str], ...] = ()
    # words the reviewer accepted as no name in this export (--keep, "Not a name")
    not_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Signoff:
    signed_by: str = ""
    signed_at: str = ""
    cosigned_by: str = ""
    cosigned_at: str = ""

    @property
    def signed(self) -> bool:
        return bool(self.signed_at)

    def line(self) -> str:
        """"Signed as author by X, PhD, 4 Mar 2025 19:02; co-signed as supervisor
        (reviewed) by Y, ..." or "Draft (not signed)": each signature's printed name and
        credentials, date and time, and what it means (as 21 CFR 11.50 asks)."""
        if not self.signed:
            return "Draft (not signed)"
        text = f"Signed as author by {self.signed_by}, {self.signed_at}"
        if self.cosigned_at:
            text += (f"; co-signed as supervisor (reviewed) by {self.cosigned_by}, "
                     f"{self.cosigned_at}")
        return text


@dataclass(frozen=True)
class Addendum:
    note: str  # which note it adds to: "Group note" or a member's label
    author: str
    when: str
    text: str


@dataclass(frozen=True)
class AttendanceLine:
    name: str
    status: str  # a label: "Present", "Late", "Absent (notice given)", "Not recorded"
    minutes_late: int | None
    attended: bool
    minutes_left_early: int | None = None
    detail: str = ""  # an absence's reason; for one without notice, the contact


@dataclass(frozen=True)
class Chair:
    position: int  # 0-based
    label: str  # "" for an empty chair
    kind: str  # "member", "clinician" or "empty"
    key: str  # "m12" / "c3" / "" : matches Arrow.source and Arrow.target


@dataclass(frozen=True)
class Arrow:
    source: str  # a Chair.key
    target: str  # a Chair.key, or "" for "to the whole group"
    count: int
    source_label: str
    target_label: str  # "the group" for the whole group


@dataclass(frozen=True)
class Section:
    title: str
    text: str


@dataclass(frozen=True)
class RiskItem:
    who: str  # "Group" or a member's label
    title: str
    text: str
    overdue: bool = False  # a register entry whose review date has passed


@dataclass(frozen=True)
class MemberNoteBlock:
    name: str
    attendance: str
    sections: tuple[Section, ...]
    risk_flag: bool
    signoff: Signoff
    written: bool  # False: the member was present but has no note


@dataclass(frozen=True)
class SessionSummary:
    practice: str
    group_name: str
    group_kind: str
    session_label: str  # "Session 4 of 12, cycle 2"
    date_text: str
    start_text: str
    length_text: str
    leaders: str
    room: str
    topic: str
    attendance: tuple[AttendanceLine, ...]
    chairs: tuple[Chair, ...]
    arrows: tuple[Arrow, ...]
    group_sections: tuple[Section, ...]
    factors: tuple[str, ...]  # labels
    stage: str
    risk_items: tuple[RiskItem, ...]
    member_notes: tuple[MemberNoteBlock, ...]
    group_signoff: Signoff
    addenda: tuple[Addendum, ...]
    process_note: str | None  # None unless process notes were asked for
    deidentified: bool
    draft: bool  # some note in it is unsigned (or there is no group note)
    meeting_id: int = 0
    file_stem: str = ""  # a file name without names of members in it
    paper_code: str = ""  # printed on every page (groupleader.data.paper_codes)
    printed: str = ""  # "Printed 1 Dec 2026 21:35 by Dr. H. Marsh" (batch fills it in)
    end_text: str = ""  # "19:30": the start plus the length (as amended, if it was)
    participants: str = ""  # "5 members and 2 leaders"


@dataclass(frozen=True)
class SessionColumn:
    label: str  # "12" (the session number)
    date_text: str  # "4 Mar"


@dataclass(frozen=True)
class GridRow:
    name: str
    cells: tuple[str, ...]  # one mark per session column
    attended: int
    recorded: int


@dataclass(frozen=True)
class MembershipChange:
    date_text: str
    name: str
    change: str  # "joined", "graduated", "left", "transferred"
    reason: str


@dataclass(frozen=True)
class FactorCount:
    label: str
    count: int


@dataclass(frozen=True)
class SessionLine:
    """One session of the period, held, cancelled or only scheduled."""

    label: str
    date_text: str
    status: str  # "Held", "Cancelled", "Scheduled" or "Scheduled, not marked held"
    attended: str  # "5 of 7", "not recorded", "" when not held
    notes: str  # the documentation of a held session: "4 signed, 1 unsigned"
    leaders: str
    cancelled: bool = False


@dataclass(frozen=True)
class Documentation:
    """How far the period's group and member notes are signed (process notes apart)."""

    notes: int
    unsigned: int
    awaiting_cosign: int  # signed, no supervisor's co-signature yet
    cosigned: int
    median_days_to_sign: float | None  # session date to signature date; None: none signed
    unsigned_where: tuple[str, ...] = ()  # "Session 4: group note, 2 member notes"

    @property
    def median_text(self) -> str:
        if self.median_days_to_sign is None:
            return "no note signed yet"
        days = self.median_days_to_sign
        number = f"{days:g}"
        return f"{number} day" if days == 1 else f"{number} days"


@dataclass(frozen=True)
class ParticipationRow:
    """One member's recorded interactions over the period."""

    name: str
    attended: int  # sessions attended (present or late)
    spoke: int  # remarks they made, to someone or to the whole group
    spoken_to: int  # remarks addressed to them
    silent_sessions: int  # attended sessions with interactions recorded where they said nothing
    counted_sessions: int  # attended sessions with any interaction recorded

    @property
    def silent(self) -> bool:
        """No recorded speech at any attended session that has interactions recorded."""
        return self.counted_sessions > 0 and self.spoke == 0


@dataclass(frozen=True)
class StagePoint:
    """One held session on the stage and factors chart."""

    label: str  # the session number
    date_text: str
    stage: int | None  # index into PeriodReport.stage_names; None: no stage noted
    factors: tuple[str, ...]  # labels of the factors noted


# ---------------------------------------------------------------- the risk register on paper


@dataclass(frozen=True)
class RiskReviewLine:
    date_text: str  # "18 Mar 2025"
    level: str  # "Moderate"
    note: str
    next_step: str  # "next review by 25 Mar 2025" or "closed"


@dataclass(frozen=True)
class RiskEntryLine:
    """One risk register entry as printed (in the period report's register)."""

    member: str
    kind: str  # "Suicidal ideation or self-harm"
    level: str  # "Moderate" or "Moderate, now High"
    opened: str  # "4 Mar 2025 (Session 1)"
    observed: str
    action: str
    reviews: tuple[RiskReviewLine, ...]
    status: str  # "open since 4 Mar, review by 11 Mar (overdue)" or "closed 18 Mar 2025"
    closing_note: str
    is_open: bool
    overdue: bool


@dataclass(frozen=True)
class IncidentLine:
    """One boundary incident against the group agreement."""

    session: str  # "Session 3, Tue 18 Mar 2025"
    rule: str  # the rule's title, or "Not one of the agreement's rules"
    members: tuple[str, ...]
    what: str
    worked_with: str
    status: str  # the follow-up status now: "Open", "In progress", "Resolved"
    followups: tuple[str, ...]  # "20 Mar 2025: In progress. Spoke with both."


@dataclass(frozen=True)
class AbsenceLine:
    """An absence without notice and what was done about it."""

    member: str
    session: str  # "Session 3, Tue 18 Mar 2025"
    reason: str
    followup: str  # "Contacted 19 Mar 2025: ..." or "Not contacted"
    contacted: bool


@dataclass(frozen=True)
class PeriodReport:
    practice: str
    group_name: str
    group_kind: str
    period_text: str
    sessions: tuple[SessionColumn, ...]
    session_lines: tuple[SessionLine, ...]  # every session of the period, in order
    cancelled: int
    grid: tuple[GridRow, ...]
    changes: tuple[MembershipChange, ...]
    factors: tuple[FactorCount, ...]
    noted_sessions: int  # sessions with a group note (the base of the factor counts)
    deidentified: bool
    file_stem: str = ""
    measures: MeasuresPart | None = None  # questionnaires (issue 17)
    printed: str = ""  # "Printed 1 Dec 2026 21:35 by Dr. H. Marsh" (batch fills it in)
    held: int = 0
    documentation: Documentation = field(default_factory=lambda: Documentation(0, 0, 0, 0,
                                                                                None))
    participation: tuple[ParticipationRow, ...] = ()
    interaction_sessions: int = 0  # held sessions with any interaction recorded
    stage_names: tuple[str, ...] = ()  # the chart's stage rows, first stage first
    factor_names: tuple[str, ...] = ()  # the chart's factor rows (those noted at least once)
    stage_points: tuple[StagePoint, ...] = ()
    risk_entries: tuple[RiskEntryLine, ...] = ()  # open first (overdue first), then closed
    incidents: tuple[IncidentLine, ...] = ()  # unresolved first
    absences: tuple[AbsenceLine, ...] = ()  # absences without notice, in session order
    as_of_text: str = ""  # the day "open" and "overdue" are judged on: "2 Jun 2025"


@dataclass(frozen=True)
class ExtractEntry:
    session_label: str
    date_text: str
    attendance: str
    sections: tuple[Section, ...]
    risk_flag: bool
    signoff: Signoff
    addenda: tuple[Addendum, ...] = field(default=())


@dataclass(frozen=True)
class MemberExtract:
    practice: str
    group_name: str
    member_name: str
    period_text: str
    attended: int
    recorded: int
    entries: tuple[ExtractEntry, ...]
    deidentified: bool
    draft: bool
    file_stem: str = ""
    paper_code: str = ""  # printed on every page (groupleader.data.paper_codes)
    measures: MeasuresPart | None = None  # questionnaires (issue 17)
    printed: str = ""  # "Printed 1 Dec 2026 21:35 by Dr. H. Marsh" (batch fills it in)
    member_dob: str = ""  # "12 Mar 1980" under the subject's name on every page ("" hidden)
    risk_entries: tuple[RiskEntryLine, ...] = ()  # the member's, open at some time in the period
    incidents: tuple[IncidentLine, ...] = ()  # those the member was involved in
    as_of_text: str = ""


@dataclass(frozen=True)
class SigninSheet:
    """A session's sign-in sheet: members by first name and last initial only."""

    practice: str
    group_name: str
    session_label: str  # "Session 4 of 12, cycle 2"
    number: int  # the session's number in the group
    date_text: str
    time_text: str  # "18:00 to 19:30"
    room: str
    leaders: str
    names: tuple[str, ...]  # "Maria K.", in alphabetical order
    deidentified: bool
    blank_lines: int = 3  # for a visitor or a member not yet on the roster
    file_stem: str = ""
    printed: str = ""  # "Printed 1 Dec 2026 21:35 by Dr. H. Marsh" (batch fills it in)
