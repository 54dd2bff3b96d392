"""ORM models of the clinical record (SQLAlchemy 2, typed ``Mapped[...]``).

Only the services in ``groupleader.data.services`` write through these classes. The
Alembic revision ``0001_clinical_record`` creates exactly this schema (a test compares
them), plus the triggers and the FTS5 search table that the ORM does not describe.

Conventions: every datetime is stored as naive UTC and read back as an aware UTC
datetime (``UTCDateTime``); dates (``date``) are local calendar dates chosen by the user
(date of birth, the day a status changed). Optional text is stored as ``""``, not NULL.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    LargeBinary,
    MetaData,
    String,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from groupleader.data import clock


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, naive UTC in the file, aware UTC out. Naive input is refused."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass an aware datetime (UTC or local)")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    """Column default for "when": the data layer's clock (`groupleader.data.clock`)."""
    return clock.now()


class ClinicianRole(StrEnum):
    LEADER = "leader"
    CO_LEADER = "co_leader"
    SUPERVISOR = "supervisor"


class GroupKind(StrEnum):
    PSYCHODYNAMIC = "psychodynamic"
    SUPPORT = "support"
    PSYCHOEDUCATIONAL = "psychoeducational"
    SELF_HELP = "self_help"


class GroupFormat(StrEnum):
    OPEN_ENDED = "open_ended"
    FIXED = "fixed"


class MembershipStatus(StrEnum):
    REFERRED = "referred"
    SCREENING = "screening"
    WAITLIST = "waitlist"
    ACTIVE = "active"
    GRADUATED = "graduated"
    LEFT = "left"
    TRANSFERRED = "transferred"


class MeetingStatus(StrEnum):
    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    LATE = "late"
    ABSENT_NOTICE = "absent_notice"
    ABSENT_NO_NOTICE = "absent_no_notice"


class NoteKind(StrEnum):
    GROUP = "group"  # MeetingNote
    MEMBER = "member"  # MemberNote
    PRIVATE = "private"  # PrivateNote


class GroupStage(StrEnum):
    """Stages of group development (Yalom): the ``stage`` of a group note."""

    ORIENTATION = "orientation"
    CONFLICT = "conflict"
    COHESION = "cohesion"
    WORKING = "working"
    TERMINATION = "termination"


def _one_of(column: str, enum: type[StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(str(e)) for e in enum)})"


NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), date: Date(), time: Time(), str: String()}


