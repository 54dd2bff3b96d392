"""Driving the real window like a user, and counting what the user does.

`Actions` wraps pytest-qt's mouse and key helpers. Every click, every key press that is
not typing text (shortcuts, Tab, Enter, Ctrl+PageDown) and every drag adds one to the
count of the phase it happens in; typing text (`actions.type`) is free. So the count is
exactly what a user would do with the mouse and the keyboard besides writing.

`Modals` answers modal dialogs: `QDialog.exec` and `QMessageBox.exec` are replaced by a
function that shows the dialog without a nested event loop, hands it to the handler the
test queued for that kind of dialog (which clicks and types through `Actions`, so those
clicks are counted too), and waits until the dialog is closed. A dialog nobody expected
is rejected and fails the test at the end; nothing can hang on a modal loop.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QFileDialog,
    QMessageBox,
    QToolBar,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

LEFT = Qt.MouseButton.LeftButton
NO_MOD = Qt.KeyboardModifier.NoModifier
WAIT_MS = 20_000


class Actions:
    """Counted user actions, grouped by phase (`with actions.phase("recurring"):`)."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot
        self.current = "setup"
        self.steps: dict[str, list[str]] = defaultdict(list)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        before, self.current = self.current, name
        try:
            yield
        finally:
            self.current = before

    def count(self, phase: str) -> int:
        return len(self.steps[phase])

    def _record(self, what: str) -> None:
        self.steps[self.current].append(what)

    # ------------------------------------------------------------ counted
    def click(self, widget: QWidget, what: str, pos: QPoint | None = None) -> None:
        """One mouse click on a widget (a button, a field, a point of a view)."""
        # A widget just added to a shown parent appears when the event loop next runs.
        self.qtbot.waitUntil(widget.isVisible, timeout=WAIT_MS)
        assert widget.isEnabled(), f"{what}: the widget is disabled"
        self._record(what)
        if pos is None:
            self.qtbot.mouseClick(widget, LEFT)
        else:
            self.qtbot.mouseClick(widget, LEFT, NO_MOD, pos)

    def choose_from_menu(self, button: QToolButton, entry: str, what: str) -> None:
        """A click on a menu button, then one on the entry of the menu that opens.

        The menu runs its own event loop, so the second click is made from a timer
        inside it."""
        menu = button.menu()
        assert menu is not None, what
        action = next(x for x in menu.actions() if x.text() == entry)
        done: list[bool] = []

        def pick() -> None:
            if not menu.isVisible():
                QTimer.singleShot(20, pick)
                return
            self._record(f"{what}: {entry}")
            self.qtbot.mouseClick(menu, LEFT, NO_MOD, menu.actionGeometry(action).center())
            done.append(True)

        QTimer.singleShot(0, pick)
        self.click(button, f"open {what}")
        self.qtbot.waitUntil(lambda: bool(done), timeout=WAIT_MS)

    def click_action(self, toolbar: QToolBar, action: Any, what: str) -> None:
        """A click on the toolbar button of a QAction."""
        button = toolbar.widgetForAction(action)
        assert isinstance(button, QAbstractButton), what
        self.click(button, what)

    def key(self, key: Qt.Key, modifier: Qt.KeyboardModifier = NO_MOD,
            what: str = "", widget: QWidget | None = None) -> None:
        """One key press that is not typing text: a shortcut, Tab, Enter...

        Sent to the widget with the keyboard focus, as a real key press would be."""
        target = widget or QApplication.focusWidget()
        assert target is not None, f"{what}: no widget has the keyboard focus"
        self._record(what or str(key))
        self.qtbot.keyClick(target, key, modifier)

    def focus(self, widget: QWidget, what: str) -> None:
        """Put the caret in a field: free if it is there already, else one click."""
        if not widget.hasFocus():
            self.click(widget, what)
        assert widget.hasFocus(), f"{what}: the click did not reach the field"

    def drag(self, viewport: QWidget, pos: QPoint, mime: QMimeData, what: str) -> None:
        """One drag, dropped at `pos` of `viewport` (the events Qt sends a drop target;
        QDrag.exec itself cannot run under the offscreen platform)."""
        self._record(what)
        for cls in (QDragEnterEvent, QDragMoveEvent):
            event = cls(pos, Qt.DropAction.MoveAction, mime, LEFT, NO_MOD)
            QApplication.sendEvent(viewport, event)
        drop = QDropEvent(QPointF(pos), Qt.DropAction.MoveAction, mime, LEFT, NO_MOD)
        QApplication.sendEvent(viewport, drop)
        assert drop.isAccepted(), f"{what}: the drop was refused"

    def file_chosen(self, what: str) -> None:
        """The click on Open/Save in a file chooser (the chooser itself is patched)."""
        self._record(what)

    # ------------------------------------------------------------ not counted
    def type(self, widget: QWidget, text: str) -> None:
        """Typing text: free (the count is of everything else)."""
        self.qtbot.keyClicks(widget, text)


