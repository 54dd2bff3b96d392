"""The roster table model and its filter: columns, sorting, filtering, rates; Qt's checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt

from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.operations import roster as ops_roster
from groupleader.data.services import members
from groupleader.data.snapshots import ClinicianSpec, GroupSpec, MemberNoteFields, MemberSpec
from groupleader.data.vault import Vault
from groupleader.ui.roster.model import (
    COLUMN,
    SORT_ROLE,
    RosterFilter,
    RosterModel,
    make_entries,
)

TRICKY = "<b>Zoë & \"Q\"</b> 🌈"
HEBREW = "מרים כהן"
COMBINING = "Zoe\u0301 Nguye\u0302\u0303n"


@dataclass
class Roster:
    group_id: int
    ids: dict[str, int] = field(default_factory=dict)  # key -> member id
    ms: dict[str, int] = field(default_factory=dict)  # key -> membership id
    meetings: list[int] = field(default_factory=list)


def make_roster(vault: Vault, sessions: int = 4, today: date | None = None) -> Roster:
    """A small group: four active (attendance and one risk flag), one waitlisted, one left.

    Attendance, by session (1..4): ada P P P P; bea P A A A; cy P L (joined later: 2..4);
    tricky: nothing recorded. Ada's latest note is flagged for risk.
    """
    today = today or date.today()
    start = today - timedelta(days=7 * (sessions + 2))
    lead = ops_groups.create_clinician(vault, ClinicianSpec("Dr Rivera", "leader")).value
    g = ops_groups.create_group(vault, GroupSpec(
        "Tuesday group", "psychodynamic", (lead.id,), target_size=7, max_size=10,
        min_size=4)).value
    roster = Roster(g.id)
    people = {
        "ada": MemberSpec("Ada Lovelace", preferred_name="Ada", pronouns="she/her",
                          dob=date(1990, 12, 10), email="ada@example.org"),
        "bea": MemberSpec("Beatrix Potter", pronouns="she/her", phone="555-0101"),
        "cy": MemberSpec("Cyrus Vance", preferred_name="Cy"),
        "tricky": MemberSpec(TRICKY, preferred_name=HEBREW, pronouns="they/them"),
        "wait": MemberSpec(COMBINING),
        "gone": MemberSpec("Gordon Left"),
    }
    for key, spec in people.items():
        roster.ids[key] = ops_roster.create_member(vault, spec).value.id
    joined = {"ada": start, "bea": start, "tricky": start, "gone": start,
              "cy": start + timedelta(days=8)}
    for key, day in joined.items():
        roster.ms[key] = ops_roster.add_membership(
            vault, roster.ids[key], g.id, "active", day).value.id
    roster.ms["wait"] = ops_roster.add_membership(
        vault, roster.ids["wait"], g.id, "waitlist", start).value.id
    ops_roster.change_status(vault, roster.ms["gone"], "left", start + timedelta(days=1), "moved")
    marks = {"ada": "PPPP", "bea": "PAAA", "cy": "-PLP"}
    codes = {"P": "present", "A": "absent_no_notice", "L": "late"}
    for n in range(sessions):
        when = datetime.combine(start + timedelta(days=7 * (n + 1)), time(18, 0)).astimezone()
        m = ops_meetings.schedule_meeting(vault, g.id, starts_at=when).value
        ops_meetings.hold_meeting(vault, m.id)
        roster.meetings.append(m.id)
        for key, row in marks.items():
            code = row[n] if n < len(row) else "-"
            if code != "-":
                ops_meetings.record_attendance(vault, m.id, roster.ids[key], codes[code],
                                           minutes_late=10 if code == "L" else None)
    ops_notes.save_member_note(vault, roster.meetings[0], roster.ids["bea"],
                           MemberNoteFields(risk_flag=True))
    ops_notes.save_member_note(vault, roster.meetings[-1], roster.ids["ada"],
                           MemberNoteFields(risk_flag=True))
    ops_notes.save_member_note(vault, roster.meetings[-1], roster.ids["bea"],
                           MemberNoteFields(risk_flag=False))
    return roster


def filled_model(vault: Vault, roster: Roster) -> tuple[RosterModel, RosterFilter]:
    model = RosterModel()
    model.set_entries(make_entries(query(vault, members.list_memberships, roster.group_id)))
    proxy = RosterFilter()
    proxy.setSourceModel(model)
    return model, proxy


def column(proxy: RosterFilter, key: str) -> list[str]:
    return [proxy.index(r, COLUMN[key]).data() for r in range(proxy.rowCount())]


def row_by_name(model: RosterModel, full_name: str) -> dict[str, str]:
    for r in range(model.rowCount()):
        e = model.entry(r)
        if e.row.full_name == full_name:
            return {key: model.index(r, i).data() for key, i in COLUMN.items()}
    raise AssertionError("no such row")


@pytest.fixture
def roster(vault: Vault) -> Roster:
    return make_roster(vault)


def test_qt_model_tester_finds_no_fault(qtmodeltester, vault: Vault, roster: Roster) -> None:
    model: RosterModel = filled_model(vault, roster)[0]
    qtmodeltester.check(model)  # Qt's checks run again on every change below
    model.set_safe(True)  # pseudonyms: a reset
    model.set_safe(False)
    model.set_entries(make_entries(query(vault, members.list_memberships, roster.group_id)))
    model.clear()  # lock
    assert model.rowCount() == 0


def test_qt_model_tester_finds_no_fault_in_the_filter(
    qtmodeltester, vault: Vault, roster: Roster
) -> None:
    proxy: RosterFilter = filled_model(vault, roster)[1]
    qtmodeltester.check(proxy)  # Qt's checks run again on every change below
    proxy.sort(COLUMN["rate"], Qt.SortOrder.DescendingOrder)
    proxy.set_statuses({"active", "waitlist", "left"})  # rows come in
    proxy.set_name_filter("ada")  # and go
    assert column(proxy, "name") == ["Ada (Ada Lovelace)"]
    proxy.set_name_filter("")
    proxy.sort(COLUMN["name"], Qt.SortOrder.AscendingOrder)
    assert proxy.rowCount() == 6


def test_columns_show_names_rates_streaks_and_risk(vault: Vault, roster: Roster) -> None:
    model, _ = filled_model(vault, roster)
    ada = row_by_name(model, "Ada Lovelace")
    assert ada["name"] == "Ada (Ada Lovelace)"
    assert ada["pronouns"] == "she/her"
    assert ada["status"] == "Active"
    assert ada["attended"] == "4 / 4"
    assert ada["rate"] == "100%"
    assert ada["streak"] == "0"
    assert ada["risk"] == "⚠ Risk"  # the latest note is flagged
    bea = row_by_name(model, "Beatrix Potter")
    assert bea["name"] == "Beatrix Potter"  # no preferred name: the full one alone
    assert (bea["attended"], bea["rate"], bea["streak"]) == ("1 / 4", "25%", "3")
    assert bea["risk"] == ""  # an earlier flag, cleared in the latest note
    cy = row_by_name(model, "Cyrus Vance")
    assert cy["attended"] == "3 / 3"  # joined after the first session: three held since
    gone = row_by_name(model, "Gordon Left")
    assert gone["status"] == "Left" and gone["ended"] and gone["rate"] == "—"


def test_names_with_markup_emoji_rtl_and_combining_marks_are_shown_exactly(
    vault: Vault, roster: Roster
) -> None:
    model, _ = filled_model(vault, roster)
    assert row_by_name(model, TRICKY)["name"] == f"{HEBREW} ({TRICKY})"
    assert row_by_name(model, COMBINING)["name"] == COMBINING  # not recomposed


def test_default_filter_shows_active_and_waitlist_only(vault: Vault, roster: Roster) -> None:
    _, proxy = filled_model(vault, roster)
    assert proxy.rowCount() == 5
    assert "Gordon Left" not in column(proxy, "name")
    proxy.set_statuses({"left"})
    assert column(proxy, "name") == ["Gordon Left"]


def test_name_filter_matches_full_or_preferred_name_ignoring_case(
    vault: Vault, roster: Roster
) -> None:
    _, proxy = filled_model(vault, roster)
    proxy.set_name_filter("  LOVEL ")
    assert column(proxy, "name") == ["Ada (Ada Lovelace)"]
    proxy.set_name_filter("cy")
    assert column(proxy, "name") == ["Cy (Cyrus Vance)"]
    proxy.set_name_filter("כהן")
    assert column(proxy, "name") == [f"{HEBREW} ({TRICKY})"]
    proxy.set_name_filter("zoé")  # composed é finds the decomposed name
    assert column(proxy, "name") == [COMBINING]
    proxy.set_name_filter("")
    assert proxy.rowCount() == 5


def test_sorting_by_rate_puts_no_record_last_both_ways(vault: Vault, roster: Roster) -> None:
    _, proxy = filled_model(vault, roster)
    proxy.sort(COLUMN["rate"], Qt.SortOrder.AscendingOrder)
    assert column(proxy, "rate") == ["25%", "100%", "100%", "—", "—"]
    proxy.sort(COLUMN["rate"], Qt.SortOrder.DescendingOrder)
    assert column(proxy, "rate")[:3] == ["100%", "100%", "25%"]


def test_sorting_by_name_status_and_streak(vault: Vault, roster: Roster) -> None:
    _, proxy = filled_model(vault, roster)
    proxy.set_statuses({"active", "waitlist", "left"})
    proxy.sort(COLUMN["name"], Qt.SortOrder.AscendingOrder)
    names = column(proxy, "name")
    assert names[0] == "Ada (Ada Lovelace)" and names[1] == "Beatrix Potter"
    proxy.sort(COLUMN["status"], Qt.SortOrder.AscendingOrder)
    assert column(proxy, "status")[-2:] == ["Active", "Left"]
    assert column(proxy, "status")[0] == "Waitlist"
    proxy.sort(COLUMN["streak"], Qt.SortOrder.DescendingOrder)
    assert column(proxy, "streak")[0] == "3"


def test_sort_keys_are_comparable_for_every_column(vault: Vault, roster: Roster) -> None:
    model, _ = filled_model(vault, roster)
    for c in range(model.columnCount()):
        keys = [model.index(r, c).data(SORT_ROLE) for r in range(model.rowCount())]
        assert sorted(keys) is not None


def test_clear_empties_the_model(vault: Vault, roster: Roster) -> None:
    model, proxy = filled_model(vault, roster)
    model.clear()
    assert model.rowCount() == 0 and proxy.rowCount() == 0
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.data(QModelIndex()) is None
