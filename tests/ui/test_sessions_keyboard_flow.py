"""The recurring work after a session, by keyboard: new session, everyone present, one
late, the group note, each member's note with Ctrl+PageDown, sign all. Counts the
non-typing actions (docs/sessions.md: goal at most 30 for seven members)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from groupleader.data.operations import query
from groupleader.data.services import notes
from groupleader.data.vault import Vault
from groupleader.ui import pin_dialogs
from groupleader.ui.sessions import SessionsView
from groupleader.ui.sessions.view import GROUP, MEMBERS
from tests.conftest import PIN
from tests.ui.sessions_support import build, context

SEVEN = ("Ada Brook", "Ben Carter", "Cleo Diaz", "Dan Evans", "Eve Fox", "Finn Gray",
         "Gus Hill")


class Actions:
    """Presses keys and clicks on the focused widget, counting every one that is not
    typing (typing is counted apart)."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot
        self.count = 0

    def key(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
            ) -> None:
        self.count += 1
        self.qtbot.keyClick(focused(), key, modifier)

    def click(self, widget: QWidget) -> None:
        self.count += 1
        self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)

    def type(self, text: str) -> None:
        self.qtbot.keyClicks(focused(), text)


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


@pytest.fixture
def flow_view(qtbot: QtBot, vault: Vault, monkeypatch: pytest.MonkeyPatch) -> Any:
    world = build(vault, SEVEN)
    ctx = context(vault, world.leader_id)
    view = SessionsView(ctx)
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    view.set_group(world.group_id)
    monkeypatch.setattr(pin_dialogs, "ask_signing_pin", lambda *_a: PIN)  # "Sign and lock"
    return world, view


def test_the_after_session_flow_takes_few_actions_and_keeps_focus_in_the_fields(
    qtbot: QtBot, vault: Vault, flow_view: Any
) -> None:
    world, view = flow_view
    do = Actions(qtbot)
    meeting_id = view.meeting.id
    assert meeting_id == world.meeting_id  # the latest started session is already chosen
    view.sessions.table.setFocus()

    do.key(Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier)  # Everyone present
    # a button's mnemonic "animates" the click: it lands a moment later
    qtbot.waitUntil(lambda: len(view.attendance.attended_ids()) == 7, timeout=2000)
    late = world.member_ids[2]
    do.click(view.attendance.row_buttons(late)["late"])  # one came late
    assert view.attendance.records()[late].status == "late"

    do.key(Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)  # Group note
    assert view.tabs.currentIndex() == GROUP
    fields = view.group_editor.fields
    assert focused() is fields["themes"].edit  # the first field, ready to type
    do.type("Loss and anniversaries")
    do.key(Qt.Key.Key_Tab)
    assert focused() is fields["here_and_now"].edit  # Tab goes through the fields in order
    do.type("A. and B. spoke of the empty chair")
    do.key(Qt.Key.Key_Tab)
    assert focused() is fields["interventions"].edit

    do.key(Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)  # Member notes
    assert view.tabs.currentIndex() == MEMBERS
    panel = view.member_notes
    written = []
    for i in range(7):
        mid = panel.current_member_id()
        editor = panel.editor(mid)
        assert focused() is editor.fields["participation"].edit, i
        do.type(f"Took part, member {i}")
        written.append(mid)
        if i < 6:
            do.key(Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)  # from the field
    assert len(set(written)) == 7

    do.click(view.sign_all_button)
    do.count += 1  # confirming "Sign and lock" (patched above) is one more action

    loaded = query(vault, notes.load_meeting_notes, meeting_id)
    assert loaded.group_note is not None and loaded.group_note.status.signed
    assert len(loaded.member_notes) == 7
    assert all(n.status.signed for n in loaded.member_notes)
    assert do.count == 14  # docs/sessions.md "The recurring flow, counted"


def test_ctrl_page_up_goes_back_from_inside_a_note_field(qtbot: QtBot, flow_view: Any) -> None:
    _world, view = flow_view
    view.attendance.everyone_present()
    view.tabs.setCurrentIndex(MEMBERS)
    panel = view.member_notes
    first = panel.current_member_id()
    field = panel.editor(first).fields["participation"].edit
    qtbot.mouseClick(field.viewport(), Qt.MouseButton.LeftButton)  # into the text field
    assert focused() is field
    qtbot.keyClick(focused(), Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert panel.current_member_id() != first
    assert focused() is panel.editor(panel.current_member_id()).fields["participation"].edit
    qtbot.keyClick(focused(), Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert panel.current_member_id() == first
    assert view.tabs.currentIndex() == MEMBERS  # the page tabs did not move instead
