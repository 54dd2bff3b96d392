"""A one-line label that shortens its text with "…" instead of widening the window.

A plain QLabel asks for the width of its whole text as its minimum, so one long session
title or member name can push the window past a laptop screen. This label asks for a
small minimum, paints the text elided to the width it gets, and keeps the whole text in
`text()` and in the tooltip (when it is cut). The text is always plain, never rich text.
Shorter forms of the same text (`set_texts`) are tried, in order, before anything is cut:
a session title drops its topic, then spells its number short, so the date stays. With
`keep_shortest` the shortest form is the label's minimum width: it is never cut.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QStyleOption, QWidget


class ElidedLabel(QLabel):
    """QLabel whose text is elided at the right (or left, for right-to-left text)."""

    def __init__(self, text: str = "", parent: QWidget | None = None,
                 minimum_chars: int = 8, keep_shortest: bool = False) -> None:
        super().__init__(parent)
        self._keep_shortest = keep_shortest
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self._minimum_chars = minimum_chars
        self._shorter: tuple[str, ...] = ()
        self._tip = ""
        self.setText(text)

    def setText(self, text: str) -> None:
        self._shorter = ()
        self._set(text)

    def set_texts(self, text: str, *shorter: str) -> None:
        """The whole text, and shorter forms to show (the first that fits) before eliding."""
        self._shorter = shorter
        self._set(text)

    def _set(self, text: str) -> None:
        super().setText(text)
        self._update_tooltip()
        self.updateGeometry()
        self.update()

    def shown_text(self) -> str:
        """What is painted: the whole text, else the first shorter form that fits, else
        the shortest form elided with "…"."""
        width = self.contentsRect().width()
        metrics = self.fontMetrics()
        forms = (self.text(), *self._shorter)
        for form in forms:
            if metrics.horizontalAdvance(form) <= width:
                return form
        return metrics.elidedText(forms[-1], Qt.TextElideMode.ElideRight, width)

    def minimumSizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        width = min(metrics.horizontalAdvance("M" * self._minimum_chars),
                    super().sizeHint().width())
        if self._keep_shortest and self._shorter:  # the shortest form is never cut
            width = max(width, metrics.horizontalAdvance(self._shorter[-1])
                        + self.contentsMargins().left() + self.contentsMargins().right())
        return QSize(width, metrics.height())

    def is_elided(self) -> bool:
        return self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._update_tooltip()

    def set_tip(self, tip: str) -> None:
        """A tooltip kept whatever the width (else the whole text shows when elided)."""
        self._tip = tip
        self._update_tooltip()

    def _update_tooltip(self) -> None:
        self.setToolTip(self._tip or (self.text() if self.text() and self.is_elided() else ""))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        option = QStyleOption()
        option.initFrom(self)
        rect = self.contentsRect()
        shown = self.shown_text()
        flags = int(self.alignment()) | int(Qt.TextFlag.TextSingleLine)
        self.style().drawItemText(painter, rect, flags, option.palette, self.isEnabled(),
                                  shown, self.foregroundRole())
        painter.end()
