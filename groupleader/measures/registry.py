"""The instruments the program knows: the shipped definitions, plus any added at run time.

The shipped ones are JSON files in ``groupleader/resources/instruments/``, read with
importlib.resources so a wheel carries them. Keys are stored in the vault, so a shipped
key never changes.
"""

from __future__ import annotations

import json
from importlib import resources

from groupleader.measures.definition import DefinitionError, Instrument, parse_definition

_REGISTRY: dict[str, Instrument] = {}
_SHIPPED: set[str] = set()


def _load_shipped() -> None:
    folder = resources.files("groupleader").joinpath("resources", "instruments")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            inst = parse_definition(json.loads(entry.read_text(encoding="utf-8")))
            _REGISTRY[inst.key] = inst
            _SHIPPED.add(inst.key)


def instruments() -> tuple[Instrument, ...]:
    """Every known instrument, in a stable order (by name)."""
    if not _REGISTRY:
        _load_shipped()
    return tuple(sorted(_REGISTRY.values(), key=lambda i: i.name.casefold()))


def instrument(key: str) -> Instrument:
    """The instrument with this key; KeyError for an unknown one."""
    if not _REGISTRY:
        _load_shipped()
    return _REGISTRY[key]


def is_instrument(key: str) -> bool:
    if not _REGISTRY:
        _load_shipped()
    return key in _REGISTRY


def add(inst: Instrument) -> None:
    """Make one more instrument known (a site's own definition); its key must be new."""
    if not _REGISTRY:
        _load_shipped()
    if inst.key in _REGISTRY:
        raise DefinitionError(f"an instrument with key {inst.key!r} is already known")
    _REGISTRY[inst.key] = inst


def remove(key: str) -> None:
    """Forget an instrument added with `add` (a shipped one stays)."""
    if key not in _SHIPPED:
        _REGISTRY.pop(key, None)
