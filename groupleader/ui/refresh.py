"""Views refresh only what they show, and only when shown.

Each per-group view owns a `Follower` of the runner's `changed` signal. The view says
whether a change touches what it shows (`cares`); if the view is hidden (another tab in
front) the follower only marks it stale, and refreshes it as a whole the next time it is
shown; if it is visible the view applies the change (`apply`), which may touch only the
rows the change names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from groupleader.data.operations.base import Changes

Cares = Callable[["Changes", object], bool]
Apply = Callable[["Changes", object], None]


class Follower(QObject):
    """Follows `changed` for one view: applies a change now, or when the view is shown."""

    def __init__(self, view: QWidget, cares: Cares, apply: Apply,
                 refresh_all: Callable[[], None]) -> None:
        super().__init__(view)
        self.view = view
        self.stale = False
        self._cares, self._apply, self._refresh_all = cares, apply, refresh_all
        view.installEventFilter(self)

    def on_changed(self, changes: Changes, source: object) -> None:
        if not self._cares(changes, source):
            return
        if not self.view.isVisible():
            self.stale = True
            return
        self._apply(changes, source)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.Show and self.stale:
            self.stale = False
            self._refresh_all()
        return False

    def forget(self) -> None:
        """Nothing is stale any more (the view was cleared or shows another group)."""
        self.stale = False
