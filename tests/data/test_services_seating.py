"""Seating and interactions."""

from __future__ import annotations

import pytest

from groupleader.data.operations import query
from groupleader.data.operations import seating as ops_seating
from groupleader.data.services import seating
from groupleader.data.snapshots import ChairSpec, Party
from groupleader.data.vault import Vault
from groupleader.errors import InvalidInput
from tests.data.conftest import World


def test_save_seating_replaces_the_circle_in_order(vault: Vault, world: World) -> None:
    m = world.held
    ops_seating.save_seating(vault, m, [ChairSpec(member_id=world.anna)])
    chairs = ops_seating.save_seating(vault, m, [
        ChairSpec(clinician_id=world.lead), ChairSpec(), ChairSpec(member_id=world.bo),
        ChairSpec(member_id=world.anna)]).value
    assert [(c.position, c.member_id, c.clinician_id) for c in chairs] == [
        (0, None, world.lead), (1, None, None), (2, world.bo, None),
        (3, world.anna, None)]
    assert [c.label for c in chairs] == ["Ada Leader", "", "Bo Kim", "Annie"]
    assert chairs[2].pseudonym == "B.K."
    assert query(vault, seating.get_seating, m) == chairs


@pytest.mark.parametrize("bad", ["twice", "both", "outsider"])
def test_bad_seating_is_refused_and_keeps_the_old_circle(
    vault: Vault, world: World, bad: str
) -> None:
    m = world.held
    before = ops_seating.save_seating(vault, m, [ChairSpec(member_id=world.anna)]).value
    chairs = {
        "twice": [ChairSpec(member_id=world.bo), ChairSpec(member_id=world.bo)],
        "both": [ChairSpec(member_id=world.bo, clinician_id=world.lead)],
        "outsider": [ChairSpec(member_id=world.outsider)],
    }[bad]
    with pytest.raises(InvalidInput) as err:
        ops_seating.save_seating(vault, m, chairs)
    assert err.value.field == "chairs"
    assert query(vault, seating.get_seating, m) == before


def test_interactions_count_and_undo(vault: Vault, world: World) -> None:
    m = world.held
    anna, bo, lead = (Party(member_id=world.anna), Party(member_id=world.bo),
                      Party(clinician_id=world.lead))
    ops_seating.add_interaction(vault, m, anna, bo)
    ops_seating.add_interaction(vault, m, anna, bo)
    ops_seating.add_interaction(vault, m, lead)  # to the whole group
    ops_seating.add_interaction(vault, m, bo, anna)
    assert ops_seating.remove_last_interaction(vault, m).value
    counts = {(c.speaker, c.to): c.count for c in query(vault, seating.interaction_counts, m)}
    assert counts == {(anna, bo): 2, (lead, None): 1}
    assert [i.to for i in query(vault, seating.list_interactions, m)] == [bo, bo, None]
    with pytest.raises(InvalidInput) as err:
        ops_seating.add_interaction(vault, m, anna, anna)
    assert err.value.field == "to"
    with pytest.raises(InvalidInput) as err:
        ops_seating.add_interaction(vault, m, Party())
    assert err.value.field == "speaker"
    for _ in range(3):
        ops_seating.remove_last_interaction(vault, m)
    assert not ops_seating.remove_last_interaction(vault, m).value
