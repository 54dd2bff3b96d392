"""A signed session is locked with its group note; a correction after signing is an amendment.

The services refuse every write to a signed session's facts (attendance, chairs,
interactions, leaders present, date and time, status), and the vault's triggers refuse the
same writes made around the services, through the vault's own connection. An amendment
records what changed, from what to what; the reads show the session as amended.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from groupleader.data import migrate
from groupleader.data.models import Addendum, AuditEvent
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.operations import seating as ops_seating
from groupleader.data.services import meetings, members, notes, stats
from groupleader.data.snapshots import ChairSpec, GroupNoteFields, Party
from groupleader.data.vault import Vault
from groupleader.errors import InvalidInput, SessionLocked, SignedNoteError
from tests.conftest import PASSPHRASE, PIN, TEST_KDF_ITER, give_pins, open_vault
from tests.data.conftest import PAST_SESSION, World, downgrade_to, make_world


def _sign_session(vault: Vault, world: World, *, old_schema: bool = False) -> int:
    """Anna present, Bo absent with notice, a circle and one interaction; the group note
    signed (by a raw insert on the schema before 0004). Returns the group note's id."""
    m = world.held
    ops_meetings.take_attendance(vault, m, [(world.anna, "present", None),
                                            (world.bo, "absent_notice", None)])
    ops_seating.save_seating(vault, m, [ChairSpec(member_id=world.anna),
                                        ChairSpec(clinician_id=world.lead), ChairSpec()])
    ops_seating.add_interaction(vault, m, Party(member_id=world.anna))
    note = ops_notes.save_group_note(vault, m, GroupNoteFields(themes="Trust")).value
    if old_schema:
        downgrade_to(vault, "0003")
        with vault.unit_of_work() as db:
            db.execute(text("INSERT INTO signatures (meeting_note_id, signed_by_id, signed_at) "
                            "VALUES (:n, :c, '2025-03-04 20:00:00.000000')"),
                       {"n": note.id, "c": world.lead})
    else:
        ops_notes.sign_note(vault, "group", note.id, world.lead, pin=PIN)
    return note.id


REFUSED = {
    "mark one": lambda v, w: ops_meetings.record_attendance(v, w.held, w.bo, "present"),
    "mark many": lambda v, w: ops_meetings.record_attendance_many(
        v, w.held, [(w.bo, "present", None)]),
    "take attendance": lambda v, w: ops_meetings.take_attendance(
        v, w.held, [(w.bo, "late", 5)]),
    "clear a mark": lambda v, w: ops_meetings.clear_attendance(v, w.held, w.anna),
    "move chairs": lambda v, w: ops_seating.save_seating(
        v, w.held, [ChairSpec(), ChairSpec(member_id=w.anna)]),
    "add interaction": lambda v, w: ops_seating.add_interaction(
        v, w.held, Party(member_id=w.anna), Party(clinician_id=w.lead)),
    "add interactions": lambda v, w: ops_seating.add_interactions(
        v, w.held, [(Party(member_id=w.anna), None)]),
    "undo interaction": lambda v, w: ops_seating.remove_last_interaction(v, w.held),
    "reschedule": lambda v, w: ops_meetings.reschedule_meeting(
        v, w.held, PAST_SESSION - timedelta(hours=1)),
    "change length": lambda v, w: ops_meetings.reschedule_meeting(
        v, w.held, PAST_SESSION, 60),
    "leaders present": lambda v, w: ops_meetings.hold_meeting(v, w.held, [w.lead]),
    "cancel": lambda v, w: ops_meetings.cancel_meeting(v, w.held),
    "reinstate": lambda v, w: ops_meetings.reinstate_meeting(v, w.held),
    "topic": lambda v, w: ops_meetings.set_topic(v, w.held, "Another topic"),
}


def _facts(vault: Vault, world: World) -> tuple[object, ...]:
    with vault.unit_of_work() as db:
        return tuple(
            tuple(db.execute(text(f"SELECT * FROM {table} WHERE {col} = :m ORDER BY 1"),
                             {"m": world.held}))
            for table, col in (("attendance", "meeting_id"), ("seats", "meeting_id"),
                               ("interactions", "meeting_id"), ("meeting_leaders", "meeting_id"),
                               ("meetings", "id")))


