"""One vocabulary of note fields: the editors, the services and the PDF all read it."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest
from PySide6.QtWidgets import QCheckBox, QGroupBox, QLabel, QWidget
from pytestqt.qtbot import QtBot

from groupleader import note_fields
from groupleader.data.models import GroupStage
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.services import notes as notes_svc
from groupleader.data.snapshots import GroupNoteFields, MemberNoteFields
from groupleader.data.vault import Vault
from groupleader.note_fields import GROUP_NOTE, MEMBER_NOTE, group_field, member_field
from groupleader.report.collect import collect_session
from groupleader.report.collect_period import collect_member_extract
from groupleader.report.member_extract import render_extract
from groupleader.report.model import ReportOptions
from groupleader.report.session_summary import render_session
from groupleader.ui.sessions.group_note import GroupNoteEditor
from groupleader.ui.sessions.member_notes import MemberEntry, MemberNoteEditor
from groupleader.ui.sessions.sign_all import has_content, plan_sign_all
from tests.conftest import PIN
from tests.report.conftest import Clinic, build_clinic
from tests.report.pdfcheck import all_text, flat

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def clinic(vault: Vault) -> Clinic:
    return build_clinic(vault)


# ---------------------------------------------------------------- the vocabulary itself


def test_the_vocabulary_names_every_field_of_each_note_and_every_stage() -> None:
    assert [f.key for f in GROUP_NOTE] == [f.name for f in fields(GroupNoteFields)]
    assert [f.key for f in MEMBER_NOTE] == [f.name for f in fields(MemberNoteFields)]
    assert {s.key for s in note_fields.STAGES} == {str(s) for s in GroupStage}
    assert note_fields.GROUP_TEXT == ("themes", "here_and_now", "interventions",
                                      "critical_incidents", "boundary_incidents", "risk", "plan")
    assert note_fields.MEMBER_TEXT == ("participation", "goals", "response", "risk_followup",
                                       "plan")


def test_screen_and_paper_use_the_same_words_for_every_text_field() -> None:
    for spec in GROUP_NOTE + MEMBER_NOTE:
        assert spec.label and spec.title, spec.key
        if spec.kind == "text":
            assert spec.title == spec.label, spec.key
    assert member_field("risk_flag").label.startswith(member_field("risk_flag").title)


def test_the_vocabulary_is_a_pure_module() -> None:
    code = ("import sys, groupleader.note_fields; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "{'PySide6', 'sqlalchemy', 'reportlab'} or m.startswith('groupleader.data')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.strip()
    assert out == "[]"


# ---------------------------------------------------------------- the "has content" rule


@pytest.mark.parametrize("key", note_fields.GROUP_TEXT)
def test_any_text_field_gives_a_group_note_content(key: str) -> None:
    assert note_fields.group_has_content(GroupNoteFields(**{key: "x"}))
    assert not note_fields.group_has_content(
        GroupNoteFields(**{key: " \n\t "}))


@pytest.mark.parametrize("key", note_fields.MEMBER_TEXT)
def test_any_text_field_gives_a_member_note_content(key: str) -> None:
    assert note_fields.member_has_content(MemberNoteFields(**{key: "x"}))
    assert not note_fields.member_has_content(
        MemberNoteFields(**{key: " \n "}))


def test_a_factor_a_stage_or_the_risk_flag_alone_is_content() -> None:
    assert not note_fields.group_has_content(GroupNoteFields())
    assert note_fields.group_has_content(GroupNoteFields(factors=("hope",)))
    assert note_fields.group_has_content(GroupNoteFields(stage="working"))
    assert not note_fields.member_has_content(MemberNoteFields())
    assert note_fields.member_has_content(MemberNoteFields(risk_flag=True))
    assert has_content(GroupNoteFields(stage="working")) and not has_content(None)


def test_sign_all_promises_exactly_what_the_service_signs(clinic: Clinic) -> None:
    """An empty note stays a draft both in the confirmation's count and in the vault."""
    olga, jonas = clinic.members["Ольга Петрова"], clinic.members["Jonas Berg"]
    meeting = clinic.draft_meeting
    ops_notes.save_member_note(clinic.vault, meeting, olga, MemberNoteFields())
    ops_notes.save_member_note(clinic.vault, meeting, jonas, MemberNoteFields(risk_flag=True))
    before = query(clinic.vault, notes_svc.load_meeting_notes, meeting)
    plan = plan_sign_all(before.group_note.fields if before.group_note else None, False,
                         [(n.fields, n.status.signed) for n in before.member_notes])
    assert (plan.group, plan.members, plan.unwritten) == (True, 4, 1)

    signed = ops_notes.sign_meeting_notes(clinic.vault, meeting, clinic.leader, pin=PIN).value
    assert signed == plan.count
    after = query(clinic.vault, notes_svc.load_meeting_notes, meeting)
    left = [n.member_id for n in after.member_notes if not n.status.signed]
    assert left == [olga]


