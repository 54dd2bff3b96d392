"""Where the program keeps things on this computer (no clinical data in any of them)."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_path

APP_DIR_NAME = "GroupLeader"


def data_dir() -> Path:
    """The user data folder; the default vault and backups live here."""
    return user_data_path(APP_DIR_NAME, appauthor=False)


def default_vault_path() -> Path:
    return data_dir() / "groupleader.vault"


def default_backup_dir() -> Path:
    return data_dir() / "backups"


def resources_dir() -> Path:
    """The project's `resources/` folder (fonts, icons, licences)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "resources", here.parent / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("Group Leader's resources folder is missing; reinstall the program.")
