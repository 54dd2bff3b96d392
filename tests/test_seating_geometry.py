"""Chair positions: N chairs evenly spaced on the circle, chair 1 at the top, clockwise
on the screen (y grows downwards), and chairs never overlapping their neighbours."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from groupleader.seating import chair_positions, chair_radius_for, flip_y

counts = st.integers(min_value=1, max_value=60)
radii = st.floats(min_value=1.0, max_value=5000.0, allow_nan=False)
centres = st.floats(min_value=-1000.0, max_value=1000.0, allow_nan=False)


@given(counts, radii, centres, centres)
def test_chairs_lie_on_the_circle_evenly_spaced(n: int, r: float, cx: float, cy: float) -> None:
    chairs = chair_positions(n, r, cx, cy)
    assert [c.index for c in chairs] == list(range(n))
    for c in chairs:
        assert math.hypot(c.x - cx, c.y - cy) == pytest.approx(r, rel=1e-9)
    if n > 1:
        gaps = [math.dist((a.x, a.y), (b.x, b.y))
                for a, b in zip(chairs, chairs[1:] + chairs[:1], strict=True)]
        assert max(gaps) == pytest.approx(min(gaps), rel=1e-6)
        assert gaps[0] == pytest.approx(2 * r * math.sin(math.pi / n), rel=1e-6)


@given(counts, radii)
def test_chair_one_is_at_the_top(n: int, r: float) -> None:
    first = chair_positions(n, r, 10.0, 20.0)[0]
    assert first.x == pytest.approx(10.0)
    assert first.y == pytest.approx(20.0 - r)  # screen y grows down: the top is the least y
    assert first.angle_deg == 0


@given(st.integers(min_value=3, max_value=60), radii)
def test_chairs_go_clockwise_on_screen(n: int, r: float) -> None:
    chairs = chair_positions(n, r)
    # With y down, clockwise on screen means the screen angle atan2(y, x) increases.
    angles = [math.atan2(c.y, c.x) for c in chairs]
    steps = [(b - a) % (2 * math.pi) for a, b in zip(angles, angles[1:], strict=False)]
    assert all(s == pytest.approx(2 * math.pi / n, rel=1e-6) for s in steps)
    assert chairs[1].x > 0  # the second chair is right of the top one
    assert [c.angle_deg for c in chairs] == pytest.approx([360 * i / n for i in range(n)])


def test_four_chairs_sit_at_top_right_bottom_left() -> None:
    top, right, bottom, left = ((round(c.x, 9), round(c.y, 9)) for c in chair_positions(4, 1))
    assert (top, right, bottom, left) == ((0, -1), (1, 0), (0, 1), (-1, 0))


@given(st.integers(min_value=2, max_value=60), radii)
def test_neighbouring_chairs_never_overlap(n: int, r: float) -> None:
    size = chair_radius_for(n, r)
    chairs = chair_positions(n, r)
    assert 0 < size <= r * 0.42
    assert 2 * size < math.dist((chairs[0].x, chairs[0].y), (chairs[1].x, chairs[1].y))


def test_no_chairs_and_bad_input() -> None:
    assert chair_positions(0) == []
    with pytest.raises(ValueError):
        chair_positions(-1)
    with pytest.raises(ValueError):
        chair_positions(3, radius=-1)


def test_flip_y_maps_screen_to_paper() -> None:
    assert flip_y(0, 800) == 800
    assert flip_y(800, 800) == 0
