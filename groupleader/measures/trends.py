"""What a trend chart shows, computed once for the window (Qt Charts) and the PDF
(ReportLab graphics): the points, the bands to shade, the cut-off line and the sessions
where a member's change from their first score is reliable.

Pure and cheap: one pass over the points, so ten years of weekly scores stay fast.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from groupleader.measures.definition import Instrument
from groupleader.measures.scoring import change


@dataclass(frozen=True)
class Point:
    when: date
    value: float
    marker: str  # "" | "improved" | "deteriorated" | "recovered": change from the baseline


@dataclass(frozen=True)
class BandArea:
    lower: float
    upper: float
    label: str
    level: int  # 0 for the lowest band: how dark to shade it


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Trend:
    """One chart: an instrument's series over the sessions."""

    instrument: str
    title: str
    y_range: tuple[float, float]
    series: tuple[Series, ...]
    bands: tuple[BandArea, ...]
    cutoff: float | None
    attribution: str
    # forms whose risk item was left blank (scored all the same): flagged on the chart
    risk_unanswered: tuple[Point, ...] = ()

    @property
    def empty(self) -> bool:
        return not any(s.points for s in self.series)

    @property
    def first(self) -> date | None:
        dates = [s.points[0].when for s in self.series if s.points]
        return min(dates) if dates else None

    @property
    def last(self) -> date | None:
        dates = [s.points[-1].when for s in self.series if s.points]
        return max(dates) if dates else None

    def markers(self, kind: str, changes_only: bool = False) -> tuple[Point, ...]:
        """The points marked `kind`; with `changes_only`, only those where a series' marker
        changes from the point before (a long series would be all markers otherwise)."""
        out = []
        for s in self.series:
            before = ""
            for p in s.points:
                if p.marker == kind and not (changes_only and before == kind):
                    out.append(p)
                before = p.marker
        return tuple(out)

    @property
    def longest(self) -> int:
        return max((len(s.points) for s in self.series), default=0)


def band_areas(inst: Instrument) -> tuple[BandArea, ...]:
    top = inst.score_range[1]
    out = []
    for i, b in enumerate(inst.bands):
        upper = inst.bands[i + 1].lower if i + 1 < len(inst.bands) else top
        out.append(BandArea(b.lower, upper, b.label, i))
    return tuple(out)


def member_trend(inst: Instrument,
                 scores: Sequence[tuple[date, dict[str, float | None]]]) -> Trend:
    """A member's chart for one instrument from their scored forms in date order (values
    per series key; None for a form that could not be scored). The first scored value is
    the baseline each later one is compared with."""
    series = []
    for s in inst.series:
        baseline: float | None = None
        points = []
        for when, values in scores:
            value = values.get(s.key)
            if value is None:
                continue
            marker = ""
            if baseline is None:
                baseline = value
            else:
                c = change(inst, baseline, value)
                if c.recovered:
                    marker = "recovered"
                elif c.direction in ("improved", "deteriorated"):
                    marker = c.direction
            points.append(Point(when, value, marker))
        series.append(Series(s.key, s.label, tuple(points)))
    return Trend(inst.key, inst.name, inst.score_range, tuple(series), band_areas(inst),
                 inst.cutoff, inst.attribution)


@dataclass(frozen=True)
class GroupSession:
    when: date
    means: dict[str, float | None]  # GCQ-S (or any group instrument) scale means
    attendance: float | None  # share of the members expected who came, 0..1
    mean_change: float | None  # members' mean change from their baseline (main instrument)


def group_trend(inst: Instrument, sessions: Sequence[GroupSession]) -> Trend:
    """The group's climate chart: each scale's group mean session by session."""
    series = tuple(
        Series(s.key, s.label, tuple(
            Point(g.when, v, "") for g in sessions if (v := g.means.get(s.key)) is not None))
        for s in inst.series)
    return Trend(inst.key, f"{inst.name}: group climate", inst.score_range, series, (),
                 None, inst.attribution)


def attendance_trend(sessions: Sequence[GroupSession]) -> Trend:
    """Attendance rate (per cent) session by session."""
    points = tuple(Point(g.when, 100.0 * g.attendance, "") for g in sessions
                   if g.attendance is not None)
    return Trend("attendance", "Attendance", (0.0, 100.0),
                 (Series("attendance", "Attendance %", points),), (), None, "")
