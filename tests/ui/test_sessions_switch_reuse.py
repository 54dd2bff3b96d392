"""Switching sessions refills the attendance rows and the member-note editors instead of
building new ones, and what they show is the new session's, never the last one's: marks,
texts, signed state; a lock leaves no name or text in the kept widgets."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.services import meetings
from groupleader.data.snapshots import MemberNoteFields
from groupleader.ui.main_window import MainWindow
from groupleader.ui.sessions.member_notes import MemberNoteEditor
from tests.conftest import PASSPHRASE, PIN, open_vault
from tests.ui.sessions_support import World, build
from tests.ui.shell_support import holds, unlocked_window

MakeWindow = Callable[..., MainWindow]
SESSIONS, MEMBERS_PAGE = 2, 2


@pytest.fixture
def two_sessions(qtbot: Any, make_window: MakeWindow,
                 vault_file: Path) -> tuple[MainWindow, World, list[int]]:
    vault = open_vault(vault_file, PASSPHRASE)
    world = build(vault, sessions=2)
    first, second = [m.id for m in query(vault, meetings.list_meetings, world.group_id)]
    for member_id in world.member_ids:
        ops_meetings.record_attendance(vault, first, member_id, "present", None)
        ops_meetings.record_attendance(vault, second, member_id, "late", 15)
    ops_meetings.record_attendance(vault, first, world.member_ids[1], "absent_notice", None)
    ops_notes.save_member_note(vault, first, world.member_ids[0], MemberNoteFields(
        participation="Quentin spoke of the winter garden"))
    signed = ops_notes.save_member_note(vault, second, world.member_ids[0], MemberNoteFields(
        participation="Quentin stayed silent, arms folded")).value
    ops_notes.sign_note(vault, "member", signed.id, world.leader_id, pin=PIN)
    vault.close()
    window = unlocked_window(qtbot, make_window, vault_file)
    window.resize(1280, 800)
    window.show()
    window.workspace.sidebar.select_group(world.group_id)
    window.workspace.tabs.setCurrentIndex(SESSIONS)
    QApplication.processEvents()
    return window, world, [first, second]


def test_a_switch_refills_the_same_widgets_with_the_other_sessions_marks_and_notes(
    qtbot: Any, two_sessions: tuple[MainWindow, World, list[int]]
) -> None:
    window, world, (first, second) = two_sessions
    view = window.workspace.sessions_view
    assert view is not None
    quentin = world.member_ids[0]
    assert view.select_meeting(first)
    view.tabs.setCurrentIndex(MEMBERS_PAGE)
    editor = view.member_notes.editor(quentin)
    assert editor is not None and not editor.signed
    rows = dict(view.attendance._rows)
    editors = set(map(id, view.member_notes.findChildren(MemberNoteEditor)))
    assert view.attendance.row_buttons(world.member_ids[1])["absent_notice"].isChecked()

    assert view.select_meeting(second)
    again = view.member_notes.editor(quentin)
    assert again is not None
    assert set(map(id, view.member_notes.built_editors())) <= editors  # refilled, not new
    assert set(map(id, view.member_notes.findChildren(MemberNoteEditor))) == editors
    assert set(map(id, view.attendance._rows.values())) == set(map(id, rows.values()))
    assert again.fields["participation"].edit.toPlainText() == \
        "Quentin stayed silent, arms folded"
    assert again.signed and again.fields["participation"].edit.isReadOnly()
    for member_id in world.member_ids:
        buttons = view.attendance.row_buttons(member_id)
        assert buttons["late"].isChecked() and not buttons["absent_notice"].isChecked()
        assert view.attendance.minutes_box(member_id).value() == 15

    assert view.select_meeting(first)  # and back: editable again, the first text
    back = view.member_notes.editor(quentin)
    assert back is not None and not back.signed
    assert not back.fields["participation"].edit.isReadOnly()
    assert back.fields["participation"].edit.toPlainText() == \
        "Quentin spoke of the winter garden"
    assert not holds("arms folded", view)


def test_a_lock_leaves_no_name_or_text_in_the_kept_widgets(
    qtbot: Any, two_sessions: tuple[MainWindow, World, list[int]]
) -> None:
    from tests.ui.sessions_support import NAMES

    window, world, (first, second) = two_sessions
    view = window.workspace.sessions_view
    assert view is not None
    for meeting_id in (first, second, first):
        assert view.select_meeting(meeting_id)
        view.tabs.setCurrentIndex(MEMBERS_PAGE)
        for member_id in view.member_notes.member_ids():
            assert view.member_notes.editor(member_id) is not None
    assert window.lock()
    assert not holds("winter garden") and not holds("arms folded")
    for name in NAMES:
        assert not holds(name), name
