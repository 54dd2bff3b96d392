"""The mouse wheel over a signed note's factor check boxes scrolls the page: the boxes
stay as signed, and the wheel is not swallowed by them."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QWidget

from groupleader.ui import pin_dialogs
from groupleader.ui.sessions import SessionsView
from tests.conftest import PIN
from tests.ui.sessions_support import build, context


def wheel_down(widget: QWidget) -> None:
    inside = QPointF(5, 5)
    event = QWheelEvent(inside, QPointF(widget.mapToGlobal(QPoint(5, 5))), QPoint(0, 0),
                        QPoint(0, -120), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def area_around(widget: QWidget) -> QAbstractScrollArea:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    assert parent is not None
    return parent


def test_the_wheel_over_a_signed_notes_factors_scrolls_the_page(
    qtbot: Any, vault: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pin_dialogs, "ask_signing_pin", lambda *a: PIN)
    world = build(vault)
    view = SessionsView(context(vault, world.leader_id))
    qtbot.addWidget(view)
    view.set_group(world.group_id)
    view.tabs.setCurrentIndex(1)
    view.resize(900, 420)  # short: the note's page scrolls
    view.show()
    qtbot.waitExposed(view)
    editor = view.group_editor
    editor.fields["themes"].edit.setPlainText("Belonging")
    first = next(iter(editor.factor_boxes.values()))
    first.setChecked(True)
    assert view.sign_group_note() and editor.read_only
    boxes = list(editor.factor_boxes.values())
    checked = [b.isChecked() for b in boxes]
    page = area_around(boxes[0])
    bar = page.verticalScrollBar()
    assert bar.maximum() > 0, "the page must be taller than the view for this test"
    bar.setValue(0)
    for box in boxes[:3]:
        before = bar.value()
        wheel_down(box)
        assert bar.value() > before, box.text()
    assert [b.isChecked() for b in boxes] == checked  # the signed factors stay
