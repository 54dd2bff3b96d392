"""Operations on the risk register, the group agreement, boundary incidents and the
details of attendance (issue 16): one user action, one transaction, audit events that
name the action and the record's id only."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from groupleader.data.operations.base import Changes, Done, Unit, unit
from groupleader.data.register_snapshots import (
    AttendanceDetails,
    IncidentSnap,
    IncidentSpec,
    RiskEntrySnap,
    RiskEntrySpec,
    RuleSnap,
    RuleSpec,
)
from groupleader.data.services import agreement, attendance_details, risk
from groupleader.data.snapshots import AttendanceRow
from groupleader.data.vault import Vault


def _register_changed(group_id: int, *meeting_ids: int | None) -> Changes:
    """The register of a group changed; the sessions named show it in their notes."""
    return Changes(groups=frozenset({group_id}), register=frozenset({group_id}),
                   notes=frozenset(i for i in meeting_ids if i is not None))


def _entry_done(u: Unit, action: str, entry: RiskEntrySnap,
                meeting_id: int | None = None) -> Done[RiskEntrySnap]:
    u.audit(action, "risk_entry", entry.id)
    return Done(entry, _register_changed(entry.group_id, entry.meeting_id, meeting_id))


# ---------------------------------------------------------------- risk register


def open_risk_entry(vault: Vault, meeting_id: int, member_id: int,
                    spec: RiskEntrySpec) -> Done[RiskEntrySnap]:
    with unit(vault) as u:
        return _entry_done(u, "risk.open", risk.open_entry(u.db, meeting_id, member_id, spec))


def update_risk_entry(vault: Vault, entry_id: int, spec: RiskEntrySpec) -> Done[RiskEntrySnap]:
    with unit(vault) as u:
        return _entry_done(u, "risk.edit", risk.update_entry(u.db, entry_id, spec))


def delete_risk_entry(vault: Vault, entry_id: int) -> Done[int]:
    """Delete an entry made by mistake (unsigned session, no reviews): its session's id."""
    with unit(vault) as u:
        group_id = risk.group_of_entry(u.db, entry_id)
        meeting_id = risk.delete_entry(u.db, entry_id)
        u.audit("risk.delete", "risk_entry", entry_id)
        return Done(meeting_id, _register_changed(group_id, meeting_id))


def review_risk_entry(
    vault: Vault, entry_id: int, on_date: date, level: str, note: str,
    next_review_by: date | None = None, meeting_id: int | None = None,
) -> Done[RiskEntrySnap]:
    with unit(vault) as u:
        entry = risk.review_entry(u.db, entry_id, on_date, level, note, next_review_by,
                                  meeting_id)
        return _entry_done(u, "risk.review", entry, meeting_id)


def close_risk_entry(vault: Vault, entry_id: int, on_date: date, note: str,
                     meeting_id: int | None = None) -> Done[RiskEntrySnap]:
    """Close an entry with its dated closing note (required)."""
    with unit(vault) as u:
        entry = risk.close_entry(u.db, entry_id, on_date, note, meeting_id)
        return _entry_done(u, "risk.close", entry, meeting_id)


def delete_risk_review(vault: Vault, review_id: int) -> Done[RiskEntrySnap]:
    with unit(vault) as u:
        entry_id = risk.delete_review(u.db, review_id)
        u.audit("risk.review.delete", "risk_review", review_id)
        entry = risk.get_entry(u.db, entry_id)
        return Done(entry, _register_changed(entry.group_id, entry.meeting_id))


# ---------------------------------------------------------------- agreement


def set_agreement_rules(vault: Vault, group_id: int,
                        rules: Sequence[RuleSpec]) -> Done[list[RuleSnap]]:
    with unit(vault) as u:
        snaps = agreement.set_rules(u.db, group_id, rules)
        u.audit_if_wrote("agreement.edit", "group", group_id)
        return Done(snaps, _register_changed(group_id))


# ---------------------------------------------------------------- incidents


def _incident_done(u: Unit, action: str, incident: IncidentSnap,
                   meeting_id: int | None = None) -> Done[IncidentSnap]:
    u.audit(action, "boundary_incident", incident.id)
    changes = _register_changed(incident.group_id, incident.meeting_id, meeting_id)
    return Done(incident, changes | Changes(members=frozenset(incident.member_ids)))


def record_incident(vault: Vault, meeting_id: int, spec: IncidentSpec) -> Done[IncidentSnap]:
    with unit(vault) as u:
        return _incident_done(u, "incident.record",
                              agreement.record_incident(u.db, meeting_id, spec))


def update_incident(vault: Vault, incident_id: int, spec: IncidentSpec) -> Done[IncidentSnap]:
    with unit(vault) as u:
        return _incident_done(u, "incident.edit",
                              agreement.update_incident(u.db, incident_id, spec))


def delete_incident(vault: Vault, incident_id: int) -> Done[int]:
    with unit(vault) as u:
        before = agreement.get_incident(u.db, incident_id)
        meeting_id = agreement.delete_incident(u.db, incident_id)
        u.audit("incident.delete", "boundary_incident", incident_id)
        return Done(meeting_id, _register_changed(before.group_id, meeting_id)
                    | Changes(members=frozenset(before.member_ids)))


def follow_up_incident(vault: Vault, incident_id: int, on_date: date, status: str, note: str,
                       meeting_id: int | None = None) -> Done[IncidentSnap]:
    with unit(vault) as u:
        incident = agreement.follow_up_incident(u.db, incident_id, on_date, status, note,
                                                meeting_id)
        return _incident_done(u, "incident.follow_up", incident, meeting_id)


# ---------------------------------------------------------------- attendance details


def set_attendance_details(vault: Vault, meeting_id: int, member_id: int,
                           details: AttendanceDetails) -> Done[AttendanceRow]:
    with unit(vault) as u:
        row = attendance_details.set_details(u.db, meeting_id, member_id, details)
        u.audit_if_wrote("attendance.details", "membership", row.membership_id)
        return Done(row, Changes(groups=frozenset({u.group_of(meeting_id)}),
                                 attendance=frozenset({meeting_id})))
