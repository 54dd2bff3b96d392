"""A crash in the middle of a write in rollback-journal mode (the vault returns to one file
on close) leaves `<vault>-journal` beside it: a hot journal. Only a connection that may
write can finish it, so a read-only open (`verify`, a vault on a read-only drive) says so
and changes nothing, and never advises copying the vault file alone (that copy holds the
torn write's pages). The program's own open finishes it, and verify then passes.

The child process writes a big transaction in rollback-journal mode with a page cache of
one page, so pages of the unfinished write reach the vault file, and dies before its
commit (`os._exit`): a real hot journal, as a kill during close leaves.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from groupleader.data.vault import Vault
from groupleader.errors import UnfinishedWrite
from tests.conftest import PASSPHRASE, TEST_KDF_ITER

CHILD = textwrap.dedent("""
    import os, sys
    import sqlcipher3
    from groupleader.data.vault import key_connection
    raw = sqlcipher3.connect(sys.argv[1], isolation_level=None)
    key_connection(raw, sys.argv[3], int(sys.argv[2]))
    assert raw.execute("PRAGMA journal_mode").fetchone()[0].lower() == "delete"
    raw.execute("PRAGMA cache_size = 1")  # the write spills into the vault file at once
    raw.execute("BEGIN IMMEDIATE")
    raw.execute("CREATE TABLE spill (t TEXT)")
    raw.executemany("INSERT INTO spill VALUES (?)", [("x" * 3000,) for _ in range(200)])
    os._exit(0)  # killed before the commit
""")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def crashed(tmp_path: Path) -> Path:
    """A closed vault (one file), then a process killed in the middle of a write to it."""
    path = tmp_path / "v.vault"
    Vault.create(path, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER).close()
    subprocess.run([sys.executable, "-c", CHILD, str(path), str(TEST_KDF_ITER), PASSPHRASE],
                   check=True, cwd=Path(__file__).resolve().parents[2], timeout=60)
    journal = path.with_name("v.vault-journal")
    assert journal.stat().st_size > 0, "the child left no hot journal"
    return path


def test_verify_of_a_vault_with_an_unfinished_write_says_open_it_first(crashed: Path) -> None:
    journal = crashed.with_name("v.vault-journal")
    before = (_digest(crashed), _digest(journal))
    with pytest.raises(UnfinishedWrite) as caught:
        Vault.open_for_verify(crashed, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER)
    said = caught.value.message
    assert "v.vault-journal" in said and "Open the vault in Group Leader once" in said
    assert "read-only" not in said and "copy the vault file" not in said.lower()
    assert (_digest(crashed), _digest(journal)) == before  # nothing changed


def test_the_programs_open_finishes_the_write_and_verify_then_passes(crashed: Path) -> None:
    vault = Vault.open(crashed, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER)
    try:
        assert vault.pragma("integrity_check") == "ok"
        with vault.unit_of_work() as db:
            from sqlalchemy import text

            assert db.execute(text("SELECT count(*) FROM sqlite_master WHERE name = 'spill'")
                              ).scalar_one() == 0  # the unfinished write was undone
    finally:
        vault.close()
    assert not crashed.with_name("v.vault-journal").exists()
    checked = Vault.open_for_verify(crashed, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER)
    try:
        assert checked.verify().problems == []
    finally:
        checked.close()


def test_on_a_read_only_folder_the_advice_is_to_copy_both_files(
        crashed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from groupleader.data import vault as vault_module

    monkeypatch.setattr(vault_module, "_writable", lambda _path: False)  # a read-only drive
    with pytest.raises(UnfinishedWrite) as caught:
        Vault.open(crashed, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER)
    said = caught.value.message
    assert "read-only" in said and "together with v.vault-journal" in said
    assert crashed.with_name("v.vault-journal").stat().st_size > 0  # left as it was
