"""The "Risk & incidents" panel of a group: its risk register (open entries first,
overdue marked) and its boundary incidents, with review, close, follow-up and the
agreement's rules a click away. Reached from the roster and from the session view
(Session > Risk & incidents…, Ctrl+Shift+R).

Opened from a session, reviews and incidents are recorded in that session (while it is
unsigned); opened from the roster, a review is dated but belongs to no session, and a new
incident goes to the group's latest session held.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from groupleader import register_vocab
from groupleader.data import clock
from groupleader.data.operations import query
from groupleader.data.operations import register as ops
from groupleader.data.register_snapshots import IncidentSnap, RiskEntrySnap
from groupleader.data.services import agreement, meetings, members, risk
from groupleader.errors import GroupLeaderError
from groupleader.ui.context import AppContext
from groupleader.ui.privacy import screen_safe
from groupleader.ui.register.dialogs import (
    FollowUpDialog,
    IncidentDialog,
    ReviewDialog,
    RiskEntryDialog,
)
from groupleader.ui.table_model import HeaderTableModel, Index
from groupleader.ui.widgets import error_color, heading_font

SHORTCUT = "Ctrl+Shift+R"


def run_dialog(dialog: QDialog) -> int:
    """Show a modal dialog (tests replace this)."""
    return dialog.exec()


def kind_label(kind: str) -> str:
    return register_vocab.KIND_LABELS.get(kind, kind)


class _Table(HeaderTableModel):
    """Rows of snapshots, each column a function of one; `alert` marks a row red."""

    def __init__(self, headers: Sequence[str], cells: Sequence[Callable[[Any], str]],
                 alert: Callable[[Any], bool], parent: QWidget) -> None:
        super().__init__(parent)
        self.HEADERS = tuple(headers)
        self._cells = list(cells)
        self._alert = alert
        self.table_rows: list[Any] = []
        self._red = QBrush(error_color(parent))

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.table_rows = list(rows)
        self.endResetModel()

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.table_rows):
            return None
        row = self.table_rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
                    Qt.ItemDataRole.ToolTipRole):
            return self._cells[index.column()](row)
        if role == Qt.ItemDataRole.ForegroundRole and self._alert(row):
            return self._red
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def _view(model: _Table, name: str, parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.verticalHeader().hide()
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    header = view.horizontalHeader()  # each column its text's width; the last the rest
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return view


class RegisterPanel(QDialog):
    """The group's risk register and incidents; `meeting_id`: the session it was opened
    from (None: from the roster)."""

    def __init__(self, ctx: AppContext, group_id: int, meeting_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.group_id, self.meeting_id = ctx, group_id, meeting_id
        self.setWindowTitle("Risk & incidents")
        self.setObjectName("register-panel")
        self.today = clock.now().astimezone().date()
        self.names: dict[int, str] = {}
        self.entries: list[RiskEntrySnap] = []
        self.incidents: list[IncidentSnap] = []
        layout = QVBoxLayout(self)
        split = QSplitter(Qt.Orientation.Vertical, self)
        layout.addWidget(split, 1)
        top = QWidget(split)
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        title = QLabel("Risk register", top)
        title.setFont(heading_font(self.font(), 1.1))
        head.addWidget(title)
        self.counts = QLabel(top)
        head.addWidget(self.counts, 1)
        self.show_closed = QCheckBox("Show &closed", top)
        self.show_closed.toggled.connect(self._fill_entries)
        head.addWidget(self.show_closed)
        tl.addLayout(head)
        self.risk_model = _Table(
            ("Member", "Kind", "Level", "Opened", "Status"),
            (lambda e: self.name(e.member_id, e.member_name), lambda e: kind_label(e.kind),
             lambda e: register_vocab.LEVEL_LABELS.get(e.current_level, e.current_level),
             lambda e: f"session {e.meeting_number}", self.status_text),
            lambda e: e.overdue(self.today), top)
        self.risk_view = _view(self.risk_model, "Risk entries", top)
        self.risk_view.selectionModel().selectionChanged.connect(self._on_entry)
        tl.addWidget(self.risk_view, 1)
        self.detail = QLabel(top)
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        tl.addWidget(self.detail)
        rb = QHBoxLayout()
        self.review_button = QPushButton("&Review…", top)
        self.review_button.clicked.connect(lambda: self.review(closing=False))
        self.close_button = QPushButton("Close &entry…", top)
        self.close_button.setToolTip("Close the entry with a dated closing note")
        self.close_button.clicked.connect(lambda: self.review(closing=True))
        self.edit_entry_button = QPushButton("E&dit…", top)
        self.edit_entry_button.setToolTip("Correct the entry while its session is unsigned")
        self.edit_entry_button.clicked.connect(self.edit_entry)
        for b in (self.review_button, self.close_button, self.edit_entry_button):
            rb.addWidget(b)
        rb.addStretch(1)
        tl.addLayout(rb)
        split.addWidget(top)
        bottom = QWidget(split)
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        title = QLabel("Boundary incidents", bottom)
        title.setFont(heading_font(self.font(), 1.1))
        bl.addWidget(title)
        self.incident_model = _Table(
            ("Session", "Follow-up", "Members", "Rule"),
            (lambda i: f"{i.meeting_number} · {i.meeting_starts_at.astimezone():%d %b}",
             lambda i: register_vocab.FOLLOW_UP_LABELS.get(i.current_status,
                                                           i.current_status),
             lambda i: ", ".join(self.name(m, n) for m, n in zip(
                 i.member_ids, i.member_names, strict=True)),
             lambda i: i.rule_title or "(no rule)"),
            lambda i: i.current_status == "open", bottom)
        self.incident_view = _view(self.incident_model, "Boundary incidents", bottom)
        self.incident_view.selectionModel().selectionChanged.connect(self._on_incident)
        bl.addWidget(self.incident_view, 1)
        ib = QHBoxLayout()
        self.new_incident_button = QPushButton("&New incident…", bottom)
        self.new_incident_button.clicked.connect(self.new_incident)
        self.follow_button = QPushButton("&Follow up…", bottom)
        self.follow_button.clicked.connect(self.follow_up)
        self.rules_button = QPushButton("&Agreement rules…", bottom)
        self.rules_button.clicked.connect(self.edit_rules)
        self.edit_incident_button = QPushButton("Ed&it…", bottom)
        self.edit_incident_button.setToolTip(
            "Correct the incident while its session is unsigned")
        self.edit_incident_button.clicked.connect(self.edit_incident)
        for b in (self.new_incident_button, self.follow_button, self.edit_incident_button):
            ib.addWidget(b)
        ib.addStretch(1)
        ib.addWidget(self.rules_button)
        bl.addLayout(ib)
        split.addWidget(bottom)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()
        layout.addWidget(self.error)
        done = QPushButton("Done", self)
        done.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(done)
        layout.addLayout(row)
        self.resize(760, 520)
        self.refresh()

    # ------------------------------------------------------------ reading
    def name(self, member_id: int, fallback: str) -> str:
        return self.names.get(member_id, fallback)

    def status_text(self, e: RiskEntrySnap) -> str:
        line = e.line(self.today)
        return f"⚠ {line}" if e.overdue(self.today) else line

    def refresh(self) -> None:
        try:
            vault = self.ctx.require_vault()
            roster = query(vault, members.list_memberships, self.group_id)
            self.entries = query(vault, risk.register, self.group_id, None, self.today)
            self.incidents = query(vault, agreement.group_incidents, self.group_id)
        except GroupLeaderError as err:
            self.say(err.message)
            return
        safe = screen_safe(self.ctx)
        self.roster = [(r.member_id, r.pseudonym if safe and r.pseudonym else r.display_name,
                        r.status) for r in roster]
        self.names = {m: n for m, n, _ in self.roster}
        self._fill_entries()
        self.incident_model.set_rows(self.incidents)
        self._fit(self.incident_view)
        if self.incidents:
            self.incident_view.selectRow(0)
        self._on_incident()

    def _fill_entries(self) -> None:
        shown = [e for e in self.entries if e.is_open or self.show_closed.isChecked()]
        self.risk_model.set_rows(shown)
        opened = [e for e in self.entries if e.is_open]
        late = sum(1 for e in opened if e.overdue(self.today))
        text = f"{len(opened)} open" + (f", {late} overdue" if late else "")
        self.counts.setText(f"  {text}")
        self._fit(self.risk_view)
        if shown:
            self.risk_view.selectRow(0)
        self._on_entry()

    def _fit(self, view: QTableView) -> None:
        view.horizontalHeader().resizeSections(QHeaderView.ResizeMode.ResizeToContents)

    def current_entry(self) -> RiskEntrySnap | None:
        rows = self.risk_view.selectionModel().selectedRows()
        model = self.risk_model
        return model.table_rows[rows[0].row()] if rows else None

    def current_incident(self) -> IncidentSnap | None:
        rows = self.incident_view.selectionModel().selectedRows()
        return self.incident_model.table_rows[rows[0].row()] if rows else None

    def _on_entry(self) -> None:
        e = self.current_entry()
        writable = not self.ctx.read_only
        self.review_button.setEnabled(e is not None and e.is_open and writable)
        self.close_button.setEnabled(e is not None and e.is_open and writable)
        self.edit_entry_button.setEnabled(e is not None and not e.locked and writable)
        if e is None:
            self.detail.setText("No risk entry is open." if not self.entries else "")
            return
        if screen_safe(self.ctx):  # names are pseudonyms; what was said stays hidden
            self.detail.setText("Screen-share safe: what was observed and done is hidden.")
            return
        parts = [f"Observed: {e.observed}"]
        if e.action_taken:
            parts.append(f"Done: {e.action_taken}")
        for r in e.reviews:
            what = "Closed" if r.closes else "Reviewed"
            level = register_vocab.LEVEL_LABELS.get(r.level, r.level).lower()
            parts.append(f"{what} {register_vocab.short_date(r.on_date)} ({level}): {r.note}")
        self.detail.setText("\n".join(parts))

    def _on_incident(self) -> None:
        i = self.current_incident()
        writable = not self.ctx.read_only
        self.follow_button.setEnabled(i is not None and writable)
        self.edit_incident_button.setEnabled(i is not None and not i.locked and writable)
        self.new_incident_button.setEnabled(writable)
        self.rules_button.setEnabled(writable)

    def say(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    # ------------------------------------------------------------ writing
    def _session(self) -> int | None:
        """The session a review or follow-up made now belongs to: the one the panel was
        opened from, while it is unsigned."""
        if self.meeting_id is None:
            return None
        try:
            signed = query(self.ctx.require_vault(), meetings.is_signed, self.meeting_id)
        except GroupLeaderError:
            return None
        return None if signed else self.meeting_id

    def review(self, closing: bool) -> bool:
        e = self.current_entry()
        if e is None:
            return False
        entry_id, session, done = e.id, self._session(), []

        def submit(on: date, level: str, note: str, next_by: date | None) -> None:
            if closing:
                done.append(self.ctx.run(lambda v: ops.close_risk_entry(
                    v, entry_id, on, note, session), self))
            else:
                done.append(self.ctx.run(lambda v: ops.review_risk_entry(
                    v, entry_id, on, level, note, next_by, session), self))

        run_dialog(ReviewDialog(submit, e, self.today, closing=closing, parent=self))
        if done:
            self.refresh()
        return bool(done)

    def _incident_session(self) -> tuple[int | None, str]:
        """The session a new incident goes to, or None and why not."""
        if self.meeting_id is not None:
            if self._session() is None:  # opened from a signed session
                return None, ("This session is signed, so no incident can be added to it. "
                              "Record it in the session where it is worked with.")
            return self.meeting_id, ""
        try:
            sessions = query(self.ctx.require_vault(), meetings.list_meetings, self.group_id)
        except GroupLeaderError as err:
            return None, err.message
        held = [m for m in sessions if m.status == "held"
                and m.starts_at.astimezone().date() <= self.today]
        if not held:
            return None, "An incident is recorded in a session: hold one first."
        return held[-1].id, ""

    def new_incident(self, member_ids: Sequence[int] = ()) -> bool:
        meeting_id, why = self._incident_session()
        if meeting_id is None:
            self.say(why)
            return False
        try:
            rules = query(self.ctx.require_vault(), agreement.list_rules, self.group_id)
        except GroupLeaderError as err:
            self.say(err.message)
            return False
        done: list[IncidentSnap] = []
        people = [(m, n) for m, n, status in self.roster
                  if status == "active" or m in member_ids]
        dialog = IncidentDialog(lambda spec: done.append(self.ctx.run(
            lambda v: ops.record_incident(v, meeting_id, spec), self)), rules, people,
            parent=self)
        dialog.check(member_ids)
        run_dialog(dialog)
        if done:
            self.refresh()
        return bool(done)

    def edit_entry(self) -> bool:
        """Correct an entry (its session unsigned); afterwards, only reviews."""
        e = self.current_entry()
        if e is None or e.locked:
            return False
        entry_id, done = e.id, []
        dialog = RiskEntryDialog(lambda spec: done.append(self.ctx.run(
            lambda v: ops.update_risk_entry(v, entry_id, spec), self)),
            self.name(e.member_id, e.member_name), e.opened_on, e, parent=self)
        run_dialog(dialog)
        if done:
            self.refresh()
        return bool(done)

    def edit_incident(self) -> bool:
        i = self.current_incident()
        if i is None or i.locked:
            return False
        try:
            rules = query(self.ctx.require_vault(), agreement.list_rules, self.group_id)
        except GroupLeaderError as err:
            self.say(err.message)
            return False
        incident_id, done = i.id, []
        people = [(m, n) for m, n, status in self.roster
                  if status == "active" or m in i.member_ids]
        dialog = IncidentDialog(lambda spec: done.append(self.ctx.run(
            lambda v: ops.update_incident(v, incident_id, spec), self)), rules, people, i,
            parent=self)
        run_dialog(dialog)
        if done:
            self.refresh()
        return bool(done)

    def follow_up(self) -> bool:
        i = self.current_incident()
        if i is None:
            return False
        incident_id, session, done = i.id, self._session(), []

        def submit(on: date, status: str, note: str) -> None:
            done.append(self.ctx.run(lambda v: ops.follow_up_incident(
                v, incident_id, on, status, note, session), self))

        run_dialog(FollowUpDialog(submit, i, self.today, parent=self))
        if done:
            self.refresh()
        return bool(done)

    def edit_rules(self) -> bool:
        from groupleader.ui.register.rules_editor import edit_rules

        return edit_rules(self.ctx, self.group_id, self)


def open_panel(ctx: AppContext, group_id: int | None, meeting_id: int | None,
               parent: QWidget | None) -> RegisterPanel | None:
    """Show the group's panel (modal: it holds clinical text, and a lock closes it)."""
    if group_id is None or ctx.vault is None:
        return None
    panel = RegisterPanel(ctx, group_id, meeting_id, parent)
    run_dialog(panel)
    return panel
