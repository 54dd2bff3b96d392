"""The part every flat table model here shares: fixed column headers and the row count.

A subclass sets `HEADERS` (and `HEADER_TIPS`, the header tooltips in the same order, where a
column has one), keeps its rows in `table_rows` (narrowing its type), and writes `data()`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex


class HeaderTableModel(QAbstractTableModel):
    """A flat (not tree) table model whose columns are the fixed `HEADERS`."""

    HEADERS: tuple[str, ...] = ()
    HEADER_TIPS: tuple[str | None, ...] = ()
    table_rows: Sequence[Any] = ()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.table_rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole and section < len(self.HEADER_TIPS):
            return self.HEADER_TIPS[section]
        return None
