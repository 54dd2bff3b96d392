"""The risk register and boundary incident tables, shared by the period report (landscape,
every member) and the member extract (portrait, one member: no member column)."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, Paragraph, Spacer

from groupleader.report.blocks import small_table
from groupleader.report.model import IncidentLine, RiskEntryLine
from groupleader.report.styles import RISK_FILL, RISK_INK, markup, para, safe


def count_text(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _cell(parts: list[tuple[str, str]], extra: str = "") -> Paragraph:
    """Several labelled texts in one table cell: "<b>Observed:</b> … <br/><b>Done:</b> …"
    (`extra`: our own markup after them)."""
    text = "<br/>".join(f"<b>{safe(k)}</b> {safe(v)}" if k else safe(v)
                        for k, v in parts if v.strip())
    return markup(text + extra, "cell")


def register_table(entries: Sequence[RiskEntryLine], as_of_text: str, width: float,
                   with_member: bool = True) -> list[Flowable]:
    """Every entry with its reviews and status; an overdue one shaded and flagged."""
    if not entries:
        return [para("No risk entry was open in this period.", "muted")]
    head = ["Member"] if with_member else []
    rows: list[list[Flowable]] = [[para(h, "cell_bold") for h in (
        *head, "Risk and level", "Opened", "Observed and done", "Reviews", "Status")]]
    extra = []
    for i, e in enumerate(entries, start=1):
        reviews = [("", f"{v.date_text} · {v.level}" + (f" · {v.note}" if v.note else "")
                    + (f" · {v.next_step}" if v.next_step else "")) for v in e.reviews]
        status = [("", e.status)]
        if e.closing_note:
            status.append(("Closing note:", e.closing_note))
        flag = (f'<br/><font color="{RISK_INK.hexval()}"><b>REVIEW OVERDUE</b></font>'
                if e.overdue else "")
        member = [para(e.member, "cell_bold" if e.is_open else "cell")] if with_member else []
        rows.append([*member,
                     _cell([("", e.kind), ("Level:", e.level)]), para(e.opened, "cell"),
                     _cell([("Observed:", e.observed), ("Done:", e.action)]),
                     _cell(reviews) if reviews else para("No review yet.", "muted"),
                     _cell(status, flag)])
        if e.overdue:
            extra.append(("BACKGROUND", (0, i), (-1, i), RISK_FILL))
    open_count = sum(1 for e in entries if e.is_open)
    overdue = sum(1 for e in entries if e.overdue)
    widths = ((0.12, 0.14, 0.11, 0.27, 0.22, 0.14) if with_member
              else (0.16, 0.13, 0.27, 0.26, 0.18))
    return [small_table(rows, [width * w for w in widths], extra=extra),
            Spacer(1, 2),
            para(f"{count_text(len(entries), 'entry', 'entries')} open at some time in "
                 f"the period; on {as_of_text}, {open_count} open and "
                 f"{len(entries) - open_count} closed, {overdue} of them with the "
                 "review overdue (shaded).", "muted")]


def incident_table(incidents: Sequence[IncidentLine], width: float) -> list[Flowable]:
    """Each incident: session, rule, members, what happened and how it was worked with,
    its follow-up (shaded until resolved)."""
    if not incidents:
        return [para("No boundary incident was recorded in this period.", "muted")]
    rows: list[list[Flowable]] = [[para(h, "cell_bold") for h in (
        "Session", "Rule of the agreement", "Members", "What happened and how it was worked "
        "with", "Follow-up")]]
    extra = []
    for i, inc in enumerate(incidents, start=1):
        rows.append([para(inc.session, "cell"), para(inc.rule, "cell"),
                     para(", ".join(inc.members) or "Not recorded", "cell"),
                     _cell([("", inc.what), ("Worked with:", inc.worked_with)]),
                     _cell([("", inc.status)] + [("", f) for f in inc.followups])])
        if inc.status != "Resolved":
            extra.append(("BACKGROUND", (4, i), (4, i), RISK_FILL))
    return [small_table(rows, [width * w for w in (0.15, 0.15, 0.15, 0.33, 0.22)],
                        extra=extra)]
