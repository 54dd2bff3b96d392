"""Scoring of the shipped instruments against worked examples from their manuals."""

from __future__ import annotations

import pytest

from groupleader.errors import InvalidInput
from groupleader.measures import registry
from groupleader.measures.scoring import (
    above_cutoff,
    band,
    change,
    group_means,
    score,
    score_total,
)

PHQ9 = registry.instrument("phq9")
GAD7 = registry.instrument("gad7")
CORE10 = registry.instrument("core10")
GCQS = registry.instrument("gcqs")


def test_the_four_instruments_ship_with_attribution_and_licence() -> None:
    keys = {i.key for i in registry.instruments()}
    assert {"phq9", "gad7", "core10", "gcqs"} <= keys
    for inst in registry.instruments():
        assert inst.attribution and inst.licence
    assert "CORE System Trust" in CORE10.attribution


@pytest.mark.parametrize(("answers", "total", "label"), [
    ([0, 0, 0, 0, 0, 0, 0, 0, 0], 0, "Minimal"),
    ([1, 1, 0, 1, 1, 0, 0, 0, 0], 4, "Minimal"),
    ([1, 1, 1, 1, 1, 0, 0, 0, 0], 5, "Mild"),
    ([2, 2, 1, 1, 1, 1, 1, 1, 0], 10, "Moderate"),
    ([2, 2, 2, 2, 2, 2, 1, 1, 1], 15, "Moderately severe"),
    ([3, 3, 3, 2, 2, 2, 2, 2, 1], 20, "Severe"),
    ([3] * 9, 27, "Severe"),
])
def test_phq9_totals_and_bands(answers: list[int], total: int, label: str) -> None:
    result = score(PHQ9, answers)
    assert result.status == "complete"
    assert result.total == total
    b = band(PHQ9, result.total)
    assert b is not None and b.label == label


def test_phq9_prorates_up_to_two_blanks_and_is_incomplete_beyond() -> None:
    # Seven answered items summing to 11: mean 11/7, times 9 = 14.14 -> 14.
    one = score(PHQ9, [2, 2, 1, 1, 2, None, 1, 2, None])
    assert one.status == "prorated" and one.missing == 2 and one.total == 14
    # Eight answered summing to 13: 13/8 * 9 = 14.625 -> 15, "Moderately severe".
    two = score(PHQ9, [2, 2, 1, 1, 2, 2, 1, 2, None])
    assert two.total == 15
    assert band(PHQ9, two.total).label == "Moderately severe"  # type: ignore[union-attr]
    three = score(PHQ9, [2, 2, 1, 1, 2, None, None, 2, None])
    assert three.status == "incomplete" and three.total is None and not three.scored


def test_phq9_item_9_above_0_is_a_risk_answer_even_on_an_incomplete_form() -> None:
    assert score(PHQ9, [0] * 9).risk == ()
    assert score(PHQ9, [0] * 8 + [2]).risk == ((9, 2),)
    assert score(PHQ9, [None] * 8 + [1]).risk == ((9, 1),)


def test_gad7_bands_cutoff_and_one_blank_prorated() -> None:
    assert band(GAD7, score(GAD7, [1, 1, 1, 1, 1, 0, 0]).total).label == "Mild"  # type: ignore[union-attr]
    assert band(GAD7, 15).label == "Severe"  # type: ignore[union-attr]
    assert above_cutoff(GAD7, 8) and not above_cutoff(GAD7, 7)
    # Six answered summing to 9: 9/6 * 7 = 10.5 -> 11.
    assert score(GAD7, [2, 2, 1, 1, 2, 1, None]).total == 11
    assert score(GAD7, [2, 2, 1, 1, 2, None, None]).status == "incomplete"


def test_core10_items_2_and_3_are_reverse_keyed() -> None:
    # "Someone to turn to" and "able to cope" answered "Most or all of the time" (4)
    # count 0; every other item "Only occasionally" (1) except item 6 (0): 7 in all.
    result = score(CORE10, [1, 4, 4, 1, 1, 0, 1, 1, 1, 1])
    assert result.total == 7
    assert band(CORE10, result.total).label == "Low level"  # type: ignore[union-attr]
    assert score(CORE10, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]).total == 8
    assert score(CORE10, [4, 0, 0, 4, 4, 4, 4, 4, 4, 4]).total == 40


