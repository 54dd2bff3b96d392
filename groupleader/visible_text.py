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


# Characters that draw nothing and join or split nothing a reader sees in a name: zero-width
# space, non-joiner, joiner, word joiner, byte-order mark, soft hyphen.
# not the joiners U+200C/U+200D: Persian, Indic scripts and emoji sequences need them
INVISIBLE = "\u200b\u2060\ufeff\u00ad"
_STRIP = str.maketrans("", "", INVISIBLE)


def strip_invisible(value: str) -> str:
    """`value` without the invisible characters above (a non-string is returned as is, for
    the caller's own check): a name saved with them would be printed whole where a space
    was meant, and would not match the same name typed plainly."""
    return value.translate(_STRIP) if isinstance(value, str) else value
