"""The first screens: welcome, create a vault, unlock (wrong then right), and the
distinct errors with their ways on."""


from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from groupleader.data.vault import MIN_PASSPHRASE_LENGTH, Vault
from groupleader.errors import VaultInUse, VaultTooNew, WrongPassphrase
from groupleader.ui import widgets
from groupleader.ui.main_window import MainWindow
from groupleader.ui.settings import Settings
from tests.conftest import PASSPHRASE, TEST_KDF_ITER, open_vault
from tests.ui.shell_support import unlock_with

MakeWindow = Callable[..., MainWindow]


def test_first_start_shows_the_welcome_page(make_window: MakeWindow) -> None:
    window = make_window()
    assert window.current_page is window.welcome
    assert window.ctx.vault is None
    assert not window.lock_action.isEnabled()


def test_create_a_vault_through_the_welcome_page(
    qtbot: Any, make_window: MakeWindow, settings: Settings, tmp_path: Path
) -> None:
    window = make_window()
    qtbot.mouseClick(window.welcome.create_button, Qt.MouseButton.LeftButton)
    page = window.create_page
    assert window.current_page is page
    target = tmp_path / "new" / "clinic.vault"
    page.location.setText(str(target))
    qtbot.keyClicks(page.passphrase.edit, PASSPHRASE)
    qtbot.keyClicks(page.repeat.edit, PASSPHRASE)
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.busy.isVisible(), timeout=20_000)
    assert "does not exist" in page.location_error.text()  # beside the field
    assert not target.parent.exists()  # a missing folder is not made
    page.passphrase.clear()
    page.repeat.clear()
    target = tmp_path / "clinic.vault"
    page.location.setText(str(target))
    qtbot.keyClicks(page.passphrase.edit, PASSPHRASE)
    qtbot.keyClicks(page.repeat.edit, PASSPHRASE + "x")
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    assert "differ" in page.repeat_error.text() and not page.repeat_error.isHidden()
    assert not target.exists()

    page.repeat.setText(PASSPHRASE)
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    assert page.busy.isVisible()  # key derivation runs off the UI thread
    qtbot.waitUntil(lambda: window.ctx.vault is not None, timeout=20_000)

    assert window.current_page is window.workspace
    assert window.ctx.vault.path == target.absolute()
    assert settings.recent_vaults[0] == str(target.absolute())
    assert page.passphrase.text() == "" and page.repeat.text() == ""
    window.lock()
    Vault.open(target, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER).close()


def test_create_page_shows_the_lost_passphrase_warning_and_strength(
    make_window: MakeWindow,
) -> None:
    window = make_window()
    window.new_vault()
    texts = [w.text() for w in window.create_page.findChildren(widgets.QLabel)]
    assert any("lost passphrase means lost records" in t for t in texts)
    window.create_page.passphrase.setText("abc")
    assert "Too short" in window.create_page.meter.hint.text()
    window.create_page.passphrase.setText("maple river lantern quietly")
    assert window.create_page.meter.bar.value() >= 3


def test_create_refuses_a_short_passphrase_beside_the_field(
    qtbot: Any, make_window: MakeWindow, tmp_path: Path
) -> None:
    window = make_window()
    window.new_vault()
    page = window.create_page
    page.location.setText(str(tmp_path / "short.vault"))
    page.passphrase.setText("short")
    page.repeat.setText("short")
    page.submit()
    qtbot.waitUntil(lambda: not page.busy.isVisible(), timeout=20_000)
    assert "at least 8" in page.passphrase_error.text()
    assert not page.passphrase_error.isHidden()
    assert window.ctx.vault is None
    assert not (tmp_path / "short.vault").exists()


def test_create_never_overwrites_an_existing_file(
    make_window: MakeWindow, tmp_path: Path
) -> None:
    existing = tmp_path / "taken.vault"
    existing.write_bytes(b"keep me")
    window = make_window()
    window.new_vault()
    page = window.create_page
    page.location.setText(str(existing))
    page.passphrase.setText(PASSPHRASE)
    page.repeat.setText(PASSPHRASE)
    page.submit()
    assert "already exists" in page.location_error.text()
    assert existing.read_bytes() == b"keep me"


