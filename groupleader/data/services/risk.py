"""The risk register: a concern about one member opened in one session, dated reviews,
and a closing review with its note (issue 16).

An entry stays open, whatever later notes say, until a closing review. The entry and the
reviews made in a session are locked with that session once its group note is signed
(`unlocked` refuses first, migration 0007's triggers second); what happens afterwards is
a new review, in a later session or between sessions. Reads take an `as_of` date: an
entry read as of a session's date shows only the reviews made by then, so a summary
printed later says what was known that day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import Session

from groupleader import register_vocab
from groupleader.data.models import (
    Meeting,
    MeetingNote,
    MeetingStatus,
    Member,
    Membership,
    RiskEntry,
    RiskKind,
    RiskLevel,
    RiskReview,
    Signature,
)
from groupleader.data.register_snapshots import RiskEntrySnap, RiskEntrySpec, RiskReviewSnap
from groupleader.data.services._common import (
    after_signed,
    choice,
    fetch,
    local_date,
    not_after_today,
    not_far_ahead,
    not_shown_signed,
    session_signed,
    text,
    unlocked,
)
from groupleader.errors import InvalidInput, SessionLocked

NOTE_LIMIT = 20_000


# ---------------------------------------------------------------- reading


def _signed_meetings(db: Session, meeting_ids: Iterable[int | None]) -> set[int]:
    ids = {i for i in meeting_ids if i is not None}
    if not ids:
        return set()
    return set(db.scalars(select(MeetingNote.meeting_id).where(
        MeetingNote.meeting_id.in_(ids),
        exists().where(Signature.meeting_note_id == MeetingNote.id))))


def _snaps(db: Session, entries: Sequence[RiskEntry], as_of: date | None) -> list[RiskEntrySnap]:
    """Snapshots of `entries` (a few queries whatever their number), in the given order."""
    if not entries:
        return []
    ids = [e.id for e in entries]
    reviews: dict[int, list[RiskReview]] = {}
    query = select(RiskReview).where(RiskReview.entry_id.in_(ids))
    if as_of is not None:
        query = query.where(RiskReview.on_date <= as_of)
    for r in db.scalars(query.order_by(RiskReview.on_date, RiskReview.id)):
        reviews.setdefault(r.entry_id, []).append(r)
    names = {m.id: m.preferred_name or m.full_name for m in db.scalars(
        select(Member).where(Member.id.in_({e.member_id for e in entries})))}
    numbers = dict(db.execute(select(Meeting.id, Meeting.number).where(
        Meeting.id.in_({e.meeting_id for e in entries}))).all())
    signed = _signed_meetings(db, [e.meeting_id for e in entries]
                              + [r.meeting_id for rs in reviews.values() for r in rs])
    out = []
    for e in entries:
        rs = reviews.get(e.id, [])
        closing = next((r for r in rs if r.closes), None)
        last = rs[-1] if rs else None
        out.append(RiskEntrySnap(
            id=e.id, group_id=e.group_id, member_id=e.member_id,
            member_name=names.get(e.member_id, ""), meeting_id=e.meeting_id,
            meeting_number=numbers.get(e.meeting_id, 0), kind=e.kind, level=e.level,
            observed=e.observed, action_taken=e.action_taken, review_by=e.review_by,
            opened_on=e.opened_on,
            reviews=tuple(RiskReviewSnap(
                id=r.id, entry_id=r.entry_id, meeting_id=r.meeting_id, on_date=r.on_date,
                level=r.level, note=r.note, next_review_by=r.next_review_by,
                closes=bool(r.closes), locked=r.meeting_id in signed) for r in rs),
            locked=e.meeting_id in signed,
            current_level=last.level if last is not None else e.level,
            current_review_by=None if closing is not None else (
                last.next_review_by if last is not None and last.next_review_by is not None
                else e.review_by),
            closed_on=closing.on_date if closing is not None else None,
            closing_note=closing.note if closing is not None else "",
        ))
    return out


def get_entry(db: Session, entry_id: int, as_of: date | None = None) -> RiskEntrySnap:
    return _snaps(db, [fetch(db, RiskEntry, entry_id, "entry_id")], as_of)[0]


def _open_on(day: date) -> ColumnElement[bool]:
    """Entries opened by `day` and without a closing review dated by `day`."""
    closed = exists().where(RiskReview.entry_id == RiskEntry.id, RiskReview.closes.is_(True),
                            RiskReview.on_date <= day)
    return (RiskEntry.opened_on <= day) & ~closed


def open_entries_for(db: Session, member_id: int, on: date,
                     group_id: int | None = None) -> list[RiskEntrySnap]:
    """The member's entries open on `on` (in one group, or any), oldest first, as of `on`."""
    query = select(RiskEntry).where(RiskEntry.member_id == member_id, _open_on(on))
    if group_id is not None:
        query = query.where(RiskEntry.group_id == group_id)
    return _snaps(db, db.scalars(query.order_by(RiskEntry.opened_on, RiskEntry.id)).all(), on)


