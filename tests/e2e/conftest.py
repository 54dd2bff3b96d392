"""Fixtures for the end-to-end tests: the real main window, on a settings file and a
backup folder in tmp_path, with the low test KDF, and dialogs answered by `Modals`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from groupleader.ui import unlock
from groupleader.ui.main_window import MainWindow
from groupleader.ui.settings import Settings
from tests.conftest import TEST_KDF_ITER
from tests.e2e.driving import Actions, Modals
from tests.e2e.workflow import Day


@pytest.fixture
def day(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Day]:
    """A first start: no vault anywhere, the welcome page shown at 1280x800."""
    monkeypatch.setattr(unlock, "TEST_ONLY_KDF_ITER", TEST_KDF_ITER)
    settings = Settings(path=tmp_path / "settings.ini")
    settings.backup_folder = str(tmp_path / "backups")
    (tmp_path / "backups").mkdir()  # a folder the user chose exists (it is never created)
    modals = Modals(qtbot, monkeypatch)
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    yield Day(qtbot, window, Actions(qtbot), modals, tmp_path)
    if window.isVisible():
        window.close()
    QThreadPool.globalInstance().waitForDone(10_000)
