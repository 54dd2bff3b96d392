"""Members and memberships: the roster, the status lifecycle and its history.

Lifecycle: referred -> screening -> waitlist -> active -> graduated | left | transferred;
any status before active may also go straight to left. The three endings are final:
a member who comes back rejoins as a new membership (same pseudonym in that group).
Every change appends a history row (status, date, reason); none is ever rewritten.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete, exists, func, select
from sqlalchemy.orm import Session

from groupleader.data import clock
from groupleader.data.models import (
    Attendance,
    Group,
    Interaction,
    Meeting,
    MeetingStatus,
    Member,
    MemberNote,
    Membership,
    MembershipEvent,
    MembershipStatus,
    Seat,
)
from groupleader.data.services import amendments as amendments_svc
from groupleader.data.services import risk as risk_svc
from groupleader.data.services import stats
from groupleader.data.services._common import fetch, local_date, text, whole
from groupleader.data.snapshots import (
    AttendanceMark,
    EligibleMember,
    MembershipSnap,
    MemberSnap,
    MemberSpec,
    RosterRow,
    StatusChange,
)
from groupleader.errors import InvalidInput
from groupleader.folding import fold, initial, is_cjk
from groupleader.visible_text import strip_invisible

S = MembershipStatus
TRANSITIONS: dict[str, frozenset[str]] = {
    S.REFERRED: frozenset({S.SCREENING, S.LEFT}),
    S.SCREENING: frozenset({S.WAITLIST, S.LEFT}),
    S.WAITLIST: frozenset({S.ACTIVE, S.LEFT}),
    S.ACTIVE: frozenset({S.GRADUATED, S.LEFT, S.TRANSFERRED}),
    S.GRADUATED: frozenset(),
    S.LEFT: frozenset(),
    S.TRANSFERRED: frozenset(),
}
FINAL = frozenset({S.GRADUATED, S.LEFT, S.TRANSFERRED})
NO_FIGURES = stats.figures([])
STARTING = frozenset({S.REFERRED, S.SCREENING, S.WAITLIST, S.ACTIVE})


def allowed_transitions(status: str) -> frozenset[str]:
    """The statuses a membership in `status` may change to (empty for a final status)."""
    return TRANSITIONS.get(status, frozenset())


# ---------------------------------------------------------------- members


def apply_spec(m: Member, spec: MemberSpec) -> None:
    """Check `spec` by the member rules and write it onto `m` (InvalidInput names the field).

    Also used on a detached `Member()` to check a row before writing (roster import).
    """
    # names and the emergency contact are saved without invisible characters (a name of
    # only those is empty): see groupleader/visible_text.py
    m.full_name = text(strip_invisible(spec.full_name), "full_name", "the member's full name",
                       required=True)
    m.preferred_name = text(strip_invisible(spec.preferred_name), "preferred_name",
                            "the preferred name")
    m.pronouns = text(spec.pronouns, "pronouns", "the pronouns", limit=40)
    if spec.dob is not None and (not isinstance(spec.dob, date) or spec.dob > clock.today()):
        raise InvalidInput("The date of birth cannot be in the future.", "dob")
    m.dob = spec.dob
    m.phone = text(spec.phone, "phone", "the phone number", limit=40)
    m.email = text(spec.email, "email", "the email address")
    if m.email and not re.fullmatch(r"[^@\s]+@[^@\s]+", m.email):
        raise InvalidInput("Enter an email address like name@example.org.", "email")
    m.emergency_contact = text(
        strip_invisible(spec.emergency_contact), "emergency_contact", "the emergency contact",
        limit=2000)
    m.presenting_concerns = text(
        spec.presenting_concerns, "presenting_concerns", "the presenting concerns", limit=20_000)
    m.referral_source = text(spec.referral_source, "referral_source", "the referral source")
    m.also_written_as = "\n".join(check_also_written_as(spec.also_written_as))


SPELLING_LIMIT = 100


def check_also_written_as(values: object) -> list[str]:
    """The other spellings as stored, each checked: a list of text, each with a letter
    (an emoji or a dash alone names no one) and short enough to be a name."""
    if isinstance(values, str) or not isinstance(values, (list, tuple)) or not all(
            isinstance(v, str) for v in values):
        raise InvalidInput("Enter the other spellings as a list of text.", "also_written_as")
    spellings = split_also_written_as(text("\n".join(strip_invisible(v) for v in values),
                                           "also_written_as",
                                           "the other spellings", limit=2000))
    for spelling in spellings:
        problem = spelling_problem(spelling)
        if problem is not None:
            raise InvalidInput(problem, "also_written_as")
    return spellings


def spelling_problem(spelling: str) -> str | None:
    """Why `spelling` cannot be one of a member's other spellings, or None."""
    if not any(c.isalpha() for c in spelling):
        return (f"“{spelling[:20]}” has no letter: write each other spelling as it is "
                "written in notes.")
    if not any(is_cjk(c) for c in spelling) and not any(
            sum(c.isalpha() for c in word) >= 2 for word in spelling.split()):
        return (f"“{spelling[:20]}” is a single letter: de-identification never hides a "
                "one-letter word (it would remove every such letter), so write the spelling "
                "as it appears in notes, with two letters or more.")
    if len(spelling) > SPELLING_LIMIT:
        return (f"Shorten each other spelling to {SPELLING_LIMIT} characters or fewer "
                "(one a line).")
    return None


