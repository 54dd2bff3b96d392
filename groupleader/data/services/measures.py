"""Measures: the instruments a group uses and how often, members' scored forms, who is due.

Forms are scored here by `groupleader.measures.scoring` (the one engine) when they are
saved; the score is stored beside the answers, so reading ten years of a member's scores
is one indexed query with no re-scoring.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from typing import cast

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from groupleader.data import clock
from groupleader.data.measures_snapshots import DueSnap, GroupInstrumentSnap, ScoreSnap
from groupleader.data.models import (
    Attendance,
    Group,
    GroupInstrument,
    MeasureSchedule,
    MeasureScore,
    Meeting,
    MeetingStatus,
    Member,
    MembershipEvent,
    RiskEntry,
    RiskReview,
)
from groupleader.data.services import meetings as meetings_service
from groupleader.data.services import members as members_service
from groupleader.data.services._common import choice, fetch, local_date, session_signed
from groupleader.errors import InvalidInput
from groupleader.measures import registry, scoring
from groupleader.measures.definition import Instrument
from groupleader.measures.trends import (
    GroupSession,
    Point,
    Series,
    Trend,
    attendance_trend,
    group_trend,
    member_trend,
)

ENDED = ("graduated", "left", "transferred")
SCHEDULE_LABELS = {
    MeasureSchedule.EVERY_SESSION: "Every session",
    MeasureSchedule.MONTHLY: "Monthly",
    MeasureSchedule.JOIN_LEAVE: "At joining and leaving",
}


def known_instrument(key: str, field: str = "instrument") -> Instrument:
    try:
        return registry.instrument(key)
    except KeyError:
        raise InvalidInput("There is no such questionnaire.", field) from None


# -- a group's instruments ----------------------------------------------------------

def group_instruments(db: Session, group_id: int) -> list[GroupInstrumentSnap]:
    rows = db.scalars(select(GroupInstrument).where(GroupInstrument.group_id == group_id)
                      .order_by(GroupInstrument.position)).all()
    return [GroupInstrumentSnap(r.group_id, r.instrument, r.schedule, r.position) for r in rows
            if registry.is_instrument(r.instrument)]


def set_group_instruments(db: Session, group_id: int,
                          entries: Sequence[tuple[str, str]]) -> list[GroupInstrumentSnap]:
    """Replace the group's instruments with `entries` (instrument key, schedule), in order."""
    fetch(db, Group, group_id, "group_id")
    seen: set[str] = set()
    for key, schedule in entries:
        known_instrument(key)
        choice(schedule, MeasureSchedule, "schedule")
        if key in seen:
            raise InvalidInput("Each questionnaire can be chosen once.", "instrument")
        seen.add(key)
    db.execute(delete(GroupInstrument).where(GroupInstrument.group_id == group_id))
    for position, (key, schedule) in enumerate(entries):
        db.add(GroupInstrument(group_id=group_id, instrument=key, schedule=schedule,
                               position=position))
    db.flush()
    return group_instruments(db, group_id)


# -- scores ---------------------------------------------------------------------------

def _snap(s: MeasureScore, m: Meeting) -> ScoreSnap:
    return ScoreSnap(s.id, m.id, m.number, local_date(m.starts_at), m.group_id, s.member_id,
                     s.instrument, tuple(s.answers) if s.answers is not None else None,
                     s.status, dict(s.score_values))


def score_form(inst: Instrument, answers: Sequence[int | None] | None,
               total: float | None) -> scoring.Result:
    """The scored form: item answers, or else a total only (InvalidInput for neither)."""
    if answers is not None:
        return scoring.score(inst, list(answers))
    if total is None:
        raise InvalidInput(f"Enter the {inst.name} items or its total.", "answers")
    return scoring.score_total(inst, total)


def risk_recorded(db: Session, group_id: int, member_id: int, meeting_id: int,
                  quote: str, later: str) -> bool:
    """Whether a risk answer is in the register already: an entry of that session whose
    observation is `quote` or `later`, an entry of any session of the group whose
    observation is `later` (the signed path files it elsewhere; `later` names the form's
    session), or a review of one of the member's entries whose note is one of them (the
    same answer saved again, after a total only, or after the form was deleted, opens
    nothing new)."""
    texts = [quote, later]
    entries = db.scalars(select(RiskEntry).where(
        RiskEntry.group_id == group_id, RiskEntry.member_id == member_id)).all()
    if any((e.meeting_id == meeting_id and e.observed in texts) or e.observed == later
           for e in entries):
        return True
    ids = [e.id for e in entries]
    return bool(ids) and bool(db.scalar(select(exists().where(
        RiskReview.entry_id.in_(ids), RiskReview.note.in_(texts)))))


