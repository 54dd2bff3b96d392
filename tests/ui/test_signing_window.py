"""Who signs, in the real window: the status bar says who signs and how many notes await a
co-signature; the supervisor co-signs from the queue (or a note) with their own PIN, and
the program's owner stays who it was; a wrong PIN signs nothing; the cloned-note warning."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from groupleader.data.models import AuditEvent, Signature
from groupleader.data.operations import groups as ops_groups
from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.services import cosign_queue, notes
from groupleader.data.snapshots import ClinicianSpec, GroupNoteFields, MemberNoteFields
from groupleader.data.vault import Vault
from groupleader.errors import WrongPin
from groupleader.ui import pin_dialogs
from groupleader.ui.cosign_queue import CosignQueueDialog
from groupleader.ui.main_window import MainWindow
from groupleader.ui.sessions import signing
from groupleader.ui.settings import Settings
from tests.conftest import PASSPHRASE, PIN, TEST_KDF_ITER
from tests.ui.sessions_support import World, build
from tests.ui.shell_support import unlocked_window

MakeWindow = Callable[..., MainWindow]
SAME = "Talked about the move and how the group will miss her."


@pytest.fixture
def clinic(tmp_path: Path, settings: Settings) -> tuple[Path, World]:
    """A vault with a signed group note and two signed member notes (none co-signed), the
    leader as the program's owner ("I am")."""
    path = tmp_path / "clinic.vault"
    vault = Vault.create(path, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER)
    world = build(vault, names=("Anna Lee", "Bo Kim", "Cem Aydin", "Dana Roe"))
    ops_groups.update_clinician(vault, world.leader_id,
                                ClinicianSpec("Dr Ana Leader", "leader", "MD"))
    ops_groups.update_clinician(vault, world.supervisor_id,
                                ClinicianSpec("Dr Sam Super", "supervisor", "PhD"))
    # everyone present before the group note is signed (signing locks the attendance)
    ops_meetings.take_attendance(vault, world.meeting_id,
                                 [(m, "present", None) for m in world.member_ids])
    ops_notes.save_group_note(vault, world.meeting_id, GroupNoteFields(themes="Belonging"))
    for member in world.member_ids[:2]:
        ops_notes.save_member_note(vault, world.meeting_id, member,
                                   MemberNoteFields(participation="Took part"))
    ops_notes.sign_meeting_notes(vault, world.meeting_id, world.leader_id, pin=PIN)
    vault.close()
    settings.set_clinician_for(path, world.leader_id)
    return path, world


def _window(qtbot: Any, make_window: MakeWindow, clinic: tuple[Path, World]) -> MainWindow:
    window = unlocked_window(qtbot, make_window, clinic[0])
    assert window.ctx.clinician_id == clinic[1].leader_id
    return window


def _events_and_cosigned(vault: Vault) -> tuple[int, int]:
    with vault.unit_of_work() as db:
        return (db.scalar(select(func.count(AuditEvent.id))) or 0,
                db.scalar(select(func.count(Signature.id)).where(
                    Signature.cosigned_at.is_not(None))) or 0)


def test_the_status_bar_says_who_signs_and_counts_the_queue(
        qtbot: Any, make_window: MakeWindow, clinic: tuple[Path, World]) -> None:
    window = _window(qtbot, make_window, clinic)
    status = window.signing_status
    assert status.signer.text() == "Signing as: Dr Ana Leader, MD"
    assert status.queue_button.isVisible() and status.queue_button.text() == "3 awaiting co-sign"
    # a note signed elsewhere in the program comes through ctx.changed
    vault = window.ctx.vault
    assert vault is not None
    world = clinic[1]
    window.ctx.run(lambda v: ops_notes.save_member_note(
        v, world.meeting_id, world.member_ids[2], MemberNoteFields(goals="Speak up")))
    window.ctx.run(lambda v: ops_notes.sign_meeting_notes(
        v, world.meeting_id, world.leader_id, pin=PIN))
    assert status.queue_button.text() == "4 awaiting co-sign"
    window.ctx.clinician_id = world.supervisor_id  # another profile chosen in Settings
    window.ctx.settings_changed.emit()
    assert status.signer.text() == "Signing as: Dr Sam Super, PhD"
    queue = status.open_queue()
    assert queue is not None and queue.isVisible() and queue.table.rowCount() == 4
    window.lock()
    assert status.signer.text() == "" and not status.queue_button.isVisible()
    assert status.dialog is None  # the list went with the vault (closed, then deleted)
    assert not [w for w in QApplication.topLevelWidgets()
                if isinstance(w, CosignQueueDialog) and w.isVisible()]


