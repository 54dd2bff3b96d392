"""Where an output may go: one check for every file the program writes outside the vault.

Every export (PDF, roster CSV), backup, restored copy and new vault passes its
destination through `check_destination` before anything is written, from the command
line and from the window alike. The rules:

- the folder must already exist and be a folder: nothing here creates folders, so an
  unmounted USB stick is reported as a missing folder instead of filling a folder of the
  same name on the local disk (`make_private_folder` is for the program's own folders);
- the name must fit the file system (255 bytes) and be valid text;
- the open vault (by inode: also through a symbolic or hard link), its sidecar files
  (`-journal`, `-wal`, `-shm`, `.lock`) and any existing vault or backup are never
  replaced; an existing file is replaced only when asked and only by the same kind of
  output (a PDF by a PDF, a CSV by a CSV); a vault-like output (backup, restored copy,
  demo, new vault) never replaces anything.

Failures are `GroupLeaderError`s whose message is one sentence that says what to do, so
the command line prints one line and the window one dialog. `write_error` turns an
`OSError` met while writing into such a sentence.
"""

from __future__ import annotations

import contextlib
import errno
import os
from enum import StrEnum
from pathlib import Path

from groupleader.errors import GroupLeaderError, InvalidInput, StorageError, VaultExists

NAME_MAX = 255  # bytes in one file name on every file system the program meets
SQLITE_HEADER = b"SQLite format 3\x00"
VAULT_SIDECARS = ("-journal", "-wal", "-shm", ".lock")
_SNIFF = 64 * 1024  # how much of an existing file is read to tell its kind


class Kind(StrEnum):
    PDF = "pdf"
    CSV = "csv"
    VAULT = "vault"  # an encrypted copy: backup, restored copy, demo vault, new vault


_WHAT = {Kind.PDF: "a PDF file", Kind.CSV: "a CSV text file", Kind.VAULT: "a vault"}


def path_text_ok(text: str) -> bool:
    """Whether `text` can be a file name here (a lone surrogate cannot)."""
    try:
        os.fsencode(text)
    except UnicodeError:
        return False
    return "\x00" not in text


def check_text(value: str, what: str) -> str:
    """Refuse text that cannot be stored or printed (a lone surrogate, a NUL)."""
    try:
        value.encode("utf-8")
    except UnicodeError:
        raise InvalidInput(
            f"The {what} holds a character that is not valid text (a lone surrogate or a "
            "byte that is not UTF-8). Type it again; nothing was written.", what) from None
    if "\x00" in value:
        raise InvalidInput(f"The {what} holds a NUL character. Type it again; nothing was "
                           "written.", what)
    return value


def _check_path_text(path: Path | str) -> None:
    if not path_text_ok(str(path)):
        raise InvalidInput(
            "The file or folder name holds a character that cannot be part of a file name "
            "(a lone surrogate or a NUL). Choose another name; nothing was written.",
            "destination")


def check_vault_name(path: Path | str) -> None:
    """A vault-like file's full path must be valid UTF-8: SQLite takes file names as UTF-8
    text (a name made of other bytes, from a Latin-1 terminal, can name a PDF, not a vault)."""
    try:
        str(Path(path).expanduser().absolute()).encode("utf-8")
    except UnicodeError:
        raise InvalidInput(
            "A vault or backup needs a file and folder name that is valid UTF-8 text, and "
            "this one holds other bytes. Choose a name of ordinary letters; nothing was "
            "written.", "destination") from None


def check_folder(folder: Path | str) -> Path:
    """An existing folder the program may write into, as an absolute path."""
    _check_path_text(folder)
    path = Path(folder).expanduser().absolute()
    try:
        is_dir = path.is_dir()
        exists = is_dir or os.path.lexists(path)
    except OSError as err:  # a name too long, a loop of links
        raise write_error(err, path) from None
    if not exists:
        raise InvalidInput(
            f"The folder {path} does not exist. Connect the drive it is on, or create the "
            "folder first, or choose another; nothing was written.", "destination")
    if not is_dir:
        raise InvalidInput(
            f"{path} is a file, not a folder. Choose a folder; nothing was written.",
            "destination")
    if not os.access(path, os.W_OK | os.X_OK):
        raise InvalidInput(
            f"You may not write into the folder {path}. Choose another folder; nothing was "
            "written.", "destination")
    return path


def is_folder(path: Path | str) -> bool:
    """Whether `path` is an existing folder (False for a name the system refuses)."""
    try:
        return path_text_ok(str(path)) and Path(path).expanduser().is_dir()
    except OSError:
        return False


def probe_folder(folder: Path) -> None:
    """Create and remove a private file in `folder`, to learn before a long write (a new
    vault's key derivation, a demo) whether the folder takes files at all."""
    from groupleader.data.atomic import _create_private, _forget

    try:
        probe = _create_private(folder, "probe")
    except OSError as err:
        raise write_error(err, folder / "probe") from None
    _forget(probe.name)
    with contextlib.suppress(OSError):
        probe.unlink()


def names_a_folder(text: str) -> bool:
    """Whether a typed destination ends in a path separator, so it means a folder."""
    seps = tuple(s for s in (os.sep, os.altsep) if s)
    return text.endswith(seps)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