def split_also_written_as(value: str) -> list[str]:
    """The other spellings of a name, from text with one a line or separated by ";"."""
    seen: dict[str, str] = {}
    for part in value.replace(";", "\n").splitlines():
        part = " ".join(part.split())
        if part:
            seen.setdefault(part.casefold(), part)
    return list(seen.values())


def member_snapshot(m: Member) -> MemberSnap:
    return MemberSnap(
        id=m.id, full_name=m.full_name, preferred_name=m.preferred_name, pronouns=m.pronouns,
        dob=m.dob, phone=m.phone, email=m.email, emergency_contact=m.emergency_contact,
        presenting_concerns=m.presenting_concerns, referral_source=m.referral_source,
        archived=m.archived, also_written_as=tuple(split_also_written_as(m.also_written_as)),
    )


def create_member(db: Session, spec: MemberSpec) -> MemberSnap:
    m = Member()
    apply_spec(m, spec)
    db.add(m)
    db.flush()
    return member_snapshot(m)


def update_member(db: Session, member_id: int, spec: MemberSpec, *,
                  keep_old_names: bool = True) -> MemberSnap:
    """Write `spec` over the member. A name or preferred name it changes stays one of
    the member's other spellings (`keep_old_names`), since notes written before may use
    it and a de-identified export must still hide it; an undo, which puts the member back
    exactly as they were, passes False."""
    m = fetch(db, Member, member_id, "member_id")
    if keep_old_names and isinstance(spec.also_written_as, (list, tuple)):
        spec = dataclasses.replace(spec, also_written_as=spellings_kept(
            (m.full_name, m.preferred_name), spec.also_written_as, spec.full_name,
            spec.preferred_name))
    apply_spec(m, spec)
    return member_snapshot(m)


def spellings_kept(before: Iterable[str], spellings: Iterable[object], full_name: str,
                   preferred_name: str) -> tuple[str, ...]:
    """`spellings`, then each name in `before` the member is no longer called by
    (`full_name`, `preferred_name`): each once, as first written, none of them one of the
    names themselves. An old name is kept only where it can be a spelling (a letter "J"
    or a name of 150 characters cannot: `spelling_problem`; a rename is never refused
    for it) and while the spellings stay within their 2,000 characters; its ";" becomes
    a space (";" divides stored spellings)."""
    def key(name: str) -> str:
        return " ".join(fold(strip_invisible(name)).split())

    names = {key(full_name), key(preferred_name)}
    kept: dict[str, str] = {}
    for spelling in spellings:
        if isinstance(spelling, str) and key(spelling) and key(spelling) not in names:
            kept.setdefault(key(spelling), spelling)
    for old in before:
        old = " ".join(strip_invisible(old).replace(";", " ").split())
        room = 2000 - sum(len(k) + 1 for k in kept.values())
        if (key(old) and key(old) not in names and key(old) not in kept
                and spelling_problem(old) is None and len(old) < room):
            kept[key(old)] = old
    return tuple(kept.values())


