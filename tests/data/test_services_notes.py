"""Notes: saving, validation, signing, addenda, co-signing, and loading a session."""

from __future__ import annotations

from dataclasses import replace

import pytest

from groupleader.data import search
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.operations import roster as ops_roster
from groupleader.data.services import notes
from groupleader.data.snapshots import GroupNoteFields, MemberNoteFields, MemberSpec
from groupleader.data.vault import Vault
from groupleader.errors import InvalidInput, SignedNoteError
from tests.conftest import PIN
from tests.data.conftest import World


def test_group_note_saves_all_fields(vault: Vault, world: World) -> None:
    fields = GroupNoteFields(
        themes="loss", here_and_now="silence after the break", interventions="linking",
        factors=("universality", "hope", "universality"), stage="cohesion",
        critical_incidents="none", boundary_incidents="lateness", risk="none", plan="ending")
    snap = ops_notes.save_group_note(vault, world.held, fields).value
    assert snap.fields == replace(fields, factors=("universality", "hope"))
    assert snap.status.state == "draft"
    assert ops_notes.get_or_create_group_note(vault, world.held).value.id == snap.id


@pytest.mark.parametrize(
    ("fields", "field"),
    [(GroupNoteFields(factors=("telepathy",)), "factors"),
     (GroupNoteFields(stage="storming"), "stage"),
     (GroupNoteFields(plan="x" * (notes.NOTE_LIMIT + 1)), "plan")],
)
def test_bad_group_note_is_refused(
    vault: Vault, world: World, fields: GroupNoteFields, field: str
) -> None:
    with pytest.raises(InvalidInput) as err:
        ops_notes.save_group_note(vault, world.held, fields)
    assert err.value.field == field
    assert query(vault, notes.load_meeting_notes, world.held).group_note is None


def _megabyte_paste() -> str:
    """Over a megabyte of text: emoji, Hebrew and Arabic (right to left), one rare word."""
    line = "Shared 😀🙏🏽 שלום עליכם — مرحبا بكم — café naïve 👩‍👩‍👧 ends here.\n"
    lines = [f"{i:06d} {line}" for i in range(16_000)]
    lines[9_000] = "Then the quincunx memory surfaced, ‏שלום‎ again.\n"
    return "".join(lines).strip()


def test_a_megabyte_paste_saves_reads_back_exactly_and_is_found(
    vault: Vault, world: World
) -> None:
    big = _megabyte_paste()
    assert len(big.encode()) > 1_000_000
    saved = ops_notes.save_group_note(vault, world.held, GroupNoteFields(here_and_now=big)).value
    private = ops_notes.save_private_note(vault, world.held, big).value
    loaded = query(vault, notes.load_meeting_notes, world.held, include_private=True)
    assert loaded.group_note is not None and loaded.group_note.fields.here_and_now == big
    assert loaded.private_note is not None and loaded.private_note.text == big
    hits = query(vault, search.search, "quincunx", include_private=True)
    assert {(h.kind, h.note_id) for h in hits} == {("group", saved.id), ("private", private.id)}
    assert all("[quincunx]" in h.snippet for h in hits)
    assert len(query(vault, search.search, "שלום עליכם")) == 1  # the group note; private not asked


def test_a_note_field_over_the_limit_is_refused_by_name(vault: Vault, world: World) -> None:
    huge = "x" * (notes.NOTE_LIMIT + 1)
    with pytest.raises(InvalidInput) as err:
        ops_notes.save_member_note(vault, world.held, world.anna, MemberNoteFields(response=huge))
    assert err.value.field == "response" and "2,000,000" in err.value.message
    with pytest.raises(InvalidInput) as err:
        ops_notes.save_private_note(vault, world.held, huge)
    assert err.value.field == "text"
    assert (
        query(vault, notes.load_meeting_notes, world.held, include_private=True).private_note
        is None
    )


def test_member_note_only_for_an_active_member(vault: Vault, world: World) -> None:
    stranger = ops_roster.create_member(vault, MemberSpec("Zed Stranger")).value.id
    with pytest.raises(InvalidInput) as err:
        ops_notes.save_member_note(vault, world.held, stranger, MemberNoteFields(goals="x"))
    assert err.value.field == "member_id"
    snap = ops_notes.save_member_note(
        vault,
        world.held,
        world.anna,
        MemberNoteFields(participation="active", risk_flag=True, risk_followup="call Friday"),
    ).value
    assert snap.display_name == "Annie" and snap.pseudonym == "A.L."
    assert snap.fields.risk_flag and snap.fields.risk_followup == "call Friday"


