"""Paragraphs in every script: font fallback per run, Arabic joining, right-to-left lines.

- **Fallback**: each piece of user text is set in the face that draws it (`fonts.runs`).
- **Shaping**: a paragraph with Arabic or Hebrew is shaped by HarfBuzz (ReportLab's
  `shaping`, through `uharfbuzz`), which joins Arabic letters and sets the glyphs of each
  right-to-left word in display order.
- **Direction**: the paragraph reads in its own direction (its first strong character,
  python-bidi). ReportLab wraps the words in logical order, so the lines come in reading
  order; `ScriptParagraph` then puts the words of each line in display order with the
  Unicode bidi algorithm (python-bidi, at the level of words) just before drawing, and a
  right-to-left paragraph is aligned right.

ReportLab's own right-to-left layout needs `rlbidi`, which PyPI does not carry, and leaves
paragraphs with more than one style run (bold labels, fallback faces) unordered; hence this.
"""

from __future__ import annotations

import copy
import re
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape, unescape

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr
from reportlab.platypus import Paragraph
from reportlab.platypus import paragraph as _rl_paragraph

from groupleader.report import bidi
from groupleader.report.fonts import REGULAR, runs

_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_CJK = re.compile("[\u3000-\u9fff\uac00-\ud7ff\uf900-\ufaff\uff00-\uffef"
                  "\U00020000-\U0003ffff]")
_TAG = re.compile(r"<[^>]*>")
_LABEL = re.compile(r"^\s*<b>.*?</b>")  # our own bold label before user text ("Plan:")
# Running text reads from its own side; a name in a table cell or a heading keeps the
# column's alignment (its words are still in right-to-left order).
_PROSE = frozenset({"body", "muted", "small", "warning"})
_TOKEN = re.compile(r"\s+|\S+")


def font_markup(text: str) -> str:
    """Escaped `text`, each piece in the face that draws it."""
    out = []
    for face, piece in runs(text):
        if face == REGULAR:
            out.append(escape(piece))
        else:
            out.append(f'<font name="{face}">{escape(piece)}</font>')
    return "".join(out)


@lru_cache(maxsize=512)
def _variant(base: ParagraphStyle, direction: str, cjk: bool) -> ParagraphStyle:
    extra: dict[str, Any] = {}
    if direction:
        extra["glDirection"] = direction
        extra["shaping"] = 1
        if direction == "RTL" and base.alignment == TA_LEFT and base.name in _PROSE:
            extra["alignment"] = TA_RIGHT
    if cjk and not direction:
        extra["wordWrap"] = "CJK"  # lines may break between any two ideographs
    return ParagraphStyle(f"{base.name}-{direction or 'ltr'}{'-cjk' if cjk else ''}",
                          parent=base, **extra)


def style_for(fragment: str, base: ParagraphStyle) -> ParagraphStyle:
    """The style a paragraph of this markup needs: `base` unless it holds right-to-left,
    Arabic or CJK text."""
    if fragment.isascii():
        return base
    plain = unescape(_TAG.sub("", fragment))
    rtl = bidi.has_rtl(plain) or bool(_ARABIC.search(plain))
    cjk = bool(_CJK.search(plain))
    if not (rtl or cjk):
        return base
    # the direction is the user text's, not that of a label we put before it
    own = unescape(_TAG.sub("", _LABEL.sub("", fragment, count=1))) or plain
    return _variant(base, bidi.base_direction(own) if rtl else "", cjk)


def _shape_one_face(word: Any, *args: Any, **kwargs: Any) -> Any:
    """ReportLab's HarfBuzz shaping of one word, for words drawn in one face only.

    ReportLab shapes a word with the face of its first piece; a word whose pieces use two
    faces (an Arabic word glued to an emoji) would get glyph numbers of the wrong face, so
    it is left unshaped (its right-to-left pieces are put in order by `_visual_line`).
    """
    faces = {f.fontName for f, _s in word[1:] if not hasattr(f, "cbDefn")}
    if len(faces) > 1:
        return word
    return _shape_fragword(word, *args, **kwargs)


_shape_fragword = _rl_paragraph.shapeFragWord
_rl_paragraph.shapeFragWord = _shape_one_face


def _token_class(text: str) -> str:
    """One representative character for the bidi algorithm, for a word of a line."""
    for char in text:
        kind = bidi.char_class(char)
        if kind in ("L", "R", "AL"):
            return "a" if kind == "L" else "\u05d0"
        if kind in ("EN", "AN"):
            return "1" if kind == "EN" else "\u0661"
    return text[:1] if text[:1].isspace() else "-"


def _visual_line(words: list[Any], direction: str) -> list[Any]:
    """A line's style runs in display order: cut into words and spaces, ordered by the
    bidi algorithm (each word counted as its first strong character), merged again."""
    tokens: list[tuple[Any, Any]] = []
    for frag in words:
        text = getattr(frag, "text", "")
        if hasattr(frag, "cbDefn") or not text:
            tokens.append((frag, None))
            continue
        for m in _TOKEN.finditer(str(text)):
            piece = text[m.start():m.end()]
            tokens.append((frag, piece))
    proxy = "".join(_token_class(str(p)) if p is not None else "-" for _f, p in tokens)
    order = bidi.visual_order(proxy, direction)
    levels = bidi.levels(proxy, direction)
    out: list[Any] = []
    for i in order:
        frag, piece = tokens[i]
        if piece is None:
            out.append(frag)
            continue
        if levels[i] % 2 and not isinstance(piece, ShapedStr):
            piece = bidi.log2vis(str(piece), "RTL")  # an unshaped right-to-left word
        if out and out[-1] is not None and getattr(out[-1], "_gl_src", None) is frag:
            last = out[-1]
            last.text = last.text + piece
        else:
            clone = frag.clone()
            clone._gl_src = frag
            clone.text = piece
            out.append(clone)
    for frag in out:
        if hasattr(frag, "_gl_src"):
            del frag._gl_src
    return out


class ScriptParagraph(Paragraph):
    """A Paragraph whose lines are drawn in display order (see the module's docstring)."""

    def drawPara(self, debug: int = 0) -> None:  # ReportLab's name
        direction = getattr(self.style, "glDirection", "")
        original: Any = self.__dict__["blPara"]  # set by wrap(), before any drawing
        if not direction or original.kind != 1:
            super().drawPara(debug)
            return
        visual = copy.copy(original)
        visual.lines = []
        for line in original.lines:
            shown = copy.copy(line)
            shown.words = _visual_line(line.words, direction)
            visual.lines.append(shown)
        self.blPara = visual
        try:
            super().drawPara(debug)
        finally:
            self.blPara = original


def paragraph(fragment: str, base: ParagraphStyle) -> Paragraph:
    """A Paragraph of finished markup (user pieces already through `font_markup`)."""
    style = style_for(fragment, base)
    if style is base:
        return Paragraph(fragment, base)
    return ScriptParagraph(fragment, style)


LRM = "\u200e"  # LEFT-TO-RIGHT MARK


def in_ltr_sentence(name: str) -> str:
    """A name set into an English sentence: a right-to-left name is closed with a
    left-to-right mark, so the punctuation and numbers after it stay outside it."""
    return name + LRM if bidi.has_rtl(name) else name


def string_width(text: str, size: float, face: str = REGULAR) -> float:
    """Width of `text` in points, each piece in the face that draws it."""
    if text.isascii():
        return pdfmetrics.stringWidth(text, face, size)
    return sum(pdfmetrics.stringWidth(piece, face if f == REGULAR else f, size)
               for f, piece in runs(text))
