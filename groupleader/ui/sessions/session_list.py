"""The group's sessions: a table model of snapshots, and the panel around it.

Newest first, since the leader mostly works on the latest session. Each row shows the
number ("12", or "4 of 12 · cycle 2"), the local date, held/cancelled, how many
attended, and the state of the notes; a draft left unsigned longer than the setting
`unsigned_draft_warning_days` after the session is flagged.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QDateTime,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTime,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QBrush, QFontMetrics, QKeySequence, QResizeEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from groupleader.data.operations import meetings as ops_meetings
from groupleader.data.operations import query
from groupleader.data.operations.base import Done
from groupleader.data.services import meetings
from groupleader.data.snapshots import MeetingOverview, MeetingSnap
from groupleader.data.vault import Vault
from groupleader.errors import GroupLeaderError, InvalidInput
from groupleader.ui.context import AppContext
from groupleader.ui.sessions.autosave import UnsavedText
from groupleader.ui.sessions.commands import (
    CancelSessionCommand,
    DeleteSessionCommand,
    NewSessionCommand,
)
from groupleader.ui.table_model import HeaderTableModel
from groupleader.ui.widgets import error_color

DEFAULT_DRAFT_DAYS = 7
MAX_DRAFT_DAYS = 3650  # what meetings.meeting_overview accepts
STATE_TEXT = {"": "", "draft": "draft", "signed": "signed", "cosigned": "co-signed"}
COLUMNS = ("Session", "Date", "Status", "Attended", "Notes")
LOCKED_TIP = ("This session is signed, so its date, time and status are locked. Correct "
              "them with an amendment: Session > Correct….")


def number_text(m: MeetingSnap) -> str:
    """The Session column: "5/12 · c2" in a cycle (compact, so it never elides), "–" for
    a cancelled session of a course (it keeps no course number), else "5"."""
    if m.number_in_cycle is not None and m.sessions_per_cycle:
        return f"{m.number_in_cycle}/{m.sessions_per_cycle} · c{m.cycle}"
    if m.sessions_per_cycle and m.status == "cancelled":
        return "–"
    return str(m.number)


def number_tooltip(m: MeetingSnap) -> str:
    """The Session column's whole text: "Session 5 of 12, cycle 2 (session 29 in all)"."""
    if m.number_in_cycle is not None and m.sessions_per_cycle:
        return (f"Session {m.number_in_cycle} of {m.sessions_per_cycle}, cycle {m.cycle} "
                f"(session {m.number} in all)")
    if m.sessions_per_cycle and m.status == "cancelled":
        return f"Cancelled: no course number (session {m.number} in all)"
    return f"Session {m.number}"


def date_text(moment: datetime) -> str:
    here = moment.astimezone()
    return f"{here:%a} {here.day} {here:%b %Y %H:%M}"


def list_date_text(moment: datetime) -> str:
    """The list's shorter date: "24 Nov 2026 17:00" (a group meets on one weekday)."""
    here = moment.astimezone()
    return f"{here.day} {here:%b %Y %H:%M}"


def short_date_text(moment: datetime) -> str:
    here = moment.astimezone()
    return f"{here.day} {here:%b %Y}"


SessionRow = MeetingOverview  # one row: the session, its attendance and its notes' state
RowsOf = Callable[[list[MeetingSnap]], list[SessionRow]]  # reads these sessions' rows
BLOCK = 50  # rows whose counts are read together: a list shows 20-40 at a time


def load_rows(
    vault: Vault, group_id: int, draft_days: int, meeting_id: int | None = None
) -> list[SessionRow]:
    """Every session of the group (or only `meeting_id`) with its attendance and note
    state, newest first: one service call, a few queries whatever the number of sessions
    (about 12 ms for 480)."""
    return list(
        reversed(
            query(vault, meetings.meeting_overview, group_id, draft_days, meeting_id=meeting_id)
        )
    )


def load_sessions(vault: Vault, group_id: int) -> list[MeetingSnap]:
    """The group's sessions, newest first, without their counts (see `SessionListModel`)."""
    return list(reversed(query(vault, meetings.list_meetings, group_id)))


