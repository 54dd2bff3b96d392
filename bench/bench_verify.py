"""Benchmark of `Vault.verify`: time and peak Python memory against the size of the record.

Builds the busy practice of bench_data.py at two sizes, a year and five years (production
key derivation), binds every signature (its digest, and a sign event with its detail, as
signing does); both are built once and kept in bench/.cache, each run works on a copy. Then
times `verify` (median of 3) and its peak traced memory. Floor: the
same rows read with one SELECT per table, no digest computed. Flat memory means the peak
grows far slower than the record.

    .venv/bin/python bench/bench_verify.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_data

from groupleader.data import audit, clock, digests
from groupleader.data import vault as vault_mod
from groupleader.data.vault import Vault


def bind_all(vault: Vault) -> int:
    """Digests and sign events for every signature the builder inserted bare."""
    with vault.unit_of_work() as db:
        db.execute(text("DROP TRIGGER signatures_locked_update"))
        rows = db.execute(text("SELECT id, meeting_note_id, member_note_id, signed_by_id, "
                               "signed_at FROM signatures")).all()
        events = []
        for r in rows:
            kind, note_id = ("group", r[1]) if r[1] is not None else ("member", r[2])
            payload = digests.signature_payload(db, kind, note_id, r[3], r[4])
            assert payload is not None
            parts = digests.signature_parts(payload)
            db.execute(text("UPDATE signatures SET digest = :d WHERE id = :id"),
                       {"d": parts["digest"], "id": r[0]})
            events.append(audit.Pending(clock.now(), f"note.{kind}.sign", f"{kind}_note",
                                        note_id, digests.detail(**parts)))
        audit.append(db, events)
        db.execute(text(vault_mod.expected_triggers()["signatures_locked_update"]))
    return len(rows)


def count_signatures(vault: Vault) -> int:
    with vault.unit_of_work() as db:
        return int(db.execute(text("SELECT count(*) FROM signatures")).scalar_one())


def floor(vault: Vault) -> float:
    t = time.perf_counter()
    with vault.unit_of_work() as db:
        for table in ("meeting_notes", "member_notes", "signatures", "attendance", "seats",
                      "audit_events"):
            for _ in db.execute(text(f"SELECT * FROM {table}")):
                pass
    return time.perf_counter() - t


def measure(label: str, meetings_per_group: int, workdir: Path) -> None:
    path = workdir / f"{label}.vault"
    vault, _, seconds = bench_data.build_cached(path, meetings_per_group, bind_all)
    with vault:
        signed = count_signatures(vault)
        times = []
        for _ in range(3):
            t = time.perf_counter()
            problems = vault.verify().problems
            times.append(time.perf_counter() - t)
        assert problems == [], problems[:5]
        tracemalloc.start()
        vault.verify()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        base = floor(vault)
    built = "cached" if seconds is None else f"built in {seconds:.0f} s"
    print(f"\n{label}: {signed:,} signatures ({built}, {path.stat().st_size / 1e6:.0f} MB)")
    print(f"  verify, median of 3                 {statistics.median(times):8.2f} s")
    print(f"  verify, peak traced Python memory   {peak / 1e6:8.1f} MB")
    print(f"  floor: read the same rows            {base:8.2f} s")


def main() -> None:
    with tempfile.TemporaryDirectory() as where:
        measure("a year", 48, Path(where))
        measure("five years", 240, Path(where))


if __name__ == "__main__":
    main()
