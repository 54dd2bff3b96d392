"""Chair positions: N chairs evenly spaced on the circle, chair 1 at the top, clockwise
on the screen (y grows downwards), and chairs never overlapping their neighbours."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from groupleader.seating import (
    _try_layout,
    arrow_control,
    chair_positions,
    chair_radius_for,
    curve_clearance,
    curve_cut,
    fit_label,
    flip_y,
    layout_circle,
    overlaps,
    quad_point,
)

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


# ---------------------------------------------------------------- the whole circle

LONG = ("Dr. Anneliese Katharina Montgomery-Whitfield", "Bo",
        "Maximilian Alexander von Hohenberg-Eschenbach", "Zoë O'Brien", "שרה לוי",
        "فاطمة الزهراء بنت عبد الرحمن", "王小明", "Christopher Jonathan Williamson-Smythe",
        "Aurélie-Marguerite Dubois-Lefèvre", "(empty)")


def rough_width(text: str, size: float) -> float:
    """A stand-in for a font's measure: wide for CJK, average for the rest."""
    return sum(size * (1.0 if ord(c) > 0x2E80 else 0.58) for c in text)


def labels_for(n: int) -> list[str]:
    return [LONG[i % len(LONG)] for i in range(n)]


@pytest.mark.parametrize("n", range(2, 21))
@pytest.mark.parametrize("size", [(493.0, 250.0), (493.0, 320.0), (300.0, 200.0)])
def test_no_two_chairs_or_names_overlap_and_names_stay_inside(
        n: int, size: tuple[float, float]) -> None:
    layout = layout_circle(labels_for(n), *size, rough_width)
    assert overlaps(layout) == []
    r = layout.chair_radius
    for a in layout.chairs:
        for b in layout.chairs:
            if a.index < b.index:
                assert math.hypot(a.x - b.x, a.y - b.y) >= 2 * r  # discs
                assert not a.box.intersects(b.box)  # names
            if a.index != b.index:
                assert not a.box.meets_disc(b.x, b.y, r)  # a name over another chair
        assert a.box.inside(*size)


def test_the_checker_sees_overlaps() -> None:
    """The layout is only as good as `overlaps`: a crowded circle it must reject."""
    small = _try_layout(labels_for(20), 493, 250, rough_width, 9.0, 10.8, 2, 60.0,
                        check=False)
    large = _try_layout(labels_for(20), 493, 250, rough_width, 9.0, 10.8, 2, 110.0,
                        check=False)
    assert small is not None and large is not None
    assert "label" in {kind for kind, _i, _j in overlaps(small)}  # names on names
    assert "outside" in {kind for kind, _i, _j in overlaps(large)}  # off the drawing


def test_a_long_name_is_wrapped_then_shortened_and_marked_for_the_legend() -> None:
    lines, short = fit_label(LONG[0], rough_width, 7.5, 90, 2)
    assert len(lines) == 2 and short and lines[-1].endswith("…")
    lines, short = fit_label("Zoë O'Brien", rough_width, 7.5, 90, 2)
    assert lines == ("Zoë O'Brien",) and not short
    lines, short = fit_label("Anneliese Montgomery", rough_width, 7.5, 60, 2)
    assert lines == ("Anneliese", "Montgomery") and not short


@pytest.mark.parametrize("n", range(2, 21))
def test_arrows_between_any_two_chairs_stay_clear_of_the_centre(n: int) -> None:
    ring, centre = 100.0, 22.0
    spots = [(c.x, c.y) for c in chair_positions(n, ring)]
    for i, a in enumerate(spots):
        for j, b in enumerate(spots):
            if i == j:
                continue
            ctrl = arrow_control(a, b, (0.0, 0.0), centre + 3)
            assert curve_clearance(a, ctrl, b, (0.0, 0.0)) >= centre + 3, (n, i, j)
            back = arrow_control(b, a, (0.0, 0.0), centre + 3)
            assert math.dist(ctrl, back) > 5  # a reply runs beside, not on top


def test_a_straight_arrow_across_the_circle_would_cross_the_centre() -> None:
    """What the bow prevents: the chord between opposite chairs runs through the centre."""
    a, b = (0.0, -100.0), (0.0, 100.0)
    assert curve_clearance(a, ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2), b, (0, 0)) < 1


TESTER_LONG = ("Priyanka Venkataramanan-Subramaniam", "Christopher Jonathan Alexander Smythe",
               "שרה לוי-בן דוד אלמוג", "Maximiliana Theodora Konstantinopoulou-Vanderbilt",
               "فَاطِمَة الزَّهْرَاء بِنْت عَبْد الرَّحْمٰن", "Bo", "Dr. Hannah Marsh, PsyD")


