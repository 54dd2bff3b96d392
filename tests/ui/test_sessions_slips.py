"""Slips a tired clinician makes in the Sessions view, through the whole main window:
stray keys after a change of page, a double click on New session, a session made by
mistake (deleted, with undo)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from groupleader.data.operations import query
from groupleader.data.services import meetings, notes
from groupleader.data.vault import Vault
from groupleader.ui.main_window import MainWindow
from groupleader.ui.sessions import session_list
from groupleader.ui.sessions.view import ATTENDANCE, GROUP, MEMBERS, PRIVATE
from tests.conftest import PASSPHRASE, open_vault
from tests.ui.sessions_support import World, build
from tests.ui.shell_support import unlocked_window

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
SENTENCE = "The group spoke of trust and of endings, then sat in silence."


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every question the session list would ask (a date, a yes/no): none expected."""
    questions: list[str] = []

    def ask_datetime(_parent: Any, title: str, _when: Any) -> None:
        questions.append(title)
        return None

    def ask_yes(_parent: Any, title: str, _text: str) -> bool:
        questions.append(title)
        return False

    monkeypatch.setattr(session_list, "ask_datetime", ask_datetime)
    monkeypatch.setattr(session_list, "ask_yes", ask_yes)
    return questions


@pytest.fixture
def shown(qtbot: Any, make_window: Callable[..., MainWindow], vault_file: Path
          ) -> tuple[MainWindow, World]:
    vault: Vault = open_vault(vault_file, PASSPHRASE)
    world = build(vault, sessions=3)
    vault.close()
    w = unlocked_window(qtbot, make_window, vault_file)
    w.resize(1366, 768)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    w.workspace.sidebar.select_group(world.group_id)
    qtbot.waitUntil(lambda: w.workspace.tabs.isVisible())
    return w, world


def focused() -> QWidget:
    """Where a key press goes: the focused widget, else the active window."""
    widget = QApplication.focusWidget() or QApplication.activeWindow()
    assert widget is not None
    return widget


def press(qtbot: Any, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
          ) -> None:
    """A key press goes to whatever has the keyboard focus now, as a real one would."""
    qtbot.keyClick(focused(), key, modifier)
    QApplication.processEvents()


def type_keys(qtbot: Any, text: str) -> None:
    """Typed one key at a time, each to the widget focused at that moment."""
    for char in text:
        qtbot.keyClicks(focused(), char)
        QApplication.processEvents()


def session_count(window: MainWindow, group_id: int) -> int:
    return len(query(window.ctx.require_vault(), meetings.list_meetings, group_id))


