"""The session list's table model under Qt's model checks, with the changes the panel makes."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import notes as ops_notes
from groupleader.data.services import meetings
from groupleader.data.snapshots import GroupNoteFields, MeetingSnap
from groupleader.data.vault import Vault
from groupleader.ui.sessions import session_list
from groupleader.ui.sessions.session_list import SessionListModel, SessionListPanel
from tests.ui.sessions_support import World, build, context


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


@pytest.fixture
def long_list(vault: Vault) -> tuple[World, int, int]:
    """A group with 130 weekly sessions (two and a half years): the oldest has a draft
    group note and the one of a year ago attendance, so their rows' counts show whether
    they were read."""
    world = build(vault, sessions=130)
    oldest, year_ago = world.meeting_id - 129, world.meeting_id - 52
    ops_notes.save_group_note(vault, oldest, GroupNoteFields(themes="The first session"))
    ops_meetings.record_attendance(vault, year_ago, world.member_ids[0], "present")
    return world, oldest, year_ago


def _shown_panel(qtbot: QtBot, vault: Vault, world: World) -> SessionListPanel:
    panel = SessionListPanel(context(vault, world.leader_id))
    qtbot.addWidget(panel)
    panel.resize(640, 420)  # about a dozen rows on screen
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_a_long_list_reads_the_counts_of_the_rows_it_shows(
    qtbot: QtBot, vault: Vault, long_list: tuple[World, int, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world, oldest, year_ago = long_list
    asked: list[list[int]] = []
    real = meetings.overview_of

    def counting(db: object, group_id: int, draft_days: int, sessions: list[MeetingSnap],
                 today: object = None) -> object:
        asked.append([m.id for m in sessions])
        return real(db, group_id, draft_days, sessions)  # type: ignore[arg-type]

    monkeypatch.setattr(meetings, "overview_of", counting)
    panel = _shown_panel(qtbot, vault, world)
    panel.load(world.group_id)
    model = panel.model

    def painted(reads: int) -> None:
        qtbot.waitUntil(lambda: len(asked) >= reads)
        qtbot.wait(50)  # and no more reads than that

    painted(1)
    newest_block = [m.id for m in model.sessions()[:session_list.BLOCK]]
    assert asked == [newest_block]  # the rows on screen, with their block: not all 130

    panel.table.scrollToBottom()
    painted(2)
    assert len(asked) == 2 and oldest in asked[1] and len(asked[1]) <= session_list.BLOCK
    assert str(model.data(model.index(model.row_of(oldest), 4))).startswith("⚑ draft")
    panel.table.scrollTo(model.index(model.row_of(year_ago), 0))
    painted(3)
    assert len(asked) == 3 and year_ago in asked[2]
    assert model.data(model.index(model.row_of(year_ago), 3)) == "1 of 1"
    # every row, read in blocks, says what the whole list read at once says
    whole = session_list.load_rows(vault, world.group_id, panel.draft_days())
    assert [model.summary(i) for i in range(model.rowCount())] == whole


def test_while_a_backup_holds_the_vault_the_list_paints_without_waiting_for_it(
    qtbot: QtBot, vault: Vault, long_list: tuple[World, int, int]
) -> None:
    world, _oldest, year_ago = long_list
    panel = _shown_panel(qtbot, vault, world)
    panel.load(world.group_id)
    model = panel.model
    held, release = threading.Event(), threading.Event()

    def backup() -> None:  # holds the vault as a backup does, at most 20 s
        with vault._mutex:
            held.set()
            release.wait(20)

    holder = threading.Thread(target=backup)
    holder.start()
    try:
        assert held.wait(10)
        panel.table.scrollTo(model.index(model.row_of(year_ago), 0))
        qtbot.wait(100)  # painted meanwhile: the cells it could not read stay empty
        last = model.index(model.row_of(year_ago), 3)
        assert model.data(last) is None  # at once: an empty cell, not a frozen window
    finally:
        release.set()
        holder.join()
    qtbot.waitUntil(lambda: model.data(last) == "1 of 1", timeout=5000)  # asked again


def test_the_session_column_measures_the_widest_number_again_when_the_list_changes(
    qtbot: QtBot, vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build(vault, sessions=9)
    later = datetime.now().astimezone().replace(second=0, microsecond=0) + timedelta(days=7)
    monkeypatch.setattr(session_list, "ask_datetime", lambda *_args: later)
    panel = _shown_panel(qtbot, vault, world)
    panel.load(world.group_id)
    assert panel.table._widest_number(panel.model) == ["9"]
    assert panel.new_session() is not None  # session 10: the list is read again
    assert panel.table._widest_number(panel.model) == ["10"]



def test_painted_again_and_again_the_list_reads_each_block_once(
    qtbot: QtBot, vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build(vault, sessions=3)
    panel = SessionListPanel(context(vault, world.leader_id))  # not painted yet
    qtbot.addWidget(panel)
    panel.load(world.group_id)
    asked: list[int] = []
    real = meetings.overview_of
    monkeypatch.setattr(meetings, "overview_of",
                        lambda *args, **kw: asked.append(1) or real(*args, **kw))
    model = panel.model
    for _ in range(3):
        for row in range(3):
            assert model.data(model.index(row, 3)) == ""  # nothing recorded yet
    assert asked == [1]