def _drop_lock_triggers(vault: Vault) -> None:
    with vault.unit_of_work() as db:
        names = list(db.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                     "AND name LIKE '%_session_locked_%'")))
        assert len(names) == 14 + 15  # migration 0004's and 0007's (the register)
        for name in names:
            db.execute(text(f"DROP TRIGGER {name}"))


@pytest.mark.parametrize("action", sorted(REFUSED))
def test_a_signed_session_refuses_each_change_of_its_facts(
    vault: Vault, world: World, action: str
) -> None:
    """The operations refuse on their own (the triggers dropped to show it)."""
    _sign_session(vault, world)
    _drop_lock_triggers(vault)
    before = _facts(vault, world)
    with pytest.raises(SessionLocked) as err:
        REFUSED[action](vault, world)
    assert "amendment" in err.value.message
    assert _facts(vault, world) == before


def test_an_unsigned_session_still_changes(vault: Vault, world: World) -> None:
    """The lock comes with the group note's signature, not with a member note's."""
    ops_meetings.take_attendance(vault, world.held, [(world.anna, "present", None)])
    member_note = ops_notes.save_member_note(
        vault, world.held, world.anna,
        notes.MemberNoteFields(participation="Spoke first")).value
    ops_notes.sign_note(vault, "member", member_note.id, world.lead, pin=PIN)
    ops_meetings.record_attendance(vault, world.held, world.bo, "late", 5)
    ops_seating.add_interaction(vault, world.held, Party(member_id=world.anna))


RAW_WRITES = {
    "attendance insert": "INSERT INTO attendance (meeting_id, membership_id, status) "
                         "VALUES (:m, :bo_ms, 'present')",
    "attendance update": "UPDATE attendance SET status = 'present' WHERE meeting_id = :m",
    "attendance delete": "DELETE FROM attendance WHERE meeting_id = :m",
    "attendance moved in": "UPDATE attendance SET meeting_id = :m WHERE meeting_id = :other",
    "seats insert": "INSERT INTO seats (meeting_id, position) VALUES (:m, 9)",
    "seats update": "UPDATE seats SET member_id = NULL WHERE meeting_id = :m",
    "seats delete": "DELETE FROM seats WHERE meeting_id = :m",
    "interactions insert": "INSERT INTO interactions (meeting_id, from_member_id) "
                           "VALUES (:m, :anna)",
    "interactions update": "UPDATE interactions SET to_clinician_id = :lead "
                           "WHERE meeting_id = :m",
    "interactions delete": "DELETE FROM interactions WHERE meeting_id = :m",
    "meeting_leaders insert": "INSERT INTO meeting_leaders (meeting_id, clinician_id) "
                              "VALUES (:m, :sup)",
    "meeting_leaders delete": "DELETE FROM meeting_leaders WHERE meeting_id = :m",
    "meeting_leaders update": "UPDATE meeting_leaders SET clinician_id = :sup "
                              "WHERE meeting_id = :m",
    "meeting date": "UPDATE meetings SET starts_at = '2025-03-04 15:00:00.000000' "
                    "WHERE id = :m",
    "meeting status": "UPDATE meetings SET status = 'cancelled' WHERE id = :m",
    "meeting delete": "DELETE FROM meetings WHERE id = :m",
}


@pytest.mark.parametrize("write", sorted(RAW_WRITES))
def test_the_triggers_refuse_raw_writes_to_a_signed_session(
    vault: Vault, world: World, write: str
) -> None:
    """Around the services, through the vault's own session: the trigger refuses (the
    vault turns its message into the same SessionLocked the services raise)."""
    _sign_session(vault, world)
    other = ops_meetings.schedule_meeting(vault, world.group,
                                          PAST_SESSION + timedelta(days=7)).value.id
    ops_meetings.record_attendance(vault, other, world.anna, "late", 3)
    before = _facts(vault, world)
    params = {"m": world.held, "other": other, "bo_ms": world.memberships[world.bo],
              "anna": world.anna, "lead": world.lead, "sup": world.sup}
    with pytest.raises(SessionLocked), vault.unit_of_work() as db:
        db.execute(text(RAW_WRITES[write]), params)
    assert _facts(vault, world) == before


def test_the_triggers_leave_other_sessions_alone(vault: Vault, world: World) -> None:
    _sign_session(vault, world)
    other = ops_meetings.schedule_meeting(vault, world.group,
                                          PAST_SESSION + timedelta(days=7)).value.id
    with vault.unit_of_work() as db:
        db.execute(text("INSERT INTO seats (meeting_id, position) VALUES (:m, 0)"), {"m": other})
        db.execute(text("UPDATE meetings SET topic = 'Endings' WHERE id = :m"), {"m": other})
        db.execute(text("DELETE FROM seats WHERE meeting_id = :m"), {"m": other})