Handler = Callable[[Any], None]


class Modals:
    """Answers modal dialogs with queued handlers; see the module docstring."""

    def __init__(self, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
        self.qtbot = qtbot
        self.queue: list[tuple[type, Handler]] = []
        self.unexpected: list[str] = []
        self.messages: list[tuple[str, str]] = []
        self.files: list[Path] = []
        def exec_(dialog: QDialog) -> int:  # a plain function: Qt passes the dialog
            return self._exec(dialog)

        monkeypatch.setattr(QDialog, "exec", exec_)
        monkeypatch.setattr(QMessageBox, "exec", exec_)
        for kind in ("warning", "information", "critical", "question"):
            monkeypatch.setattr(QMessageBox, kind, staticmethod(self._static(kind)))
        for name in ("getOpenFileName", "getSaveFileName"):
            monkeypatch.setattr(QFileDialog, name, staticmethod(self._file_chooser(name)))

    def expect(self, cls: type, handler: Handler) -> None:
        self.queue.append((cls, handler))

    def choose_file(self, path: Path) -> None:
        """The next file chooser answers with `path`."""
        self.files.append(path)

    def _exec(self, dialog: QDialog) -> int:
        found = next((i for i, (cls, _h) in enumerate(self.queue) if isinstance(dialog, cls)),
                     None)
        if found is None:
            self.unexpected.append(f"{type(dialog).__name__}: {dialog.windowTitle()}")
            dialog.reject()
            return int(QDialog.DialogCode.Rejected)
        handler = self.queue.pop(found)[1]
        dialog.show()
        self.qtbot.waitExposed(dialog)
        dialog.activateWindow()
        self.qtbot.waitUntil(dialog.isActiveWindow, timeout=WAIT_MS)
        handler(dialog)
        self.qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
        return int(QDialog.result(dialog))  # ImportDialog shadows result()

    def _static(self, kind: str) -> Callable[..., Any]:
        def show(_parent: Any, _title: str, text: str, *args: Any, **kwargs: Any) -> Any:
            self.messages.append((kind, text))
            if kind in ("warning", "critical"):
                self.unexpected.append(f"QMessageBox.{kind}: {text}")
            return QMessageBox.StandardButton.No if kind == "question" else \
                QMessageBox.StandardButton.Ok

        return show

    def _file_chooser(self, name: str) -> Callable[..., tuple[str, str]]:
        def choose(*_args: Any, **_kwargs: Any) -> tuple[str, str]:
            if not self.files:
                self.unexpected.append(f"QFileDialog.{name} with no file queued")
                return "", ""
            return str(self.files.pop(0)), ""

        return choose

    def check_done(self) -> None:
        assert self.unexpected == [], self.unexpected
        assert self.queue == [], f"dialogs expected but never shown: {self.queue}"
        assert self.files == [], f"file choices never asked for: {self.files}"


def button_with_text(dialog: QWidget, text: str) -> QAbstractButton:
    """The button of a dialog whose text (without & and …) is `text`."""
    for button in dialog.findChildren(QAbstractButton):
        if button.text().replace("&", "").rstrip("…").strip() == text and button.isVisible():
            return button
    raise AssertionError(f"no button {text!r} in {type(dialog).__name__}")
