"""A signed session, in the whole main window: nothing offers to change its facts, a click
on Present changes nothing and the page says why; Session > Correct… records an amendment
that shows under the group note's signature."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.services import meetings
from groupleader.data.services import notes as notes_svc
from groupleader.data.snapshots import GroupNoteFields, MeetingSnap
from groupleader.ui import pin_dialogs
from groupleader.ui.main_window import MainWindow
from groupleader.ui.sessions import view as sessions_view_module
from groupleader.ui.sessions.amend_dialog import AmendmentDialog, CorrectMember
from tests.conftest import PASSPHRASE, PIN, open_vault
from tests.ui.sessions_support import NAMES, World, build
from tests.ui.shell_support import unlocked_window
from tests.ui.test_shell_shortcuts_and_sizes import active_keys, clashes

SESSIONS, SEATING = 2, 1


def _signed_day(vault_file: Path) -> World:
    """Six members: four present, Eve and Finn absent with notice; the group note signed
    and co-signed."""
    vault = open_vault(vault_file, PASSPHRASE)
    world = build(vault, NAMES[:6])
    marks = [(mid, "present", None) for mid in world.member_ids[:4]]
    marks += [(mid, "absent_notice", None) for mid in world.member_ids[4:]]
    ops_meetings.take_attendance(vault, world.meeting_id, marks)
    note = ops_notes.save_group_note(vault, world.meeting_id,
                                     GroupNoteFields(themes="Belonging")).value
    ops_notes.sign_note(vault, "group", note.id, world.leader_id, pin=PIN)
    ops_notes.cosign_note(vault, "group", note.id, world.supervisor_id, pin=PIN)
    vault.close()
    return world


@pytest.fixture
def signed(qtbot: Any, make_window: Callable[..., MainWindow],
           vault_file: Path) -> tuple[MainWindow, World]:
    world = _signed_day(vault_file)
    window = unlocked_window(qtbot, make_window, vault_file)
    window.ctx.clinician_id = world.leader_id
    window.resize(1280, 800)
    assert window.workspace.sidebar.select_group(world.group_id)
    window.workspace.tabs.setCurrentIndex(SESSIONS)
    sessions = window.workspace.sessions_view
    assert sessions is not None
    assert sessions.select_meeting(world.meeting_id)
    sessions.tabs.setCurrentIndex(0)  # Attendance
    QApplication.processEvents()
    return window, world


def _marks(window: MainWindow, world: World) -> dict[int, tuple[str, bool]]:
    assert window.ctx.vault is not None
    return {r.member_id: (r.status, r.amended)
            for r in query(window.ctx.vault, meetings.attendance_for, world.meeting_id)}


def test_a_click_on_present_in_a_signed_session_changes_nothing_and_says_why(
    qtbot: Any, signed: tuple[MainWindow, World]
) -> None:
    window, world = signed
    sessions = window.workspace.sessions_view
    assert sessions is not None
    panel = sessions.attendance
    eve = world.member_ids[4]
    before = _marks(window, world)
    assert panel.summary.text() == "4 of 6 attended"
    present = panel.row_buttons(eve)["present"]
    assert present.isVisible() and not present.isEnabled()
    assert not panel.everyone.isEnabled()
    assert not panel.new_member.isEnabled()  # no one joins a session already signed

    qtbot.mouseClick(present, Qt.MouseButton.LeftButton)
    panel.record(eve, "present")  # even a call around the disabled button writes nothing
    QApplication.processEvents()

    assert _marks(window, world) == before
    assert panel.summary.text() == "4 of 6 attended"
    assert not present.isChecked() and panel.row_buttons(eve)["absent_notice"].isChecked()
    assert panel.note.isVisible() and "signed" in panel.note.text()
    assert "amendment" in panel.note.text()
    assert panel.correct_button.isVisible() and panel.correct_button.isEnabled()
    assert clashes(active_keys(window)) == {}  # its mnemonic is free on this page
    # the session list offers no reschedule or cancel, and says why
    listing = sessions.sessions
    assert not listing.reschedule_button.isEnabled()
    assert not listing.cancel_button.isEnabled()
    assert "signed" in listing.reschedule_button.toolTip()
    # the circle is locked too, and says why
    window.workspace.tabs.setCurrentIndex(SEATING)
    QApplication.processEvents()
    seating = window.workspace.seating_view
    assert seating is not None
    seating.show_session(world.meeting_id)
    assert seating.model.read_only and not seating.interaction_action.isEnabled()
    assert "signed" in seating.message.text()


def test_correct_from_the_session_menu_records_an_amendment_shown_under_the_signature(
    qtbot: Any, signed: tuple[MainWindow, World], monkeypatch: pytest.MonkeyPatch
) -> None:
    window, world = signed
    sessions = window.workspace.sessions_view
    assert sessions is not None
    eve = world.member_ids[4]
    asked: list[AmendmentDialog] = []

    def answer(dialog: AmendmentDialog) -> tuple[dict[str, object], str]:
        """The user's answer, typed into the real dialog."""
        asked.append(dialog)
        dialog.member.setCurrentIndex(dialog.member.findData(eve))
        dialog.status.setCurrentIndex(dialog.status.findData("present"))
        qtbot.keyClicks(dialog.reason, "She came in after the break.")
        return dialog.value()

    pins: list[str] = []
    monkeypatch.setattr(sessions_view_module, "ask_amendment", answer)
    monkeypatch.setattr(pin_dialogs, "ask_signing_pin",
                        lambda parent, title, text, signer, action="Sign and lock":
                        pins.append(f"{signer.printed_name}: {action}") or PIN)
    window.correct_action.trigger()
    assert asked and asked[0].what.currentData() == "attendance"
    assert pins == ["Dr Ana Leader: Record amendment"]  # in the author's name, with a PIN

    assert _marks(window, world)[eve] == ("present", True)
    panel = sessions.attendance
    assert panel.summary.text() == "5 of 6 attended"
    assert "amended" in panel._rows[eve].name.text()
    assert "recorded as absent with notice" in panel._rows[eve].name.toolTip()
    strip = sessions.group_editor.status
    text = strip.plain_addenda()
    assert "Amendment, " in text and "Dr Ana Leader" in text
    assert ("Attendance correction: Eve Fox present, recorded as absent with notice; "
            "reason: She came in after the break.") in text
    assert strip.addenda.isVisible() or sessions.tabs.currentIndex() != 1
    row = sessions.sessions.model.row_of(world.meeting_id)
    assert sessions.sessions.model.summary(row).attended == 5
    # screen-share safe: the amendment names her by initials at once, and no longer by name
    window.safe_action.trigger()
    QApplication.processEvents()
    text = strip.plain_addenda()
    assert "Attendance correction: E.F. present" in text and "Eve Fox" not in text


