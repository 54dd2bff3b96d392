"""The vault file: encryption at rest, passphrases, locking, damage, backups, threads."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
import sqlcipher3
from sqlalchemy import text

from groupleader.data.vault import Vault, attached_keyed, key_connection
from groupleader.errors import (
    InvalidInput,
    VaultDamaged,
    VaultExists,
    VaultInUse,
    VaultMissing,
    VaultTooNew,
    WrongPassphrase,
)
from tests.conftest import PASSPHRASE, TEST_KDF_ITER, open_vault

MARKER = "Zebrafinch-7781 spoke about her father"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_scratch(vault: Vault, value: str) -> None:
    with vault.unit_of_work() as db:
        db.execute(text("CREATE TABLE IF NOT EXISTS scratch (id INTEGER PRIMARY KEY, body TEXT)"))
        db.execute(text("INSERT INTO scratch (body) VALUES (:b)"), {"b": value})


def read_scratch(vault: Vault) -> list[str]:
    with vault.unit_of_work() as db:
        return [r[0] for r in db.execute(text("SELECT body FROM scratch ORDER BY id"))]


def files_containing(folder: Path, needle: bytes) -> list[Path]:
    hits = []
    for p in folder.rglob("*"):
        if p.is_file() and needle in p.read_bytes():
            hits.append(p)
    return hits


def test_connection_settings_hold(vault: Vault) -> None:
    assert vault.pragma("temp_store") == 2  # MEMORY: SQLCipher does not encrypt temp files
    assert vault.pragma("foreign_keys") == 1
    assert vault.pragma("secure_delete") == 1
    assert vault.pragma("journal_mode") == "delete"
    assert vault.pragma("cipher_version").startswith("4.")


def test_marker_never_in_the_clear(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setenv("SQLITE_TMPDIR", str(temp))
    vault = Vault.create(tmp_path / "v.vault", PASSPHRASE, test_kdf_iter=TEST_KDF_ITER)
    journal = Path(str(vault.path) + "-journal")
    wal = Path(str(vault.path) + "-wal")
    # The first write goes through the rollback journal (opening wrote nothing); leave a
    # change in it: it holds the old pages.
    write_scratch(vault, f"{MARKER} first")
    with vault.unit_of_work() as db:
        db.execute(text("UPDATE scratch SET body = body || ' again'"))
        db.flush()
        assert journal.exists() or wal.exists()
        for side in (journal, wal):
            assert not side.exists() or MARKER.encode() not in side.read_bytes()
    for i in range(300):
        write_scratch(vault, f"{MARKER} {i} " + "x" * 200)
    # Those writes went to the write-ahead log, which holds them while the vault is open.
    assert vault.pragma("journal_mode") == "wal"
    assert wal.stat().st_size > 300 * 200
    assert MARKER.encode() not in wal.read_bytes()
    assert MARKER.encode("utf-16-le") not in wal.read_bytes()
    # A big sort would spill to a temp file if the temp store were on disk.
    with vault.unit_of_work() as db:
        rows = db.execute(text("SELECT body FROM scratch ORDER BY body DESC, random()")).all()
        assert len(rows) == 301
    with vault.unit_of_work() as db:
        db.execute(text("UPDATE scratch SET body = 'gone'"))
        db.flush()
        assert MARKER.encode() not in wal.read_bytes()
    vault.backup_to(tmp_path / "backup.vault", PASSPHRASE)
    vault.close()
    needle = MARKER.encode()
    assert files_containing(tmp_path, needle) == []
    assert files_containing(tmp_path, MARKER.encode("utf-16-le")) == []
    assert not journal.exists()
    with open_vault(tmp_path / "backup.vault") as copy:
        assert read_scratch(copy)[0] == "gone"


def test_an_open_vault_writes_through_a_wal_and_a_closed_one_is_one_file(
    tmp_path: Path,
) -> None:
    """WAL while open, after the first write (opening writes nothing); closing checkpoints
    it into the file and returns to the rollback journal: no -wal or -shm is left, and a
    reader that knows nothing of WAL finds every save in the file alone."""
    vault = Vault.create(tmp_path / "v.vault", PASSPHRASE, test_kdf_iter=TEST_KDF_ITER)
    assert vault.pragma("journal_mode") == "delete"
    for i in range(20):
        write_scratch(vault, f"save {i}")
    assert vault.pragma("journal_mode") == "wal"
    assert vault.pragma("synchronous") == 2  # FULL: a commit is on the disk (decisions.md)
    vault.close()
    beside = [p.name for p in tmp_path.iterdir() if p.name.startswith("v.vault-")]
    assert beside == []  # no -wal, -shm or -journal
    alone = tmp_path / "alone.vault"
    alone.write_bytes(vault.path.read_bytes())  # the file by itself, nothing beside it
    with open_vault(alone) as copy:
        assert copy.pragma("journal_mode") == "delete"  # it was left in rollback mode
        assert len(read_scratch(copy)) == 20


def test_wrong_passphrase_changes_nothing(vault: Vault) -> None:
    write_scratch(vault, MARKER)
    path = vault.path
    vault.close()
    before = sha256(path)
    with pytest.raises(WrongPassphrase) as info:
        open_vault(path, "not the passphrase")
    assert "passphrase" in info.value.message
    assert sha256(path) == before
    with open_vault(path) as again:  # and the failed attempt left no lock behind
        assert read_scratch(again) == [MARKER]


def test_change_passphrase(vault: Vault) -> None:
    write_scratch(vault, MARKER)
    with pytest.raises(WrongPassphrase):
        vault.change_passphrase("not the old one", "a brand new passphrase")
    vault.change_passphrase(PASSPHRASE, "a brand new passphrase")
    path = vault.path
    vault.close()
    with pytest.raises(WrongPassphrase):
        open_vault(path, PASSPHRASE)
    with open_vault(path, "a brand new passphrase") as again:
        assert read_scratch(again) == [MARKER]


@pytest.mark.parametrize(
    "phrase",
    [
        "it's my 'quoted' one",
        'double "quotes" here',
        "semi;colon; DROP TABLE x;--",
        "Grüße, Ἀθηνᾶ, Привет, שלום, مرحبا 😀",
        " ".join(hashlib.sha256(str(i).encode()).hexdigest()[:8] for i in range(111)),
    ],
)
def test_awkward_passphrases(tmp_path: Path, phrase: str) -> None:
    vault = Vault.create(tmp_path / "v.vault", phrase, test_kdf_iter=TEST_KDF_ITER)
    write_scratch(vault, MARKER)
    vault.backup_to(tmp_path / "b.vault", phrase)
    vault.close()
    for name in ("v.vault", "b.vault"):
        with open_vault(tmp_path / name, phrase) as again:
            assert read_scratch(again) == [MARKER]
        with pytest.raises(WrongPassphrase):
            open_vault(tmp_path / name, phrase[:-1] + "?")


def test_short_or_nul_passphrase_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput):
        Vault.create(tmp_path / "v.vault", "short", test_kdf_iter=TEST_KDF_ITER)
    with pytest.raises(InvalidInput):
        Vault.create(tmp_path / "v.vault", "long enough\x00but nul", test_kdf_iter=TEST_KDF_ITER)
    assert not (tmp_path / "v.vault").exists()


def test_create_never_overwrites(vault: Vault) -> None:
    with pytest.raises(VaultExists):
        Vault.create(vault.path, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER)


def test_second_opener_in_same_process_is_refused(vault: Vault) -> None:
    with pytest.raises(VaultInUse):
        open_vault(vault.path)
    path = vault.path
    vault.close()
    open_vault(path).close()


CHILD = textwrap.dedent(
    """
    import sys, time
    from sqlalchemy import text
    from groupleader.data.vault import Vault
    v = Vault.open(sys.argv[1], sys.argv[2], test_kdf_iter=int(sys.argv[3]))
    for i in range(5):
        with v.unit_of_work() as db:
            db.execute(text("INSERT INTO scratch (body) VALUES (:b)"), {"b": f"child {i}"})
    print("ready", flush=True)
    time.sleep(60)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_in_use_by_another_process_and_no_stale_lock_after_kill(vault: Vault) -> None:
    write_scratch(vault, "parent")
    path = vault.path
    vault.close()
    with subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), PASSPHRASE, str(TEST_KDF_ITER)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
    ) as child:
        try:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "ready"
            with pytest.raises(VaultInUse) as info:
                open_vault(path)
            assert "another" in info.value.message
            os.kill(child.pid, signal.SIGKILL)
            child.wait(10)
        finally:
            child.kill()
            child.wait(10)
    with open_vault(path) as again:
        assert read_scratch(again) == ["parent"] + [f"child {i}" for i in range(5)]
        assert again.integrity_problems() == []


