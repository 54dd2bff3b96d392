"""The circle of chairs as vector graphics, with who-spoke-to-whom arrows.

Everything where it stands comes from `groupleader.seating`: the chairs' places and size,
each name's box beside its chair (`layout_circle`: no two chairs, no two names and no name
and chair overlap, at any number of chairs up to 20 and beyond), and each arrow's curve
(`arrow_control`: never under the centre circle). The screen uses the same functions.
Those coordinates point y down (screen-like); the PDF's y points up, so every y goes
through `flip_y`. A name too long for its place is shortened with "…" and printed whole in
the legend under the circle (`legend`). An arrow's width grows with how often the speaker
addressed that person; remarks to the whole group point at the centre circle.
"""

from __future__ import annotations

import math

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from groupleader.report.fonts import BOLD, REGULAR, register_fonts
from groupleader.report.model import Arrow, Chair
from groupleader.report.scripts import font_markup, paragraph, string_width
from groupleader.report.styles import ARROW, INK, LEADER_FILL, MEMBER_FILL, MUTED, RULE
from groupleader.seating import (
    MAX_DRAWN,
    CircleLayout,
    PlacedChair,
    arrow_control,
    flip_y,
    layout_circle,
)

MIN_WIDTH, MAX_WIDTH = 0.8, 5.0
EMPTY = "(empty)"
_ALIGN = {"left": TA_LEFT, "right": TA_RIGHT, "centre": TA_CENTER}


def arrow_width(count: int, most: int) -> float:
    """Line width for an arrow drawn `count` times when the busiest pair has `most`."""
    if most <= 1:
        return MIN_WIDTH + 0.6
    return MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * (count - 1) / (most - 1)


def height_for(chairs: int, width: float) -> float:
    """The drawing's height: more chairs need a larger circle for their names."""
    return min(width * 0.5, 250.0) if chairs <= 10 else min(width * 0.66, 320.0)


def _label(chair: Chair) -> str:
    return chair.label if chair.kind != "empty" else EMPTY


