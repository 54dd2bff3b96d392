"""The demo practice's risk register, incidents against the agreement and attendance
details (issue 16), from the keys of a session's script step (`demo._process_script`):

* ``"risk_open"``: {member key: (kind, level, observed, done, days to review)}: entries
  opened in the session;
* ``"risk_later"``: [(member key, days after, level, note, closes)]: reviews between
  sessions (a closing one closes the entry);
* ``"incident"``: (words of the rule's title, member keys, what happened, worked with,
  status) and ``"incident_later"``: [(days after, status, note)];
* ``"left_early"``: (member key, minutes), given to the first member present if that
  one did not come; ``"contact"``: {member key: (days after, outcome)} for an absence
  without notice.

Nothing here draws from the builder's random numbers, so the rest of the demo stays as
it was.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from groupleader.data import clock
from groupleader.data.operations import query
from groupleader.data.operations import register as ops
from groupleader.data.register_snapshots import AttendanceDetails, IncidentSpec, RiskEntrySpec
from groupleader.data.services import agreement
from groupleader.data.vault import Vault

Step = dict[str, Any]


def in_session(vault: Vault, group_id: int, meeting_id: int, day: date, step: Step,
               ids: dict[str, int], present: list[str]) -> dict[str, Any]:
    """Record what the step opens in the session (before it is signed); returns the
    entry and incident ids the later steps need."""
    made: dict[str, Any] = {"entries": {}, "incident": None}
    for key, (kind, level, observed, done, days) in step.get("risk_open", {}).items():
        made["entries"][key] = ops.open_risk_entry(vault, meeting_id, ids[key], RiskEntrySpec(
            kind, level, observed, done, day + timedelta(days=days))).value.id
    if "incident" in step:
        words, keys, what, worked, status = step["incident"]
        rule = next(r for r in query(vault, agreement.list_rules, group_id)
                    if words.casefold() in r.title.casefold())
        made["incident"] = ops.record_incident(vault, meeting_id, IncidentSpec(
            rule.id, tuple(ids[k] for k in keys), what, worked, status)).value.id
    if "left_early" in step and present:
        key, minutes = step["left_early"]
        key = key if key in present else sorted(present)[0]
        ops.set_attendance_details(vault, meeting_id, ids[key],
                                   AttendanceDetails(minutes_left_early=minutes))
    for key, (days, outcome) in step.get("contact", {}).items():
        ops.set_attendance_details(vault, meeting_id, ids[key], AttendanceDetails(
            absence_reason="", contacted=True, contacted_on=day + timedelta(days=days),
            contact_note=outcome))
    return made


def afterwards(vault: Vault, day: date, step: Step, made: dict[str, Any],
               when: Callable[[date], datetime], today: date) -> None:
    """The reviews and follow-ups dated after the session (none on or after `today`)."""
    for key, days, level, note, closes in step.get("risk_later", []):
        on = day + timedelta(days=days)
        if on >= today:
            continue
        with clock.frozen_at(when(on)):
            entry_id = made["entries"][key]
            if closes:
                ops.close_risk_entry(vault, entry_id, on, note)
            else:
                ops.review_risk_entry(vault, entry_id, on, level, note)
    for days, status, note in step.get("incident_later", []):
        on = day + timedelta(days=days)
        if on < today and made["incident"] is not None:
            with clock.frozen_at(when(on)):
                ops.follow_up_incident(vault, made["incident"], on, status, note)
