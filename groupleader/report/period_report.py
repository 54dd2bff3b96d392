"""The group period report, a supervision review: the risk register and the boundary
incidents, documentation, every session (cancelled ones too), attendance, absences without
notice, participation, the stage and factors chart, membership changes.

Printed landscape so a grid of many sessions stays readable; wide periods are split into
blocks of at most `SESSIONS_PER_BLOCK` session columns.
"""

from __future__ import annotations

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer

from groupleader.report.blocks import facts_table, notice, small_table, title_block
from groupleader.report.measures_section import measures_section
from groupleader.report.model import PeriodReport
from groupleader.report.pdf_output import MARGIN, PdfMeta, bookmark, build_pdf
from groupleader.report.period_chart import columns_per_chart, label_width, stage_factor_chart
from groupleader.report.register_tables import count_text, incident_table, register_table
from groupleader.report.styles import RISK_FILL, SHADE, markup, para, safe, styles

WIDTH = landscape(A4)[0] - 2 * MARGIN
SESSIONS_PER_BLOCK = 16
LEGEND = ("P present · L late (minutes) · E left early (minutes) · A absent with notice · "
          "X absent without notice · "
          "– not recorded · blank: not a member then")


def meta_for(r: PeriodReport) -> PdfMeta:
    return PdfMeta(
        title=f"Group period report: {r.group_name}, {r.period_text}",
        subject="Group therapy period report" + (" (de-identified)" if r.deidentified else ""),
        author=r.practice, header=f"{r.group_name} · period report · {r.period_text}",
        landscape=True,
        deidentified=r.deidentified,
        printed=r.printed,
    )


def _sessions(r: PeriodReport) -> list[Flowable]:
    if not r.session_lines:
        return [para("No session was held in this period.", "muted")]
    rows = [[para(h, "cell_bold") for h in ("Session", "Date and time", "Status", "Attended",
                                           "Notes", "Leaders present")]]
    extra = []
    for i, line in enumerate(r.session_lines, start=1):
        rows.append([para(c, "cell") for c in (line.label, line.date_text, line.status,
                                               line.attended, line.notes, line.leaders)])
        if line.cancelled:
            extra.append(("BACKGROUND", (0, i), (-1, i), SHADE))
    return [small_table(rows, [WIDTH * w for w in (0.11, 0.165, 0.13, 0.085, 0.23, 0.28)],
                        extra=extra)]


def _register(r: PeriodReport) -> list[Flowable]:
    return register_table(r.risk_entries, r.as_of_text, WIDTH)


def _incidents(r: PeriodReport) -> list[Flowable]:
    return incident_table(r.incidents, WIDTH)


def _absences(r: PeriodReport) -> list[Flowable]:
    if not r.absences:
        return [para("No member was absent without notice in this period.", "muted")]
    rows: list[list[Flowable]] = [[para(h, "cell_bold") for h in (
        "Member", "Session", "Reason", "Follow-up")]]
    extra = []
    for i, a in enumerate(r.absences, start=1):
        rows.append([para(a.member, "cell"), para(a.session, "cell"),
                     para(a.reason or "Not recorded", "cell" if a.reason else "muted"),
                     para(a.followup, "cell")])
        if not a.contacted:
            extra.append(("BACKGROUND", (3, i), (3, i), RISK_FILL))
    contacted = sum(1 for a in r.absences if a.contacted)
    return [small_table(rows, [WIDTH * w for w in (0.2, 0.22, 0.25, 0.33)], extra=extra),
            Spacer(1, 2),
            para(f"{count_text(len(r.absences), 'absence', 'absences')} without notice; "
                 f"{contacted} followed up with contact (the others shaded).", "muted")]


def _documentation(r: PeriodReport) -> list[Flowable]:
    d = r.documentation
    if not d.notes:
        return [para("No group or member note was written in this period.", "muted")]
    out: list[Flowable] = [facts_table([
        ("Notes", f"{d.notes} group and member notes (process notes not counted)"),
        ("Unsigned", str(d.unsigned)),
        ("Awaiting co-sign", f"{d.awaiting_cosign} signed, not yet co-signed"),
        ("Co-signed", str(d.cosigned)),
        ("Median days to signature", f"{d.median_text} from the session to its signature"),
    ], WIDTH / 2)]
    if d.unsigned_where:
        out.append(para("Unsigned: " + "; ".join(d.unsigned_where) + ".", "muted"))
    return out


