"""The storage side of "fast at ten years", on the practice vault built through the
operations (bench/practice_vault.py, cached): autosave through the service, search for a
3-letter prefix, the roster of one group, a backup, verify (time and memory), and closing
(the WAL's checkpoint).

Each action prints one line: its floor (measured in this run, interleaved with the
program's own samples), this program, the ratio, p50 and p95 of latencies, the goal, and
whether it is met. Then the same actions at 1x, 10x and 100x the data (one group for a
year, ten groups for a year, ten groups for ten years) as a growth table.

    python bench/bench_storage.py          # all three sizes (the 10-year vault is cached)
    python bench/bench_storage.py --quick  # the 1x and 10x vaults only
    python bench/bench_storage.py --sizes 1x1,1x10  # groups x years of your choice

"best" is the fastest sample and "cpu p50" the median CPU time of this process per sample:
on a shared machine the wall-clock figures also hold the time spent waiting for a core.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import sqlcipher3
from practice_vault import PASSPHRASE, Built, practice_vault, working_copy
from sqlalchemy import text

from groupleader.data import audit, search
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.services import members
from groupleader.data.snapshots import MemberNoteFields
from groupleader.data.vault import VERIFY_CACHE_KIB, Vault

SAVES = 200  # autosaves of one note (one editing burst)
SEARCHES = 40
ROSTERS = 30
BACKUPS = 3
PREFIX = "ant"  # anxiety, anger, anticipation ... and invented words


@dataclass(frozen=True)
class Line:
    action: str
    floor_ms: float  # the floor's p50 (0 when the goal is absolute)
    p50: float
    p95: float
    goal: str
    met: bool
    best: float = 0.0  # the fastest sample: what the code costs when the machine lets it
    cpu: float = 0.0  # median CPU time of this process per sample (no waiting for a core)
    unit: str = "ms"


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18] if len(samples) >= 20 else max(samples)


def interleaved(ours: Callable[[], object], floor: Callable[[], object] | None,
                runs: int) -> tuple[list[float], list[float]]:
    """Samples (ms) of `ours` and of `floor`, taken one after the other, `runs` times."""
    a: list[float] = []
    b: list[float] = []
    cpu.clear()
    for _ in range(runs):
        if floor is not None:
            t = time.perf_counter()
            floor()
            b.append((time.perf_counter() - t) * 1000)
        t, c = time.perf_counter(), time.process_time()
        ours()
        a.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return a, b


cpu: list[float] = []  # CPU milliseconds of the last `interleaved` samples of `ours`


def _draft_note(vault: Vault) -> tuple[int, int, str]:
    """A recent, unsigned member note: (meeting id, member id, its participation)."""
    with vault.unit_of_work() as db:
        row = db.execute(text(
            "SELECT n.meeting_id, n.member_id, n.participation FROM member_notes n "
            "WHERE NOT EXISTS (SELECT 1 FROM signatures s WHERE s.member_note_id = n.id) "
            "ORDER BY n.id DESC LIMIT 1")).one()
    return int(row[0]), int(row[1]), str(row[2])


def _bare_cipher(folder: Path, vault: Vault) -> sqlcipher3.Connection:
    """The floor's database: a bare SQLCipher file, journal and sync as the vault's now."""
    con = sqlcipher3.connect(str(folder / "floor.db"), isolation_level=None)
    con.execute("PRAGMA key = 'floor'")
    con.execute(f"PRAGMA journal_mode = {vault.pragma('journal_mode')}")
    con.execute(f"PRAGMA synchronous = {int(vault.pragma('synchronous'))}")
    con.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, body TEXT)")
    con.execute("INSERT OR REPLACE INTO t VALUES (1, '')")
    return con


def autosave(vault: Vault, folder: Path) -> Line:
    meeting_id, member_id, base = _draft_note(vault)
    con = _bare_cipher(folder, vault)
    n = iter(range(10**9))

    def ours() -> None:
        ops_notes.save_member_note(vault, meeting_id, member_id,
                                   MemberNoteFields(participation=f"{base} {next(n)}"))

    def floor() -> None:
        con.execute("BEGIN")
        con.execute("UPDATE t SET body = ? WHERE id = 1", (f"{base} {next(n)}",))
        con.execute("COMMIT")

    a, b = interleaved(ours, floor, SAVES)
    con.close()
    return Line("autosave, service (p95)", p95(b), statistics.median(a), p95(a), "<= 2 ms",
                p95(a) <= 2.0, min(a), statistics.median(cpu))


def search_prefix(vault: Vault) -> Line:
    raw_sql = ("SELECT rowid FROM note_fts WHERE note_fts MATCH :q "
               "ORDER BY rowid DESC LIMIT 50")

    def ours() -> None:
        query(vault, search.search, PREFIX)

    def floor() -> None:
        with vault.unit_of_work() as db:
            db.execute(text(raw_sql), {"q": f'"{PREFIX}"*'}).all()

    a, b = interleaved(ours, floor, SEARCHES)
    return Line(f"search top 50, prefix '{PREFIX}'", statistics.median(b),
                statistics.median(a), p95(a), "<= 10 ms", statistics.median(a) <= 10.0, min(a),
                statistics.median(cpu))


def roster(vault: Vault) -> Line:
    with vault.unit_of_work() as db:
        group = int(db.execute(text("SELECT min(id) FROM therapy_groups")).scalar_one())
    a, _ = interleaved(lambda: query(vault, members.list_memberships, group), None, ROSTERS)
    return Line("roster of one group", 0.0, statistics.median(a), p95(a), "<= 20 ms",
                p95(a) <= 20.0, min(a), statistics.median(cpu))


def backup(vault: Vault, folder: Path) -> Line:
    n = iter(range(10**9))

    def ours() -> None:
        dest = folder / f"backup{next(n)}.vault"
        vault.backup_to(dest)
        dest.unlink()

    def floor() -> None:  # copy + fsync of the vault's file, in the same folder
        dest = folder / f"copy{next(n)}"
        with open(vault.path, "rb") as src, open(dest, "wb") as out:
            shutil.copyfileobj(src, out, 1024 * 1024)
            out.flush()
            os.fsync(out.fileno())
        dest.unlink()

    a, b = interleaved(ours, floor, BACKUPS)
    f, o = statistics.median(b), statistics.median(a)
    return Line("backup", f, o, max(a), "<= 2x copy+fsync", o <= 2 * f, min(a),
                statistics.median(cpu))


VERIFIES = 3


def verify(vault: Vault) -> list[Line]:
    """`Vault.verify` whole (pages, integrity, foreign keys, triggers, the audit chain,
    every signature and addendum) against the floor of the audit chain alone, streamed
    (`audit.check_chain`: every event read and its MAC recomputed), interleaved; then the
    peak Python memory of one verify (tracemalloc, a run of its own: it slows the code)."""
    def floor() -> None:
        with vault.unit_of_work() as db:
            audit.check_chain(db.connection())

    def ours() -> None:
        if vault.verify().problems:
            raise SystemExit("the practice vault does not verify")

    def checks() -> None:  # what SQLite itself must read: the pages' HMACs and structure
        before = vault.pragma("cache_size")
        vault.pragma(f"cache_size = -{VERIFY_CACHE_KIB}")  # verify's own cache
        try:
            floor()
            vault.pragma("cipher_integrity_check")
            vault.pragma("integrity_check")
        finally:
            vault.pragma(f"cache_size = {int(before)}")

    # Both floors in each round, so the program's samples serve both ratios (at ten years a
    # verify takes about 20 s: a second set of them would add a minute to `make bench`).
    b2: list[float] = []

    def floors() -> None:
        t = time.perf_counter()
        checks()
        b2.append((time.perf_counter() - t) * 1000)
        floor()

    a, b = interleaved(ours, floors, VERIFIES)
    b = [both - alone for both, alone in zip(b, b2, strict=True)]  # the chain alone
    f, o = statistics.median(b), statistics.median(a)
    a2, f2, o2 = a, statistics.median(b2), o
    tracemalloc.start()
    ours()
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return [Line("verify (time)", f, o, max(a), "<= 1.5x streamed chain", o <= 1.5 * f,
                 min(a), statistics.median(cpu)),
            Line("verify / (chain + SQLite's checks)", f2, o2, max(a2), "", False, min(a2)),
            Line("verify, peak Python memory", 0.0, peak, peak,
                 "<= 100 MB", peak <= 100.0, peak, unit="MB")]


def close_and_open(built: Built, folder: Path) -> Line:
    """Closing after a burst of saves (the checkpoint back to one file), against the same
    number of bare commits; then the reopen's key derivation is not counted."""
    a: list[float] = []
    for _ in range(3):
        vault = Vault.open(working_copy(built, folder), PASSPHRASE)
        meeting_id, member_id, base = _draft_note(vault)
        for i in range(50):
            ops_notes.save_member_note(vault, meeting_id, member_id,
                                       MemberNoteFields(participation=f"{base} c{i}"))
        t = time.perf_counter()
        vault.close()
        a.append((time.perf_counter() - t) * 1000)
        left = sorted(p.name for p in folder.iterdir() if p.name.startswith(built.path.name))
        if any(name.endswith(("-wal", "-shm", "-journal")) for name in left):
            raise SystemExit(f"the closed vault left {left}")
        vault.path.unlink()
    return Line("close after 50 saves (to one file)", 0.0, statistics.median(a), max(a),
                "<= 150 ms", max(a) <= 150.0, min(a))


