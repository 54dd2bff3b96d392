"""The period report's small chart: the group's stage and the therapeutic factors noted,
session by session (ReportLab graphics).

One column per held session. The upper rows are the stages of group development, with a
square in the stage the group note gave and a line joining them, so the group's course
reads left to right; the lower rows are the factors noted at least once in the period,
with a dot where a session's note names it. On the right of every row: in how many of the
chart's sessions the group was in that stage, or noted that factor.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, PolyLine, Rect, String
from reportlab.pdfbase.pdfmetrics import stringWidth

from groupleader.report.fonts import BOLD, REGULAR
from groupleader.report.model import StagePoint
from groupleader.report.styles import ARROW, INK, MUTED, RULE, SHADE

ROW = 10.0  # height of one row
LABEL_W = 170.0  # the row names on the left
COUNT_W = 44.0  # "12 of 14" on the right
MAX_COL = 18.0
MIN_COL = 7.0
SIZE = 7.0


def _fit(text: str, width: float, font: str = REGULAR, size: float = SIZE) -> str:
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def label_width(stage_names: Sequence[str], factor_names: Sequence[str],
                width: float) -> float:
    """The row names' column: wide enough for the longest name ("Corrective
    recapitulation of the primary family group" was cut to "…primary fam…"), at least
    LABEL_W and at most two fifths of the chart."""
    names = [f"Stage: {n}" for n in stage_names] + list(factor_names)
    longest = max((stringWidth(n, REGULAR, SIZE) for n in names), default=0.0)
    return min(max(LABEL_W, longest + 8), width * 0.4)


def columns_per_chart(width: float, label_w: float = LABEL_W) -> int:
    """How many sessions one chart of this width shows (a longer period gets several)."""
    return max(1, int((width - label_w - COUNT_W) // MIN_COL))


def stage_factor_chart(points: Sequence[StagePoint], stage_names: Sequence[str],
                       factor_names: Sequence[str], width: float) -> Drawing:
    """One chart of `points` (at most `columns_per_chart(width)` of them)."""
    n = max(1, len(points))
    label_w = label_width(stage_names, factor_names, width)
    col = min(MAX_COL, (width - label_w - COUNT_W) / n)
    head, gap, foot = 12.0, 9.0, 26.0
    rows_h = (len(stage_names) + len(factor_names)) * ROW + (gap if factor_names else 0)
    height = head + rows_h + foot
    d = Drawing(width, height)
    x0 = label_w
    grid_w = col * len(points)

    def x_of(i: int) -> float:
        return x0 + col * i + col / 2

    # session numbers along the top, dates along the bottom
    top = height - head
    d.add(String(0, top + 3, "Session", fontName=BOLD, fontSize=SIZE, fillColor=MUTED))
    for i, p in enumerate(points):
        d.add(String(x_of(i), top + 3, p.label, fontName=REGULAR, fontSize=SIZE - 0.5,
                     fillColor=MUTED, textAnchor="middle"))

    def row_y(r: int) -> float:
        """The middle of row r counted from the top (stage rows first, then factors)."""
        extra = gap if r >= len(stage_names) else 0
        return top - ROW * r - ROW / 2 - extra

    def band(r: int, label: str, count: int) -> None:
        """Row r's shading, its name, and on the right in how many sessions it was (drawn
        next to the name, so the text reads "Stage: Working 5 of 21")."""
        y = row_y(r)
        if r % 2 == 0:
            d.add(Rect(0, y - ROW / 2, x0 + grid_w + COUNT_W, ROW, fillColor=SHADE,
                       strokeColor=None))
        d.add(String(0, y - 2.4, _fit(label, label_w - 6), fontName=REGULAR, fontSize=SIZE,
                     fillColor=INK))
        d.add(String(x0 + grid_w + 4, y - 2.4, f"{count} of {len(points)}",
                     fontName=REGULAR, fontSize=SIZE, fillColor=MUTED))

    in_stage = [sum(1 for p in points if p.stage == r) for r in range(len(stage_names))]
    for r, name in enumerate(stage_names):
        band(r, f"Stage: {name}", in_stage[r])
    for k, name in enumerate(factor_names):
        band(len(stage_names) + k, name, sum(1 for p in points if name in p.factors))
    bottom = row_y(len(stage_names) + len(factor_names) - 1) - ROW / 2
    for i in range(len(points) + 1):  # light column rules
        x = x0 + col * i
        d.add(Line(x, bottom, x, top, strokeColor=RULE, strokeWidth=0.25))

    # the stage: squares joined by a line (a gap where no stage was noted)
    run: list[float] = []
    for i, p in enumerate(points):
        if p.stage is None:
            if len(run) > 2:
                d.add(PolyLine(run, strokeColor=ARROW, strokeWidth=0.9))
            run = []
            continue
        x, y = x_of(i), row_y(p.stage)
        run += [x, y]
        s = min(5.0, col * 0.6)
        d.add(Rect(x - s / 2, y - s / 2, s, s, fillColor=ARROW, strokeColor=None))
    if len(run) > 2:
        d.add(PolyLine(run, strokeColor=ARROW, strokeWidth=0.9))

    # the factors: a dot in each session that noted it
    for k, name in enumerate(factor_names):
        y = row_y(len(stage_names) + k)
        for i, p in enumerate(points):
            if name in p.factors:
                d.add(Circle(x_of(i), y, min(2.6, col * 0.3), fillColor=INK,
                             strokeColor=None))

    for i, p in enumerate(points):  # dates under the columns, turned to fit
        label = String(0, 0, p.date_text, fontName=REGULAR, fontSize=SIZE - 1,
                       fillColor=MUTED, textAnchor="end")
        g = Group(label)
        g.translate(x_of(i) + 2, bottom - 3)
        g.rotate(60)
        d.add(g)
    return d