def get_member(db: Session, member_id: int) -> MemberSnap:
    return member_snapshot(fetch(db, Member, member_id, "member_id"))


def list_members(db: Session, include_archived: bool = False,
                 in_group: int | None = None) -> list[MemberSnap]:
    """Every member (or, with `in_group`, those who ever had a membership in that group)."""
    # the snapshot's columns, not ORM objects: an export reads every member of the vault
    query = select(Member.id, Member.full_name, Member.preferred_name, Member.pronouns,
                   Member.dob, Member.phone, Member.email, Member.emergency_contact,
                   Member.presenting_concerns, Member.referral_source, Member.archived,
                   Member.also_written_as).order_by(Member.full_name, Member.id)
    if not include_archived:
        query = query.where(Member.archived.is_(False))
    if in_group is not None:
        query = query.where(_ever_in(in_group))
    return [MemberSnap(id=i, full_name=full, preferred_name=preferred, pronouns=pronouns,
                       dob=dob, phone=phone, email=email, emergency_contact=emergency,
                       presenting_concerns=concerns, referral_source=source,
                       archived=archived, also_written_as=tuple(split_also_written_as(also)))
            for (i, full, preferred, pronouns, dob, phone, email, emergency, concerns, source,
                 archived, also) in db.execute(query)]


def _ever_in(group_id: int) -> ColumnElement[bool]:
    """The members who ever had a membership in the group."""
    return Member.id.in_(select(Membership.member_id).where(Membership.group_id == group_id))


IdentityRow = tuple[int, str, str, str, str, str, "date | None", tuple[str, ...]]


def identity_rows(db: Session, in_group: int | None = None) -> list[IdentityRow]:
    """What identifies each member (archived too), for de-identifying an export: (id, full
    name, preferred name, phone, e-mail, emergency contact, date of birth, other spellings),
    ordered by full name. Only these columns: an export reads every member of the vault,
    and the rest of a member's record (their presenting concerns) is not needed for it."""
    query = select(Member.id, Member.full_name, Member.preferred_name, Member.phone,
                   Member.email, Member.emergency_contact, Member.dob,
                   Member.also_written_as).order_by(Member.full_name, Member.id)
    if in_group is not None:
        query = query.where(_ever_in(in_group))
    return [(i, full, preferred, phone, email, contact, dob,
             tuple(split_also_written_as(also)) if also else ())
            for i, full, preferred, phone, email, contact, dob, also in db.execute(query)]


def pseudonyms(db: Session, group_id: int) -> dict[int, str]:
    """Each member's pseudonym in the group ("" when none), from their latest membership
    there: what an export aliases them by, without the roster's figures (one query)."""
    fetch(db, Group, group_id, "group_id")
    return {member_id: pseudonym for member_id, pseudonym in db.execute(
        select(Membership.member_id, Membership.pseudonym)
        .where(Membership.group_id == group_id).order_by(Membership.id))}


def archive_member(db: Session, member_id: int, archived: bool = True) -> MemberSnap:
    """Archive (or restore) a member; every record about them is kept."""
    m = fetch(db, Member, member_id, "member_id")
    m.archived = archived
    return member_snapshot(m)


def delete_member_if_empty(db: Session, member_id: int) -> bool:
    """Delete a member entered by mistake, with their memberships: True if deleted.

    A member with any note, attendance, seat or interaction has a clinical record:
    nothing is deleted and False is returned (archive them instead).
    """
    m = fetch(db, Member, member_id, "member_id")
    ms_ids = select(Membership.id).where(Membership.member_id == m.id)
    used = db.scalar(select(
        exists().where(MemberNote.member_id == m.id)
        | exists().where(Attendance.membership_id.in_(ms_ids))
        | exists().where(Seat.member_id == m.id)
        | exists().where(
            (Interaction.from_member_id == m.id) | (Interaction.to_member_id == m.id))
    ))
    if used:
        return False
    db.execute(delete(MembershipEvent).where(MembershipEvent.membership_id.in_(ms_ids)))
    db.execute(delete(Membership).where(Membership.member_id == m.id))
    db.delete(m)
    db.flush()
    return True


