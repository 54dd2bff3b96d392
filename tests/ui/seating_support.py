"""Builders shared by the seating view's tests (plain helpers; the `world` fixture is in
conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from pytestqt.qtbot import QtBot

from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import query
from groupleader.data.operations import roster as ops_roster
from groupleader.data.services import seating as seating_service
from groupleader.data.snapshots import ClinicianSpec, GroupSpec, MemberSpec, Party
from groupleader.data.vault import Vault
from groupleader.ui.context import AppContext
from groupleader.ui.seating import SeatingView
from groupleader.ui.settings import Settings

NAMES = ("Maria Kowalski", "Tom Berg", "Li Wei", "Sam Okafor", "Ana Lima", "Jo Park")


@dataclass
class World:
    vault: Vault
    group_id: int
    leader_id: int
    member_ids: dict[str, int]  # full name -> id
    sessions: list[int] = field(default_factory=list)  # oldest first

    def m(self, name: str) -> Party:
        return Party(member_id=self.member_ids[name])

    @property
    def leader(self) -> Party:
        return Party(clinician_id=self.leader_id)


def build_world(vault: Vault, names: tuple[str, ...] = NAMES, sessions: int = 3) -> World:
    """A group with one leader, active members, and weekly sessions in the past."""
    leader = ops_groups.create_clinician(vault, ClinicianSpec("Dr Ruth Adler", "leader")).value
    group = ops_groups.create_group(vault, GroupSpec(
        "Thursday group", "psychodynamic", (leader.id,), max_size=30, target_size=10)).value
    ids = {}
    for name in names:
        member = ops_roster.create_member(vault, MemberSpec(name)).value
        ops_roster.add_membership(vault, member.id, group.id, "active", date(2024, 1, 1))
        ids[name] = member.id
    world = World(vault, group.id, leader.id, ids)
    start = datetime(2025, 3, 6, 17, 0, tzinfo=UTC)
    for week in range(sessions):
        snap = ops_meetings.schedule_meeting(vault, group.id, start + timedelta(weeks=week)).value
        ops_meetings.hold_meeting(vault, snap.id)
        world.sessions.append(snap.id)
    return world


def make_view(qtbot: QtBot, vault: Vault, world: World, meeting_id: int | None = None
              ) -> SeatingView:
    ctx = AppContext(Settings(path=vault.path.with_name("settings.ini")))
    ctx.vault = vault
    if meeting_id is not None:
        ctx.select_meeting(meeting_id)
    view = SeatingView(ctx)
    qtbot.addWidget(view)
    view.resize(1000, 640)
    view.show()  # a hidden view only marks itself stale when data changes
    view.set_group(world.group_id)
    return view


def payload(party: Party, chair: int | None = None) -> str:
    who = f"m:{party.member_id}" if party.member_id else f"c:{party.clinician_id}"
    return who if chair is None else f"{who}@{chair}"


def saved_circle(vault: Vault, meeting_id: int) -> list[Party | None]:
    return [None if c.member_id is None and c.clinician_id is None
            else Party(c.member_id, c.clinician_id)
            for c in query(vault, seating_service.get_seating, meeting_id)]
