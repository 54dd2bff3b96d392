"""The supervisor's queue: every signed, not yet co-signed group and member note, across
groups, oldest session first, members by pseudonym or initials; co-signing several with one
PIN is all or nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from groupleader.data.models import AuditEvent
from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.operations import roster as ops_roster
from groupleader.data.services import cosign_queue, notes
from groupleader.data.snapshots import GroupNoteFields, GroupSpec, MemberNoteFields
from groupleader.data.vault import Vault
from groupleader.errors import InvalidInput
from tests.conftest import PIN
from tests.data.conftest import JOINED, PAST_SESSION, World


def _session_notes(vault: Vault, world: World, meeting_id: int) -> None:
    ops_notes.save_group_note(vault, meeting_id, GroupNoteFields(themes="Belonging"))
    for member in (world.anna, world.bo):
        ops_notes.save_member_note(vault, meeting_id, member,
                                   MemberNoteFields(participation="Took part"))
    ops_notes.save_private_note(vault, meeting_id, "My own process note")


def test_the_queue_lists_signed_notes_not_yet_co_signed_oldest_session_first(
        vault: Vault, world: World) -> None:
    later = ops_meetings.schedule_meeting(vault, world.group,
                                          PAST_SESSION + timedelta(days=7)).value.id
    ops_meetings.hold_meeting(vault, later)
    other = ops_groups.create_group(vault, GroupSpec("Monday group", "support",
                                                     (world.lead,))).value.id
    ops_roster.add_membership(vault, world.outsider, other, "active", JOINED)
    early = ops_meetings.schedule_meeting(vault, other, PAST_SESSION - timedelta(days=1)).value.id
    ops_meetings.hold_meeting(vault, early)
    ops_notes.save_member_note(vault, early, world.outsider,
                               MemberNoteFields(goals="Came back"))
    _session_notes(vault, world, later)  # written and signed first, but a later session
    ops_notes.sign_meeting_notes(vault, later, world.lead, ("group", "member", "private"),
                                 pin=PIN)
    _session_notes(vault, world, world.held)
    ops_notes.sign_meeting_notes(vault, world.held, world.co, pin=PIN)
    ops_notes.sign_meeting_notes(vault, early, world.lead, pin=PIN)
    draft = ops_meetings.schedule_meeting(vault, world.group,
                                          PAST_SESSION + timedelta(days=14)).value.id
    ops_meetings.hold_meeting(vault, draft)
    ops_notes.save_group_note(vault, draft, GroupNoteFields(themes="Not signed"))

    rows = query(vault, cosign_queue.awaiting_cosign)
    got = [(r.group_name, r.meeting_id, r.kind, r.member_label, r.signed_by.name) for r in rows]
    assert got == [
        ("Monday group", early, "member", "O.S.", "Ada Leader"),  # no pseudonym: initials
        ("Tuesday group", world.held, "group", "", "Ben Co"),
        ("Tuesday group", world.held, "member", "A.L.", "Ben Co"),
        ("Tuesday group", world.held, "member", "B.K.", "Ben Co"),
        ("Tuesday group", later, "group", "", "Ada Leader"),
        ("Tuesday group", later, "member", "A.L.", "Ada Leader"),
        ("Tuesday group", later, "member", "B.K.", "Ada Leader"),
    ]  # the private notes stay out of it; the draft is not signed
    assert query(vault, cosign_queue.awaiting_count) == 7
    assert all("Anna" not in r.member_label and "Lee" not in r.member_label for r in rows)

    ops_notes.cosign_note(vault, "group", rows[1].note_id, world.sup, pin=PIN)
    assert query(vault, cosign_queue.awaiting_count) == 6
    assert rows[1].note_id not in {r.note_id for r in query(vault, cosign_queue.awaiting_cosign)
                                   if r.kind == "group"}


def test_the_queue_names_a_member_by_their_pseudonym(vault: Vault, world: World) -> None:
    with vault.unit_of_work() as db:
        from groupleader.data.models import Membership

        db.get(Membership, world.memberships[world.anna]).pseudonym = "Member 7"
    _session_notes(vault, world, world.held)
    ops_notes.sign_meeting_notes(vault, world.held, world.lead, pin=PIN)
    labels = [r.member_label for r in query(vault, cosign_queue.awaiting_cosign)]
    assert labels == ["", "B.K.", "Member 7"]


def test_co_signing_several_with_one_pin_is_all_or_nothing(vault: Vault, world: World) -> None:
    _session_notes(vault, world, world.held)
    ops_notes.sign_meeting_notes(vault, world.held, world.lead, pin=PIN)
    items = [(r.kind, r.note_id) for r in query(vault, cosign_queue.awaiting_cosign)]
    ops_notes.cosign_note(vault, *items[2], world.sup, pin=PIN)  # one is co-signed already

    def events() -> int:
        with vault.unit_of_work() as db:
            return db.scalar(select(func.count(AuditEvent.id))) or 0

    before = events()
    with pytest.raises(InvalidInput):
        ops_notes.cosign_notes(vault, items, world.sup, pin=PIN)
    assert events() == before
    assert query(vault, cosign_queue.awaiting_count) == 2  # nothing of it was co-signed
    done = ops_notes.cosign_notes(vault, items[:2] + items[:1], world.sup, pin=PIN)
    assert done.value == 2 and world.held in done.changes.notes
    assert query(vault, cosign_queue.awaiting_count) == 0
    assert events() == before + 2
    for kind, note_id in items:
        status = query(vault, notes.note_status, kind, note_id)
        assert status.cosigned_by is not None and status.cosigned_by.name == "Sam Super"


def test_the_count_reads_the_index_of_waiting_signatures_and_works_without_it(
        vault: Vault, world: World) -> None:
    """The unlock's count of notes awaiting co-sign reads the partial index (migration
    0012), not every signature's row; a vault without that index still counts right."""
    from sqlalchemy import event, text

    _session_notes(vault, world, world.held)
    ops_notes.sign_meeting_notes(vault, world.held, world.lead, ("group", "member", "private"),
                                 pin=PIN)
    seen: list[str] = []
    assert vault.engine is not None

    def remember(_c: object, _cur: object, statement: str, *_rest: object) -> None:
        seen.append(statement)

    event.listen(vault.engine, "before_cursor_execute", remember)
    try:
        assert query(vault, cosign_queue.awaiting_count) == 3  # not the private note
    finally:
        event.remove(vault.engine, "before_cursor_execute", remember)
    counting = next(s for s in seen if "count(" in s)
    with vault.unit_of_work() as db:
        plan = " ".join(str(r[-1]) for r in db.execute(text(f"EXPLAIN QUERY PLAN {counting}")))
        assert cosign_queue.AWAITING_INDEX in plan
        db.execute(text(f"DROP INDEX {cosign_queue.AWAITING_INDEX}"))
    assert query(vault, cosign_queue.awaiting_count) == 3
