"""Autosave: nothing typed is lost, and the user never has to press Save: a save about a
second after the last key, and within two seconds of the first unsaved one however long
the typing goes on."""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from groupleader.data.operations import query
from groupleader.data.services import meetings, notes
from groupleader.errors import StorageError
from groupleader.ui.sessions import SessionsView
from groupleader.ui.sessions.autosave import AutosaveController, UnsavedText
from tests.ui.sessions_support import build, context


def make_view(qtbot, vault, world):
    ctx = context(vault, world.leader_id)
    view = SessionsView(ctx)
    qtbot.addWidget(view)
    view.show()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    view.set_group(world.group_id)
    return ctx, view


def saved_themes(vault, meeting_id: int) -> str:
    note = query(vault, notes.load_meeting_notes, meeting_id).group_note
    return note.fields.themes if note else ""


def test_typing_then_waiting_saves_without_pressing_anything(qtbot, vault) -> None:
    world = build(vault)
    _, view = make_view(qtbot, vault, world)
    view.tabs.setCurrentIndex(1)
    edit = view.group_editor.fields["themes"].edit
    edit.setFocus()
    qtbot.keyClicks(edit, "Trust and rivalry")
    assert saved_themes(vault, world.meeting_id) == ""  # not yet: ~1 s after the last key
    assert view.autosave.pending
    qtbot.waitUntil(lambda: saved_themes(vault, world.meeting_id) == "Trust and rivalry",
                    timeout=3000)
    assert view.saved_label.text().startswith("Saved ")


def test_switching_session_saves_at_once(qtbot, vault) -> None:
    world = build(vault, sessions=2)
    _, view = make_view(qtbot, vault, world)
    later = world.meeting_id
    earlier = query(vault, meetings.list_meetings, world.group_id)[0].id
    assert view.meeting.id == later
    view.tabs.setCurrentIndex(1)
    qtbot.keyClicks(view.group_editor.fields["plan"].edit, "Follow up on the absence")
    assert view.select_meeting(earlier)  # no wait: the switch itself saves
    plan = query(vault, notes.load_meeting_notes, later).group_note.fields.plan
    assert plan == "Follow up on the absence"
    assert view.group_editor.fields["plan"].edit.toPlainText() == ""  # the other session


def test_focus_out_saves_at_once(qtbot, vault) -> None:
    world = build(vault)
    _, view = make_view(qtbot, vault, world)
    view.tabs.setCurrentIndex(1)
    edit = view.group_editor.fields["themes"].edit
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    qtbot.keyClicks(edit, "Endings")
    qtbot.keyClick(edit, Qt.Key.Key_Tab)  # Tab moves on to the next field
    QApplication.processEvents()
    assert not edit.hasFocus()
    assert saved_themes(vault, world.meeting_id) == "Endings"


def test_member_notes_save_per_member_and_ctrl_pagedown_moves_on(qtbot, vault) -> None:
    world = build(vault)
    _, view = make_view(qtbot, vault, world)
    view.attendance.everyone_present()
    view.tabs.setCurrentIndex(2)
    panel = view.member_notes
    panel.order.setCurrentIndex(1)  # A–Z
    ids = panel.member_ids()
    panel.editor(ids[0]).focus_first()
    qtbot.keyClicks(panel.editor(ids[0]).fields["participation"].edit, "first member")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageDown,
                   Qt.KeyboardModifier.ControlModifier)
    assert panel.current_member_id() == ids[1]
    assert QApplication.focusWidget() is panel.editor(ids[1]).fields["participation"].edit
    qtbot.keyClicks(QApplication.focusWidget(), "second member")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageUp,
                   Qt.KeyboardModifier.ControlModifier)
    assert panel.current_member_id() == ids[0]
    view.save_pending()
    saved = {n.member_id: n.fields.participation
             for n in query(vault, notes.load_meeting_notes, world.meeting_id).member_notes}
    assert saved == {ids[0]: "first member", ids[1]: "second member"}


