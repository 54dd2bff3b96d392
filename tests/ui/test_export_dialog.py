"""The export dialog driven as a user would: preview, options, save, print, batch."""

from __future__ import annotations

import io
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from groupleader.report import batch
from groupleader.ui.context import AppContext
from groupleader.ui.export_dialog import ExportDialog
from groupleader.ui.settings import Settings
from tests.report.conftest import ODD_NAME, PROCESS_TEXT, Clinic, build_clinic
from tests.report.pdfcheck import all_text, flat


@pytest.fixture
def clinic(vault: object) -> Clinic:
    return build_clinic(vault)  # type: ignore[arg-type]


def make_dialog(qtbot: object, clinic: Clinic, settings: object | None = None,
                meeting: int | None = -1) -> ExportDialog:
    if settings is None:  # identified PDFs unless a test asks otherwise
        settings = Settings(path=clinic.vault.path.with_name("settings.ini"))
        settings.export_deidentify = False
    ctx = AppContext(settings)  # type: ignore[arg-type]
    ctx.vault = clinic.vault
    dialog = ExportDialog(ctx, clinic.group_id,
                          clinic.draft_meeting if meeting == -1 else meeting)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.refresh_preview()
    return dialog


def test_the_preview_shows_this_session_from_memory(qtbot: object, clinic: Clinic) -> None:
    dialog = make_dialog(qtbot, clinic)
    assert dialog.kind == "session"
    assert dialog.preview.document is not None
    assert dialog.preview.document.pageCount() >= 2
    assert "pages" in dialog.pages_label.text()
    dialog.show()
    qtbot.wait(800)  # type: ignore[attr-defined] # QPdfView renders pages on a thread


def test_process_notes_are_off_by_default_and_warn_when_turned_on(
        qtbot: object, clinic: Clinic) -> None:
    dialog = make_dialog(qtbot, clinic)
    dialog.show()
    assert not dialog.private.isChecked() and not dialog.private_warning.isVisible()
    dialog.private.setChecked(True)
    assert dialog.private_warning.isVisible()
    assert "private notes" in dialog.private_warning.text()
    dialog.refresh_preview()
    assert dialog.rendered is not None
    assert PROCESS_TEXT in flat(all_text(dialog.rendered.data))


def test_export_defaults_come_from_settings(qtbot: object, clinic: Clinic) -> None:
    settings = SimpleNamespace(export_deidentify=True, export_include_process_notes=False,
                               practice_name="")
    dialog = make_dialog(qtbot, clinic, settings)
    assert dialog.deidentify.isChecked()
    assert dialog.rendered is not None
    assert "Maria Kowalski" not in all_text(dialog.rendered.data)


