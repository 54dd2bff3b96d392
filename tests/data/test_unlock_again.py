"""Unlocking again after a lock: a vault file exactly as this program closed it (after its
page check at open, with only this program's writes since) opens without reading every
page again; any other write to it, while it was closed or while it was open, and the
page check runs, so a damaged page is still refused at open."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import text

from groupleader.data import vault as vault_module
from groupleader.data.vault import Vault
from groupleader.errors import VaultDamaged
from tests.conftest import open_vault


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


def test_a_vault_as_this_program_closed_it_opens_without_the_page_check(
    vault: Vault, checks: list[Path]
) -> None:
    _write(vault)
    vault.close()  # locking closes the vault
    with open_vault(vault.path) as again:
        _write(again, 5)
    with open_vault(vault.path) as third:
        assert third.verify().problems == []
    assert checks == []  # created here, then only this program's own writes


def test_a_write_while_it_was_closed_makes_the_page_check_run(
    vault: Vault, checks: list[Path]
) -> None:
    _write(vault)
    vault.close()
    _damage_keeping_times(vault.path)  # the inode's change time still moves
    with pytest.raises(VaultDamaged):
        open_vault(vault.path)
    assert checks == [vault.path]


def test_a_write_by_another_program_while_open_makes_the_next_open_check(
    vault: Vault, checks: list[Path]
) -> None:
    _write(vault)
    vault.close()
    again = open_vault(vault.path)
    _damage_keeping_times(vault.path)  # behind the open vault's back
    again.close()
    with pytest.raises(VaultDamaged):
        open_vault(vault.path)
    assert checks == [vault.path]


def test_a_file_put_in_its_place_is_checked(vault: Vault, checks: list[Path],
                                            tmp_path: Path) -> None:
    _write(vault)
    backup = vault.backup_to(tmp_path / "b.vault")
    _write(vault, 5)
    vault.close()
    os.replace(backup, vault.path)  # a restore by hand: another file under the name
    with open_vault(vault.path) as restored:
        assert restored.verify().problems == []
    assert checks == [vault.path]
