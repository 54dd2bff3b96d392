"""Where the chairs stand: one place computes the circle for the screen and the paper.

Coordinates are screen-like: x grows to the right, y grows downwards. Chair 1 is at the
top of the circle and the chairs follow clockwise as seen on the screen. The PDF, whose
y axis grows upwards, flips y when it draws (see `flip_y`), so both show the same circle.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class ChairPosition:
    index: int  # 0-based; "chair 1" in the UI is index 0
    x: float
    y: float
    angle_deg: float  # 0 at the top, growing clockwise


def chair_positions(
    n: int, radius: float = 1.0, cx: float = 0.0, cy: float = 0.0
) -> list[ChairPosition]:
    """N chairs evenly spaced on a circle, chair 1 at the top, then clockwise."""
    if n < 0:
        raise ValueError("the number of chairs cannot be negative")
    if radius < 0:
        raise ValueError("the radius cannot be negative")
    chairs = []
    for i in range(n):
        angle = 360.0 * i / n
        rad = math.radians(angle)
        chairs.append(
            ChairPosition(i, cx + radius * math.sin(rad), cy - radius * math.cos(rad), angle)
        )
    return chairs


def chair_radius_for(n: int, circle_radius: float, max_fraction: float = 0.42) -> float:
    """How big a chair may be drawn so that neighbours never overlap: 40% of the chord
    between them (a fifth of it stays free, room for a focus ring or a thick edge), capped
    so that 2 chairs are not drawn huge."""
    if n <= 1:
        return circle_radius * max_fraction
    chord = 2 * circle_radius * math.sin(math.pi / n)
    return min(chord * 0.40, circle_radius * max_fraction)


def flip_y(y: float, height: float) -> float:
    """Screen y (down) to PDF y (up) within a drawing `height` tall."""
    return height - y


# ---------------------------------------------------------------------- the whole circle
#
# The paper draws each name beside its chair; the screen draws it inside the chair (its
# chairs are larger). Both take the chair size from `chair_radius_for` and the arrows'
# curves from `arrow_control`, so an arrow bends the same way on both and never passes
# under the centre circle ("the whole group").

Measure = Callable[[str, float], float]  # (text, font size) -> width

CLEARANCE = 2.0  # points: the least gap between two labels, two discs, a label and a disc
MAX_DRAWN = 20  # chairs: a larger circle is drawn with chair numbers only (names listed)


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle (screen-like coordinates)."""

    x0: float
    y0: float
    x1: float
    y1: float

    def intersects(self, other: Box) -> bool:
        return (self.x0 < other.x1 and other.x0 < self.x1
                and self.y0 < other.y1 and other.y0 < self.y1)

    def meets_disc(self, x: float, y: float, r: float) -> bool:
        """Whether the rectangle overlaps the disc of radius `r` round (x, y)."""
        nx, ny = min(max(x, self.x0), self.x1), min(max(y, self.y0), self.y1)
        return math.hypot(x - nx, y - ny) < r

    def inside(self, width: float, height: float) -> bool:
        return self.x0 >= 0 and self.y0 >= 0 and self.x1 <= width and self.y1 <= height


@dataclass(frozen=True)
class PlacedChair:
    index: int
    x: float
    y: float
    angle_deg: float
    lines: tuple[str, ...]  # the label as printed (wrapped, maybe shortened)
    shortened: bool  # True: the full name is in the legend
    box: Box  # where the label's lines go
    align: str  # "left", "right" or "centre": how the lines sit in `box`


@dataclass(frozen=True)
class CircleLayout:
    width: float
    height: float
    cx: float
    cy: float
    ring: float  # radius of the circle the chairs stand on
    chair_radius: float
    centre_radius: float  # the centre circle (remarks to the whole group)
    font_size: float
    line_height: float
    chairs: tuple[PlacedChair, ...]

    @property
    def shortened(self) -> tuple[PlacedChair, ...]:
        return tuple(c for c in self.chairs if c.shortened)