def latest_unsigned_held_session(db: Session, group_id: int) -> Meeting | None:
    """The group's most recent session that has started (by now), was held and is not
    signed: where a late risk answer is filed so that it shows today."""
    for m in db.scalars(select(Meeting).where(
            Meeting.group_id == group_id, Meeting.starts_at <= clock.now(),
            Meeting.status == MeetingStatus.HELD).order_by(Meeting.starts_at.desc())):
        if not session_signed(db, m.id):
            return m
    return None


def later_unsigned_session(db: Session, meeting_id: int) -> Meeting | None:
    """The group's first session after this one that is neither cancelled nor signed:
    where the register puts an entry made after this session was signed."""
    m = fetch(db, Meeting, meeting_id, "meeting_id")
    for later in db.scalars(select(Meeting).where(
            Meeting.group_id == m.group_id, Meeting.starts_at > m.starts_at,
            Meeting.status != MeetingStatus.CANCELLED).order_by(Meeting.starts_at)):
        if not session_signed(db, later.id):
            return later
    return None


def save_score(db: Session, meeting_id: int, member_id: int, instrument: str,
               answers: Sequence[int | None] | None = None,
               total: float | None = None) -> tuple[ScoreSnap, scoring.Result]:
    """Store (or replace) a member's form at a session; the member must belong to the
    session's group that day and the session must not be cancelled nor start more than
    `meetings.HOLD_AHEAD` from now (as attendance)."""
    inst = known_instrument(instrument)
    m = fetch(db, Meeting, meeting_id, "meeting_id")
    fetch(db, Member, member_id, "member_id")
    if m.status == MeetingStatus.CANCELLED:
        raise InvalidInput("A cancelled session has no questionnaires.", "meeting_id")
    if m.starts_at > clock.now() + meetings_service.HOLD_AHEAD:  # as attendance is
        raise InvalidInput(
            f"This session starts on {m.starts_at.astimezone():%d %b %Y at %H:%M}. Enter "
            "its questionnaires on the day, from a day before it starts.", "starts_at")
    if members_service.active_membership_on(db, m.group_id, member_id,
                                            local_date(m.starts_at)) is None:
        raise InvalidInput("This member was not in the group on the session's day.",
                           "member_id")
    result = score_form(inst, answers, total)
    row = db.scalar(select(MeasureScore).where(
        MeasureScore.meeting_id == meeting_id, MeasureScore.member_id == member_id,
        MeasureScore.instrument == instrument))
    if row is None:
        row = MeasureScore(meeting_id=meeting_id, member_id=member_id, instrument=instrument)
        db.add(row)
    row.answers = list(answers) if answers is not None else None
    row.status = result.status
    row.score_values = dict(result.values)
    row.total = result.total
    db.flush()
    return _snap(row, m), result


def delete_score(db: Session, score_id: int) -> ScoreSnap:
    row = fetch(db, MeasureScore, score_id, "score_id")
    snap = _snap(row, fetch(db, Meeting, row.meeting_id, "meeting_id"))
    db.delete(row)
    db.flush()
    return snap


def scores_for_meeting(db: Session, meeting_id: int) -> list[ScoreSnap]:
    rows = db.execute(select(MeasureScore, Meeting).join(
        Meeting, Meeting.id == MeasureScore.meeting_id).where(Meeting.id == meeting_id)
        .order_by(MeasureScore.member_id, MeasureScore.instrument)).all()
    return [_snap(s, m) for s, m in rows]


def member_scores(db: Session, member_id: int, group_id: int | None = None,
                  instrument: str | None = None) -> list[ScoreSnap]:
    """A member's forms in session order (of one group, one instrument if given)."""
    q = (select(MeasureScore, Meeting).join(Meeting, Meeting.id == MeasureScore.meeting_id)
         .where(MeasureScore.member_id == member_id))
    if group_id is not None:
        q = q.where(Meeting.group_id == group_id)
    if instrument is not None:
        q = q.where(MeasureScore.instrument == instrument)
    rows = db.execute(q.order_by(Meeting.starts_at, MeasureScore.instrument)).all()
    return [_snap(s, m) for s, m in rows]


def group_scores(db: Session, group_id: int, start: date | None = None,
                 end: date | None = None) -> list[ScoreSnap]:
    """Every form entered in the group's sessions (between two local dates if given)."""
    rows = db.execute(select(MeasureScore, Meeting).join(
        Meeting, Meeting.id == MeasureScore.meeting_id).where(Meeting.group_id == group_id)
        .order_by(Meeting.starts_at, MeasureScore.member_id, MeasureScore.instrument)).all()
    out = [_snap(s, m) for s, m in rows]
    return [s for s in out if (start is None or s.on_date >= start)
            and (end is None or s.on_date <= end)]


