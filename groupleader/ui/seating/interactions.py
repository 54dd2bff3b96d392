"""Interaction counts beside the circle: who spoke, and who was spoken to, per person.

A real table model (checked with qtmodeltester), so the quiet members show as rows of
zeros, highlighted, instead of being missing from a chart.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from groupleader.ui.seating import presenter
from groupleader.ui.seating.model import SeatingModel
from groupleader.ui.table_model import HeaderTableModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
QUIET = QColor("#fef3c7")

Index = QModelIndex | QPersistentModelIndex


def is_quiet_member(row: presenter.CountRow) -> bool:
    """A member who has not spoken yet. Leaders are never "quiet members": a leader who
    listens is doing the work, so clinicians are neither highlighted nor counted."""
    return row.party.member_id is not None and row.spoke == 0


class CountsModel(HeaderTableModel):
    HEADERS = ("Person", "Spoke", "Spoken to")

    def __init__(self, model: SeatingModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.table_rows: tuple[presenter.CountRow, ...] = ()
        model.reset.connect(self.refresh)
        model.circle_changed.connect(self.refresh)
        model.interactions_changed.connect(self.refresh)
        model.display_changed.connect(self._relabel)
        self.refresh()

    def refresh(self) -> None:
        rows = presenter.count_rows(self.model.interactions, self.model.circle)
        if [r.party for r in rows] == [r.party for r in self.table_rows]:
            self.table_rows = rows
            if rows:
                self.dataChanged.emit(self.index(0, 0),
                                      self.index(len(rows) - 1, len(self.HEADERS) - 1))
            return
        self.beginResetModel()
        self.table_rows = rows
        self.endResetModel()

    def _relabel(self) -> None:
        if self.table_rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.table_rows) - 1, 0))


    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.table_rows):
            return None
        row, col = self.table_rows[index.row()], index.column()
        quiet = is_quiet_member(row) and bool(self.model.interactions)
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            if col == 0:
                label = self.model.label(row.party)
                return label.casefold() if role == SORT_ROLE else label
            return row.spoke if col == 1 else row.spoken_to
        if role == Qt.ItemDataRole.ToolTipRole and col == 0:
            tip = self.model.tooltip(row.party)
            return tip + (" - has not spoken yet" if quiet else "")
        if role == Qt.ItemDataRole.TextAlignmentRole and col > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and quiet:
            return QColor(QUIET)
        if role == Qt.ItemDataRole.ForegroundRole and quiet:
            return QColor("#1f2a37")
        return None


class CountsPanel(QWidget):
    """The counts table with a one-line summary above it."""

    def __init__(self, model: SeatingModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.counts = CountsModel(model, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.counts)
        self.proxy.setSortRole(SORT_ROLE)
        self.summary = QLabel(self)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # chair order until asked
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setAccessibleName("Interaction counts per person")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        for signal in (model.reset, model.interactions_changed, model.circle_changed):
            signal.connect(self._update_summary)
        self._update_summary()

    def _update_summary(self) -> None:
        total = len(self.model.interactions)
        group = presenter.to_group_count(self.model.interactions)
        quiet = sum(1 for r in self.counts.table_rows if is_quiet_member(r))
        if total == 0:
            self.summary.setText("No interactions recorded in this session.")
            return
        self.summary.setText(
            f"{total} recorded, {group} to the whole group. "
            f"Members not yet spoken: {quiet}.")
