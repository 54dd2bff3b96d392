"""Passphrase problems are said before any work starts (no "Creating the vault…", no key
derivation), and the error under the field goes as soon as the typing fixes it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from groupleader.data.vault import Vault
from groupleader.ui import unlock
from groupleader.ui.main_window import MainWindow
from groupleader.ui.passphrase_dialog import ChangePassphraseDialog
from tests.conftest import PASSPHRASE, TEST_KDF_ITER
from tests.ui.shell_support import unlocked_window

MakeWindow = Callable[..., MainWindow]


def _count_work(monkeypatch: Any, module: Any) -> list[object]:
    """Every start of background work through `module.run_in_background`."""
    started: list[object] = []
    real = module.run_in_background

    def spy(fn: Any, on_done: Any, on_failed: Any) -> Any:
        started.append(fn)
        return real(fn, on_done, on_failed)

    monkeypatch.setattr(module, "run_in_background", spy)
    return started


def test_a_weak_passphrase_is_refused_before_any_work_and_the_error_clears_when_fixed(
    qtbot: Any, make_window: MakeWindow, tmp_path: Path, monkeypatch: Any
) -> None:
    started = _count_work(monkeypatch, unlock)
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.new_vault()
    page = window.create_page
    busy_texts: list[str] = []
    real_start = page.busy.start
    page.busy.start = lambda text: (busy_texts.append(text), real_start(text))  # type: ignore[method-assign]
    target = tmp_path / "clinic.vault"
    page.location.setText(str(target))
    qtbot.keyClicks(page.passphrase.edit, "12345678")
    qtbot.keyClicks(page.repeat.edit, "12345678")
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)

    assert busy_texts == [] and started == []  # no "Creating the vault…", no derivation
    assert not page.passphrase_error.isHidden()
    assert "common password" in page.passphrase_error.text()
    assert QApplication.focusWidget() is page.passphrase.edit

    # Still weak while typing on: the error stays, saying what is wrong now.
    qtbot.keyClicks(page.passphrase.edit, "9")
    assert not page.passphrase_error.isHidden()
    # Typed over with something acceptable: the error goes at once, before any submit.
    page.passphrase.edit.selectAll()
    qtbot.keyClicks(page.passphrase.edit, "maple river lantern quietly")
    assert page.passphrase_error.isHidden()

    # The repeat differs: said at once too, and gone once the repeat matches.
    qtbot.keyClick(page.repeat.edit, Qt.Key.Key_Return)
    assert started == [] and not page.repeat_error.isHidden()
    page.repeat.edit.selectAll()
    qtbot.keyClicks(page.repeat.edit, "maple river lantern quietl")
    assert not page.repeat_error.isHidden()
    qtbot.keyClicks(page.repeat.edit, "y")
    assert page.repeat_error.isHidden()

    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    assert len(started) == 1 and busy_texts == ["Creating the vault and deriving its key…"]
    qtbot.waitUntil(lambda: window.ctx.vault is not None, timeout=20_000)
    window.lock()
    Vault.open(target, "maple river lantern quietly", test_kdf_iter=TEST_KDF_ITER).close()


def test_change_passphrase_refuses_a_weak_one_before_re_encrypting(
    qtbot: Any, make_window: MakeWindow, vault_file: Path, monkeypatch: Any
) -> None:
    from groupleader.ui import passphrase_dialog

    started = _count_work(monkeypatch, passphrase_dialog)
    window = unlocked_window(qtbot, make_window, vault_file)
    dialog = ChangePassphraseDialog(window.ctx.vault, window)
    qtbot.addWidget(dialog)
    dialog.current.setText(PASSPHRASE)
    dialog.new.setText("aaaaaaaa")
    dialog.repeat.setText("aaaaaaaa")
    dialog.submit()
    assert started == [] and dialog.busy.isHidden()
    assert "Repeats" in dialog.new_error.text() and not dialog.new_error.isHidden()
    dialog.new.setText("a brand new passphrase")
    assert dialog.new_error.isHidden()
    dialog.submit()  # the repeat still says aaaaaaaa
    assert started == [] and not dialog.repeat_error.isHidden()
    dialog.repeat.setText("a brand new passphrase")
    assert dialog.repeat_error.isHidden()


def test_a_passphrase_error_coming_and_going_moves_no_field_or_button(
    qtbot: Any, make_window: MakeWindow, tmp_path: Path
) -> None:
    """The error under the passphrase keeps its room: Repeat and Create stay where the
    pointer aims while it appears and goes (a message of up to two lines)."""
    window = make_window()
    window.new_vault()
    page = window.create_page
    qtbot.waitUntil(page.create_button.isVisible)
    page.location.setText(str(tmp_path / "clinic.vault"))

    def places() -> tuple[int, int]:
        QApplication.processEvents()
        return (page.repeat.mapTo(page, page.repeat.rect().topLeft()).y(),
                page.create_button.mapTo(page, page.create_button.rect().topLeft()).y())

    before = places()
    qtbot.keyClicks(page.passphrase.edit, "12345678")
    qtbot.keyClicks(page.repeat.edit, "12345679")
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    assert not page.passphrase_error.isHidden()
    assert places() == before
    page.passphrase.edit.clear()
    qtbot.keyClicks(page.passphrase.edit, "correct horse battery staple museum")
    assert page.passphrase_error.isHidden()
    assert places() == before
