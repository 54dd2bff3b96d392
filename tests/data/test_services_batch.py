"""Batch services: a session's attendance, interactions and signatures in one unit of work.

Each batch holds the rules of the single call it stands for, is all or nothing, and
leaves the same audit trail (one event per record).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, func, select

from groupleader.data import audit, clock
from groupleader.data.models import AuditEvent
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.operations import roster as ops_roster
from groupleader.data.operations import seating as ops_seating
from groupleader.data.services import meetings, notes, seating
from groupleader.data.snapshots import (
    GroupNoteFields,
    MemberNoteFields,
    MemberSpec,
    Party,
)
from groupleader.data.vault import Vault
from groupleader.errors import InvalidInput, SignedNoteError
from tests.conftest import PIN
from tests.data.conftest import PAST_SESSION, World


def _events(vault: Vault, action: str | None = None) -> int:
    with vault.unit_of_work() as db:
        query = select(func.count()).select_from(AuditEvent)
        if action is not None:
            query = query.where(AuditEvent.action == action)
        return db.scalar(query) or 0


@contextmanager
def _commits(vault: Vault) -> Iterator[list[int]]:
    """Counts the transactions committed on the vault's connection inside the block."""
    seen: list[int] = []
    engine = vault.engine
    assert engine is not None

    def on_commit(conn: object) -> None:
        seen.append(1)

    event.listen(engine, "commit", on_commit)
    try:
        yield seen
    finally:
        event.remove(engine, "commit", on_commit)


# ---------------------------------------------------------------- attendance


def test_attendance_many_records_everyone_in_one_unit_of_work(
    vault: Vault, world: World
) -> None:
    rows = [(world.bo, "late", 10), (world.anna, "present", None)]
    with _commits(vault) as commits:
        result = ops_meetings.record_attendance_many(vault, world.held, rows).value
    assert len(commits) == 1
    assert [(r.member_id, r.status, r.minutes_late) for r in result] == rows  # order kept
    assert result[1].display_name == "Annie" and result[0].pseudonym == "B.K."
    stored = {(r.member_id, r.status, r.minutes_late)
              for r in query(vault, meetings.attendance_for, world.held)}
    assert stored == set(rows)
    assert _events(vault, "attendance.record") == 2


def test_attendance_many_corrects_existing_records(vault: Vault, world: World) -> None:
    ops_meetings.record_attendance(vault, world.held, world.anna, "absent_notice")
    ops_meetings.record_attendance_many(vault, world.held, [(world.anna, "present", None)])
    [row] = query(vault, meetings.attendance_for, world.held)
    assert (row.member_id, row.status) == (world.anna, "present")


@pytest.mark.parametrize(
    ("bad", "field"),
    [((0, "asleep", None), "status"),
     ((0, "late", None), "minutes_late"),
     ((0, "present", 5), "minutes_late"),
     ((1, "present", None), "member_id"),  # the outsider is not on the roster
     ((2, "present", None), "member_id"),  # no such member
     ((3, "present", None), "member_id")],  # Anna twice
)
def test_attendance_many_is_all_or_nothing(
    vault: Vault, world: World, bad: tuple[int, str, int | None], field: str
) -> None:
    who = {0: world.bo, 1: world.outsider, 2: 999_999, 3: world.anna}[bad[0]]
    before = _events(vault)
    with pytest.raises(InvalidInput) as err:
        ops_meetings.record_attendance_many(
            vault, world.held, [(world.anna, "present", None), (who, bad[1], bad[2])])
    assert err.value.field == field
    assert query(vault, meetings.attendance_for, world.held) == []
    assert _events(vault) == before


def test_attendance_many_checks_the_roster_on_the_sessions_date(
    vault: Vault, world: World
) -> None:
    newcomer = ops_roster.create_member(vault, MemberSpec("New Comer")).value.id
    ops_roster.add_membership(vault, newcomer, world.group, "active",
                           PAST_SESSION.date() + timedelta(days=1))
    with pytest.raises(InvalidInput) as err:
        ops_meetings.record_attendance_many(vault, world.held, [(newcomer, "present", None)])
    assert err.value.field == "member_id"


