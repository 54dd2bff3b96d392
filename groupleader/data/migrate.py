"""Bring a vault's schema up to date with Alembic, after an encrypted backup of it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from groupleader.errors import VaultTooNew

SCRIPT_LOCATION = str(Path(__file__).resolve().parent / "migrations")


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def pre_upgrade_backup_path(vault_path: Path, from_revision: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    name = (
        f"{vault_path.stem}.before-upgrade-{from_revision}-{stamp}{vault_path.suffix or '.vault'}"
    )
    return vault_path.with_name(name)


def upgrade(engine: Engine, backup: Callable[[str], object] | None) -> None:
    """Upgrade to head. `backup(current_revision)` runs first when an old schema is upgraded.

    A vault whose revision this program does not know was made by a newer version: it is
    refused untouched.
    """
    cfg = _config()
    script = ScriptDirectory.from_config(cfg)
    head = script.get_current_head()
    current = current_revision(engine)
    if current is not None:
        try:
            known = script.get_revision(current) is not None
        except Exception:  # alembic raises several types for an unknown revision
            known = False
        if not known:
            raise VaultTooNew()
    if head is None or current == head:
        return
    if current is not None and backup is not None:
        backup(current)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
