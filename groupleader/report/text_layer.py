"""Lines with right-to-left text drawn so that their text layer reads in logical order.

A PDF holds glyphs at positions; a reader that extracts the text (pypdf, a viewer's copy,
a search) has to guess the order of the characters. The common guess, pypdf's and
poppler's, takes the glyphs in the order they were drawn and reverses each run of
right-to-left characters in it (a right-to-left word is drawn left to right, so drawn
order is the reverse of reading order). A line drawn left to right in display order, as
the eye sees it, therefore reads back with its runs in the wrong order: "המפגש ה-12 עם
Dana" came back as "Dana עם 12-המפגש ה".

So each line is cut into *segments*: pieces that are contiguous on the page and in the
text, each one unambiguous to that guess. A left-to-right segment starts with a
left-to-right letter and holds no right-to-left letter; a right-to-left segment starts
(on the page, from the left) with a right-to-left letter, holds no left-to-right letter
and no space (so each word is its own piece); anything else (a space, a digit in
right-to-left text, a bracket, a mark) is a segment of its own. The segments are drawn in
reading order, each at its place on the page, each in its own text object (so a reader
starts a fresh run at each). The page looks exactly as before; the text reads back in
logical order.

Two glyph substitutions keep the text layer true: a bracket in right-to-left text is
drawn with its mirror image's glyph ("(" shows as ")"), under a private code that reads
back as the bracket typed; a glyph HarfBuzz picks outside the font's character map (a
ligature, a mark combination) gets a private code that reads back as the characters of
its cluster (fonts.read_back_as). Combining marks of unshaped right-to-left text are drawn
after their letter, so they sit on it. In a shaped right-to-left word a cluster's glyphs
come in display order too (HarfBuzz puts the mark of a letter that does not join on, the
alef of "لِأَنَّ", in the letter's cluster, before it): they read back in reverse.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr

from groupleader.report import bidi
from groupleader.report.fonts import read_back_as, read_back_text, text_for

_SIMPLE = 0x7FFFFFFF  # ReportLab's cluster for a character appended to a shaped word
_TOKEN_SPACE = frozenset(" \t\u00a0\u2009\u200a\u202f\u3000")


def _reader_class(char: str) -> str:
    """How a text extractor sorts a character: 'R' (a right-to-left letter), 'L' (a
    left-to-right one, digits included) or 'N' (neutral: spaces, most punctuation). The
    ranges are the ones pypdf and poppler use."""
    code = ord(char)
    if 0x0590 <= code <= 0x08FF and not (0x0660 <= code <= 0x066D or 0x06F0 <= code <= 0x06F9):
        return "R"
    if 0xFB1D <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF:
        return "R"
    if (code <= 0x2F or 0x3A <= code <= 0x40 or 0x0660 <= code <= 0x066D
            or 0x06F0 <= code <= 0x06F9 or 0x2000 <= code <= 0x206F
            or 0x20A0 <= code <= 0x21FF):
        return "N"
    return "L"


@dataclass
class Atom:
    """One glyph (or character) of a line, in display order."""

    frag: Any  # the ReportLab fragment whose face, size and colour draw it
    shown: str  # what is drawn (a ShapedStr glyph for shaped text)
    key: tuple[int, ...]  # its place in reading order
    width: float
    read: str  # what it reads back as
    single: bool = False  # always a segment of its own

    @property
    def first(self) -> str:
        """The reader's class of this atom when it starts a drawn run."""
        return _reader_class(self.read) if len(self.read) == 1 else "N"

    def holds(self, kind: str) -> bool:
        return any(_reader_class(c) == kind for c in self.read)


def _face_name(font_name: str) -> str:
    face = pdfmetrics.getFont(font_name).face
    return (face.name + face.subfontNameX).decode("latin-1")


_aliases: dict[tuple[str, str, str], str] = {}


