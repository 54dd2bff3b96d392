"""Session > Correct…: the dialog that records an amendment of a signed session.

A signed session's attendance, date and time, seating and interactions are locked with its
group note. A correction is an amendment: what changes (a member's attendance, the date
and time, or a correction of the circle described in words) and why. Every control has a
label with a mnemonic, so the dialog is used from the keyboard alone; `ask_amendment` is
module-level so tests can answer it without a modal loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from groupleader import amendments
from groupleader.data.snapshots import MeetingSnap

# (field, what the choice says)
WHAT = (
    ("attendance", "A member's attendance"),
    ("time", "The date, time or length"),
    ("seating", "The seating (describe it)"),
    ("interactions", "The interactions (describe them)"),
    ("other", "Something else about the session (describe it)"),
)
STATUS_CHOICES = (
    ("present", "Present"),
    ("late", "Late"),
    ("absent_notice", "Absent, with notice"),
    ("absent_no_notice", "Absent, no notice"),
)


@dataclass(frozen=True)
class CorrectMember:
    """A member who can be corrected: the name as shown, and the mark shown now."""

    member_id: int
    name: str
    status: str | None
    minutes_late: int | None


class AmendmentDialog(QDialog):
    def __init__(self, meeting: MeetingSnap, members: list[CorrectMember],
                 field: str = "attendance", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Correct {meeting.label.lower()}")
        self.meeting = meeting
        self.members = members
        layout = QVBoxLayout(self)
        hint = QLabel("This session is signed, so what was recorded stays as it was. The "
                      "correction is added as a dated amendment in your name, with the "
                      "reason, under the group note's signature.", self)
        hint.setWordWrap(True)
        layout.addWidget(hint)
        form = QFormLayout()
        self.what = QComboBox(self)
        for key, text in WHAT:
            self.what.addItem(text, key)
        self.what.setAccessibleName("What to correct")
        form.addRow("&What:", self.what)
        layout.addLayout(form)

        self.pages = QStackedWidget(self)
        layout.addWidget(self.pages)
        # attendance
        page = QWidget(self.pages)
        f = QFormLayout(page)
        f.setContentsMargins(0, 0, 0, 0)
        self.member = QComboBox(page)
        for m in members:
            shown = amendments.status_words(m.status, m.minutes_late)
            self.member.addItem(f"{m.name} (shown as {shown})", m.member_id)
        self.member.setAccessibleName("Member")
        f.addRow("&Member:", self.member)
        self.status = QComboBox(page)
        for key, text in STATUS_CHOICES:
            self.status.addItem(text, key)
        self.status.setAccessibleName("Attendance as it really was")
        f.addRow("&Really:", self.status)
        self.minutes = QSpinBox(page)
        self.minutes.setRange(1, max(1, meeting.length_minutes))
        self.minutes.setValue(min(10, meeting.length_minutes))
        self.minutes.setSuffix(" min")
        self.minutes.setAccessibleName("Minutes late")
        f.addRow("Minutes &late:", self.minutes)
        self.pages.addWidget(page)
        # date and time
        page = QWidget(self.pages)
        f = QFormLayout(page)
        f.setContentsMargins(0, 0, 0, 0)
        self.when = QDateTimeEdit(page)
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("ddd d MMM yyyy HH:mm")
        here = meeting.starts_at.astimezone()
        self.when.setDateTime(QDateTime(QDate(here.year, here.month, here.day),
                                        QTime(here.hour, here.minute)))
        self.when.setAccessibleName("Date and time it took place")
        f.addRow("&Took place:", self.when)
        self.length = QSpinBox(page)
        self.length.setRange(5, 600)
        self.length.setValue(meeting.length_minutes)
        self.length.setSuffix(" min")
        self.length.setAccessibleName("Length")
        f.addRow("Len&gth:", self.length)
        self.pages.addWidget(page)
        # in words
        page = QWidget(self.pages)
        f = QFormLayout(page)
        f.setContentsMargins(0, 0, 0, 0)
        self.description = QPlainTextEdit(page)
        self.description.setTabChangesFocus(True)
        self.description.setAccessibleName("The correction")
        self.description.setPlaceholderText("e.g. the member by the door was …")
        label = QLabel("The &correction:", page)
        label.setBuddy(self.description)
        f.addRow(label, self.description)
        self.pages.addWidget(page)

        self.reason = QPlainTextEdit(self)
        self.reason.setTabChangesFocus(True)
        self.reason.setAccessibleName("Reason for the correction")
        reason_label = QLabel("Rea&son (required):", self)
        reason_label.setBuddy(self.reason)
        layout.addWidget(reason_label)
        layout.addWidget(self.reason)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = buttons.addButton("Record amendment", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setDefault(True)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

        self.what.currentIndexChanged.connect(self._on_what)
        self.status.currentIndexChanged.connect(self._on_status)
        self.member.currentIndexChanged.connect(self._on_member)
        self.what.setCurrentIndex(max(0, self.what.findData(field)))
        self._on_what()
        self._on_member()
        self.resize(520, 420)

    def _on_what(self) -> None:
        key = self.what.currentData()
        self.pages.setCurrentIndex(0 if key == "attendance" else 1 if key == "time" else 2)

    def _on_member(self) -> None:
        """Offer a status other than the one shown now (the usual correction)."""
        i = self.member.currentIndex()
        if 0 <= i < len(self.members) and self.status.currentData() == self.members[i].status:
            self.status.setCurrentIndex((self.status.currentIndex() + 1) % self.status.count())
        self._on_status()

    def _on_status(self) -> None:
        self.minutes.setEnabled(self.status.currentData() == "late")

    def value(self) -> tuple[dict[str, Any], str]:
        """The change (as `operations.notes.add_amendment` takes it) and the reason."""
        key = self.what.currentData()
        change: dict[str, Any]
        if key == "attendance":
            late = self.status.currentData() == "late"
            change = {"field": key, "member_id": self.member.currentData(),
                      "to": self.status.currentData(),
                      "to_minutes_late": self.minutes.value() if late else None}
        elif key == "time":
            when = self.when.dateTime().toPython()
            assert isinstance(when, datetime)  # QDateTime.toPython always gives a datetime
            change = {"field": key, "starts_at": when.astimezone(),
                      "length_minutes": self.length.value()}
        else:
            change = {"field": key, "description": self.description.toPlainText()}
        return change, self.reason.toPlainText()

    def _accept(self) -> None:
        if not self.reason.toPlainText().strip():
            self.error.setText("Write the reason for the correction: it is kept with it.")
            self.error.show()
            self.reason.setFocus()
            return
        if self.what.currentData() == "attendance" and self.member.count() == 0:
            self.error.setText("No member was recorded or active at this session.")
            self.error.show()
            return
        self.accept()


def ask_amendment(dialog: AmendmentDialog) -> tuple[dict[str, Any], str] | None:
    """Show the dialog; the change and reason, or None if the user cancelled."""
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.value()