def _has_clinical_record(db: Session, member_ids: Iterable[int] = (),
                         membership_ids: Iterable[int] = ()) -> bool:
    """Whether any of the members, or any of the memberships, has a note, an attendance
    mark, a seat or an interaction recorded."""
    m_ids, ms_ids = list(member_ids), list(membership_ids)
    for chunk in _chunks(m_ids):
        of_members = select(Membership.id).where(Membership.member_id.in_(chunk))
        if db.scalar(select(
                exists().where(MemberNote.member_id.in_(chunk))
                | exists().where(Attendance.membership_id.in_(of_members))
                | exists().where(Seat.member_id.in_(chunk))
                | exists().where(Interaction.from_member_id.in_(chunk)
                                 | Interaction.to_member_id.in_(chunk)))):
            return True
    for chunk in _chunks(ms_ids):
        if db.scalar(select(exists().where(Attendance.membership_id.in_(chunk)))):
            return True
    return False


def _chunks(ids: list[int], size: int = 500) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def delete_imported(db: Session, member_ids: Iterable[int], membership_ids: Iterable[int]
                    ) -> None:
    """Remove what a roster import created: the new members (with every membership of
    theirs) and the memberships it gave existing members, each with its status history.

    Refused (InvalidInput, nothing deleted) when any of them has a clinical record since:
    those are kept, never deleted.
    """
    m_ids, ms_ids = sorted(set(member_ids)), sorted(set(membership_ids))
    if _has_clinical_record(db, m_ids, ms_ids):
        raise InvalidInput("This import can no longer be undone: attendance, seating or "
                           "notes were recorded for someone it brought in.")
    for chunk in _chunks(m_ids):
        ms_ids += db.scalars(select(Membership.id).where(Membership.member_id.in_(chunk)))
    for chunk in _chunks(sorted(set(ms_ids))):
        db.execute(delete(MembershipEvent).where(MembershipEvent.membership_id.in_(chunk)))
        db.execute(delete(Membership).where(Membership.id.in_(chunk)))
    for chunk in _chunks(m_ids):
        db.execute(delete(Member).where(Member.id.in_(chunk)))
    db.expire_all()  # the bulk deletes bypassed the identity map
    db.flush()


# ---------------------------------------------------------------- memberships


_NAME_PARTS = re.compile(r"[\s\-]+")


def initials(full_name: str) -> str:
    """"Maria Kowalski" -> "M.K."; a pseudonym that names no one (a Chinese, Japanese or
    Korean name has no initials: "王小明" -> "X.", see `folding.initial`). At most three
    letters (an export aliases every member of the vault by them: the rest is not read)."""
    letters: list[str] = []
    for part in _NAME_PARTS.split(full_name):
        letter = initial(part)
        if letter:
            letters.append(letter + ".")
            if len(letters) == 3:
                break
    return "".join(letters) or "X."


def _pseudonym(db: Session, member: Member, group_id: int) -> str:
    """The member's earlier pseudonym in this group, or new initials unique in the group."""
    earlier = db.scalar(
        select(Membership.pseudonym)
        .where(Membership.group_id == group_id, Membership.member_id == member.id)
        .order_by(Membership.id)
        .limit(1)
    )
    if earlier:
        return earlier
    taken = set(db.scalars(select(Membership.pseudonym).where(Membership.group_id == group_id)))
    base = initials(member.full_name)
    if base == "X.":  # no initials (王小明): those of a spelling in another script, if any
        others = [member.preferred_name or "", *(member.also_written_as or "").splitlines()]
        base = next((initials(o) for o in others
                     if o.strip() and not any(is_cjk(c) for c in o)
                     and initials(o) != "X."), base)
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}{n}"
    return candidate


def _check_room(db: Session, group: Group) -> None:
    active = db.scalar(select(func.count()).where(
        Membership.group_id == group.id, Membership.status == S.ACTIVE)) or 0
    if active >= group.max_size:
        raise InvalidInput(
            f"The group is full ({active} of {group.max_size}). Put the member on the "
            "waitlist, or raise the group's maximum.", "status")


