"""Benchmark of the clinical record: load a session, autosave a note, search a word, and
the sessions overview of one group (every session with attendance and note state).

Builds two vaults with production key derivation: a decade of a busy practice (10 groups
x 480 sessions x 8 members: ~38,400 member notes) and a tenth of it (~3,840), then prints
median times of the service calls and, as a floor, the same lookups on a plain
(unencrypted, ORM-free) sqlite3 database holding the same notes. Both are built once and
kept in bench/.cache (`cached`: again when this builder or a migration changes); each run
works on copies.

First, the demo build (groupleader.data.demo, every record through the services with
the batch services for attendance, interactions and signing): seconds and units of work,
against a floor of the same number of units of work that each write one audit event.

    .venv/bin/python bench/bench_data.py
"""

from __future__ import annotations

import hashlib
import inspect
import json
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import groupleader.data
from groupleader.data import search
from groupleader.data.models import (
    Attendance,
    Clinician,
    Group,
    GroupLeader,
    Meeting,
    MeetingNote,
    Member,
    MemberNote,
    Membership,
    MembershipEvent,
    PrivateNote,
    Signature,
)
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.services import meetings, notes
from groupleader.data.snapshots import MemberNoteFields
from groupleader.data.vault import Vault

GROUPS, MEMBERS = 10, 8
PASSPHRASE = "benchmark passphrase"  # production key derivation
RARE = "zeitgeist"  # in about 1 note in 200
COMMON = "anxiety"  # in about 1 note in 5
RUNS = 25
CACHE = Path(__file__).resolve().parent / ".cache"
DRAFT_DAYS = 7
UNSIGNED_RECENT = 3  # the latest sessions of each group keep draft notes; older ones are signed
ATTENDANCE = ("present",) * 7 + ("late", "absent_notice", "absent_no_notice")
rng = random.Random(7)
VOCAB = [
    "".join(rng.choice("abcdefghijklmnoprstuvw") for _ in range(rng.randint(3, 9)))
    for _ in range(4000)
]


def sentence(n: int) -> str:
    words = rng.choices(VOCAB, k=n)
    if rng.random() < 0.2:
        words.append(COMMON)
    if rng.random() < 0.005:
        words.append(RARE)
    rng.shuffle(words)
    return " ".join(words)