def trends_from(scores: Iterable[ScoreSnap]) -> list[Trend]:
    """One member trend per member-rated instrument among `scores` (in session order)."""
    by_instrument: dict[str, list[tuple[date, dict[str, float | None]]]] = {}
    flagged: dict[str, list[Point]] = {}
    for s in scores:
        by_instrument.setdefault(s.instrument, []).append((s.on_date, s.values))
        total = s.values.get("total")
        if (s.status == "prorated" and s.answers is not None and total is not None
                and registry.is_instrument(s.instrument) and scoring.blank_risk_items(
                    registry.instrument(s.instrument), s.answers)):
            flagged.setdefault(s.instrument, []).append(Point(s.on_date, total, ""))
    out = []
    for inst in registry.instruments():
        if inst.key in by_instrument and inst.rates == "member":
            out.append(replace(member_trend(inst, by_instrument[inst.key]),
                               risk_unanswered=tuple(flagged.get(inst.key, ()))))
    return out


def member_trends(db: Session, member_id: int, group_id: int | None = None) -> list[Trend]:
    """The member's charts: each instrument they rated themself on, over the sessions.

    Sum-scored instruments are read from the `total` column (no JSON per row); only
    scale-scored ones read the stored values."""
    own = [i for i in registry.instruments() if i.rates == "member"]
    by_instrument: dict[str, list[tuple[date, dict[str, float | None]]]] = {}
    for scoring_kind in ("sum", "scale_means"):
        keys = [i.key for i in own if i.scoring == scoring_kind]
        if not keys:
            continue
        value = MeasureScore.total if scoring_kind == "sum" else MeasureScore.score_values
        q = (select(Meeting.starts_at, MeasureScore.instrument, value)
             .join(Meeting, Meeting.id == MeasureScore.meeting_id)
             .where(MeasureScore.member_id == member_id, MeasureScore.instrument.in_(keys)))
        if group_id is not None:
            q = q.where(Meeting.group_id == group_id)
        for starts_at, key, v in db.execute(q.order_by(Meeting.starts_at)):
            values = cast(dict[str, float | None], {"total": v} if scoring_kind == "sum" else v)
            by_instrument.setdefault(key, []).append((local_date(starts_at), values))
    flagged = _risk_unanswered(db, member_id, group_id, [i for i in own if i.risk_items])
    return [replace(t, risk_unanswered=flagged[inst.key]) if inst.key in flagged else t
            for inst in own if inst.key in by_instrument
            for t in (member_trend(inst, by_instrument[inst.key]),)]


def _risk_unanswered(db: Session, member_id: int, group_id: int | None,
                     insts: Sequence[Instrument]) -> dict[str, tuple[Point, ...]]:
    """Per instrument, the member's scored forms whose risk item was left blank (only
    prorated forms can be: a complete one has every item, a total only none)."""
    if not insts:
        return {}
    by_key = {i.key: i for i in insts}
    q = (select(Meeting.starts_at, MeasureScore.instrument, MeasureScore.answers,
                MeasureScore.total)
         .join(Meeting, Meeting.id == MeasureScore.meeting_id)
         .where(MeasureScore.member_id == member_id, MeasureScore.status == "prorated",
                MeasureScore.instrument.in_(list(by_key))))
    if group_id is not None:
        q = q.where(Meeting.group_id == group_id)
    out: dict[str, list[Point]] = {}
    for starts_at, key, answers, total in db.execute(q.order_by(Meeting.starts_at)):
        if answers is not None and total is not None and scoring.blank_risk_items(
                by_key[key], answers):
            out.setdefault(key, []).append(Point(local_date(starts_at), total, ""))
    return {k: tuple(v) for k, v in out.items()}


def climate_sessions(db: Session, group_id: int, inst: Instrument, start: date | None = None,
                     end: date | None = None) -> list[GroupSession]:
    """Per held session of the group: the instrument's group means over the members' forms,
    and the attendance rate."""
    meetings = db.scalars(select(Meeting).where(
        Meeting.group_id == group_id, Meeting.status == MeetingStatus.HELD)
        .order_by(Meeting.starts_at)).all()
    forms: dict[int, list[scoring.Result]] = {}
    for meeting_id, status, values in db.execute(
            select(MeasureScore.meeting_id, MeasureScore.status, MeasureScore.score_values)
            .join(Meeting, Meeting.id == MeasureScore.meeting_id)
            .where(Meeting.group_id == group_id, MeasureScore.instrument == inst.key)):
        forms.setdefault(meeting_id, []).append(
            scoring.Result(inst.key, cast(scoring.Status, status), values, 0, ()))
    came: dict[int, list[bool]] = {}
    for meeting_id, status in db.execute(
            select(Attendance.meeting_id, Attendance.status)
            .join(Meeting, Meeting.id == Attendance.meeting_id)
            .where(Meeting.group_id == group_id)):
        came.setdefault(meeting_id, []).append(status in ("present", "late"))
    out = []
    for m in meetings:
        day = local_date(m.starts_at)
        if (start is not None and day < start) or (end is not None and day > end):
            continue
        marks = came.get(m.id, [])
        out.append(GroupSession(day, scoring.group_means(inst, forms.get(m.id, [])),
                                sum(marks) / len(marks) if marks else None, None))
    return out


