"""Backups from the window (now, daily, on close, rotated to N) and Restore from backup
(a copy into a new file, never over the open vault, then opened)."""


from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog

from groupleader.data.backups import backup_name, list_backups
from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import query
from groupleader.data.services import groups
from groupleader.data.snapshots import ClinicianSpec, GroupSpec
from groupleader.ui.main_window import MainWindow
from groupleader.ui.settings import Settings
from tests.conftest import open_vault
from tests.ui.shell_support import finish, unlock_with, unlocked_window

MakeWindow = Callable[..., MainWindow]


def _group(window: MainWindow, name: str) -> int:
    vault = window.ctx.vault
    assert vault is not None
    leader = ops_groups.create_clinician(vault, ClinicianSpec(name="Dr A", role="leader")).value
    return ops_groups.create_group(
        vault, GroupSpec(name=name, kind="support", leader_ids=(leader.id,))).value.id


def test_backup_now_writes_an_encrypted_copy_into_the_chosen_folder(
    qtbot: Any, make_window: MakeWindow, vault_file: Path, settings: Settings
) -> None:
    window = unlocked_window(qtbot, make_window, vault_file)
    _group(window, "Monday group")
    window.backup_action.trigger()  # on a worker: the window stays usable
    folder = Path(settings.backup_folder)
    qtbot.waitUntil(lambda: not window.ctx.runner.busy, timeout=20_000)
    [backup] = list_backups(folder, vault_file)
    assert not backup.read_bytes().startswith(b"SQLite format 3")
    with open_vault(backup) as copy:
        assert [g.name for g in query(copy, groups.list_groups)] == ["Monday group"]


def test_backups_rotate_to_the_chosen_count(
    qtbot: Any, make_window: MakeWindow, vault_file: Path, settings: Settings
) -> None:
    settings.backup_count = 3
    window = unlocked_window(qtbot, make_window, vault_file)
    written = [finish(qtbot, window.backups.backup_now()) for _ in range(5)]
    kept = list_backups(Path(settings.backup_folder), vault_file)
    assert len(kept) == 3
    assert kept == written[-3:]  # the newest three


def test_daily_backup_only_when_the_last_is_a_day_old(
    qtbot: Any, make_window: MakeWindow, vault_file: Path, settings: Settings
) -> None:
    window = unlocked_window(qtbot, make_window, vault_file)
    folder = Path(settings.backup_folder)
    assert finish(qtbot, window.backups.backup_if_due()) is not None  # none yet: due
    assert window.backups.backup_if_due() is None  # one from just now: not due
    [recent] = list_backups(folder, vault_file)
    old = folder / backup_name(vault_file, datetime.now(UTC) - timedelta(hours=25))
    recent.rename(old)
    assert window.backups.is_due()
    assert finish(qtbot, window.backups.backup_if_due()) is not None
    assert len(list_backups(folder, vault_file)) == 2


def test_the_daily_backup_waits_for_a_pause_in_use(
    qtbot: Any, make_window: MakeWindow, vault_file: Path, settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """While the user keeps using the window the daily backup (which holds the vault for
    seconds at ten years) does not start; it starts once they pause."""
    from PySide6.QtCore import Qt

    from groupleader.ui.backup_actions import BackupController

    monkeypatch.setattr(BackupController, "pause_s", 1.0)
    monkeypatch.setattr(BackupController, "retry_ms", 100)
    window = unlocked_window(qtbot, make_window, vault_file)
    folder = Path(settings.backup_folder)
    for _ in range(20):  # 4 s of use: past the first check, 2 s after the unlock
        qtbot.keyClick(window, Qt.Key.Key_Shift)
        qtbot.wait(200)
        assert list_backups(folder, vault_file) == [], "the backup began while in use"
    assert not window.ctx.runner.busy
    qtbot.waitUntil(lambda: len(list_backups(folder, vault_file)) == 1, timeout=10_000)


def test_the_daily_backup_waits_no_longer_than_its_limit(
    qtbot: Any, make_window: MakeWindow, vault_file: Path, settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtCore import Qt

    from groupleader.ui.backup_actions import BackupController

    monkeypatch.setattr(BackupController, "pause_s", 60.0)
    monkeypatch.setattr(BackupController, "max_wait_s", 1.0)
    monkeypatch.setattr(BackupController, "retry_ms", 100)
    window = unlocked_window(qtbot, make_window, vault_file)
    folder = Path(settings.backup_folder)

    def used_and_written() -> bool:
        qtbot.keyClick(window, Qt.Key.Key_Shift)  # never a pause
        return len(list_backups(folder, vault_file)) == 1

    qtbot.waitUntil(used_and_written, timeout=10_000)


def test_backup_on_close(
    qtbot: Any, make_window: MakeWindow, vault_file: Path, settings: Settings
) -> None:
    window = unlocked_window(qtbot, make_window, vault_file)
    window.close()
    assert window.ctx.vault is None
    assert len(list_backups(Path(settings.backup_folder), vault_file)) == 1
    open_vault(vault_file).close()  # closed and released


def test_an_unwritable_backup_folder_is_reported_calmly_and_nothing_is_lost(
    qtbot: Any, make_window: MakeWindow, vault_file: Path, settings: Settings,
    tmp_path: Path, messages: Any,
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    settings.backup_folder = str(blocker / "backups")
    window = unlocked_window(qtbot, make_window, vault_file)
    group_id = _group(window, "Kept group")

    assert finish(qtbot, window.backups.backup_now()) is None
    [warning] = messages.texts("warning")
    assert "Choose another folder in Settings" in warning
    assert finish(qtbot, window.backups.backup_if_due()) is None  # the daily one: a banner
    assert not window.workspace.banner.isHidden()
    assert "Settings" in window.workspace.banner.label.text()
    assert query(window.ctx.vault, groups.get_group, group_id).name == "Kept group"
    window.close()  # the closing backup fails too, and the window still closes
    assert window.ctx.vault is None
    with open_vault(vault_file) as vault:
        assert query(vault, groups.get_group, group_id).name == "Kept group"


def test_no_backups_of_a_locked_vault(
    qtbot: Any, make_window: MakeWindow, vault_file: Path, settings: Settings
) -> None:
    window = unlocked_window(qtbot, make_window, vault_file)
    window.lock()
    assert window.backups.backup_if_due() is None
    assert list_backups(Path(settings.backup_folder), vault_file) == []


def _answer_file_dialogs(monkeypatch: pytest.MonkeyPatch, backup: Path, new: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a, **k: (str(backup), "")))
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(new), "")))


