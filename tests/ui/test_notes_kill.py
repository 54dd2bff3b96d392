"""A kill in the middle of typing loses at most the last two seconds, and the vault is sound.

Each child process runs the real main window (offscreen): it unlocks a vault, opens the
group note of a session and types into it, one real key event every 40 ms (never a
pause of 200 ms, let alone the one-second pause the debounce waits for), and is SIGKILLed while
it is still typing, with no chance to save on the way out. The children run at the same
time, so the test costs one child's time; each is killed at another moment of the
autosave's cycle. A fourth stops typing and is killed 1.5 s later: all of it is in.

The keys are pressed on a fixed schedule (key i at START + 40 ms * i, CLOCK_MONOTONIC, the
same in every process) and the child delivers each one as soon as its event loop can,
as the window system would queue them while the program is busy, so the test knows
exactly when each key was pressed, and a moment the program itself is busy (a save)
counts against it, not as a pause of the typist.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from groupleader.data.operations import query
from groupleader.data.services import notes
from groupleader.data.vault import Vault
from tests.conftest import PASSPHRASE, TEST_KDF_ITER, open_vault
from tests.ui.sessions_support import build

CHILD = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from PySide6.QtCore import QEvent, Qt, QTimer
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from groupleader.ui import unlock
    from groupleader.ui.main_window import MainWindow
    from groupleader.ui.settings import Settings
    path, kdf, group_id, keys = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    text = os.environ["CHILD_TEXT"][:keys]
    unlock.TEST_ONLY_KDF_ITER = kdf  # the tests' low key derivation, as in tests/ui
    settings = Settings(path=Path(path).with_name("settings.ini"))
    settings.backup_folder = str(Path(path).with_name("backups"))
    window = MainWindow(settings, vault_path=path)
    window.show()
    window.unlock_page.passphrase.setText(os.environ["CHILD_PASSPHRASE"])
    window.unlock_page.submit()
    pressed = []  # keys are pressed on a schedule, one every 40 ms, as by a steady typist;
    t0 = [0.0]    # the app takes them when it can (a busy moment queues them, as X11 does)

    def deliver():
        edit = QApplication.focusWidget()
        due = min(len(text), int((time.monotonic() - t0[0]) / 0.04) + 1)
        while len(pressed) < due:
            i = len(pressed)
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):  # through the app
                QApplication.sendEvent(edit, QKeyEvent(kind, Qt.Key.Key_unknown,
                                                       Qt.KeyboardModifier.NoModifier, text[i]))
            pressed.append(i)
            print("K", i, time.monotonic(), flush=True)
        if len(pressed) == len(text):
            typing.stop()
            print("DONE", flush=True)

    typing = QTimer()
    typing.setInterval(10)
    typing.timeout.connect(deliver)

    def when_unlocked():
        if window.ctx.vault is None:
            QTimer.singleShot(20, when_unlocked)
            return
        assert window.workspace.sidebar.select_group(group_id)
        window.workspace.tabs.setCurrentIndex(2)  # Sessions & Notes
        view = window.workspace.sessions_view
        view.tabs.setCurrentIndex(1)  # Group note
        edit = view.group_editor.fields["themes"].edit
        edit.setFocus()
        app.processEvents()
        assert QApplication.focusWidget() is edit
        t0[0] = time.monotonic()
        print("START", t0[0], flush=True)
        typing.start()

    QTimer.singleShot(0, when_unlocked)
    app.exec()
""")

# Numbered words (so a prefix can be told from a jumble), right-to-left text and emoji.
TEXT = "".join(f"{i:03d} שלום 🙂 " for i in range(80))
EVERY_S = 0.04  # a key every 40 ms
TYPING_S = 10.0  # how long each child types before its kill (plus its offset)
MOMENTS = (0.0, 0.5, 1.0)  # offsets into the autosave's 1.5 s cycle
PAUSED = "paused"


@dataclass
class Run:
    path: Path
    meeting_id: int
    started: float = 0.0  # the first key's press; key i is pressed EVERY_S * i later
    killed_at: float = 0.0
    taken_at: list[float] = field(default_factory=list)  # when the window took each key
    done: bool = False  # typed all it was given
    stderr: str = ""

    def pressed(self, i: int) -> float:
        return self.started + EVERY_S * i