def test_emoji_and_right_to_left_text_round_trip(qtbot, vault) -> None:
    world = build(vault)
    _, view = make_view(qtbot, vault, world)
    text = "שלום <b>&amp;</b> 🙂👍🏽 مرحبا\nsecond line"
    view.group_editor.fields["themes"].edit.setPlainText(text)
    view.save_pending()
    assert saved_themes(vault, world.meeting_id) == text


def test_a_failed_save_keeps_the_text_shows_a_banner_and_retries(qtbot, vault) -> None:
    world = build(vault, sessions=2)
    earlier = query(vault, meetings.list_meetings, world.group_id)[0].id
    _, view = make_view(qtbot, vault, world)
    view.autosave._retry.setInterval(200)  # quicker retries for the test
    path = vault.path
    moved = path.with_name("elsewhere.vault")
    os.rename(path, moved)  # the vault "disappears" (a USB stick pulled out)
    try:
        view.group_editor.fields["themes"].edit.setPlainText("Written while the disk was gone")
        assert not view.autosave.flush()
        assert view.banner.isVisible()
        assert "Not saved" in view.banner.label.text()
        assert view.saved_label.text() == "Not saved"
        assert not view.select_meeting(earlier)  # refuses to leave unsaved text behind
        assert view.meeting.id == world.meeting_id
        view.select_meeting(world.meeting_id)  # re-choosing it must not reload over the text
        edit = view.group_editor.fields["themes"].edit
        assert edit.toPlainText() == "Written while the disk was gone"
    finally:
        os.rename(moved, path)
    qtbot.waitUntil(lambda: not view.autosave.pending, timeout=3000)  # the retry saved it
    assert saved_themes(vault, world.meeting_id) == "Written while the disk was gone"
    assert not view.banner.isVisible()


def test_a_one_megabyte_paste_is_saved_and_stays_in_the_editor(qtbot, vault) -> None:
    """The data layer takes notes up to 2,000,000 characters: a 1 MB paste (emoji and
    right-to-left text in it) is written by autosave alone, within a few seconds."""
    world = build(vault)
    _, view = make_view(qtbot, vault, world)
    view.tabs.setCurrentIndex(1)
    big = ("Lorem ipsum 🙂 שלום עולם مرحبا " * 40_000)[:1_000_000]
    edit = view.group_editor.fields["here_and_now"].edit
    edit.setPlainText(big)
    assert view.autosave.pending  # nothing is written until the pause after the edit

    def saved() -> bool:
        note = query(vault, notes.load_meeting_notes, world.meeting_id).group_note
        return note is not None and note.fields.here_and_now == big

    qtbot.waitUntil(saved, timeout=5000)
    assert edit.toPlainText() == big
    assert not view.banner.isVisible()
    assert not view.group_editor.fields["here_and_now"].error.isVisibleTo(view)


def test_a_paste_over_the_limit_stays_in_the_editor_with_a_message(qtbot, vault) -> None:
    world = build(vault)
    _, view = make_view(qtbot, vault, world)
    view.tabs.setCurrentIndex(1)
    big = ("Lorem ipsum dolor sit amet.\n" * 80_000)[: notes.NOTE_LIMIT + 1]
    edit = view.group_editor.fields["here_and_now"].edit
    edit.setPlainText(big)
    with pytest.raises(UnsavedText, match="2,000,000 characters"):
        view.save_pending()  # the window will not lock or quit over it without asking
    assert edit.toPlainText() == big  # nothing dropped from the screen
    assert view.banner.isVisible()
    error = view.group_editor.fields["here_and_now"].error
    assert error.isVisibleTo(view) and "characters" in error.text()
    note = query(vault, notes.load_meeting_notes, world.meeting_id).group_note
    assert note is None or note.fields.here_and_now != big


