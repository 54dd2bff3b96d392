"""Gather a session's sign-in sheet: who is expected, by first name and last initial.

A sign-in sheet lies on a table in the group room where anyone can read it, so it never
prints more of a last name than its initial: "Maria K." (`signin_names`), or the
member's pseudonym when the export is de-identified.
"""

from __future__ import annotations

from datetime import timedelta

from groupleader.data.operations import query
from groupleader.data.services import meetings as meetings_svc
from groupleader.data.services import notes as notes_svc
from groupleader.data.vault import Vault
from groupleader.errors import InvalidInput
from groupleader.report.collect import (
    People,
    day_text,
    deidentified_suffix,
    load_people,
    local,
    redactor_for,
    slug,
)
from groupleader.report.model import ReportOptions, SigninSheet
from groupleader.report.signin_names import distinct_names, signin_name

__all__ = ["collect_signin", "signin_name"]


def collect_signin(vault: Vault, meeting_id: int, options: ReportOptions,
                   people: People | None = None) -> SigninSheet:
    """The members active in the group on the session's date (and anyone whose
    attendance was recorded for it), by first name and last initial."""
    notes = query(vault, notes_svc.load_meeting_notes, meeting_id)
    m, group = notes.meeting, notes.group
    if m.status == "cancelled":
        raise InvalidInput("This session was cancelled, so it has no sign-in sheet.",
                           "meeting_id")
    people = people or load_people(vault, group.id)
    redactor = redactor_for(people, options)
    expected = {e.member_id for e in query(vault, meetings_svc.eligible_members, meeting_id)}
    expected |= {a.member_id for a in notes.attendance}
    known = people.by_id
    hidden = [mid for mid in expected if redactor.hides(mid) or mid not in known]
    names = [known[mid].alias if mid in known else "[member]" for mid in hidden]
    shown = [known[mid] for mid in expected if mid not in hidden]
    names += distinct_names([(i.full_name, i.preferred_name) for i in shown])
    start = local(m.starts_at)
    end = local(m.starts_at + timedelta(minutes=m.length_minutes))
    group_name = redactor.text(group.name)
    return SigninSheet(
        practice=options.practice.strip(),
        group_name=group_name,
        session_label=m.label,
        number=m.number,
        date_text=day_text(start.date()),
        time_text=f"{start:%H:%M} to {end:%H:%M}",
        room=group.room or "",
        leaders=", ".join(c.name for c in (m.leaders or group.leaders)),
        names=tuple(sorted(names, key=lambda n: (n.casefold(), n))),
        deidentified=options.deidentify,
        file_stem=f"{slug(group_name)}-signin-{m.number:03d}-{start.date():%Y-%m-%d}"
                  + deidentified_suffix(options),
    )
