"""Export PDF: this session, a period report, a member extract, or a batch of sessions.

The document is built in memory (groupleader.report) and previewed from memory (QtPdf's
QPdfDocument reads it through a QBuffer: no temporary file). Save encrypts in memory when
a password is set and writes atomically; Print paints the same pages into the printer.
A batch runs on a worker thread with a progress bar and Cancel.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QDate,
    QIODevice,
    Qt,
    Slot,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from groupleader.data.operations import exports
from groupleader.data.operations import privacy as privacy_ops
from groupleader.data.vault import Vault
from groupleader.errors import GroupLeaderError
from groupleader.report import batch
from groupleader.report.fonts import unprintable_message
from groupleader.report.model import ReportOptions
from groupleader.report.pdf_output import password_context, pdf_password_problem
from groupleader.ui.context import AppContext
from groupleader.ui.date_field import DateField
from groupleader.ui.export_review import ReviewPanel
from groupleader.ui.privacy import screen_safe, shown_name
from groupleader.ui.runner import Cancelled, Progress, Task
from groupleader.ui.widgets import LockableDialog

try:  # QtPdf ships with PySide6 wheels; the dialog still works without it (no preview)
    from PySide6.QtPdf import QPdfDocument
except ImportError:  # pragma: no cover - depends on the PySide6 build
    QPdfDocument = None  # type: ignore[assignment,misc]
try:
    from PySide6.QtPdfWidgets import QPdfView
except ImportError:  # pragma: no cover
    QPdfView = None  # type: ignore[assignment,misc]

KINDS = (("session", "This session"), ("period", "Period report"),
         ("extract", "Member extract"), ("batch", "Batch: one PDF per session"))
PRIVATE_WARNING = ("Process notes are the leader's private notes. They are normally kept out "
                   "of the record; include them only when you are sure the reader may see them.")


SAFE_PREVIEW_HIDDEN = (
    "Screen-share safe is on, so this identified document is not shown. Tick "
    "De-identify to see a de-identified preview, or turn screen-share safe off "
    "(View menu) when no one else can see the screen. Save and Print still give the "
    "identified document.")


def pdf_page_count(data: bytes) -> int:
    """The number of pages of a PDF held in memory (without drawing any of them)."""
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def _pydate(d: QDate) -> date:
    return date(d.year(), d.month(), d.day())


class PdfPreview(QWidget):
    """Shows PDF bytes from memory: QPdfView, or page images, or a plain message."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = QPdfDocument(self) if QPdfDocument is not None else None
        self._buffer: QBuffer | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.message = QLabel("The preview appears here.")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.view: QWidget | None = None
        if self.document is not None and QPdfView is not None:
            view = QPdfView(self)
            view.setDocument(self.document)
            view.setPageMode(QPdfView.PageMode.MultiPage)
            view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            view.setAccessibleName("PDF preview")
            self.view = view
        elif self.document is not None:  # QtPdf without its widget: rendered pages
            self.pages = QWidget()
            self.pages_layout = QVBoxLayout(self.pages)
            scroll = QScrollArea(self)
            scroll.setWidget(self.pages)
            scroll.setWidgetResizable(True)
            scroll.setAccessibleName("PDF preview")
            self.view = scroll
        if self.view is not None:
            layout.addWidget(self.view, 1)
            self.view.hide()

    def show_pdf(self, data: bytes) -> int:
        """Load `data` from memory; returns the page count (0 when no preview is possible)."""
        if self.document is None:
            self.message.setText("Preview is not available in this installation; "
                                 "save the PDF and open it to check it.")
            return 0
        self.document.close()
        old = self._buffer
        buffer = QBuffer(self)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buffer)
        self._buffer = buffer
        if old is not None:
            old.close()
            old.deleteLater()
        if QPdfView is None:
            self._render_pages(self.document)
        self.message.hide()
        assert self.view is not None
        self.view.show()
        return self.document.pageCount()

    def _render_pages(self, document: QPdfDocument) -> None:
        from PySide6.QtGui import QPixmap

        while self.pages_layout.count():
            item = self.pages_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for i in range(document.pageCount()):
            size = document.pagePointSize(i).toSize()
            image = document.render(i, size * 1.2)
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            self.pages_layout.addWidget(label)

    def clear(self, message: str = "The preview appears here.") -> None:
        if self.document is not None:
            self.document.close()
        if self.view is not None:
            self.view.hide()
        self.message.setText(message)
        self.message.show()


