"""The session list's table model under Qt's model checks, with the changes the panel makes."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import notes as ops_notes
from groupleader.data.snapshots import GroupNoteFields
from groupleader.data.vault import Vault
from groupleader.ui.sessions import session_list
from groupleader.ui.sessions.session_list import SessionListModel, SessionListPanel
from tests.ui.sessions_support import build, context


def test_the_session_list_model_passes_the_model_tester(
    qtbot: QtBot, qtmodeltester: ModelTester, vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build(vault, sessions=4)  # sessions 0, 7, 14 and 21 days ago
    oldest = world.meeting_id - 3
    ops_notes.save_group_note(vault, oldest, GroupNoteFields(themes="An old unsigned draft"))
    ops_meetings.cancel_meeting(vault, world.meeting_id - 1)
    ops_meetings.record_attendance(vault, world.meeting_id, world.member_ids[0], "present")
    later = datetime.now().astimezone().replace(second=0, microsecond=0) + timedelta(days=7)
    monkeypatch.setattr(session_list, "ask_datetime", lambda *_args: later)
    panel = SessionListPanel(context(vault, world.leader_id))
    qtbot.addWidget(panel)
    model: SessionListModel = panel.model
    qtmodeltester.check(model)  # Qt's checks run again on every change below

    panel.load(world.group_id)  # a reset, with flagged, cancelled and attended rows
    assert model.rowCount() == 4
    flagged = model.index(model.row_of(oldest), 4)
    assert str(model.data(flagged)).startswith("⚑ draft")
    assert isinstance(model.data(flagged, Qt.ItemDataRole.ForegroundRole), QBrush)
    cancelled = model.index(model.row_of(world.meeting_id - 1), 0)
    assert isinstance(model.data(cancelled, Qt.ItemDataRole.ForegroundRole), QBrush)

    ops_meetings.record_attendance(vault, world.meeting_id, world.member_ids[1], "late",
                               minutes_late=5)
    panel.refresh_row(world.meeting_id)  # one row's dataChanged
    assert model.data(model.index(0, 3)) == "2 of 2"
    model.set_short_dates(True)  # the Date column's dataChanged
    model.set_short_dates(False)
    assert panel.new_session() is not None  # a new row: the model is reset
    assert model.rowCount() == 5
    panel.load(None)  # no group: empty again
    assert model.rowCount() == 0


def test_a_cancelled_course_session_shows_no_course_number_and_says_why() -> None:
    from groupleader.data.snapshots import MeetingSnap

    when = datetime(2026, 12, 8, 18, 0).astimezone()
    held = MeetingSnap(9, 1, 9, 1, 7, 12, when, 90, "scheduled", "", ())
    cancelled = MeetingSnap(8, 1, 8, None, None, 12, when, 90, "cancelled", "", ())
    assert session_list.number_text(held) == "7/12 · c1"
    assert session_list.number_tooltip(held) == "Session 7 of 12, cycle 1 (session 9 in all)"
    assert session_list.number_text(cancelled) == "–"
    assert session_list.number_tooltip(cancelled) == (
        "Cancelled: no course number (session 8 in all)")
    open_group = MeetingSnap(8, 1, 8, None, None, None, when, 90, "cancelled", "", ())
    assert session_list.number_text(open_group) == "8"
