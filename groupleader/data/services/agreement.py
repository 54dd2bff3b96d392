"""The group agreement as rules, and boundary incidents against it (issue 16).

A new group starts from `register_vocab.DEFAULT_RULES`; the leader reorders, edits and
adds rules. A rule an incident names is retired (kept, hidden from the editor) instead of
deleted, so the incident still says which rule it was; one an incident of a signed session
names is retired and replaced by a new rule when reworded, so the signed incident keeps the
wording it was signed with (its digest covers it, `digests.REGISTER_SQL`). An incident
belongs to one session and is locked with it once signed; its follow-up after that is a
new `IncidentFollowUp` row.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import Session

from groupleader import register_vocab
from groupleader.data.models import (
    AgreementRule,
    BoundaryIncident,
    FollowUp,
    Group,
    IncidentFollowUp,
    IncidentMember,
    Meeting,
    MeetingStatus,
    Member,
    Membership,
)
from groupleader.data.register_snapshots import (
    IncidentFollowUpSnap,
    IncidentSnap,
    IncidentSpec,
    RuleSnap,
    RuleSpec,
)
from groupleader.data.services._common import (
    choice,
    fetch,
    not_after_today,
    session_signed,
    text,
    unlocked,
)
from groupleader.data.services.risk import _signed_meetings
from groupleader.errors import InvalidInput, SessionLocked

NOTE_LIMIT = 20_000
MAX_RULES = 50


# ---------------------------------------------------------------- the agreement


def _rule_snap(r: AgreementRule) -> RuleSnap:
    return RuleSnap(id=r.id, group_id=r.group_id, position=r.position, title=r.title,
                    text=r.text, retired=bool(r.retired))


def seed_default_rules(db: Session, group_id: int, own: str = "") -> list[RuleSnap]:
    """Give a group the default agreement (a new group: `groups.create_group` calls it),
    and `own` (the group's agreement as the leader wrote it), if any, as a last rule."""
    seeded = list(register_vocab.DEFAULT_RULES)
    if own.strip():
        seeded.append((register_vocab.LEADER_RULE, own.strip()))
    for position, (title, body) in enumerate(seeded):
        db.add(AgreementRule(group_id=group_id, position=position, title=title, text=body))
    db.flush()
    return list_rules(db, group_id)


def list_rules(db: Session, group_id: int, include_retired: bool = False) -> list[RuleSnap]:
    fetch(db, Group, group_id, "group_id")
    query = select(AgreementRule).where(AgreementRule.group_id == group_id)
    if not include_retired:
        query = query.where(AgreementRule.retired.is_(False))
    return [_rule_snap(r) for r in db.scalars(
        query.order_by(AgreementRule.position, AgreementRule.id))]


def set_rules(db: Session, group_id: int, rules: Sequence[RuleSpec]) -> list[RuleSnap]:
    """Make the group's agreement `rules`, in this order (the editor's whole list): a
    spec with an id edits that rule, one without adds a rule; a rule left out is deleted,
    or retired when an incident names it. A blank title is refused."""
    fetch(db, Group, group_id, "group_id")
    if len(rules) > MAX_RULES:
        raise InvalidInput(f"Keep the agreement to {MAX_RULES} rules or fewer.", "rules")
    existing = {r.id: r for r in db.scalars(
        select(AgreementRule).where(AgreementRule.group_id == group_id))}
    kept: set[int] = set()
    checked = []
    for spec in rules:
        title = text(spec.title, "title", "the rule's title", required=True)
        body = text(spec.text, "text", "the rule's text", limit=NOTE_LIMIT)
        if spec.id is not None:
            if spec.id not in existing or spec.id in kept:
                raise InvalidInput("That rule no longer exists. Refresh and try again.",
                                   "rules")
            kept.add(spec.id)
        checked.append((spec.id, title, body))
    signed = _named_by_signed(db, {c[0] for c in checked if c[0] is not None})
    for position, (rule_id, title, body) in enumerate(checked):
        if rule_id is None:
            db.add(AgreementRule(group_id=group_id, position=position, title=title, text=body))
            continue
        r = existing[rule_id]
        if rule_id in signed and (r.title, r.text) != (title, body):
            _reword(db, r, position, title, body)
        else:
            r.position, r.title, r.text, r.retired = position, title, body, False
    named = set(db.scalars(select(BoundaryIncident.rule_id).where(
        BoundaryIncident.rule_id.in_(set(existing) - kept))))
    for rule_id in set(existing) - kept:
        if rule_id in named:
            existing[rule_id].retired = True
            existing[rule_id].position = MAX_RULES + existing[rule_id].position
        else:
            db.delete(existing[rule_id])
    db.flush()
    return list_rules(db, group_id)


def _named_by_signed(db: Session, rule_ids: set[int]) -> set[int]:
    """Of `rule_ids`, the rules an incident of a signed session names."""
    if not rule_ids:
        return set()
    named = db.execute(select(BoundaryIncident.rule_id, BoundaryIncident.meeting_id).where(
        BoundaryIncident.rule_id.in_(rule_ids))).all()
    signed = _signed_meetings(db, list({m for _, m in named}))
    return {r for r, m in named if r is not None and m in signed}


def _reword(db: Session, rule: AgreementRule, position: int, title: str, body: str) -> None:
    """A rule a signed incident names keeps its wording (the signed record says it, and
    its digest covers it): it is retired, and the new wording becomes a new rule that the
    incidents of unsigned sessions move to."""
    new = AgreementRule(group_id=rule.group_id, position=position, title=title, text=body)
    db.add(new)
    db.flush()
    unsigned = [i for i in db.scalars(select(BoundaryIncident).where(
        BoundaryIncident.rule_id == rule.id))
        if i.meeting_id not in _signed_meetings(db, [i.meeting_id])]
    for incident in unsigned:
        incident.rule_id = new.id
    rule.retired = True
    rule.position = MAX_RULES + position


def delete_rules_of(db: Session, group_id: int) -> None:
    """Remove a group's rules (a group deleted because it was made by mistake)."""
    db.execute(delete(AgreementRule).where(AgreementRule.group_id == group_id))


# ---------------------------------------------------------------- incidents


def _incident_snaps(db: Session, incidents: Sequence[BoundaryIncident]) -> list[IncidentSnap]:
    if not incidents:
        return []
    ids = [i.id for i in incidents]
    members: dict[int, list[int]] = {}
    for incident_id, member_id in db.execute(
            select(IncidentMember.incident_id, IncidentMember.member_id)
            .where(IncidentMember.incident_id.in_(ids)).order_by(IncidentMember.member_id)):
        members.setdefault(incident_id, []).append(member_id)
    names = {m.id: m.preferred_name or m.full_name for m in db.scalars(
        select(Member).where(Member.id.in_({m for ms in members.values() for m in ms})))}
    follow: dict[int, list[IncidentFollowUp]] = {}
    for f in db.scalars(select(IncidentFollowUp).where(IncidentFollowUp.incident_id.in_(ids))
                        .order_by(IncidentFollowUp.on_date, IncidentFollowUp.id)):
        follow.setdefault(f.incident_id, []).append(f)
    rules = dict(db.execute(select(AgreementRule.id, AgreementRule.title).where(
        AgreementRule.id.in_({i.rule_id for i in incidents if i.rule_id}))).all())
    sessions = {m.id: m for m in db.scalars(select(Meeting).where(
        Meeting.id.in_({i.meeting_id for i in incidents})))}
    signed = _signed_meetings(db, [i.meeting_id for i in incidents])
    out = []
    for i in incidents:
        who = tuple(members.get(i.id, []))
        fs = follow.get(i.id, [])
        out.append(IncidentSnap(
            id=i.id, group_id=i.group_id, meeting_id=i.meeting_id,
            meeting_number=sessions[i.meeting_id].number,
            meeting_starts_at=sessions[i.meeting_id].starts_at, rule_id=i.rule_id,
            rule_title=rules.get(i.rule_id, "") if i.rule_id else "", member_ids=who,
            member_names=tuple(names.get(m, "") for m in who), what_happened=i.what_happened,
            worked_with=i.worked_with, status=i.status,
            current_status=fs[-1].status if fs else i.status,
            followups=tuple(IncidentFollowUpSnap(
                id=f.id, incident_id=f.incident_id, meeting_id=f.meeting_id,
                on_date=f.on_date, status=f.status, note=f.note,
                created_at=f.created_at) for f in fs),
            locked=i.meeting_id in signed))
    return out


def get_incident(db: Session, incident_id: int) -> IncidentSnap:
    return _incident_snaps(db, [fetch(db, BoundaryIncident, incident_id, "incident_id")])[0]


def _check(db: Session, m: Meeting, spec: IncidentSpec) -> tuple[int | None, list[int], str,
                                                                 str, str]:
    if spec.rule_id is not None:
        rule = db.get(AgreementRule, spec.rule_id) if isinstance(spec.rule_id, int) else None
        if rule is None or rule.group_id != m.group_id:
            raise InvalidInput("Choose one of the group's rules.", "rule_id")
    ids = list(dict.fromkeys(spec.member_ids))
    if not ids:
        raise InvalidInput("Choose the members involved.", "member_ids")
    in_group = set(db.scalars(select(Membership.member_id).where(
        Membership.group_id == m.group_id, Membership.member_id.in_(ids))))
    if set(ids) - in_group:
        raise InvalidInput("Choose members of this group.", "member_ids")
    what = text(spec.what_happened, "what_happened", "what happened", required=True,
                limit=NOTE_LIMIT)
    worked = text(spec.worked_with, "worked_with", "how it was worked with", limit=NOTE_LIMIT)
    status = choice(spec.status, FollowUp, "status")
    return spec.rule_id, ids, what, worked, status


def _session(db: Session, meeting_id: int) -> Meeting:
    m = unlocked(db, fetch(db, Meeting, meeting_id, "meeting_id"))
    if m.status == MeetingStatus.CANCELLED:
        raise InvalidInput("This session was cancelled.", "meeting_id")
    return m


def record_incident(db: Session, meeting_id: int, spec: IncidentSpec) -> IncidentSnap:
    m = _session(db, meeting_id)
    rule_id, ids, what, worked, status = _check(db, m, spec)
    incident = BoundaryIncident(group_id=m.group_id, meeting_id=m.id, rule_id=rule_id,
                                what_happened=what, worked_with=worked, status=status)
    db.add(incident)
    db.flush()
    db.add_all(IncidentMember(incident_id=incident.id, member_id=i) for i in ids)
    db.flush()
    return get_incident(db, incident.id)


def _editable(db: Session, incident_id: int) -> BoundaryIncident:
    incident = fetch(db, BoundaryIncident, incident_id, "incident_id")
    if session_signed(db, incident.meeting_id):
        raise SessionLocked()
    return incident


def update_incident(db: Session, incident_id: int, spec: IncidentSpec) -> IncidentSnap:
    incident = _editable(db, incident_id)
    m = fetch(db, Meeting, incident.meeting_id, "meeting_id")
    (incident.rule_id, ids, incident.what_happened, incident.worked_with,
     incident.status) = _check(db, m, spec)
    db.execute(delete(IncidentMember).where(IncidentMember.incident_id == incident.id))
    db.add_all(IncidentMember(incident_id=incident.id, member_id=i) for i in ids)
    db.flush()
    return get_incident(db, incident.id)


def delete_incident(db: Session, incident_id: int) -> int:
    """Delete an incident recorded by mistake (unsigned session, no follow-up); returns
    its session's id."""
    incident = _editable(db, incident_id)
    if db.scalar(select(exists().where(IncidentFollowUp.incident_id == incident.id))):
        raise InvalidInput("This incident has follow-ups; it can no longer be removed.",
                           "incident_id")
    meeting_id = incident.meeting_id
    db.execute(delete(IncidentMember).where(IncidentMember.incident_id == incident.id))
    db.delete(incident)
    db.flush()
    return meeting_id


def follow_up_incident(db: Session, incident_id: int, on_date: date, status: str, note: str,
                       meeting_id: int | None = None) -> IncidentSnap:
    """A dated change of the incident's follow-up status, with a note (required)."""
    incident = fetch(db, BoundaryIncident, incident_id, "incident_id")
    status = choice(status, FollowUp, "status")
    note = text(note, "note", "the follow-up note", required=True, limit=NOTE_LIMIT)
    session = fetch(db, Meeting, incident.meeting_id, "meeting_id")
    if not isinstance(on_date, date) or on_date < session.starts_at.astimezone().date():
        raise InvalidInput("Date the follow-up on or after the incident's session.", "on_date")
    not_after_today(on_date, "on_date", "the follow-up")
    if meeting_id is not None:
        m = _session(db, meeting_id)
        if m.group_id != incident.group_id:
            raise InvalidInput("That session is not one of this group's.", "meeting_id")
    db.add(IncidentFollowUp(incident_id=incident.id, meeting_id=meeting_id, on_date=on_date,
                            status=status, note=note))
    db.flush()
    return get_incident(db, incident.id)


def incidents_for_meeting(db: Session, meeting_id: int) -> list[IncidentSnap]:
    return _incident_snaps(db, db.scalars(select(BoundaryIncident).where(
        BoundaryIncident.meeting_id == meeting_id).order_by(BoundaryIncident.id)).all())


def group_incidents(db: Session, group_id: int, start: date | None = None,
                    end: date | None = None) -> list[IncidentSnap]:
    """The group's incidents whose session falls in [start, end] (local dates; None: no
    bound): unresolved first, then by session, newest first."""
    rows = db.scalars(select(BoundaryIncident).join(
        Meeting, Meeting.id == BoundaryIncident.meeting_id)
        .where(BoundaryIncident.group_id == group_id)
        .order_by(Meeting.starts_at.desc(), BoundaryIncident.id)).all()
    snaps = [s for s in _incident_snaps(db, rows)
             if (start is None or s.meeting_starts_at.astimezone().date() >= start)
             and (end is None or s.meeting_starts_at.astimezone().date() <= end)]
    return ([s for s in snaps if s.current_status != FollowUp.RESOLVED]
            + [s for s in snaps if s.current_status == FollowUp.RESOLVED])


def member_incidents(db: Session, member_id: int) -> list[IncidentSnap]:
    """Every incident the member was involved in (any group), oldest session first."""
    fetch(db, Member, member_id, "member_id")
    rows = db.scalars(select(BoundaryIncident)
                      .join(IncidentMember, IncidentMember.incident_id == BoundaryIncident.id)
                      .join(Meeting, Meeting.id == BoundaryIncident.meeting_id)
                      .where(IncidentMember.member_id == member_id)
                      .order_by(Meeting.starts_at, BoundaryIncident.id)).all()
    return _incident_snaps(db, rows)


def incident_count(db: Session, group_id: int) -> int:
    return db.scalar(select(func.count()).select_from(BoundaryIncident).where(
        BoundaryIncident.group_id == group_id)) or 0
