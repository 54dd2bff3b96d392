"""Fixtures for every test in tests/ui.

Every window gets its own settings file in tmp_path, vaults are real SQLCipher files
opened with the low test KDF, and modal message boxes are answered by patching
QMessageBox's static methods (the Vorta way) and `unsaved.ask` (the questions about text
that cannot be saved: `messages.choices` lists the answers, else the safe one), so no
test can hang on a dialog.
Plain helpers live in shell_support.py, seating_support.py and sessions_support.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from groupleader.data.vault import Vault
from groupleader.ui import unlock, unsaved
from groupleader.ui.main_window import MainWindow
from groupleader.ui.settings import Settings
from tests.conftest import PASSPHRASE, TEST_KDF_ITER
from tests.ui.seating_support import World, build_world
from tests.ui.shell_support import Messages


@pytest.fixture(autouse=True)
def _test_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every vault the shell opens or creates in these tests uses the low test KDF."""
    monkeypatch.setattr(unlock, "TEST_ONLY_KDF_ITER", TEST_KDF_ITER)


@pytest.fixture(autouse=True)
def messages(monkeypatch: pytest.MonkeyPatch) -> Messages:
    box = Messages()

    def record(kind: str) -> Callable[..., Any]:
        def show(_parent: Any, title: str, text: str, *args: Any, **kwargs: Any) -> Any:
            box.shown.append((kind, title, text))
            return box.answer if kind == "question" else QMessageBox.StandardButton.Ok

        return show

    for kind in ("warning", "information", "critical", "question", "about"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(record(kind)))

    def choose(_parent: Any, title: str, text: str, choices: Any, escape: str) -> str:
        box.shown.append(("choice", title, text))
        box.offered.append([key for key, _label, _role in choices])
        return box.choices.pop(0) if box.choices else escape

    monkeypatch.setattr(unsaved, "ask", choose)
    return box


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    s = Settings(path=tmp_path / "settings.ini")
    s.backup_folder = str(tmp_path / "backups")
    (tmp_path / "backups").mkdir()  # a folder the user chose exists (it is never created)
    return s


@pytest.fixture
def make_window(qtbot: Any, settings: Settings) -> Iterator[Callable[..., MainWindow]]:
    windows: list[MainWindow] = []

    def make(vault_path: Path | None = None, the_settings: Settings | None = None) -> MainWindow:
        window = MainWindow(the_settings or settings, vault_path=vault_path)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        if window.isVisible():
            window.close()


@pytest.fixture
def vault_file(tmp_path: Path) -> Path:
    """A closed, empty vault file with PASSPHRASE."""
    path = tmp_path / "clinic.vault"
    Vault.create(path, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER).close()
    return path


@pytest.fixture
def world(vault: Vault) -> World:
    """The seating tests' group: a leader, six active members, three past sessions."""
    return build_world(vault)
