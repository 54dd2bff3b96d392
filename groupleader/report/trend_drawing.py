"""Trend charts on paper (ReportLab graphics), from the same `Trend` data the window's
Qt Charts use: bands shaded and named at the right, the cut-off dashed, reliable
improvement (circle), recovery (star-like diamond) and deterioration (square) marked,
and the instrument's attribution under the chart.
"""

from __future__ import annotations

from datetime import date

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors

from groupleader.measures.trends import Trend
from groupleader.report.fonts import BOLD, REGULAR, register_fonts

SERIES_COLORS = (colors.HexColor("#1e5aaa"), colors.HexColor("#c87814"),
                 colors.HexColor("#962c8c"), colors.HexColor("#288c50"))
BAND_BASE = (0.78, 0.24, 0.16)
MARK = {
    "improved": ("Reliable improvement", colors.HexColor("#1e8c3c")),
    "recovered": ("Recovered", colors.HexColor("#146e28")),
    "deteriorated": ("Reliable deterioration", colors.HexColor("#c81e1e")),
}
LEFT, RIGHT, BOTTOM, TOP = 30.0, 92.0, 44.0, 18.0


def _band_color(level: int) -> colors.Color:
    alpha = min(0.08 + 0.08 * level, 0.5)
    r, g, b = BAND_BASE
    return colors.Color(1 - (1 - r) * alpha, 1 - (1 - g) * alpha, 1 - (1 - b) * alpha)


def _marker(kind: str, x: float, y: float, color: colors.Color) -> Rect | Polygon | Circle:
    if kind == "deteriorated":
        return Rect(x - 3, y - 3, 6, 6, fillColor=color, strokeColor=color)
    if kind == "recovered":
        return Polygon([x, y + 4, x + 4, y, x, y - 4, x - 4, y], fillColor=color,
                       strokeColor=color)
    return Circle(x, y, 3.2, fillColor=color, strokeColor=color)


def trend_drawing(trend: Trend, width: float = 440.0, height: float = 190.0) -> Drawing:
    """The chart as a Drawing (a flowable): an empty trend says so instead of a chart."""
    register_fonts()
    if trend.empty:
        d = Drawing(width, 28)
        d.add(String(LEFT, 16, trend.title, fontName=BOLD, fontSize=9))
        d.add(String(LEFT, 4, "No scores yet.", fontName=REGULAR, fontSize=8.5))
        return d
    d = Drawing(width, height)
    d.add(String(LEFT, height - 12, trend.title, fontName=BOLD, fontSize=9))
    pw, ph = width - LEFT - RIGHT, height - BOTTOM - TOP
    lo, hi = trend.y_range
    first, last = trend.first or date.min, trend.last or date.min
    span = max((last - first).days, 1)

    def px(when: date) -> float:
        return LEFT + pw * (when - first).days / span

    def py(value: float) -> float:
        return BOTTOM + ph * (value - lo) / (hi - lo)

    for b in trend.bands:
        d.add(Rect(LEFT, py(b.lower), pw, py(b.upper) - py(b.lower),
                   fillColor=_band_color(b.level), strokeColor=None))
        d.add(String(LEFT + pw + 4, (py(b.lower) + py(b.upper)) / 2 - 2.5, b.label,
                     fontName=REGULAR, fontSize=6.5, fillColor=colors.HexColor("#555555")))
    d.add(Rect(LEFT, BOTTOM, pw, ph, fillColor=None, strokeColor=colors.HexColor("#999999"),
               strokeWidth=0.5))
    for i in range(5):
        v = lo + (hi - lo) * i / 4
        d.add(String(LEFT - 4, py(v) - 2.5, f"{v:g}", fontName=REGULAR, fontSize=6.5,
                     textAnchor="end"))
    d.add(String(LEFT, BOTTOM - 10, first.strftime("%d %b %Y"), fontName=REGULAR,
                 fontSize=6.5))
    d.add(String(LEFT + pw, BOTTOM - 10, last.strftime("%d %b %Y"), fontName=REGULAR,
                 fontSize=6.5, textAnchor="end"))
    legend: list[tuple[str, colors.Color]] = []
    if trend.cutoff is not None:
        y = py(trend.cutoff)
        d.add(Line(LEFT, y, LEFT + pw, y, strokeColor=colors.HexColor("#5a5a5a"),
                   strokeDashArray=[3, 2], strokeWidth=0.8))
        legend.append((f"Cut-off {trend.cutoff:g}", colors.HexColor("#5a5a5a")))
    for i, series in enumerate(trend.series):
        color = SERIES_COLORS[i % len(SERIES_COLORS)]
        pts = [v for p in series.points for v in (px(p.when), py(p.value))]
        if len(pts) >= 4:
            d.add(PolyLine(pts, strokeColor=color, strokeWidth=1.3))
        elif pts:
            d.add(Rect(pts[0] - 1.5, pts[1] - 1.5, 3, 3, fillColor=color, strokeColor=color))
        legend.append((series.label, color))
    for kind, (label, color) in MARK.items():
        points = trend.markers(kind, changes_only=trend.longest > 60)
        for p in points:
            d.add(_marker(kind, px(p.when), py(p.value), color))
        if points:
            legend.append((label, color))
    if trend.risk_unanswered:
        amber = colors.HexColor("#e69600")
        for p in trend.risk_unanswered:
            x0, y0 = px(p.when), py(p.value)
            d.add(Polygon([x0 - 4, y0 - 3, x0 + 4, y0 - 3, x0, y0 + 4], fillColor=amber,
                          strokeColor=amber))
        legend.append(("Risk item not answered", amber))
    x = LEFT
    for label, color in legend:
        d.add(Rect(x, 16, 6, 6, fillColor=color, strokeColor=color))
        d.add(String(x + 9, 16, label, fontName=REGULAR, fontSize=7))
        x += 18 + 3.6 * len(label)
    if trend.attribution:
        d.add(String(LEFT, 4, trend.attribution, fontName=REGULAR, fontSize=6,
                     fillColor=colors.HexColor("#555555")))
    return d