def test_vault_option_preselects_the_file_on_the_unlock_page(
    make_window: MakeWindow, vault_file: Path
) -> None:
    window = make_window(vault_path=vault_file)
    assert window.current_page is window.unlock_page
    assert window.unlock_page.current_path() == vault_file.absolute()
    assert window.windowTitle().endswith("locked")


def test_unlock_with_a_wrong_then_the_right_passphrase(
    qtbot: Any, make_window: MakeWindow, vault_file: Path
) -> None:
    window = make_window(vault_path=vault_file)
    page = window.unlock_page
    page.passphrase.setText("not the passphrase")
    qtbot.mouseClick(page.unlock_button, Qt.MouseButton.LeftButton)
    assert page.busy.isVisible() and not page.unlock_button.isEnabled()
    qtbot.waitUntil(lambda: not page.is_busy, timeout=20_000)
    assert window.ctx.vault is None
    assert page.banner.label.text() == WrongPassphrase.default_message
    assert page.passphrase.edit.hasSelectedText()  # ready to retype
    assert page.unlock_button.isEnabled()

    unlock_with(qtbot, window, PASSPHRASE)
    assert window.ctx.vault is not None
    assert window.current_page is window.workspace
    assert window.lock_action.isEnabled()
    assert page.passphrase.text() == ""


def test_show_hide_reveals_the_passphrase(make_window: MakeWindow, vault_file: Path) -> None:
    page = make_window(vault_path=vault_file).unlock_page
    assert page.passphrase.edit.echoMode() == page.passphrase.edit.EchoMode.Password
    page.passphrase.toggle.click()
    assert page.passphrase.edit.echoMode() == page.passphrase.edit.EchoMode.Normal
    assert page.passphrase.toggle.text() == "Hide"


def test_vault_in_use_says_so_and_offers_another_file(
    qtbot: Any, make_window: MakeWindow, vault_file: Path
) -> None:
    holder = open_vault(vault_file)
    try:
        window = make_window(vault_path=vault_file)
        unlock_with(qtbot, window)
        page = window.unlock_page
        assert window.ctx.vault is None
        assert page.banner.label.text() == VaultInUse.default_message
        assert [b.text() for b in page.banner.action_buttons] == ["Open another file…"]
    finally:
        holder.close()


def test_damaged_file_offers_another_file_or_a_backup(
    qtbot: Any, make_window: MakeWindow, vault_file: Path
) -> None:
    cut = vault_file.read_bytes()[:1000]  # a vault cut short (an interrupted copy)
    vault_file.write_bytes(cut)
    window = make_window(vault_path=vault_file)
    unlock_with(qtbot, window)
    page = window.unlock_page
    assert window.ctx.vault is None
    assert "damaged" in page.banner.label.text()
    assert [b.text() for b in page.banner.action_buttons] == [
        "Open another file…", "Restore from a backup…"]
    assert vault_file.read_bytes() == cut


def test_too_new_vault_offers_another_file_or_a_backup(
    qtbot: Any, make_window: MakeWindow, vault_file: Path
) -> None:
    with open_vault(vault_file) as vault, vault.engine.begin() as conn:
        from sqlalchemy import text

        conn.execute(text("UPDATE alembic_version SET version_num = 'from_the_future'"))
    window = make_window(vault_path=vault_file)
    unlock_with(qtbot, window)
    page = window.unlock_page
    assert page.banner.label.text() == VaultTooNew.default_message
    assert [b.text() for b in page.banner.action_buttons] == [
        "Open another file…", "Restore from a backup…"]