def test_zero_byte_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    empty = tmp_path / "empty.vault"
    empty.touch()
    with pytest.raises(VaultDamaged) as info:
        open_vault(empty)
    assert "empty" in info.value.message
    assert empty.stat().st_size == 0


def test_missing_file_is_not_created(tmp_path: Path) -> None:
    with pytest.raises(VaultMissing):
        open_vault(tmp_path / "nothing.vault")
    assert not (tmp_path / "nothing.vault").exists()


@pytest.mark.parametrize("damage", ["truncate", "garbage", "plain_sqlite", "second_page"])
def test_damaged_files_give_a_clear_error(vault: Vault, tmp_path: Path, damage: str) -> None:
    for i in range(200):
        write_scratch(vault, f"row {i} " + "y" * 100)
    path = vault.path
    vault.close()
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 2 + 100])
    elif damage == "garbage":
        path.write_bytes(os.urandom(len(data)))
    elif damage == "plain_sqlite":
        path.unlink()
        import sqlite3

        with sqlite3.connect(path) as plain:
            plain.execute("CREATE TABLE t (x)")
    else:
        page = 4096
        path.write_bytes(data[:page] + os.urandom(page) + data[2 * page :])
    with pytest.raises((VaultDamaged, WrongPassphrase)) as info:
        vault_again = open_vault(path)
        try:
            read_scratch(vault_again)
            problems = vault_again.integrity_problems()
        finally:
            vault_again.close()
        if problems:
            raise VaultDamaged()
    if damage in ("truncate", "plain_sqlite", "second_page"):
        assert isinstance(info.value, VaultDamaged)


