"""How long the seating view takes to switch between sessions (12 chairs, 200 interactions).

Prints the median time per switch (reading the session through the services, rebuilding
the model, scene, side list and counts table, and painting the window once), the part
spent reading the vault, and a floor measured in the same run: a shown QGraphicsView
given a new scene of 12 plain ellipses and painted. Goal: a switch under 50 ms.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QGraphicsScene, QGraphicsView

from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import roster as ops_roster
from groupleader.data.operations import seating as ops_seating
from groupleader.data.snapshots import (
    ChairSpec,
    ClinicianSpec,
    GroupSpec,
    MemberSpec,
    Party,
)
from groupleader.data.vault import Vault
from groupleader.ui.context import AppContext
from groupleader.ui.seating import SeatingView, adapter
from groupleader.ui.settings import Settings

RUNS = 41
CHAIRS = 12
INTERACTIONS = 200
PASSPHRASE = "bench passphrase for seating"


def timed_ms(fn: Callable[[], object], runs: int = RUNS) -> tuple[float, float]:
    """Median and fastest of `runs` calls, in ms (the fastest shows the figure on an idle
    machine when other work competes for the CPU)."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), min(times)


def build(vault: Vault) -> tuple[int, list[int]]:
    """A group of 11 members and a leader, two sessions each with a full circle of 12
    and 200 interactions."""
    leader = ops_groups.create_clinician(vault, ClinicianSpec("Leader Name", "leader")).value
    group = ops_groups.create_group(vault, GroupSpec("Bench group", "psychodynamic", (leader.id,),
                                                 max_size=20, target_size=12)).value
    people = [Party(clinician_id=leader.id)]
    for i in range(CHAIRS - 1):
        m = ops_roster.create_member(vault, MemberSpec(f"Member Number{i:02d}")).value
        ops_roster.add_membership(vault, m.id, group.id, "active", date(2024, 1, 1))
        people.append(Party(member_id=m.id))
    rnd = random.Random(7)
    sessions = []
    start = datetime(2025, 1, 9, 17, 0, tzinfo=UTC)
    for week in range(2):
        meeting = ops_meetings.schedule_meeting(
            vault, group.id, start + timedelta(weeks=week)
        ).value
        rnd.shuffle(people)
        ops_seating.save_seating(
            vault, meeting.id, [ChairSpec(p.member_id, p.clinician_id) for p in people]
        )
        for _ in range(INTERACTIONS):
            a = rnd.choice(people)
            b = rnd.choice([*people, None])
            ops_seating.add_interaction(vault, meeting.id, a, None if b == a else b)
        sessions.append(meeting.id)
    return group.id, sessions


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        vault = Vault.create(Path(tmp) / "bench.vault", PASSPHRASE)
        try:
            group_id, sessions = build(vault)
            ctx = AppContext(Settings(path=vault.path.with_name("settings.ini")))
            ctx.vault = vault
            view = SeatingView(ctx)
            view.resize(1100, 700)
            view.show()
            view.set_group(group_id)
            app.processEvents()
            assert len(view.scene.chairs) == CHAIRS
            assert len(view.model.interactions) == INTERACTIONS
            flip = iter(range(10**9))

            def switch() -> None:
                view.show_session(sessions[next(flip) % 2])
                app.processEvents()
                view.repaint()  # paint the whole window now, synchronously

            group_snap = view.group
            snaps = {m.id: m for m in view.sessions}

            def load_only() -> None:
                adapter.load_session(vault, snaps[sessions[next(flip) % 2]], group_snap)

            plain = QGraphicsView()
            plain.resize(600, 600)
            plain.show()
            scenes: list[QGraphicsScene] = []

            def floor() -> None:
                scene = QGraphicsScene()
                for i in range(CHAIRS):
                    scene.addEllipse(i * 45.0, 0.0, 40.0, 40.0)
                plain.setScene(scene)
                scenes.append(scene)  # keep it alive until the view has painted it
                app.processEvents()
                plain.repaint()

            def switch_unpainted() -> None:
                view.show_session(sessions[next(flip) % 2])

            floor_ms = timed_ms(floor)
            load_ms = timed_ms(load_only)
            build_ms = timed_ms(switch_unpainted)
            switch_ms = timed_ms(switch)
        finally:
            vault.close()
    rows = [
        (f"floor: new scene of {CHAIRS} ellipses, painted", floor_ms),
        ("read one session through the services", load_ms),
        ("switch, not yet painted", build_ms),
        (f"switch, painted ({CHAIRS} chairs, {INTERACTIONS} interactions)", switch_ms),
    ]
    print(f"{'':52} {'median':>9} {'fastest':>9} {'x floor':>9}")
    for name, (med, fast) in rows:
        print(f"{name:52} {med:7.2f}ms {fast:7.2f}ms {med / floor_ms[0]:9.1f}")
    verdict = "met" if switch_ms[0] < 50 else "NOT met"
    print(f"goal: a painted switch under 50 ms (median): {verdict}")


if __name__ == "__main__":
    main()
