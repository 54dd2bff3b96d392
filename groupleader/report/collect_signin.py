"""Gather a session's sign-in sheet: who is expected, by first name and last initial.

A sign-in sheet lies on a table in the group room where anyone can read it, so it never
prints a full last name: "Maria K." (the preferred name's first word, else the full
name's), or the member's pseudonym when the export is de-identified.
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


def signin_name(full_name: str, preferred_name: str = "") -> str:
    """"Maria K.": a first name and the last name's initial, never the whole last name.

    The first name is the preferred name's first word when there is one (so "Mia K."
    for Maria Kowalski called Mia), else the full name's first word; a one-word name
    prints alone.
    """
    words = full_name.split()
    if not words:
        return preferred_name.split()[0] if preferred_name.split() else ""
    last = words[-1] if len(words) > 1 else ""
    first = preferred_name.split()[0] if preferred_name.split() else words[0]
    if last and first.casefold() == last.casefold():  # called by their last name
        first = words[0]
    return f"{first} {last[0].upper()}." if last else first


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
    names = []
    known = people.by_id
    for member_id in expected:
        ident = known.get(member_id)
        if redactor.hides(member_id) or ident is None:
            names.append(ident.alias if ident else "[member]")
        else:
            names.append(signin_name(ident.full_name, ident.preferred_name))
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
