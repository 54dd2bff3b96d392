"""Seating (who sat in which chair of the circle) and interactions (who spoke to whom)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Protocol

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from groupleader.data.models import (
    Clinician,
    Interaction,
    Meeting,
    MeetingStatus,
    Member,
    Seat,
)
from groupleader.data.services._common import fetch, pseudonym_in, unlocked
from groupleader.data.services.meetings import eligible_members
from groupleader.data.snapshots import (
    ChairSnap,
    ChairSpec,
    InteractionCount,
    InteractionSnap,
    Party,
)
from groupleader.errors import InvalidInput

MAX_CHAIRS = 40


def _open_meeting(db: Session, meeting_id: int) -> Meeting:
    """The session, if its circle may change (not cancelled, not signed)."""
    m = unlocked(db, fetch(db, Meeting, meeting_id, "meeting_id"))
    if m.status == MeetingStatus.CANCELLED:
        raise InvalidInput("This session was cancelled.", "meeting_id")
    return m


def save_seating(db: Session, meeting_id: int, chairs: Sequence[ChairSpec]) -> list[ChairSnap]:
    """Replace the session's circle with `chairs`, in order (empty chairs included)."""
    m = _open_meeting(db, meeting_id)
    if len(chairs) > MAX_CHAIRS:
        raise InvalidInput(f"A circle has at most {MAX_CHAIRS} chairs.", "chairs")
    eligible = {e.member_id for e in eligible_members(db, m.id)}
    seen: set[tuple[str, int]] = set()
    for chair in chairs:
        if chair.member_id is not None and chair.clinician_id is not None:
            raise InvalidInput("A chair holds one person.", "chairs")
        if chair.member_id is not None:
            if chair.member_id not in eligible:
                raise InvalidInput(
                    "Only active members of the group can have a chair.", "chairs")
            key = ("member", chair.member_id)
        elif chair.clinician_id is not None:
            fetch(db, Clinician, chair.clinician_id, "chairs")
            key = ("clinician", chair.clinician_id)
        else:
            continue
        if key in seen:
            raise InvalidInput("Someone has two chairs; leave one of them empty.", "chairs")
        seen.add(key)
    db.execute(delete(Seat).where(Seat.meeting_id == m.id))
    db.add_all(Seat(meeting_id=m.id, position=i, member_id=c.member_id,
                    clinician_id=c.clinician_id) for i, c in enumerate(chairs))
    db.flush()
    return get_seating(db, m.id)


_seats, _members = Seat.__table__.c, Member.__table__.c
_clinicians, _meetings = Clinician.__table__.c, Meeting.__table__.c
# Built once, of table columns (the docstring of `_common` says why).
_CHAIRS = (
    select(_seats.position, _seats.member_id, _seats.clinician_id, _members.full_name,
           _members.preferred_name, _clinicians.name.label("clinician_name"),
           pseudonym_in(select(_meetings.group_id)
                        .where(_meetings.id == bindparam("meeting_id")).scalar_subquery(),
                        _seats.member_id).label("pseudonym"))
    .select_from(Seat.__table__)
    .outerjoin(Member.__table__, _members.id == _seats.member_id)
    .outerjoin(Clinician.__table__, _clinicians.id == _seats.clinician_id)
    .where(_seats.meeting_id == bindparam("meeting_id"))
    .order_by(_seats.position)
)


def get_seating(db: Session, meeting_id: int) -> list[ChairSnap]:
    """The session's chairs in circle order, empty chairs included."""
    fetch(db, Meeting, meeting_id, "meeting_id")
    return chairs_of(db, meeting_id)


def chairs_of(db: Session, meeting_id: int) -> list[ChairSnap]:
    """`get_seating` of a session the caller has checked, read as columns:
    a member's chair shows their name and their pseudonym in the session's group."""
    result = []
    for r in db.execute(_CHAIRS, {"meeting_id": meeting_id}):
        if r.full_name is not None:
            label, pseudonym = r.preferred_name or r.full_name, r.pseudonym or ""
        else:
            label, pseudonym = r.clinician_name or "", ""
        result.append(ChairSnap(r.position, r.member_id, r.clinician_id, label, pseudonym))
    return result


