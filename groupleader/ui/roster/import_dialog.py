"""Import a roster CSV: a preview of every row, then one all-or-nothing write.

Reading, checking and writing run on a worker thread with a progress bar, so a large
or odd file never freezes the window. The preview shows each good row as it will be
imported and each bad row with its line number and reason. Nothing is written while
any row is bad, unless the user ticks "Skip the rows with problems". Rows that are the
same person as an existing member are merged into that member or skipped, as chosen.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QCloseEvent, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from groupleader.data import roster_csv
from groupleader.data.operations import Done, query
from groupleader.data.operations import roster as ops_roster
from groupleader.data.roster_csv import BadRow, Duplicate, ImportResult, ImportRow, ParsedRoster
from groupleader.errors import GroupLeaderError, InvalidInput
from groupleader.ui.context import AppContext
from groupleader.ui.roster.model import STATUS_LABELS, short_date
from groupleader.ui.runner import Cancelled, Progress, Task
from groupleader.ui.table_model import HeaderTableModel

STOPPED = "Stopped. Nothing was written."
UNREADABLE = "The file could not be read. Nothing was written."


# ---------------------------------------------------------------- preview


PREVIEW_COLUMNS = ("Line", "Name", "Check", "Preferred name", "Pronouns", "Date of birth",
                   "Phone", "Email", "Emergency contact", "Status", "Joined", "Ended")
BAD_BRUSH = QBrush(QColor("#fde7e9"))
DUP_BRUSH = QBrush(QColor("#fff4d6"))


def check_text(item: ImportRow | BadRow, dup: Duplicate | None) -> str:
    if isinstance(item, BadRow):
        return f"Problem: {item.reason}"
    if item.same_as is not None:
        return f"Rejoins (same person as line {item.same_as})"
    if dup is not None:
        where = "; already on this roster" if dup.on_roster else ""
        archived = "; archived" if dup.archived else ""
        return f"Already in the vault as {dup.existing_name} ({dup.why}{where}{archived})"
    return "New member"


class PreviewModel(HeaderTableModel):
    """Every row of the file in line order: good rows as they will be imported, bad ones
    with their reason."""

    HEADERS = PREVIEW_COLUMNS

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.table_rows: list[ImportRow | BadRow] = []
        self.dups: dict[int, Duplicate] = {}

    def set_parsed(self, parsed: ParsedRoster, dups: dict[int, Duplicate]) -> None:
        self.beginResetModel()
        self.table_rows = sorted([*parsed.rows, *parsed.bad], key=lambda r: r.line)
        self.dups = dups
        self.endResetModel()


    def cell(self, item: ImportRow | BadRow, column: int) -> str:
        if column == 0:
            return str(item.line)
        if column == 2:
            return check_text(item, self.dups.get(item.line))
        if isinstance(item, BadRow):  # the row as read, since its columns may not line up
            return " · ".join(c for c in item.cells if c) if column == 1 else ""
        s = item.spec
        values = (s.full_name, "", s.preferred_name, s.pronouns, short_date(s.dob), s.phone,
                  s.email, " ".join(s.emergency_contact.split()),
                  STATUS_LABELS.get(item.status, item.status), short_date(item.joined),
                  short_date(item.ended))
        return values[column - 1]

    def data(
        self, index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if not index.isValid():
            return None
        item = self.table_rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.cell(item, index.column())
        if role == Qt.ItemDataRole.BackgroundRole:
            if isinstance(item, BadRow):
                return BAD_BRUSH
            if item.line in self.dups:
                return DUP_BRUSH
        if role == Qt.ItemDataRole.UserRole:
            return isinstance(item, BadRow) or item.line in self.dups
        return None


class _ProblemsOnly(QSortFilterProxyModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.only = False

    def set_only(self, only: bool) -> None:
        self.beginFilterChange()
        self.only = only
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(
        self, row: int, parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if not self.only:
            return True
        return bool(self.sourceModel().index(row, 0, parent).data(Qt.ItemDataRole.UserRole))


# ---------------------------------------------------------------- the dialog


class ImportDialog(QDialog):
    """Preview, choose, import. `imported` holds the ImportResult after a successful import.

    (Not `result`: that would hide `QDialog.result()`, the dialog's accept/reject code.)
    """

    def __init__(
        self, ctx: AppContext, group_id: int, path: Path | str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.group_id, self.path = ctx, group_id, Path(path)
        self.parsed: ParsedRoster | None = None
        self.dups: dict[int, Duplicate] = {}
        self.imported: ImportResult | None = None
        self.job: Task | None = None
        self.setWindowTitle("Import roster")
        self.resize(980, 560)

        layout = QVBoxLayout(self)
        self.file_label = QLabel(f"File: {self.path.name}")
        self.file_label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.file_label)
        self.summary = QLabel("Reading the file…")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)

        self.model = PreviewModel(self)
        self.proxy = _ProblemsOnly(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Rows of the file")
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)

        options = QHBoxLayout()
        self.problems_only = QCheckBox("Show only rows that need attention")
        self.problems_only.toggled.connect(self.proxy.set_only)
        options.addWidget(self.problems_only)
        options.addStretch(1)
        self.dup_label = QLabel("People already in the vault:")
        self.dup_choice = QComboBox()
        self.dup_choice.addItem("Skip them", "skip")
        self.dup_choice.addItem("Merge the file's details into them", "merge")
        self.dup_choice.setAccessibleName("What to do with people already in the vault")
        self.dup_label.setBuddy(self.dup_choice)
        options.addWidget(self.dup_label)
        options.addWidget(self.dup_choice)
        self.skip_bad = QCheckBox("Skip the rows with problems")
        self.skip_bad.setAccessibleName("Skip the rows with problems")
        self.skip_bad.toggled.connect(self._update_buttons)
        options.addWidget(self.skip_bad)
        layout.addLayout(options)

        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e;")
        self.message.hide()
        layout.addWidget(self.message)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Progress")
        layout.addWidget(self.progress)

        self.buttons = QDialogButtonBox()
        self.import_button = QPushButton("Import")
        self.import_button.setDefault(True)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button.clicked.connect(self.reject)
        layout.addWidget(self.buttons)
        for w in (self.dup_label, self.dup_choice, self.skip_bad, self.problems_only):
            w.setVisible(False)
        self.import_button.setEnabled(False)
        self.start_reading()

    # -- jobs
    def _run(self, work: Callable[[Progress], Any], done: Callable[[Any], None]) -> None:
        self.progress.setRange(0, 0)
        self.progress.show()
        self.job = self.ctx.runner.start(
            work, done, self._on_failed, on_progress=self._on_progress,
            on_cancelled=lambda: self._on_failed(STOPPED), source=self)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)

    def _on_failed(self, error: GroupLeaderError | str) -> None:
        message = error if isinstance(error, str) else error.message
        self.progress.hide()
        self.message.setText(message)
        self.message.show()
        self._update_buttons()

    def start_reading(self) -> None:
        vault, group_id, path = self.ctx.require_vault(), self.group_id, self.path

        def work(progress: Progress) -> tuple[ParsedRoster, dict[int, Duplicate]]:
            try:
                data = path.read_bytes()
            except OSError as err:
                raise InvalidInput(
                    f"The file could not be read ({err.strerror or 'refused'}).", "file"
                ) from None
            try:
                parsed = roster_csv.parse_roster(data, progress=progress)
            except (GroupLeaderError, Cancelled):
                raise
            except Exception:
                raise InvalidInput(UNREADABLE, "file") from None
            return parsed, query(vault, roster_csv.find_duplicates, group_id, parsed)

        self._run(work, self._on_read)

    def _on_read(self, value: tuple[ParsedRoster, dict[int, Duplicate]]) -> None:
        parsed, dups = value
        self.parsed, self.dups = parsed, dups
        self.model.set_parsed(parsed, dups)
        self.table.resizeColumnsToContents()
        for col in range(self.model.columnCount()):
            width = self.table.columnWidth(col)
            self.table.setColumnWidth(col, min(width, 420 if col == 2 else 220))
        self.progress.hide()
        bits = [f"{len(parsed.rows)} row(s) ready"]
        if parsed.bad:
            bits.append(f"{len(parsed.bad)} with problems")
        if dups:
            bits.append(f"{len(dups)} already in the vault")
        text = " · ".join(bits) + "."
        if parsed.ignored:
            text += " Columns not imported: " + ", ".join(parsed.ignored) + "."
        if parsed.bad:
            text += (" Nothing is imported while any row has a problem: correct the file, "
                     "or skip those rows.")
        self.summary.setText(text)
        self.dup_label.setVisible(bool(dups))
        self.dup_choice.setVisible(bool(dups))
        self.skip_bad.setVisible(bool(parsed.bad))
        self.problems_only.setVisible(bool(parsed.bad or dups))
        self._update_buttons()

    def _update_buttons(self) -> None:
        running = self.job is not None and self.job.running
        p = self.parsed
        ready = p is not None and bool(p.rows) and (not p.bad or self.skip_bad.isChecked())
        self.import_button.setEnabled(ready and not running and self.imported is None)

    def start_import(self) -> None:
        if self.parsed is None:
            return
        self.message.hide()
        vault, group_id, parsed = self.ctx.require_vault(), self.group_id, self.parsed
        choice, skip_bad = self.dup_choice.currentData(), self.skip_bad.isChecked()

        def work(progress: Progress) -> Done[ops_roster.Imported]:
            return ops_roster.import_roster(vault, group_id, parsed, on_duplicate=choice,
                                            skip_bad=skip_bad, progress=progress)

        self.import_button.setEnabled(False)
        self._run(work, self._on_imported)

    def _on_imported(self, value: object) -> None:
        assert isinstance(value, ImportResult)
        self.imported = value
        self.progress.hide()
        self.ctx.status_message.emit(
            f"Imported {value.created} new and {value.merged} merged member(s); "
            f"{value.skipped} row(s) skipped.")
        self.accept()

    # -- closing waits for a running job to stop (a write then rolls back)
    def _stop_job(self) -> None:
        if self.job is not None and self.job.running:
            self.job.cancel()
            self.job.wait()

    def reject(self) -> None:
        self._stop_job()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._stop_job()
        super().closeEvent(event)