def _check_date(on_date: date) -> date:
    if not isinstance(on_date, date):
        raise InvalidInput("Enter the date of the change.", "on_date")
    return on_date


def _new_membership(
    db: Session, member: Member, group: Group, status: str, on_date: date, reason: str,
    *, ended: date | None = None, imported: bool = False,
) -> Membership:
    """A new membership in `status` from `on_date`.

    `imported`: a membership recorded after the fact (a roster import, which checks the
    group's room for the whole file itself). It may be in a final status: the history
    then says active from `on_date` and `status` from `ended` (when known).
    """
    if status not in STARTING and not (imported and status in FINAL):
        raise InvalidInput(
            "A membership starts as referred, screening, waitlist or active.", "status")
    if group.archived:
        raise InvalidInput("This group is archived; restore it first.", "group_id")
    if member.archived:
        raise InvalidInput("This member is archived; restore them first.", "member_id")
    open_ = db.scalar(select(exists().where(
        Membership.group_id == group.id, Membership.member_id == member.id,
        Membership.status.not_in(FINAL))))
    if open_:
        raise InvalidInput("This member is already on this group's roster.", "member_id")
    _check_no_overlap(db, member, group, _check_date(on_date), ended)
    if status == S.ACTIVE and not imported:
        _check_room(db, group)
    ms = Membership(
        member_id=member.id, group_id=group.id, status=status,
        pseudonym=_pseudonym(db, member, group.id))
    db.add(ms)
    db.flush()
    reason = text(reason, "reason", "the reason", limit=2000)
    first = S.ACTIVE if status in FINAL else status
    db.add(MembershipEvent(
        membership_id=ms.id, status=first, on_date=_check_date(on_date), reason=reason))
    if ended is not None:
        db.add(MembershipEvent(
            membership_id=ms.id, status=status, on_date=_check_date(ended), reason=reason))
    db.flush()
    return ms


def _check_no_overlap(db: Session, member: Member, group: Group, start: date,
                      ended: date | None) -> None:
    """Refuse a membership from `start` (to `ended`, else open) that would share a day
    with one of the member's earlier memberships in the group (all of them ended: an open
    one is refused before). A day in two memberships lists the member twice for a session
    on it and counts it in both memberships' attendance; so a rejoin starts after the day
    the earlier membership ended (its last change), and a membership recorded after the
    fact (an import) ends before another one starts."""
    spans = db.execute(
        select(func.min(MembershipEvent.on_date), func.max(MembershipEvent.on_date))
        .join(Membership, Membership.id == MembershipEvent.membership_id)
        .where(Membership.member_id == member.id, Membership.group_id == group.id)
        .group_by(Membership.id)).all()
    for first, last in spans:
        if start <= last and (ended is None or first <= ended):
            raise InvalidInput(
                f"This member's earlier membership of this group runs from "
                f"{first:%d %b %Y} to {last:%d %b %Y}. A new membership cannot share a day "
                f"with it: choose a date after {last:%d %b %Y}.", "on_date")


def add_membership(
    db: Session, member_id: int, group_id: int, status: str = S.REFERRED,
    on_date: date | None = None, reason: str = "",
    *, ended: date | None = None, imported: bool = False,
) -> MembershipSnap:
    """Put a member on a group's roster (default: referred, today); see `_new_membership`."""
    member = fetch(db, Member, member_id, "member_id")
    group = fetch(db, Group, group_id, "group_id")
    ms = _new_membership(db, member, group, status, on_date or clock.today(), reason,
                         ended=ended, imported=imported)
    return _membership_snap(db, ms)


def rejoin(
    db: Session, membership_id: int, on_date: date | None = None,
    status: str = S.REFERRED, reason: str = "",
) -> MembershipSnap:
    """A new membership for someone whose earlier one in the same group has ended."""
    old = fetch(db, Membership, membership_id, "membership_id")
    if old.status not in FINAL:
        raise InvalidInput("This membership has not ended, so there is nothing to rejoin.",
                           "membership_id")
    member = fetch(db, Member, old.member_id, "member_id")
    group = fetch(db, Group, old.group_id, "group_id")
    ms = _new_membership(db, member, group, status, on_date or clock.today(), reason)
    return _membership_snap(db, ms)


