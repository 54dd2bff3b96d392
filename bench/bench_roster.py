"""How fast the roster opens and a roster CSV is checked, against floors from the same run.

1. A group with 300 memberships and 480 held sessions of attendance history (18,000
   attendance records, 1,600 member notes): `members.list_memberships` alone (every
   RosterRow field, attendance figures computed in SQL), and opening the roster screen:
   list_memberships + group_size + filling the table model. Target for the screen: under
   100 ms. Floor: one plain SELECT of the same memberships and members over the same
   encrypted connection. For comparison, in the same run: the previous way of reading the
   roster (whole ORM rows, every attendance record to Python).
2. A 10,000-row roster CSV checked by parse_roster (decode, sniff, every row validated by
   the member service's rules). Target: under 2 s. Floor: csv.reader over the same file.
"""

from __future__ import annotations

import csv
import io
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from sqlalchemy import func, insert, select, text

from groupleader.data import roster_csv
from groupleader.data.models import (
    Attendance,
    Meeting,
    Member,
    MemberNote,
    Membership,
    MembershipEvent,
)
from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import query
from groupleader.data.services import groups, members, stats
from groupleader.data.snapshots import ClinicianSpec, GroupSpec
from groupleader.data.vault import Vault
from groupleader.ui.roster.model import RosterFilter, RosterModel, make_entries

RUNS = 9
MEMBERSHIPS, SESSIONS = 300, 480
CSV_ROWS = 10_000


def median_ms(fn: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def seed(vault: Vault) -> int:
    """300 memberships over 480 weekly sessions: each active for about 60 of them.

    Seeded straight through the ORM in one unit of work (a benchmark's setup, not the
    program's way of writing) so the setup takes seconds, not minutes.
    """
    rng = random.Random(7)
    lead = ops_groups.create_clinician(vault, ClinicianSpec("Bench Leader", "leader")).value
    group_id = ops_groups.create_group(vault, GroupSpec(
        "Bench group", "psychodynamic", (lead.id,), target_size=80, max_size=100,
        min_size=4)).value.id
    start = datetime(2016, 1, 5, 17, 0, tzinfo=UTC)
    with vault.unit_of_work() as db:
        db.execute(insert(Meeting), [
            {"group_id": group_id, "number": n + 1, "starts_at": start + timedelta(weeks=n),
             "length_minutes": 90, "status": "held"} for n in range(SESSIONS)])
        meeting_ids = [r[0] for r in db.execute(text(
            "SELECT id FROM meetings ORDER BY number"))]
        db.execute(insert(Member), [
            {"full_name": f"Member {i:03d} Ñandú", "preferred_name": "", "pronouns": "they/them"}
            for i in range(MEMBERSHIPS)])
        member_ids = [r[0] for r in db.execute(text("SELECT id FROM members ORDER BY id"))]
        attendance, events, rows = [], [], []
        for i, member_id in enumerate(member_ids):
            first = i * (SESSIONS - 60) // MEMBERSHIPS
            last = min(SESSIONS - 1, first + 60)
            ended = last < SESSIONS - 1 and i % 3 == 0
            rows.append({"member_id": member_id, "group_id": group_id, "pseudonym": f"M{i}",
                         "status": "graduated" if ended else "active"})
        db.execute(insert(Membership), rows)
        ms_ids = [r[0] for r in db.execute(text("SELECT id FROM memberships ORDER BY id"))]
        for i, ms_id in enumerate(ms_ids):
            first = i * (SESSIONS - 60) // MEMBERSHIPS
            last = min(SESSIONS - 1, first + 60)
            joined = (start + timedelta(weeks=first)).date() - timedelta(days=1)
            events.append({"membership_id": ms_id, "status": "active", "on_date": joined,
                           "reason": ""})
            if rows[i]["status"] == "graduated":
                events.append({"membership_id": ms_id, "status": "graduated",
                               "on_date": (start + timedelta(weeks=last)).date(),
                               "reason": ""})
            for n in range(first, last):
                attendance.append({
                    "meeting_id": meeting_ids[n], "membership_id": ms_id,
                    "status": rng.choice(["present"] * 6 + ["late", "absent_notice",
                                                            "absent_no_notice"]),
                    "minutes_late": None})
        for a in attendance:
            if a["status"] == "late":
                a["minutes_late"] = 5
        db.execute(insert(MembershipEvent), events)
        db.execute(insert(Attendance), attendance)
        by_ms = dict(zip(ms_ids, member_ids, strict=True))
        db.execute(insert(MemberNote), [  # a note at every 11th attended session
            {"meeting_id": a["meeting_id"], "member_id": by_ms[a["membership_id"]],
             "risk_flag": k % 7 == 0, "participation": "Spoke."}
            for k, a in enumerate(attendance) if k % 11 == 0])
    return group_id


def previous_list_memberships(vault: Vault, group_id: int) -> int:
    """The roster read as it was: ORM rows, every attendance record to Python (reference)."""
    with vault.unit_of_work() as db:
        pairs = db.execute(
            select(Membership, Member).join(Member, Member.id == Membership.member_id)
            .where(Membership.group_id == group_id).order_by(Member.full_name)).all()
        since = dict(db.execute(
            select(MembershipEvent.membership_id, func.max(MembershipEvent.on_date))
            .join(Membership, Membership.id == MembershipEvent.membership_id)
            .where(Membership.group_id == group_id)
            .group_by(MembershipEvent.membership_id)).all())
        records = stats.attendance_by_membership(db, [ms.id for ms, _ in pairs])
        return sum(stats.figures(records.get(ms.id, [])).attended + bool(since[ms.id])
                   for ms, _ in pairs)


def roster_csv_file(rows: int) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";")
    w.writerow(["Full name", "Preferred name", "Pronouns", "DOB", "Phone", "E-mail",
                "Emergency contact", "Status", "Joined date"])
    for i in range(rows):
        w.writerow([f"Person {i} <Ünïcødé> 🌈", f"P{i}", "she/her", f"{1 + i % 28:02d}.0"
                    f"{1 + i % 9}.19{50 + i % 50}", f"555-01{i % 100:02d}",
                    f"p{i}@example.org", "Partner; 555-0100", "waitlist", "2024-02-01"])
    return b"\xef\xbb\xbf" + buf.getvalue().encode()