def open_entries_in_group(db: Session, group_id: int, on: date) -> dict[int, list[RiskEntrySnap]]:
    """Member id -> the entries of the group open on `on` (the roster's column)."""
    entries = db.scalars(select(RiskEntry).where(RiskEntry.group_id == group_id, _open_on(on))
                         .order_by(RiskEntry.opened_on, RiskEntry.id)).all()
    out: dict[int, list[RiskEntrySnap]] = {}
    for snap in _snaps(db, entries, on):
        out.setdefault(snap.member_id, []).append(snap)
    return out


@dataclass(frozen=True)
class RosterRisk:
    """One member's open entries in a group on a day, as the roster shows them."""

    open: int
    since: date  # the oldest open entry's opening day
    review_by: date | None  # the earliest review date among them
    overdue: bool


def roster_figures(db: Session, group_id: int, on: date
                   ) -> tuple[dict[int, RosterRisk], set[int]]:
    """(member id -> their open entries' figures on `on`, every member the register ever
    held in the group): two queries, for the roster (`members.list_memberships`)."""
    entries = db.execute(select(RiskEntry.id, RiskEntry.member_id, RiskEntry.opened_on,
                                RiskEntry.review_by)
                         .where(RiskEntry.group_id == group_id)
                         .order_by(RiskEntry.opened_on, RiskEntry.id)).all()
    held = {member_id for _, member_id, _, _ in entries}
    current = [e for e in entries if e.opened_on <= on]
    due: dict[int, date | None] = {e.id: e.review_by for e in current}
    if current:
        for entry_id, closes, next_by in db.execute(
                select(RiskReview.entry_id, RiskReview.closes, RiskReview.next_review_by)
                .where(RiskReview.entry_id.in_(list(due)), RiskReview.on_date <= on)
                .order_by(RiskReview.on_date, RiskReview.id)):
            if entry_id not in due:
                continue
            if closes:
                del due[entry_id]
            elif next_by is not None:
                due[entry_id] = next_by
    out: dict[int, RosterRisk] = {}
    for e in current:
        if e.id not in due:
            continue
        by = due[e.id]
        was = out.get(e.member_id)
        if was is None:
            out[e.member_id] = RosterRisk(1, e.opened_on, by, register_vocab.overdue(by, on))
        else:
            soonest = min((d for d in (was.review_by, by) if d is not None), default=None)
            out[e.member_id] = RosterRisk(was.open + 1, was.since, soonest,
                                          was.overdue or register_vocab.overdue(by, on))
    return out, held


def members_with_entries(db: Session, group_id: int) -> set[int]:
    """The members of the group the register has ever held an entry about."""
    return set(db.scalars(select(RiskEntry.member_id).where(RiskEntry.group_id == group_id)
                          .distinct()))


def entries_for_meeting(db: Session, meeting_id: int) -> list[RiskEntrySnap]:
    """The entries opened in this session (all its members), by id."""
    return _snaps(db, db.scalars(select(RiskEntry).where(RiskEntry.meeting_id == meeting_id)
                                 .order_by(RiskEntry.id)).all(), None)


