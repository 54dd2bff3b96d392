"""Help > Check a Printed Summary…, in the whole window: the code of a real exported PDF,
typed as a person would, checks out; after an addendum and a co-signature the dialog
says what was added; a made-up code matches nothing; a typo is a typo. All by keyboard."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from groupleader.data import paper_codes
from groupleader.data.operations import notes as ops_notes
from groupleader.data.operations import query
from groupleader.data.services import notes as notes_svc
from groupleader.data.vault import Vault
from groupleader.report import paper_check
from groupleader.report.batch import ExportJob, export_job
from groupleader.report.model import ReportOptions
from groupleader.ui.main_window import MainWindow
from groupleader.ui.paper_check import PaperCheckDialog
from tests.conftest import PASSPHRASE, PIN, TEST_KDF_ITER
from tests.report.conftest import Clinic, build_clinic
from tests.ui.shell_support import unlocked_window


def open_dialog(qtbot: Any, window: MainWindow) -> PaperCheckDialog:
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    action = next(a for a in help_menu.actions() if a.text() == "&Check a Printed Summary…")
    assert action.isEnabled()
    action.trigger()
    dialog = window.findChild(PaperCheckDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.focusWidget() is dialog.code_edit  # typing goes straight to the code
    return dialog


def type_and_check(qtbot: Any, dialog: PaperCheckDialog, typed: str) -> str:
    dialog.code_edit.clear()
    qtbot.keyClicks(dialog.code_edit, typed)
    qtbot.keyClick(dialog.code_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.busy and dialog.last_check is not None, timeout=10_000)
    assert dialog.last_check is not None
    return dialog.last_check.outcome


def test_the_dialog_checks_a_real_papers_code_and_names_what_was_added(
        qtbot: Any, make_window: Callable[..., MainWindow], tmp_path: Path) -> None:
    path = tmp_path / "clinic.vault"
    with Vault.create(path, PASSPHRASE, test_kdf_iter=TEST_KDF_ITER) as vault:
        clinic: Clinic = build_clinic(vault)
        pdf = export_job(vault, ExportJob("session", clinic.group_id,
                                          meeting_id=clinic.signed_meeting),
                         ReportOptions(), tmp_path / "summary.pdf")
    [code] = paper_check.codes_in_pdf(pdf)  # read back from the text layer with pypdf

    window = unlocked_window(qtbot, make_window, path)
    dialog = open_dialog(qtbot, window)
    loose = " ".join(code.replace("-", "").lower()[i:i + 3] for i in range(0, 16, 3))
    assert type_and_check(qtbot, dialog, loose) == paper_codes.MATCH
    assert dialog.heading.text() == "This paper matches the record."
    assert "This paper still matches the record: the summary of session 2" in dialog.answer.text()

    vault = window.ctx.require_vault()
    notes = query(vault, notes_svc.load_meeting_notes, clinic.signed_meeting)
    member = notes.member_notes[0]
    ops_notes.cosign_note(vault, "member", member.id, clinic.supervisor, pin=PIN)
    ops_notes.add_addendum(vault, "member", member.id, clinic.leader, "PRIVATE WORDS here", pin=PIN)
    assert type_and_check(qtbot, dialog, code) == paper_codes.ADDED
    answer = dialog.answer.text()
    assert dialog.heading.text() == "Something was added since this paper was printed."
    assert f"a co-signature was added to member note {member.id}" in answer
    assert f"an addendum was added to member note {member.id}" in answer
    assert "export the session or extract again" in answer
    assert "PRIVATE WORDS" not in answer

    body = "XW7KQ2M9D4FHTP3"
    assert type_and_check(qtbot, dialog, body + paper_codes.check_char(body)) \
        == paper_codes.UNKNOWN
    assert "matches nothing" in dialog.heading.text()

    typo = code[:-2] + ("Z" if code[-2] != "Z" else "Y") + code[-1]
    assert type_and_check(qtbot, dialog, typo) == paper_codes.TYPO
    assert "typo" in dialog.answer.text() and dialog.focusWidget() is dialog.code_edit

    qtbot.keyClick(dialog.code_edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.findChild(PaperCheckDialog) is None
                    or not dialog.isVisible())