def test_restore_copies_the_backup_to_a_new_file_and_opens_it(
    qtbot: Any, make_window: MakeWindow, vault_file: Path, settings: Settings,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = unlocked_window(qtbot, make_window, vault_file)
    _group(window, "Before the backup")
    backup = finish(qtbot, window.backups.backup_now())
    assert backup is not None
    _group(window, "After the backup")
    backup_bytes = backup.read_bytes()
    restored = tmp_path / "restored.vault"
    _answer_file_dialogs(monkeypatch, backup, restored)

    finish(qtbot, window.backups.choose_restore(window._restored))

    assert window.locked and window.current_page is window.unlock_page
    assert window.unlock_page.current_path() == restored.absolute()
    assert "copied to a new file" in window.unlock_page.banner.label.text()
    unlock_with(qtbot, window)
    assert window.ctx.vault is not None and window.ctx.vault.path == restored.absolute()
    assert [g.name for g in query(window.ctx.vault, groups.list_groups)] == ["Before the backup"]
    assert backup.read_bytes() == backup_bytes  # the backup itself is untouched
    window.lock()
    with open_vault(vault_file) as original:  # and the original keeps everything
        names = sorted(g.name for g in query(original, groups.list_groups))
    assert names == ["After the backup", "Before the backup"]


def test_restore_never_writes_over_an_existing_file_or_the_open_vault(
    qtbot: Any, make_window: MakeWindow, vault_file: Path, monkeypatch: pytest.MonkeyPatch,
    messages: Any,
) -> None:
    window = unlocked_window(qtbot, make_window, vault_file)
    backup = finish(qtbot, window.backups.backup_now())
    assert backup is not None
    before = os.stat(vault_file).st_mtime_ns, vault_file.stat().st_size
    _answer_file_dialogs(monkeypatch, backup, vault_file)

    finish(qtbot, window.backups.choose_restore(window._restored))

    assert not window.locked and window.ctx.vault.path == vault_file.absolute()
    assert "the vault itself" in messages.texts("warning")[-1]
    assert (os.stat(vault_file).st_mtime_ns, vault_file.stat().st_size) == before

    other = vault_file.with_name("other.vault")
    other.write_bytes(b"someone else's file")
    _answer_file_dialogs(monkeypatch, backup, other)
    finish(qtbot, window.backups.choose_restore(window._restored))
    assert "Nothing was restored or overwritten" in messages.texts("warning")[-1]
    assert other.read_bytes() == b"someone else's file"


def test_restore_from_the_unlock_page_of_a_damaged_vault(
    qtbot: Any, make_window: MakeWindow, vault_file: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with open_vault(vault_file) as vault:
        backup = vault.backup_to(tmp_path / "kept.backup.vault")
    vault_file.write_bytes(vault_file.read_bytes()[:1000])  # damaged
    window = make_window(vault_path=vault_file)
    unlock_with(qtbot, window)
    restore_button = window.unlock_page.banner.action_buttons[1]
    restored = tmp_path / "again.vault"
    _answer_file_dialogs(monkeypatch, backup, restored)
    restore_button.click()  # the copy runs on a worker
    qtbot.waitUntil(lambda: window.unlock_page.current_path() == restored.absolute(),
                    timeout=20_000)
    unlock_with(qtbot, window)
    assert window.ctx.vault is not None and window.ctx.vault.path == restored.absolute()
