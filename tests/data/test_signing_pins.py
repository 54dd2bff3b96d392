"""Who signs: a profile's PIN, stored as a salted argon2id hash, checked inside the signing
operations (a wrong PIN signs nothing and writes nothing, not even an audit event)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select, text

from groupleader.data.models import AuditEvent, Signature
from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.services import notes, pins
from groupleader.data.snapshots import ClinicianSpec, GroupNoteFields, MemberNoteFields
from groupleader.data.vault import Vault
from groupleader.errors import InvalidInput, PinLockedOut, PinNotSet, WrongPin
from tests.conftest import PIN
from tests.data.conftest import World


def _counts(vault: Vault) -> tuple[int, int, int, int]:
    """Audit events, signatures, co-signatures, and SQLite's count of rows ever written."""
    with vault.unit_of_work() as db:
        events = db.scalar(select(func.count(AuditEvent.id))) or 0
        sigs = db.scalar(select(func.count(Signature.id))) or 0
        cosigned = db.scalar(select(func.count(Signature.id)).where(
            Signature.cosigned_at.is_not(None))) or 0
        seq = db.scalar(text("SELECT coalesce(sum(seq), 0) FROM sqlite_sequence")) or 0
    return events, sigs, cosigned, seq


def _written(vault: Vault, world: World) -> dict[str, int]:
    g = ops_notes.save_group_note(vault, world.held, GroupNoteFields(themes="Belonging")).value
    a = ops_notes.save_member_note(vault, world.held, world.anna,
                                   MemberNoteFields(participation="Spoke first")).value
    return {"group": g.id, "member": a.id}


def _hash(vault: Vault, clinician_id: int) -> str:
    with vault.unit_of_work() as db:
        return str(db.scalar(text("SELECT pin_hash FROM clinicians WHERE id = :i"),
                             {"i": clinician_id}))


SIGNS: dict[str, Callable[[Vault, World, dict[str, int], str], Any]] = {
    "sign": lambda v, w, ids, pin: ops_notes.sign_note(v, "group", ids["group"], w.lead, pin=pin),
    "sign all": lambda v, w, ids, pin: ops_notes.sign_meeting_notes(v, w.held, w.lead, pin=pin),
}


@pytest.mark.parametrize("how", list(SIGNS))
@pytest.mark.parametrize("pin", ["2469", "", " 2468"])
def test_a_wrong_pin_signs_nothing_and_writes_nothing(
        vault: Vault, world: World, how: str, pin: str) -> None:
    ids = _written(vault, world)
    before = _counts(vault)
    with pytest.raises(WrongPin) as err:
        SIGNS[how](vault, world, ids, pin)
    assert "nothing was signed" in err.value.message
    assert _counts(vault) == before
    assert query(vault, notes.note_status, "group", ids["group"]).state == "draft"
    SIGNS[how](vault, world, ids, PIN)  # the right one signs
    assert query(vault, notes.note_status, "group", ids["group"]).state == "signed"
    assert _counts(vault)[1] > before[1]


def test_a_wrong_supervisor_pin_co_signs_nothing(vault: Vault, world: World) -> None:
    ids = _written(vault, world)
    ops_notes.sign_meeting_notes(vault, world.held, world.lead, pin=PIN)
    before = _counts(vault)
    with pytest.raises(WrongPin):
        ops_notes.cosign_note(vault, "group", ids["group"], world.sup, pin="9999x")
    with pytest.raises(WrongPin):
        ops_notes.cosign_notes(vault, [("group", ids["group"]), ("member", ids["member"])],
                               world.sup, pin="")
    with pytest.raises(WrongPin):  # the signer's PIN is not the supervisor's
        ops_notes.cosign_note(vault, "group", ids["group"], world.sup, pin="1357")
    assert _counts(vault) == before


def test_a_profile_without_a_pin_cannot_sign_and_is_told_to_set_one(
        vault: Vault, world: World) -> None:
    ids = _written(vault, world)
    fresh = ops_groups.create_clinician(vault, ClinicianSpec("New Leader", "leader")).value
    assert not fresh.has_pin
    before = _counts(vault)
    for pin in ("", PIN):
        with pytest.raises(PinNotSet) as err:
            ops_notes.sign_note(vault, "group", ids["group"], fresh.id, pin=pin)
        assert "Settings" in err.value.message
    assert _counts(vault) == before


def test_the_pin_is_kept_only_as_a_salted_argon2id_hash(vault: Vault, world: World) -> None:
    other = ops_groups.create_clinician(vault, ClinicianSpec("Other", "leader")).value.id
    ops_groups.set_signing_pin(vault, other, PIN)
    first, second = _hash(vault, world.lead), _hash(vault, other)
    assert first.startswith("$argon2id$") and second.startswith("$argon2id$")
    assert first != second  # the same PIN, different salts
    assert PIN not in first
    assert "m=8,t=1,p=1" in first  # the test-only KDF parameter: argon2's cheapest
    assert query(vault, lambda db: pins.has_pin(db, other))
    with vault.unit_of_work() as db:  # nothing else in the vault holds it
        dump = "\n".join(str(r) for r in db.execute(text("SELECT * FROM audit_events")))
    assert PIN not in dump


def test_production_vaults_hash_with_the_recommended_parameters(
        vault: Vault, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vault, "_test_kdf_iter", None)
    ops_groups.set_signing_pin(vault, world.co, "horse-staple", old_pin=PIN)
    assert "m=65536,t=3,p=4" in _hash(vault, world.co)
    ids = _written(vault, world)
    ops_notes.sign_note(vault, "group", ids["group"], world.co, pin="horse-staple")