def test_a_wrong_pin_for_an_amendment_records_nothing_and_keeps_what_was_typed(
    qtbot: Any, signed: tuple[MainWindow, World], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Session > Correct…: the real dialog filled in, a wrong PIN (nothing recorded; the same
    dialog again with everything as typed and the reason for the refusal), then the right
    PIN records it in the author's name."""
    window, world = signed
    eve = world.member_ids[4]
    reason = "She came in after the break; the mark was missed."
    seen: list[tuple[object, object, str, str]] = []

    def exec_(dialog: AmendmentDialog) -> int:
        seen.append((dialog.member.currentData(), dialog.status.currentData(),
                     dialog.reason.toPlainText(),
                     dialog.error.text() if not dialog.error.isHidden() else ""))
        if not dialog.reason.toPlainText():
            dialog.member.setCurrentIndex(dialog.member.findData(eve))
            dialog.status.setCurrentIndex(dialog.status.findData("present"))
            qtbot.keyClicks(dialog.reason, reason)
        dialog._accept()
        return int(dialog.result())

    pins = ["2469", PIN]
    monkeypatch.setattr(AmendmentDialog, "exec", exec_)
    monkeypatch.setattr(pin_dialogs, "ask_signing_pin",
                        lambda parent, title, text, signer, action="Sign and lock":
                        pins.pop(0))
    before = _marks(window, world)
    window.correct_action.trigger()
    assert len(seen) == 2 and not pins
    assert seen[0][2] == "" and seen[0][3] == ""
    assert seen[1] == (eve, "present", reason, "That PIN is not right, so nothing was "
                       "signed. Check it and try again.")
    after = _marks(window, world)
    assert after[eve] == ("present", True)
    assert {k: v for k, v in after.items() if k != eve} == \
        {k: v for k, v in before.items() if k != eve}
    assert window.ctx.vault is not None
    status = query(window.ctx.vault, notes_svc.load_meeting_notes,
                   world.meeting_id).group_note.status
    assert [(a.text, a.clinician_id) for a in status.addenda] == [(reason, world.leader_id)]


def test_the_correct_dialog_is_used_from_the_keyboard(qtbot: Any) -> None:
    from datetime import UTC, datetime

    meeting = MeetingSnap(1, 1, 3, None, None, None, datetime(2026, 3, 3, 17, tzinfo=UTC),
                          90, "held", "", ())
    dialog = AmendmentDialog(meeting, [CorrectMember(7, "A.B.", "absent_notice", None),
                                       CorrectMember(8, "C.D.", "present", None)])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.what.setFocus()
    assert dialog.status.currentData() == "present"  # not what A.B. is shown as
    qtbot.keyClick(dialog.what, Qt.Key.Key_Down)  # -> the date and time
    assert dialog.what.currentData() == "time" and dialog.pages.currentIndex() == 1
    qtbot.keyClick(dialog.what, Qt.Key.Key_Up)
    qtbot.keyClick(dialog.what, Qt.Key.Key_Tab)  # -> the member
    assert QApplication.focusWidget() is dialog.member
    qtbot.keyClick(dialog.member, Qt.Key.Key_Down)
    assert dialog.member.currentData() == 8
    dialog.ok.click()  # no reason yet: refused, and the caret goes to the reason
    assert dialog.isVisible() and dialog.error.isVisible()
    assert QApplication.focusWidget() is dialog.reason
    qtbot.keyClicks(dialog.reason, "Left early")
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Tab)  # Tab leaves the reason (not a tab char)
    dialog.ok.click()
    assert dialog.result() == dialog.DialogCode.Accepted
    change, reason = dialog.value()
    assert reason == "Left early" and change["member_id"] == 8
    assert change["to"] != "present"