def change_status(
    db: Session, membership_id: int, new_status: str, on_date: date | None = None,
    reason: str = "",
) -> MembershipSnap:
    """Move a membership along its lifecycle, appending a dated history row."""
    ms = fetch(db, Membership, membership_id, "membership_id")
    if new_status not in allowed_transitions(ms.status):
        raise InvalidInput(
            f"A membership that is {ms.status} cannot become {new_status}.", "status")
    on_date = _check_date(on_date or clock.today())
    last = db.scalar(select(func.max(MembershipEvent.on_date))
                     .where(MembershipEvent.membership_id == ms.id))
    if last is not None and on_date < last:
        raise InvalidInput(
            f"The date cannot be before the previous change ({last:%d %b %Y}).", "on_date")
    if new_status == S.ACTIVE:
        _check_room(db, fetch(db, Group, ms.group_id, "group_id"))
    db.add(MembershipEvent(
        membership_id=ms.id, status=new_status, on_date=on_date,
        reason=text(reason, "reason", "the reason", limit=2000)))
    ms.status = new_status
    db.flush()
    return _membership_snap(db, ms)


def _membership_snap(db: Session, ms: Membership) -> MembershipSnap:
    history = db.scalars(
        select(MembershipEvent).where(MembershipEvent.membership_id == ms.id)
        .order_by(MembershipEvent.on_date, MembershipEvent.id))
    group_name = db.scalar(select(Group.name).where(Group.id == ms.group_id)) or ""
    return MembershipSnap(
        id=ms.id, member_id=ms.member_id, group_id=ms.group_id, group_name=group_name,
        status=ms.status, pseudonym=ms.pseudonym,
        history=tuple(StatusChange(e.status, e.on_date, e.reason, e.recorded_at)
                      for e in history),
    )


def get_membership(db: Session, membership_id: int) -> MembershipSnap:
    return _membership_snap(db, fetch(db, Membership, membership_id, "membership_id"))


def groups_of_member(db: Session, member_id: int) -> list[int]:
    """The groups the member has or had a membership of, by id."""
    return sorted(set(db.scalars(
        select(Membership.group_id).where(Membership.member_id == member_id))))


def membership_history(db: Session, member_id: int) -> list[MembershipSnap]:
    """Every membership of a member, in every group, oldest first, with its history."""
    fetch(db, Member, member_id, "member_id")
    rows = db.scalars(select(Membership).where(Membership.member_id == member_id)
                      .order_by(Membership.id))
    return [_membership_snap(db, ms) for ms in rows]


def membership_dates(
    changes: Iterable[tuple[date, str]], status: str
) -> tuple[date | None, date | None, date | None]:
    """(first day on the roster, first day active, day it ended) of one membership.

    `changes` are its history rows as (on_date, status), oldest first; `status` is its
    current status (the end date is the last change's date when that status is final).
    """
    ordered = list(changes)
    start = ordered[0][0] if ordered else None
    joined = next((on for on, st in ordered if st == S.ACTIVE), None)
    ended = ordered[-1][0] if ordered and status in FINAL else None
    return start, joined, ended


def status_on(changes: Iterable[tuple[date, str]], day: date) -> str | None:
    """A membership's status on `day`: its latest change dated that day or earlier.

    `changes` are its history rows as (on_date, status) in the order they were recorded
    (of two changes on one date the later one counts). A change takes effect on its date;
    whether someone belongs to a session is `member_on` (an end dated the session's day
    still counts them in).
    """
    current = None
    for on_date, status in sorted(changes, key=lambda c: c[0]):  # stable: record order kept
        if on_date > day:
            break
        current = status
    return current


