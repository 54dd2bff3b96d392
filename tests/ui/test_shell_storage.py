"""The whole window on storage that refuses: unlocking writes nothing, a read-only vault
opens with a banner and read-only editors and refuses edits calmly, a vault with a
damaged middle page is refused on the unlock page with the backup to restore."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication
from sqlalchemy import text as sql

from groupleader.data import backups
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import notes as ops_notes
from groupleader.data.snapshots import GroupNoteFields, MemberNoteFields
from groupleader.data.vault import Vault
from groupleader.ui.main_window import MainWindow
from groupleader.ui.settings import Settings
from groupleader.ui.workspace import READ_ONLY_BANNER
from tests.conftest import PASSPHRASE, TEST_KDF_ITER, open_vault
from tests.storage_support import (
    damage_page,
    is_root,
    read_only_mount,
    sha256,
    sidecars,
)
from tests.ui.sessions_support import World, build
from tests.ui.shell_support import Messages, holds, unlock_with, unlocked_window

MakeWindow = Callable[..., MainWindow]
SESSIONS = 2
GROUP_PAGE, MEMBER_PAGE, PROCESS_PAGE = 1, 2, 3
THEMES = "Quiet-marker: the group spoke of endings"
PROCESS = "Process-marker: I noticed my own impatience"


def clinic(path: Path) -> World:
    with Vault.create(path, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER) as vault:
        world = build(vault)
        for member_id in world.member_ids[:-1]:  # the last one is not recorded yet
            ops_meetings.record_attendance(vault, world.meeting_id, member_id, "present")
        ops_notes.save_group_note(vault, world.meeting_id, GroupNoteFields(themes=THEMES))
        ops_notes.save_member_note(vault, world.meeting_id, world.member_ids[0],
                                   MemberNoteFields(participation="spoke twice"))
        ops_notes.save_private_note(vault, world.meeting_id, PROCESS, None)
    return world


@contextlib.contextmanager
def read_only_folder(folder: Path) -> Iterator[None]:
    """A read-only folder as the window meets it: a read-only mount when root (root
    ignores permissions), the folder's own permission bits otherwise."""
    if is_root():
        with read_only_mount(folder):
            yield
        return
    modes = {p: p.stat().st_mode for p in [folder, *folder.iterdir()]}
    for p in modes:
        p.chmod(0o555 if p.is_dir() else 0o444)
    try:
        yield
    finally:
        for p, mode in modes.items():
            p.chmod(mode)


def _sessions(window: MainWindow, world: World) -> Any:
    window.workspace.sidebar.select_group(world.group_id)
    window.workspace.tabs.setCurrentIndex(SESSIONS)
    view = window.workspace.sessions_view
    assert view is not None
    assert view.select_meeting(world.meeting_id) or view.meeting is not None
    QApplication.processEvents()
    return view


def test_unlocking_working_read_only_locking_and_quitting_leave_every_byte(
    qtbot: Any, make_window: MakeWindow, tmp_path: Path
) -> None:
    path = tmp_path / "clinic.vault"
    world = clinic(path)
    before = sha256(path)
    window = unlocked_window(qtbot, make_window, path)
    view = _sessions(window, world)
    view.tabs.setCurrentIndex(PROCESS_PAGE)  # reading a process note writes nothing either
    assert holds(THEMES) and holds(PROCESS)
    window.backups.backup_now()  # a backup elsewhere: its event waits in memory
    qtbot.waitUntil(lambda: not window.ctx.runner.busy, timeout=20_000)
    window.lock()
    assert sha256(path) == before
    unlock_with(qtbot, window)
    assert window.ctx.vault is not None
    window.close()  # quitting makes a backup, elsewhere
    assert sha256(path) == before
    assert sidecars(path) == []
    assert list((tmp_path / "backups").glob("clinic.backup-*.vault"))


