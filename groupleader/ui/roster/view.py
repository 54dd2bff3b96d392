"""The roster view: the group's size line, the filterable table, the lifecycle actions and
the member detail pane. Layout lives here; the work is in the services, `commands.py`
(undoable edits) and the dialogs."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelection, QModelIndex, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence, QPalette, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyleOptionHeader,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from groupleader.data import clock
from groupleader.data.operations import Changes, query
from groupleader.data.operations import roster as ops_roster
from groupleader.data.services import agreement, groups, members, risk
from groupleader.data.snapshots import GroupSize, MemberSpec
from groupleader.data.vault import Vault
from groupleader.errors import GroupLeaderError
from groupleader.ui import file_dialogs
from groupleader.ui.context import AppContext
from groupleader.ui.elided import ElidedLabel
from groupleader.ui.privacy import screen_safe
from groupleader.ui.refresh import Follower
from groupleader.ui.register.history import register_text
from groupleader.ui.roster import commands
from groupleader.ui.roster.detail import MemberDetail
from groupleader.ui.roster.import_dialog import ImportDialog
from groupleader.ui.roster.member_dialog import MemberDialog
from groupleader.ui.roster.model import (
    COLUMN,
    DEFAULT_STATUSES,
    ENDED,
    STATUS_LABELS,
    RosterEntry,
    RosterFilter,
    RosterModel,
    make_entries,
)
from groupleader.ui.roster.status_dialog import StatusDialog
from groupleader.ui.widgets import error_color

FILTER_STYLE = ("QToolButton { padding: 2px 8px; border: 1px solid #b0b0b0; border-radius: 10px; }"
                " QToolButton:checked { background: #d7e6fb; border: 1px solid #3b6fb6;"
                " color: #0b2d5c; font-weight: bold; }")
WARNING_STYLE = ("QFrame#sizeWarning { background: #fff4d6; border: 1px solid #e0b040;"
                 " border-radius: 4px; } QFrame#sizeWarning QLabel { color: #5c3c00; }")


def size_line(size: GroupSize) -> str:
    """"7 active · target 7 · max 10 · 2 waiting"."""
    return (f"{size.active} active · target {size.target} · max {size.maximum}"
            f" · {size.waiting} waiting")


def size_warning(size: GroupSize) -> str:
    if size.active > size.maximum:
        return (f"⚠ {size.active - size.maximum} above the group's maximum of {size.maximum}. "
                "Move someone to the waitlist or raise the maximum.")
    if size.active < size.minimum:
        tail = (f" {size.waiting} waiting could be admitted." if size.waiting
                else " Nobody is waiting: consider new referrals.")
        return f"⚠ Below the minimum viable size of {size.minimum}.{tail}"
    return ""


DETAIL_MIN = 200  # the detail pane's narrowest (it may also be dragged shut)


class RosterHeader(QHeaderView):
    """The table's header: room for the sort arrow only on the sorted column.

    Qt's header makes every column wide enough for a sort arrow when sorting is on, which
    at 1024 pixels pushed the Risk column off the screen; the arrow is drawn on one
    column at a time, so only that one needs the room.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.sortIndicatorChanged.connect(lambda *_: self.resizeSections())

    def sectionSizeFromContents(self, logicalIndex: int) -> QSize:  # noqa: N803
        size = super().sectionSizeFromContents(logicalIndex)
        if self.isSortIndicatorShown() and logicalIndex != self.sortIndicatorSection():
            # what QHeaderView adds for the arrow: the section's height and one margin
            option = QStyleOptionHeader()
            self.initStyleOption(option)
            margin = self.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, option, self)
            size.setWidth(max(0, size.width() - size.height() - margin))
        return size


