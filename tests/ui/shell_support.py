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
from groupleader.ui.sessions import SessionsView
from tests.conftest import PASSPHRASE


class Messages:
    """Records every QMessageBox shown; `answer` is what question() returns; `choices`
    what the questions about unsaved text (`unsaved.ask`) answer, else their safe answer."""

    def __init__(self) -> None:
        self.shown: list[tuple[str, str, str]] = []
        self.answer = QMessageBox.StandardButton.No
        self.choices: list[str] = []  # the next answers to `unsaved.ask`, in order
        self.offered: list[list[str]] = []  # the keys each `unsaved.ask` offered

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


def group_note_themes(window: MainWindow, group_id: int) -> tuple[SessionsView, Any]:
    """The Sessions & Notes view of `group_id` on its latest session, with quick autosave
    intervals, and the group note's Themes editor focused: (view, editor)."""
    assert window.workspace.sidebar.select_group(group_id)
    window.workspace.tabs.setCurrentIndex(2)  # Sessions & Notes
    view = window.workspace.sessions_view
    assert view is not None
    view.autosave.set_intervals(50, 100, 300)
    view.tabs.setCurrentIndex(1)  # Group note
    edit = view.group_editor.fields["themes"].edit
    edit.setFocus()
    return view, edit


def _left() -> Any:
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def visible_texts(root: QWidget | None = None, shown_only: bool = False) -> list[str]:
    """Every piece of text the widget tree holds: labels, edits, buttons, combo items,
    tab titles, window titles, tooltips, item models' data and graphics scenes' text.
    With `shown_only`, only what widgets shown on the screen now hold (hidden pages out)."""
    from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, Qt
    from PySide6.QtWidgets import QGraphicsSimpleTextItem, QGraphicsTextItem

    widgets: list[QWidget] = []
    roots = [root] if root is not None else QApplication.topLevelWidgets()
    for top in roots:
        widgets.append(top)
        widgets.extend(top.findChildren(QWidget))
    if shown_only:
        widgets = [w for w in widgets if w.isVisible()]
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


class FailingDisk:
    """The disk under an open vault refuses writes, the way SQLite meets a full disk: the
    commit of a transaction that wrote something fails with SQLITE_FULL ("database or disk
    is full") at the DBAPI connection's own commit, the lowest layer Python reaches.
    Reading still works, as it does on a full disk. `heal()` gives the space back."""

    def __init__(self, vault: Any) -> None:
        from sqlalchemy import event

        self.engine = vault.engine
        self.dialect = self.engine.dialect
        self.full = True
        self.refused = 0  # commits refused so far
        self._mark = 0
        real = type(self.dialect).do_commit

        def do_commit(dbapi_connection: Any) -> None:
            if self.full and dbapi_connection.total_changes != self._mark:
                self.refused += 1
                raise disk_full_error()
            real(self.dialect, dbapi_connection)

        self.dialect.do_commit = do_commit  # on this vault's dialect object only
        event.listen(self.engine, "begin", self._begin)
        self._event = event

    def _begin(self, conn: Any) -> None:
        self._mark = conn.connection.dbapi_connection.total_changes

    def heal(self) -> None:
        self.full = False

    def remove(self) -> None:
        self.full = False
        self.dialect.__dict__.pop("do_commit", None)
        self._event.remove(self.engine, "begin", self._begin)


def disk_full_error() -> Exception:
    """What sqlcipher3 raises when the disk is full (message and SQLite error code)."""
    import sqlcipher3

    err = sqlcipher3.OperationalError("database or disk is full")
    err.sqlite_errorcode = 13  # SQLITE_FULL
    err.sqlite_errorname = "SQLITE_FULL"
    return err
