"""Paper codes: what printing a code adds to an export, and how long a check takes on a
vault with a long-running group (every member's notes, all signed).

Prints figures; never fails on time (numbers vary by machine).
- the code of one session summary, against collecting the summary itself;
- checking a real session code, a member extract's code, and a made-up code (the slowest:
  every document the vault could have printed is named, including each (first, last) pair
  of a member's notes for an extract). Goal: under 2 s for the made-up code.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from groupleader.data import paper_codes
from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.operations import roster as ops_roster
from groupleader.data.services import notes as notes_svc
from groupleader.data.snapshots import ClinicianSpec, GroupSpec, MemberNoteFields, MemberSpec
from groupleader.data.vault import Vault
from groupleader.report.collect import collect_session, load_people
from groupleader.report.model import ReportOptions

MEMBERS, SESSIONS = 12, 100
PIN = "482915"  # the signing PIN the signatures need
T = TypeVar("T")


def build(vault: Vault) -> tuple[int, list[int], list[int]]:
    lead = ops_groups.create_clinician(vault, ClinicianSpec("Ada Leader", "leader")).value.id
    ops_groups.set_signing_pin(vault, lead, PIN)
    group = ops_groups.create_group(
        vault, GroupSpec("Long group", "support", (lead,), max_size=MEMBERS)).value.id
    members = []
    for i in range(MEMBERS):
        m = ops_roster.create_member(vault, MemberSpec(f"Member {i:02d} Person")).value.id
        ops_roster.add_membership(vault, m, group, "active", on_date=date(2023, 1, 2))
        members.append(m)
    meetings = []
    start = datetime(2023, 1, 3, 17, tzinfo=UTC)
    for n in range(SESSIONS):
        s = ops_meetings.schedule_meeting(vault, group, start + timedelta(weeks=n)).value.id
        ops_meetings.hold_meeting(vault, s)
        for m in members:
            ops_meetings.record_attendance(vault, s, m, "present")
            ops_notes.save_member_note(vault, s, m, MemberNoteFields(
                participation=f"Session {n}: spoke about the week.", plan="Continue."))
        ops_notes.sign_meeting_notes(vault, s, lead, pin=PIN)
        meetings.append(s)
    return group, members, meetings


def timed(fn: Callable[..., T], *args: object, runs: int = 5) -> tuple[float, T]:
    """The best of `runs` timings, and the value."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        value = fn(*args)
        times.append(time.perf_counter() - t0)
    return min(times), value


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        vault = Vault.create(Path(tmp) / "bench.vault", "bench passphrase", test_kdf_iter=256)
        t0 = time.perf_counter()
        with vault.bulk_build():
            group, members, meetings = build(vault)
        print(f"built {SESSIONS} sessions x {MEMBERS} signed member notes in "
              f"{time.perf_counter() - t0:.1f} s")
        options = ReportOptions()
        people = load_people(vault, group)
        meeting = meetings[SESSIONS // 2]
        collect, _ = timed(collect_session, vault, meeting, options, people)
        code_time, code = timed(query, vault, paper_codes.session_code, meeting)
        print(f"collect one session summary: {collect * 1000:.1f} ms, of which its code "
              f"{code_time * 1000:.1f} ms")
        real, result = timed(query, vault, paper_codes.check_code, code, runs=3)
        print(f"check a real session code: {real * 1000:.0f} ms ({result.outcome})")
        notes = [n.id for n in (next(x for x in query(vault, notes_svc.load_meeting_notes, m)
                                     .member_notes if x.member_id == members[0])
                                for m in meetings[10:60])]
        extract_code = query(vault, paper_codes.extract_code, group, members[0], notes)
        ext, result = timed(query, vault, paper_codes.check_code, extract_code, runs=3)
        print(f"check a member extract's code (50 notes): {ext * 1000:.0f} ms "
              f"({result.outcome})")
        body = "7KQ2M9XD4FHTPW3"
        made_up = body + paper_codes.check_char(body)
        worst, result = timed(query, vault, paper_codes.check_code, made_up, runs=3)
        scopes = 2 * SESSIONS + MEMBERS * (1 + SESSIONS * (SESSIONS + 1) // 2)
        print(f"check a made-up code ({scopes} documents named): {worst * 1000:.0f} ms "
              f"({result.outcome}; goal < 2 s: {'met' if worst < 2 else 'NOT met'})")
        vault.close()


if __name__ == "__main__":
    main()