def rows_reader(vault: Vault, group_id: int, draft_days: int) -> RowsOf:
    """What reads the counts of some of the group's sessions, for the model."""
    return lambda sessions: query(vault, meetings.overview_of, group_id, draft_days, sessions)


# The roles `SessionListModel.data` answers (as plain ints: the view passes ints).
_ROLES_ANSWERED = frozenset(int(r.value) for r in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.UserRole, Qt.ItemDataRole.AccessibleTextRole))


class SessionListModel(HeaderTableModel):
    """Sessions newest first, each with its attendance and note state.

    Every session of the group is a row (`table_rows`, read at once: number, date,
    status), but the counts of the Attended and Notes columns are read only for the rows
    shown, `BLOCK` rows at a time, when the table first asks for them (`summary`): ten
    years of a weekly group are 520 rows, of which 30 are on screen. A block is never
    read while another thread holds the vault (a backup): its cells stay empty for now
    and are asked for again shortly, so scrolling never waits for the backup.
    """

    HEADERS = COLUMNS
    RETRY_MS = 200

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table_rows: list[MeetingSnap] = []
        self._rows: dict[int, SessionRow] = {}  # by meeting id: the counts read so far
        self._rows_of: RowsOf | None = None
        self._busy: Callable[[], bool] = lambda: False
        self._failed = False  # a block could not be read: its cells stay empty
        self.generation = 0  # counts the changes of `table_rows` (see SessionTable)
        self.short_dates = False  # the Date column is too narrow for the time
        self.short_flags = False  # the Notes column is too narrow for the flag's days
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(self.RETRY_MS)
        self._retry.timeout.connect(self._ask_again)

    def set_short_dates(self, short: bool) -> None:
        """ "24 Nov 2026" instead of "24 Nov 2026 17:00" (the time is in the tooltip and
        the page title): better than "24 Nov 2026 1…" when the list is narrow."""
        if short != self.short_dates:
            self.short_dates = short
            if self.table_rows:
                self.dataChanged.emit(self.index(0, 1), self.index(len(self.table_rows) - 1, 1))

    def set_short_flags(self, short: bool) -> None:
        """ "⚑ draft" instead of "⚑ draft · 14 days" (the days are in the tooltip): better
        than "⚑ draft ·…" when the list is narrow."""
        if short != self.short_flags:
            self.short_flags = short
            if self.table_rows:
                self.dataChanged.emit(self.index(0, 4), self.index(len(self.table_rows) - 1, 4))

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        # A view asks each cell for about ten roles at every paint; most have no answer
        # here, and this is answered before any row or enum is looked at.
        if role not in _ROLES_ANSWERED or not index.isValid():
            return None
        col = index.column()
        m = self.table_rows[index.row()]
        row = self.readable(index.row()) if col >= 3 else None
        if col >= 3 and row is None:
            return None  # not read yet (or not readable now): an empty cell
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return number_text(m)
            if col == 1:
                return (
                    short_date_text(m.starts_at)
                    if self.short_dates
                    else list_date_text(m.starts_at)
                )
            if col == 2:
                return m.status
            if col == 3 and row is not None:
                return f"{row.attended} of {row.recorded}" if row.recorded else ""
            if col == 4 and row is not None:
                text = STATE_TEXT[row.notes]
                if row.flagged:
                    return f"⚑ {text}" if self.short_flags else \
                        f"⚑ {text} · {row.unsigned_days} days"
                return text
        if role == Qt.ItemDataRole.ToolTipRole and col == 0:
            return number_tooltip(m)
        if role == Qt.ItemDataRole.ToolTipRole and col == 1:
            return date_text(m.starts_at)
        if role == Qt.ItemDataRole.ToolTipRole and col == 4 and row is not None and row.flagged:
            return (
                f"A note of this session is still an unsigned draft {row.unsigned_days} "
                "days after it, longer than the limit set in Settings."
            )
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == 4 and row is not None and row.flagged:
                return QBrush(error_color(self.parent()))  # type: ignore[arg-type]
            if m.status == "cancelled":
                return QBrush(Qt.GlobalColor.gray)
        if role == Qt.ItemDataRole.UserRole:
            return m.id
        if role == Qt.ItemDataRole.AccessibleTextRole and col == 0:
            return m.label
        return None

    # ------------------------------------------------------------ rows
    def set_sessions(self, sessions: list[MeetingSnap], rows_of: RowsOf | None) -> None:
        """Every session of the group, newest first; `rows_of` reads their counts."""
        self.beginResetModel()
        self.generation += 1
        self.table_rows = list(sessions)
        self._rows = {}
        self._rows_of = rows_of
        self._failed = False
        self._retry.stop()
        self.endResetModel()

    def set_busy_check(self, busy: Callable[[], bool]) -> None:
        """Whether another thread holds the vault now (`Vault.busy_elsewhere`)."""
        self._busy = busy

    def readable(self, i: int) -> SessionRow | None:
        """Row `i` read with its block if it can be now (not while another thread holds
        the vault: asked again shortly), else None."""
        row = self._rows.get(self.table_rows[i].id)
        if row is not None or self._rows_of is None or self._failed:
            return row
        if self._busy():
            self._retry.start()
            return None
        try:
            self._read_block(i)
        except GroupLeaderError:
            self._failed = True  # shown empty; the list's next load reads it again
            return None
        return self._rows.get(self.table_rows[i].id)

    def _read_block(self, i: int) -> None:
        assert self._rows_of is not None
        start = i - i % BLOCK
        wanted = [m for m in self.table_rows[start:start + BLOCK] if m.id not in self._rows]
        for row in self._rows_of(wanted):
            self._rows[row.meeting.id] = row

    def _ask_again(self) -> None:
        """The vault was busy at a paint: the empty cells are asked for again."""
        if self.table_rows:
            self.dataChanged.emit(self.index(0, 3), self.index(len(self.table_rows) - 1, 4))

    def summary(self, i: int) -> SessionRow:
        """Row `i`: the session with its attendance and note state (read if need be)."""
        m = self.table_rows[i]
        row = self._rows.get(m.id)
        if row is None:
            self._read_block(i)
            row = self._rows[m.id]
        return row

    def sessions(self) -> list[MeetingSnap]:
        return list(self.table_rows)

    def row_of(self, meeting_id: int) -> int:
        for i, m in enumerate(self.table_rows):
            if m.id == meeting_id:
                return i
        return -1

    def known_row(self, meeting_id: int) -> SessionRow | None:
        """The counts of this session as read so far, if they were."""
        return self._rows.get(meeting_id)

    def replace_row(self, row: SessionRow) -> None:
        i = self.row_of(row.meeting.id)
        if i >= 0:
            self.generation += 1
            self.table_rows[i] = row.meeting
            self._rows[row.meeting.id] = row
            self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))

    def meeting(self, row: int) -> MeetingSnap | None:
        return self.table_rows[row] if 0 <= row < len(self.table_rows) else None


