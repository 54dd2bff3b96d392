"""The vault on storage that refuses: opening writes nothing, read-only media open
read-only, a damaged page is named, a full disk never costs the passphrase, odd paths
are one calm sentence. See tests/storage_support.py for how the storage is made real."""

from __future__ import annotations

import contextlib
import json
import os
import textwrap
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3
from sqlalchemy import select, text

from groupleader.data import audit, backups
from groupleader.data import vault as vault_module
from groupleader.data.models import AuditEvent
from groupleader.data.operations import exports, query
from groupleader.data.operations import groups as ops_groups
from groupleader.data.services import groups
from groupleader.data.snapshots import ClinicianSpec, GroupSpec
from groupleader.data.vault import Vault
from groupleader.errors import (
    GroupLeaderError,
    InvalidInput,
    SignedNoteError,
    StorageError,
    VaultDamaged,
    VaultInUse,
    VaultReadOnly,
    WrongPassphrase,
)
from tests.conftest import PASSPHRASE, TEST_KDF_ITER, open_vault
from tests.storage_support import (
    damage_a_middle_page,
    read_only_mount,
    run_unprivileged,
    sha256,
    sidecars,
    small_filesystem,
)

GROUP = GroupSpec(name="Thursday group", kind="self_help")  # peer-led: no leader needed


def filled(vault: Vault) -> Path:
    """A vault with a few hundred rows (so it has middle pages), closed."""
    ops_groups.create_group(vault, GROUP)
    with vault.unit_of_work() as db:
        db.execute(text("CREATE TABLE scratch (id INTEGER PRIMARY KEY, body TEXT)"))
        for i in range(300):
            db.execute(text("INSERT INTO scratch (body) VALUES (:b)"), {"b": f"row {i} " * 20})
    vault.close()
    return vault.path


