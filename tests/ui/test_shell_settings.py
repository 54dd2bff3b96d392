"""Settings (typed options over QSettings, paths and window state only), the Settings
dialog with the clinician profile, Change passphrase, the status bar, About, and the
window's size and splitter restored."""


from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from groupleader import __version__
from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import query
from groupleader.data.services import clinicians
from groupleader.data.snapshots import ClinicianSpec, GroupSpec
from groupleader.data.vault import Vault
from groupleader.paths import default_backup_dir
from groupleader.ui.main_window import MainWindow
from groupleader.ui.passphrase_dialog import ChangePassphraseDialog
from groupleader.ui.settings import MAX_RECENT, Settings
from groupleader.ui.settings_dialog import SettingsDialog
from tests.conftest import PASSPHRASE, TEST_KDF_ITER, open_vault
from tests.ui.shell_support import unlock_with, unlocked_window

MakeWindow = Callable[..., MainWindow]
PROFILE_NAME = "Dr Okonkwo-Marker-4821"


def test_defaults(tmp_path: Path) -> None:
    s = Settings(path=tmp_path / "fresh.ini")
    assert s.auto_lock_minutes == 10
    assert s.backup_folder == str(default_backup_dir())
    assert s.backup_count == 20
    assert s.unsigned_draft_warning_days == 7
    assert s.export_deidentify is True
    assert s.export_include_process_notes is False
    assert s.screen_share_safe is False
    assert s.recent_vaults == []
    assert s.clinician_for(tmp_path / "any.vault") is None


def test_values_keep_their_types_through_the_file(tmp_path: Path) -> None:
    s = Settings(path=tmp_path / "s.ini")
    s.auto_lock_minutes = 3
    s.export_include_process_notes = True
    s.export_deidentify = False
    s.add_recent_vault(tmp_path / "one.vault")
    s.set_clinician_for(tmp_path / "one.vault", 5)
    s.sync()
    again = Settings(path=tmp_path / "s.ini")
    assert again.auto_lock_minutes == 3
    assert again.export_include_process_notes is True and again.export_deidentify is False
    assert again.recent_vaults == [str(tmp_path / "one.vault")]
    assert again.clinician_for(tmp_path / "one.vault") == 5


def test_recent_vaults_newest_first_without_duplicates(tmp_path: Path) -> None:
    s = Settings(path=tmp_path / "s.ini")
    for i in range(MAX_RECENT + 3):
        s.add_recent_vault(tmp_path / f"{i}.vault")
    s.add_recent_vault(tmp_path / "5.vault")
    recent = s.recent_vaults
    assert recent[0] == str(tmp_path / "5.vault")
    assert len(recent) == MAX_RECENT == len(set(recent))


def test_settings_dialog_saves_options_and_the_profile_in_the_vault(
    qtbot: Any, make_window: MakeWindow, vault_file: Path, settings: Settings, tmp_path: Path
) -> None:
    window = unlocked_window(qtbot, make_window, vault_file)
    dialog = SettingsDialog(window.ctx, settings, window)
    assert dialog.profile.currentText() == "A new profile…"
    dialog.name.setText(PROFILE_NAME)
    dialog.credentials.setText("LCSW")
    dialog.role.setCurrentIndex(dialog.role.findData("leader"))
    dialog.auto_lock.setValue(4)
    dialog.backup_count.setValue(7)
    (tmp_path / "elsewhere").mkdir()
    dialog.backup_folder.setText(str(tmp_path / "elsewhere"))
    dialog.process_notes.setChecked(True)
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted

    [me] = query(window.ctx.vault, clinicians.list_clinicians)
    assert (me.name, me.credentials, me.role) == (PROFILE_NAME, "LCSW", "leader")
    assert window.ctx.clinician_id == me.id
    assert settings.clinician_for(vault_file) == me.id
    assert (settings.auto_lock_minutes, settings.backup_count) == (4, 7)
    assert settings.backup_folder == str(tmp_path / "elsewhere")
    assert settings.export_include_process_notes is True

    # the profile comes back with the vault after a lock, and can be edited
    window.lock()
    unlock_with(qtbot, window)
    assert window.ctx.clinician_id == me.id
    again = SettingsDialog(window.ctx, settings, window)
    assert again.profile.currentData() == me.id and again.name.text() == PROFILE_NAME
    again.credentials.setText("LCSW, PhD")
    again.accept()
    assert query(window.ctx.vault, clinicians.get_clinician, me.id).credentials == "LCSW, PhD"


