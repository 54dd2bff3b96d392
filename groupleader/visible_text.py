"""Whether a text has anything a reader can see.

A note of only zero-width spaces (U+200B), joiners (U+200C, U+200D), word joiners
(U+2060), byte-order marks (U+FEFF), direction marks, Hangul fillers or combining marks
with nothing to combine with looks empty on screen and on paper, so wherever a text is
required it counts as empty.
"""

from __future__ import annotations

import unicodedata

# Letters by category that draw nothing (Hangul fillers, the Braille blank).
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def visible(ch: str) -> bool:
    """A letter, digit, punctuation mark or symbol that draws something."""
    return unicodedata.category(ch)[0] in "LNPS" and ch not in _BLANK_LETTERS


def has_visible(value: str) -> bool:
    return any(visible(ch) for ch in value)
