"""A focus ring that can be seen: 2 px of the highlight colour around the focused field,
button or list, in light and dark palettes, following the focus."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QDateEdit, QPushButton, QWidget

from groupleader.ui import focus_ring
from groupleader.ui.main_window import MainWindow
from tests.ui.shell_support import unlocked_window

MakeWindow = Callable[..., MainWindow]


def ring_colour_at(window: QWidget, widget: QWidget) -> tuple[QColor, QColor]:
    """The colours one pixel outside the widget's left edge and top edge, as drawn."""
    image = window.grab().toImage()
    top_left = widget.mapTo(window, QPoint(0, 0))
    middle_y = top_left.y() + widget.height() // 2
    middle_x = top_left.x() + widget.width() // 2
    return (image.pixelColor(top_left.x() - 1, middle_y),
            image.pixelColor(middle_x, top_left.y() - 2))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_focused_widget_has_a_ring_in_the_highlight_colour(
    qtbot: Any, make_window: MakeWindow, vault_file: Path, scheme: str,
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette()
    if scheme == "dark":
        dark = QPalette(before)
        for role, colour in ((QPalette.ColorRole.Window, "#2b2b2b"),
                             (QPalette.ColorRole.Base, "#1e1e1e"),
                             (QPalette.ColorRole.Button, "#353535"),
                             (QPalette.ColorRole.Highlight, "#3d8ee6")):
            dark.setColor(role, QColor(colour))
        app.setPalette(dark)
    try:
        window = unlocked_window(qtbot, make_window, vault_file)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        follower = focus_ring.install()
        highlight = window.palette().color(QPalette.ColorRole.Highlight)
        sidebar = window.workspace.sidebar
        button = next(b for b in sidebar.findChildren(QPushButton) if b.isVisible())
        for widget in (sidebar.view, button):
            widget.setFocus()
            qtbot.waitUntil(lambda w=widget: follower.widget is w)
            assert follower.ring is not None
            assert follower.ring.geometry().adjusted(2, 2, -2, -2) == widget.geometry()
            for colour in ring_colour_at(window, widget):
                assert colour == highlight, (scheme, type(widget).__name__, colour.name())
        window.menuBar().setFocus()  # no ring on the menu bar
        qtbot.waitUntil(lambda: follower.widget is None)
    finally:
        app.setPalette(before)


def test_a_date_field_gets_the_ring_around_its_frame(qtbot: Any) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    edit = QDateEdit(host)
    edit.move(20, 20)
    host.show()
    host.activateWindow()
    qtbot.waitUntil(host.isActiveWindow)
    follower = focus_ring.install()
    edit.setFocus()
    qtbot.waitUntil(lambda: follower.widget is edit)
