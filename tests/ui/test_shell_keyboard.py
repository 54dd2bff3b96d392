"""The keyboard across the whole window: the main keys work wherever focus is, Edit >
Undo / Redo act on the view in front, and Help > Keyboard Shortcuts lists every key
(read from the widgets) with a filter."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QApplication, QTabWidget, QWidget

from groupleader.data.vault import Vault
from groupleader.ui.main_window import MainWindow
from groupleader.ui.shortcuts import HasUndoStack, UndoRouter, undo_stack_of
from tests.conftest import PASSPHRASE, open_vault
from tests.ui.sessions_support import build
from tests.ui.shell_support import unlocked_window
from tests.ui.test_shell_shortcuts_and_sizes import active_keys

MakeWindow = Callable[..., MainWindow]
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def window(qtbot: Any, make_window: MakeWindow, vault_file: Path) -> MainWindow:
    vault: Vault = open_vault(vault_file, PASSPHRASE)
    world = build(vault)
    vault.close()
    w = unlocked_window(qtbot, make_window, vault_file)
    w.workspace.sidebar.select_group(world.group_id)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)  # window shortcuts need the active window
    return w


def focus_places(window: MainWindow) -> dict[str, tuple[int, QWidget]]:
    """Where the caret can be: (the tab to show first, the widget)."""
    ws = window.workspace
    roster, seating, sessions = ws.roster_view, ws.seating_view, ws.sessions_view
    assert roster is not None and seating is not None and sessions is not None
    return {
        "groups list": (0, ws.sidebar.view),
        "view tabs": (0, ws.tabs.tabBar()),
        "roster table": (0, roster.table),
        "roster filter": (0, roster.name_filter),
        "seating canvas": (1, seating.canvas),
        "session list": (2, sessions.sessions.table),
        "group note": (2, sessions.group_editor.fields["themes"].edit),
    }


def put_focus(qtbot: Any, window: MainWindow, tab: int, widget: QWidget) -> None:
    window.workspace.tabs.setCurrentIndex(tab)
    child, parent = widget, widget.parentWidget()
    while parent is not None:  # show every inner tab page the widget is on
        if isinstance(parent, QTabWidget) and parent.indexOf(child) >= 0:
            parent.setCurrentWidget(child)
        child, parent = parent, parent.parentWidget()
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def test_ctrl_n_adds_a_member_wherever_focus_is_while_the_roster_is_shown(
    qtbot: Any, window: MainWindow
) -> None:
    roster = window.workspace.roster_view
    opened: list[str] = []
    roster.exec_dialog = lambda dialog: opened.append(type(dialog).__name__) or 0
    for name, (tab, widget) in focus_places(window).items():
        if tab != 0:
            continue
        put_focus(qtbot, window, tab, widget)
        before = len(opened)
        qtbot.keyClick(widget, Qt.Key.Key_N, CTRL)
        assert opened[before:] == ["MemberDialog"], name
    # Behind another tab the Roster's keys are off: Ctrl+N in Seating adds nobody.
    seating = window.workspace.seating_view
    put_focus(qtbot, window, 1, seating.canvas)
    qtbot.keyClick(seating.canvas, Qt.Key.Key_N, CTRL)
    put_focus(qtbot, window, 0, window.workspace.sidebar.view)
    window.workspace.tabs.setCurrentIndex(1)
    qtbot.keyClick(window.workspace.sidebar.view, Qt.Key.Key_N, CTRL)
    assert len(opened) == 4


def test_the_view_keys_ctrl_1_2_3_and_find_work_from_every_focus_place(
    qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = window.workspace
    found: list[int] = []
    monkeypatch.setattr(window, "open_find", lambda: found.append(1))
    menus_find = window.find_action
    menus_find.triggered.disconnect()
    menus_find.triggered.connect(lambda _c=False: window.open_find())
    for name, (tab, widget) in focus_places(window).items():
        for key, expected in ((Qt.Key.Key_2, 1), (Qt.Key.Key_3, 2), (Qt.Key.Key_1, 0)):
            put_focus(qtbot, window, tab, widget)
            qtbot.keyClick(widget, key, CTRL)
            assert ws.tabs.currentIndex() == expected, (name, expected)
        put_focus(qtbot, window, tab, widget)
        qtbot.keyClick(widget, Qt.Key.Key_F, CTRL)
    assert len(found) == len(focus_places(window))


def test_edit_undo_and_redo_act_on_the_view_in_front(qtbot: Any, window: MainWindow) -> None:
    ws = window.workspace
    seating = ws.seating_view
    undo, redo = window.undo_router.undo_action, window.undo_router.redo_action
    assert [a.shortcuts()[0].toString() for a in (undo, redo)] == ["Ctrl+Z", "Ctrl+Shift+Z"]
    ws.tabs.setCurrentWidget(seating)
    qtbot.waitUntil(lambda: seating.session_combo.count() > 0)
    chairs = len(seating.model.circle)
    assert seating.add_chair(None)
    assert len(seating.model.circle) == chairs + 1
    assert undo.isEnabled() and "Add a chair" in undo.text()

    # Ctrl+Z with the caret in the groups list: the Seating's step is undone.
    put_focus(qtbot, window, 1, ws.sidebar.view)
    qtbot.keyClick(ws.sidebar.view, Qt.Key.Key_Z, CTRL)
    assert len(seating.model.circle) == chairs
    assert redo.isEnabled() and not undo.isEnabled()
    qtbot.keyClick(ws.sidebar.view, Qt.Key.Key_Y, CTRL)
    assert len(seating.model.circle) == chairs + 1
    # ... and with the caret in the Seating itself (one owner of the key, never two).
    put_focus(qtbot, window, 1, seating.canvas)
    qtbot.keyClick(seating.canvas, Qt.Key.Key_Z, CTRL)
    assert len(seating.model.circle) == chairs
    qtbot.keyClick(seating.canvas, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert len(seating.model.circle) == chairs + 1

    # The Roster in front: its own (empty) stack, so Undo leaves the Seating alone.
    ws.tabs.setCurrentWidget(ws.roster_view)
    assert not undo.isEnabled()
    undo.trigger()
    assert len(seating.model.circle) == chairs + 1

    # In a text field Ctrl+Z undoes the typing, not a view's step.
    ws.tabs.setCurrentWidget(seating)
    roster = ws.roster_view
    put_focus(qtbot, window, 0, roster.name_filter)
    qtbot.keyClicks(roster.name_filter, "Ann")
    qtbot.keyClick(roster.name_filter, Qt.Key.Key_Z, CTRL)
    assert roster.name_filter.text() == ""
    ws.tabs.setCurrentWidget(seating)
    assert len(seating.model.circle) == chairs + 1

    # Locked: no stack, nothing to undo.
    assert window.lock()
    assert not undo.isEnabled() and not redo.isEnabled()


class Step(QUndoCommand):
    def __init__(self, log: list[str], text: str) -> None:
        super().__init__(text)
        self.log = log

    def redo(self) -> None:
        self.log.append(f"do {self.text()}")

    def undo(self) -> None:
        self.log.append(f"undo {self.text()}")


class MethodView(QWidget):
    """A view offering its stack the way the Sessions view will: a method."""

    def __init__(self) -> None:
        super().__init__()
        self._stack = QUndoStack(self)

    def undo_stack(self) -> QUndoStack:
        return self._stack


class AttributeView(QWidget):
    """A view offering it the way Roster and Seating do now: an attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.undo_stack = QUndoStack(self)


