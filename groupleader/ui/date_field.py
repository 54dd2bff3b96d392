"""The program's date field: a date typed the way the user writes dates.

A `QDateEdit` edits one section at a time and silently drops what does not fit: after
a click the caret sits inside the day, so typing "25" makes "2502" and is refused; a
whole date typed in the locale's order ("15/12/2026", or "12/15/2026" in the US) is
refused because the field shows "15 Dec 2026"; a date outside the field's range is
refused without a word. `DateField` is a text field with a calendar button instead:

- it takes the date as shown ("15 Dec 2026"), a date typed in the locale's short order
  (day, month and year as numbers, two- or four-digit year, any of / . - or a space
  between), an ISO date (2026-12-15), or just a day ("25": that day of the month shown)
  or a day and month ("25/12": in the year shown); a click selects the whole text, so
  what is typed replaces it;
- a typed date counts when the field is left or Enter is pressed (`date()` already
  reads it); one outside the range gets a message under the field (`problem`) while it
  is typed, text that is no date when the field is left, each saying what to type and
  which date is kept;
- Up / Down move a day, Page Up / Page Down a month, Alt+Down opens the calendar.

It offers the part of QDateEdit's interface the program uses (`date`, `setDate`,
`dateChanged`, the minimum and maximum, `setDisplayFormat`), so dialogs swap one for the
other.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

DISPLAY = "d MMM yyyy"
_SEPARATORS = re.compile(r"[\s/.\-]+")
_NO_MIN, _NO_MAX = QDate(1900, 1, 1), QDate(9999, 12, 31)


def locale_order(locale: QLocale | None = None) -> str:
    """"dmy", "mdy" or "ymd": the order of the locale's short date format."""
    fmt = (locale or QLocale()).dateFormat(QLocale.FormatType.ShortFormat).lower()
    order = ""
    for ch in fmt:
        if ch in "dmy" and ch not in order:
            order += ch
    return order if sorted(order) == ["d", "m", "y"] else "dmy"


def order_example(order: str) -> str:
    """15 December 2026 written in that order, e.g. "15/12/2026"."""
    parts = {"d": "15", "m": "12", "y": "2026"}
    return "/".join(parts[c] for c in order)


def parse_typed(text: str, order: str, shown: QDate | None = None) -> QDate | None:
    """A date typed as numbers: in `order`, or ISO (2026-12-15). With `shown` (the date
    the field shows), a day alone ("25") is that day of the shown month, and a day and
    month ("25/12", in the locale's order) are in the shown year. None if it is not a
    date (including impossible ones such as 31/02/2026)."""
    parts = [p for p in _SEPARATORS.split(text.strip()) if p]
    if not parts or not all(p.isdigit() for p in parts) or len(parts) > 3:
        return None
    if len(parts) < 3:
        if shown is None or any(len(p) > 2 for p in parts):
            return None
        if len(parts) == 1:
            found = QDate(shown.year(), shown.month(), int(parts[0]))
        else:
            fields = dict(zip(order.replace("y", ""), parts, strict=True))
            found = QDate(shown.year(), int(fields["m"]), int(fields["d"]))
        return found if found.isValid() else None
    keys = "ymd" if len(parts[0]) == 4 else order
    fields = dict(zip(keys, parts, strict=True))
    if len(fields["y"]) not in (2, 4):
        return None
    year, month, day = int(fields["y"]), int(fields["m"]), int(fields["d"])
    if len(fields["y"]) == 2:
        year += 2000 if year < 70 else 1900
    date = QDate(year, month, day)
    return date if date.isValid() else None


