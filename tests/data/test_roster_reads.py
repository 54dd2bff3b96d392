"""The roster reads: RosterRow's dates, sessions held, risk flag and attendance figures,
a member's attendance strip, and the roster_csv functions that now delegate to them."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest

from groupleader.data.models import Member
from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.operations import roster as ops_roster
from groupleader.data.services import members, stats
from groupleader.data.snapshots import (
    ClinicianSpec,
    GroupSpec,
    MemberNoteFields,
    MemberSpec,
    RosterRow,
)
from groupleader.data.vault import Vault
from groupleader.errors import InvalidInput

START = datetime(2024, 9, 3, 17, 0, tzinfo=UTC)  # session 1; weekly after that
SESSIONS = 8
CANCELLED = 4  # session 4 was cancelled


@dataclass
class Roster:
    group: int
    meetings: list[int] = field(default_factory=list)  # session n is meetings[n - 1]
    ids: dict[str, int] = field(default_factory=dict)  # member key -> member id
    ms: dict[str, int] = field(default_factory=dict)  # member key -> membership id

    def day(self, n: int) -> date:
        """The local date of session n."""
        return (START + timedelta(weeks=n - 1)).astimezone().date()


@pytest.fixture
def roster(vault: Vault) -> Roster:
    """Ann (from the start), Ben (left on session 3's date), Cy (joined at session 5),
    Di (waitlist), Ed (archived, from the start); eight weekly sessions, 4 cancelled."""
    lead = ops_groups.create_clinician(vault, ClinicianSpec("Dr Lead", "leader")).value.id
    r = Roster(ops_groups.create_group(vault, GroupSpec("Group", "support", (lead,))).value.id)
    for key, name, pronouns in (("ann", "Ann Ash", "she/her"), ("ben", "Ben Birch", "he/him"),
                                ("cy", "Cy Cedar", "they/them"), ("di", "Di Dogwood", ""),
                                ("ed", "Ed Elm", "")):
        r.ids[key] = ops_roster.create_member(vault, MemberSpec(name, pronouns=pronouns)).value.id
    before = r.day(1) - timedelta(days=10)
    for key in ("ann", "ben", "ed"):
        r.ms[key] = ops_roster.add_membership(vault, r.ids[key], r.group, "active", before).value.id
    r.ms["di"] = ops_roster.add_membership(vault, r.ids["di"], r.group, "waitlist", before).value.id
    r.ms["cy"] = ops_roster.add_membership(vault, r.ids["cy"], r.group, "referred", before).value.id
    for n in range(1, SESSIONS + 1):
        m = ops_meetings.schedule_meeting(vault, r.group, START + timedelta(weeks=n - 1)).value.id
        r.meetings.append(m)
        if n == CANCELLED:
            ops_meetings.cancel_meeting(vault, m)
        elif n < SESSIONS:  # the last one is scheduled, not held yet
            ops_meetings.hold_meeting(vault, m)
    ops_roster.change_status(vault, r.ms["ben"], "left", r.day(3), "moved away")
    ops_roster.change_status(vault, r.ms["cy"], "screening", r.day(2))
    ops_roster.change_status(vault, r.ms["cy"], "waitlist", r.day(3))
    ops_roster.change_status(vault, r.ms["cy"], "active", r.day(5))
    marks = {"ann": "PPA-PAA", "ben": "AP", "cy": "----PL", "ed": "PP"}
    codes = {"P": "present", "A": "absent_no_notice", "L": "late"}
    for key, row in marks.items():
        for n, code in enumerate(row, start=1):
            if code != "-" and n != CANCELLED:
                ops_meetings.record_attendance(vault, r.meetings[n - 1], r.ids[key], codes[code],
                                           10 if code == "L" else None)
    ops_notes.save_member_note(vault, r.meetings[0], r.ids["ann"], MemberNoteFields(risk_flag=True))
    ops_notes.save_member_note(vault, r.meetings[4], r.ids["ann"], MemberNoteFields(plan="ok"))
    ops_notes.save_member_note(vault, r.meetings[0], r.ids["ed"], MemberNoteFields(plan="x"))
    ops_notes.save_member_note(vault, r.meetings[1], r.ids["ed"], MemberNoteFields(risk_flag=True))
    ops_roster.archive_member(vault, r.ids["ed"])
    return r


def _rows(vault: Vault, r: Roster) -> dict[str, RosterRow]:
    by_id = {v: k for k, v in r.ms.items()}
    return {
        by_id[row.membership_id]: row for row in query(vault, members.list_memberships, r.group)
    }


def test_rows_carry_pronouns_and_the_membership_dates(vault: Vault, roster: Roster) -> None:
    rows = _rows(vault, roster)
    before = roster.day(1) - timedelta(days=10)
    assert rows["ann"].pronouns == "she/her" and rows["cy"].pronouns == "they/them"
    assert (rows["ann"].joined, rows["ann"].ended, rows["ann"].since) == (before, None, before)
    assert (rows["ben"].joined, rows["ben"].ended) == (before, roster.day(3))
    assert (rows["cy"].joined, rows["cy"].since) == (roster.day(5), roster.day(5))
    assert (rows["di"].joined, rows["di"].held_since_joining) == (None, 0)


def test_sessions_held_since_joining_skip_cancelled_scheduled_and_after_the_last_day(
    vault: Vault, roster: Roster
) -> None:
    rows = _rows(vault, roster)
    assert rows["ann"].held_since_joining == 6  # 1-7 without the cancelled 4th
    assert rows["ben"].held_since_joining == 3  # left on session 3's date: his last, counted
    assert rows["cy"].held_since_joining == 3  # 5, 6, 7


def test_risk_flag_is_the_latest_notes_and_archived_is_the_members(
    vault: Vault, roster: Roster
) -> None:
    rows = _rows(vault, roster)
    assert not rows["ann"].risk_flag  # flagged at session 1, not at session 5
    assert rows["ed"].risk_flag and rows["ed"].archived
    assert not rows["ann"].archived and not rows["cy"].risk_flag


def test_attendance_figures_and_streaks(vault: Vault, roster: Roster) -> None:
    rows = _rows(vault, roster)
    ann = rows["ann"]
    assert (ann.attended, ann.absent, ann.absence_streak) == (3, 3, 2)
    assert ann.attendance_rate == pytest.approx(0.5)
    assert (rows["ben"].absence_streak, rows["cy"].attended) == (0, 2)
    assert (rows["di"].attendance_rate, rows["di"].absence_streak) == (None, 0)


def test_status_filter_and_name_order(vault: Vault, roster: Roster) -> None:
    active = query(vault, members.list_memberships, roster.group, ["active"])
    assert [r.full_name for r in active] == ["Ann Ash", "Cy Cedar", "Ed Elm"]


def test_figures_in_sql_match_the_python_figures_on_a_random_history(vault: Vault) -> None:
    """The SQL aggregate and `stats.figures` over the ordered records agree everywhere."""
    rng = random.Random(11)
    lead = ops_groups.create_clinician(vault, ClinicianSpec("Dr Lead", "leader")).value.id
    g = ops_groups.create_group(
        vault, GroupSpec("Big", "support", (lead,), target_size=12, max_size=12, min_size=1)
    ).value.id
    people = [
        ops_roster.create_member(vault, MemberSpec(f"Person {i}")).value.id for i in range(10)
    ]
    ms_ids = [
        ops_roster.add_membership(vault, p, g, "active", date(2024, 1, 1)).value.id for p in people
    ]
    statuses = ["present", "late", "absent_notice", "absent_no_notice", None, None]
    for n in range(25):
        m = ops_meetings.schedule_meeting(vault, g, START + timedelta(days=3 * n)).value.id
        rows = []
        for p in people:
            status = rng.choice(statuses)
            if status is not None:
                rows.append((p, status, 5 if status == "late" else None))
        ops_meetings.record_attendance_many(vault, m, rows)
    with vault.unit_of_work() as db:
        expected = {
            ms: stats.figures(s)
            for ms, s in stats.attendance_by_membership(db, ms_ids).items()
        }
        assert stats.figures_for_group(db, g) == expected
    assert any(f.streak >= 2 for f in expected.values())


def test_member_attendance_is_the_strip_since_first_joining(vault: Vault, roster: Roster) -> None:
    cells = query(vault, members.member_attendance, roster.group, roster.ids["cy"])
    assert [c.number for c in cells] == [5, 6, 7]
    assert [c.status for c in cells] == ["present", "late", None]  # 7: nothing recorded
    ann = query(vault, members.member_attendance, roster.group, roster.ids["ann"], limit=3)
    assert [(c.number, c.status) for c in ann] == [
        (5, "present"),
        (6, "absent_no_notice"),
        (7, "absent_no_notice"),
    ]
    assert ann[0].meeting_id == roster.meetings[4]
    assert query(vault, members.member_attendance, roster.group, roster.ids["di"]) == []


def test_member_attendance_refuses_unknown_ids_and_a_bad_limit(
    vault: Vault, roster: Roster
) -> None:
    for kwargs, name in (
        ({"group_id": 999_999}, "group_id"),
        ({"member_id": 999_999}, "member_id"),
        ({"limit": 0}, "limit"),
    ):
        args: dict[str, int] = {"group_id": roster.group, "member_id": roster.ids["ann"]}
        args.update(kwargs)
        with pytest.raises(InvalidInput) as err:
            query(vault, members.member_attendance, **args)
        assert err.value.field == name


def test_member_helpers_are_public(vault: Vault) -> None:
    m = Member()
    members.apply_spec(m, MemberSpec("  Zoë Ŝ  ", email="z@example.org"))
    assert m.full_name == "Zoë Ŝ"
    with pytest.raises(InvalidInput) as err:
        members.apply_spec(Member(), MemberSpec("X", email="not an address"))
    assert err.value.field == "email"
    snap = query(
        vault, members.get_member, ops_roster.create_member(vault, MemberSpec("Ann Ash")).value.id
    )
    assert snap.full_name == "Ann Ash" and members.initials("Ann Ash") == "A.A."
    assert callable(members.member_snapshot)


def test_the_roster_figures_read_the_marks_from_the_index_alone(
        vault: Vault, roster: Roster) -> None:
    """Each membership's attended/absent/streak figures come from the attendance index by
    membership, which holds the session and the status too (migration 0013): never a read
    of each mark's row, about 4,700 of them for ten years of a weekly group."""
    from sqlalchemy import text

    statement = stats._group_figures_statement().params(group_id=roster.group)
    with vault.unit_of_work() as db:
        sql = str(statement.compile(db.get_bind(), compile_kwargs={"literal_binds": True}))
        plan = [str(r[-1]) for r in db.execute(text(f"EXPLAIN QUERY PLAN {sql}"))]
    on_marks = [step for step in plan if "attendance" in step]
    assert on_marks and all("COVERING INDEX" in step for step in on_marks), plan
    assert _rows(vault, roster)["ann"].absence_streak == 2  # and the figures still add up
