"""Right-to-left text through the Unicode bidi algorithm (UAX #9, the `python-bidi` library).

A paragraph reads in its own direction (`base_direction`: its first strong character,
rules P2 and P3). `levels` and `visual_order` give the resolved levels and the display
order of a line (rules X1-I2, then L2); scripts.py applies them to the words of each
wrapped line, so a wrapped Hebrew or Arabic paragraph keeps its lines in reading order and
each line its words in display order. `visual` puts one unwrapped line in display order.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from bidi import algorithm as _uax9
from bidi.mirror import MIRRORED as _MIRRORED

_RTL_CLASSES = frozenset({"R", "AL", "AN", "RLE", "RLO", "RLI"})


def has_rtl(text: str) -> bool:
    """Whether `text` holds a right-to-left character (Hebrew, Arabic, ...)."""
    return any(unicodedata.bidirectional(ch) in _RTL_CLASSES for ch in text if ch > "\u058f")


def base_direction(text: str) -> str:
    """'RTL' or 'LTR': the paragraph direction of `text` (its first strong character)."""
    return "RTL" if _uax9.get_base_level(text) == 1 else "LTR"


def mirrored(char: str) -> str:
    """`char` as drawn in a right-to-left run: "(" becomes ")" (rule L4)."""
    return _MIRRORED.get(char, char) if unicodedata.mirrored(char) else char


def char_class(char: str) -> str:
    """The bidi class of `char` ("L", "R", "AL", "EN", "AN", "WS", ...)."""
    return unicodedata.bidirectional(char)


def _resolved(text: str, direction: str | None) -> dict[str, Any]:
    storage = _uax9.get_empty_storage()
    if direction in ("LTR", "RTL"):
        level = 1 if direction == "RTL" else 0
    else:
        level = _uax9.get_base_level(text)
    storage["base_level"] = level
    storage["base_dir"] = ("L", "R")[level]
    _uax9.get_embedding_levels(text, storage)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index
    _uax9.explicit_embed_and_overrides(storage)
    _uax9.resolve_weak_types(storage, False)
    _uax9.resolve_neutral_types(storage, False)
    _uax9.resolve_implicit_levels(storage, False)
    return storage


def levels(text: str, direction: str | None = None) -> list[int]:
    """The resolved embedding level of each character of one line (odd: right to left)."""
    return [c["level"] for c in _resolved(text, direction)["chars"]]


def visual_order(text: str, direction: str | None = None) -> list[int]:
    """The logical index of each character of one line, in display order (rule L2)."""
    storage = _resolved(text, direction)
    _uax9.reorder_resolved_levels(storage, False)
    return [c["index"] for c in storage["chars"]]


def log2vis(text: str, direction: str | None = None) -> str:
    """`text` (one line, logical order) in display order, brackets mirrored; `direction`
    is 'LTR', 'RTL' or None (the text's own)."""
    storage = _resolved(text, direction)
    _uax9.reorder_resolved_levels(storage, False)
    _uax9.apply_mirroring(storage, False)
    return "".join(c["ch"] for c in storage["chars"])


def visual(text: str) -> str:
    """One line of `text` in display order (for a string drawn on its own, not wrapped)."""
    return log2vis(text) if has_rtl(text) else text
