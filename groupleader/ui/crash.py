"""What happens when something unexpected goes wrong in the window.

A calm dialog instead of a silent failure, and a report on stderr that names the error's
type and where it happened but never its message: a message can quote data (a file's
content, a value that was refused), and stderr may end up in a terminal's scrollback or
a bug report.
"""

from __future__ import annotations

import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication

from groupleader.errors import GroupLeaderError

UNEXPECTED = (
    "Something unexpected went wrong ({kind}). What you typed is saved as you type, so "
    "your notes are safe up to the last second or two. You can go on working; if this "
    "happens again, close and reopen Group Leader."
)


def report(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    """The stderr report: the error's type and the frames, without the message."""
    lines = [f"Group Leader: unexpected {exc_type.__name__} (message withheld)\n"]
    lines += traceback.format_tb(tb)
    return "".join(lines)


def handle(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        QApplication.quit()
        return
    sys.stderr.write(report(exc_type, exc, tb))
    text = exc.message if isinstance(exc, GroupLeaderError) else UNEXPECTED.format(
        kind=exc_type.__name__
    )
    parent = QApplication.activeWindow()
    from PySide6.QtWidgets import QMessageBox  # loaded when needed, not at start-up

    QMessageBox.critical(parent, "Group Leader", text)


def install() -> None:
    sys.excepthook = handle
