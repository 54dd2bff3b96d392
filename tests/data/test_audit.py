"""The audit trail: one event per write, no clinical text or names, tamper-evident."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import exc, func, select, text

from groupleader.data import audit
from groupleader.data.models import AuditEvent
from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import roster as ops_roster
from groupleader.data.snapshots import (
    ClinicianSpec,
    GroupNoteFields,
    GroupSpec,
    MemberNoteFields,
    MemberSpec,
)
from groupleader.data.vault import Vault
from groupleader.errors import InvalidInput
from tests.conftest import PIN, give_pins

SECRET_WORDS = ["Xanthippe", "Quarrelsome", "zebrafish", "Hollowell", "Tuesdaygroupname"]


def _fill(vault: Vault) -> None:
    lead = ops_groups.create_clinician(vault, ClinicianSpec("Dr Hollowell", "leader")).value.id
    sup = ops_groups.create_clinician(vault, ClinicianSpec("Sup Hollowell", "supervisor")).value.id
    give_pins(vault, lead, sup)
    g = ops_groups.create_group(vault, GroupSpec("Tuesdaygroupname", "support", (lead,))).value.id
    x = ops_roster.create_member(vault, MemberSpec("Xanthippe Quarrelsome")).value.id
    ops_roster.add_membership(vault, x, g, "active", date(2029, 1, 1), "Quarrelsome referral")
    m = ops_meetings.schedule_meeting(vault, g, datetime(2030, 1, 1, 17, tzinfo=UTC)).value.id
    gn = ops_notes.save_group_note(vault, m, GroupNoteFields(themes="zebrafish dreams")).value
    ops_notes.save_member_note(vault, m, x, MemberNoteFields(goals="zebrafish Xanthippe"))
    ops_notes.save_private_note(vault, m, "zebrafish countertransference")
    ops_notes.sign_note(vault, "group", gn.id, lead, pin=PIN)
    ops_notes.add_addendum(vault, "group", gn.id, lead, "zebrafish addendum", pin=PIN)
    ops_notes.cosign_note(vault, "group", gn.id, sup, pin=PIN)


def _dump_audit(vault: Vault) -> str:
    with vault.unit_of_work() as db:
        rows = db.execute(text(
            "SELECT action, record_type, record_id, at, prev_hash, hash FROM audit_events"
        )).all()
    return "\n".join(" ".join(str(v) for v in row) for row in rows)


def test_every_write_is_audited_without_text_or_names(vault: Vault) -> None:
    _fill(vault)
    dump = _dump_audit(vault)
    for word in SECRET_WORDS:
        assert word.lower() not in dump.lower()
    actions = [line.split()[0] for line in dump.splitlines()]
    for expected in ("vault.unlock", "clinician.create", "group.create", "member.create",
                     "membership.create", "meeting.schedule", "note.group.save",
                     "note.member.save", "note.private.save", "note.group.sign",
                     "note.group.addendum", "note.group.cosign"):
        assert expected in actions
    # the words really are in the vault, so their absence from the trail means something
    # (three notes and the addendum, all indexed for search)
    with vault.unit_of_work() as db:
        assert db.execute(text("SELECT count(*) FROM note_fts WHERE note_fts MATCH 'zebrafish'")
                          ).scalar() == 4


def test_failed_write_leaves_no_audit_event(vault: Vault) -> None:
    with vault.unit_of_work() as db:
        before = db.scalar(select(func.count()).select_from(AuditEvent))
    with pytest.raises(InvalidInput):
        ops_groups.create_group(vault, GroupSpec("", "support"))
    with vault.unit_of_work() as db:
        assert db.scalar(select(func.count()).select_from(AuditEvent)) == before


def _untrigger(vault: Vault) -> None:
    """What a tamperer with an SQLCipher shell would do first."""
    with vault.unit_of_work() as db:
        db.execute(text("DROP TRIGGER audit_events_locked_update"))
        db.execute(text("DROP TRIGGER audit_events_locked_delete"))


def test_chain_of_untouched_trail_verifies(vault: Vault) -> None:
    _fill(vault)
    with vault.unit_of_work() as db:
        assert audit.verify_chain(db) == []


def test_chain_detects_an_altered_event(vault: Vault) -> None:
    _fill(vault)
    _untrigger(vault)
    with vault.unit_of_work() as db:
        db.execute(text("UPDATE audit_events SET record_id = 99 WHERE id = 5"))
    with vault.unit_of_work() as db:
        problems = audit.verify_chain(db)
    assert problems == ["event 5 was altered"]


def test_chain_detects_a_deleted_event_in_the_middle_and_at_the_end(vault: Vault) -> None:
    _fill(vault)
    _untrigger(vault)
    with vault.unit_of_work() as db:
        last = db.scalar(select(func.max(AuditEvent.id)))
        db.execute(text("DELETE FROM audit_events WHERE id IN (4, :last)"), {"last": last})
    with vault.unit_of_work() as db:
        problems = audit.verify_chain(db)
    assert "events 4-4 are missing" in problems
    assert "event 5 does not follow the event before it" in problems
    assert f"events {last}-{last} at the end are missing" in problems


def test_trigger_refuses_editing_the_trail(vault: Vault) -> None:
    _fill(vault)
    with pytest.raises(exc.DBAPIError, match="append-only"), vault.unit_of_work() as db:
        db.execute(text("DELETE FROM audit_events WHERE id = 3"))
    with vault.unit_of_work() as db:
        assert db.scalar(select(func.count()).where(AuditEvent.id == 3)) == 1
        assert audit.verify_chain(db) == []
