"""Paragraphs in every script: font fallback per run, Arabic joining, right-to-left lines.

- **Fallback**: each piece of user text is set in the face that draws it (`fonts.runs`).
- **Shaping**: a paragraph with Arabic is shaped by HarfBuzz (ReportLab's `shaping`,
  through `uharfbuzz`), which joins the letters and sets the glyphs of each right-to-left
  word in display order.
- **Direction**: the paragraph reads in its own direction (its first strong character,
  python-bidi; a bold label of ours before the text does not count). ReportLab wraps the
  words in logical order, so the lines come in reading order; `ScriptParagraph` then puts
  each line in display order with the Unicode bidi algorithm just before drawing: by
  character for unshaped text (Hebrew), by word for shaped text (whose words HarfBuzz has
  ordered inside), and running text that reads right to left is aligned right. Each line
  is then drawn by `text_layer.draw_line`, segment by segment in reading order, so the
  PDF's text layer reads in logical order (lines with links, underlines or pictures keep
  ReportLab's drawing in display order).

Limits: in a shaped line, punctuation glued to an Arabic word travels with the word
(HarfBuzz shapes the word as one right-to-left run), and an Arabic word glued to a
character of another face (an emoji) is left unjoined.

ReportLab's own right-to-left layout needs `rlbidi`, which PyPI does not carry, and leaves
paragraphs with more than one style run (bold labels, fallback faces) unordered; hence this.
"""

from __future__ import annotations

import copy
import re
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape, unescape

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr
from reportlab.platypus import Paragraph
from reportlab.platypus import paragraph as _rl_paragraph
from reportlab.platypus.paragraph import paraFontSizeHeightOffset

from groupleader.report import bidi, text_layer
from groupleader.report.fonts import REGULAR, runs
from groupleader.report.measured import MeasuredParagraph

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
def _variant(base: ParagraphStyle, direction: str, arabic: bool, cjk: bool) -> ParagraphStyle:
    extra: dict[str, Any] = {}
    if arabic:
        extra["shaping"] = 1
    if direction:
        extra["glDirection"] = direction
        if direction == "RTL" and base.alignment == TA_LEFT and base.name in _PROSE:
            extra["alignment"] = TA_RIGHT
    if cjk and not direction:
        extra["wordWrap"] = "CJK"  # lines may break between any two ideographs
    return ParagraphStyle(f"{base.name}-{direction or 'ltr'}{'-ar' if arabic else ''}"
                          f"{'-cjk' if cjk else ''}", parent=base, **extra)


def style_for(fragment: str, base: ParagraphStyle) -> ParagraphStyle:
    """The style a paragraph of this markup needs: `base` unless it holds right-to-left,
    Arabic or CJK text."""
    if fragment.isascii():
        return base
    plain = unescape(_TAG.sub("", fragment))
    arabic = bool(_ARABIC.search(plain))
    rtl = arabic or bidi.has_rtl(plain)
    cjk = bool(_CJK.search(plain))
    if not (rtl or cjk):
        return base
    # the direction is the user text's, not that of a label we put before it
    # (all label: a heading of ours, such as "<name>: Risk concern", reads left to right)
    own = unescape(_TAG.sub("", _LABEL.sub("", fragment, count=1)))
    direction = bidi.base_direction(own) if own.strip() else "LTR"
    return _variant(base, direction if rtl else "", arabic, cjk)


def _shape_one_face(word: Any, *args: Any, **kwargs: Any) -> Any:
    """ReportLab's HarfBuzz shaping of one word, for words drawn in one face only.

    ReportLab shapes a word with the face of its first piece; a word whose pieces use two
    faces (an Arabic word glued to an emoji) would get glyph numbers of the wrong face, so
    it is left unshaped (its right-to-left pieces are put in order when drawn).
    """
    pieces = [(f, s) for f, s in word[1:] if not hasattr(f, "cbDefn")]
    if len({f.fontName for f, _s in pieces}) > 1:
        return word
    shaped = _shape_fragword(word, *args, **kwargs)
    if shaped is not word:
        text_layer.true_glyphs("".join(str(s) for _f, s in pieces), shaped)
    return shaped


_shape_fragword = _rl_paragraph.shapeFragWord
_rl_paragraph.shapeFragWord = _shape_one_face


