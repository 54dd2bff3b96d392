"""Trend charts in the window (Qt Charts), drawn from a `groupleader.measures.trends.Trend`
(the same data the PDF's ReportLab drawing uses): the bands shaded behind the line, the
cut-off as a dashed line, and the sessions with reliable improvement, deterioration or
recovery marked.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from PySide6.QtCharts import (
    QCategoryAxis,
    QChart,
    QChartView,
    QDateTimeAxis,
    QLineSeries,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QDateTime, QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QGradient, QLinearGradient, QPainter, QPen
from PySide6.QtWidgets import QWidget

from groupleader.measures.trends import Trend

# Past this many sessions a series is drawn without its points, and only the sessions where
# reliable change begins (or its kind changes) are marked.
LONG_SERIES = 60
# Light to dark shades for the bands: readable under the line in light and dark schemes.
BAND_ALPHA = (0, 30, 60, 90, 120, 150)
BAND_COLOR = QColor(200, 60, 40)
SERIES_COLORS = (QColor(30, 90, 170), QColor(200, 120, 20), QColor(150, 40, 140),
                 QColor(40, 140, 80))
RISK_UNANSWERED = "Risk item not answered"
MARKERS = {
    "improved": ("Reliable improvement", QColor(30, 140, 60), QScatterSeries.MarkerShape.
                 MarkerShapeCircle),
    "recovered": ("Recovered", QColor(20, 110, 40), QScatterSeries.MarkerShape.MarkerShapeStar),
    "deteriorated": ("Reliable deterioration", QColor(200, 30, 30),
                     QScatterSeries.MarkerShape.MarkerShapeRectangle),
}


def nice_step(span: float, ticks: int = 5) -> float:
    """A round tick interval (1, 2 or 5 times a power of ten) giving about `ticks` ticks."""
    import math

    raw = max(span, 1e-9) / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def _over_white(color: QColor) -> QColor:
    """A translucent colour as it shows over white (the plot area's gradient is opaque)."""
    a = color.alphaF()
    return QColor(round(255 - (255 - color.red()) * a), round(255 - (255 - color.green()) * a),
                  round(255 - (255 - color.blue()) * a))


def _ms(d: date) -> float:
    return datetime.combine(d, time(12), tzinfo=UTC).timestamp() * 1000.0


def build_chart(trend: Trend, compact: bool = False) -> QChart:
    """A QChart for one trend (bands, cut-off, series, markers, axes); `compact` for a
    narrow pane: fewer date ticks and no band names (the shading stays)."""
    chart = QChart()
    chart.setTitle(trend.title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    x_axis = QDateTimeAxis()
    x_axis.setFormat("MMM yy" if compact else "d MMM yy")
    x_axis.setTickCount(3 if compact else 6)
    y_axis = QValueAxis()
    lo, hi = trend.y_range
    y_axis.setRange(lo, hi)
    y_axis.setLabelFormat("%g")
    y_axis.setTickType(QValueAxis.TickType.TicksDynamic)
    y_axis.setTickAnchor(0.0 if lo <= 0 <= hi else lo)
    y_axis.setTickInterval(nice_step(hi - lo))
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    first, last = trend.first, trend.last
    x0 = _ms(first) if first else 0.0
    x1 = _ms(last) if last else 1.0
    if x1 <= x0:
        x1 = x0 + 86_400_000.0
    x_axis.setMin(QDateTime.fromMSecsSinceEpoch(int(x0)))
    x_axis.setMax(QDateTime.fromMSecsSinceEpoch(int(x1)))

    def attach(series: QLineSeries | QScatterSeries) -> None:
        chart.addSeries(series)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)

    if trend.bands and not compact:
        names = QCategoryAxis()
        names.setRange(lo, hi)
        names.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionCenter)
        names.setGridLineVisible(False)
        for b in trend.bands:
            names.append(b.label, b.upper)
        chart.addAxis(names, Qt.AlignmentFlag.AlignRight)
    if trend.bands:
        # The bands are the plot area's background: a gradient with hard stops at the
        # band edges (in the plot area's own coordinates), not one series per band.
        gradient = QLinearGradient(0.0, 1.0, 0.0, 0.0)
        gradient.setCoordinateMode(QGradient.CoordinateMode.ObjectMode)
        for b in trend.bands:
            color = QColor(BAND_COLOR)
            color.setAlpha(BAND_ALPHA[min(b.level, len(BAND_ALPHA) - 1)])
            color = _over_white(color)
            gradient.setColorAt(max(0.0, (b.lower - lo) / (hi - lo)), color)
            gradient.setColorAt(min(1.0, (b.upper - lo) / (hi - lo)) - 0.002, color)
        chart.setPlotAreaBackgroundBrush(QBrush(gradient))
        chart.setPlotAreaBackgroundVisible(True)
    if trend.cutoff is not None:
        cut = QLineSeries()
        cut.setName(f"Cut-off {trend.cutoff:g}")
        cut.append([QPointF(x0, trend.cutoff), QPointF(x1, trend.cutoff)])
        pen = QPen(QColor(90, 90, 90))
        pen.setStyle(Qt.PenStyle.DashLine)
        pen.setWidthF(1.5)
        cut.setPen(pen)
        attach(cut)
    for i, s in enumerate(trend.series):
        line = QLineSeries()
        line.setName(s.label)
        line.append([QPointF(_ms(p.when), p.value) for p in s.points])
        pen = QPen(SERIES_COLORS[i % len(SERIES_COLORS)])
        pen.setWidthF(2.0)
        line.setPen(pen)
        line.setPointsVisible(len(s.points) <= LONG_SERIES)
        attach(line)
    long = trend.longest > LONG_SERIES
    for kind, (label, color, shape) in MARKERS.items():
        points = trend.markers(kind, changes_only=long)
        if not points:
            continue
        scatter = QScatterSeries()
        scatter.setName(label)
        scatter.setMarkerShape(shape)
        scatter.setMarkerSize(11.0)
        scatter.setColor(color)
        scatter.setBorderColor(color)
        scatter.append([QPointF(_ms(p.when), p.value) for p in points])
        attach(scatter)
    if trend.risk_unanswered:
        flag = QScatterSeries()
        flag.setName(RISK_UNANSWERED)
        flag.setMarkerShape(QScatterSeries.MarkerShape.MarkerShapeTriangle)
        flag.setMarkerSize(12.0)
        flag.setColor(QColor(230, 150, 0))
        flag.setBorderColor(QColor(120, 70, 0))
        flag.append([QPointF(_ms(p.when), p.value) for p in trend.risk_unanswered])
        attach(flag)
    return chart


class TrendChart(QChartView):
    """A chart view that shows one trend, or says there is nothing to show yet."""

    def __init__(self, trend: Trend | None = None, parent: QWidget | None = None,
                 compact: bool = False) -> None:
        super().__init__(parent)
        self.compact = compact
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumSize(360, 240)
        self.trend: Trend | None = None
        self.show_trend(trend)

    def show_trend(self, trend: Trend | None) -> None:
        self.trend = trend
        if trend is None or trend.empty:
            chart = QChart()
            chart.setTitle((trend.title + ": " if trend else "") + "no scores yet")
            chart.legend().hide()
        else:
            chart = build_chart(trend, self.compact)
        old = self.chart()
        self.setChart(chart)
        if old is not None and old is not chart:
            old.deleteLater()
        self.setAccessibleName(chart.title())