def test_the_status_bar_keeps_its_height_so_the_workspace_is_not_laid_out_again(
        qtbot: Any, make_window: MakeWindow, clinic: tuple[Path, World]) -> None:
    """The co-sign button shows only while a vault is open; were it taller than the rest
    of the status bar, each unlock would shrink the workspace just after laying it out."""
    from PySide6.QtCore import QEvent, QObject

    window = _window(qtbot, make_window, clinic)
    assert window.signing_status.queue_button.isVisible()
    bar = window.statusBar()
    unlocked = bar.height()
    assert window.lock()
    qtbot.wait(50)
    assert bar.height() == unlocked

    class Heights(QObject):
        def __init__(self, parent: QObject) -> None:
            super().__init__(parent)
            self.seen: list[int] = []

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Resize:
                self.seen.append(window.workspace.height())
            return False

    heights = Heights(window)
    window.workspace.installEventFilter(heights)
    window.unlock_page.passphrase.setText(PASSPHRASE)
    window.unlock_page.submit()
    qtbot.waitUntil(lambda: window.signing_status.queue_button.isVisible(), timeout=20_000)
    qtbot.wait(50)
    assert bar.height() == unlocked
    assert len(set(heights.seen)) <= 1, heights.seen  # shown once at its height, not moved


def test_the_supervisor_co_signs_from_the_queue_and_the_owner_stays(
        qtbot: Any, make_window: MakeWindow, clinic: tuple[Path, World], settings: Settings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    window = _window(qtbot, make_window, clinic)
    world = clinic[1]
    asked: list[tuple[list[str], str, int | None]] = []

    def cosigner(parent: Any, supervisors: Any, text: str, preferred: int | None = None) -> Any:
        asked.append(([s.printed_name for s in supervisors], text, preferred))
        return supervisors[0].id, PIN

    monkeypatch.setattr(pin_dialogs, "ask_cosigner", cosigner)
    qtbot.mouseClick(window.signing_status.queue_button, Qt.MouseButton.LeftButton)
    dialog = window.signing_status.dialog
    assert isinstance(dialog, CosignQueueDialog) and dialog.isVisible()
    table = dialog.table
    assert table.rowCount() == 3
    assert [table.item(r, 3).text() for r in range(3)] == ["Group note", "Member note",
                                                           "Member note"]
    assert [table.item(r, 4).text() for r in range(3)] == ["", "A.L.", "B.K."]
    assert table.item(0, 5).text() == "Dr Ana Leader, MD"
    assert not dialog.cosign_button.isEnabled()  # nothing chosen yet
    table.selectRow(0)
    table.selectionModel().select(
        table.model().index(2, 0),
        table.selectionModel().SelectionFlag.Select | table.selectionModel().SelectionFlag.Rows)
    assert len(dialog.selected()) == 2
    qtbot.mouseClick(dialog.cosign_button, Qt.MouseButton.LeftButton)
    assert asked == [(["Dr Sam Super, PhD"], "Co-sign these 2 notes?", world.leader_id)]
    assert table.rowCount() == 1 and table.item(0, 4).text() == "A.L."
    assert window.signing_status.queue_button.text() == "1 awaiting co-sign"
    vault = window.ctx.vault
    assert vault is not None
    loaded = query(vault, notes.load_meeting_notes, world.meeting_id)
    assert loaded.group_note is not None and loaded.group_note.status.state == "cosigned"
    assert loaded.group_note.status.cosigned_by.name == "Dr Sam Super"  # type: ignore[union-attr]
    # the owner is who it was: in the window, in the settings and on the status bar
    assert window.ctx.clinician_id == world.leader_id
    assert settings.clinician_for(clinic[0]) == world.leader_id
    assert window.signing_status.signer.text() == "Signing as: Dr Ana Leader, MD"
    # and the last one, with Select all
    qtbot.mouseClick(dialog.select_all, Qt.MouseButton.LeftButton)
    assert dialog.cosign_selected() == 1
    assert table.rowCount() == 0 and not window.signing_status.queue_button.isVisible()
    assert "No note is waiting" in dialog.summary.text()


def test_a_wrong_supervisor_pin_in_the_queue_co_signs_nothing_and_says_so(
        qtbot: Any, make_window: MakeWindow, clinic: tuple[Path, World],
        monkeypatch: pytest.MonkeyPatch) -> None:
    window = _window(qtbot, make_window, clinic)
    monkeypatch.setattr(pin_dialogs, "ask_cosigner",
                        lambda parent, sups, text, preferred=None: (sups[0].id, "9753"))
    window.open_cosign_queue()
    dialog = window.signing_status.dialog
    assert dialog is not None
    vault = window.ctx.vault
    assert vault is not None
    before = _events_and_cosigned(vault)
    dialog.table.selectAll()
    assert dialog.cosign_selected() == 0
    assert "That PIN is not right, so nothing was signed" in dialog.banner.label.text()
    assert _events_and_cosigned(vault) == before
    assert dialog.table.rowCount() == 3
    assert query(vault, cosign_queue.awaiting_count) == 3


def test_co_signing_a_note_in_sessions_keeps_the_owner(
        qtbot: Any, make_window: MakeWindow, clinic: tuple[Path, World], settings: Settings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    window = _window(qtbot, make_window, clinic)
    world = clinic[1]
    monkeypatch.setattr(pin_dialogs, "ask_cosigner",
                        lambda parent, sups, text, preferred=None: (sups[0].id, PIN))
    window._show_tab(2)
    view = window.workspace.sessions_view
    assert view is not None
    view.tabs.setCurrentIndex(1)
    strip = view.group_editor.status
    qtbot.waitUntil(lambda: strip.cosign_button.isVisibleTo(view))
    qtbot.mouseClick(strip.cosign_button, Qt.MouseButton.LeftButton)
    assert "Co-signed as supervisor (reviewed) by Dr Sam Super, PhD" in strip.state.text()
    assert strip.state.text().startswith("Signed as author by Dr Ana Leader, MD, ")
    assert window.ctx.clinician_id == world.leader_id
    assert settings.clinician_for(clinic[0]) == world.leader_id
    assert window.signing_status.queue_button.text() == "2 awaiting co-sign"


def _sessions(qtbot: Any, window: MainWindow) -> Any:
    window._show_tab(2)
    view = window.workspace.sessions_view
    assert view is not None
    return view


def test_the_cloned_note_warning_names_field_and_members_and_sign_anyway_signs(
        qtbot: Any, make_window: MakeWindow, clinic: tuple[Path, World],
        monkeypatch: pytest.MonkeyPatch) -> None:
    window = _window(qtbot, make_window, clinic)
    world = clinic[1]
    view = _sessions(qtbot, window)
    warned: list[str] = []
    answer = [False]

    def sign_anyway(parent: Any, text: str) -> bool:
        warned.append(text)
        return answer[0]

    pins_asked: list[str] = []
    monkeypatch.setattr(signing, "ask_sign_anyway", sign_anyway)
    monkeypatch.setattr(pin_dialogs, "ask_signing_pin",
                        lambda parent, title, text, signer: pins_asked.append(text) or PIN)
    cem, dana = world.member_ids[2], world.member_ids[3]
    panel = view.member_notes
    panel.editor(cem).fields["response"].edit.setPlainText(SAME)
    panel.editor(dana).fields["response"].edit.setPlainText("  " + SAME.replace(" ", "\n", 1))
    panel.editor(dana).fields["plan"].edit.setPlainText("Ask about the new flat.")
    assert not view.sign_member_note(cem)  # go back and edit: nothing signed, no PIN asked
    assert warned and pins_asked == []
    assert ("Response to interventions: the same text in the notes for Cem Aydin and "
            "Dana Roe.") in warned[0]
    vault = window.ctx.vault
    assert vault is not None
    loaded = query(vault, notes.load_meeting_notes, world.meeting_id)
    assert not any(n.status.signed for n in loaded.member_notes if n.member_id == cem)
    assert not view.sign_all()  # Sign all warns too
    assert len(warned) == 2 and pins_asked == []
    answer[0] = True
    assert view.sign_all()
    assert len(warned) == 3 and len(pins_asked) == 1
    loaded = query(vault, notes.load_meeting_notes, world.meeting_id)
    assert {n.member_id for n in loaded.member_notes if n.status.signed} >= {cem, dana}


def test_a_wrong_pin_when_signing_signs_nothing_and_says_so_calmly(
        qtbot: Any, make_window: MakeWindow, clinic: tuple[Path, World],
        monkeypatch: pytest.MonkeyPatch) -> None:
    window = _window(qtbot, make_window, clinic)
    world = clinic[1]
    view = _sessions(qtbot, window)
    signers: list[str] = []
    monkeypatch.setattr(pin_dialogs, "ask_signing_pin",
                        lambda parent, title, text, signer: signers.append(
                            signer.printed_name) or "2469")
    view.member_notes.editor(world.member_ids[3]).fields["goals"].edit.setPlainText("Speak up")
    vault = window.ctx.vault
    assert vault is not None
    view.save_pending()
    before = _events_and_cosigned(vault), query(vault, cosign_queue.awaiting_count)
    assert not view.sign_member_note(world.member_ids[3])
    assert signers == ["Dr Ana Leader, MD"]
    assert view.banner.label.text() == ("That PIN is not right, so nothing was signed. "
                                        "Check it and try again.")
    assert (_events_and_cosigned(vault), query(vault, cosign_queue.awaiting_count)) == before
    assert not view.member_notes.editor(world.member_ids[3]).signed


def test_a_profile_without_a_pin_is_asked_to_set_one_first(
        qtbot: Any, make_window: MakeWindow, clinic: tuple[Path, World],
        monkeypatch: pytest.MonkeyPatch) -> None:
    window = _window(qtbot, make_window, clinic)
    world = clinic[1]
    fresh = window.ctx.run(lambda v: ops_groups.create_clinician(
        v, ClinicianSpec("Dr New", "co_leader")))
    window.ctx.clinician_id = fresh.id
    view = _sessions(qtbot, window)
    seen: list[pin_dialogs.SetPinDialog] = []

    def exec_(dialog: pin_dialogs.SetPinDialog) -> int:
        seen.append(dialog)
        dialog.new.setText("1111")
        dialog.repeat.setText("1111")
        dialog.accept()  # refused: stays open, says why
        assert "too easy to guess" in dialog.new_error.text()
        dialog.new.setText("new-leader-pin")
        dialog.repeat.setText("new-leader-pin")
        dialog.accept()
        return int(dialog.result())

    monkeypatch.setattr(pin_dialogs.SetPinDialog, "exec", exec_)
    monkeypatch.setattr(pin_dialogs, "ask_signing_pin",
                        lambda parent, title, text, signer: "new-leader-pin")
    view.member_notes.editor(world.member_ids[3]).fields["goals"].edit.setPlainText("Speak up")
    assert view.sign_member_note(world.member_ids[3])
    assert len(seen) == 1 and not seen[0].old.isVisibleTo(seen[0])
    vault = window.ctx.vault
    assert vault is not None
    loaded = query(vault, notes.load_meeting_notes, world.meeting_id)
    [note] = [n for n in loaded.member_notes if n.member_id == world.member_ids[3]]
    assert note.status.signed_by is not None and note.status.signed_by.name == "Dr New"


def test_settings_change_a_profiles_pin_with_the_old_one_and_the_owner_stays(
        qtbot: Any, make_window: MakeWindow, clinic: tuple[Path, World], settings: Settings,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from groupleader.ui.settings_dialog import SettingsDialog

    window = _window(qtbot, make_window, clinic)
    world = clinic[1]
    dialog = SettingsDialog(window.ctx, settings, window)
    qtbot.addWidget(dialog)
    assert dialog.pin_button.text() == "Change signing PIN…"
    dialog.profile.setCurrentIndex(dialog.profile.findData(world.supervisor_id))
    dialog.profile.setCurrentIndex(dialog.profile.count() - 1)  # "A new profile…"
    assert not dialog.pin_button.isEnabled()
    dialog.profile.setCurrentIndex(dialog.profile.findData(world.supervisor_id))

    def exec_(d: pin_dialogs.SetPinDialog) -> int:
        assert d.whose.text() == "Profile: Dr Sam Super, PhD"
        d.old.setText("2469")
        d.new.setText("sam-reviews")
        d.repeat.setText("sam-reviews")
        d.accept()
        assert "That PIN is not right" in d.banner.label.text()  # stays open
        d.old.setText(PIN)
        d.accept()
        return int(d.result())

    monkeypatch.setattr(pin_dialogs.SetPinDialog, "exec", exec_)
    qtbot.mouseClick(dialog.pin_button, Qt.MouseButton.LeftButton)
    dialog.reject()  # Cancel: "I am" stays the leader
    assert window.ctx.clinician_id == world.leader_id
    assert settings.clinician_for(clinic[0]) == world.leader_id
    vault = window.ctx.vault
    assert vault is not None
    group_note = query(vault, notes.load_meeting_notes, world.meeting_id).group_note
    assert group_note is not None
    with pytest.raises(WrongPin):
        ops_notes.cosign_note(vault, "group", group_note.id, world.supervisor_id, pin=PIN)
    ops_notes.cosign_note(vault, "group", group_note.id, world.supervisor_id, pin="sam-reviews")


def test_an_addendum_asks_for_its_authors_pin_and_a_wrong_one_keeps_the_text(
        qtbot: Any, make_window: MakeWindow, clinic: tuple[Path, World],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """In the window: Addendum… on a signed note, the text typed into the real dialog, a
    wrong PIN (nothing written, the dialog back with the text and the reason), the right
    PIN (the addendum in the author's name)."""
    from PySide6.QtWidgets import QDialog

    window = _window(qtbot, make_window, clinic)
    world = clinic[1]
    view = _sessions(qtbot, window)
    typed = "Anna phoned after the session: she is safe."
    seen: list[tuple[str, str]] = []

    def exec_(dialog: signing.AddendumDialog) -> int:
        seen.append((dialog.edit.toPlainText(),
                     dialog.error.text() if not dialog.error.isHidden() else ""))
        if not dialog.edit.toPlainText():
            qtbot.keyClicks(dialog.edit, typed)
        return int(QDialog.DialogCode.Accepted.value)

    asked: list[tuple[str, str]] = []
    pins = ["2469", PIN]
    monkeypatch.setattr(signing.AddendumDialog, "exec", exec_)
    monkeypatch.setattr(pin_dialogs, "ask_signing_pin",
                        lambda parent, title, text, signer, action="Sign and lock":
                        asked.append((signer.printed_name, action)) or pins.pop(0))
    vault = window.ctx.vault
    assert vault is not None
    before = _events_and_cosigned(vault)
    strip = view.group_editor.status
    assert strip.addendum_button.isEnabled()
    strip.addendum_button.click()
    assert asked == [("Dr Ana Leader, MD", "Add addendum")] * 2
    assert seen[0] == ("", "")
    assert seen[1] == (typed, "That PIN is not right, so nothing was signed. Check it and "
                       "try again.")
    status = query(vault, notes.load_meeting_notes, world.meeting_id).group_note.status
    assert [(a.text, a.clinician_id) for a in status.addenda] == [(typed, world.leader_id)]
    with vault.unit_of_work() as db:  # the wrong PIN wrote no event; the right one, one
        actions = db.scalars(select(AuditEvent.action).order_by(AuditEvent.id)
                             .offset(before[0])).all()
    assert [a for a in actions if a != "vault.unlock"] == ["note.group.addendum"]
    assert typed in strip.addenda.text()