def _token_class(text: str) -> str:
    """The first and last strong characters of a word (one character if the same), as
    stand-ins for the bidi algorithm: what the word is, and what follows it. (Private
    codes, glyphs HarfBuzz drew outside the character map, count as neutral.)"""
    found = []
    for char in text:
        kind = "ON" if "\ue000" <= char <= "\uf8ff" else bidi.char_class(char)
        if kind in ("L", "R", "AL"):
            found.append("a" if kind == "L" else "\u05d0")
        elif kind in ("EN", "AN") and not found:
            found.append("1" if kind == "EN" else "\u0661")
    if not found:
        return text[:1] if text[:1].isspace() else "-"
    return found[0] if found[0] == found[-1] else found[0] + found[-1]


def _merge(pieces: list[tuple[Any, Any]]) -> list[Any]:
    """(frag, text) pieces in display order, consecutive pieces of one frag merged."""
    out: list[Any] = []
    last_src: Any = None
    for frag, piece in pieces:
        if piece is None:
            out.append(frag)
            last_src = None
            continue
        if last_src is frag:
            out[-1].text = out[-1].text + piece
        else:
            clone = frag.clone()
            clone.text = piece
            out.append(clone)
            last_src = frag
    return out


def _visual_chars(words: list[Any], direction: str) -> list[Any]:
    """An unshaped line in display order, character by character (UAX #9 on the line)."""
    chars: list[str] = []
    owners: list[tuple[Any, str | None]] = []
    for frag in words:
        text = getattr(frag, "text", "")
        if hasattr(frag, "cbDefn") or not text:
            chars.append("\ufffc")
            owners.append((frag, None))
            continue
        for char in str(text):
            chars.append(char)
            owners.append((frag, ""))
    line = "".join(chars)
    levels = bidi.levels(line, direction)
    pieces: list[tuple[Any, str | None]] = []
    for i in bidi.visual_order(line, direction):
        frag, kind = owners[i]
        if kind is None:
            pieces.append((frag, None))
        else:
            pieces.append((frag, bidi.mirrored(line[i]) if levels[i] % 2 else line[i]))
    return _merge(pieces)


def _token_order(words: list[Any], direction: str) -> tuple[list[tuple[Any, Any]],
                                                           list[tuple[int, int]]]:
    """A shaped line's words and spaces (reading order) and their (index, level) in display
    order: HarfBuzz has already put the glyphs of each right-to-left word in display
    order; the bidi algorithm orders the words (each counted as its first and last strong
    characters). Callbacks (`cbDefn`) are pieces of their own with no text."""
    tokens: list[tuple[Any, Any]] = []
    for frag in words:
        text = getattr(frag, "text", "")
        if hasattr(frag, "cbDefn") or not text:
            tokens.append((frag, None))
            continue
        for m in _TOKEN.finditer(str(text)):
            tokens.append((frag, text[m.start():m.end()]))
    proxy, owner = "", []
    for i, (_frag, piece) in enumerate(tokens):
        stand_in = _token_class(str(piece)) if piece is not None else "-"
        proxy += stand_in
        owner += [i] * len(stand_in)
    levels = bidi.levels(proxy, direction)
    seen: set[int] = set()
    order: list[tuple[int, int]] = []
    for j in bidi.visual_order(proxy, direction):
        if owner[j] not in seen:
            seen.add(owner[j])
            order.append((owner[j], levels[j]))
    return tokens, order


def _visual_words(words: list[Any], direction: str) -> list[Any]:
    """A shaped line in display order, word by word (for lines `draw_line` leaves alone)."""
    tokens, order = _token_order(words, direction)
    pieces: list[tuple[Any, Any]] = []
    for i, level in order:
        frag, piece = tokens[i]
        if piece is not None and level % 2 and not isinstance(piece, ShapedStr):
            piece = bidi.log2vis(str(piece), "RTL")  # a word HarfBuzz left unshaped
        pieces.append((frag, piece))
    return _merge(pieces)


def _line_atoms(words: list[Any], direction: str) -> list[text_layer.Atom]:
    if any(isinstance(getattr(f, "text", ""), ShapedStr) for f in words):
        return text_layer.token_atoms(*_token_order(words, direction))
    return text_layer.char_atoms(words, direction)


