"""Find (Ctrl+F): search every note of the vault; open a result at the word found.

Results come from ``groupleader.data.search.search`` (SQLite FTS5 inside the vault).
Process notes are searched only while "Include process notes" is ticked; their rows
say "Process note (private)" so they are never mistaken for progress notes. An addendum
is found too: its row names the kind of note it was added to (private ones marked), and
opening it asks the Sessions view for "addendum:<kind>", which shows that note's page
with the addenda area marked.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from groupleader.data import search
from groupleader.data.operations import query
from groupleader.data.snapshots import SearchHit
from groupleader.errors import GroupLeaderError
from groupleader.ui.context import AppContext
from groupleader.ui.privacy import screen_safe, screen_text
from groupleader.ui.table_model import HeaderTableModel

KIND_TEXT = {"group": "Group note", "member": "Member note",
             "private": "Process note (private)"}
ADDENDUM_TEXT = {"group": "Addendum to a group note", "member": "Addendum to a member note",
                 "private": "Addendum to a process note (private)"}


def is_private(hit: SearchHit) -> bool:
    return hit.kind == "private" or (hit.kind == "addendum" and hit.addendum_of == "private")


def opened_kind(hit: SearchHit) -> str:
    """The kind Find asks the Sessions view to open: "addendum:<kind of its note>" or the kind."""
    if hit.kind == "addendum":
        return f"addendum:{hit.addendum_of or 'group'}"
    return hit.kind
COLUMNS = ("Kind", "Group", "Session", "Found")
LIMIT = 200


def session_text(hit: SearchHit) -> str:
    here = hit.meeting_starts_at.astimezone()
    return f"{hit.meeting_number} · {here.day} {here:%b %Y}"


class HitModel(HeaderTableModel):
    HEADERS = COLUMNS

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table_rows: list[SearchHit] = []
        self.safe = False  # screen-share safe: no member names

    def kind_text(self, hit: SearchHit) -> str:
        """"Member note — Sam" (the member's name only while not screen-share safe)."""
        if hit.kind == "addendum":
            text = ADDENDUM_TEXT.get(hit.addendum_of or "", "Addendum")
        else:
            text = KIND_TEXT.get(hit.kind, hit.kind)
        if hit.member_name and not self.safe:
            text += f" — {hit.member_name}"
        return text


    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        hit = self.table_rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (self.kind_text(hit), hit.group_name, session_text(hit),
                    hit.snippet)[index.column()]
        if role == Qt.ItemDataRole.FontRole and is_private(hit) and index.column() == 0:
            parent = self.parent()
            font = parent.font() if isinstance(parent, QWidget) else QFont()
            font.setItalic(True)
            return font
        return None

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self.table_rows = list(hits)
        self.endResetModel()

    def hit(self, row: int) -> SearchHit | None:
        return self.table_rows[row] if 0 <= row < len(self.table_rows) else None


class FindDialog(QDialog):
    """Search all notes; Enter or a double-click opens the result."""

    # meeting id, kind ("group", "member", "private" or "addendum:<kind>"), member id, words
    open_note = Signal(int, str, object, str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Find in notes")
        self.resize(820, 480)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.query = QLineEdit(self)
        self.query.setPlaceholderText("Words to find in every note…")
        self.query.setAccessibleName("Words to find")
        self.query.setClearButtonEnabled(True)
        row.addWidget(self.query, 1)
        self.include_private = QCheckBox("Include process notes", self)
        self.include_private.setAccessibleName("Include private process notes")
        self.include_private.setChecked(False)
        row.addWidget(self.include_private)
        layout.addLayout(row)
        self.summary = QLabel(self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.summary)
        self.model = HitModel(self)
        self.model.safe = screen_safe(ctx)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Results")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.activated.connect(lambda index: self.open_row(index.row()))
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.open_button = QPushButton("&Open", self)
        self.open_button.setAccessibleName("Open the chosen note")
        self.open_button.clicked.connect(lambda: self.open_row(self.table.currentIndex().row()))
        close = QPushButton("Close", self)
        close.clicked.connect(self.reject)
        buttons.addWidget(self.open_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(200)
        self._debounce.timeout.connect(self.run)
        self.query.textChanged.connect(self._debounce.start)
        self.query.returnPressed.connect(self._on_return)
        self.include_private.toggled.connect(self.run)
        down = QShortcut(QKeySequence(Qt.Key.Key_Down), self.query)
        down.setContext(Qt.ShortcutContext.WidgetShortcut)
        down.activated.connect(self.table.setFocus)
        self.ctx.vault_closing.connect(self.clear_results)
        self._update_open()

    def run(self) -> None:
        """Search now for what is typed."""
        self._debounce.stop()
        words = self.query.text()
        hits: list[SearchHit] = []
        message = ""
        if words.strip():
            try:
                hits = query(self.ctx.require_vault(), search.search, words,
                                     include_private=self.include_private.isChecked(),
                                     limit=LIMIT)
            except GroupLeaderError as err:
                message = err.message
            else:
                message = {0: "No note holds these words."}.get(
                    len(hits), f"{len(hits)} note{'s' if len(hits) != 1 else ''} found"
                    + (" (the best first; refine to see others)" if len(hits) >= LIMIT else ""))
        self.model.safe = screen_safe(self.ctx)
        if self.model.safe:  # the snippets redacted as a de-identified export would be
            hits = [replace(h, snippet=screen_text(self.ctx, h.snippet)) for h in hits]
        self.model.set_hits(hits)
        self.summary.setText(message)
        if hits:
            self.table.setCurrentIndex(self.model.index(0, 0))
        self._update_open()

    def _on_return(self) -> None:
        if self._debounce.isActive() or not self.model.rowCount():
            self.run()
        self.open_row(self.table.currentIndex().row())

    def open_row(self, row: int) -> bool:
        hit = self.model.hit(row)
        if hit is None:
            return False
        self.open_note.emit(hit.meeting_id, opened_kind(hit), hit.member_id, self.query.text())
        self._step_aside()
        return True

    def _step_aside(self) -> None:
        """Out of the way of the note just opened: Find hides (Ctrl+F brings a new one)
        and the window behind it gets the keyboard, with the caret in the note."""
        owner = self.parentWidget()
        if owner is None:
            return  # on its own (no window to give way to)
        self.hide()
        owner.window().activateWindow()

    def _update_open(self) -> None:
        self.open_button.setEnabled(self.model.rowCount() > 0)

    def clear_results(self) -> None:
        """Drop results and words (on lock): they are clinical text."""
        self.query.blockSignals(True)
        self.query.clear()
        self.query.blockSignals(False)
        self.model.set_hits([])
        self.summary.setText("")
        self._update_open()
        self.hide()
