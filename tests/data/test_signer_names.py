"""Who signed stays bound to the signature: a profile that has signed or co-signed keeps
its printed name, credentials and role; and paper codes are keyed by the vault's own
secret, so identical vaults print different codes."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from groupleader.data import clock, paper_codes
from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.services import clinicians
from groupleader.data.services.clinicians import SIGNED_PROFILE
from groupleader.data.snapshots import ClinicianSpec, GroupNoteFields
from groupleader.data.vault import Vault
from groupleader.errors import InvalidInput
from tests.conftest import PASSPHRASE, PIN, TEST_KDF_ITER
from tests.data.conftest import World, make_world


def _sign_and_cosign(vault: Vault, world: World) -> int:
    gn = ops_notes.save_group_note(vault, world.held, GroupNoteFields(themes="loss")).value
    ops_notes.sign_meeting_notes(vault, world.held, world.lead, pin=PIN)
    ops_notes.cosign_note(vault, "group", gn.id, world.sup, pin=PIN)
    return gn.id


def _profile(vault: Vault, clinician_id: int) -> tuple[str, str, str]:
    c = query(vault, clinicians.get_clinician, clinician_id)
    return c.name, c.credentials, c.role


@pytest.mark.parametrize("who", ["lead", "sup"])
@pytest.mark.parametrize("change", ["name", "credentials", "role"])
def test_a_profile_that_signed_keeps_its_name_credentials_and_role(
    vault: Vault, world: World, who: str, change: str
) -> None:
    _sign_and_cosign(vault, world)
    clinician_id = getattr(world, who)
    name, credentials, role = before = _profile(vault, clinician_id)
    spec = ClinicianSpec(
        name="Someone Else" if change == "name" else name,
        role=("co_leader" if role != "co_leader" else "leader") if change == "role" else role,
        credentials="MD" if change == "credentials" else credentials)
    with pytest.raises(InvalidInput) as caught:
        ops_groups.update_clinician(vault, clinician_id, spec)
    assert caught.value.message == SIGNED_PROFILE and caught.value.field == "name"
    assert _profile(vault, clinician_id) == before  # nothing written
    assert vault.verify().problems == []


def test_a_profile_that_never_signed_can_be_renamed(vault: Vault, world: World) -> None:
    _sign_and_cosign(vault, world)
    ops_groups.update_clinician(vault, world.co, ClinicianSpec("Ben Cohen", "co_leader", "LMFT"))
    assert _profile(vault, world.co) == ("Ben Cohen", "LMFT", "co_leader")
    # and a signer's unchanged profile saves as it is
    name, credentials, role = _profile(vault, world.lead)
    ops_groups.update_clinician(vault, world.lead, ClinicianSpec(f" {name} ", role, credentials))
    assert vault.verify().problems == []


MOMENT = datetime(2025, 3, 20, 9, 0, tzinfo=UTC)


def _identical_vault(path: Path) -> tuple[Vault, World]:
    with clock.frozen_at(MOMENT):
        vault = Vault.create(path, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER)
        world = make_world(vault)
        _sign_and_cosign(vault, world)
    return vault, world


def test_a_code_from_an_identical_vault_matches_nothing(tmp_path: Path) -> None:
    one, w1 = _identical_vault(tmp_path / "one.vault")
    two, w2 = _identical_vault(tmp_path / "two.vault")
    with one, two:
        assert (w1.held, w1.lead) == (w2.held, w2.lead)
        with one.unit_of_work() as db1, two.unit_of_work() as db2:
            code1 = paper_codes.session_code(db1, w1.held)
            code2 = paper_codes.session_code(db2, w2.held)
            assert code1 != code2
            assert paper_codes.check_code(db1, code1).outcome == paper_codes.MATCH
            assert paper_codes.check_code(db2, code2).outcome == paper_codes.MATCH
            assert paper_codes.check_code(db1, code2).outcome == paper_codes.UNKNOWN
            assert paper_codes.check_code(db2, code1).outcome == paper_codes.UNKNOWN


def test_a_profile_that_only_wrote_an_addendum_keeps_its_name_and_a_raw_rename_shows(
    vault: Vault, world: World
) -> None:
    """The co-leader never signed, but wrote an addendum to the lead's signed note: the
    addendum covers its author as printed, so the profile keeps its name, and a rename
    behind the program breaks the addendum's digest."""
    gn = _sign_and_cosign(vault, world)
    ops_notes.add_addendum(vault, "group", gn, world.co, "Seen again.", pin=PIN)
    with pytest.raises(InvalidInput) as caught:
        ops_groups.update_clinician(vault, world.co, ClinicianSpec("Dr Forged", "supervisor"))
    assert caught.value.message == SIGNED_PROFILE
    assert vault.verify().problems == []
    with vault.unit_of_work() as db:  # raw, as a SQLCipher tool would
        from sqlalchemy import text
        db.execute(text("UPDATE clinicians SET name = 'Dr Forged' WHERE id = :c"),
                   {"c": world.co})
    assert any("addendum" in p and "changed since it was added" in p
               for p in vault.verify().problems), vault.verify().problems
