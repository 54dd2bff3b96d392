"""Plain helpers for the desktop shell's tests: unlocking a window, reading every text
the widget tree holds. The fixtures (settings, make_window, messages, ...) are in
conftest.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGraphicsView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from groupleader.ui.main_window import MainWindow
from groupleader.ui.runner import Task
from tests.conftest import PASSPHRASE


class Messages:
    """Records every QMessageBox shown; `answer` is what question() returns."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str, str]] = []
        self.answer = QMessageBox.StandardButton.No

    def texts(self, kind: str | None = None) -> list[str]:
        return [text for k, _title, text in self.shown if kind in (None, k)]


def unlock_with(qtbot: Any, window: MainWindow, passphrase: str = PASSPHRASE) -> None:
    """Type the passphrase on the unlock page, press Unlock, wait for the answer."""
    page = window.unlock_page
    page.passphrase.setText(passphrase)
    qtbot.mouseClick(page.unlock_button, _left())
    qtbot.waitUntil(lambda: not page.is_busy, timeout=20_000)


def unlocked_window(qtbot: Any, make_window: Callable[..., MainWindow], path: Path) -> MainWindow:
    window = make_window(vault_path=path)
    unlock_with(qtbot, window)
    assert window.ctx.vault is not None, window.unlock_page.banner.label.text()
    return window


def _left() -> Any:
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def visible_texts(root: QWidget | None = None) -> list[str]:
    """Every piece of text the widget tree holds: labels, edits, buttons, combo items,
    tab titles, window titles, tooltips, item models' data and graphics scenes' text."""
    from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, Qt
    from PySide6.QtWidgets import QGraphicsSimpleTextItem, QGraphicsTextItem

    widgets: list[QWidget] = []
    roots = [root] if root is not None else QApplication.topLevelWidgets()
    for top in roots:
        widgets.append(top)
        widgets.extend(top.findChildren(QWidget))
    texts: list[str] = []
    roles = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
             Qt.ItemDataRole.EditRole, Qt.ItemDataRole.AccessibleTextRole)

    def walk_model(model: Any, parent: Any) -> None:
        # List and table models make columnCount/hasChildren private in PySide6.
        flat = isinstance(model, QAbstractListModel | QAbstractTableModel)
        listing = isinstance(model, QAbstractListModel)
        columns = 1 if listing else max(1, model.columnCount(parent))
        for row in range(model.rowCount(parent)):
            for col in range(columns):
                index = model.index(row, col, parent)
                for role in roles:
                    value = model.data(index, role)
                    if value is not None:
                        texts.append(str(value))
                if not flat and model.hasChildren(index):
                    walk_model(model, index)
        if not listing:
            for col in range(columns):
                header = model.headerData(col, Qt.Orientation.Horizontal)
                if header is not None:
                    texts.append(str(header))

    # Unbound calls: a view may shadow e.g. `model` or `scene` with an attribute.
    for w in widgets:
        texts += [QWidget.windowTitle(w), QWidget.toolTip(w), QWidget.accessibleName(w),
                  QWidget.accessibleDescription(w)]
        for kind in (QLabel, QLineEdit, QAbstractButton):
            if isinstance(w, kind):
                texts.append(kind.text(w))
        for kind in (QTextEdit, QPlainTextEdit):
            if isinstance(w, kind):
                texts.append(kind.toPlainText(w))
        if isinstance(w, QComboBox):
            texts += [QComboBox.itemText(w, i) for i in range(QComboBox.count(w))]
        if isinstance(w, QTabWidget):
            texts += [QTabWidget.tabText(w, i) for i in range(QTabWidget.count(w))]
        if isinstance(w, QAbstractItemView) and QAbstractItemView.model(w) is not None:
            walk_model(QAbstractItemView.model(w), QModelIndex())
        scene = QGraphicsView.scene(w) if isinstance(w, QGraphicsView) else None
        if scene is not None:
            for item in scene.items():
                if isinstance(item, QGraphicsTextItem):
                    texts.append(item.toPlainText())
                elif isinstance(item, QGraphicsSimpleTextItem):
                    texts.append(item.text())
                texts.append(item.toolTip())
    return texts


def holds(marker: str, root: QWidget | None = None) -> list[str]:
    """The texts in the widget tree that contain `marker` (empty: none)."""
    return [t for t in visible_texts(root) if marker in t]


def finish(qtbot: Any, task: Task | None, timeout: int = 20_000) -> Any:
    """Wait for slow work started through the runner: its result (None if it failed)."""
    if task is None:
        return None
    if task in task._runner._tasks:
        with qtbot.waitSignal(task.finished, timeout=timeout):
            pass
    return task.result if task.error is None and not task.was_cancelled else None