def register(db: Session, group_id: int, start: date | None = None,
             end: date | None = None) -> list[RiskEntrySnap]:
    """Every entry of the group that was open at some time in [start, end] (either end
    open-ended when None), with its reviews up to `end`: open ones first (overdue first
    among them, by review date), then closed ones, newest first."""
    query = select(RiskEntry).where(RiskEntry.group_id == group_id)
    if end is not None:
        query = query.where(RiskEntry.opened_on <= end)
    if start is not None:
        query = query.where(~exists().where(
            RiskReview.entry_id == RiskEntry.id, RiskReview.closes.is_(True),
            RiskReview.on_date < start))
    snaps = _snaps(db, db.scalars(query.order_by(RiskEntry.opened_on, RiskEntry.id)).all(), end)
    open_ = sorted((s for s in snaps if s.is_open),
                   key=lambda s: (s.current_review_by or date.max, s.id))
    closed = sorted((s for s in snaps if not s.is_open),
                    key=lambda s: (s.closed_on or date.min, s.id), reverse=True)
    return open_ + closed


def member_entries(db: Session, member_id: int) -> list[RiskEntrySnap]:
    """Every entry about the member (any group), oldest first: their history."""
    return _snaps(db, db.scalars(select(RiskEntry).where(RiskEntry.member_id == member_id)
                                 .order_by(RiskEntry.opened_on, RiskEntry.id)).all(), None)


# ---------------------------------------------------------------- writing


def _session(db: Session, meeting_id: int) -> Meeting:
    m = unlocked(db, fetch(db, Meeting, meeting_id, "meeting_id"))
    if m.status == MeetingStatus.CANCELLED:
        raise InvalidInput("This session was cancelled.", "meeting_id")
    return m


def _check(spec: RiskEntrySpec, opened_on: date) -> tuple[str, str, str, str, date]:
    kind = choice(spec.kind, RiskKind, "kind")
    level = choice(spec.level, RiskLevel, "level")
    observed = text(spec.observed, "observed", "what was observed", limit=NOTE_LIMIT)
    action = text(spec.action_taken, "action_taken", "what was done", limit=NOTE_LIMIT)
    review_by = spec.review_by or register_vocab.default_review_by(opened_on)
    if not isinstance(review_by, date) or review_by < opened_on:
        raise InvalidInput("Choose a review date on or after the day the entry was opened.",
                           "review_by")
    not_far_ahead(review_by, opened_on, "review_by", "the review date")
    if not observed:
        raise InvalidInput("Enter what was observed.", "observed")
    return kind, level, observed, action, review_by


def open_entry(db: Session, meeting_id: int, member_id: int,
               spec: RiskEntrySpec, opened_on: date | None = None) -> RiskEntrySnap:
    """Open a risk entry about a member of the session's group, opened on its date, or on
    `opened_on` when that is earlier (a risk learnt today and filed under the next session,
    still to come, must be open, on the register and the roster, from today)."""
    m = _session(db, meeting_id)
    member = fetch(db, Member, member_id, "member_id")
    if not db.scalar(select(exists().where(Membership.group_id == m.group_id,
                                           Membership.member_id == member.id))):
        raise InvalidInput("This member is not in the session's group.", "member_id")
    session_day = local_date(m.starts_at)
    if opened_on is not None:
        not_after_today(opened_on, "opened_on", "the opening")
    opened_on = session_day if opened_on is None else min(opened_on, session_day)
    kind, level, observed, action, review_by = _check(spec, opened_on)
    entry = RiskEntry(group_id=m.group_id, member_id=member.id, meeting_id=m.id, kind=kind,
                      level=level, observed=observed, action_taken=action,
                      review_by=review_by, opened_on=opened_on)
    db.add(entry)
    db.flush()
    return get_entry(db, entry.id)


def _editable(db: Session, entry_id: int) -> RiskEntry:
    entry = fetch(db, RiskEntry, entry_id, "entry_id")
    if session_signed(db, entry.meeting_id):
        raise SessionLocked()
    return entry


def update_entry(db: Session, entry_id: int, spec: RiskEntrySpec) -> RiskEntrySnap:
    """Correct an entry while its session is not signed (after: add a review)."""
    entry = _editable(db, entry_id)
    (entry.kind, entry.level, entry.observed, entry.action_taken,
     entry.review_by) = _check(spec, entry.opened_on)
    db.flush()
    return get_entry(db, entry.id)


def delete_entry(db: Session, entry_id: int) -> int:
    """Delete an entry made by mistake (its session unsigned, no review yet); returns the
    id of its session."""
    entry = _editable(db, entry_id)
    if db.scalar(select(exists().where(RiskReview.entry_id == entry.id))):
        raise InvalidInput("This entry has reviews: close it with a note instead.", "entry_id")
    not_shown_signed(db, entry.group_id, entry.opened_on, "entry_id", "This entry")
    meeting_id = entry.meeting_id
    db.delete(entry)
    db.flush()
    return meeting_id


