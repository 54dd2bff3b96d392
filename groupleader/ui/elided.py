"""A one-line label that shortens its text with "…" instead of widening the window.

A plain QLabel asks for the width of its whole text as its minimum, so one long session
title or member name can push the window past a laptop screen. This label asks for a
small minimum, paints the text elided to the width it gets, and keeps the whole text in
`text()` and in the tooltip (when it is cut). The text is always plain, never rich text.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QStyleOption, QWidget


class ElidedLabel(QLabel):
    """QLabel whose text is elided at the right (or left, for right-to-left text)."""

    def __init__(self, text: str = "", parent: QWidget | None = None,
                 minimum_chars: int = 8) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self._minimum_chars = minimum_chars
        self.setText(text)

    def setText(self, text: str) -> None:
        super().setText(text)
        self._update_tooltip()
        self.updateGeometry()

    def minimumSizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        width = metrics.horizontalAdvance("M" * self._minimum_chars)
        return QSize(min(width, super().sizeHint().width()), metrics.height())

    def is_elided(self) -> bool:
        return self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._update_tooltip()

    def _update_tooltip(self) -> None:
        self.setToolTip(self.text() if self.text() and self.is_elided() else "")

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        option = QStyleOption()
        option.initFrom(self)
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight,
                                              rect.width())
        flags = int(self.alignment()) | int(Qt.TextFlag.TextSingleLine)
        self.style().drawItemText(painter, rect, flags, option.palette, self.isEnabled(),
                                  shown, self.foregroundRole())
        painter.end()
