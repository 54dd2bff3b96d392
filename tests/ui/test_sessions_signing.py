"""Sign and lock, addendum, co-sign; and the quick notes of the session timer."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.services import notes
from groupleader.data.snapshots import GroupNoteFields
from groupleader.errors import SignedNoteError
from groupleader.ui import pin_dialogs
from groupleader.ui.sessions import SessionsView, signing
from tests.conftest import PIN
from tests.ui.sessions_support import build, context


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """Answers to the view's questions, and a record of what it asked."""
    given: dict[str, object] = {"confirm": True, "addendum": "Late addition", "asked": [],
                                "pin": PIN, "signers": [], "cosigners": []}

    def confirm(parent, title, text, signer, action="Sign and lock"):
        given["asked"].append(text)  # type: ignore[union-attr]
        given["signers"].append(signer.name)  # type: ignore[union-attr]
        return given["pin"] if given["confirm"] else None

    def cosigner(parent, supervisors, text, preferred=None):
        given["cosigners"].append([s.name for s in supervisors])  # type: ignore[union-attr]
        return supervisors[0].id, given["pin"]

    monkeypatch.setattr(pin_dialogs, "ask_signing_pin", confirm)
    monkeypatch.setattr(signing, "ask_addendum_text", lambda parent, *_a: given["addendum"])
    monkeypatch.setattr(pin_dialogs, "ask_cosigner", cosigner)
    return given


def make_view(qtbot, vault, world, clinician: int | None = -1):
    ctx = context(vault, world.leader_id if clinician == -1 else clinician)
    view = SessionsView(ctx)
    qtbot.addWidget(view)
    view.set_group(world.group_id)
    view.tabs.setCurrentIndex(1)
    return view


def test_sign_makes_the_editor_read_only_and_the_service_refuses_edits(
    qtbot, vault, answers
) -> None:
    world = build(vault)
    view = make_view(qtbot, vault, world)
    view.group_editor.fields["themes"].edit.setPlainText("Belonging")
    assert view.sign_group_note()
    assert "group note" in answers["asked"][0]
    editor = view.group_editor
    assert editor.read_only
    assert all(f.edit.isReadOnly() for f in editor.fields.values())
    assert "Signed as author by Dr Ana Leader" in editor.status.state.text()
    assert not view.live_button.isEnabled()  # no quick notes into a signed note
    with pytest.raises(SignedNoteError):
        ops_notes.save_group_note(vault, world.meeting_id, GroupNoteFields(themes="Changed"))
    assert query(vault, notes.load_meeting_notes, world.meeting_id).group_note.fields.themes == \
        "Belonging"


def test_declining_the_confirmation_signs_nothing(qtbot, vault, answers) -> None:
    world = build(vault)
    view = make_view(qtbot, vault, world)
    answers["confirm"] = False
    view.group_editor.fields["themes"].edit.setPlainText("Belonging")
    assert not view.sign_group_note()
    assert not view.group_editor.read_only
    assert (
        query(vault, notes.load_meeting_notes, world.meeting_id).group_note.status.state == "draft"
    )


def test_signing_without_a_clinician_profile_explains_what_to_do(
    qtbot,
    vault,
    answers,
) -> None:
    world = build(vault)
    view = make_view(qtbot, vault, world, clinician=None)
    view.group_editor.fields["themes"].edit.setPlainText("Belonging")
    assert not view.sign_group_note()
    assert "Settings" in view.banner.label.text()
    assert answers["asked"] == []
    assert not view.group_editor.read_only


def test_addendum_and_cosign_appear_below_the_note(qtbot, vault, answers) -> None:
    world = build(vault)
    view = make_view(qtbot, vault, world)
    view.group_editor.fields["themes"].edit.setPlainText("Belonging")
    view.sign_group_note()
    strip = view.group_editor.status
    assert strip.addendum_button.isVisibleTo(view) and strip.cosign_button.isVisibleTo(view)
    strip.addendum_button.click()
    assert "Late addition" in strip.addenda.text()
    assert "Dr Ana Leader" in strip.addenda.text()
    strip.cosign_button.click()
    assert "Co-signed as supervisor (reviewed) by Dr Sam Super" in strip.state.text()
    assert not strip.cosign_button.isVisibleTo(view)
    qtbot.waitUntil(lambda: view.sessions.model.summary(0).notes == "cosigned")
    status = query(vault, notes.load_meeting_notes, world.meeting_id).group_note.status
    assert status.state == "cosigned" and status.addenda[0].text == "Late addition"


