"""A member extract: one member's attendance and notes over a period, for a records
request or a referral. Every other member appears only by initials (see collect_period)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from groupleader.report.blocks import (
    addenda_list,
    facts_table,
    notice,
    risk_flag_mark,
    small_table,
    title_block,
)
from groupleader.report.model import MemberExtract
from groupleader.report.pdf_output import MARGIN, PdfMeta, build_pdf
from groupleader.report.register_tables import incident_table, register_table
from groupleader.report.styles import markup, para, safe

WIDTH = 210 * mm - 2 * MARGIN


def meta_for(x: MemberExtract) -> PdfMeta:
    # The title names the group and period, not the member: a file's title shows in
    # file managers and recent-document lists.
    return PdfMeta(
        title=f"Member extract: {x.group_name}, {x.period_text}",
        subject="Member record extract" + (" (de-identified)" if x.deidentified else ""),
        author=x.practice, header=f"{x.group_name} · member extract · {x.period_text}"
        + (" · DRAFT" if x.draft else ""), draft=x.draft,
        deidentified=x.deidentified,
        code=x.paper_code,
    )


def extract_story(x: MemberExtract) -> list[Flowable]:
    story: list[Flowable] = title_block(x.practice, "Member record extract",
                                        f"{x.member_name} · {x.group_name}")
    story += notice(x.deidentified)
    story.append(para("Other members of the group appear only by their initials.", "muted"))
    story.append(facts_table([
        ("Member", x.member_name), ("Group", x.group_name), ("Period", x.period_text),
        ("Attendance", f"attended {x.attended} of {x.recorded} recorded sessions"),
    ], WIDTH))
    story.append(para("Attendance", "h2"))
    if x.entries:
        rows = [[para("Session", "cell_bold"), para("Date", "cell_bold"),
                 para("Attendance", "cell_bold")]]
        rows += [[para(e.session_label, "cell"), para(e.date_text, "cell"),
                  para(e.attendance, "cell")] for e in x.entries]
        story.append(small_table(rows, [WIDTH * 0.3, WIDTH * 0.35, WIDTH * 0.35]))
    else:
        story.append(para("No session in this period.", "muted"))
    story.append(para("Risk register", "h2"))
    story += register_table(x.risk_entries, x.as_of_text, WIDTH, with_member=False)
    story.append(para("Boundary incidents", "h2"))
    story += incident_table(x.incidents, WIDTH)
    story.append(para("Member notes", "h2"))
    written = [e for e in x.entries if e.sections]
    if not written:
        story.append(para("No member note was written in this period.", "muted"))
    for e in written:
        flag = risk_flag_mark(e.risk_flag)
        body: list[Flowable] = [markup(f"<b>{safe(e.session_label)}</b>, "
                                       f"{safe(e.date_text)}{flag}", "h3")]
        body += [markup(f"<b>{safe(s.title)}:</b> {safe(s.text)}") for s in e.sections]
        body.append(para(e.signoff.line(), "muted"))
        if e.addenda:
            body += addenda_list(e.addenda)
        story.append(KeepTogether(body))
    return story


def render_extract(x: MemberExtract) -> bytes:
    return build_pdf(extract_story(x), meta_for(x))
