"""A small shared world for the service tests: clinicians, a group, members, a session.

Everything is in the past (a session can be marked held only from a day before it
starts), so tests that schedule later sessions use dates after ``PAST_SESSION``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

import pytest

from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import roster as ops_roster
from groupleader.data.snapshots import ClinicianSpec, GroupSpec, MemberSpec
from groupleader.data.vault import Vault
from tests.conftest import give_pins

JOINED = date(2024, 1, 1)  # the members' memberships are active from this day
PAST_SESSION = datetime(2025, 3, 4, 17, 0, tzinfo=UTC)  # a Tuesday


@dataclass
class World:
    """Ids of what `make_world` created (a plain record; tests read its attributes)."""

    lead: int  # "Ada Leader", leader
    co: int  # "Ben Co", co-leader
    sup: int  # "Sam Super", supervisor
    group: int  # "Tuesday group", support, led by lead and co, Tuesdays 18:30
    anna: int  # "Anna Lee", preferred name "Annie", active since JOINED
    bo: int  # "Bo Kim", active since JOINED
    outsider: int  # "Out Sider", no membership
    memberships: dict[int, int] = field(default_factory=dict)  # member id -> membership id
    meeting: int | None = None  # session 1 at PAST_SESSION, held

    @property
    def held(self) -> int:
        """The held session's id (the world was made with one)."""
        assert self.meeting is not None, "make_world(..., session=True) makes this session"
        return self.meeting


def make_world(vault: Vault, *, session: bool = True) -> World:
    lead = ops_groups.create_clinician(vault, ClinicianSpec("Ada Leader", "leader")).value.id
    co = ops_groups.create_clinician(vault, ClinicianSpec("Ben Co", "co_leader")).value.id
    sup = ops_groups.create_clinician(vault, ClinicianSpec("Sam Super", "supervisor")).value.id
    g = ops_groups.create_group(vault, GroupSpec(
        "Tuesday group", "support", (lead, co), weekday=1, start_time=time(18, 30))).value.id
    anna = ops_roster.create_member(vault, MemberSpec("Anna Lee", preferred_name="Annie")).value.id
    bo = ops_roster.create_member(vault, MemberSpec("Bo Kim")).value.id
    outsider = ops_roster.create_member(vault, MemberSpec("Out Sider")).value.id
    give_pins(vault, lead, co, sup)
    world = World(lead, co, sup, g, anna, bo, outsider)
    for member_id in (anna, bo):
        world.memberships[member_id] = ops_roster.add_membership(
            vault, member_id, g, "active", JOINED).value.id
    if session:
        world.meeting = ops_meetings.schedule_meeting(vault, g, PAST_SESSION).value.id
        ops_meetings.hold_meeting(vault, world.meeting)
    return world


@pytest.fixture
def world(vault: Vault) -> World:
    """The shared world with one held session in the past."""
    return make_world(vault)


@pytest.fixture
def world_without_sessions(vault: Vault) -> World:
    """The shared world before any session was scheduled."""
    return make_world(vault, session=False)
