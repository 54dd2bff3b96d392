"""Right-to-left words in visual order, for a PDF library that lays text out left to right.

ReportLab places characters left to right in the order given (its own bidi support needs
the `rlbidi` package, which PyPI does not carry). A Hebrew or Arabic name stored as
"שלום" would print reversed. `visual` reverses each right-to-left run of a line (keeping
digits inside it left to right, and mirroring brackets) so that it prints the right way
round; PDF readers (pypdf, poppler) turn the runs back into logical order when text is
copied or extracted, so the text layer matches what was typed.

Limits, documented in docs/reports.md: the base direction is always left to right; a
right-to-left run that wraps over several lines is reordered as one piece, so its lines
come in the wrong order; Arabic letters are printed in their isolated forms (joining
needs a shaping engine such as HarfBuzz).
"""

from __future__ import annotations

import re

_RTL = (
    "\u0590-\u08ff"  # Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Arabic Extended
    "\ufb1d-\ufdff"  # Hebrew and Arabic presentation forms A
    "\ufe70-\ufeff"  # Arabic presentation forms B
)
_LTR_LETTER = rf"[^\W\d_{_RTL}]"
# A run starts and ends with a right-to-left character and holds no left-to-right letter.
_RUN = re.compile(rf"[{_RTL}](?:(?!{_LTR_LETTER})[^\n])*[{_RTL}]|[{_RTL}]")
_DIGITS = re.compile(r"\d+(?:[.,:/]\d+)*")
_MIRROR = str.maketrans("()[]{}<>«»", ")(][}{><»«")
_HAS_RTL = re.compile(rf"[{_RTL}]")


def _flip(match: re.Match[str]) -> str:
    run = match.group(0)[::-1].translate(_MIRROR)
    return _DIGITS.sub(lambda m: m.group(0)[::-1], run)


def visual(text: str) -> str:
    """`text` with each right-to-left run in display order (unchanged if it has none)."""
    if not _HAS_RTL.search(text):
        return text
    return _RUN.sub(_flip, text)