def _mirrored_alias(font_name: str, meant: str) -> str:
    """A private code of `font_name` that draws the mirror image of `meant` ("(" for ")")
    and reads back as `meant`; `meant`'s mirror itself if the face lacks it."""
    shown = bidi.mirrored(meant)
    font = pdfmetrics.getFont(font_name)
    face: Any = getattr(font, "face", None)
    gid = None if face is None else face.charToGlyph.get(ord(shown))
    if face is None or gid is None:
        return shown
    key = (font_name, shown, meant)
    code = _aliases.get(key)
    if code is None:
        point = 0xF700
        while point in face.charToGlyph:
            point += 1
        face.charToGlyph[point] = gid
        face.charWidths[point] = face.charWidths.get(ord(shown), 0)
        face.glyphToChar.setdefault(gid, []).append(point)
        read_back_as(_face_name(font_name), point, meant)
        code = _aliases[key] = chr(point)
    return code


def _read(frag: Any, shown: str) -> str:
    code = ord(shown) if len(shown) == 1 else -1
    if 0xE000 <= code <= 0xF8FF or 0xFB00 <= code <= 0xFEFF:
        return text_for(_face_name(frag.fontName), code)
    return str(shown)


def char_atoms(words: list[Any], direction: str) -> list[Atom]:
    """An unshaped line (fragments in reading order) as atoms in display order (UAX #9 on
    the line), brackets of right-to-left runs mirrored. (A mark of a right-to-left run
    comes before its letter on the page, where the face's marks expect to be drawn, and
    reads back after it.)"""
    chars: list[str] = []
    owners: list[Any] = []
    for frag in words:
        for char in str(getattr(frag, "text", None) or ""):  # a line break's text is None
            chars.append(char)
            owners.append(frag)
    line = "".join(chars)
    levels = bidi.levels(line, direction)
    order = bidi.visual_order(line, direction)
    atoms = []
    for i in order:
        frag, char = owners[i], line[i]
        shown = char
        if levels[i] % 2 and bidi.mirrored(char) != char:
            shown = _mirrored_alias(frag.fontName, char)
        atoms.append(Atom(frag, shown, (i,), pdfmetrics.stringWidth(shown, frag.fontName,
                                                                    frag.fontSize),
                          char, single=char in _TOKEN_SPACE))
    return atoms


def token_atoms(tokens: list[tuple[Any, Any]], order: list[tuple[int, int]]) -> list[Atom]:
    """A shaped line as atoms: `tokens` are (fragment, word or space) in reading order,
    `order` their (index, level) in display order. A shaped word's glyphs are already in
    display order (HarfBuzz); an unshaped word of a right-to-left run is put in order here."""
    atoms: list[Atom] = []
    for i, level in order:
        frag, piece = tokens[i]
        if not piece:  # a line break, or a callback: nothing to draw
            continue
        size = frag.fontSize
        if isinstance(piece, ShapedStr):
            data = piece.__shapeData__
            # in a word shaped right to left a cluster's glyphs come in display order
            # too: its marks (left) before its letter; they read after it
            # (a word of one cluster, "إِ": right to left if it holds a right-to-left glyph)
            real = [d.cluster for d in data if d.cluster != _SIMPLE]
            if real and real[0] != real[-1]:
                back = -1 if real[0] > real[-1] else 1
            else:
                back = -1 if any(_reader_class(c) == "R" for c in str(piece)) else 1
            glyphs = []
            for g in range(len(piece)):
                glyph = piece[g]
                if data[g].cluster == _SIMPLE:  # a character added unshaped (a space)
                    width = pdfmetrics.stringWidth(str(glyph), frag.fontName, size)
                else:
                    width = data[g].x_advance * size / 1000
                glyphs.append(Atom(frag, glyph, (i, data[g].cluster, back * g), width,
                                   _read(frag, glyph), single=str(glyph) in _TOKEN_SPACE))
            atoms.extend(_numbers_left_to_right(glyphs))
            continue
        if level % 2:
            sub = char_atoms([_Piece(frag, piece)], "RTL")
            for a in sub:
                a.frag, a.key = frag, (i, *a.key)
            atoms.extend(sub)
            continue
        for c, char in enumerate(piece):
            atoms.append(Atom(frag, char, (i, c), pdfmetrics.stringWidth(char, frag.fontName,
                                                                         size),
                              char, single=char in _TOKEN_SPACE))
    return atoms


