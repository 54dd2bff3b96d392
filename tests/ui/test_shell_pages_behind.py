"""Unlocking through the window checks every page behind the first view: the workspace
shows at once, and a damaged page found afterwards is said in a dialog naming the page
and what to do, while the window stays open so typed text can be copied."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from groupleader.data.operations import groups as ops_groups
from groupleader.data.snapshots import GroupSpec
from groupleader.data.vault import Vault
from groupleader.errors import VaultDamaged
from groupleader.ui.main_window import MainWindow
from tests.conftest import PASSPHRASE, TEST_KDF_ITER
from tests.storage_support import damage_a_middle_page
from tests.ui.shell_support import group_note_themes, unlocked_window


def _vault_with_a_damaged_page(folder: Path) -> int:
    path = folder / "clinic.vault"
    vault = Vault.create(path, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER)
    ops_groups.create_group(vault, GroupSpec(name="Thursday group", kind="self_help"))
    with vault.unit_of_work() as db:  # pages no view reads
        db.execute(text("CREATE TABLE scratch (id INTEGER PRIMARY KEY, body TEXT)"))
        for i in range(300):
            db.execute(text("INSERT INTO scratch (body) VALUES (:b)"), {"b": f"row {i} " * 20})
    vault.close()
    page = damage_a_middle_page(path)
    # another program's write, told apart from this process's close even within one tick
    # of the file system's clock (else unlocking again would rightly skip the check)
    os.utime(path, (1_000_000_000, 1_000_000_000))
    return page


def test_damage_found_after_the_first_view_is_said_at_once(
    qtbot: Any, make_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    page = _vault_with_a_damaged_page(tmp_path)
    window = unlocked_window(qtbot, make_window, tmp_path / "clinic.vault")
    assert window.current_page is window.workspace  # opened: the check runs behind it
    qtbot.waitUntil(lambda: window.page_damage_box is not None
                    and window.page_damage_box.isVisible(), timeout=20_000)
    box = window.page_damage_box
    assert box is not None
    assert f"page {page} of" in box.text()
    assert "nothing more will be saved" in box.text()
    assert "backup" in box.text()
    assert window.ctx.vault is not None and window.ctx.vault.damage is not None
    assert "damaged" in window.statusBar().currentMessage()
    box.accept()


def test_a_sound_vault_shows_no_dialog(
    qtbot: Any, make_window: Callable[..., MainWindow], vault_file: Path
) -> None:
    window = unlocked_window(qtbot, make_window, vault_file)
    vault = window.ctx.vault
    assert vault is not None
    qtbot.waitUntil(lambda: vault.page_check(timeout=0) is None and vault._page_check is None,
                    timeout=20_000)
    qtbot.wait(50)
    assert window.page_damage_box is None


def test_text_typed_into_a_damaged_vault_is_kept_and_never_promised_a_save(
    qtbot: Any, make_window: Callable[..., MainWindow], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """After the damage dialog: the note typed is refused with the dialog's own message,
    Ctrl+L asks Stay open / Lock now (no Retry, no "as soon as the disk allows"), and
    locking keeps the text in memory with a locked page that says why it is not saved."""
    from groupleader.ui import unsaved
    from tests.ui.sessions_support import build

    path = tmp_path / "clinic.vault"
    vault = Vault.create(path, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER)
    world = build(vault)
    with vault.unit_of_work() as db:  # pages no view reads
        db.execute(text("CREATE TABLE scratch (id INTEGER PRIMARY KEY, body TEXT)"))
        for i in range(300):
            db.execute(text("INSERT INTO scratch (body) VALUES (:b)"), {"b": f"row {i} " * 20})
    vault.close()
    damage_a_middle_page(path)
    window = unlocked_window(qtbot, make_window, path)
    qtbot.waitUntil(lambda: window.page_damage_box is not None
                    and window.page_damage_box.isVisible(), timeout=20_000)
    assert window.page_damage_box is not None
    said = window.ctx.vault.damage if window.ctx.vault else None
    assert said is not None
    window.page_damage_box.accept()
    view, edit = group_note_themes(window, world.group_id)
    qtbot.keyClicks(edit, "Typed after the dialog Quartz-Heron-5150")
    qtbot.waitUntil(lambda: view.saved_label.text() == "Not saved", timeout=4000)
    assert said.message in view.banner.label.text()

    offered: list[list[str]] = []
    texts: list[str] = []

    def ask(_parent: Any, _title: str, body: str, choices: Any, escape: str) -> str:
        offered.append([key for key, _label, _role in choices])
        texts.append(body)
        return unsaved.KEEP

    monkeypatch.setattr(unsaved, "ask", ask)
    answers = [unsaved.STAY]  # Quit: "Don't quit"
    monkeypatch.setattr(unsaved, "ask", lambda *a: (ask(*a), answers.pop())[1] if answers
                        else ask(*a))
    window.close()
    assert window.isVisible()  # not quit: the text stays to be copied
    assert offered.pop() == [unsaved.STAY, unsaved.DISCARD]  # no Retry that cannot work
    assert "damaged" in texts.pop()
    assert window.lock()
    assert offered == [[unsaved.STAY, unsaved.KEEP]]
    assert "damaged" in texts[0] and "as soon as the disk allows" not in texts[0]
    assert window.locked and window.holding
    assert window.unlock_page.banner.label.text() == unsaved.HELD_DAMAGED
    assert edit.toPlainText().endswith("Quartz-Heron-5150")  # kept, to copy after unlock


def test_damage_met_by_a_read_after_the_check_is_said_in_the_same_dialog(
    qtbot: Any, make_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    """A page that fails as it is read, after the check behind the first view passed (a
    disk failing while the vault is open): the window says so at once, in the dialog."""
    path = tmp_path / "clinic.vault"
    vault = Vault.create(path, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER)
    with vault.unit_of_work() as db:
        db.execute(text("CREATE TABLE scratch (id INTEGER PRIMARY KEY, body TEXT)"))
        for i in range(300):
            db.execute(text("INSERT INTO scratch (body) VALUES (:b)"), {"b": f"row {i} " * 20})
        root = db.execute(text(
            "SELECT rootpage FROM sqlite_master WHERE name = 'scratch'")).scalar_one()
    vault.close()
    window = unlocked_window(qtbot, make_window, path)
    opened = window.ctx.vault
    assert opened is not None
    qtbot.waitUntil(lambda: opened.page_check(timeout=0) is None and opened._page_check is None,
                    timeout=20_000)
    assert window.page_damage_box is None
    with open(path, "r+b") as f:  # the disk fails under the open vault
        f.seek((root - 1) * 4096 + 1000)
        f.write(b"\xff" * 8)
    with pytest.raises(VaultDamaged), opened.unit_of_work() as db:  # a view's read
        db.execute(text("SELECT max(body) FROM scratch")).all()
    qtbot.waitUntil(lambda: window.page_damage_box is not None
                    and window.page_damage_box.isVisible(), timeout=5000)
    assert window.page_damage_box is not None
    assert "nothing more will be saved" in window.page_damage_box.text()
    assert "damaged" in window.statusBar().currentMessage()
    window.page_damage_box.accept()