def actions(vault: Vault) -> list[str]:
    with vault.unit_of_work() as db:
        return list(db.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


# ---------------------------------------------------------------- opening writes nothing


def test_opening_verifying_exporting_and_backing_up_leave_every_byte(
    vault: Vault, tmp_path: Path
) -> None:
    path = filled(vault)
    before, events_before = sha256(path), None
    with open_vault(path) as v:
        events_before = len(actions(v))
    assert sha256(path) == before
    for run in range(3):  # every run, not only the first
        with open_vault(path) as v:
            assert v.integrity_problems() == []
            (tmp_path / "elsewhere").mkdir(exist_ok=True)
            (tmp_path / "backups").mkdir(exist_ok=True)
            v.backup_to(tmp_path / "elsewhere" / f"copy-{run}.vault")  # never replaces
            backups.make_backup(v, tmp_path / "backups")
            exports.record_export(v, exports.EXPORT, "meeting", 1, 2)
            exports.record_export(v, exports.PRINT, "group", 1)
            assert len(actions(v)) == events_before  # all of it waits in memory
        assert sha256(path) == before
        assert sidecars(path) == []


def test_waiting_events_join_the_chain_with_the_next_write_in_time_order(
    vault: Vault, tmp_path: Path
) -> None:
    path = filled(vault)
    with open_vault(path) as v:
        v.backup_to(tmp_path / "copy.vault")
        exports.record_export(v, exports.EXPORT, "meeting", 7)
        waiting = [(e.action, e.record_id) for e in v.pending_audit]
        assert waiting == [("vault.unlock", None), ("vault.backup", None),
                           ("export.pdf", 7)]
        first = len(actions(v))
        ops_groups.create_clinician(v, ClinicianSpec("Dr Rowe", "leader"))
        assert actions(v)[first:] == ["vault.unlock", "vault.backup", "export.pdf",
                                      "clinician.create"]
        assert v.pending_audit == ()
        with v.unit_of_work() as db:
            times = list(db.scalars(select(AuditEvent.at).order_by(AuditEvent.id)))
        assert times == sorted(times)
        assert v.integrity_problems() == []  # the chain holds


def test_a_write_with_no_event_of_its_own_still_writes_the_waiting_ones(vault: Vault) -> None:
    path = filled(vault)
    with open_vault(path) as v:
        first = len(actions(v))
        with v.unit_of_work() as db:
            db.execute(text("INSERT INTO scratch (body) VALUES ('x')"))
        assert actions(v)[first:] == ["vault.unlock"]
        assert v.integrity_problems() == []


def test_a_refused_write_keeps_the_waiting_events_for_the_next_one(vault: Vault) -> None:
    path = filled(vault)
    with open_vault(path) as v:
        first = len(actions(v))
        with pytest.raises(RuntimeError), v.unit_of_work() as db:
            audit.record(db, "test.write", "vault", None)  # the waiting events go first...
            raise RuntimeError("...and the unit fails: all of it rolls back")
        assert [e.action for e in v.pending_audit] == ["vault.unlock"]
        assert len(actions(v)) == first
        ops_groups.create_clinician(v, ClinicianSpec("Dr Rowe", "leader"))
        assert actions(v)[first:] == ["vault.unlock", "clinician.create"]


# ---------------------------------------------------------------- read-only media


PROBE = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from groupleader.data.operations import groups as ops_groups, query
    from groupleader.data.services import groups
    from groupleader.data.snapshots import ClinicianSpec
    from groupleader.data.vault import Vault
    from groupleader.errors import GroupLeaderError

    path, out, kdf = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    found = {}
    with Vault.open(path, THE_PASSPHRASE, test_kdf_iter=kdf) as v:
        found["read_only"] = v.read_only
        found["groups"] = [g.name for g in query(v, groups.list_groups)]
        found["problems"] = v.integrity_problems()
        found["backup"] = v.backup_to(out / "copy.vault").exists()
        for name, attempt in (
            ("write", lambda: ops_groups.create_clinician(v, ClinicianSpec("Dr X", "leader"))),
            ("passwd", lambda: v.change_passphrase(THE_PASSPHRASE, "another long passphrase")),
        ):
            try:
                attempt()
                found[name] = "written"
            except GroupLeaderError as err:
                found[name] = type(err).__name__ + ": " + err.message
    print(json.dumps(found))
""").replace("THE_PASSPHRASE", repr(PASSPHRASE))


@pytest.mark.parametrize("how", ["read-only file", "read-only folder"])
def test_without_write_permission_the_vault_opens_read_only_and_refuses_edits_calmly(
    vault: Vault, tmp_path: Path, how: str
) -> None:
    """In a process held to the permission bits (even when the tests run as root)."""
    ops_groups.create_group(vault, GROUP)
    vault.close()
    path, out, home = vault.path, tmp_path / "out", tmp_path / "home"
    out.mkdir()
    home.mkdir()
    if how == "read-only file":
        path.chmod(0o444)
    else:
        tmp_path.chmod(0o555)
    before = sha256(path)
    try:
        r = run_unprivileged(["-c", PROBE, path, out, str(TEST_KDF_ITER)], home)
    finally:
        tmp_path.chmod(0o755)
    assert r.returncode == 0, r.stderr
    found = json.loads(r.stdout)
    assert found["read_only"] is True
    assert found["groups"] == ["Thursday group"]
    assert found["problems"] == []
    assert found["backup"] is True  # to another folder
    assert found["write"].startswith("VaultReadOnly: ")
    assert "copy the vault file to a folder you can write to" in found["write"]
    assert found["passwd"].startswith("VaultReadOnly: ")
    assert sha256(path) == before
    assert sidecars(path) == []
    with open_vault(out / "copy.vault") as copy:
        assert [g.name for g in query(copy, groups.list_groups)] == ["Thursday group"]


def test_on_a_read_only_mount_even_root_gets_a_read_only_vault(
    vault: Vault, tmp_path: Path
) -> None:
    ops_groups.create_group(vault, GROUP)
    vault.close()
    before = sha256(vault.path)
    with read_only_mount(tmp_path):
        with open_vault(vault.path) as v:
            assert v.read_only
            assert [g.name for g in query(v, groups.list_groups)] == ["Thursday group"]
            assert v.integrity_problems() == []
            with pytest.raises(VaultReadOnly) as info:
                ops_groups.create_clinician(v, ClinicianSpec("Dr X", "leader"))
            assert "read-only" in info.value.message
            with pytest.raises(VaultReadOnly):
                v.change_passphrase(PASSPHRASE, "another long passphrase")
            with pytest.raises(VaultInUse):  # the lock holds without a writable folder
                open_vault(vault.path)
        assert sha256(vault.path) == before


def test_a_writable_vault_is_not_read_only(vault: Vault) -> None:
    assert not vault.read_only
    vault.close()
    with open_vault(vault.path) as again:
        assert not again.read_only


# ---------------------------------------------------------------- a damaged page


def test_one_damaged_middle_page_refuses_the_vault_and_names_the_page(vault: Vault) -> None:
    path = filled(vault)
    page = damage_a_middle_page(path)
    damaged = sha256(path)
    with pytest.raises(VaultDamaged) as info:
        open_vault(path)
    err = info.value
    assert err.path == path
    assert err.details and f"page {page} of" in err.details[0]
    assert "damaged" in err.message and "nothing in it was changed" in err.message
    assert sha256(path) == damaged  # opening did not touch it
    with pytest.raises(VaultDamaged):  # and no lock was left behind
        open_vault(path)


def test_damage_while_open_is_reported_by_the_checks_not_raised(vault: Vault) -> None:
    path = filled(vault)
    with open_vault(path) as v:
        damage_a_middle_page(path)
        problems = v.integrity_problems()
    assert any(p.startswith("page check: page ") for p in problems), problems


def test_the_advice_names_the_newest_backup_of_this_vault(
    vault: Vault, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    older = backups.make_backup(vault, folder)
    newest = backups.make_backup(vault, folder)
    other = vault.path.with_name("other.vault")
    assert older.name < newest.name
    advice = backups.restore_advice(vault.path, [tmp_path / "nowhere", folder])
    assert str(newest) in advice and str(older) not in advice
    assert "keep the damaged file" in advice
    none = backups.restore_advice(other, [folder])
    assert "No backup of it was found in " + str(folder) in none


# ---------------------------------------------------------------- a full disk


def _fill_until_full(folder: Path) -> None:
    with open(folder / "filler", "wb") as fh, pytest.raises(OSError):
        while True:
            fh.write(b"\0" * 65536)
            fh.flush()


def test_passwd_on_a_really_full_disk_changes_nothing(
    vault_factory: Callable[..., Vault], tmp_path: Path
) -> None:
    """A real small filesystem (root may mount one; CI runs as root)."""
    made = filled(vault_factory())
    size = made.stat().st_size
    with small_filesystem(tmp_path / "disk", size + size // 2) as disk:
        path = disk / "clinic.vault"
        path.write_bytes(made.read_bytes())
        before = sha256(path)
        with open_vault(path) as v:
            with pytest.raises(StorageError) as info:
                v.change_passphrase(PASSPHRASE, "a new and longer passphrase")
            message = info.value.message
            assert message.startswith("The passphrase was not changed: there is not enough "
                                      "free space")
            assert "the current passphrase still opens the vault" in message
            with v.unit_of_work() as db:  # the open vault still reads, and still writes
                db.execute(text("INSERT INTO scratch (body) VALUES ('after')"))
        assert sorted(p.name for p in disk.iterdir()) == ["clinic.vault", "clinic.vault.lock"]
        with pytest.raises(WrongPassphrase):
            open_vault(path, "a new and longer passphrase")
        with open_vault(path) as v:
            assert v.integrity_problems() == []
            with v.unit_of_work() as db:
                assert db.execute(text("SELECT count(*) FROM scratch")).scalar() == 301
            _fill_until_full(disk)
            assert sha256(path) != before  # the write above is in
            with pytest.raises(StorageError):
                v.change_passphrase(PASSPHRASE, "a new and longer passphrase")
        with open_vault(path) as v:  # opening a vault on a full disk writes nothing
            assert v.integrity_problems() == []


def test_passwd_with_an_injected_storage_error_changes_nothing(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Always runs: SQLite itself reports SQLITE_FULL while the new copy is written (its
    page limit reached, as on a full disk), whatever the machine allows."""
    path = filled(vault)
    real = vault_module.attached_keyed

    @contextlib.contextmanager
    def filling_up(raw: Any, new: Path, schema: str, phrase: str, kdf: int | None
                   ) -> Iterator[None]:
        with real(raw, new, schema, phrase, kdf):
            raw.execute(f"PRAGMA {schema}.max_page_count = 3")
            yield

    monkeypatch.setattr(vault_module, "attached_keyed", filling_up)
    before = sha256(path)
    with open_vault(path) as v:
        with pytest.raises(StorageError) as info:
            v.change_passphrase(PASSPHRASE, "a new and longer passphrase")
        assert info.value.message.startswith("The passphrase was not changed: ")
        assert info.value.message.endswith("the current passphrase still opens the vault.")
        assert sha256(path) == before
        with v.unit_of_work() as db:  # writes after the failure go in with the old key
            db.execute(text("INSERT INTO scratch (body) VALUES ('after')"))
    assert sorted(p.name for p in path.parent.iterdir()) == ["v.vault", "v.vault.lock"]
    with open_vault(path) as v:
        assert v.integrity_problems() == []
        with v.unit_of_work() as db:
            assert db.execute(text("SELECT count(*) FROM scratch")).scalar() == 301


def test_passwd_replaces_the_file_and_the_new_passphrase_opens_it(vault: Vault) -> None:
    path = filled(vault)
    with open_vault(path) as v:
        v.change_passphrase(PASSPHRASE, "a new and longer passphrase")
        with v.unit_of_work() as db:  # the reconnected vault goes on working
            db.execute(text("INSERT INTO scratch (body) VALUES ('after')"))
        assert "vault.passphrase_changed" in actions(v)
    with pytest.raises(WrongPassphrase):
        open_vault(path)
    with open_vault(path, "a new and longer passphrase") as v:
        assert v.integrity_problems() == []
        assert path.stat().st_mode & 0o777 == 0o600


def test_a_save_meanwhile_waits_for_a_passphrase_change_and_goes_on(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The connection is replaced under the vault's lock: a save that starts just then
    (an autosave on another thread) waits, and is written with the new key."""
    path = filled(vault)
    errors: list[BaseException] = []
    threads: list[threading.Thread] = []

    def save() -> None:
        try:
            with v.unit_of_work() as db:
                db.execute(text("INSERT INTO scratch (body) VALUES ('meanwhile')"))
        except BaseException as err:  # reported below
            errors.append(err)

    real = Vault._reconnect

    def reconnect_with_a_save_arriving(self: Vault, phrase: str) -> None:
        threads.append(threading.Thread(target=save))
        threads[-1].start()  # between the old connection and the new one
        threads[-1].join(0.3)
        real(self, phrase)

    monkeypatch.setattr(Vault, "_reconnect", reconnect_with_a_save_arriving)
    with open_vault(path) as v:
        v.change_passphrase(PASSPHRASE, "a new and longer passphrase")
        for t in threads:
            t.join()
    assert threads and errors == []
    with open_vault(path, "a new and longer passphrase") as v, v.unit_of_work() as db:
        assert db.execute(text("SELECT count(*) FROM scratch WHERE body = 'meanwhile'")
                          ).scalar() == 1


# ---------------------------------------------------------------- error codes


@pytest.mark.parametrize(("code", "expected"), [
    (vault_module.SQLITE_FULL, StorageError),
    (vault_module.SQLITE_IOERR, StorageError),
    (vault_module.SQLITE_CANTOPEN, StorageError),
    (vault_module.SQLITE_PERM, StorageError),
    (vault_module.SQLITE_READONLY, StorageError),
    (vault_module.SQLITE_CORRUPT, VaultDamaged),
    (vault_module.SQLITE_NOTADB, VaultDamaged),
    (vault_module.SQLITE_BUSY, VaultInUse),
])
def test_database_errors_are_told_apart_by_their_codes_not_their_words(
    code: int, expected: type[GroupLeaderError]
) -> None:
    # The words say something else entirely: only the code may decide.
    err = sqlcipher3.OperationalError("database disk image is malformed; disk is full")
    err.sqlite_errorcode = code  # type: ignore[attr-defined]
    assert type(vault_module._storage_or_damage(err)) is expected
    quiet = sqlcipher3.OperationalError("disk is full")
    quiet.sqlite_errorcode = sqlcipher3.SQLITE_ERROR  # type: ignore[attr-defined]
    assert vault_module._storage_or_damage(quiet) is quiet  # a plain bug stays one


def test_the_driver_gives_the_codes_on_real_errors(vault: Vault) -> None:
    ro = vault_module._storage_or_damage
    err = sqlcipher3.OperationalError("x")
    err.sqlite_errorcode = vault_module.SQLITE_READONLY  # type: ignore[attr-defined]
    assert type(ro(err, read_only=True)) is VaultReadOnly
    locked = sqlcipher3.IntegrityError("signed note is locked")
    locked.sqlite_errorcode = vault_module.SQLITE_CONSTRAINT  # type: ignore[attr-defined]
    assert type(ro(locked)) is SignedNoteError
    pages = int(vault.pragma("page_count"))
    with vault.unit_of_work() as db:
        db.execute(text(f"PRAGMA max_page_count = {pages}"))
    raw = vault._raw
    with pytest.raises(sqlcipher3.DatabaseError) as info:
        raw.execute("CREATE TABLE big AS SELECT randomblob(500000) AS b")
    assert vault_module.sqlite_code(info.value) == vault_module.SQLITE_FULL
    assert info.value.sqlite_errorname == "SQLITE_FULL"  # type: ignore[attr-defined]


# ---------------------------------------------------------------- odd paths


def _odd_paths(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "a folder.vault").mkdir()
    return {
        "a folder": tmp_path / "a folder.vault",
        "a name over 255 bytes": tmp_path / ("ü" * 130 + ".vault"),
        "a missing folder": tmp_path / "not here" / "clinic.vault",
        "a file as folder": Path(__file__) / "clinic.vault",
        "/proc": Path("/proc/self/status"),
        "a device": Path("/dev/null"),
    }


@pytest.mark.parametrize("case", ["a folder", "a name over 255 bytes", "a missing folder",
                                  "a file as folder", "/proc", "a device"])
def test_odd_vault_paths_are_one_calm_sentence_and_change_nothing(
    tmp_path: Path, case: str
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    path = _odd_paths(work)[case]
    if case in ("/proc", "a device") and not path.exists():
        pytest.skip(f"{path} does not exist on this system")
    listing = sorted(p.name for p in work.iterdir())
    for attempt in (lambda: open_vault(path),
                    lambda: Vault.create(path, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER)):
        with pytest.raises(GroupLeaderError) as info:  # one of ours, never a traceback
            attempt()
        message = info.value.message
        assert message.endswith(".") and "\n" not in message and "Errno" not in message
    assert sorted(p.name for p in work.iterdir()) == listing


def test_vaults_and_backups_in_folders_whose_names_are_not_utf8(
    vault: Vault, tmp_path: Path
) -> None:
    """Names Linux allows and Python holds as lone surrogates (e.g. from an old stick)."""
    odd = Path(os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9"))
    try:
        odd.mkdir()
    except OSError:
        pytest.skip("this file system refuses names that are not UTF-8")
    ops_groups.create_group(vault, GROUP)
    copy = vault.backup_to(odd / "copy.vault")
    with pytest.raises(InvalidInput, match="valid UTF-8"):  # rotation names stay UTF-8
        backups.make_backup(vault, odd)
    vault.close()
    moved = vault.path.rename(odd / "v\udcff.vault")
    for path in (copy, moved):
        with open_vault(path) as v:
            assert [g.name for g in query(v, groups.list_groups)] == ["Thursday group"]
            v.backup_to(odd / "again.vault")
            (odd / "again.vault").unlink()


def test_create_in_proc_is_refused_calmly() -> None:
    with pytest.raises(GroupLeaderError) as info:
        Vault.create("/proc/groupleader-test.vault", PASSPHRASE, test_kdf_iter=TEST_KDF_ITER)
    assert "nothing was changed" in info.value.message