def test_stray_keys_after_seating_and_alt_g_land_in_the_group_note(
    qtbot: Any, shown: tuple[MainWindow, World], asked: list[str]
) -> None:
    """The issue's sequence: a session picked with the mouse, Seating (Ctrl+2), back with
    Ctrl+3, Alt+G, a sentence with spaces: the text is in the group note, no session was
    made and no dialog opened."""
    window, world = shown
    view = window.workspace.sessions_view
    assert view is not None
    press(qtbot, Qt.Key.Key_3, CTRL)
    assert window.workspace.tabs.currentWidget() is view
    table = view.sessions.table
    second = view.sessions.model.row_of(world.meeting_id) + 1  # an older session
    rect = table.visualRect(view.sessions.model.index(second, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    chosen = view.sessions.model.meeting(second)
    assert chosen is not None and view.meeting is not None and view.meeting.id == chosen.id
    before = session_count(window, world.group_id)

    press(qtbot, Qt.Key.Key_2, CTRL)
    assert window.workspace.tabs.currentWidget() is window.workspace.seating_view
    press(qtbot, Qt.Key.Key_3, CTRL)
    assert window.workspace.tabs.currentWidget() is view
    press(qtbot, Qt.Key.Key_G, ALT)
    assert view.tabs.currentIndex() == GROUP
    themes = view.group_editor.fields["themes"].edit
    assert themes.hasFocus(), type(focused()).__name__
    type_keys(qtbot, SENTENCE)

    assert themes.toPlainText() == SENTENCE
    assert session_count(window, world.group_id) == before
    assert asked == []
    assert view.meeting is not None and view.meeting.id == chosen.id
    view.save_pending()
    saved = query(window.ctx.require_vault(), notes.load_meeting_notes, chosen.id).group_note
    assert saved is not None and saved.fields.themes == SENTENCE


@pytest.mark.parametrize(("key", "page"), [(Qt.Key.Key_G, GROUP), (Qt.Key.Key_M, MEMBERS),
                                           (Qt.Key.Key_P, PRIVATE)])
def test_every_note_page_takes_the_caret_from_the_session_list_buttons(
    qtbot: Any, shown: tuple[MainWindow, World], asked: list[str], key: Qt.Key, page: int
) -> None:
    """Even with the focus on New session (a click there first), Alt+G/M/P put the caret
    in the note, and a space typed then never presses a button of the list."""
    window, world = shown
    view = window.workspace.sessions_view
    assert view is not None
    press(qtbot, Qt.Key.Key_3, CTRL)
    vault = window.ctx.require_vault()
    from groupleader.data.operations import meetings as ops_meetings

    ops_meetings.take_attendance(vault, world.meeting_id,
                                 [(mid, "present", None) for mid in world.member_ids])
    view.refresh_all()
    view.sessions.new_button.setFocus()
    before = session_count(window, world.group_id)
    press(qtbot, key, ALT)
    assert view.tabs.currentIndex() == page
    QApplication.processEvents()
    target = focused()
    assert view.tabs.currentWidget().isAncestorOf(target), type(target).__name__
    type_keys(qtbot, "a b c")
    assert session_count(window, world.group_id) == before
    assert asked == []


def test_a_key_typed_on_a_note_page_never_reaches_a_list_button(
    qtbot: Any, shown: tuple[MainWindow, World], asked: list[str]
) -> None:
    """Focus left on New session by a click while the group note shows: the next keys
    go to the note, not to the button."""
    window, world = shown
    view = window.workspace.sessions_view
    assert view is not None
    press(qtbot, Qt.Key.Key_3, CTRL)
    view.tabs.setCurrentIndex(GROUP)
    before = session_count(window, world.group_id)
    view.sessions.new_button.setFocus()  # as a Tab or a click on it would leave it
    type_keys(qtbot, " x ")
    assert session_count(window, world.group_id) == before
    assert view.group_editor.fields["themes"].edit.toPlainText() == " x "
    assert view.tabs.currentIndex() == GROUP and view.sessions.table.isVisible()
    assert ATTENDANCE != GROUP


def _ids(window: MainWindow, group_id: int) -> list[int]:
    return [m.id for m in query(window.ctx.require_vault(), meetings.list_meetings, group_id)]


def test_a_fast_double_click_on_new_session_makes_one_session_and_ctrl_z_undoes_it(
    qtbot: Any, shown: tuple[MainWindow, World], asked: list[str]
) -> None:
    window, world = shown
    view = window.workspace.sessions_view
    assert view is not None
    press(qtbot, Qt.Key.Key_3, CTRL)
    before = _ids(window, world.group_id)
    shown_before = view.meeting.id if view.meeting else None
    # A double click as the window system delivers it: two presses and releases (the
    # second press also comes as a double-click event), well within the interval.
    button = view.sessions.new_button
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.mouseDClick(button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    QApplication.processEvents()
    after = _ids(window, world.group_id)
    assert len(after) == len(before) + 1 and asked == []
    made = after[-1]
    assert view.meeting is not None and view.meeting.id == made
    stack = view.undo_stack()
    assert stack.count() == 1 and stack.undoText().startswith("New session")

    view.sessions.table.setFocus()
    press(qtbot, Qt.Key.Key_Z, CTRL)  # Edit > Undo's key, on the sessions view
    assert _ids(window, world.group_id) == before
    assert view.meeting is not None and view.meeting.id == shown_before
    press(qtbot, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)  # redo
    assert _ids(window, world.group_id) == after  # the same session, same id, back
    assert view.meeting is not None and view.meeting.id == made
    # a deliberate second click later is a second session
    qtbot.wait(QApplication.doubleClickInterval() + 50)
    qtbot.mouseClick(view.sessions.new_button, Qt.MouseButton.LeftButton)
    assert len(_ids(window, world.group_id)) == len(after) + 1


def _new_session(qtbot: Any, window: MainWindow) -> tuple[Any, int]:
    """On the Sessions & Notes view (Ctrl+3), click New session: (the view, its id)."""
    view = window.workspace.sessions_view
    assert view is not None
    press(qtbot, Qt.Key.Key_3, CTRL)
    qtbot.mouseClick(view.sessions.new_button, Qt.MouseButton.LeftButton)
    assert view.meeting is not None
    return view, view.meeting.id


def test_an_empty_session_is_deleted_and_ctrl_z_brings_it_back(
    qtbot: Any, shown: tuple[MainWindow, World], asked: list[str]
) -> None:
    window, world = shown
    view, made = _new_session(qtbot, window)
    before = _ids(window, world.group_id)
    view.sessions.table.setFocus()
    press(qtbot, Qt.Key.Key_Delete)  # Delete on the list = the Delete button
    assert _ids(window, world.group_id) == [i for i in before if i != made]
    assert view.meeting is not None and view.meeting.id != made
    assert asked == []  # an empty session goes without a question: it can be undone
    assert view.undo_stack().undoText().startswith("Delete session")
    view.sessions.table.setFocus()
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert _ids(window, world.group_id) == before
    assert view.meeting is not None and view.meeting.id == made


def test_ctrl_z_after_cancel_reinstates_that_session_and_deletes_nothing(
    qtbot: Any, shown: tuple[MainWindow, World], monkeypatch: pytest.MonkeyPatch
) -> None:
    """New session, then Cancel another: Ctrl+Z undoes the Cancel (the session is
    scheduled again), not the New session before it; redo cancels it again."""
    window, world = shown
    view, made = _new_session(qtbot, window)
    vault = window.ctx.require_vault()
    other = next(i for i in _ids(window, world.group_id)
                 if i != made and query(vault, meetings.get_meeting, i).status == "scheduled")
    monkeypatch.setattr(session_list, "ask_yes", lambda *_a, **_k: True)
    view.sessions.select(other)
    assert view.sessions.cancel()
    assert query(vault, meetings.get_meeting, other).status == "cancelled"
    before = _ids(window, world.group_id)
    view.sessions.table.setFocus()
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert _ids(window, world.group_id) == before  # nothing deleted: `made` is still there
    assert query(vault, meetings.get_meeting, other).status == "scheduled"
    assert view.meeting is not None and view.meeting.id == other
    press(qtbot, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)  # redo
    assert query(vault, meetings.get_meeting, other).status == "cancelled"
    row = view.sessions.model.row_of(other)
    assert view.sessions.model.table_rows[row].status == "cancelled"  # the list says so too


def test_a_session_with_notes_is_not_deleted_and_the_banner_says_why(
    qtbot: Any, shown: tuple[MainWindow, World], asked: list[str]
) -> None:
    window, world = shown
    view = window.workspace.sessions_view
    assert view is not None
    press(qtbot, Qt.Key.Key_3, CTRL)
    press(qtbot, Qt.Key.Key_G, ALT)
    type_keys(qtbot, "Trust")  # saved before the list is touched
    before = _ids(window, world.group_id)
    qtbot.mouseClick(view.sessions.delete_button, Qt.MouseButton.LeftButton)
    assert _ids(window, world.group_id) == before
    text = view.banner.label.text()
    assert "notes recorded, so it cannot be deleted" in text, text
    assert asked == []  # a held session with notes cannot be cancelled either


def test_a_session_with_only_seating_can_be_cancelled_instead(
    qtbot: Any, shown: tuple[MainWindow, World], monkeypatch: pytest.MonkeyPatch
) -> None:
    window, world = shown
    view, made = _new_session(qtbot, window)
    from groupleader.data.operations import seating as ops_seating

    vault = window.ctx.require_vault()
    from groupleader.data.snapshots import ChairSpec

    ops_seating.save_seating(vault, made, [ChairSpec(member_id=world.member_ids[0]),
                                           ChairSpec(), ChairSpec()])
    offered: list[str] = []
    monkeypatch.setattr(session_list, "ask_cancel_instead",
                        lambda _p, text: offered.append(text) or True)
    view.sessions.select(made)
    qtbot.mouseClick(view.sessions.delete_button, Qt.MouseButton.LeftButton)
    assert offered and "seating recorded" in offered[0]
    status = query(vault, meetings.get_meeting, made).status
    assert status == "cancelled"


def test_after_reschedule_the_title_and_the_list_agree(
    qtbot: Any, shown: tuple[MainWindow, World], monkeypatch: pytest.MonkeyPatch
) -> None:
    window, world = shown
    view = window.workspace.sessions_view
    assert view is not None
    press(qtbot, Qt.Key.Key_3, CTRL)
    m = view.meeting
    assert m is not None
    earlier = m.starts_at - timedelta(days=1)
    monkeypatch.setattr(session_list, "ask_datetime", lambda *_a: earlier)
    qtbot.mouseClick(view.sessions.reschedule_button, Qt.MouseButton.LeftButton)
    row = view.sessions.model.row_of(m.id)
    listed = view.sessions.model.meeting(row)
    assert listed is not None and listed.starts_at == earlier
    assert session_list.date_text(earlier) in view.title.text()
    assert session_list.date_text(m.starts_at) not in view.title.text()


def test_the_saved_time_describes_only_the_session_shown(
    qtbot: Any, shown: tuple[MainWindow, World]
) -> None:
    window, world = shown
    view = window.workspace.sessions_view
    assert view is not None
    press(qtbot, Qt.Key.Key_3, CTRL)
    press(qtbot, Qt.Key.Key_G, ALT)
    type_keys(qtbot, "Trust")
    view.save_pending()
    assert view.saved_label.text().startswith("Saved ")
    other = view.sessions.model.meeting(1)
    assert other is not None
    assert view.select_meeting(other.id)
    assert view.saved_label.text() == ""  # not the time of the other session's save
    press(qtbot, Qt.Key.Key_G, ALT)
    type_keys(qtbot, "More")
    view.save_pending()
    assert view.saved_label.text().startswith("Saved ")
    window.lock()
    assert view.saved_label.text() == ""


def test_find_steps_aside_after_opening_a_note_and_the_caret_is_in_it(
    qtbot: Any, shown: tuple[MainWindow, World]
) -> None:
    from groupleader.data.operations import notes as ops_notes
    from groupleader.data.snapshots import GroupNoteFields
    from groupleader.ui.find import FindDialog

    window, world = shown
    vault = window.ctx.require_vault()
    earlier = world.meeting_id - 1
    ops_notes.save_group_note(vault, earlier, GroupNoteFields(
        themes="Opening", plan="Talk about the scapegoat pattern next week"))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    press(qtbot, Qt.Key.Key_F, CTRL)
    dialog = next(d for d in window.findChildren(FindDialog) if d.isVisible())
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClicks(dialog.query, "scapegoat")
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=2000)
    qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    view = window.workspace.sessions_view
    assert view is not None and view.meeting is not None and view.meeting.id == earlier
    assert not dialog.isVisible()  # it no longer covers the note
    qtbot.waitUntil(window.isActiveWindow)
    plan = view.group_editor.fields["plan"].edit
    assert QApplication.focusWidget() is plan
    assert plan.textCursor().position() == plan.toPlainText().index("scapegoat")


def test_alt_g_on_the_page_already_shown_takes_the_caret_from_the_groups_list(
    qtbot: Any, shown: tuple[MainWindow, World], asked: list[str]
) -> None:
    """The Group note page already shown, the caret in the groups list (a click there):
    Alt+G still puts it in the note, so a sentence typed then is the note's, not the
    list's type-ahead (which switched the group and lost the text)."""
    window, world = shown
    view = window.workspace.sessions_view
    assert view is not None
    press(qtbot, Qt.Key.Key_3, CTRL)
    press(qtbot, Qt.Key.Key_G, ALT)
    assert view.tabs.currentIndex() == GROUP
    shown_meeting = view.meeting
    from groupleader.data.operations import groups as ops_groups
    from groupleader.data.snapshots import GroupSpec
    window.ctx.run(lambda v: ops_groups.create_group(v, GroupSpec(  # "Th…": type-ahead bait
        name="Thursday group", kind="support", leader_ids=(world.leader_id,))), None)
    window.workspace.sidebar.refresh(select_id=world.group_id)
    assert window.workspace.sidebar.current_id() == world.group_id
    groups = window.workspace.sidebar.view
    groups.setFocus()
    qtbot.waitUntil(groups.hasFocus)
    press(qtbot, Qt.Key.Key_G, ALT)
    qtbot.waitUntil(lambda: view.group_editor.fields["themes"].edit.hasFocus())
    type_keys(qtbot, SENTENCE)
    assert view.group_editor.fields["themes"].edit.toPlainText() == SENTENCE
    assert window.workspace.sidebar.current_id() == world.group_id
    assert view.meeting == shown_meeting and asked == []
