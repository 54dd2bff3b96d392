"""The embedded fonts, and which one draws each character.

- **DejaVu Sans** (regular and bold) is the main face: Latin, Greek, Cyrillic, Hebrew and
  Arabic (with the OpenType tables HarfBuzz uses to join Arabic letters).
- **Symbola** (monochrome emoji and symbols) and **Droid Sans Fallback** (Chinese,
  Japanese, Korean) draw what DejaVu lacks. Both are large (3 MB each), so each is read
  only when a text needs it; ReportLab embeds just the glyphs a PDF uses.

`runs` cuts a text into pieces that one face draws (font fallback per run), and `unprintable`
names the characters no face has: the export lists them before it writes (they print as
the main font's empty box, and the text layer keeps them).
All fonts are TrueType (glyf outlines), which ReportLab needs, and live in
groupleader/resources/fonts/ with their licences, read with importlib.resources.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from importlib.resources import as_file

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase import ttfonts as _ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from groupleader.paths import resources_dir

REGULAR = "GLSans"
BOLD = "GLSans-Bold"
SYMBOLS = "GLSymbols"
CJK = "GLCJK"
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf",
          SYMBOLS: "Symbola.ttf", CJK: "DroidSansFallback.ttf"}
_lock = threading.RLock()
_loaded: set[str] = set()

# The OpenType features HarfBuzz shapes with. ReportLab's default turns on 'dlig'
# (discretionary ligatures), so Latin words in a paragraph that is shaped (one with
# Arabic in it) printed "Truﬆ coﬆs". Latin ligatures ('liga': "ﬁ") are off too, so a
# Latin word looks the same in a shaped paragraph as in an unshaped one; Arabic's
# lam-alef is a required ligature ('rlig'), which HarfBuzz always applies.
SHAPING_FEATURES = {"kern": True, "liga": False, "dlig": False, "hlig": False}


def _plain_shaping() -> None:
    shape = getattr(_ttfonts, "shapeFragWord", None)
    defaults = getattr(shape, "__defaults__", None)
    if shape is not None and defaults and isinstance(defaults[0], dict):
        shape.__defaults__ = (dict(SHAPING_FEATURES), *defaults[1:])


_plain_shaping()

# Characters in these blocks try the CJK face before the symbol face.
_CJK_BLOCKS = ((0x1100, 0x11FF), (0x2E80, 0x2FDF), (0x3000, 0x9FFF), (0xA960, 0xA97F),
               (0xAC00, 0xD7FF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF),
               (0x20000, 0x3FFFF))
# Presentation selectors and joiners: drawn by the face of the character they follow,
# never a reason to change face (and not "unprintable" when a face lacks them).
_JOINERS = frozenset("\u200c\u200d\ufe0e\ufe0f")


@dataclass(frozen=True)
class FontNames:
    regular: str = REGULAR
    bold: str = BOLD


def _register(name: str) -> None:
    """Read one face into ReportLab (once per process)."""
    with _lock:
        if name in _loaded:
            return
        folder = resources_dir() / "fonts"
        resource = folder / _FILES[name]
        if not resource.is_file():
            raise FileNotFoundError(
                f"The PDF font {_FILES[name]} is missing from {folder}; reinstall the program.")
        # TTFont reads the whole file while it is constructed, so the real path `as_file`
        # gives (a temporary copy if the package is zipped) may go after.
        with as_file(resource) as path:
            pdfmetrics.registerFont(TTFont(name, str(path), shapable=True))
        if name not in (REGULAR, BOLD):
            # One face for <b> and <i> too: these faces have no bold.
            for bold in (0, 1):
                for italic in (0, 1):
                    addMapping(name, bold, italic, name)
        _loaded.add(name)


def register_fonts() -> FontNames:
    """Register the main family with ReportLab (idempotent, thread-safe)."""
    with _lock:
        if REGULAR not in _loaded:
            _register(REGULAR)
            _register(BOLD)
            # <b> inside a Paragraph picks the bold face; there is no italic face.
            for bold, italic, face in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, REGULAR),
                                       (1, 1, BOLD)):
                addMapping(REGULAR, bold, italic, face)
    return FontNames()


def _covers(name: str, code: int) -> bool:
    _register(name)
    return pdfmetrics.getFont(name).face.charToGlyph.get(code, 0) != 0


def has_glyph(char: str, font_name: str = REGULAR) -> bool:
    """Whether the face `font_name` draws `char` (otherwise its empty box is printed)."""
    register_fonts()
    return _covers(font_name, ord(char))


def _is_cjk(code: int) -> bool:
    return any(lo <= code <= hi for lo, hi in _CJK_BLOCKS)


_face_cache: dict[str, str | None] = {}
_found: ContextVar[dict[str, None] | None] = ContextVar("unprintable", default=None)


@contextmanager
def collect_unprintable() -> Iterator[list[str]]:
    """Within the block, every character `runs` meets that no face has is added to the
    list it yields (distinct, in first-seen order): what a PDF built here could not print.
    """
    found: dict[str, None] = {}
    chars: list[str] = []
    token = _found.set(found)
    try:
        yield chars
    finally:
        _found.reset(token)
        chars.extend(found)


def unprintable_message(chars: Iterable[str], documents: int = 1, of: int = 1) -> str:
    """The warning an export shows for characters it cannot print ("" when none);
    `documents` of the `of` files being written hold them."""
    chars = list(chars)
    if not chars:
        return ""
    many = len(chars) > 1
    where = "this document" if of == 1 else f"{documents} of the {of} documents"
    return (f"{len(chars)} character{'s' if many else ''} in {where} "
            f"{'have' if many else 'has'} no glyph in the PDF fonts: {describe(chars)}. "
            f"{'They print' if many else 'It prints'} as an empty box; the PDF's text "
            "(copy, search, screen readers) still holds "
            f"{'them' if many else 'it'}.")


def face_for(char: str) -> str | None:
    """The face that draws `char`: the main one when it can, else Symbola or the CJK face
    (the one read only when needed); None when no embedded face has it."""
    found = _face_cache.get(char, "")
    if found != "":
        return found
    code = ord(char)
    result: str | None = None
    if _covers(REGULAR, code):
        result = REGULAR
    else:
        order = (CJK, SYMBOLS) if _is_cjk(code) else (SYMBOLS, CJK)
        result = next((face for face in order if _covers(face, code)), None)
    if result is None:
        _keep_in_text_layer(code)
    _face_cache[char] = result
    return result


def _keep_in_text_layer(code: int) -> None:
    """Give a character no face has its own code in the main faces, drawn as the empty box
    (glyph 0): ReportLab would otherwise send every such character to code 0, which the
    text layer reads as nothing, and the character would be lost from the record."""
    for name in (REGULAR, BOLD):
        pdfmetrics.getFont(name).face.charToGlyph.setdefault(code, 0)


def _ignorable(char: str) -> bool:
    return char in _JOINERS or unicodedata.category(char) in ("Cc", "Zl", "Zp")


def runs(text: str) -> list[tuple[str, str]]:
    """`text` cut into (face, piece) runs, each drawn by one face (font fallback).

    A character no face has stays in the main face's run (it prints as that face's
    empty box, and the text layer still holds it). Joiners and selectors stay in the run
    of the character before them. Only texts beyond the main face pay for the search.
    """
    register_fonts()
    if text.isascii():
        return [(REGULAR, text)] if text else []
    out: list[tuple[str, str]] = []
    face, start = REGULAR, 0
    found = _found.get()
    for i, char in enumerate(text):
        if _ignorable(char):
            continue
        this = face_for(char)
        if this is None:
            if found is not None:
                found[char] = None
            this = REGULAR
        if this != face:
            if i > start:
                out.append((face, text[start:i]))
            face, start = this, i
    if len(text) > start:
        out.append((face, text[start:]))
    return out


def unprintable(texts: Iterable[str]) -> list[str]:
    """The distinct characters of `texts` that no embedded face can draw, in first-seen
    order (line breaks, controls, joiners and selectors excepted)."""
    register_fonts()
    seen: dict[str, None] = {}
    for text in texts:
        if text.isascii():
            continue
        for char in text:
            if char in seen or char.isascii() or _ignorable(char):
                continue
            if face_for(char) is None:
                seen[char] = None
    return list(seen)


def describe(chars: Iterable[str]) -> str:
    """Characters for a message: "U+1FAE0 MELTING FACE, U+E000" (names where known)."""
    parts = []
    for char in chars:
        name = unicodedata.name(char, "")
        parts.append(f"U+{ord(char):04X} {name}".strip())
    return ", ".join(parts)


# (face name as embedded, code) -> the text a glyph drawn for that code stands for: the
# private codes of glyphs HarfBuzz picks outside the font's character map (ligatures,
# marks) and of mirrored brackets drawn in right-to-left text (see text_layer.py).
_READ_BACK: dict[tuple[str, int], str] = {}


def read_back_as(face_name: str, code: int, text: str) -> None:
    """Make a glyph drawn for `code` of `face_name` read as `text` in the text layer."""
    _READ_BACK.setdefault((face_name, code), text)


def read_back_text(face_name: str, code: int) -> str | None:
    """What `read_back_as` set for `code` of `face_name`, if anything."""
    return _READ_BACK.get((face_name, code))


def text_for(face_name: str, code: int) -> str:
    """What a glyph drawn for `code` means in the text layer: presentation forms (the
    joined Arabic letters and ligatures HarfBuzz picks) read as the letters typed, so
    copied or extracted text is the text that was written; anything else is itself."""
    known = _READ_BACK.get((face_name, code))
    if known is not None:
        return known
    char = chr(code)
    if 0xFE70 <= code <= 0xFE7F:  # a mark's isolated or medial form: the mark alone
        return unicodedata.normalize("NFKC", char).strip(" \u0640") or char
    if 0xFB00 <= code <= 0xFDFF or 0xFE80 <= code <= 0xFEFC:
        return unicodedata.normalize("NFKC", char) or char
    return char


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap, but correct for characters beyond U+FFFF and for
    joined Arabic letters.

    ReportLab writes a code point beyond U+FFFF as five hex digits (`<1F600>`), which PDF
    readers reject, so an emoji in a name would vanish from copied or extracted text. PDF
    wants UTF-16BE there: a surrogate pair (`<D83DDE00>`).
    """
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
    ]
    face = fontname.split("+", 1)[-1]
    lines += [f"<{i:02X}> <{text_for(face, v).encode('utf-16-be', 'surrogatepass').hex().upper()}>"
              for i, v in enumerate(subset)]
    lines += ["endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop",
              "end", "end"]
    return "\n".join(lines)


_ttfonts.makeToUnicodeCMap = _to_unicode_cmap
