"""The window's open checks every page behind the first view (`check_pages_later`): the
vault opens at once, a damaged page is still found (on a second connection, confirmed with
the vault's own), and from then on nothing more is written into that file."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from groupleader.data import vault as vault_module
from groupleader.data.operations import groups as ops_groups
from groupleader.data.snapshots import GroupSpec
from groupleader.data.vault import Vault
from groupleader.errors import VaultDamaged
from tests.conftest import PASSPHRASE, TEST_KDF_ITER
from tests.storage_support import damage_a_middle_page, sha256

GROUP = GroupSpec(name="Thursday group", kind="self_help")


def _filled(vault: Vault) -> Path:
    """A vault with middle pages, closed, and then touched from outside (so the next open
    checks its pages: it is no longer exactly as this process closed it)."""
    with vault.unit_of_work() as db:
        db.execute(text("CREATE TABLE scratch (id INTEGER PRIMARY KEY, body TEXT)"))
        for i in range(300):
            db.execute(text("INSERT INTO scratch (body) VALUES (:b)"), {"b": f"row {i} " * 20})
    vault.close()
    _touched(vault.path)
    return vault.path


def _touched(path: Path) -> None:
    """As another program's write leaves a file: its times differ from this process's
    close even within one tick of the file system's clock."""
    os.utime(path, (1_000_000_000, 1_000_000_000))


def _open_later(path: Path) -> Vault:
    return Vault.open(path, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER, check_pages_later=True)


def test_a_damaged_page_opens_then_refuses_every_write(vault: Vault) -> None:
    path = _filled(vault)
    page = damage_a_middle_page(path)
    _touched(path)
    with pytest.raises(VaultDamaged):  # as every other opener still does
        Vault.open(path, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER)
    damaged = sha256(path)
    later = _open_later(path)  # the first view is not kept waiting for the check
    try:
        found = later.page_check(timeout=30)
        assert found is not None and later.damage is found
        assert found.path == path
        assert f"page {page} of" in found.details[0]
        assert "nothing more will be saved" in found.message
        with pytest.raises(VaultDamaged):
            ops_groups.create_group(later, GROUP)
        assert later.page_check() is found  # asked again: the same finding, at once
    finally:
        later.close()
    assert sha256(path) == damaged  # the refused write left the file as it was
    again = _open_later(path)  # and the next open checks it again
    try:
        assert again.page_check(timeout=30) is not None
    finally:
        again.close()


def test_a_sound_file_keeps_saving_and_is_checked_again_at_the_next_open(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _filled(vault)
    later = _open_later(path)
    assert later.page_check(timeout=30) is None and later.damage is None
    ops_groups.create_group(later, GROUP)
    later.close()
    checked: list[Path] = []
    monkeypatch.setattr(vault_module, "_refuse_damaged_pages",
                        lambda _raw, p: checked.append(p))
    Vault.open(path, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER).close()
    assert checked == [path]  # unlock again checks every page again (a disk can fail)


def test_closed_before_the_check_ends_leaves_the_check_to_end_alone(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Locked while the check still reads: the close does not wait for it, and the
    finding of a check that ends after the close is no longer the vault's."""
    path = _filled(vault)
    release = threading.Event()
    real = vault_module._page_problems

    def slow(raw: object) -> list[str]:
        release.wait(30)
        return ["page 2 of 9 does not read back as it was written"]

    monkeypatch.setattr(vault_module, "_page_problems", slow)
    later = _open_later(path)
    later.close()  # locked at once, while the check still reads
    release.set()
    monkeypatch.setattr(vault_module, "_page_problems", real)
    assert later.damage is None
    again = _open_later(path)
    try:
        assert again.page_check(timeout=30) is None  # the next open checks on its own
    finally:
        again.close()


def test_a_torn_read_beside_a_checkpoint_is_not_damage(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second connection reads the file as the vault writes it: a page caught half
    written looks damaged to it, so a finding counts only once the vault's own connection,
    under its lock, finds it too."""
    path = _filled(vault)
    real = vault_module._page_problems
    calls: list[int] = []

    def torn_once(raw: object) -> list[str]:
        calls.append(1)
        return ["page 3 of 9 does not read back as it was written"] if len(calls) == 1 \
            else real(raw)

    monkeypatch.setattr(vault_module, "_page_problems", torn_once)
    later = _open_later(path)
    try:
        assert later.page_check(timeout=30) is None
        assert len(calls) == 2  # found by the probe, not confirmed by the vault itself
        ops_groups.create_group(later, GROUP)
    finally:
        later.close()


def test_once_damage_is_found_no_write_reaches_the_file(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that touches no damaged page is refused too (the file is not to be trusted):
    the damage is made up here, so the write would otherwise go through."""
    path = _filled(vault)
    monkeypatch.setattr(vault_module, "_page_problems",
                        lambda _raw: ["page 3 of 9 does not read back as it was written"])
    later = _open_later(path)
    try:
        assert later.page_check(timeout=30) is not None
        before = sha256(path)
        with pytest.raises(VaultDamaged, match="nothing more will be saved"):
            ops_groups.create_group(later, GROUP)
        with later.unit_of_work() as db:  # reading still works: the text can be copied
            assert db.execute(text("SELECT count(*) FROM scratch")).scalar() == 300
    finally:
        later.close()
    assert sha256(path) == before


def test_damage_met_by_a_read_after_the_check_is_said_as_damage_and_sticks(
    vault: Vault,
) -> None:
    """A page damaged after the check passed (a disk failing while the vault is open) is
    met by a read: the error says the vault is damaged (not "not a vault"), names what to
    do, and every later write, to any table, is refused with that same message."""
    path = _filled(vault)
    later = _open_later(path)
    try:
        assert later.page_check(timeout=30) is None
        with later.unit_of_work() as db:
            root = db.execute(text(
                "SELECT rootpage FROM sqlite_master WHERE name = 'scratch'")).scalar_one()
        with open(path, "r+b") as f:  # behind the open vault's back, a page not read yet
            f.seek((root - 1) * 4096 + 1000)
            f.write(b"\xff" * 8)
        with pytest.raises(VaultDamaged) as read, later.unit_of_work() as db:
            db.execute(text("SELECT max(body) FROM scratch")).all()
        message = read.value.message
        assert "damaged" in message and "nothing more will be saved" in message
        assert "not a Group Leader vault" not in message
        assert later.damage is read.value
        with pytest.raises(VaultDamaged) as write:
            ops_groups.create_group(later, GROUP)
        assert write.value.message == message
    finally:
        later.close()
