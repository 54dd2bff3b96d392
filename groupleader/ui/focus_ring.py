"""A focus ring that can be seen: a 2 px line in the highlight colour around the field,
button or list that has the keyboard focus, in every window of the program.

Qt's own styles mark focus faintly (Fusion tints a field's frame, a button gets a dotted
rectangle or nothing). One `FocusRing` per application follows
`QApplication.focusChanged`; it is a `QFocusFrame`, which Qt places around its widget
(over the widget's parent, in the margin the style keeps for it), keeps in place as the
widget moves or resizes, and masks so that clicks inside still reach the widget. No
style sheet: a style sheet would replace the native drawing of every styled widget.
The colour is the palette's Highlight, so it follows the light or dark scheme.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFocusFrame,
    QLineEdit,
    QMenu,
    QMenuBar,
    QTabBar,
    QWidget,
)

WIDTH = 2
_RINGED = (QLineEdit, QAbstractSpinBox, QComboBox, QAbstractButton, QAbstractScrollArea,
           QTabBar)
_follower: FocusRingFollower | None = None


def wants_ring(widget: QWidget | None) -> bool:
    """Inputs, buttons, lists, tables, text areas, tab bars; not menus or windows."""
    if widget is None or widget.isWindow() or isinstance(widget, QMenu | QMenuBar):
        return False
    parent = widget.parentWidget()
    if isinstance(parent, QAbstractSpinBox | QComboBox):  # their inner line edit
        return False
    return isinstance(widget, _RINGED)


def ring_target(widget: QWidget | None) -> QWidget | None:
    """The widget to draw around: a spin box's or combo box's own frame, not its inner
    line edit."""
    if widget is None:
        return None
    parent = widget.parentWidget()
    if isinstance(widget, QLineEdit) and isinstance(parent, QAbstractSpinBox | QComboBox):
        return parent
    return widget if wants_ring(widget) else None


class FocusRing(QFocusFrame):
    def paintEvent(self, _event: QPaintEvent) -> None:
        # Crisp, in the margin Qt keeps around the widget (2 px each side): the ring
        # covers nothing of the widget itself.
        painter = QPainter(self)
        pen = QPen(self.palette().color(QPalette.ColorRole.Highlight))
        pen.setWidth(1)
        painter.setPen(pen)
        for inset in range(WIDTH):
            painter.drawRect(self.rect().adjusted(inset, inset, -1 - inset, -1 - inset))
        painter.end()


class FocusRingFollower(QObject):
    """Moves the one ring to whatever takes the focus (or hides it)."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.ring: FocusRing | None = None
        app.focusChanged.connect(self._on_focus)
        self._on_focus(None, app.focusWidget())

    def _on_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        target = ring_target(new)
        if target is None:
            if self.ring is not None and _alive(self.ring):
                self.ring.setWidget(None)  # type: ignore[arg-type]  # None: no widget
            return
        if self.ring is None or not _alive(self.ring):
            self.ring = FocusRing()
        self.ring.setWidget(target)

    @property
    def widget(self) -> QWidget | None:
        """The widget the ring is drawn around now (None: no ring)."""
        if self.ring is None or not _alive(self.ring):
            return None
        found = self.ring.widget()
        return found if found is not None and self.ring.isVisible() else None


def _alive(obj: QObject) -> bool:
    import shiboken6

    return shiboken6.isValid(obj)


def install(app: QApplication | None = None) -> FocusRingFollower:
    """The application's focus ring (made once; later calls return the same one)."""
    global _follower
    app = app or _app()
    if _follower is not None and _alive(_follower) and _follower.parent() is app:
        return _follower
    _follower = FocusRingFollower(app)
    return _follower


def _app() -> QApplication:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return app
