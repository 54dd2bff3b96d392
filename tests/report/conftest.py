"""A small clinic in a real vault: two sessions of one group with every kind of record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pytest

from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import roster as ops_roster
from groupleader.data.operations import seating as ops_seating
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
from tests.conftest import PIN, give_pins

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
    ada = ops_groups.create_clinician(vault, ClinicianSpec("Ada Leader", "leader", "PhD")).value
    ben = ops_groups.create_clinician(vault, ClinicianSpec("Ben Colead", "co_leader")).value
    sam = ops_groups.create_clinician(vault, ClinicianSpec("Sam Super", "supervisor")).value
    give_pins(vault, ada.id, ben.id, sam.id)
    group = ops_groups.create_group(vault, GroupSpec(
        "Tuesday Process Group", "psychodynamic", (ada.id, ben.id), room="Room 3 & <B>",
        length_minutes=90)).value
    ids = {}
    for spec in SPECS:
        m = ops_roster.create_member(vault, spec).value
        ids[spec.full_name] = m.id
        ops_roster.add_membership(vault, m.id, group.id, "active", on_date=date(2025, 1, 6))
    tom, mia = ids[ODD_NAME], ids["Maria Kowalski"]
    olga, nikos = ids["Ольга Петрова"], ids["Νίκος Παπαδόπουλος"]
    fatima = ids["فاطمة الزهراء"]

    s1 = ops_meetings.schedule_meeting(vault, group.id, at(date(2025, 3, 4)), topic="Trust").value
    s2 = ops_meetings.schedule_meeting(vault, group.id, at(date(2025, 3, 11))).value
    for s in (s1, s2):
        ops_meetings.hold_meeting(vault, s.id)
        ops_meetings.record_attendance(vault, s.id, tom, "present")
        ops_meetings.record_attendance(vault, s.id, mia, "late", 10)
        ops_meetings.record_attendance(vault, s.id, olga, "absent_notice")
        ops_meetings.record_attendance(vault, s.id, nikos, "present")
        ops_meetings.record_attendance(vault, s.id, fatima, "absent_no_notice")
        ops_seating.save_seating(vault, s.id, [
            ChairSpec(clinician_id=ada.id), ChairSpec(member_id=tom), ChairSpec(member_id=mia),
            ChairSpec(), ChairSpec(member_id=nikos), ChairSpec(clinician_id=ben.id)])
        for _ in range(3):
            ops_seating.add_interaction(vault, s.id, Party(member_id=tom), Party(member_id=mia))
        ops_seating.add_interaction(vault, s.id, Party(member_id=mia), Party(member_id=tom))
        for _ in range(2):
            ops_seating.add_interaction(vault, s.id, Party(member_id=nikos), None)
        ops_seating.add_interaction(vault, s.id, Party(clinician_id=ada.id), Party(member_id=nikos))
        gnote = ops_notes.save_group_note(vault, s.id, GroupNoteFields(
            themes="Maria spoke of her sister; Tom answered. Mia's phone is +44 7700 900123.",
            here_and_now="Silence after Νίκος (nikos@example.gr) spoke of 1988-01-02.",
            interventions="Linked Jonas Berg's absence to the theme of <trust> & loss.",
            factors=("universality", "cohesiveness", "catharsis"), stage="working",
            critical_incidents="Ольга phoned on 8 800 555 35 35 to say she was unwell.",
            risk="Tom said he had thought of not coming back; safety plan reviewed.",
            plan="Return to the theme of trust.")).value
        mnotes = [
            ops_notes.save_member_note(vault, s.id, tom, MemberNoteFields(
                participation="Spoke first; challenged Maria Kowalski.", goals="Assertiveness.",
                response="Accepted feedback.", plan="Follow up on the safety plan.")).value,
            ops_notes.save_member_note(vault, s.id, mia, MemberNoteFields(
                participation="Arrived late; spoke of Tom & Jerry.", risk_flag=True,
                risk_followup="Call Mia on Thursday; she was born 12 March 1980.")).value,
            ops_notes.save_member_note(vault, s.id, nikos, MemberNoteFields(
                participation="Quiet, then spoke to the whole group.")).value,
        ]
        ops_notes.save_private_note(vault, s.id, PROCESS_TEXT, ada.id)
        if s is s2:
            ops_notes.sign_note(vault, "group", gnote.id, ada.id, pin=PIN)
            for n in mnotes:
                ops_notes.sign_note(vault, "member", n.id, ada.id, pin=PIN)
            ops_notes.add_addendum(vault, "group", gnote.id, ada.id,
                               "ADDENDUM: Maria called after the session; she is safe.", pin=PIN)
            ops_notes.cosign_note(vault, "group", gnote.id, sam.id, pin=PIN)
    return Clinic(vault, group.id, s1.id, s2.id, ids, SPECS, ada.id, sam.id)


@pytest.fixture
def clinic(vault: Vault) -> Clinic:
    return build_clinic(vault)
