"""The roster table: a QAbstractTableModel over service snapshots, and its filter proxy.

The model holds frozen `RosterEntry` values (a `RosterRow` from the member service, which
carries every figure the table shows), never ORM objects. Sorting compares plain Python
keys in the proxy's `lessThan`, so empty dates and rates sort last.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QPalette

from groupleader import register_vocab
from groupleader.data import clock
from groupleader.data.snapshots import RosterRow
from groupleader.ui.table_model import HeaderTableModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 2

COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "Name"),
    ("pronouns", "Pronouns"),
    ("status", "Status"),
    ("joined", "Joined"),
    ("ended", "Ended"),
    ("attended", "Attended"),
    ("rate", "Rate"),
    ("streak", "Missed"),
    ("risk", "Risk"),
)
TIP_BY_KEY = {
    "joined": "The first day active in this group",
    "ended": "The day the member left, graduated or transferred",
    "attended": "Sessions attended / sessions held since joining",
    "rate": "Share of recorded sessions attended (present or late)",
    "streak": "Absences in a row up to the latest recorded session",
    "risk": "Open risk entries: since when, and by when to review (overdue marked)",
}
COLUMN = {key: i for i, (key, _) in enumerate(COLUMNS)}
STATUS_LABELS = {
    "referred": "Referred", "screening": "Screening", "waitlist": "Waitlist",
    "active": "Active", "graduated": "Graduated", "left": "Left", "transferred": "Transferred",
}
ENDED = frozenset({"graduated", "left", "transferred"})
DEFAULT_STATUSES = frozenset({"active", "waitlist"})
_NUMERIC = {"attended", "rate", "streak"}
RISK_COLOR = QColor("#b3261e")
ENDED_COLOR = QColor("#5f6368")
# The same two on a dark background (the light ones are too dim to read there)
RISK_COLOR_DARK = QColor("#ff8a80")
ENDED_COLOR_DARK = QColor("#9aa0a6")


def _dark() -> bool:
    return QGuiApplication.palette().color(QPalette.ColorRole.Base).lightness() < 128


def fold(text: str) -> str:
    """Text for matching: composed, case-folded (the shown text is never changed)."""
    return unicodedata.normalize("NFC", text).casefold()


def short_date(d: date | None) -> str:
    return d.strftime("%d %b %Y") if d else ""


@dataclass(frozen=True)
class RosterEntry:
    """One line of the roster: the service's row, with how the table shows and sorts it."""

    row: RosterRow

    @property
    def membership_id(self) -> int:
        return self.row.membership_id

    @property
    def member_id(self) -> int:
        return self.row.member_id

    @property
    def status(self) -> str:
        return self.row.status

    @property
    def name_text(self) -> str:
        """"Sam (Samantha Jones)" when a preferred name is set, else the full name."""
        r = self.row
        if r.preferred_name and r.preferred_name != r.full_name:
            return f"{r.preferred_name} ({r.full_name})"
        return r.full_name

    @property
    def held(self) -> int:
        return self.row.held_since_joining

    @property
    def archived(self) -> bool:
        return self.row.archived

    def text(self, key: str) -> str:
        r = self.row
        if key == "name":
            return self.name_text
        if key == "pronouns":
            return r.pronouns
        if key == "status":
            label = STATUS_LABELS.get(r.status, r.status)
            return f"{label} · archived" if r.archived else label
        if key == "joined":
            return short_date(r.joined)
        if key == "ended":
            return short_date(r.ended)
        if key == "attended":
            return f"{r.attended} / {self.held}" if r.joined else ""
        if key == "rate":
            return "—" if r.attendance_rate is None else f"{r.attendance_rate:.0%}"
        if key == "streak":
            return str(r.absence_streak) if r.attended + r.absent else "—"
        if key == "risk":
            return risk_text(r)
        raise KeyError(key)

    def sort_key(self, key: str) -> tuple[Any, ...]:
        """A key where missing values sort after present ones, whatever the order."""
        r = self.row
        value: Any
        if key == "name":
            value = fold(r.preferred_name or r.full_name)
        elif key == "status":
            value = list(STATUS_LABELS).index(r.status) if r.status in STATUS_LABELS else 99
        elif key in ("joined", "ended"):
            d = r.joined if key == "joined" else r.ended
            value = d.toordinal() if d else None
        elif key == "attended":
            value = r.attended
        elif key == "rate":
            value = r.attendance_rate
        elif key == "streak":
            value = r.absence_streak if r.attended + r.absent else None
        elif key == "risk":  # overdue first, then by the review date
            due = r.risk_review_by.toordinal() if r.risk_review_by else 0
            value = (0, due) if r.risk_overdue else (1, due) if r.risk_flag else None
        else:
            value = fold(self.text(key)) or None
        return (value is None, value if value is not None else 0, fold(r.full_name),
                r.membership_id)


