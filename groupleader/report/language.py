"""The document's main language for the PDF's `/Lang`, read from the text it prints.

A screen reader picks its voice by `/Lang`. The dominant script of the letters names it:
a summary written mostly in Hebrew says "he", mostly in Arabic "ar", where "mostly" is
more letters than any other script has (41% Hebrew, 31% Arabic and 28% Latin is
Hebrew). Scripts shared by many languages (Latin, Cyrillic) cannot name one from the
letters alone, so their letters count together for the program's own language
(`APP_LANGUAGE`: its interface and its headings are English), which also wins a tie.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

APP_LANGUAGE = "en"

# Unicode name prefixes of letters -> the language a PDF reader should assume.
_SCRIPTS = (
    ("HEBREW", "he"),
    ("ARABIC", "ar"),
    ("GREEK", "el"),
    ("HIRAGANA", "ja"),
    ("KATAKANA", "ja"),
    ("HANGUL", "ko"),
    ("CJK UNIFIED", "zh"),
    ("CJK COMPATIBILITY IDEOGRAPH", "zh"),
)


def _language_of(char: str) -> str:
    name = unicodedata.name(char, "")
    for prefix, lang in _SCRIPTS:
        if name.startswith(prefix):
            return lang
    return ""


def main_language(text: str, default: str = APP_LANGUAGE) -> str:
    """"he" or "ar" (or "el", "ja", "ko", "zh") when that script has more of the letters
    of `text` than any other, the letters without a language of their own (Latin,
    Cyrillic) counting together for `default`; else `default`. Japanese text mixes kana
    and kanji, so kanji count for Japanese once kana are present."""
    counts: Counter[str] = Counter()
    letters = 0
    # each distinct character once (a summary holds thousands of characters, a few
    # dozen distinct ones), in the order of first appearance, as a pass over the text
    for char, times in Counter(text).items():
        if not char.isalpha():
            continue
        letters += times
        lang = "" if char.isascii() else _language_of(char)
        if lang:
            counts[lang] += times
    if not letters:
        return default
    if counts["ja"]:
        counts["ja"] += counts.pop("zh", 0)
    others = letters - sum(counts.values())  # Latin, Cyrillic and the like
    lang, count = counts.most_common(1)[0] if counts else ("", 0)
    return lang if count > others else default


def story_text(story: Iterable[Any]) -> str:
    """The plain text of a list of flowables (paragraphs, tables, keep-together groups)."""
    return " ".join(_texts(story))


def _texts(items: Iterable[Any]) -> Iterator[str]:
    for item in items:
        if hasattr(item, "getPlainText"):
            yield item.getPlainText()
        elif isinstance(item, list | tuple):
            yield from _texts(item)
        elif hasattr(item, "_cellvalues"):  # a Table
            for row in item._cellvalues:
                yield from _texts(row)
        elif hasattr(item, "_content"):  # KeepTogether and our keep containers
            yield from _texts(item._content)
        elif isinstance(item, str):
            yield item
