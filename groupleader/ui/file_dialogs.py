"""Every file and folder chooser of the window, through one place.

A chooser starts where this kind of file was last chosen (the folder only, kept in the
settings per kind: `Settings.last_folder`), else in a folder the caller names because it
belongs to the meaning (the backup folder for a backup to restore, the open vault's
folder for a restored copy), else in the user's documents folder: never in the
program's working folder, which for a program started from a menu is some system folder.

Only the folder is remembered, never the file's name (a PDF's name holds a group's or
a session's name). QFileDialog's static methods are called here at call time, so tests
that patch them keep working.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QWidget

if TYPE_CHECKING:
    from groupleader.ui.settings import Settings

# The kinds of file whose folder is remembered apart (the keys kept in the settings).
PDF = "pdf"  # Export PDF… one file
PDF_FOLDER = "pdf_folder"  # Export PDF… a batch, one file per session
CSV_EXPORT = "csv_export"  # the roster's Export CSV…
CSV_IMPORT = "csv_import"  # the roster's Import…
VAULT = "vault"  # Open Vault…, the new vault's place
BACKUP = "backup"  # Restore from Backup…: the backup to read
RESTORE_TARGET = "restore_target"  # Restore from Backup…: the new file
BACKUP_FOLDER = "backup_folder"  # Settings: the backup folder
KINDS = (PDF, PDF_FOLDER, CSV_EXPORT, CSV_IMPORT, VAULT, BACKUP, RESTORE_TARGET,
         BACKUP_FOLDER)


def documents_folder() -> Path:
    """The user's documents folder (Qt's DocumentsLocation), else the home folder."""
    from PySide6.QtCore import QStandardPaths

    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if found and Path(found).is_dir():
        return Path(found)
    return Path.home()


def start_folder(settings: Settings | None, kind: str, fallback: Path | str | None = None) -> Path:
    """Where a chooser of `kind` opens: the folder last chosen for it if it is still
    there, else `fallback` if it is there, else the documents folder."""
    for candidate in (settings.last_folder(kind) if settings is not None else None, fallback):
        if candidate and Path(candidate).expanduser().is_dir():
            return Path(candidate).expanduser().absolute()
    return documents_folder()


def _remember(settings: Settings | None, kind: str, folder: Path) -> None:
    if settings is not None:
        settings.set_last_folder(kind, folder)


def save_file(parent: QWidget | None, settings: Settings | None, kind: str, title: str,
              name: str, filters: str, folder: Path | str | None = None) -> str:
    """A name to save a new file under (empty if cancelled); `name` the suggested file
    name, `folder` where to start when this kind has no remembered folder."""
    start = start_folder(settings, kind, folder) / Path(name).name
    chosen, _ = QFileDialog.getSaveFileName(parent, title, str(start), filters)
    if chosen:
        _remember(settings, kind, Path(chosen).parent)
    return chosen


def open_file(parent: QWidget | None, settings: Settings | None, kind: str, title: str,
              filters: str, folder: Path | str | None = None, name: str = "") -> str:
    """An existing file to read (empty if cancelled)."""
    start = start_folder(settings, kind, folder)
    chosen, _ = QFileDialog.getOpenFileName(
        parent, title, str(start / name) if name else str(start), filters)
    if chosen:
        _remember(settings, kind, Path(chosen).parent)
    return chosen


def choose_folder(parent: QWidget | None, settings: Settings | None, kind: str, title: str,
                  folder: Path | str | None = None) -> str:
    """A folder (empty if cancelled)."""
    chosen = QFileDialog.getExistingDirectory(parent, title, str(start_folder(settings, kind,
                                                                              folder)))
    if chosen:
        _remember(settings, kind, Path(chosen))
    return chosen
