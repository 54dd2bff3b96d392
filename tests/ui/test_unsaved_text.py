"""No path drops text that could not be saved: with the disk refusing every write (SQLite's
own "database or disk is full" at the connection's commit), Ctrl+L, the idle auto-lock,
Quit, opening another vault and switching group or session each keep the text, and it is
saved once the disk takes writes again. The whole main window with its real views."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from groupleader.data.operations import query
from groupleader.data.services import meetings, notes
from groupleader.ui import unsaved
from groupleader.ui.main_window import MainWindow
from groupleader.ui.sessions import SessionsView
from tests.conftest import PASSPHRASE, TEST_KDF_ITER, open_vault
from tests.ui.sessions_support import build
from tests.ui.shell_support import (
    FailingDisk,
    Messages,
    holds,
    unlock_with,
    unlocked_window,
    visible_texts,
)

MakeWindow = Callable[..., MainWindow]
REAL_ASK = unsaved.ask  # taken before tests/ui/conftest.py answers the questions
TEXT = "Marta spoke of her father for the first time Kiwi-Basalt-4417"
MARKER = "Kiwi-Basalt-4417"
GROUP = "Tuesday group"  # the group's name: clinical too, shown only while unlocked


class Scene:
    """An unlocked window on the Sessions tab, the group note being typed into."""

    def __init__(self, qtbot: Any, window: MainWindow, group_id: int, meeting_id: int,
                 other_group_id: int, earlier_meeting_id: int) -> None:
        self.qtbot, self.window = qtbot, window
        self.group_id, self.meeting_id = group_id, meeting_id
        self.other_group_id, self.earlier_meeting_id = other_group_id, earlier_meeting_id
        self.disk: FailingDisk | None = None

    @property
    def view(self) -> SessionsView:
        view = self.window.workspace.sessions_view
        assert view is not None
        return view

    def editor_text(self) -> str:
        return self.view.group_editor.fields["themes"].edit.toPlainText()

    def type_text(self, text: str = TEXT) -> None:
        self.view.tabs.setCurrentIndex(1)  # Group note
        edit = self.view.group_editor.fields["themes"].edit
        edit.setFocus()
        self.qtbot.keyClicks(edit, text)

    def fill_disk(self) -> FailingDisk:
        assert self.window.ctx.vault is not None
        self.disk = FailingDisk(self.window.ctx.vault)
        return self.disk

    def type_on_a_full_disk(self) -> None:
        disk = self.fill_disk()
        self.type_text()
        self.qtbot.waitUntil(lambda: disk.refused > 0, timeout=4000)  # autosave tried
        assert self.view.saved_label.text() == "Not saved"

    def heal(self) -> None:
        assert self.disk is not None
        self.disk.heal()


def saved_themes(path: Path, meeting_id: int) -> str:
    with open_vault(path) as vault:
        note = query(vault, notes.load_meeting_notes, meeting_id).group_note
        return note.fields.themes if note else ""


def saved_in(window: MainWindow, meeting_id: int) -> str:
    """What the open (or held) vault holds for the group note now."""
    vault = window.ctx.vault
    assert vault is not None
    note = query(vault, notes.load_meeting_notes, meeting_id).group_note
    return note.fields.themes if note else ""


def visible_texts_of(_window: MainWindow) -> list[str]:
    """The texts of every widget on the screen now (hidden pages left out)."""
    return [t for t in visible_texts(shown_only=True) if t]


@pytest.fixture
def scene(qtbot: Any, make_window: MakeWindow, vault_file: Path) -> Iterator[Scene]:
    with open_vault(vault_file) as vault:
        world = build(vault, group_name=GROUP, sessions=2)
        other = build(vault, names=("Hana Ito",), group_name="Thursday group")
        earlier = query(vault, meetings.list_meetings, world.group_id)[0].id
    window = unlocked_window(qtbot, make_window, vault_file)
    assert window.workspace.sidebar.select_group(world.group_id)
    window.workspace.tabs.setCurrentIndex(2)  # Sessions & Notes
    s = Scene(qtbot, window, world.group_id, world.meeting_id, other.group_id, earlier)
    assert s.view.meeting is not None and s.view.meeting.id == world.meeting_id
    s.view.autosave.set_intervals(50, 100, 300)  # quicker saves and retries for the tests
    yield s
    if s.disk is not None:
        s.disk.heal()


def answer_with(monkeypatch: pytest.MonkeyPatch, *answers: str | Callable[[], str]) -> list[
        list[str]]:
    """Answer the next questions in order (a callable is run, then its answer used);
    returns the keys each question offered."""
    offered: list[list[str]] = []
    queue = list(answers)

    def ask(_parent: Any, _title: str, _text: str, choices: Any, escape: str) -> str:
        offered.append([key for key, _label, _role in choices])
        if not queue:
            return escape
        answer = queue.pop(0)
        return answer() if callable(answer) else answer

    monkeypatch.setattr(unsaved, "ask", ask)
    return offered


# ---------------------------------------------------------------------- Ctrl+L


def test_ctrl_l_on_a_full_disk_asks_and_stay_open_keeps_the_text(
    scene: Scene, messages: Messages, vault_file: Path
) -> None:
    scene.type_on_a_full_disk()
    window = scene.window
    window.activateWindow()
    scene.qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    # asked, with the safe answer (Escape) taken: Stay open
    assert messages.offered == [[unsaved.RETRY, unsaved.KEEP, unsaved.STAY]]
    title, text = messages.shown[-1][1:]
    assert "not locked yet" in text and "could not be written" in text
    assert not window.locked and window.current_page is window.workspace
    assert scene.editor_text() == TEXT
    assert saved_in(window, scene.meeting_id) == ""  # the disk is still full

    scene.heal()
    assert window.lock()  # nothing to ask now: saved, then locked
    assert window.ctx.vault is None and holds(MARKER) == []
    assert saved_themes(vault_file, scene.meeting_id) == TEXT


def test_ctrl_l_retry_saves_once_the_disk_is_back_and_then_locks(
    scene: Scene, monkeypatch: pytest.MonkeyPatch, vault_file: Path
) -> None:
    scene.type_on_a_full_disk()

    def free_space_then_retry() -> str:
        scene.heal()
        return unsaved.RETRY

    offered = answer_with(monkeypatch, unsaved.RETRY, free_space_then_retry)
    assert scene.window.lock()
    assert len(offered) == 2  # Retry on a still full disk asks again
    assert scene.window.ctx.vault is None
    assert saved_themes(vault_file, scene.meeting_id) == TEXT


def test_ctrl_l_lock_now_hides_the_screens_and_unlock_gives_the_text_back(
    scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    scene.type_on_a_full_disk()
    answer_with(monkeypatch, unsaved.KEEP)
    window = scene.window
    assert window.lock()
    assert window.locked and window.holding and window.current_page is window.unlock_page
    assert not any(MARKER in t or GROUP in t for t in visible_texts_of(window))

    unlock_with(scene.qtbot, window)
    assert not window.locked and window.current_page is window.workspace
    assert scene.editor_text() == TEXT  # in its editor, where it was
    scene.heal()
    scene.qtbot.waitUntil(lambda: not scene.view.autosave.pending, timeout=6000)
    assert saved_in(window, scene.meeting_id) == TEXT


# ---------------------------------------------------------------------- auto-lock


def test_idle_lock_on_a_full_disk_hides_every_screen_and_saves_when_the_disk_is_back(
    scene: Scene, messages: Messages, vault_file: Path
) -> None:
    scene.type_on_a_full_disk()
    window = scene.window
    window._held_timer.setInterval(100)
    window.autolock.set_interval_ms(200)
    scene.qtbot.waitUntil(lambda: window.locked, timeout=5000)

    assert messages.offered == []  # nobody was there to answer: nothing asked
    assert window.holding and window.current_page is window.unlock_page
    assert not window.workspace.isVisible()
    visible = visible_texts_of(window)
    assert not any(MARKER in t or GROUP in t for t in visible)
    assert any("could not be saved yet" in t for t in visible)  # the unlock page says so
    assert not window.find_action.isEnabled() and not window.lock_action.isEnabled()
    assert "locked" in window.windowTitle()

    scene.heal()
    scene.qtbot.waitUntil(lambda: window.ctx.vault is None, timeout=5000)  # lock finished
    assert not window.holding
    assert holds(MARKER) == [] and holds(GROUP) == []  # now no widget holds it at all
    assert any("saved now" in t for t in visible_texts_of(window))
    assert saved_themes(vault_file, scene.meeting_id) == TEXT

    unlock_with(scene.qtbot, window)  # an ordinary unlock: the text from the vault
    window.workspace.tabs.setCurrentIndex(2)
    assert scene.editor_text() == TEXT


def test_idle_lock_on_a_full_disk_then_the_passphrase_shows_the_text_again(
    scene: Scene
) -> None:
    scene.type_on_a_full_disk()
    window = scene.window
    window.autolock.set_interval_ms(200)
    scene.qtbot.waitUntil(lambda: window.locked, timeout=5000)
    assert window.holding

    unlock_with(scene.qtbot, window, "not the passphrase")
    assert window.locked and window.current_page is window.unlock_page
    assert "passphrase" in window.unlock_page.banner.label.text()
    assert not any(MARKER in t for t in visible_texts_of(window))

    unlock_with(scene.qtbot, window, PASSPHRASE)
    assert not window.locked and window.current_page is window.workspace
    assert window.ctx.current_group_id == scene.group_id
    assert scene.editor_text() == TEXT
    assert scene.view.banner.isVisible() and "Not saved" in scene.view.banner.label.text()
    assert window.autolock.active  # watching again

    scene.heal()
    scene.qtbot.waitUntil(lambda: not scene.view.autosave.pending, timeout=6000)
    assert saved_in(window, scene.meeting_id) == TEXT


def test_the_idle_time_running_out_on_an_unanswered_lock_question_locks_and_keeps(
    scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl+L, the question comes up, the clinician has walked away: the idle lock closes
    the question and locks the screens anyway, keeping the text."""
    scene.type_on_a_full_disk()
    window = scene.window
    window.autolock.set_interval_ms(300)

    def nobody_answers() -> str:
        scene.qtbot.waitUntil(lambda: window._idle_while_asking, timeout=5000)
        return unsaved.STAY  # what a question closed unanswered returns

    answer_with(monkeypatch, nobody_answers)
    window.lock()
    assert window.holding and window.current_page is window.unlock_page
    unlock_with(scene.qtbot, window)
    assert scene.editor_text() == TEXT


