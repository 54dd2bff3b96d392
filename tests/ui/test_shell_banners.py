"""Banners of the shell never move the controls under the pointer: they float over
empty space (under the unlock page's buttons, across the bottom of the views)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from groupleader.data.vault import Vault
from groupleader.ui.main_window import MainWindow
from tests.conftest import PASSPHRASE, open_vault
from tests.ui.sessions_support import build
from tests.ui.shell_support import unlocked_window

MakeWindow = Callable[..., MainWindow]


def where(window: QWidget, widgets: list[QWidget]) -> list[QPoint]:
    QApplication.processEvents()
    return [w.mapTo(window, QPoint(0, 0)) for w in widgets]


def test_a_wrong_passphrase_moves_nothing_on_the_unlock_page(
    qtbot: Any, make_window: MakeWindow, vault_file: Path
) -> None:
    window = make_window(vault_path=vault_file)
    window.resize(1024, 600)
    page = window.unlock_page
    controls: list[QWidget] = [page.unlock_button, page.new_button, page.passphrase,
                               page.vault_combo]
    before = where(window, controls)
    page.passphrase.setText("not the passphrase")
    qtbot.mouseClick(page.unlock_button, Qt.MouseButton.LeftButton)
    assert page.busy.isVisible()
    assert where(window, controls) == before  # the progress row's space was kept
    qtbot.waitUntil(lambda: not page.is_busy, timeout=20_000)
    assert page.banner.isVisible() and "passphrase" in page.banner.label.text()
    assert where(window, controls) == before
    # The banner sits under the buttons, covering none of them.
    banner_top = page.banner.mapTo(window, QPoint(0, 0)).y()
    assert banner_top > page.unlock_button.mapTo(window, QPoint(0, 0)).y() \
        + page.unlock_button.height()
    page.banner.clear_message()
    assert where(window, controls) == before


def test_a_banner_in_the_workspace_moves_nothing_and_covers_no_group_button(
    qtbot: Any, make_window: MakeWindow, vault_file: Path
) -> None:
    vault: Vault = open_vault(vault_file, PASSPHRASE)
    world = build(vault)
    vault.close()
    window = unlocked_window(qtbot, make_window, vault_file)
    window.resize(1024, 600)
    ws = window.workspace
    ws.sidebar.select_group(world.group_id)
    roster = ws.roster_view
    group_buttons = [b for b in ws.sidebar.findChildren(QPushButton) if b.isVisible()]
    controls: list[QWidget] = [ws.tabs.tabBar(), roster.table, roster.name_filter,
                               *group_buttons]
    before = where(window, controls)
    window._show_backup_failure("The backup folder is not there. Plug in the drive, or "
                                "choose another folder in Settings.")
    assert ws.banner.isVisible()
    assert where(window, controls) == before
    banner = ws.banner.geometry()
    for button in group_buttons:
        assert not banner.intersects(button.geometry().translated(
            button.mapTo(ws, QPoint(0, 0)) - button.pos())), button.text()
    assert banner.bottom() < ws.height()  # inside the window
    window.resize(1366, 768)  # it follows the window
    qtbot.waitUntil(lambda: ws.banner.geometry().bottom() > banner.bottom())
    hide = next(b for b in ws.banner.findChildren(QPushButton) if b.text() == "Hide")
    qtbot.mouseClick(hide, Qt.MouseButton.LeftButton)
    assert not ws.banner.isVisible()