# ---------------------------------------------------------------- the editors


def _layout_keys(body: QWidget, editor: GroupNoteEditor | MemberNoteEditor) -> list[str]:
    """The keys of the note's fields in the order the form lays them out."""
    by_widget: dict[int, str] = {id(f): key for key, f in editor.fields.items()}
    keys = []
    layout = body.layout()
    for i in range(layout.count()):
        widget = layout.itemAt(i).widget()
        if widget is None:
            continue
        if id(widget) in by_widget:
            keys.append(by_widget[id(widget)])
        elif isinstance(widget, QGroupBox) and widget.findChildren(QCheckBox):
            keys.append("factors")
        elif isinstance(editor, GroupNoteEditor) and editor.stage.parent() is widget:
            keys.append("stage")
        elif isinstance(editor, MemberNoteEditor) and widget is editor.risk_flag:
            keys.append("risk_flag")
    return keys


def _labels(widget: QWidget) -> set[str]:
    return {label.text() for label in widget.findChildren(QLabel)}


def test_the_group_note_editor_is_built_from_the_vocabulary(qtbot: QtBot) -> None:
    editor = GroupNoteEditor()
    qtbot.addWidget(editor)
    assert list(editor.fields) == list(note_fields.GROUP_TEXT)
    assert _layout_keys(editor._scroll.widget(), editor) == [f.key for f in GROUP_NOTE]
    labels = _labels(editor)
    for key in note_fields.GROUP_TEXT:
        spec = group_field(key)
        assert spec.label in labels and spec.hint in labels, key
        assert editor.fields[key].edit.accessibleName() == spec.label
    boxes = [b.title() for b in editor.findChildren(QGroupBox)]
    assert group_field("factors").label in boxes
    assert "Group &stage" in labels and editor.stage.accessibleName() == "Group stage"
    stages = [editor.stage.itemText(i) for i in range(1, editor.stage.count())]
    assert stages == [s.label for s in note_fields.STAGES]


def test_the_member_note_editor_is_built_from_the_vocabulary(qtbot: QtBot) -> None:
    editor = MemberNoteEditor(MemberEntry(1, "Ada", "A. L.", "present", None, None, None))
    qtbot.addWidget(editor)
    assert list(editor.fields) == list(note_fields.MEMBER_TEXT)
    assert _layout_keys(editor._scroll.widget(), editor) == [f.key for f in MEMBER_NOTE]
    labels = _labels(editor)
    for key in note_fields.MEMBER_TEXT:
        assert member_field(key).label in labels, key
    assert editor.risk_flag.text() == member_field("risk_flag").label


# ---------------------------------------------------------------- the PDF


def test_the_session_summary_prints_the_vocabulary_titles(clinic: Clinic) -> None:
    pdf = render_session(collect_session(clinic.vault, clinic.draft_meeting, ReportOptions()))
    text = flat(all_text(pdf))
    written = [key for key in note_fields.GROUP_TEXT if key != "boundary_incidents"]
    for key in written:  # the clinic's group note has every field but boundary incidents
        assert group_field(key).title in text, key
    assert group_field("boundary_incidents").title not in text
    for key in ("factors", "stage"):
        assert group_field(key).title in text, key
    assert note_fields.stage_label("working") in text
    group_note = text[text.index("Group note"):text.index("Member notes")]
    order = [group_note.index(group_field(k).title) for k in ("themes", "here_and_now",
                                                               "interventions", "plan")]
    assert order == sorted(order)
    for key in note_fields.MEMBER_TEXT:  # the follow-up goes in the box, under the flag
        if key != "risk_followup":
            assert member_field(key).title in text, key
    box = text[text.index("Risk and safety"):text.index("Attendance")]
    assert f"Group: {group_field('risk').title}" in box
    # the legal name is given in the attendance table, so the risk box says the preferred
    assert f"Mia: {member_field('risk_flag').title}" in box
    attendance = text[text.index("Attendance"):text.index("Group note")]
    assert "Maria Kowalski (Mia)" in attendance
    assert f"Mia (Late) · {member_field('risk_flag').title.lower()}" in text


def test_the_member_extract_prints_the_vocabulary_titles(clinic: Clinic) -> None:
    mia = clinic.members["Maria Kowalski"]
    pdf = render_extract(collect_member_extract(clinic.vault, clinic.group_id, mia, None,
                                                None, ReportOptions()))
    text = flat(all_text(pdf))
    assert f"{member_field('risk_followup').title}: Call Mia on Thursday" in text
    assert f"{member_field('participation').title}: Arrived late" in text
    assert f"· {member_field('risk_flag').title.lower()}" in text
