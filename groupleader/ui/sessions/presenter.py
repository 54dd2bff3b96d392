"""Plain functions behind the sessions view: what a loaded session shows, no widgets."""

from __future__ import annotations

from datetime import datetime

from groupleader.data.snapshots import EligibleMember, MeetingNotes, MeetingSnap
from groupleader.ui.privacy import shown_name
from groupleader.ui.sessions.attendance import ATTENDED, describe
from groupleader.ui.sessions.member_notes import MemberEntry
from groupleader.ui.sessions.session_list import date_text

KIND_TABS = {"group": 1, "member": 2, "private": 3}


def title(m: MeetingSnap) -> str:
    parts = [m.label, date_text(m.starts_at), m.status]
    if m.topic:
        parts.append(m.topic)
    return " · ".join(parts)


def short_titles(m: MeetingSnap) -> tuple[str, ...]:
    """Shorter forms of `title` for a narrow window, so the date is the last to go: without
    the topic, then with the number spelled short ("5/12 · c2")."""
    short_number = (f"{m.number_in_cycle}/{m.sessions_per_cycle} · c{m.cycle}"
                    if m.number_in_cycle is not None and m.sessions_per_cycle
                    else f"Session {m.number}")
    return (" · ".join([m.label, date_text(m.starts_at), m.status]),
            " · ".join([short_number, date_text(m.starts_at), m.status]),
            " · ".join([short_number, date_text(m.starts_at)]),
            f"{short_number} · {_day(m.starts_at)}")


def _day(when: datetime) -> str:
    """"Tue 1 Dec": the local day, for the narrowest title."""
    local = when.astimezone()
    return f"{local:%a} {local.day} {local:%b}"


def member_entries(
    loaded: MeetingNotes, eligible: list[EligibleMember], safe: bool = False
) -> tuple[list[MemberEntry], list[int], list[tuple[int, str]]]:
    """(editors to show, seat order, absent members for the "add a note" menu).

    A member gets an editor when they attended or when a note of theirs already exists
    (a note the leader added for an absent member stays visible). With `safe`
    (screen-share safe) every name is the member's pseudonym.
    """
    attendance = {a.member_id: a for a in loaded.attendance}
    notes = {n.member_id: n for n in loaded.member_notes}
    names = {e.member_id: (e.display_name, e.pseudonym) for e in eligible}
    for a in loaded.attendance:
        names.setdefault(a.member_id, (a.display_name, a.pseudonym))
    for n in loaded.member_notes:
        names.setdefault(n.member_id, (n.display_name, n.pseudonym))
    if safe:  # the pseudonym is the name; no second line repeating it
        names = {mid: (shown_name(name, pseudonym, True), "")
                 for mid, (name, pseudonym) in names.items()}
    entries = []
    for member_id, (name, pseudonym) in names.items():
        rec = attendance.get(member_id)
        note = notes.get(member_id)
        attended = rec is not None and rec.status in ATTENDED
        if not attended and note is None:
            continue
        entries.append(MemberEntry(
            member_id=member_id, display_name=name, pseudonym=pseudonym,
            attendance=describe(rec.status if rec else None, rec.minutes_late if rec else None),
            fields=note.fields if note else None, status=note.status if note else None,
            note_id=note.id if note else None))
    shown = {e.member_id for e in entries}
    absent = sorted(((mid, name) for mid, (name, _) in names.items()
                     if mid not in shown and mid in {e.member_id for e in eligible}),
                    key=lambda x: (x[1].casefold(), x[0]))
    seat_order = [c.member_id for c in loaded.seating if c.member_id is not None]
    return entries, seat_order, absent