def test_controller_debounces_and_retries_storage_errors(qtbot) -> None:
    calls: list[str] = []
    fail = [True]

    def save() -> None:
        calls.append("save")
        if fail[0]:
            raise StorageError()

    ctl = AutosaveController(delay_ms=50, retry_ms=50)
    for _ in range(5):
        ctl.mark_dirty("k", save)
    assert calls == []  # five edits, no save yet
    qtbot.waitUntil(lambda: len(calls) >= 1, timeout=1000)
    assert ctl.failing and ctl.pending
    fail[0] = False
    qtbot.waitUntil(lambda: not ctl.pending, timeout=1000)
    assert not ctl.failing
    assert ctl.last_saved is not None
    assert datetime.now().astimezone() - ctl.last_saved < timedelta(seconds=5)


def _type_steadily(qtbot, edit, text: str, every_ms: int) -> tuple[list[float], QTimer]:
    """Type `text` into `edit`, one real key event every `every_ms`; the times of each."""
    times: list[float] = []
    chars = iter(text)
    timer = QTimer(edit)
    timer.setInterval(every_ms)

    def one() -> None:
        ch = next(chars, None)
        if ch is None:
            timer.stop()
            return
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(edit, QKeyEvent(kind, Qt.Key.Key_unknown,
                                                   Qt.KeyboardModifier.NoModifier, ch))
        times.append(time.monotonic())

    timer.timeout.connect(one)
    timer.start()
    return times, timer


def test_controller_saves_within_the_maximum_wait_while_edits_never_pause(qtbot) -> None:
    saves: list[float] = []
    edits: list[float] = []
    ctl = AutosaveController(delay_ms=100, max_wait_ms=250, retry_ms=1000)

    def edit() -> None:
        edits.append(time.monotonic())
        ctl.mark_dirty("k", lambda: saves.append(time.monotonic()))

    ticker = QTimer()
    ticker.setInterval(20)  # far shorter than the 100 ms pause the debounce waits for
    ticker.timeout.connect(edit)
    ticker.start()
    qtbot.wait(1300)
    ticker.stop()
    assert max(b - a for a, b in zip(edits, edits[1:], strict=False)) < 0.1  # never a pause
    assert len(saves) >= 4
    previous = 0.0
    for saved in saves:  # each save came at most 250 ms (+ timer slack) after the first
        first_unsaved = next(t for t in edits if t > previous)  # edit it had not saved yet
        assert saved - first_unsaved < 0.25 + 0.15  # (timers run late on a busy machine)
        previous = saved
    qtbot.waitUntil(lambda: not ctl.pending, timeout=1000)
    edit()  # one edit alone: saved the debounce's pause after it
    qtbot.waitUntil(lambda: not ctl.pending, timeout=1000)
    assert 0.09 < saves[-1] - edits[-1] < 0.3


def test_typing_that_never_pauses_reaches_the_vault_within_two_seconds(qtbot, vault) -> None:
    """The real editor and the real intervals: 20 characters a second for over three
    seconds, never a pause of a second; at every moment all that was typed more than two
    seconds before is in the vault, and the rest a second after the last key."""
    world = build(vault)
    _, view = make_view(qtbot, vault, world)
    view.tabs.setCurrentIndex(1)
    edit = view.group_editor.fields["themes"].edit
    edit.setFocus()
    text = ("Steady typing, no pause: שלום 🙂 " * 3)[:70]
    times, timer = _type_steadily(qtbot, edit, text, 50)
    checks = 0
    while timer.isActive():
        qtbot.wait(150)
        now, saved = time.monotonic(), saved_themes(vault, world.meeting_id)
        assert text.startswith(saved)
        if len(saved) < len(times):  # the first character not yet saved was typed < 2 s ago
            assert now - times[len(saved)] < 2.0, (now - times[len(saved)], len(saved))
            checks += 1
    assert checks >= 15 and len(saved_themes(vault, world.meeting_id)) >= 30  # saved midway
    qtbot.waitUntil(lambda: saved_themes(vault, world.meeting_id) == text, timeout=2500)
    assert time.monotonic() - times[-1] < 1.6