def test_undo_follows_a_view_offering_its_stack_as_a_method_or_an_attribute(
    qtbot: Any,
) -> None:
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    by_method, by_attribute = MethodView(), AttributeView()
    tabs.addTab(by_method, "one")
    tabs.addTab(by_attribute, "two")
    tabs.addTab(QWidget(), "none")
    tabs.show()
    assert isinstance(by_method, HasUndoStack)
    assert undo_stack_of(by_method) is by_method.undo_stack()
    assert undo_stack_of(by_attribute) is by_attribute.undo_stack
    router = UndoRouter(tabs)
    router.follow(tabs)
    log: list[str] = []
    by_method.undo_stack().push(Step(log, "a"))
    by_attribute.undo_stack.push(Step(log, "b"))
    router.undo_action.trigger()
    tabs.setCurrentIndex(1)
    router.undo_action.trigger()
    tabs.setCurrentIndex(2)
    assert not router.undo_action.isEnabled()
    router.undo_action.trigger()
    assert log == ["do a", "do b", "undo a", "undo b"]


def test_help_lists_every_key_of_the_window_and_filters_them(
    qtbot: Any, window: MainWindow
) -> None:
    ws = window.workspace
    help_action = next(a for a in window.menuBar().actions() if "Help" in a.text())
    item = next(a for a in help_action.menu().actions() if "Keyboard" in a.text())
    assert item.shortcuts() and item.shortcuts()[0].toString() == "Ctrl+/"
    for i in range(ws.tabs.count()):
        ws.tabs.setCurrentIndex(i)
        QApplication.processEvents()
        keys_now = {key for key, _owner in active_keys(window)}
        dialog = window.show_shortcuts()
        qtbot.addWidget(dialog)
        listed = {k.strip() for e in dialog.entries for k in e.keys.split(" or ")}
        assert keys_now <= listed, (ws.tabs.tabText(i), keys_now - listed)
        dialog.close()

    dialog = window.show_shortcuts()
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.filter, "ctrl+n")
    assert [(e.where, e.what) for e in dialog.visible_entries()] == [
        ("Roster", "Add member"), ("Sessions & Notes", "New session")]
    dialog.filter.clear()
    qtbot.keyClicks(dialog.filter, "undo")
    assert {e.what for e in dialog.visible_entries()} >= {"Undo"}
    assert all("undo" in " ".join(e).casefold() for e in dialog.visible_entries())
    dialog.filter.setText("no such key anywhere")
    assert dialog.visible_entries() == [] and dialog.none.isVisible()
    dialog.close()

    # Built from the widgets: a key added now is in the next list.
    extra = QAction("Something new", ws.roster_view)
    extra.setShortcuts([QKeySequence("Ctrl+Alt+K")])
    ws.roster_view.addAction(extra)
    dialog = window.show_shortcuts()
    qtbot.addWidget(dialog)
    assert ("Roster", "Something new", "Ctrl+Alt+K") in dialog.entries


