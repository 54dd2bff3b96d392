"""The supervisor's queue: every signed group or member note not yet co-signed.

Across all groups, oldest session first. Process (private) notes are left out: they are
the leader's own notes, kept apart from what a supervisor reviews and from every export.
A member note's row names the member by their pseudonym in the group, or by initials when
they have none: the queue never shows a name.
"""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from groupleader.data.models import (
    Clinician,
    Group,
    Meeting,
    MeetingNote,
    Member,
    MemberNote,
    Membership,
    NoteKind,
    Signature,
)
from groupleader.data.services._common import clinician_snap
from groupleader.data.snapshots import AwaitingCosign
from groupleader.folding import initial, safe_alias


def initials(full_name: str) -> str:
    """ "Rosa Diaz" -> "R.D." (the first letter of each word; "" for no name, and none
    for a Chinese, Japanese or Korean word: its first character is a family name)."""
    letters = [x for x in (initial(word) for word in full_name.split()) if x.isalpha()]
    return "".join(f"{x}." for x in letters)


def awaiting_cosign(db: Session) -> list[AwaitingCosign]:
    """Every signed, not yet co-signed group and member note, oldest session first (in
    a session: the group note, then the member notes by label)."""
    people = {c.id: clinician_snap(c) for c in db.scalars(select(Clinician))}
    rows: list[AwaitingCosign] = []
    group_rows = db.execute(
        select(Signature, MeetingNote.id, Meeting, Group.name)
        .join(MeetingNote, MeetingNote.id == Signature.meeting_note_id)
        .join(Meeting, Meeting.id == MeetingNote.meeting_id)
        .join(Group, Group.id == Meeting.group_id)
        .where(Signature.cosigned_at.is_(None)))
    for sig, note_id, m, group_name in group_rows:
        rows.append(AwaitingCosign(
            NoteKind.GROUP, note_id, m.group_id, group_name, m.id, m.number, m.starts_at, "",
            people[sig.signed_by_id], sig.signed_at))
    pseudonym = (
        select(func.max(Membership.pseudonym))
        .where(Membership.member_id == MemberNote.member_id,
               Membership.group_id == Meeting.group_id)
        .correlate(MemberNote, Meeting).scalar_subquery())
    member_rows = db.execute(
        select(Signature, MemberNote.id, Meeting, Group.name, Member.full_name, pseudonym)
        .join(MemberNote, MemberNote.id == Signature.member_note_id)
        .join(Meeting, Meeting.id == MemberNote.meeting_id)
        .join(Group, Group.id == Meeting.group_id)
        .join(Member, Member.id == MemberNote.member_id)
        .where(Signature.cosigned_at.is_(None)))
    for sig, note_id, m, group_name, full_name, alias in member_rows:
        rows.append(AwaitingCosign(
            NoteKind.MEMBER, note_id, m.group_id, group_name, m.id, m.number, m.starts_at,
            safe_alias(alias, [full_name]) if alias else initials(full_name),
            people[sig.signed_by_id], sig.signed_at))
    rows.sort(key=lambda r: (r.meeting_starts_at, r.group_id, r.kind != NoteKind.GROUP,
                             r.member_label.casefold(), r.note_id))
    return rows


AWAITING_INDEX = "ix_signatures_awaiting_cosign"  # migration 0012


def awaiting_count(db: Session) -> int:
    """How many group and member notes wait for a co-signature (one query).

    Counted from the partial index of the waiting signatures, named: SQLite's planner
    would take the unique index on ``private_note_id`` (an IS NULL it reckons rare) and
    read every signature's row, 25 ms of a cold page cache on each unlock at ten years.
    A vault opened read-only before that migration has no index: the plain count then.
    """
    indexed = db.scalar(text("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = :n"),
                        {"n": AWAITING_INDEX})
    by = f" INDEXED BY {AWAITING_INDEX}" if indexed else ""
    return db.scalar(text(f"SELECT count(*) FROM signatures{by} "
                          "WHERE cosigned_at IS NULL AND private_note_id IS NULL")) or 0