def fit_label(text: str, measure: Measure, size: float, width: float,
              max_lines: int = 2) -> tuple[tuple[str, ...], bool]:
    """`text` in at most `max_lines` lines no wider than `width`: words are wrapped, and a
    word or line that still does not fit is cut with "…". Returns (lines, shortened)."""
    words = text.split()
    if not words:
        return ("",), False
    lines: list[str] = []
    current = ""
    for word in words:
        trial = f"{current} {word}" if current else word
        if measure(trial, size) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    lines.append(current)
    shortened = len(lines) > max_lines
    if shortened:
        lines = lines[:max_lines - 1] + [" ".join(lines[max_lines - 1:])]
    out = []
    for line in lines:
        if measure(line, size) > width:
            shortened = True
            while len(line) > 1 and measure(line + "…", size) > width:
                line = line[:-1].rstrip()
            line += "…"
        out.append(line)
    return tuple(out), shortened


def _label_box(x: float, y: float, angle: float, r: float, gap: float, w: float,
               h: float) -> tuple[Box, str]:
    """The label's box beside a chair at (x, y): above or below it at the top and bottom
    of the circle, else to its outer side, vertically centred."""
    rad = math.radians(angle)
    sin, cos = math.sin(rad), -math.cos(rad)  # outward direction, y down
    if abs(sin) < 0.35:
        top = y + r + gap if cos > 0 else y - r - gap - h
        return Box(x - w / 2, top, x + w / 2, top + h), "centre"
    px = x + sin * (r + gap)
    py = y + cos * (r + gap)
    if sin > 0:
        return Box(px, py - h / 2, px + w, py + h / 2), "left"
    return Box(px - w, py - h / 2, px, py + h / 2), "right"


def layout_circle(labels: Sequence[str], width: float, height: float, measure: Measure,
                  sizes: Sequence[float] = (7.5, 7.0, 6.5, 6.0)) -> CircleLayout:
    """Chairs, their labels and the centre circle in a `width` x `height` drawing, chosen
    so that no two chairs, no two labels and no label and chair overlap, and every label
    lies inside the drawing. Tries the largest circle and font first, then two lines
    before one, then smaller; a label that must be cut is marked `shortened` (the caller
    prints the full name in a legend)."""
    cx, cy = width / 2, height / 2
    best: CircleLayout | None = None
    for size in sizes:
        line_h = size * 1.2
        for max_lines in (2, 1):
            label_h = line_h * max_lines
            for step in range(12):
                ring = (min(cy, cx) - label_h - 4) * (1 - 0.05 * step)
                if ring <= 10:
                    break
                found = None
                for top_room in (2.0, 1.0):  # names at the top and bottom: wide, else not
                    found = _try_layout(labels, width, height, measure, size, line_h,
                                        max_lines, ring, top_room=top_room)
                    if found is not None:
                        break
                if found is not None:
                    shortened = len(found.shortened)
                    if shortened == 0:
                        return found
                    if best is None or shortened < len(best.shortened):
                        best = found
                    break
    if best is not None:
        return best
    # Nothing fitted (a tiny drawing): the smallest attempt, labels cut to one line.
    ring = max(10.0, min(cx, cy) - sizes[-1] * 1.2 - 4)
    fallback = _try_layout(labels, width, height, measure, sizes[-1], sizes[-1] * 1.2, 1,
                           ring, check=False)
    assert fallback is not None
    return fallback


