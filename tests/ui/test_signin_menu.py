"""Session > Sign-in Sheet… in the whole main window: the current session's sheet is saved
where the user chose, with first names and last initials only."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from groupleader.ui.main_window import MainWindow
from tests.conftest import PASSPHRASE, open_vault
from tests.report.pdfcheck import all_text
from tests.ui.sessions_support import NAMES, build
from tests.ui.shell_support import unlocked_window

SESSIONS = 2


def test_the_session_menu_saves_the_current_sessions_sign_in_sheet(
    qtbot: Any, make_window: Callable[..., MainWindow], vault_file: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    vault = open_vault(vault_file, PASSPHRASE)
    world = build(vault, NAMES[:4])
    vault.close()
    window = unlocked_window(qtbot, make_window, vault_file)
    dest = tmp_path / "out" / "sheet"
    dest.parent.mkdir()
    asked: list[str] = []

    def save_name(_parent: object, _title: str, start: str, _filters: str) -> tuple[str, str]:
        asked.append(Path(start).name)
        return str(dest), "PDF files (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: told.append(a[2]))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: told.append(a[2]))

    assert window.workspace.sidebar.select_group(world.group_id)
    window.workspace.tabs.setCurrentIndex(SESSIONS)
    sessions = window.workspace.sessions_view
    assert sessions is not None and sessions.select_meeting(world.meeting_id)
    QApplication.processEvents()
    window.signin_action.trigger()
    written = dest.with_name("sheet.pdf")
    assert told == [] and written.exists() and asked and "signin" in asked[0]
    text = all_text(written.read_bytes())
    assert "Sign-in sheet" in text and "Ada B." in text and "Dan E." in text
    for name in NAMES[:4]:
        assert name.split()[-1] not in text

    window.ctx.current_meeting_id = None  # no session chosen: it says what to do
    window.signin_action.trigger()
    assert told and "Choose a session first" in told[0] and len(asked) == 1
