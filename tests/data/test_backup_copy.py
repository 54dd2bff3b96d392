"""A backup of a vault in WAL mode: the WAL checkpointed into the file under the vault's
lock, then the file's own bytes copied, with progress; one file that holds every save."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from groupleader.data import backups
from groupleader.data import vault as vault_module
from groupleader.data.vault import Vault
from tests.conftest import open_vault


class Stop(Exception):
    pass


def _write(vault: Vault, n: int) -> None:
    for i in range(n):
        with vault.unit_of_work() as db:
            db.execute(text("CREATE TABLE IF NOT EXISTS scratch (id INTEGER PRIMARY KEY, b TEXT)"))
            db.execute(text("INSERT INTO scratch (b) VALUES (:b)"), {"b": f"row {i} " + "y" * 900})


def _rows(vault: Vault) -> int:
    with vault.unit_of_work() as db:
        return int(db.execute(text("SELECT count(*) FROM scratch")).scalar_one())


def test_a_backup_taken_in_wal_mode_is_one_file_with_every_save(
    vault: Vault, tmp_path: Path
) -> None:
    _write(vault, 200)
    assert vault.pragma("journal_mode") == "wal"
    heard: list[tuple[int, int]] = []
    folder = tmp_path / "backups"
    folder.mkdir()
    dest = backups.make_backup(vault, folder, progress=lambda d, t: heard.append((d, t)))
    assert heard and heard[-1][0] == heard[-1][1] == dest.stat().st_size
    assert [p.name for p in folder.iterdir()] == [dest.name]  # no -wal or -shm beside it
    _write(vault, 1)  # the vault goes on in WAL mode after the backup
    assert vault.pragma("journal_mode") == "wal"
    with open_vault(dest) as copy:
        assert copy.pragma("journal_mode") == "delete"
        assert _rows(copy) == 200


def test_a_cancelled_backup_leaves_nothing(vault: Vault, tmp_path: Path) -> None:
    _write(vault, 300)

    def cancel(done: int, total: int) -> None:
        raise Stop

    folder = tmp_path / "backups"
    folder.mkdir()
    with pytest.raises(Stop):
        backups.make_backup(vault, folder, progress=cancel)
    assert list(folder.iterdir()) == []
    assert _rows(vault) == 300


def test_a_backup_where_the_kernel_cannot_copy_is_the_same_bytes(
    vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Across file systems (or on an old kernel) `copy_file_range` refuses; the copy is then
    read and written by the program, with the same bytes and the same progress."""
    import errno
    import os

    _write(vault, 300)

    def refuse(*_args: object) -> int:
        raise OSError(errno.EXDEV, "cross-device")

    monkeypatch.setattr(os, "copy_file_range", refuse, raising=False)
    monkeypatch.setattr(vault_module, "_COPY_CHUNK", 64 * 1024)  # several pieces
    heard: list[tuple[int, int]] = []
    dest = vault.backup_to(tmp_path / "b.vault", progress=lambda d, t: heard.append((d, t)))
    assert dest.read_bytes() == vault.path.read_bytes()
    assert len(heard) > 1 and heard[-1][0] == heard[-1][1] == dest.stat().st_size
