"""Meetings, attendance, the sessions overview and attendance figures."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import event, select

from groupleader.data import clock
from groupleader.data.models import AuditEvent, utcnow
from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.operations import roster as ops_roster
from groupleader.data.services import meetings, members, notes, stats
from groupleader.data.snapshots import (
    ClinicianSpec,
    GroupNoteFields,
    GroupSpec,
    MemberNoteFields,
    MemberSpec,
)
from groupleader.data.vault import Vault
from groupleader.errors import InvalidInput
from tests.conftest import PIN
from tests.data.conftest import World

T0 = datetime(2025, 1, 6, 17, 0, tzinfo=UTC)  # a Monday, after the members joined


@pytest.fixture
def w(world_without_sessions: World) -> World:
    return world_without_sessions


def test_numbers_count_per_group_and_default_to_group_schedule(vault: Vault, w: World) -> None:
    first = ops_meetings.schedule_meeting(vault, w.group, T0).value
    second = ops_meetings.schedule_meeting(vault, w.group).value
    assert (first.number, second.number) == (1, 2)
    local = second.starts_at.astimezone()
    assert (local.weekday(), local.time()) == (1, time(18, 30))
    assert second.starts_at > first.starts_at
    assert second.length_minutes == 90 and second.status == "scheduled"
    assert [m.id for m in query(vault, meetings.list_meetings, w.group)] == [first.id, second.id]


def test_fixed_group_numbers_sessions_within_cycles(vault: Vault, w: World) -> None:
    g = ops_groups.create_group(vault, GroupSpec("Course", "psychoeducational", (w.lead,),
                                             format="fixed", sessions_per_cycle=3)).value.id
    snaps = [
        ops_meetings.schedule_meeting(vault, g, T0 + timedelta(days=7 * i)).value for i in range(5)
    ]
    assert [(s.number_in_cycle, s.cycle) for s in snaps] == [(1, 1), (2, 1), (3, 1), (1, 2), (2, 2)]
    assert snaps[4].label == "Session 2 of 3, cycle 2"


def test_sessions_must_stay_in_date_order(vault: Vault, w: World) -> None:
    first = ops_meetings.schedule_meeting(vault, w.group, T0).value
    second = ops_meetings.schedule_meeting(vault, w.group, T0 + timedelta(days=7)).value
    with pytest.raises(InvalidInput) as err:
        ops_meetings.schedule_meeting(vault, w.group, T0 - timedelta(days=1))
    assert err.value.field == "starts_at"
    with pytest.raises(InvalidInput) as err:
        ops_meetings.reschedule_meeting(vault, first.id, second.starts_at + timedelta(hours=1))
    assert err.value.field == "starts_at"
    with pytest.raises(InvalidInput) as err:
        ops_meetings.schedule_meeting(vault, w.group, datetime(2031, 1, 1))  # naive
    assert err.value.field == "starts_at"
    moved = ops_meetings.reschedule_meeting(vault, first.id, T0 + timedelta(days=2), 60).value
    assert moved.starts_at == T0 + timedelta(days=2) and moved.length_minutes == 60


def test_hold_records_leaders_present_and_cancel_keeps_number(vault: Vault, w: World) -> None:
    m1 = ops_meetings.schedule_meeting(vault, w.group, T0).value
    m2 = ops_meetings.schedule_meeting(vault, w.group, T0 + timedelta(days=7)).value
    m3 = ops_meetings.schedule_meeting(vault, w.group, T0 + timedelta(days=14)).value
    held = ops_meetings.hold_meeting(vault, m1.id).value
    assert held.status == "held" and {c.id for c in held.leaders} == {w.lead, w.co}
    assert [c.id for c in ops_meetings.hold_meeting(vault, m1.id, [w.co]).value.leaders] == [w.co]
    cancelled = ops_meetings.cancel_meeting(vault, m2.id).value
    assert (cancelled.status, cancelled.number) == ("cancelled", 2)
    with pytest.raises(InvalidInput):
        ops_meetings.hold_meeting(vault, m2.id)
    assert query(vault, meetings.previous_meeting, m3.id).id == m1.id  # type: ignore[union-attr]
    assert query(vault, meetings.previous_meeting, m1.id) is None
    ops_notes.save_group_note(vault, m3.id, GroupNoteFields(themes="x"))
    with pytest.raises(InvalidInput):
        ops_meetings.cancel_meeting(vault, m3.id)  # it has a note now


def test_attendance_only_for_members_active_on_that_date(vault: Vault, w: World) -> None:
    g = w.group
    late_joiner = ops_roster.create_member(vault, MemberSpec("Carl Late")).value.id
    ops_roster.add_membership(vault, late_joiner, g, "active", date(2025, 2, 1))
    waiting = ops_roster.create_member(vault, MemberSpec("Dee Wait")).value.id
    ops_roster.add_membership(vault, waiting, g, "waitlist", date(2024, 1, 1))
    m = ops_meetings.schedule_meeting(vault, g, T0).value
    assert [e.member_id for e in query(vault, meetings.eligible_members, m.id)] == [
        w.anna,
        w.bo,
    ]  # by display name: Annie, Bo Kim
    for who in (late_joiner, waiting):
        with pytest.raises(InvalidInput) as err:
            ops_meetings.record_attendance(vault, m.id, who, "present")
        assert err.value.field == "member_id"
    assert query(vault, meetings.attendance_for, m.id) == []
    ops_roster.change_status(vault, w.memberships[w.anna], "left", date(2025, 1, 20))
    after = ops_meetings.schedule_meeting(vault, g, T0 + timedelta(days=21)).value
    with pytest.raises(InvalidInput):
        ops_meetings.record_attendance(vault, after.id, w.anna, "present")


def test_late_needs_minutes_and_others_refuse_them(vault: Vault, w: World) -> None:
    m = ops_meetings.schedule_meeting(vault, w.group, T0).value
    with pytest.raises(InvalidInput) as err:
        ops_meetings.record_attendance(vault, m.id, w.anna, "late")
    assert err.value.field == "minutes_late"
    with pytest.raises(InvalidInput) as err:
        ops_meetings.record_attendance(vault, m.id, w.anna, "present", 5)
    assert err.value.field == "minutes_late"
    with pytest.raises(InvalidInput) as err:
        ops_meetings.record_attendance(vault, m.id, w.anna, "asleep")
    assert err.value.field == "status"
    ops_meetings.record_attendance(vault, m.id, w.anna, "late", 10)
    row = ops_meetings.record_attendance(vault, m.id, w.anna, "present").value  # a correction
    assert query(vault, meetings.attendance_for, m.id) == [row]
    assert ops_meetings.clear_attendance(vault, m.id, w.anna).value
    assert query(vault, meetings.attendance_for, m.id) == []


def test_attendance_rate_and_absence_streak(vault: Vault, w: World) -> None:
    ms = w.memberships[w.anna]
    assert query(vault, stats.attendance_rate, ms) is None
    pattern = ["present", "late", "absent_notice", "present", "absent_no_notice", "absent_notice"]
    for i, status in enumerate(pattern):
        m = ops_meetings.schedule_meeting(vault, w.group, T0 + timedelta(days=7 * i)).value
        ops_meetings.record_attendance(vault, m.id, w.anna, status, 5 if status == "late" else None)
    assert query(vault, stats.attendance_rate, ms) == pytest.approx(3 / 6)
    assert query(vault, stats.current_absence_streak, ms) == 2
    (row,) = [r for r in query(vault, members.list_memberships, w.group) if r.member_id == w.anna]
    assert (row.attended, row.absent, row.absence_streak) == (3, 3, 2)
    assert row.attendance_rate == pytest.approx(0.5)


def _audited(vault: Vault, action: str) -> list[int | None]:
    with vault.unit_of_work() as db:
        return list(db.scalars(select(AuditEvent.record_id).where(AuditEvent.action == action)))


def test_hold_is_refused_more_than_a_day_before_the_session(vault: Vault, w: World) -> None:
    soon = ops_meetings.schedule_meeting(vault, w.group, utcnow() + timedelta(hours=23)).value
    later = ops_meetings.schedule_meeting(vault, w.group, utcnow() + timedelta(hours=25)).value
    with pytest.raises(InvalidInput) as err:
        ops_meetings.hold_meeting(vault, later.id)
    assert err.value.field == "starts_at"
    assert query(vault, meetings.get_meeting, later.id).status == "scheduled"
    assert _audited(vault, "meeting.hold") == []
    assert ops_meetings.hold_meeting(vault, soon.id).value.status == "held"  # within the day: fine


def test_a_cancelled_session_can_be_reinstated(vault: Vault, w: World) -> None:
    m = ops_meetings.schedule_meeting(vault, w.group, T0).value
    with pytest.raises(InvalidInput) as err:
        ops_meetings.reinstate_meeting(vault, m.id)  # not cancelled
    assert err.value.field == "meeting_id"
    ops_meetings.cancel_meeting(vault, m.id)
    back = ops_meetings.reinstate_meeting(vault, m.id).value
    assert (back.status, back.number, back.starts_at) == ("scheduled", 1, T0)
    assert query(vault, meetings.get_meeting, m.id) == back
    assert _audited(vault, "meeting.reinstate") == [m.id]
    assert ops_meetings.hold_meeting(vault, m.id).value.status == "held"
    with pytest.raises(InvalidInput) as err:
        ops_meetings.reinstate_meeting(vault, 9999)
    assert err.value.field == "meeting_id"


@pytest.fixture
def sessions(vault: Vault, w: World) -> list[int]:
    """Five sessions a week apart: see each one's comment for what it holds."""
    ids = [
        ops_meetings.schedule_meeting(vault, w.group, T0 + timedelta(days=7 * i)).value.id
        for i in range(5)
    ]
    m1, m2, m3, m4, _m5 = ids
    # 1: both came (one late); the group note is a draft
    ops_meetings.record_attendance(vault, m1, w.anna, "present")
    ops_meetings.record_attendance(vault, m1, w.bo, "late", 5)
    ops_notes.save_group_note(vault, m1, GroupNoteFields(themes="arrival"))
    # 2: one absent; group and member notes signed; a private draft (never counted)
    ops_meetings.record_attendance(vault, m2, w.anna, "absent_notice")
    g2 = ops_notes.save_group_note(vault, m2, GroupNoteFields(themes="absence")).value
    n2 = ops_notes.save_member_note(vault, m2, w.anna, MemberNoteFields(goals="x")).value
    ops_notes.sign_note(vault, "group", g2.id, w.lead, pin=PIN)
    ops_notes.sign_note(vault, "member", n2.id, w.lead, pin=PIN)
    ops_notes.save_private_note(vault, m2, "still thinking")
    # 3: group note co-signed, a member note still a draft
    g3 = ops_notes.save_group_note(vault, m3, GroupNoteFields(themes="trust")).value
    ops_notes.sign_note(vault, "group", g3.id, w.lead, pin=PIN)
    ops_notes.cosign_note(vault, "group", g3.id, w.sup, pin=PIN)
    ops_notes.save_member_note(vault, m3, w.bo, MemberNoteFields(goals="y"))
    # 4: cancelled; 5: scheduled, nothing recorded
    ops_meetings.cancel_meeting(vault, m4)
    return ids


