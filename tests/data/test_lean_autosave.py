"""Lean autosave: a note's editing burst is one UPDATE per save and one audit event per few
minutes, still chained; what the open editor checked once is forgotten after any other
write, so a signed note or a changed roster still refuses the save."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, select, text

from groupleader.data import audit, clock, search
from groupleader.data import vault as vault_module
from groupleader.data.models import AuditEvent
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.operations import roster as ops_roster
from groupleader.data.services import notes
from groupleader.data.snapshots import GroupNoteFields, MemberNoteFields
from groupleader.data.vault import Vault
from groupleader.errors import InvalidInput, SignedNoteError
from tests.conftest import PIN, open_vault
from tests.data.conftest import World

T0 = datetime(2025, 3, 5, 9, 0, tzinfo=UTC)  # the morning after the world's session


def _save(vault: Vault, world: World, words: str, member: int | None = None) -> None:
    ops_notes.save_member_note(vault, world.held, member or world.anna,
                               MemberNoteFields(participation=words))


def _saves(vault: Vault) -> list[tuple[str, int | None, datetime]]:
    with vault.unit_of_work() as db:
        return [(e.action, e.record_id, e.at) for e in db.scalars(
            select(AuditEvent).where(AuditEvent.action == "note.member.save")
            .order_by(AuditEvent.id))]


def _text(vault: Vault, world: World, member: int | None = None) -> str:
    loaded = query(vault, notes.load_meeting_notes, world.held)
    return next(n.fields.participation for n in loaded.member_notes
                if n.member_id == (member or world.anna))


def test_a_burst_of_saves_is_one_event_per_five_minutes_and_verifies(
    vault: Vault, world: World
) -> None:
    for minute in range(12):  # a save a minute for twelve minutes
        with clock.frozen_at(T0 + timedelta(minutes=minute)):
            _save(vault, world, f"draft {minute}")
    events = _saves(vault)
    assert [at.replace(tzinfo=UTC) if at.tzinfo is None else at for _, _, at in events] == [
        T0, T0 + timedelta(minutes=5), T0 + timedelta(minutes=10)]
    assert _text(vault, world) == "draft 11"  # every save was written
    assert vault.verify().problems == []


def test_another_notes_save_or_a_pending_event_ends_the_burst(
    vault: Vault, world: World
) -> None:
    with clock.frozen_at(T0):
        _save(vault, world, "anna one")
        _save(vault, world, "bo one", world.bo)
        _save(vault, world, "anna two")  # not the chain's last event: recorded
        _save(vault, world, "anna three")  # the same burst: not recorded
        vault.audit_later("export.pdf", "meeting", [world.held])
        _save(vault, world, "anna four")  # the waiting event goes first, then this one
    assert [(a, r) for a, r, _ in _saves(vault)] == [
        ("note.member.save", world.anna), ("note.member.save", world.bo),
        ("note.member.save", world.anna), ("note.member.save", world.anna)]
    assert vault.verify().problems == []


def test_a_burst_save_is_one_update_and_one_small_read(vault: Vault, world: World) -> None:
    with clock.frozen_at(T0):
        _save(vault, world, "first")  # checks everything, remembers the editor
        seen: list[str] = []
        assert vault.engine is not None
        event.listen(vault.engine, "before_cursor_execute",
                     lambda _c, _cur, sql, *_rest: seen.append(sql.split()[0]))
        _save(vault, world, "second")  # its search entry is left for the burst's end
        assert seen == ["BEGIN", "INSERT", "UPDATE", "SELECT"]
        seen.clear()
        _save(vault, world, "third")
    assert seen == ["BEGIN", "UPDATE", "SELECT"]  # the note; the audit head, to compare
    assert _text(vault, world) == "third"


def _found(vault: Vault, word: str) -> list[int]:
    return [h.note_id for h in query(vault, search.search, word) if h.kind == "member"]


def _index_row(vault: Vault, world: World) -> str:
    """The text the search index holds for anna's note, read from the index itself."""
    with vault.unit_of_work() as db:
        return str(db.execute(text(
            "SELECT body FROM note_fts WHERE rowid = (SELECT id * 4 + 2 FROM member_notes "
            "WHERE meeting_id = :m AND member_id = :p)"),
            {"m": world.held, "p": world.anna}).scalar_one())


def test_a_search_during_a_burst_finds_the_latest_text(vault: Vault, world: World) -> None:
    with clock.frozen_at(T0):
        _save(vault, world, "draft about sleep")
        _save(vault, world, "draft about sleep and appetite")
        _save(vault, world, "now about zeitgeist")  # lean: the index waits
    assert "zeitgeist" not in _index_row(vault, world)  # it really was left for later
    note = _found(vault, "zeitgeist")
    assert len(note) == 1 and _found(vault, "appetite") == [] and _found(vault, "sle") == []
    assert "zeitgeist" in _index_row(vault, world)
    assert vault.verify().problems == []