def test_adopting_a_view_gives_the_menu_the_undo_keys_and_widens_its_ctrl_keys(
    qtbot: Any,
) -> None:
    from PySide6.QtGui import QShortcut

    from groupleader.ui.shortcuts import adopt_views

    view = QWidget()
    qtbot.addWidget(view)
    made: dict[str, QAction] = {}
    for text, keys in (("Undo", ["Ctrl+Z"]), ("Redo", ["Ctrl+Shift+Z", "Ctrl+Y"]),
                       ("Add", ["Ctrl+N"]), ("Edit", ["F2"])):
        action = QAction(text, view)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        view.addAction(action)
        made[text] = action
    own_undo = QShortcut(QKeySequence("Ctrl+Z"), view)
    adopt_views([view])
    assert made["Undo"].shortcuts() == [] and made["Redo"].shortcuts() == []
    assert own_undo.key().isEmpty()
    assert made["Add"].shortcutContext() == Qt.ShortcutContext.WindowShortcut
    assert made["Edit"].shortcutContext() == Qt.ShortcutContext.WidgetWithChildrenShortcut


def test_edit_undo_takes_back_a_new_session_from_anywhere_in_the_window(
    qtbot: Any, window: MainWindow
) -> None:
    ws = window.workspace
    sessions = ws.sessions_view
    put_focus(qtbot, window, 2, sessions.sessions.table)
    model = sessions.sessions.model
    before = model.rowCount()
    qtbot.mouseClick(sessions.sessions.new_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: model.rowCount() == before + 1)
    undo = window.undo_router.undo_action
    assert undo.isEnabled()
    put_focus(qtbot, window, 2, ws.sidebar.view)  # the caret in the groups list
    qtbot.keyClick(ws.sidebar.view, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: model.rowCount() == before)
    put_focus(qtbot, window, 2, sessions.sessions.table)  # ... and in the view itself
    qtbot.keyClick(sessions.sessions.table, Qt.Key.Key_Z,
                   CTRL | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: model.rowCount() == before + 1)


def test_ctrl_n_makes_one_new_session_wherever_focus_is_while_sessions_is_shown(
    qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In Sessions & Notes, Ctrl+N is New session (as it is Add member in the Roster),
    from the groups list, the tabs, the session list or a note; in the Roster it adds no
    session."""
    from groupleader.data.operations import query
    from groupleader.data.services import meetings

    sessions = window.workspace.sessions_view
    assert sessions is not None
    group_id = window.workspace.sidebar.current_id()
    assert group_id is not None

    def count() -> int:
        return len(query(window.ctx.require_vault(), meetings.list_meetings, group_id))

    monkeypatch.setattr(QApplication, "doubleClickInterval", staticmethod(lambda: 0))
    places = [(2, window.workspace.sidebar.view), (2, window.workspace.tabs.tabBar()),
              (2, sessions.sessions.table), (2, sessions.group_editor.fields["themes"].edit)]
    before = count()
    for tab, widget in places:
        put_focus(qtbot, window, tab, widget)
        qtbot.keyClick(widget, Qt.Key.Key_N, CTRL)
        QApplication.processEvents()
    assert count() == before + len(places)
    roster = window.workspace.roster_view
    roster.exec_dialog = lambda dialog: 0
    put_focus(qtbot, window, 0, roster.table)
    qtbot.keyClick(roster.table, Qt.Key.Key_N, CTRL)
    assert count() == before + len(places)
