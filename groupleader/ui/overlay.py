"""Banners that float: showing or hiding one never moves a control under the pointer.

A banner in a layout pushes everything below it down when it appears (a backup that
failed in the background, a wrong passphrase) and back up when it goes, so the next
click lands on something else. `Floating` takes the banner out of the layout and keeps
it over empty space instead: below the last row of a page's form (`below`), or across
the bottom of the workspace (`at_bottom`), re-placed whenever its host or its text
changes size.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QRect
from PySide6.QtWidgets import QLayout, QWidget

MARGIN = 8

Place = Callable[[QWidget, QWidget], QRect]  # (host, banner) -> where the banner goes


def banner_height(banner: QWidget, width: int) -> int:
    height = banner.heightForWidth(width) if banner.hasHeightForWidth() else -1
    return max(height, banner.minimumSizeHint().height(), banner.sizeHint().height()
               if height < 0 else 0)


def at_bottom(host: QWidget, banner: QWidget) -> QRect:
    """Across the bottom of `host`, over the last rows of what it shows."""
    width = max(host.width() - 2 * MARGIN, 100)
    height = banner_height(banner, width)
    return QRect(MARGIN, max(host.height() - height - MARGIN, 0), width, height)


def below(row: QLayout, column: QLayout) -> Place:
    """Under `row` (a page's last row of buttons) and as wide as `column` (the page's
    column), in the empty space beneath."""

    def place(host: QWidget, banner: QWidget) -> QRect:
        margins = column.contentsMargins()
        width = max(host.width() - margins.left() - margins.right(), 100)
        return QRect(margins.left(), row.geometry().bottom() + 2 * MARGIN, width,
                     banner_height(banner, width))

    return place


class Floating(QObject):
    """Keeps `banner` floating over `host` at `place`, out of every layout."""

    WATCHED = (QEvent.Type.Resize, QEvent.Type.Show, QEvent.Type.LayoutRequest)

    def __init__(self, banner: QWidget, host: QWidget, place: Place) -> None:
        super().__init__(banner)
        self.banner, self.host, self.place = banner, host, place
        if banner.parentWidget() is not host:
            banner.setParent(host)
        host.installEventFilter(self)
        banner.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self.WATCHED and (watched is self.host or (
                watched is self.banner and event.type() != QEvent.Type.Resize)):
            self.update()
        return False

    def update(self) -> None:
        if not self.banner.isVisibleTo(self.host):
            return
        self.banner.setGeometry(self.place(self.host, self.banner))
        self.banner.raise_()