def test_sign_all_signs_the_group_note_and_written_member_notes(
    qtbot,
    vault,
    answers,
) -> None:
    world = build(vault)
    view = make_view(qtbot, vault, world)
    view.attendance.everyone_present()
    view.group_editor.fields["themes"].edit.setPlainText("Belonging")
    first, second = view.member_notes.member_ids()[:2]
    view.member_notes.editor(first).fields["participation"].edit.setPlainText("Spoke first")
    view.member_notes.editor(second).fields["plan"].edit.setPlainText("Check in")
    assert view.sign_all()
    asked = answers["asked"][0]
    assert asked.startswith("Sign the group note and 2 member notes of session 1 ")
    assert "(5 members have nothing written yet and will not be signed)" in asked
    loaded = query(vault, notes.load_meeting_notes, world.meeting_id)
    assert loaded.group_note.status.signed
    assert sorted(n.member_id for n in loaded.member_notes if n.status.signed) == sorted(
        [first, second]
    )
    assert view.member_notes.editor(first).signed
    assert all(f.edit.isReadOnly() for f in view.member_notes.editor(first).fields.values())
    assert not view.member_notes.editor(view.member_notes.member_ids()[3]).signed
    qtbot.waitUntil(lambda: view.sessions.model.summary(0).notes == "signed")
    # the member list marks signed notes up front, where a narrow list does not cut it off
    names = {
        view.member_notes.list.item(i).data(Qt.ItemDataRole.UserRole): view.member_notes.list.item(
            i
        )
        for i in range(view.member_notes.list.count())
    }
    assert names[first].text().startswith("✓ ") and names[first].toolTip().endswith(", signed")
    assert not names[view.member_notes.member_ids()[3]].text().startswith("✓")
    top = view.member_notes.editor(first).signature
    assert top.text().startswith("✓ Signed as author by Dr Ana Leader")


def test_an_old_unsigned_draft_is_flagged_in_the_session_list(qtbot, vault) -> None:
    world = build(vault, sessions=3)  # sessions 0, 7 and 14 days ago
    ops_notes.save_group_note(vault, world.meeting_id - 2, GroupNoteFields(themes="Old draft"))
    ops_notes.save_group_note(vault, world.meeting_id, GroupNoteFields(themes="New draft"))
    view = make_view(qtbot, vault, world)  # the default limit: 7 days
    model = view.sessions.model
    rows = {m.id: model.summary(i) for i, m in enumerate(model.sessions())}
    assert rows[world.meeting_id - 2].flagged
    assert not rows[world.meeting_id].flagged
    flagged_text = model.data(model.index(model.row_of(world.meeting_id - 2), 4))
    assert flagged_text.startswith("⚑ draft")


def test_quick_notes_are_stamped_with_the_minute_and_land_in_the_group_note(
    qtbot,
    vault,
) -> None:
    world = build(vault)
    view = make_view(qtbot, vault, world)
    start = datetime(2026, 3, 3, 18, 0).astimezone()
    now = [start + timedelta(minutes=23, seconds=40)]
    view.live._clock = lambda: now[0]  # a fixed clock for the test
    view.live.start(start)
    qtbot.keyClicks(view.live.line, "M.K. challenged the leader")
    view.live.commit()
    now[0] = start + timedelta(minutes=41)
    view.live.line.setText("silence")
    view.live.stop()  # stopping keeps what was still in the line
    expected = "23' M.K. challenged the leader\n41' silence"
    assert view.group_editor.fields["here_and_now"].edit.toPlainText() == expected
    qtbot.waitUntil(
        lambda: query(vault, notes.load_meeting_notes, world.meeting_id).group_note is not None,
        timeout=3000,
    )
    view.save_pending()
    saved = query(vault, notes.load_meeting_notes, world.meeting_id).group_note.fields.here_and_now
    assert saved == expected


