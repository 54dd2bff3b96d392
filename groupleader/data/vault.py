"""The vault: one SQLCipher 4 file that holds every clinical record.

One keyed connection serves the whole program. Units of work are serialized by a lock,
which is simpler and safer than a pool of connections (each of which would run the key
derivation again) for a desktop program with one user. The connection uses SQLCipher's
defaults (so any SQLCipher 4 tool opens the file with the passphrase alone),
`secure_delete`, and a temp store in memory, because SQLCipher does not encrypt temp files.

Journal: a vault opens with a rollback journal and switches to write-ahead logging (WAL)
right after its first write, so every later save appends to the WAL (one fsync) instead
of writing the journal and the file (three); switching only after a write keeps opening,
exporting and backing up from writing anything. The -wal file is encrypted page by page
like the vault. Closing (and locking, which closes) checkpoints the WAL into the file and
goes back to the rollback journal, so a closed vault is exactly one file; so does a
backup, for a copy that is one file too (docs/decisions.md, "WAL while open").

Passphrases are keyed in Unicode NFC (`groupleader.passphrases`); a vault keyed with
another form still opens. The open vault keeps no copy of the passphrase: backups are
copies of the encrypted file, which open with the same passphrase.

Opening, verifying, exporting and backing up write nothing to the file: their audit
events wait in memory until the next real write (`audit_later`). A vault whose file or
folder cannot be written opens read-only (`read_only`); its writes are refused with
`VaultReadOnly`. Database errors are told apart by SQLite's result codes, never by the
English of their messages.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import functools
import hashlib
import hmac
import logging
import os
import re
import shutil
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

import sqlcipher3
from sqlalchemy import Connection, Engine, create_engine, event, exc, util
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlcipher import SQLiteDialect_pysqlcipher
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from groupleader import passphrases
from groupleader.data import atomic, audit, clock, migrate, search, unit_cache, verify
from groupleader.data.filelock import VaultLock
from groupleader.data.wal_check import wal_damage
from groupleader.errors import (
    GroupLeaderError,
    InvalidInput,
    SessionLocked,
    SignedNoteError,
    StorageError,
    UnfinishedWrite,
    VaultDamaged,
    VaultExists,
    VaultInUse,
    VaultMissing,
    VaultReadOnly,
    WrongPassphrase,
)

log = logging.getLogger(__name__)

# FULL: every commit is on the disk when it returns, in WAL mode too (NORMAL would survive a
# crash of the program but could lose the last saves to a power cut; docs/decisions.md).
SYNCHRONOUS = "FULL"
WAL_SIZE_LIMIT = 4 * 1024 * 1024  # the -wal file is cut back to this after a checkpoint
# verify's page cache: integrity_check re-reads pages (3.2 s -> 2.8 s at ten years);
# the 2 MB default is enough for everything else
VERIFY_CACHE_KIB = 64 * 1024

SQLITE_HEADER = b"SQLite format 3\x00"
MIN_PASSPHRASE_LENGTH = passphrases.MIN_LENGTH
# The messages of this program's own triggers (migrations), which refuse to change what a
# signature covers; they arrive as SQLITE_CONSTRAINT.
_LOCKED_WORDS = ("signed note is locked", "signature is locked", "addendum is locked")
_SESSION_LOCKED_WORDS = "signed session is locked"

# SQLite's primary result codes (sqlite3.h). The driver (built from the stdlib sqlite3
# module) puts the code on every error as `sqlite_errorcode`; its low byte is the
# primary code, should the extended codes ever be switched on.
SQLITE_PERM = sqlcipher3.SQLITE_PERM  # 3
SQLITE_BUSY = sqlcipher3.SQLITE_BUSY  # 5
SQLITE_LOCKED = sqlcipher3.SQLITE_LOCKED  # 6
SQLITE_READONLY = sqlcipher3.SQLITE_READONLY  # 8
SQLITE_IOERR = sqlcipher3.SQLITE_IOERR  # 10
SQLITE_CORRUPT = sqlcipher3.SQLITE_CORRUPT  # 11
SQLITE_FULL = sqlcipher3.SQLITE_FULL  # 13
SQLITE_CANTOPEN = sqlcipher3.SQLITE_CANTOPEN  # 14
SQLITE_CONSTRAINT = sqlcipher3.SQLITE_CONSTRAINT  # 19
SQLITE_NOTADB = sqlcipher3.SQLITE_NOTADB  # 26

FULL_MESSAGE = (
    "The disk is full, so the vault could not be written. Your text is still here; free "
    "some space and it will be saved again."
)
BECAME_READ_ONLY_MESSAGE = (
    "The vault's drive or file has become read-only, so it could not be written. Your "
    "text is still here; check the drive (or reconnect it) and it will be saved again."
)
BUSY_MESSAGE = (
    "Another program is using the vault file right now, so it could not be read or "
    "written. Close that program and try again; your text is still here."
)
PASSWD_READ_ONLY_MESSAGE = (
    "This vault is open read-only, so its passphrase cannot be changed. Copy the vault to "
    "a folder you can write to and change it there."
)
OLD_AND_READ_ONLY_MESSAGE = (
    "This vault was made by an older version of Group Leader and must be brought up to "
    "date, which needs to write to it, but its file or folder is read-only. Copy the vault "
    "to a folder you can write to and open the copy; nothing in the file was changed."
)


class _PrekeyedDialect(SQLiteDialect_pysqlcipher):
    """The pysqlcipher dialect for a connection that arrives already keyed and checked.

    The stock dialect sends `PRAGMA key` from the URL on every connect; ours comes from
    `Vault._connect`, which keys, checks and configures the connection itself.
    """

    supports_statement_cache = True

    def on_connect_url(self, url: Any) -> Any:
        return SQLiteDialect_pysqlite.on_connect_url(self, url)

    # SQLAlchemy keys its cache of compiled statements by the dialect object, and every
    # engine makes its own. All of this process's engines are made alike (`_engine_for`),
    # so their dialects are interchangeable: equal, they share `_STATEMENTS`.
    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))


# The compiled statements of every engine of this process. Each unlock makes a new engine
# over its new connection, and with a cache per engine every unlock again compiled each
# statement of the first view once more (about 30, a third of the window's part of the
# unlock); a statement's compiled form holds no value, only its SQL and bind names.
_STATEMENTS: util.LRUCache[Any, Any] = util.LRUCache(1000)


registry.register("sqlite.groupleader", __name__, "_PrekeyedDialect")


def sql_string(value: str) -> str:
    """Quote `value` as an SQL string literal (PRAGMA key and ATTACH take no parameters)."""
    if "\x00" in value:
        raise InvalidInput("A passphrase or path cannot contain a NUL character.", "passphrase")
    return "'" + value.replace("'", "''") + "'"


def sqlite_code(err: BaseException) -> int | None:
    """SQLite's primary result code of a driver error (None for anything else)."""
    code = getattr(err, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _storage_or_damage(
    err: BaseException, *, read_only: bool = False, path: Path | None = None
) -> BaseException:
    """The user-facing error for a database error, or `err` itself if it is a plain bug."""
    code = sqlite_code(err)
    if code == SQLITE_FULL:
        return StorageError(FULL_MESSAGE)
    if code == SQLITE_READONLY:
        return VaultReadOnly() if read_only else StorageError(BECAME_READ_ONLY_MESSAGE)
    if code in (SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_PERM):
        return StorageError()
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return VaultInUse(BUSY_MESSAGE)
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return VaultDamaged(path=path)
    if code == SQLITE_CONSTRAINT and _SESSION_LOCKED_WORDS in str(err).lower():
        return SessionLocked()
    if code == SQLITE_CONSTRAINT and any(w in str(err).lower() for w in _LOCKED_WORDS):
        return SignedNoteError()
    return err


def _damage_unless_storage(
    err: BaseException, *, read_only: bool = False, path: Path | None = None
) -> GroupLeaderError:
    """While opening, any database error that is not about storage means a damaged file."""
    mapped = _storage_or_damage(err, read_only=read_only, path=path)
    return mapped if isinstance(mapped, GroupLeaderError) else VaultDamaged(path=path)


def _os_error(err: OSError, path: Path, *, creating: bool = False) -> GroupLeaderError:
    """One calm sentence for an operating-system error met while opening or creating."""
    folder = path.parent
    code = err.errno
    if code == errno.ENAMETOOLONG:
        return InvalidInput(
            "That file name is too long: a name can have at most 255 bytes (fewer letters "
            "when they are accented or not Latin). Choose a shorter name; nothing was "
            "changed.",
            "path",
        )
    if code in (errno.ENOENT, errno.ENOTDIR):
        if creating or not folder.is_dir():
            return InvalidInput(
                f"The folder {folder} does not exist (or is not a folder). Choose an "
                "existing folder, or create it first; nothing was changed.",
                "path",
            )
        return VaultMissing()
    if code == errno.EISDIR:
        return VaultDamaged("That is a folder, not a vault file. Choose the vault file itself.")
    if code in (errno.EACCES, errno.EPERM):
        return StorageError(
            f"You do not have permission to use {path if not creating else folder}. Choose "
            "another location, or ask for access; nothing was changed."
        )
    if code == errno.EROFS:
        return StorageError(
            f"The drive of {folder} is read-only. Choose a folder you can write to; nothing "
            "was changed."
        )
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return StorageError(
            f"The disk of {folder} is full. Free some space and try again; nothing was "
            "changed."
        )
    return StorageError(
        f"{path} could not be {'created' if creating else 'opened'} "
        f"({err.strerror or type(err).__name__}); nothing was changed."
    )


class VerifyReport(NamedTuple):
    """What `Vault.verify` found: one line per problem; how many backups it checked; and
    for a vault made by an earlier version (not upgraded), its schema revision: then only
    the checks that do not need today's schema ran."""

    problems: list[str]
    backups_checked: int
    outdated_revision: str | None = None


@functools.lru_cache(maxsize=1)
def expected_triggers() -> dict[str, str]:
    """Every trigger this program's migrations make (name -> SQL), from running them on an
    empty database in memory: what `verify` expects to find in a vault."""
    raw = sqlcipher3.connect(":memory:", check_same_thread=False)
    try:
        engine = _engine_for(raw)
        migrate.upgrade(engine, backup=None)
        with engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").all()
        engine.dispose()
        return {str(name): str(sql) for name, sql in rows}
    finally:
        raw.close()


class Vault:
    """An open, unlocked vault. Create with `Vault.create` or `Vault.open`."""

    def __init__(
        self,
        path: Path,
        raw: Any,
        engine: Engine,
        lock: VaultLock,
        test_kdf_iter: int | None,
        *,
        read_only: bool = False,
    ) -> None:
        self.path = path
        # No passphrase is kept: backups copy the encrypted file (see `backup_to`). The
        # key itself lives only inside SQLCipher, which wipes it when the connection closes.
        # A salted slow hash of it (never the passphrase) lets a window locked with the
        # vault kept open check it while the disk is full or gone.
        self._verifier: tuple[bytes, bytes] | None = None
        self._raw = raw
        self._lock = lock
        self._test_kdf_iter = test_kdf_iter
        self._mutex = threading.RLock()
        self._inode = os.stat(path).st_ino
        self.read_only = read_only
        # the schema revision of a vault opened by `open_for_verify` without its upgrade
        self.outdated_revision: str | None = None
        self.last_saved: datetime | None = None
        self.engine: Engine | None = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._pending: list[audit.Pending] = []  # audit events waiting for a real write
        self._units = 0  # units of work open on this thread (the mutex is re-entrant)
        self._wal = False  # switched to WAL after this session's first write
        # between units of work, under the mutex (groupleader.data.unit_cache)
        self._tail: audit.Tail | None = None
        self._editors: dict[tuple[int, int], unit_cache.Editor | unit_cache.GroupEditor] = (
            {})
        # whether a member note's search entry may wait for its burst's end (migration
        # 0011; a killed program may have left some): the next write catches them up
        self._fts_behind = False
        # the open-time page check while it runs behind the first view, and what it found
        self._page_check: _PagesBehind | None = None
        # told once the vault is known to be damaged, from any thread (the window)
        self.on_damage: Callable[[VaultDamaged], None] | None = None
        self._damage: VaultDamaged | None = None
        # What a layer above made from the vault's records and may use again while it
        # stays open, each entry checked by its user against what it was made of (the
        # report's identities and matchers: `report.collect.load_people`). In memory
        # only, and dropped when the connection closes (a lock).
        self.memo: dict[str, Any] = {}

    # ------------------------------------------------------------------ opening
    @classmethod
    def create(
        cls, path: Path | str, passphrase: str, *, test_kdf_iter: int | None = None
    ) -> Vault:
        """Create a new vault file in an existing folder; refuses to touch an existing file.

        A missing folder is not created (a mistyped or unmounted location must not turn
        into new folders on the local disk): the caller makes the program's own default
        folder itself.
        """
        path = Path(path).expanduser().absolute()
        passphrase = passphrases.normalize(passphrase)
        check_new_passphrase(passphrase, passphrases.user_words(path))
        try:
            if path.exists() or path.is_symlink():
                raise VaultExists()
            if not path.parent.is_dir():
                raise FileNotFoundError(errno.ENOENT, "no such folder", str(path.parent))
        except OSError as err:
            raise _os_error(err, path, creating=True) from None
        return cls._unlock(path, passphrase, test_kdf_iter, create=True, read_only=False)

    @classmethod
    def open(
        cls, path: Path | str, passphrase: str, *, test_kdf_iter: int | None = None,
        check_pages_later: bool = False,
    ) -> Vault:
        """Open and unlock an existing vault, bringing its schema up to date.

        Opening writes nothing: a wrong passphrase, a damaged file, a vault already up to
        date all leave the file byte-for-byte unchanged. A vault whose file or folder
        cannot be written opens read-only (`read_only`).

        Every page is checked first (one damaged page refuses the vault). With
        `check_pages_later` (the window) that check runs behind the first view instead,
        on a second read-only connection: `page_check` waits for its finding, and a
        damaged page then refuses every later write (see docs/decisions.md).
        """
        path = Path(path).expanduser().absolute()
        try:
            _check_looks_like_vault(path)
            read_only = not _writable(path)
        except OSError as err:
            raise _os_error(err, path) from None
        return cls._unlock(path, passphrase, test_kdf_iter, create=False, read_only=read_only,
                           check_pages_later=check_pages_later)

    @classmethod
    def open_for_verify(
        cls, path: Path | str, passphrase: str, *, test_kdf_iter: int | None = None
    ) -> Vault:
        """Open an existing vault read-only, as it is, for `groupleader verify`.

        Unlike `open`, a vault made by an earlier version is not upgraded (no backup, no
        new revision: the file stays byte-for-byte as it was): its `outdated_revision` then
        says which revision it has, and `verify` checks only what does not need today's
        schema (the pages, integrity and foreign keys). Its writes are refused.
        """
        path = Path(path).expanduser().absolute()
        try:
            _check_looks_like_vault(path)
        except OSError as err:
            raise _os_error(err, path) from None
        return cls._unlock(path, passphrase, test_kdf_iter, create=False, read_only=True,
                           upgrade=False)

    @classmethod
    def _unlock(
        cls,
        path: Path,
        passphrase: str,
        test_kdf_iter: int | None,
        *,
        create: bool,
        read_only: bool,
        upgrade: bool = True,
        check_pages_later: bool = False,
    ) -> Vault:
        """Lock the file, key and check the connection, migrate; undo it all on failure.

        A vault being created is removed again if anything fails, so `create` leaves
        either a whole vault or nothing. An existing vault's pages are checked (one
        damaged page refuses the vault), and its schema is upgraded only after an
        encrypted backup of it as it was. Without `upgrade`, an old schema is left as it
        is and its revision kept in `outdated_revision`.
        """
        outdated: str | None = None
        later = False
        verifier = _Verifier(passphrase)  # its scrypt beside the key derivation
        lock = VaultLock(path, read_only=read_only)
        try:
            lock.acquire()
        except OSError as err:
            raise _os_error(err, path, creating=create) from None
        try:
            if not create:
                if read_only:
                    _refuse_unfinished_write(path)
                _refuse_damaged_wal(path)
                _refuse_unreadable_wal(path, passphrase, test_kdf_iter)
            raw, passphrase = _keyed_connection_any_form(
                path, passphrase, test_kdf_iter, create=create, read_only=read_only
            )
            try:
                if create:
                    _make_private(path)
                    raw.execute("CREATE TABLE _created (at TEXT)")  # writes page 1 out
                    raw.execute("DROP TABLE _created")
                    raw.commit()
                _configure(raw, read_only=read_only)
                if not create:
                    later = check_pages_later
                    if not later:
                        _refuse_damaged_pages(raw, path)
                engine = _engine_for(raw)

                def backup(rev: str) -> None:
                    _copy_vault_file(raw, path, migrate.pre_upgrade_backup_path(path, rev))

                if not upgrade:
                    if migrate.needs_upgrade(engine):
                        outdated = migrate.current_revision(engine) or "none"
                elif read_only:
                    if migrate.needs_upgrade(engine):
                        raise VaultReadOnly(OLD_AND_READ_ONLY_MESSAGE)
                else:
                    migrate.upgrade(engine, backup=None if create else backup)
            except BaseException as err:
                raw.close()
                if create:
                    with contextlib.suppress(FileNotFoundError):
                        path.unlink()
                if isinstance(err, sqlcipher3.Error | exc.DBAPIError):
                    orig = getattr(err, "orig", None) or err
                    raise _damage_unless_storage(orig, read_only=read_only, path=path) from None
                raise
        except BaseException:
            lock.release()
            raise
        vault = cls(path, raw, engine, lock, test_kdf_iter, read_only=read_only)
        vault.outdated_revision = outdated
        vault._fts_behind = _search_entries_wait(raw)
        vault._verifier = verifier.result()
        if later:
            vault._page_check = _PagesBehind(vault, passphrase)
            vault._page_check.start()
        vault.audit_later("vault.unlock", "vault")
        return vault

    # ------------------------------------------------------------------ using
    @property
    def is_open(self) -> bool:
        return self.engine is not None

    def audit_later(
        self, action: str, record_type: str, record_ids: Sequence[int | None] = (None,)
    ) -> None:
        """Events of work that writes nothing (unlock, export, print, backup).

        They wait in memory, each with its own moment, and are written ahead of the
        events of the next unit of work that writes anything; if none does before the
        vault closes, they are not recorded (a read-only session leaves no trace in the
        file, which stays byte-for-byte as it was).
        """
        at = clock.now()
        with self._mutex:
            self._pending += [audit.Pending(at, action, record_type, r) for r in record_ids]

    @property
    def pending_audit(self) -> tuple[audit.Pending, ...]:
        """The events waiting for the next write (for tests and the audit docs)."""
        with self._mutex:
            return tuple(self._pending)

    @contextlib.contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One user action: a session that commits on success and rolls back on error.

        A unit that writes anything also writes the pending audit events (first, through
        `audit.record_many`, or at its end if it records no event of its own).
        """
        with self._mutex:  # first: a passphrase change reconnects while holding it
            self._require_open()
            session = self._sessions()
            outermost = self._units == 0
            claimed = len(self._pending) if outermost else 0
            if claimed:
                session.info[audit.PENDING] = list(self._pending)
            if outermost:
                session.info[unit_cache.TAIL] = self._tail
                session.info[unit_cache.EDITORS] = dict(self._editors)
                session.info[unit_cache.FTS_BEHIND] = self._fts_behind
                session.info[unit_cache.READ_ONLY] = self.read_only
            self._units += 1
            changes_before = self._raw.total_changes
            try:
                yield session
                session.flush()
                wrote = self._raw.total_changes != changes_before
                if wrote and self._damage is not None:
                    raise self._damage
                later = bool(session.info.get(unit_cache.FTS_LATER)
                             and session.info.get(unit_cache.NOTE_SAVE_ONLY))
                if wrote and outermost and not later and self._fts_behind:
                    search.catch_up(session)  # the end of any editing burst
                if wrote:
                    audit.write_pending(session)
                    self._check_still_there()
                session.commit()
                if outermost:
                    self._keep(session.info, wrote, caught_up=wrote and not later)
                    if wrote:
                        self._fts_behind = later
                if wrote:
                    del self._pending[:claimed]
                    self.last_saved = datetime.now(UTC)
                    if outermost and not self._wal:
                        self._to_wal()
            except exc.DBAPIError as err:
                session.rollback()
                self._forget()
                self._check_still_there()
                mapped = self._mapped(err.orig or err)
                if mapped is err.orig:
                    raise
                raise mapped from None
            except BaseException:
                session.rollback()
                self._forget()
                raise
            finally:
                self._units -= 1
                session.close()

    def _keep(self, info: dict[Any, Any], wrote: bool, *, caught_up: bool = False) -> None:
        """After a commit: remember the audit tail; forget the validated note editors
        unless the unit was a note save alone (anything else may have changed their facts);
        after a unit that caught the search index up, no editor's entry waits any more."""
        self._tail = info.get(unit_cache.TAIL)
        if wrote and not info.get(unit_cache.NOTE_SAVE_ONLY):
            self._editors = {}
        else:
            self._editors = info.get(unit_cache.EDITORS) or {}
        if caught_up and self._fts_behind:
            self._editors = {
                k: dataclasses.replace(e, behind=False)
                if isinstance(e, unit_cache.Editor) and e.behind else e
                for k, e in self._editors.items()}

    def _forget(self) -> None:
        self._tail = None
        self._editors = {}

    def _to_wal(self) -> None:
        """After a write: WAL from now on (mutex held, no transaction open). A failure
        leaves the rollback journal, which is as safe, only slower."""
        if self.read_only or self._raw is None or self._raw.in_transaction:
            return
        try:
            mode = self._raw.execute("PRAGMA journal_mode = WAL").fetchall()[0][0]
        except sqlcipher3.Error:
            return
        self._wal = str(mode).lower() == "wal"

    def _to_single_file(self) -> None:
        """Checkpoint the WAL into the file and return to the rollback journal (mutex
        held): the file alone is then the whole vault, and no -wal or -shm is left.

        Leaving WAL checkpoints every frame into the file and deletes the log (SQLite
        does both in the one PRAGMA; a separate `wal_checkpoint` right after the switch
        into WAL meets SQLITE_LOCKED in this driver). Every statement is read to its end.
        """
        if self._raw is None or self._raw.in_transaction or self.read_only:
            return  # read-only: a WAL a killed program left stays as it is
        if str(self._raw.execute("PRAGMA journal_mode").fetchall()[0][0]).lower() == "wal":
            mode = self._raw.execute("PRAGMA journal_mode = DELETE").fetchall()[0][0]
            if str(mode).lower() == "wal":  # could not leave it: the copy checkpoints
                log.warning("The vault could not leave its write-ahead log yet")
                return
        self._wal = False

    def _mapped(self, err: BaseException) -> BaseException:
        """The user-facing error of a database error met while open. Once the vault is
        known to be damaged (its page check, or a page that failed as it was read), every
        refusal is that one message: a full disk or a busy file would promise a save that
        can never come."""
        if self._damage is not None:
            return self._damage
        mapped = _storage_or_damage(err, read_only=self.read_only, path=self.path)
        if isinstance(mapped, VaultDamaged):
            mapped = VaultDamaged(DAMAGED_WHILE_OPEN.format(first=READ_DAMAGE), path=self.path,
                                  details=(READ_DAMAGE,))
            self._found_damage(mapped)
        return mapped

    def _found_damage(self, damage: VaultDamaged) -> None:
        """From now on every write is refused with `damage`; the window is told at once
        (`on_damage`, called on whichever thread met it)."""
        self._damage = damage
        if self.on_damage is not None:
            try:
                self.on_damage(damage)
            except RuntimeError:  # the window that asked is gone (its Qt object deleted)
                self.on_damage = None

    def _check_still_there(self) -> None:
        """Refuse to write into a vault whose file was deleted or replaced while open.

        On POSIX the open file handle would keep accepting writes to a file that no
        longer has a name, and everything would be lost on close.
        """
        try:
            same = os.stat(self.path).st_ino == self._inode
        except OSError:
            same = False
        if not same:
            raise StorageError(
                "The vault file was moved or deleted while it was open. Your text is still "
                "here; put the file back (or restore a backup) and it will be saved again."
            )

    def change_passphrase(self, old: str, new: str) -> None:
        """Re-encrypt the vault with a new passphrase, all or nothing.

        A complete copy encrypted with the new passphrase is written beside the vault
        (`sqlcipher_export`), flushed, and renamed over it; then the vault is opened again
        with the new passphrase. If the copy cannot be written (a full disk), the vault
        is untouched and the old passphrase still opens it. (SQLCipher's in-place `PRAGMA
        rekey` is not used: on a full disk it fails half-way with a misleading message
        and leaves the open connection writing pages with the new key into a file that
        still has the old one.)
        """
        new = passphrases.normalize(new)
        check_new_passphrase(new, passphrases.user_words(self.path))
        with self._mutex:
            self._require_open()
            if self.read_only:
                raise VaultReadOnly(PASSWD_READ_ONLY_MESSAGE)
            current = next((form for form in passphrases.forms(old)
                            if _passphrase_matches(self.path, form, self._test_kdf_iter)), None)
            if current is None:
                raise WrongPassphrase("The current passphrase is not right; nothing was changed.")
            self._check_still_there()
            self._catch_up_search()  # into the file that is about to be copied
            self._reencrypt(current, new)
            self._verifier = _verifier_of(new)
        try:
            with self.unit_of_work() as db:
                _audit(db, "vault.passphrase_changed")
        except GroupLeaderError:  # the change is made; its event waits for the next write
            self.audit_later("vault.passphrase_changed", "vault")

    def _reencrypt(self, old: str, new: str) -> None:
        """Replace the file by a copy encrypted with `new` and reconnect (mutex held)."""
        size = _database_size(self._raw)
        try:
            with atomic.atomic_path(self.path) as tmp:
                _export(self._raw, tmp, new, self._test_kdf_iter)
                self._disconnect()  # the name is about to point to the new file
        except (sqlcipher3.Error, OSError) as err:
            replaced = _inode_of(self.path) != self._inode
            self._reconnect(new if replaced else old)
            if replaced:
                return  # only the folder's flush failed; the new file is in place
            reason = (
                "there is not enough free space on the disk for the re-encrypted copy of "
                f"the vault (it needs about {_megabytes(size)})"
                if _out_of_space(err, self.path.parent, size)
                else "the re-encrypted copy could not be written beside it, in "
                f"{self.path.parent}"
            )
            raise StorageError(
                f"The passphrase was not changed: {reason}. Free some space and try again; "
                "the current passphrase still opens the vault."
            ) from None
        except BaseException:
            if self._raw is None:
                self._reconnect(new if _inode_of(self.path) != self._inode else old)
            raise
        self._reconnect(new)

    def _catch_up_search(self) -> None:
        """Before the connection closes: every search entry an editing burst left for later
        (mutex held). A failure (a full disk) leaves them waiting in the file, where the
        next session's first write or search catches them up."""
        if not self._fts_behind or self.read_only or self.engine is None:
            return
        try:
            with self.unit_of_work() as db:
                search.catch_up(db)
        except (GroupLeaderError, exc.SQLAlchemyError, sqlcipher3.Error) as err:
            log.warning("The search index could not be brought up to date (%s)",
                        _code_name(err))

    def _disconnect(self) -> None:
        self._catch_up_search()
        try:
            self._to_single_file()
        except sqlcipher3.Error as err:  # the WAL stays beside it; the next open recovers it
            log.warning("The vault's write-ahead log could not be checkpointed (%s)",
                        _code_name(err))
        if self.engine is not None:
            self.engine.dispose()
        if self._raw is not None:
            self._raw.close()
        self.engine = None
        self._raw = None
        self._page_check = None  # its finding would no longer be this vault's
        self._forget()
        self.memo = {}

    def _reconnect(self, passphrase: str) -> None:
        """Open the connection again on the file now at `path` (after a re-encryption)."""
        if self._raw is not None:
            return
        raw = _keyed_connection(self.path, passphrase, self._test_kdf_iter, create=False,
                                read_only=self.read_only)
        _configure(raw, read_only=self.read_only)
        self._raw = raw
        self.engine = _engine_for(raw)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._inode = os.stat(self.path).st_ino

    def passphrase_matches(self, passphrase: str) -> bool:
        """Whether `passphrase` is this open vault's: for a window locked with the vault
        kept open (text waiting to be saved, docs/shell.md). Compared with what the open
        vault holds, so it works while the disk is full or the file's drive is gone."""
        with self._mutex:
            self._require_open()
            kept = self._verifier
        if kept is None:
            return False
        salt, digest = kept
        return hmac.compare_digest(_verifier_of(passphrase, salt)[1], digest)

    def page_check(self, timeout: float | None = None) -> VaultDamaged | None:
        """Wait for the page check of an open with `check_pages_later` (at most `timeout`
        seconds): what it found, or None for a sound file (and at once when the pages were
        checked before the open returned). Call it off the UI thread."""
        with self._mutex:
            check = self._page_check
            if check is None:
                return self._damage
        return check.wait(timeout)

    def busy_elsewhere(self) -> bool:
        """Whether another thread holds the vault now (a backup, an export's read): a
        unit of work here would wait for it. The window's timed autosave asks first."""
        if self._mutex.acquire(blocking=False):
            self._mutex.release()
            return False
        return True

    @property
    def damage(self) -> VaultDamaged | None:
        """Damage the page check found after the open; every write is refused then."""
        return self._damage

    def backup_to(
        self, dest: Path | str, passphrase: str | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> Path:
        """Write an encrypted copy that opens with this vault's passphrase: the file's own
        bytes, copied under the vault's lock once the WAL is checkpointed into it (no
        decrypting and re-encrypting). `progress(done, total)` gets bytes copied.

        A `passphrase` given explicitly must be the vault's own (it is checked). The vault
        itself is not written (works read-only too); the event waits for the next write.
        """
        dest = Path(dest).expanduser().absolute()
        if dest.resolve() == self.path.resolve():
            raise InvalidInput("A backup cannot overwrite the vault itself.", "destination")
        with self._mutex:
            self._require_open()
            if passphrase is not None and not any(
                _passphrase_matches(self.path, form, self._test_kdf_iter)
                for form in passphrases.forms(passphrase)
            ):
                raise WrongPassphrase()
            try:
                self._to_single_file()  # the copy is one file; the next write goes back to WAL
            except sqlcipher3.Error as err:
                raise self._mapped(err) from None
            _copy_vault_file(self._raw, self.path, dest, progress)
        self.audit_later("vault.backup", "vault")
        return dest

    def integrity_problems(self) -> list[str]:
        """Every problem `verify` finds, without looking at backups."""
        return self.verify().problems

    def verify(
        self, backups: Iterable[Path] = (), passphrase: str | None = None
    ) -> VerifyReport:
        """SQLCipher's page check, SQLite's integrity and foreign-key checks, and the record:
        lock triggers, the keyed audit trail, every signature, co-signature and addendum
        against its digest (`groupleader.data.verify`). With `passphrase`, each of
        `backups` that opens with it and is this vault's is checked too: the vault's trail
        must extend the head the backup carries.

        Reads only (each backup is opened read-only). A check that cannot even be read (a
        damaged page) is a problem too. A vault opened by `open_for_verify` with an old
        schema gets the first three checks only (see `VerifyReport.outdated_revision`).
        """
        problems: list[str] = []
        with self._mutex:
            self._require_open()
            raw = self._raw
            cache = raw.execute("PRAGMA cache_size").fetchone()[0]
            raw.execute(f"PRAGMA cache_size = -{VERIFY_CACHE_KIB}")
        try:
            return self._verify(problems, backups, passphrase)
        finally:
            with self._mutex:
                if self._raw is not None:
                    self._raw.execute(f"PRAGMA cache_size = {int(cache)}")

    def _verify(
        self, problems: list[str], backups: Iterable[Path], passphrase: str | None
    ) -> VerifyReport:
        with self._mutex:
            self._require_open()
            raw = self._raw
            problems += [
                f"page check: {p}" for p in _page_problems(raw)
            ]
            checks = (
                ("integrity", "PRAGMA integrity_check",
                 lambda r: None if r[0] == "ok" else str(r[0])),
                ("foreign key", "PRAGMA foreign_key_check",
                 lambda r: f"table {r[0]} row {r[1]}"),
            )
            for label, sql, describe in checks:
                try:
                    found = [describe(r) for r in raw.execute(sql)]
                except sqlcipher3.DatabaseError as err:
                    found = [f"cannot be read ({_code_name(err)})"]
                problems += [f"{label}: {p}" for p in found if p is not None]
        if self.outdated_revision is not None:  # the record's checks need today's schema
            return VerifyReport(problems, 0, self.outdated_revision)
        heads: list[verify.BackupHead] = []
        try:
            with self.unit_of_work() as db:
                keys = audit.keys(db)
                if passphrase is not None:
                    for backup in dict.fromkeys(Path(b) for b in backups):
                        head = self._backup_head(backup, passphrase, keys)
                        if isinstance(head, str):
                            problems.append(head)
                        elif head is not None:
                            heads.append(verify.BackupHead(backup.name, head))
                # the driver's connection under the session: plain rows, nothing to flush
                problems += verify.record_problems(db.connection(), expected_triggers(), heads)
        except VaultDamaged:
            problems.append("audit trail: cannot be read (SQLITE_CORRUPT)")
        return VerifyReport(problems, len(heads))

    def _backup_head(
        self, backup: Path, passphrase: str, keys: audit.Keys | None
    ) -> audit.Head | str | None:
        """The audit head `backup` carries; a problem line if its head record was altered;
        None when it does not open with `passphrase`, is another vault's, or predates it."""
        try:
            raw = _keyed_connection(backup, passphrase, self._test_kdf_iter, create=False,
                                    read_only=True)
        except (GroupLeaderError, OSError):
            return None
        try:
            engine = _engine_for(raw)
            with engine.connect() as conn:
                backup_keys = audit.keys(conn)
                head = audit.read_head(conn)
        except (sqlcipher3.Error, exc.DBAPIError):
            return None  # made before the keyed chain (no such tables), or unreadable
        finally:
            raw.close()
        if head is None or backup_keys is None or backup_keys != keys:
            return None
        if not hmac.compare_digest(head.mac, audit.head_mac(keys.head, head.events, head.head)):
            return f"backup {backup.name}: its record of the audit trail's head was altered"
        return head

    @contextlib.contextmanager
    def bulk_build(self) -> Iterator[None]:
        """Skip the per-commit fsync while a NEW vault is filled in bulk (demo, benchmarks).

        Only for a file that is thrown away if the build fails: a crash in here can lose
        the last commits. Ends with a full sync, and `synchronous=FULL` again.
        """
        with self._mutex:
            self._require_open()
            self._raw.execute("PRAGMA synchronous = OFF")
        try:
            yield
        finally:
            with self._mutex:
                if self._raw is not None:
                    self._raw.execute(f"PRAGMA synchronous = {SYNCHRONOUS}")
                    with open(self.path, "rb+") as fh:
                        os.fsync(fh.fileno())

    def pragma(self, name: str) -> Any:
        """Read one PRAGMA (for tests and `verify`)."""
        with self._mutex:
            self._require_open()
            row = self._raw.execute(f"PRAGMA {name}").fetchone()
            return row[0] if row else None

    def close(self) -> None:
        """Close the connection and drop the decrypted pages; safe to call twice."""
        with self._mutex:
            if self.engine is None and not self._lock.held:
                return
            try:
                self._disconnect()
            finally:
                self._verifier = None
                self._pending = []  # read-only work of this session leaves no trace
                self._lock.release()  # after the connection: see filelock.py

    def _require_open(self) -> None:
        if self.engine is None:
            raise GroupLeaderError("The vault is locked. Unlock it to go on.")

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


# ---------------------------------------------------------------------- helpers


def check_new_passphrase(passphrase: str, user_inputs: list[str] | None = None) -> None:
    """Refuse a new passphrase that is short, easy to guess or cannot be typed (zxcvbn)."""
    sql_string(passphrase)  # refuses NUL
    passphrases.check_new(passphrase, user_inputs or passphrases.user_words())


def _refuse_unfinished_write(path: Path) -> None:
    """Refuse a read-only open of a vault whose rollback journal a crash left behind: only
    a connection that may write can finish (roll back) that write, and the file read
    without it holds the torn transaction's pages. Its advice keeps the two files
    together, since a copy of the vault file alone is not whole."""
    journal = path.with_name(path.name + "-journal")
    try:
        if journal.stat().st_size == 0:
            return
    except OSError:  # no journal (the usual case), or none that can be read
        return
    if _writable(path):  # `verify`, which reads only: the program's own open finishes it
        raise UnfinishedWrite(
            f"A crash left an unfinished write beside this vault ({journal.name}). Open the "
            "vault in Group Leader once, which finishes it, then verify again. Until then "
            f"keep {journal.name} with the vault: the vault file alone is not whole. "
            "Nothing in either file was changed.")
    raise UnfinishedWrite(
        f"A crash left an unfinished write beside this vault ({journal.name}), and this "
        "drive or folder is read-only, so it cannot be finished here. Copy the vault file "
        f"together with {journal.name} into one folder you can write to, and open the "
        "copy (the vault file alone is not whole); nothing in either file was changed.")


def _check_looks_like_vault(path: Path) -> None:
    """Refuse what cannot be a vault before any connection; reads 16 bytes at most."""
    try:
        st = path.stat()
    except FileNotFoundError:
        if not path.parent.is_dir():
            raise
        raise VaultMissing() from None
    if path.is_dir():
        raise VaultDamaged("That is a folder, not a vault file. Choose the vault file itself.")
    if not path.is_file():  # a device, a pipe, a socket
        raise VaultDamaged(
            "That is not an ordinary file, so it is not a vault. Choose your vault file."
        )
    size = st.st_size
    if size == 0:
        raise VaultDamaged(
            "This file is empty, so it is not a vault. Choose another file, or create a new vault."
        )
    with open(path, "rb") as fh:
        head = fh.read(16)
    if head == SQLITE_HEADER:
        raise VaultDamaged(
            "This is an unencrypted SQLite database, not a Group Leader vault. "
            "Choose your vault file."
        )
    if size < 1024 or size % 512:
        raise VaultDamaged(
            "This file is cut short or damaged, so it cannot be opened. "
            + VaultDamaged.generic_advice,
            path=path,
        )


def _writable(path: Path) -> bool:
    """Whether the vault can be written: the file opens for writing and its folder takes
    new files (SQLite's journal). Opening a file for writing writes nothing.

    A vault that cannot be written opens read-only. (Root may write a 0444 file, so for
    root such a file is writable, as it really is; a read-only mount refuses everyone.)
    """
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError as err:
        if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS, errno.ETXTBSY):
            return False
        raise
    os.close(fd)
    effective = os.access in os.supports_effective_ids
    return os.access(path.parent, os.W_OK | os.X_OK, effective_ids=effective)


def _inode_of(path: Path) -> int | None:
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


def _code_name(err: BaseException) -> str:
    return str(getattr(err, "sqlite_errorname", None) or type(err).__name__)


def _page_problems(raw: Any) -> list[str]:
    """SQLCipher's check of every page's HMAC: what it finds, as short sentences.

    Reads every page once (about 0.2 s for an 83 MB vault, see docs/decisions.md) and decrypts
    none, so it also finds a damaged page that no query has read yet.
    """
    try:
        rows = [str(r[0]) for r in raw.execute("PRAGMA cipher_integrity_check")]
    except sqlcipher3.DatabaseError as err:
        return [f"the pages cannot be checked ({_code_name(err)})"]
    if not rows:
        return []
    total = _pages_in_file(raw)
    pages = [int(m[1]) for r in rows if (m := re.search(r"page (\d+)", r))]
    other = [r for r in rows if not re.search(r"page (\d+)", r)]
    found = [f"page {n} of {total} does not read back as it was written" for n in pages]
    return found + other


def _pages_in_file(raw: Any) -> int:
    """The number of pages, from the file's size (PRAGMA page_count reads the schema,
    which may be what is damaged)."""
    main = next(r for r in raw.execute("PRAGMA database_list") if r[1] == "main")
    page = int(raw.execute("PRAGMA cipher_page_size").fetchone()[0])
    return os.path.getsize(main[2]) // page


def _first_problem(problems: list[str]) -> str:
    """The page check's finding for a message: the one page, or how many are damaged."""
    return problems[0] if len(problems) == 1 else f"{len(problems)} pages are damaged"


def _refuse_damaged_wal(path: Path) -> None:
    """A -wal file left by a killed program whose damage would drop saves refuses the
    vault before SQLite reads it (and the next close deletes the log): `wal_check`."""
    damage = wal_damage(path)
    if damage is not None:
        saves = "save" if damage.lost_saves == 1 else "saves"
        raise VaultDamaged(
            f"The log of this vault's latest saves ({path.name}-wal, beside it) is damaged "
            f"(frame {damage.frame} of {damage.frames}), and {damage.lost_saves} later "
            f"{saves} in it would be lost if the vault were opened, so it was not opened, "
            "and nothing was changed. Keep both files as they are (copy them somewhere "
            "safe), then restore the vault from one of your backups.",
            path=path,
            details=(f"the -wal file fails its check at frame {damage.frame} of "
                     f"{damage.frames}",),
        )


def _refuse_unreadable_wal(path: Path, passphrase: str, test_kdf_iter: int | None) -> None:
    """A -wal file left beside the vault is read first through a read-only connection,
    every page of the database as the log makes it (`quick_check`), before anything opens
    the file for writing: a log that is not this vault's (another vault's, or another
    copy's under another passphrase) or whose pages fail their HMAC would otherwise be
    checkpointed into the vault when the connection that found the error closes. A
    read-only connection never checkpoints. After a crash only: a closed vault has no log."""
    wal = Path(f"{path}-wal")
    try:
        if wal.stat().st_size == 0:
            return
    except OSError:
        return
    try:
        probe, _form = _keyed_connection_any_form(path, passphrase, test_kdf_iter,
                                                  create=False, read_only=True)
    except VaultDamaged:
        rows: list[Any] = []
    else:
        try:
            rows = probe.execute("PRAGMA quick_check").fetchall()
        except sqlcipher3.Error:
            rows = []
        finally:
            probe.close()
    if rows != [("ok",)]:
        raise VaultDamaged(
            f"The log of this vault's latest saves ({wal.name}, beside it) does not read back "
            "with this vault's key: it is another vault's, or it is damaged. The vault was "
            "not opened, and nothing was changed. Keep both files as they are (copy them "
            "somewhere safe), then restore the vault from one of your backups.",
            path=path, details=(f"the -wal file does not read back ({len(rows)} rows)",))


def _refuse_damaged_pages(raw: Any, path: Path) -> None:
    """One damaged page refuses the whole vault at open, before anything reads it."""
    problems = _page_problems(raw)
    if problems:
        first = _first_problem(problems)
        raise VaultDamaged(
            f"This vault file is damaged ({first}), so it was not opened, and nothing in it "
            "was changed. " + VaultDamaged.generic_advice,
            path=path,
            details=problems,
        )


def key_connection(raw: Any, passphrase: str, test_kdf_iter: int | None) -> None:
    """Key a new raw SQLCipher connection, and prove the key with a first read.

    `PRAGMA key` itself always says ok: a wrong passphrase (or a file that is not a vault)
    shows at the first read, as `sqlcipher3.DatabaseError` "file is not a database".
    SQLCipher's defaults otherwise; `test_kdf_iter` (tests only) lowers the PBKDF2 rounds.
    """
    key = sql_string(passphrase)
    # Every statement is read to its end: one left running would keep a probe connection
    # (`_passphrase_matches`) alive after its close, holding a read lock on the WAL.
    raw.execute("PRAGMA cipher_log_level = NONE").fetchall()
    raw.execute(f"PRAGMA key = {key}").fetchall()
    if test_kdf_iter is not None:
        raw.execute(f"PRAGMA kdf_iter = {int(test_kdf_iter)}").fetchall()
    raw.execute("SELECT count(*) FROM sqlite_master").fetchall()


@contextlib.contextmanager
def attached_keyed(
    raw: Any, path: Path, schema: str, passphrase: str, test_kdf_iter: int | None
) -> Iterator[None]:
    """A new file `path` attached to `raw` as `schema`, keyed like `key_connection` keys the
    vault (same rounds), to be written by `sqlcipher_export`; detached after.

    For new files only: SQLCipher reads an existing file at ATTACH, before `kdf_iter` can
    be set. ATTACH cannot run in a transaction; the raw connection is in autocommit between
    the engine's transactions.
    """
    key = sql_string(passphrase)
    # The name as the bytes the file system has: a folder whose name is not UTF-8 (a lone
    # surrogate in Python) cannot be sent as text, but SQLite takes the bytes as they are.
    raw.execute(f"ATTACH DATABASE CAST(? AS TEXT) AS {schema} KEY {key}", (os.fsencode(path),))
    try:
        if test_kdf_iter is not None:
            raw.execute(f"PRAGMA {schema}.kdf_iter = {int(test_kdf_iter)}")
        yield
    finally:
        raw.execute(f"DETACH DATABASE {schema}")


def _keyed_connection_any_form(
    path: Path, passphrase: str, test_kdf_iter: int | None, *, create: bool,
    read_only: bool = False,
) -> tuple[Any, str]:
    """`_keyed_connection` with the NFC form of `passphrase`, then with the exact text if that
    differs: a vault keyed before passphrases were normalised still opens. Each try runs
    the key derivation; there are two at most, and only when the forms differ. Returns the
    connection and the form that opened it.
    """
    tries = passphrases.forms(passphrase)
    for form in tries[:-1]:
        with contextlib.suppress(WrongPassphrase):
            return _keyed_connection(path, form, test_kdf_iter, create=create,
                                     read_only=read_only), form
    return _keyed_connection(path, tries[-1], test_kdf_iter, create=create,
                             read_only=read_only), tries[-1]


def _keyed_connection(
    path: Path, passphrase: str, test_kdf_iter: int | None, *, create: bool,
    read_only: bool = False,
) -> Any:
    """Connect, key, and prove the key with a first read (PRAGMA key itself always says ok)."""
    mode = "rwc" if create else "ro" if read_only else "rw"
    uri = f"{path.as_uri()}?mode={mode}"
    sql_string(passphrase)  # refuses NUL before the file is touched
    try:
        raw = sqlcipher3.connect(uri, uri=True, check_same_thread=False)
    except sqlcipher3.Error as err:
        raise _damage_unless_storage(err, read_only=read_only, path=path) from None
    try:
        key_connection(raw, passphrase, test_kdf_iter)
    except sqlcipher3.DatabaseError as err:
        if sqlite_code(err) == SQLITE_NOTADB:  # a wrong key reads as "not a database"
            raw.close()
            raise WrongPassphrase() from None
        mapped = _damage_unless_storage(err, read_only=read_only, path=path)
        if isinstance(mapped, VaultDamaged):  # the schema's own pages: say which ones
            try:
                _refuse_damaged_pages(raw, path)
            except VaultDamaged as detailed:
                mapped = detailed
            except sqlcipher3.Error:
                pass
        raw.close()
        raise mapped from None
    except BaseException:
        raw.close()
        raise
    return raw


def _make_private(path: Path) -> None:
    """Encrypted or not, a vault is readable and writable by its owner only."""
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)


