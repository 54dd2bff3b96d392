"""Auto-lock: one app-wide inactivity event filter and one timer (KeePassXC's InactivityTimer).

Any key press, mouse press, wheel or touch anywhere in the program restarts the timer;
when it runs out, `inactive` is emitted and the main window locks the vault. Mouse moves
count too, but a move restarts the timer at most once a second, so the filter costs
nothing measurable.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

if TYPE_CHECKING:  # imported when watching begins: QEvent is costly to load at start-up
    from PySide6.QtCore import QEvent


def _activity_types() -> frozenset[QEvent.Type]:
    """The events that count as use (built on first use: QEvent.Type is a large enum)."""
    from PySide6.QtCore import QEvent

    t = QEvent.Type
    return frozenset({
        t.KeyPress, t.MouseButtonPress, t.MouseButtonDblClick, t.Wheel, t.TouchBegin,
        t.TabletPress, t.MouseMove, t.InputMethod,
    })


class InactivityTimer(QObject):
    """Emits `inactive` after `interval` milliseconds without user input, while active."""

    inactive = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timeout)
        self._installed = False
        self._activity: frozenset[QEvent.Type] | None = None
        self._mouse_move: QEvent.Type | None = None
        self._last_restart = 0.0
        self.set_minutes(10)

    # ------------------------------------------------------------------ configuration
    def set_minutes(self, minutes: int) -> None:
        """Lock after this many idle minutes; 0 turns auto-lock off."""
        self.set_interval_ms(max(0, int(minutes)) * 60_000)

    def set_interval_ms(self, ms: int) -> None:
        """The idle time in milliseconds (tests shorten it; 0 turns auto-lock off)."""
        self._interval = max(0, int(ms))
        if self._timer.isActive() or self._installed:
            self._restart()

    @property
    def interval_ms(self) -> int:
        return self._interval

    # ------------------------------------------------------------------ running
    def start(self) -> None:
        """Begin watching (when a vault is unlocked)."""
        app = QCoreApplication.instance()
        if app is not None and not self._installed:
            if self._activity is None:
                from PySide6.QtCore import QEvent

                self._activity = _activity_types()
                self._mouse_move = QEvent.Type.MouseMove
            app.installEventFilter(self)
            self._installed = True
        self._restart()

    def stop(self) -> None:
        """Stop watching (when the vault is locked or closed)."""
        self._timer.stop()
        app = QCoreApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self)
        self._installed = False

    @property
    def active(self) -> bool:
        return self._installed

    def idle_s(self) -> float:
        """Seconds since the last input while watching (mouse moves count to the second)."""
        return time.monotonic() - self._last_restart if self._installed else float("inf")

    def _restart(self) -> None:
        self._last_restart = time.monotonic()
        if self._interval > 0 and self._installed:
            self._timer.start(self._interval)
        else:
            self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if self._activity is not None and kind in self._activity and (
            kind != self._mouse_move or time.monotonic() - self._last_restart > 1.0
        ):
            self._restart()
        return False

    def _on_timeout(self) -> None:
        if self._installed:
            self.inactive.emit()
