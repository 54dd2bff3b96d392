"""Find: results name the kind, group and session; opening one goes to the word."""

from __future__ import annotations

from PySide6.QtCore import Qt

from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.services import notes
from groupleader.data.snapshots import GroupNoteFields, MemberNoteFields
from groupleader.ui.find import FindDialog, HitModel
from groupleader.ui.sessions import SessionsView
from tests.conftest import PIN
from tests.ui.sessions_support import build, context


def setup(qtbot, vault):
    world = build(vault, sessions=2)
    earlier = world.meeting_id - 1
    ops_notes.save_group_note(vault, earlier, GroupNoteFields(
        themes="Opening", plan="Talk about the scapegoat pattern next week"))
    ops_notes.save_member_note(vault, world.meeting_id, world.member_ids[3],
                           MemberNoteFields(participation="Named the scapegoat role"))
    ops_notes.save_private_note(vault, world.meeting_id, "My scapegoat countertransference")
    ctx = context(vault, world.leader_id)
    view = SessionsView(ctx)
    qtbot.addWidget(view)
    view.set_group(world.group_id)
    dialog = FindDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.open_note.connect(view.open_note)
    return world, view, dialog


def test_results_show_kind_group_session_and_snippet_without_process_notes(
    qtbot, vault
) -> None:
    world, view, dialog = setup(qtbot, vault)
    assert not dialog.include_private.isChecked()
    qtbot.keyClicks(dialog.query, "scapegoat")
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2, timeout=2000)
    rows = [[dialog.model.data(dialog.model.index(r, c)) for c in range(4)] for r in range(2)]
    assert sorted(r[0] for r in rows) == ["Group note", "Member note — Dan Evans"]
    assert all(r[1] == "Tuesday group" for r in rows)
    assert any(r[2].startswith("1 · ") for r in rows) and any(r[2].startswith("2 · ")
                                                              for r in rows)
    assert all("[scapegoat]" in r[3] for r in rows)
    dialog.include_private.setChecked(True)
    assert dialog.model.rowCount() == 3
    kinds = {dialog.model.data(dialog.model.index(r, 0)) for r in range(3)}
    assert "Process note (private)" in kinds


def test_opening_a_result_goes_to_the_note_with_the_word_highlighted(qtbot, vault) -> None:
    world, view, dialog = setup(qtbot, vault)
    dialog.query.setText("scapegoat")
    dialog.run()
    rows = {dialog.model.hit(r).kind: r for r in range(dialog.model.rowCount())}
    assert dialog.open_row(rows["group"])
    assert view.meeting.id == world.meeting_id - 1
    assert view.tabs.currentWidget() is view.group_editor
    plan = view.group_editor.fields["plan"].edit
    marks = plan.extraSelections()
    assert len(marks) == 1 and marks[0].cursor.selectedText() == "scapegoat"
    assert plan.textCursor().position() == plan.toPlainText().index("scapegoat")

    assert dialog.open_row(rows["member"])
    assert view.meeting.id == world.meeting_id
    assert view.tabs.currentWidget() is view.member_notes
    assert view.member_notes.current_member_id() == world.member_ids[3]
    editor = view.member_notes.editor(world.member_ids[3])
    assert editor.fields["participation"].edit.extraSelections()

    dialog.include_private.setChecked(True)
    private_row = next(r for r in range(dialog.model.rowCount())
                       if dialog.model.hit(r).kind == "private")
    dialog.open_row(private_row)
    assert view.tabs.currentWidget() is view.process
    assert view.process.edit.extraSelections()


def test_find_drops_results_when_the_vault_closes(qtbot, vault) -> None:
    _, view, dialog = setup(qtbot, vault)
    dialog.query.setText("scapegoat")
    dialog.run()
    assert dialog.model.rowCount()
    view.ctx.vault_closing.emit()
    assert dialog.model.rowCount() == 0 and dialog.query.text() == ""


def test_an_addendum_is_found_named_and_opened_on_its_notes_page_marked(
    qtbot, vault
) -> None:
    world, view, dialog = setup(qtbot, vault)
    member = world.member_ids[3]
    group = ops_notes.save_group_note(
        vault, world.meeting_id, GroupNoteFields(themes="Trust")
    ).value
    member_note = query(vault, notes.load_meeting_notes, world.meeting_id).member_notes
    member_note_id = next(n.id for n in member_note if n.member_id == member)
    private_id = query(
        vault, notes.load_meeting_notes, world.meeting_id, include_private=True
    ).private_note.id
    for kind, note_id, text in (
        ("group", group.id, "Zebra <b>&</b> crossing, later"),
        ("member", member_note_id, "Zebra phone call"),
        ("private", private_id, "Zebra thoughts of mine"),
    ):
        ops_notes.sign_note(vault, kind, note_id, world.leader_id, pin=PIN)
        ops_notes.add_addendum(vault, kind, note_id, world.leader_id, text, pin=PIN)
    view = SessionsView(view.ctx)  # a view opened after the addenda were written
    qtbot.addWidget(view)
    view.set_group(world.group_id)
    dialog.open_note.disconnect()
    dialog.open_note.connect(view.open_note)
    dialog.query.setText("zebra")
    dialog.run()
    texts = sorted(
        dialog.model.data(dialog.model.index(r, 0)) for r in range(dialog.model.rowCount())
    )
    assert texts == ["Addendum to a group note", "Addendum to a member note — Dan Evans"]
    dialog.include_private.setChecked(True)
    rows = {dialog.model.hit(r).addendum_of: r for r in range(dialog.model.rowCount())}
    private_row = dialog.model.index(rows["private"], 0)
    assert dialog.model.data(private_row) == "Addendum to a process note (private)"
    assert dialog.model.data(private_row, Qt.ItemDataRole.FontRole).italic()

    assert dialog.open_row(rows["group"])
    assert view.tabs.currentWidget() is view.group_editor
    strip = view.group_editor.status
    assert strip.addenda.textFormat() == Qt.TextFormat.RichText
    assert "<span" in strip.addenda.text() and "&lt;b&gt;&amp;&lt;/b&gt;" in strip.addenda.text()
    assert "Zebra <b>&</b> crossing" in strip.plain_addenda()

    assert dialog.open_row(rows["member"])
    assert view.tabs.currentWidget() is view.member_notes
    assert view.member_notes.current_member_id() == member
    assert "Zebra</span> phone" in view.member_notes.editor(member).status.addenda.text()

    assert dialog.open_row(rows["private"])
    assert view.tabs.currentWidget() is view.process
    assert "Zebra</span> thoughts" in view.process.status.addenda.text()


def test_the_hit_model_passes_the_model_tester(qtbot, qtmodeltester, vault) -> None:
    _, view, dialog = setup(qtbot, vault)
    model: HitModel = dialog.model
    qtmodeltester.check(model)  # Qt's checks run again on every change below
    dialog.query.setText("scapegoat")
    dialog.run()  # group and member notes: a reset
    assert model.rowCount() == 2
    dialog.include_private.setChecked(True)  # and the process note, in italics
    assert model.rowCount() == 3
    private = next(r for r in range(3) if model.hit(r).kind == "private")
    assert model.data(model.index(private, 0), Qt.ItemDataRole.FontRole).italic()
    view.ctx.vault_closing.emit()  # lock: the results go
    assert model.rowCount() == 0
