"""Groups and clinicians: validation, leaders, archiving, deleting, size."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from groupleader.data.models import Group
from groupleader.data.services import clinicians, groups, meetings, members, notes
from groupleader.data.snapshots import ClinicianSpec, GroupNoteFields, GroupSpec, MemberSpec
from groupleader.data.vault import Vault
from groupleader.errors import InvalidInput


@pytest.fixture
def leaders(vault: Vault) -> list[int]:
    return [clinicians.create_clinician(vault, ClinicianSpec(n, "leader")).id
            for n in ("Ada", "Ben", "Cy")]


def _count_groups(vault: Vault) -> int:
    with vault.unit_of_work() as db:
        return db.scalar(select(func.count()).select_from(Group)) or 0


def test_create_group_uses_documented_defaults(vault: Vault, leaders: list[int]) -> None:
    g = groups.create_group(vault, GroupSpec("Tuesday group", "psychodynamic", (leaders[0],)))
    assert (g.target_size, g.max_size, g.min_size) == (7, 10, 4)
    assert g.format == "open_ended" and not g.archived
    assert [c.id for c in g.leaders] == [leaders[0]]
    assert groups.get_group(vault, g.id) == g


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
        groups.create_group(vault, spec)
    assert err.value.field == field
    assert err.value.message
    assert _count_groups(vault) == 0


def test_third_leader_is_refused(vault: Vault, leaders: list[int]) -> None:
    g = groups.create_group(vault, GroupSpec("G", "support", tuple(leaders[:2])))
    with pytest.raises(InvalidInput) as err:
        groups.update_group(vault, g.id, GroupSpec("G", "support", tuple(leaders)))
    assert err.value.field == "leader_ids"
    assert len(groups.get_group(vault, g.id).leaders) == 2


def test_self_help_group_may_have_no_leader(vault: Vault) -> None:
    g = groups.create_group(vault, GroupSpec("Peer circle", "self_help"))
    assert g.leaders == ()


def test_update_group_replaces_settings_and_leaders(vault: Vault, leaders: list[int]) -> None:
    g = groups.create_group(vault, GroupSpec("G", "support", (leaders[0],)))
    spec = GroupSpec("Grief group", "psychoeducational", (leaders[1], leaders[2]),
                     format="fixed", sessions_per_cycle=12, room="Room 4", agreement="No dating")
    updated = groups.update_group(vault, g.id, spec)
    assert updated.name == "Grief group" and updated.sessions_per_cycle == 12
    assert [c.id for c in updated.leaders] == [leaders[1], leaders[2]]
    assert updated.agreement == "No dating"


def test_archive_hides_group_from_default_list(vault: Vault, leaders: list[int]) -> None:
    a = groups.create_group(vault, GroupSpec("A", "support", (leaders[0],)))
    b = groups.create_group(vault, GroupSpec("B", "support", (leaders[0],)))
    groups.archive_group(vault, a.id)
    assert [g.id for g in groups.list_groups(vault)] == [b.id]
    assert {g.id for g in groups.list_groups(vault, include_archived=True)} == {a.id, b.id}
    assert not groups.archive_group(vault, a.id, archived=False).archived


def test_empty_group_can_be_deleted_but_one_with_notes_cannot(
    vault: Vault, leaders: list[int]
) -> None:
    from datetime import UTC, datetime

    empty = groups.create_group(vault, GroupSpec("Mistake", "support", (leaders[0],)))
    meetings.schedule_meeting(vault, empty.id, datetime(2030, 1, 1, tzinfo=UTC))
    assert groups.delete_group_if_empty(vault, empty.id)
    with pytest.raises(InvalidInput):
        groups.get_group(vault, empty.id)

    used = groups.create_group(vault, GroupSpec("Real", "support", (leaders[0],)))
    m = meetings.schedule_meeting(vault, used.id, datetime(2030, 1, 1, tzinfo=UTC))
    notes.save_group_note(vault, m.id, GroupNoteFields(themes="trust"))
    assert not groups.delete_group_if_empty(vault, used.id)
    assert groups.get_group(vault, used.id).name == "Real"


def test_group_size_counts_active_and_waitlist(vault: Vault, leaders: list[int]) -> None:
    g = groups.create_group(vault, GroupSpec("G", "support", (leaders[0],), max_size=2,
                                             target_size=2, min_size=1))
    ids = [members.create_member(vault, MemberSpec(f"Person {i}")).id for i in range(4)]
    members.add_membership(vault, ids[0], g.id, "active", date(2024, 1, 1))
    members.add_membership(vault, ids[1], g.id, "active", date(2024, 1, 1))
    members.add_membership(vault, ids[2], g.id, "waitlist", date(2024, 1, 1))
    size = groups.group_size(vault, g.id)
    assert (size.active, size.waiting, size.target, size.maximum, size.minimum) == (2, 1, 2, 2, 1)
    assert size.full and not size.below_minimum
    with pytest.raises(InvalidInput) as err:  # the maximum is a maximum
        members.add_membership(vault, ids[3], g.id, "active", date(2024, 1, 1))
    assert err.value.field == "status"
    with pytest.raises(InvalidInput) as err:
        groups.update_group(vault, g.id, GroupSpec("G", "support", (leaders[0],), max_size=1,
                                                   target_size=1, min_size=1))
    assert err.value.field == "max_size"


def test_clinicians_create_update_list(vault: Vault) -> None:
    sup = clinicians.create_clinician(vault, ClinicianSpec("Sam", "supervisor", "PhD"))
    lead = clinicians.create_clinician(vault, ClinicianSpec("Ada", "leader"))
    assert [c.name for c in clinicians.list_clinicians(vault)] == ["Ada", "Sam"]
    assert [c.id for c in clinicians.list_clinicians(vault, role="supervisor")] == [sup.id]
    changed = clinicians.update_clinician(vault, lead.id, ClinicianSpec("Ada", "co_leader"))
    assert changed.role == "co_leader" == clinicians.get_clinician(vault, lead.id).role
    with pytest.raises(InvalidInput) as err:
        clinicians.create_clinician(vault, ClinicianSpec("X", "boss"))
    assert err.value.field == "role"
    with pytest.raises(InvalidInput) as err:
        clinicians.create_clinician(vault, ClinicianSpec("", "leader"))
    assert err.value.field == "name"
