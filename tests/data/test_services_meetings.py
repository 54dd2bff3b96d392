"""Meetings, attendance and attendance figures."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from groupleader.data.services import clinicians, groups, meetings, members, notes, stats
from groupleader.data.snapshots import ClinicianSpec, GroupNoteFields, GroupSpec, MemberSpec
from groupleader.data.vault import Vault
from groupleader.errors import InvalidInput

T0 = datetime(2030, 1, 7, 17, 0, tzinfo=UTC)  # a Monday


@pytest.fixture
def world(vault: Vault) -> dict[str, int]:
    lead = clinicians.create_clinician(vault, ClinicianSpec("Ada Leader", "leader")).id
    co = clinicians.create_clinician(vault, ClinicianSpec("Ben Co", "co_leader")).id
    g = groups.create_group(vault, GroupSpec("Tuesday group", "support", (lead, co),
                                             weekday=1, start_time=time(18, 30))).id
    anna = members.create_member(vault, MemberSpec("Anna Lee")).id
    ms = members.add_membership(vault, anna, g, "active", date(2029, 12, 1)).id
    return {"lead": lead, "co": co, "group": g, "anna": anna, "ms": ms}


def test_numbers_count_per_group_and_default_to_group_schedule(
    vault: Vault, world: dict[str, int]
) -> None:
    first = meetings.schedule_meeting(vault, world["group"], T0)
    second = meetings.schedule_meeting(vault, world["group"])
    assert (first.number, second.number) == (1, 2)
    local = second.starts_at.astimezone()
    assert (local.weekday(), local.time()) == (1, time(18, 30))
    assert second.starts_at > first.starts_at
    assert second.length_minutes == 90 and second.status == "scheduled"
    assert [m.id for m in meetings.list_meetings(vault, world["group"])] == [first.id, second.id]


def test_fixed_group_numbers_sessions_within_cycles(vault: Vault, world: dict[str, int]) -> None:
    g = groups.create_group(vault, GroupSpec("Course", "psychoeducational", (world["lead"],),
                                             format="fixed", sessions_per_cycle=3)).id
    snaps = [meetings.schedule_meeting(vault, g, T0 + timedelta(days=7 * i)) for i in range(5)]
    assert [(s.number_in_cycle, s.cycle) for s in snaps] == [(1, 1), (2, 1), (3, 1), (1, 2),
                                                             (2, 2)]
    assert snaps[4].label == "Session 2 of 3, cycle 2"


def test_sessions_must_stay_in_date_order(vault: Vault, world: dict[str, int]) -> None:
    first = meetings.schedule_meeting(vault, world["group"], T0)
    second = meetings.schedule_meeting(vault, world["group"], T0 + timedelta(days=7))
    with pytest.raises(InvalidInput) as err:
        meetings.schedule_meeting(vault, world["group"], T0 - timedelta(days=1))
    assert err.value.field == "starts_at"
    with pytest.raises(InvalidInput) as err:
        meetings.reschedule_meeting(vault, first.id, second.starts_at + timedelta(hours=1))
    assert err.value.field == "starts_at"
    with pytest.raises(InvalidInput) as err:
        meetings.schedule_meeting(vault, world["group"], datetime(2031, 1, 1))  # naive
    assert err.value.field == "starts_at"
    moved = meetings.reschedule_meeting(vault, first.id, T0 + timedelta(days=2), 60)
    assert moved.starts_at == T0 + timedelta(days=2) and moved.length_minutes == 60


def test_hold_records_leaders_present_and_cancel_keeps_number(
    vault: Vault, world: dict[str, int]
) -> None:
    m1 = meetings.schedule_meeting(vault, world["group"], T0)
    m2 = meetings.schedule_meeting(vault, world["group"], T0 + timedelta(days=7))
    m3 = meetings.schedule_meeting(vault, world["group"], T0 + timedelta(days=14))
    held = meetings.hold_meeting(vault, m1.id)
    assert held.status == "held" and {c.id for c in held.leaders} == {world["lead"], world["co"]}
    assert [c.id for c in meetings.hold_meeting(vault, m1.id, [world["co"]]).leaders] == [
        world["co"]]
    cancelled = meetings.cancel_meeting(vault, m2.id)
    assert (cancelled.status, cancelled.number) == ("cancelled", 2)
    with pytest.raises(InvalidInput):
        meetings.hold_meeting(vault, m2.id)
    assert meetings.previous_meeting(vault, m3.id).id == m1.id  # type: ignore[union-attr]
    assert meetings.previous_meeting(vault, m1.id) is None
    notes.save_group_note(vault, m3.id, GroupNoteFields(themes="x"))
    with pytest.raises(InvalidInput):
        meetings.cancel_meeting(vault, m3.id)  # it has a note now


def test_attendance_only_for_members_active_on_that_date(
    vault: Vault, world: dict[str, int]
) -> None:
    g = world["group"]
    late_joiner = members.create_member(vault, MemberSpec("Carl Late")).id
    members.add_membership(vault, late_joiner, g, "active", date(2030, 2, 1))
    waiting = members.create_member(vault, MemberSpec("Dee Wait")).id
    members.add_membership(vault, waiting, g, "waitlist", date(2029, 1, 1))
    m = meetings.schedule_meeting(vault, g, T0)
    assert [e.member_id for e in meetings.eligible_members(vault, m.id)] == [world["anna"]]
    for who in (late_joiner, waiting):
        with pytest.raises(InvalidInput) as err:
            meetings.record_attendance(vault, m.id, who, "present")
        assert err.value.field == "member_id"
    assert meetings.attendance_for(vault, m.id) == []
    members.change_status(vault, world["ms"], "left", date(2030, 1, 20))
    after = meetings.schedule_meeting(vault, g, T0 + timedelta(days=21))
    with pytest.raises(InvalidInput):
        meetings.record_attendance(vault, after.id, world["anna"], "present")


def test_late_needs_minutes_and_others_refuse_them(vault: Vault, world: dict[str, int]) -> None:
    m = meetings.schedule_meeting(vault, world["group"], T0)
    with pytest.raises(InvalidInput) as err:
        meetings.record_attendance(vault, m.id, world["anna"], "late")
    assert err.value.field == "minutes_late"
    with pytest.raises(InvalidInput) as err:
        meetings.record_attendance(vault, m.id, world["anna"], "present", 5)
    assert err.value.field == "minutes_late"
    with pytest.raises(InvalidInput) as err:
        meetings.record_attendance(vault, m.id, world["anna"], "asleep")
    assert err.value.field == "status"
    meetings.record_attendance(vault, m.id, world["anna"], "late", 10)
    row = meetings.record_attendance(vault, m.id, world["anna"], "present")  # a correction
    assert meetings.attendance_for(vault, m.id) == [row]
    assert meetings.clear_attendance(vault, m.id, world["anna"])
    assert meetings.attendance_for(vault, m.id) == []


def test_attendance_rate_and_absence_streak(vault: Vault, world: dict[str, int]) -> None:
    ms = world["ms"]
    assert stats.attendance_rate(vault, ms) is None
    pattern = ["present", "late", "absent_notice", "present", "absent_no_notice",
               "absent_notice"]
    for i, status in enumerate(pattern):
        m = meetings.schedule_meeting(vault, world["group"], T0 + timedelta(days=7 * i))
        meetings.record_attendance(vault, m.id, world["anna"], status,
                                   5 if status == "late" else None)
    assert stats.attendance_rate(vault, ms) == pytest.approx(3 / 6)
    assert stats.current_absence_streak(vault, ms) == 2
    (row,) = members.list_memberships(vault, world["group"])
    assert (row.attended, row.absent, row.absence_streak) == (3, 3, 2)
    assert row.attendance_rate == pytest.approx(0.5)


def test_stats_figures_pure() -> None:
    assert stats.figures([]).rate is None
    f = stats.figures(["absent_notice", "present", "absent_no_notice"])
    assert (f.attended, f.absent, f.streak) == (1, 2, 1)