def test_save_writes_an_encrypted_pdf_when_passwords_match(
        qtbot: object, clinic: Clinic, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = make_dialog(qtbot, clinic)
    dialog.show()
    target = tmp_path / "summary.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    dialog.protect.setChecked(True)
    dialog.password.setText("one quiet harbour")
    dialog.repeat.setText("two")
    assert dialog.save() is None and not target.exists()
    assert "differ" in dialog.banner.label.text()
    assert dialog.isVisible(), "a failed save keeps the dialog open with its message"
    dialog.repeat.setText("one quiet harbour")
    assert dialog.save() == target
    assert PdfReader(io.BytesIO(target.read_bytes())).is_encrypted
    assert ODD_NAME in all_text(target.read_bytes(), password="one quiet harbour")


def test_a_period_report_and_a_member_extract_preview(qtbot: object, clinic: Clinic) -> None:
    dialog = make_dialog(qtbot, clinic, meeting=None)
    assert not dialog.kind_buttons["session"].isEnabled() and dialog.kind == "period"
    assert dialog.rendered is not None
    assert "Group period report" in all_text(dialog.rendered.data)
    dialog.kind_buttons["extract"].setChecked(True)
    dialog.member_combo.setCurrentIndex(dialog.member_combo.findText("Mia"))
    assert dialog.refresh_preview()
    assert "Member record extract" in all_text(dialog.rendered.data)


def pdf_printer(path: Path) -> Any:
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_printing_to_a_pdf_file_sends_the_report_itself_from_a_worker(
        qtbot: object, clinic: Clinic, tmp_path: Path) -> None:
    dialog = make_dialog(qtbot, clinic)
    shown = dialog.preview.document.pageCount()
    dialog.show()
    sent = dialog_data(dialog, clinic)
    with qtbot.waitSignal(dialog.ctx.status_message, timeout=20_000) as said:  # type: ignore
        task = dialog.print_to(pdf_printer(tmp_path / "printed.pdf"))
        assert task is not None and dialog.progress.isVisibleTo(dialog)
        assert dialog.cancel_button.isVisibleTo(dialog)
    data = (tmp_path / "printed.pdf").read_bytes()
    assert data == sent, "the PDF itself, text layer and all"
    assert len(PdfReader(io.BytesIO(data)).pages) == shown >= 2
    assert said.args == [f"Printed {shown} pages"]
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Accepted


def test_printing_to_a_file_with_protection_on_writes_the_encrypted_pdf(
        qtbot: object, clinic: Clinic, tmp_path: Path) -> None:
    dialog = make_dialog(qtbot, clinic)
    dialog.show()
    dialog.protect.setChecked(True)
    dialog.password.setText("one quiet harbour lantern")
    dialog.repeat.setText("one quiet harbour lantern")
    out = tmp_path / "printed.pdf"
    with qtbot.waitSignal(dialog.ctx.status_message, timeout=20_000):  # type: ignore
        dialog.print_to(pdf_printer(out))
    data = out.read_bytes()
    assert data.startswith(b"%PDF-2.0")
    reader = PdfReader(io.BytesIO(data))
    assert reader.is_encrypted, "a protected export never goes to a file in the clear"
    assert ODD_NAME.encode("utf-8") not in data
    assert reader.decrypt("one quiet harbour lantern")
    assert ODD_NAME in all_text(data, password="one quiet harbour lantern")


def test_printing_to_a_file_with_a_weak_password_is_refused_and_writes_nothing(
        qtbot: object, clinic: Clinic, tmp_path: Path) -> None:
    dialog = make_dialog(qtbot, clinic)
    dialog.show()
    dialog.protect.setChecked(True)
    dialog.password.setText("x")
    dialog.repeat.setText("x")
    out = tmp_path / "printed.pdf"
    assert dialog.print_to(pdf_printer(out)) is None
    assert not out.exists() and dialog.isVisible()
    assert dialog.banner.isVisible()


def dialog_data(dialog: ExportDialog, clinic: Clinic) -> bytes:
    rendered = dialog.rendered
    assert rendered is not None
    return rendered.data


def test_a_printer_gets_300_dpi_greyscale_pages_from_a_worker(
        qtbot: object, clinic: Clinic, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from groupleader.ui import printing

    monkeypatch.setattr(printing, "takes_pdf", lambda printer: False)  # as a real printer
    threads: list[bool] = []
    paint = printing._paint_page

    def on_which_thread(*args: Any) -> None:
        from PySide6.QtCore import QThread
        from PySide6.QtWidgets import QApplication

        threads.append(QThread.currentThread() is QApplication.instance().thread())
        paint(*args)

    monkeypatch.setattr(printing, "_paint_page", on_which_thread)
    dialog = make_dialog(qtbot, clinic)
    shown = dialog.preview.document.pageCount()
    dialog.show()
    printer = pdf_printer(tmp_path / "job.pdf")
    with qtbot.waitSignal(dialog.ctx.status_message, timeout=60_000):  # type: ignore
        dialog.print_to(printer)
    assert threads == [False] * shown, "every page painted off the UI thread"
    assert printer.resolution() == printing.PRINT_DPI
    assert printer.colorMode() == printer.ColorMode.GrayScale
    job = tmp_path / "job.pdf"
    assert len(PdfReader(str(job)).pages) == shown
    assert job.stat().st_size < 1_500_000 * shown  # not 7 MB a page
    # what the printer got reads black on white (a transparent page once printed black)
    document, _buffer = printing._load(job.read_bytes())
    image = printing.page_image(document, 0, 30)
    light = sum(image.pixelColor(x, y).lightness() > 200
                for x in range(0, image.width(), 5) for y in range(0, image.height(), 5))
    assert light > 0.8 * len(range(0, image.width(), 5)) * len(range(0, image.height(), 5))


def test_printing_can_be_cancelled_and_records_nothing(
        qtbot: object, clinic: Clinic, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The user presses Cancel while page 1 prints: the job stops, nothing is recorded.

    The worker waits after page 1 until the Cancel button (on the UI thread) has been
    pressed, so the cancel always lands mid-job: it can neither come after the last page
    (the job would finish and close the dialog) nor depend on how fast the threads run.
    (QtPdf's render keeps Python's GIL for the whole page, half a second at 300 dpi, so
    a cancel issued from the worker that waited for the UI thread was at the mercy of
    the machine's load.)
    """
    import threading

    from groupleader.data.operations import exports
    from groupleader.ui import printing

    monkeypatch.setattr(printing, "takes_pdf", lambda printer: False)
    dialog = make_dialog(qtbot, clinic)
    paint = printing._paint_page
    painted, go_on = threading.Event(), threading.Event()

    def pause_after_first(*args: Any) -> None:
        paint(*args)
        painted.set()
        go_on.wait(60)  # until the test has pressed Cancel (never forever)

    monkeypatch.setattr(printing, "_paint_page", pause_after_first)
    before = clinic.vault.pending_audit
    dialog.show()
    said: list[str] = []
    dialog.ctx.status_message.connect(said.append)
    task = dialog.print_to(pdf_printer(tmp_path / "job.pdf"))
    assert task is not None and dialog.task is task
    qtbot.waitUntil(painted.is_set, timeout=60_000)  # type: ignore[attr-defined]
    assert dialog.cancel_button.isVisible()
    dialog.cancel_button.click()  # as the user does
    go_on.set()
    qtbot.waitUntil(lambda: dialog.pages_label.text() == "Printing cancelled.",  # type: ignore
                    timeout=60_000)
    assert task.was_cancelled and not task.running
    assert said == [] and dialog.isVisible() and dialog.print_button.isEnabled()
    assert clinic.vault.pending_audit == before  # no print event waits to be recorded
    assert not any(p.action == exports.PRINT for p in clinic.vault.pending_audit)


def test_print_preview_shows_every_page(qtbot: object, clinic: Clinic) -> None:
    from PySide6.QtPrintSupport import QPrintPreviewWidget

    dialog = make_dialog(qtbot, clinic)
    preview = dialog.print_preview()
    qtbot.addWidget(preview)  # type: ignore[attr-defined]
    widget = preview.findChild(QPrintPreviewWidget)
    widget.updatePreview()
    assert widget.pageCount() == dialog.preview.document.pageCount() >= 2


def test_a_batch_runs_off_the_ui_thread_with_progress(
        qtbot: object, clinic: Clinic, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = make_dialog(qtbot, clinic)
    dialog.kind_buttons["batch"].setChecked(True)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *a, **k: str(tmp_path)))
    dialog.save()
    assert dialog.cancel_button.isVisibleTo(dialog)
    qtbot.waitUntil(lambda: dialog.last_result is not None, timeout=20_000)  # type: ignore
    assert isinstance(dialog.last_result, batch.BatchResult)
    assert len(list(tmp_path.glob("*.pdf"))) == 2
    # the preview asked for by choosing "batch" must not write over the result later
    qtbot.wait(400)  # type: ignore[attr-defined]  # past the preview's 250 ms delay
    assert dialog.progress.value() == 2 and "Wrote 2 PDF files" in dialog.pages_label.text()


def test_a_batch_stopped_by_a_full_disk_says_what_was_written(
        qtbot: object, clinic: Clinic, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A real small disk fills at the batch's second file: the banner says so and that the
    first file was written and stays; the line below no longer shows the preview's page
    count."""
    from tests.storage_support import small_filesystem

    dialog = make_dialog(qtbot, clinic)
    dialog.show()
    dialog.kind_buttons["batch"].setChecked(True)
    ids = dialog.batch_meeting_ids()
    assert len(ids) == 2
    sizes = [p.stat().st_size for p in batch.export_sessions(
        clinic.vault, clinic.group_id, ids, tmp_path, dialog.options()).written]
    with small_filesystem(tmp_path / "stick", sizes[0] + sizes[1] // 2) as out:
        monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                            staticmethod(lambda *a, **k: str(out)))
        dialog.save()
        qtbot.waitUntil(lambda: dialog.task is None, timeout=20_000)  # type: ignore
        qtbot.wait(400)  # type: ignore[attr-defined]  # past the preview's delay
        said = dialog.banner.label.text()
        assert "is full" in said and "nothing was written" not in said
        assert "1 of the batch's 2 PDF files was written" in said
        assert dialog.pages_label.text() == "Stopped: 1 of 2 PDF files written."
        assert not dialog.progress.isVisible()  # no half-full bar: nothing is running
        assert len(list(out.glob("*.pdf"))) == 1 and dialog.save_button.isEnabled()
        dialog.close()


def test_cancelling_a_batch_stops_it(qtbot: object, clinic: Clinic, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = make_dialog(qtbot, clinic)
    dialog.kind_buttons["batch"].setChecked(True)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *a, **k: str(tmp_path)))
    dialog.save()
    dialog.cancel_batch()  # before the worker reaches the first session, or soon after
    qtbot.waitUntil(lambda: dialog.last_result is not None, timeout=20_000)  # type: ignore
    assert dialog.last_result.cancelled
    assert len(list(tmp_path.glob("*.pdf"))) < 2


def test_locking_during_a_batch_closes_the_dialog_at_once_and_asks_nothing(
        qtbot: object, clinic: Clinic, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = make_dialog(qtbot, clinic)
    dialog.show()
    dialog.kind_buttons["batch"].setChecked(True)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *a, **k: str(tmp_path)))
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: asked.append("?")))  # must not be asked
    dialog.save()
    assert dialog.task is not None
    dialog.ctx.vault_closing.emit()  # what the lock says before the vault closes
    assert asked == [] and not dialog.isVisible() and dialog.task is None
    assert dialog.preview.document is None or dialog.preview.document.pageCount() == 0


