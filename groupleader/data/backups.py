"""Dated, encrypted backups in a folder, keeping the newest N."""

from __future__ import annotations

import re
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
    m = _PATTERN.match(backups[-1].name)
    assert m is not None
    return datetime.strptime(m["stamp"], _STAMP).replace(tzinfo=UTC)


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