class Clinician(Base):
    __tablename__ = "clinicians"
    __table_args__ = (CheckConstraint(_one_of("role", ClinicianRole), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    credentials: Mapped[str] = mapped_column(default="")
    role: Mapped[str]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The signing PIN as a salted argon2id hash (PHC string), "" while none is set.
    pin_hash: Mapped[str] = mapped_column(Text, default="")


class Group(Base):
    __tablename__ = "therapy_groups"
    __table_args__ = (
        CheckConstraint(_one_of("kind", GroupKind), name="kind"),
        CheckConstraint(_one_of("format", GroupFormat), name="format"),
        CheckConstraint("weekday IS NULL OR weekday BETWEEN 0 AND 6", name="weekday"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    kind: Mapped[str]
    format: Mapped[str] = mapped_column(default=GroupFormat.OPEN_ENDED)
    sessions_per_cycle: Mapped[int | None]
    weekday: Mapped[int | None]  # 0 = Monday, as in datetime.weekday()
    start_time: Mapped[time | None]  # local wall-clock time
    length_minutes: Mapped[int] = mapped_column(default=90)
    room: Mapped[str] = mapped_column(default="")
    target_size: Mapped[int] = mapped_column(default=7)
    max_size: Mapped[int] = mapped_column(default=10)
    min_size: Mapped[int] = mapped_column(default=4)
    agreement: Mapped[str] = mapped_column(Text, default="")
    archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class GroupLeader(Base):
    __tablename__ = "group_leaders"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("therapy_groups.id", ondelete="CASCADE"), primary_key=True)
    clinician_id: Mapped[int] = mapped_column(ForeignKey("clinicians.id"), primary_key=True)
    position: Mapped[int]


class Member(Base):
    __tablename__ = "members"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str]
    preferred_name: Mapped[str] = mapped_column(default="")
    pronouns: Mapped[str] = mapped_column(default="")
    dob: Mapped[date | None]
    phone: Mapped[str] = mapped_column(default="")
    email: Mapped[str] = mapped_column(default="")
    emergency_contact: Mapped[str] = mapped_column(Text, default="")
    # other spellings of the name, one a line (nicknames, transliterations): hidden too
    also_written_as: Mapped[str] = mapped_column(Text, default="")
    presenting_concerns: Mapped[str] = mapped_column(Text, default="")
    referral_source: Mapped[str] = mapped_column(default="")
    archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Membership(Base):
    """One member in one group over one stretch of time; a rejoin is a new row."""

    __tablename__ = "memberships"
    __table_args__ = (
        CheckConstraint(_one_of("status", MembershipStatus), name="status"),
        Index(None, "group_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("therapy_groups.id"))
    status: Mapped[str]  # the latest row of its history, kept here for fast rosters
    pseudonym: Mapped[str]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MembershipEvent(Base):
    """A row of a membership's status history: appended, never changed."""

    __tablename__ = "membership_events"
    __table_args__ = (CheckConstraint(_one_of("status", MembershipStatus), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("memberships.id", ondelete="CASCADE"), index=True)
    status: Mapped[str]
    on_date: Mapped[date]
    reason: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Meeting(Base):
    __tablename__ = "meetings"
    __table_args__ = (
        CheckConstraint(_one_of("status", MeetingStatus), name="status"),
        UniqueConstraint("group_id", "number"),
        Index(None, "group_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("therapy_groups.id"))
    number: Mapped[int]
    cycle: Mapped[int | None]
    number_in_cycle: Mapped[int | None]
    starts_at: Mapped[datetime]
    length_minutes: Mapped[int]
    status: Mapped[str] = mapped_column(default=MeetingStatus.SCHEDULED)
    topic: Mapped[str] = mapped_column(default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MeetingLeader(Base):
    """A clinician who was present as leader at a meeting."""

    __tablename__ = "meeting_leaders"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    clinician_id: Mapped[int] = mapped_column(ForeignKey("clinicians.id"), primary_key=True)


class Attendance(Base):
    __tablename__ = "attendance"
    __table_args__ = (
        CheckConstraint(_one_of("status", AttendanceStatus), name="status"),
        CheckConstraint("(status = 'late') = (minutes_late IS NOT NULL)", name="late_minutes"),
        UniqueConstraint("meeting_id", "membership_id"),
        # a membership's marks with their session and status, read from the index alone
        # (the roster's figures, migration 0013)
        Index(None, "membership_id", "meeting_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id"))
    status: Mapped[str]
    minutes_late: Mapped[int | None]
    # issue 16: what else happened (services/attendance_details.py keeps them coherent
    # with the status: left early only for someone present, the rest only for an absence)
    minutes_left_early: Mapped[int | None]
    absence_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # an absence without notice: whether the member was contacted, when, and what came of it
    contacted: Mapped[bool] = mapped_column(default=False, server_default="0")
    contacted_on: Mapped[date | None]
    contact_note: Mapped[str] = mapped_column(Text, default="", server_default="")


class Seat(Base):
    """One chair of the circle at one meeting: a member, a clinician or nobody."""

    __tablename__ = "seats"
    __table_args__ = (
        CheckConstraint("member_id IS NULL OR clinician_id IS NULL", name="one_occupant"),
        UniqueConstraint("meeting_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    position: Mapped[int]
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    clinician_id: Mapped[int | None] = mapped_column(ForeignKey("clinicians.id"))


class Interaction(Base):
    """One "A spoke to B" event; no ``to`` means A spoke to the whole group.

    One row per event (not a counter) so the last one can be undone; counts are sums.
    """

    __tablename__ = "interactions"
    __table_args__ = (
        CheckConstraint("(from_member_id IS NULL) <> (from_clinician_id IS NULL)", name="from"),
        CheckConstraint("to_member_id IS NULL OR to_clinician_id IS NULL", name="to"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    from_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    from_clinician_id: Mapped[int | None] = mapped_column(ForeignKey("clinicians.id"))
    to_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    to_clinician_id: Mapped[int | None] = mapped_column(ForeignKey("clinicians.id"))


class MeetingNote(Base):
    """The group note of one meeting."""

    __tablename__ = "meeting_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), unique=True)
    themes: Mapped[str] = mapped_column(Text, default="")
    here_and_now: Mapped[str] = mapped_column(Text, default="")
    interventions: Mapped[str] = mapped_column(Text, default="")
    factors: Mapped[list[str]] = mapped_column(JSON, default=list)  # keys of factors.FACTORS
    stage: Mapped[str | None]
    critical_incidents: Mapped[str] = mapped_column(Text, default="")
    boundary_incidents: Mapped[str] = mapped_column(Text, default="")
    risk: Mapped[str] = mapped_column(Text, default="")
    plan: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class MemberNote(Base):
    __tablename__ = "member_notes"
    # The roster's risk flags read (meeting, member, flag) of a group's notes from this
    # index alone, never the pages of the notes' text (migration 0010).
    __table_args__ = (UniqueConstraint("meeting_id", "member_id"),
                      Index("ix_member_notes_meeting_id_member_id_risk_flag",
                            "meeting_id", "member_id", "risk_flag"))

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    participation: Mapped[str] = mapped_column(Text, default="")
    goals: Mapped[str] = mapped_column(Text, default="")
    response: Mapped[str] = mapped_column(Text, default="")
    risk_flag: Mapped[bool] = mapped_column(default=False)
    risk_followup: Mapped[str] = mapped_column(Text, default="")
    plan: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class PrivateNote(Base):
    """The leader's process notes for a meeting: kept apart, read only when asked for."""

    __tablename__ = "private_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), unique=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("clinicians.id"))
    text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Signature(Base):
    """The signature of exactly one note (of one of the three kinds), and its co-signature."""

    __tablename__ = "signatures"
    __table_args__ = (
        CheckConstraint(
            "(meeting_note_id IS NOT NULL) + (member_note_id IS NOT NULL)"
            " + (private_note_id IS NOT NULL) = 1", name="one_note"),
        # the status bar's count of notes awaiting a co-signature (migration 0012)
        Index("ix_signatures_awaiting_cosign", "id",
              sqlite_where=text("cosigned_at IS NULL AND private_note_id IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_note_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting_notes.id"), unique=True)
    member_note_id: Mapped[int | None] = mapped_column(ForeignKey("member_notes.id"), unique=True)
    private_note_id: Mapped[int | None] = mapped_column(
        ForeignKey("private_notes.id"), unique=True)
    signed_by_id: Mapped[int] = mapped_column(ForeignKey("clinicians.id"))
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)
    cosigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("clinicians.id"))
    cosigned_at: Mapped[datetime | None]
    # SHA-256 of what the signature (and the co-signature) covers: `groupleader.data.digests`
    digest: Mapped[str | None] = mapped_column(String(64), index=True)
    cosign_digest: Mapped[str | None] = mapped_column(String(64), index=True)


class AddendumKind(StrEnum):
    ADDENDUM = "addendum"  # text added to a signed note
    AMENDMENT = "amendment"  # a correction of a signed session's facts (`change`)


class Addendum(Base):
    """Dated text added to a signed note; itself immutable.

    An amendment (kind "amendment", on a group note's signature) corrects a fact of the
    signed session: `change` says what, from what to what (`groupleader.amendments`), and
    `text` is the reason. The original rows stay as they were recorded.
    """

    __tablename__ = "addenda"

    id: Mapped[int] = mapped_column(primary_key=True)
    signature_id: Mapped[int] = mapped_column(ForeignKey("signatures.id"), index=True)
    clinician_id: Mapped[int] = mapped_column(ForeignKey("clinicians.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(default=AddendumKind.ADDENDUM,
                                      server_default=AddendumKind.ADDENDUM.value)
    change: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # SHA-256 of every other column of the row but id: `groupleader.data.digests`
    digest: Mapped[str | None] = mapped_column(String(64), index=True)


class AuditEvent(Base):
    """One link of the keyed (HMAC) chain of the audit log: an action on a record id, and
    at most a digest in ``detail``, never a record's content (`groupleader.data.audit`)."""

    __tablename__ = "audit_events"
    __table_args__ = {"sqlite_autoincrement": True}  # ids never reused: gaps show deletions

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    action: Mapped[str]
    record_type: Mapped[str]
    record_id: Mapped[int | None]
    detail: Mapped[str | None]  # a digest (JSON, `audit`), never clinical text
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))  # the event's HMAC


class AuditHead(Base):
    """The audit chain's length and last MAC, under a MAC of its own (one row, id 1)."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    count: Mapped[int]
    head: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str] = mapped_column(String(64))


class VaultSecret(Base):
    """Random secrets made with the vault and kept only inside it (the audit chain's)."""

    __tablename__ = "vault_secrets"

    name: Mapped[str] = mapped_column(primary_key=True)
    value: Mapped[bytes] = mapped_column(LargeBinary)


# ---------------------------------------------------------------- issue 16: risk and agreement


class RiskKind(StrEnum):
    SELF_HARM = "self_harm"  # suicidal ideation or self-harm
    HARM_TO_OTHERS = "harm_to_others"
    SAFEGUARDING = "safeguarding"  # safeguarding or abuse
    SUBSTANCE_USE = "substance_use"
    MEDICAL = "medical"
    OTHER = "other"


class RiskLevel(StrEnum):
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"


class FollowUp(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"


class RiskEntry(Base):
    """One risk concern about one member, opened in one session; open until a closing
    review. Its row is locked with its session once the group note is signed (0007):
    what happens later is a `RiskReview`."""

    __tablename__ = "risk_entries"
    __table_args__ = (
        CheckConstraint(_one_of("kind", RiskKind), name="kind"),
        CheckConstraint(_one_of("level", RiskLevel), name="level"),
        Index(None, "group_id", "opened_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("therapy_groups.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    kind: Mapped[str]
    level: Mapped[str]
    observed: Mapped[str] = mapped_column(Text, default="")
    action_taken: Mapped[str] = mapped_column(Text, default="")
    review_by: Mapped[date]
    opened_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RiskReview(Base):
    """A dated review of a risk entry: its level then, a note and the next review date;
    a closing review (``closes``) closes the entry with its note. Made in a session
    (`meeting_id`) it is locked with that session once signed; a review made between
    sessions has none."""

    __tablename__ = "risk_reviews"
    __table_args__ = (CheckConstraint(_one_of("level", RiskLevel), name="level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("risk_entries.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    on_date: Mapped[date]
    level: Mapped[str]
    note: Mapped[str] = mapped_column(Text, default="")
    next_review_by: Mapped[date | None]
    closes: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AgreementRule(Base):
    """One rule of a group's agreement, in the group's order; a rule an incident names is
    retired rather than deleted."""

    __tablename__ = "agreement_rules"
    __table_args__ = (Index(None, "group_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("therapy_groups.id", ondelete="CASCADE"))
    position: Mapped[int]
    title: Mapped[str]
    text: Mapped[str] = mapped_column(Text, default="")
    retired: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class BoundaryIncident(Base):
    """An incident against the group's agreement in one session: the rule, what happened,
    how it was worked with; its members are `IncidentMember` rows and its follow-up
    after the session `IncidentFollowUp` rows (the row is locked with its session)."""

    __tablename__ = "boundary_incidents"
    __table_args__ = (CheckConstraint(_one_of("status", FollowUp), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("therapy_groups.id"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("agreement_rules.id"))
    what_happened: Mapped[str] = mapped_column(Text, default="")
    worked_with: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(default=FollowUp.OPEN)  # as recorded in the session
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class IncidentMember(Base):
    __tablename__ = "incident_members"

    incident_id: Mapped[int] = mapped_column(
        ForeignKey("boundary_incidents.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), primary_key=True,
                                           index=True)


class IncidentFollowUp(Base):
    """A later change of an incident's follow-up status, dated, with a note."""

    __tablename__ = "incident_followups"
    __table_args__ = (CheckConstraint(_one_of("status", FollowUp), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("boundary_incidents.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    on_date: Mapped[date]
    status: Mapped[str]
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MeasureSchedule(StrEnum):
    """How often a group gives one of its instruments (`services.measures.due`)."""

    EVERY_SESSION = "every_session"
    MONTHLY = "monthly"  # the first session a member attends in each calendar month
    JOIN_LEAVE = "join_leave"  # a member's first session, and the last before they leave


class GroupInstrument(Base):
    """One instrument a group uses, and how often (the keys of `groupleader.measures`)."""

    __tablename__ = "group_instruments"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("therapy_groups.id", ondelete="CASCADE"), primary_key=True)
    instrument: Mapped[str] = mapped_column(primary_key=True)
    schedule: Mapped[str]  # MeasureSchedule
    position: Mapped[int]


class MeasureScore(Base):
    """One member's form of one instrument at one session: the item answers as entered
    (None when only the total is known), and the score the engine made of them."""

    __tablename__ = "measure_scores"
    __table_args__ = (
        UniqueConstraint("meeting_id", "member_id", "instrument"),
        Index("ix_measure_scores_member_id_instrument", "member_id", "instrument"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    instrument: Mapped[str]
    answers: Mapped[list[int | None] | None] = mapped_column(JSON)
    status: Mapped[str]  # scoring.Status
    score_values: Mapped[dict[str, float | None]] = mapped_column(JSON)
    # score_values["total"] again, in a column of its own: charts read it without JSON
    total: Mapped[float | None] = mapped_column(Float)
    entered_at: Mapped[datetime] = mapped_column(default=utcnow)


class GoalScale(StrEnum):
    DIRECTION = "direction"  # worse / same / better: -1, 0, 1
    ZERO_TEN = "zero_ten"  # 0 to 10


class MemberGoal(Base):
    """One of a member's goals for the group (positions 1 to 3). Editing a goal keeps the
    old text: the old row gets `replaced_on`, a new row takes its position."""

    __tablename__ = "member_goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id"), index=True)
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    scale: Mapped[str]  # GoalScale
    set_on: Mapped[date]
    replaced_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class GoalRating(Base):
    """Progress on one goal as rated in one session's member note."""

    __tablename__ = "goal_ratings"
    __table_args__ = (UniqueConstraint("goal_id", "meeting_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("member_goals.id"))
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    value: Mapped[int]
class HideTerm(Base):
    """A word or phrase every de-identified export hides (a workplace, a family name)."""

    __tablename__ = "hide_terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
