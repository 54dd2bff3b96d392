"""The supervisor's queue ("Awaiting co-sign") and the status bar's signing line.

The queue lists every signed group and member note no supervisor has co-signed yet,
across all groups, oldest session first (`data.services.cosign_queue`). Select one or
several rows and co-sign them with one prompt: who co-signs and their PIN
(`signing.cosign_notes`, one unit of work). Members are named by pseudonym or initials.

`SigningStatus` sits in the status bar: "Signing as: Dr. X, PhD" (the profile notes are
signed in; always shown while a vault is open) and a button with the queue's count that
opens the queue. Both refresh through `ctx.changed` (notes and clinician profiles) and
`ctx.settings_changed` (the profile chosen in Settings).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from groupleader.data.operations import query
from groupleader.data.operations.base import Changes
from groupleader.data.services import clinicians, cosign_queue
from groupleader.data.snapshots import AwaitingCosign
from groupleader.errors import GroupLeaderError
from groupleader.ui.context import AppContext
from groupleader.ui.sessions.signing import cosign_notes, local
from groupleader.ui.widgets import ErrorBanner

COLUMNS = ("Session date", "Group", "Session", "Note", "Member", "Signed by", "Signed")
NOTE_KIND = {"group": "Group note", "member": "Member note"}


def _relevant(changes: Changes) -> bool:
    return bool(changes.notes or changes.clinicians or changes.group_records
                or changes.meetings)


class CosignQueueDialog(QDialog):
    """Awaiting co-sign: the list, and "Co-sign selected…"."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[AwaitingCosign] = []
        self.setWindowTitle("Awaiting co-sign")
        self.resize(860, 440)
        layout = QVBoxLayout(self)
        self.banner = ErrorBanner(self)
        layout.addWidget(self.banner)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setAccessibleName("Notes awaiting co-sign")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.select_all = QPushButton("Select &all", self)
        self.select_all.clicked.connect(self.table.selectAll)
        row.addWidget(self.select_all)
        row.addStretch(1)
        self.cosign_button = QPushButton("&Co-sign selected…", self)
        self.cosign_button.setAccessibleName("Co-sign the selected notes")
        self.cosign_button.clicked.connect(self.cosign_selected)
        row.addWidget(self.cosign_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        row.addWidget(buttons)
        layout.addLayout(row)
        ctx.changed.connect(self._on_changed)
        ctx.vault_closing.connect(self.close)
        self.refresh()

    def _on_changed(self, changes: Changes, _source: object) -> None:
        if _relevant(changes) and self.ctx.vault is not None:
            self.refresh()

    def refresh(self) -> None:
        try:
            self.rows = query(self.ctx.require_vault(), cosign_queue.awaiting_cosign)
        except GroupLeaderError as err:
            self.banner.show_message(err.message)
            self.rows = []
        self.table.setRowCount(len(self.rows))
        for r, item in enumerate(self.rows):
            here = item.meeting_starts_at.astimezone()
            values = (f"{here:%a} {here.day} {here:%b %Y}", item.group_name,
                      f"Session {item.meeting_number}", NOTE_KIND.get(item.kind, item.kind),
                      item.member_label, item.signed_by.printed_name, local(item.signed_at))
            for c, value in enumerate(values):
                cell = QTableWidgetItem(value)
                self.table.setItem(r, c, cell)
        n = len(self.rows)
        self.summary.setText(
            "No note is waiting for a co-signature." if not n else
            f"{n} signed note{'s' if n != 1 else ''} not yet co-signed, oldest session "
            "first. Select one or several and co-sign them with one PIN.")
        self._update_buttons()

    def selected(self) -> list[AwaitingCosign]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.rows[r] for r in rows if r < len(self.rows)]

    def _update_buttons(self) -> None:
        self.cosign_button.setEnabled(bool(self.selected()) and not self.ctx.read_only)

    def cosign_selected(self) -> int:
        """Co-sign the selected notes (one prompt: who and their PIN); how many."""
        self.banner.clear_message()
        chosen = self.selected()
        if not chosen:
            return 0
        what = ("this note" if len(chosen) == 1 else f"these {len(chosen)} notes")
        count = cosign_notes(self.ctx, self, [(r.kind, r.note_id) for r in chosen], what,
                             self.banner.show_message)
        if count:
            self.ctx.status_message.emit(
                f"Co-signed {count} note{'s' if count != 1 else ''}.")
        return count


class SigningStatus(QWidget):
    """Status bar: who signs, and how many notes await a co-signature (click: the queue)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.signer = QLabel(self)
        self.signer.setTextFormat(Qt.TextFormat.PlainText)
        self.signer.setAccessibleName("Signing as")
        layout.addWidget(self.signer)
        self.queue_button = QPushButton(self)
        self.queue_button.setFlat(True)
        self.queue_button.setAccessibleName("Notes awaiting co-sign")
        self.queue_button.setToolTip("Open the notes awaiting co-sign (Ctrl+Shift+K)")
        self.queue_button.clicked.connect(self.open_queue)
        layout.addWidget(self.queue_button)
        self.dialog: CosignQueueDialog | None = None
        self.shown_for: object = None  # the vault the line was last read from
        ctx.changed.connect(self._on_changed)
        ctx.settings_changed.connect(self._on_settings)
        self.clear()

    def _on_changed(self, changes: Changes, _source: object) -> None:
        if _relevant(changes) and self.shown_for is not None:
            self.refresh()

    def _on_settings(self) -> None:
        if self.shown_for is not None:
            self.refresh()

    def clear(self) -> None:
        """Locked: show nothing."""
        self.shown_for = None
        self.signer.setText("")
        self.queue_button.hide()

    def follow_vault(self) -> None:
        """Read the line again when the open vault is not the one it shows."""
        if self.ctx.vault is not self.shown_for:
            self.refresh()

    def refresh(self) -> None:
        vault = self.ctx.vault
        if vault is None:
            self.clear()
            return
        self.shown_for = vault
        try:
            count = query(vault, cosign_queue.awaiting_count)
            me = (query(vault, clinicians.get_clinician, self.ctx.clinician_id)
                  if self.ctx.clinician_id is not None else None)
        except GroupLeaderError:
            me, count = None, 0
        self.signer.setText(f"Signing as: {me.printed_name}" if me is not None
                            else "Signing as: no profile (choose one in Settings)")
        self.queue_button.setText(f"{count} awaiting co-sign")
        self.queue_button.setVisible(count > 0)

    def open_queue(self) -> CosignQueueDialog | None:
        """Show the queue (modeless, one at a time)."""
        if self.ctx.vault is None:
            return None
        if self.dialog is None:
            self.dialog = CosignQueueDialog(self.ctx, self.window())
            self.dialog.finished.connect(self._forget)
        else:
            self.dialog.refresh()
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    def _forget(self, _result: int) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None
