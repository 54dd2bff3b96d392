"""Flowable pieces the three reports share: title, key-value table, risk box, signatures."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from groupleader.note_fields import member_field
from groupleader.report.box import SplitBox
from groupleader.report.fonts import REGULAR
from groupleader.report.model import Addendum, RiskItem, Section, Signoff
from groupleader.report.styles import (
    MUTED,
    RISK_EDGE,
    RISK_FILL,
    RISK_INK,
    RULE,
    SHADE,
    markup,
    para,
    safe,
)

# Every table names the embedded font: a Table sets its cell font (Helvetica by default)
# even when every cell is a Paragraph, which would add an unembedded font to the file.
FONT = ("FONT", (0, 0), (-1, -1), REGULAR, 8.5)
# A row taller than the rest of a page splits inside the row (a register entry of 2,000
# characters in a narrow column can be taller than a page, which a table that splits
# only between rows cannot place: a LayoutError, and no file). Each part of the row
# keeps at least this much (two lines of a cell), else the row moves to the next page.
SPLIT_IN_ROW = 22


RISK_TITLE = "⚠ Risk and safety"


def risk_flag_mark(flagged: bool) -> str:
    """The red " · risk concern" after a member's name when their note has the risk flag."""
    if not flagged:
        return ""
    return f' <font color="#8a1c1c">· {safe(member_field("risk_flag").title.lower())}</font>'


def title_block(practice: str, title: str, subtitle: str) -> list[Flowable]:
    out: list[Flowable] = []
    if practice:
        out.append(para(practice, "muted"))
    out.append(para(title, "title"))
    if subtitle:
        out.append(para(subtitle, "subtitle"))
    return out


DEIDENTIFIED_NOTICE = (
    "De-identified (pseudonymised for supervision): members appear by pseudonym; their "
    "names, other spellings, emergency contacts, phone numbers, e-mail addresses and dates "
    "of birth are replaced. This is not HIPAA Safe Harbor de-identification: dates, the "
    "group's name and the events of the sessions remain.")


def notice(deidentified: bool, private: bool = False) -> list[Flowable]:
    out: list[Flowable] = []
    if deidentified:
        out.append(para(DEIDENTIFIED_NOTICE, "muted"))
    if private:
        out.append(para("Includes the leader's process notes, which are normally kept "
                        "apart from the record.", "warning"))
    return out


