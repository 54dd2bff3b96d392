"""Seat history for one member: where they sat and who sat beside them, session by session."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from groupleader.data.snapshots import MeetingSnap, Party
from groupleader.data.vault import Vault
from groupleader.ui.seating import adapter, presenter
from groupleader.ui.seating.presenter import HistoryRow, Person

LAST_SESSIONS = 10


def load_history(
    vault: Vault, party: Party, sessions: Sequence[MeetingSnap], upto: MeetingSnap,
    limit: int = LAST_SESSIONS,
) -> tuple[list[HistoryRow], dict[Party, Person]]:
    """The last `limit` sessions up to `upto` (newest first, cancelled ones left out),
    with the names of everyone who sat in them."""
    chosen = sorted((m for m in sessions if m.number <= upto.number and m.status != "cancelled"),
                    key=lambda m: m.number, reverse=True)[:limit]
    loaded = []
    all_chairs = []
    for meeting in chosen:
        chairs = adapter.seating_of(vault, meeting.id)
        absent = presenter.absent_members(adapter.attendance_of(vault, meeting.id))
        all_chairs.extend(chairs)
        loaded.append((meeting, presenter.circle_of(chairs), absent))
    people = presenter.build_people(all_chairs, (), ())
    return presenter.seat_history(party, loaded), people


def describe(row: HistoryRow, people: dict[Party, Person], safe: bool) -> tuple[str, str]:
    """The "Chair" and "Beside" cells of one row."""
    if row.chair is None:
        if row.absent:
            return "absent", ""
        return ("not seated" if row.of else "no seating recorded"), ""
    names = [presenter.label_for(people.get(p), safe) if p is not None else "(empty chair)"
             for p in row.beside]
    return f"{row.chair} of {row.of}", ", ".join(names)


class SeatHistoryDialog(QDialog):
    def __init__(self, who: str, rows: Sequence[HistoryRow], people: dict[Party, Person],
                 safe: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Seat history")
        heading = QLabel(f"Where {who} sat, and who sat beside them (newest first):", self)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setWordWrap(True)
        self.table = QTableWidget(len(rows), 4, self)
        self.table.setHorizontalHeaderLabels(["Session", "Date", "Chair", "Beside"])
        self.table.setAccessibleName("Seat history")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        for r, row in enumerate(rows):
            chair, beside = describe(row, people, safe)
            cells = (row.meeting.label, f"{row.meeting.starts_at.astimezone():%d %b %Y}",
                     chair, beside)
            for c, value in enumerate(cells):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        for c in range(3):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(620, 360)