WEAK = {
    "1111": "1111 or 1234", "1234": "1111 or 1234", "4321": "1111 or 1234",
    "abcd": "1111 or 1234", "0000": "1111 or 1234", "1212": "1111 or 1234",
    "123123": "1111 or 1234", "aaaaaa": "1111 or 1234", "qwerty": "1111 or 1234",
    "Password": "1111 or 1234", "123": "at least 4 characters", "": "at least 4 characters",
    " 2468 ": "space", "x" * 201: "200 characters",
}


def test_weak_pins_are_refused_with_a_clear_message(vault: Vault, world: World) -> None:
    fresh = ops_groups.create_clinician(vault, ClinicianSpec("New", "leader")).value.id
    for weak, says in WEAK.items():
        with pytest.raises(InvalidInput) as err:
            ops_groups.set_signing_pin(vault, fresh, weak)
        assert err.value.field == "pin" and says in err.value.message, weak
    assert _hash(vault, fresh) == ""
    for fine in ("2468", "7391", "horse battery", "Ünïcødé-ключ"):
        assert pins.pin_problem(fine) is None, fine


def test_changing_a_pin_needs_the_old_one(vault: Vault, world: World) -> None:
    before = _hash(vault, world.lead)
    with pytest.raises(InvalidInput) as missing:
        ops_groups.set_signing_pin(vault, world.lead, "7391")
    assert missing.value.field == "old_pin"
    with pytest.raises(WrongPin):
        ops_groups.set_signing_pin(vault, world.lead, "7391", old_pin="2469")
    assert _hash(vault, world.lead) == before
    ops_groups.set_signing_pin(vault, world.lead, "7391", old_pin=PIN)
    ids = _written(vault, world)
    with pytest.raises(WrongPin):
        ops_notes.sign_note(vault, "group", ids["group"], world.lead, pin=PIN)
    ops_notes.sign_note(vault, "group", ids["group"], world.lead, pin="7391")
    with vault.unit_of_work() as db:
        actions = list(db.scalars(select(AuditEvent.action).where(
            AuditEvent.action.like("clinician.pin.%")).order_by(AuditEvent.id)))
    assert actions[-1] == "clinician.pin.change" and "clinician.pin.set" in actions


def test_wrong_guesses_are_slowed_after_five_in_a_row(
        vault: Vault, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = _written(vault, world)
    clock = [1000.0]
    monkeypatch.setattr(pins, "_now", lambda: clock[0])
    for guess in ("0001", "0002", "0003", "0004", "0005"):
        with pytest.raises(WrongPin):
            ops_notes.sign_note(vault, "group", ids["group"], world.lead, pin=guess)
    before = _counts(vault)
    with pytest.raises(PinLockedOut) as err:  # even the right PIN waits now
        ops_notes.sign_note(vault, "group", ids["group"], world.lead, pin=PIN)
    assert "Wait 30 seconds" in err.value.message
    assert _counts(vault) == before
    with pytest.raises(PinLockedOut):  # and the profile's PIN cannot be changed meanwhile
        ops_groups.set_signing_pin(vault, world.lead, "9753", old_pin=PIN)
    # another profile is not held up
    ops_notes.sign_note(vault, "member", ids["member"], world.co, pin=PIN)
    clock[0] += pins.LOCKOUT_SECONDS + 1
    ops_notes.sign_note(vault, "group", ids["group"], world.lead, pin=PIN)
    assert query(vault, notes.note_status, "group", ids["group"]).state == "signed"


def _addenda(vault: Vault) -> int:
    with vault.unit_of_work() as db:
        return int(db.scalar(text("SELECT count(*) FROM addenda")) or 0)


CORRECTIONS: dict[str, Callable[[Vault, World, dict[str, int], int, str], Any]] = {
    "addendum": lambda v, w, ids, who, pin: ops_notes.add_addendum(
        v, "group", ids["group"], who, "She phoned after the session.", pin=pin),
    "amendment": lambda v, w, ids, who, pin: ops_notes.add_amendment(
        v, w.held, who, {"field": "seating", "description": "Anna sat by the door."},
        "Drawn wrong.", pin=pin),
}


@pytest.mark.parametrize("how", list(CORRECTIONS))
def test_an_addendum_or_amendment_in_someones_name_needs_their_pin(
        vault: Vault, world: World, how: str) -> None:
    """A correction cannot be put in another clinician's name: the co-leader's PIN is
    asked for one in the co-leader's name, and a wrong one (or the signer's) writes nothing,
    not even an audit event."""
    ids = _written(vault, world)
    ops_notes.sign_meeting_notes(vault, world.held, world.lead, pin=PIN)
    ops_groups.set_signing_pin(vault, world.co, "co-leader-pin", old_pin=PIN)
    fresh = ops_groups.create_clinician(vault, ClinicianSpec("No Pin Yet", "leader")).value
    before = _counts(vault), _addenda(vault)
    for wrong in ("", "2469", PIN):  # PIN is the lead's, not the co-leader's
        with pytest.raises(WrongPin):
            CORRECTIONS[how](vault, world, ids, world.co, wrong)
    assert (_counts(vault), _addenda(vault)) == before
    with pytest.raises(PinNotSet):
        CORRECTIONS[how](vault, world, ids, fresh.id, PIN)
    assert (_counts(vault), _addenda(vault)) == before
    status = CORRECTIONS[how](vault, world, ids, world.co, "co-leader-pin").value
    assert status.addenda[-1].clinician_id == world.co
    assert _addenda(vault) == before[1] + 1
