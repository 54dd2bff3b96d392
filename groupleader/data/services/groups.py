"""Therapy groups: create, edit, archive, list, and size against target and maximum."""

from __future__ import annotations

from datetime import time

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import Session

from groupleader.data.models import (
    Attendance,
    Clinician,
    Group,
    GroupFormat,
    GroupKind,
    GroupLeader,
    Meeting,
    MeetingNote,
    MemberNote,
    Membership,
    MembershipStatus,
    PrivateNote,
)
from groupleader.data.services import agreement
from groupleader.data.services._common import (
    choice,
    fetch,
    group_snap,
    group_snaps,
    text,
    whole,
)
from groupleader.data.snapshots import GroupSize, GroupSnap, GroupSpec
from groupleader.errors import InvalidInput


def _apply(g: Group, spec: GroupSpec) -> None:
    g.name = text(spec.name, "name", "a name for the group", required=True)
    g.kind = choice(spec.kind, GroupKind, "kind")
    g.format = choice(spec.format, GroupFormat, "format")
    g.sessions_per_cycle = None
    if g.format == GroupFormat.FIXED:
        g.sessions_per_cycle = whole(
            spec.sessions_per_cycle or 0, "sessions_per_cycle", "the number of sessions", 1, 200)
    if spec.weekday is not None:
        whole(spec.weekday, "weekday", "the weekday", 0, 6)
    g.weekday = spec.weekday
    if spec.start_time is not None and not isinstance(spec.start_time, time):
        raise InvalidInput("Enter the start time as hours and minutes.", "start_time")
    g.start_time = spec.start_time
    g.length_minutes = whole(spec.length_minutes, "length_minutes", "the length", 5, 600)
    g.room = text(spec.room, "room", "the room")
    g.min_size = whole(spec.min_size, "min_size", "the minimum size", 1, 100)
    g.target_size = whole(spec.target_size, "target_size", "the target size", 1, 100)
    g.max_size = whole(spec.max_size, "max_size", "the maximum size", 1, 100)
    if not g.min_size <= g.target_size <= g.max_size:
        raise InvalidInput("The sizes must go minimum ≤ target ≤ maximum.", "target_size")
    g.agreement = text(spec.agreement, "agreement", "the agreement", limit=20_000)


def _set_leaders(db: Session, g: Group, leader_ids: tuple[int, ...]) -> None:
    ids = list(leader_ids)
    if len(ids) > 2:
        raise InvalidInput("A group has one or two leaders; remove one.", "leader_ids")
    if len(set(ids)) != len(ids):
        raise InvalidInput("Choose two different leaders.", "leader_ids")
    if not ids and g.kind != GroupKind.SELF_HELP:
        raise InvalidInput("Choose the group's leader.", "leader_ids")
    for cid in ids:
        fetch(db, Clinician, cid, "leader_ids")
    db.execute(delete(GroupLeader).where(GroupLeader.group_id == g.id))
    for position, cid in enumerate(ids):
        db.add(GroupLeader(group_id=g.id, clinician_id=cid, position=position))
    db.flush()


def _active_count(db: Session, group_id: int) -> int:
    return db.scalar(
        select(func.count()).where(
            Membership.group_id == group_id, Membership.status == MembershipStatus.ACTIVE)
    ) or 0


def create_group(db: Session, spec: GroupSpec) -> GroupSnap:
    g = Group()
    _apply(g, spec)
    db.add(g)
    db.flush()
    _set_leaders(db, g, spec.leader_ids)
    agreement.seed_default_rules(db, g.id, g.agreement)
    return group_snap(db, g)


def update_group(db: Session, group_id: int, spec: GroupSpec) -> GroupSnap:
    """Replace the group's settings with `spec` (a full form, not a patch)."""
    g = fetch(db, Group, group_id, "group_id")
    _apply(g, spec)
    if g.max_size < _active_count(db, g.id):
        raise InvalidInput(
            "The maximum is below the number of active members.", "max_size")
    _set_leaders(db, g, spec.leader_ids)
    return group_snap(db, g)


def archive_group(db: Session, group_id: int, archived: bool = True) -> GroupSnap:
    """Archive (or, with archived=False, restore) a group; its records are all kept."""
    g = fetch(db, Group, group_id, "group_id")
    g.archived = archived
    return group_snap(db, g)


def delete_group_if_empty(db: Session, group_id: int) -> bool:
    """Delete a group entered by mistake: True if deleted.

    A group with any membership, attendance or note is a clinical record: nothing is
    deleted and False is returned (archive it instead).
    """
    g = fetch(db, Group, group_id, "group_id")
    in_group = select(Meeting.id).where(Meeting.group_id == g.id)
    used = db.scalar(select(
        exists().where(Membership.group_id == g.id)
        | exists().where(Attendance.meeting_id.in_(in_group))
        | exists().where(MeetingNote.meeting_id.in_(in_group))
        | exists().where(MemberNote.meeting_id.in_(in_group))
        | exists().where(PrivateNote.meeting_id.in_(in_group))
    ))
    if used:
        return False
    db.execute(delete(Meeting).where(Meeting.group_id == g.id))
    agreement.delete_rules_of(db, g.id)
    db.delete(g)
    db.flush()
    return True


def get_group(db: Session, group_id: int) -> GroupSnap:
    return group_snap(db, fetch(db, Group, group_id, "group_id"))


def list_groups(db: Session, include_archived: bool = False) -> list[GroupSnap]:
    query = select(Group).order_by(Group.name, Group.id)
    if not include_archived:
        query = query.where(Group.archived.is_(False))
    return group_snaps(db, list(db.scalars(query)))


def names_and_rooms(db: Session) -> list[tuple[str, str]]:
    """(name, room) of every group, archived ones too, in `list_groups`' order: the words
    an export knows are no one's name (one query, without each group's leaders)."""
    return [(name, room) for name, room in db.execute(
        select(Group.name, Group.room).order_by(Group.name, Group.id))]


def group_size(db: Session, group_id: int) -> GroupSize:
    """Active and waitlisted members now, against the group's target, maximum and minimum."""
    g = fetch(db, Group, group_id, "group_id")
    waiting = db.scalar(
        select(func.count()).where(
            Membership.group_id == g.id, Membership.status == MembershipStatus.WAITLIST)
    ) or 0
    return GroupSize(
        active=_active_count(db, g.id), waiting=waiting, target=g.target_size,
        maximum=g.max_size, minimum=g.min_size,
    )
