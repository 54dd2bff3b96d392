"""The signing PIN dialogs: sign with a PIN, choose who co-signs, set or change a PIN.

Each dialog names who signs ("Signing as: Dr. Ana Reyes, LCSW") and what the signature
means, so nobody signs as someone else by accident. The PIN is checked by the operation
(`groupleader.data.services.pins`), never here: these dialogs only collect it. The
module-level `ask_*` functions are what the views call, so tests can answer them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from groupleader.data.snapshots import ClinicianSnap
from groupleader.errors import GroupLeaderError, InvalidInput
from groupleader.ui.context import AppContext
from groupleader.ui.widgets import ErrorBanner, FieldError


def _pin_edit(parent: QWidget, name: str) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setAccessibleName(name)
    edit.setMaxLength(200)
    return edit


def _plain(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)  # names show literally
    label.setWordWrap(True)
    return label


class SignDialog(QDialog):
    """What is signed, who signs it (and what that means), and the signer's PIN."""

    def __init__(self, parent: QWidget | None, title: str, text: str, signer: ClinicianSnap,
                 action: str = "Sign and lock") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        layout.addWidget(_plain(text, self))
        self.signer = _plain(f"Signing as: {signer.printed_name} (as author)", self)
        self.signer.setAccessibleName("Signing as")
        layout.addWidget(self.signer)
        form = QFormLayout()
        self.pin = _pin_edit(self, "Signing PIN")
        form.addRow("Your signing &PIN:", self.pin)
        label = form.labelForField(self.pin)
        if isinstance(label, QLabel):
            label.setBuddy(self.pin)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.pin.setFocus()

    def accept(self) -> None:
        if self.pin.text():
            super().accept()


def ask_signing_pin(parent: QWidget, title: str, text: str, signer: ClinicianSnap,
                    action: str = "Sign and lock") -> str | None:
    """The signer's PIN after they read what they sign (an addendum or amendment too, with
    its own `action` button), or None when they cancel."""
    dialog = SignDialog(parent, title, text, signer, action)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.pin.text()


class CosignDialog(QDialog):
    """Who co-signs (a supervisor profile) and their PIN. The program's owner ("I am" in
    Settings) stays as it is: co-signing is the supervisor's act, not a switch of user."""

    def __init__(self, parent: QWidget | None, supervisors: list[ClinicianSnap], text: str,
                 preferred: int | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Co-sign")
        layout = QVBoxLayout(self)
        layout.addWidget(_plain(text, self))
        layout.addWidget(_plain("Co-signed as supervisor (reviewed): the supervisor "
                                "attests that they reviewed the signed note.", self))
        form = QFormLayout()
        self.who = QComboBox(self)
        self.who.setAccessibleName("Supervisor co-signing")
        for s in supervisors:
            self.who.addItem(s.printed_name, s.id)
        index = self.who.findData(preferred)
        self.who.setCurrentIndex(max(0, index))
        form.addRow("&Supervisor:", self.who)
        self.pin = _pin_edit(self, "Supervisor's signing PIN")
        form.addRow("Their signing &PIN:", self.pin)
        for w in (self.who, self.pin):
            label = form.labelForField(w)
            if isinstance(label, QLabel):
                label.setBuddy(w)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = buttons.addButton("Co-sign", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.pin.setFocus()

    def accept(self) -> None:
        if self.pin.text() and self.who.currentData() is not None:
            super().accept()


def ask_cosigner(parent: QWidget, supervisors: list[ClinicianSnap], text: str,
                 preferred: int | None = None) -> tuple[int, str] | None:
    """(supervisor id, their PIN), or None when cancelled."""
    dialog = CosignDialog(parent, supervisors, text, preferred)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return int(dialog.who.currentData()), dialog.pin.text()


class SetPinDialog(QDialog):
    """Set a profile's signing PIN, or change it (the current PIN first). Saving runs the
    operation itself, so a refused PIN keeps the dialog open with the reason beside it."""

    def __init__(self, ctx: AppContext, clinician: ClinicianSnap, parent: QWidget | None = None,
                 reason: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.clinician = clinician
        self.saved: ClinicianSnap | None = None
        changing = clinician.has_pin
        self.setWindowTitle("Change signing PIN" if changing else "Set signing PIN")
        layout = QVBoxLayout(self)
        self.banner = ErrorBanner(self)
        layout.addWidget(self.banner)
        intro = reason or ("Notes are signed in this profile's name only with its PIN. "
                           "Use at least 4 characters; a passphrase works too.")
        layout.addWidget(_plain(intro, self))
        self.whose = _plain(f"Profile: {clinician.printed_name}", self)
        layout.addWidget(self.whose)
        form = QFormLayout()
        self.old = _pin_edit(self, "Current signing PIN")
        self.old_error = FieldError(self)
        if changing:
            form.addRow("&Current PIN:", self.old)
            form.addRow("", self.old_error)
        else:
            self.old.hide()
        self.new = _pin_edit(self, "New signing PIN")
        form.addRow("&New PIN:", self.new)
        self.new_error = FieldError(self)
        form.addRow("", self.new_error)
        self.repeat = _pin_edit(self, "Repeat the new signing PIN")
        form.addRow("&Repeat:", self.repeat)
        for w in (self.old, self.new, self.repeat):
            label = form.labelForField(w)
            if isinstance(label, QLabel):
                label.setBuddy(w)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        (self.old if changing else self.new).setFocus()

    def accept(self) -> None:
        from groupleader.data.operations import groups as ops_groups

        self.banner.clear_message()
        self.old_error.clear_message()
        self.new_error.clear_message()
        if self.new.text() != self.repeat.text():
            self.new_error.show_message("The two new PINs differ. Type the same PIN twice.")
            self.repeat.setFocus()
            return
        cid, new = self.clinician.id, self.new.text()
        old = self.old.text() if self.clinician.has_pin else None
        try:
            self.saved = self.ctx.run(
                lambda v: ops_groups.set_signing_pin(v, cid, new, old_pin=old), self)
        except InvalidInput as err:
            target = self.old_error if err.field == "old_pin" else self.new_error
            target.show_message(err.message)
            (self.old if err.field == "old_pin" else self.new).setFocus()
            return
        except GroupLeaderError as err:  # a wrong current PIN, too many tries, the disk
            self.banner.show_message(err.message)
            return
        super().accept()


def ask_new_pin(ctx: AppContext, parent: QWidget, clinician: ClinicianSnap,
                reason: str = "") -> ClinicianSnap | None:
    """Open the set/change PIN dialog; the updated profile, or None when cancelled."""
    dialog = SetPinDialog(ctx, clinician, parent, reason)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.saved
