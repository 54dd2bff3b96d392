"""Keep the process's memory to itself: no core dumps, no debugger attaching.

While a vault is unlocked the process holds its key (inside SQLCipher) and, for a moment,
the passphrase and whatever text is on screen. A crash would otherwise write all of it
into a core file, in the clear. `protect_process` runs first thing at every start, the
window's and the command line's:

- the core file size limit becomes 0, hard and soft (`RLIMIT_CORE`), so no core is
  written and the process cannot raise the limit again;
- on Linux the process is marked not dumpable (`prctl(PR_SET_DUMPABLE, 0)`): no core even
  where the system pipes cores to a collector, and other processes of the same user can
  neither attach a debugger (ptrace) nor read its memory or most of `/proc/PID/`. The
  process itself still reads its own `/proc/self/`.

Both are best effort: where a call does not exist (Windows, macOS has no prctl) or is
refused, the program still runs. Python gives no control over copies the interpreter
makes of a string, and the swap file is the operating system's: an encrypted swap (or
none) is the user's part, see the README.
"""

from __future__ import annotations

import contextlib
import sys

PR_SET_DUMPABLE = 4
PR_GET_DUMPABLE = 3


def protect_process() -> None:
    """No core dumps of this process, and on Linux no ptrace by others (idempotent)."""
    with contextlib.suppress(ImportError, OSError, ValueError):
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)


def is_dumpable() -> bool | None:
    """Linux's dumpable flag of this process (None where it cannot be read)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return bool(ctypes.CDLL(None, use_errno=True).prctl(PR_GET_DUMPABLE, 0, 0, 0, 0))
    except (OSError, AttributeError):
        return None
