"""Start-up time: from process start to the unlock page shown, against a bare Qt window.

Both are measured side by side in the same run, as fresh processes on the offscreen
platform: the floor is a PySide6 script that shows an empty QMainWindow; the program is
`groupleader --vault FILE` (the command-line parser, then the real window showing the
unlock page). Each child prints a line once its window has been shown and the event loop
has turned once; the time is taken in this process from spawn to that line. Runs are
interleaved, and the median of each is reported with the ratio (goal: at most 1.3x).

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

GOAL = 1.3

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

PROGRAM = """
import sys
from groupleader.cli import build_parser
args = build_parser().parse_args(["--vault", sys.argv[1]])
from PySide6.QtCore import QTimer
from groupleader.ui.app import create_application, create_main_window
app = create_application(sys.argv[:1])
window = create_main_window(vault=args.vault_path)
window.show()
def shown():
    assert window.current_page is window.unlock_page, "not the unlock page"
    loaded = [m for m in ("sqlalchemy", "alembic", "reportlab", "sqlcipher3") if m in sys.modules]
    print("SHOWN", ",".join(loaded), flush=True)
    app.quit()
QTimer.singleShot(0, shown)
app.exec()
"""


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
    proc.wait(timeout=60)
    if not line.startswith("SHOWN"):
        raise SystemExit(f"the child did not show its window (exit {proc.returncode})")
    return elapsed, line.strip()


def main() -> int:
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 11
    with tempfile.TemporaryDirectory(prefix="gl-bench-") as tmp:
        home = Path(tmp)
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(home))
        # Like a user's second start: bytecode compiled once (the warm-up run) and cached,
        # here in a temporary folder so the source tree is left alone.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(home / "pycache")
        for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
            (home / var).mkdir()
            env[var] = str(home / var)
        vault = home / "bench.vault"
        from groupleader.data.vault import Vault

        Vault.create(vault, "bench passphrase", test_kdf_iter=64).close()  # only shown

        run_once(BARE, [], env)  # warm the disk cache for both
        _, loaded = run_once(PROGRAM, [str(vault)], env)
        bare: list[float] = []
        program: list[float] = []
        for _ in range(reps):
            bare.append(run_once(BARE, [], env)[0])
            program.append(run_once(PROGRAM, [str(vault)], env)[0])

    floor, ours = statistics.median(bare), statistics.median(program)
    ratio = ours / floor
    heavy = loaded.removeprefix("SHOWN").strip() or "none"
    print(f"start-up to first window, median of {reps} (offscreen):")
    print(f"  bare PySide6 QMainWindow   {floor * 1000:7.1f} ms")
    print(f"  groupleader unlock page    {ours * 1000:7.1f} ms")
    print(f"  ratio                      {ratio:7.2f}x  (goal <= {GOAL}x)")
    print(f"  heavy modules loaded before the unlock page: {heavy}")
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
