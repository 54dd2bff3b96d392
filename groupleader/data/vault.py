"""The vault: one SQLCipher 4 file that holds every clinical record.

One keyed connection serves the whole program. Units of work are serialized by a lock,
which is simpler and safer than a pool of connections (each of which would run the key
derivation again) for a desktop program with one user. The connection uses SQLCipher's
defaults (so any SQLCipher 4 tool opens the file with the passphrase alone), a rollback
journal (encrypted like the database, and gone when the vault is closed, so a closed
vault is exactly one file), `secure_delete`, and a temp store in memory, because
SQLCipher does not encrypt temp files.

Passphrases are keyed in Unicode NFC (`groupleader.passphrases`); a vault keyed with
another form still opens. The open vault keeps no copy of the passphrase: backups are
copies of the encrypted file, which open with the same passphrase.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import os
import shutil
import threading
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Connection, Engine, create_engine, event, exc
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlcipher import SQLiteDialect_pysqlcipher
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from groupleader import passphrases
from groupleader.data import atomic, audit, migrate
from groupleader.data.filelock import VaultLock
from groupleader.errors import (
    GroupLeaderError,
    InvalidInput,
    SignedNoteError,
    StorageError,
    VaultDamaged,
    VaultExists,
    VaultInUse,
    VaultMissing,
    WrongPassphrase,
)

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
MIN_PASSPHRASE_LENGTH = passphrases.MIN_LENGTH
_STORAGE_WORDS = ("disk is full", "disk i/o", "readonly", "read-only", "unable to open")
_LOCKED_WORDS = ("signed note is locked", "signature is locked", "addendum is locked")
_DAMAGE_WORDS = ("malformed", "not a database", "corrupt", "file is encrypted")


class _PrekeyedDialect(SQLiteDialect_pysqlcipher):
    """The pysqlcipher dialect for a connection that arrives already keyed and checked.

    The stock dialect sends `PRAGMA key` from the URL on every connect; ours comes from
    `Vault._connect`, which keys, checks and configures the connection itself.
    """

    supports_statement_cache = True

    def on_connect_url(self, url: Any) -> Any:
        return SQLiteDialect_pysqlite.on_connect_url(self, url)


registry.register("sqlite.groupleader", __name__, "_PrekeyedDialect")


def sql_string(value: str) -> str:
    """Quote `value` as an SQL string literal (PRAGMA key and ATTACH take no parameters)."""
    if "\x00" in value:
        raise InvalidInput("A passphrase or path cannot contain a NUL character.", "passphrase")
    return "'" + value.replace("'", "''") + "'"


def _storage_or_damage(err: BaseException) -> BaseException:
    """The user-facing error for a database error, or `err` itself if it is a plain bug."""
    text = str(err).lower()
    if any(word in text for word in _STORAGE_WORDS):
        return StorageError()
    if any(word in text for word in _LOCKED_WORDS):
        return SignedNoteError()
    if any(word in text for word in _DAMAGE_WORDS):
        return VaultDamaged()
    return err


def _damage_unless_storage(err: BaseException) -> GroupLeaderError:
    """While opening, any database error that is not about storage means a damaged file."""
    mapped = _storage_or_damage(err)
    return mapped if isinstance(mapped, GroupLeaderError) else VaultDamaged()


class Vault:
    """An open, unlocked vault. Create with `Vault.create` or `Vault.open`."""

    def __init__(
        self,
        path: Path,
        raw: Any,
        engine: Engine,
        lock: VaultLock,
        test_kdf_iter: int | None,
    ) -> None:
        self.path = path
        # No passphrase is kept: backups copy the encrypted file (see `backup_to`). The
        # key itself lives only inside SQLCipher, which wipes it when the connection closes.
        self._raw = raw
        self._lock = lock
        self._test_kdf_iter = test_kdf_iter
        self._mutex = threading.RLock()
        self._inode = os.stat(path).st_ino
        self.last_saved: datetime | None = None
        self.engine: Engine | None = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        # A salted slow hash of the passphrase (never the passphrase), so a window locked
        # with the vault kept open can check it while the disk is full or gone.
        self._verifier: tuple[bytes, bytes] | None = None

    # ------------------------------------------------------------------ opening
    @classmethod
    def create(
        cls, path: Path | str, passphrase: str, *, test_kdf_iter: int | None = None
    ) -> Vault:
        """Create a new vault file; refuses to touch an existing file.

        The vault is keyed with the NFC form of `passphrase` (see `groupleader.passphrases`).
        """
        path = Path(path).expanduser().absolute()
        passphrase = passphrases.normalize(passphrase)
        check_new_passphrase(passphrase, passphrases.user_words(path))
        if path.exists():
            raise VaultExists()
        path.parent.mkdir(parents=True, exist_ok=True)
        return cls._unlock(path, passphrase, test_kdf_iter, create=True)

    @classmethod
    def open(cls, path: Path | str, passphrase: str, *, test_kdf_iter: int | None = None) -> Vault:
        """Open and unlock an existing vault, bringing its schema up to date.

        A wrong passphrase leaves the file byte-for-byte unchanged: nothing is written
        before the first page has been read with the key. The NFC form of `passphrase` is
        tried first, then the exact text if it differs (a vault keyed before passphrases
        were normalised).
        """
        path = Path(path).expanduser().absolute()
        _check_looks_like_vault(path)
        return cls._unlock(path, passphrase, test_kdf_iter, create=False)

    @classmethod
    def _unlock(
        cls, path: Path, passphrase: str, test_kdf_iter: int | None, *, create: bool
    ) -> Vault:
        """Lock the file, key and check the connection, migrate; undo it all on failure.

        A vault being created is removed again if anything fails, so `create` leaves
        either a whole vault or nothing. An existing vault's schema is upgraded only after
        an encrypted backup of it as it was.
        """
        lock = VaultLock(path)
        lock.acquire()
        try:
            raw = _keyed_connection_any_form(path, passphrase, test_kdf_iter, create=create)
            try:
                if create:
                    _make_private(path)
                    raw.execute("CREATE TABLE _created (at TEXT)")  # writes page 1 out
                    raw.execute("DROP TABLE _created")
                    raw.commit()
                _configure(raw)
                engine = _engine_for(raw)

                def backup(rev: str) -> None:
                    _copy_vault_file(raw, path, migrate.pre_upgrade_backup_path(path, rev))

                migrate.upgrade(engine, backup=None if create else backup)
            except BaseException as err:
                raw.close()
                if create:
                    with contextlib.suppress(FileNotFoundError):
                        path.unlink()
                if isinstance(err, sqlcipher3.DatabaseError | exc.DBAPIError):
                    raise _damage_unless_storage(getattr(err, "orig", None) or err) from None
                raise
        except BaseException:
            lock.release()
            raise
        vault = cls(path, raw, engine, lock, test_kdf_iter)
        vault._verifier = _verifier_of(passphrase)
        vault._record_unlock()
        return vault

    def _record_unlock(self) -> None:
        with self.unit_of_work() as db:
            audit.record(db, "vault.unlock", "vault", None)

    # ------------------------------------------------------------------ using
    @property
    def is_open(self) -> bool:
        return self.engine is not None

    @contextlib.contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One user action: a session that commits on success and rolls back on error."""
        if self.engine is None:
            raise GroupLeaderError("The vault is locked. Unlock it to go on.")
        with self._mutex:
            session = self._sessions()
            changes_before = self._raw.total_changes
            try:
                yield session
                session.flush()
                wrote = self._raw.total_changes != changes_before
                if wrote:
                    self._check_still_there()
                session.commit()
                if wrote:
                    self.last_saved = datetime.now(UTC)
            except exc.DBAPIError as err:
                session.rollback()
                self._check_still_there()
                mapped = _storage_or_damage(err.orig or err)
                if mapped is err.orig:
                    raise
                raise mapped from None
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()

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
        """Re-encrypt the vault with a new passphrase (SQLCipher rekey; atomic).

        `new` is keyed in NFC; `old` is checked in NFC, then as given if that differs.
        """
        new = passphrases.normalize(new)
        check_new_passphrase(new, passphrases.user_words(self.path))
        with self._mutex:
            self._require_open()
            if not any(
                _passphrase_matches(self.path, form, self._test_kdf_iter)
                for form in passphrases.forms(old)
            ):
                raise WrongPassphrase("The current passphrase is not right; nothing was changed.")
            self._check_still_there()
            try:
                self._raw.execute(f"PRAGMA rekey = {sql_string(new)}")
            except sqlcipher3.DatabaseError as err:
                raise _storage_or_damage(err) from None
        with self.unit_of_work() as db:
            _audit(db, "vault.passphrase_changed")

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

    def backup_to(self, dest: Path | str, passphrase: str | None = None) -> Path:
        """Write an encrypted copy that opens with this vault's passphrase.

        The copy is the vault's own encrypted file, taken between two units of work, so no
        passphrase is needed. A `passphrase` given explicitly must be the vault's own (it is
        checked, NFC first, like `open`).
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
            _copy_vault_file(self._raw, self.path, dest)
        with self.unit_of_work() as db:
            _audit(db, "vault.backup")
        return dest

    def integrity_problems(self) -> list[str]:
        """SQLCipher's page check, SQLite's integrity and foreign-key checks, the audit chain."""
        problems: list[str] = []
        with self._mutex:
            self._require_open()
            raw = self._raw
            problems += [
                f"page check: {r[0]}" for r in raw.execute("PRAGMA cipher_integrity_check")
            ]
            problems += [
                f"integrity: {r[0]}" for r in raw.execute("PRAGMA integrity_check") if r[0] != "ok"
            ]
            problems += [
                f"foreign key: table {r[0]} row {r[1]}"
                for r in raw.execute("PRAGMA foreign_key_check")
            ]
        with self.unit_of_work() as db:
            problems += [f"audit trail: {p}" for p in audit.verify_chain(db)]
        return problems

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
                    self._raw.execute("PRAGMA synchronous = FULL")
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
            if self.engine is None:
                return
            try:
                self.engine.dispose()
                self._raw.close()
            finally:
                self.engine = None
                self._raw = None
                self._verifier = None
                self._lock.release()

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


def _check_looks_like_vault(path: Path) -> None:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise VaultMissing() from None
    if path.is_dir():
        raise VaultDamaged("That is a folder, not a vault file. Choose the vault file itself.")
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
            "This file is cut short or damaged, so it cannot be opened. Restore the vault "
            "from one of your backups."
        )


def key_connection(raw: Any, passphrase: str, test_kdf_iter: int | None) -> None:
    """Key a new raw SQLCipher connection, and prove the key with a first read.

    `PRAGMA key` itself always says ok: a wrong passphrase (or a file that is not a vault)
    shows at the first read, as `sqlcipher3.DatabaseError` "file is not a database".
    SQLCipher's defaults otherwise; `test_kdf_iter` (tests only) lowers the PBKDF2 rounds.
    """
    key = sql_string(passphrase)
    raw.execute("PRAGMA cipher_log_level = NONE")
    raw.execute(f"PRAGMA key = {key}")
    if test_kdf_iter is not None:
        raw.execute(f"PRAGMA kdf_iter = {int(test_kdf_iter)}")
    raw.execute("SELECT count(*) FROM sqlite_master").fetchone()


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
    raw.execute(f"ATTACH DATABASE {sql_string(str(path))} AS {schema} KEY {key}")
    try:
        if test_kdf_iter is not None:
            raw.execute(f"PRAGMA {schema}.kdf_iter = {int(test_kdf_iter)}")
        yield
    finally:
        raw.execute(f"DETACH DATABASE {schema}")


def _keyed_connection_any_form(
    path: Path, passphrase: str, test_kdf_iter: int | None, *, create: bool
) -> Any:
    """`_keyed_connection` with the NFC form of `passphrase`, then with the exact text if that
    differs: a vault keyed before passphrases were normalised still opens. Each try runs
    the key derivation; there are two at most, and only when the forms differ.
    """
    tries = passphrases.forms(passphrase)
    for form in tries[:-1]:
        with contextlib.suppress(WrongPassphrase):
            return _keyed_connection(path, form, test_kdf_iter, create=create)
    return _keyed_connection(path, tries[-1], test_kdf_iter, create=create)


def _keyed_connection(
    path: Path, passphrase: str, test_kdf_iter: int | None, *, create: bool
) -> Any:
    """Connect, key, and prove the key with a first read (PRAGMA key itself always says ok)."""
    mode = "rwc" if create else "rw"
    uri = f"{path.as_uri()}?mode={mode}"
    sql_string(passphrase)  # refuses NUL before the file is touched
    try:
        raw = sqlcipher3.connect(uri, uri=True, check_same_thread=False)
    except sqlcipher3.Error as err:
        raise _storage_or_damage(err) from None
    try:
        key_connection(raw, passphrase, test_kdf_iter)
    except sqlcipher3.DatabaseError as err:
        raw.close()
        if "not a database" in str(err):
            raise WrongPassphrase() from None
        raise _damage_unless_storage(err) from None
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
    )

    @event.listens_for(engine, "connect")
    def _driver_begins_nothing(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine


def _configure(raw: Any) -> None:
    for pragma in (
        "foreign_keys = ON",
        "secure_delete = ON",
        "temp_store = MEMORY",
        "journal_mode = DELETE",
        "synchronous = FULL",
        "busy_timeout = 5000",
    ):
        raw.execute(f"PRAGMA {pragma}")
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


def _copy_vault_file(raw: Any, path: Path, dest: Path) -> None:
    """Copy the vault's encrypted file to `dest` (atomically, fsynced, private to its owner).

    The copy opens with the vault's passphrase and holds the same records, audit trail and
    identity, and it needs no key: nothing secret is kept for automatic backups. It is taken
    with the vault's lock held and no transaction open, when the file on disk is the whole
    database (a rollback journal exists only during a commit; a WAL is checkpointed first).
    SQLCipher's page check runs first, so a damaged vault never becomes a "backup" that
    rotation would keep in place of a good one.
    """
    if raw.in_transaction:
        raise RuntimeError("A backup cannot be taken inside a unit of work.")
    try:
        if str(raw.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        if raw.execute("PRAGMA cipher_integrity_check").fetchall():
            raise VaultDamaged(
                "Part of the vault file is damaged, so no backup was made and your earlier "
                "backups were kept. Restore the newest backup that opens (File > Restore "
                "from Backup…)."
            )
    except sqlcipher3.Error as err:
        raise _storage_or_damage(err) from None
    try:
        with atomic.atomic_path(dest, replace=False) as tmp:  # made empty and 0600
            with open(path, "rb") as src, open(tmp, "wb") as out:
                shutil.copyfileobj(src, out, 1024 * 1024)
            _make_private(tmp)
    except OSError as err:
        raise StorageError(
            f"The backup could not be written to {dest.parent} ({err.strerror or err}). "
            "Choose another folder or free some space."
        ) from None


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
