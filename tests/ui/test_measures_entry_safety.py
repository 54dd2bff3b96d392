"""Typed answers belong to the member and session they were typed for: a change of member
or session asks (save for that member, go back, discard) and then shows the new member's
stored form; Return replacing a stored form asks first and goes on to the next member due;
Lock saves a finished form and refuses (with an offer) over a half-typed one; the item
entry takes only the keys 0-9; "Total only" takes whole numbers in range only. All through
the real Measures view (and the whole main window for the lock)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from groupleader.data.operations import measures as ops
from groupleader.data.operations import query
from groupleader.data.services import measures, meetings, risk
from groupleader.data.vault import Vault
from groupleader.measures import registry
from groupleader.ui import unsaved
from groupleader.ui.measures.entry import ItemEntry
from groupleader.ui.measures.view import MeasuresView
from tests.conftest import open_vault
from tests.ui.conftest import Messages
from tests.ui.seating_support import World, build_world
from tests.ui.shell_support import unlock_with, unlocked_window, visible_texts
from tests.ui.test_measures_view import make_view


def _type(qtbot: QtBot, view: MeasuresView, keys: str) -> None:
    assert view.entry.items is not None
    for ch in keys:
        qtbot.keyClick(view.entry.items, ch)


def _phq9_view(qtbot: QtBot, vault: Vault, world: World) -> MeasuresView:
    ops.set_group_instruments(vault, world.group_id, [("phq9", "every_session")])
    view = make_view(qtbot, vault, world)
    view._due_chosen(view.due.item(0))
    return view


Stored = list[tuple[int, tuple[int | None, ...] | None]]


def _stored(vault: Vault, meeting_id: int | None) -> Stored:
    assert meeting_id is not None
    return [(s.member_id, s.answers)
            for s in query(vault, measures.scores_for_meeting, meeting_id)]


def test_a_member_switch_never_files_the_answers_under_the_new_member(
        qtbot: QtBot, vault: Vault, world: World, messages: Messages) -> None:
    view = _phq9_view(qtbot, vault, world)
    a, mid = view.member_id(), view.meeting_id()
    _type(qtbot, view, "333333333")
    view.member.setFocus()
    messages.choices = ["discard"]
    qtbot.keyClick(view.member, Qt.Key.Key_Down)  # the next member in the box
    b = view.member_id()
    assert a != b and messages.shown and messages.shown[-1][0] == "choice"
    assert view.entry.items is not None and view.entry.items.answers == [None] * 9
    qtbot.keyClick(view.entry.items, Qt.Key.Key_Return)
    assert _stored(vault, mid) == []
    assert query(vault, risk.entries_for_meeting, mid) == []


def test_back_to_the_member_keeps_the_answers_and_save_files_them_for_that_member(
        qtbot: QtBot, vault: Vault, world: World, messages: Messages) -> None:
    view = _phq9_view(qtbot, vault, world)
    a, mid = view.member_id(), view.meeting_id()
    _type(qtbot, view, "333333333")
    view._due_chosen(view.due.item(1))  # the safe answer: back to A, answers kept
    assert view.member_id() == a
    assert view.entry.items is not None and view.entry.items.answers == [3] * 9
    messages.choices = ["save"]
    view._due_chosen(view.due.item(1))  # now: save them for A, then go on to B
    assert view.member_id() != a
    assert _stored(vault, mid) == [(a, (3,) * 9)]
    [entry] = query(vault, risk.entries_for_meeting, mid)
    assert entry.member_id == a


def test_a_session_switch_never_moves_the_answers_to_the_other_session(
        qtbot: QtBot, vault: Vault, world: World, messages: Messages) -> None:
    view = _phq9_view(qtbot, vault, world)
    m1 = view.meeting_id()
    _type(qtbot, view, "3333")
    view.session.setCurrentIndex(1)  # refused: the half-typed form stays with its session
    assert view.meeting_id() == m1
    messages.choices = ["discard"]
    view.session.setCurrentIndex(1)
    m2 = view.meeting_id()
    assert m2 != m1 and view.entry.items is not None
    assert view.entry.items.answers == [None] * 9
    view.save_form()
    assert _stored(vault, m1) == [] and _stored(vault, m2) == []


def test_a_stored_form_is_shown_replacing_it_asks_and_return_goes_to_the_next_due(
        qtbot: QtBot, vault: Vault, world: World, messages: Messages) -> None:
    view = _phq9_view(qtbot, vault, world)
    a, mid = view.member_id(), view.meeting_id()
    _type(qtbot, view, "000000003")
    qtbot.keyClick(view.entry.items, Qt.Key.Key_Return)
    assert view.member_id() != a and "Next:" in view.message.text()  # moved on
    view._due_chosen(view.due.item(0))  # back to A: the stored form is shown
    assert view.entry.items is not None and view.entry.items.answers == [0] * 8 + [3]
    view.entry.reset()
    _type(qtbot, view, "111111110")
    qtbot.keyClick(view.entry.items, Qt.Key.Key_Return)  # asks; the safe answer keeps it
    assert messages.shown[-1][1] == "Replace the stored form?"
    assert _stored(vault, mid) == [(a, (0,) * 8 + (3,))]
    messages.choices = ["replace"]
    qtbot.keyClick(view.entry.items, Qt.Key.Key_Return)
    assert _stored(vault, mid) == [(a, (1,) * 8 + (0,))]


def _measures_window(qtbot: QtBot, make_window, vault_file):  # type: ignore[no-untyped-def]
    v = open_vault(vault_file)
    world = build_world(v)
    ops.set_group_instruments(v, world.group_id, [("phq9", "every_session")])
    v.close()
    window = unlocked_window(qtbot, make_window, vault_file)
    assert window.workspace.sidebar.select_group(world.group_id)
    tabs = window.workspace.tabs
    idx = next(i for i in range(tabs.count()) if tabs.tabText(i).replace("&", "") == "Measures")
    tabs.setCurrentIndex(idx)
    view = tabs.widget(idx)
    assert isinstance(view, MeasuresView)
    view._due_chosen(view.due.item(0))
    return window, view


def test_lock_saves_a_finished_form_for_its_member(
        qtbot: QtBot, make_window, vault_file, messages: Messages) -> None:  # type: ignore[no-untyped-def]
    window, view = _measures_window(qtbot, make_window, vault_file)
    member, mid = view.member_id(), view.meeting_id()
    _type(qtbot, view, "111111112")
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked and not window.holding
    unlock_with(qtbot, window)
    assert _stored(window.ctx.require_vault(), mid) == [(member, (1,) * 8 + (2,))]
    [entry] = query(window.ctx.require_vault(), risk.entries_for_meeting, mid)
    assert entry.member_id == member


def test_lock_over_a_half_typed_form_asks_and_the_idle_lock_keeps_it(
        qtbot: QtBot, make_window, vault_file, messages: Messages) -> None:  # type: ignore[no-untyped-def]
    window, view = _measures_window(qtbot, make_window, vault_file)
    mid = view.meeting_id()
    _type(qtbot, view, "1111")
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not window.locked  # the safe answer: stay open, the answers where they were
    assert messages.offered[-1] == ["retry", "keep", "stay"]
    assert "partly typed (4 of 9 items)" in messages.shown[-1][2]
    assert view.entry.items is not None and view.entry.items.answers[:4] == [1] * 4
    assert window.auto_lock() and window.holding  # nobody to ask: kept, not dropped
    assert unsaved.HELD_FORM in visible_texts(window.unlock_page)  # and says so
    unlock_with(qtbot, window)
    assert view.entry.items is not None and view.entry.items.answers[:4] == [1] * 4
    assert _stored(window.ctx.require_vault(), mid) == []


def test_only_the_keys_0_to_9_answer_an_item(qtbot: QtBot) -> None:
    items = ItemEntry(registry.instrument("phq9"))
    qtbot.addWidget(items)
    for text in ("²", "٣", "³", "½"):
        event = QKeyEvent(QKeyEvent.Type.KeyPress, Qt.Key.Key_unknown,
                          Qt.KeyboardModifier.NoModifier, text)
        QApplication.postEvent(items, event)
    QApplication.processEvents()
    assert items.answers == [None] * 9 and not any(items.touched)
    qtbot.keyClick(items, "2")
    assert items.answers[0] == 2


def test_total_only_takes_whole_numbers_in_range(
        qtbot: QtBot, vault: Vault, world: World) -> None:
    view = _phq9_view(qtbot, vault, world)
    mid = view.meeting_id()
    view.entry.total_only.setChecked(True)
    for text in ("13.5", "1e1", "2_0", "28", "-1", "٣"):
        view.entry.total_edit.setText(text)
        view.save_form()
        assert "whole number" in view.message.text() or "0 to 27" in view.message.text()
    assert _stored(vault, mid) == []
    view.entry.total_edit.setText("13")
    view.save_form()
    [score] = query(vault, measures.scores_for_meeting, mid)
    assert score.answers is None and score.values["total"] == 13


def test_a_blank_risk_item_is_named_in_the_entry_and_the_saved_message(
        qtbot: QtBot, vault: Vault, world: World) -> None:
    view = _phq9_view(qtbot, vault, world)
    mid = view.meeting_id()
    _type(qtbot, view, "3333333  ")  # items 8 and 9 left blank: prorated
    assert "prorated" in view.entry.summary.text()
    assert "Risk item 9 not answered" in view.entry.summary.text()
    view.save_form()
    assert "Risk item 9 not answered" in view.message.text()
    [score] = query(vault, measures.scores_for_meeting, mid)
    assert score.status == "prorated" and query(vault, risk.entries_for_meeting, mid) == []
    view._due_chosen(view.due.item(0))  # the member's trend flags the form, as the entry
    assert "Risk item 9 not answered" in view.entry.summary.text()
    [chart] = view.member_trends.charts
    assert "Risk item not answered" in {s.name() for s in chart.chart().series()}


def _csv_members(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return [r[0] for r in csv.reader(f)]


def test_the_scores_csv_offers_pseudonyms_and_uses_only_them_when_screen_share_safe(
        qtbot: QtBot, vault: Vault, world: World, messages: Messages, tmp_path: Path) -> None:
    view = _phq9_view(qtbot, vault, world)
    _type(qtbot, view, "111111110")
    view.save_form()
    names = {p.member_id: (p.display_name, p.full_name, p.pseudonym) for p in query(
        vault, meetings.eligible_members, view.meeting_id())}
    first = names[query(vault, measures.scores_for_meeting, view.meeting_id())[0].member_id]
    out = tmp_path / "scores.csv"
    view.export_csv(out)  # the safe answer: cancel, nothing written
    assert not out.exists()
    assert messages.offered[-1] == ["pseudonyms", "names", "cancel"]
    messages.choices = ["pseudonyms"]
    view.export_csv(out)
    assert _csv_members(out) == ["member (pseudonym)", first[2]]
    messages.choices = ["names"]
    view.export_csv(out)
    assert _csv_members(out)[1] == first[1]
    view.ctx.settings.screen_share_safe = True
    asked = len(messages.offered)
    view.export_csv(out)  # not asked: pseudonyms only
    assert len(messages.offered) == asked and _csv_members(out)[1] == first[2]


def test_lock_over_a_form_that_would_replace_a_stored_one_asks_without_naming_anyone(
        qtbot: QtBot, make_window, vault_file, messages: Messages) -> None:  # type: ignore[no-untyped-def]
    window, view = _measures_window(qtbot, make_window, vault_file)
    member, mid = view.member_id(), view.meeting_id()
    _type(qtbot, view, "000000000")
    qtbot.keyClick(view.entry.items, Qt.Key.Key_Return)
    view.member.setCurrentIndex(view.member.findData(member))  # back: the stored form shown
    view.entry.reset()
    _type(qtbot, view, "111111111")
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not window.locked and "would replace a stored form" in messages.shown[-1][2]
    assert view.member.currentText() not in messages.shown[-1][2]
    assert _stored(window.ctx.require_vault(), mid) == [(member, (0,) * 9)]


def _two_instruments_view(qtbot: QtBot, vault: Vault, world: World
                          ) -> tuple[MeasuresView, Any, Any]:
    """The view on member A's PHQ-9 due line, and A's PHQ-9 and GAD-7 due lines."""
    ops.set_group_instruments(vault, world.group_id,
                              [("phq9", "every_session"), ("gad7", "every_session")])
    view = make_view(qtbot, vault, world)
    lines = [view.due.item(i) for i in range(view.due.count())]
    phq = next(line for line in lines if "PHQ-9" in line.text())
    a = phq.data(Qt.ItemDataRole.UserRole)[0]
    gad = next(line for line in lines if "GAD-7" in line.text()
               and line.data(Qt.ItemDataRole.UserRole)[0] == a)
    view._due_chosen(phq)
    return view, phq, gad


def test_the_members_other_due_line_asks_before_it_replaces_typed_answers(
        qtbot: QtBot, vault: Vault, world: World, messages: Messages) -> None:
    view, _, gad = _two_instruments_view(qtbot, vault, world)
    a, mid = view.member_id(), view.meeting_id()
    _type(qtbot, view, "300000003")  # item 9 answered 3
    messages.choices = ["stay"]
    view._due_chosen(gad)
    assert messages.shown and messages.shown[-1][0] == "choice"
    assert view.entry.instrument.key == "phq9" and view.entry.combo.currentData() == "phq9"
    assert view.entry.items is not None
    assert view.entry.items.answers == [3, 0, 0, 0, 0, 0, 0, 0, 3]
    messages.choices = ["save"]
    view._due_chosen(gad)  # saved for A, then on to A's GAD-7
    assert view.entry.instrument.key == "gad7" and view.member_id() == a
    assert _stored(vault, mid) == [(a, (3, 0, 0, 0, 0, 0, 0, 0, 3))]
    [entry] = query(vault, risk.entries_for_meeting, mid)
    assert entry.member_id == a and "PHQ-9 item 9" in entry.observed


def test_the_instrument_box_asks_too_and_discard_is_the_only_way_to_lose_answers(
        qtbot: QtBot, vault: Vault, world: World, messages: Messages) -> None:
    view, _, _ = _two_instruments_view(qtbot, vault, world)
    mid = view.meeting_id()
    _type(qtbot, view, "300000003")
    messages.choices = ["stay"]
    view.entry.select("gad7")
    assert view.entry.instrument.key == "phq9" and view.entry.combo.currentData() == "phq9"
    assert view.entry.items is not None and view.entry.items.answers[8] == 3
    messages.choices = ["discard"]
    view.entry.select("gad7")
    assert len(messages.shown) == 2 and view.entry.instrument.key == "gad7"
    assert _stored(vault, mid) == []