def test_a_read_only_vault_opens_with_a_banner_reads_and_refuses_edits_calmly(
    qtbot: Any, make_window: MakeWindow, tmp_path: Path, messages: Messages
) -> None:
    media = tmp_path / "stick"
    media.mkdir()
    path = media / "clinic.vault"
    world = clinic(path)
    open_vault(path).close()  # its lock file exists, as on a stick used before
    before = sha256(path)
    with read_only_folder(media):
        window = unlocked_window(qtbot, make_window, path)
        ws = window.workspace
        assert window.ctx.vault is not None and window.ctx.vault.read_only
        assert not ws.read_only_banner.isHidden()
        assert ws.read_only_banner.label.text() == READ_ONLY_BANNER
        assert window.windowTitle().endswith("(read-only)")
        assert window.vault_label.text() == "clinic.vault (read-only)"

        view = _sessions(window, world)
        view.tabs.setCurrentIndex(GROUP_PAGE)
        assert view.group_editor.read_only  # it shows, and it does not take typing
        assert view.group_editor.fields["themes"].edit.toPlainText() == THEMES
        view.tabs.setCurrentIndex(MEMBER_PAGE)
        editor = view.member_notes.editor(world.member_ids[0])
        assert editor is not None and all(e.isReadOnly() for e in editor.edits())
        view.tabs.setCurrentIndex(PROCESS_PAGE)
        assert view.process.edit.isReadOnly()
        assert view.process.edit.toPlainText() == PROCESS

        view.attendance.everyone_present()  # a write (the last member), tried anyway
        assert "read-only" in view.banner.label.text()
        assert "copy the vault file to a folder you can write to" in view.banner.label.text()
        window.change_passphrase()
        [said] = messages.texts("information")
        assert "read-only" in said and "passphrase cannot be changed" in said
        assert messages.texts("critical") == []  # never the crash dialog

        window.backups.backup_now()  # backups go elsewhere, and work
        qtbot.waitUntil(lambda: not window.ctx.runner.busy, timeout=20_000)
        assert list((tmp_path / "backups").glob("clinic.backup-*.vault"))
        assert ws.banner.isHidden()  # no "backup failed"
        window.lock()
        assert ws.read_only_banner.isHidden()
        assert sha256(path) == before
    window.close()


def test_a_writable_vault_shows_no_read_only_banner(
    qtbot: Any, make_window: MakeWindow, vault_file: Path
) -> None:
    window = unlocked_window(qtbot, make_window, vault_file)
    assert window.workspace.read_only_banner.isHidden()
    assert not window.windowTitle().endswith("(read-only)")


def test_a_damaged_page_is_said_with_the_newest_backup_named(
    qtbot: Any, make_window: MakeWindow, tmp_path: Path, settings: Settings
) -> None:
    """The window opens the vault and checks its pages behind the first view (issue #18):
    the damage is said in a dialog at once, with the newest backup, and nothing is
    written into the damaged file."""
    path = tmp_path / "clinic.vault"
    clinic(path)
    with open_vault(path) as vault:
        older = backups.make_backup(vault, Path(settings.backup_folder))
        newest = backups.make_backup(vault, Path(settings.backup_folder))
        # a page the open and the first view do not read: the search index's (a page
        # in the middle of so small a file may hold the schema, which the open reads)
        with vault.unit_of_work() as db:
            index_page = int(db.execute(sql(
                "SELECT rootpage FROM sqlite_master WHERE name = 'note_fts_data'")
            ).scalar_one())
    page = damage_page(path, index_page)
    os.utime(path, (1_000_000_000, 1_000_000_000))  # not as this process closed it
    damaged = sha256(path)
    window = make_window(vault_path=path)
    unlock_with(qtbot, window)
    qtbot.waitUntil(lambda: window.page_damage_box is not None
                    and window.page_damage_box.isVisible(), timeout=20_000)
    assert window.page_damage_box is not None
    text = window.page_damage_box.text()
    assert text.startswith(f"Part of this vault file is damaged (page {page} of ")
    assert f"Restore your newest backup, {newest} (made " in text
    assert str(older) not in text
    window.page_damage_box.accept()
    window.lock()
    assert sha256(path) == damaged
