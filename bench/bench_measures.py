"""How fast a member's trends open with ten years of weekly scores, against a floor.

A group with 520 weekly held sessions (ten years) and 9 members who each filled in the
CORE-10, the PHQ-9 and the GAD-7 every week, and the GCQ-S (about 18,700 stored forms).
Opening one member's trends: `measures.member_trends` (one indexed query, the trend data
with its reliable-change markers) and the Qt Charts built from it, one per instrument,
offscreen. Target: under 50 ms. Floor: one plain SELECT of the same member's score rows
over the same encrypted connection.

Run: QT_QPA_PLATFORM=offscreen python bench/bench_measures.py
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, text

from groupleader.data.models import MeasureScore, Meeting, Member
from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import query
from groupleader.data.services import measures
from groupleader.data.snapshots import ClinicianSpec, GroupSpec
from groupleader.data.vault import Vault
from groupleader.measures import registry, scoring

RUNS = 9
WEEKS, MEMBERS = 520, 9
INSTRUMENTS = ("core10", "phq9", "gad7", "gcqs")


def median_ms(fn: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def seed(vault: Vault) -> tuple[int, int]:
    """Ten years of weekly forms, seeded straight through the ORM in one unit of work (a
    benchmark's setup, not the program's way of writing); every form scored by the engine."""
    rng = random.Random(17)
    lead = ops_groups.create_clinician(vault, ClinicianSpec("Bench Leader", "leader")).value
    group_id = ops_groups.create_group(vault, GroupSpec(
        "Bench group", "psychodynamic", (lead.id,))).value.id
    start = datetime(2015, 1, 6, 17, 0, tzinfo=UTC)
    with vault.unit_of_work() as db:
        db.execute(insert(Meeting), [
            {"group_id": group_id, "number": n + 1, "starts_at": start + timedelta(weeks=n),
             "length_minutes": 90, "status": "held"} for n in range(WEEKS)])
        meeting_ids = [r[0] for r in db.execute(text("SELECT id FROM meetings ORDER BY number"))]
        db.execute(insert(Member), [{"full_name": f"Member {i}"} for i in range(MEMBERS)])
        member_ids = [r[0] for r in db.execute(text("SELECT id FROM members ORDER BY id"))]
        rows = []
        for member_id in member_ids:
            for mid in meeting_ids:
                for key in INSTRUMENTS:
                    inst = registry.instrument(key)
                    answers: list[int | None] = [
                        rng.randint(inst.min_value, inst.max_value) for _ in inst.items]
                    for n in inst.risk_items:
                        answers[n - 1] = 0
                    result = scoring.score(inst, answers)
                    rows.append({"meeting_id": mid, "member_id": member_id, "instrument": key,
                                 "answers": answers, "status": result.status,
                                 "score_values": result.values, "total": result.total,
                                 "entered_at": start})
        db.execute(insert(MeasureScore), rows)
    return group_id, member_ids[MEMBERS // 2]


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from groupleader.ui.measures.charts import TrendChart

    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        vault = Vault.create(Path(tmp) / "bench.vault", "bench passphrase", test_kdf_iter=256)
        t0 = time.perf_counter()
        group_id, member_id = seed(vault)
        forms = WEEKS * MEMBERS * len(INSTRUMENTS)
        print(f"seeded {forms:,} forms ({WEEKS} weekly sessions, {MEMBERS} members) in "
              f"{time.perf_counter() - t0:.1f} s")
        charts: list[TrendChart] = [TrendChart() for _ in range(3)]

        def read() -> None:
            trends = query(vault, measures.member_trends, member_id, group_id)
            assert len(trends) == 3 and len(trends[0].series[0].points) == WEEKS

        def open_trends() -> None:
            trends = query(vault, measures.member_trends, member_id, group_id)
            for chart, trend in zip(charts, trends, strict=True):
                chart.show_trend(trend)
            app.processEvents()

        def floor() -> None:
            with vault.unit_of_work() as db:
                db.execute(text(
                    "SELECT m.starts_at, s.instrument, s.score_values FROM measure_scores s "
                    "JOIN meetings m ON m.id = s.meeting_id WHERE s.member_id = :m "
                    "AND m.group_id = :g ORDER BY m.starts_at"),
                    {"m": member_id, "g": group_id}).all()

        open_trends()
        floor_ms = median_ms(floor)
        read_ms = median_ms(read)
        open_ms = median_ms(open_trends)
        verdict = "OK" if open_ms <= 50 else "SLOWER THAN TARGET"
        print(f"member_trends (3 instruments x {WEEKS} forms of one member): "
              f"{read_ms:.1f} ms  ratio to floor {read_ms / floor_ms:.1f}x")
        print(f"open a member's trends (read + 3 Qt charts of {WEEKS} points): "
              f"{open_ms:.1f} ms  (target <= 50 ms: {verdict})  "
              f"ratio to floor {open_ms / floor_ms:.1f}x")
        print(f"  floor, one SELECT of the same rows: {floor_ms:.2f} ms")
        vault.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
