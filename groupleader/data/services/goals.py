"""Each member's goals for the group (one to three), with the history of their wording,
and the progress on each rated in a session's member note.

Editing a goal never overwrites it: the old row is marked replaced on the day of the
change and a new row takes its place, so a rating always refers to the wording it was
made against.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from groupleader.data.measures_snapshots import GoalRatingSnap, GoalSnap, GoalSpec
from groupleader.data.models import (
    GoalRating,
    GoalScale,
    Meeting,
    MemberGoal,
    MemberNote,
    Membership,
    Signature,
)
from groupleader.data.services._common import choice, fetch, local_date, text
from groupleader.errors import InvalidInput, SignedNoteError

MAX_GOALS = 3
SCALE_RANGE = {GoalScale.DIRECTION: (-1, 1), GoalScale.ZERO_TEN: (0, 10)}
DIRECTION_LABELS = {-1: "worse", 0: "same", 1: "better"}


def _snap(g: MemberGoal) -> GoalSnap:
    return GoalSnap(g.id, g.membership_id, g.position, g.text, g.scale, g.set_on,
                    g.replaced_on)


def rating_label(scale: str, value: int | None) -> str:
    if value is None:
        return "not rated"
    if scale == GoalScale.DIRECTION:
        return DIRECTION_LABELS.get(value, str(value))
    return f"{value}/10"


def goals(db: Session, membership_id: int, history: bool = False) -> list[GoalSnap]:
    """The membership's goals as they stand (with every earlier wording if `history`)."""
    q = select(MemberGoal).where(MemberGoal.membership_id == membership_id)
    if not history:
        q = q.where(MemberGoal.replaced_on.is_(None))
    return [_snap(g) for g in db.scalars(q.order_by(MemberGoal.position, MemberGoal.id))]


def set_goals(db: Session, membership_id: int, specs: Sequence[GoalSpec],
              on_date: date) -> list[GoalSnap]:
    """Set the membership's goals: a changed text or scale replaces the goal at its
    position (the old one kept as history), an empty text retires it."""
    fetch(db, Membership, membership_id, "membership_id")
    positions = [s.position for s in specs]
    if len(set(positions)) != len(positions) or any(
            not 1 <= p <= MAX_GOALS for p in positions):
        raise InvalidInput(f"A member has one to {MAX_GOALS} goals.", "goals")
    current = {g.position: g for g in db.scalars(select(MemberGoal).where(
        MemberGoal.membership_id == membership_id, MemberGoal.replaced_on.is_(None)))}
    fixed = _last_fixed_day(db, membership_id)
    for spec in specs:
        wording = text(spec.text, "goals", "a goal", limit=300)
        scale = choice(spec.scale, GoalScale, "goals")
        old = current.get(spec.position)
        if old is not None and old.text == wording and old.scale == scale:
            continue
        if old is None and not wording:
            continue
        if fixed is not None and on_date <= fixed:
            raise InvalidInput(
                f"Date this change after {fixed:%d %b %Y}: a note of that day (or earlier) "
                "rates the goals or is signed, and keeps the goals it was written with.",
                "goals")
        if old is not None:
            if on_date < old.set_on:
                raise InvalidInput("A goal can't be changed before the day it was set.",
                                   "goals")
            old.replaced_on = on_date
        if wording:
            db.add(MemberGoal(membership_id=membership_id, position=spec.position,
                              text=wording, scale=scale, set_on=on_date))
    db.flush()
    return goals(db, membership_id)


def _last_fixed_day(db: Session, membership_id: int) -> date | None:
    """The day of the membership's last session whose member note rates a goal or is
    signed: a goal change dated on or before it would rewrite what that note shows."""
    ms = fetch(db, Membership, membership_id, "membership_id")
    rated = db.scalars(select(Meeting.starts_at).join(
        GoalRating, GoalRating.meeting_id == Meeting.id).join(
        MemberGoal, MemberGoal.id == GoalRating.goal_id).where(
        MemberGoal.membership_id == membership_id)).all()
    signed = db.scalars(select(Meeting.starts_at).join(
        MemberNote, MemberNote.meeting_id == Meeting.id).join(
        Signature, Signature.member_note_id == MemberNote.id).where(
        MemberNote.member_id == ms.member_id, Meeting.group_id == ms.group_id)).all()
    days = [local_date(t) for t in (*rated, *signed)]
    return max(days) if days else None


def _note_signed(db: Session, meeting_id: int, member_id: int) -> bool:
    return db.scalar(select(Signature.id).join(
        MemberNote, MemberNote.id == Signature.member_note_id).where(
        MemberNote.meeting_id == meeting_id, MemberNote.member_id == member_id)) is not None


def goals_at(db: Session, membership_id: int, meeting_id: int) -> list[GoalRatingSnap]:
    """The goals in force on the session's day, each with its rating there (if any)."""
    m = fetch(db, Meeting, meeting_id, "meeting_id")
    day = local_date(m.starts_at)
    rows = db.scalars(select(MemberGoal).where(
        MemberGoal.membership_id == membership_id, MemberGoal.set_on <= day)
        .order_by(MemberGoal.position, MemberGoal.id)).all()
    in_force = [g for g in rows if g.replaced_on is None or g.replaced_on > day]
    ratings: dict[int, int] = {goal_id: value for goal_id, value in db.execute(
        select(GoalRating.goal_id, GoalRating.value).where(
            GoalRating.meeting_id == meeting_id,
            GoalRating.goal_id.in_([g.id for g in in_force])))}
    return [GoalRatingSnap(_snap(g), meeting_id, ratings.get(g.id)) for g in in_force]


def rate_goal(db: Session, goal_id: int, meeting_id: int, value: int | None) -> GoalRatingSnap:
    """Rate progress on a goal in a session (None clears the rating). Refused once the
    member's note for that session is signed: the rating is part of the note."""
    g = fetch(db, MemberGoal, goal_id, "goal_id")
    m = fetch(db, Meeting, meeting_id, "meeting_id")
    ms = fetch(db, Membership, g.membership_id, "goal_id")
    if ms.group_id != m.group_id:
        raise InvalidInput("This goal belongs to another group.", "goal_id")
    if _note_signed(db, meeting_id, ms.member_id):
        raise SignedNoteError()
    day = local_date(m.starts_at)
    if g.set_on > day or (g.replaced_on is not None and g.replaced_on <= day):
        raise InvalidInput("This goal was not in force on the session's day.", "goal_id")
    row = db.scalar(select(GoalRating).where(GoalRating.goal_id == goal_id,
                                             GoalRating.meeting_id == meeting_id))
    if value is None:
        if row is not None:
            db.delete(row)
    else:
        low, high = SCALE_RANGE[GoalScale(g.scale)]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InvalidInput(f"A rating is {low} to {high}.", "value")
        if row is None:
            db.add(GoalRating(goal_id=goal_id, meeting_id=meeting_id, value=value))
        else:
            row.value = value
    db.flush()
    return GoalRatingSnap(_snap(g), meeting_id, value)


def goal_ratings(db: Session, membership_id: int) -> list[tuple[GoalSnap, date, int]]:
    """Every rating of the membership's goals (any wording), in session order."""
    rows = db.execute(select(MemberGoal, Meeting.starts_at, GoalRating.value)
                      .join(GoalRating, GoalRating.goal_id == MemberGoal.id)
                      .join(Meeting, Meeting.id == GoalRating.meeting_id)
                      .where(MemberGoal.membership_id == membership_id)
                      .order_by(Meeting.starts_at, MemberGoal.position)).all()
    return [(_snap(g), local_date(t), v) for g, t, v in rows]