def _try_layout(labels: Sequence[str], width: float, height: float, measure: Measure,
                size: float, line_h: float, max_lines: int, ring: float,
                check: bool = True, top_room: float = 1.0) -> CircleLayout | None:
    n = len(labels)
    cx, cy = width / 2, height / 2
    r = min(chair_radius_for(n, ring), 16.0)
    gap = 3.0
    spots = chair_positions(n, ring, cx, cy)
    # a side label may reach the drawing's edge; one at the top or bottom gets the room
    # between its neighbours
    chord = 2 * ring * math.sin(math.pi / n) if n > 1 else width
    placed: list[PlacedChair] = []
    for text, spot in zip(labels, spots, strict=True):
        sin = math.sin(math.radians(spot.angle_deg))
        if abs(sin) < 0.35:
            room = max(chord * (top_room if n > 2 else 2.0) - 4, 2 * r)
            room = min(room, width - 4)
        elif sin > 0:
            room = width - (spot.x + r + gap) - 2
        else:
            room = spot.x - r - gap - 2
        room = max(room, 10.0)
        lines, shortened = fit_label(text, measure, size, room, max_lines)
        w = max((measure(line, size) for line in lines), default=0.0)
        box, align = _label_box(spot.x, spot.y, spot.angle_deg, r, gap, w + 1,
                                line_h * len(lines))
        placed.append(PlacedChair(spot.index, spot.x, spot.y, spot.angle_deg, lines,
                                  shortened, box, align))
    centre = max(8.0, min(ring - r - 8, ring * 0.22))
    layout = CircleLayout(width, height, cx, cy, ring, r, centre, size, line_h,
                          tuple(placed))
    if check and overlaps(layout):
        return None
    return layout


def overlaps(layout: CircleLayout) -> list[tuple[str, int, int]]:
    """What collides in `layout`: ("label", i, j), ("disc", i, j), ("label-disc", i, j)
    (label i over chair j) or ("outside", i, i) (label i leaves the drawing)."""
    found: list[tuple[str, int, int]] = []
    chairs, r = layout.chairs, layout.chair_radius
    near = r + CLEARANCE  # a label that merely touches another chair's disc collides
    for a in chairs:
        if not a.box.inside(layout.width, layout.height):
            found.append(("outside", a.index, a.index))
        grown = Box(a.box.x0 - CLEARANCE / 2, a.box.y0 - CLEARANCE / 2,
                    a.box.x1 + CLEARANCE / 2, a.box.y1 + CLEARANCE / 2)
        for b in chairs:
            if b.index <= a.index:
                if b.index != a.index and a.box.meets_disc(b.x, b.y, near):
                    found.append(("label-disc", a.index, b.index))
                continue
            other = Box(b.box.x0 - CLEARANCE / 2, b.box.y0 - CLEARANCE / 2,
                        b.box.x1 + CLEARANCE / 2, b.box.y1 + CLEARANCE / 2)
            if grown.intersects(other):
                found.append(("label", a.index, b.index))
            if math.hypot(a.x - b.x, a.y - b.y) < 2 * r + CLEARANCE:
                found.append(("disc", a.index, b.index))
            if a.box.meets_disc(b.x, b.y, near):
                found.append(("label-disc", a.index, b.index))
    return found


def quad_point(a: tuple[float, float], ctrl: tuple[float, float], b: tuple[float, float],
               t: float) -> tuple[float, float]:
    u = 1 - t
    return (u * u * a[0] + 2 * u * t * ctrl[0] + t * t * b[0],
            u * u * a[1] + 2 * u * t * ctrl[1] + t * t * b[1])


def curve_clearance(a: tuple[float, float], ctrl: tuple[float, float],
                    b: tuple[float, float], centre: tuple[float, float]) -> float:
    """The closest the quadratic curve a -> b through `ctrl` comes to `centre` (over 49
    points of it: `quad_point` written out, as each switch of session draws a hundred
    arrows and tries one or two curves for each)."""
    (ax, ay), (qx, qy), (bx, by), (cx, cy) = a, ctrl, b, centre
    best = math.inf
    for i in range(49):
        t = i / 48
        u = 1 - t
        d = math.hypot(u * u * ax + 2 * u * t * qx + t * t * bx - cx,
                       u * u * ay + 2 * u * t * qy + t * t * by - cy)
        if d < best:
            best = d
    return best


