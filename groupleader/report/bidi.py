"""Right-to-left text through the Unicode bidi algorithm (UAX #9, the `python-bidi` library).

A paragraph reads in its own direction (`base_direction`: its first strong character,
rules P2 and P3). `levels` and `visual_order` give the resolved levels and the display
order of a line (rules X1-I2 as python-bidi's Rust implementation resolves them, bracket
pairs (N0) included, so "Rafa (he/him)" in a Hebrew sentence keeps its brackets; then L1
and L2); scripts.py applies them to the words of each
wrapped line, so a wrapped Hebrew or Arabic paragraph keeps its lines in reading order and
each line its words in display order. `visual` puts one unwrapped line in display order.
"""

from __future__ import annotations

import re
import unicodedata

from bidi import algorithm as _uax9
from bidi import get_display
from bidi.mirror import MIRRORED as _MIRRORED

_LEVEL = re.compile(r"Level\(\s*(\d+)")
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


def _rust_levels(text: str, direction: str | None) -> list[int]:
    """The levels python-bidi's UAX #9 implementation (the `unicode-bidi` crate) resolves
    for each character, rule N0 (bracket pairs) included.

    The library gives its levels only in its debug report (one per UTF-8 byte); the
    level of a character is that of its first byte.
    """
    base = {"RTL": "R", "LTR": "L"}.get(direction or "")
    report = str(get_display(text, base_dir=base, debug=True))
    section = report[report.index("levels: ["):report.index("paragraphs:")]
    by_byte = [int(n) for n in _LEVEL.findall(section)]
    out, offset = [], 0
    for char in text:
        out.append(by_byte[offset])
        offset += len(char.encode("utf-8"))
    return out


def levels(text: str, direction: str | None = None) -> list[int]:
    """The resolved embedding level of each character of one line (odd: right to left),
    with rule L1: whitespace at the end of the line goes back to the paragraph's level."""
    if not text:
        return []
    if direction in ("LTR", "RTL"):
        base = 1 if direction == "RTL" else 0
    else:
        base = _uax9.get_base_level(text)
    resolved = _rust_levels(text, direction if direction in ("LTR", "RTL") else
                            ("RTL" if base else "LTR"))
    trailing = True
    for i in range(len(text) - 1, -1, -1):
        kind = unicodedata.bidirectional(text[i])
        if kind in ("S", "B"):
            resolved[i], trailing = base, True
        elif trailing and kind in ("WS", "FSI", "LRI", "RLI", "PDI", "BN", ""):
            resolved[i] = base
        else:
            trailing = False
    return resolved


def _order(line_levels: list[int]) -> list[int]:
    """Rule L2: from the highest level down to the lowest odd one, reverse every run at
    that level or higher."""
    order = list(range(len(line_levels)))
    if not line_levels:
        return order
    lowest_odd = min((lv for lv in line_levels if lv % 2), default=None)
    if lowest_odd is None:
        return order
    shown = list(line_levels)
    for level in range(max(shown), lowest_odd - 1, -1):
        i = 0
        while i < len(shown):
            if shown[i] >= level:
                j = i
                while j < len(shown) and shown[j] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                shown[i:j] = shown[i:j][::-1]
                i = j
            else:
                i += 1
    return order


def visual_order(text: str, direction: str | None = None) -> list[int]:
    """The logical index of each character of one line, in display order (rule L2)."""
    return _order(levels(text, direction))


def log2vis(text: str, direction: str | None = None) -> str:
    """`text` (one line, logical order) in display order, brackets mirrored; `direction`
    is 'LTR', 'RTL' or None (the text's own)."""
    line_levels = levels(text, direction)
    return "".join(mirrored(text[i]) if line_levels[i] % 2 else text[i]
                   for i in _order(line_levels))


def visual(text: str) -> str:
    """One line of `text` in display order (for a string drawn on its own, not wrapped)."""
    return log2vis(text) if has_rtl(text) else text