def _participation(r: PeriodReport) -> list[Flowable]:
    if not r.participation:
        return [para("No member attended in this period.", "muted")]
    if not r.interaction_sessions:
        return [para("No interactions were recorded in this period, so participation "
                     "cannot be counted.", "muted")]
    rows = [[para(h, "cell_bold") for h in ("Member", "Sessions attended", "Times spoke",
                                           "Spoken to", "Sessions with no recorded speech")]]
    extra = []
    for i, p in enumerate(r.participation, start=1):
        silent = f"{p.silent_sessions} of {p.counted_sessions}"
        if p.silent:
            silent += " · silent throughout"
            extra.append(("BACKGROUND", (0, i), (-1, i), RISK_FILL))
        rows.append([para(p.name, "cell_bold" if p.silent else "cell"),
                     para(str(p.attended), "cell"), para(str(p.spoke), "cell"),
                     para(str(p.spoken_to), "cell"), para(silent, "cell")])
    return [small_table(rows, [WIDTH * w for w in (0.3, 0.14, 0.12, 0.12, 0.32)],
                        extra=extra),
            Spacer(1, 2),
            para(f"From the interactions recorded in {r.interaction_sessions} of "
                 f"{r.held} sessions held; times spoke includes remarks to the whole group. "
                 "Sessions with no recorded speech count the member's attended sessions "
                 "that have interactions recorded.", "muted")]


def _chart(r: PeriodReport) -> list[Flowable]:
    if not r.stage_points:
        return [para("No session was held in this period.", "muted")]
    if not r.factor_names and all(p.stage is None for p in r.stage_points):
        return [para("No stage or therapeutic factor was noted in this period.", "muted")]
    per = columns_per_chart(WIDTH, label_width(r.stage_names, r.factor_names, WIDTH))
    out: list[Flowable] = []
    for start in range(0, len(r.stage_points), per):
        out += [stage_factor_chart(r.stage_points[start:start + per], r.stage_names,
                                   r.factor_names, WIDTH), Spacer(1, 4)]
    out.append(para("Squares: the stage the group note gave (joined by a line). Dots: a "
                    "therapeutic factor the group note named. On the right of each row: in how "
                    "many of the sessions held the group was in that stage, or the note "
                    "named that factor.", "muted"))
    return out


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


def _heading(text: str) -> list[Flowable]:
    """A heading before a long table: kept with the table's first rows (a new page only
    when little room is left), not with the whole table, which may split."""
    style = styles()["h2"].clone("h2_split", keepWithNext=0)
    return [CondPageBreak(30 * mm), bookmark(Paragraph(safe(text), style), text)]


def period_story(r: PeriodReport) -> list[Flowable]:
    story: list[Flowable] = title_block(r.practice, "Group period report",
                                        f"Supervision review · {r.group_name} · "
                                        f"{r.period_text}")
    story += notice(r.deidentified)
    story.append(facts_table([
        ("Group", f"{r.group_name} ({r.group_kind})"), ("Period", r.period_text),
        ("Sessions held", str(r.held)), ("Cancelled", str(r.cancelled)),
    ], WIDTH / 2))
    story += _heading("Risk register") + _register(r)
    story += _heading("Boundary incidents against the group agreement") + _incidents(r)
    story += [KeepTogether([para("Documentation", "h2")] + _documentation(r))]
    story += _heading("Sessions") + _sessions(r)
    story += _heading("Attendance") + _grid(r)
    story += _heading("Absences without notice and their follow-up") + _absences(r)
    story += _heading("Participation") + _participation(r)
    story += [KeepTogether([para("Stage and therapeutic factors, session by session",
                                 "h2")] + _chart(r))]
    story += [KeepTogether([para("Therapeutic factors most often noted", "h2")] + _factors(r))]
    story += measures_section(r.measures, WIDTH)
    story += [KeepTogether([para("Membership changes", "h2")] + _changes(r))]
    return story


def render_period(r: PeriodReport) -> bytes:
    return build_pdf(period_story(r), meta_for(r))