# A chair-to-chair bow is gentle: with 32 chords its length is within 0.11 px of Qt's
# `QPainterPath.length` (every arrow of 12 chairs on a 200 px circle).
LENGTH_STEPS = 32


def curve_cut(a: tuple[float, float], ctrl: tuple[float, float] | None,
              b: tuple[float, float], before_end: float) -> tuple[float, float]:
    """(length of the curve a -> b through `ctrl`, or of the line when `ctrl` is None; the
    parameter t at which `before_end` of that length is left): where an arrow's line stops
    so that its head, not the line, makes the tip."""
    if ctrl is None:
        length = math.dist(a, b)
        return length, (max(0.0, length - before_end) / length if length else 0.0)
    points = [quad_point(a, ctrl, b, i / LENGTH_STEPS) for i in range(LENGTH_STEPS + 1)]
    chords = [math.dist(p, q) for p, q in zip(points, points[1:], strict=False)]
    length = math.fsum(chords)
    if not length:
        return 0.0, 0.0
    left = max(0.0, length - before_end)
    for i, chord in enumerate(chords):
        if left <= chord:
            return length, (i + (left / chord if chord else 0.0)) / LENGTH_STEPS
        left -= chord
    return length, 1.0


def arrow_control(a: tuple[float, float], b: tuple[float, float],
                  centre: tuple[float, float], clearance: float,
                  bow: float = 0.18, chairs: Sequence[tuple[float, float]] = (),
                  chair_clearance: float = 0.0) -> tuple[float, float]:
    """The control point of the curve from chair a to chair b (screen-like coordinates).

    The curve bows to its right (seen along a -> b), so a -> b and b -> a run side by
    side. Where bowing right would take it under the centre circle (`clearance` from the
    centre), it bows out on the far side of the centre instead, wider than the reply
    there, and as far as needed to keep clear. It keeps `chair_clearance` from the
    centres of the other `chairs` too: between chairs a few seats apart, bowing out
    towards the rim would run over the chairs between them, so it bows in instead,
    inside the reply.
    """
    dx, dy = b[0] - a[0], b[1] - a[1]
    mid = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
    right = (-dy, dx)  # right of a -> b on a y-down screen

    def control(k: float) -> tuple[float, float]:
        return (mid[0] + right[0] * k, mid[1] + right[1] * k)

    # is the centre on the right of a -> b? then bowing right runs towards it
    side = (centre[0] - a[0]) * right[0] + (centre[1] - a[1]) * right[1]
    ks = [bow * i / 2 for i in range(2, 13)]  # bow, 1.5 bow, ... 6 bow
    beside = _chairs_beside(a, b, right, side, chairs, chair_clearance)
    if side <= 0:
        candidates = ks
        if beside:  # then in, inside the reply
            candidates = candidates + [-2.2 * bow - k for k in ks]
    else:
        # in a little (further past a chair between), else out wider than the reply
        inward = [k for k in ks if k <= bow * (2.5 if beside else 1.5)]
        candidates = (inward + ([-1.8 * bow, -2.4 * bow] if beside else [])
                      + [-2.2 * bow - k for k in ks])
    for k in candidates:
        ctrl = control(k)
        if (_clear_of(a, ctrl, b, k, side, beside, chair_clearance, centre)
                and curve_clearance(a, ctrl, b, centre) >= clearance):
            return ctrl
    if not beside:
        return control(candidates[-1])

    def margin(k: float) -> float:  # how far the curve keeps clear of both, at worst
        ctrl = control(k)
        near = min(curve_clearance(a, ctrl, b, p) for p in beside)
        return min(curve_clearance(a, ctrl, b, centre) - clearance, near - chair_clearance)

    inside = [k for k in candidates if not _beyond_ring(a, control(k), b, centre)]
    return control(max(inside or candidates, key=margin))