def main() -> int:
    QCoreApplication.instance() or QCoreApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        vault = Vault.create(Path(tmp) / "bench.vault", "bench passphrase", test_kdf_iter=256)
        t0 = time.perf_counter()
        group_id = seed(vault)
        print(f"seeded {MEMBERSHIPS} memberships, {SESSIONS} sessions in "
              f"{time.perf_counter() - t0:.1f} s")
        model, proxy = RosterModel(), RosterFilter()
        proxy.setSourceModel(model)

        def open_roster() -> None:
            rows = query(vault, members.list_memberships, group_id)
            query(vault, groups.group_size, group_id)
            model.set_entries(make_entries(rows))
            proxy.sort(0)

        def floor_roster() -> None:
            with vault.unit_of_work() as db:
                db.execute(text(
                    "SELECT ms.id, m.full_name, ms.status FROM memberships ms "
                    "JOIN members m ON m.id = ms.member_id WHERE ms.group_id = :g"),
                    {"g": group_id}).all()

        open_roster()
        assert model.rowCount() == MEMBERSHIPS
        floor_ms = median_ms(floor_roster)
        list_ms = median_ms(lambda: query(vault, members.list_memberships, group_id))
        before_ms = median_ms(lambda: previous_list_memberships(vault, group_id))
        roster_ms = median_ms(open_roster)
        verdict = "OK" if roster_ms < 100 else "SLOWER THAN TARGET"
        print(f"list_memberships ({MEMBERSHIPS} memberships, {SESSIONS} sessions): "
              f"{list_ms:.1f} ms  ratio to floor {list_ms / floor_ms:.0f}x")
        print(f"  previous way (ORM rows, every record to Python, fewer fields): "
              f"{before_ms:.1f} ms  ratio to floor {before_ms / floor_ms:.0f}x")
        print(f"open roster (list_memberships + group_size + model fill): "
              f"{roster_ms:.1f} ms  (target < 100 ms: {verdict})  "
              f"ratio to floor {roster_ms / floor_ms:.0f}x")
        print(f"  floor, one SELECT of the same rows: {floor_ms:.2f} ms")
        vault.close()

    data = roster_csv_file(CSV_ROWS)
    today = date(2025, 6, 1)
    parsed = roster_csv.parse_roster(data, today=today)
    assert len(parsed.rows) == CSV_ROWS and not parsed.bad, parsed.problems[:3]
    parse_ms = median_ms(lambda: roster_csv.parse_roster(data, today=today), runs=5)
    floor_csv = median_ms(lambda: list(csv.reader(
        io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";")), runs=5)
    verdict = "OK" if parse_ms < 2000 else "SLOWER THAN TARGET"
    print(f"validate {CSV_ROWS:,}-row CSV ({len(data) / 1e6:.1f} MB): {parse_ms:.0f} ms  "
          f"(target < 2000 ms: {verdict})")
    print(f"  floor, csv.reader over the same file: {floor_csv:.1f} ms  "
          f"ratio {parse_ms / floor_csv:.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