def test_a_successful_save_closes_the_dialog_and_says_so_in_the_status_bar(
        qtbot: object, clinic: Clinic, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = make_dialog(qtbot, clinic)
    dialog.show()
    messages: list[str] = []
    dialog.ctx.status_message.connect(messages.append)
    taken = tmp_path / "taken.pdf"
    taken.mkdir()  # a folder where the file should go: the write fails
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(taken), "")))
    assert dialog.save() is None
    assert dialog.isVisible() and messages == []
    assert "is a folder. Give a file name" in dialog.banner.label.text()
    target = tmp_path / "week.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    assert dialog.save() == target
    assert messages == ["Saved week.pdf"]
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Accepted


def test_a_weak_pdf_password_is_refused_in_the_banner_and_a_suggestion_is_accepted(
        qtbot: object, clinic: Clinic, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = make_dialog(qtbot, clinic)
    dialog.show()
    target = tmp_path / "summary.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    dialog.protect.setChecked(True)
    dialog.password.setText("a")
    dialog.repeat.setText("a")
    assert dialog.save() is None and not target.exists()
    assert "too weak" in dialog.banner.label.text()
    dialog.suggest_button.click()
    words = dialog.password.text()
    assert len(words.split()) >= 4 and dialog.repeat.text() == words
    assert dialog.save() == target
    assert ODD_NAME in all_text(target.read_bytes(), password=words)


def test_the_extract_prints_who_prints_it_and_the_release_typed_in_the_dialog(
        qtbot: object, clinic: Clinic) -> None:
    dialog = make_dialog(qtbot, clinic, meeting=None)
    dialog.ctx.clinician_id = clinic.leader
    dialog.kind_buttons["extract"].setChecked(True)
    assert dialog.release_to.isEnabled()
    dialog.release_to.setText("Dr. J. Ortiz")
    dialog.release_purpose.setText("Continuity of care")
    assert dialog.refresh_preview() and dialog.rendered is not None
    text = " ".join(all_text(dialog.rendered.data).split())
    assert "by Ada Leader, PhD" in text and "Released to Dr. J. Ortiz" in text
    assert "Purpose Continuity of care" in text
    dialog.kind_buttons["session"].setChecked(True)
    assert not dialog.release_to.isEnabled()


def test_with_no_signing_profile_the_pages_say_who_printed_is_not_given(
        qtbot: object, clinic: Clinic) -> None:
    dialog = make_dialog(qtbot, clinic, meeting=None)
    dialog.ctx.clinician_id = None
    dialog.kind_buttons["extract"].setChecked(True)
    assert dialog.refresh_preview() and dialog.rendered is not None
    pages = PdfReader(io.BytesIO(dialog.rendered.data)).pages
    assert all("by (not given)" in " ".join(p.extract_text().split()) for p in pages)


@pytest.mark.parametrize("password", ["Tuesday Process Group", "mariakowalski1980"])
def test_a_pdf_password_from_the_vault_s_names_is_refused_in_the_dialog(
        qtbot: object, clinic: Clinic, tmp_path: Path, password: str) -> None:
    dialog = make_dialog(qtbot, clinic)
    dialog.show()
    dialog.protect.setChecked(True)
    dialog.password.setText(password)
    dialog.repeat.setText(password)
    out = tmp_path / "printed.pdf"
    assert dialog.print_to(pdf_printer(out)) is None
    assert not out.exists() and dialog.isVisible()
    assert "guesser tries first" in dialog.banner.label.text()
