"""File > Open Demo Vault (and `groupleader --demo`): a vault of invented data made in a
temporary folder, opened, its passphrase printed, never remembered, gone after quitting."""


from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from groupleader.ui.main_window import MainWindow
from groupleader.ui.settings import Settings

pytest.importorskip("groupleader.data.demo")
MakeWindow = Callable[..., MainWindow]


def test_open_demo_vault_from_the_welcome_page(
    qtbot: Any, make_window: MakeWindow, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    window = make_window()
    window.welcome.demo_button.click()
    qtbot.waitUntil(lambda: window.ctx.vault is not None, timeout=60_000)

    path = window.ctx.vault.path
    out = capsys.readouterr().out
    assert str(path) in out and "Passphrase: demo-" in out
    assert window.workspace.sidebar.model.rowCount() >= 1
    assert settings.recent_vaults == []  # a demo vault is never remembered
    assert window.backups.enabled is False  # nor backed up into the user's folder
    window.close()
    assert not path.exists() and not path.parent.exists()


def test_demo_passphrase_unlocks_after_a_lock(
    qtbot: Any, make_window: MakeWindow, capsys: pytest.CaptureFixture[str]
) -> None:
    window = make_window()
    window.open_demo()
    qtbot.waitUntil(lambda: window.ctx.vault is not None, timeout=60_000)
    phrase = capsys.readouterr().out.split("Passphrase: ")[1].strip()
    path: Path = window.ctx.vault.path
    assert window.lock()
    window.unlock_page.passphrase.setText(phrase)
    window.unlock_page.submit()
    qtbot.waitUntil(lambda: window.ctx.vault is not None, timeout=20_000)
    assert window.ctx.vault.path == path
