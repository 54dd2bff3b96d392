"""Dated, encrypted backups in a folder, keeping the newest N."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from groupleader.data.vault import Vault

_STAMP = "%Y%m%dT%H%M%S%fZ"
_PATTERN = re.compile(r"^(?P<stem>.+)\.backup-(?P<stamp>\d{8}T\d{12}Z)\.vault$")


def backup_name(vault_path: Path, now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).strftime(_STAMP)
    return f"{vault_path.stem}.backup-{stamp}.vault"


def list_backups(folder: Path, vault_path: Path | None = None) -> list[Path]:
    """Backups in `folder` (of one vault, if given), oldest first."""
    if not folder.is_dir():
        return []
    found = []
    for p in folder.iterdir():
        m = _PATTERN.match(p.name)
        if m and (vault_path is None or m["stem"] == vault_path.stem):
            found.append((m["stamp"], p))
    return [p for _, p in sorted(found)]


def last_backup_time(folder: Path, vault_path: Path) -> datetime | None:
    backups = list_backups(folder, vault_path)
    if not backups:
        return None
    return backup_time(backups[-1])


def backup_time(backup: Path) -> datetime:
    """When a backup was made, from its name."""
    m = _PATTERN.match(backup.name)
    assert m is not None
    return datetime.strptime(m["stamp"], _STAMP).replace(tzinfo=UTC)


def newest_backup(vault_path: Path, folders: Iterable[Path]) -> Path | None:
    """The newest backup of the vault in any of `folders` (unreadable folders skipped)."""
    found: list[tuple[datetime, Path]] = []
    for folder in dict.fromkeys(Path(f).expanduser() for f in folders):
        try:
            found += [(backup_time(p), p) for p in list_backups(folder, vault_path)]
        except OSError:
            continue
    return max(found)[1] if found else None


def restore_advice(vault_path: Path, folders: Iterable[Path]) -> str:
    """What to do about a damaged vault: which backup to restore (the newest one found)."""
    folders = list(dict.fromkeys(Path(f).expanduser() for f in folders))
    newest = newest_backup(vault_path, folders)
    keep = "and keep the damaged file: it may still be recovered."
    if newest is None:
        where = " or ".join(str(f) for f in folders) or "the backup folder"
        return (f"No backup of it was found in {where}; restore your newest backup from "
                f"wherever you keep them, {keep}")
    made = backup_time(newest).astimezone().strftime("%d %B %Y, %H:%M")
    return (f"Restore your newest backup, {newest} (made {made}), into a new vault file "
            f"(File > Restore from Backup… in the window), {keep}")


def make_backup(vault: Vault, folder: Path, keep: int = 20) -> Path:
    """Write a new dated backup into `folder`, then delete all but the newest `keep`."""
    dest = vault.backup_to(Path(folder) / backup_name(vault.path))
    rotate(folder, vault.path, keep)
    return dest


def rotate(folder: Path, vault_path: Path, keep: int) -> list[Path]:
    keep = max(1, keep)
    backups = list_backups(folder, vault_path)
    removed = backups[:-keep]
    for p in removed:
        p.unlink(missing_ok=True)
    return removed