def test_signed_note_is_locked_and_addendum_is_dated(vault: Vault, world: World) -> None:
    m = world.held
    note = ops_notes.save_member_note(
        vault, m, world.anna, MemberNoteFields(goals="assertive")
    ).value
    status = ops_notes.sign_note(vault, "member", note.id, world.lead, pin=PIN).value
    assert status.state == "signed" and status.signed_by.id == world.lead  # type: ignore
    with pytest.raises(SignedNoteError):
        ops_notes.save_member_note(vault, m, world.anna, MemberNoteFields(goals="changed"))
    with pytest.raises(SignedNoteError):
        ops_notes.sign_note(vault, "member", note.id, world.lead, pin=PIN)
    # saving identical content (an autosave racing the signature) is harmless
    assert (
        ops_notes.save_member_note(vault, m, world.anna, note.fields).value.fields.goals
        == "assertive"
    )
    status = ops_notes.add_addendum(
        vault, "member", note.id, world.lead, "Also discussed work.", pin=PIN
    ).value
    (addendum,) = status.addenda
    assert addendum.text == "Also discussed work." and addendum.created_at.tzinfo is not None
    loaded = query(vault, notes.load_meeting_notes, m)
    assert loaded.member_notes[0].fields.goals == "assertive"
    assert loaded.member_notes[0].status.addenda == status.addenda


def test_addendum_needs_a_signed_note_and_text(vault: Vault, world: World) -> None:
    note = ops_notes.save_private_note(vault, world.held, "draft thoughts").value
    with pytest.raises(InvalidInput) as err:
        ops_notes.add_addendum(vault, "private", note.id, world.lead, "more", pin=PIN)
    assert err.value.field == "note_id"
    ops_notes.sign_note(vault, "private", note.id, world.lead, pin=PIN)
    with pytest.raises(InvalidInput) as err:
        ops_notes.add_addendum(vault, "private", note.id, world.lead, "  ", pin=PIN)
    assert err.value.field == "text"
    with pytest.raises(SignedNoteError):
        ops_notes.save_private_note(vault, world.held, "rewritten")


def test_cosign_needs_signed_note_and_a_supervisor(vault: Vault, world: World) -> None:
    note = ops_notes.save_group_note(vault, world.held, GroupNoteFields(themes="trust")).value
    with pytest.raises(InvalidInput) as err:
        ops_notes.cosign_note(vault, "group", note.id, world.sup, pin=PIN)
    assert err.value.field == "note_id"
    ops_notes.sign_note(vault, "group", note.id, world.lead, pin=PIN)
    with pytest.raises(InvalidInput) as err:
        ops_notes.cosign_note(vault, "group", note.id, world.lead, pin=PIN)
    assert err.value.field == "supervisor_id"
    status = ops_notes.cosign_note(vault, "group", note.id, world.sup, pin=PIN).value
    assert status.state == "cosigned" and status.cosigned_by.id == world.sup  # type: ignore
    assert query(vault, notes.note_status, "group", note.id) == status
    with pytest.raises(InvalidInput):
        ops_notes.cosign_note(vault, "group", note.id, world.sup, pin=PIN)


def test_load_meeting_notes_leaves_private_note_out_unless_asked(
    vault: Vault, world: World
) -> None:
    m = world.held
    ops_notes.save_group_note(vault, m, GroupNoteFields(themes="envy"))
    ops_notes.save_private_note(vault, m, "I felt pulled to rescue", world.lead)
    ops_meetings.record_attendance(vault, m, world.anna, "present")
    plain = query(vault, notes.load_meeting_notes, m)
    assert plain.private_note is None and not plain.private_included
    assert plain.group_note is not None and plain.group_note.fields.themes == "envy"
    assert [a.member_id for a in plain.attendance] == [world.anna]
    assert plain.group.name == "Tuesday group" and plain.meeting.number == 1
    full = query(vault, notes.load_meeting_notes, m, include_private=True)
    assert full.private_note is not None and full.private_note.text == "I felt pulled to rescue"


def test_no_notes_on_a_cancelled_session(vault: Vault, world: World) -> None:
    ops_meetings.cancel_meeting(vault, world.held)
    with pytest.raises(InvalidInput) as err:
        ops_notes.save_group_note(vault, world.held, GroupNoteFields(themes="x"))
    assert err.value.field == "meeting_id"
