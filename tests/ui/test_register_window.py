"""The register in the window (issue 16): ticking the risk concern opens the risk entry
dialog; the entry then shows in later sessions (note header) and on the roster until it
is closed from the "Risk & incidents" panel, which asks for the closing note; overdue is
flagged; an incident names two members; the attendance row's More… keeps left early and
the follow-up of an absence; a signed session offers none of it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog

from groupleader import register_vocab
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.operations import register as ops
from groupleader.data.register_snapshots import RiskEntrySpec
from groupleader.data.services import agreement, meetings, risk
from groupleader.data.snapshots import GroupNoteFields
from groupleader.ui.register import panel as panel_mod
from groupleader.ui.register.dialogs import (
    IncidentDialog,
    ReviewDialog,
    RiskEntryDialog,
)
from groupleader.ui.register.panel import RegisterPanel
from groupleader.ui.roster.member_dialog import qdate
from groupleader.ui.roster.model import COLUMN
from groupleader.ui.roster.view import RosterView
from groupleader.ui.sessions import SessionsView
from groupleader.ui.sessions import attendance as attendance_mod
from groupleader.ui.sessions.attendance_details import AttendanceDetailsDialog
from tests.conftest import PIN
from tests.ui.sessions_support import World, build, context


class Dialogs:
    """Answers the modal dialogs: a handler per dialog type, each recorded when shown."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.handlers: dict[type, Any] = {}
        self.shown: list[QDialog] = []
        for module in (panel_mod, attendance_mod):
            monkeypatch.setattr(module, "run_dialog", self.run)

    def run(self, dialog: QDialog) -> int:
        self.shown.append(dialog)
        handler = self.handlers.get(type(dialog))
        if handler is not None:
            handler(dialog)
        return int(dialog.result())


def _sessions_view(qtbot: Any, vault: Any, world: World) -> SessionsView:
    view = SessionsView(context(vault, world.leader_id))
    qtbot.addWidget(view)
    view.show()
    view.set_group(world.group_id)
    return view


def _held(vault: Any, world: World) -> list[int]:
    ids = [m.id for m in query(vault, meetings.list_meetings, world.group_id)]
    for m in ids:
        ops_meetings.take_attendance(vault, m, [(i, "present", None) for i in world.member_ids])
    return ids


def _fill_entry(dialog: RiskEntryDialog) -> None:
    dialog.observed.setPlainText("Said she wonders what the point is")
    dialog.action.setPlainText("Safety plan; GP informed")
    dialog.try_accept()


