"""Benchmark of the Sessions view on a large vault: open a session, autosave, search.

Reuses bench_data.py's builder (10 groups x 480 sessions x 8 members, ~38,400 member
notes, production key derivation). Times are medians of real widgets filled offscreen,
each printed beside a floor measured in the same run on a plain sqlite3 copy of the same
notes (no encryption, no ORM, no widgets):

- open a session (service + widgets)   goal < 50 ms   floor: select one session's notes
- an autosave (controller + service)   goal < 20 ms   floor: one fsynced UPDATE + commit
- a search (service + results model)   goal < 50 ms   floor: FTS5 top 50

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_notes.py
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_data import COMMON, RARE, build
from PySide6.QtWidgets import QApplication

from groupleader.data.operations import query
from groupleader.data.services import meetings, notes
from groupleader.ui.context import AppContext
from groupleader.ui.find import FindDialog
from groupleader.ui.sessions import SessionsView
from groupleader.ui.sessions.session_list import load_rows
from groupleader.ui.settings import Settings

RUNS = 25
GOALS = {"open": 50.0, "autosave": 20.0, "search": 50.0}


def timed(fn: Callable[[], object], runs: int = RUNS) -> float:
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples)


def line(name: str, ms: float, floor: float | None = None, goal: float | None = None) -> None:
    extra = f"  x{ms / floor:6.1f} the floor" if floor else ""
    if goal is not None:
        extra += f"  (goal < {goal:.0f} ms: {'met' if ms < goal else 'NOT met'})"
    print(f"  {name:<50} {ms:8.2f} ms{extra}")


def main() -> None:
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        path = Path(tmp) / "large.vault"
        vault, targets = build(path, 480)
        print(f"large vault: {len(targets) * 8:,} member notes, built in "
              f"{time.perf_counter() - t:.1f} s ({path.stat().st_size / 1e6:.0f} MB)")
        plain = sqlite3.connect(path.with_suffix(".plain.db"))
        plain.execute("PRAGMA synchronous = FULL")
        plain.execute("PRAGMA journal_mode = DELETE")
        plain.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, body TEXT)")
        plain.execute("INSERT OR REPLACE INTO t VALUES (1, '')")
        plain.commit()
        counter = iter(range(10**9))

        def plain_write() -> None:
            plain.execute("UPDATE t SET body = ? WHERE id = 1", (f"draft {next(counter)}",))
            plain.commit()

        ctx = AppContext(Settings(path=vault.path.with_name("settings.ini")))
        ctx.vault = vault
        ctx.clinician_id = 1
        view = SessionsView(ctx)
        view.resize(1300, 800)
        view.show()
        group_id = 5
        t = time.perf_counter()
        view.set_group(group_id)
        list_ms = (time.perf_counter() - t) * 1000
        ids = [m.id for m in view.sessions.model.sessions()]
        a, b = ids[1], ids[2]  # recent sessions, whose notes are still drafts (editable)
        app.processEvents()

        floors = {
            "open": timed(lambda: plain.execute(
                "SELECT * FROM member_notes WHERE meeting_id = ?", (a,)).fetchall()),
            "autosave": timed(plain_write),
            "search": timed(lambda: plain.execute(
                "SELECT rowid, snippet(note_fts, 0, '[', ']', '…', 12) FROM note_fts "
                "WHERE note_fts MATCH ? ORDER BY rank LIMIT 50", (RARE,)).fetchall()),
        }
        toggle = iter(range(10**9))

        def open_session() -> None:
            view.select_meeting(a if next(toggle) % 2 else b)

        service_open = timed(lambda: (query(vault, notes.load_meeting_notes, a),
                                      query(vault, meetings.eligible_members, a)))
        open_ms = timed(open_session)
        view.select_meeting(a)
        view.tabs.setCurrentIndex(1)
        edit = view.group_editor.fields["themes"].edit

        def autosave() -> None:
            edit.insertPlainText("x")  # an edit, as a keystroke makes
            t0 = time.perf_counter()
            view.autosave.flush()
            samples.append((time.perf_counter() - t0) * 1000)

        samples: list[float] = []
        vault.last_saved = None
        for _ in range(RUNS):
            autosave()
        assert vault.last_saved is not None, "the autosave wrote nothing: is the note signed?"
        autosave_ms = statistics.median(samples)

        find = FindDialog(ctx)
        searches = iter([RARE, COMMON] * RUNS)
        find.query.setText(RARE)

        def run_search(word: str) -> None:
            find.query.blockSignals(True)
            find.query.setText(word)
            find.query.blockSignals(False)
            find.run()

        search_rare = timed(lambda: run_search(RARE))
        search_common = timed(lambda: run_search(COMMON))
        del searches

        print("\nfloors (plain sqlite3, same notes, same run):")
        for name, ms in floors.items():
            line(name, ms)
        print("\nSessions view:")
        line("open a session: services only", service_open, floors["open"])
        line("open a session: services + widgets filled", open_ms, floors["open"],
             GOALS["open"])
        line("autosave the group note (controller + service)", autosave_ms,
             floors["autosave"], GOALS["autosave"])
        line(f"search a rare word ({RARE}) + results model", search_rare, floors["search"],
             GOALS["search"])
        line(f"search a common word ({COMMON}) + results model", search_common,
             floors["search"], GOALS["search"])
        line(f"session list of one group ({len(ids)} sessions, once, with widgets)", list_ms)
        line("session list rows: meetings.meeting_overview", timed(
            lambda: load_rows(vault, group_id, 7)))
        view.clear_clinical()
        plain.close()
        vault.close()


if __name__ == "__main__":
    main()
