"""Keyboard entry of a form and the Qt trend charts, as a user meets them."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCharts import QCategoryAxis
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from groupleader.measures import registry
from groupleader.measures.trends import GroupSession, group_trend, member_trend
from groupleader.ui.measures.charts import TrendChart
from groupleader.ui.measures.entry import ScoreEntry

START = date(2026, 1, 5)


def type_digits(qtbot: QtBot, entry: ScoreEntry, keys: str) -> None:
    assert entry.items is not None
    for ch in keys:
        qtbot.keyClick(entry.items, ch)


def test_a_whole_phq9_in_nine_keypresses(qtbot: QtBot) -> None:
    entry = ScoreEntry()
    qtbot.addWidget(entry)
    entry.select("phq9")
    with qtbot.waitSignal(entry.finished):
        type_digits(qtbot, entry, "123012101")
    assert entry.answers() == [1, 2, 3, 0, 1, 2, 1, 0, 1]
    result = entry.result()
    assert result is not None and result.total == 11 and result.status == "complete"
    assert result.risk == ((9, 1),)
    assert "Moderate" in entry.summary.text() and "risk item 9" in entry.summary.text()


def test_backspace_goes_back_and_space_leaves_an_item_blank(qtbot: QtBot) -> None:
    entry = ScoreEntry()
    qtbot.addWidget(entry)
    entry.select("gad7")
    type_digits(qtbot, entry, "33")
    assert entry.items is not None
    qtbot.keyClick(entry.items, Qt.Key.Key_Backspace)
    type_digits(qtbot, entry, "1")
    qtbot.keyClick(entry.items, Qt.Key.Key_Space)
    type_digits(qtbot, entry, "9")  # no such option on the GAD-7: ignored
    type_digits(qtbot, entry, "22222")
    assert entry.answers() == [3, 1, None, 2, 2, 2, 2]
    assert entry.result().status == "prorated"  # type: ignore[union-attr]


def test_reverse_keyed_core10_items_count_turned_round_at_entry(qtbot: QtBot) -> None:
    entry = ScoreEntry()
    qtbot.addWidget(entry)
    entry.select("core10")
    type_digits(qtbot, entry, "1441101111")
    assert entry.result().total == 7  # type: ignore[union-attr]


def test_total_only_when_only_the_total_is_known(qtbot: QtBot) -> None:
    entry = ScoreEntry()
    qtbot.addWidget(entry)
    entry.select("core10")
    entry.total_only.setChecked(True)
    qtbot.keyClicks(entry.total_edit, "17")
    assert entry.answers() is None
    assert entry.result().total == 17  # type: ignore[union-attr]
    assert "Moderate" in entry.summary.text()
    entry.total_edit.setText("41")
    assert "0 to 40" in entry.summary.text()
    entry.select("gcqs")
    assert not entry.total_only.isEnabled() and not entry.total_only.isChecked()


def painted_pixels(image: QImage) -> int:
    """Pixels that are neither the background colour nor near-white."""
    background = image.pixelColor(2, 2)
    count = 0
    for y in range(0, image.height(), 3):
        for x in range(0, image.width(), 3):
            c = image.pixelColor(x, y)
            if c != background and c != QColor(255, 255, 255):
                count += 1
    return count


def test_member_chart_is_drawn_with_bands_cutoff_and_markers(qtbot: QtBot) -> None:
    inst = registry.instrument("phq9")
    trend = member_trend(inst, [(START + timedelta(weeks=i), {"total": v})
                                for i, v in enumerate([18.0, 16.0, 11.0, 7.0])])
    view = TrendChart(trend)
    qtbot.addWidget(view)
    view.resize(600, 380)
    view.show()
    names = [s.name() for s in view.chart().series()]
    assert "Cut-off 10" in names and "Reliable improvement" in names and "Recovered" in names
    [band_axis] = [a for a in view.chart().axes() if isinstance(a, QCategoryAxis)]
    assert band_axis.categoriesLabels() == [b.label for b in inst.bands]
    assert view.chart().isPlotAreaBackgroundVisible()  # the bands' shading
    drawn = painted_pixels(view.grab().toImage())
    empty = TrendChart(member_trend(inst, []))
    qtbot.addWidget(empty)
    empty.resize(600, 380)
    empty.show()
    assert "no scores yet" in empty.chart().title()
    assert drawn > 3 * painted_pixels(empty.grab().toImage())


def test_group_chart_shows_the_three_gcqs_scales(qtbot: QtBot) -> None:
    inst = registry.instrument("gcqs")
    sessions = [GroupSession(START + timedelta(weeks=i),
                             {"engaged": 2 + i / 4, "avoiding": 3 - i / 5, "conflict": 1.5},
                             1.0, None) for i in range(6)]
    view = TrendChart(group_trend(inst, sessions))
    qtbot.addWidget(view)
    view.resize(600, 380)
    view.show()
    assert [s.name() for s in view.chart().series()] == ["Engaged", "Avoiding", "Conflict"]
    assert painted_pixels(view.grab().toImage()) > 0


def test_a_ten_year_chart_marks_only_where_reliable_change_begins(qtbot: QtBot) -> None:
    inst = registry.instrument("core10")
    values = [22.0] * 100 + [14.0] * 100 + [22.0] * 100 + [28.0] * 100
    trend = member_trend(inst, [(START + timedelta(weeks=i), {"total": v})
                                for i, v in enumerate(values)])
    view = TrendChart(trend)
    qtbot.addWidget(view)
    counts = {s.name(): s.count() for s in view.chart().series()}
    assert counts["Reliable improvement"] == 1 and counts["Reliable deterioration"] == 1
    assert counts["Total"] == 400
