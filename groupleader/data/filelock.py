"""An exclusive lock on a vault that the operating system drops when the process dies.

The lock is taken on an empty sidecar file (`<vault>.lock`), never on the vault itself,
so it cannot interfere with SQLite's own byte-range locks. The sidecar holds no data and
is left in place on close: deleting a lock file races with a second opener.

A vault opened read-only may sit in a folder where the sidecar cannot be created (a
read-only drive or folder). Then an existing sidecar is locked through a read-only
handle (`flock` needs no write access), and where there is none (or it belongs to
another user), the vault file itself is locked with `flock` through a read-only handle:
on Linux and macOS `flock` locks are separate from the byte-range (`fcntl`) locks SQLite
takes, so they do not interfere. Two read-only openers still exclude each other; a
writer elsewhere that uses the sidecar is not excluded by a lock on the file itself, but
on read-only media there is no writer. The handle is closed only after the vault's
connection (see `Vault.close`).
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

from groupleader.errors import VaultInUse

_CANNOT_WRITE = (errno.EACCES, errno.EPERM, errno.EROFS)


class VaultLock:
    def __init__(self, vault_path: Path, *, read_only: bool = False) -> None:
        self.vault_path = vault_path
        self.path = vault_path.with_name(vault_path.name + ".lock")
        self.read_only = read_only
        self._fd: int | None = None
        self.locked_path: Path | None = None  # the file the lock is held on

    def _open(self) -> tuple[int, Path]:
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600), self.path
        except OSError as err:
            if not self.read_only or err.errno not in _CANNOT_WRITE:
                raise
        try:
            return os.open(self.path, os.O_RDONLY), self.path
        except OSError as err:  # none, or another user's that this one may not open
            if err.errno not in (errno.ENOENT, *_CANNOT_WRITE):
                raise
            return os.open(self.vault_path, os.O_RDONLY), self.vault_path

    def acquire(self) -> None:
        """Take the lock; `VaultInUse` if another process holds it, OSError if the folder
        cannot hold a lock file (and the vault is not read-only)."""
        fd, where = self._open()
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            raise VaultInUse() from None
        self._fd = fd
        self.locked_path = where

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            _unlock(self._fd)
        finally:
            os.close(self._fd)
            self._fd = None
            self.locked_path = None

    @property
    def held(self) -> bool:
        return self._fd is not None


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
