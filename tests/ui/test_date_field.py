"""Date fields take a typed date: in the locale's order, a day alone, a day later than
today; a date outside the field's range gets a message instead of a silent refusal."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QDate, QLocale, QPoint, Qt
from PySide6.QtWidgets import QWidget

from groupleader.ui.date_field import DateField, locale_order, parse_typed
from groupleader.ui.roster.status_dialog import StatusDialog


@pytest.fixture
def locale() -> Iterator[Any]:
    """Set the default locale for the fields made in the test; put it back after."""
    before = QLocale()

    def use(name: str) -> None:
        QLocale.setDefault(QLocale(name))

    yield use
    QLocale.setDefault(before)


def shown(qtbot: Any, widget: QWidget) -> None:
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)


def click_and_type(qtbot: Any, field: DateField, text: str) -> None:
    """As a user does: click somewhere in the field (the caret was elsewhere), type, and
    press Enter."""
    field.edit.clearFocus()
    qtbot.mouseClick(field.edit, Qt.MouseButton.LeftButton,
                     pos=QPoint(field.edit.width() // 3, field.edit.height() // 2))
    qtbot.waitUntil(lambda: field.edit.selectedText() == field.edit.text())
    qtbot.keyClicks(field.edit, text)
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)


def test_a_day_later_than_today_in_this_month_is_taken_in_the_status_dialog(
    qtbot: Any,
) -> None:
    got: list[tuple[Any, ...]] = []
    dialog = StatusDialog(lambda *a: got.append(a), {"left"}, title="Change status",
                          who="Ada", current="active")
    shown(qtbot, dialog)
    field = dialog.on_date
    assert isinstance(field, DateField)
    today = date.today()
    last = calendar.monthrange(today.year, today.month)[1]
    if today.day == last:  # no later day this month: start from the 1st, as a user might
        field.setDate(QDate(today.year, today.month, 1))
    later = min(last, max(today.day, 1) + 1) if today.day < last else 2
    click_and_type(qtbot, field, str(later))
    assert field.date() == QDate(today.year, today.month, later)
    assert field.problem == ""
    dialog.choose("left")
    dialog.try_accept()
    assert got and got[0][1] == date(today.year, today.month, later)


@pytest.mark.parametrize(("name", "typed"), [
    ("en_GB", "15/12/2026"), ("en_US", "12/15/2026"), ("de_DE", "15.12.2026"),
    ("de_DE", "15.12.26"), ("ja_JP", "2026/12/15"), ("en_GB", "2026-12-15"),
    ("en_US", "15 Dec 2026"),
])
def test_a_whole_date_typed_in_the_locales_order_is_taken(
    qtbot: Any, locale: Any, name: str, typed: str,
) -> None:
    locale(name)
    field = DateField(QDate(2026, 3, 2))
    shown(qtbot, field)
    click_and_type(qtbot, field, typed)
    assert field.date() == QDate(2026, 12, 15), (name, typed, field.problem)
    assert field.problem == ""


def test_a_date_outside_the_range_is_said_not_silently_refused(qtbot: Any) -> None:
    today = QDate.currentDate()
    changes: list[QDate] = []
    field = DateField(today)
    field.setMaximumDate(today)
    field.dateChanged.connect(changes.append)
    shown(qtbot, field)
    later = today.addDays(10)
    field.edit.clearFocus()
    qtbot.mouseClick(field.edit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: field.edit.selectedText() == field.edit.text())
    qtbot.keyClicks(field.edit, later.toString("yyyy-MM-dd"))
    # Said while typing, in words, under the field.
    assert "too late" in field.problem and field.message.isVisible()
    assert today.toString("d MMM yyyy") in field.problem
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)
    assert field.date() == today and changes == []
    assert "is kept" in field.problem
    # Fixed: the message goes.
    field.edit.selectAll()
    qtbot.keyClicks(field.edit, today.addDays(-1).toString("yyyy-MM-dd"))
    assert field.problem == "" and not field.message.isVisible()
    assert field.date() == today.addDays(-1)


def test_text_that_is_no_date_is_said_and_the_date_kept(qtbot: Any, locale: Any) -> None:
    locale("en_GB")
    field = DateField(QDate(2026, 12, 2))
    shown(qtbot, field)
    click_and_type(qtbot, field, "31/02/2026")
    assert "not a date" in field.problem and "15/12/2026" in field.problem
    assert field.date() == QDate(2026, 12, 2) and field.text() == "2 Dec 2026"


def test_keys_move_the_date(qtbot: Any) -> None:
    field = DateField(QDate(2026, 1, 31))
    shown(qtbot, field)
    field.edit.setFocus()
    qtbot.keyClick(field.edit, Qt.Key.Key_Up)
    assert field.date() == QDate(2026, 2, 1)
    qtbot.keyClick(field.edit, Qt.Key.Key_PageDown)
    assert field.date() == QDate(2026, 1, 1)
    qtbot.keyClick(field.edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert field._calendar is not None and field._calendar.isVisible()
    field._calendar.clicked.emit(QDate(2026, 1, 20))
    assert field.date() == QDate(2026, 1, 20) and not field._calendar.isVisible()


def test_the_order_comes_from_the_locale() -> None:
    assert locale_order(QLocale("en_GB")) == "dmy"
    assert locale_order(QLocale("en_US")) == "mdy"
    assert locale_order(QLocale("ja_JP")) == "ymd"
    assert parse_typed("25", "dmy", QDate(2026, 12, 2)) == QDate(2026, 12, 25)
    assert parse_typed("12/25", "mdy", QDate(2026, 3, 2)) == QDate(2026, 12, 25)
    assert parse_typed("31/02/2026", "dmy") is None


def test_every_date_field_of_the_window_is_a_date_field() -> None:
    from pathlib import Path

    import groupleader.ui

    root = Path(groupleader.ui.__file__).parent
    plain = [str(p.relative_to(root)) for p in root.rglob("*.py")
             if "QDateEdit(" in p.read_text("utf-8")]
    assert plain == []
