"""Where the program keeps things on this computer (no clinical data in any of them)."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
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


def resources_dir() -> Traversable:
    """The package's `groupleader/resources/` (fonts, icons, licences).

    A `Traversable`, not a path: the package may live in a wheel or a zip. Open files with
    `.open()`/`.read_bytes()`, or `importlib.resources.as_file` where a real path is needed.
    """
    folder = files("groupleader") / "resources"
    if not folder.is_dir():
        raise FileNotFoundError(
            "Group Leader's resources folder is missing; reinstall the program."
        )
    return folder