def _drawn_as_text_layer(para: Paragraph) -> bool:
    """Whether `draw_line` can draw every line of `para` (plain text runs: no pictures,
    links, underlines, backgrounds, bullets or automatic leading)."""
    style = para.style
    if (style.backColor or (style.borderColor and style.borderWidth) or para.bulletText
            or getattr(style, "autoLeading", "") in ("min", "max")):
        return False
    bl = para.__dict__["blPara"]
    if bl.kind == 0:
        return not (getattr(bl, "us_lines", None) or getattr(bl, "link", None))
    return all(not (hasattr(f, "cbDefn") or getattr(f, "link", None)
                    or getattr(f, "us_lines", None) or getattr(f, "backColor", None))
               for line in bl.lines for f in line.words)


class ScriptParagraph(MeasuredParagraph):
    """A Paragraph whose lines are drawn in display order (see the module's docstring)."""

    def drawPara(self, debug: int = 0) -> None:  # ReportLab's name
        direction = getattr(self.style, "glDirection", "")
        original: Any = self.__dict__["blPara"]  # set by wrap(), before any drawing
        if not direction:
            super().drawPara(debug)
            return
        if _drawn_as_text_layer(self):
            self._draw_reading_order(original, direction)
            return
        visual = copy.copy(original)
        if original.kind == 0:  # one style run, unshaped: lines of plain words
            visual.lines = [(extra, [bidi.log2vis(" ".join(line_words), direction)])
                            for extra, line_words in original.lines]
        else:
            visual.lines = []
            for line in original.lines:
                shown = copy.copy(line)
                shaped = any(isinstance(getattr(f, "text", ""), ShapedStr)
                             for f in line.words)
                shown.words = (_visual_words if shaped else _visual_chars)(line.words,
                                                                           direction)
                visual.lines.append(shown)
        self.blPara = visual
        try:
            super().drawPara(debug)
        finally:
            self.blPara = original


    def _draw_reading_order(self, bl: Any, direction: str) -> None:
        """Each line at the place ReportLab gave it, drawn by `text_layer.draw_line`."""
        style = self.style
        lines = bl.lines
        offsets = list(getattr(self, "_offsets", [0]))
        offsets += [offsets[-1]] * (len(lines) - len(offsets))
        first = bl if bl.kind == 0 else lines[0]
        top = first.fontSize if paraFontSizeHeightOffset else getattr(first, "ascent",
                                                                      first.fontSize)
        y = self.height - top
        self.canv.saveState()
        for i, line in enumerate(lines):
            if bl.kind == 0:
                extra, words = line
                frags: list[Any] = [_BlockRun(bl, " ".join(words))]
            else:
                extra, frags = line.extraSpace, line.words
            x = style.leftIndent + offsets[i] + (style.firstLineIndent if i == 0 else 0)
            if style.alignment == TA_RIGHT or (style.alignment == TA_JUSTIFY
                                               and direction == "RTL"):
                x += extra
            elif style.alignment == TA_CENTER:
                x += extra / 2
            text_layer.draw_line(self.canv, x, y - i * style.leading,
                                 _line_atoms(frags, direction))
        self.canv.restoreState()


class _BlockRun:
    """The one style run of a simple paragraph, with one line's text."""

    def __init__(self, bl: Any, text: str) -> None:
        self.fontName, self.fontSize, self.textColor = bl.fontName, bl.fontSize, bl.textColor
        self.text = text


def paragraph(fragment: str, base: ParagraphStyle) -> Paragraph:
    """A Paragraph of finished markup (user pieces already through `font_markup`)."""
    style = style_for(fragment, base)
    if style is base:
        return MeasuredParagraph(fragment, base)
    return ScriptParagraph(fragment, style)


LRM = "\u200e"  # LEFT-TO-RIGHT MARK: makes a line that starts with a number read left to right


def string_width(text: str, size: float, face: str = REGULAR) -> float:
    """Width of `text` in points, each piece in the face that draws it."""
    if text.isascii():
        return pdfmetrics.stringWidth(text, face, size)
    return sum(pdfmetrics.stringWidth(piece, face if f == REGULAR else f, size)
               for f, piece in runs(text))