def test_settings_file_holds_no_clinical_text(
    qtbot: Any, make_window: MakeWindow, vault_file: Path, settings: Settings, tmp_path: Path
) -> None:
    window = unlocked_window(qtbot, make_window, vault_file)
    dialog = SettingsDialog(window.ctx, settings, window)
    dialog.name.setText(PROFILE_NAME)
    dialog.accept()
    ops_groups.create_group(window.ctx.vault, GroupSpec(
        name="Group Marker-9915", kind="self_help"))
    window.workspace.sidebar.refresh()
    window.close()
    text = (tmp_path / "settings.ini").read_text(encoding="utf-8")
    assert "Marker" not in text
    assert str(vault_file) in text  # paths are fine


def test_settings_dialog_names_a_missing_profile_name_beside_the_field(
    qtbot: Any, make_window: MakeWindow, vault_file: Path, settings: Settings
) -> None:
    window = unlocked_window(qtbot, make_window, vault_file)
    clinicians_before = query(window.ctx.vault, clinicians.list_clinicians)
    dialog = SettingsDialog(window.ctx, settings, window)
    dialog.name.setText("Someone")
    dialog.accept()
    dialog = SettingsDialog(window.ctx, settings, window)
    dialog.name.setText("  ")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert not dialog.name_error.isHidden() and dialog.name_error.text() == "Enter a name."
    assert len(query(window.ctx.vault, clinicians.list_clinicians)) == len(clinicians_before) + 1


def test_auto_lock_minutes_from_settings_apply_at_once(
    qtbot: Any, make_window: MakeWindow, vault_file: Path, settings: Settings
) -> None:
    window = unlocked_window(qtbot, make_window, vault_file)
    assert window.autolock.interval_ms == 10 * 60_000
    dialog = SettingsDialog(window.ctx, settings, window)
    dialog.auto_lock.setValue(2)
    dialog.exec = lambda: (dialog.accept(), dialog.result())[1]  # type: ignore[method-assign]
    import groupleader.ui.settings_dialog as module

    original = module.SettingsDialog
    module.SettingsDialog = lambda *a, **k: dialog  # type: ignore[assignment, misc]
    try:
        window.open_settings()
    finally:
        module.SettingsDialog = original
    assert window.autolock.interval_ms == 2 * 60_000


def test_change_passphrase(qtbot: Any, make_window: MakeWindow, vault_file: Path) -> None:
    window = unlocked_window(qtbot, make_window, vault_file)
    dialog = ChangePassphraseDialog(window.ctx.vault, window)
    dialog.current.setText("not it at all")
    dialog.new.setText("a brand new passphrase")
    dialog.repeat.setText("a brand new passphrase")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.busy.isHidden(), timeout=20_000)
    assert "not right" in dialog.current_error.text() and not dialog.changed

    dialog.current.setText(PASSPHRASE)
    dialog.repeat.setText("a brand new passphrase, typo")
    dialog.submit()
    assert "differ" in dialog.repeat_error.text()

    dialog.new.setText("aaaaaaaa")  # the same strength rule as a new vault
    dialog.repeat.setText("aaaaaaaa")
    assert "Repeats" in dialog.meter.hint.text()
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.busy.isHidden(), timeout=20_000)
    assert "Repeats" in dialog.new_error.text() and not dialog.changed
    qtbot.mouseClick(dialog.meter.suggest_button, Qt.MouseButton.LeftButton)
    assert len(dialog.new.text().split()) == 5 and dialog.repeat.text() == dialog.new.text()
    assert dialog.new_error.isHidden()

    dialog.new.setText("a brand new passphrase")
    dialog.repeat.setText("a brand new passphrase")
    dialog.submit()
    assert not dialog.busy.isHidden()  # re-encrypting off the UI thread
    qtbot.waitUntil(lambda: dialog.changed, timeout=20_000)
    window.lock()
    Vault.open(vault_file, "a brand new passphrase", test_kdf_iter=TEST_KDF_ITER).close()


