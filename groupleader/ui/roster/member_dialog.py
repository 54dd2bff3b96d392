"""Add or edit a member: a form whose problems are shown beside the field they concern.

The dialog checks what it can itself (a name, a readable date of birth) and then hands
the form to a `submit` callback that calls the services; an `InvalidInput` from there
is shown beside the field it names, and the dialog stays open with everything typed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from groupleader.data.roster_csv import DATE_FORMS, parse_date
from groupleader.data.snapshots import MemberSnap, MemberSpec
from groupleader.errors import GroupLeaderError, InvalidInput
from groupleader.ui.date_field import DateField

STARTING = (("referred", "Referred"), ("screening", "Screening"), ("waitlist", "Waitlist"),
            ("active", "Active"))
ERROR_STYLE = "color: #b3261e;"

# submit(spec, status, on_date): status and date only when adding to a group.
Submit = Callable[[MemberSpec, str | None, date | None], None]


def qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def pydate(d: QDate) -> date:
    return date(d.year(), d.month(), d.day())


class MemberDialog(QDialog):
    """The member form; `adding` also asks for the starting status and its date.

    `starts_as` is the status "Starts as" offers first (the caller remembers the last one).
    """

    def __init__(
        self, submit: Submit, member: MemberSnap | None = None, adding: bool = False,
        parent: QWidget | None = None, starts_as: str = "waitlist",
    ) -> None:
        super().__init__(parent)
        self._submit = submit
        self.setWindowTitle("Add member" if adding else "Edit member")
        self.setMinimumWidth(460)
        self.errors: dict[str, QLabel] = {}
        self.inputs: dict[str, QWidget] = {}  # the field each error label sits under
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)

        self.full_name = self._line("full_name", "Full name *", 200)
        self.preferred_name = self._line("preferred_name", "Preferred name", 200)
        self.pronouns = self._line("pronouns", "Pronouns", 40)
        self.pronouns.setPlaceholderText("e.g. she/her, they/them")
        self.dob = self._line("dob", "Date of birth", 20)
        self.dob.setPlaceholderText("YYYY-MM-DD or DD.MM.YYYY")
        self.phone = self._line("phone", "Phone", 40)
        self.email = self._line("email", "Email", 200)
        self.emergency_contact = self._text("emergency_contact", "Emergency contact", 60)
        self.presenting_concerns = self._text("presenting_concerns", "Presenting concerns", 80)
        self.referral_source = self._line("referral_source", "Referral source", 200)
        self.also_written_as = self._text("also_written_as", "Also written as", 60)
        self.also_written_as.setPlaceholderText(
            "Other spellings, one a line: nicknames, transliterations (Naama for נעמה)")
        self.also_written_as.setToolTip(
            "A de-identified export and screen-share safe mode hide these too.")

        self.status: QComboBox | None = None
        self.on_date: DateField | None = None
        if adding:
            self.status = QComboBox()
            for key, label in STARTING:
                self.status.addItem(label, key)
            # waitlist is the safe start for a new person; the roster passes the last
            # choice made in this vault so a run of Active members needs no change here
            found = self.status.findData(starts_as)
            self.status.setCurrentIndex(found if found >= 0 else 2)
            self._add_row("status", "Starts as", self.status)
            self.on_date = DateField(qdate(date.today()))
            self.on_date.setCalendarPopup(True)
            self.on_date.setDisplayFormat("dd MMM yyyy")
            self._add_row("on_date", "From", self.on_date)

        self.general = QLabel()
        self.general.setStyleSheet(ERROR_STYLE)
        self.general.setWordWrap(True)
        self.general.setTextFormat(Qt.TextFormat.PlainText)
        self.general.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.general)
        layout.addWidget(buttons)
        if member is not None:
            self.fill(member)
        self.full_name.setFocus()

    # -- building
    def _add_row(self, key: str, label: str, field: QWidget) -> None:
        field.setAccessibleName(label.rstrip(" *"))
        error = QLabel()
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.setTextFormat(Qt.TextFormat.PlainText)
        error.hide()
        box = QWidget()
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(2)
        col.addWidget(field)
        col.addWidget(error)
        self.form.addRow(label, box)
        self.errors[key] = error
        self.inputs[key] = field

    def _line(self, key: str, label: str, limit: int) -> QLineEdit:
        edit = QLineEdit()
        edit.setMaxLength(limit)
        self._add_row(key, label, edit)
        return edit

    def _text(self, key: str, label: str, height: int) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(height)
        self._add_row(key, label, edit)
        return edit

    def fill(self, m: MemberSnap) -> None:
        self.full_name.setText(m.full_name)
        self.preferred_name.setText(m.preferred_name)
        self.pronouns.setText(m.pronouns)
        self.dob.setText(m.dob.isoformat() if m.dob else "")
        self.phone.setText(m.phone)
        self.email.setText(m.email)
        self.emergency_contact.setPlainText(m.emergency_contact)
        self.presenting_concerns.setPlainText(m.presenting_concerns)
        self.referral_source.setText(m.referral_source)
        self.also_written_as.setPlainText("\n".join(m.also_written_as))

    # -- validation
    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.hide()
        self.general.hide()

    def show_error(self, field: str | None, message: str) -> None:
        key = field or ""
        label = self.errors.get(key)
        if label is None:
            self.general.setText(message)
            self.general.show()
            return
        label.setText(message)
        label.show()
        self.inputs[key].setFocus()

    def spec(self) -> MemberSpec:
        """The form as a MemberSpec; InvalidInput for a date of birth that is not a date."""
        raw = self.dob.text().strip()
        dob = None
        if raw:
            try:
                dob = parse_date(raw)
            except ValueError:
                raise InvalidInput(f"Write the date as {DATE_FORMS}.", "dob") from None
        return MemberSpec(
            full_name=self.full_name.text(), preferred_name=self.preferred_name.text(),
            pronouns=self.pronouns.text(), dob=dob, phone=self.phone.text(),
            email=self.email.text(), emergency_contact=self.emergency_contact.toPlainText(),
            presenting_concerns=self.presenting_concerns.toPlainText(),
            referral_source=self.referral_source.text(),
            also_written_as=tuple(self.also_written_as.toPlainText().splitlines()))

    def try_accept(self) -> None:
        self.clear_errors()
        try:
            if not self.full_name.text().strip():
                raise InvalidInput("Enter the member's full name.", "full_name")
            spec = self.spec()
            status = self.status.currentData() if self.status else None
            on_date = pydate(self.on_date.date()) if self.on_date else None
            self._submit(spec, status, on_date)
        except InvalidInput as err:
            self.show_error(err.field, err.message)
            return
        except GroupLeaderError as err:
            self.show_error(None, err.message)
            return
        self.accept()
