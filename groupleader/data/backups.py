"""Dated, encrypted backups in a folder, keeping the newest N; restoring one to a new file.

A backup's name carries its vault's identity:
`<vault stem>.backup-<vault id>-<UTC time>.vault`. The vault id is derived from the
random salt SQLCipher writes into the first 16 bytes of every vault when it is created
(it stays the same when the passphrase changes). So every vault, old or new, has an id
without a schema change or a write, and two vaults that share a name (two
`clinic.vault` in two folders) share no backups. Rotation deletes a file only when it
can prove it is one of this vault's backups: the name has this vault's stem and id, it
is a regular file (not a link), it is not the vault itself, and it looks encrypted.
Backups named the older way (`<stem>.backup-<time>.vault`, without an id) are never
deleted by rotation: they may belong to any vault of that name.

A copy of a vault made outside the program (copying the file) has the same salt, so
the same id: give the copy another name, or another backup folder.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from groupleader.data import outputs
from groupleader.data.atomic import atomic_path
from groupleader.data.outputs import Kind
from groupleader.data.vault import Vault
from groupleader.errors import InvalidInput, VaultDamaged

_STAMP = "%Y%m%dT%H%M%S%fZ"
_PATTERN = re.compile(
    r"^(?P<stem>.+)\.backup-(?:(?P<id>[0-9a-f]{12})-)?(?P<stamp>\d{8}T\d{12}Z)\.vault$")
ID_LENGTH = 12  # hex digits: 48 bits of the salt's hash
SALT_SIZE = 16
MIN_VAULT_SIZE = 1024  # SQLCipher pages are at least this big


@dataclass(frozen=True)
class BackupFile:
    path: Path
    stem: str
    vault_id: str | None  # None: named the older way, owner unknown
    stamp: str

    @property
    def time(self) -> datetime:
        return datetime.strptime(self.stamp, _STAMP).replace(tzinfo=UTC)


def vault_identity(vault_path: Path | str) -> str | None:
    """The vault's identity: a hash of its SQLCipher salt (None for a plaintext file)."""
    try:
        with open(vault_path, "rb") as fh:
            salt = fh.read(SALT_SIZE)
    except OSError:
        return None
    if len(salt) < SALT_SIZE or salt == outputs.SQLITE_HEADER:
        return None
    return hashlib.sha256(b"groupleader vault id\x00" + salt).hexdigest()[:ID_LENGTH]


def _stem_for_name(vault_path: Path, room: int) -> str:
    """The vault's stem, cut (whole characters) so the backup's name fits 255 bytes."""
    stem = vault_path.stem
    while len(stem.encode("utf-8", "surrogateescape")) > room:
        stem = stem[:-1]
    return stem


def backup_name(vault_path: Path, now: datetime | None = None,
                identity: str | None = None) -> str:
    """`<stem>.backup-<vault id>-<UTC time>.vault` (the id read from the vault file unless
    given); the stem is cut to keep the name within 255 bytes."""
    identity = identity or vault_identity(vault_path)
    if identity is None:
        raise VaultDamaged("This vault's file cannot be read to name its backup. Check the "
                           "drive it is on; nothing was written.")
    stamp = (now or datetime.now(UTC)).strftime(_STAMP)
    tail = f".backup-{identity}-{stamp}.vault"
    return _stem_for_name(vault_path, outputs.NAME_MAX - len(tail)) + tail


def scan(folder: Path) -> list[BackupFile]:
    """Every file in `folder` named like a backup (of any vault), oldest first."""
    try:
        names = [p for p in Path(folder).iterdir()]
    except OSError:
        return []
    found = []
    for p in names:
        m = _PATTERN.match(p.name)
        if m:
            found.append(BackupFile(p, m["stem"], m["id"], m["stamp"]))
    return sorted(found, key=lambda b: (b.stamp, b.path.name))


def list_backups(folder: Path, vault_path: Path, identity: str | None = None) -> list[Path]:
    """This vault's backups in `folder` (its stem and id in the name), oldest first.

    The id is read from the vault file unless given; none can be proven without it.
    """
    identity = identity or vault_identity(vault_path)
    if identity is None:
        return []
    tail_room = outputs.NAME_MAX - len(f".backup-{identity}-{'0' * 22}.vault")
    stem = _stem_for_name(Path(vault_path), tail_room)
    return [b.path for b in scan(folder) if b.vault_id == identity and b.stem == stem]


def last_backup_time(folder: Path, vault_path: Path) -> datetime | None:
    backups = list_backups(folder, vault_path)
    if not backups:
        return None
    return backup_time(backups[-1])


def backup_time(backup: Path) -> datetime:
    """When a backup was made, from its name."""
    m = _PATTERN.match(backup.name)
    assert m is not None
    return datetime.strptime(m["stamp"], _STAMP).replace(tzinfo=UTC)