def test_newer_version_is_refused_untouched(vault: Vault) -> None:
    with vault.unit_of_work() as db:
        db.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)"))
        db.execute(text("INSERT INTO alembic_version VALUES ('9999_from_the_future')"))
    path = vault.path
    vault.close()
    before = sha256(path)
    with pytest.raises(VaultTooNew):
        open_vault(path)
    assert sha256(path) == before


def test_eight_threads_writing_at_once(vault: Vault) -> None:
    write_scratch(vault, "start")
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(25):
                with vault.unit_of_work() as db:
                    db.execute(text("INSERT INTO scratch (body) VALUES (:b)"), {"b": f"{n}-{i}"})
        except BaseException as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    rows = set(read_scratch(vault))
    assert rows == {"start"} | {f"{n}-{i}" for n in range(8) for i in range(25)}


def test_backup_is_encrypted_and_opens_with_the_same_passphrase(
    vault: Vault, tmp_path: Path
) -> None:
    write_scratch(vault, MARKER)
    (tmp_path / "backups").mkdir()
    dest = vault.backup_to(tmp_path / "backups" / "copy.vault", PASSPHRASE)
    assert MARKER.encode() not in dest.read_bytes()
    assert not list(dest.parent.glob("*.partial"))
    with pytest.raises(WrongPassphrase):
        vault.backup_to(tmp_path / "other.vault", "someone else's passphrase")
    assert not (tmp_path / "other.vault").exists()
    with open_vault(dest) as copy:
        assert read_scratch(copy) == [MARKER]


def test_backup_to_unwritable_folder_leaves_nothing(vault: Vault, tmp_path: Path) -> None:
    from groupleader.errors import GroupLeaderError

    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    with pytest.raises(GroupLeaderError, match="not a folder"):
        vault.backup_to(blocked / "copy.vault", PASSPHRASE)
    assert blocked.read_text() == "x"


def test_deleted_vault_refuses_writes_with_a_clear_message(vault: Vault) -> None:
    from groupleader.errors import StorageError

    write_scratch(vault, "before")
    vault.path.rename(vault.path.with_name("moved.vault"))
    with pytest.raises(StorageError) as info:
        write_scratch(vault, "after")
    assert "moved or deleted" in info.value.message


def test_production_vault_is_standard_sqlcipher4(tmp_path: Path) -> None:
    """With default settings the file opens in any SQLCipher 4 tool with the passphrase alone."""
    path = tmp_path / "prod.vault"
    vault = Vault.create(path, PASSPHRASE)
    assert int(vault.pragma("kdf_iter")) == 256000
    write_scratch(vault, MARKER)
    vault.close()
    raw = sqlcipher3.connect(str(path))
    raw.execute("PRAGMA key = 'correct horse battery staple'")
    assert raw.execute("SELECT body FROM scratch").fetchall() == [(MARKER,)]
    raw.close()


def test_integrity_problems_empty_for_a_sound_vault(vault: Vault) -> None:
    write_scratch(vault, MARKER)
    assert vault.integrity_problems() == []


def test_backups_rotate_to_the_newest_n(vault: Vault, tmp_path: Path) -> None:
    from groupleader.data import backups

    folder = tmp_path / "backups"
    folder.mkdir()
    written = [backups.make_backup(vault, folder, keep=3) for _ in range(5)]
    kept = backups.list_backups(folder, vault.path)
    assert kept == written[-3:]
    assert backups.last_backup_time(folder, vault.path) is not None
    with open_vault(kept[-1]) as copy:
        assert copy.integrity_problems() == []


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_vault_and_backups_are_private_to_the_owner(vault: Vault, tmp_path: Path) -> None:
    backup = vault.backup_to(tmp_path / "b.vault")
    assert vault.path.stat().st_mode & 0o777 == 0o600
    assert backup.stat().st_mode & 0o777 == 0o600


