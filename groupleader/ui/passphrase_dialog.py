"""Change the vault's passphrase: current, new, repeat, with a strength hint.

The re-encryption (a new copy of the vault under the new key, renamed over it; see
`Vault.change_passphrase`) runs off the UI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from groupleader.errors import GroupLeaderError, InvalidInput, WrongPassphrase
from groupleader.passphrases import normalize, user_words
from groupleader.ui.runner import run_in_background
from groupleader.ui.unlock import BusyRow
from groupleader.ui.widgets import (
    ErrorBanner,
    FieldError,
    PassphraseEdit,
    StrengthMeter,
    show_suggestion,
)

if TYPE_CHECKING:
    from groupleader.data.vault import Vault


class ChangePassphraseDialog(QDialog):
    def __init__(self, vault: Vault, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vault = vault
        self.changed = False
        self.setWindowTitle("Change passphrase")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        self.banner = ErrorBanner(self)
        layout.addWidget(self.banner)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.current = PassphraseEdit("Current passphrase", self)
        self.current_error = FieldError(self)
        self.new = PassphraseEdit("New passphrase", self)
        self.meter = StrengthMeter(self)
        self.new_error = FieldError(self)
        self.repeat = PassphraseEdit("Repeat the new passphrase", self)
        self.repeat_error = FieldError(self)
        for label_text, widget in (
            ("C&urrent:", self.current),
            ("", self.current_error),
            ("&New:", self.new),
            ("", self.meter),
            ("", self.new_error),
            ("&Repeat:", self.repeat),
            ("", self.repeat_error),
        ):
            label = QLabel(label_text, self)
            if isinstance(widget, PassphraseEdit):
                label.setBuddy(widget.edit)
            form.addRow(label, widget)
        layout.addLayout(form)
        note = QLabel(
            "Backups made before the change keep the old passphrase. Keep the new one "
            "somewhere safe: a lost passphrase means lost records.",
            self,
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.busy = BusyRow(self)
        layout.addWidget(self.busy)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Change passphrase")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.new.textChanged.connect(self.meter.update_for)
        # An error said under a field goes as soon as the typing fixes it.
        for edit in (self.current, self.new, self.repeat):
            edit.textChanged.connect(self._recheck)
        self.meter.set_user_inputs(lambda: user_words(vault.path))
        self.meter.suggested.connect(self.use_suggestion)
        QWidget.setTabOrder(self.current.edit, self.new.edit)
        QWidget.setTabOrder(self.new.edit, self.repeat.edit)
        QWidget.setTabOrder(self.repeat.edit, self.buttons)
        self.current.setFocus()

    def use_suggestion(self, phrase: str) -> None:
        show_suggestion(phrase, self.new, self.repeat, self.new_error, self.repeat_error)

    def _problem_with_new(self) -> str | None:
        from groupleader.passphrases import problem_with_new

        old, new = self.current.text(), self.new.text()
        if old and normalize(new) == normalize(old):
            return "The new passphrase is the same as the current one."
        return problem_with_new(new, user_words(self.vault.path))

    def _recheck(self, _text: str = "") -> None:
        """Follow the typing once an error is shown: it goes when fixed, else it says what
        is wrong now."""
        if self.current_error.isVisibleTo(self) and self.current.text():
            self.current_error.clear_message()
        if self.new_error.isVisibleTo(self):
            problem = self._problem_with_new()
            if problem is None:
                self.new_error.clear_message()
            else:
                self.new_error.show_message(problem)
        if self.repeat_error.isVisibleTo(self) and self.new.text() == self.repeat.text():
            self.repeat_error.clear_message()

    def _clear_errors(self) -> None:
        self.banner.clear_message()
        for e in (self.current_error, self.new_error, self.repeat_error):
            e.clear_message()

    def _set_busy(self, busy: bool) -> None:
        for w in (self.current, self.new, self.repeat, self.buttons):
            w.setEnabled(not busy)
        if busy:
            self.busy.start("Re-encrypting the vault with the new passphrase…")
        else:
            self.busy.stop()

    def submit(self) -> None:
        self._clear_errors()
        old, new = self.current.text(), self.new.text()
        if not old:
            self.current_error.show_message("Type the passphrase you use now.")
            self.current.setFocus()
            return
        # Said before any work starts (re-encrypting takes a while); the vault refuses
        # the same passphrases itself (Vault.change_passphrase), with the same sentence.
        problem = self._problem_with_new()
        if problem is not None:
            self.new_error.show_message(problem)
            self.new.setFocus()
            return
        if new != self.repeat.text():
            self.repeat_error.show_message("The two new passphrases differ. Type it twice.")
            self.repeat.setFocus()
            return
        self._set_busy(True)
        vault = self.vault
        run_in_background(lambda: vault.change_passphrase(old, new), self._done, self._failed)

    def _done(self, _result: object) -> None:
        self._set_busy(False)
        self.changed = True
        for edit in (self.current, self.new, self.repeat):
            edit.clear()
        self.accept()

    def _failed(self, err: GroupLeaderError) -> None:
        self._set_busy(False)
        if isinstance(err, WrongPassphrase):
            self.current_error.show_message(err.message)
            self.current.edit.selectAll()
            self.current.setFocus()
        elif isinstance(err, InvalidInput) and err.field == "passphrase":
            self.new_error.show_message(err.message)
            self.new.setFocus()
        else:
            self.banner.show_message(err.message)