class DateField(QWidget):
    """A date field that takes a typed date (see the module's text)."""

    dateChanged = Signal(QDate)  # noqa: N815  (QDateEdit's name)
    problem_changed = Signal(str)  # "" once the typed date is fine again

    def __init__(self, date: QDate | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._date = date if date is not None and date.isValid() else QDate.currentDate()
        self._min, self._max = _NO_MIN, _NO_MAX
        self._format = DISPLAY
        self._order = locale_order(self.locale())
        self.problem = ""

        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(order_example(self._order))
        self.edit.setToolTip(f"Type a date such as {order_example(self._order)} or "
                             "15 Dec 2026; Up and Down move a day, Alt+Down opens the calendar")
        self.edit.installEventFilter(self)
        row.addWidget(self.edit, 1)
        self.button = QToolButton(self)
        self.button.setText("▾")
        self.button.setAccessibleName("Choose the date on a calendar")
        self.button.setToolTip("Choose the date on a calendar (Alt+Down)")
        self.button.setFocusPolicy(self.button.focusPolicy().NoFocus)
        self.button.clicked.connect(self.open_calendar)
        row.addWidget(self.button)
        column.addLayout(row)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Date problem")
        self.message.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.message.hide()
        column.addWidget(self.message)
        self.setFocusProxy(self.edit)
        # A click on the field's own margin (or a test's click on the field) gives the
        # text field the focus, as a click on a QDateEdit does.
        self.setFocusPolicy(self.edit.focusPolicy())
        self._calendar: QCalendarWidget | None = None
        self._select_on_release = False

        self.edit.textEdited.connect(self._on_typed)
        self.edit.editingFinished.connect(self._on_finished)
        self._show_date()

    # ---------------------------------------------------------------- QDateEdit's part
    def date(self) -> QDate:
        """The date shown; a whole date typed in the range counts before the field is
        left (a dialog may read it on Enter)."""
        typed = self.parse(self.edit.text())
        if typed is not None and self._min <= typed <= self._max:
            return typed
        return QDate(self._date)

    def setDate(self, date: QDate) -> None:
        """Show `date` (kept inside the range, as QDateEdit does)."""
        self._set(min(max(date, self._min), self._max))
        self._show_date()
        self._say("")

    def minimumDate(self) -> QDate:
        return QDate(self._min)

    def maximumDate(self) -> QDate:
        return QDate(self._max)

    def setMinimumDate(self, date: QDate) -> None:
        self.setDateRange(date, max(date, self._max))

    def setMaximumDate(self, date: QDate) -> None:
        self.setDateRange(min(date, self._min), date)

    def setDateRange(self, low: QDate, high: QDate) -> None:
        self._min, self._max = QDate(low), QDate(high)
        self.setDate(self._date)

    def displayFormat(self) -> str:
        return self._format

    def setDisplayFormat(self, fmt: str) -> None:
        self._format = fmt
        self._show_date()

    def setCalendarPopup(self, _on: bool) -> None:
        """The calendar button is always there."""

    def text(self) -> str:
        return self.edit.text()

    # ---------------------------------------------------------------- typing
    def parse(self, text: str) -> QDate | None:
        """The date `text` means, or None: as shown, in the locale's order, or ISO."""
        text = text.strip()
        for fmt in (self._format, "d MMM yyyy", "d MMMM yyyy", "d MMM yy"):
            found = self.locale().toDate(text, fmt)
            if found.isValid():
                return found
        return parse_typed(text, self._order, self._date)

    def _on_typed(self, text: str) -> None:
        """While typing, only say what is wrong: the date counts when the field is left
        (or Enter is pressed), since "2026-12-1" may be going on to "2026-12-15"."""
        date = self.parse(text) if re.search(r"\d{4}|[^\W\d_]", text) else None
        if date is not None and not self._min <= date <= self._max:
            self._say(self.range_message(date))
        elif self.problem:
            self._say("")

    def _on_finished(self) -> None:
        text = self.edit.text()
        date = self.parse(text)
        if date is None and text.strip():
            self._say(f"“{text.strip()}” is not a date. Type one such as "
                      f"{order_example(self._order)} or 15 Dec 2026; "
                      f"{self._shown(self._date)} is kept.")
        elif date is not None and not self._min <= date <= self._max:
            self._say(self.range_message(date) + f" {self._shown(self._date)} is kept.")
        elif date is not None:
            self._set(date)
            self._say("")
        self._show_date()

    def range_message(self, date: QDate) -> str:
        shown = self._shown(date)
        if self._max < _NO_MAX and date > self._max:
            if self._min > _NO_MIN:
                return (f"{shown} is outside the dates allowed here: choose one from "
                        f"{self._shown(self._min)} to {self._shown(self._max)}.")
            return f"{shown} is too late here: choose {self._shown(self._max)} or earlier."
        return f"{shown} is too early here: choose {self._shown(self._min)} or later."

    # ---------------------------------------------------------------- keys, calendar
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.edit and kind == QEvent.Type.FocusIn:
            from PySide6.QtCore import Qt
            from PySide6.QtGui import QFocusEvent

            assert isinstance(event, QFocusEvent)
            self._select_on_release = event.reason() == Qt.FocusReason.MouseFocusReason
        elif watched is self.edit and kind == QEvent.Type.MouseButtonRelease \
                and self._select_on_release:
            # The click that brought the caret here has placed it: select the whole
            # date, so what is typed replaces it (Tab selects it already).
            self._select_on_release = False
            super().eventFilter(watched, event)
            self.edit.selectAll()
            return False
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            from PySide6.QtCore import Qt

            key, mods = Qt.Key(event.key()), event.modifiers()
            steps = {Qt.Key.Key_Up: (1, 0), Qt.Key.Key_Down: (-1, 0),
                     Qt.Key.Key_PageUp: (0, 1), Qt.Key.Key_PageDown: (0, -1)}
            if key == Qt.Key.Key_Down and mods & Qt.KeyboardModifier.AltModifier \
                    or key == Qt.Key.Key_F4:
                self.open_calendar()
                return True
            if key in steps and not mods & Qt.KeyboardModifier.AltModifier:
                days, months = steps[key]
                base = self.parse(self.edit.text()) or self._date
                self.setDate(base.addDays(days).addMonths(months))
                return True
        return super().eventFilter(watched, event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if self._select_on_release:  # the click came to the frame around the text
            self._select_on_release = False
            self.edit.selectAll()

    def open_calendar(self) -> QCalendarWidget:
        from PySide6.QtCore import Qt

        if self._calendar is None:
            self._calendar = QCalendarWidget(self)
            self._calendar.setWindowFlags(Qt.WindowType.Popup)
            self._calendar.clicked.connect(self._picked)
            self._calendar.activated.connect(self._picked)
        calendar = self._calendar
        calendar.setDateRange(self._min, self._max)
        calendar.setSelectedDate(self._date)
        calendar.move(self.mapToGlobal(self.rect().bottomLeft()))
        calendar.show()
        calendar.setFocus()
        return calendar

    def _picked(self, date: QDate) -> None:
        if self._calendar is not None:
            self._calendar.hide()
        self.setDate(date)
        self.edit.setFocus()

    # ---------------------------------------------------------------- inside
    def _shown(self, date: QDate) -> str:
        return self.locale().toString(date, self._format)

    def _set(self, date: QDate) -> None:
        if date != self._date:
            self._date = QDate(date)
            self.dateChanged.emit(QDate(date))

    def _show_date(self) -> None:
        self.edit.setText(self._shown(self._date))

    def _say(self, message: str) -> None:
        if message == self.problem:
            return
        self.problem = message
        if message:
            from groupleader.ui.widgets import _set_text_color, error_color

            _set_text_color(self.message, error_color(self.message))
        self.message.setText(message)
        self.message.setVisible(bool(message))
        self.problem_changed.emit(message)