def test_bulk_build_restores_full_sync(vault: Vault) -> None:
    with vault.bulk_build():
        assert vault.pragma("synchronous") == 0
        write_scratch(vault, MARKER)
    assert vault.pragma("synchronous") == 2
    assert read_scratch(vault) == [MARKER]


def test_last_saved_moves_on_writes_only(vault: Vault) -> None:
    write_scratch(vault, MARKER)
    assert vault.last_saved is not None
    vault.last_saved = None
    read_scratch(vault)
    assert vault.last_saved is None
    write_scratch(vault, "another")
    assert vault.last_saved is not None


def test_database_errors_never_quote_the_values(vault: Vault) -> None:
    """An unexpected database error names the statement, not the clinical text it carried."""
    write_scratch(vault, "first")
    with pytest.raises(Exception) as info, vault.unit_of_work() as db:
        db.execute(text("INSERT INTO scratch (id, body) VALUES (1, :b)"), {"b": MARKER})
    assert "UNIQUE" in str(info.value)
    assert MARKER not in str(info.value)
    assert read_scratch(vault) == ["first"]


def test_a_failed_create_leaves_no_file_and_no_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from groupleader.data import migrate

    def broken(*_args: object, **_kwargs: object) -> None:
        raise OSError("disk went away")

    monkeypatch.setattr(migrate, "upgrade", broken)
    with pytest.raises(OSError):
        Vault.create(tmp_path / "v.vault", PASSPHRASE, test_kdf_iter=TEST_KDF_ITER)
    assert not (tmp_path / "v.vault").exists()
    monkeypatch.undo()
    Vault.create(tmp_path / "v.vault", PASSPHRASE, test_kdf_iter=TEST_KDF_ITER).close()


def test_a_full_disk_gives_a_storage_error_and_changes_nothing(vault: Vault) -> None:
    """SQLITE_FULL (here from a page limit, as a full disk gives it): a calm error, no change."""
    from groupleader.errors import StorageError

    write_scratch(vault, "kept")
    pages = int(vault.pragma("page_count"))
    with vault.unit_of_work() as db:
        db.execute(text(f"PRAGMA max_page_count = {pages}"))
    with pytest.raises(StorageError) as info:
        write_scratch(vault, "x" * 200_000)
    assert "still here" in info.value.message
    assert read_scratch(vault) == ["kept"]
    with vault.unit_of_work() as db:
        db.execute(text("PRAGMA max_page_count = 1073741823"))
    write_scratch(vault, "after the disk was freed")
    assert read_scratch(vault) == ["kept", "after the disk was freed"]


def _raw(path: Path) -> sqlcipher3.Connection:
    return sqlcipher3.connect(str(path))


def test_one_keying_helper_reads_the_vault_and_its_backup(vault: Vault, tmp_path: Path) -> None:
    """`key_connection` keys the vault and the backups alike (same key, same test rounds)."""
    write_scratch(vault, MARKER)
    backup = vault.backup_to(tmp_path / "copy.vault")
    vault.close()
    for path in (vault.path, backup):
        raw = _raw(path)
        key_connection(raw, PASSPHRASE, TEST_KDF_ITER)
        assert raw.execute("SELECT body FROM scratch").fetchall() == [(MARKER,)]
        raw.close()
        for phrase, rounds in (("not the passphrase", TEST_KDF_ITER), (PASSPHRASE, None)):
            raw = _raw(path)  # a wrong passphrase, or the production rounds: no key fits
            with pytest.raises(sqlcipher3.DatabaseError, match="not a database"):
                key_connection(raw, phrase, rounds)
            raw.close()


def test_attached_keyed_makes_a_file_that_key_connection_opens(
    vault: Vault, tmp_path: Path
) -> None:
    write_scratch(vault, MARKER)
    vault.close()
    raw = _raw(vault.path)
    key_connection(raw, PASSPHRASE, TEST_KDF_ITER)
    target = tmp_path / "export.vault"
    with attached_keyed(raw, target, "target", "the target's passphrase", TEST_KDF_ITER):
        raw.execute("SELECT sqlcipher_export('target')")
    assert [r[1] for r in raw.execute("PRAGMA database_list")] == ["main"]  # detached
    raw.close()
    assert MARKER.encode() not in target.read_bytes()
    copy = _raw(target)
    key_connection(copy, "the target's passphrase", TEST_KDF_ITER)
    assert copy.execute("SELECT body FROM scratch").fetchall() == [(MARKER,)]
    copy.close()
    copy = _raw(target)
    with pytest.raises(sqlcipher3.DatabaseError, match="not a database"):
        key_connection(copy, "the target's passphrase", None)  # it has the test rounds
    copy.close()
