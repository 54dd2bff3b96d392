"""The program's options: one typed module over QSettings with declared keys and defaults.

QSettings holds paths, numbers, flags and window state only, never clinical text (no
names, no notes, no group names). Each option is declared once below with its key and
default (the Picard pattern), so a reader sees every stored value in one place.

Tests give `Settings` a file of their own (`Settings(path=tmp_path / "s.ini")`) so they
never touch the user's real settings.

The settings file is private to its owner: it is created empty with mode 0600 (and its
folder, when the program makes it, 0700) before QSettings first writes it, because
QSettings keeps the mode of an existing file but makes a new one through the umask
(0644). A file left more open by an earlier version is made 0600 again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar, overload

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T")

ORGANIZATION = "GroupLeader"
APPLICATION = "GroupLeader"
MAX_RECENT = 8


def _default_backup_dir() -> Path:
    from groupleader.paths import default_backup_dir  # platformdirs: only when needed

    return default_backup_dir()


class Option(Generic[T]):
    """A declared setting: `key` in QSettings, its Python type and its default.

    The default may be a callable (evaluated when read), for defaults that depend on the
    computer, such as the backup folder.
    """

    def __init__(self, key: str, kind: type, default: T | Callable[[], T]) -> None:
        self.key = key
        self.kind = kind
        self._default = default

    @property
    def default(self) -> T:
        return self._default() if callable(self._default) else self._default

    @overload
    def __get__(self, obj: None, owner: type) -> Option[T]: ...
    @overload
    def __get__(self, obj: Settings, owner: type) -> T: ...

    def __get__(self, obj: Settings | None, owner: type) -> Option[T] | T:
        if obj is None:
            return self
        return obj.read(self)

    def __set__(self, obj: Settings, value: T) -> None:
        obj.write(self, value)


def _convert(kind: type, raw: Any, default: Any) -> Any:
    """QSettings gives strings back from INI files: turn them into `kind`, or the default."""
    if raw is None:
        return default
    try:
        if kind is bool:
            if isinstance(raw, str):
                return raw.strip().lower() in ("true", "1", "yes")
            return bool(raw)
        if kind is int:
            return int(raw)
        if kind is str:
            return str(raw)
        if kind is list:
            if isinstance(raw, str):
                return [raw] if raw else []
            return [str(x) for x in raw]
        if kind is QByteArray:
            return raw if isinstance(raw, QByteArray) else QByteArray(raw)
    except (TypeError, ValueError):
        return default
    return raw


class Settings:
    """Every option the program stores, typed, with its default."""

    # Window (restored at start)
    window_geometry: Option[QByteArray] = Option("window/geometry", QByteArray, QByteArray())
    window_state: Option[QByteArray] = Option("window/state", QByteArray, QByteArray())
    splitter_state: Option[QByteArray] = Option("window/splitter", QByteArray, QByteArray())

    # Vaults (paths only)
    recent_vaults: Option[list[str]] = Option("vaults/recent", list, [])

    # Locking
    auto_lock_minutes: Option[int] = Option("lock/auto_lock_minutes", int, 10)

    # Backups
    backup_folder: Option[str] = Option(
        "backup/folder", str, lambda: str(_default_backup_dir())
    )
    backup_count: Option[int] = Option("backup/count", int, 20)

    # Notes and export
    unsigned_draft_warning_days: Option[int] = Option("notes/unsigned_warning_days", int, 7)
    export_deidentify: Option[bool] = Option("export/deidentify", bool, True)
    export_include_process_notes: Option[bool] = Option(
        "export/include_process_notes", bool, False
    )
    practice_name: Option[str] = Option("export/practice_name", str, "")  # printed on PDFs

    # Display
    screen_share_safe: Option[bool] = Option("display/screen_share_safe", bool, False)

    # The clinician profile (an id in the vault) for each vault path, as JSON {path: id}
    _clinician_ids: Option[str] = Option("profile/clinician_ids", str, "{}")
    # The roster's status filters (status names only) for each vault path, as JSON
    # {path: ["active", ...]}
    _roster_filters: Option[str] = Option("roster/status_filters", str, "{}")

    # Where the window was in each vault (ids only), as JSON {path: {"group": id, ...}}
    _places: Option[str] = Option("vaults/places", str, "{}")

    # The folder last chosen for each kind of file (ui/file_dialogs.py), as JSON
    # {kind: folder}: folders only, never a file's name
    _last_folders: Option[str] = Option("files/last_folders", str, "{}")

    def __init__(self, qsettings: QSettings | None = None, *, path: Path | None = None) -> None:
        if qsettings is None:
            if path is not None:
                qsettings = QSettings(str(path), QSettings.Format.IniFormat)
            else:
                qsettings = QSettings(
                    QSettings.Format.IniFormat,
                    QSettings.Scope.UserScope,
                    ORGANIZATION,
                    APPLICATION,
                )
        self.qsettings = qsettings
        self._make_private()

    def _make_private(self) -> None:
        """Create the settings file 0600 (its new folders 0700) or narrow an existing one."""
        import contextlib
        import os

        from groupleader.errors import GroupLeaderError

        if self.qsettings.format() != QSettings.Format.IniFormat:
            return  # the registry on Windows, a plist on macOS: not a file of ours
        path = Path(self.qsettings.fileName())
        with contextlib.suppress(OSError, GroupLeaderError):  # settings still work in memory
            if not path.parent.exists():
                from groupleader.data.outputs import make_private_folder

                make_private_folder(path.parent)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            os.close(fd)
            if path.stat().st_mode & 0o077:
                os.chmod(path, 0o600)

    # ------------------------------------------------------------------ generic
    def read(self, option: Option[T]) -> T:
        default = option.default
        return _convert(option.kind, self.qsettings.value(option.key), default)

    def write(self, option: Option[T], value: T) -> None:
        self.qsettings.setValue(option.key, value)

    def reset(self, option: Option[Any]) -> None:
        self.qsettings.remove(option.key)

    def sync(self) -> None:
        self.qsettings.sync()

    @classmethod
    def options(cls) -> list[Option[Any]]:
        """Every declared option (for tests and documentation)."""
        return [v for v in vars(cls).values() if isinstance(v, Option)]

    # ------------------------------------------------------------------ recent vaults
    def add_recent_vault(self, path: Path | str) -> None:
        """Put `path` first in the recent list (kept to MAX_RECENT, no duplicates)."""
        text = str(Path(path).expanduser().absolute())
        recent = [p for p in self.recent_vaults if p != text]
        self.recent_vaults = [text, *recent][:MAX_RECENT]

    def forget_recent_vault(self, path: Path | str) -> None:
        text = str(Path(path).expanduser().absolute())
        self.recent_vaults = [p for p in self.recent_vaults if p != text]

    # ------------------------------------------------------------------ clinician profile
    def _profiles(self) -> dict[str, int]:
        data = _json_object(self._clinician_ids)
        return {str(k): int(v) for k, v in data.items() if isinstance(v, int)}

    def clinician_for(self, vault_path: Path | str) -> int | None:
        """The id of the clinician profile chosen for this vault, if any."""
        return self._profiles().get(_vault_key(vault_path))

    def set_clinician_for(self, vault_path: Path | str, clinician_id: int | None) -> None:
        profiles = self._profiles()
        key = str(Path(vault_path).expanduser().absolute())
        if clinician_id is None:
            profiles.pop(key, None)
        else:
            profiles[key] = int(clinician_id)
        import json

        self._clinician_ids = json.dumps(profiles, sort_keys=True)

    # ------------------------------------------------------------------ roster filters
    def _filters(self) -> dict[str, list[str]]:
        import json

        try:
            data = json.loads(self._roster_filters)
        except (TypeError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {str(k): [str(s) for s in v] for k, v in data.items()
                if isinstance(v, list) and all(isinstance(s, str) for s in v)}

    def roster_filters_for(self, vault_path: Path | str) -> list[str] | None:
        """The roster status filters last shown for this vault (None: never chosen)."""
        return self._filters().get(str(Path(vault_path).expanduser().absolute()))

    def set_roster_filters_for(self, vault_path: Path | str, statuses: list[str]) -> None:
        import json

        filters = self._filters()
        filters[str(Path(vault_path).expanduser().absolute())] = list(statuses)
        self._roster_filters = json.dumps(filters, sort_keys=True)

    # ------------------------------------------------------------------ place per vault
    def place_for(self, vault_path: Path | str) -> dict[str, int]:
        """Where the window was in this vault: "group", "view" (the tab's index) and
        "meeting", each an id or index (never a name); missing keys were not set."""
        entry = _json_object(self._places).get(_vault_key(vault_path))
        if not isinstance(entry, dict):
            return {}
        return {k: v for k, v in entry.items()
                if k in PLACE_KEYS and isinstance(v, int) and not isinstance(v, bool)}

    def set_place_for(self, vault_path: Path | str, place: dict[str, int | None]) -> None:
        import json

        places = _json_object(self._places)
        places[_vault_key(vault_path)] = {
            k: int(v) for k, v in place.items() if k in PLACE_KEYS and v is not None}
        self._places = json.dumps(places, sort_keys=True)

    # ------------------------------------------------------------------ file choosers
    def last_folder(self, kind: str) -> str | None:
        """The folder last chosen for this kind of file (ui/file_dialogs.py), if any."""
        found = _json_object(self._last_folders).get(kind)
        return found if isinstance(found, str) and found else None

    def set_last_folder(self, kind: str, folder: Path | str) -> None:
        import json

        folders = _json_object(self._last_folders)
        folders[kind] = str(Path(folder).expanduser().absolute())
        self._last_folders = json.dumps(folders, sort_keys=True)


PLACE_KEYS = ("group", "view", "meeting")


def _vault_key(vault_path: Path | str) -> str:
    return str(Path(vault_path).expanduser().absolute())


def _json_object(text: str) -> dict[str, Any]:
    """A JSON object kept in one setting; {} for anything else (a hand-edited file)."""
    import json

    try:
        data = json.loads(text)
    except (TypeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
