"""The shared base of the flat table models: headers, header tooltips, row count; Qt's checks."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from pytestqt.modeltest import ModelTester

from groupleader.ui.table_model import HeaderTableModel


class Members(HeaderTableModel):
    """The smallest real subclass: a name and a pronoun per row, one column with a tip."""

    HEADERS = ("Name", "Pronouns")
    HEADER_TIPS = ("The name the member goes by",)

    def __init__(self) -> None:
        super().__init__()
        self.table_rows: list[tuple[str, str]] = []

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.table_rows[index.row()][index.column()]

    def set_rows(self, rows: list[tuple[str, str]]) -> None:
        self.beginResetModel()
        self.table_rows = list(rows)
        self.endResetModel()


def test_the_header_table_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    model: HeaderTableModel = Members()
    assert isinstance(model, Members)
    qtmodeltester.check(model)  # empty
    model.set_rows([("Ada Brook", "she/her"), ("מרים כהן", "they/them"), ("Zoë 🌈", "")])
    assert model.rowCount() == 3 and model.columnCount() == 2
    model.set_rows([("Ben Carter", "he/him")])
    assert model.rowCount() == 1


def test_headers_and_their_tips_come_from_the_class() -> None:
    model = Members()
    horizontal, vertical = Qt.Orientation.Horizontal, Qt.Orientation.Vertical
    assert [model.headerData(c, horizontal) for c in range(2)] == ["Name", "Pronouns"]
    assert model.headerData(0, horizontal, Qt.ItemDataRole.ToolTipRole) == \
        "The name the member goes by"
    assert model.headerData(1, horizontal, Qt.ItemDataRole.ToolTipRole) is None  # no tip
    assert model.headerData(2, horizontal) is None  # past the last column
    assert model.headerData(0, vertical) is None  # rows are not numbered
    model.set_rows([("Ada Brook", "she/her")])
    assert model.rowCount(model.index(0, 0)) == 0  # flat: no row has children
    assert model.columnCount(model.index(0, 0)) == 0
