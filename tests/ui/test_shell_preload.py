"""The data layer and the views are imported on a thread while the passphrase is typed:
not before (the first window stays quick), and all of them by the time Unlock is pressed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import sys, threading
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from groupleader.ui import preload
from groupleader.ui.main_window import MainWindow
from groupleader.ui.settings import Settings
app = QApplication([])
folder = sys.argv[1]
window = MainWindow(Settings(path=folder + "/settings.ini"), vault_path=folder + "/x.vault")
window.show()
app.processEvents()
print("BEFORE", "sqlalchemy" in sys.modules, "groupleader.ui.sessions" in sys.modules)
main_thread = threading.current_thread()
QTest.keyClicks(window.unlock_page.passphrase.edit, "a")
preload.settle()
print("AFTER", *[name in sys.modules for name in preload.MODULES])
print("THREADS", preload._thread is not None and preload._thread is not main_thread)
"""


def test_typing_the_passphrase_imports_the_data_layer_and_views_on_a_thread(
        tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"),
               PYTHONPATH=str(ROOT))
    run = subprocess.run([sys.executable, "-c", PROBE, str(tmp_path)], capture_output=True,
                         text=True, env=env, timeout=120, cwd=tmp_path)
    lines = {line.split()[0]: line.split()[1:] for line in run.stdout.splitlines()}
    assert lines.get("BEFORE") == ["False", "False"], run.stderr[-2000:]
    assert lines.get("AFTER") and all(flag == "True" for flag in lines["AFTER"]), lines
    assert lines.get("THREADS") == ["True"]
