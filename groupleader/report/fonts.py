"""The embedded Unicode font: DejaVu Sans (regular and bold) from groupleader/resources/fonts.

ReportLab's standard fonts cover Latin-1 only; DejaVu Sans covers Latin, Greek, Cyrillic,
Hebrew and Arabic, and ReportLab embeds the subset each PDF uses. Registration parses the
TTF files once per process (about 30 ms) and is cached.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from importlib.resources import as_file

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase import ttfonts as _ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from groupleader.paths import resources_dir

REGULAR = "GLSans"
BOLD = "GLSans-Bold"
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
_lock = threading.Lock()
_registered = False


@dataclass(frozen=True)
class FontNames:
    regular: str = REGULAR
    bold: str = BOLD


def register_fonts() -> FontNames:
    """Register the embedded font family with ReportLab (idempotent, thread-safe)."""
    global _registered
    with _lock:
        if not _registered:
            folder = resources_dir() / "fonts"
            for name, filename in _FILES.items():
                resource = folder / filename
                if not resource.is_file():
                    raise FileNotFoundError(
                        f"The PDF font {filename} is missing from {folder}; reinstall the program."
                    )
                # TTFont reads the whole file while it is constructed, so the real path
                # `as_file` gives (a temporary copy if the package is zipped) may go after.
                with as_file(resource) as path:
                    pdfmetrics.registerFont(TTFont(name, str(path)))
            # <b> inside a Paragraph picks the bold face; there is no italic face.
            for bold, italic, face in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, REGULAR),
                                       (1, 1, BOLD)):
                addMapping(REGULAR, bold, italic, face)
            _registered = True
    return FontNames()


def has_glyph(char: str, font_name: str = REGULAR) -> bool:
    """Whether the embedded font draws `char` (otherwise its empty box is printed)."""
    register_fonts()
    face = pdfmetrics.getFont(font_name).face
    return face.charToGlyph.get(ord(char), 0) != 0


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap, but correct for characters beyond U+FFFF.

    ReportLab writes such a code point as five hex digits (`<1F600>`), which PDF readers
    reject, so an emoji in a name would vanish from copied or extracted text. PDF wants
    UTF-16BE there: a surrogate pair (`<D83DDE00>`).
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
    lines += [f"<{i:02X}> <{chr(v).encode('utf-16-be', 'surrogatepass').hex().upper()}>"
              for i, v in enumerate(subset)]
    lines += ["endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop",
              "end", "end"]
    return "\n".join(lines)


_ttfonts.makeToUnicodeCMap = _to_unicode_cmap