def test_overview_counts_attendance_and_note_states(
    vault: Vault, w: World, sessions: list[int]
) -> None:
    rows = query(vault, meetings.meeting_overview, w.group, 7, today=T0.astimezone().date())
    assert [r.meeting.id for r in rows] == sessions
    assert [(r.attended, r.recorded) for r in rows] == [(2, 2), (0, 1), (0, 0), (0, 0), (0, 0)]
    assert [r.group_note for r in rows] == ["draft", "signed", "cosigned", "", ""]
    assert [r.notes for r in rows] == ["draft", "signed", "draft", "", ""]
    assert [r.meeting.status for r in rows] == [
        "scheduled",
        "scheduled",
        "scheduled",
        "cancelled",
        "scheduled",
    ]
    assert rows[0].meeting == query(vault, meetings.get_meeting, sessions[0])


def test_overview_of_one_session_is_that_row_of_the_whole(
    vault: Vault, w: World, sessions: list[int]
) -> None:
    today = T0.astimezone().date()
    whole = query(vault, meetings.meeting_overview, w.group, 7, today=today)
    for i, meeting_id in enumerate(sessions):
        assert query(
            vault, meetings.meeting_overview, w.group, 7, today=today, meeting_id=meeting_id
        ) == [whole[i]]
    assert query(vault, meetings.meeting_overview, w.group, 7, meeting_id=10**6) == []


