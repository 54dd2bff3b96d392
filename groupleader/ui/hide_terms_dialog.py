"""Settings > Terms to hide…: the vault's general terms to hide (a workplace, a family
name), which every de-identified export and screen-share safe mode remove.

Each Add and Remove is one audited operation (`groupleader.data.operations.privacy`);
the list shows the vault's terms as they are after it. The terms are clinical data: they
live in the vault, never in the settings file.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from groupleader.data.operations import privacy as privacy_ops
from groupleader.data.operations import query
from groupleader.data.services import hide_terms
from groupleader.errors import GroupLeaderError
from groupleader.ui.context import AppContext
from groupleader.ui.widgets import ErrorBanner


class HideTermsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Terms to hide")
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        intro = QLabel("Words or phrases every de-identified export and screen-share safe "
                       "mode hide, besides the members' names: a workplace, a family "
                       "name, a school.", self)
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(intro)
        self.banner = ErrorBanner(self)
        layout.addWidget(self.banner)
        self.terms = QListWidget(self)
        self.terms.setAccessibleName("Terms to hide")
        layout.addWidget(self.terms, 1)
        row = QHBoxLayout()
        label = QLabel("&Term:", self)
        self.term = QLineEdit(self)
        self.term.setAccessibleName("New term to hide")
        self.term.setMaxLength(200)
        label.setBuddy(self.term)
        self.add_button = QPushButton("&Add", self)
        self.add_button.clicked.connect(self.add)
        self.remove_button = QPushButton("&Remove", self)
        self.remove_button.clicked.connect(self.remove)
        row.addWidget(label)
        row.addWidget(self.term, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        layout.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.term.installEventFilter(self)
        self.reload()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in the term field adds it (and does not close the dialog)."""
        if (watched is self.term and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self.add()
            return True
        return super().eventFilter(watched, event)

    def reload(self) -> None:
        self.terms.clear()
        try:
            listed = query(self.ctx.require_vault(), hide_terms.list_terms)
        except GroupLeaderError as err:
            self.banner.show_message(err.message)
            listed = []
        for term_id, term in listed:
            item = QListWidgetItem(term)
            item.setData(Qt.ItemDataRole.UserRole, term_id)
            self.terms.addItem(item)
        self.remove_button.setEnabled(self.terms.count() > 0)

    def add(self) -> bool:
        self.banner.clear_message()
        term = self.term.text()
        try:
            self.ctx.run(lambda v: privacy_ops.add_hide_term(v, term), source=self)
        except GroupLeaderError as err:
            self.banner.show_message(err.message)
            return False
        self.term.clear()
        self.reload()
        return True

    def remove(self) -> bool:
        item = self.terms.currentItem()
        if item is None:
            return False
        term_id = int(item.data(Qt.ItemDataRole.UserRole))
        try:
            self.ctx.run(lambda v: privacy_ops.remove_hide_term(v, term_id), source=self)
        except GroupLeaderError as err:
            self.banner.show_message(err.message)
            return False
        self.reload()
        return True