# ---------------------------------------------------------------------- quit


def test_quit_on_a_full_disk_asks_and_dont_quit_keeps_the_window_and_the_text(
    scene: Scene, messages: Messages, vault_file: Path
) -> None:
    scene.type_on_a_full_disk()
    window = scene.window
    assert not window.close()  # the safe answer: Don't quit
    assert messages.offered == [[unsaved.RETRY, unsaved.STAY, unsaved.DISCARD]]
    assert "If you quit now, that text is lost." in messages.shown[-1][2]
    assert window.isVisible() and window.ctx.vault is not None
    assert scene.editor_text() == TEXT

    messages.choices = [unsaved.RETRY]
    scene.heal()
    assert window.close()  # Retry: saved now, so it quits
    assert saved_themes(vault_file, scene.meeting_id) == TEXT
    assert not any("itself is saved" in t for t in messages.texts())


def test_quit_and_lose_the_text_is_a_choice_made_in_so_many_words(
    scene: Scene, messages: Messages, vault_file: Path
) -> None:
    scene.type_on_a_full_disk()
    messages.choices = [unsaved.DISCARD]
    assert scene.window.close()
    assert saved_themes(vault_file, scene.meeting_id) == ""  # lost, as chosen


def test_quit_while_the_idle_lock_holds_the_text_asks_too(
    scene: Scene, messages: Messages, vault_file: Path
) -> None:
    scene.type_on_a_full_disk()
    window = scene.window
    window.autolock.set_interval_ms(200)
    scene.qtbot.waitUntil(lambda: window.locked, timeout=5000)
    assert not window.close()
    assert window.holding and messages.offered[-1][-1] == unsaved.DISCARD
    scene.heal()
    assert window.close()
    assert saved_themes(vault_file, scene.meeting_id) == TEXT


