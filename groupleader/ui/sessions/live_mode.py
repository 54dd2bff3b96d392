"""During-session mode: a running timer and a quick-note line stamped with the minute.

Each quick note ("23' M.K. challenged the leader") goes straight into the group note's
here-and-now field as a new line, so it is autosaved like anything typed there: a crash
in the middle of a session loses nothing, and after the session the leader edits the
lines into prose in the group note itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from groupleader.ui.widgets import heading_font

Clock = Callable[[], datetime]


def stamp(minute: int, text: str) -> str:
    """The quick-note line for `text` written at `minute` of the session."""
    return f"{minute}' {text.strip()}"


class LiveModeBar(QWidget):
    """Timer and quick-note line; `entry` carries each stamped line."""

    entry = Signal(str)
    stopped = Signal()

    def __init__(self, parent: QWidget | None = None, clock: Clock | None = None) -> None:
        super().__init__(parent)
        self._clock: Clock = clock or (lambda: datetime.now().astimezone())
        self._started: datetime | None = None
        self.setAutoFillBackground(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        self.timer_label = QLabel("0:00", self)
        self.timer_label.setFont(heading_font(self.font(), 1.3))
        self.timer_label.setAccessibleName("Session time")
        self.timer_label.setMinimumWidth(self.timer_label.fontMetrics().horizontalAdvance("00:00:00"))
        layout.addWidget(self.timer_label)
        self.line = QLineEdit(self)
        self.line.setPlaceholderText("Quick note — Enter stamps it with the minute "
                                     "(e.g. M.K. challenged the leader)")
        self.line.setAccessibleName("Quick note")
        self.line.returnPressed.connect(self.commit)
        layout.addWidget(self.line, 1)
        self.stop_button = QPushButton("End session", self)
        self.stop_button.setAccessibleName("End the session timer")
        self.stop_button.clicked.connect(self.stop)
        layout.addWidget(self.stop_button)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._show_time)
        self.hide()

    @property
    def running(self) -> bool:
        return self._started is not None

    def start(self, started: datetime | None = None) -> None:
        self._started = started or self._clock()
        self._tick.start()
        self._show_time()
        self.show()
        self.line.setFocus(Qt.FocusReason.OtherFocusReason)

    def stop(self) -> None:
        self.commit()  # nothing typed is dropped
        self._started = None
        self._tick.stop()
        self.hide()
        self.stopped.emit()

    def minute(self) -> int:
        if self._started is None:
            return 0
        return max(0, int((self._clock() - self._started).total_seconds() // 60))

    def commit(self) -> None:
        text = self.line.text().strip()
        if not text:
            return
        self.line.clear()
        self.entry.emit(stamp(self.minute(), text))

    def _show_time(self) -> None:
        if self._started is None:
            return
        seconds = max(0, int((self._clock() - self._started).total_seconds()))
        h, rest = divmod(seconds, 3600)
        m, s = divmod(rest, 60)
        self.timer_label.setText(f"{h}:{m:02}:{s:02}" if h else f"{m}:{s:02}")