_FORWARD = frozenset({"L", "EN", "AN"})  # shown left to right, even in right-to-left text
_BETWEEN = frozenset({"CS", "ES", "ET"})  # "3.2", "1,000", "20%" stay whole


def _numbers_left_to_right(glyphs: list[Atom]) -> list[Atom]:
    """A word HarfBuzz shaped right to left (its clusters fall) with a number or a Latin
    part glued to it ("ب-2026"): HarfBuzz shapes the word as one run and would show the
    number backwards ("6202"); UAX #9 shows it left to right. Each such part (its glyphs
    do not join) is turned back around."""
    clusters = [a.key[1] for a in glyphs if a.key[1] != _SIMPLE]
    if len(clusters) < 2 or clusters[0] <= clusters[-1]:
        return glyphs

    def kind(a: Atom) -> str:
        return bidi.char_class(a.read[0]) if len(a.read) == 1 else "ON"

    kinds = [kind(a) for a in glyphs]
    out: list[Atom] = []
    i = 0
    while i < len(glyphs):
        if kinds[i] not in _FORWARD:
            out.append(glyphs[i])
            i += 1
            continue
        j = i + 1
        while j < len(glyphs) and (kinds[j] in _FORWARD or (
                kinds[j] in _BETWEEN and j + 1 < len(glyphs) and kinds[j + 1] in _FORWARD)):
            j += 1
        out.extend(reversed(glyphs[i:j]))
        i = j
    return out


class _Piece:
    """A fragment's face, size and colour with other text."""

    def __init__(self, frag: Any, text: str) -> None:
        self.fontName, self.fontSize, self.text = frag.fontName, frag.fontSize, text


def segments(atoms: list[Atom]) -> list[tuple[float, list[Atom]]]:
    """The atoms of a line (display order) cut into segments (see the module's
    docstring), each with its offset from the line's left end, in reading order."""
    rank = {id(a): r for r, a in enumerate(sorted(atoms, key=lambda a: a.key))}
    cut: list[tuple[float, list[Atom]]] = []
    x = 0.0
    step = 0
    for atom in atoms:
        if cut and _joins(cut[-1][1], step, atom, rank):
            seg = cut[-1][1]
            step = rank[id(atom)] - rank[id(seg[-1])]
            seg.append(atom)
        else:
            cut.append((x, [atom]))
            step = 0
        x += atom.width
    return sorted(cut, key=lambda s: min(rank[id(a)] for a in s[1]))


def _joins(seg: list[Atom], step: int, atom: Atom, rank: dict[int, int]) -> bool:
    head, last = seg[0], seg[-1]
    if atom.frag is not last.frag or head.single:
        return False
    this = rank[id(atom)] - rank[id(last)]
    if this not in (1, -1) or (step and this != step):
        return False
    if this == 1:  # drawn as read: starts with a left-to-right letter, holds no R
        return head.first == "L" and not atom.holds("R")
    # drawn reversed: starts with a right-to-left letter, no L, no space (one word)
    return head.first == "R" and not atom.single and not atom.holds("L")


def _private_for(font_name: str, glyph: str, meant: str) -> str:
    """The private code that draws `glyph`'s glyph and reads back as `meant`. One glyph
    can stand for several texts: every character a face lacks is drawn as its .notdef
    box, and a ToUnicode map gives one code one meaning, so a second unprintable
    character (U+06C1 after U+06D4 in "ٹھیک ہوں۔") read back as the first. Each meaning
    of a glyph gets a code of its own."""
    face = _face_name(font_name)
    code = ord(glyph)
    known = read_back_text(face, code)
    private = "\ue000" <= glyph <= "\uf8ff"  # a character's own code keeps its meaning
    if private and (known is None or known == meant):
        read_back_as(face, code, meant)
        return glyph
    font = pdfmetrics.getFont(font_name)
    add = getattr(font, "hbAddPrivate", None)
    gid = font.face.charToGlyph.get(code)
    if add is None or gid is None:
        return glyph
    other = add(f"gl-{gid}-{'-'.join(f'{ord(c):x}' for c in meant) or 'none'}", gid,
                font.face.charWidths.get(code, 0))
    read_back_as(face, other, meant)
    return chr(other)