# ---------------------------------------------------------------------- another vault


@pytest.fixture
def other_vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from groupleader.data.vault import Vault

    path = tmp_path / "other.vault"
    Vault.create(path, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER).close()
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *_a, **_k: (str(path), "")))
    return path


@pytest.mark.parametrize("action", ["open_vault_file", "new_vault", "open_demo"])
def test_opening_another_vault_on_a_full_disk_keeps_this_one_and_its_text(
    scene: Scene, messages: Messages, other_vault: Path, vault_file: Path, action: str
) -> None:
    scene.type_on_a_full_disk()
    window = scene.window
    getattr(window, action)()
    assert messages.offered == [[unsaved.RETRY, unsaved.STAY]]
    assert window.ctx.vault is not None and window.ctx.vault.path == vault_file.absolute()
    assert window.current_page is window.workspace and scene.editor_text() == TEXT

    scene.heal()
    window.open_vault_file()  # nothing to ask now
    assert window.ctx.vault is None
    assert window.unlock_page.current_path() == other_vault
    assert saved_themes(vault_file, scene.meeting_id) == TEXT


def test_opening_another_vault_while_the_idle_lock_holds_the_text_is_refused(
    scene: Scene, messages: Messages, other_vault: Path
) -> None:
    scene.type_on_a_full_disk()
    window = scene.window
    window.autolock.set_interval_ms(200)
    scene.qtbot.waitUntil(lambda: window.locked, timeout=5000)
    window.unlock_page.other_button.click()  # "Other file…" on the unlock page
    assert window.holding
    assert not window.unlock_page.vault_combo.isEnabled()  # the held vault only
    assert "Unlock it to see the text" in window.unlock_page.banner.label.text()
    unlock_with(scene.qtbot, window)
    assert scene.editor_text() == TEXT


