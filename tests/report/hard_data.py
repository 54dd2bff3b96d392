"""Hard real-world data for the printed summary: 15 members, circles of 12 and 17 chairs,
long names, Hebrew, Arabic, Greek, Cyrillic, CJK and emoji, and about 40 exchanges."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

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
from tests.conftest import give_pins

LEADER = "Dr. Anneliese Katharina Montgomery-Whitfield"
NAMES = (
    "Maximilian Alexander von Hohenberg-Eschenbach", "Zoë O'Brien", "שרה לוי",
    "فاطمة الزهراء بنت عبد الرحمن", "Νίκος Παπαδόπουλος", "Ольга Петрова", "王小明",
    "김지수", "山田 花子", "Rafael Duarte Mendes 😀", "Bo", "Christopher Jonathan Smythe",
    "יעל כהן-אברהם", "محمد علي", "Aurélie-Marguerite Dubois-Lefèvre",
)
HEBREW_NOTE = ("שרה סיפרה על הפחד שלה מהשינוי ועל מה שקרה בשבוע שעבר בבית. היא אמרה שהיא "
               "מרגישה לפעמים בודדה אבל סומכת על הקבוצה יותר מבעבר, ושהיא רוצה לדבר על "
               "אמא שלה בפגישה הבאה. ")
ARABIC_NOTE = ("تحدثت فاطمة اليوم عن خوفها من التغيير وعن ما حدث في الأسبوع الماضي في "
               "البيت، وقالت إنها تشعر بالوحدة أحيانا لكنها تثق بالمجموعة أكثر من قبل. ")


@dataclass(frozen=True)
class HardData:
    vault: Vault
    group_id: int
    twelve: int  # a session of 12 chairs
    seventeen: int  # a session of 17 chairs


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 18, 0).astimezone()


def build_hard_data(vault: Vault) -> HardData:
    lead = ops_groups.create_clinician(vault, ClinicianSpec(LEADER, "leader", "PhD")).value
    co = ops_groups.create_clinician(vault, ClinicianSpec("Benedikt Oyelaran-Castellanos",
                                                          "co_leader")).value
    give_pins(vault, lead.id, co.id)
    group = ops_groups.create_group(vault, GroupSpec(
        "Thursday Long-Term Process Group", "psychodynamic", (lead.id, co.id),
        room="Room 12", length_minutes=90, max_size=16, target_size=15)).value
    ids = []
    for name in NAMES:
        m = ops_roster.create_member(vault, MemberSpec(name)).value
        ops_roster.add_membership(vault, m.id, group.id, "active", on_date=date(2025, 1, 6))
        ids.append(m.id)
    sessions = []
    for day, seated in ((date(2025, 3, 6), 10), (date(2025, 3, 13), 15)):
        s = ops_meetings.schedule_meeting(vault, group.id, at(day)).value
        ops_meetings.hold_meeting(vault, s.id)
        for i, mid in enumerate(ids):
            ops_meetings.record_attendance(vault, s.id, mid,
                                           "present" if i < seated else "absent_notice")
        circle = [ChairSpec(clinician_id=lead.id)] + [ChairSpec(member_id=m)
                                                      for m in ids[:seated]]
        circle.append(ChairSpec(clinician_id=co.id))
        ops_seating.save_seating(vault, s.id, circle)
        people = [Party(clinician_id=lead.id)] + [Party(member_id=m) for m in ids[:seated]]
        pairs = 0
        for i, a in enumerate(people):
            for step in (1, 3, 7):
                b = people[(i + step) % len(people)]
                if a != b and pairs < 40:
                    for _ in range(1 + (i * step) % 4):
                        ops_seating.add_interaction(vault, s.id, a, b)
                    pairs += 1
        for _ in range(3):
            ops_seating.add_interaction(vault, s.id, people[2], None)
        ops_notes.save_group_note(vault, s.id, GroupNoteFields(
            themes="Belonging and leaving; " + HEBREW_NOTE + ARABIC_NOTE,
            here_and_now="Silence after 王小明 spoke; 김지수 answered in Korean. 😀 🫠",
            interventions="Linked the theme to the ending of the group's second year.",
            stage="working", plan="Return to the theme of trust."))
        ops_notes.save_member_note(vault, s.id, ids[2], MemberNoteFields(
            participation=HEBREW_NOTE * 3, plan="להמשיך בשבוע הבא."))
        ops_notes.save_member_note(vault, s.id, ids[3], MemberNoteFields(
            participation=ARABIC_NOTE * 3))
        ops_notes.save_member_note(vault, s.id, ids[6], MemberNoteFields(
            participation="王小明说：今天我感觉好多了，谢谢大家。 Spoke in English too."))
        ops_notes.save_member_note(vault, s.id, ids[0], MemberNoteFields(
            participation=("Long contribution about his father. " * 60).strip()))
        sessions.append(s.id)
    return HardData(vault, group.id, sessions[0], sessions[1])
