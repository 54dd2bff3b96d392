"""Change a membership's status (only to the statuses its lifecycle allows), or rejoin.

The choices come from `members.allowed_transitions`, so the dialog can never offer a
change the service would refuse. Graduation asks for an optional farewell note: the
group marks a departure, and the note is kept with the dated change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from groupleader.errors import GroupLeaderError, InvalidInput
from groupleader.ui.date_field import DateField
from groupleader.ui.roster.member_dialog import ERROR_STYLE, pydate, qdate
from groupleader.ui.roster.model import STATUS_LABELS

ORDER = list(STATUS_LABELS)
# submit(status, on_date, reason, farewell)
Submit = Callable[[str, date, str, str], None]


class StatusDialog(QDialog):
    """Pick one of `choices`, a date and a reason; graduation adds a farewell note."""

    def __init__(
        self, submit: Submit, choices: Iterable[str], *, title: str, who: str,
        current: str | None = None, parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._submit = submit
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        heading = QLabel(who if current is None
                         else f"{who} — now {STATUS_LABELS.get(current, current).lower()}")
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setWordWrap(True)
        layout.addWidget(heading)

        self.group = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        for status in sorted(choices, key=lambda s: ORDER.index(s) if s in ORDER else 99):
            radio = QRadioButton(STATUS_LABELS.get(status, status))
            radio.setAccessibleName(f"New status: {STATUS_LABELS.get(status, status)}")
            self.group.addButton(radio)
            self.radios[status] = radio
            layout.addWidget(radio)

        form = QFormLayout()
        self.on_date = DateField(qdate(date.today()))
        self.on_date.setCalendarPopup(True)
        self.on_date.setDisplayFormat("dd MMM yyyy")
        self.on_date.setAccessibleName("Date of the change")
        form.addRow("Date", self.on_date)
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(60)
        self.reason.setAccessibleName("Reason")
        form.addRow("Reason", self.reason)
        self.farewell_label = QLabel("Farewell note (optional)")
        self.farewell = QPlainTextEdit()
        self.farewell.setTabChangesFocus(True)
        self.farewell.setFixedHeight(70)
        self.farewell.setAccessibleName("Farewell note")
        self.farewell.setPlaceholderText("How the group marked the goodbye, what was said…")
        form.addRow(self.farewell_label, self.farewell)
        layout.addLayout(form)

        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for radio in self.radios.values():
            radio.toggled.connect(self._update)
        if self.radios:
            next(iter(self.radios.values())).setChecked(True)
        self._update()

    def choices(self) -> list[str]:
        return list(self.radios)

    def chosen(self) -> str | None:
        for status, radio in self.radios.items():
            if radio.isChecked():
                return status
        return None

    def choose(self, status: str) -> None:
        self.radios[status].setChecked(True)

    def _update(self) -> None:
        graduating = self.chosen() == "graduated"
        self.farewell_label.setVisible(graduating)
        self.farewell.setVisible(graduating)

    def try_accept(self) -> None:
        self.error.hide()
        status = self.chosen()
        try:
            if status is None:
                raise InvalidInput("Choose the new status.", "status")
            farewell = self.farewell.toPlainText() if status == "graduated" else ""
            self._submit(status, pydate(self.on_date.date()), self.reason.toPlainText(),
                         farewell)
        except GroupLeaderError as err:
            self.error.setText(err.message)
            self.error.show()
            return
        self.accept()