def _drive(child: subprocess.Popen[str], run: Run, kill: float | None, after_done: float,
           deadline: float) -> None:
    """Read the child's keys; SIGKILL it `kill` s after its first key (or `after_done`
    s after it typed everything); everything it printed before dying is read."""
    assert child.stdout is not None

    def read(line: str) -> None:
        if line.startswith("START "):
            run.started = float(line.split()[1])
        elif line.startswith("K "):
            run.taken_at.append(float(line.split()[2]))

    for line in child.stdout:
        read(line)
        if line.startswith("DONE"):
            run.done = True
            time.sleep(after_done)
        now = time.monotonic()
        due = kill is not None and run.started and now >= run.started + kill
        if due or run.done or now > deadline:
            run.killed_at = time.monotonic()
            child.send_signal(signal.SIGKILL)
            break
    for line in child.stdout:  # printed before the kill
        read(line)
    child.wait(timeout=10)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[object, Run]:
    """Start every child at once, kill each at its moment, return what each typed."""
    root = tmp_path_factory.mktemp("kill")
    script = root / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    plans: dict[object, tuple[int, float | None]] = {
        m: (len(TEXT), TYPING_S + m) for m in MOMENTS}  # more text than time: still typing
    plans[PAUSED] = (60, None)
    children, threads, result = [], [], {}
    for name, (keys, kill) in plans.items():
        folder = root / f"run-{name}"
        home = folder / "home"
        home.mkdir(parents=True)
        path = folder / "clinic.vault"
        with Vault.create(path, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER) as vault:
            world = build(vault)
        run = result[name] = Run(path, world.meeting_id)
        env = {**os.environ, "CHILD_PASSPHRASE": PASSPHRASE, "CHILD_TEXT": TEXT,
               "QT_QPA_PLATFORM": "offscreen", "HOME": str(home),
               **{v: str(home / v.lower()) for v in ("XDG_DATA_HOME", "XDG_CONFIG_HOME",
                                                     "XDG_CACHE_HOME", "XDG_STATE_HOME")}}
        err = (folder / "child.err").open("w")  # kept for diagnosis if a child fails
        child = subprocess.Popen(
            [sys.executable, str(script), str(path), str(TEST_KDF_ITER), str(world.group_id),
             str(keys)],
            stdout=subprocess.PIPE, stderr=err, env=env, text=True,
            cwd=Path(__file__).resolve().parents[2])
        children.append((child, err, folder, run))
        deadline = time.monotonic() + TYPING_S + 40
        threads.append(threading.Thread(target=_drive, args=(child, run, kill, 1.5, deadline)))
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=TYPING_S + 60)
    finally:
        for child, err, folder, run in children:
            if child.poll() is None:
                child.kill()
                child.wait()
            if child.stdout is not None:
                child.stdout.close()
            err.close()
            run.stderr = (folder / "child.err").read_text(encoding="utf-8")
            assert child.returncode == -signal.SIGKILL, run.stderr  # killed, no clean exit
    return result


def _saved(run: Run) -> str:
    again = open_vault(run.path)  # the OS released the lock with the process
    try:
        assert again.integrity_problems() == []
        note = query(again, notes.load_meeting_notes, run.meeting_id).group_note
        return note.fields.themes if note else ""
    finally:
        again.close()


@pytest.mark.slow
@pytest.mark.parametrize("moment", MOMENTS)
def test_a_kill_while_typing_never_pauses_loses_at_most_two_seconds(
    runs: dict[object, Run], moment: float
) -> None:
    run = runs[moment]
    taken = run.taken_at
    assert not run.done and run.started, run.stderr
    typing_for = run.killed_at - run.started
    assert typing_for > TYPING_S - 0.1  # ten seconds of keys, a key every 40 ms
    # the window took the keys as they came, up to the kill (a busy moment may queue a few)
    assert len(taken) >= typing_for / EVERY_S - 10
    assert run.killed_at - taken[-1] < 0.2
    saved = _saved(run)
    assert TEXT.startswith(saved)  # what was typed, in order, nothing else
    assert len(saved) < len(taken)  # (the last keys were not saved yet)
    lost_for = run.killed_at - run.pressed(len(saved))  # since the first key not saved
    assert lost_for <= 2.0, (lost_for, len(saved))


@pytest.mark.slow
def test_text_typed_a_moment_before_a_kill_is_all_in_the_vault(
    runs: dict[object, Run]
) -> None:
    run = runs[PAUSED]
    assert run.done, run.stderr
    assert run.killed_at - run.taken_at[-1] >= 1.5  # a pause of 1.5 s, then the kill
    assert _saved(run) == TEXT[:60]
