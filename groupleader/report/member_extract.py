"""A member extract: one member's attendance and notes over a period, for a records
request or a referral. Every other member appears only by initials (see collect_period).

- Each note says whether it is signed ("Signed as author by …") or a draft ("Draft (not
  signed)") under its own heading; the document is not stamped DRAFT as a whole, since
  2 unsigned notes of 20 do not make the other 18 drafts. The running header counts the
  unsigned ones ("2 OF 20 NOTES UNSIGNED").
- The subject's name and date of birth are in the running header of every page (an
  identified extract), so a page separated from the others still says whose it is.
- A release block at the end: released to, purpose, by whom and when, filled from the
  export dialog or the command line (`--release-to`, `--release-purpose`), with lines to
  fill by hand where nothing was given.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from groupleader.report.blocks import (
    addenda_list,
    facts_table,
    notice,
    risk_flag_mark,
    small_table,
    title_block,
)
from groupleader.report.keep import keep_with_last
from groupleader.report.measures_section import measures_section
from groupleader.report.model import MemberExtract, ReportOptions
from groupleader.report.pdf_output import MARGIN, PdfMeta, bookmark, build_pdf
from groupleader.report.register_tables import incident_table, register_table
from groupleader.report.styles import markup, para, safe

WIDTH = 210 * mm - 2 * MARGIN
BLANK = "_" * 40


def unsigned_marker(x: MemberExtract) -> str:
    """ "2 OF 20 NOTES UNSIGNED", or "" when every note is signed."""
    written = [e for e in x.entries if e.sections]
    unsigned = sum(1 for e in written if not e.signoff.signed)
    if not unsigned:
        return ""
    return f"{unsigned} OF {len(written)} NOTE{'S' if len(written) != 1 else ''} UNSIGNED"


def subject_line(x: MemberExtract) -> str:
    if x.deidentified:
        return ""
    return f"{x.member_name}, born {x.member_dob}" if x.member_dob else x.member_name


def meta_for(x: MemberExtract) -> PdfMeta:
    # The title names the group and period, not the member: a file's title shows in
    # file managers and recent-document lists.
    marker = unsigned_marker(x)
    return PdfMeta(
        title=f"Member extract: {x.group_name}, {x.period_text}",
        subject="Member record extract" + (" (de-identified)" if x.deidentified else ""),
        author=x.practice, header=f"{x.group_name} · member extract · {x.period_text}",
        draft=False,  # each note says signed or draft (see the module's docstring)
        markers=(marker,) if marker else (),
        deidentified=x.deidentified,
        code=x.paper_code,
        printed=x.printed,
        subject_line=subject_line(x),
    )


def release_block(x: MemberExtract, options: ReportOptions) -> list[Flowable]:
    """Released to, purpose, by whom, date: what a records release has to say."""
    by = options.printed_by.strip()
    when = x.printed.removeprefix("Printed ").split(" by ")[0] if x.printed else ""
    rows = [
        ("Released to", options.release_to.strip() or BLANK),
        ("Purpose", options.release_purpose.strip() or BLANK),
        ("Released by", by or BLANK),
        ("Date", when or BLANK),
        ("Signature", BLANK),
    ]
    return [para("Release", "h2"), facts_table(rows, WIDTH)]


def extract_story(x: MemberExtract, options: ReportOptions | None = None) -> list[Flowable]:
    options = options or ReportOptions()
    story: list[Flowable] = title_block(x.practice, "Member record extract",
                                        f"{x.member_name} · {x.group_name}")
    story += notice(x.deidentified)
    story.append(para("Other members of the group appear only by their initials.", "muted"))
    facts = [("Member", x.member_name)]
    if x.member_dob and not x.deidentified:
        facts.append(("Date of birth", x.member_dob))
    facts += [("Group", x.group_name), ("Period", x.period_text),
              ("Attendance", f"attended {x.attended} of {x.recorded} recorded sessions")]
    marker = unsigned_marker(x)
    facts.append(("Notes", marker.capitalize() + "; each note says whether it is signed."
                  if marker else "Every note in this extract is signed."))
    story.append(facts_table(facts, WIDTH))
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
        state = "signed" if e.signoff.signed else "DRAFT, not signed"
        head = markup(f"<b>{safe(e.session_label)}</b>, {safe(e.date_text)} "
                      f"<font size='8' color='{'#5b6470' if e.signoff.signed else '#8a1c1c'}'>"
                      f"({state})</font>{flag}", "h3")
        story.append(bookmark(head, f"{e.session_label}, {e.date_text}", 1))
        body: list[Flowable] = [markup(f"<b>{safe(s.title)}:</b> {safe(s.text)}")
                                for s in e.sections]
        story += keep_with_last(body, [para(e.signoff.line(), "muted")])
        if e.addenda:
            story += addenda_list(e.addenda)
    story += measures_section(x.measures, WIDTH)
    return keep_with_last(story, release_block(x, options))


def render_extract(x: MemberExtract, options: ReportOptions | None = None) -> bytes:
    return build_pdf(extract_story(x, options), meta_for(x))
