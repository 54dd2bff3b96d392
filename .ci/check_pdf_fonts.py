"""Check that a PDF has text and that every font it uses is embedded (a /FontFile2 stream).

Usage: python check_pdf_fonts.py FILE.pdf [EXPECTED_TEXT]. Run with the wheel's own
environment (pypdf is one of the program's dependencies). Exits non-zero on any failure.
"""

from __future__ import annotations

import sys

from pypdf import PdfReader
from pypdf.generic import DictionaryObject


def descriptors(font: DictionaryObject) -> list[DictionaryObject]:
    """The font descriptors of a font: its own, or its descendants' for a Type0 font."""
    found = []
    if "/FontDescriptor" in font:
        found.append(font["/FontDescriptor"].get_object())
    for descendant in font.get("/DescendantFonts", []):
        found += descriptors(descendant.get_object())
    return found


def main(path: str, expected: str | None) -> int:
    reader = PdfReader(path)
    fonts: dict[str, DictionaryObject] = {}
    text = ""
    for page in reader.pages:
        text += page.extract_text() or ""
        resources = page.get("/Resources")
        font_dict = resources.get_object().get("/Font") if resources else None
        for ref in (font_dict.get_object().values() if font_dict else []):
            font = ref.get_object()
            fonts[str(font.get("/BaseFont"))] = font
    problems = []
    if not fonts:
        problems.append("no fonts at all")
    for name, font in sorted(fonts.items()):
        descs = descriptors(font)
        if not descs or not all("/FontFile2" in d for d in descs):
            problems.append(f"font {name} is not embedded (no /FontFile2)")
    if not text.strip():
        problems.append("no text")
    if expected is not None and expected not in text:
        problems.append(f"the text does not contain {expected!r}")
    for problem in problems:
        print(f"{path}: {problem}", file=sys.stderr)
    if not problems:
        print(f"{path}: {len(reader.pages)} page(s), embedded fonts: {', '.join(sorted(fonts))}")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2] if len(sys.argv) == 3 else None))
