"""Start the desktop program.

Only what the first screen needs is imported here (Qt widgets and the shell's own small
modules); the data layer (SQLAlchemy, Alembic), reports and services load when a vault is
unlocked. bench/bench_startup.py holds the start time against a bare Qt window.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from groupleader import __version__
from groupleader.ui.main_window import MainWindow
from groupleader.ui.settings import Settings


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    """The QApplication, with the names the desktop shows.

    No style or palette is forced: Qt follows the system's light or dark scheme and its
    high-DPI scaling on its own.
    """
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv or sys.argv))
    app.setApplicationName("GroupLeader")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("groupleader")
    return app


def create_main_window(
    settings: Settings | None = None, vault: str | Path | None = None
) -> MainWindow:
    return MainWindow(settings or Settings(), vault_path=vault)


def run_gui(vault: str | None = None, demo: bool = False) -> int:
    """Show the window (welcome, or unlock with `vault` preselected) and run until quit.

    With `demo`, a demo vault of invented data is made in a temporary folder and opened;
    its passphrase is printed on stdout.
    """
    from groupleader.hardening import protect_process

    protect_process()  # also when started without `groupleader.cli.main`
    app = create_application()
    from groupleader.ui import crash

    crash.install()
    window = create_main_window(vault=vault)
    window.show()
    if demo:
        QTimer.singleShot(0, window.open_demo)
    return app.exec()