def test_overview_of_some_sessions_is_those_rows_of_the_whole(
    vault: Vault, w: World, sessions: list[int]
) -> None:
    """The session list reads the counts of the rows it shows: any few sessions, in any
    order, read alone as in the whole list."""
    today = T0.astimezone().date()
    whole = {r.meeting.id: r for r in
             query(vault, meetings.meeting_overview, w.group, 7, today=today)}
    listed = query(vault, meetings.list_meetings, w.group)
    for some in (listed, listed[1:3], listed[::-2], listed[4:], []):
        assert query(vault, meetings.overview_of, w.group, 7, some, today=today) == [
            whole[m.id] for m in some]
    other = ops_groups.create_group(vault, GroupSpec("Other", "self_help")).value.id
    with pytest.raises(InvalidInput) as err:  # sessions of another group are refused
        query(vault, meetings.overview_of, other, 7, listed[:1])
    assert err.value.field == "meeting_id"


def test_overview_agrees_with_loading_each_session(
    vault: Vault, w: World, sessions: list[int]
) -> None:
    for row in query(vault, meetings.meeting_overview, w.group, 7):
        loaded = query(vault, notes.load_meeting_notes, row.meeting.id)
        assert row.meeting == loaded.meeting
        assert row.recorded == len(loaded.attendance)
        assert row.attended == sum(a.status in ("present", "late") for a in loaded.attendance)
        assert row.group_note == (loaded.group_note.status.state if loaded.group_note else "")
        states = {n.status.state for n in loaded.member_notes} | (
            {loaded.group_note.status.state} if loaded.group_note else set()
        )
        assert (row.notes == "draft") == ("draft" in states)


