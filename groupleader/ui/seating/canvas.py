"""The QGraphicsView showing the room: scales to fit and turns keys into seat actions."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QFrame, QGraphicsView, QWidget

from groupleader.ui.seating.scene import SeatingScene

KEYS = {
    Qt.Key.Key_Right: "next",
    Qt.Key.Key_Down: "next",
    Qt.Key.Key_Left: "prev",
    Qt.Key.Key_Up: "prev",
    Qt.Key.Key_Home: "first",
    Qt.Key.Key_End: "last",
    Qt.Key.Key_Return: "activate",
    Qt.Key.Key_Enter: "activate",
    Qt.Key.Key_Space: "activate",
    Qt.Key.Key_Delete: "delete",
    Qt.Key.Key_Backspace: "delete",
    Qt.Key.Key_Insert: "add",
    Qt.Key.Key_Plus: "add",
    Qt.Key.Key_Minus: "remove",
    Qt.Key.Key_Menu: "menu",
    Qt.Key.Key_Escape: "escape",
}


class SeatingCanvas(QGraphicsView):
    """Arrow keys walk round the circle (clockwise with Right/Down), Enter chooses who
    sits (or, in interaction mode, clicks the chair), Delete empties, Insert/+ adds a
    chair, - removes an empty one, the Menu key opens the chair's menu. Tab leaves."""

    key_action = Signal(str)

    def __init__(self, scene: SeatingScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAcceptDrops(True)
        self.setMinimumSize(240, 240)
        self.setAccessibleName("Seating circle")
        self.setAccessibleDescription(
            "Arrow keys move between chairs, Enter chooses who sits there, Delete empties "
            "the chair, Insert adds a chair, the Menu key shows more.")

    def fit(self) -> None:
        self.fitInView(self.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.fit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        action = KEYS.get(Qt.Key(event.key()))
        if event.key() == Qt.Key.Key_F10 and event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            action = "menu"
        if action is None or event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            super().keyPressEvent(event)
            return
        event.accept()
        self.key_action.emit(action)

    def focusNextPrevChild(self, next_: bool) -> bool:
        # Tab moves to the next widget, as everywhere else (not between scene items).
        return QWidget.focusNextPrevChild(self, next_)