def _beyond_ring(a: tuple[float, float], ctrl: tuple[float, float], b: tuple[float, float],
                 centre: tuple[float, float]) -> bool:
    """Whether the curve's middle lies outside the circle the chairs stand on (a is on
    it): round the outside of the chairs between a and b, over their numbers."""
    peak = ((a[0] + 2 * ctrl[0] + b[0]) / 4, (a[1] + 2 * ctrl[1] + b[1]) / 4)
    return math.dist(peak, centre) > math.dist(a, centre)


def _chairs_beside(a: tuple[float, float], b: tuple[float, float],
                   right: tuple[float, float], side: float,
                   chairs: Sequence[tuple[float, float]], keep: float
                   ) -> list[tuple[float, float]]:
    """The chairs a curve from a to b bowing away from the centre could come within
    `keep` of: those on that side of the line a -> b (or less than `keep` short of it),
    between a and b along it (the chairs between them round the circle)."""
    length2 = right[0] * right[0] + right[1] * right[1]
    if not chairs or keep <= 0 or length2 == 0:
        return []
    length = math.sqrt(length2)
    away = -1.0 if side > 0 else 1.0  # the side of a -> b away from the centre
    dx, dy = right[1], -right[0]  # a -> b
    out = []
    for p in chairs:
        px, py = p[0] - a[0], p[1] - a[1]
        along = (px * dx + py * dy) / length2
        out_of_line = away * (px * right[0] + py * right[1]) / length
        if (0.0 < along < 1.0 and out_of_line > -keep and not _same_spot(p, a)
                and not _same_spot(p, b)):
            out.append(p)
    return out


def _same_spot(p: tuple[float, float], q: tuple[float, float]) -> bool:
    """The same point, but for rounding (the paper flips its y and back)."""
    return abs(p[0] - q[0]) + abs(p[1] - q[1]) < 1e-6


def _clear_of(a: tuple[float, float], ctrl: tuple[float, float], b: tuple[float, float],
              k: float, side: float, beside: Sequence[tuple[float, float]],
              keep: float, centre: tuple[float, float]) -> bool:
    """Whether the curve keeps `keep` from every chair in `beside` (the chairs beyond
    the line a -> b, away from the centre). A curve runs between that line and half its
    bow from it (the height of a quadratic curve is half its control point's): one
    bowing in keeps at least a chair's distance from the line, one bowing out at least
    that less half its bow; only a chair nearer than `keep` by that count is measured.
    Nor may it go round the outside of them (`_beyond_ring`)."""
    if not beside:
        return True
    if _beyond_ring(a, ctrl, b, centre):
        return False
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy)
    if length == 0:
        return True
    outward = (k > 0) == (side <= 0)
    reach = abs(k) * length / 2 if outward else 0.0  # how far out of the line it goes
    ux, uy = dx / length, dy / length
    for x, y in beside:
        off = abs((x - a[0]) * dy - (y - a[1]) * dx) / length
        if off - reach < keep and _parabola_distance(
                ((x - a[0]) * ux + (y - a[1]) * uy) / length,
                (x - a[0]) * -uy + (y - a[1]) * ux, k * length, length, keep) < keep:
            return False
    return True


def _parabola_distance(along: float, across: float, height: float, length: float,
                       within: float) -> float:
    """How near a chair comes to the curve, when it is nearer than `within`.

    Seen along its chord, a curve of `arrow_control` is a parabola: with its control
    point on the chord's bisector, the point at t is t of the way along and 2t(1 - t) of
    the control point's `height` across (to the right). The chair is `along` of the way
    (a fraction) and `across` to the right. A point of the curve within `within` of it is
    at most that far along from it, so only that stretch of the curve is measured (at 13
    points; `curve_clearance` measures the whole curve at 49).
    """
    span = within / length
    start, stop = max(0.0, along - span), min(1.0, along + span)
    if start >= stop:
        return math.inf
    best = math.inf
    for i in range(13):
        t = start + (stop - start) * i / 12
        d = math.hypot((t - along) * length, 2 * t * (1 - t) * height - across)
        if d < best:
            best = d
    return best
