"""Builders shared by the sessions tests: a real group with members and a session.

(Named test_sessions_* so it sits with the files it serves; it holds no tests itself.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import roster as ops_roster
from groupleader.data.snapshots import ClinicianSpec, GroupSpec, MemberSpec
from groupleader.data.vault import Vault
from groupleader.ui.context import AppContext
from groupleader.ui.settings import Settings
from tests.conftest import give_pins

NAMES = ("Ada Brook", "Ben Carter", "Cleo Diaz", "Dan Evans", "Eve Fox", "Finn Gray",
         "Gail Hart")


@dataclass
class World:
    group_id: int
    meeting_id: int
    member_ids: list[int]
    leader_id: int
    supervisor_id: int


def build(vault: Vault, names: tuple[str, ...] = NAMES, group_name: str = "Tuesday group",
          sessions: int = 1) -> World:
    leader = ops_groups.create_clinician(vault, ClinicianSpec("Dr Ana Leader", "leader")).value
    supervisor = ops_groups.create_clinician(
        vault, ClinicianSpec("Dr Sam Super", "supervisor")
    ).value
    give_pins(vault, leader.id, supervisor.id)
    now = datetime.now().astimezone()
    group = ops_groups.create_group(
        vault,
        GroupSpec(
            name=group_name,
            kind="psychodynamic",
            leader_ids=(leader.id,),
            weekday=now.weekday(),
            start_time=time(18, 0),
            max_size=12,
        ),
    ).value
    ids = []
    for name in names:
        m = ops_roster.create_member(vault, MemberSpec(full_name=name)).value
        ops_roster.add_membership(
            vault, m.id, group.id, status="active", on_date=date.today() - timedelta(days=400)
        )
        ids.append(m.id)
    meeting_id = 0
    for i in range(sessions):
        start = now - timedelta(days=7 * (sessions - 1 - i), hours=2)
        meeting_id = ops_meetings.schedule_meeting(vault, group.id, starts_at=start).value.id
    return World(group.id, meeting_id, ids, leader.id, supervisor.id)


def context(vault: Vault, clinician_id: int | None = None) -> AppContext:
    ctx = AppContext(Settings(path=vault.path.with_name("settings.ini")))
    ctx.vault = vault
    ctx.clinician_id = clinician_id
    return ctx