class SeatingDiagram(Flowable):
    """The circle, chairs numbered from 1 at the top, clockwise; each name beside its chair."""

    def __init__(self, chairs: tuple[Chair, ...], arrows: tuple[Arrow, ...],
                 width: float = 480.0, height: float = 250.0) -> None:
        super().__init__()
        self.chairs = chairs
        self.arrows = arrows
        self.width = width
        self.height = height
        register_fonts()
        # widths remembered for this drawing only (the layout tries several sizes); never
        # in a module-level cache, which would keep names in memory after the vault locks
        widths: dict[tuple[str, float], float] = {}

        def measure(text: str, size: float) -> float:
            if (text, size) not in widths:
                widths[text, size] = string_width(text, size)
            return widths[text, size]

        # the circle is drawn for up to MAX_DRAWN chairs; a larger one shows chair
        # numbers only, and every name is in the legend under it
        self.numbers_only = len(chairs) > MAX_DRAWN
        labels = ["" if self.numbers_only else _label(c) for c in chairs]
        self.layout: CircleLayout = layout_circle(labels, width, height, measure)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def legend(self) -> list[tuple[int, str]]:
        """(chair number, whole name) of each name the circle had to shorten."""
        if self.numbers_only:
            return [(i + 1, _label(c)) for i, c in enumerate(self.chairs)]
        return [(p.index + 1, _label(self.chairs[p.index])) for p in self.layout.shortened]

    # ---------------------------------------------------------------- geometry (PDF y up)

    def _layout(self) -> tuple[float, float, dict[str, tuple[float, float]], list]:
        """(ring, chair radius, chair key -> PDF point, [(chair, x, y, angle)])."""
        lay = self.layout
        points = []
        where: dict[str, tuple[float, float]] = {}
        for chair, spot in zip(self.chairs, lay.chairs, strict=True):
            x, y = spot.x, flip_y(spot.y, self.height)
            points.append((chair, x, y, spot.angle_deg))
            if chair.key:
                where[chair.key] = (x, y)
        return lay.ring, lay.chair_radius, where, points

    # ---------------------------------------------------------------- drawing

    def draw(self) -> None:
        canvas: Canvas = self.canv
        lay = self.layout
        cx, cy = lay.cx, flip_y(lay.cy, self.height)
        _ring, r, where, points = self._layout()
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.setDash(2, 3)
        canvas.circle(cx, cy, lay.ring, stroke=1, fill=0)
        canvas.setDash()
        to_group = any(not a.target for a in self.arrows)
        if to_group:
            canvas.setFillColor(colors.white)
            canvas.setStrokeColor(RULE)
            canvas.setLineWidth(0.6)
            canvas.circle(cx, cy, lay.centre_radius, stroke=1, fill=1)
        self._draw_arrows(canvas, where, r, (cx, cy))
        if to_group:
            size = min(6.5, lay.centre_radius * 0.42)
            canvas.setFont(REGULAR, size)
            canvas.setFillColor(MUTED)
            canvas.drawCentredString(cx, cy - size * 0.35, "whole group")
        for (chair, x, y, _angle), spot in zip(points, lay.chairs, strict=True):
            self._draw_chair(canvas, chair, x, y, r)
            self._draw_label(canvas, chair, spot)
        canvas.restoreState()

    def _draw_chair(self, canvas: Canvas, chair: Chair, x: float, y: float, r: float) -> None:
        fill = {"member": MEMBER_FILL, "clinician": LEADER_FILL}.get(chair.kind, colors.white)
        canvas.setFillColor(fill)
        canvas.setStrokeColor(MUTED if chair.kind != "empty" else RULE)
        canvas.setLineWidth(0.8)
        if chair.kind == "empty":
            canvas.setDash(1.5, 1.5)
        canvas.circle(x, y, r, stroke=1, fill=1)
        canvas.setDash()
        canvas.setFillColor(INK)
        size = min(7.0, r * 0.62)
        canvas.setFont(BOLD, size)
        canvas.drawCentredString(x, y - size * 0.35, str(chair.position + 1))

    def _draw_label(self, canvas: Canvas, chair: Chair, spot: PlacedChair) -> None:
        lay = self.layout
        box, align, lines = spot.box, spot.align, spot.lines
        style = ParagraphStyle(
            f"seat-{align}", fontName=REGULAR, fontSize=lay.font_size,
            leading=lay.line_height, alignment=_ALIGN[align],
            textColor=INK if chair.kind != "empty" else MUTED)
        if all(line.isascii() for line in lines):  # the common case, drawn directly
            canvas.setFont(REGULAR, lay.font_size)
            canvas.setFillColor(style.textColor)
            for k, line in enumerate(lines):
                base = flip_y(box.y0 + lay.line_height * k + lay.font_size, self.height)
                if align == "left":
                    canvas.drawString(box.x0, base, line)
                elif align == "right":
                    canvas.drawRightString(box.x1, base, line)
                else:
                    canvas.drawCentredString((box.x0 + box.x1) / 2, base, line)
            return
        slack = 6.0
        w = box.x1 - box.x0 + slack
        x = {"left": box.x0, "right": box.x1 - w}.get(align, (box.x0 + box.x1) / 2 - w / 2)
        text = "<br/>".join(font_markup(line) for line in lines)
        para = paragraph(text, style)
        _w, h = para.wrap(w, lay.line_height * (len(lines) + 1))
        top = flip_y(box.y0, self.height)
        para.drawOn(canvas, x, top - h)

    def _draw_arrows(self, canvas: Canvas, where: dict[str, tuple[float, float]], r: float,
                     centre: tuple[float, float]) -> None:
        drawable = [a for a in self.arrows if a.source in where
                    and (not a.target or a.target in where)]
        if not drawable:
            return
        most = max(a.count for a in drawable)
        canvas.setStrokeColor(ARROW)
        canvas.setFillColor(ARROW)
        inner = self.layout.centre_radius
        h = self.height
        spots = [(c.x, c.y) for c in self.layout.chairs]  # screen-like, empty chairs too
        for a in sorted(drawable, key=lambda a: a.count):
            width = arrow_width(a.count, most)
            head = 5 + width * 1.2
            start = where[a.source]
            if not a.target:
                self._straight(canvas, start, centre, r + 2, inner + 1.5, width, head)
                continue
            end = where[a.target]
            # screen-like coordinates for the shared curve (y down), back to PDF after
            ctrl_s = arrow_control((start[0], flip_y(start[1], h)), (end[0], flip_y(end[1], h)),
                                   (centre[0], flip_y(centre[1], h)), inner + 2 + width / 2,
                                   chairs=spots, chair_clearance=r + 2 + width / 2)
            ctrl = (ctrl_s[0], flip_y(ctrl_s[1], h))
            self._curve(canvas, start, ctrl, end, r + 2, width, head)

    @staticmethod
    def _towards(p: tuple[float, float], q: tuple[float, float],
                 dist: float) -> tuple[float, float]:
        length = math.dist(p, q) or 1.0
        return p[0] + (q[0] - p[0]) * dist / length, p[1] + (q[1] - p[1]) * dist / length

    def _straight(self, canvas: Canvas, a: tuple[float, float], b: tuple[float, float],
                  gap_a: float, gap_b: float, width: float, head: float) -> None:
        s, e = self._towards(a, b, gap_a), self._towards(b, a, gap_b)
        base = self._towards(e, s, head * 0.8)
        canvas.setLineWidth(width)
        canvas.line(s[0], s[1], base[0], base[1])
        self._head(canvas, s, e, head)

    def _curve(self, canvas: Canvas, a: tuple[float, float], ctrl: tuple[float, float],
               b: tuple[float, float], gap: float, width: float, head: float) -> None:
        s, e = self._towards(a, ctrl, gap), self._towards(b, ctrl, gap)
        base = self._towards(e, ctrl, head * 0.8)
        # the quadratic s -> base through ctrl, as PDF's cubic
        c1 = (s[0] + 2 / 3 * (ctrl[0] - s[0]), s[1] + 2 / 3 * (ctrl[1] - s[1]))
        c2 = (base[0] + 2 / 3 * (ctrl[0] - base[0]), base[1] + 2 / 3 * (ctrl[1] - base[1]))
        canvas.setLineWidth(width)
        path = canvas.beginPath()
        path.moveTo(*s)
        path.curveTo(c1[0], c1[1], c2[0], c2[1], base[0], base[1])
        canvas.drawPath(path, stroke=1, fill=0)
        self._head(canvas, ctrl, e, head)

    @staticmethod
    def _head(canvas: Canvas, before: tuple[float, float], tip: tuple[float, float],
              head: float) -> None:
        dx, dy = tip[0] - before[0], tip[1] - before[1]
        dist = math.hypot(dx, dy) or 1.0
        ux, uy = dx / dist, dy / dist
        ex, ey = tip
        path = canvas.beginPath()
        path.moveTo(ex, ey)
        path.lineTo(ex - ux * head - uy * head * 0.45, ey - uy * head + ux * head * 0.45)
        path.lineTo(ex - ux * head + uy * head * 0.45, ey - uy * head - ux * head * 0.45)
        path.close()
        canvas.drawPath(path, stroke=0, fill=1)
