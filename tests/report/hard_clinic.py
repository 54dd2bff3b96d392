"""Hard real-world data for page layout: 15 members with long names, long notes (one of
2,000 words), 12 chairs, a note signed and co-signed, drafts beside signed notes, and a
session scheduled in the future. The fixture that used to break the keep rules."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

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
)
from groupleader.data.vault import Vault
from tests.conftest import PIN, give_pins

NAMES = (
    ("Rafael Duarte Mendes", "Rafa"), ("Anneliese Katharina Montgomery-Whitfield", ""),
    ("Maria Kowalski", "Mia"), ("Jonas Berg", ""), ("Siobhán Ní Bhriain", "Shiv"),
    ("Oluwaseun Adeyemi-Okonkwo", "Seun"), ("Thi Minh Khai Nguyen", "Khai"),
    ("Ingrid Solveig Haugland", ""), ("Bartholomew Fitzgerald", "Bart"),
    ("Priyanka Venkataraman", "Priya"), ("Dmitri Alexandrovich Sokolov", "Dima"),
    ("Chloé Beaumont-Lefèvre", ""), ("Tomasz Wiśniewski", "Tomek"),
    ("Aurelio Castellanos Ibarra", ""), ("Hannah Rosenzweig", ""),
)
_TEXT = ("the group returned to the theme of trust and spoke about what it costs to be "
         "seen clearly by others while still feeling unsure of oneself in the room")
WORDS = tuple(_TEXT.split(" "))


def words(n: int, seed: int) -> str:
    rng = random.Random(seed)
    out = [rng.choice(WORDS) for _ in range(n)]
    sentences, i = [], 0
    while i < len(out):
        k = rng.randint(9, 22)
        sentences.append(" ".join(out[i:i + k]).capitalize() + ".")
        i += k
    return " ".join(sentences)


@dataclass(frozen=True)
class HardClinic:
    vault: Vault
    group_id: int
    meeting_id: int  # the held session with 15 members and long notes
    members: dict[str, int]
    subject: int  # Rafael: 20 notes, 2 unsigned, a future session scheduled
    leader_name: str


def at(day: date, hour: int = 18) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0).astimezone()


def build_hard_clinic(vault: Vault, extract_sessions: int = 6) -> HardClinic:
    leader = ops_groups.create_clinician(vault, ClinicianSpec(
        "Dr. Anneliese Katharina Montgomery", "leader", "PhD")).value
    co = ops_groups.create_clinician(vault, ClinicianSpec("Dr. H. Marsh", "co_leader")).value
    give_pins(vault, leader.id, co.id)
    group = ops_groups.create_group(vault, GroupSpec(
        "Thursday Evening Interpersonal Process Group", "psychodynamic", (leader.id, co.id),
        room="Room 12", length_minutes=90, target_size=12, max_size=16)).value
    ids: dict[str, int] = {}
    for i, (full, preferred) in enumerate(NAMES):
        m = ops_roster.create_member(vault, MemberSpec(
            full, preferred_name=preferred, dob=date(1970 + i, 1 + i % 12, 3 + i))).value
        ids[full] = m.id
        ops_roster.add_membership(vault, m.id, group.id, "active", on_date=date(2025, 1, 2))
    first = date(2025, 3, 6)
    main = ops_meetings.schedule_meeting(vault, group.id, at(first)).value
    ops_meetings.hold_meeting(vault, main.id)
    member_ids = list(ids.values())
    for mid in member_ids:
        ops_meetings.record_attendance(vault, main.id, mid, "present")
    chairs = [ChairSpec(clinician_id=leader.id)] + [ChairSpec(member_id=mid)
                                                    for mid in member_ids[:10]]
    ops_seating.save_seating(vault, main.id, [*chairs, ChairSpec(clinician_id=co.id)])
    gnote = ops_notes.save_group_note(vault, main.id, GroupNoteFields(
        themes=words(400, 1), here_and_now=words(350, 2), interventions=words(300, 3),
        stage="working", plan=words(120, 4), risk="Rafa spoke of hopelessness; plan made.")
    ).value
    for n, mid in enumerate(member_ids):
        long = 2000 if n == 1 else (160 + 37 * n)
        note = ops_notes.save_member_note(vault, main.id, mid, MemberNoteFields(
            participation=words(long, 10 + n), goals=words(40 + 9 * n, 40 + n),
            plan=words(25 + 7 * n, 70 + n))).value
        if n % 3 != 2:
            ops_notes.sign_note(vault, "member", note.id, leader.id, pin=PIN)
    ops_notes.sign_note(vault, "group", gnote.id, leader.id, pin=PIN)
    rafa = ids["Rafael Duarte Mendes"]
    for k in range(1, extract_sessions):
        s = ops_meetings.schedule_meeting(vault, group.id, at(first + timedelta(weeks=k))).value
        ops_meetings.hold_meeting(vault, s.id)
        ops_meetings.record_attendance(vault, s.id, rafa, "present")
        note = ops_notes.save_member_note(vault, s.id, rafa, MemberNoteFields(
            participation=words(90 + 50 * k, 100 + k), plan=words(30, 200 + k))).value
        if k not in (2, 4):
            ops_notes.sign_note(vault, "member", note.id, leader.id, pin=PIN)
    future = datetime.now().astimezone() + timedelta(days=60)
    ops_meetings.schedule_meeting(vault, group.id, future)
    return HardClinic(vault, group.id, main.id, ids, rafa, leader.name)