def _engine_for(raw: Any) -> Engine:
    """An engine over the one keyed connection (StaticPool: never a second connection).

    SQLAlchemy, not the driver, begins transactions (SQLAlchemy's recipe for pysqlite,
    "Serializable isolation / Savepoints / Transactional DDL"): the driver's legacy mode
    begins one only before INSERT/UPDATE/DELETE, so DDL such as a migration's CREATE TABLE
    committed at once, and a migration failing half-way left a half-migrated vault. With
    the driver's own handling off, the raw connection is in autocommit outside the
    engine's transactions, which the PRAGMAs, ATTACH and `sqlcipher_export` of this module
    need anyway.
    """
    engine = create_engine(
        "sqlite+groupleader://", creator=lambda: raw, poolclass=StaticPool,
        hide_parameters=True,  # clinical text never appears in an error message or log
        execution_options={"compiled_cache": _STATEMENTS},
    )

    @event.listens_for(engine, "connect")
    def _driver_begins_nothing(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine


def _configure(raw: Any, *, read_only: bool = False) -> None:
    """The connection's settings. A read-only connection keeps the journal mode the file
    has: a vault a killed program left in WAL mode is read through its WAL (leaving WAL
    would write)."""
    for pragma in (
        "foreign_keys = ON",
        "secure_delete = ON",
        "temp_store = MEMORY",
        *(() if read_only else ("journal_mode = DELETE",)),  # until the first write
        f"synchronous = {SYNCHRONOUS}",
        f"journal_size_limit = {WAL_SIZE_LIMIT}",
        "busy_timeout = 5000",
    ):
        raw.execute(f"PRAGMA {pragma}").fetchall()
    if raw.execute("PRAGMA temp_store").fetchone()[0] != 2:
        raise VaultDamaged("This SQLCipher build cannot keep temporary data in memory.")


def _verifier_of(passphrase: str, salt: bytes | None = None) -> tuple[bytes, bytes]:
    """(salt, scrypt of the NFC passphrase): checks a passphrase without keeping it."""
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.scrypt(_comparable(passphrase), salt=salt, n=2**14, r=8, p=1,
                            maxmem=64 * 1024 * 1024, dklen=32)
    return salt, digest


def _comparable(passphrase: str) -> bytes:
    """A passphrase as bytes to compare: NFC (the same text however the keyboard composed
    it), and a lone surrogate kept rather than refused."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8", "surrogatepass")


def _passphrase_matches(path: Path, passphrase: str, test_kdf_iter: int | None) -> bool:
    """Check a passphrase against the file on disk with a second, read-only connection."""
    uri = f"{path.as_uri()}?mode=ro"
    try:
        probe = sqlcipher3.connect(uri, uri=True)
    except sqlcipher3.Error as err:
        raise _storage_or_damage(err) from None
    try:
        key_connection(probe, passphrase, test_kdf_iter)
        return True
    except sqlcipher3.DatabaseError:
        return False
    finally:
        probe.close()


def _search_entries_wait(raw: Any) -> bool:
    """Whether any member note's search entry waits for the end of its editing burst
    (a program killed mid-burst leaves one): a read at open; the first write catches up."""
    try:
        return bool(raw.execute("SELECT EXISTS (SELECT 1 FROM note_fts_behind)").fetchone()[0])
    except sqlcipher3.OperationalError:  # a schema before 0011 (a vault opened for verify)
        return False


def _database_size(raw: Any) -> int:
    pages = raw.execute("PRAGMA page_count").fetchone()[0]
    return int(pages) * int(raw.execute("PRAGMA page_size").fetchone()[0])


def _megabytes(size: int) -> str:
    return f"{max(1, round(size / 1e6))} MB"


def _out_of_space(err: BaseException, folder: Path, needed: int) -> bool:
    """Whether writing a copy of `needed` bytes into `folder` failed for want of space.

    `sqlcipher_export` reports every failure as SQLITE_ERROR (the code of the statement
    that failed inside it is lost), so besides the codes the free space itself is asked.
    """
    if sqlite_code(err) == SQLITE_FULL:
        return True
    if getattr(err, "errno", None) in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return True
    try:
        return shutil.disk_usage(folder).free < needed
    except OSError:
        return False


def _export(raw: Any, new_file: Path, passphrase: str, test_kdf_iter: int | None) -> None:
    """Write the whole database into the new file `new_file`, keyed with `passphrase`."""
    with attached_keyed(raw, new_file, "backup", passphrase, test_kdf_iter):
        raw.execute("SELECT sqlcipher_export('backup')")
        _make_private(new_file)
        version = raw.execute("PRAGMA main.user_version").fetchone()[0]
        raw.execute(f"PRAGMA backup.user_version = {int(version)}")


class _Verifier:
    """`_verifier_of(passphrase)` on a thread of its own, started before the key derivation:
    both run in C without Python's lock, so the scrypt adds nothing to an unlock."""

    def __init__(self, passphrase: str) -> None:
        self._value: tuple[bytes, bytes] | None = None
        self._thread = threading.Thread(target=self._run, args=(passphrase,),
                                        name="vault-verifier", daemon=True)
        self._thread.start()

    def _run(self, passphrase: str) -> None:
        with contextlib.suppress(ValueError, MemoryError):  # no verifier: matches nothing
            self._value = _verifier_of(passphrase)

    def result(self) -> tuple[bytes, bytes] | None:
        self._thread.join()
        return self._value


READ_DAMAGE = "a page did not read back as it was written"
DAMAGED_WHILE_OPEN = (
    "Part of this vault file is damaged ({first}), so nothing more will be saved into it. "
    "What you typed since unlocking is still on screen: copy anything you need. "
    + VaultDamaged.generic_advice
)


class _PagesBehind:
    """The open-time page check, run behind the first view (`Vault.open(...,
    check_pages_later=True)`): SQLCipher's check of every page's HMAC on a second,
    read-only connection keyed with the same passphrase, while the window already reads
    and saves through the vault's own connection.

    The check reads the file itself, not through a transaction, so a checkpoint writing a
    page at the same moment could make a sound page look torn: a finding is confirmed
    under the vault's lock with its own connection (nothing writes the file then) before
    it counts. A confirmed finding makes every later write fail (`Vault._damage`); a
    sound file clears `Vault._page_check`. The
    thread holds the passphrase only until its connection is keyed.
    """

    def __init__(self, vault: Vault, passphrase: str) -> None:
        self._vault = vault
        self.finding: VaultDamaged | None = None
        self._thread = threading.Thread(target=self._run, args=(passphrase,),
                                        name="vault-pages-behind", daemon=True)

    def start(self) -> None:
        """Begin the check; after the vault holds this check (`Vault._page_check`), since
        a finding counts only for the check the vault still holds."""
        self._thread.start()

    def _run(self, passphrase: str) -> None:
        vault = self._vault
        try:
            probe = _keyed_connection(vault.path, passphrase, vault._test_kdf_iter,
                                      create=False, read_only=True)
        except BaseException as err:  # cannot check now: the next open checks again
            log.warning("The vault's pages could not be checked (%s)", type(err).__name__)
            return
        del passphrase
        try:
            problems = _page_problems(probe)
        finally:
            probe.close()
        with vault._mutex:
            if vault._page_check is not self or vault._raw is None:
                return  # closed meanwhile: its next open checks again
            if problems:  # confirmed with the file as the vault's own connection sees it
                problems = _page_problems(vault._raw)
            if problems:
                self.finding = VaultDamaged(
                    DAMAGED_WHILE_OPEN.format(first=_first_problem(problems)),
                                            path=vault.path, details=problems)
                vault._found_damage(self.finding)
            else:
                vault._page_check = None

    def wait(self, timeout: float | None = None) -> VaultDamaged | None:
        self._thread.join(timeout)
        return self.finding


_COPY_CHUNK = 4 * 1024 * 1024
_DAMAGED_NO_BACKUP = (
    "Part of the vault file is damaged, so no backup was made and your earlier backups were "
    "kept. Restore the newest backup that opens (File > Restore from Backup…)."
)


class _PageCheck:
    """SQLCipher's page check (`PRAGMA cipher_integrity_check`) on a thread of its own,
    while the caller copies the file: the check is SHA-512 over every page and the copy
    is reading, writing and syncing, so side by side a backup costs about the longer of
    the two instead of their sum. The caller holds the vault's lock and sends nothing to
    the connection until `result`, which waits for the check (always call it)."""

    def __init__(self, raw: Any) -> None:
        self._raw = raw
        self._rows: list[Any] = []
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="vault-page-check",
                                        daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._rows = self._raw.execute("PRAGMA cipher_integrity_check").fetchall()
        except BaseException as err:  # handed to the caller's thread by `result`
            self._error = err

    def result(self) -> bool:
        """Wait for the check; whether every page read back as it was written."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        return not self._rows


def _copy_vault_file(
    raw: Any, path: Path, dest: Path, progress: Callable[[int, int], None] | None = None
) -> None:
    """Copy the vault's encrypted file to `dest` (atomically, fsynced, private to its owner).

    The copy opens with the vault's passphrase and holds the same records, audit trail and
    identity, and it needs no key: nothing secret is kept for automatic backups. It is taken
    with the vault's lock held and no transaction open, when the file on disk is the whole
    database (a rollback journal exists only during a commit; a WAL is checkpointed first).
    SQLCipher's page check runs while the file is copied (`_PageCheck`), and the copy is
    kept only if it finds nothing, so a damaged vault never becomes a "backup" that
    rotation would keep in place of a good one.
    """
    if raw.in_transaction:
        raise RuntimeError("A backup cannot be taken inside a unit of work.")
    try:
        if str(raw.execute("PRAGMA journal_mode").fetchall()[0][0]).lower() == "wal":
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    except sqlcipher3.Error as err:
        raise _storage_or_damage(err) from None
    try:
        with atomic.atomic_path(dest, replace=False) as tmp:  # made empty and 0600
            check = _PageCheck(raw)
            try:
                _copy_bytes(path, tmp, progress, sync=True)  # synced while the check runs
            finally:
                intact = check.result()
            if not intact:
                raise VaultDamaged(_DAMAGED_NO_BACKUP)
            _make_private(tmp)
    except sqlcipher3.Error as err:
        raise _storage_or_damage(err) from None
    except OSError as err:
        raise StorageError(
            f"The backup could not be written to {dest.parent} ({err.strerror or err}). "
            "Choose another folder or free some space."
        ) from None


def _copy_bytes(src_path: Path, dest_path: Path,
                progress: Callable[[int, int], None] | None, *, sync: bool = False) -> None:
    """Copy one file's bytes in `_COPY_CHUNK` pieces, in the kernel where it can
    (`os.copy_file_range`), telling `progress` the bytes done. With `sync` the copy is
    fsynced here, so a backup's flush overlaps the page check (the CPU-bound long pole)
    instead of following it; the caller's own sync then finds nothing left to write."""
    with open(src_path, "rb") as src, open(dest_path, "wb") as out:
        total, done = os.fstat(src.fileno()).st_size, 0
        in_kernel = hasattr(os, "copy_file_range")
        while done < total:
            n = 0
            if in_kernel:
                try:
                    n = os.copy_file_range(src.fileno(), out.fileno(), _COPY_CHUNK,
                                           done, done)
                except OSError as err:  # another file system, an old kernel: read and write
                    if err.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL,
                                         errno.EOPNOTSUPP):
                        raise
                    in_kernel = False
            if not in_kernel:
                src.seek(done)
                chunk = src.read(_COPY_CHUNK)
                out.seek(done)
                out.write(chunk)
                n = len(chunk)
            if n == 0:  # the file is shorter than it said (it cannot be while locked)
                break
            done += n
            if progress is not None:
                progress(done, total)
        if sync:
            out.flush()
            os.fsync(out.fileno())


def _audit(db: Session, action: str) -> None:
    audit.record(db, action, "vault", None)


__all__ = [
    "Vault",
    "VaultInUse",
    "attached_keyed",
    "check_new_passphrase",
    "key_connection",
    "sql_string",
]