# ---------------------------------------------------------------- the table

# (widest usual text, shortest useful text) per column. In a narrow list the columns
# give up width in SHRINK_ORDER (the least needed first), down to the short text, and
# elide beyond it; there is no horizontal scrolling.
COLUMN_TEXTS = (
    ("12/12 · c2", "12/12 · c2"),  # compact: never cut (the whole text is the tooltip)
    ("30 Sep 2026 17:00", "30 Sep 2026"),
    ("scheduled", "scheduled"),  # "sch…" tells nothing: a status is never cut
    ("10 of 10", "10 of 10"),
    ("⚑ draft · 14 days", "⚑ draft"),
)
# The date gives up its time first (it is in the tooltip and the title), then the flag
# its days; no column goes below its header or its short text.
SHRINK_ORDER = (1, 4, 3, 2, 0)
PAD = 12  # a cell's margins around its text


def column_widths(metrics: QFontMetrics, numbers: list[str] | None = None,
                  head: list[int] | None = None) -> tuple[list[int], list[int], list[int]]:
    """(natural, minimum, least) width of each column: its widest usual text or its
    header; its shortest useful text or its header, whichever is wider; and its shortest
    useful text alone (a header may be cut only when even the minimum does not fit). The
    Session column measures the `numbers` shown (an open group's "12" is narrow); `head`
    is what each header needs (the header view says, margins included)."""
    texts = list(COLUMN_TEXTS)
    if numbers:
        widest = max(numbers, key=metrics.horizontalAdvance)
        texts[0] = (widest, widest)
    head = head or [metrics.horizontalAdvance(h) + PAD for h in COLUMNS]
    natural = [max(metrics.horizontalAdvance(wide) + PAD, h)
               for (wide, _), h in zip(texts, head, strict=True)]
    least = [metrics.horizontalAdvance(short) + PAD for _, short in texts]
    minimum = [max(s, h) for s, h in zip(least, head, strict=True)]
    return natural, minimum, least