def test_overview_flags_drafts_unsigned_past_the_limit(
    vault: Vault, w: World, sessions: list[int]
) -> None:
    day0 = T0.astimezone().date()  # session 1's local date; session 3 is 14 days later
    on_the_limit = query(
        vault, meetings.meeting_overview, w.group, 7, today=day0 + timedelta(days=7)
    )
    assert [r.unsigned_days for r in on_the_limit] == [0, 0, 0, 0, 0]
    rows = query(vault, meetings.meeting_overview, w.group, 7, today=day0 + timedelta(days=22))
    assert [r.unsigned_days for r in rows] == [22, 0, 8, 0, 0]
    assert [r.flagged for r in rows] == [True, False, True, False, False]
    strict = query(vault, meetings.meeting_overview, w.group, 0, today=day0 + timedelta(days=1))
    assert [r.unsigned_days for r in strict] == [1, 0, 0, 0, 0]  # session 3 is still ahead


@contextmanager
def _counting_queries(vault: Vault) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(*args: object) -> None:
        if str(args[2]) != "BEGIN":  # the transaction itself, not a query
            seen.append(str(args[2]))

    event.listen(vault.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(vault.engine, "before_cursor_execute", count)


def test_overview_takes_the_same_few_queries_for_any_number_of_sessions(
    vault: Vault, w: World, sessions: list[int]
) -> None:
    with _counting_queries(vault) as few:
        query(vault, meetings.meeting_overview, w.group, 7)
    for i in range(5, 25):
        m = ops_meetings.schedule_meeting(vault, w.group, T0 + timedelta(days=7 * i)).value.id
        ops_meetings.record_attendance(vault, m, w.anna, "present")
        ops_notes.save_group_note(vault, m, GroupNoteFields(themes=f"week {i}"))
    with _counting_queries(vault) as many:
        rows = query(vault, meetings.meeting_overview, w.group, 7)
    assert len(rows) == 25
    assert len(many) == len(few) <= 10


def test_a_session_reads_the_same_alone_and_in_the_list_and_the_list_stays_few_queries(
    vault: Vault, w: World
) -> None:
    """One MeetingSnap builder: get_meeting and list_meetings agree on every field."""
    g = ops_groups.create_group(vault, GroupSpec("Course", "psychoeducational", (w.lead, w.co),
                                             format="fixed", sessions_per_cycle=3)).value.id
    ids = [ops_meetings.schedule_meeting(vault, g, T0 + timedelta(days=7 * i)).value.id
           for i in range(4)]
    ops_meetings.hold_meeting(vault, ids[0])
    ops_meetings.hold_meeting(vault, ids[1], [w.co])
    with _counting_queries(vault) as seen:
        listed = query(vault, meetings.list_meetings, g)
    assert listed == [query(vault, meetings.get_meeting, mid) for mid in ids]
    assert [m.label for m in listed][3] == "Session 1 of 3, cycle 2"
    assert [c.id for c in listed[0].leaders] == [w.lead, w.co]  # by name: Ada, Ben
    assert [c.id for c in listed[1].leaders] == [w.co] and listed[2].leaders == ()
    assert len(seen) <= 3  # the group, the leaders of every session, the sessions


def test_a_leader_without_a_signing_pin_reads_so_alone_and_in_the_list(
    vault: Vault, w: World
) -> None:
    """The list said every leader present had a PIN (it asked whether the hash was NULL,
    and a profile without a PIN has an empty one)."""
    new = ops_groups.create_clinician(vault, ClinicianSpec("Cal New", "leader")).value.id
    mid = ops_meetings.schedule_meeting(vault, w.group, T0).value.id
    ops_meetings.hold_meeting(vault, mid, [w.lead, new])
    [listed] = query(vault, meetings.list_meetings, w.group)
    assert listed == query(vault, meetings.get_meeting, mid)
    assert [(c.id, c.has_pin) for c in listed.leaders] == [(w.lead, True), (new, False)]


def test_overview_refuses_bad_input(vault: Vault, w: World) -> None:
    with pytest.raises(InvalidInput) as err:
        query(vault, meetings.meeting_overview, w.group, -1)
    assert err.value.field == "draft_days"
    with pytest.raises(InvalidInput) as err:
        query(vault, meetings.meeting_overview, 9999, 7)
    assert err.value.field == "group_id"
    assert query(vault, meetings.meeting_overview, w.group, 7) == []


def test_stats_figures_pure() -> None:
    assert stats.figures([]).rate is None
    f = stats.figures(["absent_notice", "present", "absent_no_notice"])
    assert (f.attended, f.absent, f.streak) == (1, 2, 1)


def test_new_session_in_the_evening_is_the_one_that_met_today(vault: Vault, w: World) -> None:
    """Writing notes at 21:00 after an 18:30 group gets today's session, not next week's."""
    from groupleader.data import clock

    tuesday_evening = datetime.combine(date(2025, 3, 4), time(21, 0)).astimezone()
    assert tuesday_evening.weekday() == 1
    with clock.frozen_at(tuesday_evening.astimezone(UTC)):
        today = ops_meetings.schedule_meeting(vault, w.group).value
        following = ops_meetings.schedule_meeting(vault, w.group).value
    assert today.starts_at.astimezone() == tuesday_evening.replace(hour=18, minute=30)
    assert following.starts_at - today.starts_at == timedelta(days=7)
    with clock.frozen_at((tuesday_evening + timedelta(days=1)).astimezone(UTC)):
        later = ops_meetings.schedule_meeting(vault, w.group).value
    assert later.starts_at - following.starts_at == timedelta(days=7)


# ---------------------------------------------------------------- course numbers, deleting

TUESDAY_EVENING = datetime(2026, 11, 24, 18, 0)  # a Tuesday, local wall clock


def _course(vault: Vault, w: World) -> int:
    """A 12-session course meeting on Tuesdays at 18:00, sessions 1-6 held weekly until
    24 Nov (session 6)."""
    g = ops_groups.create_group(vault, GroupSpec(
        "Course", "psychoeducational", (w.lead,), format="fixed", sessions_per_cycle=12,
        weekday=1, start_time=time(18, 0))).value.id
    for i in range(6):
        ops_meetings.schedule_meeting(
            vault, g, (TUESDAY_EVENING - timedelta(days=7 * (5 - i))).astimezone())
    return g


def test_cancelled_sessions_keep_no_course_number_so_the_next_is_the_seventh(
    vault: Vault, w: World
) -> None:
    """The issue's slip: a double click made two extra sessions; cancelled, they no
    longer push the course on (the next one is 7/12, not 9/12)."""
    g = _course(vault, w)
    after_the_group = (TUESDAY_EVENING + timedelta(hours=3)).astimezone(UTC)
    with clock.frozen_at(after_the_group):
        slips = [ops_meetings.schedule_meeting(vault, g).value for _ in range(2)]
    assert [(s.number_in_cycle, s.starts_at.astimezone().day) for s in slips] == [
        (7, 1), (8, 8)]
    for s in slips:
        cancelled = ops_meetings.cancel_meeting(vault, s.id).value
        assert cancelled.number_in_cycle is None and cancelled.label == f"Session {s.number}"
    with clock.frozen_at(after_the_group):
        nxt = ops_meetings.schedule_meeting(vault, g).value
    assert (nxt.number_in_cycle, nxt.sessions_per_cycle, nxt.cycle) == (7, 12, 1)
    assert nxt.label == "Session 7 of 12, cycle 1" and nxt.number == 9  # 9th in all
    # a cancelled session holds its date: the course goes on after it
    assert nxt.starts_at.astimezone().date() == date(2026, 12, 15)
    listed = query(vault, meetings.list_meetings, g)
    assert [m.number_in_cycle for m in listed] == [1, 2, 3, 4, 5, 6, None, None, 7]
    assert [r.meeting.number_in_cycle
            for r in query(vault, meetings.meeting_overview, g, 7, meeting_id=nxt.id)] == [7]
    # reinstating one gives it its course number back and moves the next one up
    ops_meetings.reinstate_meeting(vault, slips[1].id)
    listed = query(vault, meetings.list_meetings, g)
    assert [m.number_in_cycle for m in listed] == [1, 2, 3, 4, 5, 6, None, 7, 8]
    assert query(vault, meetings.get_meeting, nxt.id).label == "Session 8 of 12, cycle 1"


def test_deleted_slips_give_back_the_number_and_the_date(vault: Vault, w: World) -> None:
    """Deleted (they were empty), the next session is 7/12 on 1 Dec, the group's next
    Tuesday, as if the slip had never happened."""
    g = _course(vault, w)
    after_the_group = (TUESDAY_EVENING + timedelta(hours=3)).astimezone(UTC)
    with clock.frozen_at(after_the_group):
        slips = [ops_meetings.schedule_meeting(vault, g).value for _ in range(2)]
        for s in reversed(slips):
            ops_meetings.delete_meeting(vault, s.id)
        nxt = ops_meetings.schedule_meeting(vault, g).value
    assert nxt.label == "Session 7 of 12, cycle 1" and nxt.number == 7
    assert nxt.starts_at.astimezone().date() == date(2026, 12, 1)


def test_an_empty_session_is_deleted_and_comes_back_with_its_id_number_and_time(
    vault: Vault, w: World
) -> None:
    m = ops_meetings.schedule_meeting(vault, w.group, T0, topic="Endings").value
    ops_meetings.hold_meeting(vault, m.id)  # leaders present: nothing of the members
    done = ops_meetings.delete_meeting(vault, m.id)
    assert done.changes.meetings == {m.id} and done.changes.groups == {w.group}
    assert query(vault, meetings.list_meetings, w.group) == []
    back = ops_meetings.restore_meeting(vault, done.value).value
    assert back == query(vault, meetings.get_meeting, m.id)
    assert (back.id, back.number, back.starts_at, back.topic, back.status) == (
        m.id, m.number, m.starts_at, "Endings", "held")
    assert len(back.leaders) == 2  # the group's two leaders, as recorded
    with vault.unit_of_work() as db:
        actions = [a for (a,) in db.execute(select(AuditEvent.action).where(
            AuditEvent.record_id == m.id, AuditEvent.record_type == "meeting"))]
    assert actions[-2:] == ["meeting.delete", "meeting.restore"]


def test_a_session_with_records_cannot_be_deleted_and_says_why(vault: Vault, w: World) -> None:
    m = ops_meetings.schedule_meeting(vault, w.group, T0).value
    ops_notes.save_group_note(vault, m.id, GroupNoteFields(themes="Trust"))
    with pytest.raises(InvalidInput) as err:
        ops_meetings.delete_meeting(vault, m.id)
    assert "notes" in err.value.message and "Cancel it instead" in err.value.message
    assert [x.id for x in query(vault, meetings.list_meetings, w.group)] == [m.id]
    other = ops_meetings.schedule_meeting(vault, w.group, T0 + timedelta(days=7)).value
    ops_meetings.take_attendance(vault, other.id, [(w.anna, "present", None)])
    with pytest.raises(InvalidInput) as err:
        ops_meetings.delete_meeting(vault, other.id)
    assert "attendance" in err.value.message


def test_a_deleted_session_whose_place_was_taken_does_not_come_back(
    vault: Vault, w: World
) -> None:
    m = ops_meetings.schedule_meeting(vault, w.group, T0).value
    gone = ops_meetings.delete_meeting(vault, m.id).value
    ops_meetings.schedule_meeting(vault, w.group, T0)  # the same number 1 again
    with pytest.raises(InvalidInput) as err:
        ops_meetings.restore_meeting(vault, gone)
    assert "another session" in err.value.message