def batch_work(vault: Vault, group_id: int, meeting_ids: list[int], folder: Path,
               options: ReportOptions, password: str | None,
               cancelled: Callable[[], bool]) -> Callable[[Progress], batch.BatchResult]:
    """The batch export as work for the runner: stops between two sessions when cancelled
    (the files already written stay, each one whole)."""

    def work(progress: Progress) -> batch.BatchResult:
        def tick(done: int, total: int) -> None:
            with contextlib.suppress(Cancelled):  # `cancelled` ends it before the next one
                progress(done, total)

        try:
            return batch.export_sessions(vault, group_id, meeting_ids, folder, options,
                                         password, progress=tick, cancelled=cancelled)
        except OSError as err:
            raise GroupLeaderError(
                f"The PDF files could not be written ({err.strerror or 'refused'}). Choose "
                "another folder.") from None

    return work


class ExportDialog(LockableDialog):
    """Choose what to export and how; preview; save, print, or run a batch."""

    def __init__(self, ctx: AppContext, group_id: int, meeting_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.group_id, self.meeting_id = ctx, group_id, meeting_id
        ctx.vault_closing.connect(self.close_now)
        self.vault = ctx.require_vault()
        self.rendered: batch.Rendered | None = None
        # chosen in the review, written to the vault only when the PDF is saved
        self.pending_spellings: list[tuple[int, str]] = []
        self.pending_terms: list[str] = []
        self.not_names: list[str] = []  # accepted in the review as no name, this export only
        self.task: Task | None = None
        self.last_result: batch.BatchResult | None = None
        self.printer: Any = None  # the QPrinter of a print job in flight
        self.setWindowTitle("Export PDF")
        self.setAccessibleName("Export PDF")
        self.resize(1000, 720)
        self._build()
        self._load_choices()
        self._on_kind()

    # ---------------------------------------------------------------- layout

    def _build(self) -> None:
        from groupleader.ui.widgets import ErrorBanner, error_color

        left = QWidget()
        form = QVBoxLayout(left)
        what = QGroupBox("What to export")
        what_layout = QVBoxLayout(what)
        self.kind_group = QButtonGroup(self)
        self.kind_buttons: dict[str, QRadioButton] = {}
        for key, label in KINDS:
            button = QRadioButton(label)
            button.setAccessibleName(label)
            self.kind_group.addButton(button)
            self.kind_buttons[key] = button
            what_layout.addWidget(button)
            button.toggled.connect(self._on_kind)
        form.addWidget(what)

        self.range_box = QGroupBox("Period")
        range_form = QFormLayout(self.range_box)
        self.start_edit, self.end_edit = DateField(), DateField()
        for edit, name in ((self.start_edit, "From"), (self.end_edit, "To")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setAccessibleName(f"Period {name.lower()}")
            edit.dateChanged.connect(self._schedule_preview)
            range_form.addRow(f"{name}:", edit)
        self.member_combo = QComboBox()
        self.member_combo.setAccessibleName("Member for the extract")
        self.member_combo.currentIndexChanged.connect(self._schedule_preview)
        range_form.addRow("Member:", self.member_combo)
        # a member extract's release block (h19a): to whom and why it is released
        self.release_to, self.release_purpose = QLineEdit(), QLineEdit()
        for line, name, hint in ((self.release_to, "Released to", "Dr. J. Ortiz, clinic"),
                                 (self.release_purpose, "Purpose", "Continuity of care")):
            line.setAccessibleName(name)
            line.setPlaceholderText(hint)
            line.textChanged.connect(self._schedule_preview)
            range_form.addRow(f"{name}:", line)
        self.others_combo = QComboBox()
        self.others_combo.addItem("by initials", "initials")
        self.others_combo.addItem("as “another member”", "another member")
        self.others_combo.setAccessibleName("Other members in the extract")
        self.others_combo.currentIndexChanged.connect(self._schedule_preview)
        range_form.addRow("Others:", self.others_combo)
        form.addWidget(self.range_box)

        opts = QGroupBox("Options")
        opts_layout = QVBoxLayout(opts)
        self.deidentify = QCheckBox(
            "De-identify (pseudonymised for supervision, not HIPAA Safe Harbor "
            "de-identification)")
        self.private = QCheckBox("Include process notes")
        self.private_warning = QLabel(PRIVATE_WARNING)
        self.private_warning.setWordWrap(True)
        self.private_warning.setTextFormat(Qt.TextFormat.PlainText)
        self.private_warning.setStyleSheet(
            f"color: {error_color(self).name()}; font-weight: bold;")
        self.protect = QCheckBox("Protect with a password (AES-256)")
        self.password, self.repeat = QLineEdit(), QLineEdit()
        for line, name in ((self.password, "PDF password"), (self.repeat, "Repeat password")):
            line.setEchoMode(QLineEdit.EchoMode.Password)
            line.setPlaceholderText(name)
            line.setAccessibleName(name)
        for box in (self.deidentify, self.private, self.protect):
            box.setAccessibleName(box.text())
        self.deidentify.toggled.connect(self._on_deidentify)
        self.private.toggled.connect(self._on_private)
        self.protect.toggled.connect(self._on_protect)
        self.suggest_button = QPushButton("Suggest a password")
        self.suggest_button.clicked.connect(self.suggest_password)
        for w in (self.deidentify, self.private, self.private_warning, self.protect,
                  self.password, self.repeat, self.suggest_button):
            opts_layout.addWidget(w)
        form.addWidget(opts)
        self.banner = ErrorBanner()
        form.addWidget(self.banner)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Batch progress")
        self.progress.hide()
        form.addWidget(self.progress)
        form.addStretch(1)

        self.preview = PdfPreview()
        self.review = ReviewPanel()
        self.review.hide_requested.connect(self.hide_word)
        self.review.keep_requested.connect(self.keep_word)
        self.review.hide()
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.preview)
        right.addWidget(self.review)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        right.setChildrenCollapsible(False)
        right.setSizes([430, 290])
        self.preview.setMinimumHeight(200)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 670])

        buttons = QHBoxLayout()
        self.pages_label = QLabel("")
        self.print_button = QPushButton("&Print…")
        self.save_button = QPushButton("&Save PDF…")
        self.cancel_button = QPushButton("Cancel batch")
        self.close_button = QPushButton("Close")
        for b in (self.print_button, self.save_button, self.cancel_button, self.close_button):
            b.setAccessibleName(b.text().replace("&", "").replace("…", ""))
        self.save_button.setDefault(True)
        self.cancel_button.hide()
        self.print_button.clicked.connect(self.print_pdf)
        self.preview_button = QPushButton("Print pre&view…")
        self.preview_button.setAccessibleName("Print preview")
        self.preview_button.clicked.connect(self.print_preview)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.cancel_batch)
        self.close_button.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Print, self).activated.connect(self.print_pdf)
        QShortcut(QKeySequence.StandardKey.Save, self).activated.connect(self.save)
        buttons.addWidget(self.pages_label, 1)
        for b in (self.preview_button, self.print_button, self.save_button, self.cancel_button,
                  self.close_button):
            buttons.addWidget(b)

        root = QVBoxLayout(self)
        root.addWidget(splitter, 1)
        root.addLayout(buttons)

        from PySide6.QtCore import QTimer

        self._timer = QTimer(self, singleShot=True, interval=250)
        self._timer.timeout.connect(self.refresh_preview)

    def _load_choices(self) -> None:
        from groupleader.data.operations import query
        from groupleader.data.services import meetings, members

        self.sessions = query(self.vault, meetings.list_meetings, self.group_id)
        held = [m for m in self.sessions if m.status == "held"]
        today = date.today()
        first = held[0].starts_at.astimezone().date() if held else today - timedelta(days=90)
        self.start_edit.setDate(QDate(first.year, first.month, first.day))
        self.end_edit.setDate(QDate(today.year, today.month, today.day))
        safe = screen_safe(self.ctx)
        roster = []
        for row in query(self.vault, members.list_memberships, self.group_id):
            label = shown_name(row.display_name, row.pseudonym, safe)
            self.member_combo.addItem(label, row.member_id)
            roster.append((row.member_id, label))
        self.review.set_members(roster)
        self.deidentify.setChecked(self.ctx.settings.export_deidentify)
        self.private.setChecked(self.ctx.settings.export_include_process_notes)
        self.private_warning.setVisible(self.private.isChecked())
        self._on_protect(False)
        has_session = self.meeting_id is not None
        self.kind_buttons["session"].setEnabled(has_session)
        self.kind_buttons["session" if has_session else "period"].setChecked(True)

    # ---------------------------------------------------------------- state

    @property
    def kind(self) -> str:
        return next(k for k, b in self.kind_buttons.items() if b.isChecked())

    def options(self) -> ReportOptions:
        return ReportOptions(practice=self.ctx.settings.practice_name,
                             deidentify=self.deidentify.isChecked(),
                             include_private=self.private.isChecked(),
                             printed_by=self.printed_by(),
                             release_to=self.release_to.text(),
                             release_purpose=self.release_purpose.text(),
                             others_as=str(self.others_combo.currentData()),
                             hide_terms=tuple(self.pending_terms),
                             spellings=tuple(self.pending_spellings),
                             not_names=tuple(self.not_names))

    def printed_by(self) -> str:
        """Who prints: the signing profile ("Dr. H. Marsh, PhD"), or "(not given)" when none
        is set, so a page never reads as if it said who printed it when it does not."""
        if self.ctx.clinician_id is None:
            return "(not given)"
        from groupleader.data.operations import query
        from groupleader.data.services import clinicians

        try:
            return query(self.vault, clinicians.get_clinician, self.ctx.clinician_id
                         ).printed_name
        except GroupLeaderError:
            return "(not given)"

    def _range(self) -> tuple[date, date]:
        return _pydate(self.start_edit.date()), _pydate(self.end_edit.date())

    def job(self) -> batch.ExportJob:
        start, end = self._range()
        if self.kind == "session":
            return batch.ExportJob("session", self.group_id, meeting_id=self.meeting_id)
        if self.kind == "extract":
            return batch.ExportJob("extract", self.group_id,
                                   member_id=self.member_combo.currentData(),
                                   start=start, end=end)
        if self.kind == "period":
            return batch.ExportJob("period", self.group_id, start=start, end=end)
        ids = self.batch_meeting_ids()
        return batch.ExportJob("session", self.group_id, meeting_id=ids[0] if ids else None)

    def batch_meeting_ids(self) -> list[int]:
        start, end = self._range()
        return [m.id for m in self.sessions if m.status == "held"
                and start <= m.starts_at.astimezone().date() <= end]

    def _on_kind(self, *_: object) -> None:
        kind = self.kind
        self.range_box.setEnabled(kind != "session")
        self.member_combo.setEnabled(kind == "extract")
        self.release_to.setEnabled(kind == "extract")
        self.release_purpose.setEnabled(kind == "extract")
        self.others_combo.setEnabled(kind == "extract" and not self.deidentify.isChecked())
        self.save_button.setText("&Export batch…" if kind == "batch" else "&Save PDF…")
        self.print_button.setEnabled(kind != "batch")
        self.preview_button.setEnabled(kind != "batch")
        self._schedule_preview()

    def _on_deidentify(self, checked: bool) -> None:
        self.others_combo.setEnabled(self.member_combo.isEnabled() and not checked)
        if not checked:
            self.review.hide()
        self._schedule_preview()

    def _on_private(self, checked: bool) -> None:
        self.private_warning.setVisible(checked)
        self._schedule_preview()

    def _on_protect(self, checked: bool) -> None:
        self.password.setEnabled(checked)
        self.repeat.setEnabled(checked)
        self.suggest_button.setEnabled(checked)
        if not checked:
            self.password.clear()
            self.repeat.clear()

    def _schedule_preview(self, *_: object) -> None:
        self.rendered = None
        self._timer.start()

    # ---------------------------------------------------------------- actions

    @Slot()
    def refresh_preview(self) -> bool:
        """Build the document in memory and show it; False (with a message) on failure."""
        # a refresh asked for directly (Print, Save) is the one the timer was waiting for:
        # it must not run again later and write its page count over what the job said
        self._timer.stop()
        self.banner.clear_message()
        job = self.job()
        if job.kind == "session" and job.meeting_id is None:
            self.preview.clear()
            self.pages_label.setText("No session held in this period.")
            return False
        if job.kind == "extract" and job.member_id is None:
            self.preview.clear()
            self.pages_label.setText("The group has no members.")
            return False
        try:
            self.rendered = batch.render_job(self.vault, job, self.options())
        except GroupLeaderError as err:
            self.rendered = None
            self.banner.show_message(err.message)
            return False
        if screen_safe(self.ctx) and not self.deidentify.isChecked():
            # An identified document is never drawn while the screen may be shared: the
            # page count still comes from the document, and Save and Print work as usual.
            self.preview.clear(SAFE_PREVIEW_HIDDEN)
            pages = pdf_page_count(self.rendered.data)
        else:
            pages = self.preview.show_pdf(self.rendered.data)
        if self.rendered.unprintable:  # said before anything is saved or printed
            self.banner.show_message(unprintable_message(self.rendered.unprintable),
                                     kind="info")
        note = " (first session of the batch)" if self.kind == "batch" else ""
        self.pages_label.setText(f"{pages} page{'s' if pages != 1 else ''}{note}")
        self._show_review(note)
        return True

    def _show_review(self, note: str = "") -> None:
        shown = self.deidentify.isChecked() and self.rendered is not None
        self.review.setVisible(shown)
        if shown:
            assert self.rendered is not None
            self.review.show_review(self.rendered.review, not screen_safe(self.ctx),
                                    f" in the previewed document{note}")

    @Slot(str, object)
    def hide_word(self, word: str, member_id: int | None) -> bool:
        """Hide one more word in this export (and, once saved, in every later one): the
        preview and its review are computed again at once; the vault is written on Save."""
        self.banner.clear_message()
        try:
            word = privacy_ops.check_word(word, member_id)
        except GroupLeaderError as err:
            self.banner.show_message(err.message)
            return False
        if member_id is None:
            self.pending_terms.append(word)
        else:
            self.pending_spellings.append((member_id, word))
        self.review.word.clear()
        self.review.set_pending(self._pending_text(), self._kept_text())
        self._timer.stop()
        return self.refresh_preview()

    @Slot(str)
    def keep_word(self, word: str) -> bool:
        """Accept `word` as no name in this export: it stays as written, is no longer
        listed, and the preview is computed again. Nothing is written to the vault."""
        self.banner.clear_message()
        if word not in self.not_names:
            self.not_names.append(word)
        self.review.word.clear()
        self.review.set_pending(self._pending_text(), self._kept_text())
        self._timer.stop()
        return self.refresh_preview()

    def _pending_text(self) -> list[str]:
        labels = {self.member_combo.itemData(i): self.member_combo.itemText(i)
                  for i in range(self.member_combo.count())}
        return ([f"“{w}” for {labels.get(mid, 'a member')}" for mid, w in self.pending_spellings]
                + [f"“{t}” (general term)" for t in self.pending_terms])

    def _kept_text(self) -> str:
        return ", ".join(f"“{w}”" for w in self.not_names)

    def commit_hidden(self) -> bool:
        """Write the words chosen in the review to the vault (one audited step); False with
        a message when they could not be written (then nothing is)."""
        if not (self.pending_spellings or self.pending_terms):
            return True
        spellings, terms = list(self.pending_spellings), list(self.pending_terms)
        try:
            self.ctx.run(lambda v: privacy_ops.hide_words(v, spellings, terms), source=self)
        except GroupLeaderError as err:
            self.banner.show_message(err.message)
            return False
        self.pending_spellings.clear()
        self.pending_terms.clear()
        self.review.set_pending([])
        return True

    def _password(self) -> str | None:
        if not self.protect.isChecked():
            return None
        if not self.password.text():
            raise GroupLeaderError("Enter a password for the PDF, or clear "
                                   "“Protect with a password”.")
        if self.password.text() != self.repeat.text():
            raise GroupLeaderError("The two passwords differ. Type them again.")
        problem = pdf_password_problem(self.password.text(), password_context(self.vault),
                                       self.vault)
        if problem is not None:
            raise GroupLeaderError(problem + " Or use “Suggest” for a generated one.")
        return self.password.text()

    @Slot()
    def suggest_password(self) -> None:
        """Fill both fields with random words and show them, so they can be copied."""
        from groupleader.passphrases import suggest

        words = suggest()
        self.password.setText(words)
        self.repeat.setText(words)
        self.password.setEchoMode(QLineEdit.EchoMode.Normal)

    @Slot()
    def save(self) -> Path | None:
        self.banner.clear_message()
        try:
            password = self._password()
        except GroupLeaderError as err:
            self.banner.show_message(err.message)
            return None
        if self.kind == "batch":
            self.start_batch(password)
            return None
        if self.rendered is None and not self.refresh_preview():
            return None
        assert self.rendered is not None
        from groupleader.ui import file_dialogs

        name = file_dialogs.save_file(self, self.ctx.settings, file_dialogs.PDF, "Save PDF",
                                      f"{self.rendered.file_stem}.pdf", "PDF files (*.pdf)")
        if not name:
            return None
        dest = Path(name) if name.lower().endswith(".pdf") else Path(name + ".pdf")
        if self.deidentify.isChecked():
            from groupleader.report.collect import deidentified_file

            dest = deidentified_file(dest)  # the name says what the file is
        if not self.commit_hidden():
            return None
        try:
            path = batch.save_rendered(self.vault, self.job(), self.rendered, dest, password)
        except GroupLeaderError as err:
            self.banner.show_message(err.message)
            return None
        except OSError as err:
            self.banner.show_message(
                f"The PDF could not be written ({err.strerror or err}). Choose another folder.")
            return None
        self.pages_label.setText(f"Saved {path.name}.")
        self._done(f"Saved {path.name}")
        return path

    def _done(self, message: str) -> None:
        """The job is done: say so in the main window's status bar and close.

        A failed save or print never gets here, so the dialog stays open with its message.
        """
        self.ctx.status_message.emit(message)
        self.preview.clear()
        self.accept()

    def preselect_print(self) -> None:
        """Called by the main window's Print action: the session is chosen, print opens."""
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, self.print_pdf)

    @Slot()
    def print_pdf(self) -> int:
        """Choose a printer, then print on the worker (see `print_to`); 0 when not started."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        if self.kind == "batch" or self.preview.document is None:
            return 0
        if self.rendered is None and not self.refresh_preview():
            return 0
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return 0
        self.print_to(printer)
        return self.preview.document.pageCount()

    @Slot()
    def print_preview(self) -> Any:
        """Qt's print preview of the document; its Print button prints from there."""
        from PySide6.QtPrintSupport import QPrinter

        from groupleader.ui.printing import preview_dialog

        if self.rendered is None and not self.refresh_preview():
            return None
        assert self.rendered is not None
        if screen_safe(self.ctx) and not self.deidentify.isChecked():
            self.banner.show_message(SAFE_PREVIEW_HIDDEN, kind="info")
            return None
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = preview_dialog(self.rendered.data, printer, self)
        dialog.setAccessibleName("Print preview")
        if self.isVisible():
            dialog.open()
        return dialog

    def print_to(self, printer: Any) -> Task | None:
        """Print the previewed document to `printer` on the runner's worker, with progress
        and Cancel; on success record it in the audit trail and close."""
        from groupleader.ui.printing import print_work, takes_pdf

        if self.rendered is None and not self.refresh_preview():
            return None
        assert self.rendered is not None
        self.banner.clear_message()
        password: str | None = None
        if takes_pdf(printer):  # a file: protected like Save (paper needs no password)
            try:
                password = self._password()
            except GroupLeaderError as err:
                self.banner.show_message(err.message)
                return None
        document = self.preview.document
        self.progress.setRange(0, document.pageCount() if document is not None else 1)
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.setText("Cancel printing")
        self.cancel_button.show()
        self.print_button.setEnabled(False)
        self.save_button.setEnabled(False)
        self.printer = printer  # kept alive until the job ends
        self.task = self.ctx.runner.start(
            print_work(self.rendered.data, printer, self.vault.path, password),
            self._print_done, self._print_failed,
            on_progress=lambda done, _total: self.progress.setValue(done),
            on_cancelled=self._print_cancelled, source=self)
        return self.task

    def _end_print(self) -> None:
        self.task = None
        self.printer = None
        self.progress.hide()
        self.cancel_button.hide()
        self.cancel_button.setText("Cancel batch")
        self.cancel_button.setEnabled(True)
        self.print_button.setEnabled(True)
        self.save_button.setEnabled(True)

    def _print_done(self, count: int) -> None:
        self._end_print()
        target = self.job().audit_target
        self.ctx.run(lambda v: exports.record_export(v, exports.PRINT, *target))
        self._done(f"Printed {count} page{'s' if count != 1 else ''}")

    def _print_failed(self, error: GroupLeaderError) -> None:
        self._end_print()
        self.banner.show_message(error.message)

    def _print_cancelled(self) -> None:
        self._end_print()
        self.pages_label.setText("Printing cancelled.")

    def start_batch(self, password: str | None) -> None:
        ids = self.batch_meeting_ids()
        if not ids:
            self.banner.show_message("No session was held in that period. Widen the period.")
            return
        from groupleader.ui import file_dialogs

        folder = file_dialogs.choose_folder(self, self.ctx.settings, file_dialogs.PDF_FOLDER,
                                            "Folder for the PDF files")
        if not folder:
            return
        if not self.commit_hidden():
            return
        if self._timer.isActive():
            # a preview still waiting would fire during or after the batch and write its
            # page count over the batch's own result; it is brought up to date now
            self.refresh_preview()
        self.progress.setRange(0, len(ids))
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        self.save_button.setEnabled(False)
        holder: list[Task] = []
        work = batch_work(self.vault, self.group_id, ids, Path(folder), self.options(),
                          password, lambda: bool(holder) and holder[0].cancel_requested)
        self.task = self.ctx.runner.start(
            work, self._batch_done, self._batch_failed,
            on_progress=lambda done, _total: self.progress.setValue(done), source=self)
        holder.append(self.task)

    @Slot()
    def cancel_batch(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.cancel_button.setEnabled(False)

    def _end_batch(self) -> None:
        if self.task is not None:
            self.task.wait()
        self.task = None
        self.cancel_button.hide()
        self.cancel_button.setEnabled(True)
        self.save_button.setEnabled(True)

    def _batch_done(self, result: batch.BatchResult) -> None:
        self._end_batch()
        self.last_result = result
        n = len(result.written)
        if result.cancelled:
            self.pages_label.setText(f"Cancelled: {n} of {result.total} PDF files written.")
        else:
            self.pages_label.setText(f"Wrote {n} PDF file{'s' if n != 1 else ''}.")

    def _batch_failed(self, error: GroupLeaderError) -> None:
        self._end_batch()
        n, total = self.progress.value(), self.progress.maximum()  # the files written
        self.progress.hide()  # a bar left at 50 % would read as a batch still running
        self.pages_label.setText(f"Stopped: {n} of {total} PDF files written.")
        self.banner.show_message(error.message)

    def close_now(self) -> None:
        """On lock: stop a running batch (the files written stay whole), drop the
        preview and close, asking nothing (an auto-lock must not wait for an answer)."""
        if self.task is not None:
            self.cancel_batch()
            self._end_batch()
        self.preview.clear()
        super().reject()

    def reject(self) -> None:
        if self.task is not None:
            question = "Stop printing?" if self.printer is not None else "Stop the batch export?"
            answer = QMessageBox.question(self, "Export", question)
            if answer != QMessageBox.StandardButton.Yes:
                return
            self.cancel_batch()
            self._end_batch()
        self.preview.clear()
        super().reject()