def test_attendance_many_of_nothing_writes_nothing(vault: Vault, world: World) -> None:
    before = _events(vault)
    assert ops_meetings.record_attendance_many(vault, world.held, []).value == []
    assert _events(vault) == before


# ---------------------------------------------------------------- the 24-hour rule


def _future(vault: Vault, world: World, ahead: timedelta) -> int:
    return ops_meetings.schedule_meeting(vault, world.group, clock.now() + ahead).value.id


def test_attendance_is_refused_for_a_session_more_than_a_day_ahead(
    vault: Vault, world: World
) -> None:
    later = _future(vault, world, timedelta(days=3))
    for call in (
        lambda: ops_meetings.record_attendance(vault, later, world.anna, "present").value,
        lambda: (
            ops_meetings.record_attendance_many(vault, later, [(world.anna, "present", None)]).value
        ),
    ):
        with pytest.raises(InvalidInput) as err:
            call()
        assert err.value.field == "starts_at"
        assert "Record attendance on the day" in err.value.message
    assert query(vault, meetings.attendance_for, later) == []


def test_attendance_is_taken_from_a_day_before_the_session(vault: Vault, world: World) -> None:
    soon = _future(vault, world, timedelta(hours=20))
    row = ops_meetings.record_attendance(vault, soon, world.anna, "present").value
    assert row.status == "present"
    ops_meetings.record_attendance_many(vault, soon, [(world.bo, "absent_notice", None)])
    assert len(query(vault, meetings.attendance_for, soon)) == 2


def test_a_held_session_cannot_be_moved_into_the_future(vault: Vault, world: World) -> None:
    with pytest.raises(InvalidInput) as err:
        ops_meetings.reschedule_meeting(vault, world.held, clock.now() + timedelta(days=2))
    assert err.value.field == "starts_at" and "cannot be moved into the future" in (
        err.value.message
    )
    assert query(vault, meetings.get_meeting, world.held).starts_at == PAST_SESSION
    moved = ops_meetings.reschedule_meeting(
        vault, world.held, PAST_SESSION + timedelta(hours=1)
    ).value
    assert moved.starts_at == PAST_SESSION + timedelta(hours=1)


def test_a_session_with_attendance_cannot_be_moved_into_the_future(
    vault: Vault, world: World
) -> None:
    soon = _future(vault, world, timedelta(hours=2))
    ops_meetings.record_attendance(vault, soon, world.anna, "present")
    with pytest.raises(InvalidInput) as err:
        ops_meetings.reschedule_meeting(vault, soon, clock.now() + timedelta(days=3))
    assert "has attendance recorded" in err.value.message


def test_a_scheduled_session_can_still_be_moved_ahead(vault: Vault, world: World) -> None:
    later = _future(vault, world, timedelta(days=3))
    when = clock.now() + timedelta(days=10)
    assert ops_meetings.reschedule_meeting(vault, later, when).value.starts_at == when


# ---------------------------------------------------------------- interactions


def test_add_interactions_writes_them_in_order_in_one_unit_of_work(
    vault: Vault, world: World
) -> None:
    anna, bo, lead = (
        Party(member_id=world.anna),
        Party(member_id=world.bo),
        Party(clinician_id=world.lead),
    )
    pairs = [(anna, bo), (bo, None), (lead, anna), (anna, bo)]
    with _commits(vault) as commits:
        snaps = ops_seating.add_interactions(vault, world.held, pairs).value
    assert len(commits) == 1
    assert [(s.speaker, s.to) for s in snaps] == pairs
    assert query(vault, seating.list_interactions, world.held) == snaps
    assert [c.count for c in query(vault, seating.interaction_counts, world.held)] == [2, 1, 1]
    assert _events(vault, "interaction.add") == 4
    assert ops_seating.remove_last_interaction(vault, world.held).value
    assert len(query(vault, seating.list_interactions, world.held)) == 3


