"""Unlocking again after a lock checks every page again, as the first open did.

An earlier version skipped the check for a file exactly as this program had closed it
(its size, times and inode unchanged). A failing disk changes bytes without changing any
of those, so the skip let a damaged vault open and take writes; the check now runs on
every open (behind the first view in the window, `check_pages_later`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import text

from groupleader.data import vault as vault_module
from groupleader.data.vault import Vault
from groupleader.errors import VaultDamaged
from tests.conftest import PASSPHRASE, TEST_KDF_ITER, open_vault


def _write(vault: Vault, n: int = 60) -> None:
    for i in range(n):
        with vault.unit_of_work() as db:
            db.execute(text("CREATE TABLE IF NOT EXISTS scratch (id INTEGER PRIMARY KEY, b TEXT)"))
            db.execute(text("INSERT INTO scratch (b) VALUES (:b)"), {"b": f"row {i} " + "y" * 300})


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files whose pages were checked at open, in order."""
    seen: list[Path] = []
    real = vault_module._refuse_damaged_pages

    def counted(raw: object, path: Path) -> None:
        seen.append(path)
        real(raw, path)

    monkeypatch.setattr(vault_module, "_refuse_damaged_pages", counted)
    return seen


def _damage_keeping_times(path: Path) -> None:
    """Another program overwrites part of page 3 and sets the file's times back."""
    st = os.stat(path)
    with open(path, "r+b") as fh:
        fh.seek(2 * 4096 + 100)
        fh.write(b"\x00" * 64)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_every_open_after_this_programs_own_writes_checks_the_pages(
    vault: Vault, checks: list[Path]
) -> None:
    _write(vault)
    vault.close()  # locking closes the vault
    with open_vault(vault.path) as again:
        _write(again, 5)
    with open_vault(vault.path) as third:
        assert third.verify().problems == []
    assert checks == [vault.path, vault.path]


def test_damage_with_the_files_times_set_back_is_refused_on_unlock_again(
    vault: Vault, checks: list[Path]
) -> None:
    _write(vault)
    vault.close()
    with open_vault(vault.path):
        pass  # unlocked and locked again, nothing written
    _damage_keeping_times(vault.path)
    with pytest.raises(VaultDamaged):
        open_vault(vault.path)
    assert checks == [vault.path, vault.path]


def test_the_windows_unlock_again_checks_behind_the_first_view(vault: Vault) -> None:
    """The window's open (`check_pages_later`) after a lock: the damage is found behind
    the view, and every write is refused from then on."""
    _write(vault)
    vault.close()
    first = Vault.open(vault.path, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER,
                       check_pages_later=True)
    assert first.page_check(timeout=30) is None
    first.close()
    _damage_keeping_times(vault.path)
    again = Vault.open(vault.path, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER,
                       check_pages_later=True)
    try:
        found = again.page_check(timeout=30)
        assert isinstance(found, VaultDamaged) and "page 3" in found.message
        with pytest.raises(VaultDamaged):
            _write(again, 1)
    finally:
        again.close()
