"""The practice vault of the benchmarks: years of a group practice, written through the
operations (every record, audit event, signature and addendum as the program writes it).

Ten groups meet weekly; each session is scheduled, held, has its attendance taken, a group
note and one note per member who came (300-2,000 characters, autosaved twice: a first
draft, then the finished note), and is signed by its leader the next day, except the last
three weeks. About one session in forty gets an addendum. Members leave now and then and a
newcomer takes the place, so the roster grows over the years.

Built once and cached in ``bench/.cache/`` under a name that carries a hash of this file
(a changed builder builds it again); a cached vault made before a new migration is brought
up to date once, in place, as opening it in the program would. It is filled with
the test-only key derivation (fast PINs, fast building) and then written out once with
SQLCipher's production key derivation (`sqlcipher_export`), so the cached file opens like
a user's vault: ``Vault.open(path, PASSPHRASE)``.

    python bench/practice_vault.py [years]   # build (or find) the vault, print its size
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from groupleader.data import clock
from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import roster as ops_roster
from groupleader.data.snapshots import (
    ClinicianSpec,
    GroupNoteFields,
    GroupSpec,
    MemberNoteFields,
    MemberSpec,
)
from groupleader.data.vault import Vault, attached_keyed

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
PASSPHRASE = "benchmark practice passphrase"
PIN = "482915"
BUILD_KDF = 64  # rounds while filling; the cached file has SQLCipher's default
GROUPS = 10
MEMBERS = 9  # in each group at any time
DRAFT_WEEKS = 3  # the latest sessions of each group keep draft notes
FIRST_DAY = date(2016, 1, 4)  # a Monday
TURNOVER = 0.06  # chance per session that one member leaves and a newcomer joins
ADDENDUM_EVERY = 40  # about one session in this many gets an addendum

_rng = random.Random(18)
VOCAB = [
    "".join(_rng.choice("abcdefghijklmnoprstuvwy") for _ in range(_rng.randint(3, 10)))
    for _ in range(5000)
] + ["anxiety", "anger", "anticipation", "grief", "sleep", "family", "work", "zeitgeist"]


def words(rng: random.Random, chars: int) -> str:
    """Invented text of about `chars` characters."""
    out: list[str] = []
    size = 0
    while size < chars:
        w = rng.choice(VOCAB)
        out.append(w)
        size += len(w) + 1
    return " ".join(out)


def fingerprint() -> str:
    """A hash of this builder: a new one means a rebuild."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]


@dataclass(frozen=True)
class Built:
    path: Path
    years: int
    groups: int
    sessions: int
    member_notes: int
    seconds: float  # how long building took (0 when found in the cache)


def practice_vault(years: int = 10, groups: int = GROUPS, *, quiet: bool = False) -> Built:
    """The cached practice vault of `years` years and `groups` groups (built if missing)."""
    CACHE.mkdir(mode=0o700, exist_ok=True)
    name = f"practice-{groups}g{years}y-{fingerprint()}"
    path = CACHE / f"{name}.vault"
    info = CACHE / f"{name}.txt"
    if path.exists() and info.exists():
        sessions, notes, seconds = (float(x) for x in info.read_text().split())
        _up_to_date(path)
        return Built(path, years, groups, int(sessions), int(notes), seconds)
    for old in CACHE.glob(f"practice-{groups}g{years}y-*"):
        old.unlink()
    if not quiet:
        print(f"building the {years}-year practice vault ({groups} groups) through the "
              "operations, once...", flush=True)
    t0 = time.perf_counter()
    filling = CACHE / f"{name}.filling"
    for stale in (filling, filling.with_suffix(".filling.lock")):
        stale.unlink(missing_ok=True)
    vault = Vault.create(filling, PASSPHRASE, test_kdf_iter=BUILD_KDF)
    try:
        with vault.bulk_build():
            sessions, notes = _Builder(vault, years, groups, quiet).run()
    finally:
        vault.close()
    _with_production_kdf(filling, path)
    filling.unlink()
    seconds = time.perf_counter() - t0
    info.write_text(f"{sessions} {notes} {seconds:.1f}\n")
    if not quiet:
        print(f"built in {seconds:.0f} s: {sessions:,} sessions, {notes:,} member notes, "
              f"{path.stat().st_size / 1e6:.0f} MB", flush=True)
    return Built(path, years, groups, sessions, notes, seconds)


def working_copy(built: Built, where: Path) -> Path:
    """A copy of the cached vault to write to (benches that save must not change the cache)."""
    dest = where / built.path.name
    shutil.copyfile(built.path, dest)
    os.chmod(dest, 0o600)
    return dest


def _up_to_date(path: Path) -> None:
    """Bring a cached vault made before a new migration up to date (once), dropping the
    pre-upgrade copy the upgrade makes beside it."""
    before = set(path.parent.iterdir())
    Vault.open(path, PASSPHRASE).close()
    for made in set(path.parent.iterdir()) - before:
        if made.name.startswith(f"{path.stem}.before-upgrade-"):
            made.unlink()


def _with_production_kdf(filled: Path, dest: Path) -> None:
    """Write `filled` (test key derivation) to `dest` with SQLCipher's default one."""
    import sqlcipher3

    raw = sqlcipher3.connect(str(filled), isolation_level=None)
    try:
        raw.execute(f"PRAGMA key = '{PASSPHRASE}'")
        raw.execute(f"PRAGMA kdf_iter = {BUILD_KDF}")
        with attached_keyed(raw, dest, "prod", PASSPHRASE, None):
            raw.execute("SELECT sqlcipher_export('prod')")
            version = raw.execute("PRAGMA main.user_version").fetchone()[0]
            raw.execute(f"PRAGMA prod.user_version = {int(version)}")
    finally:
        raw.close()
    os.chmod(dest, 0o600)