def newest_backup(vault_path: Path, folders: Iterable[Path]) -> Path | None:
    """The newest backup of the vault in any of `folders` (unreadable folders skipped)."""
    found: list[tuple[datetime, Path]] = []
    for folder in dict.fromkeys(Path(f).expanduser() for f in folders):
        try:
            found += [(backup_time(p), p) for p in list_backups(folder, vault_path)]
        except OSError:
            continue
    return max(found)[1] if found else None


def restore_advice(vault_path: Path, folders: Iterable[Path]) -> str:
    """What to do about a damaged vault: which backup to restore (the newest one found)."""
    folders = list(dict.fromkeys(Path(f).expanduser() for f in folders))
    newest = newest_backup(vault_path, folders)
    keep = "and keep the damaged file: it may still be recovered."
    if newest is None:
        where = " or ".join(str(f) for f in folders) or "the backup folder"
        return (f"No backup of it was found in {where}; restore your newest backup from "
                f"wherever you keep them, {keep}")
    made = backup_time(newest).astimezone().strftime("%d %B %Y, %H:%M")
    return (f"Restore your newest backup, {newest} (made {made}), into a new vault file "
            f"(File > Restore from Backup… in the window), {keep}")


def make_backup(
    vault: Vault, folder: Path, keep: int | None = 20,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Write a new dated backup into the existing `folder`, then keep the newest `keep`
    of this vault's backups there (None: delete none). `progress(done, total)` hears
    the bytes copied (a worker's progress bar; it may raise to cancel, leaving nothing)."""
    folder = outputs.check_folder(folder)
    dest = outputs.check_destination(folder / backup_name(vault.path), Kind.VAULT,
                                     vault_path=vault.path)
    written = vault.backup_to(dest, progress=progress)
    if keep is not None:
        rotate(folder, vault.path, keep)
    return written


def _provably_ours(path: Path, vault_path: Path) -> bool:
    """A regular file (no link), not the vault, of a vault's size, carrying the vault's
    own salt (so its identity, not only its name, says it is this vault's backup)."""
    try:
        st = path.lstat()
        if not path.is_file() or path.is_symlink() or st.st_size < MIN_VAULT_SIZE:
            return False
        if outputs.is_vault_file(path, vault_path):
            return False
        mine = vault_identity(vault_path)
        return mine is not None and vault_identity(path) == mine
    except OSError:
        return False


def rotate(folder: Path, vault_path: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` (at least 1) of this vault's backups in `folder`."""
    keep = max(1, keep)
    backups = [p for p in list_backups(folder, vault_path) if _provably_ours(p, vault_path)]
    removed = []
    for p in backups[:-keep]:
        try:
            p.unlink()
        except OSError:
            continue
        removed.append(p)
    return removed


def check_backup_file(backup: Path | str) -> Path:
    """The backup as an absolute path, if it can be a vault: a file, not empty, not a
    plaintext SQLite database, whole pages. Whether it opens needs its passphrase: that is
    checked when the restored copy is unlocked."""
    if not outputs.path_text_ok(str(backup)):
        raise InvalidInput("The backup's name holds a character that cannot be part of a "
                           "file name. Choose the file again.", "backup")
    path = Path(backup).expanduser().absolute()
    try:
        if path.is_dir():
            raise InvalidInput(f"{path} is a folder. Choose a backup file.", "backup")
        if not path.is_file():
            raise InvalidInput(f"There is no backup file at {path}. Choose another one.",
                               "backup")
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(len(outputs.SQLITE_HEADER))
    except OSError as err:
        raise InvalidInput(f"The backup {path} cannot be read ({err.strerror or err}). "
                           "Choose another one.", "backup") from None
    if size == 0:
        raise VaultDamaged(f"The file {path} is empty, so it is not a backup. Choose another.")
    if head == outputs.SQLITE_HEADER:
        raise VaultDamaged(f"The file {path} is an unencrypted SQLite database, not a Group "
                           "Leader backup. Choose another.")
    if size < MIN_VAULT_SIZE or size % 512:
        raise VaultDamaged(f"The file {path} is cut short or is not a vault, so it cannot "
                           "be restored. Choose another backup.")
    return path


def restore_backup(backup: Path | str, dest: Path | str,
                   open_vault: Path | str | None = None) -> Path:
    """Copy a backup to a NEW vault file `dest` (whole or nothing, 0600); returns `dest`.

    Never over an existing file, never onto the open vault or the backup itself.
    """
    source = check_backup_file(backup)
    target = outputs.check_destination(
        dest, Kind.VAULT, vault_path=open_vault,
        exists_hint="Nothing was restored or overwritten; choose a new file name for the "
                    "restored vault.")
    with atomic_path(target, replace=False) as tmp, open(source, "rb") as src, \
            open(tmp, "wb") as out:
        shutil.copyfileobj(src, out, 1024 * 1024)
    return target
