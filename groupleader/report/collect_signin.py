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


def signin_name(full_name: str, preferred_name: str = "", letters: int = 1) -> str:
    """"Maria K.": a first name and the last name's initial, never the whole last name.

    The first name is the preferred name's first word when there is one (so "Mia K."
    for Maria Kowalski called Mia), else the full name's first word; a one-word name
    prints alone. `letters` > 1 tells two Maria K.s apart ("Maria Ko.", "Maria Kr."),
    always at least one letter short of the whole last name.
    """
    words = full_name.split()
    if not words:
        return preferred_name.split()[0] if preferred_name.split() else ""
    last = words[-1] if len(words) > 1 else ""
    first = preferred_name.split()[0] if preferred_name.split() else words[0]
    if last and first.casefold() == last.casefold():  # called by their last name
        first = words[0]
    if not last:
        return first
    shown = last[:max(1, min(letters, len(last) - 1))]
    return f"{first} {shown[0].upper()}{shown[1:]}."


def _distinct(people: list[tuple[str, str]]) -> list[str]:
    """Sign-in names for (full name, preferred name) pairs, with more letters of the last
    name where two would otherwise print the same."""
    letters = [1] * len(people)
    names = [signin_name(f, p) for f, p in people]
    for _round in range(12):
        seen: dict[str, list[int]] = {}
        for i, name in enumerate(names):
            seen.setdefault(name.casefold(), []).append(i)
        same = [i for group in seen.values() if len(group) > 1 for i in group]
        grown = False
        for i in same:
            longer = signin_name(*people[i], letters=letters[i] + 1)
            if longer != names[i]:
                letters[i] += 1
                names[i], grown = longer, True
        if not grown:
            break
    return names


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
    names += _distinct([(i.full_name, i.preferred_name) for i in shown])
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