def member_on(changes: Iterable[tuple[date, str]], day: date) -> bool:
    """Whether a membership belongs to a session held on `day`: active that day, or
    active until a change that ended it (graduated, left, transferred) on that very day.

    A member graduated on the day of their last group belongs to that goodbye session:
    its attendance and member note can be recorded. The one rule for the services
    (`active_membership_on`, `eligible_members`) and the reports.
    """
    ordered = list(changes)
    now = status_on(ordered, day)
    if now == S.ACTIVE:
        return True
    if now not in FINAL:
        return False
    before = [c for c in ordered if c[0] < day]
    return status_on(before, day) == S.ACTIVE


def _changes_by_membership(db: Session, *where: ColumnElement[bool]
                           ) -> dict[int, list[tuple[date, str]]]:
    """(on_date, status) of each membership's history rows, in the order recorded."""
    changes: dict[int, list[tuple[date, str]]] = {}
    for ms_id, on_date, status in db.execute(
        select(MembershipEvent.membership_id, MembershipEvent.on_date, MembershipEvent.status)
        .join(Membership, Membership.id == MembershipEvent.membership_id)
        .where(*where).order_by(MembershipEvent.on_date, MembershipEvent.id)
    ):
        changes.setdefault(ms_id, []).append((on_date, status))
    return changes


def active_membership_on(
    db: Session, group_id: int, member_id: int, day: date
) -> Membership | None:
    """The member's membership of the group that was active on `day`, if any (two
    queries)."""
    memberships = db.scalars(
        select(Membership).where(
            Membership.group_id == group_id, Membership.member_id == member_id)
        .order_by(Membership.id)
    ).all()
    changes = _changes_by_membership(
        db, Membership.group_id == group_id, Membership.member_id == member_id)
    return next((ms for ms in memberships if member_on(changes.get(ms.id, []), day)), None)


def active_memberships_on(db: Session, group_id: int, day: date) -> list[Membership]:
    """Every membership of the group that belongs to a session on `day` (`member_on`:
    active, or ended that very day); two queries whatever the size."""
    memberships = db.scalars(select(Membership).where(Membership.group_id == group_id)).all()
    changes = _changes_by_membership(db, Membership.group_id == group_id)
    return [ms for ms in memberships if member_on(changes.get(ms.id, []), day)]


def eligible_on(db: Session, group_id: int, day: date) -> list[EligibleMember]:
    """`active_memberships_on` as the sessions view and the reports need it: each such
    membership with its member's names, read as columns (no ORM rows), in two queries."""
    changes = _changes_by_membership(db, Membership.group_id == group_id)
    return [EligibleMember(member_id, ms_id, full, preferred, pseudonym)
            for ms_id, member_id, pseudonym, full, preferred in db.execute(
                select(Membership.id, Membership.member_id, Membership.pseudonym,
                       Member.full_name, Member.preferred_name)
                .join(Member, Member.id == Membership.member_id)
                .where(Membership.group_id == group_id).order_by(Membership.id))
            if member_on(changes.get(ms_id, []), day)]


def _held_days(db: Session, group_id: int) -> list[date]:
    """Local dates of the group's held sessions, sorted (for counting with bisect)."""
    return sorted(local_date(t) for t in db.scalars(select(Meeting.starts_at).where(
        Meeting.group_id == group_id, Meeting.status == MeetingStatus.HELD)))


def _count_between(days: list[date], first: date | None, end: date | None) -> int:
    """How many of the sorted `days` fall on or after `first` and before `end`."""
    if first is None:
        return 0
    hi = bisect.bisect_left(days, end) if end is not None else len(days)
    return max(0, hi - bisect.bisect_left(days, first))


