"""Frozen dataclasses the services take and return: never live ORM objects.

``*Spec`` and ``*Fields`` classes are inputs (what a form holds); the rest are read-only
snapshots of what the vault holds after a unit of work. Datetimes are aware UTC; dates
are local calendar dates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

# ---------------------------------------------------------------- people and groups


@dataclass(frozen=True)
class ClinicianSpec:
    name: str
    role: str  # ClinicianRole: leader, co_leader, supervisor
    credentials: str = ""


@dataclass(frozen=True)
class ClinicianSnap:
    id: int
    name: str
    role: str
    credentials: str
    has_pin: bool = False  # a signing PIN is set (its hash never leaves the vault)

    @property
    def printed_name(self) -> str:
        """The name as a signature prints it: "Dr. Ana Reyes, LCSW" (credentials if any)."""
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


@dataclass(frozen=True)
class GroupSpec:
    name: str
    kind: str  # GroupKind
    leader_ids: tuple[int, ...] = ()  # one or two (none only for a self-help group)
    format: str = "open_ended"  # GroupFormat: open_ended or fixed
    sessions_per_cycle: int | None = None  # required for fixed
    weekday: int | None = None  # 0 = Monday
    start_time: time | None = None  # local wall-clock time
    length_minutes: int = 90
    room: str = ""
    target_size: int = 7
    max_size: int = 10
    min_size: int = 4
    agreement: str = ""


@dataclass(frozen=True)
class GroupSnap:
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
    leaders: tuple[ClinicianSnap, ...]


@dataclass(frozen=True)
class GroupSize:
    active: int
    waiting: int  # on the waitlist
    target: int
    maximum: int
    minimum: int

    @property
    def below_minimum(self) -> bool:
        return self.active < self.minimum

    @property
    def full(self) -> bool:
        return self.active >= self.maximum


@dataclass(frozen=True)
class MemberSpec:
    full_name: str
    preferred_name: str = ""
    pronouns: str = ""
    dob: date | None = None
    phone: str = ""
    email: str = ""
    emergency_contact: str = ""
    presenting_concerns: str = ""
    referral_source: str = ""
    also_written_as: tuple[str, ...] = ()  # nicknames, transliterations


@dataclass(frozen=True)
class MemberSnap:
    id: int
    full_name: str
    preferred_name: str
    pronouns: str
    dob: date | None
    phone: str
    email: str
    emergency_contact: str
    presenting_concerns: str
    referral_source: str
    archived: bool
    also_written_as: tuple[str, ...] = ()

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.full_name


@dataclass(frozen=True)
class StatusChange:
    status: str
    on_date: date
    reason: str
    recorded_at: datetime


@dataclass(frozen=True)
class MembershipSnap:
    id: int
    member_id: int
    group_id: int
    group_name: str
    status: str
    pseudonym: str
    history: tuple[StatusChange, ...]  # oldest first


@dataclass(frozen=True)
class RosterRow:
    membership_id: int
    member_id: int
    full_name: str
    preferred_name: str
    pseudonym: str
    status: str
    since: date  # date of the latest status change
    attended: int  # present or late
    absent: int  # with or without notice
    attendance_rate: float | None  # attended / recorded, None before any record
    absence_streak: int  # consecutive absences up to the latest recorded meeting
    pronouns: str = ""
    joined: date | None = None  # first day active (None if never active)
    ended: date | None = None  # graduated, left or transferred on
    held_since_joining: int = 0  # sessions held from `joined` until (not on) `ended`
    # an open risk entry (issue 16), or the risk flag of the member's latest note in this
    # group for a member the register never held (notes from before the register)
    risk_flag: bool = False
    archived: bool = False  # the member is archived
    # the register (issue 16): open entries today, the oldest one's opening day, the
    # earliest review date among them, and whether that review is overdue
    risk_open: int = 0
    risk_since: date | None = None
    risk_review_by: date | None = None
    risk_overdue: bool = False

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.full_name


@dataclass(frozen=True)
class AttendanceMark:
    """One held session in a member's attendance history (the roster's strip)."""

    meeting_id: int
    number: int
    starts_at: datetime
    status: str | None  # an AttendanceStatus, or None when nothing was recorded


# ---------------------------------------------------------------- meetings


@dataclass(frozen=True)
class MeetingSnap:
    id: int
    group_id: int
    number: int
    cycle: int | None
    number_in_cycle: int | None
    sessions_per_cycle: int | None
    starts_at: datetime
    length_minutes: int
    status: str
    topic: str
    leaders: tuple[ClinicianSnap, ...]  # present (as recorded when held)

    @property
    def label(self) -> str:
        """"Session 4 of 12, cycle 2" for fixed groups, "Session 37" otherwise."""
        if self.number_in_cycle is not None and self.sessions_per_cycle:
            of = f"{self.number_in_cycle} of {self.sessions_per_cycle}"
            return f"Session {of}, cycle {self.cycle}"
        return f"Session {self.number}"


@dataclass(frozen=True)
class DeletedMeeting:
    """An empty session as it was before it was deleted: what its undo writes back
    (its own id and number, so nothing that named it has to change)."""

    id: int
    group_id: int
    number: int
    cycle: int | None
    number_in_cycle: int | None
    starts_at: datetime
    length_minutes: int
    status: str
    topic: str
    created_at: datetime
    leader_ids: tuple[int, ...]


@dataclass(frozen=True)
class MeetingOverview:
    """One row of a group's session list: the session, its attendance and note state."""

    meeting: MeetingSnap
    attended: int  # present or late
    recorded: int  # attendance records of any status
    group_note: str  # state of the group note: "" (none), "draft", "signed", "cosigned"
    notes: str  # group and member notes together: "", "draft" (any), "signed", "cosigned" (all)
    unsigned_days: int  # days since the session while a note is still a draft past the limit

    @property
    def flagged(self) -> bool:
        """A draft (group or member note) left unsigned longer than the limit."""
        return self.unsigned_days > 0