@pytest.mark.parametrize(
    ("pair", "field"),
    [
        ((Party(member_id=1_000_000), None), "speaker"),
        ((Party(), None), "speaker"),
        ((None, Party(clinician_id=1_000_000)), "to"),
        ((None, "self"), "to"),
    ],
)
def test_add_interactions_is_all_or_nothing(
    vault: Vault, world: World, pair: tuple[object, object], field: str
) -> None:
    anna = Party(member_id=world.anna)
    speaker = pair[0] or anna
    to = speaker if pair[1] == "self" else pair[1]
    with pytest.raises(InvalidInput) as err:
        ops_seating.add_interactions(vault, world.held, [(anna, None), (speaker, to)])  # type: ignore[list-item]
    assert err.value.field == field
    assert query(vault, seating.list_interactions, world.held) == []


def test_add_interactions_refuses_a_cancelled_session(vault: Vault, world: World) -> None:
    later = ops_meetings.schedule_meeting(
        vault, world.group, PAST_SESSION + timedelta(days=7)
    ).value
    ops_meetings.cancel_meeting(vault, later.id)
    with pytest.raises(InvalidInput) as err:
        ops_seating.add_interactions(vault, later.id, [(Party(member_id=world.anna), None)])
    assert err.value.field == "meeting_id"


# ---------------------------------------------------------------- signing


def _write_session(vault: Vault, world: World) -> dict[str, int]:
    """A group note, notes for Anna and Bo, and a private note; returns their ids."""
    ids = {
        "group": ops_notes.save_group_note(
            vault, world.held, GroupNoteFields(themes="Trust")
        ).value.id
    }
    for key, member in (("anna", world.anna), ("bo", world.bo)):
        ids[key] = ops_notes.save_member_note(
            vault, world.held, member, MemberNoteFields(participation=f"{key} spoke")
        ).value.id
    ids["private"] = ops_notes.save_private_note(vault, world.held, "Countertransference.").value.id
    return ids


def test_sign_meeting_notes_signs_group_and_member_notes_in_one_unit_of_work(
    vault: Vault, world: World
) -> None:
    ids = _write_session(vault, world)
    with _commits(vault) as commits:
        assert ops_notes.sign_meeting_notes(vault, world.held, world.lead, pin=PIN).value == 3
    assert len(commits) == 1
    for kind, key in (("group", "group"), ("member", "anna"), ("member", "bo")):
        status = query(vault, notes.note_status, kind, ids[key])
        assert status.state == "signed" and status.signed_by.name == "Ada Leader"  # type: ignore[union-attr]
    assert query(vault, notes.note_status, "private", ids["private"]).state == "draft"
    assert _events(vault, "note.member.sign") == 2 and _events(vault, "note.group.sign") == 1


def test_sign_meeting_notes_signs_the_private_note_only_when_asked(
    vault: Vault, world: World
) -> None:
    ids = _write_session(vault, world)
    signed = ops_notes.sign_meeting_notes(vault, world.held, world.lead, ("private",), pin=PIN)
    assert signed.value == 1
    assert query(vault, notes.note_status, "private", ids["private"]).state == "signed"
    assert query(vault, notes.note_status, "group", ids["group"]).state == "draft"


