"""What else happened to one member's attendance (issue 16): left early (minutes), the
reason for an absence, and for an absence without notice whether and when the member
was contacted, and what came of it. A small dialog from the attendance row's "More…";
the row's tooltip and text say what is recorded."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from groupleader import register_vocab
from groupleader.data.register_snapshots import AttendanceDetails
from groupleader.data.snapshots import AttendanceRow
from groupleader.errors import GroupLeaderError
from groupleader.ui.date_field import DateField
from groupleader.ui.roster.member_dialog import ERROR_STYLE, pydate, qdate

ATTENDED = {"present", "late"}


def details_summary(row: AttendanceRow | None) -> str:
    """A few words for the row: "left 20 min early", "unwell · contacted 5 Mar", ""."""
    if row is None:
        return ""
    parts = []
    if row.minutes_left_early:
        parts.append(f"left {row.minutes_left_early} min early")
    if row.absence_reason:
        parts.append(row.absence_reason)
    if row.status == "absent_no_notice":
        if row.contacted:
            when = (f" {register_vocab.short_date(row.contacted_on)}"
                    if row.contacted_on else "")
            parts.append(f"contacted{when}")
        else:
            parts.append("not yet contacted")
    return " · ".join(parts)


class AttendanceDetailsDialog(QDialog):
    """The details of one recorded mark; only the fields its status allows are shown."""

    def __init__(self, submit: Callable[[AttendanceDetails], None], who: str,
                 row: AttendanceRow, session_day: object, length_minutes: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._send = submit
        self.setWindowTitle("Attendance details")
        self.setMinimumWidth(400)
        layout = QVBoxLayout(self)
        heading = QLabel(who, self)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(heading)
        form = QFormLayout()
        came = row.status in ATTENDED
        self.left_early = QCheckBox("Left &early", self)
        self.left_minutes = QSpinBox(self)
        self.left_minutes.setRange(1, max(1, length_minutes - (row.minutes_late or 0)))
        self.left_minutes.setSuffix(" min before the end")
        self.left_minutes.setAccessibleName("Minutes left early")
        self.left_early.setChecked(row.minutes_left_early is not None)
        self.left_minutes.setValue(row.minutes_left_early or 15)
        self.left_minutes.setEnabled(self.left_early.isChecked())
        self.left_early.toggled.connect(self.left_minutes.setEnabled)
        self.reason = QLineEdit(row.absence_reason, self)
        self.reason.setAccessibleName("Reason for the absence")
        self.reason.setPlaceholderText("Unwell, work, holiday…")
        self.contacted = QCheckBox("Member &contacted", self)
        self.contacted.setChecked(row.contacted)
        day = row.contacted_on or session_day
        self.contacted_on = DateField(qdate(day))  # type: ignore[arg-type]
        self.contacted_on.setDisplayFormat("dd MMM yyyy")
        self.contacted_on.setAccessibleName("Date of contact")
        self.contacted_on.setEnabled(row.contacted)
        self.contacted.toggled.connect(self.contacted_on.setEnabled)
        self.contact_note = QLineEdit(row.contact_note, self)
        self.contact_note.setAccessibleName("What came of the contact")
        self.contact_note.setPlaceholderText("Phoned; coming next week…")
        if came:
            form.addRow(self.left_early, self.left_minutes)
        else:
            form.addRow("&Reason", self.reason)
        self.no_notice = row.status == "absent_no_notice"
        if self.no_notice:
            form.addRow(self.contacted, self.contacted_on)
            form.addRow("&Outcome", self.contact_note)
        self.came = came
        unused = ([self.reason] if came else [self.left_early, self.left_minutes]) + (
            [] if self.no_notice else [self.contacted, self.contacted_on, self.contact_note])
        for widget in unused:  # made for every mark, laid out only for this one's
            widget.hide()
        layout.addLayout(form)
        self.error = QLabel(self)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def details(self) -> AttendanceDetails:
        if self.came:
            return AttendanceDetails(minutes_left_early=self.left_minutes.value()
                                     if self.left_early.isChecked() else None)
        if not self.no_notice:
            return AttendanceDetails(absence_reason=self.reason.text())
        on = self.contacted.isChecked()
        return AttendanceDetails(
            absence_reason=self.reason.text(), contacted=on,
            contacted_on=pydate(self.contacted_on.date()) if on else None,
            contact_note=self.contact_note.text())

    def try_accept(self) -> None:
        self.error.hide()
        try:
            self._send(self.details())
        except GroupLeaderError as err:
            self.error.setText(err.message)
            self.error.show()
            return
        self.accept()
