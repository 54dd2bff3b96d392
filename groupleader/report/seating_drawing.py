"""The circle of chairs as vector graphics, with who-spoke-to-whom arrows.

Chair positions come from `groupleader.seating.chair_positions`, the same function the
screen uses, so paper and screen agree. Those coordinates point y down (screen-like);
the PDF's y points up, so every y goes through `flip_y`. An arrow's width grows with how
often the speaker addressed that person; remarks to the whole group point at the centre.
"""

from __future__ import annotations

import math

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from groupleader.report.bidi import visual
from groupleader.report.fonts import BOLD, REGULAR
from groupleader.report.model import Arrow, Chair
from groupleader.report.styles import ARROW, INK, LEADER_FILL, MEMBER_FILL, MUTED, RULE
from groupleader.seating import chair_positions, chair_radius_for, flip_y

MIN_WIDTH, MAX_WIDTH = 0.8, 5.0
LABEL_SIZE = 7.5


def arrow_width(count: int, most: int) -> float:
    """Line width for an arrow drawn `count` times when the busiest pair has `most`."""
    if most <= 1:
        return MIN_WIDTH + 0.6
    return MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * (count - 1) / (most - 1)


def _fit(text: str, width: float, font: str, size: float) -> str:
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


class SeatingDiagram(Flowable):
    """The circle, chairs numbered from 1 at the top, clockwise; `width` leaves room for
    the names beside the chairs on the left and right."""

    def __init__(self, chairs: tuple[Chair, ...], arrows: tuple[Arrow, ...],
                 width: float = 480.0, height: float = 250.0) -> None:
        super().__init__()
        self.chairs = chairs
        self.arrows = arrows
        self.width = width
        self.height = height
        self.label_room = max(40.0, (width - height) / 2 - 8)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    # ---------------------------------------------------------------- geometry

    def _layout(self) -> tuple[float, float, dict[str, tuple[float, float]], list]:
        n = len(self.chairs)
        circle = self.height / 2 - 30  # room above and below for one line of label
        r = min(chair_radius_for(n, circle), 16.0)
        # screen coordinates (y down), centred in the drawing
        spots = chair_positions(n, circle, self.width / 2, self.height / 2)
        points = []
        where: dict[str, tuple[float, float]] = {}
        for chair, spot in zip(self.chairs, spots, strict=True):
            x, y = spot.x, flip_y(spot.y, self.height)
            points.append((chair, x, y, spot.angle_deg))
            if chair.key:
                where[chair.key] = (x, y)
        return circle, r, where, points

    # ---------------------------------------------------------------- drawing

    def draw(self) -> None:
        canvas: Canvas = self.canv
        cx, cy = self.width / 2, self.height / 2
        circle, r, where, points = self._layout()
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.setDash(2, 3)
        canvas.circle(cx, cy, circle, stroke=1, fill=0)
        canvas.setDash()
        self._draw_arrows(canvas, where, r, (cx, cy))
        if any(not a.target for a in self.arrows):
            # drawn after the arrows, on a white patch, so no arrow hides it
            canvas.setFont(REGULAR, 6.5)
            text_w = stringWidth("whole group", REGULAR, 6.5)
            canvas.setFillColor(colors.white)
            canvas.roundRect(cx - text_w / 2 - 2, cy - 4, text_w + 4, 9, 2, stroke=0, fill=1)
            canvas.setFillColor(MUTED)
            canvas.drawCentredString(cx, cy - 1.8, "whole group")
        for chair, x, y, angle in points:
            self._draw_chair(canvas, chair, x, y, r, angle)
        canvas.restoreState()

    def _draw_chair(self, canvas: Canvas, chair: Chair, x: float, y: float, r: float,
                    angle: float) -> None:
        fill = {"member": MEMBER_FILL, "clinician": LEADER_FILL}.get(chair.kind, colors.white)
        canvas.setFillColor(fill)
        canvas.setStrokeColor(MUTED if chair.kind != "empty" else RULE)
        canvas.setLineWidth(0.8)
        if chair.kind == "empty":
            canvas.setDash(1.5, 1.5)
        canvas.circle(x, y, r, stroke=1, fill=1)
        canvas.setDash()
        canvas.setFillColor(INK)
        canvas.setFont(BOLD, 7)
        canvas.drawCentredString(x, y - 2.5, str(chair.position + 1))
        label = chair.label if chair.kind != "empty" else "(empty)"
        label = visual(_fit(label, self.label_room, REGULAR, LABEL_SIZE))
        # The label sits outside the circle, pushed along the chair's direction.
        rad = math.radians(angle)
        lx = x + math.sin(rad) * (r + 5)
        ly = y + math.cos(rad) * (r + 5)
        canvas.setFont(REGULAR, LABEL_SIZE)
        canvas.setFillColor(INK if chair.kind != "empty" else MUTED)
        sin = math.sin(rad)
        if abs(sin) < 0.3:  # top or bottom: centred above or below
            ly += 2 if math.cos(rad) > 0 else -LABEL_SIZE
            canvas.drawCentredString(lx, ly, label)
        elif sin > 0:
            canvas.drawString(lx, ly - LABEL_SIZE / 2 + 1, label)
        else:
            canvas.drawRightString(lx, ly - LABEL_SIZE / 2 + 1, label)

    def _draw_arrows(self, canvas: Canvas, where: dict[str, tuple[float, float]], r: float,
                     centre: tuple[float, float]) -> None:
        drawable = [a for a in self.arrows if a.source in where
                    and (not a.target or a.target in where)]
        if not drawable:
            return
        most = max(a.count for a in drawable)
        pairs = {(a.source, a.target) for a in drawable}
        canvas.setStrokeColor(ARROW)
        canvas.setFillColor(ARROW)
        for a in sorted(drawable, key=lambda a: a.count):
            x1, y1 = where[a.source]
            x2, y2 = where[a.target] if a.target else centre
            dx, dy = x2 - x1, y2 - y1
            dist = math.hypot(dx, dy) or 1.0
            ux, uy = dx / dist, dy / dist
            # Two arrows between the same pair run side by side, not on top of each other.
            shift = 3.5 if a.target and (a.target, a.source) in pairs else 0.0
            ox, oy = -uy * shift, ux * shift
            end_gap = r + 2 if a.target else 7
            sx, sy = x1 + ux * (r + 2) + ox, y1 + uy * (r + 2) + oy
            ex, ey = x2 - ux * end_gap + ox, y2 - uy * end_gap + oy
            width = arrow_width(a.count, most)
            head = 5 + width * 1.2
            canvas.setLineWidth(width)
            canvas.line(sx, sy, ex - ux * head * 0.8, ey - uy * head * 0.8)
            path = canvas.beginPath()
            path.moveTo(ex, ey)
            path.lineTo(ex - ux * head - uy * head * 0.45, ey - uy * head + ux * head * 0.45)
            path.lineTo(ex - ux * head + uy * head * 0.45, ey - uy * head - ux * head * 0.45)
            path.close()
            canvas.drawPath(path, stroke=0, fill=1)