def _looks_like(path: Path, kind: Kind) -> bool:
    """Whether the existing file at `path` is an output of `kind` (so it may be replaced)."""
    if kind is Kind.VAULT or path.is_symlink() or not path.is_file():
        return False
    try:
        with open(path, "rb") as fh:
            head = fh.read(_SNIFF)
    except OSError:
        return False
    if kind is Kind.PDF:
        return head.startswith(b"%PDF-")
    # A CSV is text: no NUL byte and valid UTF-8 (a cut character at the end allowed). An
    # encrypted vault is random bytes, which are neither; a PDF or SQLite file is refused.
    if b"\x00" in head or head.startswith((b"%PDF-", SQLITE_HEADER)):
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as err:
        return len(head) == _SNIFF and err.start >= len(head) - 3
    return True


def is_vault_file(path: Path, vault_path: Path | str | None) -> bool:
    """Whether `path` is the vault itself (by inode) or one of its sidecar files."""
    if vault_path is None:
        return False
    vault = Path(vault_path).expanduser().absolute()
    if _same_file(path, vault):
        return True
    sidecars = {vault.name + s for s in VAULT_SIDECARS} | {vault.name}
    return path.name in sidecars and _same_file(path.parent, vault.parent)


def check_destination(
    dest: Path | str,
    kind: Kind,
    *,
    vault_path: Path | str | None = None,
    replace: bool = False,
    exists_hint: str = "Choose another name; nothing was overwritten.",
) -> Path:
    """The absolute path an output of `kind` may be written to, or a `GroupLeaderError`.

    `vault_path` is the open vault (never replaced, nor its sidecar files). With
    `replace`, an existing file is replaced only if it is the same kind of output (never
    for `Kind.VAULT`); without it any existing file is refused with `exists_hint`.
    """
    _check_path_text(dest)
    if kind is Kind.VAULT:
        check_vault_name(dest)
    if isinstance(dest, str) and names_a_folder(dest):
        raise InvalidInput(f"{dest} ends in a slash, so it names a folder. Give the file's "
                           "name; nothing was written.", "destination")
    path = Path(dest).expanduser().absolute()
    size = len(os.fsencode(path.name))
    if size > NAME_MAX:
        raise InvalidInput(
            f"The file name is too long ({size} bytes; a name may have at most {NAME_MAX}). "
            "Choose a shorter name; nothing was written.", "destination")
    if is_vault_file(path, vault_path):
        raise InvalidInput(
            "That is the vault itself (or one of its own files), which an export or copy "
            "never replaces. Choose another name; nothing was written or overwritten.",
            "destination")
    try:
        if path.is_dir():
            raise InvalidInput(
                f"{path} is a folder. Give a file name inside it; nothing was written.",
                "destination")
        exists = os.path.lexists(path)
    except OSError as err:
        raise write_error(err, path) from None
    check_folder(path.parent)
    if kind is Kind.VAULT and not exists:
        probe_folder(path.parent)
    if exists:
        if not replace:
            raise VaultExists(f"{path} already exists. {exists_hint}")
        if not _looks_like(path, kind):
            if kind is Kind.VAULT:
                raise VaultExists(
                    f"{path} already exists, and a vault or backup is never written over "
                    "another file. Choose a new name; nothing was overwritten.")
            raise VaultExists(
                f"{path} already exists and is not {_WHAT[kind]}, so it is not replaced "
                "(it could be a vault or a backup). Choose another name; nothing was "
                "overwritten.")
    return path


def write_error(err: OSError, dest: Path | str) -> GroupLeaderError:
    """The sentence for an `OSError` met while writing `dest` (nothing is left behind)."""
    where = Path(dest).parent
    code = err.errno
    if code == errno.ENOSPC or code == getattr(errno, "EDQUOT", -1):
        return StorageError(f"The disk with {where} is full. Free some space or choose "
                            "another folder; nothing was written.")
    if code == errno.EROFS:
        return StorageError(f"The folder {where} is on a read-only disk. Choose another "
                            "folder; nothing was written.")
    if code in (errno.EACCES, errno.EPERM):
        return InvalidInput(f"You may not write into the folder {where}. Choose another "
                            "folder; nothing was written.", "destination")
    if code == errno.ENAMETOOLONG:
        return InvalidInput("The file name or its folder's path is too long. Choose a "
                            "shorter name; nothing was written.", "destination")
    if code == errno.ENOTDIR:
        return InvalidInput(f"{where} (or a folder above it) is not a folder. Choose a "
                            "folder; nothing was written.", "destination")
    if code == errno.ENOENT:
        if where.is_dir():  # /proc and the like: a folder that takes no new files
            return InvalidInput(f"The folder {where} does not take new files (it is a "
                                "system folder). Choose another folder; nothing was written.",
                                "destination")
        return InvalidInput(f"The folder {where} does not exist (is the drive connected?). "
                            "Choose another folder; nothing was written.", "destination")
    if code == errno.EISDIR:
        return InvalidInput(f"{dest} is a folder. Give a file name inside it; nothing was "
                            "written.", "destination")
    if code == errno.EEXIST:
        return VaultExists(f"{dest} already exists. Choose another name; nothing was "
                           "overwritten.")
    reason = err.strerror or type(err).__name__
    return StorageError(f"The file could not be written to {where} ({reason}). Choose "
                        "another folder or check the drive; nothing was written.")


def make_private_folder(folder: Path | str) -> Path:
    """Create the program's own folder (and missing parents) as 0700; an existing one is
    left as it is. Only for the program's folders: a user's destination must exist."""
    path = Path(folder).expanduser().absolute()
    missing = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    try:
        for part in reversed(missing):
            part.mkdir(mode=0o700, exist_ok=True)
            os.chmod(part, 0o700)
    except OSError as err:
        raise StorageError(
            f"The folder {path} cannot be created ({err.strerror or err}). Choose another "
            "folder in Settings; your vault itself is safe.") from None
    return path
