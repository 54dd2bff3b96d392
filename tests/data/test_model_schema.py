"""The migrated schema matches the models, and the vault's own locks hold."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Integer, MetaData, Table, exc, text

from groupleader import factors
from groupleader.data import migrate
from groupleader.data.models import Base
from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.operations import roster as ops_roster
from groupleader.data.services import notes
from groupleader.data.snapshots import ClinicianSpec, GroupNoteFields, GroupSpec, MemberSpec
from groupleader.data.vault import Vault
from tests.conftest import PASSPHRASE, PIN, TEST_KDF_ITER, give_pins, open_vault

# Triggers the previous revisions made that the newest one drops on purpose (none yet).
DROPPED_ON_PURPOSE: set[str] = set()


def schema_diffs(vault: Vault) -> list[object]:
    """What autogenerate would change to make the vault's schema the models' (FTS5 left out)."""
    assert vault.engine is not None
    with vault.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": migrate.include_name}
        )
        return list(compare_metadata(context, Base.metadata))


def triggers(vault: Vault) -> set[str]:
    with vault.unit_of_work() as db:
        return set(db.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))


def test_migrated_schema_matches_models(vault: Vault) -> None:
    assert schema_diffs(vault) == []


def test_upgrade_from_the_previous_head_matches_models(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A vault made by the previous version, opened by this one: upgraded (after a backup)
    to a schema that matches the models, every trigger and the search index kept (a batch
    rebuild of a table drops that table's triggers: a revision must make them again)."""
    script = ScriptDirectory.from_config(migrate._config())
    head = script.get_revision(script.get_current_head())
    assert head is not None and isinstance(head.down_revision, str | None)
    previous = head.down_revision
    if previous is None:
        pytest.skip("only one revision: test_migrated_schema_matches_models covers it")
    folder = tmp_path / "previous"
    shutil.copytree(migrate.SCRIPT_LOCATION, folder, ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "versions" / Path(head.path).name).unlink()
    path = tmp_path / "old.vault"
    with monkeypatch.context() as m:  # the previous version's revisions make the vault
        m.setattr(migrate, "SCRIPT_LOCATION", str(folder))
        with Vault.create(path, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER) as old:
            assert migrate.current_revision(old.engine) == previous
            old_triggers = triggers(old)
    with open_vault(path) as upgraded:
        assert migrate.current_revision(upgraded.engine) == head.revision
        assert schema_diffs(upgraded) == []
        assert old_triggers - DROPPED_ON_PURPOSE <= triggers(upgraded)
        with upgraded.unit_of_work() as db:
            assert db.execute(text("SELECT count(*) FROM note_fts")).scalar_one() == 0
    assert len(list(tmp_path.glob(f"old.before-upgrade-{previous}-*.vault"))) == 1


def test_schema_comparison_can_see_a_difference(vault: Vault) -> None:
    """Guard for the test above: a column the migration lacks is reported."""
    extra = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(extra)
    Table("members", extra, Column("shoe_size", Integer), extend_existing=True)
    assert vault.engine is not None
    with vault.engine.connect() as conn:
        context = MigrationContext.configure(conn)
        diffs = compare_metadata(context, extra)
    assert any(d[0] == "add_column" and d[3].name == "shoe_size" for d in diffs)


def _signed_group_note(vault: Vault) -> int:
    leader = ops_groups.create_clinician(vault, ClinicianSpec("Ada Leader", "leader")).value
    give_pins(vault, leader.id)
    group = ops_groups.create_group(
        vault, GroupSpec("Tuesday group", "support", (leader.id,))
    ).value
    member = ops_roster.create_member(vault, MemberSpec("Maria Kowalski")).value
    ops_roster.add_membership(vault, member.id, group.id, "active")
    meeting = ops_meetings.schedule_meeting(
        vault, group.id, datetime(2030, 1, 1, 17, tzinfo=UTC)
    ).value
    note = ops_notes.save_group_note(
        vault, meeting.id, GroupNoteFields(themes="loss and grief")
    ).value
    ops_notes.sign_note(vault, "group", note.id, leader.id, pin=PIN)
    return note.id


def test_trigger_refuses_direct_update_of_signed_note(vault: Vault) -> None:
    note_id = _signed_group_note(vault)
    assert vault.engine is not None
    with vault.engine.connect() as conn:
        try:
            conn.execute(
                text("UPDATE meeting_notes SET themes = 'forged' WHERE id = :i"), {"i": note_id}
            )
        except exc.DBAPIError as err:
            assert "signed note is locked" in str(err)
            conn.rollback()
        else:
            raise AssertionError("the trigger let a signed note be changed")
        themes = conn.execute(
            text("SELECT themes FROM meeting_notes WHERE id = :i"), {"i": note_id}
        ).scalar()
    assert themes == "loss and grief"


def test_trigger_refuses_delete_of_signed_note_and_its_signature(vault: Vault) -> None:
    note_id = _signed_group_note(vault)
    assert vault.engine is not None
    for sql in (
        "DELETE FROM meeting_notes WHERE id = :i",
        "DELETE FROM signatures WHERE meeting_note_id = :i",
        "UPDATE signatures SET signed_by_id = 99 WHERE meeting_note_id = :i",
    ):
        with vault.engine.connect() as conn:
            try:
                conn.execute(text(sql), {"i": note_id})
            except exc.DBAPIError as err:
                assert "locked" in str(err)
                conn.rollback()
            else:
                raise AssertionError(f"the trigger allowed: {sql}")


def test_unsigned_note_can_be_updated_directly(vault: Vault) -> None:
    """The trigger locks signed notes only (so it is not simply refusing everything)."""
    leader = ops_groups.create_clinician(vault, ClinicianSpec("Ada Leader", "leader")).value
    group = ops_groups.create_group(
        vault, GroupSpec("Tuesday group", "support", (leader.id,))
    ).value
    meeting = ops_meetings.schedule_meeting(
        vault, group.id, datetime(2030, 1, 1, 17, tzinfo=UTC)
    ).value
    note = ops_notes.save_group_note(vault, meeting.id, GroupNoteFields(themes="draft")).value
    with vault.unit_of_work() as db:
        db.execute(text("UPDATE meeting_notes SET themes = 'edited' WHERE id = :i"), {"i": note.id})
    assert query(vault, notes.load_meeting_notes, meeting.id).group_note.fields.themes == "edited"


def test_factor_vocabulary_has_yaloms_eleven_with_unique_keys() -> None:
    assert len(factors.FACTORS) == 11
    assert len(factors.FACTOR_KEYS) == 11
    assert all(f.label and f.explanation for f in factors.FACTORS)
    assert factors.factor("altruism").label == "Altruism"
    assert not factors.is_factor("magic")
