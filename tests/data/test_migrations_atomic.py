"""A migration that fails half-way leaves the vault exactly as it was: no half-migrated vault.

Each test migrates a real vault with a throwaway copy of the program's revisions plus new
ones on top, passed to `migrate.upgrade` as its script location. Foreign keys are off while
migrating (SQLite's procedure for rebuilding a table) and checked before the commit.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from groupleader.data import migrate
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import notes as ops_notes
from groupleader.data.snapshots import GroupNoteFields
from groupleader.data.vault import Vault
from groupleader.errors import GroupLeaderError
from tests.conftest import open_vault
from tests.data.conftest import World

GOOD = '''
from alembic import op
revision = "9001"
down_revision = {down!r}
def upgrade():
    op.execute("CREATE TABLE done_fine (id INTEGER PRIMARY KEY)")
    op.execute("ALTER TABLE members ADD COLUMN shoe_size INTEGER")
'''
FAILING = '''
from alembic import op
revision = "9002"
down_revision = {down!r}
def upgrade():
    op.execute("CREATE TABLE half_done (id INTEGER PRIMARY KEY)")
    op.execute("CREATE INDEX half_done_id ON half_done (id)")
    op.execute("INSERT INTO half_done (id) VALUES (1)")
    raise RuntimeError("this migration fails half-way")
'''


@pytest.fixture
def scripts(tmp_path: Path) -> Path:
    """A copy of the real migrations folder, to add throwaway revisions to."""
    folder = tmp_path / "migrations"
    shutil.copytree(migrate.SCRIPT_LOCATION, folder,
                    ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def add_revision(scripts: Path, name: str, template: str) -> None:
    down = migrate.head_revision(scripts)
    (scripts / "versions" / f"{name}.py").write_text(template.format(down=down))


State = tuple[set[tuple[str, str]], list[str], list[str]]


def state(vault: Vault) -> State:
    """Every schema object, the recorded revision(s), and the members table's columns."""
    with vault.unit_of_work() as db:
        objects = {(r[0], r[1]) for r in db.execute(text("SELECT type, name FROM sqlite_master"))}
        versions = [r[0] for r in db.execute(text("SELECT version_num FROM alembic_version"))]
        columns = [r[1] for r in db.execute(text("PRAGMA table_info(members)"))]
    return objects, versions, columns


def assert_same(after: State, before: State) -> None:
    assert after[0] ^ before[0] == set()  # no schema object added or lost
    assert after[1] == before[1]  # the same revision
    assert after[2] == before[2]  # members has the same columns


def test_a_failing_migration_leaves_the_vault_as_it_was(vault: Vault, scripts: Path) -> None:
    before = state(vault)
    assert before[1] == [migrate.head_revision()]
    add_revision(scripts, "9002_fails", FAILING)
    assert vault.engine is not None
    with pytest.raises(RuntimeError, match="fails half-way"):
        migrate.upgrade(vault.engine, backup=None, script_location=scripts)
    assert_same(state(vault), before)
    path = vault.path
    vault.close()
    with open_vault(path) as again:  # and on disk, read back by the program's own revisions
        assert_same(state(again), before)


def test_all_new_revisions_are_one_transaction(vault: Vault, scripts: Path) -> None:
    """A good revision before the failing one is undone too: the vault stays at its head."""
    before = state(vault)
    add_revision(scripts, "9001_good", GOOD)
    add_revision(scripts, "9002_fails", FAILING)
    assert vault.engine is not None
    with pytest.raises(RuntimeError, match="fails half-way"):
        migrate.upgrade(vault.engine, backup=None, script_location=scripts)
    assert_same(state(vault), before)
    assert "shoe_size" not in before[2]


def test_the_same_revisions_without_the_failure_do_migrate(vault: Vault, scripts: Path) -> None:
    """Guard for the tests above: the throwaway revisions really run and change the vault."""
    objects, _, columns = state(vault)
    add_revision(scripts, "9001_good", GOOD)
    assert vault.engine is not None
    migrate.upgrade(vault.engine, backup=None, script_location=scripts)
    after = state(vault)
    assert after[1] == ["9001"]
    assert after[0] - objects == {("table", "done_fine")}
    assert after[2] == [*columns, "shoe_size"]


def test_autogenerate_sees_no_difference_and_leaves_the_search_index_alone(
    vault: Vault, scripts: Path
) -> None:
    """env.py keeps the FTS5 table and its shadow tables out of autogenerate."""
    with vault.unit_of_work() as db:
        shadow = [r[0] for r in db.execute(
            text("SELECT name FROM sqlite_master WHERE name LIKE 'note\\_fts\\_%' ESCAPE '\\'"))]
    assert shadow  # there are shadow tables to be confused by
    cfg = migrate._config(scripts)
    assert vault.engine is not None
    with vault.engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.revision(cfg, message="nothing to do", autogenerate=True, rev_id="9003")
        conn.rollback()
    [generated] = (scripts / "versions").glob("9003_*.py")
    source = generated.read_text()
    assert "op." not in source, source


REBUILD = '''
import sqlalchemy as sa
from alembic import op
revision = "9001"
down_revision = {down!r}
def upgrade():
    with op.batch_alter_table("meetings", recreate="always") as batch:
        batch.add_column(sa.Column("room", sa.Text()))
'''
DANGLING = '''
from alembic import op
revision = "9001"
down_revision = {down!r}
def upgrade():
    op.execute("UPDATE meeting_leaders SET meeting_id = 999999")
'''

CHILDREN = ("meeting_leaders", "attendance", "meeting_notes")


def child_rows(vault: Vault) -> dict[str, int]:
    with vault.unit_of_work() as db:
        return {t: db.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in CHILDREN}


@pytest.fixture
def linked(vault: Vault, world: World) -> Vault:
    """A vault whose held session has leaders, an attendance mark and a group note."""
    ops_meetings.record_attendance(vault, world.held, world.anna, "present")
    ops_notes.save_group_note(vault, world.held, GroupNoteFields(themes="beginnings"))
    assert all(child_rows(vault).values())
    return vault


def test_a_table_rebuild_keeps_the_rows_that_refer_to_it(linked: Vault, scripts: Path) -> None:
    """Foreign keys are off while migrating, so dropping the old table deletes no child rows
    (attendance would refuse it, meeting_leaders would cascade)."""
    before = child_rows(linked)
    add_revision(scripts, "9001_rebuild", REBUILD)
    assert linked.engine is not None
    migrate.upgrade(linked.engine, backup=None, script_location=scripts)
    assert migrate.current_revision(linked.engine) == "9001"
    with linked.unit_of_work() as db:
        assert "room" in [r[1] for r in db.execute(text("PRAGMA table_info(meetings)"))]
    assert child_rows(linked) == before
    assert linked.pragma("foreign_keys") == 1  # on again for the program's own work


def test_a_migration_that_breaks_references_is_refused(linked: Vault, scripts: Path) -> None:
    before, rows = state(linked), child_rows(linked)
    add_revision(scripts, "9001_dangling", DANGLING)
    assert linked.engine is not None
    with pytest.raises(GroupLeaderError, match="left as it was"):
        migrate.upgrade(linked.engine, backup=None, script_location=scripts)
    assert_same(state(linked), before)
    assert child_rows(linked) == rows
    with linked.unit_of_work() as db:
        assert db.execute(text("PRAGMA foreign_key_check")).first() is None
    assert linked.pragma("foreign_keys") == 1