@dataclass(frozen=True)
class EligibleMember:
    member_id: int
    membership_id: int
    full_name: str
    preferred_name: str
    pseudonym: str

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.full_name


@dataclass(frozen=True)
class AttendanceRow:
    member_id: int
    membership_id: int
    display_name: str
    pseudonym: str
    status: str  # as amended after signing, if it was (`amended`)
    minutes_late: int | None
    amended: bool = False  # an amendment of the signed session set this mark
    recorded_status: str | None = None  # then: the mark as recorded (None: none was)
    recorded_minutes_late: int | None = None
    # issue 16 (`register_snapshots.AttendanceDetails`), as recorded
    minutes_left_early: int | None = None
    absence_reason: str = ""
    contacted: bool = False
    contacted_on: date | None = None
    contact_note: str = ""


# ---------------------------------------------------------------- seating


@dataclass(frozen=True)
class Party:
    """A member or a clinician (exactly one id set): who sits or speaks."""

    member_id: int | None = None
    clinician_id: int | None = None


@dataclass(frozen=True)
class ChairSpec:
    """One chair of the circle: a member, a clinician, or nobody (both None)."""

    member_id: int | None = None
    clinician_id: int | None = None


@dataclass(frozen=True)
class ChairSnap:
    position: int
    member_id: int | None
    clinician_id: int | None
    label: str  # display name, "" for an empty chair
    pseudonym: str  # members only


@dataclass(frozen=True)
class InteractionSnap:
    id: int
    speaker: Party
    to: Party | None  # None: to the whole group


@dataclass(frozen=True)
class InteractionCount:
    speaker: Party
    to: Party | None
    count: int


# ---------------------------------------------------------------- notes


