"""A hidden view never reads a session chosen elsewhere, and never shows a stale one.

Seating follows the session chosen in Sessions & Notes. Behind another tab it reads
nothing when the session changes; shown again, it shows the chosen session as it is now,
with what changed in it meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from sqlalchemy import event

from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import query
from groupleader.data.services import meetings
from groupleader.ui.main_window import MainWindow
from tests.conftest import PASSPHRASE, open_vault
from tests.ui.sessions_support import World, build
from tests.ui.shell_support import unlocked_window
from tests.ui.test_views_follow_changes import Statements, statements  # noqa: F401 (fixture)

MakeWindow = Callable[..., MainWindow]
ROSTER, SEATING, SESSIONS = range(3)


@pytest.fixture
def two_sessions(qtbot: Any, make_window: MakeWindow, vault_file: Path,
                 statements: Statements) -> tuple[MainWindow, World, list[int]]:  # noqa: F811
    vault = open_vault(vault_file, PASSPHRASE)
    world = build(vault, sessions=2)
    ids = [m.id for m in query(vault, meetings.list_meetings, world.group_id)]
    for meeting_id in ids:
        for member_id in world.member_ids:
            ops_meetings.record_attendance(vault, meeting_id, member_id, "present", None)
    vault.close()
    window = unlocked_window(qtbot, make_window, vault_file)
    window.resize(1280, 800)
    window.show()
    window.workspace.sidebar.select_group(world.group_id)
    for tab in (SEATING, SESSIONS):  # Seating has shown the group once, then hides
        window.workspace.tabs.setCurrentIndex(tab)
        QApplication.processEvents()
    assert window.ctx.vault is not None and window.ctx.vault.engine is not None
    event.listen(window.ctx.vault.engine, "before_cursor_execute", statements.on_execute)
    return window, world, ids


def test_a_session_chosen_while_seating_is_hidden_is_read_when_seating_is_shown(
    qtbot: Any, two_sessions: tuple[MainWindow, World, list[int]],
    statements: Statements,  # noqa: F811
) -> None:
    window, _world, ids = two_sessions
    sessions, seating = window.workspace.sessions_view, window.workspace.seating_view
    assert sessions is not None and seating is not None
    shown = seating.model.meeting_id
    other = next(i for i in ids if i != shown)
    statements.inside = {"roster": 0, "seating": 0}

    assert sessions.select_meeting(other)
    QApplication.processEvents()
    assert statements.inside["seating"] == 0  # hidden: nothing read
    assert seating.model.meeting_id == shown and seating.follower.stale

    window.workspace.tabs.setCurrentIndex(SEATING)
    QApplication.processEvents()
    assert seating.model.meeting_id == other
    assert seating.session_combo.currentData() == other
    assert not seating.follower.stale


def test_a_change_and_a_switch_while_hidden_both_show_when_seating_is_shown(
    qtbot: Any, two_sessions: tuple[MainWindow, World, list[int]],
) -> None:
    window, world, ids = two_sessions
    sessions, seating = window.workspace.sessions_view, window.workspace.seating_view
    assert sessions is not None and seating is not None
    other = next(i for i in ids if i != seating.model.meeting_id)
    assert sessions.select_meeting(other)
    absent = world.member_ids[1]
    sessions.tabs.setCurrentIndex(0)
    sessions.attendance.record(absent, "absent_notice")
    QApplication.processEvents()

    window.workspace.tabs.setCurrentIndex(SEATING)
    QApplication.processEvents()
    assert seating.model.meeting_id == other
    assert absent in {p.member_id for p in seating.model.side_list().absent}


def test_seating_in_front_follows_a_session_chosen_elsewhere_at_once(
    qtbot: Any, two_sessions: tuple[MainWindow, World, list[int]],
) -> None:
    window, _world, ids = two_sessions
    seating = window.workspace.seating_view
    assert seating is not None
    window.workspace.tabs.setCurrentIndex(SEATING)
    QApplication.processEvents()
    other = next(i for i in ids if i != seating.model.meeting_id)
    window.ctx.select_meeting(other)  # as Find or the Sessions view would
    assert seating.model.meeting_id == other and not seating.follower.stale


def test_a_session_scheduled_and_chosen_while_seating_is_hidden_is_listed_and_shown(
    qtbot: Any, two_sessions: tuple[MainWindow, World, list[int]],
) -> None:
    from datetime import datetime, timedelta

    window, world, _ids = two_sessions
    sessions, seating = window.workspace.sessions_view, window.workspace.seating_view
    assert sessions is not None and seating is not None
    new = window.ctx.run(lambda v: ops_meetings.schedule_meeting(
        v, world.group_id, starts_at=datetime.now().astimezone() + timedelta(hours=1)))
    QApplication.processEvents()  # the list takes the new session in
    assert sessions.select_meeting(new.id)
    QApplication.processEvents()

    window.workspace.tabs.setCurrentIndex(SEATING)
    QApplication.processEvents()
    assert new.id in [seating.session_combo.itemData(i)
                      for i in range(seating.session_combo.count())]
    assert seating.model.meeting_id == new.id