def test_a_read_only_copy_left_mid_burst_finds_the_notes_latest_text(
    vault: Vault, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A program killed mid-burst leaves entries waiting; a read-only open cannot catch
    them up, so it matches those notes as they are, not their stale entries. (The copy is
    opened as a file that cannot be written is: `mode=ro`; tests may run as root.)"""
    with clock.frozen_at(T0):
        _save(vault, world, "Bo's note on appetite", world.bo)  # indexed: another note
        _save(vault, world, "draft about sleep and Ørsted")
        _save(vault, world, "draft about sleep, appetite")
        _save(vault, world, "now about the zeitgeist 🙂 and Ørsted")  # lean: the index waits
    with vault.unit_of_work() as db:  # the file as a kill leaves it: all but the catch-up
        db.connection().exec_driver_sql("PRAGMA wal_checkpoint(FULL)")
        assert db.execute(text("SELECT count(*) FROM note_fts_behind")).scalar_one() == 1
    copy = tmp_path / "left.vault"
    shutil.copyfile(vault.path, copy)
    monkeypatch.setattr(vault_module, "_writable", lambda _path: False)
    with open_vault(copy) as left:
        assert left.read_only
        anna = _found(left, "zeitgeist")
        assert len(anna) == 1 and _found(left, "zeit") == anna
        assert _found(left, "orsted") == anna and _found(left, "the zeitgeist") == anna
        assert _found(left, "appetite") != anna and len(_found(left, "appetite")) == 1
        assert _found(left, "sleep") == [] and _found(left, "zeitgeis") == anna
        assert "[zeitgeist]" in query(left, search.search, "zeitgeist")[0].snippet


def test_any_other_write_ends_the_burst_for_the_index(vault: Vault, world: World) -> None:
    with clock.frozen_at(T0):
        _save(vault, world, "first words")
        _save(vault, world, "second words quokka")
        assert "quokka" not in _index_row(vault, world)
        _save(vault, world, "bo writes", world.bo)  # another note's first save
    assert "quokka" in _index_row(vault, world)


def test_locking_or_closing_catches_the_index_up(vault: Vault, world: World) -> None:
    with clock.frozen_at(T0):
        _save(vault, world, "first words")
        _save(vault, world, "closing words pangolin")
    vault.close()
    with open_vault(vault.path) as again:
        with again.unit_of_work() as db:  # the file as closed: nothing waits, all indexed
            assert db.execute(text("SELECT count(*) FROM note_fts_behind")).scalar_one() == 0
        assert "pangolin" in _index_row(again, world)



def test_a_lean_save_stores_each_field_as_the_checked_save_does(
    vault: Vault, world: World
) -> None:
    """The lean UPDATE goes to the driver as it is: every field, the risk flag and the
    moment must read back exactly as a first (checked, ORM) save stores them."""
    def stored() -> tuple[object, ...]:
        with vault.unit_of_work() as db:
            return tuple(db.execute(text(
                "SELECT participation, goals, response, risk_flag, typeof(risk_flag), "
                "risk_followup, plan, updated_at, typeof(updated_at) FROM member_notes "
                "WHERE meeting_id = :m AND member_id = :p"),
                {"m": world.held, "p": world.anna}).one())

    fields = MemberNoteFields(participation="p ü", goals="g", response="r 'q'",
                              risk_flag=True, risk_followup="f", plan="pl")
    with clock.frozen_at(T0):
        ops_notes.save_member_note(vault, world.held, world.anna, fields)  # checked
    checked = stored()
    with clock.frozen_at(T0 + timedelta(seconds=1)):
        ops_notes.save_member_note(vault, world.held, world.anna,
                                   MemberNoteFields(participation="other"))
    with clock.frozen_at(T0):
        ops_notes.save_member_note(vault, world.held, world.anna, fields)  # lean
    assert stored() == checked
    loaded = query(vault, notes.load_meeting_notes, world.held)
    note = next(n for n in loaded.member_notes if n.member_id == world.anna)
    assert note.fields == fields and note.updated_at == T0


def test_an_unchanged_save_writes_nothing_with_a_checked_editor(
    vault: Vault, world: World
) -> None:
    _save(vault, world, "same")
    before = _saves(vault)
    changes = vault._raw.total_changes
    done = ops_notes.save_member_note(vault, world.held, world.anna,
                                      MemberNoteFields(participation="same"))
    assert vault._raw.total_changes == changes and done.changes.notes == frozenset()
    assert _saves(vault) == before


def test_signing_makes_the_checked_editor_refuse_the_next_save(
    vault: Vault, world: World
) -> None:
    _save(vault, world, "before signing")
    _save(vault, world, "still a draft")
    note_id = next(n.id for n in query(vault, notes.load_meeting_notes, world.held)
                   .member_notes if n.member_id == world.anna)
    ops_notes.sign_note(vault, "member", note_id, world.lead, pin=PIN)
    with pytest.raises(SignedNoteError):
        _save(vault, world, "after signing")
    assert _text(vault, world) == "still a draft"


def test_a_roster_change_makes_the_checked_editor_check_again(
    vault: Vault, world: World
) -> None:
    _save(vault, world, "while a member")
    # The membership's history now says Anna left before the session: no note that day.
    ops_roster.change_status(vault, world.memberships[world.anna], "left", date(2025, 1, 1))
    with vault.unit_of_work() as db:
        db.execute(text("UPDATE membership_events SET on_date = '2023-06-01' "
                        "WHERE membership_id = :m AND status = 'active'"),
                   {"m": world.memberships[world.anna]})
    with pytest.raises(InvalidInput):
        _save(vault, world, "after leaving")


def test_a_deleted_event_still_shows_after_lean_saves(vault: Vault, world: World) -> None:
    """Saves chained from the remembered tail do not hide an event removed behind it."""
    with clock.frozen_at(T0):
        _save(vault, world, "one")
    with vault.unit_of_work() as db:  # a tamperer moves the head back one event
        db.execute(text("DROP TRIGGER audit_events_locked_delete"))
        last = db.scalar(text("SELECT max(id) FROM audit_events"))
        db.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": last})
    with clock.frozen_at(T0 + timedelta(minutes=1)):
        _save(vault, world, "two", world.bo)
    problems = vault.verify().problems
    assert problems and any("missing" in p or "follow" in p for p in problems)


def test_a_closed_and_reopened_vault_records_the_first_save_again(
    vault: Vault, world: World
) -> None:
    with clock.frozen_at(T0):
        _save(vault, world, "before closing")
    path = vault.path
    vault.close()
    with open_vault(path) as again, clock.frozen_at(T0 + timedelta(minutes=1)):
        again_world = world
        ops_notes.save_member_note(again, again_world.held, world.anna,
                                   MemberNoteFields(participation="after opening"))
        assert len(_saves(again)) == 2  # the remembered tail went with the closed vault
        with again.unit_of_work() as db:
            assert audit.verify_chain(db) == []


def _group_stored(vault: Vault, world: World) -> tuple[object, ...]:
    with vault.unit_of_work() as db:
        return tuple(db.execute(text(
            "SELECT themes, here_and_now, interventions, factors, stage, critical_incidents, "
            "boundary_incidents, risk, plan, updated_at FROM meeting_notes "
            "WHERE meeting_id = :m"), {"m": world.held}).one())


def test_a_group_notes_burst_is_one_update_stored_as_the_checked_save(
    vault: Vault, world: World
) -> None:
    full = GroupNoteFields(themes="t ü", here_and_now="h", interventions="i",
                           factors=("universality", "cohesiveness"), stage="working",
                           critical_incidents="c", boundary_incidents="b", risk="r",
                           plan="p 'q'")
    with clock.frozen_at(T0):
        ops_notes.save_group_note(vault, world.held, full)  # checked, remembered
    checked = _group_stored(vault, world)
    seen: list[str] = []
    assert vault.engine is not None
    event.listen(vault.engine, "before_cursor_execute",
                 lambda _c, _cur, sql, *_rest: seen.append(sql.split()[0]))
    with clock.frozen_at(T0 + timedelta(seconds=1)):
        ops_notes.save_group_note(vault, world.held, GroupNoteFields(themes="other"))
    assert seen == ["BEGIN", "UPDATE", "SELECT"]  # the note; the audit head, to compare
    with clock.frozen_at(T0):
        done = ops_notes.save_group_note(vault, world.held, full)
    assert _group_stored(vault, world) == checked
    loaded = query(vault, notes.load_meeting_notes, world.held)
    assert loaded.group_note is not None and loaded.group_note.fields == full
    assert done.value.fields == full and done.value.updated_at == T0
    assert [h.kind for h in query(vault, search.search, "p q")] == ["group"]


def test_signing_makes_the_checked_group_editor_refuse_the_next_save(
    vault: Vault, world: World
) -> None:
    ops_notes.save_group_note(vault, world.held, GroupNoteFields(themes="first"))
    ops_notes.save_group_note(vault, world.held, GroupNoteFields(themes="second"))
    ops_notes.sign_meeting_notes(vault, world.held, world.lead, ["group"], pin=PIN)
    with pytest.raises(SignedNoteError):
        ops_notes.save_group_note(vault, world.held, GroupNoteFields(themes="after"))
    loaded = query(vault, notes.load_meeting_notes, world.held)
    assert loaded.group_note is not None and loaded.group_note.fields.themes == "second"