def test_ticking_the_concern_opens_an_entry_shown_in_later_sessions_and_on_the_roster(
    qtbot: Any, vault: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build(vault, sessions=3)
    s1, s2, s3 = _held(vault, world)
    ada = world.member_ids[0]
    dialogs = Dialogs(monkeypatch)
    dialogs.handlers[RiskEntryDialog] = _fill_entry
    view = _sessions_view(qtbot, vault, world)
    assert view.select_meeting(s1)
    editor = view.member_notes.editor(ada)
    assert editor is not None
    editor.risk_flag.click()  # the user ticks "Risk concern for this member"
    assert [type(d) for d in dialogs.shown] == [RiskEntryDialog]
    [entry] = query(vault, risk.member_entries, ada)
    assert entry.meeting_id == s1 and entry.observed.startswith("Said she")
    assert entry.review_by == entry.opened_on + timedelta(days=7)  # the default: a week
    since = register_vocab.short_date(entry.opened_on)
    for later in (s2, s3):
        assert view.select_meeting(later)
        header = view.member_notes.editor(ada)
        assert header is not None and not header.risk_banner.isHidden()
        assert f"open since {since}" in header.risk_banner.text()
        other = view.member_notes.editor(world.member_ids[1])
        assert other is not None and other.risk_banner.isHidden()
    roster = RosterView(context(vault, world.leader_id))
    qtbot.addWidget(roster)
    roster.show()
    roster.set_group(world.group_id)
    risk_col = {roster.model.entry(r).member_id: roster.model.index(r, COLUMN["risk"]).data()
                for r in range(roster.model.rowCount())}
    assert f"open since {since}, review by" in risk_col[ada]
    assert risk_col[world.member_ids[1]] == ""
    # closed from the panel (with its note): gone from the roster and later notes
    ops.close_risk_entry(vault, entry.id, entry.opened_on + timedelta(days=1), "Resolved")
    roster.reload()
    row = next(r for r in range(roster.model.rowCount()) if roster.model.entry(r).member_id == ada)
    assert roster.model.index(row, COLUMN["risk"]).data() == ""
    assert view.select_meeting(s3)
    view.register.refresh()
    header = view.member_notes.editor(ada)
    assert header is not None and header.risk_banner.isHidden()


def _panel(qtbot: Any, vault: Any, world: World, meeting_id: int | None = None
           ) -> RegisterPanel:
    panel = RegisterPanel(context(vault, world.leader_id), world.group_id, meeting_id)
    qtbot.addWidget(panel)
    return panel


def test_closing_asks_for_the_note_and_refuses_without_one(
    qtbot: Any, vault: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build(vault)
    _held(vault, world)
    ops.open_risk_entry(vault, world.meeting_id, world.member_ids[0],
                        RiskEntrySpec("self_harm", "moderate", "Passive ideation"))
    dialogs = Dialogs(monkeypatch)
    errors: list[str] = []

    def empty_then_written(d: ReviewDialog) -> None:
        assert d.closing and d.form.indexOf(d.next_review) == -1
        d.try_accept()  # no closing note
        errors.append(d.error.text())
        assert d.result() != QDialog.DialogCode.Accepted
        d.note.setPlainText("Seen by GP; no thoughts of harm for two weeks")
        d.try_accept()

    dialogs.handlers[ReviewDialog] = empty_then_written
    panel = _panel(qtbot, vault, world)
    assert panel.risk_model.rowCount() == 1
    assert panel.review(closing=True)
    assert errors and "closing note" in errors[0]
    [entry] = query(vault, risk.member_entries, world.member_ids[0])
    assert not entry.is_open and entry.closing_note.startswith("Seen by GP")
    assert panel.risk_model.rowCount() == 0  # open first; closed ones only when asked
    panel.show_closed.setChecked(True)
    assert panel.risk_model.rowCount() == 1


def test_overdue_entries_are_flagged_first_in_the_panel(qtbot: Any, vault: Any) -> None:
    world = build(vault, sessions=3)
    s1, _, s3 = _held(vault, world)
    ops.open_risk_entry(vault, s3, world.member_ids[1],
                        RiskEntrySpec("medical", "low", "Drowsy"))
    late = ops.open_risk_entry(vault, s1, world.member_ids[0], RiskEntrySpec(
        "substance_use", "moderate", "Drinking")).value  # review by 14 days ago + 7
    panel = _panel(qtbot, vault, world)
    first = panel.risk_model.table_rows[0]
    assert first.id == late.id and first.overdue(panel.today)
    status = panel.risk_model.index(0, 4)
    assert status.data().startswith("⚠") and "overdue" in status.data()
    assert status.data(9) is not None  # ForegroundRole: red
    assert panel.risk_model.index(1, 4).data(9) is None
    assert "1 overdue" in panel.counts.text()


def test_an_incident_from_the_panel_names_the_rule_and_both_members(
    qtbot: Any, vault: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build(vault)
    _held(vault, world)
    ada, ben = world.member_ids[:2]
    rule = next(r for r in query(vault, agreement.list_rules, world.group_id)
                if "relationship" in r.title.lower())
    dialogs = Dialogs(monkeypatch)

    def fill(d: IncidentDialog) -> None:
        d.choose_rule(rule.id)
        d.check([ada, ben])
        d.what.setPlainText("Disclosed they are seeing each other")
        d.worked.setPlainText("Explored in the group")
        d.try_accept()

    dialogs.handlers[IncidentDialog] = fill
    panel = _panel(qtbot, vault, world, world.meeting_id)
    assert panel.new_incident()
    for member_id in (ada, ben):
        [incident] = query(vault, agreement.member_incidents, member_id)
        assert incident.rule_id == rule.id and set(incident.member_ids) == {ada, ben}
    assert panel.incident_model.rowCount() == 1
    assert "Ada Brook" in panel.incident_model.index(0, 2).data()
    # in each member's history in the roster's detail pane, not in a third member's
    roster = RosterView(context(vault, world.leader_id))
    qtbot.addWidget(roster)
    roster.show()
    roster.set_group(world.group_id)
    for member_id, involved in ((ada, True), (ben, True), (world.member_ids[2], False)):
        ms = next(e.membership_id for e in roster.model.entries() if e.member_id == member_id)
        assert roster.select_membership(ms)
        assert (rule.title in roster.detail.register.text()) is involved
        assert roster.detail.register.isVisibleTo(roster) is involved


def test_attendance_more_keeps_left_early_and_the_contact_after_an_absence(
    qtbot: Any, vault: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build(vault)
    ada, ben = world.member_ids[:2]
    view = _sessions_view(qtbot, vault, world)
    page = view.attendance
    page.record(ada, "present")
    page.record(ben, "absent_no_notice")
    dialogs = Dialogs(monkeypatch)

    def fill(d: AttendanceDetailsDialog) -> None:
        if d.came:
            d.left_early.setChecked(True)
            d.left_minutes.setValue(25)
        else:
            d.reason.setText("Unwell")
            d.contacted.setChecked(True)
            d.contact_note.setText("Phoned; back next week")
        d.try_accept()

    dialogs.handlers[AttendanceDetailsDialog] = fill
    assert page.edit_details(ada) and page.edit_details(ben)
    rows = {r.member_id: r for r in query(vault, meetings.attendance_for, world.meeting_id)}
    assert rows[ada].minutes_left_early == 25
    assert rows[ben].contacted and rows[ben].contacted_on is not None
    assert (rows[ben].absence_reason, rows[ben].contact_note) == ("Unwell",
                                                                   "Phoned; back next week")
    assert "left 25 min early" in page._rows[ada].more.toolTip()
    assert "contacted" in page._rows[ben].more.toolTip()


def test_a_signed_session_offers_no_register_change(
    qtbot: Any, vault: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build(vault)
    _held(vault, world)
    ada = world.member_ids[0]
    note = ops_notes.save_group_note(vault, world.meeting_id, GroupNoteFields(themes="x")).value
    ops_notes.sign_note(vault, "group", note.id, world.leader_id, pin=PIN)
    dialogs = Dialogs(monkeypatch)
    view = _sessions_view(qtbot, vault, world)
    assert view.select_meeting(world.meeting_id)
    assert not view.register.open_entry(ada)
    assert not view.attendance._rows[ada].more.isEnabled()
    assert not view.attendance.edit_details(ada)
    panel = _panel(qtbot, vault, world, world.meeting_id)
    assert not panel.new_incident()
    assert "signed" in panel.error.text()
    assert dialogs.shown == []
    assert query(vault, risk.member_entries, ada) == []


def test_an_entry_is_corrected_only_while_its_session_is_unsigned(
    qtbot: Any, vault: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build(vault)
    _held(vault, world)
    ops.open_risk_entry(vault, world.meeting_id, world.member_ids[0],
                        RiskEntrySpec("medical", "low", "Drowsy"))
    dialogs = Dialogs(monkeypatch)

    def correct(d: RiskEntryDialog) -> None:
        d.level.setCurrentIndex(d.level.findData("high"))
        d.try_accept()

    dialogs.handlers[RiskEntryDialog] = correct
    panel = _panel(qtbot, vault, world, world.meeting_id)
    assert panel.edit_entry_button.isEnabled() and panel.edit_entry()
    [entry] = query(vault, risk.member_entries, world.member_ids[0])
    assert entry.level == "high"
    note = ops_notes.save_group_note(vault, world.meeting_id, GroupNoteFields(themes="x")).value
    ops_notes.sign_note(vault, "group", note.id, world.leader_id, pin=PIN)
    panel.refresh()
    assert not panel.edit_entry_button.isEnabled() and not panel.edit_entry()
    assert panel.review_button.isEnabled()  # a later review is a new row


def test_the_panels_tables_pass_the_model_tester(
    qtbot: Any, vault: Any, qtmodeltester: Any
) -> None:
    """The panel's `_Table` models (risk entries, incidents), filled and empty."""
    world = build(vault)
    _held(vault, world)
    ops.open_risk_entry(vault, world.meeting_id, world.member_ids[0],
                        RiskEntrySpec("medical", "low", "Drowsy"))
    panel = _panel(qtbot, vault, world, world.meeting_id)
    for model in (panel.risk_model, panel.incident_model):
        assert isinstance(model, panel_mod._Table)
        qtmodeltester.check(model)
    assert panel.risk_model.rowCount() == 1 and panel.incident_model.rowCount() == 0


def test_close_and_review_dated_before_a_signed_session_say_which_date_to_go_after(
    qtbot: Any, vault: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dialogs pass the chosen date through; a date on or before a signed session that
    showed the entry is refused in the dialog, which stays open, naming the date."""
    world = build(vault, sessions=3)
    s1, s2, _ = _held(vault, world)
    first, second = (ops.open_risk_entry(vault, s1, member, RiskEntrySpec(
        "self_harm", "moderate", "Passive ideation")).value.id for member in world.member_ids[:2])
    note = ops_notes.save_group_note(vault, s2, GroupNoteFields(themes="x")).value
    ops_notes.sign_note(vault, "group", note.id, world.leader_id, pin=PIN)
    day2 = query(vault, meetings.get_meeting, s2).starts_at.astimezone().date()
    said = (f"after {day2.day} {day2:%b %Y}: session 2 is signed and showed this entry "
            "open")
    dialogs = Dialogs(monkeypatch)
    errors: list[str] = []

    def backdated_then_after(d: ReviewDialog) -> None:
        d.note.setPlainText("Seen by GP; settled")
        d.on_date.setDate(qdate(day2 - timedelta(days=1)))
        d.try_accept()
        errors.append(d.error.text())
        assert d.result() != QDialog.DialogCode.Accepted and d.error.isVisibleTo(d)
        d.on_date.setDate(qdate(day2 + timedelta(days=1)))
        d.try_accept()

    dialogs.handlers[ReviewDialog] = backdated_then_after
    panel = _panel(qtbot, vault, world)
    assert panel.current_entry().id == first  # type: ignore[union-attr]
    assert panel.review(closing=True)
    assert panel.current_entry().id == second  # type: ignore[union-attr]
    assert panel.review(closing=False)
    assert len(errors) == 2 and all(said in e for e in errors), errors
    assert errors[0].startswith("Date the closing note after")
    assert errors[1].startswith("Date the review after")
    after = day2 + timedelta(days=1)
    assert query(vault, risk.get_entry, first).closed_on == after
    assert [r.on_date for r in query(vault, risk.get_entry, second).reviews] == [after]