def _review_session(db: Session, entry: RiskEntry, meeting_id: int | None) -> int | None:
    if meeting_id is None:
        return None
    m = _session(db, meeting_id)
    if m.group_id != entry.group_id:
        raise InvalidInput("That session is not one of this group's.", "meeting_id")
    return m.id


def review_entry(
    db: Session, entry_id: int, on_date: date, level: str, note: str,
    next_review_by: date | None = None, meeting_id: int | None = None, *, closes: bool = False,
) -> RiskEntrySnap:
    """Add a dated review (a new row: the entry itself stays as it was opened). A closing
    review (`closes`) closes the entry and needs its note; an ordinary one sets the next
    review date (a week later when None). `meeting_id`: the session it was made in, if any
    (then locked with it)."""
    entry = fetch(db, RiskEntry, entry_id, "entry_id")
    if db.scalar(select(exists().where(RiskReview.entry_id == entry.id,
                                       RiskReview.closes.is_(True)))):
        raise InvalidInput("This entry is already closed.", "entry_id")
    if not isinstance(on_date, date) or on_date < entry.opened_on:
        raise InvalidInput("Date the review on or after the day the entry was opened.",
                           "on_date")
    what_day = "the closing note" if closes else "the review"
    not_after_today(on_date, "on_date", what_day)
    latest = db.scalar(select(func.max(RiskReview.on_date)).where(
        RiskReview.entry_id == entry.id))
    if latest is not None and on_date < latest:
        raise InvalidInput(
            f"Date {what_day} on or after the entry's latest review "
            f"({register_vocab.short_date(latest, with_year=True)}).", "on_date")
    session_id = _review_session(db, entry, meeting_id)
    # a signed session on or after the date printed the entry open: it stays so on paper
    after_signed(db, entry.group_id, on_date, "on_date", what_day, "showed this entry open")
    level = choice(level, RiskLevel, "level")
    what = "the closing note" if closes else "the review note"
    note = text(note, "note", what, required=True, limit=NOTE_LIMIT)
    if closes:
        next_review_by = None
    else:
        next_review_by = next_review_by or register_vocab.default_review_by(on_date)
        if not isinstance(next_review_by, date) or next_review_by < on_date:
            raise InvalidInput("Choose a next review date on or after the review.",
                               "next_review_by")
        not_far_ahead(next_review_by, on_date, "next_review_by", "the next review date")
    db.add(RiskReview(entry_id=entry.id, meeting_id=session_id,
                      on_date=on_date, level=level, note=note,
                      next_review_by=next_review_by, closes=closes))
    db.flush()
    return get_entry(db, entry.id)


def close_entry(db: Session, entry_id: int, on_date: date, note: str,
                meeting_id: int | None = None) -> RiskEntrySnap:
    """Close an entry with a dated closing note (required), at its current level."""
    current = get_entry(db, entry_id)
    return review_entry(db, entry_id, on_date, current.current_level, note,
                        meeting_id=meeting_id, closes=True)


def delete_review(db: Session, review_id: int) -> int:
    """Delete the entry's latest review, made by mistake, while it is not locked (made
    between sessions, or in an unsigned session); returns its entry's id."""
    review = fetch(db, RiskReview, review_id, "review_id")
    if review.meeting_id is not None and session_signed(db, review.meeting_id):
        raise SessionLocked()
    latest = db.scalar(select(RiskReview.id).where(RiskReview.entry_id == review.entry_id)
                       .order_by(RiskReview.on_date.desc(), RiskReview.id.desc()).limit(1))
    if latest != review.id:
        raise InvalidInput("Only the latest review can be removed.", "review_id")
    not_shown_signed(db, fetch(db, RiskEntry, review.entry_id, "entry_id").group_id,
                     review.on_date, "review_id", "This review")
    entry_id = review.entry_id
    db.delete(review)
    db.flush()
    return entry_id


def group_of_entry(db: Session, entry_id: int) -> int:
    return fetch(db, RiskEntry, entry_id, "entry_id").group_id

