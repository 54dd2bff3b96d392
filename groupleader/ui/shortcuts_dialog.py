"""Help > Keyboard Shortcuts: the searchable list of `shortcuts.collect` (loaded when first
opened: its table widgets are not on the start path)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from groupleader.ui.shortcuts import Entry


class ShortcutsDialog(QDialog):
    """Help > Keyboard Shortcuts: every key of the window, with a filter field."""

    def __init__(self, entries: list[Entry], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtCore import Qt

        self.setWindowTitle("Keyboard shortcuts")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(560, 520)
        layout = QVBoxLayout(self)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Find a key or an action, e.g. “undo” or “ctrl+n”")
        self.filter.setAccessibleName("Find a shortcut")
        self.filter.setClearButtonEnabled(True)
        layout.addWidget(self.filter)
        self.table = QTableWidget(len(entries), 3, self)
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHorizontalHeaderLabels(["Where", "Action", "Keys"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        for row, entry in enumerate(entries):
            for col, text in enumerate(entry):
                self.table.setItem(row, col, QTableWidgetItem(text))
        layout.addWidget(self.table, 1)
        self.none = QLabel("No shortcut matches. Try a shorter word.", self)
        self.none.hide()
        layout.addWidget(self.none)
        self.entries = entries
        self.filter.textChanged.connect(self.apply_filter)
        self.filter.setFocus()

    def apply_filter(self, text: str) -> None:
        """Show the rows whose place, action or keys hold every word typed."""
        words = text.casefold().split()
        shown = 0
        for row, entry in enumerate(self.entries):
            hay = " ".join(entry).casefold()
            match = all(w in hay for w in words)
            self.table.setRowHidden(row, not match)
            shown += match
        self.none.setVisible(shown == 0)

    def visible_entries(self) -> list[Entry]:
        return [e for row, e in enumerate(self.entries) if not self.table.isRowHidden(row)]
