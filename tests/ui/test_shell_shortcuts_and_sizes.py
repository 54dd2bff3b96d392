"""The program as one window: no two shortcuts or mnemonics clash on any page, the
Roster's own keys (F2/Enter, Ctrl+Shift+F), and every view fits a 1024x700 window."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QTabBar, QWidget

from groupleader.data.vault import Vault
from groupleader.ui.main_window import MainWindow, first_size
from tests.conftest import PASSPHRASE, open_vault
from tests.ui.sessions_support import build
from tests.ui.shell_support import unlocked_window

MakeWindow = Callable[..., MainWindow]


@pytest.fixture
def window(qtbot: Any, make_window: MakeWindow, vault_file: Path) -> MainWindow:
    vault: Vault = open_vault(vault_file, PASSPHRASE)
    world = build(vault)
    vault.close()
    w = unlocked_window(qtbot, make_window, vault_file)
    w.workspace.sidebar.select_group(world.group_id)
    w.resize(1024, 700)
    qtbot.waitUntil(lambda: w.workspace.tabs.isVisible())
    return w


def active_keys(window: MainWindow) -> list[tuple[str, str]]:
    """(key, owner) for every shortcut and mnemonic a key press could reach now."""
    keys: list[tuple[str, str]] = []

    def add(seq: QKeySequence, owner: str) -> None:
        if not seq.isEmpty():
            keys.append((seq.toString(), owner))

    bar = window.menuBar()
    for action in bar.actions():
        add(QKeySequence.mnemonic(action.text()), f"menu {action.text()}")
        for item in action.menu().actions():
            for seq in item.shortcuts():
                add(seq, f"menu item {item.text()}")
    widgets = [w for w in window.findChildren(QWidget) if w.isVisible()]
    seen: set[QAction] = set()
    for w in widgets:
        if isinstance(w, QAbstractButton):
            add(QKeySequence.mnemonic(w.text()), f"button {w.text()}")
        if isinstance(w, QLabel) and w.buddy() is not None:
            add(QKeySequence.mnemonic(w.text()), f"label {w.text()}")
        if isinstance(w, QTabBar):
            for i in range(w.count()):
                add(QKeySequence.mnemonic(w.tabText(i)), f"tab {w.tabText(i)}")
        for action in w.actions():
            if isinstance(action, QAction) and action.parent() is not window \
                    and action not in seen:  # a tool button shows its view's action too
                seen.add(action)
                for seq in action.shortcuts():
                    add(seq, f"action {action.text()}")
    for shortcut in window.findChildren(QShortcut):
        parent = shortcut.parent()
        if isinstance(parent, QWidget) and parent.isVisible() and shortcut.isEnabled():
            add(shortcut.key(), "shortcut")
    return keys


def clashes(keys: list[tuple[str, str]]) -> dict[str, list[str]]:
    owners: dict[str, list[str]] = {}
    for key, owner in keys:
        owners.setdefault(key, []).append(owner)
    return {k: v for k, v in owners.items() if len(v) > 1}


def test_no_shortcut_or_mnemonic_is_bound_twice_on_any_page(
    qtbot: Any, window: MainWindow
) -> None:
    tabs = window.workspace.tabs
    for i in range(tabs.count()):
        tabs.setCurrentIndex(i)
        pages = getattr(tabs.widget(i), "tabs", None)
        for j in range(pages.count() if pages is not None else 1):
            if pages is not None:
                pages.setCurrentIndex(j)
            QApplication.processEvents()
            found = active_keys(window)
            assert clashes(found) == {}, (tabs.tabText(i), j)
    assert ("Ctrl+E", "menu item &Export PDF…") in found
    assert ("Alt+E", "menu &Edit") in found


def test_roster_keys_leave_export_and_find_to_the_main_window(
    qtbot: Any, window: MainWindow
) -> None:
    roster = window.workspace.views[0]
    window.workspace.tabs.setCurrentWidget(roster)
    opened: list[object] = []
    roster.exec_dialog = lambda dialog: opened.append(dialog) or 0
    roster.table.setFocus()
    roster.table.selectRow(0)
    qtbot.keyClick(roster.table, Qt.Key.Key_F2)
    qtbot.keyClick(roster.table, Qt.Key.Key_Return)
    assert [type(d).__name__ for d in opened] == ["MemberDialog", "MemberDialog"]
    assert "Ctrl+Shift+F" in roster.name_filter.placeholderText()
    keys = {s.toString() for a in roster.actions() for s in a.shortcuts()}
    assert "Ctrl+E" not in keys and "Ctrl+F" not in keys
    assert {"F2", "Ctrl+Shift+F", "Ctrl+N"} <= keys


def test_roster_filter_key_focuses_the_filter(qtbot: Any, window: MainWindow) -> None:
    roster = window.workspace.views[0]
    window.workspace.tabs.setCurrentWidget(roster)
    roster.table.setFocus()
    qtbot.keyClick(roster.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert roster.name_filter.hasFocus()


def test_every_view_fits_a_1024_by_700_window(qtbot: Any, window: MainWindow) -> None:
    tabs = window.workspace.tabs
    for i in range(tabs.count()):
        tabs.setCurrentIndex(i)
        QApplication.processEvents()
        assert window.width() == 1024, tabs.tabText(i)  # no view pushed the window wider
        assert tabs.widget(i).minimumSizeHint().width() <= tabs.width(), tabs.tabText(i)
    sessions = window.workspace.sessions_view
    bar = sessions.sessions.table.horizontalScrollBar()
    assert not bar.isVisible()  # the session list's columns elide instead


def test_the_first_window_is_ninety_percent_of_the_screen_at_most_1600_by_1000() -> None:
    assert first_size((1366, 768)) == (1229, 691)
    assert first_size((2560, 1440)) == (1600, 1000)