def run(built: Built) -> list[Line]:
    with tempfile.TemporaryDirectory(dir=built.path.parent) as tmp:
        folder = Path(tmp)
        vault = Vault.open(working_copy(built, folder), PASSPHRASE)
        try:
            lines = [autosave(vault, folder), search_prefix(vault), roster(vault),
                     backup(vault, folder), *verify(vault)]
        finally:
            vault.close()
        vault.path.unlink()
        lines.append(close_and_open(built, folder))
    return lines


def show(built: Built, lines: list[Line]) -> None:
    print(f"\n{built.years} year(s) x {built.groups} group(s): {built.sessions:,} sessions, "
          f"{built.member_notes:,} member notes, {built.path.stat().st_size / 1e6:.0f} MB")
    print(f"  {'action':<36} {'floor':>9} {'this':>9} {'ratio':>7} {'p50':>9} {'p95':>9}"
          f" {'best':>9} {'cpu p50':>9}  goal")
    for x in lines:
        u = x.unit
        floor = f"{x.floor_ms:7.2f}{u}" if x.floor_ms else "       --"
        this = x.p95 if "p95" in x.action else x.p50  # the floor is the same statistic
        ratio = f"{this / x.floor_ms:6.2f}x" if x.floor_ms else "     --"
        print(f"  {x.action:<36} {floor} {this:7.2f}{u} {ratio} {x.p50:7.2f}{u} {x.p95:7.2f}{u}"
              f" {x.best:7.2f}{u} {x.cpu:7.2f}ms  "
              + (f"{x.goal}: {'met' if x.met else 'NOT MET'}" if x.goal else "(no goal)"))


def main() -> None:
    sizes = [(1, 1), (1, 10)] + ([] if "--quick" in sys.argv else [(10, 10)])
    if "--sizes" in sys.argv:
        asked = sys.argv[sys.argv.index("--sizes") + 1].split(",")
        sizes = [(int(y), int(g)) for g, y in (a.split("x") for a in asked)]
    results = []
    for years, groups in sizes:
        built = practice_vault(years, groups)
        lines = run(built)
        show(built, lines)
        results.append((built, lines))
    print("\ngrowth (p50, ms; x = against the smallest vault)")
    first = results[0][1]
    print(f"  {'action':<36}" + "".join(f" {f'{b.member_notes:,} notes':>18}"
                                        for b, _ in results))
    for i, line in enumerate(first):
        cells = "".join(f" {ls[i].p50:8.2f} ({ls[i].p50 / line.p50:5.1f}x)"
                        for _, ls in results)
        print(f"  {line.action:<36}{cells}")


if __name__ == "__main__":
    main()
