"""Backups carry their vault's identity: rotation deletes only this vault's own backups,
and a backup is restored to a new file by the one data-layer function."""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from groupleader.data import backups
from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import query
from groupleader.data.services import groups
from groupleader.data.snapshots import ClinicianSpec, GroupSpec
from groupleader.data.vault import Vault
from groupleader.errors import GroupLeaderError, VaultDamaged, VaultExists
from tests.conftest import PASSPHRASE, TEST_KDF_ITER, open_vault


def _clinic(folder: Path, group: str) -> Vault:
    """A vault called clinic.vault in `folder`, holding one group named `group`."""
    folder.mkdir()
    vault = Vault.create(folder / "clinic.vault", PASSPHRASE, test_kdf_iter=TEST_KDF_ITER)
    lead = ops_groups.create_clinician(vault, ClinicianSpec("Dr A", "leader")).value
    ops_groups.create_group(vault, GroupSpec(group, "support", (lead.id,)))
    return vault


def _groups_in(backup: Path) -> list[str]:
    with open_vault(backup) as copy:
        return [g.name for g in query(copy, groups.list_groups)]


def test_two_same_named_vaults_sharing_a_backup_folder_each_keep_their_own(
        tmp_path: Path) -> None:
    shared = tmp_path / "usb-backups"
    shared.mkdir()
    first, second = _clinic(tmp_path / "office", "Office"), _clinic(tmp_path / "home", "Home")
    try:
        written: dict[str, list[Path]] = {"Office": [], "Home": []}
        for _ in range(5):  # interleaved, as two computers writing to one stick would
            written["Office"].append(backups.make_backup(first, shared, keep=3))
            written["Home"].append(backups.make_backup(second, shared, keep=3))
        mine = backups.list_backups(shared, first.path)
        theirs = backups.list_backups(shared, second.path)
    finally:
        first.close()
        second.close()
    assert mine == written["Office"][-3:] and theirs == written["Home"][-3:]
    assert sorted(shared.iterdir()) == sorted(mine + theirs)  # both kept their 3
    assert {g for b in mine for g in _groups_in(b)} == {"Office"}
    assert {g for b in theirs for g in _groups_in(b)} == {"Home"}


def test_rotation_never_deletes_what_it_cannot_prove_is_this_vaults_backup(
        vault: Vault, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    identity = backups.vault_identity(vault.path)
    assert identity is not None
    old_style = folder / f"{vault.path.stem}.backup-20200101T000000000000Z.vault"
    old_style.write_bytes(os.urandom(4096))  # named the old way: any vault of that name
    outside = tmp_path / "elsewhere.vault"
    outside.write_bytes(os.urandom(4096))
    link = folder / backups.backup_name(vault.path, datetime(2020, 1, 2, tzinfo=UTC))
    link.symlink_to(outside)  # this vault's name, but a link to another file
    plain = folder / backups.backup_name(vault.path, datetime(2020, 1, 3, tzinfo=UTC))
    sqlite3.connect(plain).execute("CREATE TABLE t (x)").connection.close()  # not encrypted
    strangers = [old_style, link, plain]

    for _ in range(3):
        backups.make_backup(vault, folder, keep=1)

    assert all(os.path.lexists(p) for p in strangers) and outside.exists()
    assert len(backups.list_backups(folder, vault.path)) == 3  # 1 real + the link and plain


def test_after_a_passphrase_change_the_older_backups_are_kept_never_deleted(
    vault: Vault, tmp_path: Path
) -> None:
    """`passwd` writes a new file (a new salt, so a new id): rotation can no longer prove
    the older backups are this vault's, so it keeps them all (docs/outputs.md)."""
    folder = tmp_path / "b"
    folder.mkdir()
    older = [backups.make_backup(vault, folder, keep=2) for _ in range(2)]
    before = backups.vault_identity(vault.path)
    vault.change_passphrase(PASSPHRASE, "another long passphrase")
    assert backups.vault_identity(vault.path) != before
    for _ in range(3):
        backups.make_backup(vault, folder, keep=1)
    assert all(p.exists() for p in older)
    assert len(backups.list_backups(folder, vault.path)) == 1


def test_a_long_vault_name_still_gives_a_backup_name_that_fits(tmp_path: Path) -> None:
    name = "é" * 120 + ".vault"  # 246 bytes
    with Vault.create(tmp_path / name, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER) as vault:
        folder = tmp_path / "b"
        folder.mkdir()
        written = [backups.make_backup(vault, folder, keep=2) for _ in range(3)]
        assert all(len(os.fsencode(p.name)) <= 255 for p in written)
        assert backups.list_backups(folder, vault.path) == written[-2:]


def test_restore_copies_to_a_new_private_file_and_never_over_one(
        vault: Vault, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    backup = backups.make_backup(vault, folder)
    new = backups.restore_backup(backup, tmp_path / "restored.vault")
    assert new.read_bytes() == backup.read_bytes()
    assert new.stat().st_mode & 0o777 == 0o600
    open_vault(new).close()
    with pytest.raises(VaultExists):
        backups.restore_backup(backup, new)
    with pytest.raises(GroupLeaderError, match="vault itself|already exists"):
        backups.restore_backup(backup, vault.path, vault.path)


@pytest.mark.parametrize(("content", "says"), [
    (b"", "empty"),
    (None, "unencrypted SQLite"),
    (b"\x01" * 700, "cut short"),
])
def test_restore_refuses_a_file_that_cannot_be_a_backup(
        tmp_path: Path, content: bytes | None, says: str) -> None:
    source = tmp_path / "not-a-backup.vault"
    if content is None:
        sqlite3.connect(source).execute("CREATE TABLE t (x)").connection.close()
    else:
        source.write_bytes(content)
    with pytest.raises(VaultDamaged, match=says):
        backups.restore_backup(source, tmp_path / "new.vault")
    assert not (tmp_path / "new.vault").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-backup.vault"]


def test_a_file_that_appears_at_the_target_during_a_restore_is_not_replaced(
        vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    backup = backups.make_backup(vault, folder)
    target = tmp_path / "restored.vault"
    real_copy = backups.shutil.copyfileobj

    def copy_while_another_program_writes_there(*args: object) -> None:
        target.write_bytes(b"another program's file")  # after the check, before the rename
        real_copy(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(backups.shutil, "copyfileobj", copy_while_another_program_writes_there)
    with pytest.raises(VaultExists):
        backups.restore_backup(backup, target)
    assert target.read_bytes() == b"another program's file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backups", "restored.vault", "v.vault",
                                                          "v.vault.lock"]


def test_rotation_keeps_a_file_named_like_our_backup_that_holds_another_vault(
    vault: Vault, vault_factory: Any, tmp_path: Path
) -> None:
    """A name alone proves nothing: the file's own salt must be this vault's."""
    folder = tmp_path / "shared"
    folder.mkdir()
    other = vault_factory("other.vault")
    other.close()
    stranger = folder / backups.backup_name(vault.path, datetime(2020, 1, 2, tzinfo=UTC))
    shutil.copyfile(other.path, stranger)
    for _ in range(3):
        backups.make_backup(vault, folder, keep=1)
    assert stranger.exists()
