"""Typing, and moving on to the next field, while a backup holds the vault (it copies and
checks every page: seconds at ten years of notes) never freezes the window: the timed
autosave and the focus leaving a field wait for the backup instead of blocking the event
loop, and the text is saved once it is done. The whole main window, the real backup
(`Vault.backup_to`) on another thread, slowed by its progress callback as a large vault on
a slow disk would be."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer

from groupleader.data.operations import query
from groupleader.data.services import notes
from groupleader.ui.main_window import MainWindow
from tests.conftest import open_vault
from tests.ui.sessions_support import build
from tests.ui.shell_support import group_note_themes, unlocked_window

BACKUP_S = 1.5
TEXT = "Typed while the backup ran Ember-Lynx-2231"


def test_typing_during_a_long_backup_does_not_freeze_and_is_saved_after(
    qtbot: Any, make_window: Callable[..., MainWindow], vault_file: Path, tmp_path: Path
) -> None:
    with open_vault(vault_file) as vault:
        world = build(vault)
    window = unlocked_window(qtbot, make_window, vault_file)
    window.backups.enabled = False  # this test starts its own
    view, edit = group_note_themes(window, world.group_id)
    vault = window.ctx.vault
    assert vault is not None

    def slowly(_done: int, _total: int) -> None:
        time.sleep(BACKUP_S)

    backup = threading.Thread(target=vault.backup_to, args=(tmp_path / "b.vault",),
                              kwargs={"progress": slowly})
    backup.start()
    qtbot.waitUntil(vault.busy_elsewhere, timeout=2000)

    ticks: list[float] = []
    ticker = QTimer()
    ticker.setInterval(10)
    ticker.timeout.connect(lambda: ticks.append(time.monotonic()))
    ticker.start()
    qtbot.keyClicks(edit, TEXT[:20])
    qtbot.wait(int(BACKUP_S * 500))  # the timed saves come due while the backup holds it
    qtbot.keyClicks(edit, TEXT[20:])
    left: list[bool] = []
    edit.focus_left.connect(lambda: left.append(True))
    view.group_editor.fields["plan"].edit.setFocus()  # on to the next field
    qtbot.wait(50)
    busy_during = vault.busy_elsewhere()
    backup.join(10)
    qtbot.wait(100)
    ticker.stop()
    assert busy_during  # the typing really met the backup
    assert left  # and the focus left the field (which saves, or waits for the vault)
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    assert max(gaps) < BACKUP_S / 2, f"the window froze for {max(gaps):.2f} s"

    def saved() -> str:
        note = query(vault, notes.load_meeting_notes, world.meeting_id).group_note
        return note.fields.themes if note else ""

    qtbot.waitUntil(lambda: saved() == TEXT, timeout=4000)
    assert (tmp_path / "b.vault").exists()