# ---------------------------------------------------------------------- group, session


def test_switching_group_on_a_full_disk_stays_in_the_group_with_the_text(
    scene: Scene, vault_file: Path
) -> None:
    scene.type_on_a_full_disk()
    window = scene.window
    sidebar = window.workspace.sidebar
    row = sidebar.model.row_of(scene.other_group_id)
    rect = sidebar.view.visualRect(sidebar.model.index(row, 0))
    scene.qtbot.mouseClick(sidebar.view.viewport(), Qt.MouseButton.LeftButton,
                           pos=rect.center())  # a click on the other group
    scene.qtbot.waitUntil(lambda: sidebar.current_id() == scene.group_id, timeout=2000)
    assert window.ctx.current_group_id == scene.group_id
    assert scene.view.group_id == scene.group_id and scene.editor_text() == TEXT
    banner = window.workspace.banner
    assert banner.isVisible() and "stays open" in banner.label.text()
    # Find's way there is refused the same way
    assert not sidebar.select_group(scene.other_group_id)
    scene.qtbot.waitUntil(lambda: sidebar.current_id() == scene.group_id, timeout=2000)

    scene.heal()
    scene.qtbot.waitUntil(lambda: not scene.view.autosave.pending, timeout=6000)
    assert not banner.isVisible()  # the message went with the trouble
    assert sidebar.select_group(scene.other_group_id)  # and now the change goes through
    assert window.ctx.current_group_id == scene.other_group_id
    window.lock()
    assert saved_themes(vault_file, scene.meeting_id) == TEXT


def test_switching_session_on_a_full_disk_stays_on_the_session_with_the_text(
    scene: Scene, vault_file: Path
) -> None:
    scene.type_on_a_full_disk()
    view = scene.view
    assert not view.select_meeting(scene.earlier_meeting_id)
    assert view.meeting is not None and view.meeting.id == scene.meeting_id
    assert scene.editor_text() == TEXT
    scene.window.workspace.tabs.setCurrentIndex(0)  # another view: hidden, still kept
    scene.window.workspace.tabs.setCurrentIndex(2)
    assert scene.editor_text() == TEXT
    scene.heal()
    assert view.select_meeting(scene.earlier_meeting_id)
    scene.window.lock()
    assert saved_themes(vault_file, scene.meeting_id) == TEXT


