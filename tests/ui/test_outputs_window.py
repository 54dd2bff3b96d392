"""The window's outputs, through the real dialogs with QFileDialog's answers patched:
the save dialogs never replace the vault or a backup, every bad destination is a dialog
with what to do next, a missing backup folder is reported (never made on the local disk),
and everything the program writes, and every folder it makes, is private to the owner."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from groupleader import paths
from groupleader.data.backups import list_backups
from groupleader.ui.context import AppContext
from groupleader.ui.export_dialog import ExportDialog
from groupleader.ui.main_window import MainWindow
from groupleader.ui.roster import RosterView
from groupleader.ui.settings import Settings
from groupleader.ui.settings_dialog import SettingsDialog
from tests.conftest import PASSPHRASE
from tests.report.conftest import Clinic, build_clinic
from tests.ui.shell_support import Messages, finish, unlocked_window

MakeWindow = Callable[..., MainWindow]
ROOT = Path(__file__).resolve().parents[2]
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")


@pytest.fixture(autouse=True)
def _usual_umask() -> Any:
    old = os.umask(0o022)  # the usual umask, which makes new files 0644
    yield
    os.umask(old)


def answer_save(monkeypatch: pytest.MonkeyPatch, path: str | Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(path), "")))


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.fixture
def clinic(vault: Any) -> Clinic:
    return build_clinic(vault)


def export_dialog(qtbot: Any, clinic: Clinic) -> ExportDialog:
    settings = Settings(path=clinic.vault.path.with_name("settings.ini"))
    ctx = AppContext(settings)
    ctx.vault = clinic.vault
    dialog = ExportDialog(ctx, clinic.group_id, clinic.draft_meeting)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.refresh_preview()
    return dialog


def _bad_pdf_targets(root: Path, vault: Path) -> dict[str, tuple[str, str]]:
    """Where a save dialog may point, and what the dialog must then say."""
    (root / "hard.pdf").hardlink_to(vault)
    (root / "soft.pdf").symlink_to(vault)
    backup = root / "old-backup.pdf"  # a backup of the vault under a PDF's name
    backup.write_bytes(os.urandom(8192))
    targets = {
        "a hard link to the vault": (str(root / "hard.pdf"), "vault itself"),
        "a symbolic link to the vault": (str(root / "soft.pdf"), "vault itself"),
        "a backup": (str(backup), "is not a PDF file"),
        "a folder on an unmounted stick": (str(root / "media" / "usb" / "x.pdf"),
                                           "does not exist"),
        "a name over 255 bytes": (str(root / ("é" * 140 + ".pdf")), "too long"),
        "a lone surrogate": (str(root / "bad\ud800.pdf"), "cannot be part of a file name"),
    }
    if sys.platform.startswith("linux"):
        targets["/sys"] = ("/sys/groupleader-test.pdf", "may not write")
        targets["/proc"] = ("/proc/groupleader-test.pdf", "does not take new files")
    return targets


def test_the_pdf_save_dialog_refuses_every_bad_target_in_a_sentence(
        qtbot: Any, clinic: Clinic, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = export_dialog(qtbot, clinic)
    dialog.deidentify.setChecked(False)  # each target as typed (de-identified adds a suffix)
    vault_bytes = clinic.vault.path.read_bytes()
    for what, (target, says) in _bad_pdf_targets(tmp_path, clinic.vault.path).items():
        before = os.path.lexists(target) and Path(target).read_bytes()
        answer_save(monkeypatch, target)
        assert dialog.save() is None, what
        assert dialog.isVisible(), what  # the dialog stays, with what to do next
        assert says in dialog.banner.label.text(), (what, dialog.banner.label.text())
        if before:
            assert Path(target).read_bytes() == before, what
    assert clinic.vault.path.read_bytes() == vault_bytes
    assert not (tmp_path / "media").exists()


@POSIX
def test_a_pdf_saved_from_the_dialog_is_private(
        qtbot: Any, clinic: Clinic, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = export_dialog(qtbot, clinic)
    answer_save(monkeypatch, tmp_path / "summary")
    saved = dialog.save()
    name = "summary-deidentified.pdf" if dialog.deidentify.isChecked() else "summary.pdf"
    assert saved == tmp_path / name and mode(saved) == 0o600


@POSIX
def test_a_batch_from_the_dialog_writes_private_pdfs(
        qtbot: Any, clinic: Clinic, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = export_dialog(qtbot, clinic)
    dialog.kind_buttons["batch"].setChecked(True)
    out = tmp_path / "batch"
    out.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *a, **k: str(out)))
    dialog.save()
    qtbot.waitUntil(lambda: dialog.last_result is not None, timeout=20_000)
    written = list(out.iterdir())
    assert len(written) == 2 and {mode(p) for p in written} == {0o600}


def roster_view(qtbot: Any, clinic: Clinic) -> RosterView:
    ctx = AppContext(Settings(path=clinic.vault.path.with_name("settings.ini")))
    ctx.vault = clinic.vault
    view = RosterView(ctx)
    qtbot.addWidget(view)
    view.show()
    view.set_group(clinic.group_id)
    return view


def test_the_roster_csv_never_replaces_the_vault_or_a_backup(
        qtbot: Any, clinic: Clinic, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        messages: Messages) -> None:
    view = roster_view(qtbot, clinic)
    vault_bytes = clinic.vault.path.read_bytes()
    backup = tmp_path / "clinic.backup.csv"
    backup.write_bytes(os.urandom(8192))
    backup_bytes = backup.read_bytes()
    for target, says in ((clinic.vault.path, "vault itself"),
                         (backup, "is not a CSV text file"),
                         (tmp_path / "gone" / "r.csv", "does not exist")):
        answer_save(monkeypatch, target)  # the dialog asked "replace?" and heard yes
        view.export_csv()
        assert says in messages.texts("warning")[-1]
    assert clinic.vault.path.read_bytes() == vault_bytes
    assert backup.read_bytes() == backup_bytes


@POSIX
def test_the_roster_csv_from_the_view_is_private(
        qtbot: Any, clinic: Clinic, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    view = roster_view(qtbot, clinic)
    answer_save(monkeypatch, tmp_path / "roster.csv")
    view.export_csv()
    assert mode(tmp_path / "roster.csv") == 0o600


def test_a_missing_backup_folder_is_reported_and_never_made(
        qtbot: Any, make_window: MakeWindow, vault_file: Path, settings: Settings,
        tmp_path: Path, messages: Messages) -> None:
    stick = tmp_path / "media" / "usb"
    stick.mkdir(parents=True)  # the mount point is there, the stick is not
    settings.backup_folder = str(stick / "backups")
    window = unlocked_window(qtbot, make_window, vault_file)
    assert finish(qtbot, window.backups.backup_now()) is None
    [warning] = messages.texts("warning")
    assert "is not there" in warning and "Choose another folder in Settings" in warning
    assert list(stick.iterdir()) == []


@POSIX
def test_the_default_backup_folder_is_made_private_and_so_is_each_backup(
        qtbot: Any, make_window: MakeWindow, vault_file: Path, settings: Settings) -> None:
    settings.reset(Settings.backup_folder)  # the program's own folder, not made yet
    folder = paths.default_backup_dir()
    assert not folder.exists() and not paths.data_dir().exists()
    window = unlocked_window(qtbot, make_window, vault_file)
    backup = finish(qtbot, window.backups.backup_now())
    assert backup is not None and backup.parent == folder
    assert (mode(paths.data_dir()), mode(folder), mode(backup)) == (0o700, 0o700, 0o600)
    assert list_backups(folder, vault_file) == [backup]


def test_the_settings_dialog_refuses_a_missing_backup_folder(
        qtbot: Any, make_window: MakeWindow, vault_file: Path, settings: Settings,
        tmp_path: Path) -> None:
    window = unlocked_window(qtbot, make_window, vault_file)
    dialog = SettingsDialog(window.ctx, settings, window)
    qtbot.addWidget(dialog)
    dialog.name.setText("Dr Rivera")
    dialog.backup_folder.setText(str(tmp_path / "media" / "usb" / "backups"))
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "does not exist" in dialog.folder_error.text()
    assert settings.backup_folder == str(tmp_path / "backups")  # unchanged
    assert not (tmp_path / "media").exists()

    dialog.backup_folder.setText(str(paths.default_backup_dir()))  # not made yet: fine
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted


def _answer_restore(monkeypatch: pytest.MonkeyPatch, backup: Path, new: str | Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(backup), "")))
    answer_save(monkeypatch, new)


def test_the_restore_target_is_checked_and_the_copy_is_private(
        qtbot: Any, make_window: MakeWindow, vault_file: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, messages: Messages) -> None:
    window = unlocked_window(qtbot, make_window, vault_file)
    backup = finish(qtbot, window.backups.backup_now())
    assert backup is not None
    for target, says in ((tmp_path / "usb" / "r.vault", "does not exist"),
                         (tmp_path / ("ü" * 130 + ".vault"), "too long"),
                         (backup, "Nothing was restored or overwritten")):
        _answer_restore(monkeypatch, backup, target)
        finish(qtbot, window.backups.choose_restore(window._restored))
        assert says in messages.texts("warning")[-1]
        assert window.ctx.vault is not None  # still open, nothing changed
    _answer_restore(monkeypatch, backup, tmp_path / "restored.vault")
    restored = finish(qtbot, window.backups.choose_restore(window._restored))
    assert restored == tmp_path / "restored.vault"
    if sys.platform != "win32":
        assert mode(restored) == 0o600


@POSIX
def test_a_new_vault_in_the_default_place_makes_a_private_data_folder(
        qtbot: Any, make_window: MakeWindow) -> None:
    window = make_window()
    window.new_vault()
    page = window.create_page
    assert page.location.text() == str(paths.default_vault_path())
    assert not paths.data_dir().exists()
    page.passphrase.setText(PASSPHRASE)
    page.repeat.setText(PASSPHRASE)
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.ctx.vault is not None, timeout=20_000)
    assert (mode(paths.data_dir()), mode(paths.default_vault_path())) == (0o700, 0o600)


def test_a_new_vault_in_a_missing_folder_is_refused_beside_the_field(
        qtbot: Any, make_window: MakeWindow, tmp_path: Path) -> None:
    window = make_window()
    window.new_vault()
    page = window.create_page
    page.location.setText(str(tmp_path / "usb" / "clinic.vault"))
    page.passphrase.setText(PASSPHRASE)
    page.repeat.setText(PASSPHRASE)
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    assert "does not exist" in page.location_error.text()
    assert not (tmp_path / "usb").exists() and window.ctx.vault is None


@POSIX
def test_settings_files_are_private(tmp_path: Path) -> None:
    new = Settings(path=tmp_path / "new.ini")
    new.practice_name = "A practice"
    new.sync()
    old = tmp_path / "old.ini"
    old.write_text("[export]\npractice_name=Old\n")
    os.chmod(old, 0o644)  # as an earlier version left it
    assert Settings(path=old).practice_name == "Old"
    user = Settings()  # the real location, in this test's own config folder
    user.practice_name = "B"
    user.sync()
    user_file = Path(user.qsettings.fileName())
    assert (mode(tmp_path / "new.ini"), mode(old), mode(user_file)) == (0o600,) * 3
    assert mode(user_file.parent) == 0o700  # the folder it made


WRITER = """
import sys, time
from pathlib import Path
from groupleader.data.atomic import atomic_path
held = []  # two writes left open at once, until the kill
for dest in sys.argv[1:]:
    held.append(atomic_path(Path(dest)))
    held[-1].__enter__().write_bytes(b"half a backup")
print("ready", flush=True)
time.sleep(120)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_unlock_removes_what_killed_writes_left_beside_the_vault_and_in_the_backups(
        qtbot: Any, make_window: MakeWindow, vault_file: Path, settings: Settings) -> None:
    backup_folder = Path(settings.backup_folder)
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(vault_file.with_name("restored.vault")),
         str(backup_folder / "clinic.backup.vault")], cwd=ROOT, stdout=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"ready"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    left = [p for folder in (vault_file.parent, backup_folder) for p in folder.iterdir()
            if p.name.endswith(".partial")]
    assert len(left) == 2

    unlocked_window(qtbot, make_window, vault_file)

    assert not any(p.exists() for p in left)
