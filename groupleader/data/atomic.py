"""Write an output file so that a crash leaves either nothing or the whole file.

The writer gets a hidden temporary file beside the destination, created private to its
owner (0600) before a byte is written, named `.<name>.gl<pid>-<random>.partial`. On
success it is synced and renamed onto the destination. A process killed in between
leaves that temporary file behind; `cleanup_partials` removes such leftovers the next
time the program writes into the same folder (and the window at unlock, for the vault's
folder and the backup folder). It removes only files that are provably this program's
partial writes: its naming pattern, owned by this user, and either written by a process
that no longer runs or untouched for `STALE_AFTER` seconds. Partials of writes still
running in this process are never touched.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from groupleader.errors import VaultExists

STALE_AFTER = 10 * 60  # seconds without a write after which a partial is abandoned
_SUFFIX = ".partial"
_OURS = re.compile(r"^\..*\.gl(?P<pid>\d+)-[0-9a-f]{8}\.partial(?:-journal|-wal|-shm)?$")
# The names of earlier versions (tempfile.mkstemp): only removed once stale.
_LEGACY = re.compile(r"^\..+\.[a-z0-9_]{8}\.partial(?:-journal)?$")
_in_flight: set[str] = set()
_in_flight_lock = threading.Lock()
_one_folder = threading.local()  # `one_folder_sync`: the folder whose sync waits, if any


def fsync_dir(directory: Path) -> None:
    if os.name == "nt":  # directories cannot be opened for fsync on Windows
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _partial_name(dest_name: str) -> str:
    """`.<name>.gl<pid>-<random>.partial`, the name cut (whole characters) to fit 255 bytes."""
    tail = f".gl{os.getpid()}-{secrets.token_hex(4)}{_SUFFIX}"
    room = 255 - len(tail.encode()) - 1 - len("-journal")  # SQLite adds -journal beside it
    raw = os.fsencode(dest_name)[:room]
    name = os.fsdecode(raw)
    while len(os.fsencode(name)) > room:  # a cut UTF-8 sequence decoded to escapes
        name = name[:-1]
    return f".{name}{tail}"


def _pid_alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill would end the process there; rely on the age alone
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def cleanup_partials(folder: Path | str) -> list[Path]:
    """Remove this program's abandoned partial writes from `folder`; returns what went.

    Never raises: a folder that cannot be read or a file that cannot be removed is left.
    """
    removed: list[Path] = []
    now = time.time()
    uid = os.getuid() if hasattr(os, "getuid") else None
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        ours = _OURS.match(entry.name)
        if ours is None and _LEGACY.match(entry.name) is None:
            continue
        base = entry.name[: entry.name.rfind(_SUFFIX) + len(_SUFFIX)]  # journal: its file
        with _in_flight_lock:
            if base in _in_flight:
                continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if not entry.is_file(follow_symlinks=False) or (uid is not None and st.st_uid != uid):
            continue
        stale = now - st.st_mtime > STALE_AFTER
        writer_gone = ours is not None and (
            int(ours["pid"]) == os.getpid() or not _pid_alive(int(ours["pid"])))
        if stale or writer_gone:  # a partial of our own pid not in flight is a leftover
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def _create_private(folder: Path, dest_name: str) -> Path:
    """Create the empty 0600 temporary file, registered as in flight before it exists."""
    for _ in range(100):
        name = _partial_name(dest_name)
        with _in_flight_lock:
            _in_flight.add(name)
        try:
            fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            _forget(name)
            continue
        except BaseException:
            _forget(name)
            raise
        os.close(fd)
        return folder / name
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(folder))


def _forget(name: str) -> None:
    with _in_flight_lock:
        _in_flight.discard(name)


def _put_in_place(tmp: Path, dest: Path, replace: bool) -> None:
    if replace:
        os.replace(tmp, dest)
        return
    try:  # a hard link never replaces an existing file, even one made a moment ago
        os.link(tmp, dest)
    except FileExistsError:
        raise VaultExists(f"{dest} already exists. Choose another name; nothing was "
                          "overwritten.") from None
    except OSError:  # no hard links here (FAT, exFAT on a USB stick): a checked rename
        if os.path.lexists(dest):
            raise VaultExists(f"{dest} already exists. Choose another name; nothing was "
                              "overwritten.") from None
        os.replace(tmp, dest)
        return
    os.unlink(tmp)


@contextlib.contextmanager
def atomic_path(dest: Path, *, replace: bool = True) -> Iterator[Path]:
    """Yield a temporary path beside `dest`; on success fsync it and rename it onto `dest`.

    The folder must exist (nothing here creates one). The temporary file exists already,
    empty and 0600, so whatever is written into it is private from the first byte; it is
    removed on any error. With `replace=False` an existing `dest` (even one that appears
    while writing) is never replaced. An `OSError` comes out as a `GroupLeaderError`
    whose message says what to do (see `groupleader.data.outputs.write_error`).
    """
    from groupleader.data.outputs import write_error

    dest = Path(dest)
    deferred = getattr(_one_folder, "folder", None) == dest.parent
    if not deferred:
        cleanup_partials(dest.parent)
    try:
        tmp = _create_private(dest.parent, dest.name)
    except OSError as err:
        raise write_error(err, dest) from None
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            if hasattr(os, "fchmod"):  # in case a writer made the file anew
                os.fchmod(fh.fileno(), 0o600)
            os.fsync(fh.fileno())
        _put_in_place(tmp, dest, replace)
        if not deferred:
            fsync_dir(dest.parent)
    except OSError as err:
        raise write_error(err, dest) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()  # gone already after a successful rename
        _forget(tmp.name)


@contextlib.contextmanager
def one_folder_sync(folder: Path) -> Iterator[None]:
    """Many atomic writes into `folder` (a batch export): its leftover partials are
    cleaned once, before the first, and the folder is synced once, after the last (also
    when the batch stops early), instead of for each file. Each file is still synced
    before its rename, so each one is whole or absent whatever happens; a crash may only
    lose the names of the last files written (they are absent then, never partial)."""
    folder = Path(folder)
    if getattr(_one_folder, "folder", None) is not None:  # already inside a batch
        yield
        return
    cleanup_partials(folder)
    _one_folder.folder = folder
    try:
        yield
    finally:
        _one_folder.folder = None
        with contextlib.suppress(OSError):
            fsync_dir(folder)


def write_bytes_atomic(dest: Path, data: bytes, *, replace: bool = True) -> None:
    with atomic_path(dest, replace=replace) as tmp:
        tmp.write_bytes(data)
