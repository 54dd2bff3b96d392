"""One scoring engine for every instrument: it reads only the definition.

A form is a sequence of answers, one per item in the order printed, each an option value
or None when the respondent left it blank. Reverse-keyed items count as
``min + max - answer``. Up to the definition's ``prorate_up_to`` blanks are filled with the
mean of the answered items (a sum's total is then rounded half up to a whole number, as on
the paper form); more blanks make the form "incomplete" or "invalid" as the definition
says, and such a form has no score. Risk items are read from the raw answers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from groupleader.errors import InvalidInput
from groupleader.measures.definition import Band, Instrument

Status = Literal["complete", "prorated", "total only", "incomplete", "invalid"]
Direction = Literal["improved", "deteriorated", "no reliable change", "not applicable"]


@dataclass(frozen=True)
class Result:
    """A scored form. `values` maps each series key (``total`` or a scale's key) to its
    score, or None when the form (or that scale) can't be scored."""

    instrument: str
    status: Status
    values: dict[str, float | None]
    missing: int
    risk: tuple[tuple[int, int], ...]  # (item number, raw answer) of risk items above 0

    @property
    def scored(self) -> bool:
        return self.status in ("complete", "prorated", "total only")

    @property
    def total(self) -> float | None:
        return self.values.get("total")


@dataclass(frozen=True)
class Change:
    """Change from a baseline score to a later one, in the instrument's own direction."""

    delta: float
    direction: Direction
    recovered: bool  # reliable improvement that crosses the clinical cut-off


def _round_half_up(x: float) -> float:
    return float(math.floor(x + 0.5))


def check_answers(inst: Instrument, answers: Sequence[int | None]) -> None:
    """InvalidInput unless `answers` has one entry per item, each blank or an option."""
    if len(answers) != inst.n_items:
        raise InvalidInput(
            f"{inst.name} has {inst.n_items} items; {len(answers)} answers were given.",
            field="answers")
    lo, hi = inst.min_value, inst.max_value
    for number, a in enumerate(answers, 1):
        if a is None:
            continue
        if isinstance(a, bool) or not isinstance(a, int) or not lo <= a <= hi:
            raise InvalidInput(
                f"{inst.name} item {number}: the answer must be {lo} to {hi}.", field="answers")


def item_score(inst: Instrument, number: int, answer: int) -> int:
    """An answer as it counts towards the score (reverse-keyed items turned round)."""
    if number in inst.reverse_items:
        return inst.min_value + inst.max_value - answer
    return answer


def risk_answers(inst: Instrument, answers: Sequence[int | None]) -> tuple[tuple[int, int], ...]:
    """The risk items answered above the lowest option, with their raw answers."""
    out = []
    for number in inst.risk_items:
        a = answers[number - 1]
        if a is not None and a > inst.min_value:
            out.append((number, a))
    return tuple(out)


def blank_risk_items(inst: Instrument, answers: Sequence[int | None]) -> tuple[int, ...]:
    """The risk items left blank: never prorated over silently, the entry and the saved
    message name them (a blank is not a "0": ask the member)."""
    return tuple(n for n in inst.risk_items if answers[n - 1] is None)


def score(inst: Instrument, answers: Sequence[int | None]) -> Result:
    """The scored form (InvalidInput for answers that don't fit the instrument)."""
    check_answers(inst, answers)
    missing = sum(1 for a in answers if a is None)
    risk = risk_answers(inst, answers)
    keys = [s.key for s in inst.series]
    if missing > inst.missing.prorate_up_to or missing == inst.n_items:
        return Result(inst.key, inst.missing.when_more, dict.fromkeys(keys), missing, risk)
    values: dict[str, float | None] = {}
    for scale in inst.series:
        counted = [item_score(inst, n, a) for n in scale.items
                   if (a := answers[n - 1]) is not None]
        if not counted:
            values[scale.key] = None
        elif inst.scoring == "sum":
            mean = sum(counted) / len(counted)
            exact = len(counted) == len(scale.items)
            values[scale.key] = float(sum(counted)) if exact else _round_half_up(
                mean * len(scale.items))
        else:
            values[scale.key] = sum(counted) / len(counted)
    return Result(inst.key, "prorated" if missing else "complete", values, missing, risk)


def score_total(inst: Instrument, total: float) -> Result:
    """A form of which only the total is known (InvalidInput when the instrument has no
    total or the total is out of its range)."""
    if not inst.total_only:
        raise InvalidInput(f"{inst.name} can't be entered as a total only.", field="total")
    lo, hi = inst.score_range
    if isinstance(total, bool) or not isinstance(total, int | float) or not lo <= total <= hi:
        raise InvalidInput(f"The {inst.name} total must be {lo:g} to {hi:g}.", field="total")
    if inst.scoring == "sum" and float(total) != int(total):
        # a sum of whole answers is a whole number
        raise InvalidInput(f"The {inst.name} total must be a whole number from {lo:g} to "
                           f"{hi:g}.", field="total")
    return Result(inst.key, "total only", {"total": float(total)}, 0, ())


def band(inst: Instrument, value: float | None) -> Band | None:
    """The severity band of a score, or None (no score, or the instrument has no bands)."""
    if value is None:
        return None
    found = None
    for b in inst.bands:
        if value >= b.lower:
            found = b
    return found


def above_cutoff(inst: Instrument, value: float | None) -> bool:
    """Whether a score is in the clinical range (at or above the cut-off)."""
    return inst.cutoff is not None and value is not None and value >= inst.cutoff


def change(inst: Instrument, baseline: float, current: float) -> Change:
    """Reliable change: a difference of at least the definition's threshold, in the
    direction of improvement (lower is better when higher is worse)."""
    delta = current - baseline
    rc = inst.reliable_change
    if rc is None or inst.higher_is == "none":
        return Change(delta, "not applicable", False)
    better = -delta if inst.higher_is == "worse" else delta
    if better >= rc:
        direction: Direction = "improved"
    elif better <= -rc:
        direction = "deteriorated"
    else:
        direction = "no reliable change"
    recovered = (direction == "improved" and inst.cutoff is not None
                 and above_cutoff(inst, baseline) != above_cutoff(inst, current)
                 and (inst.higher_is == "worse") == above_cutoff(inst, baseline))
    return Change(delta, direction, recovered)


def group_means(inst: Instrument, forms: Iterable[Result]) -> dict[str, float | None]:
    """The group's score for one session: per series, the mean over the members' scored
    forms (a form that is incomplete or invalid counts for nothing; a scale a member left
    wholly blank is left out of that scale's mean only)."""
    sums: dict[str, list[float]] = {s.key: [] for s in inst.series}
    for form in forms:
        if form.instrument != inst.key or not form.scored:
            continue
        for key, value in form.values.items():
            if value is not None:
                sums[key].append(value)
    return {k: (sum(v) / len(v) if v else None) for k, v in sums.items()}
