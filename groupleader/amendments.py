"""Amendments: the corrections of a signed session's facts, and their wording.

Once a session's group note is signed, its attendance, seating, interactions, date, time,
length and status are locked. A correction is then an amendment: a dated addendum of the
group note (kind "amendment") whose `change` says what changed, from what to what, and
whose text is the reason. The recorded rows stay as they were; reads apply the amendments
over them (`attendance` amendments change the marks and counts shown) and show both.

The `change` is a small JSON object, one of:

* ``{"field": "attendance", "member_id": 3, "membership_id": 7, "from": "absent_notice",
  "to": "present", "from_minutes_late": null, "to_minutes_late": null}`` (``from`` is null
  when nothing was recorded for the member);
* ``{"field": "time", "from": {"starts_at": "2026-03-03T17:00:00+00:00",
  "length_minutes": 90}, "to": {...}}`` (UTC, ISO 8601);
* ``{"field": "seating" | "interactions" | "other", "description": "..."}``: a correction
  described in words (who really sat where, who spoke to whom).

This module is pure (no database, no Qt): the screen and the PDF word amendments the same
way, each naming the member as it names members (initials or a pseudonym on paper).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

ATTENDANCE, TIME = "attendance", "time"
TEXT_FIELDS = {"seating": "Seating", "interactions": "Interactions", "other": "Session"}
FIELDS = (ATTENDANCE, TIME, *TEXT_FIELDS)
STATUS_WORDS = {
    "present": "present",
    "late": "late",
    "absent_notice": "absent with notice",
    "absent_no_notice": "absent without notice",
}


def status_words(status: str | None, minutes_late: int | None = None) -> str:
    """"present", "late 10 min", "absent with notice", or "not recorded"."""
    if status == "late" and minutes_late:
        return f"late {minutes_late} min"
    return STATUS_WORDS.get(status or "", "not recorded")


def when_words(moment: datetime) -> str:
    """E.g. "Tue 3 Mar 2026 18:00", in local time."""
    here = moment.astimezone()
    return f"{here:%a} {here.day} {here:%b %Y %H:%M}"


def _slot(value: Any) -> str:
    if not isinstance(value, Mapping):
        return "?"
    try:
        when = when_words(datetime.fromisoformat(str(value.get("starts_at"))))
    except ValueError:
        when = "?"
    return f"{when} for {value.get('length_minutes')} minutes"


def describe(change: Mapping[str, Any], member_label: Callable[[int], str]) -> str:
    """What an amendment changed, in words, e.g. "Attendance correction: R.D. present,
    recorded as absent with notice"; `member_label` names a member by id."""
    field = change.get("field")
    if field == ATTENDANCE:
        who = member_label(int(change.get("member_id") or 0))
        new = status_words(change.get("to"), change.get("to_minutes_late"))
        old = status_words(change.get("from"), change.get("from_minutes_late"))
        return f"Attendance correction: {who} {new}, recorded as {old}"
    if field == TIME:
        return (f"Date and time correction: {_slot(change.get('to'))}, "
                f"recorded as {_slot(change.get('from'))}")
    title = TEXT_FIELDS.get(str(field), "Session")
    return f"{title} correction: {change.get('description', '')}"


def line(change: Mapping[str, Any], reason: str, member_label: Callable[[int], str]) -> str:
    """The whole amendment: what changed and why."""
    return f"{describe(change, member_label)}; reason: {reason}"


def attendance_overlay(
    changes: list[tuple[int, Mapping[str, Any]]],
) -> dict[tuple[int, int], tuple[str, int | None]]:
    """The marks amendments set: (meeting id, membership id) -> (status, minutes late).

    `changes` are (meeting id, change) pairs, oldest first: a later amendment of the same
    member's mark wins.
    """
    result: dict[tuple[int, int], tuple[str, int | None]] = {}
    for meeting_id, change in changes:
        if change.get("field") == ATTENDANCE and change.get("to"):
            key = (meeting_id, int(change.get("membership_id") or 0))
            result[key] = (str(change["to"]), change.get("to_minutes_late"))
    return result
