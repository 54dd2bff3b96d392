"""The group period report: sessions held, attendance grid, membership changes, factors.

Printed landscape so a grid of many sessions stays readable; wide periods are split into
blocks of at most `SESSIONS_PER_BLOCK` session columns.
"""

from __future__ import annotations

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from groupleader.report.blocks import facts_table, notice, small_table, title_block
from groupleader.report.measures_section import measures_section
from groupleader.report.model import PeriodReport
from groupleader.report.pdf_output import MARGIN, PdfMeta, build_pdf
from groupleader.report.styles import RISK_FILL, SHADE, markup, para, safe

WIDTH = landscape(A4)[0] - 2 * MARGIN
SESSIONS_PER_BLOCK = 16
LEGEND = ("P present · L late (minutes) · A absent with notice · X absent without notice · "
          "– not recorded · blank: not a member then")


def meta_for(r: PeriodReport) -> PdfMeta:
    return PdfMeta(
        title=f"Group period report: {r.group_name}, {r.period_text}",
        subject="Group therapy period report" + (" (de-identified)" if r.deidentified else ""),
        author=r.practice, header=f"{r.group_name} · period report · {r.period_text}",
        landscape=True,
        deidentified=r.deidentified,
    )


def _sessions(r: PeriodReport) -> list[Flowable]:
    if not r.session_lines:
        return [para("No session was held in this period.", "muted")]
    rows = [[para(h, "cell_bold") for h in ("Session", "Date and time", "Attended",
                                           "Leaders present")]]
    rows += [[para(c, "cell") for c in line] for line in r.session_lines]
    return [small_table(rows, [WIDTH * 0.2, WIDTH * 0.22, WIDTH * 0.13, WIDTH * 0.45])]


def _grid(r: PeriodReport) -> list[Flowable]:
    if not r.grid or not r.sessions:
        return [para("No attendance to show.", "muted")]
    out: list[Flowable] = []
    name_w, total_w = 62 * mm, 24 * mm
    for start in range(0, len(r.sessions), SESSIONS_PER_BLOCK):
        cols = r.sessions[start:start + SESSIONS_PER_BLOCK]
        cell_w = min((WIDTH - name_w - total_w) / len(cols), 18 * mm)
        head = [para("Member", "cell_bold")]
        head += [markup(f"<b>{safe(c.label)}</b><br/>{safe(c.date_text)}", "cell_center")
                 for c in cols]
        head.append(para("Attended", "cell_bold"))
        rows = [head]
        extra = []
        for i, row in enumerate(r.grid, start=1):
            cells = row.cells[start:start + SESSIONS_PER_BLOCK]
            rows.append([para(row.name, "cell")] + [para(c, "cell_center") for c in cells]
                        + [para(f"{row.attended} of {row.recorded}", "cell")])
            for j, c in enumerate(cells, start=1):
                if c[:1] == "X":
                    extra.append(("BACKGROUND", (j, i), (j, i), RISK_FILL))
                elif c == "":
                    extra.append(("BACKGROUND", (j, i), (j, i), SHADE))
        widths = [name_w] + [cell_w] * len(cols) + [total_w]
        out += [small_table(rows, widths, extra=extra), Spacer(1, 6)]
    out.append(para(LEGEND, "muted"))
    return out


def _changes(r: PeriodReport) -> list[Flowable]:
    if not r.changes:
        return [para("No one joined or left in this period.", "muted")]
    rows = [[para(h, "cell_bold") for h in ("Date", "Member", "Change", "Reason")]]
    rows += [[para(c.date_text, "cell"), para(c.name, "cell"), para(c.change, "cell"),
              para(c.reason, "cell")] for c in r.changes]
    return [small_table(rows, [WIDTH * 0.14, WIDTH * 0.26, WIDTH * 0.14, WIDTH * 0.46])]


def _factors(r: PeriodReport) -> list[Flowable]:
    if not r.factors:
        return [para("No therapeutic factors were noted in this period.", "muted")]
    rows = [[para("Therapeutic factor", "cell_bold"), para("Sessions noted", "cell_bold")]]
    rows += [[para(f.label, "cell"), para(f"{f.count} of {r.noted_sessions}", "cell")]
             for f in r.factors]
    return [small_table(rows, [WIDTH * 0.5, WIDTH * 0.2])]


def period_story(r: PeriodReport) -> list[Flowable]:
    story: list[Flowable] = title_block(r.practice, "Group period report",
                                        f"{r.group_name} · {r.period_text}")
    story += notice(r.deidentified)
    story.append(facts_table([
        ("Group", f"{r.group_name} ({r.group_kind})"), ("Period", r.period_text),
        ("Sessions held", str(len(r.session_lines))), ("Cancelled", str(r.cancelled)),
    ], WIDTH / 2))
    story += [para("Sessions held", "h2")] + _sessions(r)
    story += [para("Attendance", "h2")] + _grid(r)
    story += [KeepTogether([para("Membership changes", "h2")] + _changes(r))]
    story += [KeepTogether([para("Therapeutic factors most often noted", "h2")] + _factors(r))]
    story += measures_section(r.measures, WIDTH)
    return story


def render_period(r: PeriodReport) -> bytes:
    return build_pdf(period_story(r), meta_for(r))