def list_memberships(
    db: Session, group_id: int, statuses: Iterable[str] | None = None
) -> list[RosterRow]:
    """The group's roster (optionally only some statuses), ordered by full name.

    Each row has the attendance figures, the dates it started, became active and ended,
    the sessions held while a member (`held_since_joining`; the session on the day the
    membership ended counts, as `member_on` says), the risk flag of the
    member's latest note in this group, and whether the member is archived. Six queries
    whatever the roster's size; the figures are computed in SQL (one row per membership).
    """
    fetch(db, Group, group_id, "group_id")
    query = (select(Membership.id, Membership.member_id, Membership.pseudonym,
                    Membership.status, Member.full_name, Member.preferred_name,
                    Member.pronouns, Member.archived)
             .join(Member, Member.id == Membership.member_id)
             .where(Membership.group_id == group_id)
             .order_by(Member.full_name, Membership.id))
    if statuses is not None:
        query = query.where(Membership.status.in_(list(statuses)))
    rows = db.execute(query).all()
    changes = _changes_by_membership(db, Membership.group_id == group_id)
    figures = stats.figures_for_group(db, group_id)
    held = _held_days(db, group_id)
    # SQLite returns the bare column of the row holding max(): the latest note's flag.
    risk = {member_id: bool(flag) for member_id, flag, _ in db.execute(
        select(MemberNote.member_id, MemberNote.risk_flag, func.max(Meeting.starts_at))
        .join(Meeting, Meeting.id == MemberNote.meeting_id)
        .where(Meeting.group_id == group_id)
        .group_by(MemberNote.member_id))}
    today = clock.now().astimezone().date()
    # the latest note's flag stands only for a member the register has never held
    register, in_register = risk_svc.roster_figures(db, group_id, today)
    result = []
    for ms_id, member_id, pseudonym, status, full, preferred, pronouns, archived in rows:
        history = changes.get(ms_id, [])
        _, joined, ended = membership_dates(history, status)
        f = figures.get(ms_id, NO_FIGURES)
        result.append(RosterRow(
            membership_id=ms_id, member_id=member_id, full_name=full,
            preferred_name=preferred, pseudonym=pseudonym, status=status,
            since=history[-1][0], attended=f.attended, absent=f.absent,
            attendance_rate=f.rate, absence_streak=f.streak, pronouns=pronouns,
            joined=joined, ended=ended,
            held_since_joining=_count_between(
                held, joined, ended + timedelta(days=1) if ended else None),
            risk_flag=bool(register.get(member_id)) or (
                member_id not in in_register and risk.get(member_id, False)),
            archived=bool(archived), **_risk_fields(register.get(member_id)),
        ))
    return result


def _risk_fields(figures: risk_svc.RosterRisk | None) -> dict[str, Any]:
    if figures is None:
        return {}
    return {"risk_open": figures.open, "risk_since": figures.since,
            "risk_review_by": figures.review_by, "risk_overdue": figures.overdue}


def member_attendance(
    db: Session, group_id: int, member_id: int, limit: int = 16
) -> list[AttendanceMark]:
    """The member's attendance at the group's latest `limit` held sessions, oldest first.

    Only sessions from the member's first day active in this group (over all their
    memberships of it, so a rejoin shows the gap as unrecorded); `status` is None where
    nothing was recorded. Empty if the member was never active in the group.
    """
    whole(limit, "limit", "the number of sessions", 1, 10_000)
    fetch(db, Group, group_id, "group_id")
    fetch(db, Member, member_id, "member_id")
    ms_ids = list(db.scalars(select(Membership.id).where(
        Membership.group_id == group_id, Membership.member_id == member_id)))
    first = db.scalar(select(func.min(MembershipEvent.on_date)).where(
        MembershipEvent.membership_id.in_(ms_ids), MembershipEvent.status == S.ACTIVE)
    ) if ms_ids else None
    if first is None:
        return []
    marks = dict(db.execute(
        select(Attendance.meeting_id, Attendance.status)
        .where(Attendance.membership_id.in_(ms_ids))).all())
    for (meeting_id, ms_id), (status, _minutes) in amendments_svc.attendance_overlay(
            db, group_id=group_id).items():
        if ms_id in ms_ids:  # as amended after signing
            marks[meeting_id] = status
    cells: list[AttendanceMark] = []
    for meeting_id, number, starts_at in db.execute(
        select(Meeting.id, Meeting.number, Meeting.starts_at)
        .where(Meeting.group_id == group_id, Meeting.status == MeetingStatus.HELD)
        .order_by(Meeting.starts_at.desc(), Meeting.number.desc())
    ):
        if len(cells) >= limit or local_date(starts_at) < first:
            break
        cells.append(AttendanceMark(meeting_id, number, starts_at, marks.get(meeting_id)))
    return cells[::-1]
