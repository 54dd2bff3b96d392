"""What a report prints: plain frozen dataclasses of finished, already de-identified text.

`collect.py` fills these from the services; the layout modules only arrange them. Every
string here is final: a name that should be hidden was replaced before it got here.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ReportOptions:
    practice: str = ""  # printed at the top of every report when given
    deidentify: bool = False  # members by pseudonym, no names or contact data anywhere
    include_private: bool = False  # the leader's process notes (off unless asked)
    others_as: str = "initials"  # in a member extract, others by "initials" or "another member"
    hide_terms: tuple[str, ...] = ()  # more words or phrases to hide in a de-identified export
    # more spellings of members (member id, word), e.g. chosen in the review, not yet saved
    spellings: tuple[tuple[int, str], ...] = ()


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
class PeriodReport:
    practice: str
    group_name: str
    group_kind: str
    period_text: str
    sessions: tuple[SessionColumn, ...]
    session_lines: tuple[tuple[str, str, str, str], ...]  # label, date, attended, leaders
    cancelled: int
    grid: tuple[GridRow, ...]
    changes: tuple[MembershipChange, ...]
    factors: tuple[FactorCount, ...]
    noted_sessions: int  # sessions with a group note (the base of the factor counts)
    deidentified: bool
    file_stem: str = ""


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