@dataclass(frozen=True)
class GroupNoteFields:
    themes: str = ""
    here_and_now: str = ""
    interventions: str = ""
    factors: tuple[str, ...] = ()  # keys of groupleader.factors.FACTORS
    stage: str | None = None  # GroupStage
    critical_incidents: str = ""
    boundary_incidents: str = ""
    risk: str = ""
    plan: str = ""


@dataclass(frozen=True)
class MemberNoteFields:
    participation: str = ""
    goals: str = ""
    response: str = ""
    risk_flag: bool = False
    risk_followup: str = ""
    plan: str = ""


@dataclass(frozen=True)
class AddendumSnap:
    id: int
    clinician_id: int
    clinician_name: str
    created_at: datetime
    text: str  # an amendment's reason
    kind: str = "addendum"  # or "amendment" (a correction of the session's facts)
    change: Mapping[str, Any] | None = None  # an amendment's change (groupleader.amendments)

    @property
    def is_amendment(self) -> bool:
        return self.kind == "amendment"


@dataclass(frozen=True)
class NoteStatus:
    """Draft, signed or co-signed, with who and when, and the addenda (oldest first)."""

    signed_by: ClinicianSnap | None = None
    signed_at: datetime | None = None
    cosigned_by: ClinicianSnap | None = None
    cosigned_at: datetime | None = None
    addenda: tuple[AddendumSnap, ...] = ()

    @property
    def state(self) -> str:
        if self.cosigned_at is not None:
            return "cosigned"
        return "signed" if self.signed_at is not None else "draft"

    @property
    def signed(self) -> bool:
        return self.signed_at is not None


@dataclass(frozen=True)
class GroupNoteSnap:
    id: int
    meeting_id: int
    fields: GroupNoteFields
    updated_at: datetime
    status: NoteStatus


@dataclass(frozen=True)
class MemberNoteSnap:
    id: int
    meeting_id: int
    member_id: int
    display_name: str
    pseudonym: str
    fields: MemberNoteFields
    updated_at: datetime
    status: NoteStatus


@dataclass(frozen=True)
class PrivateNoteSnap:
    id: int
    meeting_id: int
    author_id: int | None
    text: str
    updated_at: datetime
    status: NoteStatus


@dataclass(frozen=True)
class MeetingNotes:
    """Everything a session screen or a PDF summary needs about one meeting."""

    group: GroupSnap
    meeting: MeetingSnap
    attendance: tuple[AttendanceRow, ...]
    seating: tuple[ChairSnap, ...]
    interactions: tuple[InteractionCount, ...]
    group_note: GroupNoteSnap | None
    member_notes: tuple[MemberNoteSnap, ...]
    private_note: PrivateNoteSnap | None = None  # only when asked for
    private_included: bool = False

    @property
    def locked(self) -> bool:
        """The group note is signed: attendance, seating, time and status are locked."""
        return self.group_note is not None and self.group_note.status.signed


@dataclass(frozen=True)
class SearchHit:
    """One note (or addendum) found; an addendum's meeting and member are its note's."""

    kind: str  # "group", "member", "private" or "addendum"
    note_id: int
    group_id: int
    group_name: str
    meeting_id: int
    meeting_number: int
    meeting_starts_at: datetime
    member_id: int | None
    member_name: str | None  # preferred or full name for member notes; None otherwise
    addendum_of: str | None  # for kind "addendum": the kind of note it was added to
    snippet: str  # matched words between [ and ]


@dataclass(frozen=True)
class AwaitingCosign:
    """One signed note no supervisor has co-signed yet: a row of the supervisor's queue.

    `member_label` is the member's pseudonym in the group, or their initials when it has
    none ("" for a group note); never the name.
    """

    kind: str  # "group" or "member"
    note_id: int
    group_id: int
    group_name: str
    meeting_id: int
    meeting_number: int
    meeting_starts_at: datetime
    member_label: str
    signed_by: ClinicianSnap
    signed_at: datetime
