"""Where the chairs stand: one place computes the circle for the screen and the paper.

Coordinates are screen-like: x grows to the right, y grows downwards. Chair 1 is at the
top of the circle and the chairs follow clockwise as seen on the screen. The PDF, whose
y axis grows upwards, flips y when it draws (see `flip_y`), so both show the same circle.
"""

from __future__ import annotations

import math
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
    """How big a chair may be drawn so that neighbours never overlap (a fraction of the
    chord between them), capped so that 2 chairs are not drawn huge."""
    if n <= 1:
        return circle_radius * max_fraction
    chord = 2 * circle_radius * math.sin(math.pi / n)
    return min(chord * 0.45, circle_radius * max_fraction)


def flip_y(y: float, height: float) -> float:
    """Screen y (down) to PDF y (up) within a drawing `height` tall."""
    return height - y
