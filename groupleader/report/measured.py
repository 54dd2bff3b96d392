"""A Paragraph that breaks its lines once per width.

ReportLab's `Paragraph.wrap` breaks the lines again on every call, and a summary's long
paragraphs are wrapped several times at the same width before they are drawn: the keep
rules (`keep.py`) measure a heading and the note after it, the frame then wraps it to
place it, and again to split it at the foot of a page. The lines depend only on the
width (the height only decides where a split falls, in `split`), so the second and later
wraps at the same width reuse the first one's lines. Anything that changes them (a split
drops them, drawing may reorder them) makes the next wrap break them afresh.

Line breaking asks, word by word, whether a word is set like the one before it
(ReportLab's `sameFrag`). `rl_accel`'s C version looks each style attribute up with
`getattr`, and most of them are absent from a fragment, so it raises and clears an
AttributeError several times a word: four times slower than reading the fragment's
`__dict__`, which is what ReportLab's own Python version does. Fragments keep their
attributes in their `__dict__` (ReportLab's `ParaFrag` has no class attributes), so the
answer is the same; ReportLab uses the Python version here.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Paragraph
from reportlab.platypus import paragraph as _rl_paragraph
from reportlab.rl_config import _FUZZ

_STYLE_KEYS = ("fontName", "fontSize", "textColor", "rise", "us_lines", "link", "backColor",
               "nobr")


def _same_frag(f: Any, g: Any) -> bool:
    """ReportLab's pure-Python `sameFrag` (reportlab.lib.rl_accel): whether two fragments
    are set alike, so that a word may join the one before it."""
    fdict, gdict = f.__dict__, g.__dict__
    if "cbDefn" in fdict or "lineBreak" in fdict or "cbDefn" in gdict or "lineBreak" in gdict:
        return False
    return [fdict.get(k) for k in _STYLE_KEYS] == [gdict.get(k) for k in _STYLE_KEYS]


_rl_paragraph.sameFrag = _same_frag


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
