"""The seating view: the circle of chairs, who sat where, and who spoke to whom."""

from groupleader.ui.seating.view import SeatingView

__all__ = ["SeatingView"]
