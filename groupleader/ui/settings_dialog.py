"""Settings: auto-lock, backups, export defaults, display, and the clinician profile.

The profile (name, credentials, role) is a `Clinician` in the vault, written through the
clinicians service; QSettings keeps only its id for this vault's path, never the name.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from groupleader.errors import GroupLeaderError
from groupleader.ui.groups import ROLES, show_clinician_error
from groupleader.ui.widgets import ErrorBanner, FieldError

if TYPE_CHECKING:
    from groupleader.data.snapshots import ClinicianSnap
    from groupleader.ui.context import AppContext
    from groupleader.ui.settings import Settings

NEW_PROFILE = -1


def _labelled(form: QFormLayout, text: str, widget: QWidget, buddy: QWidget | None = None) -> None:
    label = QLabel(text)
    label.setBuddy(buddy or widget)
    form.addRow(label, widget)


def backup_folder_problem(text: str) -> str | None:
    """Why `text` cannot be the backup folder, or None. The program's default folder may
    be missing (it is made, 0700, with the first backup); a folder chosen by the user must
    exist, since a missing one is often a drive that is not connected."""
    from groupleader.data.outputs import path_text_ok
    from groupleader.paths import default_backup_dir

    if not path_text_ok(text):
        return ("The folder's name holds a character that cannot be part of a file name. "
                "Choose the folder with Choose….")
    folder = Path(text).expanduser()
    if folder.absolute() == default_backup_dir().absolute() or folder.is_dir():
        return None
    if folder.exists():
        return "That is a file, not a folder. Choose a folder for the backups."
    return ("This folder does not exist (is the drive connected?). Connect it, or create "
            "the folder with Choose…, which can make a new one.")


class SettingsDialog(QDialog):
    def __init__(self, ctx: AppContext, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.settings = settings
        self.setWindowTitle("Settings")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        self.banner = ErrorBanner(self)
        layout.addWidget(self.banner)

        # --- profile
        profile_box = QGroupBox("Your clinician profile (used to sign notes)", self)
        pform = QFormLayout(profile_box)
        self.profile = QComboBox(profile_box)
        self.profile.setAccessibleName("Profile")
        _labelled(pform, "&I am:", self.profile)
        self.name = QLineEdit(profile_box)
        self.name.setAccessibleName("Your name")
        _labelled(pform, "&Name:", self.name)
        self.name_error = FieldError(profile_box)
        pform.addRow("", self.name_error)
        self.credentials = QLineEdit(profile_box)
        self.credentials.setAccessibleName("Your credentials")
        self.credentials.setPlaceholderText("e.g. LCSW, PhD")
        _labelled(pform, "&Credentials:", self.credentials)
        self.role = QComboBox(profile_box)
        self.role.setAccessibleName("Your role")
        for key, label in ROLES:
            self.role.addItem(label, key)
        _labelled(pform, "&Role:", self.role)
        pin_row = QWidget(profile_box)
        prow = QHBoxLayout(pin_row)
        prow.setContentsMargins(0, 0, 0, 0)
        self.pin_state = QLabel(pin_row)
        self.pin_state.setAccessibleName("Signing PIN state")
        prow.addWidget(self.pin_state, 1)
        self.pin_button = QPushButton("Set signing PIN…", pin_row)
        self.pin_button.setAccessibleName("Set or change the profile's signing PIN")
        self.pin_button.clicked.connect(self._set_pin)
        prow.addWidget(self.pin_button)
        _labelled(pform, "Signing &PIN:", pin_row, self.pin_button)
        layout.addWidget(profile_box)
        self._people: dict[int, ClinicianSnap] = {}
        self._load_profiles()
        self.profile.currentIndexChanged.connect(self._on_profile)

        # --- locking and backups
        safety = QGroupBox("Locking and backups", self)
        sform = QFormLayout(safety)
        self.auto_lock = QSpinBox(safety)
        self.auto_lock.setRange(0, 240)
        self.auto_lock.setSuffix(" min")
        self.auto_lock.setSpecialValueText("Never")
        self.auto_lock.setAccessibleName("Lock after idle minutes")
        self.auto_lock.setValue(settings.auto_lock_minutes)
        _labelled(sform, "&Lock after idle:", self.auto_lock)
        folder_row = QWidget(safety)
        frow = QHBoxLayout(folder_row)
        frow.setContentsMargins(0, 0, 0, 0)
        self.backup_folder = QLineEdit(settings.backup_folder, folder_row)
        self.backup_folder.setAccessibleName("Backup folder")
        frow.addWidget(self.backup_folder, 1)
        self.browse = QPushButton("Choose…", folder_row)
        self.browse.setAccessibleName("Choose the backup folder")
        self.browse.clicked.connect(self._choose_folder)
        frow.addWidget(self.browse)
        _labelled(sform, "Backup &folder:", folder_row, self.backup_folder)
        self.folder_error = FieldError(safety)
        sform.addRow("", self.folder_error)
        self.backup_count = QSpinBox(safety)
        self.backup_count.setRange(1, 999)
        self.backup_count.setAccessibleName("Backups to keep")
        self.backup_count.setValue(settings.backup_count)
        _labelled(sform, "&Keep the newest:", self.backup_count)
        layout.addWidget(safety)

        # --- notes, export, display
        other = QGroupBox("Notes, export and display", self)
        oform = QFormLayout(other)
        self.draft_days = QSpinBox(other)
        self.draft_days.setRange(1, 90)
        self.draft_days.setSuffix(" days")
        self.draft_days.setAccessibleName("Warn about unsigned drafts after days")
        self.draft_days.setValue(settings.unsigned_draft_warning_days)
        _labelled(oform, "Warn about &unsigned drafts after:", self.draft_days)
        self.practice = QLineEdit(settings.practice_name, other)
        self.practice.setAccessibleName("Practice name on exports")
        self.practice.setPlaceholderText("Printed at the top of PDF summaries")
        _labelled(oform, "&Practice name:", self.practice)
        self.deidentify = QCheckBox("De-identify exports (pseudonyms instead of names)", other)
        self.deidentify.setAccessibleName("De-identify exports by default")
        self.deidentify.setChecked(settings.export_deidentify)
        oform.addRow(self.deidentify)
        self.process_notes = QCheckBox("Include process notes in exports", other)
        self.process_notes.setAccessibleName("Include process notes in exports by default")
        self.process_notes.setChecked(settings.export_include_process_notes)
        oform.addRow(self.process_notes)
        self.screen_safe = QCheckBox("Screen-share safe: show pseudonyms instead of names", other)
        self.screen_safe.setAccessibleName("Screen-share safe display")
        self.screen_safe.setChecked(settings.screen_share_safe)
        oform.addRow(self.screen_safe)
        self.terms_button = QPushButton("Terms to &hide…", other)
        self.terms_button.setAccessibleName("Edit the general terms to hide")
        self.terms_button.clicked.connect(self.edit_hide_terms)
        oform.addRow(self.terms_button)
        layout.addWidget(other)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def edit_hide_terms(self) -> None:
        """The vault's general terms to hide (each change saved at once, audited)."""
        from groupleader.ui.hide_terms_dialog import HideTermsDialog

        HideTermsDialog(self.ctx, self).exec()

    # ------------------------------------------------------------------ profile
    def _load_profiles(self) -> None:
        from groupleader.data.operations import query
        from groupleader.data.services import clinicians as svc

        self.profile.clear()
        try:
            people = query(self.ctx.require_vault(), svc.list_clinicians)
        except GroupLeaderError as err:
            self.banner.show_message(err.message)
            people = []
        self._people = {c.id: c for c in people}
        for c in people:
            self.profile.addItem(c.name, c.id)
        self.profile.addItem("A new profile…", NEW_PROFILE)
        index = self.profile.findData(self.ctx.clinician_id)
        self.profile.setCurrentIndex(index if index >= 0 else self.profile.count() - 1)
        self._on_profile()

    def _on_profile(self, _index: int = 0) -> None:
        person = self._people.get(self.profile.currentData())
        self.name.setText(person.name if person else "")
        self.credentials.setText(person.credentials if person else "")
        role = person.role if person else "leader"
        self.role.setCurrentIndex(max(0, self.role.findData(role)))
        self._show_pin(person)

    def _show_pin(self, person: ClinicianSnap | None) -> None:
        if person is None:
            self.pin_state.setText("Save the new profile first, then set its PIN.")
        else:
            self.pin_state.setText("Set: signing asks for it." if person.has_pin
                                   else "None yet: signing asks you to set one.")
        self.pin_button.setEnabled(person is not None and not self.ctx.read_only)
        self.pin_button.setText("Change signing PIN…" if person and person.has_pin
                                else "Set signing PIN…")

    def _set_pin(self) -> None:
        """Set or change the chosen profile's PIN (saved at once, whatever Save or Cancel
        does later; choosing a profile here only to set its PIN leaves "I am" as it was
        if the dialog is then cancelled)."""
        from groupleader.ui.pin_dialogs import ask_new_pin

        person = self._people.get(self.profile.currentData())
        if person is None:
            return
        saved = ask_new_pin(self.ctx, self, person)
        if saved is not None:
            self._people[saved.id] = saved
            self._show_pin(saved)

    def _save_profile(self) -> int | None:
        """Create or update the profile; None when left empty (a new, unnamed profile)."""
        from groupleader.data.operations import groups as ops_groups
        from groupleader.data.snapshots import ClinicianSpec

        chosen = self.profile.currentData()
        if chosen == NEW_PROFILE and not self.name.text().strip():
            return None
        spec = ClinicianSpec(
            name=self.name.text(), role=self.role.currentData(), credentials=self.credentials.text()
        )
        before = self._people.get(chosen)
        if before is None:
            return self.ctx.run(lambda v: ops_groups.create_clinician(v, spec)).id
        if (before.name, before.role, before.credentials) != (
            spec.name.strip(), spec.role, spec.credentials.strip()
        ):
            self.ctx.run(lambda v: ops_groups.update_clinician(v, before.id, spec))
        return before.id

    def _choose_folder(self) -> None:
        from groupleader.ui import file_dialogs

        folder = file_dialogs.choose_folder(self, self.settings, file_dialogs.BACKUP_FOLDER,
                                            "Choose the backup folder",
                                            self.backup_folder.text().strip() or None)
        if folder:
            self.backup_folder.setText(folder)

    # ------------------------------------------------------------------ saving
    def accept(self) -> None:
        self.banner.clear_message()
        self.name_error.clear_message()
        self.folder_error.clear_message()
        folder = self.backup_folder.text().strip()
        if not folder:
            self.folder_error.show_message("Choose a folder for the backups.")
            self.backup_folder.setFocus()
            return
        problem = backup_folder_problem(folder)
        if problem:
            self.folder_error.show_message(problem)
            self.backup_folder.setFocus()
            return
        try:
            clinician_id = self._save_profile()
        except GroupLeaderError as err:
            show_clinician_error(err, self.banner, self.name_error, self.name)
            return
        s = self.settings
        s.auto_lock_minutes = self.auto_lock.value()
        s.backup_folder = str(Path(folder).expanduser())
        s.backup_count = self.backup_count.value()
        s.unsigned_draft_warning_days = self.draft_days.value()
        s.practice_name = self.practice.text().strip()
        s.export_deidentify = self.deidentify.isChecked()
        s.export_include_process_notes = self.process_notes.isChecked()
        s.screen_share_safe = self.screen_safe.isChecked()
        vault = self.ctx.vault
        if clinician_id is not None and vault is not None:
            s.set_clinician_for(vault.path, clinician_id)
            self.ctx.clinician_id = clinician_id
        s.sync()
        self.ctx.settings_changed.emit()
        super().accept()
