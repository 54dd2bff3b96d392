"""The roster view: size line, lifecycle actions offering only allowed transitions, undo,
the detail pane, CSV import through the preview dialog, export, and locking."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from groupleader.data import roster_csv
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import query
from groupleader.data.operations import roster as ops_roster
from groupleader.data.services import members
from groupleader.data.snapshots import AttendanceMark, MemberSpec
from groupleader.data.vault import Vault
from groupleader.ui.context import AppContext
from groupleader.ui.roster import RosterView
from groupleader.ui.roster.import_dialog import ImportDialog
from groupleader.ui.roster.member_dialog import MemberDialog
from groupleader.ui.roster.status_dialog import StatusDialog
from groupleader.ui.settings import Settings
from tests.ui.test_roster_model import TRICKY, Roster, make_roster


@pytest.fixture
def roster(vault: Vault) -> Roster:
    return make_roster(vault)


@pytest.fixture
def view(qtbot: QtBot, vault: Vault, roster: Roster) -> RosterView:
    ctx = AppContext(Settings(path=vault.path.with_name("settings.ini")))
    ctx.vault = vault
    w = RosterView(ctx)
    qtbot.addWidget(w)
    w.resize(1200, 600)
    w.show()  # a hidden view only marks itself stale when data changes
    w.set_group(roster.group_id)
    return w


def driving(fill: Callable[[QDialog], None]) -> Callable[[QDialog], int]:
    """A stand-in for dialog.exec(): fill the dialog in, press its OK button."""

    def run(dialog: QDialog) -> int:
        fill(dialog)
        dialog.try_accept()  # type: ignore[attr-defined]
        return dialog.result()

    return run


def test_size_line_counts_active_waiting_and_warns_below_the_minimum(
    view: RosterView, vault: Vault, roster: Roster
) -> None:
    assert view.size_label.text() == "4 active · target 7 · max 10 · 1 waiting"
    assert not view.warning.isVisibleTo(view)
    view.ctx.run(lambda v: ops_roster.change_status(v, roster.ms["bea"], "left"))
    assert view.size_label.text() == "3 active · target 7 · max 10 · 1 waiting"
    assert view.warning.isVisibleTo(view)
    assert "Below the minimum viable size of 4" in view.warning.text()


def test_status_menu_offers_only_the_allowed_transitions(
    view: RosterView, roster: Roster
) -> None:
    def offered() -> set[str]:
        return {a.data() for a in view.status_menu.actions()}

    assert view.select_membership(roster.ms["ada"])
    assert offered() == {"graduated", "left", "transferred"}
    assert offered() == set(members.allowed_transitions("active"))
    assert not view.rejoin_button.isEnabled()
    assert view.select_membership(roster.ms["wait"])
    assert offered() == {"active", "left"}
    view.status_buttons["left"].setChecked(True)
    assert view.select_membership(roster.ms["gone"])
    assert offered() == set()
    assert not view.status_button.isEnabled()
    assert view.rejoin_button.isEnabled()


def test_graduating_through_the_view_keeps_the_farewell_note(
    view: RosterView, vault: Vault, roster: Roster
) -> None:
    seen: list[list[str]] = []

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, StatusDialog)
        seen.append(dialog.choices())
        dialog.farewell.setPlainText("Cards and a song.")

    view.exec_dialog = driving(fill)
    view.select_membership(roster.ms["ada"])
    view.change_status("graduated")
    assert seen == [["graduated", "left", "transferred"]]
    ms = query(vault, members.get_membership, roster.ms["ada"])
    assert ms.status == "graduated"
    assert ms.history[-1].reason == "Farewell note: Cards and a song."
    assert view.size_label.text().startswith("3 active")
    entry = view.current()  # kept in view: the Graduated filter was switched on
    assert entry is not None and entry.membership_id == roster.ms["ada"]
    assert view.status_buttons["graduated"].isChecked()


def test_rejoin_makes_a_new_membership_and_selects_it(
    view: RosterView, vault: Vault, roster: Roster
) -> None:
    view.status_buttons["left"].setChecked(True)
    view.select_membership(roster.ms["gone"])
    view.exec_dialog = driving(lambda d: d.choose("waitlist"))  # type: ignore[attr-defined]
    view.rejoin()
    entry = view.current()
    assert entry is not None and entry.member_id == roster.ids["gone"]
    assert entry.status == "waitlist" and entry.membership_id != roster.ms["gone"]


def test_edit_is_undone_and_redone(view: RosterView, vault: Vault, roster: Roster) -> None:
    view.select_membership(roster.ms["bea"])
    view.exec_dialog = driving(lambda d: d.preferred_name.setText("Bee"))  # type: ignore[attr-defined]
    view.edit_member()
    assert query(vault, members.get_member, roster.ids["bea"]).preferred_name == "Bee"
    assert view.current().name_text == "Bee (Beatrix Potter)"
    view.undo_action.trigger()
    assert query(vault, members.get_member, roster.ids["bea"]).preferred_name == ""
    assert view.current().name_text == "Beatrix Potter"
    view.redo_action.trigger()
    assert query(vault, members.get_member, roster.ids["bea"]).preferred_name == "Bee"


def test_starts_as_offers_waitlist_first_then_the_last_choice_made(
    view: RosterView, vault: Vault, roster: Roster
) -> None:
    offered: list[str] = []

    def fill_as(status: str, name: str) -> Callable[[QDialog], None]:
        def fill(dialog: QDialog) -> None:
            assert isinstance(dialog, MemberDialog) and dialog.status is not None
            offered.append(dialog.status.currentData())
            dialog.full_name.setText(name)
            dialog.status.setCurrentIndex(dialog.status.findData(status))
        return fill

    view.exec_dialog = driving(fill_as("active", "First Newcomer"))
    view.add_member()
    view.exec_dialog = driving(fill_as("active", "Second Newcomer"))
    view.add_member()
    view.exec_dialog = driving(fill_as("screening", "Third Newcomer"))
    view.add_member()
    assert offered == ["waitlist", "active", "active"]
    view.exec_dialog = driving(lambda d: offered.append(d.status.currentData()))  # type: ignore
    view.add_member()  # no name: refused, nothing added
    assert offered[-1] == "screening"


def test_ctrl_z_undoes_adding_a_member(
    qtbot: QtBot, view: RosterView, vault: Vault, roster: Roster
) -> None:
    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, MemberDialog)
        dialog.full_name.setText(TRICKY)
        dialog.status.setCurrentIndex(dialog.status.findData("waitlist"))

    view.exec_dialog = driving(fill)
    before = len(query(vault, members.list_members))
    view.add_member()
    assert len(query(vault, members.list_members)) == before + 1
    assert view.current() is not None and view.current().row.full_name == TRICKY
    with qtbot.waitActive(view):
        view.show()
        view.activateWindow()
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(query(vault, members.list_members)) == before
    qtbot.keyClick(view.table, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    names = [m.full_name for m in query(vault, members.list_members)]
    assert names.count(TRICKY) == 2  # row + seed


def test_archive_is_undone(view: RosterView, vault: Vault, roster: Roster) -> None:
    view.select_membership(roster.ms["cy"])
    view.toggle_archive()
    assert query(vault, members.get_member, roster.ids["cy"]).archived
    assert view.current().text("status") == "Active · archived"
    assert view.archive_button.text() == "Restore"
    view.undo_action.trigger()
    assert not query(vault, members.get_member, roster.ids["cy"]).archived


def test_a_refused_add_shows_beside_the_field_and_leaves_no_member(
    view: RosterView, vault: Vault, roster: Roster
) -> None:
    messages: list[str] = []

    def fill(dialog: QDialog) -> None:
        dialog.full_name.setText("Dee")  # type: ignore[attr-defined]
        dialog.email.setText("not an email")  # type: ignore[attr-defined]

    def run(dialog: QDialog) -> int:
        fill(dialog)
        dialog.try_accept()  # type: ignore[attr-defined]
        messages.append(dialog.errors["email"].text())  # type: ignore[attr-defined]
        return dialog.result()

    before = len(query(vault, members.list_members))
    view.exec_dialog = run
    view.add_member()
    assert messages == ["Enter an email address like name@example.org."]
    assert len(query(vault, members.list_members)) == before
    assert view.undo_stack().count() == 0


def test_detail_pane_shows_contact_history_and_attendance_strip(
    view: RosterView, roster: Roster
) -> None:
    view.select_membership(roster.ms["bea"])
    d = view.detail
    assert d.name.text() == "Beatrix Potter"
    assert d.phone.text() == "555-0101"
    assert [c.status for c in d.strip.cells] == [
        "present",
        "absent_no_notice",
        "absent_no_notice",
        "absent_no_notice",
    ]
    assert [c.meeting_id for c in d.strip.cells] == roster.meetings  # oldest first
    assert all(isinstance(c, AttendanceMark) for c in d.strip.cells)
    assert "Tuesday group" in d.history.text() and "Active" in d.history.text()
    view.select_membership(roster.ms["tricky"])
    assert d.subtitle.text().startswith(TRICKY)  # shown as typed, markup and all
    assert d.subtitle.textFormat() == Qt.TextFormat.PlainText


def test_attendance_changes_elsewhere_refresh_the_table(
    view: RosterView, vault: Vault, roster: Roster
) -> None:

    view.ctx.run(lambda v: ops_meetings.record_attendance(  # as the Sessions view does
        v, roster.meetings[-1], roster.ids["cy"], "absent_notice"))
    view.select_membership(roster.ms["cy"])
    assert view.current().text("streak") == "1"


def test_import_dialog_previews_refuses_bad_rows_then_imports_the_rest(
    qtbot: QtBot, view: RosterView, vault: Vault, roster: Roster, tmp_path: Path
) -> None:
    f = tmp_path / "in.csv"
    f.write_text(
        "Name;Status;DOB\nNew Person;waitlist;\nBad Date;active;32.01.2000\n"
        "Ada Lovelace;active;10.12.1990\n",
        encoding="utf-8-sig",
    )
    dialog = ImportDialog(view.ctx, roster.group_id, f, view)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.parsed is not None, timeout=10_000)
    assert dialog.model.rowCount() == 3
    checks = [dialog.model.index(r, 2).data() for r in range(3)]
    assert dialog.model.index(1, 1).data() == "Bad Date · active · 32.01.2000"
    assert checks[0] == "New member"
    assert checks[1].startswith("Problem: Date of birth")
    assert checks[2].startswith("Already in the vault as Ada Lovelace")
    assert not dialog.import_button.isEnabled()  # all or nothing while a row is bad
    dialog.problems_only.setChecked(True)
    assert dialog.proxy.rowCount() == 2
    dialog.skip_bad.setChecked(True)
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(view.ctx.changed, timeout=10_000):
        dialog.import_button.click()
    assert dialog.imported is not None
    assert (dialog.imported.created, dialog.imported.merged, dialog.imported.skipped) == (1, 0, 2)
    # QDialog.result() is not hidden by an attribute: it is the accept code
    assert dialog.result() == QDialog.DialogCode.Accepted
    names = [e.row.full_name for e in view.model.entries()]
    assert "New Person" in names and names.count("Ada Lovelace") == 1


def test_import_dialog_shows_a_clear_answer_for_a_binary_file(
    qtbot: QtBot, view: RosterView, roster: Roster, tmp_path: Path
) -> None:
    f = tmp_path / "sheet.xlsx"
    f.write_bytes(b"PK\x03\x04\x00\x00binary")
    dialog = ImportDialog(view.ctx, roster.group_id, f, view)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.message.isVisibleTo(dialog), timeout=10_000)
    assert "not a CSV text file" in dialog.message.text()
    assert not dialog.import_button.isEnabled()


def test_export_writes_the_roster_without_notes(
    view: RosterView, vault: Vault, roster: Roster, tmp_path: Path
) -> None:
    out = tmp_path / "roster.csv"
    view.export_csv(out)
    text = out.read_text("utf-8-sig")
    assert text.splitlines()[0] == (
        "Full name,Preferred name,Pronouns,Date of birth,Phone,"
        "Email,Emergency contact,Status,Joined,Ended,Also written as"
    )
    assert TRICKY.replace('"', '""') in text
    parsed = roster_csv.parse_roster(out.read_bytes())
    assert len(parsed.rows) == 6 and parsed.bad == ()


def test_clear_clinical_drops_rows_details_and_undo_history(
    view: RosterView, vault: Vault, roster: Roster
) -> None:
    view.select_membership(roster.ms["bea"])
    view.exec_dialog = driving(lambda d: d.pronouns.setText("she"))  # type: ignore[attr-defined]
    view.edit_member()
    assert view.undo_stack().count() == 1
    view.clear_clinical()
    assert view.model.rowCount() == 0
    assert view.detail.name.text() == "" and view.detail.member_id is None
    assert view.undo_stack().count() == 0
    assert view.size_label.text() == ""


def test_no_group_shows_the_empty_state(view: RosterView) -> None:
    view.set_group(None)
    assert view.stack.currentWidget() is view.empty
    assert view.model.rowCount() == 0


def test_add_member_keeps_membership_and_member_consistent_when_group_is_full(
    view: RosterView, vault: Vault, roster: Roster
) -> None:
    for i in range(6):  # fill the group to its maximum of 10
        m = ops_roster.create_member(vault, MemberSpec(f"Filler {i}")).value
        ops_roster.add_membership(vault, m.id, roster.group_id, "active")
    errors: list[str] = []

    def run(dialog: QDialog) -> int:
        dialog.full_name.setText("One Too Many")  # type: ignore[attr-defined]
        dialog.status.setCurrentIndex(dialog.status.findData("active"))  # type: ignore[attr-defined]
        dialog.try_accept()  # type: ignore[attr-defined]
        errors.append(dialog.errors["status"].text())  # type: ignore[attr-defined]
        return dialog.result()

    view.exec_dialog = run
    view.add_member()
    assert errors and errors[0].startswith("The group is full")
    assert "One Too Many" not in [m.full_name for m in query(vault, members.list_members)]


def test_the_attendance_strip_wraps_in_a_narrow_detail_pane(qtbot) -> None:
    """Sixteen sessions in a 240 px pane take two rows instead of widening the pane."""
    from datetime import UTC, datetime

    from groupleader.data.snapshots import AttendanceMark
    from groupleader.ui.roster.detail import CELL, GAP, AttendanceStrip

    strip = AttendanceStrip()
    qtbot.addWidget(strip)
    start = datetime(2025, 1, 1, 18, tzinfo=UTC)
    strip.set_cells([AttendanceMark(i, i + 1, start, "present") for i in range(16)])
    assert strip.minimumSizeHint().width() < 240
    one_row = CELL + 2
    assert strip.heightForWidth(16 * (CELL + GAP) + 2) == one_row
    assert strip.heightForWidth(240) > one_row
    strip.resize(240, strip.heightForWidth(240))
    assert strip.cell_rect(15).right() <= 240
    assert strip.cell_rect(15).top() > strip.cell_rect(0).top()
