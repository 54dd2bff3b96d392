"""Import the data layer and the views on a thread while the passphrase is typed.

Unlocking needs SQLAlchemy, Alembic, SQLCipher, the services and the three views' modules:
about a second of imports that the first window must not pay (start-up) and the unlock
should not add to the key derivation. The unlock page starts `start()` on the first key
typed into its passphrase field, so the imports run while the rest is typed.

Only Python imports run on the thread: no QObject or widget is made there (the views'
modules define classes and plain value constants such as `QColor`, which belong to no
thread). Anything on the UI thread that would import these modules itself first calls
`settle()`, which waits for the thread, so no module is ever imported by two threads at
once (a circular import between two threads could otherwise see a half-made module).
"""

from __future__ import annotations

import importlib
import threading

# In the order the unlock imports them (data first: the views import it).
MODULES = (
    "groupleader.data.vault",
    "groupleader.data.operations",
    "groupleader.data.services",
    "groupleader.data.operations.roster",
    "groupleader.data.operations.meetings",
    "groupleader.data.operations.notes",
    "groupleader.data.operations.seating",
    "groupleader.ui.workspace",
    "groupleader.ui.groups",
    "groupleader.ui.cosign_queue",
    "groupleader.ui.backup_actions",
    "groupleader.ui.roster",
    "groupleader.ui.seating",
    "groupleader.ui.sessions",
)

_lock = threading.Lock()
_thread: threading.Thread | None = None


def _import_all() -> None:
    for name in MODULES:
        try:
            importlib.import_module(name)
        except Exception:  # the UI thread's own import of it reports the error
            return
    try:  # the ORM's mappers, set up once per process: else by the unlock's first query
        from sqlalchemy.orm import configure_mappers

        configure_mappers()
    except Exception:  # the first query configures them, and reports what is wrong
        return


def start() -> None:
    """Begin the imports on a daemon thread (once; later calls do nothing)."""
    global _thread
    with _lock:
        if _thread is None:
            _thread = threading.Thread(target=_import_all, name="groupleader-preload",
                                       daemon=True)
            _thread.start()


def settle() -> None:
    """Wait until the imports begun by `start()` are done (at once if none were begun)."""
    thread = _thread
    if thread is not None and thread is not threading.current_thread():
        thread.join()


def done() -> bool:
    """True once `start()` ran and its imports are finished."""
    thread = _thread
    return thread is not None and not thread.is_alive()
