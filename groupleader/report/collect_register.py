"""The risk register, boundary incidents and attendance details, turned into what the
session summary and the period report print (issue 16).

Every member is named through the report's `Namer` and every free text (what was
observed, what was done, reviews, incidents, absence reasons, contact notes, even the
group's own rule titles) passes through its redactor, so a de-identified export hides
them as it hides the notes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from groupleader import register_vocab
from groupleader.data.register_snapshots import (
    IncidentFollowUpSnap,
    IncidentSnap,
    RiskEntrySnap,
)
from groupleader.data.snapshots import AttendanceRow, MeetingNotes
from groupleader.report.model import (
    AbsenceLine,
    IncidentLine,
    RiskEntryLine,
    RiskItem,
    RiskReviewLine,
)

if TYPE_CHECKING:
    from groupleader.report.collect import Namer

NO_RULE = "Not one of the agreement's rules"


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _session_text(label: str, starts_at: datetime) -> str:
    t = starts_at.astimezone()
    return f"{label}, {t:%a} {t.day} {t:%b %Y}"


def kind_label(kind: str) -> str:
    return register_vocab.KIND_LABELS.get(kind, kind)


def level_label(level: str) -> str:
    return register_vocab.LEVEL_LABELS.get(level, level)


def _level(e: RiskEntrySnap) -> str:
    if e.current_level != e.level:
        return f"{level_label(e.level)}, now {level_label(e.current_level)}"
    return level_label(e.level)


def _sentences(*parts: tuple[str, str]) -> str:
    """"Observed: … Done: …" from (label, text) pairs, leaving out empty texts."""
    out = []
    for label, value in parts:
        value = value.strip()
        if value:
            out.append(f"{label}: {value}" + ("" if value[-1:] in ".!?" else "."))
    return " ".join(out)


# ---------------------------------------------------------------- the session summary


def risk_items(entries: Iterable[RiskEntrySnap], on: date, namer: Namer,
               label: Callable[[int, str], str]) -> list[RiskItem]:
    """The members' register entries open on the session's date `on` (read as of that
    date), each with "open since …, review by …" and, when past it, the overdue flag."""
    items = []
    for e in entries:
        if not e.is_open:
            continue
        parts = [("Observed", namer.text(e.observed)), ("Done", namer.text(e.action_taken))]
        if e.reviews:
            latest = e.reviews[-1]
            parts.append((f"Latest review, {_day(latest.on_date)}", namer.text(latest.note)))
        text = _sentences(*parts)
        items.append(RiskItem(
            label(e.member_id, e.member_name),
            f"{kind_label(e.kind)} ({_level(e).lower()}) · {e.line(on)}",
            text or "No observation written.", overdue=e.overdue(on)))
    return items


def _follow_up(f: IncidentFollowUpSnap, after_signing: bool, namer: Namer) -> tuple[str, str]:
    mark = "added after signing, " if after_signing else ""
    return (f"{mark}{_day(f.on_date)}, "
            f"{register_vocab.FOLLOW_UP_LABELS.get(f.status, f.status).lower()}",
            namer.text(f.note) or "no note")


def incident_items(incidents: Iterable[IncidentSnap], namer: Namer,
                   label: Callable[[int, str], str],
                   signed_at: datetime | None = None) -> list[RiskItem]:
    """The session's boundary incidents: the rule, the members, what happened, how it
    was worked with, and its follow-up. Once the summary is signed (`signed_at`), its
    follow-up status stays the one at signing, and follow-ups written later are marked
    "added after signing", so the signed text is not silently rewritten."""
    items = []
    for i in incidents:
        who = ", ".join(label(mid, name) for mid, name in zip(i.member_ids, i.member_names,
                                                               strict=False)) or "Group"
        later = [f for f in i.followups if signed_at is not None
                 and f.created_at is not None and f.created_at > signed_at]
        if later:
            then = [f for f in i.followups if f not in later]
            status_key = then[-1].status if then else i.status
            heading = "Follow-up at signing"
        else:
            status_key, heading = i.current_status, "Follow-up"
        status = register_vocab.FOLLOW_UP_LABELS.get(status_key, status_key)

        text = _sentences(
            ("What happened", namer.text(i.what_happened)),
            ("Worked with in the group", namer.text(i.worked_with)), (heading, status),
            *(_follow_up(f, f in later, namer) for f in i.followups))
        items.append(RiskItem(
            who, f"Boundary incident: {namer.text(i.rule_title) or NO_RULE}", text))
    return items


def attendance_detail(row: AttendanceRow | None, namer: Namer) -> str:
    """A reason for an absence, and for an absence without notice whether and when the
    member was contacted (or that no one has yet)."""
    if row is None:
        return ""
    parts = []
    if row.absence_reason.strip():
        parts.append(f"Reason: {namer.text(row.absence_reason.strip())}")
    if row.status == "absent_no_notice":
        parts.append(contact_text(row, namer))
    return ". ".join(p.rstrip(".") for p in parts) + ("." if parts else "")


def contact_text(row: AttendanceRow, namer: Namer) -> str:
    if not row.contacted:
        return "Not contacted"
    text = "Contacted" + (f" {_day(row.contacted_on)}" if row.contacted_on else "")
    note = namer.text(row.contact_note.strip())
    return f"{text}: {note}" if note else text


# ---------------------------------------------------------------- the period report


def register_lines(entries: Sequence[RiskEntrySnap], as_of: date, namer: Namer,
                   label: Callable[[int, str], str],
                   session_label: Callable[[int], str]) -> list[RiskEntryLine]:
    """Every entry open at some time in the period, with its reviews, open or closed."""
    lines = []
    for e in entries:
        reviews = tuple(RiskReviewLine(
            _day(r.on_date), level_label(r.level), namer.text(r.note),
            "closed" if r.closes else (f"next review by {_day(r.next_review_by)}"
                                       if r.next_review_by else ""))
            for r in e.reviews)
        status = (f"closed {_day(e.closed_on)}" if e.closed_on is not None
                  else e.line(as_of))
        where = session_label(e.meeting_id)
        lines.append(RiskEntryLine(
            member=label(e.member_id, e.member_name), kind=kind_label(e.kind), level=_level(e),
            opened=_day(e.opened_on) + (f" ({where})" if where else ""),
            observed=namer.text(e.observed), action=namer.text(e.action_taken),
            reviews=reviews, status=status, closing_note=namer.text(e.closing_note),
            is_open=e.is_open, overdue=e.overdue(as_of)))
    return lines


def incident_lines(incidents: Sequence[IncidentSnap], namer: Namer,
                   label: Callable[[int, str], str]) -> list[IncidentLine]:
    return [IncidentLine(
        session=_session_text(f"Session {i.meeting_number}", i.meeting_starts_at),
        rule=namer.text(i.rule_title) or NO_RULE,
        members=tuple(label(mid, name) for mid, name in zip(i.member_ids, i.member_names,
                                                            strict=False)),
        what=namer.text(i.what_happened), worked_with=namer.text(i.worked_with),
        status=register_vocab.FOLLOW_UP_LABELS.get(i.current_status, i.current_status),
        followups=tuple(f"{_day(f.on_date)}: "
                        f"{register_vocab.FOLLOW_UP_LABELS.get(f.status, f.status)}"
                        + (f". {namer.text(f.note)}" if f.note.strip() else "")
                        for f in i.followups))
        for i in incidents]


def absence_lines(loaded: Sequence[MeetingNotes], namer: Namer,
                  label: Callable[[int, str], str]) -> list[AbsenceLine]:
    """Every absence without notice in the period's held sessions, and its follow-up."""
    out = []
    for n in loaded:
        for a in n.attendance:
            if a.status != "absent_no_notice":
                continue
            out.append(AbsenceLine(
                member=label(a.member_id, a.display_name),
                session=_session_text(n.meeting.label, n.meeting.starts_at),
                reason=namer.text(a.absence_reason.strip()), followup=contact_text(a, namer),
                contacted=a.contacted))
    return out