def test_core10_bands_and_clinical_cutoff_11() -> None:
    labels = {v: band(CORE10, v).label for v in (0, 5, 6, 10, 11, 14, 15, 19, 20, 24, 25, 40)}  # type: ignore[union-attr]
    assert labels == {0: "Healthy", 5: "Healthy", 6: "Low level", 10: "Low level",
                      11: "Mild", 14: "Mild", 15: "Moderate", 19: "Moderate",
                      20: "Moderate to severe", 24: "Moderate to severe",
                      25: "Severe", 40: "Severe"}
    assert above_cutoff(CORE10, 11) and not above_cutoff(CORE10, 10)


def test_core10_prorates_one_blank_only() -> None:
    # Nine answered items scoring 18 in all (items 2 and 3 reversed): 18/9 * 10 = 20.
    result = score(CORE10, [2, 2, 2, 2, 2, None, 2, 2, 2, 2])
    assert result.status == "prorated" and result.total == 20
    assert score(CORE10, [2, 2, 2, 2, 2, None, None, 2, 2, 2]).status == "incomplete"


def test_core10_item_6_signals_risk() -> None:
    assert score(CORE10, [1, 3, 3, 1, 1, 1, 1, 1, 1, 1]).risk == ((6, 1),)
    assert score(CORE10, [1, 3, 3, 1, 1, 0, 1, 1, 1, 1]).risk == ()


def test_reliable_change_at_the_threshold_and_recovery_across_the_cutoff() -> None:
    assert change(CORE10, 20, 14).direction == "improved"
    assert change(CORE10, 20, 15).direction == "no reliable change"
    assert change(CORE10, 14, 20).direction == "deteriorated"
    assert change(CORE10, 16, 9).recovered
    assert not change(CORE10, 25, 12).recovered  # improved, still above the cut-off
    assert change(PHQ9, 18, 12).direction == "improved"
    assert change(GAD7, 12, 8).direction == "improved"
    assert change(GAD7, 12, 9).direction == "no reliable change"
    assert change(GCQS, 1, 5).direction == "not applicable"


def test_total_only_entry_is_checked_against_the_range() -> None:
    assert score_total(PHQ9, 17).total == 17
    assert score_total(PHQ9, 17).status == "total only"
    with pytest.raises(InvalidInput):
        score_total(PHQ9, 28)
    with pytest.raises(InvalidInput):
        score_total(GCQS, 3)


@pytest.mark.parametrize("answers", [
    [0] * 8, [0] * 10, [0] * 8 + [4], [0] * 8 + [-1], [0] * 8 + [True],
])
def test_answers_that_do_not_fit_the_form_are_refused(answers: list[int]) -> None:
    with pytest.raises(InvalidInput):
        score(PHQ9, answers)


def test_gcqs_scale_means_use_the_published_item_numbers() -> None:
    # Engaged 1, 2, 4, 8, 11; Avoiding 3, 5, 9; Conflict 6, 7, 10, 12.
    answers = [5, 4, 1, 6, 2, 0, 1, 3, 3, 0, 2, 2]
    result = score(GCQS, answers)
    assert result.values == {"engaged": (5 + 4 + 6 + 3 + 2) / 5,
                             "avoiding": (1 + 2 + 3) / 3,
                             "conflict": (0 + 1 + 0 + 2) / 4}


def test_gcqs_divides_by_the_items_rated_and_is_invalid_over_four_blanks() -> None:
    four_blank = [5, None, 1, 6, None, 0, None, 3, 3, None, 2, 2]
    result = score(GCQS, four_blank)
    assert result.status == "prorated"
    assert result.values == {"engaged": (5 + 6 + 3 + 2) / 4, "avoiding": (1 + 3) / 2,
                             "conflict": (0 + 2) / 2}
    five_blank = [5, None, 1, 6, None, 0, None, 3, 3, None, None, 2]
    assert score(GCQS, five_blank).status == "invalid"
    assert score(GCQS, five_blank).values == {"engaged": None, "avoiding": None,
                                              "conflict": None}


def test_gcqs_group_mean_over_members_with_missing_items() -> None:
    a = score(GCQS, [6, 6, 3, 6, 3, 0, 0, 6, 3, 0, 6, 0])  # engaged 6, avoiding 3, conflict 0
    b = score(GCQS, [2, 2, None, 2, None, 4, 4, 2, None, 4, 2, 4])  # avoiding blank
    c = score(GCQS, [None] * 5 + [3] * 7)  # five blanks: invalid, left out
    means = group_means(GCQS, [a, b, c])
    assert means["engaged"] == pytest.approx((6 + 2) / 2)
    assert means["conflict"] == pytest.approx((0 + 4) / 2)
    assert means["avoiding"] == pytest.approx(3.0)  # only member a rated it
    assert group_means(GCQS, [c]) == {"engaged": None, "avoiding": None, "conflict": None}
