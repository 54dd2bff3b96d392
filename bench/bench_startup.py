"""Start-up time: from process start to the unlock page shown, against a bare Qt window.

Both are measured side by side in the same run, as fresh processes on the offscreen
platform: the floor is a PySide6 script that shows an empty QMainWindow (and, as a second
line, the same script using one enum of Qt's namespace, which PySide6 makes whole on first
use: what any Qt program pays and the bare window does not); the program is
the whole `groupleader --vault FILE` start (`groupleader.cli.main`: the process hardening,
the command line, the application, the crash handler, the window showing the unlock page).
The only addition is a hook around `create_main_window` that prints a line once the window
has been shown and the event loop has turned once, then quits; the time is taken in this
process from spawn to that line. Runs are interleaved; p50 and p95 of each are reported
with the ratio of the medians (goal: at most 1.2x).

Bytecode as after `make run` / a wheel install: compiled once before the timed runs (here
into a temporary PYTHONPYCACHEPREFIX, so the source tree is left alone).

Run: .venv/bin/python bench/bench_startup.py [repetitions]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL = 1.2

BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1100, 720)
window.show()
QTimer.singleShot(0, lambda: (print("SHOWN", flush=True), app.quit()))
app.exec()
"""

# The same bare window, using one name of Qt's namespace (any Qt program does: alignments,
# keys, focus policies). PySide6 makes every enum of the namespace, as Python enums, when
# the namespace is first used: a cost no program avoids, and the bare window never pays.
BARE_QT = BARE.replace("app = QApplication", "from PySide6.QtCore import Qt\n"
                       "Qt.AlignmentFlag.AlignLeft\napp = QApplication", 1)

PROGRAM = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import groupleader.cli
import groupleader.ui.app as app_module
real_create = app_module.create_main_window
def create(*args, **kwargs):
    window = real_create(*args, **kwargs)
    def shown():
        assert window.current_page is window.unlock_page, "not the unlock page"
        heavy = ("sqlalchemy", "alembic", "reportlab", "sqlcipher3")
        loaded = [m for m in heavy if m in sys.modules]
        print("SHOWN", ",".join(loaded), flush=True)
        QApplication.quit()
    QTimer.singleShot(0, shown)
    return window
app_module.create_main_window = create
sys.exit(groupleader.cli.main(["--vault", sys.argv[1]]))
"""


CPU: dict[str, list[float]] = {}  # CPU ms (user + system) of each whole child process


def run_once(script: str, args: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - start
    _pid, status, usage = os.wait4(proc.pid, 0)  # its CPU time too (the machine is shared)
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stdout.close()
    if not line.startswith("SHOWN"):
        raise SystemExit(f"the child did not show its window (exit {proc.returncode})")
    CPU.setdefault(script, []).append((usage.ru_utime + usage.ru_stime) * 1000)
    return elapsed, line.strip()


def p50_p95(samples: list[float]) -> tuple[float, float]:
    return statistics.median(samples), statistics.quantiles(samples, n=20)[18]


def main() -> int:
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 11
    with tempfile.TemporaryDirectory(prefix="gl-bench-") as tmp:
        home = Path(tmp)
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(home))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(home / "pycache")
        for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
            (home / var).mkdir()
            env[var] = str(home / var)
        vault = home / "bench.vault"
        from groupleader.data.vault import Vault

        Vault.create(vault, "bench passphrase", test_kdf_iter=64).close()  # only shown

        run_once(BARE, [], env)  # warm the disk cache and compile both once
        run_once(BARE_QT, [], env)
        _, loaded = run_once(PROGRAM, [str(vault)], env)
        bare: list[float] = []
        bare_qt: list[float] = []
        program: list[float] = []
        for i in range(reps):  # interleaved, in alternating order
            runs = [(BARE, [], bare), (BARE_QT, [], bare_qt), (PROGRAM, [str(vault)], program)]
            for script, args, into in runs if i % 2 == 0 else runs[::-1]:
                into.append(run_once(script, args, env)[0] * 1000)

    f50, f95 = p50_p95(bare)
    s50, s95 = p50_p95(program)
    ratio = s50 / f50
    heavy = loaded.removeprefix("SHOWN").strip() or "none"
    print(f"start -> first window (whole process, {reps} runs, offscreen): floor bare PySide6 "
          f"QMainWindow p50 {f50:.1f} ms p95 {f95:.1f} ms; program groupleader --vault "
          f"p50 {s50:.1f} ms p95 {s95:.1f} ms; ratio {ratio:.2f}x; goal <= {GOAL}x: "
          f"{'met' if ratio <= GOAL else 'not met'}")
    q50, q95 = p50_p95(bare_qt)
    print(f"  the bare window that also uses Qt's namespace (one enum: PySide6 makes all of "
          f"them on first use) p50 {q50:.1f} ms p95 {q95:.1f} ms, {q50 / f50:.2f}x the bare "
          f"window; the program against it {s50 / q50:.2f}x")
    print(f"  heavy modules loaded before the unlock page: {heavy}")
    c_floor, c_program = (statistics.median(CPU[k][-reps:]) for k in (BARE, PROGRAM))
    print(f"  CPU time of the whole process (user + system, to its exit; steadier than the "
          f"wall clock on a busy machine): floor p50 {c_floor:.0f} ms, program p50 "
          f"{c_program:.0f} ms, ratio {c_program / c_floor:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
