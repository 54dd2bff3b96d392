"""Who spoke to whom, as a matrix with totals, and the busiest exchanges.

One row per speaker and one column per person addressed (and "group" for remarks to the
whole group), in seat order; each person is named once, in the row, and the columns carry
their chair number, so 20 people fit the page's width. The names are the summary's own
labels, which the redaction has already made (pseudonyms in a de-identified summary).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

from groupleader.report.blocks import grid_style
from groupleader.report.fonts import BOLD, REGULAR
from groupleader.report.model import Arrow, Chair
from groupleader.report.styles import INK, MUTED, SHADE, markup, para

TOP = 5  # exchanges listed under the matrix


@dataclass(frozen=True)
class Person:
    key: str
    code: str  # the chair number, or "–" for someone without a chair
    label: str


def people_of(chairs: Sequence[Chair], arrows: Sequence[Arrow]) -> list[Person]:
    """Everyone in the circle, in seat order (a member who sat silent gets a row and a
    column of zeros: the supervisor sees the silence), then anyone else who spoke or was
    spoken to."""
    involved = {a.source for a in arrows} | {a.target for a in arrows if a.target}
    labels = {a.source: a.source_label for a in arrows}
    labels.update({a.target: a.target_label for a in arrows if a.target})
    people = [Person(c.key, str(c.position + 1), labels.get(c.key, c.label))
              for c in chairs if c.key]
    seated = {p.key for p in people}
    people += [Person(k, "–", labels[k])
               for k in sorted(involved - seated, key=lambda k: labels[k])]
    return people


def top_exchanges(arrows: Sequence[Arrow], n: int = TOP) -> list[Arrow]:
    """The `n` busiest directed pairs, busiest first (ties by name)."""
    return sorted(arrows, key=lambda a: (-a.count, a.source_label, a.target_label))[:n]


def matrix(chairs: Sequence[Chair], arrows: Sequence[Arrow],
           width: float) -> list[Flowable]:
    """The matrix table and the top exchanges under it."""
    people = people_of(chairs, arrows)
    counts = {(a.source, a.target): a.count for a in arrows}
    to_group = any(not a.target for a in arrows)
    cols = [p.key for p in people] + ([""] if to_group else [])
    code_w, wide = 16.0, 26.0  # the chair number column; "group" and "Total"
    name_w = min(150.0, width * 0.32)
    cell_w = (width - code_w - name_w - wide * (1 + to_group)) / max(1, len(people))
    # numbers are plain cells (a Paragraph each would cost ten times as much to lay out)
    head: list[Flowable | str] = ["", para("From \u2193 to \u2192", "cell_bold")]
    head += [p.code for p in people] + (["group"] if to_group else []) + ["Total"]
    rows: list[list[Flowable | str]] = [head]
    received = [0] * len(cols)
    for p in people:
        spoken = 0
        row: list[Flowable | str] = [p.code, para(p.label, "cell")]
        for j, key in enumerate(cols):
            n = counts.get((p.key, key), 0)
            spoken += n
            received[j] += n
            row.append(str(n) if n else "")
        row.append(str(spoken))
        rows.append(row)
    rows.append(["", para("Received", "cell_bold")] + [str(n) for n in received]
                + [str(sum(received))])
    extra: list[tuple] = [("BACKGROUND", (2 + i, 1 + i), (2 + i, 1 + i), SHADE)
                          for i in range(len(people))]
    extra += [("FONT", (0, 0), (-1, -1), REGULAR, 8),
              ("FONT", (-1, 1), (-1, -1), BOLD, 8), ("FONT", (2, -1), (-1, -1), BOLD, 8),
              ("ALIGN", (0, 0), (0, -1), "CENTER"), ("ALIGN", (2, 0), (-1, -1), "CENTER"),
              ("TEXTCOLOR", (0, 0), (-1, -1), INK),
              ("LINEABOVE", (0, -1), (-1, -1), 0.6, MUTED),
              ("LINEBEFORE", (-1, 0), (-1, -1), 0.6, MUTED),
              ("LEFTPADDING", (0, 0), (0, -1), 1), ("RIGHTPADDING", (0, 0), (0, -1), 1),
              ("LEFTPADDING", (2, 0), (-1, -1), 1), ("RIGHTPADDING", (2, 0), (-1, -1), 1),
              ("TOPPADDING", (0, 1), (-1, -1), 1.2), ("BOTTOMPADDING", (0, 1), (-1, -1), 1.2)]
    widths = [code_w, name_w] + [cell_w] * len(people) + [wide] * (1 + to_group)
    table = Table(rows, colWidths=widths, hAlign="LEFT", repeatRows=1)
    table.setStyle(TableStyle(grid_style(1) + extra))
    out: list[Flowable] = [table]
    top = top_exchanges(arrows)
    if top:
        lines: list[Flowable] = [markup("<b>Most frequent exchanges</b>", "muted")]
        # the count first and "to" between the names, so that a right-to-left name can
        # neither swallow the count nor run into the other name
        lines += [para(f"{'once' if a.count == 1 else f'{a.count} times'}: "
                       f"{a.source_label} to {a.target_label}", "muted") for a in top]
        out += lines
    # at most 20 people: the matrix and its top exchanges always fit one page together
    return [KeepTogether(out)]
