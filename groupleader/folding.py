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
- Chinese characters and Hangul syllables are left as they are; Hangul written as
  decomposed jamo (NFD, as macOS may hand it over) is composed back into syllables, and
  kana lose their voicing marks the way Latin letters lose accents, and katakana
  become hiragana the way capitals become small letters ("ガ", "ｶﾞ", "が" and
  "カ" + U+3099 all fold to "か").

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
        return "'" if ch == "`" else ch.lower()  # "O`Brien" is "O'Brien"
    if ch in APOSTROPHES:
        return "'"
    if ch in HYPHENS:
        return "-"
    if ch in _DROPPED or unicodedata.combining(ch):
        return ""
    if is_cjk(ch):
        if "\u3040" <= ch <= "\u30ff" or "\uf900" <= ch <= "\ufaff":  # kana, compatibility
            return "".join(_hiragana(c) for c in unicodedata.normalize("NFKD", ch)
                           if not unicodedata.combining(c))
        return ch
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    return "".join(_SPELLED.get(c, c) for c in base.casefold())


def _hiragana(ch: str) -> str:
    """Katakana as hiragana (the one name written either way: "ゴトウ", "ごとう")."""
    return chr(ord(ch) - 0x60) if "\u30a1" <= ch <= "\u30f6" else ch


def fold_map(text: str) -> tuple[str, list[int] | None]:
    """The folded text and, for each of its characters, its index in `text`.

    The index list is None when folding kept every position (plain ASCII).
    """
    if text.isascii():
        lowered = text.lower()
        return (lowered.replace("`", "'") if "`" in lowered else lowered), None
    parts: list[str] = []
    index: list[int] = []
    jamo = _has_jamo(text)
    skip = 0
    for i, ch in enumerate(text):
        if skip:
            skip -= 1
            continue
        if ch == '"' and _hebrew_before(text, i) and _hebrew_at(text, i + 1):
            folded = "'"  # an ASCII gershayim inside a Hebrew word
        elif jamo and "\u1100" <= ch <= "\u1112":
            folded, skip = _syllable(text, i)
        else:
            folded = fold_char(ch)
        parts.append(folded)
        index.extend([i] * len(folded))
    return "".join(parts), index


def _has_jamo(text: str) -> bool:
    return any("\u1100" <= ch <= "\u11ff" for ch in text)


def _syllable(text: str, i: int) -> tuple[str, int]:
    """The Hangul syllable a leading consonant at `i` starts (its vowel and final
    consonant composed with it), and how many more characters it took."""
    lead = ord(text[i]) - 0x1100
    if i + 1 >= len(text) or not "\u1161" <= text[i + 1] <= "\u1175":
        return text[i], 0
    code = 0xAC00 + (lead * 21 + ord(text[i + 1]) - 0x1161) * 28
    if i + 2 < len(text) and "\u11a8" <= text[i + 2] <= "\u11c2":
        return chr(code + ord(text[i + 2]) - 0x11A7), 2
    return chr(code), 1


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


# ---------------------------------------------------------------- initials


def initial(word: str) -> str:
    """The letter that stands for `word` in initials ("" for none).

    A Chinese, Japanese or Korean name has no initial: its first character is a whole
    family name (王 of 王小明, 김 of 김민준), so "initials" made of it would name the person.
    """
    first = word[:1]
    if not first.isalnum() or is_cjk(first):
        return ""
    return first.upper()


def safe_alias(alias: str, names: tuple[str, ...] | list[str]) -> str:
    """`alias`, unless it shares a Chinese, Japanese or Korean character with one of
    `names` (a pseudonym made before CJK names had no initials, "王."): then the initials
    of a name written in another script ("Wang Xiaoming" -> "W.X."), else "X."."""
    if alias.isascii() or not any(is_cjk(c) for c in alias):
        return alias  # no CJK character at all: nothing to compare (the usual case)
    used = {c for name in names for c in name if is_cjk(c)}
    if not used or not any(c in used for c in alias):
        return alias
    for name in names:
        if name and not any(is_cjk(c) for c in name):
            letters = [initial(w) for w in name.replace("-", " ").split()]
            letters = [x for x in letters if x]
            if letters:
                return "".join(f"{x}." for x in letters[:3])
    return "X."