def build(path: Path, meetings_per_group: int) -> tuple[Vault, list[tuple[int, int]]]:
    vault = Vault.create(path, PASSPHRASE)
    start = datetime(2015, 1, 5, 17, tzinfo=UTC)
    bodies: list[str] = []
    targets: list[tuple[int, int]] = []  # (meeting id, member id) pairs for autosave
    with vault.unit_of_work() as db:
        db.execute(insert(Clinician), [{"id": 1, "name": "Lead", "role": "leader"}])
        meeting_rows, member_rows, ms_rows, ev_rows, att_rows = [], [], [], [], []
        gnotes, mnotes, pnotes = [], [], []
        signed_meetings: set[int] = set()
        mid = 0
        for g in range(1, GROUPS + 1):
            db.execute(insert(Group), [{"id": g, "name": f"Group {g}", "kind": "support"}])
            db.execute(insert(GroupLeader), [{"group_id": g, "clinician_id": 1, "position": 0}])
            members = []
            for k in range(MEMBERS):
                member_id = (g - 1) * MEMBERS + k + 1
                members.append(member_id)
                member_rows.append({"id": member_id, "full_name": f"Member {member_id}"})
                ms_rows.append({"id": member_id, "member_id": member_id, "group_id": g,
                                "status": "active", "pseudonym": f"M.{member_id}"})
                ev_rows.append({"membership_id": member_id, "status": "active",
                                "on_date": date(2014, 1, 1)})
            for n in range(1, meetings_per_group + 1):
                mid += 1
                meeting_rows.append({
                    "id": mid, "group_id": g, "number": n, "status": "held",
                    "starts_at": start + timedelta(days=7 * n, hours=g), "length_minutes": 90})
                gnotes.append({"meeting_id": mid, "themes": sentence(40), "plan": sentence(10),
                               "factors": ["hope"]})
                pnotes.append({"meeting_id": mid, "text": sentence(60)})
                for member_id in members:
                    mnotes.append({"meeting_id": mid, "member_id": member_id,
                                   "participation": sentence(25), "response": sentence(15)})
                    status = rng.choice(ATTENDANCE)
                    att_rows.append({"meeting_id": mid, "membership_id": member_id,
                                     "status": status,
                                     "minutes_late": 10 if status == "late" else None})
                targets.append((mid, rng.choice(members)))
                if n <= meetings_per_group - UNSIGNED_RECENT:
                    signed_meetings.add(mid)
        for model, rows in ((Member, member_rows), (Membership, ms_rows),
                            (MembershipEvent, ev_rows), (Meeting, meeting_rows),
                            (MeetingNote, gnotes), (MemberNote, mnotes), (PrivateNote, pnotes),
                            (Attendance, att_rows)):
            db.execute(insert(model), rows)
        # Sign the notes of older sessions (not the one autosaved), as a practice would;
        # note ids follow insertion order, starting at 1.
        signed_meetings.discard(targets[len(targets) // 2][0])
        now = datetime.now(UTC)
        sigs = [{"meeting_note_id": i + 1, "signed_by_id": 1, "signed_at": now}
                for i, n in enumerate(gnotes) if n["meeting_id"] in signed_meetings]
        sigs += [{"member_note_id": i + 1, "signed_by_id": 1, "signed_at": now}
                 for i, n in enumerate(mnotes) if n["meeting_id"] in signed_meetings]
        db.execute(insert(Signature), sigs)
        bodies = [n["themes"] + " " + n["plan"] for n in gnotes] + [
            n["participation"] + " " + n["response"] for n in mnotes]
    _floor_db(path.with_suffix(".plain.db"), bodies, len(mnotes))
    return vault, targets


def cache_key(*parts: str | bytes) -> str:
    """A hash of `parts`, of this builder and of the schema's migrations: a cached vault
    is built again when any of them changes (a new migration, a changed builder)."""
    key = hashlib.sha256()
    sources = [Path(__file__)]
    sources += sorted((Path(groupleader.data.__file__).parent / "migrations").rglob("*.py"))
    for part in [*parts, *(source.read_bytes() for source in sources)]:
        key.update(part.encode() if isinstance(part, str) else part)
    return key.hexdigest()[:16]


def cached(prefix: str, key: str, make: Callable[[Path], None]) -> tuple[Path, float | None]:
    """The folder `make` fills, kept in bench/.cache as PREFIX-KEY (made now when missing,
    older keys of the prefix dropped), and how long making it took (None: found cached).
    Benches that write copy what they need out of it first."""
    dest = CACHE / f"{prefix}-{key}"
    if dest.is_dir():
        return dest, None
    CACHE.mkdir(mode=0o700, exist_ok=True)
    stale = re.compile(rf"{re.escape(prefix)}-[0-9a-f]{{16}}(\.vault)?")  # not "PREFIX-x-KEY"
    for old in CACHE.iterdir():
        if stale.fullmatch(old.name):
            shutil.rmtree(old) if old.is_dir() else old.unlink()
    t0 = time.perf_counter()
    part = CACHE / f"{prefix}.part"
    shutil.rmtree(part, ignore_errors=True)
    part.mkdir(mode=0o700)
    make(part)
    part.rename(dest)
    return dest, time.perf_counter() - t0


def build_cached(path: Path, meetings_per_group: int,
                 finish: Callable[[Vault], object] | None = None,
                 ) -> tuple[Vault, list[tuple[int, int]], float | None]:
    """`build` at `path`, from a copy of the vault kept in bench/.cache (built the first
    time, with `finish` run on it before it is kept, and again when `finish` changes): the
    open vault, the autosave targets, and the build time (None when it was cached)."""

    def make(where: Path) -> None:
        vault, targets = build(where / "bulk.vault", meetings_per_group)
        with vault:
            if finish is not None:
                finish(vault)
        (where / "targets.json").write_text(json.dumps(targets))

    prefix = f"bulk{meetings_per_group}" + ("" if finish is None else f"-{finish.__name__}")
    key = cache_key(inspect.getsource(finish) if finish is not None else "")
    folder, seconds = cached(prefix, key, make)
    for name, dest in (("bulk.vault", path), ("bulk.plain.db", path.with_suffix(".plain.db"))):
        shutil.copyfile(folder / name, dest)
    targets = [(m, p) for m, p in json.loads((folder / "targets.json").read_text())]
    return Vault.open(path, PASSPHRASE), targets, seconds


def practice(years: int = 10, groups: int = GROUPS) -> Any:
    """The practice vault written through the operations (bench/practice_vault.py: audit
    events, signatures, addenda, notes of 300-2,000 characters), built once and cached;
    `build` above stays the quick bulk builder. Returns a `practice_vault.Built` (its
    `path` opens with `practice_vault.PASSPHRASE`; write to a `working_copy` of it)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import practice_vault

    return practice_vault.practice_vault(years, groups)


def _floor_db(path: Path, bodies: list[str], n_member_notes: int) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE VIRTUAL TABLE note_fts USING fts5(body)")
    con.executemany("INSERT INTO note_fts(body) VALUES (?)", [(b,) for b in bodies])
    con.execute("CREATE TABLE member_notes (id INTEGER PRIMARY KEY, meeting_id INT, body TEXT)")
    con.execute("CREATE INDEX ix ON member_notes(meeting_id)")
    con.executemany("INSERT INTO member_notes(meeting_id, body) VALUES (?, ?)",
                    [(i // MEMBERS + 1, b) for i, b in enumerate(bodies[:n_member_notes])])
    con.commit()
    con.close()


def timed(fn: Callable[[], object]) -> float:
    samples = []
    for _ in range(RUNS):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)


def measure(label: str, meetings_per_group: int, workdir: Path) -> dict[str, float]:
    path = workdir / f"{label}.vault"
    vault, targets, seconds = build_cached(path, meetings_per_group)
    built = "cached" if seconds is None else f"built in {seconds:.1f} s"
    print(f"\n{label}: {len(targets) * MEMBERS:,} member notes "
          f"({built}, {path.stat().st_size / 1e6:.0f} MB)")
    counter = iter(range(10**9))
    plain = sqlite3.connect(path.with_suffix(".plain.db"))
    try:
        figures = {
            "load one session with its notes": timed(
                lambda: query(vault, notes.load_meeting_notes, rng.choice(targets)[0])
            ),
            "autosave one member note": timed(
                lambda: (
                    ops_notes.save_member_note(
                        vault,
                        *targets[len(targets) // 2],
                        MemberNoteFields(participation=f"draft {next(counter)}"),
                    ).value
                )
            ),
            f"search a rare word ({RARE})": timed(lambda: query(vault, search.search, RARE)),
            f"search a common word ({COMMON})": timed(lambda: query(vault, search.search, COMMON)),
            f"sessions overview of one group ({meetings_per_group} sessions)": timed(
                lambda: query(vault, meetings.meeting_overview, rng.randint(1, GROUPS), DRAFT_DAYS)
            ),
            "floor: plain sqlite3 select one session's notes": timed(
                lambda: plain.execute(
                    "SELECT * FROM member_notes WHERE meeting_id = ?", (rng.choice(targets)[0],)
                ).fetchall()
            ),
            "floor: plain sqlite3 count one group's notes per session": timed(
                lambda: plain.execute(
                    "SELECT meeting_id, count(*) FROM member_notes WHERE meeting_id BETWEEN ? "
                    "AND ? GROUP BY meeting_id",
                    (1, meetings_per_group),
                ).fetchall()
            ),
            f"floor: plain sqlite3 FTS5 top 50 for {RARE}": timed(
                lambda: plain.execute(
                    "SELECT rowid, snippet(note_fts, 0, '[', ']', '…', 12) FROM note_fts "
                    "WHERE note_fts MATCH ? ORDER BY rowid DESC LIMIT 50",
                    (RARE,),
                ).fetchall()
            ),
            f"floor: plain sqlite3 FTS5 top 50 for {COMMON}": timed(
                lambda: plain.execute(
                    "SELECT rowid, snippet(note_fts, 0, '[', ']', '…', 12) FROM note_fts "
                    "WHERE note_fts MATCH ? ORDER BY rowid DESC LIMIT 50",
                    (COMMON,),
                ).fetchall()
            ),
        }
        # For comparison: what the session list did before the overview existed.
        group_meetings = query(vault, meetings.list_meetings, 1)
        t = time.perf_counter()
        for m in group_meetings:
            query(vault, notes.load_meeting_notes, m.id)
        figures["(before) load_meeting_notes for every session of a group"] = (
            time.perf_counter() - t
        ) * 1000
    finally:
        plain.close()
        vault.close()
    for name, ms in figures.items():
        print(f"  {name:<58} {ms:8.2f} ms")
    return figures


def demo_build(where: Path) -> None:
    """Time the demo build and count its units of work; floor: as many one-event units."""
    from groupleader.data import audit, demo

    units = [0]
    real = Vault.unit_of_work

    def counted(self: Vault):  # type: ignore[no-untyped-def]
        units[0] += 1
        return real(self)

    times = []
    for run in range(3):
        units[0] = 0
        Vault.unit_of_work = counted  # type: ignore[method-assign]
        t0 = time.perf_counter()
        try:
            demo.build_demo_vault(
                where / f"demo{run}.vault",
                "bench passphrase",
                test_kdf_iter=256,
                today=date(2025, 3, 12),
            )
        finally:
            Vault.unit_of_work = real  # type: ignore[method-assign]
        times.append(time.perf_counter() - t0)
    vault = Vault.create(where / "floor.vault", "bench passphrase", test_kdf_iter=256)
    t0 = time.perf_counter()
    with vault.bulk_build():
        for i in range(units[0]):
            with vault.unit_of_work() as db:
                audit.record(db, "bench.unit", "bench", i)
    floor = time.perf_counter() - t0
    vault.close()
    built = statistics.median(times)
    print(f"demo build: {built:.2f} s in {units[0]} units of work (median of 3)")
    print(
        f"  floor, {units[0]} units of work of one audit event each: {floor:.2f} s  "
        f"ratio {built / floor:.1f}x"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        demo_build(Path(tmp))
    with tempfile.TemporaryDirectory() as tmp:
        small = measure("small", 48, Path(tmp))
        large = measure("large", 480, Path(tmp))
    print("\ngrowth large/small (10x the notes), and large vs floor:")
    for (name, ms), small_ms in zip(large.items(), small.values(), strict=True):
        print(f"  {name:<58} x{ms / small_ms:5.2f}")
    pairs = (
        ("load one session with its notes", "floor: plain sqlite3 select one session's notes"),
        (f"search a rare word ({RARE})", f"floor: plain sqlite3 FTS5 top 50 for {RARE}"),
        (f"search a common word ({COMMON})", f"floor: plain sqlite3 FTS5 top 50 for {COMMON}"),
        (
            "sessions overview of one group (480 sessions)",
            "floor: plain sqlite3 count one group's notes per session",
        ),
    )
    for ours, floor in pairs:
        print(f"  {ours:<58} x{large[ours] / large[floor]:5.1f} the floor")


if __name__ == "__main__":
    main()
