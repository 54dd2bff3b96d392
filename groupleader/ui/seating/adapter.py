"""The seating view's one door to the data layer: thin calls to the services.

Everything the view reads or writes goes through here, so the view never imports a
service module directly and a change of service names touches one file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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


def group(vault: Vault, group_id: int) -> GroupSnap:
    return groups.get_group(vault, group_id)


def sessions_newest_first(vault: Vault, group_id: int) -> list[MeetingSnap]:
    return list(reversed(meetings.list_meetings(vault, group_id)))


def load_session(vault: Vault, meeting: MeetingSnap, group_snap: GroupSnap) -> SessionData:
    clinicians = {c.id: c for c in (*group_snap.leaders, *meeting.leaders)}
    previous = meetings.previous_meeting(vault, meeting.id)
    return SessionData(
        meeting=meeting,
        chairs=tuple(seating.get_seating(vault, meeting.id)),
        interactions=tuple(seating.list_interactions(vault, meeting.id)),
        attendance=tuple(meetings.attendance_for(vault, meeting.id)),
        eligible=tuple(meetings.eligible_members(vault, meeting.id)),
        clinicians=tuple(clinicians.values()),
        previous=previous,
        previous_chairs=tuple(seating.get_seating(vault, previous.id)) if previous else (),
    )


def save_circle(
    vault: Vault, meeting_id: int, circle: Sequence[Party | None]
) -> list[ChairSnap]:
    specs = [ChairSpec() if p is None else ChairSpec(p.member_id, p.clinician_id)
             for p in circle]
    return seating.save_seating(vault, meeting_id, specs)


def add_interaction(
    vault: Vault, meeting_id: int, speaker: Party, to: Party | None
) -> InteractionSnap:
    return seating.add_interaction(vault, meeting_id, speaker, to)


def remove_last_interaction(vault: Vault, meeting_id: int) -> bool:
    return seating.remove_last_interaction(vault, meeting_id)


def seating_of(vault: Vault, meeting_id: int) -> list[ChairSnap]:
    return seating.get_seating(vault, meeting_id)


def attendance_of(vault: Vault, meeting_id: int) -> list[AttendanceRow]:
    return meetings.attendance_for(vault, meeting_id)