def _check_party(db: Session, party: Party, field: str) -> None:
    if (party.member_id is None) == (party.clinician_id is None):
        raise InvalidInput("Choose one member or one clinician.", field)
    if party.member_id is not None:
        fetch(db, Member, party.member_id, field)
    else:
        fetch(db, Clinician, party.clinician_id, field)  # type: ignore[arg-type]


def add_interaction(
    db: Session, meeting_id: int, speaker: Party, to: Party | None = None
) -> InteractionSnap:
    """Record that `speaker` spoke to `to` (None: to the whole group)."""
    m = _open_meeting(db, meeting_id)
    _check_party(db, speaker, "speaker")
    if to is not None:
        _check_party(db, to, "to")
        if to == speaker:
            raise InvalidInput("Choose someone other than the speaker.", "to")
    row = Interaction(
        meeting_id=m.id, from_member_id=speaker.member_id,
        from_clinician_id=speaker.clinician_id,
        to_member_id=to.member_id if to else None,
        to_clinician_id=to.clinician_id if to else None)
    db.add(row)
    db.flush()
    return _interaction_snap(row)


def add_interactions(
    db: Session, meeting_id: int, pairs: Sequence[tuple[Party, Party | None]]
) -> list[InteractionSnap]:
    """Record several interactions, in order, in one unit of work (all or nothing).

    Each (speaker, to) pair is checked as `add_interaction` checks it; the first bad
    one refuses them all (its field is "speaker" or "to"). One audit event per row.
    """
    m = _open_meeting(db, meeting_id)
    known: set[Party] = set()
    rows = []
    for speaker, to in pairs:
        for party, field in ((speaker, "speaker"), (to, "to")):
            if party is not None and party not in known:
                _check_party(db, party, field)
                known.add(party)
        if to is not None and to == speaker:
            raise InvalidInput("Choose someone other than the speaker.", "to")
        rows.append(Interaction(
            meeting_id=m.id, from_member_id=speaker.member_id,
            from_clinician_id=speaker.clinician_id,
            to_member_id=to.member_id if to else None,
            to_clinician_id=to.clinician_id if to else None))
    db.add_all(rows)
    db.flush()
    return [_interaction_snap(row) for row in rows]


def remove_last_interaction(db: Session, meeting_id: int) -> bool:
    """Undo the session's most recent interaction: True if there was one."""
    unlocked(db, fetch(db, Meeting, meeting_id, "meeting_id"))
    row = db.scalars(select(Interaction).where(Interaction.meeting_id == meeting_id)
                     .order_by(Interaction.id.desc()).limit(1)).first()
    if row is None:
        return False
    db.delete(row)
    db.flush()
    return True


class InteractionColumns(Protocol):
    """An interaction's own columns: its ORM row, or a row of them read as columns."""

    id: int
    from_member_id: int | None
    from_clinician_id: int | None
    to_member_id: int | None
    to_clinician_id: int | None


def _interaction_snap(row: InteractionColumns) -> InteractionSnap:
    to = None
    if row.to_member_id is not None or row.to_clinician_id is not None:
        to = Party(row.to_member_id, row.to_clinician_id)
    return InteractionSnap(row.id, Party(row.from_member_id, row.from_clinician_id), to)


_interactions = Interaction.__table__.c
_INTERACTIONS = (
    select(_interactions.id, _interactions.from_member_id, _interactions.from_clinician_id,
           _interactions.to_member_id, _interactions.to_clinician_id)
    .where(_interactions.meeting_id == bindparam("meeting_id"))
    .order_by(_interactions.id)
)


def list_interactions(db: Session, meeting_id: int) -> list[InteractionSnap]:
    """The session's interactions in the order they were recorded."""
    fetch(db, Meeting, meeting_id, "meeting_id")
    return interactions_of(db, meeting_id)


def interactions_of(db: Session, meeting_id: int) -> list[InteractionSnap]:
    """`list_interactions` of a session the caller has checked, read as columns."""
    return [_interaction_snap(r)
            for r in db.execute(_INTERACTIONS, {"meeting_id": meeting_id})]


def counts_of(interactions: Sequence[InteractionSnap]) -> list[InteractionCount]:
    counter = Counter((i.speaker, i.to) for i in interactions)
    return [InteractionCount(speaker, to, n) for (speaker, to), n in counter.most_common()]


def interaction_counts(db: Session, meeting_id: int) -> list[InteractionCount]:
    """How often each speaker spoke to each listener (or the group), most frequent first."""
    return counts_of(list_interactions(db, meeting_id))
