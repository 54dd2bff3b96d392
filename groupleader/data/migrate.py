"""Bring a vault's schema up to date with Alembic, after an encrypted backup of it."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from groupleader.errors import GroupLeaderError, VaultTooNew

SCRIPT_LOCATION = str(Path(__file__).resolve().parent / "migrations")

# FTS5 virtual tables the revisions create by hand (0001), which the models do not describe.
# SQLite adds shadow tables named after each (note_fts_data, note_fts_idx, ...).
FTS_TABLES = ("note_fts",)


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's `include_name` filter: leave the FTS5 tables out of schema comparisons."""
    if type_ != "table" or name is None:
        return True
    return not any(name == t or name.startswith(t + "_") for t in FTS_TABLES)


def _config(script_location: str | Path | None = None) -> Config:
    """Alembic's config; `script_location` (tests, tools) replaces the program's revisions."""
    cfg = Config()
    cfg.set_main_option("script_location", str(script_location or SCRIPT_LOCATION))
    return cfg


def _script(script_location: str | Path | None = None) -> ScriptDirectory:
    """The revisions, read once per process for each folder as its files are (reading and
    compiling them cost 70-90 ms at every unlock): a revision added or changed is read."""
    location = str(script_location or SCRIPT_LOCATION)
    try:
        files = tuple(sorted((e.name, e.stat().st_mtime_ns)
                             for e in os.scandir(Path(location) / "versions")
                             if e.name.endswith(".py")))
    except OSError:
        files = ()
    return _script_of(location, files)


@functools.lru_cache(maxsize=8)
def _script_of(location: str, files: tuple[tuple[str, int], ...]) -> ScriptDirectory:
    return ScriptDirectory.from_config(_config(location))


def head_revision(script_location: str | Path | None = None) -> str | None:
    return _script(script_location).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def pre_upgrade_backup_path(vault_path: Path, from_revision: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    name = (
        f"{vault_path.stem}.before-upgrade-{from_revision}-{stamp}{vault_path.suffix or '.vault'}"
    )
    return vault_path.with_name(name)


def _refuse_unknown(script: ScriptDirectory, current: str | None) -> None:
    """A revision this program does not know means a newer version made the vault."""
    if current is None:
        return
    try:
        known = script.get_revision(current) is not None
    except Exception:  # alembic raises several types for an unknown revision
        known = False
    if not known:
        raise VaultTooNew()


def needs_upgrade(engine: Engine, *, script_location: str | Path | None = None) -> bool:
    """Whether `upgrade` would change the schema (only reads; `VaultTooNew` if newer)."""
    script = _script(script_location)
    head = script.get_current_head()
    current = current_revision(engine)
    _refuse_unknown(script, current)
    return head is not None and current != head


def upgrade(
    engine: Engine,
    backup: Callable[[str], object] | None,
    *,
    script_location: str | Path | None = None,
) -> None:
    """Upgrade to head. `backup(current_revision)` runs first when an old schema is upgraded.

    A vault whose revision this program does not know was made by a newer version: it is
    refused untouched. All the revisions run in one transaction (the vault's engine emits
    a real BEGIN, so DDL is transactional too): if one fails, the vault is left exactly at
    the revision it had.
    """
    cfg = _config(script_location)
    script = _script(script_location)
    head = script.get_current_head()
    current = current_revision(engine)
    _refuse_unknown(script, current)
    if head is None or current == head:
        return  # up to date: nothing is written
    if current is not None and backup is not None:
        backup(current)
    # SQLite's procedure for schema changes that rebuild a table (as Alembic's batch mode
    # does): foreign keys off outside the transaction, checked before it commits. With them
    # on, dropping the old table would delete its children's rows or refuse to go.
    was_on = _foreign_keys(engine, None)
    _foreign_keys(engine, False)
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            if conn.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                raise GroupLeaderError(
                    "This version of Group Leader could not bring the vault up to date (the "
                    "records would no longer fit together), so it was left as it was."
                )
    finally:
        _foreign_keys(engine, was_on)


def _foreign_keys(engine: Engine, on: bool | None) -> bool:
    """Set (unless None) and return PRAGMA foreign_keys of the engine's one connection.

    The PRAGMA does nothing inside a transaction, so it goes to the driver's connection,
    which is in autocommit outside the engine's transactions (see `vault._engine_for`).
    """
    proxy = engine.raw_connection()
    try:
        raw = proxy.driver_connection
        assert raw is not None
        if on is not None:
            raw.execute(f"PRAGMA foreign_keys = {'ON' if on else 'OFF'}")
        return bool(raw.execute("PRAGMA foreign_keys").fetchone()[0])
    finally:
        proxy.close()