class RosterView(QWidget):
    """The roster of one group (GroupView: set_group, save_pending, clear_clinical)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.group_id: int | None = None
        self.group_size: GroupSize | None = None
        # Tests replace this to drive a dialog instead of showing it modally.
        self.exec_dialog: Callable[[QDialog], int] = lambda d: d.exec()
        # "Starts as" of the last member added, per vault file, for this run of the program
        self._starts_as: dict[str, str] = {}
        self._undo = QUndoStack(self)
        self._filters_of: str | None = None  # the vault whose remembered filters are shown
        self._restoring = False
        self.model = RosterModel(self)
        self.proxy = RosterFilter(self)
        self.proxy.setSourceModel(self.model)
        self._build()
        self.follower = Follower(self, self._cares, self._apply, self.reload)
        ctx.changed.connect(self.follower.on_changed)
        ctx.settings_changed.connect(self._on_settings)
        self.model.set_safe(screen_safe(ctx))
        self.set_group(None)

    # ---------------------------------------------------------------- layout
    def _build(self) -> None:
        self.stack = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        self.empty = QLabel("Choose a group to see its roster.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.empty)
        page = QWidget()
        self.stack.addWidget(page)
        col = QVBoxLayout(page)

        self.size_label = QLabel()
        font = self.size_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.size_label.setFont(font)
        self.size_label.setAccessibleName("Group size")
        # The size warning and a refused action's message come and go: they share one
        # line whose height is kept while both are hidden, so nothing below them moves
        # under the pointer. Each is elided to the room it gets (its tooltip has it all).
        self.warning = ElidedLabel(minimum_chars=20)
        self.warning.setAccessibleName("Group size warning")
        self.warning_banner = QFrame()
        self.warning_banner.setObjectName("sizeWarning")
        self.warning_banner.setStyleSheet(WARNING_STYLE)
        banner_row = QHBoxLayout(self.warning_banner)
        banner_row.setContentsMargins(8, 3, 8, 3)
        banner_row.addWidget(self.warning)
        self.warning_banner.hide()
        self.message = ElidedLabel(minimum_chars=20)
        self.message.setAccessibleName("Message")
        self.message.hide()
        self.notices = QWidget()
        notices = QHBoxLayout(self.notices)
        notices.setContentsMargins(0, 0, 0, 0)
        notices.addWidget(self.warning_banner, 1)
        notices.addWidget(self.message, 1)
        self.notices.setFixedHeight(max(self.warning_banner.sizeHint().height(),
                                        self.message.sizeHint().height()))
        self.notices.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        top = QHBoxLayout()
        top.addWidget(self.size_label, 1)
        col.addLayout(top)
        col.addWidget(self.notices)

        filters = QHBoxLayout()
        self.name_filter = QLineEdit()
        # Ctrl+F is the main window's Find: the roster's own filter takes Ctrl+Shift+F.
        self.name_filter.setPlaceholderText("Filter by name (Ctrl+Shift+F)")
        self.name_filter.setAccessibleName("Filter by name")
        self.name_filter.setClearButtonEnabled(True)
        self.name_filter.setToolTip("Filter by name (Ctrl+Shift+F)")
        self.name_filter.setMinimumWidth(self.name_filter.fontMetrics().horizontalAdvance(
            self.name_filter.placeholderText()) + 36)
        self.name_filter.textChanged.connect(self.proxy.set_name_filter)
        top.addWidget(self.name_filter)  # beside the size line: the chips fill their row
        filters.addWidget(QLabel("Show:"))
        self.status_buttons: dict[str, QToolButton] = {}
        for status, label in STATUS_LABELS.items():
            button = QToolButton()
            button.setText(label)
            button.setCheckable(True)
            button.setChecked(status in DEFAULT_STATUSES)
            button.setStyleSheet(FILTER_STYLE)
            button.setAccessibleName(f"Show {label.lower()} members")
            button.toggled.connect(self._on_status_filter)
            self.status_buttons[status] = button
            filters.addWidget(button)
        filters.addStretch(1)
        col.addLayout(filters)

        actions = QHBoxLayout()
        self.add_button = self._button("Add member…", "Add a member to this group",
                                       self.add_member, actions)
        self.edit_button = self._button("Edit…", "Edit the chosen member", self.edit_member,
                                        actions)
        self.edit_button.setToolTip("Edit the chosen member (F2, Enter or double-click)")
        self.status_button = QToolButton()
        self.status_button.setText("Change status ▾")
        self.status_button.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        self.status_button.setAccessibleName("Change the chosen membership's status")
        self.status_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.status_menu = QMenu(self.status_button)
        self.status_button.setMenu(self.status_menu)
        actions.addWidget(self.status_button)
        self.rejoin_button = self._button("Rejoin…", "Rejoin the group after an ending",
                                          self.rejoin, actions)
        self.archive_button = self._button("Archive", "Archive or restore the chosen member",
                                           self.toggle_archive, actions)
        actions.addStretch(1)
        self.register_button = self._button(
            "Risk && incidents…", "The group's risk register and incidents",
            self.open_register, actions)
        self.register_button.setToolTip("The group's risk register and boundary incidents "
                                        "(Ctrl+Shift+R)")
        # Import and export share one menu button, so the row fits a 1024-pixel window.
        self.csv_button = QToolButton()
        self.csv_button.setText("CSV ▾")
        self.csv_button.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        self.csv_button.setAccessibleName("Import or export the roster as a CSV file")
        self.csv_button.setToolTip("Import a roster from a CSV file, or export this roster")
        self.csv_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        csv_menu = QMenu(self.csv_button)
        self.import_action = csv_menu.addAction("Import CSV…")
        self.import_action.triggered.connect(lambda: self.import_csv())
        self.export_action = csv_menu.addAction("Export CSV…")
        self.export_action.triggered.connect(lambda: self.export_csv())
        self.csv_button.setMenu(csv_menu)
        actions.addWidget(self.csv_button)
        col.addLayout(actions)

        self.table = QTableView()
        self.table.setHorizontalHeader(RosterHeader(self.table))
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Roster")
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COLUMN["name"], Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        # Every column as wide as its widest text; the name takes the room that is left
        # (elided, with the full name in its tooltip, only when there is none).
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMN["name"], QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.doubleClicked.connect(lambda _: self.edit_member())
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.detail = MemberDetail()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        # The detail pane may be dragged shut on a small screen; the table may not.
        splitter.setCollapsible(0, False)
        splitter.setCollapsible(1, True)
        self.detail.setMinimumWidth(DETAIL_MIN)
        splitter.setSizes([760, 240])
        self.splitter = splitter
        col.addWidget(splitter, 1)

        self.undo_action = self._undo.createUndoAction(self, "Undo")
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo_action = self._undo.createRedoAction(self, "Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        # Ctrl+E (Export PDF) and Ctrl+F (Find) belong to the main window: a second
        # binding here would make both ambiguous, so neither would fire in the Roster.
        shortcuts = [(self.undo_action, None), (self.redo_action, None),
                     (QAction("Add member", self), (self.add_member, ["Ctrl+N"])),
                     (QAction("Edit member", self), (self.edit_member, ["F2"])),
                     (QAction("Filter by name", self),
                      (self._focus_filter, ["Ctrl+Shift+F"]))]
        for action, hook in shortcuts:
            if hook is not None:
                action.triggered.connect(hook[0])
                action.setShortcuts([QKeySequence(k) for k in hook[1]])
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        # Enter on the table edits the chosen member (only while the table has focus, so
        # Enter in the filter box or a dialog keeps its usual meaning).
        for key in ("Return", "Enter"):
            enter = QAction(f"Edit member ({key})", self.table)
            enter.setShortcuts([QKeySequence(key)])
            enter.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            enter.triggered.connect(self.edit_member)
            self.table.addAction(enter)
        for action in (self.undo_action, self.redo_action):
            tool = QToolButton()
            tool.setDefaultAction(action)
            actions.addWidget(tool)

    def undo_stack(self) -> QUndoStack:
        """The view's undo history (Edit > Undo and Redo act on it while it is shown)."""
        return self._undo

    def open_register(self) -> object:
        """The group's "Risk & incidents" panel (issue 16)."""
        from groupleader.ui.register.panel import open_panel

        shown = open_panel(self.ctx, self.group_id, None, self)
        if shown is not None:
            self.reload()
        return shown

    def _focus_filter(self) -> None:
        self.name_filter.setFocus()
        self.name_filter.selectAll()

    def _button(
        self, text: str, accessible: str, slot: Callable[[], object], row: QHBoxLayout
    ) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(accessible)
        button.clicked.connect(lambda: slot())
        row.addWidget(button)
        return button

    # ---------------------------------------------------------------- GroupView
    def set_group(self, group_id: int | None) -> None:
        if group_id != self.group_id:
            self._undo.clear()
            self.detail.clear()
        self._restore_filters()
        self.group_id = group_id
        self.stack.setCurrentIndex(0 if group_id is None else 1)
        if group_id is not None and not self.isVisible():  # read when shown
            self.model.clear()
            self.follower.stale = True
            return
        self.reload()

    def save_pending(self) -> None:
        """Nothing to save: every edit is written when its dialog closes with Save."""

    def clear_clinical(self) -> None:
        self.follower.forget()
        self._undo.clear()  # the commands hold members' details
        self.model.clear()
        self.detail.clear()
        self.name_filter.clear()
        self.size_label.clear()
        self.warning_banner.hide()
        self.message.hide()
        self.group_size = None
        self._update_actions()

    # ---------------------------------------------------------------- Runner
    def vault(self) -> Vault:
        return self.ctx.require_vault()

    def run(self, op: commands.Action) -> Any:
        """Run one operation; this view follows its changes like any other (it reloads)."""
        return self.ctx.run(op, self)

    def show_error(self, message: str) -> None:
        palette = self.message.palette()  # a red that reads on light and dark
        palette.setColor(QPalette.ColorRole.WindowText, error_color(self))
        self.message.setPalette(palette)
        self.message.setText(message)
        self.message.show()

    # ---------------------------------------------------------------- loading
    def _cares(self, changes: Changes, source: object) -> bool:
        if self.group_id is None:
            return False
        if changes.in_group(self.group_id) and (
                changes.roster or changes.group_records or changes.attendance
                or changes.meetings or changes.notes):  # notes: the latest risk flag
            return True
        return bool(changes.members & self.model.member_ids())

    def _apply(self, changes: Changes, source: object) -> None:
        self.reload()

    def _on_settings(self) -> None:
        chosen = self.current()
        self.model.set_safe(screen_safe(self.ctx))
        if self.group_id is not None:
            self.reload()  # the detail pane too
            if chosen is not None:
                self.select_membership(chosen.membership_id)

    def reload(self) -> None:
        chosen = self.current()
        if self.group_id is None or self.ctx.vault is None:
            self.clear_clinical()
            return
        try:
            vault = self.ctx.vault
            rows = query(vault, members.list_memberships, self.group_id)
            self.group_size = query(vault, groups.group_size, self.group_id)
        except GroupLeaderError as err:
            self.show_error(err.message)
            return
        self.model.set_entries(make_entries(rows))
        self.size_label.setText(size_line(self.group_size))
        warning = size_warning(self.group_size)
        self.warning.setText(warning)
        self.warning_banner.setVisible(bool(warning))
        self._show_ended_column()
        if chosen is not None:
            self.select_membership(chosen.membership_id)
        self._on_selection()

    def _on_status_filter(self) -> None:
        self.proxy.set_statuses(self.statuses())
        self._show_ended_column()
        if not self._restoring:
            self._remember_filters()

    def _show_ended_column(self) -> None:
        """The Ended column only while a shown row has an end date (active and waiting
        members have none, and the room goes to the columns that matter)."""
        ended = COLUMN["ended"]
        shown = any(self.proxy.index(r, ended).data() for r in range(self.proxy.rowCount()))
        self.table.setColumnHidden(ended, not shown)

    # ---------------------------------------------------------------- filters
    def statuses(self) -> list[str]:
        """The statuses shown, in the lifecycle's order."""
        return [s for s, b in self.status_buttons.items() if b.isChecked()]

    def set_statuses(self, statuses: Iterable[str]) -> None:
        wanted = set(statuses)
        self._restoring = True
        try:
            for status, button in self.status_buttons.items():
                button.setChecked(status in wanted)
        finally:
            self._restoring = False
        self._on_status_filter()

    def state(self) -> dict[str, Any]:
        """What the view shows that a restart should bring back (no clinical text)."""
        return {"statuses": self.statuses()}

    def restore_state(self, state: dict[str, Any]) -> None:
        """Show what `state()` gave; unknown or malformed values are ignored."""
        statuses = state.get("statuses") if isinstance(state, dict) else None
        if isinstance(statuses, list | tuple):
            self.set_statuses(s for s in statuses if s in STATUS_LABELS)

    def _vault_key(self) -> str | None:
        path = getattr(self.ctx.vault, "path", None)
        return str(path) if path is not None else None

    def _restore_filters(self) -> None:
        """Once per vault opened: the status filters last used with it (or the defaults)."""
        key = self._vault_key()
        if key is None or key == self._filters_of:
            return
        self._filters_of = key
        remembered = self.ctx.settings.roster_filters_for(key)
        self.set_statuses(DEFAULT_STATUSES if remembered is None else remembered)

    def _remember_filters(self) -> None:
        key = self._vault_key()
        if key is not None and key == self._filters_of:
            self.ctx.settings.set_roster_filters_for(key, self.statuses())

    def reveal(self, membership_ids: Iterable[int]) -> None:
        """Keep memberships the user just added or changed in view: switch on the filter
        of each status the filters hide (and clear a name filter that hides them), then
        select the first. The status bar says what was switched on."""
        ids = list(membership_ids)
        statuses = {e.status for e in self.model.entries() if e.membership_id in ids}
        hidden = [s for s in STATUS_LABELS if s in statuses and s not in self.statuses()]
        if hidden:
            self.set_statuses([*self.statuses(), *hidden])
            names = ", ".join(STATUS_LABELS[s].lower() for s in hidden)
            self.ctx.status_message.emit(f"Showing {names} members too.")
        if ids and not self.index_of(ids[0]).isValid() and self.name_filter.text():
            self.name_filter.clear()
        if ids:
            self.select_membership(ids[0])

    # ---------------------------------------------------------------- selection
    def current(self) -> RosterEntry | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.proxy.entry_at(rows[0]) if rows else None

    def select_membership(self, membership_id: int) -> bool:
        row = self.model.row_of(membership_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def _on_selection(self, *_: QItemSelection) -> None:
        self._update_actions()
        entry = self.current()
        if entry is None or self.ctx.vault is None or self.group_id is None:
            self.detail.clear()
            return
        try:
            vault = self.ctx.vault
            member = query(vault, members.get_member, entry.member_id)
            history = query(vault, members.membership_history, entry.member_id)
            strip = query(vault, members.member_attendance, self.group_id, entry.member_id)
            register = register_text(query(vault, risk.member_entries, entry.member_id),
                                     query(vault, agreement.member_incidents, entry.member_id),
                                     clock.now().astimezone().date())
        except GroupLeaderError as err:
            self.show_error(err.message)
            return
        self.detail.show_member(member, history, strip,
                                entry.row.pseudonym if self.model.safe else None, register)

    def status_choices(self) -> list[str]:
        """The statuses the chosen membership may change to (what the menu offers)."""
        entry = self.current()
        if entry is None:
            return []
        order = list(STATUS_LABELS)
        return sorted(members.allowed_transitions(entry.status), key=order.index)

    def _update_actions(self) -> None:
        entry = self.current()
        has_group = self.group_id is not None and self.ctx.vault is not None
        for b in (self.add_button, self.csv_button):
            b.setEnabled(has_group)
        self.edit_button.setEnabled(entry is not None)
        self.status_menu.clear()
        for status in self.status_choices():
            action = self.status_menu.addAction(f"{STATUS_LABELS[status]}…")
            action.setData(status)
            action.triggered.connect(lambda _=False, s=status: self.change_status(s))
        self.status_button.setEnabled(bool(self.status_menu.actions()))
        self.rejoin_button.setEnabled(entry is not None and entry.status in ENDED)
        archived = entry is not None and entry.archived
        self.archive_button.setText("Restore" if archived else "Archive")
        self.archive_button.setEnabled(entry is not None)

    # ---------------------------------------------------------------- actions
    def _start(self) -> None:
        self.message.hide()

    def add_member(self) -> None:
        if self.group_id is None:
            return
        self._start()
        group_id = self.group_id
        done: list[commands.AddMemberCommand] = []

        def submit(spec: MemberSpec, status: str | None, on_date: date | None) -> None:
            starts, day = status or "referred", on_date or date.today()
            ms = self.run(lambda v: ops_roster.add_member_to_group(v, spec, group_id, starts, day))
            done.append(commands.AddMemberCommand(
                self, group_id, spec, starts, day, ms.member_id, ms.id))

        key = str(getattr(self.ctx.vault, "path", ""))
        dialog = MemberDialog(submit, adding=True, parent=self,
                              starts_as=self._starts_as.get(key, "waitlist"))
        self.exec_dialog(dialog)
        if done:
            self._starts_as[key] = done[0].status
            self._undo.push(done[0])
            self.reveal([done[0].added.membership_id])

    def edit_member(self) -> None:
        entry = self.current()
        if entry is None:
            return
        self._start()
        try:
            before = query(self.vault(), members.get_member, entry.member_id)
        except GroupLeaderError as err:
            self.show_error(err.message)
            return
        done: list[commands.EditMemberCommand] = []

        def submit(spec: MemberSpec, _status: str | None, _on: date | None) -> None:
            self.run(lambda v: ops_roster.update_member(v, entry.member_id, spec))
            done.append(commands.EditMemberCommand(
                self, entry.member_id, commands.spec_of(before), spec))

        self.exec_dialog(MemberDialog(submit, member=before, parent=self))
        if done:
            self._undo.push(done[0])
            self.reveal([entry.membership_id])  # a new name the name filter would hide

    def change_status(self, status: str | None = None) -> None:
        entry = self.current()
        choices = self.status_choices()
        if entry is None or not choices:
            return
        self._start()

        changed: list[int] = []

        def submit(new: str, on_date: date, reason: str, farewell: str) -> None:
            why = commands.status_reason(reason, farewell)
            self.run(lambda v: ops_roster.change_status(v, entry.membership_id, new, on_date, why))
            changed.append(entry.membership_id)

        dialog = StatusDialog(submit, choices, title="Change status", who=entry.name_text,
                              current=entry.status, parent=self)
        if status in choices:
            dialog.choose(status)
        self.exec_dialog(dialog)
        self.reveal(changed)

    def rejoin(self) -> None:
        entry = self.current()
        if entry is None or entry.status not in ENDED:
            return
        self._start()
        made: list[int] = []

        def submit(new: str, on_date: date, reason: str, _farewell: str) -> None:
            made.append(self.run(
                lambda v: ops_roster.rejoin(v, entry.membership_id, on_date, new, reason)).id)

        dialog = StatusDialog(submit, ("referred", "screening", "waitlist", "active"),
                              title="Rejoin the group", who=entry.name_text, parent=self)
        dialog.choose("waitlist")
        self.exec_dialog(dialog)
        self.reveal(made)

    def toggle_archive(self) -> None:
        entry = self.current()
        if entry is None:
            return
        self._start()
        archived = not entry.archived
        try:
            self.run(lambda v: ops_roster.archive_member(v, entry.member_id, archived))
        except GroupLeaderError as err:
            self.show_error(err.message)
            return
        self._undo.push(commands.ArchiveMemberCommand(self, entry.member_id, archived))

    def import_csv(self, path: str | Path | None = None) -> None:
        if self.group_id is None:
            return
        self._start()
        if path is None:
            path = file_dialogs.open_file(self, self.ctx.settings, file_dialogs.CSV_IMPORT,
                                          "Import roster",
                                          "CSV files (*.csv *.txt);;All files (*)")
            if not path:
                return
        dialog = ImportDialog(self.ctx, self.group_id, path, self)
        self.exec_dialog(dialog)
        result = dialog.imported
        if isinstance(result, ops_roster.Imported):
            self._undo.push(commands.ImportCommand(self, result))
            self.reveal(result.membership_ids)

    def export_csv(self, path: str | Path | None = None) -> None:
        if self.group_id is None:
            return
        self._start()
        if path is None:
            default = f"roster-{date.today().isoformat()}.csv"
            path = file_dialogs.save_file(self, self.ctx.settings, file_dialogs.CSV_EXPORT,
                                          "Export roster", default, "CSV files (*.csv)")
            if not path:
                return
        try:
            group_id, dest = self.group_id, path
            count = self.run(lambda v: ops_roster.export_roster(v, group_id, dest))
        except GroupLeaderError as err:  # a file problem: say it where the file was chosen
            QMessageBox.warning(self, "Roster not exported", err.message)
            return
        self.ctx.status_message.emit(
            f"Exported {count} row(s). The CSV file is not encrypted: keep it somewhere safe.")

    def index_of(self, membership_id: int) -> QModelIndex:
        row = self.model.row_of(membership_id)
        return QModelIndex() if row is None else self.proxy.mapFromSource(
            self.model.index(row, 0))
