"""Lock clears the clipboard when it holds text copied from the program, and only then.

Offscreen, Qt's clipboard lives in the process and there is no X11 primary selection
(`supportsSelection()` is false), so the selection is covered where the platform has one
(X11) by the same code path; these tests hold the clipboard.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtGui import QClipboard, QGuiApplication, QTextCursor
from PySide6.QtWidgets import QApplication

from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import notes as ops_notes
from groupleader.data.snapshots import ClinicianSpec, GroupSpec
from groupleader.ui.main_window import MainWindow
from tests.conftest import open_vault
from tests.ui.shell_support import unlock_with, unlocked_window

MakeWindow = Callable[..., MainWindow]
MARKER = "Heron-Saffron-4417 felt unseen by her brother"


def _vault_with_a_process_note(path: Path) -> tuple[int, int]:
    with open_vault(path) as vault:
        leader = ops_groups.create_clinician(vault, ClinicianSpec("Dr Leader", "leader")).value
        group = ops_groups.create_group(
            vault, GroupSpec(name="Tuesday group", kind="support", leader_ids=(leader.id,))
        ).value
        meeting = ops_meetings.schedule_meeting(
            vault, group.id, datetime.now(UTC) - timedelta(days=1)
        ).value
        ops_notes.save_private_note(vault, meeting.id, f"Process: {MARKER}. Later more.")
        return group.id, meeting.id


def _copy_the_marker_from_the_process_note(
    qtbot: Any, window: MainWindow, ids: tuple[int, int]
) -> None:
    group_id, meeting_id = ids
    assert window.workspace.sidebar.select_group(group_id)
    window.ctx.select_meeting(meeting_id)
    view = window.workspace.sessions_view
    assert view is not None
    window.workspace.tabs.setCurrentWidget(view)
    view.tabs.setCurrentWidget(view.process)
    edit = view.process.edit
    qtbot.waitUntil(lambda: MARKER in edit.toPlainText(), timeout=5000)
    start = edit.toPlainText().index(MARKER)
    cursor = edit.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len(MARKER), QTextCursor.MoveMode.KeepAnchor)
    edit.setTextCursor(cursor)
    edit.setFocus()
    edit.copy()  # what Ctrl+C does
    assert QGuiApplication.clipboard().text() == MARKER


def test_lock_clears_a_process_note_copied_to_the_clipboard(
    qtbot: Any, make_window: MakeWindow, vault_file: Path
) -> None:
    ids = _vault_with_a_process_note(vault_file)
    window = unlocked_window(qtbot, make_window, vault_file)
    _copy_the_marker_from_the_process_note(qtbot, window, ids)
    clipboard = QGuiApplication.clipboard()
    assert window.clipboard_guard.holds_copied_text()

    window.lock()
    assert window.locked
    assert MARKER not in clipboard.text()
    assert clipboard.text() == ""

    unlock_with(qtbot, window)  # and again after unlocking, with auto-lock
    _copy_the_marker_from_the_process_note(qtbot, window, ids)
    window.autolock.set_interval_ms(200)
    qtbot.waitUntil(lambda: window.locked, timeout=5000)
    assert clipboard.text() == ""


def test_lock_leaves_what_another_program_copied(
    qtbot: Any, make_window: MakeWindow, vault_file: Path
) -> None:
    ids = _vault_with_a_process_note(vault_file)
    window = unlocked_window(qtbot, make_window, vault_file)
    _copy_the_marker_from_the_process_note(qtbot, window, ids)
    # Then the user copies something in another program: offscreen, that is text set
    # with no widget of the program holding it as its selection.
    view = window.workspace.sessions_view
    assert view is not None
    view.process.edit.moveCursor(QTextCursor.MoveOperation.End)
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("train times for Friday")
    assert not window.clipboard_guard.holds_copied_text()

    window.lock()
    assert clipboard.text() == "train times for Friday"


def test_quit_clears_copied_text_too(
    qtbot: Any, make_window: MakeWindow, vault_file: Path
) -> None:
    ids = _vault_with_a_process_note(vault_file)
    window = unlocked_window(qtbot, make_window, vault_file)
    _copy_the_marker_from_the_process_note(qtbot, window, ids)
    window.close()
    assert QGuiApplication.clipboard().text() == ""


def test_the_guard_keeps_only_a_digest_of_the_copied_text(
    qtbot: Any, make_window: MakeWindow, vault_file: Path
) -> None:
    ids = _vault_with_a_process_note(vault_file)
    window = unlocked_window(qtbot, make_window, vault_file)
    _copy_the_marker_from_the_process_note(qtbot, window, ids)
    stored = repr(vars(window.clipboard_guard)) + repr(window.clipboard_guard._copied)
    assert MARKER not in stored and MARKER.encode() not in b"".join(
        window.clipboard_guard._copied.values()
    )
    window.lock()
    assert QApplication.clipboard().text(QClipboard.Mode.Clipboard) == ""