def test_status_bar_shows_the_vault_and_when_it_was_saved(
    qtbot: Any, make_window: MakeWindow, vault_file: Path
) -> None:
    window = unlocked_window(qtbot, make_window, vault_file)
    assert window.vault_label.text() == vault_file.name
    assert window.ctx.vault.last_saved is None  # unlocking writes nothing
    assert window.saved_label.text() == ""
    window.ctx.run(lambda v: ops_groups.create_clinician(v, ClinicianSpec("Dr A", "leader")))
    saved = window.ctx.vault.last_saved
    assert saved is not None
    assert window.saved_label.text() == f"Saved {saved.astimezone():%H:%M}"
    assert window.windowTitle() == f"Group Leader — {vault_file.name}"
    window.lock()
    assert window.vault_label.text() == "Locked" and window.saved_label.text() == ""


def test_about_names_the_version(make_window: MakeWindow, messages: Any) -> None:
    window = make_window()
    window.about()
    [text] = messages.texts("about")
    assert __version__ in text


def test_window_size_and_splitter_are_restored(
    qtbot: Any, make_window: MakeWindow, vault_file: Path, settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = unlocked_window(qtbot, make_window, vault_file)
    first.resize(1180, 740)  # within the tests' offscreen screen (1600 x 1000)
    first.workspace.splitter.setSizes([300, 880])
    qtbot.wait(10)
    sizes = first.workspace.splitter.sizes()
    assert sizes[0] == 300
    first.close()
    second = make_window()
    assert (second.width(), second.height()) == (1180, 740)
    unlock_with(qtbot, second)
    assert second.workspace.splitter.sizes()[0] == 300


def test_menus_offer_the_expected_shortcuts(make_window: MakeWindow) -> None:
    window = make_window()
    shortcuts = {
        a.text().replace("&", ""): a.shortcut().toString()
        for menu in window.menuBar().findChildren(type(window.menuBar().addMenu("x")))
        for a in menu.actions()
    }
    for text, keys in (("Lock", "Ctrl+L"), ("Quit", "Ctrl+Q"), ("Find…", "Ctrl+F"),
                       ("Export PDF…", "Ctrl+E"), ("Settings…", "Ctrl+,"),
                       ("Print…", "Ctrl+P"), ("Open Vault…", "Ctrl+O")):
        assert shortcuts[text] == keys, text
    for text in ("New Vault…", "Open Demo Vault…", "Backup Now", "Restore from Backup…",
                 "Change Passphrase…", "About Group Leader"):
        assert text in shortcuts


def test_every_control_on_the_first_screens_has_an_accessible_name(
    make_window: MakeWindow, vault_file: Path
) -> None:
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit

    window = make_window(vault_path=vault_file)
    window.new_vault()  # builds nothing new; all pages exist
    for page in (window.welcome, window.create_page, window.unlock_page):
        for w in page.findChildren(QAbstractButton) + page.findChildren(QLineEdit) + \
                page.findChildren(QComboBox):
            assert w.accessibleName(), f"{type(w).__name__} {getattr(w, 'text', lambda: '')()}"
    _ = open_vault  # imported for symmetry with the other shell tests


def test_settings_dialog_keeps_the_name_a_profile_signed_with(
    qtbot: Any, make_window: MakeWindow, vault_file: Path, settings: Settings
) -> None:
    """Renaming a profile that has signed is refused calmly beside the name field, and
    nothing changes: its signatures keep the name they were made with."""
    from groupleader.data.operations import notes as ops_notes
    from groupleader.data.services.clinicians import SIGNED_PROFILE
    from groupleader.data.snapshots import GroupNoteFields
    from tests.conftest import PIN
    from tests.data.conftest import make_world

    window = unlocked_window(qtbot, make_window, vault_file)
    vault = window.ctx.vault
    w = make_world(vault)
    ops_notes.save_group_note(vault, w.held, GroupNoteFields(themes="loss"))
    ops_notes.sign_meeting_notes(vault, w.held, w.lead, pin=PIN)
    dialog = SettingsDialog(window.ctx, settings, window)
    dialog.profile.setCurrentIndex(dialog.profile.findData(w.lead))
    assert dialog.name.text() == "Ada Leader"
    dialog.name.setText("Ada Renamed")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert not dialog.name_error.isHidden() and dialog.name_error.text() == SIGNED_PROFILE
    assert query(vault, clinicians.get_clinician, w.lead).name == "Ada Leader"
    assert vault.verify().problems == []
