"""Notes: saving, validation, signing, addenda, co-signing, and loading a session."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from groupleader.data.services import clinicians, groups, meetings, members, notes
from groupleader.data.snapshots import (
    ClinicianSpec,
    GroupNoteFields,
    GroupSpec,
    MemberNoteFields,
    MemberSpec,
)
from groupleader.data.vault import Vault
from groupleader.errors import InvalidInput, SignedNoteError


@pytest.fixture
def world(vault: Vault) -> dict[str, int]:
    lead = clinicians.create_clinician(vault, ClinicianSpec("Ada Leader", "leader")).id
    sup = clinicians.create_clinician(vault, ClinicianSpec("Sam Super", "supervisor")).id
    g = groups.create_group(vault, GroupSpec("Tuesday group", "support", (lead,))).id
    anna = members.create_member(vault, MemberSpec("Anna Lee", preferred_name="Annie")).id
    members.add_membership(vault, anna, g, "active", date(2029, 1, 1))
    m = meetings.schedule_meeting(vault, g, datetime(2030, 1, 1, 17, tzinfo=UTC)).id
    return {"lead": lead, "sup": sup, "group": g, "anna": anna, "meeting": m}


def test_group_note_saves_all_fields(vault: Vault, world: dict[str, int]) -> None:
    fields = GroupNoteFields(
        themes="loss", here_and_now="silence after the break", interventions="linking",
        factors=("universality", "hope", "universality"), stage="cohesion",
        critical_incidents="none", boundary_incidents="lateness", risk="none", plan="ending")
    snap = notes.save_group_note(vault, world["meeting"], fields)
    assert snap.fields == replace(fields, factors=("universality", "hope"))
    assert snap.status.state == "draft"
    assert notes.get_or_create_group_note(vault, world["meeting"]).id == snap.id


@pytest.mark.parametrize(
    ("fields", "field"),
    [(GroupNoteFields(factors=("telepathy",)), "factors"),
     (GroupNoteFields(stage="storming"), "stage"),
     (GroupNoteFields(themes="x" * 50_001), "themes")],
)
def test_bad_group_note_is_refused(
    vault: Vault, world: dict[str, int], fields: GroupNoteFields, field: str
) -> None:
    with pytest.raises(InvalidInput) as err:
        notes.save_group_note(vault, world["meeting"], fields)
    assert err.value.field == field
    assert notes.load_meeting_notes(vault, world["meeting"]).group_note is None


def test_member_note_only_for_an_active_member(vault: Vault, world: dict[str, int]) -> None:
    stranger = members.create_member(vault, MemberSpec("Zed Stranger")).id
    with pytest.raises(InvalidInput) as err:
        notes.save_member_note(vault, world["meeting"], stranger, MemberNoteFields(goals="x"))
    assert err.value.field == "member_id"
    snap = notes.save_member_note(vault, world["meeting"], world["anna"], MemberNoteFields(
        participation="active", risk_flag=True, risk_followup="call Friday"))
    assert snap.display_name == "Annie" and snap.pseudonym == "A.L."
    assert snap.fields.risk_flag and snap.fields.risk_followup == "call Friday"


def test_signed_note_is_locked_and_addendum_is_dated(vault: Vault, world: dict[str, int]) -> None:
    m = world["meeting"]
    note = notes.save_member_note(vault, m, world["anna"], MemberNoteFields(goals="assertive"))
    status = notes.sign_note(vault, "member", note.id, world["lead"])
    assert status.state == "signed" and status.signed_by.id == world["lead"]  # type: ignore
    with pytest.raises(SignedNoteError):
        notes.save_member_note(vault, m, world["anna"], MemberNoteFields(goals="changed"))
    with pytest.raises(SignedNoteError):
        notes.sign_note(vault, "member", note.id, world["lead"])
    # saving identical content (an autosave racing the signature) is harmless
    assert notes.save_member_note(vault, m, world["anna"], note.fields).fields.goals == "assertive"
    status = notes.add_addendum(vault, "member", note.id, world["lead"], "Also discussed work.")
    (addendum,) = status.addenda
    assert addendum.text == "Also discussed work." and addendum.created_at.tzinfo is not None
    loaded = notes.load_meeting_notes(vault, m)
    assert loaded.member_notes[0].fields.goals == "assertive"
    assert loaded.member_notes[0].status.addenda == status.addenda


def test_addendum_needs_a_signed_note_and_text(vault: Vault, world: dict[str, int]) -> None:
    note = notes.save_private_note(vault, world["meeting"], "draft thoughts")
    with pytest.raises(InvalidInput) as err:
        notes.add_addendum(vault, "private", note.id, world["lead"], "more")
    assert err.value.field == "note_id"
    notes.sign_note(vault, "private", note.id, world["lead"])
    with pytest.raises(InvalidInput) as err:
        notes.add_addendum(vault, "private", note.id, world["lead"], "  ")
    assert err.value.field == "text"
    with pytest.raises(SignedNoteError):
        notes.save_private_note(vault, world["meeting"], "rewritten")


def test_cosign_needs_signed_note_and_a_supervisor(vault: Vault, world: dict[str, int]) -> None:
    note = notes.save_group_note(vault, world["meeting"], GroupNoteFields(themes="trust"))
    with pytest.raises(InvalidInput) as err:
        notes.cosign_note(vault, "group", note.id, world["sup"])
    assert err.value.field == "note_id"
    notes.sign_note(vault, "group", note.id, world["lead"])
    with pytest.raises(InvalidInput) as err:
        notes.cosign_note(vault, "group", note.id, world["lead"])
    assert err.value.field == "supervisor_id"
    status = notes.cosign_note(vault, "group", note.id, world["sup"])
    assert status.state == "cosigned" and status.cosigned_by.id == world["sup"]  # type: ignore
    assert notes.note_status(vault, "group", note.id) == status
    with pytest.raises(InvalidInput):
        notes.cosign_note(vault, "group", note.id, world["sup"])


def test_load_meeting_notes_leaves_private_note_out_unless_asked(
    vault: Vault, world: dict[str, int]
) -> None:
    m = world["meeting"]
    notes.save_group_note(vault, m, GroupNoteFields(themes="envy"))
    notes.save_private_note(vault, m, "I felt pulled to rescue", world["lead"])
    meetings.record_attendance(vault, m, world["anna"], "present")
    plain = notes.load_meeting_notes(vault, m)
    assert plain.private_note is None and not plain.private_included
    assert plain.group_note is not None and plain.group_note.fields.themes == "envy"
    assert [a.member_id for a in plain.attendance] == [world["anna"]]
    assert plain.group.name == "Tuesday group" and plain.meeting.number == 1
    full = notes.load_meeting_notes(vault, m, include_private=True)
    assert full.private_note is not None and full.private_note.text == "I felt pulled to rescue"


def test_no_notes_on_a_cancelled_session(vault: Vault, world: dict[str, int]) -> None:
    meetings.cancel_meeting(vault, world["meeting"])
    with pytest.raises(InvalidInput) as err:
        notes.save_group_note(vault, world["meeting"], GroupNoteFields(themes="x"))
    assert err.value.field == "meeting_id"
