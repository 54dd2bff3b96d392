"""An instrument as data: what a definition file says, checked once when it is loaded.

A new instrument is a new JSON file in ``groupleader/resources/instruments/`` (or a mapping
given to `parse_definition`), never new code: the scoring engine, the entry widget, the
charts and the CSV export read only what is here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

Scoring = Literal["sum", "scale_means"]
Direction = Literal["worse", "better", "none"]
WhenMore = Literal["incomplete", "invalid"]


class DefinitionError(ValueError):
    """A definition file that does not describe a usable instrument (a programming or
    packaging error, not a user's input)."""


@dataclass(frozen=True)
class Option:
    value: int
    label: str


@dataclass(frozen=True)
class Band:
    """A severity band: from `lower` (inclusive) up to the next band's lower bound."""

    lower: float
    label: str


@dataclass(frozen=True)
class Scale:
    key: str
    label: str
    items: tuple[int, ...]  # 1-based item numbers, as printed on the form


@dataclass(frozen=True)
class MissingRule:
    """Up to `prorate_up_to` unanswered items are scored from the answered ones; more
    make the form `when_more` ("incomplete" or "invalid")."""

    prorate_up_to: int
    when_more: WhenMore


@dataclass(frozen=True)
class Instrument:
    key: str
    name: str
    title: str
    rates: Literal["member", "group"]  # what a respondent rates: themself or the group
    period: str
    items: tuple[str, ...]
    options: tuple[Option, ...]
    reverse_items: frozenset[int]
    scoring: Scoring
    scales: tuple[Scale, ...]
    higher_is: Direction
    bands: tuple[Band, ...]
    cutoff: float | None
    reliable_change: float | None
    risk_items: tuple[int, ...]
    missing: MissingRule
    total_only: bool
    attribution: str
    licence: str
    source: str

    @property
    def n_items(self) -> int:
        return len(self.items)

    @property
    def min_value(self) -> int:
        return min(o.value for o in self.options)

    @property
    def max_value(self) -> int:
        return max(o.value for o in self.options)

    @property
    def score_range(self) -> tuple[float, float]:
        """The range of what is charted: the total for a sum, a scale mean otherwise."""
        if self.scoring == "sum":
            return (float(self.min_value * self.n_items), float(self.max_value * self.n_items))
        return (float(self.min_value), float(self.max_value))

    @property
    def series(self) -> tuple[Scale, ...]:
        """What one form yields: the total (a sum) or one value per scale."""
        if self.scoring == "sum":
            return (Scale("total", "Total", tuple(range(1, self.n_items + 1))),)
        return self.scales

    def option_label(self, value: int) -> str:
        for o in self.options:
            if o.value == value:
                return o.label
        return str(value)


def _need(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    if key not in data:
        raise DefinitionError(f"instrument definition lacks {key!r}")
    value = data[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise DefinitionError(f"instrument definition: {key!r} has the wrong type")
    return value


def _item_numbers(values: Any, n: int, what: str) -> tuple[int, ...]:
    if not isinstance(values, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise DefinitionError(f"instrument definition: {what} must be a list of item numbers")
    for v in values:
        if not 1 <= v <= n:
            raise DefinitionError(f"instrument definition: {what} names item {v} of {n}")
    if len(set(values)) != len(values):
        raise DefinitionError(f"instrument definition: {what} repeats an item")
    return tuple(values)


def _number_or_none(data: Mapping[str, Any], key: str) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise DefinitionError(f"instrument definition: {key!r} must be a number or null")
    return float(value)


def parse_definition(data: Mapping[str, Any]) -> Instrument:
    """The instrument a definition describes; `DefinitionError` says what is wrong."""
    key = _need(data, "key", str)
    if not key.isidentifier() or key != key.lower():
        raise DefinitionError("instrument definition: 'key' must be a lower-case identifier")
    items = tuple(_need(data, "items", list))
    if not items or not all(isinstance(i, str) and i for i in items):
        raise DefinitionError("instrument definition: 'items' must be non-empty texts")
    n = len(items)
    options = tuple(Option(int(o["value"]), str(o["label"])) for o in _need(data, "options", list))
    values = [o.value for o in options]
    if len(options) < 2 or values != sorted(set(values)) or values != list(
            range(values[0], values[-1] + 1)):
        raise DefinitionError("instrument definition: 'options' must be consecutive values")
    if values[0] < 0 or values[-1] > 9:
        raise DefinitionError("instrument definition: option values must be single digits")
    scoring = _need(data, "scoring", str)
    if scoring not in ("sum", "scale_means"):
        raise DefinitionError("instrument definition: 'scoring' must be sum or scale_means")
    scales = tuple(
        Scale(str(s["key"]), str(s["label"]), _item_numbers(s["items"], n, f"scale {s['key']}"))
        for s in data.get("scales", []))
    if scoring == "scale_means" and not scales:
        raise DefinitionError("instrument definition: scale_means needs 'scales'")
    bands = tuple(Band(float(b["from"]), str(b["label"])) for b in data.get("bands", []))
    if [b.lower for b in bands] != sorted({b.lower for b in bands}):
        raise DefinitionError("instrument definition: 'bands' must rise")
    missing = _need(data, "missing", dict)
    prorate = missing.get("prorate_up_to", 0)
    when_more = missing.get("when_more", "incomplete")
    if not isinstance(prorate, int) or not 0 <= prorate < n or when_more not in (
            "incomplete", "invalid"):
        raise DefinitionError("instrument definition: bad 'missing' rule")
    rates = data.get("rates", "member")
    higher_is = data.get("higher_is", "worse")
    if rates not in ("member", "group") or higher_is not in ("worse", "better", "none"):
        raise DefinitionError("instrument definition: bad 'rates' or 'higher_is'")
    return Instrument(
        key=key,
        name=_need(data, "name", str),
        title=str(data.get("title", data["name"])),
        rates=rates,
        period=str(data.get("period", "")),
        items=items,
        options=options,
        reverse_items=frozenset(_item_numbers(data.get("reverse_items", []), n, "reverse_items")),
        scoring=scoring,
        scales=scales,
        higher_is=higher_is,
        bands=bands,
        cutoff=_number_or_none(data, "cutoff"),
        reliable_change=_number_or_none(data, "reliable_change"),
        risk_items=_item_numbers(data.get("risk_items", []), n, "risk_items"),
        missing=MissingRule(prorate, when_more),
        total_only=bool(data.get("total_only", scoring == "sum")) and scoring == "sum",
        attribution=_need(data, "attribution", str),
        licence=_need(data, "licence", str),
        source=str(data.get("source", "")),
    )
