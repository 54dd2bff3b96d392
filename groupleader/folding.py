"""Fold text the way a person reads it: case, accents and punctuation variants ignored.

One folding serves Find (groupleader/data/search.py) and de-identification
(groupleader/report/redact.py), so a name that Find finds is a name the redactor hides.

- Case is folded (`casefold`), accents and other combining marks are dropped, so "Zoë",
  "ZOE" and "Zoe" + U+0308 (macOS's decomposed form) all fold to "zoe"; Hebrew points and
  Arabic vowel marks go the same way.
- Apostrophe and hyphen variants become "'" and "-" ("O’Brien" -> "o'brien"); so do the
  Hebrew geresh and gershayim (U+05F3, U+05F4, and an ASCII '"' between Hebrew letters),
  which belong to the word: "ג׳ני" and "ג'ני" both fold to "ג'ני".
- Invisible characters (soft hyphen, zero-width joiners, direction marks, Arabic
  tatweel) are dropped; a few letters without a decomposition are spelled in Latin
  ("ø" -> "o", "ł" -> "l"); Arabic "ة" and "ى" become "ه" and "ي", as people write them,
  and the Persian/Urdu/Kurdish forms ی ے ک ڪ ە ہ ھ ۀ ۂ become ي ك ه.
- Chinese, Japanese and Korean characters are left as they are.

`fold_map` also returns where each folded character came from, so a match found in the
folded text can be cut out of the original.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

APOSTROPHES = "\u2019\u2018\u02bc\u02bb\u0060\u00b4\u2032\uff07"
HYPHENS = "\u2010\u2011\u2012\u2013\u2014\u2212\ufe63\uff0d"
_DROPPED = frozenset("\u00ad\u0640\u200b\u200c\u200d\u200e\u200f\u2060\ufeff")
_SPELLED = {"ø": "o", "ł": "l", "đ": "d", "ı": "i", "æ": "ae", "œ": "oe", "ħ": "h",
            "þ": "th", "ð": "d", "ŧ": "t", "ة": "ه", "ى": "ي",
            "\u05f3": "'", "\u05f4": "'",
            # Persian, Urdu and Kurdish keyboards write the Arabic letters their own way
            "\u06cc": "ي", "\u06d2": "ي", "\u064a": "ي", "\u06a9": "ك", "\u06aa": "ك",
            "\u06d5": "ه", "\u06c1": "ه", "\u06be": "ه", "\u06c0": "ه", "\u06c2": "ه"}


def is_cjk(ch: str) -> bool:
    """A character of a script written without spaces between words (or Hangul)."""
    o = ord(ch)
    return (0x3040 <= o <= 0x30FF or 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF
            or 0xF900 <= o <= 0xFAFF or 0xAC00 <= o <= 0xD7A3 or 0x20000 <= o <= 0x2FA1F)


@lru_cache(maxsize=8192)
def fold_char(ch: str) -> str:
    """One character folded: "" for a mark or an invisible character, else one or more."""
    if ch < "\x80":
        return ch.lower()
    if ch in APOSTROPHES:
        return "'"
    if ch in HYPHENS:
        return "-"
    if ch in _DROPPED or unicodedata.combining(ch):
        return ""
    if is_cjk(ch):
        return ch
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    return "".join(_SPELLED.get(c, c) for c in base.casefold())


def fold_map(text: str) -> tuple[str, list[int] | None]:
    """The folded text and, for each of its characters, its index in `text`.

    The index list is None when folding kept every position (plain ASCII).
    """
    if text.isascii():
        return text.lower(), None
    parts: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch == '"' and _hebrew_before(text, i) and _hebrew_at(text, i + 1):
            folded = "'"  # an ASCII gershayim inside a Hebrew word
        else:
            folded = fold_char(ch)
        parts.append(folded)
        index.extend([i] * len(folded))
    return "".join(parts), index


def _hebrew_at(text: str, i: int) -> bool:
    return 0 <= i < len(text) and "\u05d0" <= text[i] <= "\u05ea"


def _hebrew_before(text: str, i: int) -> bool:
    """A Hebrew letter before position `i` (past any points)."""
    i -= 1
    while i >= 0 and unicodedata.combining(text[i]):
        i -= 1
    return _hebrew_at(text, i)


def fold(text: str) -> str:
    """`text` folded for matching ("Zoë O’Brien" -> "zoe o'brien")."""
    return fold_map(text)[0]
