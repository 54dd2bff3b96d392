"""Groups and clinicians: validation, leaders, archiving, deleting, size."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import event, func, select

from groupleader.data.models import Group
from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.operations import roster as ops_roster
from groupleader.data.services import clinicians, groups
from groupleader.data.snapshots import ClinicianSpec, GroupNoteFields, GroupSpec, MemberSpec
from groupleader.data.vault import Vault
from groupleader.errors import InvalidInput


@pytest.fixture
def leaders(vault: Vault) -> list[int]:
    return [ops_groups.create_clinician(vault, ClinicianSpec(n, "leader")).value.id
            for n in ("Ada", "Ben", "Cy")]


def _count_groups(vault: Vault) -> int:
    with vault.unit_of_work() as db:
        return db.scalar(select(func.count()).select_from(Group)) or 0


def test_create_group_uses_documented_defaults(vault: Vault, leaders: list[int]) -> None:
    g = ops_groups.create_group(
        vault, GroupSpec("Tuesday group", "psychodynamic", (leaders[0],))
    ).value
    assert (g.target_size, g.max_size, g.min_size) == (7, 10, 4)
    assert g.format == "open_ended" and not g.archived
    assert [c.id for c in g.leaders] == [leaders[0]]
    assert query(vault, groups.get_group, g.id) == g


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "   "}, "name"),
        ({"kind": "encounter"}, "kind"),
        ({"format": "fixed"}, "sessions_per_cycle"),  # fixed without a number of sessions
        ({"weekday": 7}, "weekday"),
        ({"target_size": 12}, "target_size"),  # above the maximum
        ({"min_size": 8}, "target_size"),  # above the target
        ({"length_minutes": 0}, "length_minutes"),
        ({"leader_ids": ()}, "leader_ids"),
        ({"leader_ids": (1, 1)}, "leader_ids"),
        ({"leader_ids": (999,)}, "leader_ids"),
    ],
)
def test_bad_group_input_names_the_field_and_writes_nothing(
    vault: Vault, leaders: list[int], change: dict[str, object], field: str
) -> None:
    spec = replace(GroupSpec("Tuesday group", "support", (leaders[0],)), **change)
    with pytest.raises(InvalidInput) as err:
        ops_groups.create_group(vault, spec)
    assert err.value.field == field
    assert err.value.message
    assert _count_groups(vault) == 0


def test_third_leader_is_refused(vault: Vault, leaders: list[int]) -> None:
    g = ops_groups.create_group(vault, GroupSpec("G", "support", tuple(leaders[:2]))).value
    with pytest.raises(InvalidInput) as err:
        ops_groups.update_group(vault, g.id, GroupSpec("G", "support", tuple(leaders)))
    assert err.value.field == "leader_ids"
    assert len(query(vault, groups.get_group, g.id).leaders) == 2


def test_self_help_group_may_have_no_leader(vault: Vault) -> None:
    g = ops_groups.create_group(vault, GroupSpec("Peer circle", "self_help")).value
    assert g.leaders == ()


def test_update_group_replaces_settings_and_leaders(vault: Vault, leaders: list[int]) -> None:
    g = ops_groups.create_group(vault, GroupSpec("G", "support", (leaders[0],))).value
    spec = GroupSpec(
        "Grief group",
        "psychoeducational",
        (leaders[1], leaders[2]),
        format="fixed",
        sessions_per_cycle=12,
        room="Room 4",
        agreement="No dating",
    )
    updated = ops_groups.update_group(vault, g.id, spec).value
    assert updated.name == "Grief group" and updated.sessions_per_cycle == 12
    assert [c.id for c in updated.leaders] == [leaders[1], leaders[2]]
    assert updated.agreement == "No dating"


def test_archive_hides_group_from_default_list(vault: Vault, leaders: list[int]) -> None:
    a = ops_groups.create_group(vault, GroupSpec("A", "support", (leaders[0],))).value
    b = ops_groups.create_group(vault, GroupSpec("B", "support", (leaders[0],))).value
    ops_groups.archive_group(vault, a.id)
    assert [g.id for g in query(vault, groups.list_groups)] == [b.id]
    assert {g.id for g in query(vault, groups.list_groups, include_archived=True)} == {a.id, b.id}
    assert not ops_groups.archive_group(vault, a.id, archived=False).value.archived


def test_empty_group_can_be_deleted_but_one_with_notes_cannot(
    vault: Vault, leaders: list[int]
) -> None:
    from datetime import UTC, datetime

    empty = ops_groups.create_group(vault, GroupSpec("Mistake", "support", (leaders[0],))).value
    ops_meetings.schedule_meeting(vault, empty.id, datetime(2030, 1, 1, tzinfo=UTC))
    assert ops_groups.delete_group_if_empty(vault, empty.id).value
    with pytest.raises(InvalidInput):
        query(vault, groups.get_group, empty.id)

    used = ops_groups.create_group(vault, GroupSpec("Real", "support", (leaders[0],))).value
    m = ops_meetings.schedule_meeting(vault, used.id, datetime(2030, 1, 1, tzinfo=UTC)).value
    ops_notes.save_group_note(vault, m.id, GroupNoteFields(themes="trust"))
    assert not ops_groups.delete_group_if_empty(vault, used.id).value
    assert query(vault, groups.get_group, used.id).name == "Real"


def test_group_size_counts_active_and_waitlist(vault: Vault, leaders: list[int]) -> None:
    g = ops_groups.create_group(
        vault, GroupSpec("G", "support", (leaders[0],), max_size=2, target_size=2, min_size=1)
    ).value
    ids = [ops_roster.create_member(vault, MemberSpec(f"Person {i}")).value.id for i in range(4)]
    ops_roster.add_membership(vault, ids[0], g.id, "active", date(2024, 1, 1))
    ops_roster.add_membership(vault, ids[1], g.id, "active", date(2024, 1, 1))
    ops_roster.add_membership(vault, ids[2], g.id, "waitlist", date(2024, 1, 1))
    size = query(vault, groups.group_size, g.id)
    assert (size.active, size.waiting, size.target, size.maximum, size.minimum) == (2, 1, 2, 2, 1)
    assert size.full and not size.below_minimum
    with pytest.raises(InvalidInput) as err:  # the maximum is a maximum
        ops_roster.add_membership(vault, ids[3], g.id, "active", date(2024, 1, 1))
    assert err.value.field == "status"
    with pytest.raises(InvalidInput) as err:
        ops_groups.update_group(
            vault,
            g.id,
            GroupSpec("G", "support", (leaders[0],), max_size=1, target_size=1, min_size=1),
        )
    assert err.value.field == "max_size"


def test_clinicians_create_update_list(vault: Vault) -> None:
    sup = ops_groups.create_clinician(vault, ClinicianSpec("Sam", "supervisor", "PhD")).value
    lead = ops_groups.create_clinician(vault, ClinicianSpec("Ada", "leader")).value
    assert [c.name for c in query(vault, clinicians.list_clinicians)] == ["Ada", "Sam"]
    assert [c.id for c in query(vault, clinicians.list_clinicians, role="supervisor")] == [sup.id]
    changed = ops_groups.update_clinician(vault, lead.id, ClinicianSpec("Ada", "co_leader")).value
    assert changed.role == "co_leader" == query(vault, clinicians.get_clinician, lead.id).role
    with pytest.raises(InvalidInput) as err:
        ops_groups.create_clinician(vault, ClinicianSpec("X", "boss"))
    assert err.value.field == "role"
    with pytest.raises(InvalidInput) as err:
        ops_groups.create_clinician(vault, ClinicianSpec("", "leader"))
    assert err.value.field == "name"


def test_the_group_list_reads_every_groups_leaders_in_one_query(
    vault: Vault, leaders: list[int]
) -> None:
    """The sidebar lists every group at each unlock: its leaders are read together, each
    group's in their own order, not one query per group."""
    lead, co = leaders[0], leaders[1]
    for i in range(6):
        pair = (lead, co) if i % 2 else (co, lead)
        ops_groups.create_group(vault, GroupSpec(f"Group {i}", "support", pair))
    ops_groups.create_group(vault, GroupSpec("Peer group", "self_help"))  # no leader
    seen: list[str] = []

    def count(*args: object) -> None:
        if str(args[2]) != "BEGIN":
            seen.append(str(args[2]))

    event.listen(vault.engine, "before_cursor_execute", count)
    try:
        listed = query(vault, groups.list_groups)
    finally:
        event.remove(vault.engine, "before_cursor_execute", count)
    assert len(seen) == 2  # the groups, the leaders of all of them
    assert listed == [query(vault, groups.get_group, g.id) for g in listed]
    assert [[c.id for c in g.leaders] for g in listed] == [
        [co, lead], [lead, co], [co, lead], [lead, co], [co, lead], [lead, co], []]