def test_a_signed_note_reads_clearly_signature_on_top_factors_legible_and_fixed(
    qtbot,
    vault,
    answers,
) -> None:
    from PySide6.QtCore import QPoint, Qt

    world = build(vault)
    view = make_view(qtbot, vault, world)
    view.resize(1280, 800)
    view.show()
    editor = view.group_editor
    assert editor.signature.text() == "Draft — not signed"
    editor.fields["themes"].edit.setPlainText("Belonging")
    box = editor.factor_boxes["cohesiveness"]
    box.setChecked(True)
    assert view.sign_group_note()
    top = editor.signature
    assert top.isVisibleTo(view) and top.y() < editor.fields["themes"].mapTo(editor, QPoint()).y()
    assert top.text().startswith("✓ Signed as author by Dr Ana Leader, ")
    # the factors keep their normal colours (enabled), but a click or Space changes nothing
    assert all(b.isEnabled() for b in editor.factor_boxes.values()) and editor.stage.isEnabled()
    assert all(f.edit.isEnabled() and f.edit.isReadOnly() for f in editor.fields.values())
    editor.fields["themes"].edit.setFocus()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    qtbot.keyClick(box, Qt.Key.Key_Space)
    other = editor.factor_boxes["universality"]
    qtbot.mouseClick(other, Qt.MouseButton.LeftButton)
    assert box.isChecked() and not other.isChecked()
    assert editor.value().factors == ("cohesiveness",)
    strip = editor.status
    strip.cosign_button.click()
    assert "· Co-signed as supervisor (reviewed) by Dr Sam Super, " in top.text()


def test_sign_all_never_promises_an_empty_group_note_and_reports_the_count_signed(
    qtbot,
    vault,
    answers,
) -> None:
    world = build(vault)
    view = make_view(qtbot, vault, world)
    said: list[str] = []
    view.ctx.status_message.connect(said.append)
    view.attendance.everyone_present()
    themes = view.group_editor.fields["themes"].edit
    themes.setPlainText("Written, then taken back")
    view.save_pending()
    themes.setPlainText("")
    view.save_pending()  # the group note exists, empty
    assert query(vault, notes.load_meeting_notes, world.meeting_id).group_note is not None
    first, second = view.member_notes.member_ids()[:2]
    view.member_notes.editor(first).fields["goals"].edit.setPlainText("Speak up")
    view.member_notes.editor(second).risk_flag.setChecked(True)  # a flag alone is content
    assert view.sign_all()
    asked = answers["asked"][0]
    assert asked.startswith(
        "Sign 2 member notes of session 1 (the group note and 5 members "
        "have nothing written yet and will not be signed)?"
    )
    assert said == ["Signed 2 notes of session 1; they are locked now."]
    loaded = query(vault, notes.load_meeting_notes, world.meeting_id)
    assert loaded.group_note.status.state == "draft"
    assert sorted(n.member_id for n in loaded.member_notes if n.status.signed) == sorted(
        [first, second]
    )
    assert view.banner.label.text() == ""  # it did what it said: no banner


def test_sign_all_with_nothing_written_asks_nothing_and_says_so(
    qtbot,
    vault,
    answers,
) -> None:
    world = build(vault)
    view = make_view(qtbot, vault, world)
    said: list[str] = []
    view.ctx.status_message.connect(said.append)
    view.attendance.everyone_present()
    assert not view.sign_all()
    assert answers["asked"] == [] and said == []
    assert "nothing to sign" in view.banner.label.text()


def test_sign_all_declined_signs_nothing(qtbot, vault, answers) -> None:
    world = build(vault)
    view = make_view(qtbot, vault, world)
    answers["confirm"] = False
    view.group_editor.fields["themes"].edit.setPlainText("Belonging")
    assert not view.sign_all()
    assert answers["asked"][0].startswith("Sign the group note of session 1?")
    assert (
        query(vault, notes.load_meeting_notes, world.meeting_id).group_note.status.state == "draft"
    )