def risk_text(r: RosterRow) -> str:
    """"⚠ open since 12 Nov, review by 19 Nov" for a member with an open risk entry (the
    oldest one's day, the earliest review), "(+1)" for more than one; "⚠ Risk" for a
    flagged note from before the register."""
    if r.risk_since is not None:
        line = register_vocab.open_line(r.risk_since, r.risk_review_by,
                                        clock.now().astimezone().date())
        more = f" (+{r.risk_open - 1})" if r.risk_open > 1 else ""
        return f"⚠ {line}{more}"
    return "⚠ Risk" if r.risk_flag else ""


def make_entries(rows: Iterable[RosterRow]) -> list[RosterEntry]:
    """One entry per row (a `RosterRow` carries every figure the table shows)."""
    return [RosterEntry(r) for r in rows]


class RosterModel(HeaderTableModel):
    """The group's memberships, one row each (every status: the proxy filters)."""

    HEADERS = tuple(label for _, label in COLUMNS)
    HEADER_TIPS = tuple(TIP_BY_KEY.get(key) for key, _ in COLUMNS)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.table_rows: list[RosterEntry] = []
        self.safe = False  # screen-share safe: pseudonyms instead of names

    def set_safe(self, safe: bool) -> None:
        if safe != self.safe:
            self.beginResetModel()
            self.safe = safe
            self.endResetModel()

    # -- data in
    def set_entries(self, entries: Sequence[RosterEntry]) -> None:
        self.beginResetModel()
        self.table_rows = list(entries)
        self.endResetModel()

    def clear(self) -> None:
        self.set_entries([])

    def entries(self) -> list[RosterEntry]:
        return list(self.table_rows)

    def member_ids(self) -> frozenset[int]:
        return frozenset(e.member_id for e in self.entries())

    def entry(self, row: int) -> RosterEntry:
        return self.table_rows[row]

    def row_of(self, membership_id: int) -> int | None:
        for i, e in enumerate(self.table_rows):
            if e.membership_id == membership_id:
                return i
        return None

    # -- Qt

    def data(
        self, index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.table_rows):
            return None
        entry = self.table_rows[index.row()]
        key = COLUMNS[index.column()][0]
        if self.safe and key == "name":
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return entry.row.pseudonym
            if role == SORT_ROLE:
                return (fold(entry.row.pseudonym),)
            if role == Qt.ItemDataRole.ToolTipRole:
                return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return entry.text(key)
        if role == Qt.ItemDataRole.ToolTipRole and key == "name":
            return entry.row.full_name
        if role == Qt.ItemDataRole.TextAlignmentRole and key in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if key == "risk" and entry.row.risk_flag:
                return QBrush(RISK_COLOR_DARK if _dark() else RISK_COLOR)
            if entry.status in ENDED or entry.archived:
                return QBrush(ENDED_COLOR_DARK if _dark() else ENDED_COLOR)
        if role == SORT_ROLE:
            return entry.sort_key(key)
        if role == ENTRY_ROLE:
            return entry
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class RosterFilter(QSortFilterProxyModel):
    """Shows the chosen statuses whose full or preferred name contains the filter text."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._statuses: frozenset[str] = DEFAULT_STATUSES
        self._needle = ""
        self.setSortRole(SORT_ROLE)

    @property
    def statuses(self) -> frozenset[str]:
        return self._statuses

    def set_statuses(self, statuses: Iterable[str]) -> None:
        self.beginFilterChange()
        self._statuses = frozenset(statuses)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_name_filter(self, text: str) -> None:
        self.beginFilterChange()
        self._needle = fold(text.strip())
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        model = self.sourceModel()
        if not isinstance(model, RosterModel) or source_row >= model.rowCount():
            return False
        entry = model.entry(source_row)
        if entry.status not in self._statuses:
            return False
        if not self._needle:
            return True
        r = entry.row
        return self._needle in fold(r.full_name) or self._needle in fold(r.preferred_name)

    def lessThan(
        self, left: QModelIndex | QPersistentModelIndex,
        right: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        lk, rk = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if lk[0] != rk[0]:  # one value is missing: it goes last in either order
            descending = self.sortOrder() == Qt.SortOrder.DescendingOrder
            return bool(lk[0]) if descending else not lk[0]
        return bool(lk < rk)

    def entry_at(self, index: QModelIndex) -> RosterEntry | None:
        if not index.isValid():
            return None
        value = self.mapToSource(index).data(ENTRY_ROLE)
        return value if isinstance(value, RosterEntry) else None