def test_an_amendment_records_the_change_and_the_reads_show_it(
    vault: Vault, world: World
) -> None:
    note_id = _sign_session(vault, world)
    bo_ms = world.memberships[world.bo]
    assert query(vault, stats.attendance_rate, bo_ms) == 0.0
    done = ops_notes.add_amendment(
        vault, world.held, world.co, {"field": "attendance", "member_id": world.bo,
                                      "to": "present"}, "Bo phoned in; he was there.", pin=PIN)
    assert done.changes.attendance == {world.held} and done.changes.notes == {world.held}
    [amendment] = done.value.addenda
    assert amendment.is_amendment and amendment.text == "Bo phoned in; he was there."
    assert dict(amendment.change or {}) == {
        "field": "attendance", "member_id": world.bo, "membership_id": bo_ms,
        "from": "absent_notice", "to": "present", "from_minutes_late": None,
        "to_minutes_late": None}
    # the recorded row stays as recorded
    with vault.unit_of_work() as db:
        assert db.scalar(text("SELECT status FROM attendance WHERE membership_id = :ms"),
                         {"ms": bo_ms}) == "absent_notice"
        [event] = db.scalars(select(AuditEvent).where(
            AuditEvent.action == "meeting.amendment")).all()
        assert (event.record_type, event.record_id) == ("meeting", world.held)
    # the session view, the list counts, the roster strip and the stats show it amended
    rows = {r.member_id: r for r in query(vault, meetings.attendance_for, world.held)}
    assert (rows[world.bo].status, rows[world.bo].amended,
            rows[world.bo].recorded_status) == ("present", True, "absent_notice")
    assert not rows[world.anna].amended
    [row] = query(vault, meetings.meeting_overview, world.group, 7)
    assert (row.attended, row.recorded) == (2, 2)
    listed = query(vault, meetings.list_meetings, world.group)  # as the session list reads it
    assert query(vault, meetings.overview_of, world.group, 7, listed) == [row]
    [mark] = query(vault, members.member_attendance, world.group, world.bo)
    assert mark.status == "present"
    assert query(vault, stats.attendance_rate, bo_ms) == 1.0
    assert query(vault, stats.figures_for_group, world.group)[bo_ms].attended == 1
    # a second correction starts from the amended mark
    later = ops_notes.add_amendment(
        vault, world.held, world.lead, {"field": "attendance", "member_id": world.bo,
                                        "to": "late", "to_minutes_late": 20}, "He came late.",
                                        pin=PIN)
    assert later.value.addenda[-1].change is not None
    assert later.value.addenda[-1].change["from"] == "present"
    assert query(vault, notes.note_status, "group", note_id).addenda[-1].text == "He came late."
    rows = {r.member_id: r for r in query(vault, meetings.attendance_for, world.held)}
    assert (rows[world.bo].status, rows[world.bo].minutes_late) == ("late", 20)


def test_an_amendment_of_the_time_and_in_words(vault: Vault, world: World) -> None:
    _sign_session(vault, world)
    moved = PAST_SESSION - timedelta(hours=2)
    status = ops_notes.add_amendment(
        vault, world.held, world.lead, {"field": "time", "starts_at": moved,
                                        "length_minutes": 120}, "The room was free earlier.",
                                        pin=PIN)
    change = status.value.addenda[-1].change
    assert change is not None and change["to"]["length_minutes"] == 120
    assert change["from"]["length_minutes"] == 90
    status = ops_notes.add_amendment(
        vault, world.held, world.lead,
        {"field": "seating", "description": "Bo sat by the door, not Anna."}, "Drawn wrong.",
        pin=PIN)
    assert status.value.addenda[-1].change == {
        "field": "seating", "description": "Bo sat by the door, not Anna."}
    assert query(vault, meetings.get_meeting, world.held).starts_at == PAST_SESSION  # recorded


