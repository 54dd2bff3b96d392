"""The seating view's one door to the data layer: reads through `query`, writes as
operations (which the model runs through the context's runner).

Everything the view and its model read or write goes through here, so they never
import a service or operation module directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from groupleader.data.operations import Done, query
from groupleader.data.operations import seating as ops_seating
from groupleader.data.services import groups, meetings, seating
from groupleader.data.snapshots import (
    AttendanceRow,
    ChairSnap,
    ChairSpec,
    ClinicianSnap,
    EligibleMember,
    GroupSnap,
    InteractionSnap,
    MeetingSnap,
    Party,
)
from groupleader.data.vault import Vault


@dataclass(frozen=True)
class SessionData:
    """Everything one session's circle shows, read in one go when the view switches."""

    meeting: MeetingSnap
    chairs: tuple[ChairSnap, ...]
    interactions: tuple[InteractionSnap, ...]
    attendance: tuple[AttendanceRow, ...]
    eligible: tuple[EligibleMember, ...]
    clinicians: tuple[ClinicianSnap, ...]  # the group's leaders and those present
    previous: MeetingSnap | None
    previous_chairs: tuple[ChairSnap, ...]
    signed: bool = False  # the group note is signed: the circle is locked


def group(vault: Vault, group_id: int) -> GroupSnap:
    return query(vault, groups.get_group, group_id)


def sessions_newest_first(vault: Vault, group_id: int) -> list[MeetingSnap]:
    return list(reversed(query(vault, meetings.list_meetings, group_id)))


def load_session(vault: Vault, meeting: MeetingSnap, group_snap: GroupSnap) -> SessionData:
    clinicians = {c.id: c for c in (*group_snap.leaders, *meeting.leaders)}
    previous = query(vault, meetings.previous_meeting, meeting.id)
    return SessionData(
        meeting=meeting,
        chairs=tuple(query(vault, seating.get_seating, meeting.id)),
        interactions=tuple(query(vault, seating.list_interactions, meeting.id)),
        attendance=tuple(query(vault, meetings.attendance_for, meeting.id)),
        eligible=tuple(query(vault, meetings.eligible_members, meeting.id)),
        clinicians=tuple(clinicians.values()),
        previous=previous,
        previous_chairs=tuple(query(vault, seating.get_seating, previous.id)) if previous else (),
        signed=query(vault, meetings.is_signed, meeting.id),
    )


def save_circle(
    vault: Vault, meeting_id: int, circle: Sequence[Party | None]
) -> Done[list[ChairSnap]]:
    specs = [ChairSpec() if p is None else ChairSpec(p.member_id, p.clinician_id)
             for p in circle]
    return ops_seating.save_seating(vault, meeting_id, specs)


def add_interaction(
    vault: Vault, meeting_id: int, speaker: Party, to: Party | None
) -> Done[InteractionSnap]:
    return ops_seating.add_interaction(vault, meeting_id, speaker, to)


def remove_last_interaction(vault: Vault, meeting_id: int) -> Done[bool]:
    return ops_seating.remove_last_interaction(vault, meeting_id)


def seating_of(vault: Vault, meeting_id: int) -> list[ChairSnap]:
    return query(vault, seating.get_seating, meeting_id)


def attendance_of(vault: Vault, meeting_id: int) -> list[AttendanceRow]:
    return query(vault, meetings.attendance_for, meeting_id)