def test_missing_file_offers_another_file_or_a_new_vault(
    qtbot: Any, make_window: MakeWindow, tmp_path: Path
) -> None:
    window = make_window(vault_path=tmp_path / "gone.vault")
    unlock_with(qtbot, window)
    buttons = [b.text() for b in window.unlock_page.banner.action_buttons]
    assert buttons == ["Open another file…", "Create a new vault…"]


def test_recent_vaults_are_offered_on_the_next_start(
    qtbot: Any, make_window: MakeWindow, settings: Settings, vault_file: Path
) -> None:
    first = make_window(vault_path=vault_file)
    unlock_with(qtbot, first)
    first.close()
    second = make_window()
    assert second.current_page is second.unlock_page
    assert second.unlock_page.current_path() == vault_file.absolute()


def test_the_window_keeps_working_while_the_key_is_derived(
    qtbot: Any, make_window: MakeWindow, vault_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from groupleader.ui import unlock

    gate = threading.Event()
    real_open = unlock.open_vault

    def slow_open(path: Path, phrase: str) -> Vault:
        gate.wait(60)
        return real_open(path, phrase)

    monkeypatch.setattr(unlock, "open_vault", slow_open)
    window = make_window(vault_path=vault_file)
    window.unlock_page.passphrase.setText(PASSPHRASE)
    window.unlock_page.submit()
    ticks: list[int] = []
    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    # The UI thread runs its event loop while the worker waits on the gate: the
    # ticks arrive (however slowly a loaded machine runs them) before the vault does.
    qtbot.waitUntil(lambda: len(ticks) >= 5, timeout=30_000)
    assert window.ctx.vault is None and window.unlock_page.busy.isVisible()
    gate.set()
    qtbot.waitUntil(lambda: window.ctx.vault is not None, timeout=20_000)
    timer.stop()


def test_widgets_minimum_length_matches_the_vault() -> None:
    assert widgets.MIN_PASSPHRASE_LENGTH == MIN_PASSPHRASE_LENGTH


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [("", 0, 0), ("abc", 0, 0), ("aaaaaaaaaa", 0, 1), ("12345678", 0, 1),
     ("Summer2024!", 2, 3), ("maple river lantern quietly", 3, 4)],
)
def test_the_meter_follows_zxcvbn(qtbot: Any, text: str, low: int, high: int) -> None:
    meter = widgets.StrengthMeter()
    qtbot.addWidget(meter)
    meter.update_for(text)
    assert low <= meter.bar.value() <= high, (text, meter.hint.text())
    assert meter.hint.text() and meter.acceptable == (meter.bar.value() >= 2)


def test_create_refuses_the_weakest_and_offers_random_words_that_work(
    qtbot: Any, make_window: MakeWindow, tmp_path: Path
) -> None:
    window = make_window()
    window.new_vault()
    page = window.create_page
    target = tmp_path / "clinic.vault"
    page.location.setText(str(target))
    qtbot.keyClicks(page.passphrase.edit, "12345678")
    assert "common password" in page.meter.hint.text() and page.meter.bar.value() == 0
    page.repeat.setText("12345678")
    page.submit()
    qtbot.waitUntil(lambda: not page.busy.isVisible(), timeout=20_000)
    assert "common password" in page.passphrase_error.text()
    assert window.ctx.vault is None and not target.exists()

    page.passphrase.setText("clinic2025")  # the vault's own name, and a year
    assert "name a guesser tries first" in page.meter.hint.text()

    qtbot.mouseClick(page.meter.suggest_button, Qt.MouseButton.LeftButton)
    suggestion = page.passphrase.text()
    assert len(suggestion.split()) == 5 and page.repeat.text() == suggestion
    assert page.passphrase.edit.echoMode() == page.passphrase.edit.EchoMode.Normal  # shown
    assert page.meter.bar.value() >= 3 and page.passphrase_error.isHidden()
    qtbot.mouseClick(page.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.ctx.vault is not None, timeout=20_000)
    window.lock()
    Vault.open(target, suggestion, test_kdf_iter=TEST_KDF_ITER).close()
