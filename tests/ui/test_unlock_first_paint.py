"""The first paint after an unlock shows the window laid out (issue #18): the views'
layouts are settled before the event loop paints, not in passes between paints (each pass
was a repaint of the whole window, and the unlock is timed until the last one), and
nothing in the workspace moves or changes size after that first paint."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QRect
from PySide6.QtWidgets import QApplication, QWidget

from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.services import meetings
from groupleader.data.snapshots import GroupNoteFields, MemberNoteFields
from groupleader.ui.main_window import MainWindow
from tests.conftest import PASSPHRASE, open_vault
from tests.ui.sessions_support import build
from tests.ui.shell_support import unlock_with, unlocked_window

MakeWindow = Callable[..., MainWindow]
SESSIONS = 2  # the Sessions & Notes tab


def _geometry(window: QWidget) -> dict[int, tuple[str, QRect]]:
    """Each shown widget of the workspace: its place in the window and its size."""
    workspace = window.workspace  # type: ignore[attr-defined]
    out = {}
    for w in workspace.findChildren(QWidget):
        if w.isVisible():
            out[id(w)] = (type(w).__name__ + (f" {w.objectName()}" if w.objectName() else ""),
                          QRect(w.mapTo(window, QPoint(0, 0)), w.size()))
    return out


class _FirstPaint(QObject):
    """Keeps the workspace's geometry as it is at the first paint of the window after the
    vault is open."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window = window
        self.seen: dict[int, tuple[str, QRect]] | None = None
        self.repaints = 0

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.UpdateRequest and obj is self.window
                and self.window.ctx.vault is not None):
            self.repaints += 1
        if (self.seen is None and event.type() == QEvent.Type.Paint
                and self.window.ctx.vault is not None and isinstance(obj, QWidget)
                and self.window.workspace.isAncestorOf(obj)):
            self.seen = _geometry(self.window)
        return False


def _settle(seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.005)


def _until_quiet(spy: _FirstPaint) -> int:
    """The window's repaints once it has gone 150 ms without one (before a caret blinks)."""
    count, since = spy.repaints, time.monotonic()
    while time.monotonic() - since < 0.15:
        QApplication.processEvents()
        time.sleep(0.002)
        if spy.repaints != count:
            count, since = spy.repaints, time.monotonic()
    return count


@pytest.mark.parametrize("page", [0, 1, 2])  # attendance, group note, member notes
def test_nothing_moves_after_the_first_paint_of_an_unlock_again(
    qtbot: Any, make_window: MakeWindow, vault_file: Path, page: int
) -> None:
    vault = open_vault(vault_file, PASSPHRASE)
    world = build(vault, sessions=60)
    latest = [m.id for m in query(vault, meetings.list_meetings, world.group_id)][-1]
    for member_id in world.member_ids:
        ops_meetings.record_attendance(vault, latest, member_id, "present", None)
        ops_notes.save_member_note(vault, latest, member_id, MemberNoteFields(
            participation="Spoke of the winter garden, at length. " * 8))
    ops_notes.save_group_note(vault, latest, GroupNoteFields(themes="Endings " * 40))
    vault.close()
    window = unlocked_window(qtbot, make_window, vault_file)
    window.resize(1280, 800)
    window.workspace.sidebar.select_group(world.group_id)
    window.workspace.tabs.setCurrentIndex(SESSIONS)
    view = window.workspace.sessions_view
    assert view is not None and view.select_meeting(latest)
    view.tabs.setCurrentIndex(page)
    _settle()
    assert window.lock()
    _settle()

    spy = _FirstPaint(window)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    flash = app.cursorFlashTime()
    app.setCursorFlashTime(0)  # a blinking caret would repaint, however settled the window
    app.installEventFilter(spy)
    try:
        unlock_with(qtbot, window)
        qtbot.waitUntil(lambda: spy.seen is not None, timeout=20_000)
        repaints = _until_quiet(spy)
        _settle()
    finally:
        app.removeEventFilter(spy)
        app.setCursorFlashTime(flash)
    assert window.ctx.vault is not None and view.meeting is not None
    assert view.meeting.id == latest
    first, settled = spy.seen, _geometry(window)
    assert first is not None
    moved = sorted(f"{name}: {rect.getRect()} -> {settled[key][1].getRect()}"
                   for key, (name, rect) in first.items()
                   if key in settled and settled[key][1] != rect)
    appeared = sorted(name for key, (name, _rect) in settled.items() if key not in first)
    assert moved == [] and appeared == [], (moved, appeared)
    # the laid-out window, then the focus ring around the editor that has the keyboard
    # (before the layouts were settled here: 4-5 repaints, one per pass of the cascade)
    assert repaints <= 2, repaints
