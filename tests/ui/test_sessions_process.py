"""The private process note lives on its own page and never in the progress-note panes."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QPlainTextEdit, QWidget

from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.services import notes
from groupleader.data.snapshots import GroupNoteFields, MemberNoteFields
from groupleader.ui.sessions import SessionsView
from groupleader.ui.sessions.process_note import HEADER
from tests.ui.sessions_support import build, context

MARKER = "Zyxwv countertransference marker"


def texts_in(widget: QWidget) -> list[str]:
    """Every piece of text a widget and its descendants can show."""
    found = []
    for w in [widget, *widget.findChildren(QWidget)]:
        if isinstance(w, QPlainTextEdit):
            found.append(w.toPlainText())
        elif isinstance(w, QLabel | QLineEdit | QAbstractButton):
            found.append(w.text())
        found.append(w.toolTip())
        found.append(w.accessibleName())
    return found


def test_process_notes_never_appear_in_the_progress_note_widgets(qtbot, vault) -> None:
    world = build(vault)
    view = SessionsView(context(vault, world.leader_id))
    qtbot.addWidget(view)
    view.set_group(world.group_id)
    view.attendance.everyone_present()
    ops_notes.save_group_note(vault, world.meeting_id, GroupNoteFields(themes="Progress text"))
    ops_notes.save_member_note(vault, world.meeting_id, world.member_ids[0],
                           MemberNoteFields(participation="Member progress"))
    view.tabs.setCurrentIndex(3)  # the process page: typed there, saved
    assert view.process.header.text() == HEADER
    view.process.edit.setPlainText(MARKER)
    view.save_pending()
    assert query(vault, notes.load_meeting_notes, world.meeting_id,
                                    include_private=True).private_note.text == MARKER
    view.select_meeting(world.meeting_id)  # re-read everything
    view._reload()
    view.tabs.setCurrentIndex(1)
    view.tabs.setCurrentIndex(2)

    progress_panes = [view.group_editor, view.member_notes, view.attendance]
    for pane in progress_panes:
        assert not pane.isAncestorOf(view.process)
        shown = texts_in(pane)
        assert not any(MARKER in t for t in shown), pane.objectName()
        assert not any("Private process note" in t for t in shown)
    assert any("Progress text" in t for t in texts_in(view.group_editor))  # the walk sees text
    assert any("Member progress" in t for t in texts_in(view.member_notes))
    assert MARKER in view.process.edit.toPlainText()


def test_the_process_note_is_read_only_when_its_page_is_opened(qtbot, vault) -> None:
    world = build(vault, sessions=2)
    ops_notes.save_private_note(vault, world.meeting_id, MARKER, world.leader_id)
    view = SessionsView(context(vault, world.leader_id))
    qtbot.addWidget(view)
    view.set_group(world.group_id)
    assert MARKER not in view.process.edit.toPlainText()  # not loaded yet
    view.tabs.setCurrentIndex(3)
    assert view.process.edit.toPlainText() == MARKER
    view.select_meeting(world.meeting_id - 1)  # another session: the page follows
    assert view.process.edit.toPlainText() == ""
