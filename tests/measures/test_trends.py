"""Trend data: baseline, reliable-change markers and band areas, shared by both charts."""

from __future__ import annotations

from datetime import date, timedelta

from groupleader.measures import registry
from groupleader.measures.trends import GroupSession, attendance_trend, group_trend, member_trend

CORE10 = registry.instrument("core10")
GCQS = registry.instrument("gcqs")
START = date(2026, 1, 5)


def weekly(values: list[float | None]) -> list[tuple[date, dict[str, float | None]]]:
    return [(START + timedelta(weeks=i), {"total": v}) for i, v in enumerate(values)]


def test_markers_compare_each_score_with_the_first_scored_one() -> None:
    trend = member_trend(CORE10, weekly([None, 20, 17, 14, 26, 9]))
    points = trend.series[0].points
    assert [p.value for p in points] == [20, 17, 14, 26, 9]  # the unscored form is left out
    assert [p.marker for p in points] == ["", "", "improved", "deteriorated", "recovered"]
    assert trend.first == START + timedelta(weeks=1)
    assert trend.markers("deteriorated")[0].value == 26


def test_band_areas_span_the_instruments_range_with_the_cutoff() -> None:
    trend = member_trend(CORE10, weekly([12]))
    assert [(b.lower, b.upper) for b in trend.bands] == [
        (0, 6), (6, 11), (11, 15), (15, 20), (20, 25), (25, 40)]
    assert trend.cutoff == 11 and trend.y_range == (0, 40)


def test_group_trend_has_one_series_per_scale_and_skips_unscored_sessions() -> None:
    sessions = [GroupSession(START, {"engaged": 2.0, "avoiding": None, "conflict": 1.0}, 0.75,
                             None),
                GroupSession(START + timedelta(weeks=1),
                             {"engaged": 3.5, "avoiding": 2.0, "conflict": 2.5}, None, None)]
    trend = group_trend(GCQS, sessions)
    assert [s.label for s in trend.series] == ["Engaged", "Avoiding", "Conflict"]
    assert [p.value for p in trend.series[0].points] == [2.0, 3.5]
    assert [p.value for p in trend.series[1].points] == [2.0]
    assert [p.value for p in attendance_trend(sessions).series[0].points] == [75.0]
    assert member_trend(CORE10, []).empty
