"""Gather a group period report and a member extract (the same de-identification as
`collect.py`: every name and free text passes through one Redactor)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from groupleader import factors as factor_vocab
from groupleader.data import clock, paper_codes
from groupleader.data.operations import query
from groupleader.data.services import agreement as agreement_svc
from groupleader.data.services import goals as goals_svc
from groupleader.data.services import meetings as meetings_svc
from groupleader.data.services import members as members_svc
from groupleader.data.services import notes as notes_svc
from groupleader.data.services import risk as risk_svc
from groupleader.data.snapshots import MeetingNotes
from groupleader.data.vault import Vault
from groupleader.errors import InvalidInput
from groupleader.report import collect_register, collect_review
from groupleader.report.collect import (
    ATTENDANCE_LABELS,
    ATTENDED,
    MEMBER_SECTIONS,
    RISK_FOLLOWUP_TITLE,
    Namer,
    People,
    addenda_of,
    deidentified_suffix,
    group_label,
    load_people,
    local,
    meetings_between,
    period_text,
    redactor_for,
    signoff,
    slug,
)
from groupleader.report.measures_section import collect_group_measures, collect_member_measures
from groupleader.report.model import (
    ExtractEntry,
    FactorCount,
    GridRow,
    MemberExtract,
    MembershipChange,
    PeriodReport,
    ReportOptions,
    Section,
    SessionColumn,
)

MARKS = {"present": "P", "late": "L", "absent_notice": "A", "absent_no_notice": "X"}
NOT_RECORDED, NOT_A_MEMBER = "–", ""
CHANGES = {"active": "joined", "graduated": "graduated", "left": "left",
           "transferred": "transferred"}


def _check_range(start: date | None, end: date | None) -> None:
    if start is not None and end is not None and end < start:
        raise InvalidInput("The end of the period is before its start.", "end")


def collect_period(
    vault: Vault, group_id: int, start: date | None, end: date | None,
    options: ReportOptions, people: People | None = None,
) -> PeriodReport:
    """Sessions held, attendance grid, membership changes and factors for a period."""
    _check_range(start, end)
    group_name, kind = group_label(vault, group_id)
    people = people or load_people(vault, group_id)
    namer = Namer(people, redactor_for(people, options))
    sessions = meetings_between(vault, group_id, start, end)
    held = [m for m in sessions if m.status == "held"]
    loaded: list[MeetingNotes] = [query(vault, notes_svc.load_meeting_notes, m.id) for m in held]

    roster = query(vault, members_svc.list_memberships, group_id)
    histories = {r.membership_id: query(vault, members_svc.get_membership, r.membership_id).history
                 for r in roster}
    names = {r.member_id: namer.member(r.member_id, r.display_name) for r in roster}
    marks: dict[tuple[int, int], str] = {}
    for n in loaded:
        for a in n.attendance:
            late = f"{a.minutes_late}" if a.status == "late" and a.minutes_late else ""
            early = (f" E{a.minutes_left_early}" if a.status in ("present", "late")
                     and a.minutes_left_early else "")
            marks[(n.meeting.id, a.member_id)] = MARKS.get(a.status, "?") + late + early

    grid: list[tuple[int, tuple[str, ...], int, int]] = []
    for member_id in sorted(names, key=lambda mid: (names[mid].casefold(), mid)):
        member_histories = [[(c.on_date, c.status) for c in histories[r.membership_id]]
                            for r in roster if r.member_id == member_id]
        cells = []
        for n in loaded:
            day = local(n.meeting.starts_at).date()
            mark = marks.get((n.meeting.id, member_id))
            if mark is None:
                active = any(members_svc.member_on(h, day) for h in member_histories)
                mark = NOT_RECORDED if active else NOT_A_MEMBER
            cells.append(mark)
        if not any(cells) and loaded:
            continue  # not a member at any session of the period
        if not loaded and not any(
            members_svc.status_on(h, end or date.max) == "active" for h in member_histories):
            continue
        attended = sum(1 for c in cells if c[:1] in ("P", "L"))
        recorded = sum(1 for c in cells if c[:1] in ("P", "L", "A", "X"))
        grid.append((member_id, tuple(cells), attended, recorded))

    changes = []
    for r in roster:
        for ch in histories[r.membership_id]:
            in_range = (start is None or ch.on_date >= start) and (end is None
                                                                  or ch.on_date <= end)
            if in_range and ch.status in CHANGES:
                changes.append((ch.on_date, r.member_id, CHANGES[ch.status],
                                namer.text(ch.reason).strip() or "No reason recorded"))
    changes.sort(key=lambda c: (c[0], names[c[1]].casefold()))
    # An open start or end ("all sessions") reaches to the first or last record shown.
    days = [local(m.starts_at).date() for m in sessions] + [c[0] for c in changes]
    shown_start = start or (min(days) if days else None)
    shown_end = end or (max(days) if days else None)

    counter: Counter[str] = Counter()
    noted = 0
    for n in loaded:
        if n.group_note is not None:
            noted += 1
            counter.update(k for k in set(n.group_note.fields.factors)
                           if factor_vocab.is_factor(k))
    order = {f.key: i for i, f in enumerate(factor_vocab.FACTORS)}
    factor_counts = tuple(
        FactorCount(factor_vocab.factor(k).label, c)
        for k, c in sorted(counter.items(), key=lambda kc: (-kc[1], order[kc[0]])))

    by_id = {n.meeting.id: n for n in loaded}
    stage_names, factor_names, points = collect_review.stage_points(loaded)
    # The register: every entry open at some time in the period, with its reviews up to
    # its end; "open" and "overdue" as of that end (today, if the period reaches past it).
    as_of = min(end or clock.today(), clock.today())

    mentioned: set[int] = set()

    def label(member_id: int, name: str) -> str:
        """The member's name; the legal name with it where the report first names them
        (the sections below are named in the order they print)."""
        shown = names.get(member_id) or namer.member(member_id, name)
        if member_id in mentioned:
            return shown
        mentioned.add(member_id)
        return namer.legal(member_id, shown)

    numbers = {m.id: m.label for m in query(vault, meetings_svc.list_meetings, group_id)}
    register = collect_register.register_lines(
        query(vault, risk_svc.register, group_id, start, end), as_of, namer, label,
        lambda meeting_id: numbers.get(meeting_id, ""))
    incidents = collect_register.incident_lines(
        query(vault, agreement_svc.group_incidents, group_id, start, end), namer, label)
    rows = [GridRow(label(mid, names[mid]), cells, attended, recorded)
            for mid, cells, attended, recorded in grid]
    absences = collect_register.absence_lines(loaded, namer, label)
    spoken, with_interactions = collect_review.participation(
        loaded, list(names), lambda mid: label(mid, names[mid]))
    named_changes = [(d, label(mid, names[mid]), what, why) for d, mid, what, why in changes]
    period = period_text(shown_start, shown_end, sessions)
    return PeriodReport(
        practice=options.practice.strip(),
        group_name=namer.text(group_name),
        group_kind=kind,
        period_text=period,
        sessions=tuple(SessionColumn(str(n.meeting.number),
                                     f"{local(n.meeting.starts_at).day} "
                                     f"{local(n.meeting.starts_at):%b}") for n in loaded),
        session_lines=tuple(collect_review.session_lines(sessions, by_id)),
        cancelled=sum(1 for m in sessions if m.status == "cancelled"),
        grid=tuple(rows),
        changes=tuple(MembershipChange(f"{d.day} {d:%b %Y}", who, what, why)
                      for d, who, what, why in named_changes),
        factors=factor_counts,
        noted_sessions=noted,
        held=len(held),
        documentation=collect_review.documentation(loaded),
        participation=tuple(spoken),
        interaction_sessions=with_interactions,
        stage_names=stage_names,
        factor_names=factor_names,
        stage_points=points,
        risk_entries=tuple(register),
        incidents=tuple(incidents),
        absences=tuple(absences),
        as_of_text=f"{as_of.day} {as_of:%b %Y}",
        deidentified=options.deidentify,
        file_stem=f"{slug(namer.text(group_name))}-period-"
                  f"{(start.isoformat() if start else 'start')}-"
                  f"{(end.isoformat() if end else 'end')}" + deidentified_suffix(options),
        measures=collect_group_measures(vault, group_id, start, end),
    )


GOALS_TITLE = "Goals (rated this session)"


def _goal_section(vault: Vault, membership_ids: list[int], meeting_id: int,
                  namer: Namer) -> tuple[Section | None, bool]:
    """The member's goals in force at the session, each with the session's rating (the
    goals the note ties back to; None when the member had no goals then), and whether any
    was rated."""
    lines, any_rated = [], False
    for ms_id in membership_ids:
        for r in query(vault, goals_svc.goals_at, ms_id, meeting_id):
            label = goals_svc.rating_label(r.goal.scale, r.value)
            any_rated = any_rated or r.value is not None
            lines.append(f"{r.goal.position}. {namer.text(r.goal.text)}: {label}")
    return (Section(GOALS_TITLE, "; ".join(lines)) if lines else None), any_rated


def collect_member_extract(
    vault: Vault, group_id: int, member_id: int, start: date | None, end: date | None,
    options: ReportOptions, people: People | None = None,
) -> MemberExtract:
    """One member's attendance and member notes; every other member only by initials."""
    _check_range(start, end)
    group_name, _kind = group_label(vault, group_id)
    people = people or load_people(vault, group_id)
    subject = people.by_id.get(member_id)
    memberships = [ms for ms in query(vault, members_svc.membership_history, member_id)
                   if ms.group_id == group_id]
    histories = [[(c.on_date, c.status) for c in ms.history] for ms in memberships]
    if subject is None or not histories:
        raise InvalidInput("That member has never been on this group's roster.", "member_id")
    namer = Namer(people, redactor_for(people, options, keep={member_id}))
    name = namer.legal(member_id, subject.full_name)
    born = "" if namer.redactor.hides(member_id) or subject.dob is None else (
        f"{subject.dob.day} {subject.dob:%b %Y}")

    entries = []
    attended = recorded = 0
    draft = False
    shown_notes: list[int] = []
    for m in meetings_between(vault, group_id, start, end):
        if m.status != "held":
            continue
        day = local(m.starts_at).date()
        n = query(vault, notes_svc.load_meeting_notes, m.id)
        row = next((a for a in n.attendance if a.member_id == member_id), None)
        note = next((x for x in n.member_notes if x.member_id == member_id), None)
        active = any(members_svc.member_on(h, day) for h in histories)
        if row is None and note is None and not active:
            continue
        if row is not None:
            recorded += 1
            attended += row.status in ATTENDED
        sections: tuple[Section, ...] = ()
        if note is not None:
            sections = tuple(Section(title, namer.text(getattr(note.fields, key)))
                             for key, title in MEMBER_SECTIONS
                             if getattr(note.fields, key).strip())
            follow = note.fields.risk_followup.strip()
            if follow:
                sections += (Section(RISK_FOLLOWUP_TITLE, namer.text(follow)),)
            draft = draft or not note.status.signed
            shown_notes.append(note.id)
        rated, any_rated = _goal_section(vault, [ms.id for ms in memberships], m.id, namer)
        if rated is not None and (note is not None or any_rated):
            sections += (rated,)
        t = local(m.starts_at)
        entries.append(ExtractEntry(
            session_label=m.label, date_text=f"{t:%a} {t.day} {t:%b %Y %H:%M}",
            attendance=ATTENDANCE_LABELS.get(row.status if row else None, "Not recorded")
            + (f", {row.minutes_late} min" if row and row.minutes_late else "")
            + (f", left {row.minutes_left_early} min early"
               if row and row.minutes_left_early else "")
            + (f". {detail}" if (detail := collect_register.attendance_detail(row, namer))
               else ""),
            sections=sections,
            risk_flag=bool(note and note.fields.risk_flag),
            signoff=signoff(note.status) if note else signoff(None),
            addenda=tuple(addenda_of("Member note", note.status, namer)) if note else (),
        ))
    # The period ends at the last session held: a scheduled one has not happened yet
    held = [m for m in meetings_between(vault, group_id, start, end) if m.status == "held"]
    if held and (end is None or end > clock.today()):
        end = min(end or date.max, local(held[-1].starts_at).date())
    sessions = [m for m in meetings_between(vault, group_id, start, end)]
    as_of = min(end or clock.today(), clock.today())

    def label(mid: int, display: str) -> str:
        return name if mid == member_id else namer.member(mid, display)

    numbers = {m.id: m.label for m in sessions}
    register = collect_register.register_lines(
        [e for e in query(vault, risk_svc.register, group_id, start, end)
         if e.member_id == member_id], as_of, namer, label,
        lambda meeting_id: numbers.get(meeting_id, ""))
    incidents = collect_register.incident_lines(
        [i for i in query(vault, agreement_svc.group_incidents, group_id, start, end)
         if member_id in i.member_ids], namer, label)
    return MemberExtract(
        practice=options.practice.strip(),
        group_name=namer.text(group_name),
        member_name=name,
        period_text=period_text(start, end, held),
        attended=attended,
        recorded=recorded,
        entries=tuple(entries),
        deidentified=options.deidentify,
        draft=draft,
        file_stem=f"{slug(namer.text(group_name))}-member-extract-{member_id}"
                  + deidentified_suffix(options),
        paper_code=query(vault, paper_codes.extract_code, group_id, member_id, shown_notes),
        measures=collect_member_measures(vault, group_id, member_id, start, end),
        member_dob=born,
        risk_entries=tuple(register),
        incidents=tuple(incidents),
        as_of_text=f"{as_of.day} {as_of:%b %Y}",
    )