# ---------------------------------------------------------------------- the questions


def test_each_question_offers_its_ways_on_and_escape_or_a_lock_answers_the_safe_one(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real message boxes (the other tests answer them without showing them)."""
    monkeypatch.setattr(unsaved, "ask", REAL_ASK)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[tuple[list[str], str, str]] = []

    def press(label: str | None) -> None:
        box = next(w for w in QApplication.topLevelWidgets()
                   if isinstance(w, QMessageBox) and w.isVisible())
        seen.append(([b.text() for b in box.buttons()], box.defaultButton().text(),
                     box.escapeButton().text()))
        if label is None:  # what a lock's _close_dialogs does to an open question
            QDialog.reject(box)
        else:
            next(b for b in box.buttons() if b.text() == label).click()

    for label, question, expected in (
        (None, unsaved.ask_lock, unsaved.STAY),
        ("Lock now, keep the text", unsaved.ask_lock, unsaved.KEEP),
        ("Retry", unsaved.ask_quit, unsaved.RETRY),
        ("Quit and lose the text", unsaved.ask_quit, unsaved.DISCARD),
        (None, unsaved.ask_quit, unsaved.STAY),
        ("Stay in this vault", unsaved.ask_leave, unsaved.STAY),
    ):
        QTimer.singleShot(50, lambda label=label: press(label))
        assert question(parent, "The disk is full.") == expected
    assert seen[0] == (["Retry", "Stay open", "Lock now, keep the text"], "Retry", "Stay open")
    assert sorted(seen[2][0]) == ["Don't quit", "Quit and lose the text", "Retry"]
    assert seen[2][2] == "Don't quit"  # Escape never loses text
    assert seen[5][0] == ["Retry", "Stay in this vault"]


# ---------------------------------------------------------------------- a real full disk


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 4 MB filesystem (tmpfs), where the machine lets the tests mount one (root
    with the capability, as in a VM); skipped elsewhere, where FailingDisk stands in."""
    import subprocess

    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", str(mount)],
            capture_output=True).returncode != 0:
        pytest.skip("mounting a small filesystem needs root and CAP_SYS_ADMIN")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill(folder: Path) -> Path:
    """Fill the filesystem of `folder` to the last byte; returns the filler file."""
    filler = folder / "filler"
    with filler.open("wb", buffering=0) as out:
        for size in (1 << 16, 512, 1):
            try:
                while True:
                    out.write(b"\0" * size)
            except OSError:
                continue
    return filler


def test_a_really_full_disk_keeps_the_text_through_the_idle_lock_and_saves_it_after(
    qtbot: Any, make_window: MakeWindow, small_disk: Path
) -> None:
    from groupleader.data.vault import Vault

    path = small_disk / "clinic.vault"
    with Vault.create(path, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER) as vault:
        world = build(vault)
    window = unlocked_window(qtbot, make_window, path)
    window._held_timer.setInterval(100)
    assert window.workspace.sidebar.select_group(world.group_id)
    window.workspace.tabs.setCurrentIndex(2)
    view = window.workspace.sessions_view
    assert view is not None
    view.autosave.set_intervals(50, 100, 300)
    filler = fill(small_disk)
    view.tabs.setCurrentIndex(1)
    edit = view.group_editor.fields["themes"].edit
    edit.setFocus()
    qtbot.keyClicks(edit, TEXT * 20)  # a page or two of text: the disk must take pages
    qtbot.waitUntil(lambda: view.saved_label.text() == "Not saved", timeout=4000)
    assert "could not be written" in view.banner.label.text()

    window.autolock.set_interval_ms(200)
    qtbot.waitUntil(lambda: window.locked, timeout=5000)
    assert window.holding and not any(MARKER in t for t in visible_texts(shown_only=True))
    qtbot.wait(400)  # the retries fail meanwhile
    assert window.holding

    filler.unlink()  # space again
    qtbot.waitUntil(lambda: window.ctx.vault is None, timeout=5000)
    assert saved_themes(path, world.meeting_id) == TEXT * 20
    with open_vault(path) as again:
        assert again.integrity_problems() == []