def _lam_alef_spans(source: str, shaped: list[tuple[int, Any, Any]]
                    ) -> dict[int, tuple[int, int]]:
    """Clusters of a lam-alef ligature that has marks between its letters ("لَا"):
    cluster -> (the lam's index, the end of the alef and its marks). The ligature is one
    glyph for two letters, so a mark on the lam, drawn as a glyph of its own, read back
    before both letters ("َلا"); the ligature now reads as the whole "لَا" and the marks
    inside it as nothing."""
    spans: dict[int, tuple[int, int]] = {}
    for _n, _f, text in shaped:
        for glyph, data in zip(str(text), text.__shapeData__, strict=False):
            start = data.cluster
            if not ("\ufef5" <= glyph <= "\ufefc") or not 0 <= start < len(source):
                continue
            end = start + 1
            while end < len(source) and unicodedata.category(source[end]) == "Mn":
                end += 1
            if end == start + 1 or end >= len(source):
                continue  # no mark on the lam: the ligature reads as "لا" already
            end += 1  # the alef
            while end < len(source) and unicodedata.category(source[end]) == "Mn":
                end += 1
            for c in range(start, end):
                spans[c] = (start, end)
    return spans


def true_glyphs(source: str, word: list[Any]) -> None:
    """After HarfBuzz shaped the text `source` into `word` (ReportLab's [width, (frag,
    text), ...], changed in place), make each glyph read back as what it stands for: a
    glyph drawn under a private code (one outside the font's character map: a ligature, a
    mark combination) as the characters of its cluster, a bracket HarfBuzz mirrored in
    right-to-left text as the bracket typed."""
    shaped = [(n, f, t) for n, (f, t) in enumerate(word[1:], 1) if isinstance(t, ShapedStr)]
    clusters = sorted({d.cluster for _n, _f, t in shaped for d in t.__shapeData__
                       if 0 <= d.cluster < len(source)})
    ends = dict(zip(clusters, [*clusters[1:], len(source)], strict=True))
    joined = _lam_alef_spans(source, shaped)
    for n, frag, text in shaped:
        glyphs = list(str(text))
        for g, data in enumerate(text.__shapeData__):
            if data.cluster not in ends:
                continue
            span = joined.get(data.cluster)
            if span is not None:  # a lam-alef with its marks: one glyph reads as all
                start, end = span
                lig = "\ufef5" <= glyphs[g] <= "\ufefc"
                meant = source[start:end] if lig else ""
                glyphs[g] = _private_for(frag.fontName, glyphs[g], meant)
                continue
            meant = source[data.cluster:ends[data.cluster]]
            if "\ue000" <= glyphs[g] <= "\uf8ff" and meant:
                glyphs[g] = _private_for(frag.fontName, glyphs[g], meant)
            elif len(meant) == 1 and meant != glyphs[g] == bidi.mirrored(meant):
                glyphs[g] = _mirrored_alias(frag.fontName, meant)
        new = "".join(glyphs)
        if new != text:
            word[n] = (frag, ShapedStr(new, shapeData=text.__shapeData__))


def draw_line(canvas: Any, x: float, y: float, atoms: list[Atom]) -> None:
    """Draw one line's atoms from (x, y), segment by segment in reading order."""
    for offset, seg in segments(atoms):
        frag = seg[0].frag
        text: Any = seg[0].shown
        for atom in seg[1:]:
            text = text + atom.shown
        tx = canvas.beginText(x + offset, y)
        tx.setFont(frag.fontName, frag.fontSize)
        color = getattr(frag, "textColor", None)
        if color is not None:
            tx.setFillColor(color)
        rise = getattr(frag, "rise", 0)
        if rise:
            tx.setRise(rise)
        tx.textOut(text)
        canvas.drawText(tx)