def group_climate(db: Session, group_id: int, start: date | None = None,
                  end: date | None = None) -> list[Trend]:
    """The group's charts: each group-rated instrument's scales, session by session."""
    return [group_trend(inst, climate_sessions(db, group_id, inst, start, end))
            for inst in registry.instruments() if inst.rates == "group"]


def mean_change(scores: Sequence[ScoreSnap], inst: Instrument) -> Trend:
    """Per session, the members' mean change in the instrument's total from each one's
    first score (negative is improvement when higher is worse)."""
    baseline: dict[int, float] = {}
    by_day: dict[date, list[float]] = {}
    for s in scores:
        total = s.values.get("total")
        if s.instrument != inst.key or total is None:
            continue
        first = baseline.setdefault(s.member_id, total)
        by_day.setdefault(s.on_date, []).append(total - first)
    points = tuple(Point(day, sum(v) / len(v), "") for day, v in sorted(by_day.items()))
    lo, hi = inst.score_range
    span = hi - lo
    return Trend(f"{inst.key}_change", f"{inst.name}: members' mean change from first score",
                 (-span / 2, span / 2), (Series("change", "Mean change", points),), (), None,
                 inst.attribution)


def group_trends(db: Session, group_id: int, start: date | None = None,
                 end: date | None = None) -> list[Trend]:
    """Everything the group's page charts: the climate scales, attendance, and the
    members' mean change on each member instrument the group uses."""
    out = [t for t in group_climate(db, group_id, start, end) if not t.empty]
    held = [inst for inst in registry.instruments() if inst.rates == "group"]
    sessions = climate_sessions(db, group_id, held[0], start, end) if held else []
    attendance = attendance_trend(sessions)
    if not attendance.empty:
        out.append(attendance)
    scores = group_scores(db, group_id, start, end)
    used = {s.instrument for s in scores}
    for inst in registry.instruments():
        if inst.key in used and inst.rates == "member" and inst.scoring == "sum":
            out.append(mean_change(scores, inst))
    return out


# -- who is due -----------------------------------------------------------------------

def _leaving_before_next(db: Session, m: Meeting, membership_id: int, day: date) -> bool:
    """Whether the membership ends on or after `day` with no other session of the group
    between: this is the member's last session."""
    ends = [on for on, st in db.execute(
        select(MembershipEvent.on_date, MembershipEvent.status)
        .where(MembershipEvent.membership_id == membership_id)) if st in ENDED and on >= day]
    if not ends:
        return False
    end = min(ends)
    later = db.scalars(select(Meeting.starts_at).where(
        Meeting.group_id == m.group_id, Meeting.status != MeetingStatus.CANCELLED,
        Meeting.starts_at > m.starts_at)).all()
    return not any(local_date(t) <= end for t in later)


def due(db: Session, meeting_id: int) -> list[DueSnap]:
    """The forms due at a session from each member of the group that day, by the group's
    schedule for each instrument, with whether each has been entered."""
    m = fetch(db, Meeting, meeting_id, "meeting_id")
    day = local_date(m.starts_at)
    setup = group_instruments(db, m.group_id)
    if not setup:
        return []
    eligible = members_service.eligible_on(db, m.group_id, day)
    earlier: dict[tuple[int, str], list[date]] = {}
    entered: set[tuple[int, str]] = set()
    for member_id, key, mid, starts_at in db.execute(
            select(MeasureScore.member_id, MeasureScore.instrument, Meeting.id,
                   Meeting.starts_at).join(Meeting, Meeting.id == MeasureScore.meeting_id)
            .where(Meeting.group_id == m.group_id)):
        if mid == m.id:
            entered.add((member_id, key))
        elif starts_at < m.starts_at:
            earlier.setdefault((member_id, key), []).append(local_date(starts_at))
    out = []
    for e in sorted(eligible, key=lambda x: x.full_name.casefold()):
        for gi in setup:
            before = earlier.get((e.member_id, gi.instrument), [])
            reason = ""
            if gi.schedule == MeasureSchedule.EVERY_SESSION:
                reason = "every session"
            elif gi.schedule == MeasureSchedule.MONTHLY:
                if not any((d.year, d.month) == (day.year, day.month) for d in before):
                    reason = "first this month"
            elif not before:
                reason = "joining"
            elif _leaving_before_next(db, m, e.membership_id, day):
                reason = "leaving"
            if reason:
                out.append(DueSnap(e.member_id, e.display_name, gi.instrument, reason,
                                   (e.member_id, gi.instrument) in entered))
    return out
