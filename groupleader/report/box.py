"""A framed, shaded block that splits across pages (the risk box).

A ReportLab `Table` cannot split inside a row, so a box made of a one-column table
cannot hold a text taller than a page (a `LayoutError`, and nothing is written), and
a text taller than the rest of a page moves whole to the next one, leaving the box's
title and a heading alone at the page's foot. `SplitBox` draws its own frame around a
list of flowables and splits between them or inside a paragraph:

- its title (`head`) is repeated, marked "(continued)", at the top of each later part;
- a flowable whose style says `keepWithNext` (an item's heading) stays with at least
  the first two lines of the flowable after it (`keep.LINES_KEPT`), and the title with
  the first item, so the box never ends a page with only headings in it;
- when even a fresh page cannot hold that much, it splits where it can (a page of
  text, never a failure).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.lib.colors import Color
from reportlab.platypus import Flowable, Paragraph

from groupleader.report.keep import LINES_KEPT


def _keeps_next(f: Flowable) -> bool:
    style = getattr(f, "style", None)
    return bool(getattr(f, "keepWithNext", 0) or getattr(style, "keepWithNext", 0))


def _min_lines(f: Flowable) -> float:
    """The height `f` must have on a page beside a heading kept with it."""
    if isinstance(f, Paragraph):
        return LINES_KEPT * float(f.style.leading)
    return 0.0


class SplitBox(Flowable):
    """`head` then `body` inside a frame of `edge` on `fill`, `width` wide."""

    def __init__(self, head: Sequence[Flowable], body: Sequence[Flowable], width: float, *,
                 fill: Color, edge: Color, edge_width: float = 1.4, pad: float = 8,
                 top: float = 6, bottom: float = 7, gap: float = 4,
                 continued: Callable[[], list[Flowable]] | None = None) -> None:
        super().__init__()
        self.head, self.body = list(head), list(body)
        self.box_width = width
        self.fill, self.edge, self.edge_width = fill, edge, edge_width
        self.pad, self.top, self.bottom, self.gap = pad, top, bottom, gap
        self.continued = continued  # the title of a later part; else `head` again
        self._heights: list[float] = []

    @property
    def content(self) -> list[Flowable]:
        return [*self.head, *self.body]

    # `language.story_text` and `afterFlowable` look inside containers through `_content`
    @property
    def _content(self) -> list[Flowable]:
        return self.content

    def _inner(self) -> float:
        return self.box_width - 2 * self.pad

    def _measure(self, items: list[Flowable]) -> list[float]:
        return [float(f.wrap(self._inner(), 0xFFFFFF)[1]) for f in items]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._heights = self._measure(self.content)
        items = len(self._heights)
        self.height = (self.top + self.bottom + sum(self._heights)
                       + self.gap * max(items - 1, 0))
        self.width = self.box_width
        return self.width, self.height

    def _copy(self, head: list[Flowable], body: list[Flowable]) -> SplitBox:
        return SplitBox(head, body, self.box_width, fill=self.fill, edge=self.edge,
                        edge_width=self.edge_width, pad=self.pad, top=self.top,
                        bottom=self.bottom, gap=self.gap, continued=self.continued)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        self.wrap(availWidth, availHeight)
        if self.height <= availHeight:
            return [self]
        at_top = bool(getattr(getattr(self, "_frame", None), "_atTop", False))
        first = self._fill(availHeight, strict=True)
        if first is None and at_top:
            first = self._fill(availHeight, strict=False)
        if first is None:
            return []
        placed, rest = first
        if not rest:
            return [self]
        later_head = self.continued() if self.continued else list(self.head)
        return [self._copy(list(self.head), placed), self._copy(later_head, rest)]

    def _fill(self, avail: float, strict: bool) -> tuple[list[Flowable], list[Flowable]] | None:
        """The body's flowables (or parts) that fit below the head in `avail`, and the
        rest; None when nothing of the body fits (under the keep rule when `strict`)."""
        inner = self._inner()
        room = avail - self.top - self.bottom
        room -= sum(self._measure(self.head)) + self.gap * len(self.head)
        placed: list[Flowable] = []
        body = list(self.body)
        i = 0
        while i < len(body):
            f = body[i]
            h = float(f.wrap(inner, 0xFFFFFF)[1])
            if h <= room:
                placed.append(f)
                room -= h + self.gap
                i += 1
                continue
            need = _min_lines(f) if strict else 0.0
            parts = list(f.split(inner, room)) if room > 0 and room >= need else []
            if len(parts) >= 2:
                placed.append(parts[0])
                return self._kept(placed, [*parts[1:], *body[i + 1:]], strict)
            break
        return self._kept(placed, body[i:], strict)

    def _kept(self, placed: list[Flowable], rest: list[Flowable],
              strict: bool) -> tuple[list[Flowable], list[Flowable]] | None:
        """Headings at the end of `placed` go with what follows them."""
        if strict and rest:
            while placed and _keeps_next(placed[-1]):
                rest.insert(0, placed.pop())
        if not placed:
            return None
        return placed, rest

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        canv.setFillColor(self.fill)
        canv.setStrokeColor(self.edge)
        canv.setLineWidth(self.edge_width)
        canv.rect(0, 0, self.box_width, self.height, stroke=1, fill=1)
        canv.restoreState()
        y = self.height - self.top
        for f, h in zip(self.content, self._heights, strict=True):
            y -= h
            f.drawOn(canv, self.pad, y)
            y -= self.gap