def facts_table(rows: Sequence[tuple[str, str]], width: float) -> Table:
    data = [[para(k, "label"), para(v, "cell")] for k, v in rows]
    table = Table(data, colWidths=[32 * mm, width - 32 * mm], hAlign="LEFT",
                  splitInRow=SPLIT_IN_ROW)
    table.setStyle(TableStyle([
        FONT,
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table


def grid_style(header_rows: int = 1) -> list[tuple]:
    return [
        FONT,
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), SHADE),
        ("LINEBELOW", (0, 0), (-1, header_rows - 1), 0.6, MUTED),
        ("LINEBELOW", (0, header_rows), (-1, -1), 0.25, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]


def sections(items: Sequence[Section], empty: str = "") -> list[Flowable]:
    out: list[Flowable] = []
    for s in items:  # h3 keeps with the text's first lines (keepWithNext, keep.py)
        out += [para(s.title, "h3"), para(s.text)]
    if not items and empty:
        out.append(para(empty, "muted"))
    return out


def risk_box(items: Sequence[RiskItem], width: float) -> Flowable:
    """Risk and safety items in a red-edged box, so the eye finds them first. The box
    splits across pages (`box.SplitBox`): a text longer than a page flows on, its title
    repeated, and an item's heading stays with the first lines of its text."""
    body: list[Flowable] = []
    if not items:
        body.append(para("Nothing recorded about risk or safety for this session.", "body"))
    for item in items:
        overdue = (f' <font color="{RISK_INK.hexval()}"><b>· REVIEW OVERDUE</b></font>'
                   if item.overdue else "")
        head = markup(f"<b>{safe(item.who)}: {safe(item.title)}</b>{overdue}", "body")
        head.keepWithNext = 1
        body += [head, para(item.text, "body")]
    return SplitBox([markup(RISK_TITLE, "risk_title")], body, width, fill=RISK_FILL,
                    edge=RISK_EDGE, gap=2,
                    continued=lambda: [markup(RISK_TITLE + " (continued)", "risk_title")])


def signature_block(s: Signoff, width: float, what: str = "Group note") -> Flowable:
    """Signed by / when and co-signed by / when; blank lines to sign by hand when unsigned."""
    line = "_" * 34
    if s.signed:
        signed = [para(s.signed_by, "cell"), para(s.signed_at, "cell")]
    else:
        signed = [para(line, "cell"), para("Date: " + "_" * 16, "cell")]
    if s.cosigned_at:
        cosigned = [para(s.cosigned_by, "cell"), para(s.cosigned_at, "cell")]
    else:
        cosigned = [para(line, "cell"), para("Date: " + "_" * 16, "cell")]
    data = [
        [para(f"{what}: signed as author by", "label"), signed[0], para("when", "label"),
         signed[1]],
        [para("Co-signed as supervisor (reviewed) by", "label"), cosigned[0],
         para("when", "label"),
         cosigned[1]],
    ]
    table = Table(data, colWidths=[40 * mm, width - 40 * mm - 12 * mm - 42 * mm, 12 * mm,
                                   42 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([
        FONT,
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("TOPPADDING", (0, 0), (-1, -1), 7),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("BOX", (0, 0), (-1, -1), 0, colors.white),
    ]))
    return table


def addenda_list(items: Sequence[Addendum]) -> list[Flowable]:
    out: list[Flowable] = []
    for a in items:
        head = f"<b>{safe(a.note)}</b> — {safe(a.author)}, {safe(a.when)}"
        out += [markup(head, "lead"), para(a.text), Spacer(1, 4)]
    if not items:
        out.append(para("No addenda.", "muted"))
    return out


TALL_ROW = 300.0  # points: a row taller than this is cut into rows of at most this height
CELL_PADDING = 6.0  # ReportLab's left and right padding of a cell


def _cell_height(cell: object, width: float) -> float:
    return float(cell.wrap(width, 0xFFFFFF)[1]) if isinstance(cell, Flowable) else 0.0


def _cut_cell(cell: object, width: float) -> list[object]:
    """A cell's paragraph in pieces of at most TALL_ROW points (one piece if shorter)."""
    if not isinstance(cell, Flowable) or _cell_height(cell, width) <= TALL_ROW:
        return [cell]
    pieces: list[object] = []
    rest: Flowable = cell
    while _cell_height(rest, width) > TALL_ROW:
        parts = rest.split(width, TALL_ROW)
        if len(parts) < 2:
            break
        pieces.append(parts[0])
        rest = parts[1]
        if len(parts) > 2:  # never seen for a paragraph; keep the pieces in order
            pieces += parts[1:-1]
            rest = parts[-1]
    return [*pieces, rest]


def _cut_tall_rows(data: list[list], widths: list[float], header_rows: int,
                   extra: Sequence[tuple]) -> tuple[list[list], list[tuple]]:
    """Rows taller than TALL_ROW as several rows, so the table splits between them (a
    register entry of 2,000 characters in a narrow column is taller than a page; ReportLab
    splits inside a row once, but not the rest of a row still taller than a page: a
    LayoutError, and no file). The continued rows draw no rule between them, and the
    row numbers of `extra` (a shaded row) follow."""
    out: list[list] = []
    first: list[int] = []  # data row -> its first row in out
    last: list[int] = []
    joins: list[int] = []  # rows of out whose rule below joins them to the next
    for r, row in enumerate(data):
        first.append(len(out))
        if r < header_rows:
            out.append(row)
        else:
            cut = [_cut_cell(c, w - 2 * CELL_PADDING) for c, w in zip(row, widths, strict=True)]
            depth = max(len(c) for c in cut)
            for k in range(depth):
                out.append([c[k] if k < len(c) else "" for c in cut])
                if k < depth - 1:
                    joins.append(len(out) - 1)
        last.append(len(out) - 1)
    if len(out) == len(data):
        return data, list(extra)

    def at(point: tuple[int, int], end: bool) -> tuple[int, int]:
        col, row = point
        if row < 0 or row >= len(data):
            return point
        return col, (last if end else first)[row]

    moved = [(c[0], at(c[1], False), at(c[2], True), *c[3:]) for c in extra]
    moved += [("LINEBELOW", (0, j), (-1, j), 0, colors.white) for j in joins]
    moved.append(("VALIGN", (0, header_rows), (-1, -1), "TOP"))  # a name stays at its row's top
    return out, moved


def small_table(data: list[list], widths: list[float], header_rows: int = 1,
                extra: Sequence[tuple] = ()) -> Table:
    data, commands = _cut_tall_rows(data, widths, header_rows, extra)
    # no splitInRow here: with repeated header rows ReportLab draws the header twice
    table = Table(data, colWidths=widths, hAlign="LEFT", repeatRows=header_rows)
    table.setStyle(TableStyle(grid_style(header_rows) + commands))
    return table


__all__ = ["title_block", "risk_flag_mark", "notice", "facts_table", "sections", "risk_box",
           "signature_block", "addenda_list", "small_table"]