@pytest.mark.parametrize(("change", "reason", "field"), [
    ({"field": "attendance", "member_id": 0, "to": "present"}, "why", "member_id"),
    ({"field": "attendance", "member_id": -1, "to": "present"}, "why", "member_id"),
    ({"field": "attendance", "member_id": "bo", "to": "gone"}, "why", "to"),
    ({"field": "attendance", "member_id": "bo", "to": "absent_notice"}, "why", "to"),
    ({"field": "attendance", "member_id": "outsider", "to": "present"}, "why", "member_id"),
    ({"field": "attendance", "member_id": "bo", "to": "present"}, "   ", "reason"),
    ({"field": "colour"}, "why", "field"),
    ({"field": "seating", "description": ""}, "why", "description"),
    ({"field": "time", "starts_at": "yesterday"}, "why", "starts_at"),
])
def test_an_amendment_is_refused_without_a_reason_or_a_real_change(
    vault: Vault, world: World, change: dict[str, object], reason: str, field: str
) -> None:
    _sign_session(vault, world)
    ids = {"bo": world.bo, "outsider": world.outsider}
    change = {k: ids.get(v, v) if isinstance(v, str) and k == "member_id" else v
              for k, v in change.items()}
    with pytest.raises(InvalidInput) as err:
        ops_notes.add_amendment(vault, world.held, world.lead, change, reason, pin=PIN)
    assert err.value.field == field
    with vault.unit_of_work() as db:
        assert db.scalars(select(Addendum)).all() == []


def test_an_amendment_is_refused_on_a_session_that_is_not_signed(
    vault: Vault, world: World
) -> None:
    ops_meetings.take_attendance(vault, world.held, [(world.bo, "absent_notice", None)])
    ops_notes.save_group_note(vault, world.held, GroupNoteFields(themes="Draft"))
    with pytest.raises(InvalidInput, match="not signed yet"):
        ops_notes.add_amendment(vault, world.held, world.lead,
                                {"field": "attendance", "member_id": world.bo, "to": "present"},
                                "why", pin=PIN)


def test_an_amendment_is_immutable(vault: Vault, world: World) -> None:
    _sign_session(vault, world)
    ops_notes.add_amendment(vault, world.held, world.lead,
                            {"field": "attendance", "member_id": world.bo, "to": "present"},
                            "He was there.", pin=PIN)
    for sql in ("UPDATE addenda SET change = json_object('field', 'attendance', 'to', 'late')",
                "UPDATE addenda SET kind = 'addendum'", "DELETE FROM addenda"):
        with pytest.raises(SignedNoteError), vault.unit_of_work() as db:
            db.execute(text(sql))


def test_upgrade_locks_the_signed_sessions_of_an_older_vault(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A vault made before 0004 with a signed session and an addendum: after the upgrade its
    addendum is kind "addendum", the signed session is locked, and it can be amended."""
    path = tmp_path / "old.vault"
    with Vault.create(path, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER) as old:
        world = make_world(old)
        note_id = _sign_session(old, world, old_schema=True)
        assert migrate.current_revision(old.engine) == "0003"
        with old.unit_of_work() as db:  # the old program's addendum (no kind, no change)
            db.execute(text(
                "INSERT INTO addenda (signature_id, clinician_id, created_at, text) "
                "SELECT id, signed_by_id, signed_at, 'Seen again' FROM signatures"))
            # the old program let a signed session change: this is why 0004 exists
            db.execute(text("UPDATE attendance SET status = 'late', minutes_late = 2 "
                            "WHERE membership_id = :ms"),
                       {"ms": world.memberships[world.anna]})
    with open_vault(path) as upgraded:
        assert migrate.current_revision(upgraded.engine) == migrate.head_revision()
        with upgraded.unit_of_work() as db:
            assert db.execute(text("SELECT kind, change FROM addenda")).one() == (
                "addendum", None)
        [addendum] = query(upgraded, notes.note_status, "group", note_id).addenda
        assert (addendum.text, addendum.is_amendment) == ("Seen again", False)
        with pytest.raises(SessionLocked), upgraded.unit_of_work() as db:
            db.execute(text("UPDATE attendance SET status = 'present'"))
        with pytest.raises(SessionLocked):
            ops_meetings.record_attendance(upgraded, world.held, world.anna, "present")
        give_pins(upgraded, world.lead)  # the PINs came after 0003: the lead sets one first
        status = ops_notes.add_amendment(
            upgraded, world.held, world.lead,
            {"field": "attendance", "member_id": world.anna, "to": "present"},
            "She was on time.", pin=PIN).value
        assert status.addenda[-1].change is not None
        assert (status.addenda[-1].change["from"], status.addenda[-1].change["from_minutes_late"]
                ) == ("late", 2)
