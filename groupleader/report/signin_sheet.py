"""A printable sign-in sheet for one session: the session's date and number, then each
expected member by first name and last initial with a line to sign, and a few blank
lines for someone not on the list. See collect_signin.py for why no last name prints.
Every page has the running header of every report: group, sheet, session and date, the
markers, "Printed 1 Dec 2026 21:35 by Dr. H. Marsh" and "Page 1 of 2"."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from groupleader.report.blocks import FONT, facts_table, notice, title_block
from groupleader.report.model import SigninSheet
from groupleader.report.pdf_output import MARGIN, PdfMeta, build_pdf
from groupleader.report.styles import MUTED, RULE, SHADE, para

WIDTH = 210 * mm - 2 * MARGIN  # A4 portrait text width
ROW_HEIGHT = 11 * mm  # room for a signature


def meta_for(s: SigninSheet) -> PdfMeta:
    return PdfMeta(
        title=f"Sign-in sheet: {s.group_name}, {s.session_label}, {s.date_text}",
        subject="Group session sign-in sheet" + (" (de-identified)" if s.deidentified
                                                 else ""),
        author=s.practice,
        header=f"{s.group_name} · sign-in sheet · {s.session_label} · {s.date_text}",
        deidentified=s.deidentified,
        printed=s.printed,  # and "Page 1 of 2", like every report
    )


NAME_WIDTH = 62 * mm


def _fit_name(name: str, width: float) -> str:
    """`name` on one line of its column: a word too long for it
    ("Wolfeschlegelsteinhausenbergerdorff") is abbreviated with "…" rather than broken
    mid-word onto a second line."""
    from groupleader.report.scripts import string_width

    size = 9.5  # the body style
    words = name.split(" ")
    out = []
    for word in words:
        if string_width(word, size) > width:
            while len(word) > 1 and string_width(word + "…", size) > width:
                word = word[:-1]
            word += "…"
        out.append(word)
    return " ".join(out)


def _sheet(s: SigninSheet) -> Table:
    rows: list[list[object]] = [[para("", "cell_bold"), para("Name", "cell_bold"),
                                 para("Signature", "cell_bold")]]
    for i, name in enumerate(s.names, start=1):
        rows.append([para(str(i), "cell"), para(_fit_name(name, NAME_WIDTH - 12), "body"),
                     ""])
    for i in range(len(s.names) + 1, len(s.names) + 1 + s.blank_lines):
        rows.append([para(str(i), "cell"), "", ""])
    table = Table(rows, colWidths=[10 * mm, NAME_WIDTH, WIDTH - 10 * mm - NAME_WIDTH],
                  rowHeights=[None] + [ROW_HEIGHT] * (len(rows) - 1), hAlign="LEFT",
                  repeatRows=1)
    table.setStyle(TableStyle([
        FONT,
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, MUTED),
        ("VALIGN", (0, 1), (-1, -1), "BOTTOM"),
        ("BOTTOMPADDING", (0, 1), (-1, -1), 3),
        # the line to sign on, under the signature column only
        ("LINEBELOW", (2, 1), (2, -1), 0.6, MUTED),
        ("LINEBELOW", (0, 1), (1, -1), 0.25, RULE),
    ]))
    return table


def signin_story(s: SigninSheet) -> list[Flowable]:
    story: list[Flowable] = title_block(s.practice, "Sign-in sheet",
                                        f"{s.group_name} · {s.session_label}")
    story += notice(s.deidentified)
    facts = [("Group", s.group_name), ("Session", f"{s.session_label} (number {s.number})"),
             ("Date", s.date_text), ("Time", s.time_text)]
    if s.room:
        facts.append(("Room", s.room))
    if s.leaders:
        facts.append(("Leaders", s.leaders))
    story += [facts_table(facts, WIDTH), Spacer(1, 6),
              para("Please sign beside your name. The blank lines are for anyone not listed.",
                   "muted"), Spacer(1, 4), _sheet(s), Spacer(1, 8),
              para("This sheet is part of the group's confidential record: keep it with the "
                   "session's records, not in the room.", "muted")]
    return story


def render_signin(s: SigninSheet) -> bytes:
    """The sheet as PDF bytes (unencrypted, reproducible)."""
    return build_pdf(signin_story(s), meta_for(s))