def fit_widths(
    natural: list[int], minimum: list[int], available: int, order: tuple[int, ...] = SHRINK_ORDER,
    least: list[int] | None = None,
) -> list[int]:
    """Column widths for `available` pixels: the natural widths when they fit (the last
    column takes the rest), else columns shrink one by one in `order`, none below its
    minimum; if even that is too wide, down to `least`, and then all alike, so every
    column stays on screen (there is no scrolling sideways)."""
    widths = list(natural)
    excess = sum(widths) - available
    if excess <= 0:
        widths[-1] -= excess
        return widths
    for floor in (minimum, least or minimum):
        for i in order:
            cut = max(0, min(excess, widths[i] - floor[i]))
            widths[i] -= cut
            excess -= cut
    if excess > 0:  # still too wide: every column gives up its share
        total = sum(widths)
        widths = [max(1, w - excess * w // total) for w in widths]
    return widths


class SessionTable(QTableView):
    """The sessions table: its columns fit the width it gets (see `fit_widths`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setStretchLastSection(False)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._widest: tuple[tuple[int, str], list[str]] | None = None

    def setModel(self, model: QAbstractTableModel) -> None:  # type: ignore[override]
        super().setModel(model)
        self.fit_columns()

    def _widths(self) -> tuple[list[int], list[int], list[int]]:
        model = self.model()
        numbers = self._widest_number(model) if isinstance(model, SessionListModel) else None
        header = self.horizontalHeader()
        head = [header.sectionSizeFromContents(i).width() for i in range(len(COLUMNS))]
        return column_widths(self.fontMetrics(), numbers, head)

    def _widest_number(self, model: SessionListModel) -> list[str]:
        """The Session column's widest text, measured once for each list and font (the
        columns are fitted at every resize, and ten years are 520 numbers)."""
        key = (model.generation, self.font().key())
        if self._widest is None or self._widest[0] != key:
            metrics = self.fontMetrics()
            texts = [number_text(m) for m in model.table_rows]
            self._widest = (key, [max(texts, key=metrics.horizontalAdvance)] if texts else [])
        return self._widest[1]

    def natural_width(self, minimum: bool = False) -> int:
        """The table's width with every column at its natural (or minimum) width."""
        natural, least, _ = self._widths()
        bar = self.verticalScrollBar()
        frame = 2 * self.frameWidth() + (bar.sizeHint().width() if self._needs_bar() else 0)
        return sum(least if minimum else natural) + frame

    def _needs_bar(self) -> bool:
        """Whether the rows need the vertical scroll bar (shown or about to be): its width
        is reserved, or the last column would be pushed past the edge when it appears."""
        model = self.model()
        if self.verticalScrollBar().isVisible() or model is None:
            return self.verticalScrollBar().isVisible()
        rows = model.rowCount() * self.verticalHeader().defaultSectionSize()
        return rows > self.viewport().height()

    def fit_columns(self) -> None:
        natural, minimum, least = self._widths()
        widths = fit_widths(natural, minimum, self.viewport().width(), least=least)
        for i, width in enumerate(widths):
            self.setColumnWidth(i, width)
        model = self.model()
        if isinstance(model, SessionListModel):  # a squeezed Date column drops the time
            model.set_short_dates(widths[1] < natural[1])
            model.set_short_flags(widths[4] < natural[4])  # and the flag its days

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def viewportEvent(self, event: QEvent) -> bool:
        # the viewport narrows when the scroll bar appears (the table itself keeps its
        # size): fit the columns again, or the last one is cut and scrolls sideways
        if event.type() == QEvent.Type.Resize:
            self.fit_columns()
        return super().viewportEvent(event)


# ---------------------------------------------------------------- questions (patchable)


class DateTimeDialog(QDialog):
    def __init__(self, parent: QWidget | None, title: str, when: datetime) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        form = QFormLayout(self)
        local = when.astimezone()
        self.edit = QDateTimeEdit(
            QDateTime(
                QDate(local.year, local.month, local.day),
                QTime(local.hour, local.minute, local.second, local.microsecond // 1000),
            ),
            self,
        )
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("ddd d MMM yyyy  HH:mm")
        self.edit.setAccessibleName("Date and time")
        form.addRow("&Date and time:", self.edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def value(self) -> datetime:
        value = self.edit.dateTime().toPython()
        assert isinstance(value, datetime)  # QDateTime.toPython always gives a datetime
        return value.astimezone()


def ask_datetime(parent: QWidget, title: str, when: datetime) -> datetime | None:
    dialog = DateTimeDialog(parent, title, when)
    return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_yes(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes


def ask_cancel_instead(parent: QWidget, text: str) -> bool:
    """A session that cannot be deleted: offer to cancel it ("Cancel session" / "Keep
    it")."""
    box = QMessageBox(QMessageBox.Icon.Question, "Delete session", text,
                      QMessageBox.StandardButton.NoButton, parent)
    cancel = box.addButton("Cancel session", QMessageBox.ButtonRole.AcceptRole)
    keep = box.addButton("Keep it", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.exec()
    return box.clickedButton() is cancel


# ---------------------------------------------------------------- the panel


class SessionListPanel(QWidget):
    """The table of sessions with New session, Reschedule and Cancel."""

    meeting_chosen = Signal(object)  # int | None
    error = Signal(str)
    correct_requested = Signal()  # Reschedule on a signed session: correct it instead

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.source: object = self  # announced as the source of its changes
        self.group_id: int | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        self.new_button = QPushButton("Ne&w session", self)  # Alt+N: the sidebar's "New group"
        self.new_button.setAccessibleName("New session")
        self.new_button.setToolTip("Schedule the next session at the group's regular time (Alt+W)")
        self.new_button.clicked.connect(self.new_session)
        self.reschedule_button = QPushButton("Reschedule…", self)
        self.reschedule_button.setAccessibleName("Reschedule the session")
        self.reschedule_button.clicked.connect(self.reschedule)
        self.cancel_button = QPushButton("Cancel…", self)
        self.cancel_button.setAccessibleName("Cancel the session")
        self.cancel_button.clicked.connect(self.cancel)
        self.delete_button = QPushButton("Delete", self)
        self.delete_button.setAccessibleName("Delete the session (only an empty one)")
        self.delete_button.setToolTip(
            "Delete a session made by mistake (no attendance, seating or notes); Ctrl+Z "
            "brings it back")
        self.delete_button.clicked.connect(self.delete)
        for b in (self.new_button, self.reschedule_button, self.cancel_button,
                  self.delete_button):
            # narrower than the style's 80-pixel buttons, so the list fits a laptop
            b.setMinimumWidth(b.fontMetrics().horizontalAdvance(b.text()) + 20)
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.model = SessionListModel(self)
        self.table = SessionTable(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Sessions")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.model.dataChanged.connect(self._update_buttons)  # a row's state read late
        layout.addWidget(self.table, 1)
        delete_key = QAction("Delete the session", self.table)
        delete_key.setShortcuts([QKeySequence(QKeySequence.StandardKey.Delete)])
        delete_key.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete_key.triggered.connect(self.delete)
        self.table.addAction(delete_key)
        self._quiet = False
        # New session, Delete and Cancel are undoable (the view's `undo_stack()`).
        self.undo_stack = QUndoStack(self)
        # Saves what is typed before the list changes under it (the view sets it).
        self.before_change: Callable[[], bool] = lambda: True
        self._last_new = -1.0  # monotonic time of the last New session
        self._busy = False  # an action is running (a dialog of it may be open)
        self._update_buttons()

    def draft_days(self) -> int:
        days = getattr(self.ctx.settings, "unsigned_draft_warning_days", DEFAULT_DRAFT_DAYS)
        if not isinstance(days, int) or days < 0:
            return DEFAULT_DRAFT_DAYS
        return min(days, MAX_DRAFT_DAYS)  # a hand-edited settings file cannot empty the list

    # ------------------------------------------------------------ loading
    def load(self, group_id: int | None) -> None:
        self.group_id = group_id
        sessions: list[MeetingSnap] = []
        rows_of: RowsOf | None = None
        if group_id is not None:
            try:
                vault = self.ctx.require_vault()
                sessions = load_sessions(vault, group_id)
                rows_of = rows_reader(vault, group_id, self.draft_days())
                self.model.set_busy_check(vault.busy_elsewhere)
            except GroupLeaderError as err:
                self.error.emit(err.message)
        self._quiet = True
        self.model.set_sessions(sessions, rows_of)
        self._quiet = False
        self.table.fit_columns()  # the Session column measures the numbers shown
        self._update_buttons()

    def refresh_row(self, meeting_id: int) -> None:
        i = self.model.row_of(meeting_id)
        if i < 0:
            return
        assert self.group_id is not None  # a row is shown, so a group is
        try:
            fresh = load_rows(
                self.ctx.require_vault(), self.group_id, self.draft_days(), meeting_id
            )
        except GroupLeaderError:
            return
        if fresh and fresh[0] != self.model.known_row(meeting_id):
            self.model.replace_row(fresh[0])
        self._update_buttons()

    def select(self, meeting_id: int | None, quiet: bool = True) -> bool:
        """Make this session current in the table (quiet: without announcing it)."""
        row = -1 if meeting_id is None else self.model.row_of(meeting_id)
        self._quiet = quiet
        try:
            if row < 0:
                self.table.selectionModel().clearCurrentIndex()
                self.table.clearSelection()
            else:
                index = self.model.index(row, 0)
                self.table.setCurrentIndex(index)
                self.table.scrollTo(index)
        finally:
            self._quiet = False
        self._update_buttons()
        return row >= 0

    def default_meeting(self) -> int | None:
        """The session to open first: the latest that has started (or is within 12 h)."""
        soon = datetime.now().astimezone() + timedelta(hours=12)
        sessions = self.model.table_rows
        for m in sessions:
            if m.starts_at <= soon and m.status != "cancelled":
                return m.id
        return sessions[-1].id if sessions else None

    def current_meeting(self) -> MeetingSnap | None:
        return self.model.meeting(self.table.currentIndex().row())

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_buttons()
        if not self._quiet:
            m = self.model.meeting(current.row())
            self.meeting_chosen.emit(m.id if m else None)

    def current_locked(self) -> bool:
        """The current session's group note is signed: its date and status are locked
        (and, until its state can be read, the buttons that would change them are off)."""
        i = self.table.currentIndex().row()
        if not 0 <= i < self.model.rowCount():
            return False
        row = self.model.readable(i)  # None while it cannot be read: locked till it is
        return row is None or row.group_note in ("signed", "cosigned")

    def _update_buttons(self) -> None:
        m = self.current_meeting()
        locked = self.current_locked()
        self.new_button.setEnabled(self.group_id is not None)
        self.reschedule_button.setEnabled(m is not None and m.status != "cancelled"
                                          and not locked)
        self.cancel_button.setEnabled(m is not None and m.status == "scheduled" and not locked)
        self.delete_button.setEnabled(m is not None and not locked)
        why = LOCKED_TIP if locked else ""
        self.reschedule_button.setToolTip(why)
        self.cancel_button.setToolTip(why)
        self.delete_button.setToolTip(why)

    # ------------------------------------------------------------ undo host
    def run(self, action: Callable[[Vault], Done[Any]]) -> Any:
        if not self.before_change():
            raise UnsavedText("Your text in this session could not be saved yet.")
        return self.ctx.run(action, self.source)

    def show_error(self, message: str) -> None:
        self.error.emit(message)

    def after_undo_step(self, meeting_id: int | None) -> None:
        """After an undo or redo: the list read again, with `meeting_id` shown."""
        self.load(self.group_id)
        shown = meeting_id if self.model.row_of(meeting_id or -1) >= 0 else \
            self.default_meeting()
        self.select(shown, quiet=False)
        if shown is None:
            self.meeting_chosen.emit(None)

    def clear_undo(self) -> None:
        self.undo_stack.clear()

    # ------------------------------------------------------------ actions
    def new_session(self) -> int | None:
        """Schedule the next session: one per action, however fast the clicks (a second
        click within the double-click interval, or while the first is still running,
        does nothing); undoable."""
        if self.group_id is None or self._busy:
            return None
        now = time.monotonic()
        if now - self._last_new < QApplication.doubleClickInterval() / 1000:
            return None
        self._last_new = now
        self._busy = True
        try:
            return self._new_session(self.group_id)
        finally:
            self._busy = False
            self._last_new = time.monotonic()

    def _new_session(self, group_id: int) -> int | None:
        previous = self.current_meeting()
        try:
            try:
                m = self.ctx.run(lambda v: ops_meetings.schedule_meeting(v, group_id),
                                 self.source)
            except InvalidInput as err:
                if err.field != "starts_at":
                    raise
                when = ask_datetime(
                    self,
                    "New session",
                    datetime.now().astimezone().replace(second=0, microsecond=0),
                )
                if when is None:
                    return None
                at = when
                m = self.ctx.run(lambda v: ops_meetings.schedule_meeting(v, group_id, at),
                                 self.source)
        except GroupLeaderError as err:
            self.error.emit(err.message)
            return None
        self.undo_stack.push(NewSessionCommand(self, m.id, m.label,
                                               previous.id if previous else None))
        self.load(self.group_id)
        self.select(m.id, quiet=False)
        return m.id

    def delete(self) -> bool:
        """Delete the chosen session if it is empty (undoable); else say why, and offer
        to cancel it when that is still possible."""
        m = self.current_meeting()
        if m is None or self._busy:
            return False
        try:
            if not self.before_change():
                return False
            held = query(self.ctx.require_vault(), meetings.why_not_empty, m.id)
            if held is not None:
                return self._cannot_delete(m, held)
            row = self.model.row_of(m.id)
            after = self.model.meeting(row + 1) or self.model.meeting(row - 1)
            gone = self.ctx.run(lambda v: ops_meetings.delete_meeting(v, m.id), self.source)
        except GroupLeaderError as err:
            self.error.emit(err.message)
            return False
        self.undo_stack.push(DeleteSessionCommand(self, gone, m.label,
                                                  after.id if after else None))
        self.after_undo_step(after.id if after else None)
        return True

    def _cannot_delete(self, m: MeetingSnap, held: str) -> bool:
        reason = f"{m.label} has {held} recorded, so it cannot be deleted."
        if m.status != "scheduled" or "attendance" in held or "notes" in held:
            self.error.emit(reason + " Its records stay; a session that took place is "
                            "kept, and its notes can be corrected with an addendum.")
            return False
        if ask_cancel_instead(self, reason + " Cancel it instead? It stays in the list as "
                              "cancelled, with no course number."):
            return self._cancel(m)
        return False

    def reschedule(self) -> bool:
        m = self.current_meeting()
        if m is None:
            return False
        if self.current_locked():  # signed: the time is corrected by an amendment
            self.correct_requested.emit()
            return False
        when = ask_datetime(self, f"Reschedule {m.label.lower()}", m.starts_at)
        if when is None:
            return False
        try:
            self.ctx.run(lambda v: ops_meetings.reschedule_meeting(v, m.id, when), self.source)
        except GroupLeaderError as err:
            self.error.emit(err.message)
            return False
        self.refresh_row(m.id)
        self.meeting_chosen.emit(m.id)  # the pages (and their title) read it again now
        return True

    def cancel(self) -> bool:
        m = self.current_meeting()
        if m is None:
            return False
        if not ask_yes(
            self,
            "Cancel session",
            f"Cancel {m.label.lower()} on {date_text(m.starts_at)}? It stays in the list "
            "as cancelled; in a course it keeps no course number (the sessions after it "
            "move up one). A session made by mistake can be deleted instead.",
        ):
            return False
        return self._cancel(m)

    def _cancel(self, m: MeetingSnap) -> bool:
        try:
            self.ctx.run(lambda v: ops_meetings.cancel_meeting(v, m.id), self.source)
        except GroupLeaderError as err:
            self.error.emit(err.message)
            return False
        self.undo_stack.push(CancelSessionCommand(self, m.id, m.label))
        self.refresh_row(m.id)
        self.meeting_chosen.emit(m.id)  # the pages show it as cancelled
        return True
