"""Slips a tired clinician makes in the Sessions view, through the whole main window:
stray keys after a change of page, a double click on New session, a session made by
mistake (deleted, with undo)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from groupleader.data.operations import query
from groupleader.data.services import meetings, notes
from groupleader.data.vault import Vault
from groupleader.ui.main_window import MainWindow
from groupleader.ui.sessions import session_list
from groupleader.ui.sessions.view import ATTENDANCE, GROUP, MEMBERS, PRIVATE
from tests.conftest import PASSPHRASE, open_vault
from tests.ui.sessions_support import World, build
from tests.ui.shell_support import unlocked_window

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
SENTENCE = "The group spoke of trust and of endings, then sat in silence."


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every question the session list would ask (a date, a yes/no): none expected."""
    questions: list[str] = []

    def ask_datetime(_parent: Any, title: str, _when: Any) -> None:
        questions.append(title)
        return None

    def ask_yes(_parent: Any, title: str, _text: str) -> bool:
        questions.append(title)
        return False

    monkeypatch.setattr(session_list, "ask_datetime", ask_datetime)
    monkeypatch.setattr(session_list, "ask_yes", ask_yes)
    return questions


@pytest.fixture
def shown(qtbot: Any, make_window: Callable[..., MainWindow], vault_file: Path
          ) -> tuple[MainWindow, World]:
    vault: Vault = open_vault(vault_file, PASSPHRASE)
    world = build(vault, sessions=3)
    vault.close()
    w = unlocked_window(qtbot, make_window, vault_file)
    w.resize(1366, 768)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    w.workspace.sidebar.select_group(world.group_id)
    qtbot.waitUntil(lambda: w.workspace.tabs.isVisible())
    return w, world


def focused() -> QWidget:
    """Where a key press goes: the focused widget, else the active window."""
    widget = QApplication.focusWidget() or QApplication.activeWindow()
    assert widget is not None
    return widget


def press(qtbot: Any, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
          ) -> None:
    """A key press goes to whatever has the keyboard focus now, as a real one would."""
    qtbot.keyClick(focused(), key, modifier)
    QApplication.processEvents()


def type_keys(qtbot: Any, text: str) -> None:
    """Typed one key at a time, each to the widget focused at that moment."""
    for char in text:
        qtbot.keyClicks(focused(), char)
        QApplication.processEvents()


def session_count(window: MainWindow, group_id: int) -> int:
    return len(query(window.ctx.require_vault(), meetings.list_meetings, group_id))


def test_stray_keys_after_seating_and_alt_g_land_in_the_group_note(
    qtbot: Any, shown: tuple[MainWindow, World], asked: list[str]
) -> None:
    """The issue's sequence: a session picked with the mouse, Seating (Ctrl+2), back with
    Ctrl+3, Alt+G, a sentence with spaces: the text is in the group note, no session was
    made and no dialog opened."""
    window, world = shown
    view = window.workspace.sessions_view
    assert view is not None
    press(qtbot, Qt.Key.Key_3, CTRL)
    assert window.workspace.tabs.currentWidget() is view
    table = view.sessions.table
    second = view.sessions.model.row_of(world.meeting_id) + 1  # an older session
    rect = table.visualRect(view.sessions.model.index(second, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    chosen = view.sessions.model.meeting(second)
    assert chosen is not None and view.meeting is not None and view.meeting.id == chosen.id
    before = session_count(window, world.group_id)

    press(qtbot, Qt.Key.Key_2, CTRL)
    assert window.workspace.tabs.currentWidget() is window.workspace.seating_view
    press(qtbot, Qt.Key.Key_3, CTRL)
    assert window.workspace.tabs.currentWidget() is view
    press(qtbot, Qt.Key.Key_G, ALT)
    assert view.tabs.currentIndex() == GROUP
    themes = view.group_editor.fields["themes"].edit
    assert themes.hasFocus(), type(focused()).__name__
    type_keys(qtbot, SENTENCE)

    assert themes.toPlainText() == SENTENCE
    assert session_count(window, world.group_id) == before
    assert asked == []
    assert view.meeting is not None and view.meeting.id == chosen.id
    view.save_pending()
    saved = query(window.ctx.require_vault(), notes.load_meeting_notes, chosen.id).group_note
    assert saved is not None and saved.fields.themes == SENTENCE


@pytest.mark.parametrize(("key", "page"), [(Qt.Key.Key_G, GROUP), (Qt.Key.Key_M, MEMBERS),
                                           (Qt.Key.Key_P, PRIVATE)])
def test_every_note_page_takes_the_caret_from_the_session_list_buttons(
    qtbot: Any, shown: tuple[MainWindow, World], asked: list[str], key: Qt.Key, page: int
) -> None:
    """Even with the focus on New session (a click there first), Alt+G/M/P put the caret
    in the note, and a space typed then never presses a button of the list."""
    window, world = shown
    view = window.workspace.sessions_view
    assert view is not None
    press(qtbot, Qt.Key.Key_3, CTRL)
    vault = window.ctx.require_vault()
    from groupleader.data.operations import meetings as ops_meetings

    ops_meetings.take_attendance(vault, world.meeting_id,
                                 [(mid, "present", None) for mid in world.member_ids])
    view.refresh_all()
    view.sessions.new_button.setFocus()
    before = session_count(window, world.group_id)
    press(qtbot, key, ALT)
    assert view.tabs.currentIndex() == page
    QApplication.processEvents()
    target = focused()
    assert view.tabs.currentWidget().isAncestorOf(target), type(target).__name__
    type_keys(qtbot, "a b c")
    assert session_count(window, world.group_id) == before
    assert asked == []


def test_a_key_typed_on_a_note_page_never_reaches_a_list_button(
    qtbot: Any, shown: tuple[MainWindow, World], asked: list[str]
) -> None:
    """Focus left on New session by a click while the group note shows: the next keys
    go to the note, not to the button."""
    window, world = shown
    view = window.workspace.sessions_view
    assert view is not None
    press(qtbot, Qt.Key.Key_3, CTRL)
    view.tabs.setCurrentIndex(GROUP)
    before = session_count(window, world.group_id)
    view.sessions.new_button.setFocus()  # as a Tab or a click on it would leave it
    type_keys(qtbot, " x ")
    assert session_count(window, world.group_id) == before
    assert view.group_editor.fields["themes"].edit.toPlainText() == " x "
    assert view.tabs.currentIndex() == GROUP and view.sessions.table.isVisible()
    assert ATTENDANCE != GROUP
