"""A kill in the middle of typing loses at most the last second or two, and the vault is sound.

A small Qt program (offscreen) opens the vault, types into the group note editor and is
SIGKILLed about 1.5 s after the last keystroke, with no chance to save on the way out.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from groupleader.data.operations import query
from groupleader.data.services import notes
from tests.conftest import PASSPHRASE, TEST_KDF_ITER, open_vault
from tests.ui.sessions_support import build

CHILD = textwrap.dedent("""
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from groupleader.data.vault import Vault
    from groupleader.ui.context import AppContext
    from groupleader.ui.settings import Settings
    from groupleader.ui.sessions import SessionsView
    path, kdf, group_id = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    vault = Vault.open(path, os.environ["CHILD_PASSPHRASE"], test_kdf_iter=kdf)
    ctx = AppContext(Settings(path=vault.path.with_name("settings.ini")))
    ctx.vault = vault
    view = SessionsView(ctx)
    view.show()
    view.set_group(group_id)
    view.tabs.setCurrentIndex(1)
    edit = view.group_editor.fields["themes"].edit
    edit.setFocus()
    for ch in sys.argv[4]:  # real key events, one per character (QTest's are ASCII only)
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(edit, QKeyEvent(kind, Qt.Key.Key_unknown,
                                                   Qt.KeyboardModifier.NoModifier, ch))
        QTest.qWait(5)
    print("TYPED", flush=True)
    app.exec()
""")

TEXT = "Typed just before the power went out; שלום 🙂"


@pytest.mark.slow
def test_text_typed_before_a_kill_is_in_the_vault(vault_factory, tmp_path: Path) -> None:
    vault = vault_factory()
    world = build(vault)
    path = vault.path
    vault.close()
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    env = {**os.environ, "CHILD_PASSPHRASE": PASSPHRASE, "QT_QPA_PLATFORM": "offscreen"}
    # child.err is kept for diagnosis if the child fails
    with (tmp_path / "child.err").open("w") as err, subprocess.Popen(
        [sys.executable, str(script), str(path), str(TEST_KDF_ITER), str(world.group_id), TEXT],
        stdout=subprocess.PIPE, stderr=err, env=env, text=True,
        cwd=Path(__file__).resolve().parents[2],
    ) as child:
        try:
            assert child.stdout is not None
            line = child.stdout.readline()  # blocks until the typing is done
            assert line.strip() == "TYPED"
            time.sleep(1.5)
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=10)
            assert child.returncode == -signal.SIGKILL  # killed, not a clean exit
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()

    again = open_vault(path)  # the OS released the lock with the process
    try:
        assert again.integrity_problems() == []
        note = query(again, notes.load_meeting_notes, world.meeting_id).group_note
        assert note is not None and note.fields.themes == TEXT
    finally:
        again.close()
