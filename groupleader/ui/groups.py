"""The groups sidebar (list, create, edit, archive, show archived) and the group form.

The sidebar holds `GroupSnap` snapshots in a small list model; every change goes through
`groupleader.data.services.groups` (imported when first used, after unlock).
"""

from __future__ import annotations

from datetime import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt, QTime, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from groupleader.errors import GroupLeaderError, InvalidInput
from groupleader.ui.widgets import ErrorBanner, FieldError

if TYPE_CHECKING:
    from groupleader.data.operations.base import Changes
    from groupleader.data.snapshots import ClinicianSnap, GroupSnap, GroupSpec
    from groupleader.ui.context import AppContext

KINDS = (
    ("psychodynamic", "Psychodynamic / process"),
    ("support", "Support"),
    ("psychoeducational", "Psychoeducational"),
    ("self_help", "Self-help (peer-led)"),
)
ROLES = (("leader", "Leader"), ("co_leader", "Co-leader"), ("supervisor", "Supervisor"))
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
Index = QModelIndex | QPersistentModelIndex


class GroupListModel(QAbstractListModel):
    """Groups as snapshots; archived ones in italics with "(archived)"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._groups: list[GroupSnap] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._groups)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._groups):
            return None
        g = self._groups[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{g.name} (archived)" if g.archived else g.name
        if role == Qt.ItemDataRole.FontRole and g.archived:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.UserRole:
            return g.id
        return None

    def set_groups(self, groups: list[GroupSnap]) -> None:
        self.beginResetModel()
        self._groups = list(groups)
        self.endResetModel()

    def group_at(self, row: int) -> GroupSnap | None:
        return self._groups[row] if 0 <= row < len(self._groups) else None

    def row_of(self, group_id: int | None) -> int:
        for row, g in enumerate(self._groups):
            if g.id == group_id:
                return row
        return -1


class GroupsSidebar(QWidget):
    """The list of groups and the buttons that change them."""

    group_selected = Signal(object)  # int | None

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._quiet = False
        self.setAccessibleName("Groups")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        title = QLabel("G&roups", self)  # Alt+G is the Sessions tab's "Group note"
        title.setFont(QFont(self.font().family(), -1, QFont.Weight.Bold))
        layout.addWidget(title)
        self.model = GroupListModel(self)
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.setAccessibleName("Group list")
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setUniformItemSizes(True)
        self.view.doubleClicked.connect(lambda _i: self.edit_group())
        self.view.selectionModel().currentChanged.connect(self._on_current)
        title.setBuddy(self.view)
        layout.addWidget(self.view, 1)
        self.show_archived = QCheckBox("Show archive&d", self)  # Alt+A: "Attendance"
        self.show_archived.setAccessibleName("Show archived groups")
        self.show_archived.toggled.connect(lambda _on: self.refresh(self.current_id()))
        layout.addWidget(self.show_archived)
        row = QGridLayout()
        self.new_button = QPushButton("&New…", self)
        self.new_button.setAccessibleName("New group")
        self.new_button.setToolTip("Create a group (Alt+N)")
        self.new_button.clicked.connect(self.new_group)
        self.edit_button = QPushButton("Ed&it…", self)  # Alt+E: the Edit menu
        self.edit_button.setAccessibleName("Edit group")
        self.edit_button.clicked.connect(self.edit_group)
        self.archive_button = QPushButton("Archive", self)
        self.archive_button.setAccessibleName("Archive group")
        self.archive_button.clicked.connect(self.toggle_archive)
        for i, b in enumerate((self.new_button, self.edit_button, self.archive_button)):
            # The style's 80-pixel buttons would make the sidebar too wide for a laptop;
            # two a row, so none is cut in the narrow sidebar of a 1024-pixel window.
            b.setMinimumWidth(b.fontMetrics().horizontalAdvance(
                max("Archive", "Restore", b.text(), key=len)) + 28)
            row.addWidget(b, i // 2, i % 2)
        layout.addLayout(row)
        self._update_buttons()
        ctx.changed.connect(self._on_changed)

    # ------------------------------------------------------------------ state
    def current_id(self) -> int | None:
        g = self.model.group_at(self.view.currentIndex().row())
        return g.id if g else None

    def current_group(self) -> GroupSnap | None:
        return self.model.group_at(self.view.currentIndex().row())

    def refresh(self, select_id: int | None = None) -> None:
        """Reload from the vault; keep (or move) the selection."""
        if self.ctx.vault is None:
            self.clear()
            return
        from groupleader.data.operations import query
        from groupleader.data.services import groups as svc

        try:
            groups = query(
                self.ctx.vault, svc.list_groups, include_archived=self.show_archived.isChecked()
            )
        except GroupLeaderError as err:
            self.ctx.status_message.emit(err.message)
            return
        before = self.current_id()
        self._quiet = True
        try:
            self.model.set_groups(groups)
            row = self.model.row_of(select_id if select_id is not None else before)
            if row < 0 and groups and select_id is None:
                row = 0
            self.view.setCurrentIndex(self.model.index(row, 0) if row >= 0 else QModelIndex())
        finally:
            self._quiet = False
        self._update_buttons()
        if self.current_id() != before:
            self.group_selected.emit(self.current_id())

    def select_group(self, group_id: int) -> bool:
        """Select a group (showing archived ones if needed); False if it is not there."""
        if self.model.row_of(group_id) < 0 and not self.show_archived.isChecked():
            self.show_archived.setChecked(True)
        self.refresh(group_id)
        # the workspace may refuse the change (text that cannot be saved yet)
        return self.current_id() == group_id and self.ctx.current_group_id == group_id

    def reselect(self, group_id: int | None) -> None:
        """Put the selection back on `group_id` without announcing it (a change refused)."""
        self._quiet = True
        try:
            row = self.model.row_of(group_id)
            self.view.setCurrentIndex(self.model.index(row, 0) if row >= 0 else QModelIndex())
        finally:
            self._quiet = False
        self._update_buttons()

    def clear(self) -> None:
        """Drop every group name (on lock)."""
        self._quiet = True
        try:
            self.model.set_groups([])
        finally:
            self._quiet = False
        self._update_buttons()

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet:
            return
        self._update_buttons()
        g = self.model.group_at(current.row())
        self.group_selected.emit(g.id if g else None)

    def _on_changed(self, changes: Changes, source: object) -> None:
        if (changes.group_records or changes.clinicians) and source is not self \
                and self.ctx.vault is not None:
            self.refresh(self.current_id())

    def _update_buttons(self) -> None:
        g = self.current_group()
        unlocked = self.ctx.vault is not None
        self.new_button.setEnabled(unlocked)
        self.edit_button.setEnabled(unlocked and g is not None)
        self.archive_button.setEnabled(unlocked and g is not None)
        archived = bool(g and g.archived)
        self.archive_button.setText("Restore" if archived else "Archive")
        self.archive_button.setAccessibleName("Restore group" if archived else "Archive group")

    # ------------------------------------------------------------------ actions
    def new_group(self) -> None:
        if self.ctx.vault is None:
            return
        dialog = GroupFormDialog(self.ctx, None, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved is not None:
            self.refresh(dialog.saved.id)

    def edit_group(self) -> None:
        g = self.current_group()
        if g is None or self.ctx.vault is None:
            return
        dialog = GroupFormDialog(self.ctx, g, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved is not None:
            self.refresh(dialog.saved.id)

    def toggle_archive(self) -> None:
        """Archive the chosen group (its records are all kept), or restore it."""
        g = self.current_group()
        if g is None or self.ctx.vault is None:
            return
        from groupleader.data.operations import groups as ops_groups

        archived = not g.archived
        try:
            snap = self.ctx.run(lambda v: ops_groups.archive_group(v, g.id, archived), self)
        except GroupLeaderError as err:
            QMessageBox.warning(self, "Group Leader", err.message)
            return
        self.refresh(snap.id if self.show_archived.isChecked() or not snap.archived else None)
        self.ctx.status_message.emit("Group archived." if snap.archived else "Group restored.")


# ---------------------------------------------------------------------- forms


def show_clinician_error(
    err: GroupLeaderError, banner: ErrorBanner, name_error: FieldError, name: QWidget
) -> None:
    """A clinician could not be saved: a name problem shows under the name field (which
    takes the focus), anything else in the banner."""
    if isinstance(err, InvalidInput) and err.field == "name":
        name_error.show_message(err.message)
        name.setFocus()
    else:
        banner.show_message(err.message)


class ClinicianDialog(QDialog):
    """Add a clinician (name, credentials, role) to the vault."""

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, role: str = "leader"
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.saved: ClinicianSnap | None = None
        self.setWindowTitle("Add a clinician")
        layout = QVBoxLayout(self)
        self.banner = ErrorBanner(self)
        layout.addWidget(self.banner)
        form = QFormLayout()
        self.name = QLineEdit(self)
        self.name.setAccessibleName("Clinician name")
        self.name_error = FieldError(self)
        self.credentials = QLineEdit(self)
        self.credentials.setAccessibleName("Credentials")
        self.credentials.setPlaceholderText("e.g. LCSW, PhD")
        self.role = QComboBox(self)
        self.role.setAccessibleName("Role")
        for key, label in ROLES:
            self.role.addItem(label, key)
        self.role.setCurrentIndex(max(0, self.role.findData(role)))
        form.addRow("&Name:", self.name)
        form.addRow("", self.name_error)
        form.addRow("&Credentials:", self.credentials)
        form.addRow("&Role:", self.role)
        for row, w in ((0, self.name), (2, self.credentials), (3, self.role)):
            item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            buddy = item.widget() if item is not None else None
            if isinstance(buddy, QLabel):
                buddy.setBuddy(w)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def accept(self) -> None:
        from groupleader.data.operations import groups as ops_groups
        from groupleader.data.snapshots import ClinicianSpec

        self.name_error.clear_message()
        self.banner.clear_message()
        spec = ClinicianSpec(
            name=self.name.text(), role=self.role.currentData(), credentials=self.credentials.text()
        )
        try:
            self.saved = self.ctx.run(lambda v: ops_groups.create_clinician(v, spec))
        except GroupLeaderError as err:
            show_clinician_error(err, self.banner, self.name_error, self.name)
            return
        super().accept()


class GroupFormDialog(QDialog):
    """Create or edit a group; each service validation message shows beside its field."""

    def __init__(
        self, ctx: AppContext, group: GroupSnap | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.group = group
        self.saved: GroupSnap | None = None
        self.setWindowTitle("Edit group" if group else "New group")
        self.setMinimumWidth(580)
        layout = QVBoxLayout(self)
        self.banner = ErrorBanner(self)
        layout.addWidget(self.banner)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.errors: dict[str, FieldError] = {}
        self.fields: dict[str, QWidget] = {}

        self.name = QLineEdit(self)
        self._row("name", "&Name:", self.name, "Group name")
        self.kind = QComboBox(self)
        for key, label in KINDS:
            self.kind.addItem(label, key)
        self._row("kind", "&Kind:", self.kind, "Kind of group")

        self.format = QComboBox(self)
        self.format.addItem("Open-ended", "open_ended")
        self.format.addItem("Fixed number of sessions", "fixed")
        self.sessions = QSpinBox(self)
        self.sessions.setRange(1, 200)
        self.sessions.setValue(12)
        self.sessions.setSuffix(" sessions")
        self.sessions.setAccessibleName("Number of sessions")
        fmt_row = QWidget(self)
        fmt_layout = QHBoxLayout(fmt_row)
        fmt_layout.setContentsMargins(0, 0, 0, 0)
        fmt_layout.addWidget(self.format, 1)
        fmt_layout.addWidget(self.sessions)
        self._row("format", "&Format:", fmt_row, "Format", focus=self.format)
        self.errors["sessions_per_cycle"] = self.errors["format"]
        self.fields["sessions_per_cycle"] = self.sessions
        self.format.currentIndexChanged.connect(self._update_enabled)

        self.weekday = QComboBox(self)
        self.weekday.addItem("No fixed day", None)
        for i, day in enumerate(WEEKDAYS):
            self.weekday.addItem(day, i)
        self.start_time = QTimeEdit(QTime(18, 0), self)
        self.start_time.setDisplayFormat("HH:mm")
        self.start_time.setAccessibleName("Start time")
        self.length = QSpinBox(self)
        self.length.setRange(5, 600)
        self.length.setValue(90)
        self.length.setSuffix(" min")
        self.length.setAccessibleName("Length in minutes")
        when = QWidget(self)
        when_layout = QHBoxLayout(when)
        when_layout.setContentsMargins(0, 0, 0, 0)
        when_layout.addWidget(self.weekday, 1)
        when_layout.addWidget(QLabel("at", when))
        when_layout.addWidget(self.start_time)
        when_layout.addWidget(QLabel("for", when))
        when_layout.addWidget(self.length)
        self._row("weekday", "&When:", when, "Weekday", focus=self.weekday)
        for key, w in (("start_time", self.start_time), ("length_minutes", self.length)):
            self.errors[key] = self.errors["weekday"]
            self.fields[key] = w
        self.weekday.currentIndexChanged.connect(self._update_enabled)

        self.room = QLineEdit(self)
        self._row("room", "&Room:", self.room, "Room")

        self.leader1 = QComboBox(self)
        self.leader2 = QComboBox(self)
        self.add_clinician = QPushButton("Add clinician…", self)
        self.add_clinician.setAccessibleName("Add a clinician")
        self.add_clinician.clicked.connect(self._add_clinician)
        leaders = QWidget(self)
        leaders_layout = QHBoxLayout(leaders)
        leaders_layout.setContentsMargins(0, 0, 0, 0)
        leaders_layout.addWidget(self.leader1, 1)
        leaders_layout.addWidget(self.leader2, 1)
        leaders_layout.addWidget(self.add_clinician)
        self.leader1.setAccessibleName("Leader")
        self.leader2.setAccessibleName("Co-leader")
        self._row("leader_ids", "&Leaders:", leaders, "Leaders", focus=self.leader1)

        self.min_size = self._spin(4, "Minimum size")
        self.target_size = self._spin(7, "Target size")
        self.max_size = self._spin(10, "Maximum size")
        sizes = QWidget(self)
        sizes_layout = QHBoxLayout(sizes)
        sizes_layout.setContentsMargins(0, 0, 0, 0)
        for text, spin in (
            ("minimum", self.min_size),
            ("target", self.target_size),
            ("maximum", self.max_size),
        ):
            sizes_layout.addWidget(QLabel(text, sizes))
            sizes_layout.addWidget(spin)
        sizes_layout.addStretch(1)
        self._row("target_size", "&Size:", sizes, "Group size", focus=self.min_size)
        for key, w in (("min_size", self.min_size), ("max_size", self.max_size)):
            self.errors[key] = self.errors["target_size"]
            self.fields[key] = w

        self.agreement = QPlainTextEdit(self)
        self.agreement.setPlaceholderText(
            "The group agreement: confidentiality, attendance, contact outside the group…"
        )
        self.agreement.setTabChangesFocus(True)
        self.agreement.setMinimumHeight(90)
        self._row("agreement", "&Agreement:", self.agreement, "Group agreement")
        # The agreement as rules (issue 16): what a boundary incident names
        self.rules_button = QPushButton("Agreement &rules…", self)
        self.rules_button.setAccessibleName("Edit the rules of the group agreement")
        self.rules_button.setEnabled(group is not None)
        self.rules_button.setToolTip(
            "The rules a boundary incident names" if group is not None else
            "A new group starts with the default rules; edit them once it is saved")
        self.rules_button.clicked.connect(self._edit_rules)
        self.form.addRow("Rules:", self.rules_button)
        layout.addLayout(self.form)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self._fill_clinicians()
        if group is not None:
            self._load(group)
        self._update_enabled()
        self.name.setFocus()

    # ------------------------------------------------------------------ layout helpers
    def _row(
        self, key: str, label: str, widget: QWidget, name: str, focus: QWidget | None = None
    ) -> None:
        (focus or widget).setAccessibleName(name)
        label_widget = QLabel(label, self)
        label_widget.setBuddy(focus or widget)
        self.form.addRow(label_widget, widget)
        error = FieldError(self)
        self.form.addRow("", error)
        self.errors[key] = error
        self.fields[key] = focus or widget

    def _spin(self, value: int, name: str) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setRange(1, 100)
        spin.setValue(value)
        spin.setAccessibleName(name)
        return spin

    def _fill_clinicians(self, select: int | None = None) -> None:
        from groupleader.data.operations import query
        from groupleader.data.services import clinicians as svc

        chosen = [self.leader1.currentData(), self.leader2.currentData()]
        try:
            people = query(self.ctx.require_vault(), svc.list_clinicians)
        except GroupLeaderError as err:
            self.banner.show_message(err.message)
            people = []
        for combo, none_text in (
            (self.leader1, "No leader (peer-led)"),
            (self.leader2, "No co-leader"),
        ):
            combo.clear()
            combo.addItem(none_text, None)
            for c in people:
                extra = f", {c.credentials}" if c.credentials else ""
                combo.addItem(f"{c.name}{extra}", c.id)
        if chosen[0] is None and select is None and self.group is None:
            chosen[0] = self.ctx.clinician_id
        if select is not None:
            if chosen[0] is None:
                chosen[0] = select
            elif chosen[1] is None:
                chosen[1] = select
        for combo, cid in ((self.leader1, chosen[0]), (self.leader2, chosen[1])):
            combo.setCurrentIndex(max(0, combo.findData(cid)))

    def _load(self, g: GroupSnap) -> None:
        self.name.setText(g.name)
        self.kind.setCurrentIndex(max(0, self.kind.findData(g.kind)))
        self.format.setCurrentIndex(max(0, self.format.findData(g.format)))
        if g.sessions_per_cycle:
            self.sessions.setValue(g.sessions_per_cycle)
        self.weekday.setCurrentIndex(0 if g.weekday is None else g.weekday + 1)
        if g.start_time is not None:
            self.start_time.setTime(QTime(g.start_time.hour, g.start_time.minute))
        self.length.setValue(g.length_minutes)
        self.room.setText(g.room)
        for combo, leader in zip((self.leader1, self.leader2), g.leaders, strict=False):
            combo.setCurrentIndex(max(0, combo.findData(leader.id)))
        self.min_size.setValue(g.min_size)
        self.target_size.setValue(g.target_size)
        self.max_size.setValue(g.max_size)
        self.agreement.setPlainText(g.agreement)

    def _edit_rules(self) -> None:
        if self.group is not None:
            from groupleader.ui.register.rules_editor import edit_rules

            edit_rules(self.ctx, self.group.id, self)

    def _update_enabled(self) -> None:
        self.sessions.setEnabled(self.format.currentData() == "fixed")
        self.start_time.setEnabled(self.weekday.currentData() is not None)

    def _add_clinician(self) -> None:
        dialog = ClinicianDialog(self.ctx, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved is not None:
            self._fill_clinicians(select=dialog.saved.id)

    # ------------------------------------------------------------------ saving
    def spec(self) -> GroupSpec:
        from groupleader.data.snapshots import GroupSpec

        leader_ids = tuple(
            cid
            for cid in (self.leader1.currentData(), self.leader2.currentData())
            if cid is not None
        )
        weekday = self.weekday.currentData()
        t = self.start_time.time()
        fixed = self.format.currentData() == "fixed"
        return GroupSpec(
            name=self.name.text(),
            kind=self.kind.currentData(),
            leader_ids=leader_ids,
            format=self.format.currentData(),
            sessions_per_cycle=self.sessions.value() if fixed else None,
            weekday=weekday,
            start_time=time(t.hour(), t.minute()) if weekday is not None else None,
            length_minutes=self.length.value(),
            room=self.room.text(),
            target_size=self.target_size.value(),
            max_size=self.max_size.value(),
            min_size=self.min_size.value(),
            agreement=self.agreement.toPlainText(),
        )

    def show_field_error(self, field: str | None, message: str) -> None:
        label = self.errors.get(field or "")
        if label is None:
            self.banner.show_message(message)
            return
        label.show_message(message)
        self.fields[field or ""].setFocus()

    def accept(self) -> None:
        from groupleader.data.operations import groups as ops_groups

        self.banner.clear_message()
        for label in self.errors.values():
            label.clear_message()
        spec, group = self.spec(), self.group
        try:
            if group is None:
                self.saved = self.ctx.run(lambda v: ops_groups.create_group(v, spec))
            else:
                self.saved = self.ctx.run(lambda v: ops_groups.update_group(v, group.id, spec))
        except InvalidInput as err:
            self.show_field_error(err.field, err.message)
            return
        except GroupLeaderError as err:
            self.banner.show_message(err.message)
            return
        super().accept()
