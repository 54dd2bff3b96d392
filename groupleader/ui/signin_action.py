"""Session > Sign-in Sheet…: the current session's sign-in sheet saved as a PDF to print.

The sheet (groupleader/report/signin_sheet.py) lists the members expected at the session
by first name and last initial, with a line to sign; it is written like every export
(private file mode, whole or nothing, an `export.pdf` audit event for the session).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from groupleader.errors import GroupLeaderError

if TYPE_CHECKING:
    from groupleader.ui.context import AppContext

TITLE = "Sign-in Sheet"


def save_signin_sheet(ctx: AppContext, parent: QWidget) -> Path | None:
    """Ask where to save the current session's sign-in sheet and write it; the path
    written, or None when there is no session, the user cancelled, or it failed (said)."""
    vault, meeting_id = ctx.vault, ctx.current_meeting_id
    if vault is None:
        return None
    if ctx.current_group_id is None or meeting_id is None:
        QMessageBox.information(parent, TITLE, "Choose a session first (in Sessions & Notes "
                                "or Seating), then print its sign-in sheet.")
        return None
    from groupleader.report import batch
    from groupleader.report.model import ReportOptions
    from groupleader.ui import file_dialogs

    job = batch.ExportJob("signin", ctx.current_group_id, meeting_id=meeting_id)
    try:
        rendered = batch.render_job(vault, job, ReportOptions(
            practice=ctx.settings.practice_name))
        name = file_dialogs.save_file(parent, ctx.settings, file_dialogs.PDF,
                                      "Save Sign-in Sheet", f"{rendered.file_stem}.pdf",
                                      "PDF files (*.pdf)")
        if not name:
            return None
        dest = Path(name) if name.lower().endswith(".pdf") else Path(name + ".pdf")
        path = batch.save_rendered(vault, job, rendered, dest)
    except GroupLeaderError as err:
        QMessageBox.warning(parent, TITLE, err.message)
        return None
    except OSError as err:
        QMessageBox.warning(parent, TITLE, f"The sign-in sheet could not be written "
                            f"({err.strerror or err}). Choose another folder.")
        return None
    ctx.status_message.emit(f"Saved {path.name}")
    return path
