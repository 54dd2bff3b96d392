"""`notes.load_meeting_notes` gives, for every kind of session, exactly the snapshot its
ORM implementation gave (kept below as the reference, `_reference_load`, as it was before
the reads became columns): field for field, the whole `MeetingNotes`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from groupleader.data import clock
from groupleader.data.models import (
    Addendum,
    Attendance,
    Clinician,
    Group,
    GroupLeader,
    Interaction,
    Meeting,
    MeetingLeader,
    MeetingNote,
    Member,
    MemberNote,
    Membership,
    PrivateNote,
    Seat,
    Signature,
)
from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.operations import register as ops_register
from groupleader.data.operations import roster as ops_roster
from groupleader.data.operations import seating as ops_seating
from groupleader.data.register_snapshots import AttendanceDetails
from groupleader.data.services import amendments as amendments_svc
from groupleader.data.services import notes
from groupleader.data.services._common import course_place, fetch
from groupleader.data.snapshots import (
    AddendumSnap,
    AttendanceRow,
    ChairSnap,
    ChairSpec,
    ClinicianSnap,
    ClinicianSpec,
    GroupNoteFields,
    GroupNoteSnap,
    GroupSnap,
    GroupSpec,
    InteractionCount,
    InteractionSnap,
    MeetingNotes,
    MeetingSnap,
    MemberNoteFields,
    MemberNoteSnap,
    MemberSpec,
    NoteStatus,
    Party,
    PrivateNoteSnap,
)
from groupleader.data.vault import Vault
from groupleader.errors import InvalidInput
from tests.conftest import PASSPHRASE, PIN, TEST_KDF_ITER, give_pins

# ---------------------------------------------------------------- the reference (ORM)


def _ref_clinician(c: Clinician) -> ClinicianSnap:
    return ClinicianSnap(id=c.id, name=c.name, role=str(c.role), credentials=c.credentials,
                         has_pin=bool(c.pin_hash))


def _ref_statuses(db: Session, kind: str, note_ids: list[int]) -> dict[int, NoteStatus]:
    column = notes.SIGNATURE_COLUMN[kind]
    sigs = db.scalars(select(Signature).where(column.in_(note_ids))).all() if note_ids else []
    if not sigs:
        return {}
    addenda = db.scalars(select(Addendum).where(Addendum.signature_id.in_([s.id for s in sigs]))
                         .order_by(Addendum.created_at, Addendum.id)).all()
    people = {s.signed_by_id for s in sigs} | {s.cosigned_by_id for s in sigs} | {
        a.clinician_id for a in addenda}
    who = {c.id: _ref_clinician(c)
           for c in db.scalars(select(Clinician).where(Clinician.id.in_(people - {None})))}
    result = {}
    for s in sigs:
        result[getattr(s, column.key)] = NoteStatus(
            signed_by=who[s.signed_by_id], signed_at=s.signed_at,
            cosigned_by=who.get(s.cosigned_by_id) if s.cosigned_by_id else None,
            cosigned_at=s.cosigned_at,
            addenda=tuple(AddendumSnap(a.id, a.clinician_id, who[a.clinician_id].name,
                                       a.created_at, a.text, str(a.kind), a.change)
                          for a in addenda if a.signature_id == s.id),
        )
    return result


def _ref_status(db: Session, kind: str, note_id: int) -> NoteStatus:
    return _ref_statuses(db, kind, [note_id]).get(note_id, NoteStatus())


def _ref_group(db: Session, g: Group) -> GroupSnap:
    leaders = db.scalars(
        select(Clinician).join(GroupLeader, GroupLeader.clinician_id == Clinician.id)
        .where(GroupLeader.group_id == g.id).order_by(GroupLeader.position))
    return GroupSnap(
        id=g.id, name=g.name, kind=str(g.kind), format=str(g.format),
        sessions_per_cycle=g.sessions_per_cycle, weekday=g.weekday, start_time=g.start_time,
        length_minutes=g.length_minutes, room=g.room, target_size=g.target_size,
        max_size=g.max_size, min_size=g.min_size, agreement=g.agreement, archived=g.archived,
        leaders=tuple(_ref_clinician(c) for c in leaders))


def _ref_meeting(db: Session, m: Meeting, sessions_per_cycle: int | None) -> MeetingSnap:
    before = 0
    if m.cycle is not None:
        before = db.scalar(select(func.count()).select_from(Meeting).where(
            Meeting.group_id == m.group_id, Meeting.number < m.number,
            Meeting.status != "cancelled")) or 0
    leaders = db.scalars(
        select(Clinician).join(MeetingLeader, MeetingLeader.clinician_id == Clinician.id)
        .where(MeetingLeader.meeting_id == m.id).order_by(Clinician.name))
    cycle = number_in_cycle = None
    if m.cycle is not None and sessions_per_cycle and m.status != "cancelled":
        cycle, number_in_cycle = course_place(before, sessions_per_cycle)
    return MeetingSnap(
        id=m.id, group_id=m.group_id, number=m.number, cycle=cycle,
        number_in_cycle=number_in_cycle, sessions_per_cycle=sessions_per_cycle,
        starts_at=m.starts_at, length_minutes=m.length_minutes, status=str(m.status),
        topic=m.topic, leaders=tuple(_ref_clinician(c) for c in leaders))


def _ref_attendance(db: Session, meeting_id: int) -> list[AttendanceRow]:
    rows = db.execute(
        select(Attendance, Membership, Member)
        .join(Membership, Membership.id == Attendance.membership_id)
        .join(Member, Member.id == Membership.member_id)
        .where(Attendance.meeting_id == meeting_id))
    result = [AttendanceRow(
        mem.id, ms.id, mem.preferred_name or mem.full_name, ms.pseudonym, a.status,
        a.minutes_late, minutes_left_early=a.minutes_left_early,
        absence_reason=a.absence_reason or "", contacted=bool(a.contacted),
        contacted_on=a.contacted_on, contact_note=a.contact_note or "")
        for a, ms, mem in rows]
    overlay = {ms_id: mark for (_mid, ms_id), mark in
               amendments_svc.attendance_overlay(db, meeting_ids=[meeting_id]).items()}
    if overlay:
        amended = []
        for r in result:
            mark = overlay.pop(r.membership_id, None)
            amended.append(r if mark is None else replace(
                r, status=mark[0], minutes_late=mark[1], amended=True,
                recorded_status=r.status, recorded_minutes_late=r.minutes_late))
        if overlay:
            for ms, mem in db.execute(select(Membership, Member)
                                      .join(Member, Member.id == Membership.member_id)
                                      .where(Membership.id.in_(list(overlay)))):
                status, minutes = overlay[ms.id]
                amended.append(AttendanceRow(mem.id, ms.id, mem.preferred_name or mem.full_name,
                                             ms.pseudonym, status, minutes, amended=True))
        result = amended
    return sorted(result, key=lambda r: (r.display_name.casefold(), r.member_id))


def _ref_seating(db: Session, meeting_id: int) -> list[ChairSnap]:
    rows = db.execute(
        select(Seat, Member, Clinician)
        .outerjoin(Member, Member.id == Seat.member_id)
        .outerjoin(Clinician, Clinician.id == Seat.clinician_id)
        .where(Seat.meeting_id == meeting_id).order_by(Seat.position))
    group_id = select(Meeting.group_id).where(Meeting.id == meeting_id).scalar_subquery()
    pseudonyms = {member_id: pseudonym for member_id, pseudonym in db.execute(
        select(Membership.member_id, Membership.pseudonym).where(Membership.group_id == group_id))}
    result = []
    for seat, member, clinician in rows:
        if member is not None:
            label = member.preferred_name or member.full_name
        else:
            label = clinician.name if clinician is not None else ""
        result.append(ChairSnap(seat.position, seat.member_id, seat.clinician_id, label,
                                pseudonyms.get(seat.member_id, "") if member else ""))
    return result


def _ref_interactions(db: Session, meeting_id: int) -> list[InteractionCount]:
    found = []
    for row in db.scalars(select(Interaction).where(Interaction.meeting_id == meeting_id)
                          .order_by(Interaction.id)):
        to = None
        if row.to_member_id is not None or row.to_clinician_id is not None:
            to = Party(row.to_member_id, row.to_clinician_id)
        found.append(InteractionSnap(row.id, Party(row.from_member_id, row.from_clinician_id), to))
    counter = Counter((i.speaker, i.to) for i in found)
    return [InteractionCount(speaker, to, n) for (speaker, to), n in counter.most_common()]


def _ref_member_fields(n: MemberNote) -> MemberNoteFields:
    return MemberNoteFields(
        participation=n.participation, goals=n.goals, response=n.response,
        risk_flag=n.risk_flag, risk_followup=n.risk_followup, plan=n.plan)


def _reference_load(db: Session, meeting_id: int, include_private: bool = False) -> MeetingNotes:
    """`load_meeting_notes` as the ORM implementation read it (issue #18's starting point)."""
    m = fetch(db, Meeting, meeting_id, "meeting_id")
    group = fetch(db, Group, m.group_id, "group_id")
    gnote = db.scalars(select(MeetingNote).where(MeetingNote.meeting_id == m.id)).first()
    rows = db.execute(
        select(MemberNote, Member, Membership.pseudonym)
        .join(Member, Member.id == MemberNote.member_id)
        .outerjoin(Membership,
                   (Membership.member_id == Member.id) & (Membership.group_id == m.group_id))
        .where(MemberNote.meeting_id == m.id)).all()
    mnotes = {n.id: (n, member, pseudonym or "") for n, member, pseudonym in rows}
    statuses = _ref_statuses(db, "member", list(mnotes))
    member_notes = sorted(
        (MemberNoteSnap(n.id, n.meeting_id, n.member_id, member.preferred_name or member.full_name,
                        pseudonym, _ref_member_fields(n), n.updated_at,
                        statuses.get(n.id, NoteStatus()))
         for n, member, pseudonym in mnotes.values()),
        key=lambda s: (s.display_name.casefold(), s.member_id))
    private = None
    if include_private:
        p = db.scalars(select(PrivateNote).where(PrivateNote.meeting_id == m.id)).first()
        if p is not None:
            private = PrivateNoteSnap(p.id, p.meeting_id, p.author_id, p.text, p.updated_at,
                                      _ref_status(db, "private", p.id))
    group_note = None
    if gnote is not None:
        group_note = GroupNoteSnap(gnote.id, gnote.meeting_id, GroupNoteFields(
            themes=gnote.themes, here_and_now=gnote.here_and_now,
            interventions=gnote.interventions, factors=tuple(gnote.factors), stage=gnote.stage,
            critical_incidents=gnote.critical_incidents,
            boundary_incidents=gnote.boundary_incidents, risk=gnote.risk, plan=gnote.plan),
            gnote.updated_at, _ref_status(db, "group", gnote.id))
    return MeetingNotes(
        group=_ref_group(db, group),
        meeting=_ref_meeting(db, m, group.sessions_per_cycle),
        attendance=tuple(_ref_attendance(db, m.id)),
        seating=tuple(_ref_seating(db, m.id)),
        interactions=tuple(_ref_interactions(db, m.id)),
        group_note=group_note,
        member_notes=tuple(member_notes),
        private_note=private,
        private_included=include_private,
    )


# ---------------------------------------------------------------- the sessions


JOINED = date(2025, 1, 6)


def day(month: int, d: int, hour: int = 17) -> datetime:
    return datetime(2025, month, d, hour, 0, tzinfo=UTC)


@dataclass
class Practice:
    """Ids of the sessions built, each standing for one variant."""

    vault: Vault
    sessions: dict[str, int] = field(default_factory=dict)  # variant -> meeting id
    members: dict[str, int] = field(default_factory=dict)  # first name -> member id


def _member(vault: Vault, p: Practice, full: str, preferred: str = "") -> int:
    member_id = ops_roster.create_member(vault, MemberSpec(full, preferred_name=preferred)).value.id
    p.members[full.split()[0].lower()] = member_id
    return member_id


def build_practice(vault: Vault) -> Practice:
    p = Practice(vault)
    lead = ops_groups.create_clinician(vault, ClinicianSpec("Ada Leader", "leader", "PhD")).value.id
    co = ops_groups.create_clinician(vault, ClinicianSpec("Ben Co", "co_leader")).value.id
    sup = ops_groups.create_clinician(vault, ClinicianSpec("Sam Super", "supervisor",
                                                           "LCSW")).value.id
    nopin = ops_groups.create_clinician(vault, ClinicianSpec("Dee NoPin", "leader")).value.id
    give_pins(vault, lead, co, sup)
    # a course (numbered in cycles of 3), its leaders listed co-leader first
    course = ops_groups.create_group(vault, GroupSpec(
        "Tuesday course", "psychoeducational", (co, lead), format="fixed",
        sessions_per_cycle=3, weekday=1, start_time=time(18, 0), room="Room 2",
        agreement="Confidentiality.")).value.id
    other = ops_groups.create_group(vault, GroupSpec(
        "Thursday group", "support", (nopin,), weekday=3, start_time=time(17, 30))).value.id

    anna = _member(vault, p, "Anna Lee", "Annie")
    bo = _member(vault, p, "Bo Kim")
    cara = _member(vault, p, "Cara Dunn")  # C.D. in the course, so Cy is C.D.2 there
    cy = _member(vault, p, "Cy Doe")  # in both groups: C.D.2 in the course, C.D. in the other
    dan = _member(vault, p, "Dan Eel")
    eve = _member(vault, p, "Eve Fox")  # her pseudonym in the course is empty
    fay = _member(vault, p, "Fay Gill")  # leaves the course, then rejoins it
    sky1 = _member(vault, p, "Skye One", "sky")  # two members shown by the same name
    sky2 = _member(vault, p, "Skye Two", "Sky")  # but for case: in the order of their ids
    outsider = _member(vault, p, "Out Sider")  # no membership: a note written before one
    ms: dict[int, int] = {}
    for member_id in (anna, bo, cara, cy, dan, eve, fay, sky1, sky2):
        ms[member_id] = ops_roster.add_membership(vault, member_id, course, "active",
                                                  JOINED).value.id
    ops_roster.add_membership(vault, cy, other, "active", JOINED)
    with vault.unit_of_work() as db:
        db.execute(sql("UPDATE memberships SET pseudonym = '' WHERE id = :id"), {"id": ms[eve]})

    def session(name: str, group: int, when: datetime, leaders: tuple[int, ...] | None = None,
                topic: str = "") -> int:
        mid = ops_meetings.schedule_meeting(vault, group, when, topic=topic).value.id
        ops_meetings.hold_meeting(vault, mid, leaders)
        p.sessions[name] = mid
        return mid

    def member_note(mid: int, member_id: int, text: str, risk: bool = False) -> int:
        return ops_notes.save_member_note(vault, mid, member_id, MemberNoteFields(
            participation=text, goals="goals " + text, response="response", risk_flag=risk,
            risk_followup="call" if risk else "", plan="plan " + text)).value.id

    def sign(kind: str, note_id: int, by: int, at: datetime) -> None:
        with clock.frozen_at(at):
            ops_notes.sign_note(vault, kind, note_id, by, pin=PIN)

    def addendum(kind: str, note_id: int, by: int, at: datetime, text: str) -> None:
        with clock.frozen_at(at):
            ops_notes.add_addendum(vault, kind, note_id, by, text, pin=PIN)

    # 1: all drafts, seating and interactions, a private note not signed
    s1 = session("draft", course, day(3, 4), topic="Trust")
    ops_meetings.record_attendance_many(vault, s1, [
        (anna, "present", None), (bo, "late", 10), (cy, "absent_notice", None),
        (dan, "absent_no_notice", None), (eve, "present", None), (fay, "present", None),
        (sky1, "present", None), (sky2, "present", None)])
    ops_register.set_attendance_details(vault, s1, dan, AttendanceDetails(
        absence_reason="unwell", contacted=True, contacted_on=date(2025, 3, 5),
        contact_note="will come next week"))
    ops_register.set_attendance_details(vault, s1, eve, AttendanceDetails(minutes_left_early=15))
    ops_seating.save_seating(vault, s1, [
        ChairSpec(clinician_id=lead), ChairSpec(member_id=cy), ChairSpec(),
        ChairSpec(member_id=eve), ChairSpec(member_id=anna), ChairSpec(member_id=bo),
        ChairSpec(clinician_id=co)])
    ops_seating.add_interactions(vault, s1, [
        (Party(member_id=anna), Party(member_id=bo)), (Party(member_id=bo), None),
        (Party(member_id=anna), Party(member_id=bo)), (Party(clinician_id=lead), None),
        (Party(member_id=eve), Party(clinician_id=co)), (Party(member_id=bo), None),
        (Party(member_id=anna), Party(member_id=bo))])
    ops_notes.save_group_note(vault, s1, GroupNoteFields(
        themes="trust", factors=("hope", "universality"), stage="orientation", plan="more"))
    for member_id, text in ((anna, "spoke"), (bo, "late"), (eve, "quiet"), (fay, "left early"),
                            (sky1, "one"), (sky2, "two")):
        member_note(s1, member_id, text, risk=member_id == bo)
    with vault.unit_of_work() as db:  # a note of someone the group never had (old data)
        db.execute(sql(
            "INSERT INTO member_notes (meeting_id, member_id, participation, goals, response, "
            "risk_flag, risk_followup, plan, updated_at) VALUES (:m, :who, 'before', '', '', "
            "0, '', '', '2025-03-04 20:00:00.000000')"), {"m": s1, "who": outsider})
    ops_notes.save_private_note(vault, s1, "process: draft", lead)

    # 2: cancelled (a course session without a course number)
    p.sessions["cancelled"] = ops_meetings.schedule_meeting(vault, course, day(3, 11)).value.id
    ops_meetings.cancel_meeting(vault, p.sessions["cancelled"])

    # 3: signed, with addenda out of id order, amendments of attendance (one laid over a
    # mark, one for a member with no mark, one mark amended twice), a signed private note
    s3 = session("signed", course, day(3, 18), leaders=(lead, nopin))
    ops_meetings.record_attendance_many(vault, s3, [
        (anna, "present", None), (bo, "absent_notice", None), (cy, "present", None),
        (eve, "late", 5), (fay, "present", None)])
    ops_seating.save_seating(vault, s3, [ChairSpec(member_id=cy), ChairSpec(member_id=fay)])
    ops_seating.add_interaction(vault, s3, Party(member_id=cy), Party(member_id=fay))
    g3 = ops_notes.save_group_note(vault, s3, GroupNoteFields(
        themes="loss", here_and_now="silence", interventions="linking",
        factors=("catharsis",), stage="working", critical_incidents="none",
        boundary_incidents="phone", risk="low", plan="ending")).value.id
    n3 = {who: member_note(s3, who, text) for who, text in
          ((anna, "open"), (cy, "both groups"), (fay, "before leaving"), (eve, "late"))}
    private3 = ops_notes.save_private_note(vault, s3, "process: signed", co).value.id
    sign("group", g3, lead, day(3, 19))
    sign("member", n3[anna], lead, day(3, 19))
    sign("member", n3[cy], co, day(3, 19, 18))
    sign("member", n3[fay], lead, day(3, 20))
    sign("private", private3, co, day(3, 19))
    addendum("group", g3, co, day(3, 25), "later thought")
    addendum("member", n3[anna], lead, day(3, 21), "phoned")
    with clock.frozen_at(day(3, 22)):  # added after the addendum above, dated before it
        ops_notes.add_amendment(vault, s3, lead, {
            "field": "attendance", "member_id": bo, "to": "present",
            "to_minutes_late": None}, "she was there", pin=PIN)
        ops_notes.add_amendment(vault, s3, lead, {
            "field": "attendance", "member_id": dan, "to": "late",
            "to_minutes_late": 20}, "came late, not marked", pin=PIN)
    with clock.frozen_at(day(3, 23)):
        ops_notes.add_amendment(vault, s3, co, {
            "field": "attendance", "member_id": bo, "to": "late",
            "to_minutes_late": 10}, "late after all", pin=PIN)
        ops_notes.add_amendment(vault, s3, co, {
            "field": "seating", "description": "Fay sat by the door"}, "seen on video", pin=PIN)
    addendum("private", private3, co, day(3, 21), "process addendum")
    with clock.frozen_at(day(3, 26)):
        ops_notes.cosign_note(vault, "member", n3[cy], sup, pin=PIN)
    ops_roster.change_status(vault, ms[fay], "left", date(2025, 3, 20), "moved")

    # 4: signed and co-signed, an addendum after the co-signature; Fay back (a second
    # membership in the group, the same pseudonym)
    again = ops_roster.rejoin(vault, ms[fay], date(2025, 3, 24), "active").value.id
    assert again != ms[fay]
    s4 = session("cosigned", course, day(3, 25), topic="Endings")
    ops_meetings.record_attendance_many(vault, s4, [(fay, "present", None),
                                                    (anna, "present", None)])
    g4 = ops_notes.save_group_note(vault, s4, GroupNoteFields(themes="endings")).value.id
    n4 = member_note(s4, fay, "back again")
    member_note(s4, anna, "draft beside signed")
    sign("group", g4, co, day(3, 26))
    sign("member", n4, co, day(3, 26))
    with clock.frozen_at(day(3, 27)):
        ops_notes.cosign_note(vault, "group", g4, sup, pin=PIN)
    addendum("group", g4, lead, day(3, 28), "after review")

    # 5: held, attendance only: no note of any kind; 6: scheduled, nothing at all
    s5 = session("no notes", course, day(4, 1))
    ops_meetings.record_attendance(vault, s5, anna, "present")
    p.sessions["scheduled"] = ops_meetings.schedule_meeting(vault, course, day(4, 8)).value.id

    # the other group: Cy as C.D., seated, a signed note
    t1 = session("other group", other, day(3, 6))
    ops_meetings.record_attendance(vault, t1, cy, "present")
    ops_seating.save_seating(vault, t1, [ChairSpec(clinician_id=nopin), ChairSpec(member_id=cy)])
    sign("member", member_note(t1, cy, "in the other group"), lead, day(3, 7))
    return p


@pytest.fixture(scope="module")
def practice(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Practice]:
    """Built once (it takes a few seconds): the tests only read it."""
    path: Path = tmp_path_factory.mktemp("notes") / "practice.vault"
    with Vault.create(path, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER) as vault:
        yield build_practice(vault)


VARIANTS = ("draft", "cancelled", "signed", "cosigned", "no notes", "scheduled",
            "other group")


@pytest.mark.parametrize("include_private", [False, True])
@pytest.mark.parametrize("variant", VARIANTS)
def test_the_snapshot_is_the_orm_snapshot_field_for_field(
    practice: Practice, variant: str, include_private: bool
) -> None:
    mid = practice.sessions[variant]
    loaded = query(practice.vault, notes.load_meeting_notes, mid, include_private=include_private)
    assert loaded == query(practice.vault, _reference_load, mid, include_private)


def test_the_practice_holds_every_variant(practice: Practice) -> None:
    """The comparison above would hold trivially for sessions without the variants: this
    says they are there."""
    v, s, who = practice.vault, practice.sessions, practice.members
    draft = query(v, notes.load_meeting_notes, s["draft"], include_private=True)
    assert draft.meeting.cycle == 1 and draft.meeting.number_in_cycle == 1
    assert draft.group.leaders[0].name == "Ben Co" and draft.meeting.leaders[0].name == "Ada Leader"
    assert draft.group_note is not None and draft.group_note.status.state == "draft"
    assert draft.private_note is not None and not draft.private_note.status.signed
    by_member = {n.member_id: n for n in draft.member_notes}
    assert by_member[who["anna"]].display_name == "Annie"
    assert by_member[who["bo"]].display_name == "Bo Kim" and by_member[who["bo"]].pseudonym
    assert by_member[who["eve"]].pseudonym == "" and by_member[who["out"]].pseudonym == ""
    assert [n.display_name for n in draft.member_notes if n.display_name.lower() == "sky"] == [
        "sky", "Sky"]
    assert {c.pseudonym for c in draft.seating if c.member_id == who["cy"]} == {"C.D.2"}
    assert any(c.clinician_id for c in draft.seating) and any(
        c.member_id is None and c.clinician_id is None for c in draft.seating)
    assert max(c.count for c in draft.interactions) == 3
    assert any(r.contacted and r.contact_note for r in draft.attendance)
    assert query(v, notes.load_meeting_notes, s["cancelled"]).meeting.status == "cancelled"

    signed = query(v, notes.load_meeting_notes, s["signed"], include_private=True)
    assert signed.meeting.number_in_cycle == 2  # the cancelled session before it has none
    assert [c.has_pin for c in signed.meeting.leaders] == [True, False]
    assert signed.group_note is not None
    addenda = signed.group_note.status.addenda
    assert [a.created_at for a in addenda] == sorted(a.created_at for a in addenda)
    assert [a.id for a in addenda] != sorted(a.id for a in addenda)  # created out of order
    assert {a.kind for a in addenda} == {"addendum", "amendment"}
    marks = {r.member_id: r for r in signed.attendance}
    assert (marks[who["bo"]].status, marks[who["bo"]].minutes_late) == ("late", 10)
    assert marks[who["bo"]].recorded_status == "absent_notice"
    assert marks[who["dan"]].amended and marks[who["dan"]].recorded_status is None
    cy_note = next(n for n in signed.member_notes if n.member_id == who["cy"])
    assert cy_note.pseudonym == "C.D.2" and cy_note.status.state == "cosigned"
    assert cy_note.status.cosigned_by is not None and cy_note.status.cosigned_by.credentials
    assert signed.private_note is not None and signed.private_note.status.addenda

    cosigned = query(v, notes.load_meeting_notes, s["cosigned"])
    assert cosigned.group_note is not None and cosigned.group_note.status.state == "cosigned"
    assert {n.status.state for n in cosigned.member_notes} == {"signed", "draft"}
    none = query(v, notes.load_meeting_notes, s["no notes"], include_private=True)
    assert none.group_note is None and none.member_notes == () and none.private_note is None
    assert none.attendance and none.seating == ()
    other = query(v, notes.load_meeting_notes, s["other group"])
    assert [n.pseudonym for n in other.member_notes] == ["C.D."]
    assert [c.pseudonym for c in other.seating if c.member_id] == ["C.D."]


@pytest.mark.parametrize("meeting_id", [10_000, "1", None, 1.0])
def test_a_missing_session_is_refused_as_fetch_refuses_it(
    practice: Practice, meeting_id: object
) -> None:
    with pytest.raises(InvalidInput) as new:
        query(practice.vault, notes.load_meeting_notes, meeting_id)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput) as old:
        query(practice.vault, _reference_load, meeting_id)  # type: ignore[arg-type]
    assert (new.value.message, new.value.field) == (old.value.message, old.value.field)
    assert new.value.field == "meeting_id"


class _Undo(Exception):
    """Raised to roll a unit of work back."""


def test_what_the_unit_holds_unflushed_is_read_as_the_orm_read_it(practice: Practice) -> None:
    """Read in a unit of work that changed something and did not flush it yet: the
    snapshot shows the change, as the ORM's reads (which flush first) showed it."""
    mid, v = practice.sessions["draft"], practice.vault
    with pytest.raises(_Undo), v.unit_of_work() as db:
        db.get_one(Meeting, mid).topic = "Changed"
        new = notes.load_meeting_notes(db, mid)
        old = _reference_load(db, mid)
        raise _Undo
    assert new == old and new.meeting.topic == "Changed"
    assert query(v, notes.load_meeting_notes, mid).meeting.topic == "Trust"
