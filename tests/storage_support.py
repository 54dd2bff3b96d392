"""Storage that refuses, for real: read-only mounts, a small filesystem that fills up,
a user without write permission, a damaged page.

Tests run as root in CI, and root ignores file permissions (CAP_DAC_OVERRIDE). So a
permission check runs its program in a subprocess that has dropped those capabilities
from its bounding set before it starts Python (prctl PR_CAPBSET_DROP): it stays root,
owner of the test's files, but is held to their permission bits like any owner. (Not
`setuid(nobody)`: the interpreter may live under a folder only root can enter.) Run as
an ordinary user, the subprocess is that user, held to the bits anyway. Read-only media
and full disks are real mounts (a read-only bind mount, a small tmpfs), which root may
make; where a mount is impossible the test is skipped and says why. CI runs as root,
where both are possible.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGE = 4096  # SQLCipher 4's page size


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sidecars(vault: Path) -> list[str]:
    """What SQLite leaves beside a vault it did not close cleanly (none may remain)."""
    return [p.name for p in vault.parent.iterdir()
            if p.name.startswith(vault.name + "-")]  # -journal, -wal, -shm


def damage_a_middle_page(vault: Path) -> int:
    """Overwrite eight bytes inside a page in the middle of the file; the page number."""
    return damage_page(vault, len(vault.read_bytes()) // PAGE // 2 + 1)


def damage_page(vault: Path, page: int) -> int:
    """Overwrite eight bytes inside page `page` (1-based, as SQLite counts); `page`."""
    data = bytearray(vault.read_bytes())
    at = (page - 1) * PAGE + 1000
    data[at:at + 8] = bytes(b ^ 0xFF for b in data[at:at + 8])
    vault.write_bytes(bytes(data))
    return page


def _run(*args: str | Path) -> None:
    subprocess.run([str(a) for a in args], check=True, capture_output=True, timeout=30)


def _unmount(folder: Path) -> None:
    try:
        _run("umount", folder)
    except subprocess.CalledProcessError:
        _run("umount", "-l", folder)  # busy: detach now, free when the last user goes


@contextlib.contextmanager
def read_only_mount(folder: Path) -> Iterator[None]:
    """`folder` becomes a read-only bind mount of itself, as a write-protected drive is.

    Root ignores permissions but not a read-only mount, so this holds for root too.
    """
    if not is_root() or shutil.which("mount") is None:
        pytest.skip("a read-only bind mount needs root and mount(8); CI runs as root")
    try:
        _run("mount", "--bind", folder, folder)
    except (OSError, subprocess.CalledProcessError) as err:
        pytest.skip(f"this machine cannot bind-mount ({err})")
    try:
        _run("mount", "-o", "remount,bind,ro", folder)
        yield
    finally:
        _unmount(folder)


@contextlib.contextmanager
def small_filesystem(folder: Path, size: int) -> Iterator[Path]:
    """A tmpfs of `size` bytes mounted on `folder` (made if missing): a disk that fills."""
    if not is_root() or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root and mount(8); CI runs as root")
    folder.mkdir(exist_ok=True)
    try:
        _run("mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", folder)
    except (OSError, subprocess.CalledProcessError) as err:
        pytest.skip(f"this machine cannot mount a tmpfs ({err})")
    try:
        yield folder
    finally:
        _unmount(folder)


# Started first as root: drops the capabilities that override file permissions from
# the bounding set (so no program it starts can have them), then becomes the real program.
_DROP_AND_EXEC = """
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
PR_CAPBSET_DROP = 24
for cap in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
    if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")
os.execv(sys.executable, [sys.executable, *sys.argv[1:]])
"""


def run_unprivileged(args: Sequence[str | Path], home: Path, **env: str
                     ) -> subprocess.CompletedProcess[str]:
    """Run `python args...` with this checkout's code, held to file permissions (see the
    module's docstring). `home` holds its HOME and XDG folders."""
    full_env = {k: v for k, v in os.environ.items()
                if not k.startswith("XDG_") and k != "GROUPLEADER_PASSPHRASE"}
    full_env.update(PYTHONPATH=str(ROOT), HOME=str(home), XDG_DATA_HOME=str(home / "data"),
                    XDG_CONFIG_HOME=str(home / "config"), XDG_CACHE_HOME=str(home / "cache"),
                    QT_QPA_PLATFORM="offscreen", **env)
    launcher = ["-c", _DROP_AND_EXEC] if is_root() else []
    return subprocess.run([sys.executable, *launcher, *[str(a) for a in args]],
                          capture_output=True, text=True, env=full_env, cwd=home,
                          stdin=subprocess.DEVNULL, timeout=120, check=False)
