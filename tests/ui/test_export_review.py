"""The review of a de-identified export in the export dialog: every replacement in its
sentence, the possible names left, a word hidden (as a general term or as a member's
other spelling) with the preview and review computed again at once, and nothing written
to the vault until the PDF is saved. Driven by keyboard where a user would."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from groupleader.data.models import AuditEvent
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.services import hide_terms, members
from groupleader.data.services import notes as notes_svc
from groupleader.data.vault import Vault
from groupleader.ui.context import AppContext
from groupleader.ui.export_dialog import ExportDialog
from groupleader.ui.settings import Settings
from tests.report.conftest import Clinic, build_clinic
from tests.report.pdfcheck import all_text

ADDED = " Her manager Gretchen Hale at Fairview Bakery called; Will phone her tomorrow."


@pytest.fixture
def clinic(vault: Vault) -> Clinic:
    c = build_clinic(vault)
    n = query(vault, notes_svc.load_meeting_notes, c.draft_meeting, include_private=False)
    assert n.group_note is not None
    ops_notes.save_group_note(vault, c.draft_meeting,
                              replace(n.group_note.fields, plan=n.group_note.fields.plan + ADDED))
    return c


def make_dialog(qtbot: QtBot, clinic: Clinic, safe: bool = False,
                deidentify: bool = True) -> ExportDialog:
    settings = Settings(path=clinic.vault.path.with_name("settings.ini"))
    settings.export_deidentify = deidentify
    settings.screen_share_safe = safe
    ctx = AppContext(settings)
    ctx.vault = clinic.vault
    dialog = ExportDialog(ctx, clinic.group_id, clinic.draft_meeting)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.refresh_preview()
    return dialog


def listed(dialog: ExportDialog) -> list[str]:
    words = dialog.review.possible
    return [str(words.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(words.count())]


def events(vault: Vault) -> int:
    with vault.unit_of_work() as db:
        return int(db.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def test_the_review_shows_each_replacement_in_its_printed_sentence(
        qtbot: QtBot, clinic: Clinic) -> None:
    dialog = make_dialog(qtbot, clinic)
    assert dialog.review.isVisible()
    review = dialog.rendered.review if dialog.rendered else None
    assert review is not None and review.replacements
    shown = dialog.review.replacements.toPlainText()
    assert any("Maria Kowalski" in line and "→ M.K." in line  # what was there, what is
               for line in shown.splitlines())  # printed
    for r in review.replacements:  # the context is the printed text: no other name in it
        assert "Maria" not in r.before + r.after and "Kowalski" not in r.before + r.after
    assert "Gretchen" in listed(dialog) and "Fairview" in listed(dialog)
    assert "Will" not in listed(dialog) or "Will phone" in dialog.review.possible.item(
        listed(dialog).index("Will")).text()
    assert f"{len(review.replacements)} replacements" in dialog.review.summary.text()
    assert "not HIPAA Safe Harbor" in dialog.review.summary.text()
    dialog.deidentify.setChecked(False)
    assert not dialog.review.isVisible()


def test_screen_share_safe_review_shows_only_what_is_printed(
        qtbot: QtBot, clinic: Clinic) -> None:
    dialog = make_dialog(qtbot, clinic, safe=True)
    shown = dialog.review.replacements.toPlainText()
    assert "M.K." in shown and "Maria" not in shown and "Kowalski" not in shown
    owners = [dialog.review.owner.itemText(i) for i in range(dialog.review.owner.count())]
    assert not any("Maria" in o for o in owners)


def shown_texts(dialog: ExportDialog) -> str:
    """Every text the dialog draws on screen: labels, fields, lists, combo items, and the
    text of the PDF pages when the preview is visible."""
    from PySide6.QtWidgets import (
        QAbstractButton,
        QComboBox,
        QLabel,
        QLineEdit,
        QListWidget,
        QPlainTextEdit,
        QTextEdit,
    )

    out: list[str] = []
    for w in dialog.findChildren(QWidget):
        if not w.isVisible():
            continue
        if isinstance(w, QLabel | QAbstractButton | QLineEdit):
            out.append(w.text())
        elif isinstance(w, QComboBox):
            out += [w.itemText(i) for i in range(w.count())]
        elif isinstance(w, QListWidget):
            out += [w.item(i).text() for i in range(w.count())]
        elif isinstance(w, QTextEdit | QPlainTextEdit):
            out.append(w.toPlainText())
    view, document = dialog.preview.view, dialog.preview.document
    if view is not None and view.isVisible() and document is not None:
        out += [document.getAllText(i).text() for i in range(document.pageCount())]
    return "\n".join(out)


@pytest.mark.parametrize("deidentify", [False, True])
def test_screen_share_safe_shows_no_identified_page_in_the_dialog(
        qtbot: QtBot, clinic: Clinic, deidentify: bool) -> None:
    dialog = make_dialog(qtbot, clinic, safe=True, deidentify=deidentify)
    shown = shown_texts(dialog)
    assert "Maria" not in shown and "Kowalski" not in shown
    assert dialog.rendered is not None
    if not deidentify:
        assert "Kowalski" in all_text(dialog.rendered.data)  # the document saved is identified
        assert "Screen-share safe is on" in shown and "pages" in dialog.pages_label.text()
        assert dialog.print_preview() is None  # no preview window of the identified pages
    else:
        assert dialog.preview.view is not None and dialog.preview.view.isVisible()
    dialog.deidentify.setChecked(not deidentify)
    assert dialog.refresh_preview()
    assert "Maria" not in shown_texts(dialog) and "Kowalski" not in shown_texts(dialog)


def test_a_general_term_is_hidden_at_once_and_written_only_on_save(
        qtbot: QtBot, clinic: Clinic, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = clinic.vault
    before = events(vault)
    dialog = make_dialog(qtbot, clinic)
    dialog.review.possible.setFocus()
    dialog.review.possible.setCurrentRow(listed(dialog).index("Fairview"))
    assert dialog.review.word.text() == "Fairview"
    dialog.review.word.setText("Fairview Bakery")
    dialog.review.owner.setCurrentIndex(0)  # a general term
    qtbot.keyClick(dialog.review.word, Qt.Key.Key_Return)
    assert dialog.rendered is not None
    text = all_text(dialog.rendered.data)
    assert "Fairview" not in text and "Bakery" not in text  # the preview, computed again
    assert "Fairview" not in listed(dialog) and "Gretchen" in listed(dialog)
    assert "Fairview Bakery" in dialog.review.pending.text()
    assert query(vault, hide_terms.list_terms) == [] and events(vault) == before
    typed = tmp_path / "out.pdf"
    offered: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(
        lambda *a, **k: (offered.append(a[2]), (str(typed), ""))[1]))
    target = tmp_path / "out-deidentified.pdf"  # the name the user typed, said for what it is
    assert dialog.save() == target and not typed.exists()
    assert offered[0].endswith("-deidentified.pdf")
    assert [t for _, t in query(vault, hide_terms.list_terms)] == ["Fairview Bakery"]
    assert "Fairview" not in all_text(target.read_bytes())
    with vault.unit_of_work() as db:
        actions = list(db.scalars(select(AuditEvent.action).where(AuditEvent.id > before)))
    assert "hide_term.create" in actions


def test_a_word_given_to_a_member_becomes_their_spelling_and_closing_writes_nothing(
        qtbot: QtBot, clinic: Clinic, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = clinic.vault
    maria = clinic.members["Maria Kowalski"]
    dialog = make_dialog(qtbot, clinic)
    dialog.review.possible.setCurrentRow(listed(dialog).index("Gretchen"))
    dialog.review.owner.setCurrentIndex(dialog.review.owner.findData(maria))
    dialog.review.hide_button.click()
    assert dialog.rendered is not None
    assert "Gretchen" not in all_text(dialog.rendered.data)
    assert "M.K. Hale" in " ".join(all_text(dialog.rendered.data).split())
    dialog.reject()  # closed without saving: nothing reaches the vault
    assert query(vault, members.get_member, maria).also_written_as == ()
    again = make_dialog(qtbot, clinic)
    assert "Gretchen" in listed(again)
    again.review.possible.setCurrentRow(listed(again).index("Gretchen"))
    again.review.owner.setCurrentIndex(again.review.owner.findData(maria))
    again.review.hide_button.click()
    target = tmp_path / "out-deidentified.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    assert again.save() == target
    assert query(vault, members.get_member, maria).also_written_as == ("Gretchen",)


@pytest.mark.parametrize("word", ["🌈", "x", "-", "y" * 250])
def test_a_word_that_cannot_be_hidden_is_refused_with_a_message(
        qtbot: QtBot, clinic: Clinic, word: str) -> None:
    dialog = make_dialog(qtbot, clinic)
    assert not dialog.hide_word(word, None)
    assert dialog.banner.label.text()
    assert dialog.pending_terms == [] and dialog.pending_spellings == []


def test_a_member_extract_shows_the_others_by_initials_or_as_another_member(
        qtbot: QtBot, clinic: Clinic) -> None:
    dialog = make_dialog(qtbot, clinic)
    dialog.deidentify.setChecked(False)
    dialog.kind_buttons["extract"].setChecked(True)
    dialog.member_combo.setCurrentIndex(dialog.member_combo.findText("Mia"))
    assert dialog.others_combo.isEnabled()
    assert dialog.refresh_preview() and dialog.rendered is not None
    initials = " ".join(all_text(dialog.rendered.data).split())
    assert "T.J." in initials and "another member" not in initials
    dialog.others_combo.setCurrentIndex(dialog.others_combo.findData("another member"))
    assert dialog.refresh_preview() and dialog.rendered is not None
    another = " ".join(all_text(dialog.rendered.data).split())
    assert "another member" in another and "T.J." not in another
    assert "Maria Kowalski" in another  # the subject herself, as written
    dialog.deidentify.setChecked(True)
    assert not dialog.others_combo.isEnabled()  # de-identified: everyone by pseudonym


def test_not_a_name_keeps_a_word_in_this_export_only_and_writes_nothing(
        qtbot: QtBot, clinic: Clinic) -> None:
    vault = clinic.vault
    before = events(vault)
    dialog = make_dialog(qtbot, clinic)
    assert "Fairview" in listed(dialog)
    dialog.review.possible.setCurrentRow(listed(dialog).index("Fairview"))
    dialog.review.keep_button.click()
    assert "Fairview" not in listed(dialog) and "Gretchen" in listed(dialog)
    assert dialog.rendered is not None
    assert "Fairview Bakery" in " ".join(all_text(dialog.rendered.data).split())
    assert "Fairview" in dialog.review.pending.text()
    assert query(vault, hide_terms.list_terms) == [] and events(vault) == before
    again = make_dialog(qtbot, clinic)  # a new export asks again
    assert "Fairview" in listed(again)
