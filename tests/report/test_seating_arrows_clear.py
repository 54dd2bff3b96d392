"""On paper, an arrow between two chairs a few seats apart bows in, clear of the chairs
between them, as on screen (the shared `seating.arrow_control`): the outside tester saw
such arrows printed over the chairs between."""

from __future__ import annotations

import io
import math

import pytest
from reportlab.pdfgen.canvas import Canvas

from groupleader.report.model import Arrow, Chair
from groupleader.report.seating_drawing import SeatingDiagram, height_for
from groupleader.report.session_summary import WIDTH
from groupleader.seating import flip_y


def _cubic(p: list[float], t: float) -> tuple[float, float]:
    (x0, y0, x1, y1, x2, y2, x3, y3), u = p, 1 - t
    return (u ** 3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t ** 3 * x3,
            u ** 3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t ** 3 * y3)


@pytest.mark.parametrize("n", [8, 12, 20, 30])
def test_printed_arrows_keep_clear_of_every_chair_between(n: int) -> None:
    chairs = tuple(Chair(i, f"Member {i}", "member", f"m{i}") for i in range(n))
    arrows = tuple(Arrow(f"m{i}", f"m{(i + step) % n}", 1, "", "")
                   for i in range(n) for step in (2, 3, n - 2))
    diagram = SeatingDiagram(chairs, arrows, WIDTH, height_for(n, WIDTH))
    curves: list[list[float]] = []
    canvas = Canvas(io.BytesIO())
    drawn = canvas.drawPath

    def record(path: object, *args: object, **kwargs: object) -> None:
        code = path.getCode().split()  # type: ignore[attr-defined]
        if code[-1:] == ["c"]:  # "n x y m x1 y1 x2 y2 x3 y3 c": the arrow's line
            curves.append([float(v) for v in code[1:3] + code[4:10]])
        drawn(path, *args, **kwargs)  # type: ignore[arg-type]

    canvas.drawPath = record  # type: ignore[method-assign]
    diagram.canv = canvas
    diagram.draw()
    assert len(curves) == len(arrows)
    lay = diagram.layout
    spots = [(c.x, flip_y(c.y, diagram.height)) for c in lay.chairs]  # as drawn (y up)
    for curve in curves:
        ends = (curve[:2], curve[6:])
        for x, y in spots:
            if min(math.dist((x, y), e) for e in ends) < lay.chair_radius + 12:
                continue  # the chairs it leaves and reaches
            nearest = min(math.dist((x, y), _cubic(curve, k / 40)) for k in range(41))
            assert nearest >= lay.chair_radius, (n, curve)
