"""A small clinic in a real vault: two sessions of one group with every kind of record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pytest

from groupleader.data.services import clinicians, groups, meetings, members, notes, seating
from groupleader.data.snapshots import (
    ChairSpec,
    ClinicianSpec,
    GroupNoteFields,
    GroupSpec,
    MemberNoteFields,
    MemberSpec,
    Party,
)
from groupleader.data.vault import Vault

ODD_NAME = "Tom & Jerry <b>O'Neil</b> 😀 שלום"
PROCESS_TEXT = "PROCESS-NOTE countertransference: I felt pulled to rescue."


@dataclass(frozen=True)
class Clinic:
    vault: Vault
    group_id: int
    draft_meeting: int  # session 1: nothing signed
    signed_meeting: int  # session 2: every note signed and co-signed, with an addendum
    members: dict[str, int]  # full name -> member id
    specs: tuple[MemberSpec, ...]
    leader: int
    supervisor: int


SPECS = (
    MemberSpec(ODD_NAME, phone="+1 555 010 9999", email="tom.jerry@example.org",
               dob=date(1991, 7, 4), emergency_contact="Nora Quill 555 010 8888"),
    MemberSpec("Maria Kowalski", preferred_name="Mia", phone="+44 7700 900123",
               email="maria.k@example.org", dob=date(1980, 3, 12)),
    MemberSpec("Ольга Петрова", phone="8 800 555 35 35", dob=date(1975, 11, 30)),
    MemberSpec("Νίκος Παπαδόπουλος", email="nikos@example.gr", dob=date(1988, 1, 2)),
    MemberSpec("فاطمة الزهراء", phone="+971 50 123 4567"),
    MemberSpec("Jonas Berg", dob=date(1969, 12, 24)),
)


def at(day: date, hour: int = 18) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0).astimezone()


def build_clinic(vault: Vault) -> Clinic:
    ada = clinicians.create_clinician(vault, ClinicianSpec("Ada Leader", "leader", "PhD"))
    ben = clinicians.create_clinician(vault, ClinicianSpec("Ben Colead", "co_leader"))
    sam = clinicians.create_clinician(vault, ClinicianSpec("Sam Super", "supervisor"))
    group = groups.create_group(vault, GroupSpec(
        "Tuesday Process Group", "psychodynamic", (ada.id, ben.id), room="Room 3 & <B>",
        length_minutes=90))
    ids = {}
    for spec in SPECS:
        m = members.create_member(vault, spec)
        ids[spec.full_name] = m.id
        members.add_membership(vault, m.id, group.id, "active", on_date=date(2025, 1, 6))
    tom, mia = ids[ODD_NAME], ids["Maria Kowalski"]
    olga, nikos = ids["Ольга Петрова"], ids["Νίκος Παπαδόπουλος"]
    fatima = ids["فاطمة الزهراء"]

    s1 = meetings.schedule_meeting(vault, group.id, at(date(2025, 3, 4)), topic="Trust")
    s2 = meetings.schedule_meeting(vault, group.id, at(date(2025, 3, 11)))
    for s in (s1, s2):
        meetings.hold_meeting(vault, s.id)
        meetings.record_attendance(vault, s.id, tom, "present")
        meetings.record_attendance(vault, s.id, mia, "late", 10)
        meetings.record_attendance(vault, s.id, olga, "absent_notice")
        meetings.record_attendance(vault, s.id, nikos, "present")
        meetings.record_attendance(vault, s.id, fatima, "absent_no_notice")
        seating.save_seating(vault, s.id, [
            ChairSpec(clinician_id=ada.id), ChairSpec(member_id=tom), ChairSpec(member_id=mia),
            ChairSpec(), ChairSpec(member_id=nikos), ChairSpec(clinician_id=ben.id)])
        for _ in range(3):
            seating.add_interaction(vault, s.id, Party(member_id=tom), Party(member_id=mia))
        seating.add_interaction(vault, s.id, Party(member_id=mia), Party(member_id=tom))
        for _ in range(2):
            seating.add_interaction(vault, s.id, Party(member_id=nikos), None)
        seating.add_interaction(vault, s.id, Party(clinician_id=ada.id), Party(member_id=nikos))
        gnote = notes.save_group_note(vault, s.id, GroupNoteFields(
            themes="Maria spoke of her sister; Tom answered. Mia's phone is +44 7700 900123.",
            here_and_now="Silence after Νίκος (nikos@example.gr) spoke of 1988-01-02.",
            interventions="Linked Jonas Berg's absence to the theme of <trust> & loss.",
            factors=("universality", "cohesiveness", "catharsis"), stage="working",
            critical_incidents="Ольга phoned on 8 800 555 35 35 to say she was unwell.",
            risk="Tom said he had thought of not coming back; safety plan reviewed.",
            plan="Return to the theme of trust."))
        mnotes = [
            notes.save_member_note(vault, s.id, tom, MemberNoteFields(
                participation="Spoke first; challenged Maria Kowalski.", goals="Assertiveness.",
                response="Accepted feedback.", plan="Follow up on the safety plan.")),
            notes.save_member_note(vault, s.id, mia, MemberNoteFields(
                participation="Arrived late; spoke of Tom & Jerry.", risk_flag=True,
                risk_followup="Call Mia on Thursday; she was born 12 March 1980.")),
            notes.save_member_note(vault, s.id, nikos, MemberNoteFields(
                participation="Quiet, then spoke to the whole group.")),
        ]
        notes.save_private_note(vault, s.id, PROCESS_TEXT, ada.id)
        if s is s2:
            notes.sign_note(vault, "group", gnote.id, ada.id)
            for n in mnotes:
                notes.sign_note(vault, "member", n.id, ada.id)
            notes.add_addendum(vault, "group", gnote.id, ada.id,
                               "ADDENDUM: Maria called after the session; she is safe.")
            notes.cosign_note(vault, "group", gnote.id, sam.id)
    return Clinic(vault, group.id, s1.id, s2.id, ids, SPECS, ada.id, sam.id)


@pytest.fixture
def clinic(vault: Vault) -> Clinic:
    return build_clinic(vault)
