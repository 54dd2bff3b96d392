"""The group agreement's rules: a list to reorder, edit, add to and remove from, saved
as one action (`operations.register.set_agreement_rules`). A rule an incident names is
kept, retired, when removed here (the service does that)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from groupleader.data.operations import query
from groupleader.data.operations import register as ops
from groupleader.data.register_snapshots import RuleSnap, RuleSpec
from groupleader.data.services import agreement
from groupleader.errors import GroupLeaderError
from groupleader.ui.context import AppContext
from groupleader.ui.roster.member_dialog import ERROR_STYLE

ID_ROLE = Qt.ItemDataRole.UserRole
TEXT_ROLE = Qt.ItemDataRole.UserRole + 1


class RulesEditor(QDialog):
    def __init__(self, ctx: AppContext, group_id: int, rules: list[RuleSnap],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.group_id = ctx, group_id
        self.setWindowTitle("Group agreement")
        layout = QVBoxLayout(self)
        intro = QLabel("The rules members agree to when they join. A boundary incident "
                       "names one of them.", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.list = QListWidget(self)
        self.list.setAccessibleName("Rules")
        for r in rules:
            self._add_item(r.title, r.text, r.id)
        self.list.currentRowChanged.connect(self._load)
        row.addWidget(self.list, 1)
        side = QVBoxLayout()
        self.add_button = QPushButton("&Add", self)
        self.add_button.clicked.connect(self.add_rule)
        self.remove_button = QPushButton("&Remove", self)
        self.remove_button.clicked.connect(self.remove_rule)
        self.up_button = QPushButton("Move &up", self)
        self.up_button.clicked.connect(lambda: self.move_rule(-1))
        self.down_button = QPushButton("Move &down", self)
        self.down_button.clicked.connect(lambda: self.move_rule(1))
        for b in (self.add_button, self.remove_button, self.up_button, self.down_button):
            side.addWidget(b)
        side.addStretch(1)
        row.addLayout(side)
        layout.addLayout(row, 1)
        self.title = QLineEdit(self)
        self.title.setAccessibleName("Rule")
        self.title.setPlaceholderText("The rule, in a few words")
        self.title.textEdited.connect(self._store)
        layout.addWidget(self.title)
        self.text = QPlainTextEdit(self)
        self.text.setAccessibleName("What the rule says")
        self.text.setTabChangesFocus(True)
        self.text.setFixedHeight(self.text.fontMetrics().lineSpacing() * 3 + 14)
        self.text.textChanged.connect(self._store)
        layout.addWidget(self.text)
        self.error = QLabel(self)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 440)
        if self.list.count():
            self.list.setCurrentRow(0)

    def _add_item(self, title: str, text: str, rule_id: int | None) -> QListWidgetItem:
        item = QListWidgetItem(title)
        item.setData(ID_ROLE, rule_id)
        item.setData(TEXT_ROLE, text)
        item.setToolTip(text)
        self.list.addItem(item)
        return item

    def _load(self, row: int) -> None:
        item = self.list.item(row) if row >= 0 else None
        self.title.blockSignals(True)
        self.text.blockSignals(True)
        self.title.setText(item.text() if item else "")
        self.text.setPlainText(str(item.data(TEXT_ROLE) or "") if item else "")
        self.title.blockSignals(False)
        self.text.blockSignals(False)
        for w in (self.title, self.text, self.remove_button):
            w.setEnabled(item is not None)

    def _store(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            item.setText(self.title.text())
            item.setData(TEXT_ROLE, self.text.toPlainText())

    def add_rule(self) -> None:
        self._add_item("New rule", "", None)
        self.list.setCurrentRow(self.list.count() - 1)
        self.title.setFocus()
        self.title.selectAll()

    def remove_rule(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)

    def move_rule(self, delta: int) -> None:
        row = self.list.currentRow()
        to = row + delta
        if row < 0 or not 0 <= to < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(to, item)
        self.list.setCurrentRow(to)

    def specs(self) -> list[RuleSpec]:
        out = []
        for i in range(self.list.count()):
            item = self.list.item(i)
            rule_id = item.data(ID_ROLE)
            out.append(RuleSpec(item.text(), str(item.data(TEXT_ROLE) or ""),
                                None if rule_id is None else int(rule_id)))
        return out

    def try_accept(self) -> None:
        specs = self.specs()
        group_id = self.group_id
        try:
            self.ctx.run(lambda v: ops.set_agreement_rules(v, group_id, specs), self)
        except GroupLeaderError as err:
            self.error.setText(err.message)
            self.error.show()
            return
        self.accept()


def run_dialog(dialog: QDialog) -> int:
    """Show a modal dialog (tests replace this)."""
    return dialog.exec()


def edit_rules(ctx: AppContext, group_id: int, parent: QWidget | None = None) -> bool:
    try:
        rules = query(ctx.require_vault(), agreement.list_rules, group_id)
    except GroupLeaderError:
        return False
    return run_dialog(RulesEditor(ctx, group_id, rules, parent)) == QDialog.DialogCode.Accepted
