"""Paragraph styles and the one helper that turns user text into a safe Paragraph.

User text (names, notes) is escaped before it reaches ReportLab, whose Paragraph reads
`<`, `>` and `&` as markup: `Tom & Jerry <b>O'Neil</b>` prints exactly so. Every script
prints (font fallback, Arabic shaping, right-to-left lines): see scripts.py.
"""

from __future__ import annotations

from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from groupleader.report.fonts import BOLD, REGULAR, register_fonts
from groupleader.report.scripts import font_markup, paragraph

INK = colors.HexColor("#1b1f24")
MUTED = colors.HexColor("#5b6470")
RULE = colors.HexColor("#c9ced6")
SHADE = colors.HexColor("#eef1f5")
RISK_INK = colors.HexColor("#8a1c1c")
RISK_FILL = colors.HexColor("#fdf0ef")
RISK_EDGE = colors.HexColor("#c0392b")
MEMBER_FILL = colors.HexColor("#dce9f7")
LEADER_FILL = colors.HexColor("#e3f1e1")
ARROW = colors.HexColor("#2f5d8a")


@lru_cache(maxsize=1)
def styles() -> dict[str, ParagraphStyle]:
    """The report's styles, built once (after the font is registered)."""
    register_fonts()
    base = ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=12.5, textColor=INK)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10),
        "muted": ParagraphStyle("muted", parent=base, fontSize=8.5, leading=11, textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5),
        "cell_bold": ParagraphStyle("cell_bold", parent=base, fontName=BOLD, fontSize=8.5,
                                    leading=10.5),
        "cell_center": ParagraphStyle("cell_center", parent=base, fontSize=8, leading=10,
                                      alignment=TA_CENTER),
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=16, leading=20,
                                spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=10.5, leading=14,
                                   textColor=MUTED, spaceAfter=6),
        "h2": ParagraphStyle("h2", parent=base, fontName=BOLD, fontSize=12, leading=15,
                             spaceBefore=10, spaceAfter=4, keepWithNext=1),
        "h3": ParagraphStyle("h3", parent=base, fontName=BOLD, fontSize=10, leading=13,
                             spaceBefore=6, spaceAfter=2, keepWithNext=1),
        # a line that introduces the paragraph after it ("Addendum — who, when")
        "lead": ParagraphStyle("lead", parent=base, keepWithNext=1),
        "label": ParagraphStyle("label", parent=base, fontName=BOLD, fontSize=8.5,
                                leading=11, textColor=MUTED),
        "risk_title": ParagraphStyle("risk_title", parent=base, fontName=BOLD, fontSize=10.5,
                                     leading=13, textColor=RISK_INK),
        "warning": ParagraphStyle("warning", parent=base, fontName=BOLD, textColor=RISK_INK),
    }


def safe(text: str) -> str:
    """User text as Paragraph markup that prints literally; line breaks are kept and each
    piece the main font lacks is set in the face that has it."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    return font_markup(text).replace("\n", "<br/>")


def para(text: str, style: str = "body") -> Paragraph:
    """A Paragraph of user text (escaped)."""
    return paragraph(safe(text), styles()[style])


def markup(fragment: str, style: str = "body") -> Paragraph:
    """A Paragraph of our own markup; every user-supplied piece in it must pass `safe`."""
    return paragraph(fragment, styles()[style])
