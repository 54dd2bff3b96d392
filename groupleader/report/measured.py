"""A Paragraph that breaks its lines once per width.

ReportLab's `Paragraph.wrap` breaks the lines again on every call, and a summary's long
paragraphs are wrapped several times at the same width before they are drawn: the keep
rules (`keep.py`) measure a heading and the note after it, the frame then wraps it to
place it, and again to split it at the foot of a page. The lines depend only on the
width (the height only decides where a split falls, in `split`), so the second and later
wraps at the same width reuse the first one's lines. Anything that changes them (a split
drops them, drawing may reorder them) makes the next wrap break them afresh.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Paragraph
from reportlab.rl_config import _FUZZ


class MeasuredParagraph(Paragraph):
    """A Paragraph whose line breaking is done once per width (see the module)."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        memo: Any = self.__dict__.get("_measured")
        if (memo is not None and memo[0] == availWidth
                and self.__dict__.get("blPara") is memo[1]):
            self.width, self.height = availWidth, memo[2]
            return availWidth, memo[2]
        size = super().wrap(availWidth, availHeight)
        if availWidth >= _FUZZ:
            self._measured = (availWidth, self.blPara, self.height)
        return size

    def draw(self) -> None:
        self.__dict__.pop("_measured", None)  # drawing may reorder the lines in place
        super().draw()
