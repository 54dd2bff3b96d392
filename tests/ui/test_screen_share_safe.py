"""Screen-share safe (View > Screen-Share Safe): while it is on, no view shows a member's
name — Roster, Seating, Sessions & Notes (attendance, member notes) and Find — and turning
it off brings the names back. Seating's own "Initials only" follows it and still toggles."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.services import members
from groupleader.data.snapshots import MemberNoteFields
from groupleader.data.vault import Vault
from groupleader.ui.find import FindDialog
from groupleader.ui.main_window import MainWindow
from tests.conftest import PASSPHRASE, open_vault
from tests.ui.sessions_support import build
from tests.ui.shell_support import holds, unlocked_window

MakeWindow = Callable[..., MainWindow]
NAME = "Ada Brook"


@pytest.fixture
def window(qtbot: Any, make_window: MakeWindow, vault_file: Path) -> MainWindow:
    vault: Vault = open_vault(vault_file, PASSPHRASE)
    world = build(vault)
    for member_id in world.member_ids:
        ops_meetings.record_attendance(vault, world.meeting_id, member_id, "present", None)
    ops_notes.save_member_note(vault, world.meeting_id, world.member_ids[0],
                           MemberNoteFields(participation="Spoke about the scapegoat"))
    vault.close()
    w = unlocked_window(qtbot, make_window, vault_file)
    w.workspace.sidebar.select_group(world.group_id)
    roster = w.workspace.views[0]
    roster.table.selectRow(0)  # the detail pane shows someone too
    sessions = w.workspace.sessions_view
    sessions.tabs.setCurrentIndex(2)  # member notes: list, header
    QApplication.processEvents()
    return w


def pseudonym(window: MainWindow) -> str:
    vault = window.ctx.require_vault()
    group_id = window.ctx.current_group_id
    assert group_id is not None
    return next(r.pseudonym for r in query(vault, members.list_memberships, group_id)
                if r.full_name == NAME)


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def test_names_give_way_to_pseudonyms_in_every_view_and_come_back(
    qtbot: Any, window: MainWindow
) -> None:
    workspace = window.workspace
    assert holds(NAME, workspace)  # shown while the setting is off
    window.safe_action.trigger()
    settle()
    assert window.settings.screen_share_safe
    assert holds(NAME, workspace) == []
    alias = pseudonym(window)
    sessions = workspace.sessions_view
    roster = workspace.views[0]
    assert holds(alias, roster.table)
    workspace.tabs.setCurrentWidget(sessions)  # a hidden view reads the group when shown
    settle()
    assert holds(NAME, workspace) == []
    assert holds(alias, sessions.attendance)
    assert holds(alias, sessions.member_notes)
    seating = workspace.views[1]
    assert seating.safe_action.isChecked() and seating.model.safe
    window.safe_action.trigger()
    settle()
    assert holds(NAME, sessions.attendance)
    workspace.tabs.setCurrentWidget(roster)
    settle()
    assert holds(NAME, roster.table)
    assert not seating.safe_action.isChecked()


def test_seating_initials_only_can_still_be_toggled_locally(
    qtbot: Any, window: MainWindow
) -> None:
    seating = window.workspace.views[1]
    window.safe_action.trigger()
    settle()
    seating.safe_action.trigger()  # the leader shows names here only
    assert not seating.model.safe
    assert window.settings.screen_share_safe  # the app-wide setting is unchanged


def test_find_results_name_the_member_only_when_not_screen_share_safe(
    qtbot: Any, window: MainWindow
) -> None:
    for safe in (False, True):
        window.settings.screen_share_safe = safe
        dialog = FindDialog(window.ctx, window)
        qtbot.addWidget(dialog)
        qtbot.keyClicks(dialog.query, "scapegoat")
        qtbot.waitUntil(lambda d=dialog: d.model.rowCount() == 1, timeout=2000)
        kind = dialog.model.data(dialog.model.index(0, 0))
        assert (NAME in kind) is not safe
        dialog.close()