def test_sign_meeting_notes_skips_empty_and_already_signed_notes(
    vault: Vault, world: World
) -> None:
    empty_group = ops_notes.get_or_create_group_note(
        vault, world.held
    ).value  # opened, nothing written
    flagged = ops_notes.save_member_note(
        vault, world.held, world.anna, MemberNoteFields(risk_flag=True)
    ).value  # says something
    blank = ops_notes.save_member_note(
        vault, world.held, world.bo, MemberNoteFields(participation="   ")
    ).value
    assert ops_notes.sign_meeting_notes(vault, world.held, world.co, pin=PIN).value == 1
    assert query(vault, notes.note_status, "member", flagged.id).signed_by.name == "Ben Co"  # type: ignore[union-attr]
    assert query(vault, notes.note_status, "group", empty_group.id).state == "draft"
    assert query(vault, notes.note_status, "member", blank.id).state == "draft"
    before = _events(vault)
    nothing_left = ops_notes.sign_meeting_notes(vault, world.held, world.lead, pin=PIN)
    assert nothing_left.value == 0
    assert _events(vault) == before
    assert query(vault, notes.note_status, "member", flagged.id).signed_by.name == "Ben Co"  # type: ignore[union-attr]


def test_sign_meeting_notes_can_sign_only_some_members_notes(vault: Vault, world: World) -> None:
    ids = _write_session(vault, world)
    assert (
        ops_notes.sign_meeting_notes(
            vault, world.held, world.co, ("member",), member_ids=[world.bo], pin=PIN
        ).value
        == 1
    )
    assert query(vault, notes.note_status, "member", ids["bo"]).signed_by.name == "Ben Co"  # type: ignore[union-attr]
    assert query(vault, notes.note_status, "member", ids["anna"]).state == "draft"
    assert ops_notes.sign_meeting_notes(vault, world.held, world.lead, pin=PIN).value == 2
    assert query(vault, notes.note_status, "member", ids["anna"]).signed_by.name == "Ada Leader"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kinds": ("group", "diary")}, "kinds"),
        ({"kinds": ()}, "kinds"),
        ({"clinician_id": 999_999}, "clinician_id"),
        ({"meeting_id": 999_999}, "meeting_id"),
    ],
)
def test_sign_meeting_notes_refuses_bad_input_and_signs_nothing(
    vault: Vault, world: World, kwargs: dict[str, object], field: str
) -> None:
    ids = _write_session(vault, world)
    args: dict[str, object] = {"meeting_id": world.held, "clinician_id": world.lead,
                              "pin": PIN}
    args.update(kwargs)
    with pytest.raises(InvalidInput) as err:
        ops_notes.sign_meeting_notes(vault, **args)  # type: ignore[arg-type]
    assert err.value.field == field
    assert query(vault, notes.note_status, "group", ids["group"]).state == "draft"


def test_signed_in_bulk_the_notes_are_locked(vault: Vault, world: World) -> None:
    ids = _write_session(vault, world)
    ops_notes.sign_meeting_notes(vault, world.held, world.lead, pin=PIN)
    with pytest.raises(SignedNoteError):
        ops_notes.save_member_note(
            vault, world.held, world.anna, MemberNoteFields(participation="changed")
        )
    assert query(vault, notes.note_status, "member", ids["anna"]).state == "signed"


# ---------------------------------------------------------------- the audit trail


def test_record_many_extends_the_chain_like_single_records(vault: Vault, world: World) -> None:
    with vault.unit_of_work() as db:
        audit.record_many(db, "test.batch", "test", [1, 2, None])
        audit.record_many(db, "test.batch", "test", [])
        audit.record(db, "test.single", "test", 4)
    with vault.unit_of_work() as db:
        assert audit.verify_chain(db) == []
        last = db.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(4)).all()
    assert [(e.action, e.record_id) for e in reversed(last)] == [
        ("test.batch", 1),
        ("test.batch", 2),
        ("test.batch", None),
        ("test.single", 4),
    ]


def test_batch_stamps_follow_the_clock(vault: Vault, world: World) -> None:
    _write_session(vault, world)
    moment = datetime(2025, 3, 5, 9, 30, tzinfo=UTC)
    with clock.frozen_at(moment):
        ops_notes.sign_meeting_notes(vault, world.held, world.lead, pin=PIN)
    loaded = query(vault, notes.load_meeting_notes, world.held)
    assert loaded.group_note is not None and loaded.group_note.status.signed_at == moment
    assert {n.status.signed_at for n in loaded.member_notes} == {moment}