@pytest.mark.parametrize("n", [18, 19, 20])
def test_at_twenty_chairs_no_label_even_touches_a_disc_or_another_label(n: int) -> None:
    """The outside tester saw labels touching discs at 20 and 21 chairs: every label now
    keeps CLEARANCE from every other chair's disc and every other label."""
    from groupleader.seating import CLEARANCE

    labels = [TESTER_LONG[i % len(TESTER_LONG)] for i in range(n)]
    layout = layout_circle(labels, 493.0, 320.0, rough_width)
    assert overlaps(layout) == []
    r = layout.chair_radius
    for a in layout.chairs:
        for b in layout.chairs:
            if a.index == b.index:
                continue
            nx = min(max(b.x, a.box.x0), a.box.x1)
            ny = min(max(b.y, a.box.y0), a.box.y1)
            assert math.hypot(b.x - nx, b.y - ny) >= r + CLEARANCE, (a.index, b.index)
            if a.index < b.index:
                gap_x = max(b.box.x0 - a.box.x1, a.box.x0 - b.box.x1)
                gap_y = max(b.box.y0 - a.box.y1, a.box.y0 - b.box.y1)
                assert max(gap_x, gap_y) >= CLEARANCE, (a.index, b.index)


points = st.tuples(centres, centres)


@given(points, points, points, points)
def test_the_clearance_is_the_closest_of_the_curves_49_points(
        a: tuple[float, float], ctrl: tuple[float, float], b: tuple[float, float],
        centre: tuple[float, float]) -> None:
    """`curve_clearance` is written out for speed: the very number the plain formula
    gives, so an arrow bows exactly as before on screen and on paper."""
    plain = min(math.dist(quad_point(a, ctrl, b, i / 48), centre) for i in range(49))
    assert curve_clearance(a, ctrl, b, centre) == plain


@given(points, points, points, st.floats(min_value=0.0, max_value=60.0))
def test_an_arrows_line_stops_where_qt_measures_the_length_left(
        a: tuple[float, float], ctrl: tuple[float, float], b: tuple[float, float],
        before_end: float) -> None:
    """`curve_cut` stands in for Qt's `QPainterPath.length` and `percentAtLength` (too
    slow for a hundred arrows a switch): the same length and the same cut, to within a
    pixel, on curves from gentle to tight and on straight lines."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QPainterPath

    for bend in (ctrl, None):
        path = QPainterPath(QPointF(*a))
        if bend is None:
            path.lineTo(QPointF(*b))
        else:
            path.quadTo(QPointF(*bend), QPointF(*b))
        length, t = curve_cut(a, bend, b, before_end)
        assert length == pytest.approx(path.length(), rel=2e-3, abs=0.5)
        if length < 1:
            continue
        ours = quad_point(a, bend, b, t) if bend is not None else (
            a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
        qt = path.pointAtPercent(path.percentAtLength(max(0.0, path.length() - before_end)))
        assert math.dist(ours, (qt.x(), qt.y())) < max(1.0, 2e-3 * length)


@pytest.mark.parametrize("n", range(3, 41))
def test_no_arrow_runs_over_another_chair_or_round_the_outside(n: int) -> None:
    """The outside tester saw arrows between chairs a few seats apart (25 and 28 of 40)
    bow out over the chairs between them. Every arrow of a circle of n chairs, sized as
    on screen, now keeps clear of every other chair's disc and of the centre circle,
    never goes round the outside of the chairs between, and its reply still runs beside
    it. (All pairs from chair 0 in both directions: the circle is the same seen from any
    chair.)"""
    ring, centre = 250.0, 46.0 + 4 + 1
    r = chair_radius_for(n, ring, 0.2)
    spots = [(c.x, c.y) for c in chair_positions(n, ring)]
    a = spots[0]
    for j, b in enumerate(spots[1:], start=1):
        there = arrow_control(a, b, (0.0, 0.0), centre, chairs=spots, chair_clearance=r + 4)
        back = arrow_control(b, a, (0.0, 0.0), centre, chairs=spots, chair_clearance=r + 4)
        for ctrl, ends in ((there, (a, b)), (back, (b, a))):
            assert curve_clearance(ends[0], ctrl, ends[1], (0.0, 0.0)) >= centre, (n, j)
            for k, p in enumerate(spots):
                if p not in ends:
                    assert curve_clearance(ends[0], ctrl, ends[1], p) >= r + 1, (n, j, k)
            between = min(j, n - j) > 1
            peak = quad_point(ends[0], ctrl, ends[1], 0.5)
            assert not between or math.hypot(*peak) <= ring, (n, j)
        assert math.dist(there, back) > 5, (n, j)