class _Builder:
    def __init__(self, vault: Vault, years: int, groups: int, quiet: bool) -> None:
        self.vault, self.years, self.groups, self.quiet = vault, years, groups, quiet
        self.rng = random.Random(1810)
        self.sessions = self.notes = 0
        self.serial = 0

    def _at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)

    def _new_member(self, group_id: int, day: date) -> tuple[int, int]:
        """A new member, active in the group from `day`: (member id, membership id)."""
        self.serial += 1
        spec = MemberSpec(full_name=f"Member {self.serial:04d} {words(self.rng, 8).title()}")
        member = ops_roster.create_member(self.vault, spec).value.id
        ms = ops_roster.add_membership(self.vault, member, group_id, "active", day).value.id
        return member, ms

    def run(self) -> tuple[int, int]:
        setup = self._at(FIRST_DAY - timedelta(days=14), 9)
        with clock.frozen_at(setup):
            lead = ops_groups.create_clinician(
                self.vault, ClinicianSpec(name="Dr Ada Bench", role="leader")).value.id
            ops_groups.set_signing_pin(self.vault, lead, PIN)
            rosters: list[tuple[int, list[tuple[int, int]]]] = []
            for g in range(self.groups):
                spec = GroupSpec(name=f"Group {g + 1}", kind="support", leader_ids=(lead,),
                                 weekday=g % 5, length_minutes=90)
                gid = ops_groups.create_group(self.vault, spec).value.id
                rosters.append((gid, [self._new_member(gid, setup.date())
                                      for _ in range(MEMBERS)]))
        weeks = 52 * self.years
        t0 = time.perf_counter()
        for week in range(weeks):
            draft = week >= weeks - DRAFT_WEEKS
            for g, (gid, members) in enumerate(rosters):
                day = FIRST_DAY + timedelta(weeks=week, days=g % 5)
                self._session(lead, gid, members, day, draft)
            if not self.quiet and week % 52 == 51:
                print(f"  year {week // 52 + 1}: {self.notes:,} member notes, "
                      f"{time.perf_counter() - t0:.0f} s", flush=True)
        return self.sessions, self.notes

    def _session(self, lead: int, gid: int, members: list[tuple[int, int]], day: date,
                 draft: bool) -> None:
        rng = self.rng
        if rng.random() < TURNOVER:  # one leaves (graduates), a newcomer joins
            i = rng.randrange(len(members))
            with clock.frozen_at(self._at(day, 9)):
                ops_roster.change_status(self.vault, members[i][1], "graduated", day)
                members[i] = self._new_member(gid, day)
        start = self._at(day, 17)
        with clock.frozen_at(start - timedelta(days=6)):
            m = ops_meetings.schedule_meeting(self.vault, gid, start).value
        self.sessions += 1
        end = start + timedelta(minutes=90)
        with clock.frozen_at(end):
            ops_meetings.hold_meeting(self.vault, m.id, [lead])
            rows: list[tuple[int, str, int | None]] = []
            present = []
            for member, _ms in members:
                r = rng.random()
                status = ("present" if r < 0.86 else "late" if r < 0.92
                          else "absent_notice" if r < 0.97 else "absent_no_notice")
                rows.append((member, status, 10 if status == "late" else None))
                if status in ("present", "late"):
                    present.append(member)
            ops_meetings.record_attendance_many(self.vault, m.id, rows)
        group_fields = GroupNoteFields(themes=words(rng, 500), interventions=words(rng, 200),
                                       plan=words(rng, 120))
        written = []
        for minutes, final in ((5, False), (20, True)):  # a first draft, then the note
            with clock.frozen_at(end + timedelta(minutes=minutes)):
                ops_notes.save_group_note(self.vault, m.id, group_fields if final else
                                          GroupNoteFields(themes=group_fields.themes[:200]))
                for member in present:
                    size = rng.randint(300, 2000)
                    body = words(rng, size)
                    third = len(body) // 3
                    fields = MemberNoteFields(participation=body[:third],
                                              response=body[third:2 * third],
                                              plan=body[2 * third:])
                    if not final:
                        fields = MemberNoteFields(participation=body[:third // 2])
                    note = ops_notes.save_member_note(self.vault, m.id, member, fields).value
                    if final:
                        written.append(note.id)
        self.notes += len(written)
        if draft:
            return
        with clock.frozen_at(self._at(day + timedelta(days=1), 9, 30)):
            ops_notes.sign_meeting_notes(self.vault, m.id, lead, pin=PIN)
        if written and rng.randrange(ADDENDUM_EVERY) == 0:
            with clock.frozen_at(self._at(day + timedelta(days=7), 14)):
                ops_notes.add_addendum(self.vault, "member", rng.choice(written), lead,
                                       words(rng, 200), pin=PIN)


if __name__ == "__main__":
    b = practice_vault(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
    print(f"{b.path.name}: {b.sessions:,} sessions, {b.member_notes:,} member notes, "
          f"{b.path.stat().st_size / 1e6:.0f} MB, built in {b.seconds:.0f} s")
