"""Definitions are data: a new one is checked when loaded and then scored like the rest."""

from __future__ import annotations

from typing import Any

import pytest

from groupleader.measures import registry
from groupleader.measures.definition import DefinitionError, parse_definition
from groupleader.measures.scoring import band, change, score


def wellbeing_definition() -> dict[str, Any]:
    """A made-up instrument where higher is better, with a reverse-keyed item."""
    return {
        "key": "wb3", "name": "WB-3", "items": ["Calm", "Rested", "Worried"],
        "options": [{"value": v, "label": str(v)} for v in range(5)],
        "reverse_items": [3], "scoring": "sum", "higher_is": "better",
        "bands": [{"from": 0, "label": "Low"}, {"from": 7, "label": "Good"}],
        "cutoff": 7, "reliable_change": 3, "risk_items": [],
        "missing": {"prorate_up_to": 1, "when_more": "incomplete"},
        "attribution": "Made up for a test.", "licence": "None needed.",
    }


def test_a_new_definition_is_scored_by_the_same_engine() -> None:
    inst = parse_definition(wellbeing_definition())
    assert score(inst, [4, 3, 0]).total == 11
    assert band(inst, 11).label == "Good"  # type: ignore[union-attr]
    assert score(inst, [4, None, 0]).total == 12  # 8/2 * 3
    assert change(inst, 4, 8).direction == "improved"  # higher is better here
    assert change(inst, 8, 4).direction == "deteriorated"


@pytest.mark.parametrize(("field", "value"), [
    ("reverse_items", [4]), ("risk_items", [0]), ("scoring", "median"),
    ("options", [{"value": 0, "label": "a"}, {"value": 2, "label": "b"}]),
    ("missing", {"prorate_up_to": 3, "when_more": "incomplete"}),
    ("bands", [{"from": 5, "label": "b"}, {"from": 0, "label": "a"}]),
    ("key", "Not a key"),
])
def test_a_broken_definition_is_refused(field: str, value: Any) -> None:
    data = wellbeing_definition()
    data[field] = value
    with pytest.raises(DefinitionError):
        parse_definition(data)


def test_an_added_definition_is_known_until_removed_and_a_shipped_one_stays() -> None:
    inst = parse_definition(wellbeing_definition())
    registry.add(inst)
    try:
        assert registry.instrument("wb3") is inst
        with pytest.raises(DefinitionError):
            registry.add(inst)
    finally:
        registry.remove("wb3")
    assert not registry.is_instrument("wb3")
    registry.remove("phq9")
    assert registry.is_instrument("phq9")
