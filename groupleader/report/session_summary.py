"""The session summary a supervisor reads: one session on a few A4 pages.

Order on paper: header facts, risk and safety box (first, where the eye lands), attendance,
the circle, the group note, each member's note in seat order, addenda, process notes
(only when asked for), signatures. An unsigned summary says DRAFT on every page.

Keep rules (`keep.py`): every heading stays with its first lines, each member note's
"Signed as author by" line with the note's last lines, and the signature block with the
end of the section before it, so no page holds a signature alone. Each h2 section and
each member note is a bookmark (a de-identified one numbers the notes, naming no one).
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from groupleader.note_fields import group_field
from groupleader.report import interaction_matrix
from groupleader.report.blocks import (
    addenda_list,
    facts_table,
    notice,
    risk_box,
    risk_flag_mark,
    sections,
    signature_block,
    small_table,
    title_block,
)
from groupleader.report.keep import KeepWithLastLines, keep_with_last
from groupleader.report.model import SessionSummary
from groupleader.report.pdf_output import MARGIN, PdfMeta, bookmark, build_pdf
from groupleader.report.scripts import LRM
from groupleader.report.seating_drawing import SeatingDiagram, height_for
from groupleader.report.styles import MUTED, markup, para, safe
from groupleader.seating import MAX_DRAWN

WIDTH = 210 * mm - 2 * MARGIN  # A4 portrait text width


def meta_for(s: SessionSummary) -> PdfMeta:
    title = f"Session summary: {s.group_name}, {s.session_label}, {s.date_text}"
    return PdfMeta(
        title=title,
        subject="Group therapy session summary" + (" (de-identified)" if s.deidentified
                                                   else ""),
        author=s.practice,
        header=f"{s.group_name} · {s.session_label} · {s.date_text}",
        draft=s.draft,
        deidentified=s.deidentified,
        code=s.paper_code,
        process_notes=s.process_note is not None,
        printed=s.printed,
    )


def _attendance(s: SessionSummary) -> Flowable:
    if not s.attendance:
        return para("No member was active in the group on this date.", "muted")
    # Left early and an absence's reason and contact get a column only when some member
    # has one, so the usual table stays as narrow (and as short) as it was.
    left = any(line.minutes_left_early for line in s.attendance)
    detail = any(line.detail for line in s.attendance)
    head = ["Member", "Attendance", "Late (min)"] + (["Left early (min)"] if left else []) \
        + (["Absence: reason and contact"] if detail else [])
    data = [[para(h, "cell_bold") for h in head]]
    for line in s.attendance:
        row = [para(line.name, "cell"), para(line.status, "cell"),
               para(str(line.minutes_late) if line.minutes_late else "", "cell")]
        if left:
            row.append(para(str(line.minutes_left_early) if line.minutes_left_early else "",
                            "cell"))
        if detail:
            row.append(para(line.detail, "cell"))
        data.append(row)
    present = sum(1 for line in s.attendance if line.attended)
    widths = {(False, False): (0.5, 0.32, 0.18), (True, False): (0.42, 0.28, 0.15, 0.15),
              (False, True): (0.28, 0.22, 0.14, 0.36),
              (True, True): (0.25, 0.2, 0.14, 0.13, 0.28)}[(left, detail)]
    table = small_table(data, [WIDTH * w for w in widths])
    return KeepWithLastLines([table, Spacer(1, 2), para(
        f"{present} of {len(s.attendance)} members attended.", "muted")])


def _seating(s: SessionSummary) -> list[Flowable]:
    heading = para("Seating and interactions", "h2")
    if not s.chairs:
        return [heading, para("No seating was recorded for this session.", "muted")]
    diagram = SeatingDiagram(s.chairs, s.arrows, width=WIDTH,
                             height=height_for(len(s.chairs), WIDTH))
    block: list[Flowable] = [heading, diagram]
    if diagram.numbers_only:
        block.append(markup(f"<b>Chairs</b> (a circle of more than {MAX_DRAWN} chairs is "
                            "drawn with chair numbers only)", "muted"))
    elif diagram.legend():
        block.append(markup("<b>Names in full</b>", "muted"))
    block += [para(f"{LRM}{n}: {name}", "muted") for n, name in diagram.legend()]
    out: list[Flowable] = [KeepTogether(block)]
    if not s.arrows:
        return out + [para("No interactions were recorded.", "muted")]
    out.append(Spacer(1, 4))
    out += interaction_matrix.matrix(s.chairs, s.arrows, WIDTH)
    out.append(para("Rows: who spoke; columns: to whom, by chair number. Arrow width grows "
                    "with the number of times someone addressed that person; arrows to the "
                    "centre went to the whole group.", "muted"))
    return out


def _group_note(s: SessionSummary) -> list[Flowable]:
    out: list[Flowable] = []
    facts = []
    if s.stage:
        facts.append((group_field("stage").title, s.stage))
    if s.factors:
        facts.append((group_field("factors").title, "; ".join(s.factors)))
    if facts:
        out.append(facts_table(facts, WIDTH))
    out += sections(s.group_sections, empty="No group note was written for this session.")
    return out


def _member_notes(s: SessionSummary) -> list[Flowable]:
    out: list[Flowable] = []
    if not s.member_notes:
        return [para("No member was present.", "muted")]
    for number, block in enumerate(s.member_notes, start=1):
        flag = risk_flag_mark(block.risk_flag)
        head = markup(f"<b>{safe(block.name)}</b> <font color='{MUTED.hexval()}' size='8'>"
                      f"({safe(block.attendance)})</font>{flag}", "h3")
        # a de-identified outline does not name members, not even by pseudonym
        bookmark(head, f"Member note {number}" if s.deidentified else block.name, 1)
        body: list[Flowable] = []
        if not block.written:
            body.append(para("No note written.", "muted"))
        for sec in block.sections:
            body.append(markup(f"<b>{safe(sec.title)}:</b> {safe(sec.text)}", "body"))
        if block.written:  # the signature line stays with the note's last lines
            body = keep_with_last(body, [para(block.signoff.line(), "muted")])
        out += [head, *body]  # the heading keeps with the first lines (h3 keepWithNext)
    return out


def session_story(s: SessionSummary) -> list[Flowable]:
    facts = [
        ("Group", f"{s.group_name} ({s.group_kind})"),
        ("Session", s.session_label),
        ("Date and time", f"{s.date_text}, {s.start_text} to {s.end_text}, {s.length_text}"),
        ("Participants", s.participants),
        ("Leaders present", s.leaders),
        ("Room", s.room),
    ]
    if s.topic:
        facts.append(("Topic", s.topic))
    status = "DRAFT: not every note is signed" if s.draft else s.group_signoff.line()
    facts.append(("Status", status))
    story: list[Flowable] = title_block(s.practice, "Group session summary",
                                        f"{s.group_name} · {s.session_label}")
    story += notice(s.deidentified, s.process_note is not None)
    story += [Spacer(1, 4), facts_table(facts, WIDTH), Spacer(1, 8),
              risk_box(s.risk_items, WIDTH)]
    story += [para("Attendance", "h2"), _attendance(s)]
    story += _seating(s)
    story += [para("Group note", "h2")] + _group_note(s)
    story += [para("Member notes (in seat order)", "h2")] + _member_notes(s)
    addenda = [para("Addenda", "h2"), *addenda_list(s.addenda)]
    closing = [para("Signatures", "h2"), signature_block(s.group_signoff, WIDTH)]
    if s.process_note is not None:
        story += addenda + [para("Process notes (private)", "h2"),
                            para(s.process_note or "No process note was written.",
                                 "body" if s.process_note else "muted")]
    elif not s.addenda:  # "No addenda." has no lines to keep: it joins the signatures,
        closing = addenda + closing  # which keep with the last member note's last lines
    else:
        story += addenda
    # the signature block keeps with the last lines before it: never a page of its own
    return keep_with_last(story, closing)


def render_session(s: SessionSummary) -> bytes:
    """The summary as PDF bytes (unencrypted, reproducible)."""
    return build_pdf(session_story(s), meta_for(s))
