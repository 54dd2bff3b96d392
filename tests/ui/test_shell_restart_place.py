"""A restart returns to where the user was in each vault: the group, the view and the
session, kept in the settings as ids only (never a name)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from groupleader.data.vault import Vault
from groupleader.ui.main_window import MainWindow
from groupleader.ui.settings import Settings
from tests.conftest import PASSPHRASE, TEST_KDF_ITER, open_vault
from tests.ui.sessions_support import build
from tests.ui.shell_support import unlocked_window

MakeWindow = Callable[..., MainWindow]


def test_a_restart_returns_to_the_last_group_view_and_session_of_each_vault(
    qtbot: Any, make_window: MakeWindow, vault_file: Path, tmp_path: Path, settings: Settings,
) -> None:
    vault: Vault = open_vault(vault_file, PASSPHRASE)
    build(vault, group_name="Monday circle")  # the first group: where a start lands
    second = build(vault, names=("Quinn Avery", "Rosa Lind"), group_name="Thursday circle",
                   sessions=3)
    vault.close()
    other = tmp_path / "other.vault"  # a second vault, left on another view
    Vault.create(other, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER).close()
    v2 = open_vault(other, PASSPHRASE)
    build(v2, group_name="Other clinic")
    v2.close()

    window = unlocked_window(qtbot, make_window, vault_file)
    ws = window.workspace
    assert ws.sidebar.select_group(second.group_id)
    ws.tabs.setCurrentWidget(ws.sessions_view)
    sessions = ws.sessions_view
    older = second.meeting_id - 1  # the middle one of the three, not the one a start picks
    assert sessions.select_meeting(older)
    window.close()

    window2 = unlocked_window(qtbot, make_window, other)
    window2.workspace.tabs.setCurrentIndex(1)  # Seating, in the other vault
    window2.close()

    # The next start: a new window over the same settings file.
    restarted = unlocked_window(qtbot, make_window, vault_file)
    ws = restarted.workspace
    assert restarted.ctx.current_group_id == second.group_id
    assert ws.sidebar.current_id() == second.group_id
    assert ws.tabs.currentWidget() is ws.sessions_view
    qtbot.waitUntil(lambda: ws.sessions_view.meeting is not None)
    assert ws.sessions_view.meeting.id == older
    assert restarted.ctx.current_meeting_id == older
    restarted.close()

    elsewhere = unlocked_window(qtbot, make_window, other)
    assert elsewhere.workspace.tabs.currentIndex() == 1  # each vault its own place
    elsewhere.close()

    stored = Path(settings.qsettings.fileName()).read_text("utf-8")
    for name in ("Monday", "Thursday", "Other clinic", "Quinn", "Rosa"):
        assert name not in stored


def test_a_stored_group_that_is_gone_lands_on_the_first_group(
    qtbot: Any, make_window: MakeWindow, vault_file: Path, settings: Settings,
) -> None:
    vault = open_vault(vault_file, PASSPHRASE)
    world = build(vault)
    vault.close()
    settings.set_place_for(vault_file, {"group": 999, "view": 2, "meeting": 12345})
    window = unlocked_window(qtbot, make_window, vault_file)
    assert window.ctx.current_group_id == world.group_id
    assert window.workspace.tabs.currentIndex() == 0
